//! The scene studio: the wall time from a one-scene edit to the new video version, at preview
//! quality, through `App::execute_edit` (what the app and `theory2video scene` run). The edited
//! scene gets new code each time, so it really renders: warm (through the job's idle worker, the
//! app's default) and cold (`warm_renders` off), interleaved in one run.

use super::jobs::{completed, rig};
use super::stats::{median, ms, Figure};
use super::writer::tiny_code;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;
use t2v_core::app::App;
use t2v_core::model::versions::SceneEdit;
use t2v_core::progress::NullSink;
use t2v_core::writer::scene_class;
use t2v_core::{CancellationToken, Result};

/// One edit of scene 2 (new code `tag`); its wall time in ms.
async fn one_edit(app: &App, id: &str, tag: &str) -> Result<f64> {
    let code = tiny_code(&scene_class(2), tag);
    let s = Instant::now();
    let rec = app
        .execute_edit(
            id,
            2,
            SceneEdit::Code(code),
            Arc::new(NullSink),
            CancellationToken::new(),
        )
        .await?;
    let wall = ms(s.elapsed());
    completed(rec, "edit")?;
    Ok(wall)
}

pub async fn edit(dir: &Path, venv: &Path, runs: usize) -> Result<Vec<Figure>> {
    let rig = rig(dir, venv, None, 2)?;
    // The first run renders warm, so its worker stays idle for the job's edits (as in the app).
    rig.app.override_settings(|s| s.warm_renders = true);
    let (first, first_wall) = rig.first("Studio benchmark", 3).await?;
    let (mut warm, mut cold) = (Vec::new(), Vec::new());
    for k in 0..runs {
        rig.app.override_settings(|s| s.warm_renders = true);
        warm.push(one_edit(&rig.app, &first.id, &format!("warm edit {k}")).await?);
        rig.app.override_settings(|s| s.warm_renders = false);
        cold.push(one_edit(&rig.app, &first.id, &format!("cold edit {k}")).await?);
    }
    rig.app.override_settings(|s| s.warm_renders = true);
    let (warm, cold) = (
        median(&warm).unwrap_or(f64::NAN),
        median(&cold).unwrap_or(f64::NAN),
    );
    let versions = rig.app.video_versions(&first.id)?.len();
    Ok(vec![Figure::new(
        "studio.edit_ms",
        "One-scene edit to a new video (preview, warm)",
        warm,
        "ms",
    )
    .baseline(cold)
    .target("≤ 1500 ms", warm <= 1500.0)
    .note(format!(
        "median of {runs}, interleaved with the same edit cold; scene 2 of 3 gets new code \
             each time (rendered through the job's idle worker), the other two reuse theirs; \
             baseline: the edit cold (warm renders off); the job's first run took {:.0} ms; \
             {versions} video versions made",
        first_wall
    ))])
}
