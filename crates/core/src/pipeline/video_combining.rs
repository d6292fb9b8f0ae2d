//! Stage 6: give every clip audio at the same settings (its narration, or silence) and
//! concatenate them in order with `+faststart`; write the merged subtitles. The combined video is
//! cached by the list of clips, so an unchanged re-run combines nothing.

use super::{JobRun, RenderedScene};
use crate::error::{Error, IoContext, Result};
use crate::progress::Stage;
use crate::render::ffmpeg::Probe;
use crate::util::lock;
use crate::util::tmp::{persist, temp_beside};
use crate::util::{fs::write_atomic, hash::short_hash};
use crate::voice::subtitles::{self, Cue};
use crate::voice::NarrationTrack;
use std::path::{Path, PathBuf};

pub async fn run(
    run: &JobRun,
    scenes: &[RenderedScene],
    narration: &[Option<NarrationTrack>],
) -> Result<PathBuf> {
    let t = &run.tracker;
    let n = scenes.len() as u32;
    t.stage(Stage::VideoCombining, format!("Combining {n} scenes"));
    let narrated = narration.iter().any(Option::is_some);
    let mut clips = Vec::new();
    let mut cues: Vec<Cue> = Vec::new();
    let mut offset = 0.0;
    for (k, s) in scenes.iter().enumerate() {
        run.check_cancelled()?;
        let track = narration.get(k).and_then(Option::as_ref);
        // A reused clip's validity probe also gives its duration: one ffprobe, not two.
        let waiting = format!(
            "Scene {} of {n}: waiting for another job preparing this clip",
            k + 1
        );
        let (clip, probe) = if narrated {
            // Every clip re-encoded with the same settings, so the stream copy below is clean.
            let tag = track.map_or("silent".to_string(), |t| {
                short_hash(&t.wav.to_string_lossy())
            });
            let av = s.video.with_extension(format!("nar-{tag}.mp4"));
            let audio = track.map(|t| t.wav.as_path());
            let secs = track.map_or(0.0, |t| t.duration);
            let probe = made_once(run, &av, k as u32, n, &waiting, |tmp| async move {
                run.renderer
                    .mux_narration(&s.video, audio, secs, &tmp, &run.cancel)
                    .await
                    .map(|_| ())
            })
            .await?;
            (av, probe)
        } else {
            let av = s.video.with_extension("av.mp4");
            let probe = made_once(run, &av, k as u32, n, &waiting, |tmp| async move {
                run.renderer
                    .normalise_audio(&s.video, &tmp, &run.cancel)
                    .await
            })
            .await?;
            (av, probe)
        };
        if let Some(track) = track {
            cues.extend(subtitles::shifted(&track.cues, offset));
        }
        offset += match probe {
            Some(p) => p.duration,
            None => run.renderer.probe(&clip, &run.cancel).await?.duration,
        };
        clips.push(clip);
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
    made_once(
        run,
        &combined,
        n,
        n,
        "Waiting for another job combining the same scenes",
        |tmp| async move {
            run.renderer.concat(&clips, &tmp, &run.cancel).await?;
            let probe = run.renderer.probe(&tmp, &run.cancel).await?;
            if !probe.has_video || probe.duration <= 0.0 {
                return Err(Error::Media(
                    "the combined video has no playable video stream".into(),
                ));
            }
            Ok(())
        },
    )
    .await?;
    let video = run.video_dir.join("video.mp4");
    let _ = std::fs::remove_file(&video);
    if !cues.is_empty() {
        write_atomic(
            &run.video_dir.join("video.srt"),
            subtitles::to_srt(&cues).as_bytes(),
        )?;
        write_atomic(
            &run.video_dir.join("video.vtt"),
            subtitles::to_vtt(&cues).as_bytes(),
        )?;
    }
    if run.opts.voice.burn_subtitles && !cues.is_empty() {
        t.detail(
            Stage::VideoCombining,
            n,
            n + 1,
            0.5,
            "Burning in the subtitles",
        );
        let src = combined
            .canonicalize()
            .ctx(|| format!("{}", combined.display()))?;
        let tmp = crate::util::tmp::temp_beside(&video)?;
        let tmp_name = tmp.file_name().unwrap_or_default().to_string_lossy();
        run.renderer
            .burn_subtitles(
                &run.video_dir,
                &src.to_string_lossy(),
                "video.srt",
                &tmp_name,
                &run.cancel,
            )
            .await?;
        crate::util::tmp::persist(tmp, &video)?;
    } else if std::fs::hard_link(&combined, &video).is_err() {
        // The job's own copy: a hard link where possible (no extra space).
        let bytes = std::fs::read(&combined).ctx(|| format!("reading {}", combined.display()))?;
        write_atomic(&video, &bytes)?;
    }
    t.sub(Stage::VideoCombining, 1, 1, format!("Combined {n} scenes"));
    Ok(video)
}

/// `target`'s probe when it is already a valid video (`None` when made now): otherwise it is
/// made by `make` into a unique temp file and renamed into place, by one job at a time (a job
/// that waited reuses what the other made).
async fn made_once<F, Fut>(
    run: &JobRun,
    target: &Path,
    done: u32,
    n: u32,
    waiting: &str,
    make: F,
) -> Result<Option<Probe>>
where
    F: FnOnce(PathBuf) -> Fut,
    Fut: std::future::Future<Output = Result<()>>,
{
    if let Some(p) = run.renderer.valid_probe(target, &run.cancel).await {
        return Ok(Some(p));
    }
    let _lock = lock::lock(target, &run.cancel, || {
        run.tracker
            .detail(Stage::VideoCombining, done, n + 1, 0.0, waiting)
    })
    .await?;
    if let Some(p) = run.renderer.valid_probe(target, &run.cancel).await {
        return Ok(Some(p));
    }
    let tmp = temp_beside(target)?;
    make(tmp.to_path_buf()).await?;
    persist(tmp, target)?;
    Ok(None)
}
