//! Stage 7: thumbnail, one snapshot per scene, duration; then the job is completed.

use super::{JobRun, RenderedScene};
use crate::error::{Error, IoContext, Result};
use crate::model::job::SceneStatus;
use crate::progress::Stage;
use crate::util::tmp::{persist, temp_beside};
use crate::writer::ScenePlan;
use std::path::Path;
use std::sync::atomic::{AtomicU32, Ordering};

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
    // The title card fully drawn: late in the first scene, before its fade-out (a frame inside
    // the video whatever its length; a third of the way in when there is no scene).
    let thumbnail = run.video_dir.join("thumbnail.png");
    match scenes.first() {
        Some(first) => {
            let d = run
                .renderer
                .probe(&first.video, &run.cancel)
                .await?
                .duration;
            let at = (d - 0.8).max(d * 0.5);
            run.renderer
                .frame(&first.video, at, &thumbnail, None, &run.cancel)
                .await?;
        }
        None => {
            run.renderer
                .frame(video, probe.duration * 0.33, &thumbnail, None, &run.cancel)
                .await?
        }
    }
    let snaps = run.video_dir.join("snapshots");
    let _ = std::fs::create_dir_all(&snaps);
    let n = scenes.len() as u32;
    let done = AtomicU32::new(0);
    // Scenes side by side; a scene's snapshot is cached next to its render, so an unchanged
    // re-run copies it instead of running ffmpeg.
    let durations = run
        .for_each_scene(n, run.concurrency, |i, tok| {
            let (s, done, snaps) = (&scenes[(i - 1) as usize], &done, &snaps);
            async move {
                let p = run.renderer.probe(&s.video, &tok).await?;
                let snap = snaps.join(format!("scene-{:02}.png", s.index));
                let cached = s.video.with_extension("snap.png");
                if !std::fs::metadata(&cached).is_ok_and(|m| m.len() > 0) {
                    // Late in the scene, before its fade-out.
                    let at = (p.duration - 0.8).max(p.duration * 0.5);
                    // Its own temp file: another job may be making the same snapshot now.
                    let tmp = temp_beside(&cached)?;
                    run.renderer
                        .frame(&s.video, at, &tmp, Some(480), &tok)
                        .await?;
                    persist(tmp, &cached)?;
                }
                std::fs::copy(&cached, &snap).ctx(|| format!("writing {}", snap.display()))?;
                let k = done.fetch_add(1, Ordering::SeqCst) + 1;
                t.detail(Stage::Finalizing, k, n, 0.0, format!("Snapshot {k} of {n}"));
                Ok(p.duration)
            }
        })
        .await?;
    for (k, s) in scenes.iter().enumerate() {
        let plan = &plans[k];
        let mut rec = run.scene_record(
            s.index,
            &plan.title,
            if s.cached {
                SceneStatus::Cached
            } else {
                SceneStatus::Rendered
            },
        );
        rec.video = Some(s.video.clone());
        rec.snapshot = Some(snaps.join(format!("scene-{:02}.png", s.index)));
        rec.duration_secs = Some(durations[k]);
        rec.code_version = Some(s.version);
        let _ = run.store.upsert_scene(&run.job.id, &rec);
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
    let version = super::versions::record(run, plans, scenes, video, probe.duration)?;
    run.log(format!(
        "video version {}: {}",
        version.version, version.note
    ));
    run.store
        .complete(&run.job.id, video, &thumbnail, probe.duration)?;
    Ok(())
}
