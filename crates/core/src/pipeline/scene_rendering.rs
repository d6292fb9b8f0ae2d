//! Stage 5: render every scene (in parallel up to the limit), reusing a valid render of the same
//! code; on failure send the error to the writer's fix step, up to `max_fix_attempts` times, and
//! a render with layout errors likewise, up to `max_layout_fix_attempts` times (`layout_fix`).

use super::layout_fix::{self, Kept, LayoutFixes, Verdict};
use super::{JobRun, RenderedScene, SceneCode};
use crate::error::{Error, Result};
use crate::layout::LayoutCheck;
use crate::model::job::SceneStatus;
use crate::progress::Stage;
use crate::render::code_check::check_code;
use crate::render::manim::RenderWork;
use crate::render::warm::WarmLease;
use crate::util::lock;
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
    // One warm worker for the job's scenes (docs/security.md: it may write every scene's work dir).
    let work_dirs = codes.iter().map(|c| run.cache.work_root(c.index)).collect();
    let lease = run.renderer.warm.lease(&run.renderer, work_dirs);
    if let Some(pid) = lease.worker_pid() {
        run.log(format!(
            "scenes render warm: one Manim worker for the job's {n} scenes (pid {pid})"
        ));
    }
    let lease = &lease;
    // A scene that fails after all its fix attempts does not stop the others: they render on,
    // so the job keeps them (the scene studio can then retry or leave out the failed one).
    let rendered = run
        .for_each_scene(n, run.concurrency, |k, tok| {
            let done = &done;
            let sc = codes[(k - 1) as usize].clone();
            let plan = &plans[(k - 1) as usize];
            async move {
                let i = plan.index;
                let r = render_one(run, lease, plan, sc, &tok, done, n).await;
                for note in lease.take_notes() {
                    run.log(note);
                }
                if let Err(e) = &r {
                    if !matches!(e, Error::Cancelled) {
                        let mut rec = run.scene_record(i, &plan.title, SceneStatus::Failed);
                        rec.error = Some(e.to_string());
                        let _ = run.store.upsert_scene(&run.job.id, &rec);
                    }
                }
                let r = match r {
                    Err(e @ Error::Render { .. }) => return Ok(Err(e)),
                    r => r?,
                };
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
                Ok(Ok(r))
            }
        })
        .await;
    let rendered: Result<Vec<RenderedScene>> = rendered.and_then(|all| all.into_iter().collect());
    if rendered.is_ok() {
        lease.keep_idle(&run.job.id);
    }
    rendered
}

async fn render_one(
    run: &JobRun,
    lease: &WarmLease,
    plan: &ScenePlan,
    mut sc: SceneCode,
    tok: &CancellationToken,
    done: &AtomicU32,
    n: u32,
) -> Result<RenderedScene> {
    let i = sc.index;
    let quality = run.opts.quality;
    let mut attempt = 0;
    // A person's code is never rewritten: no layout fixes, and a failed render fails the scene.
    let mut layout = if sc.by_person {
        LayoutFixes::none()
    } else {
        LayoutFixes::default()
    };
    loop {
        if tok.is_cancelled() {
            return Err(Error::Cancelled);
        }
        let out = run.cache.render_path(i, quality, &sc.code);
        let mut record = run.scene_record(i, &plan.title, SceneStatus::Rendering);
        record.code_version = Some(sc.version);
        if let Some(reused) = reuse(run, &out, &mut record, &sc, tok).await {
            return Ok(reused);
        }
        // One render of this code at a time across jobs and processes; the others wait for it.
        let lock = lock::lock(&out, tok, || {
            run.tracker.detail(
                Stage::SceneRendering,
                done.load(Ordering::SeqCst),
                n,
                0.0,
                format!("Scene {i} of {n}: waiting for another job rendering this scene"),
            );
        })
        .await?;
        if let Some(reused) = reuse(run, &out, &mut record, &sc, tok).await {
            run.log(format!("scene {i}: reused the render another job made"));
            return Ok(reused);
        }
        // This attempt's own scratch dir, with the code exactly as chosen (not re-read from the
        // cache, where another job may be saving its own version).
        let work = RenderWork::new(&run.cache.work_root(i), &sc.code)?;
        let failure =
            match check_code(&run.renderer.python, work.script(), &sc.class_name, tok).await? {
                Err(problem) => Retry::Render(problem.clone(), problem),
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
                        .render_scene_with(
                            Some(lease),
                            &work,
                            &sc.class_name,
                            quality,
                            &out,
                            tok,
                            &run.render_log_path(i, sc.version),
                            &mut on_progress,
                        )
                        .await?;
                    match result {
                        Ok(check) => {
                            run.log(format!(
                                "scene {i}: rendered v{} in {:.1} s",
                                sc.version,
                                started.elapsed().as_secs_f64()
                            ));
                            match layout.judge(run, &sc, &out, &check) {
                                Verdict::Keep(kept) => return Ok(keep(run, &mut record, kept)),
                                Verdict::Fix { request, first } => Retry::Layout(request, first),
                            }
                        }
                        Err(f) => Retry::Render(f.last_line, f.tail),
                    }
                }
            };
        drop((work, lock));
        let (error, tries) = match failure {
            Retry::Render(last_line, tail) => {
                attempt += 1;
                run.log(format!("scene {i}: v{} failed: {last_line}", sc.version));
                if sc.by_person {
                    run.log(format!(
                        "scene {i}: v{} is code from the scene studio; it is not sent to the \
                         writer's fix step",
                        sc.version
                    ));
                    return Err(Error::Render {
                        scene: format!("{} ({})", i, plan.title),
                        last_line,
                    });
                }
                if attempt > run.opts.max_fix_attempts {
                    // A layout fix that no longer renders: keep the best version that did.
                    if let Some(kept) = layout.best() {
                        return Ok(keep(run, &mut record, kept));
                    }
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
                (format!("{tail}\n{last_line}"), attempt)
            }
            Retry::Layout(request, first) => {
                let k = layout.used();
                run.log(format!("scene {i}: v{} layout: {first}", sc.version));
                run.tracker.sub(
                    Stage::SceneRendering,
                    done.load(Ordering::SeqCst),
                    n,
                    format!("Scene {i} of {n}: fixing the layout (attempt {k}): {first}"),
                );
                (request, k)
            }
        };
        let fixed = run
            .writer
            .fix_code(
                &run.topic,
                plan,
                &sc.class_name,
                &sc.code,
                &error,
                tries,
                &run.wctx,
            )
            .await?;
        let version = run.save_fixed_code(i, sc.version, &fixed)?;
        sc = SceneCode {
            version,
            code: fixed,
            ..sc
        };
    }
}

/// Why a version goes back to the writer: a render error (last line, log tail) or layout errors
/// (the fix request, the first fault in words).
enum Retry {
    Render(String, String),
    Layout(String, String),
}

/// Records `kept` as the scene's rendered version.
fn keep(run: &JobRun, record: &mut crate::model::job::SceneRecord, kept: Kept) -> RenderedScene {
    record.status = SceneStatus::Rendered;
    record.code_version = Some(kept.version);
    record.video = Some(kept.video.clone());
    let _ = run.store.upsert_scene(&run.job.id, record);
    RenderedScene {
        index: record.index,
        video: kept.video,
        cached: false,
        version: kept.version,
        code: kept.code,
    }
}

/// A valid render already at `out` (made earlier, or by another job just now), recorded as
/// cached with the layout check kept beside it.
async fn reuse(
    run: &JobRun,
    out: &std::path::Path,
    record: &mut crate::model::job::SceneRecord,
    sc: &SceneCode,
    tok: &CancellationToken,
) -> Option<RenderedScene> {
    if !run.renderer.is_valid_video(out, tok).await {
        return None;
    }
    record.status = SceneStatus::Cached;
    record.video = Some(out.to_path_buf());
    let _ = run.store.upsert_scene(&run.job.id, record);
    let check = LayoutCheck::load_beside(out).unwrap_or_else(|| {
        LayoutCheck::not_checked("a cached render with no layout check kept beside it")
    });
    if let Some(version) = record.code_version {
        layout_fix::record(run, record.index, version, &check);
    }
    Some(RenderedScene {
        index: record.index,
        video: out.to_path_buf(),
        cached: true,
        version: sc.version,
        code: sc.code.clone(),
    })
}
