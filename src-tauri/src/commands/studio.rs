//! The scene studio: a job's scenes as cards, one scene in full, its edits (each a run of the
//! job with live progress, making a new video version) and the video versions. Thin views over
//! the core's `App::scene_detail`, `App::video_versions` and `JobManager::edit_scene`: paths are
//! checked to exist, findings are put in words (`layout::fix_request`), counts are summed.

use super::history::JobRow;
use super::{fail, CmdResult};
use crate::Desk;
use serde::Serialize;
use std::path::PathBuf;
use t2v_core::app::{existing_inside, App};
use t2v_core::job::{SceneRecord, SceneStatus};
use t2v_core::layout::fix_request::{describe, hint};
use t2v_core::layout::Finding;
use t2v_core::model::versions::{ChangeKind, SceneEdit, SceneVersion, VideoVersion};
use t2v_core::Error;
use tauri::State;

/// One scene as a card: what the job view and the studio's rail show.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct SceneCard {
    pub index: u32,
    pub title: String,
    pub status: SceneStatus,
    /// The scene's current version (0: as the pipeline made it).
    pub version: u32,
    /// Left out of the video by "Make the video without this scene".
    pub dropped: bool,
    pub duration_secs: Option<f64>,
    pub snapshot: Option<PathBuf>,
    pub error: Option<String>,
    /// Layout findings of the rendered code; `None`: not checked.
    pub layout_errors: Option<u32>,
    pub layout_warnings: Option<u32>,
}

/// One layout finding in words.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct FindingView {
    pub error: bool,
    pub text: String,
    pub hint: String,
    /// The line of the scene's code that made the mobject.
    pub line: Option<u32>,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct SceneVersionView {
    pub version: u32,
    pub kind: ChangeKind,
    /// RFC 3339.
    pub at: String,
    pub current: bool,
    /// The version it was made from (the restored one for a restore).
    pub from_version: Option<u32>,
}

/// One scene in full, for the studio.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct SceneView {
    #[serde(flatten)]
    pub card: SceneCard,
    pub narration: String,
    pub plan: String,
    pub code: String,
    /// The code file's name (scene_2.py).
    pub code_file: Option<String>,
    /// The scene's own clip.
    pub clip: Option<PathBuf>,
    /// The last lines of its render log.
    pub log: Vec<String>,
    pub findings: Vec<FindingView>,
    /// "Revise with instructions…" can run with this job's writer.
    pub can_revise: bool,
    /// Why it cannot, in words a user can act on.
    pub revise_blocked: Option<String>,
    /// Newest first.
    pub versions: Vec<SceneVersionView>,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct VideoVersionView {
    pub version: u32,
    pub kind: ChangeKind,
    /// The scene the change was made to (`None` for the first video).
    pub scene: Option<u32>,
    /// What changed, in words ("scene 2: narration edited").
    pub note: String,
    /// RFC 3339.
    pub at: String,
    /// The file, when it is still there.
    pub video: Option<PathBuf>,
    pub duration_secs: Option<f64>,
}

fn existing(p: Option<PathBuf>) -> Option<PathBuf> {
    p.filter(|p| p.exists())
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The cards of a job's scenes, in order.
pub fn scene_cards(
    app: &App,
    job_id: &str,
    scenes: Vec<SceneRecord>,
) -> t2v_core::Result<Vec<SceneCard>> {
    let current = app.current_scene_versions(job_id)?;
    scenes
        .into_iter()
        .map(|s| {
            let v = current.iter().find(|v| v.index == s.index);
            card(app, job_id, s, v)
        })
        .collect()
}

fn card(
    app: &App,
    job_id: &str,
    s: SceneRecord,
    current: Option<&SceneVersion>,
) -> t2v_core::Result<SceneCard> {
    let layout = app.scene_layout(job_id, s.index, s.code_version)?;
    Ok(SceneCard {
        index: s.index,
        title: s.title,
        status: s.status,
        version: current.map_or(0, |v| v.version),
        dropped: current.is_some_and(SceneVersion::is_dropped),
        duration_secs: s.duration_secs,
        snapshot: existing(s.snapshot),
        error: s.error,
        layout_errors: layout.as_ref().map(|l| count(l.errors)),
        layout_warnings: layout.as_ref().map(|l| count(l.warnings)),
    })
}

fn finding(f: &Finding) -> FindingView {
    FindingView {
        error: f.is_error(),
        text: describe(f),
        hint: hint(f),
        line: f.line,
    }
}

fn scene_view(app: &App, job_id: &str, index: u32) -> t2v_core::Result<SceneView> {
    let job = app.job(job_id)?;
    let d = app.scene_detail(&job.id, index)?;
    let rec = app
        .scenes(&job.id)?
        .into_iter()
        .find(|s| s.index == index)
        .ok_or_else(|| Error::NotFound(format!("scene {index}")))?;
    let card = card(app, &job.id, rec, d.versions.last())?;
    let current = d.versions.last().map(|v| v.version);
    let mut findings: Vec<FindingView> = d.findings.iter().map(finding).collect();
    findings.sort_by_key(|f| !f.error);
    Ok(SceneView {
        card,
        narration: d.narration,
        plan: d.plan,
        code: d.code,
        code_file: d
            .code_path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned()),
        clip: existing(d.video),
        log: d.render_log,
        findings,
        can_revise: d.revise_unsupported.is_none(),
        revise_blocked: d.revise_unsupported,
        versions: d
            .versions
            .iter()
            .rev()
            .map(|v| SceneVersionView {
                version: v.version,
                kind: v.change,
                at: v.created_at.clone(),
                current: Some(v.version) == current,
                from_version: v.from_version,
            })
            .collect(),
    })
}

fn version_view(v: VideoVersion) -> VideoVersionView {
    VideoVersionView {
        version: v.version,
        kind: v.change,
        scene: v.scene,
        note: v.note,
        at: v.created_at,
        video: existing(Some(v.video)),
        duration_secs: v.duration_secs,
    }
}

/// Scene `index` of a job: its clip, narration, plan, code, log, error, findings, versions.
#[tauri::command]
#[specta::specta]
pub async fn scene_detail(desk: State<'_, Desk>, id: String, index: u32) -> CmdResult<SceneView> {
    let app = desk.manager.app().clone();
    tauri::async_runtime::spawn_blocking(move || scene_view(&app, &id, index))
        .await
        .map_err(|e| Error::Internal(e.to_string()).payload())?
        .map_err(|e| e.payload())
}

/// The job's video versions, newest first.
#[tauri::command]
#[specta::specta]
pub fn video_versions(desk: State<'_, Desk>, id: String) -> CmdResult<Vec<VideoVersionView>> {
    let versions = fail(desk.manager.app().video_versions(&id))?;
    Ok(versions.into_iter().rev().map(version_view).collect())
}

/// Changes scene `index` (new narration or code, an instruction, regenerate, restore, retry,
/// leave out) and queues the job to make a new video version; progress comes as the job's
/// events. Bad input, an active job or a writer that cannot follow instructions is an error
/// here, and nothing changes.
#[tauri::command]
#[specta::specta]
pub fn edit_scene(
    desk: State<'_, Desk>,
    id: String,
    index: u32,
    edit: SceneEdit,
) -> CmdResult<JobRow> {
    let j = fail(desk.manager.edit_scene(&id, index, edit))?;
    Ok(JobRow::new(&j, desk.manager.slot(&j.id)))
}

/// Opens video version `version` of a job in the system player.
#[tauri::command]
#[specta::specta]
pub fn open_video_version(desk: State<'_, Desk>, id: String, version: u32) -> CmdResult<()> {
    let app = desk.manager.app();
    let path = fail((|| {
        let v = app
            .video_versions(&id)?
            .into_iter()
            .find(|v| v.version == version)
            .ok_or_else(|| Error::NotFound(format!("video version {version}")))?;
        existing_inside(app.data(), Some(&v.video), "video")
    })())?;
    super::open::open_path(path)
}
