//! Stage 5: render every scene (in parallel up to the limit), reusing a valid render of the same
//! code; on failure send the error to the writer's fix step, up to `max_fix_attempts` times.

use super::{JobRun, RenderedScene, SceneCode};
use crate::cache::check_code;
use crate::error::{Error, Result};
use crate::progress::Stage;
use crate::writer::ScenePlan;
use std::sync::atomic::{AtomicU32, Ordering};
use tokio_util::sync::CancellationToken;

pub async fn run(
    run: &JobRun,
    plans: &[ScenePlan],
    codes: Vec<SceneCode>,
) -> Result<Vec<RenderedScene>> {
    let t = &run.tracker;
    let n = codes.len() as u32;
    t.stage(
        Stage::SceneRendering,
        format!(
            "Rendering {n} scenes at {} quality",
            run.opts.quality.as_str()
        ),
    );
    let done = AtomicU32::new(0);
    run.for_each_scene(n, run.concurrency, |i, tok| {
        let done = &done;
        let sc = codes[(i - 1) as usize].clone();
        let plan = &plans[(i - 1) as usize];
        async move {
            let r = render_one(run, plan, sc, &tok, done, n).await;
            if let Err(e) = &r {
                if !matches!(e, Error::Cancelled) {
                    let mut rec = run.scene_record(i, &plan.title, "failed");
                    rec.error = Some(e.to_string());
                    let _ = run.store.upsert_scene(&run.job.id, &rec);
                }
            }
            let r = r?;
            let k = done.fetch_add(1, Ordering::SeqCst) + 1;
            let how = if r.cached {
                "reused cached render"
            } else {
                "rendered"
            };
            t.sub(
                Stage::SceneRendering,
                k,
                n,
                format!("Scene {i} of {n} {how}: {}", plan.title),
            );
            Ok(r)
        }
    })
    .await
}

async fn render_one(
    run: &JobRun,
    plan: &ScenePlan,
    mut sc: SceneCode,
    tok: &CancellationToken,
    done: &AtomicU32,
    n: u32,
) -> Result<RenderedScene> {
    let i = sc.index;
    let quality = run.opts.quality;
    let mut attempt = 0;
    loop {
        if tok.is_cancelled() {
            return Err(Error::Cancelled);
        }
        let code_path = run.cache.code_path(i, sc.version);
        let out = run.cache.render_path(i, quality, &sc.code);
        let mut record = run.scene_record(i, &plan.title, "rendering");
        record.code_version = Some(sc.version);
        if run.renderer.is_valid_video(&out, tok).await {
            record.status = "cached".into();
            record.video = Some(out.clone());
            let _ = run.store.upsert_scene(&run.job.id, &record);
            return Ok(RenderedScene {
                index: i,
                video: out,
                cached: true,
            });
        }
        let failure =
            match check_code(&run.renderer.python, &code_path, &sc.class_name, tok).await? {
                Err(problem) => (problem.clone(), problem),
                Ok(()) => {
                    let _ = run.store.upsert_scene(&run.job.id, &record);
                    run.tracker.detail(
                        Stage::SceneRendering,
                        done.load(Ordering::SeqCst),
                        n,
                        0.0,
                        format!("Scene {i} of {n}: rendering v{}", sc.version),
                    );
                    let mut on_progress = |fraction: f64, what: &str| {
                        run.tracker.detail(
                            Stage::SceneRendering,
                            done.load(Ordering::SeqCst),
                            n,
                            fraction,
                            format!("Scene {i} of {n}: {what}"),
                        );
                    };
                    let started = std::time::Instant::now();
                    let result = run
                        .renderer
                        .render_scene(
                            &run.cache.work_dir(i),
                            &code_path,
                            &sc.class_name,
                            quality,
                            &out,
                            tok,
                            &run.cache.log_path(i, sc.version),
                            &mut on_progress,
                        )
                        .await?;
                    match result {
                        Ok(()) => {
                            run.log(format!(
                                "scene {i}: rendered v{} in {:.1} s",
                                sc.version,
                                started.elapsed().as_secs_f64()
                            ));
                            record.status = "rendered".into();
                            record.video = Some(out.clone());
                            let _ = run.store.upsert_scene(&run.job.id, &record);
                            return Ok(RenderedScene {
                                index: i,
                                video: out,
                                cached: false,
                            });
                        }
                        Err(f) => (f.last_line, f.tail),
                    }
                }
            };
        let (last_line, tail) = failure;
        attempt += 1;
        run.log(format!("scene {i}: v{} failed: {last_line}", sc.version));
        if attempt > run.opts.max_fix_attempts {
            return Err(Error::Render {
                scene: format!("{} ({})", i, plan.title),
                last_line,
            });
        }
        run.tracker.detail(
            Stage::SceneRendering,
            done.load(Ordering::SeqCst),
            n,
            0.0,
            format!("Scene {i} of {n}: fixing the code (attempt {attempt}): {last_line}"),
        );
        let fixed = run
            .writer
            .fix_code(
                &run.topic,
                plan,
                &sc.class_name,
                &sc.code,
                &format!("{tail}\n{last_line}"),
                attempt,
                &run.wctx,
            )
            .await?;
        let version = run
            .cache
            .code_versions(i)
            .first()
            .map_or(0, |v| v + 1)
            .max(sc.version + 1);
        run.cache.save_code(i, version, &fixed)?;
        sc = SceneCode {
            version,
            code: fixed,
            ..sc
        };
    }
}
