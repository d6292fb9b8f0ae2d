//! Stage 2: the scene outline (from the cache when valid).

use super::JobRun;
use crate::error::{Error, Result};
use crate::progress::Stage;
use crate::writer::Outline;

pub async fn run(run: &JobRun) -> Result<Outline> {
    let t = &run.tracker;
    t.stage(Stage::Planning, "Planning the scenes");
    if let Some(o) = &run.overlay {
        // An edited job keeps its own scenes: nothing to plan.
        let outline = Outline {
            topic: run.topic.title.clone(),
            scenes: o
                .scenes
                .iter()
                .map(|s| crate::model::plan::SceneOutline {
                    title: s.plan.title.clone(),
                    purpose: String::new(),
                    kind: Default::default(),
                })
                .collect(),
        };
        t.sub(
            Stage::Planning,
            1,
            1,
            format!("Outline: {} scenes (the job's own)", outline.scenes.len()),
        );
        return Ok(outline);
    }
    if let Some(o) = run.cache.load_outline() {
        let o = cap(o, run.wctx.max_scenes);
        t.sub(
            Stage::Planning,
            1,
            1,
            format!("Outline: {} scenes (cached)", o.scenes.len()),
        );
        return Ok(o);
    }
    let o = run.writer.outline(&run.topic, &run.wctx).await?;
    o.validate()
        .map_err(|why| Error::Writer(format!("the outline is invalid: {why}")))?;
    let o = cap(o, run.wctx.max_scenes);
    run.cache.save_outline(&o)?;
    run.log(format!(
        "outline: {}",
        o.scenes
            .iter()
            .map(|s| s.title.as_str())
            .collect::<Vec<_>>()
            .join(" | ")
    ));
    t.sub(
        Stage::Planning,
        1,
        1,
        format!("Outline: {} scenes", o.scenes.len()),
    );
    Ok(o)
}

fn cap(mut o: Outline, max: usize) -> Outline {
    o.scenes.truncate(max.max(1));
    o
}
