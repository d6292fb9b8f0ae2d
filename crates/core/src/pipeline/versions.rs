//! Scene and video versions as runs make them: version 0 of every scene and of the video when a
//! job first completes, a new version of the edited scene and of the video after an edit; and
//! the job's own scenes ([`Overlay`]) built from its current versions.

use super::overlay::{self, CodeSource, Overlay, SceneSource};
use super::{JobRun, RenderedScene};
use crate::cache::TopicCache;
use crate::error::{Error, IoContext, Result};
use crate::model::job::{short_id, JobRecord, JobStatus};
use crate::model::plan::ScenePlan;
use crate::model::versions::{ChangeKind, SceneVersion, VideoVersion};
use crate::store::Store;
use crate::util::fs::write_atomic;
use std::path::Path;

/// Saves a version of one scene of a job: its code in the job's own file, its plan beside it
/// (once), the version in the store.
#[allow(clippy::too_many_arguments)]
pub fn save_scene_version(
    store: &Store,
    job_id: &str,
    out_dir: &Path,
    plan: &ScenePlan,
    version: u32,
    change: ChangeKind,
    code: &str,
    from_version: Option<u32>,
) -> Result<SceneVersion> {
    let code_path = overlay::code_file(out_dir, plan.index, version);
    write_atomic(&code_path, code.as_bytes())?;
    let plan_path = overlay::plan_file(out_dir, plan.index);
    if !plan_path.is_file() {
        let text =
            serde_json::to_string_pretty(plan).map_err(|e| Error::Internal(e.to_string()))?;
        write_atomic(&plan_path, text.as_bytes())?;
    }
    let v = SceneVersion {
        index: plan.index,
        version,
        change,
        narration: plan.narration.clone(),
        code_path,
        created_at: crate::store::versions_now(),
        from_version,
    };
    store.add_scene_version(job_id, &v)?;
    Ok(v)
}

/// Records what a finished run made, just before the job completes.
pub fn record(
    run: &JobRun,
    plans: &[ScenePlan],
    rendered: &[RenderedScene],
    video: &Path,
    duration: f64,
) -> Result<VideoVersion> {
    let store = &run.store;
    let id = &run.job.id;
    let (version, change, scene, note) = match &run.overlay {
        None => {
            if store.current_scene_versions(id)?.is_empty() {
                for (plan, r) in plans.iter().zip(rendered) {
                    save_scene_version(
                        store,
                        id,
                        &run.out_dir,
                        plan,
                        0,
                        ChangeKind::Generated,
                        &r.code,
                        None,
                    )?;
                }
            }
            let v = store.next_video_version(id)?;
            (v, ChangeKind::Generated, None, "generated".to_string())
        }
        Some(o) => match &o.edit {
            None => (
                o.video_version,
                ChangeKind::Retry,
                None,
                "made again from the job's scenes".to_string(),
            ),
            Some(e) => {
                let src = o
                    .scene(e.index)
                    .ok_or_else(|| Error::Internal(format!("no scene {} to record", e.index)))?;
                let code = match rendered.iter().find(|r| r.index == e.index) {
                    Some(r) => r.code.clone(),
                    None => match &src.code {
                        CodeSource::Given(c) | CodeSource::Person(c) | CodeSource::Retimed(c) => {
                            c.clone()
                        }
                        _ => return Err(Error::Internal("a dropped scene without code".into())),
                    },
                };
                save_scene_version(
                    store,
                    id,
                    &run.out_dir,
                    &src.plan,
                    src.version,
                    e.change,
                    &code,
                    e.from_version,
                )?;
                (o.video_version, e.change, Some(e.index), e.note.clone())
            }
        },
    };
    let v = VideoVersion {
        version,
        change,
        scene,
        video: video.to_path_buf(),
        duration_secs: Some(duration),
        created_at: crate::store::versions_now(),
        note,
    };
    store.add_video_version(id, &v)?;
    Ok(v)
}

/// The job's own scenes from its current versions (`None`: the job has none, it runs from the
/// topic cache). A job that never completed gets version 0 of each scene here, from what the
/// pipeline made (the topic cache's plan and the code it chose or tried last).
pub fn current_overlay(store: &Store, job: &JobRecord) -> Result<Option<Overlay>> {
    let out_dir = match &job.output_dir {
        Some(d) => d.clone(),
        None => return Ok(None),
    };
    let mut current = store.current_scene_versions(&job.id)?;
    if current.is_empty() {
        return Ok(None);
    }
    current.sort_by_key(|v| v.index);
    let mut scenes = Vec::with_capacity(current.len());
    for v in current {
        let plan = job_plan(&out_dir, &v)?;
        let code = std::fs::read_to_string(&v.code_path)
            .ctx(|| format!("reading scene {}'s code {}", v.index, v.code_path.display()))?;
        scenes.push(SceneSource {
            plan,
            code: CodeSource::Given(code),
            version: v.version,
            dropped: v.is_dropped(),
        });
    }
    Ok(Some(Overlay {
        scenes,
        edit: None,
        video_version: store.next_video_version(&job.id)?,
    }))
}

/// A scene's plan as the job keeps it, with the version's narration.
pub fn job_plan(out_dir: &Path, v: &SceneVersion) -> Result<ScenePlan> {
    let path = overlay::plan_file(out_dir, v.index);
    let text =
        std::fs::read_to_string(&path).ctx(|| format!("reading the plan {}", path.display()))?;
    let mut plan: ScenePlan = serde_json::from_str(&text)
        .map_err(|e| Error::Storage(format!("the plan {} is damaged: {e}", path.display())))?;
    plan.index = v.index;
    plan.narration = v.narration.clone();
    Ok(plan)
}

/// Version 0 of every scene of a job that has no versions yet (a job made before the studio, or
/// one that failed), from the topic cache: each scene's plan and the code it rendered or tried
/// last. Every scene must have a plan and code.
pub fn first_versions(store: &Store, job: &JobRecord) -> Result<()> {
    if !store.current_scene_versions(&job.id)?.is_empty() {
        return Ok(());
    }
    let (Some(cache_dir), Some(out_dir)) = (&job.cache_dir, &job.output_dir) else {
        return Err(no_scenes(job));
    };
    let cache = TopicCache::at(cache_dir.clone());
    let records = store.scenes(&job.id)?;
    if records.is_empty() {
        return Err(no_scenes(job));
    }
    let mut made = Vec::new();
    for rec in &records {
        let plan = cache.load_plan(rec.index).ok_or_else(|| no_scenes(job))?;
        let version = rec
            .code_version
            .filter(|v| cache.code_path(rec.index, *v).is_file())
            .or_else(|| cache.code_versions(rec.index).first().copied())
            .ok_or_else(|| no_scenes(job))?;
        let code = std::fs::read_to_string(cache.code_path(rec.index, version))
            .ctx(|| format!("reading scene {}'s code", rec.index))?;
        made.push((plan, code));
    }
    for (plan, code) in made {
        save_scene_version(
            store,
            &job.id,
            out_dir,
            &plan,
            0,
            ChangeKind::Generated,
            &code,
            None,
        )?;
    }
    if job.status == JobStatus::Completed && store.next_video_version(&job.id)? == 0 {
        if let Some(video) = &job.video {
            store.add_video_version(
                &job.id,
                &VideoVersion {
                    version: 0,
                    change: ChangeKind::Generated,
                    scene: None,
                    video: video.clone(),
                    duration_secs: job.duration_secs,
                    created_at: job
                        .finished_at
                        .map(crate::store::ts)
                        .unwrap_or_else(crate::store::versions_now),
                    note: "generated".into(),
                },
            )?;
        }
    }
    Ok(())
}

fn no_scenes(job: &JobRecord) -> Error {
    Error::Conflict(format!(
        "job {} has no scenes with code yet; resume it first (theory2video resume {})",
        short_id(&job.id),
        short_id(&job.id)
    ))
}
