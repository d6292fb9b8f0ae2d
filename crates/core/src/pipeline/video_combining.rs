//! Stage 6: give every clip audio at the same settings and concatenate them in order with
//! `+faststart`. The combined video is cached by the list of clips, so an unchanged re-run
//! combines nothing.

use super::{JobRun, RenderedScene};
use crate::cache::write_atomic;
use crate::error::{Error, IoContext, Result};
use crate::progress::Stage;
use std::path::PathBuf;

pub async fn run(run: &JobRun, scenes: &[RenderedScene]) -> Result<PathBuf> {
    let t = &run.tracker;
    let n = scenes.len() as u32;
    t.stage(Stage::VideoCombining, format!("Combining {n} scenes"));
    let mut clips = Vec::new();
    for (k, s) in scenes.iter().enumerate() {
        run.check_cancelled()?;
        let av = s.video.with_extension("av.mp4");
        if !run.renderer.is_valid_video(&av, &run.cancel).await {
            let tmp = s.video.with_extension("av.tmp.mp4");
            run.renderer
                .normalise_audio(&s.video, &tmp, &run.cancel)
                .await?;
            std::fs::rename(&tmp, &av).ctx(|| format!("writing {}", av.display()))?;
        }
        clips.push(av);
        t.detail(
            Stage::VideoCombining,
            k as u32,
            n + 1,
            1.0,
            format!("Prepared audio of scene {} of {n}", k + 1),
        );
    }
    let key: Vec<String> = clips
        .iter()
        .map(|c| c.to_string_lossy().into_owned())
        .collect();
    let combined = run.cache.final_path(run.opts.quality, &key.join("\n"));
    if !run.renderer.is_valid_video(&combined, &run.cancel).await {
        let tmp = combined.with_extension("tmp.mp4");
        if let Some(p) = tmp.parent() {
            std::fs::create_dir_all(p).ctx(|| format!("creating {}", p.display()))?;
        }
        run.renderer.concat(&clips, &tmp, &run.cancel).await?;
        let probe = run.renderer.probe(&tmp, &run.cancel).await?;
        if !probe.has_video || probe.duration <= 0.0 {
            return Err(Error::Media(
                "the combined video has no playable video stream".into(),
            ));
        }
        std::fs::rename(&tmp, &combined).ctx(|| format!("writing {}", combined.display()))?;
    }
    // The job's own copy (a hard link where possible: no extra space).
    let video = run.out_dir.join("video.mp4");
    let _ = std::fs::remove_file(&video);
    if std::fs::hard_link(&combined, &video).is_err() {
        let bytes = std::fs::read(&combined).ctx(|| format!("reading {}", combined.display()))?;
        write_atomic(&video, &bytes)?;
    }
    t.sub(Stage::VideoCombining, 1, 1, format!("Combined {n} scenes"));
    Ok(video)
}
