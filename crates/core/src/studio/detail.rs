//! One scene as the studio shows it.

use crate::app::App;
use crate::cache::TopicCache;
use crate::error::{Error, Result};
use crate::model::job::short_id;
use crate::model::versions::SceneDetail;
use crate::pipeline::overlay;
use crate::pipeline::versions::job_plan;
use std::path::PathBuf;

/// Lines of the render log shown.
const LOG_LINES: usize = 40;

impl App {
    /// Scene `index` of `job` (an id or a unique prefix): its current version, narration, plan,
    /// code, clip, snapshot, render log, error, findings and every version.
    pub fn scene_detail(&self, job: &str, index: u32) -> Result<SceneDetail> {
        let job = self.store.job(job)?;
        let records = self.store.scenes(&job.id)?;
        let n = records.len();
        let rec = records
            .into_iter()
            .find(|s| s.index == index)
            .ok_or_else(|| {
                Error::NotFound(format!(
                    "scene {index} of job {} (it has {n} scene{})",
                    short_id(&job.id),
                    if n == 1 { "" } else { "s" }
                ))
            })?;
        let versions = self.store.scene_versions(&job.id, index)?;
        let cache = job.cache_dir.clone().map(TopicCache::at);
        let out_dir = job.output_dir.clone().unwrap_or_default();
        let (version, narration, plan, code_path, log) = match (versions.last(), &cache) {
            (Some(v), _) => {
                let plan = job_plan(&out_dir, v).ok();
                // Version 0 rendered from the cache; later versions log beside the job's code.
                let log = match (v.version, &cache, rec.code_version) {
                    (0, Some(c), Some(cv)) => c.log_path(index, cv),
                    _ => overlay::log_file(&out_dir, index, rec.code_version.unwrap_or(v.version)),
                };
                (
                    v.version,
                    v.narration.clone(),
                    plan,
                    v.code_path.clone(),
                    log,
                )
            }
            (None, Some(c)) => {
                let plan = c.load_plan(index);
                let cv = rec
                    .code_version
                    .or_else(|| c.code_versions(index).first().copied())
                    .unwrap_or(0);
                let narration = plan
                    .as_ref()
                    .map(|p| p.narration.clone())
                    .unwrap_or_default();
                (
                    0,
                    narration,
                    plan,
                    c.code_path(index, cv),
                    c.log_path(index, cv),
                )
            }
            (None, None) => (0, String::new(), None, PathBuf::new(), PathBuf::new()),
        };
        let code = std::fs::read_to_string(&code_path).unwrap_or_default();
        let plan_text = plan
            .map(|p| {
                format!(
                    "Storyboard:\n{}\n\nTechnical notes:\n{}",
                    p.storyboard.trim(),
                    p.technical_notes.trim()
                )
            })
            .unwrap_or_default();
        let render_log = std::fs::read_to_string(&log)
            .map(|t| {
                let lines: Vec<&str> = t.lines().collect();
                lines[lines.len().saturating_sub(LOG_LINES)..]
                    .iter()
                    .map(|s| s.to_string())
                    .collect()
            })
            .unwrap_or_default();
        let findings = self
            .store
            .scene_findings(&job.id, index)?
            .into_iter()
            .find(|(v, _)| Some(*v) == rec.code_version)
            .map(|(_, f)| f)
            .unwrap_or_default();
        let revise_unsupported = match self.writer(&job.request.options.writer) {
            Ok(w) if w.can_revise() => None,
            Ok(w) => Some(w.revise_refusal()),
            Err(e) => Some(e.to_string()),
        };
        Ok(SceneDetail {
            index,
            title: rec.title,
            status: rec.status,
            version,
            duration_secs: rec.duration_secs,
            narration,
            plan: plan_text,
            code,
            code_path,
            video: rec.video,
            snapshot: rec.snapshot,
            render_log,
            error: rec.error,
            findings,
            dropped: versions.last().is_some_and(|v| v.is_dropped()),
            revise_unsupported,
            versions,
        })
    }
}
