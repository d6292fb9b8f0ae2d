//! Stage 4: Manim code per scene. The newest cached version that compiles is reused; a cached
//! version that does not compile (empty, truncated, an error saved as code) is removed, and so is
//! code timed to other narration (its `# narration timing:` tag differs).

use super::overlay::{CodeSource, SceneSource};
use super::{JobRun, SceneCode};
use crate::error::Result;
use crate::progress::Stage;
use crate::render::code_check::check_code;
use crate::writer::{scene_class, timing_mark, ScenePlan, SceneTiming};
use std::sync::atomic::{AtomicU32, Ordering};

pub async fn run(run: &JobRun, plans: &[ScenePlan]) -> Result<Vec<SceneCode>> {
    let t = &run.tracker;
    let n = plans.len() as u32;
    t.stage(
        Stage::CodeGeneration,
        format!("Writing Manim code for {n} scenes"),
    );
    let done = AtomicU32::new(0);
    run.for_each_scene(n, run.concurrency, |i, tok| {
        let done = &done;
        let plan = &plans[(i - 1) as usize];
        async move {
            let class_name = scene_class(i);
            if let Some(src) = run.overlay.as_ref().and_then(|o| o.scene(i)) {
                let sc = own_code(run, plan, src, class_name).await?;
                let k = done.fetch_add(1, Ordering::SeqCst) + 1;
                t.sub(
                    Stage::CodeGeneration,
                    k,
                    n,
                    format!("Scene {i} of {n}: code v{} ready", sc.version),
                );
                return Ok(sc);
            }
            let mut chosen = None;
            let tag = SceneTiming::tag(run.wctx.timing(i).as_ref());
            for v in run.cache.code_versions(i) {
                let path = run.cache.code_path(i, v);
                let code = std::fs::read_to_string(&path).unwrap_or_default();
                if timing_mark(&code).is_some_and(|m| m != tag) {
                    // Written for another narration timing (another voice, speed or text): every
                    // version of this scene is, so the scene is written afresh.
                    run.log(format!(
                        "scene {i}: cached code v{v} was timed to other narration; rewriting"
                    ));
                    for old in run.cache.code_versions(i) {
                        let _ = std::fs::remove_file(run.cache.code_path(i, old));
                    }
                    break;
                }
                let ok = !code.trim().is_empty()
                    && check_code(&run.renderer.python, &path, &class_name, &tok)
                        .await?
                        .is_ok();
                if ok {
                    chosen = Some(SceneCode {
                        index: i,
                        class_name: class_name.clone(),
                        version: v,
                        code,
                        by_person: false,
                    });
                    break;
                }
                run.log(format!(
                    "scene {i}: cached code v{v} is not valid Python; removed"
                ));
                let _ = std::fs::remove_file(&path);
            }
            let cached = chosen.is_some();
            let sc = match chosen {
                Some(sc) => sc,
                None => {
                    let code = run
                        .writer
                        .write_code(&run.topic, plan, &class_name, &run.wctx)
                        .await?;
                    run.cache.save_code(i, 0, &code)?;
                    SceneCode {
                        index: i,
                        class_name,
                        version: 0,
                        code,
                        by_person: false,
                    }
                }
            };
            let k = done.fetch_add(1, Ordering::SeqCst) + 1;
            let how = if cached {
                format!(" (cached v{})", sc.version)
            } else {
                String::new()
            };
            t.sub(
                Stage::CodeGeneration,
                k,
                n,
                format!("Scene {i} of {n}: code written{how}"),
            );
            Ok(sc)
        }
    })
    .await
}

/// The code of a scene of a job with its own scenes (see `overlay`): as given, re-timed, written
/// or revised by the writer. Nothing is saved to the shared cache.
async fn own_code(
    run: &JobRun,
    plan: &ScenePlan,
    src: &SceneSource,
    class_name: String,
) -> Result<SceneCode> {
    let i = plan.index;
    let write = || {
        run.writer
            .write_code(&run.topic, plan, &class_name, &run.wctx)
    };
    let code = match &src.code {
        CodeSource::Given(code) | CodeSource::Person(code) => code.clone(),
        CodeSource::Retimed(code) => {
            let tag = SceneTiming::tag(run.wctx.timing(i).as_ref());
            if timing_mark(code).is_some_and(|m| m != tag) {
                run.log(format!(
                    "scene {i}: the code was timed to other narration; the writer writes it again"
                ));
                write().await?
            } else {
                code.clone()
            }
        }
        CodeSource::Write => write().await?,
        CodeSource::Revise {
            code,
            instruction,
            findings,
        } => {
            run.log(format!("scene {i}: revising the code: {instruction}"));
            run.writer
                .revise_code(
                    &run.topic,
                    plan,
                    &class_name,
                    code,
                    instruction,
                    findings,
                    &run.wctx,
                )
                .await?
        }
    };
    Ok(SceneCode {
        index: i,
        class_name,
        version: src.version,
        code,
        by_person: matches!(src.code, CodeSource::Person(_)),
    })
}
