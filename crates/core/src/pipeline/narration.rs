//! Part of implementation planning: each scene's narration is spoken (sentence audio cached by
//! text + voice) and timed; the timing goes to the code writer through `WriterCtx::timings`. A voice that fails never fails the job: the scene stays silent and the
//! job log says why.

use super::JobRun;
use crate::error::{Error, Result};
use crate::progress::Stage;
use crate::voice::{narrate, NarrationTrack};
use crate::writer::{ScenePlan, SceneTiming};
use std::sync::atomic::{AtomicU32, Ordering};

pub async fn run(run: &JobRun, plans: &[ScenePlan]) -> Result<Vec<Option<NarrationTrack>>> {
    let n = plans.len() as u32;
    let Some(voice) = run.voice.clone() else {
        return Ok(vec![None; plans.len()]);
    };
    let done = AtomicU32::new(0);
    let synthesized = AtomicU32::new(0);
    let voice_dir = run.cache.dir().join("voice");
    let tracks = run
        .for_each_scene(n, run.concurrency, |i, tok| {
            let plan = &plans[(i - 1) as usize];
            let (voice, voice_dir, done, synthesized) =
                (voice.clone(), &voice_dir, &done, &synthesized);
            async move {
                if run.overlay.as_ref().is_some_and(|o| o.is_dropped(i)) {
                    return Ok(None);
                }
                let scene_dir = run.cache.scene_dir(i);
                let waiting = || {
                    run.tracker.detail(
                        Stage::ImplementationPlanning,
                        n,
                        n,
                        0.0,
                        format!("Scene {i} of {n}: waiting for another job or scene narrating the same words"),
                    )
                };
                let result = narrate(
                    voice.as_ref(),
                    &run.renderer,
                    &plan.narration,
                    voice_dir,
                    &scene_dir,
                    &tok,
                    &waiting,
                )
                .await;
                let track = match result {
                    Ok(t) => t,
                    Err(Error::Cancelled) => return Err(Error::Cancelled),
                    Err(e) => {
                        run.log(format!(
                            "WARNING: scene {i} narration failed, the scene stays silent: {e}"
                        ));
                        None
                    }
                };
                if let Some(t) = &track {
                    synthesized.fetch_add(t.synthesized, Ordering::SeqCst);
                }
                // The code writer times the animation to the speech.
                run.wctx.set_timing(
                    i,
                    track.as_ref().map(|t| SceneTiming {
                        duration: t.duration,
                        sentences: t.cues.iter().map(|c| (c.start, c.end)).collect(),
                    }),
                );
                let k = done.fetch_add(1, Ordering::SeqCst) + 1;
                let what = match &track {
                    Some(t) => format!("{:.1} s of narration", t.duration),
                    None => "no narration".to_string(),
                };
                run.tracker.detail(
                    Stage::ImplementationPlanning,
                    n,
                    n,
                    0.0,
                    format!("Scene {i} of {n} narrated ({k} of {n}): {what}"),
                );
                Ok(track)
            }
        })
        .await?;
    run.log(format!(
        "narration: {} of {n} scenes narrated, {} sentence(s) synthesised",
        tracks.iter().filter(|t| t.is_some()).count(),
        synthesized.load(Ordering::SeqCst)
    ));
    Ok(tracks)
}
