//! Stage 3: a plan per scene (storyboard, technical notes, narration), concurrently.

use super::JobRun;
use crate::error::{Error, Result};
use crate::model::job::SceneStatus;
use crate::model::plan::{Outline, ScenePlan};
use crate::progress::Stage;
use std::sync::atomic::{AtomicU32, Ordering};

pub async fn run(run: &JobRun, outline: &Outline) -> Result<Vec<ScenePlan>> {
    let t = &run.tracker;
    let n = outline.scenes.len() as u32;
    t.stage(
        Stage::ImplementationPlanning,
        format!("Planning {n} scenes"),
    );
    if let Some(o) = &run.overlay {
        // An edited job's plans are its own (the edited narration included).
        t.sub(
            Stage::ImplementationPlanning,
            n,
            n,
            format!("{n} scenes planned (the job's own)"),
        );
        return Ok(o.scenes.iter().map(|s| s.plan.clone()).collect());
    }
    let done = AtomicU32::new(0);
    let plans = run
        .for_each_scene(n, run.concurrency, |i, _tok| {
            let done = &done;
            async move {
                let (plan, cached) = match run.cache.load_plan(i) {
                    Some(p) => (p, true),
                    None => {
                        let mut p = run
                            .writer
                            .plan_scene(&run.topic, outline, (i - 1) as usize, &run.wctx)
                            .await?;
                        p.index = i;
                        p.validate().map_err(|why| {
                            Error::Writer(format!("the plan of scene {i} is invalid: {why}"))
                        })?;
                        run.cache.save_plan(&p)?;
                        (p, false)
                    }
                };
                let _ = run.store.upsert_scene(
                    &run.job.id,
                    &run.scene_record(i, &plan.title, SceneStatus::Planned),
                );
                let k = done.fetch_add(1, Ordering::SeqCst) + 1;
                let how = if cached { " (cached)" } else { "" };
                t.sub(
                    Stage::ImplementationPlanning,
                    k,
                    n,
                    format!("Scene {i} of {n} planned: {}{how}", plan.title),
                );
                Ok(plan)
            }
        })
        .await?;
    Ok(plans)
}
