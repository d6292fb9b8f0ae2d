//! Stage 7: thumbnail, one snapshot per scene, duration; then the job is completed.

use super::{JobRun, RenderedScene};
use crate::error::{Error, Result};
use crate::progress::Stage;
use crate::writer::ScenePlan;
use std::path::Path;

pub async fn run(
    run: &JobRun,
    plans: &[ScenePlan],
    scenes: &[RenderedScene],
    video: &Path,
) -> Result<()> {
    let t = &run.tracker;
    t.stage(Stage::Finalizing, "Making the thumbnail and snapshots");
    let probe = run.renderer.probe(video, &run.cancel).await?;
    if !probe.has_video || probe.duration <= 0.0 {
        return Err(Error::Media(format!(
            "{} is not a playable video",
            video.display()
        )));
    }
    // A frame inside the video whatever its length: a third of the way in.
    let thumbnail = run.out_dir.join("thumbnail.png");
    run.renderer
        .frame(video, probe.duration * 0.33, &thumbnail, None, &run.cancel)
        .await?;
    let snaps = run.out_dir.join("snapshots");
    let _ = std::fs::create_dir_all(&snaps);
    let n = scenes.len() as u32;
    for (k, s) in scenes.iter().enumerate() {
        run.check_cancelled()?;
        let p = run.renderer.probe(&s.video, &run.cancel).await?;
        let snap = snaps.join(format!("scene-{:02}.png", s.index));
        // Late in the scene, before its fade-out.
        let at = (p.duration - 0.8).max(p.duration * 0.5);
        run.renderer
            .frame(&s.video, at, &snap, Some(480), &run.cancel)
            .await?;
        let plan = &plans[k];
        let mut rec = run.scene_record(
            s.index,
            &plan.title,
            if s.cached { "cached" } else { "rendered" },
        );
        rec.video = Some(s.video.clone());
        rec.snapshot = Some(snap);
        rec.duration_secs = Some(p.duration);
        rec.code_version = run.cache.code_versions(s.index).first().copied();
        let _ = run.store.upsert_scene(&run.job.id, &rec);
        t.detail(
            Stage::Finalizing,
            k as u32 + 1,
            n,
            0.0,
            format!("Snapshot {} of {n}", k + 1),
        );
    }
    run.log(format!(
        "video {} ({:.1} s), thumbnail {}",
        video.display(),
        probe.duration,
        thumbnail.display()
    ));
    t.stage(
        Stage::Completed,
        format!("Done: {:.1} s video", probe.duration),
    );
    super::test_pause(run, Stage::Completed).await?;
    run.store
        .complete(&run.job.id, video, &thumbnail, probe.duration)?;
    Ok(())
}
