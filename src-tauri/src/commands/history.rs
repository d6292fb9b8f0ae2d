//! Progress subscription and the history: paged list, stats, details.

use super::{fail, CmdResult};
use crate::Desk;
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::path::PathBuf;
use std::sync::Arc;
use t2v_core::job::{EventRecord, JobStats};
use t2v_core::manager::{ManagerEvent, Slot};
use t2v_core::progress::Stage;
use t2v_core::{ErrorPayload, JobQuery, JobRecord, JobStatus};
use tauri::ipc::Channel;
use tauri::State;

/// Lines of the job log shown in details and in the live view.
pub const LOG_TAIL_LINES: usize = 40;

/// One history row: what the table shows.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct JobRow {
    pub id: String,
    pub topic: String,
    pub status: JobStatus,
    pub stage: Stage,
    pub stage_label: &'static str,
    pub progress: f64,
    pub message: String,
    pub quality: t2v_core::Quality,
    pub writer: String,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    pub duration_secs: Option<f64>,
    pub thumbnail: Option<PathBuf>,
    pub video: Option<PathBuf>,
    pub error: Option<ErrorPayload>,
    /// Queued or running in this app (not only according to the database).
    pub slot: Option<Slot>,
}

impl JobRow {
    pub fn new(j: &JobRecord, slot: Option<Slot>) -> Self {
        JobRow {
            id: j.id.clone(),
            topic: j.topic.clone(),
            status: j.status,
            stage: j.stage,
            stage_label: j.stage.label(),
            progress: j.progress,
            message: j.message.clone(),
            quality: j.quality,
            writer: j.writer.clone(),
            created_at: j.created_at,
            started_at: j.started_at,
            finished_at: j.finished_at,
            duration_secs: j.duration_secs,
            thumbnail: j.thumbnail.clone().filter(|p| p.exists()),
            video: j.video.clone().filter(|p| p.exists()),
            error: j.error.clone(),
            slot,
        }
    }
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct JobPage {
    pub jobs: Vec<JobRow>,
    /// Jobs matching the filters (for paging).
    pub total: u64,
    pub offset: u32,
    pub limit: u32,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct JobDetail {
    pub job: JobRow,
    pub description: String,
    pub source_path: Option<PathBuf>,
    pub output_dir: Option<PathBuf>,
    pub model: Option<String>,
    pub max_scenes: Option<u32>,
    /// LLM tokens and cost of the whole job (the store records them per job, not per stage).
    pub tokens_in: u64,
    pub tokens_out: u64,
    pub cost_usd: f64,
    pub events: Vec<EventRecord>,
    pub scenes: Vec<super::studio::SceneCard>,
    pub log: Vec<String>,
}

/// Streams the manager's progress events (throttled to ~30/s per job; first, milestones and
/// last always) and job endings to the web view. Returns an id for `unsubscribe`.
#[tauri::command]
#[specta::specta]
pub fn subscribe(desk: State<'_, Desk>, on_event: Channel<ManagerEvent>) -> u64 {
    desk.manager.subscribe(Arc::new(move |e: &ManagerEvent| {
        on_event.send(e.clone()).is_ok()
    }))
}

#[tauri::command]
#[specta::specta]
pub fn unsubscribe(desk: State<'_, Desk>, id: u64) {
    desk.manager.unsubscribe(id);
}

/// A page of the history, newest first, with search (topic text) and a status filter.
#[tauri::command]
#[specta::specta]
pub fn list_jobs(desk: State<'_, Desk>, query: Option<JobQuery>) -> CmdResult<JobPage> {
    let mut q = query.unwrap_or_default();
    q.limit = if q.limit == 0 { 20 } else { q.limit.min(200) };
    let app = desk.manager.app();
    let jobs = fail(app.jobs(&q))?;
    let total = fail(app.count_jobs(&q))?;
    Ok(JobPage {
        jobs: jobs
            .iter()
            .map(|j| JobRow::new(j, desk.manager.slot(&j.id)))
            .collect(),
        total,
        offset: q.offset,
        limit: q.limit,
    })
}

#[tauri::command]
#[specta::specta]
pub fn job_stats(desk: State<'_, Desk>) -> CmdResult<JobStats> {
    fail(desk.manager.app().stats())
}

/// Everything about one job: record, stage timeline, scenes, log tail and error.
#[tauri::command]
#[specta::specta]
pub fn job_detail(desk: State<'_, Desk>, id: String) -> CmdResult<JobDetail> {
    let app = desk.manager.app();
    let j = fail(app.job(&id))?;
    let events = fail(app.events(&j.id))?;
    let scenes = fail(
        app.scenes(&j.id)
            .and_then(|s| super::studio::scene_cards(app, &j.id, s)),
    )?;
    let log = app.log_tail(&j, LOG_TAIL_LINES).unwrap_or_default();
    Ok(JobDetail {
        job: JobRow::new(&j, desk.manager.slot(&j.id)),
        description: j.description.clone(),
        source_path: j.source_path.clone(),
        output_dir: j.output_dir.clone(),
        model: j.model.clone(),
        max_scenes: j.request.options.max_scenes,
        tokens_in: j.tokens.input,
        tokens_out: j.tokens.output,
        cost_usd: j.cost_usd,
        events,
        scenes,
        log,
    })
}

/// Jobs queued or running in this app, running first.
#[tauri::command]
#[specta::specta]
pub fn active_jobs(desk: State<'_, Desk>) -> CmdResult<Vec<JobRow>> {
    let app = desk.manager.app();
    desk.manager
        .active()
        .into_iter()
        .map(|(id, slot)| fail(app.job(&id)).map(|j| JobRow::new(&j, Some(slot))))
        .collect()
}
