//! Starting and controlling jobs: from the form, from topic files, cancel/resume/re-run/delete.

use super::history::JobRow;
use super::{fail, CmdResult};
use crate::Desk;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use t2v_core::error::InputProblem;
use t2v_core::form::{FieldProblem, FormInput};
use t2v_core::{Error, ErrorPayload, JobOptions, JobQuery, JobRecord, JobStatus, Quality, Topic};
use tauri::State;

/// Topics listed per file in a preview.
const PREVIEW_TITLES: usize = 5;

/// Per-job choices; anything left out comes from the settings.
#[derive(Debug, Clone, Default, Deserialize, specta::Type)]
#[serde(default)]
pub struct StartOptions {
    pub quality: Option<Quality>,
    pub writer: Option<String>,
    /// Cap on the number of scenes (`FORM_LIMITS.min_scenes`–`max_scenes`).
    pub max_scenes: Option<u32>,
}

/// The New video form: the fields as typed (checked by `t2v_core::form`) and the choices.
#[derive(Debug, Clone, Deserialize, specta::Type)]
pub struct StartJob {
    pub form: FormInput,
    #[serde(default)]
    pub quality: Option<Quality>,
    #[serde(default)]
    pub writer: Option<String>,
}

/// One topic file as the drop zone previews it.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct FileSummary {
    pub path: String,
    pub name: String,
    /// Topics in the file (a TheoremExplainBench JSON has one per entry).
    pub count: usize,
    pub titles: Vec<String>,
    pub error: Option<ErrorPayload>,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct StartReport {
    pub jobs: Vec<JobRow>,
    /// Files that could not be used (the others were queued).
    pub rejected: Vec<FileSummary>,
}

fn options(desk: &Desk, o: &StartOptions) -> t2v_core::Result<JobOptions> {
    let mut opts = desk.manager.job_options();
    if let Some(q) = o.quality {
        opts.quality = q;
    }
    if let Some(w) = o.writer.as_deref().filter(|w| !w.is_empty()) {
        if w != opts.writer.kind {
            opts.writer = t2v_core::WriterSpec {
                kind: w.to_string(),
                ..Default::default()
            };
        }
    }
    if let Some(n) = o.max_scenes {
        let n = t2v_core::form::check_scenes(n)
            .map_err(|p| Error::InvalidField(InputProblem::Other(p.message)))?;
        opts.max_scenes = Some(n);
    }
    Ok(opts)
}

fn row(desk: &Desk, j: &JobRecord) -> JobRow {
    JobRow::new(j, desk.manager.slot(&j.id))
}

/// Every problem of the New video form, by field (empty: it can be submitted). The UI shows
/// these as the person types; `start_job` applies the same rules (`t2v_core::form`).
#[tauri::command]
#[specta::specta]
pub fn check_form(form: FormInput) -> Vec<FieldProblem> {
    t2v_core::form::check(&form)
}

/// Queues one job from the form (`invalid_input` with the first problem if the form is not valid).
#[tauri::command]
#[specta::specta]
pub fn start_job(desk: State<'_, Desk>, input: StartJob) -> CmdResult<JobRow> {
    fail((|| {
        let valid = t2v_core::form::validate(&input.form)?;
        let mut opts = options(
            &desk,
            &StartOptions {
                quality: input.quality,
                writer: input.writer.clone(),
                max_scenes: None,
            },
        )?;
        opts.max_scenes = valid.max_scenes;
        let mut jobs = desk.manager.submit(vec![(valid.topic, None)], opts)?;
        jobs.pop()
            .map(|j| row(&desk, &j))
            .ok_or_else(|| Error::Internal("no job was created".into()))
    })())
}

fn summarize(path: &str) -> (FileSummary, Vec<Topic>) {
    let p = PathBuf::from(path);
    let name = p
        .file_name()
        .map_or_else(|| path.to_string(), |n| n.to_string_lossy().into_owned());
    match t2v_core::topic::parse_file(&p) {
        Ok(topics) => (
            FileSummary {
                path: path.to_string(),
                name,
                count: topics.len(),
                titles: topics
                    .iter()
                    .take(PREVIEW_TITLES)
                    .map(|t| t.title.clone())
                    .collect(),
                error: None,
            },
            topics,
        ),
        Err(e) => (
            FileSummary {
                path: path.to_string(),
                name,
                count: 0,
                titles: Vec::new(),
                error: Some(e.payload()),
            },
            Vec::new(),
        ),
    }
}

/// Reads dropped or chosen topic files and says how many jobs each would make.
#[tauri::command]
#[specta::specta]
pub async fn inspect_files(paths: Vec<String>) -> CmdResult<Vec<FileSummary>> {
    let out = tauri::async_runtime::spawn_blocking(move || {
        paths.iter().map(|p| summarize(p).0).collect::<Vec<_>>()
    })
    .await
    .map_err(|e| Error::Internal(e.to_string()).payload())?;
    Ok(out)
}

/// Queues one job per topic in the files (a JSON list gives one per entry). Unusable files are
/// reported, not fatal; if no file is usable the call fails with the first file's error.
#[tauri::command]
#[specta::specta]
pub async fn start_from_files(
    desk: State<'_, Desk>,
    paths: Vec<String>,
    options: Option<StartOptions>,
) -> CmdResult<StartReport> {
    let opts = fail(self::options(&desk, &options.unwrap_or_default()))?;
    if paths.is_empty() {
        return Err(Error::InvalidField(InputProblem::Other("no files given".into())).payload());
    }
    let parsed = tauri::async_runtime::spawn_blocking(move || {
        paths.iter().map(|p| summarize(p)).collect::<Vec<_>>()
    })
    .await
    .map_err(|e| Error::Internal(e.to_string()).payload())?;
    let mut topics = Vec::new();
    let mut rejected = Vec::new();
    for (summary, ts) in parsed {
        if summary.error.is_some() {
            rejected.push(summary);
        } else {
            let source = PathBuf::from(&summary.path);
            topics.extend(ts.into_iter().map(|t| (t, Some(source.clone()))));
        }
    }
    if topics.is_empty() {
        let first = rejected.first().and_then(|s| s.error.clone());
        return Err(first.unwrap_or_else(|| {
            Error::InvalidField(InputProblem::Other("no topics in the files".into())).payload()
        }));
    }
    let jobs = fail(desk.manager.submit(topics, opts))?;
    let jobs = jobs.iter().map(|j| row(&desk, j)).collect();
    Ok(StartReport { jobs, rejected })
}

#[tauri::command]
#[specta::specta]
pub fn cancel_job(desk: State<'_, Desk>, id: String) -> CmdResult<JobRow> {
    fail(desk.manager.cancel(&id)).map(|j| row(&desk, &j))
}

#[tauri::command]
#[specta::specta]
pub fn resume_job(desk: State<'_, Desk>, id: String) -> CmdResult<JobRow> {
    fail(desk.manager.resume(&id)).map(|j| row(&desk, &j))
}

#[tauri::command]
#[specta::specta]
pub fn rerun_job(desk: State<'_, Desk>, id: String) -> CmdResult<JobRow> {
    fail(desk.manager.rerun(&id)).map(|j| row(&desk, &j))
}

/// Deletes a finished job and its outputs; cache another job uses is kept.
#[tauri::command]
#[specta::specta]
pub fn delete_job(desk: State<'_, Desk>, id: String) -> CmdResult<JobRow> {
    fail(desk.manager.delete(&id)).map(|j| row(&desk, &j))
}

/// The statuses "Clear finished jobs…" removes: jobs that ran to an end. Interrupted jobs stay,
/// since they resume.
pub const CLEARED_STATUSES: [JobStatus; 3] = [
    JobStatus::Completed,
    JobStatus::Failed,
    JobStatus::Cancelled,
];

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct ClearReport {
    /// Jobs deleted with their outputs.
    pub deleted: u32,
    /// Finished jobs kept because they were queued again meanwhile (a resume, an edit).
    pub skipped: u32,
}

/// Deletes every completed, failed and cancelled job and its outputs, one by one through
/// [`JobManager::delete`](t2v_core::manager::JobManager::delete): a cache folder another
/// remaining job uses is kept, and a job queued again meanwhile is skipped.
#[tauri::command]
#[specta::specta]
pub async fn clear_finished_jobs(desk: State<'_, Desk>) -> CmdResult<ClearReport> {
    let manager = desk.manager.clone();
    tauri::async_runtime::spawn_blocking(move || {
        let app = manager.app();
        let mut ids = Vec::new();
        for status in CLEARED_STATUSES {
            let mut q = JobQuery {
                status: Some(status),
                limit: 200,
                ..Default::default()
            };
            loop {
                let page = app.jobs(&q)?;
                if page.is_empty() {
                    break;
                }
                q.offset += page.len() as u32;
                ids.extend(page.into_iter().map(|j| j.id));
            }
        }
        let mut report = ClearReport {
            deleted: 0,
            skipped: 0,
        };
        for id in ids {
            match manager.delete(&id) {
                Ok(_) => report.deleted += 1,
                Err(Error::Conflict(_) | Error::NotFound(_)) => report.skipped += 1,
                Err(e) => return Err(e),
            }
        }
        Ok(report)
    })
    .await
    .map_err(|e| Error::Internal(e.to_string()).payload())?
    .map_err(|e| e.payload())
}
