//! Starting and controlling jobs: from the form, from topic files, cancel/resume/re-run/delete.

use super::{fail, CmdResult};
use crate::Desk;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use t2v_core::error::InputProblem;
use t2v_core::{Error, ErrorPayload, JobOptions, JobRecord, Quality, Topic};
use tauri::State;

pub const MIN_DESCRIPTION_CHARS: usize = 10;
/// Topics listed per file in a preview.
const PREVIEW_TITLES: usize = 5;

/// Per-job choices; anything left out comes from the settings.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct StartOptions {
    pub quality: Option<Quality>,
    pub writer: Option<String>,
    /// Cap on the number of scenes (1–7).
    pub max_scenes: Option<u32>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StartJob {
    pub topic: String,
    pub description: String,
    #[serde(default)]
    pub options: StartOptions,
}

/// One topic file as the drop zone previews it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FileSummary {
    pub path: String,
    pub name: String,
    /// Topics in the file (a TheoremExplainBench JSON has one per entry).
    pub count: usize,
    pub titles: Vec<String>,
    pub error: Option<ErrorPayload>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StartReport {
    pub jobs: Vec<JobRecord>,
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
        if !(1..=t2v_core::writer::MAX_SCENES as u32).contains(&n) {
            return Err(Error::InvalidField(InputProblem::Other(format!(
                "scenes must be between 1 and {}",
                t2v_core::writer::MAX_SCENES
            ))));
        }
        opts.max_scenes = Some(n);
    }
    Ok(opts)
}

/// Validates the form the same way the UI does (topic ≥ 3 characters, description ≥ 10).
pub fn form_topic(topic: &str, description: &str) -> t2v_core::Result<Topic> {
    if description.trim().chars().count() < MIN_DESCRIPTION_CHARS {
        return Err(Error::InvalidField(InputProblem::DescriptionTooShort));
    }
    Topic::from_form(topic, description)
}

/// Queues one job from the form.
#[tauri::command]
pub fn start_job(desk: State<'_, Desk>, input: StartJob) -> CmdResult<JobRecord> {
    fail((|| {
        let topic = form_topic(&input.topic, &input.description)?;
        let opts = options(&desk, &input.options)?;
        let mut jobs = desk.manager.submit(vec![(topic, None)], opts)?;
        jobs.pop()
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
    Ok(StartReport { jobs, rejected })
}

#[tauri::command]
pub fn cancel_job(desk: State<'_, Desk>, id: String) -> CmdResult<JobRecord> {
    fail(desk.manager.cancel(&id))
}

#[tauri::command]
pub fn resume_job(desk: State<'_, Desk>, id: String) -> CmdResult<JobRecord> {
    fail(desk.manager.resume(&id))
}

#[tauri::command]
pub fn rerun_job(desk: State<'_, Desk>, id: String) -> CmdResult<JobRecord> {
    fail(desk.manager.rerun(&id))
}

/// Deletes a finished job and its outputs; cache another job uses is kept.
#[tauri::command]
pub fn delete_job(desk: State<'_, Desk>, id: String) -> CmdResult<JobRecord> {
    fail(desk.manager.delete(&id))
}
