//! The layout check in stage 5: a render's error-level findings go back to the writer like a
//! render error, up to `max_layout_fix_attempts` times; then the version with the fewest errors
//! is kept. A layout fault never fails a job.

use super::{JobRun, SceneCode};
use crate::layout::{describe, fix_request, LayoutCheck};
use std::path::{Path, PathBuf};

/// A rendered version of a scene.
#[derive(Debug, Clone)]
pub struct Kept {
    pub version: u32,
    pub video: PathBuf,
    pub code: String,
}

/// What to do with a render.
#[derive(Debug)]
pub enum Verdict {
    /// Use this version (the render just made, or an earlier one with fewer errors).
    Keep(Kept),
    /// Ask the writer for a fix: the fix request, and the first fault in words.
    Fix { request: String, first: String },
}

/// One scene's layout fixes so far.
#[derive(Debug, Default)]
pub struct LayoutFixes {
    used: u32,
    /// Fixes allowed, when not the job's `max_layout_fix_attempts`.
    budget: Option<u32>,
    best: Option<(usize, Kept)>,
}

impl LayoutFixes {
    /// No layout fixes at all: the first render is kept with its findings (code a person wrote).
    pub fn none() -> LayoutFixes {
        LayoutFixes {
            budget: Some(0),
            ..LayoutFixes::default()
        }
    }

    /// Layout fixes asked for so far.
    pub fn used(&self) -> u32 {
        self.used
    }

    /// The version with the fewest errors rendered so far (kept when a fix no longer renders).
    pub fn best(&self) -> Option<Kept> {
        self.best.as_ref().map(|(_, k)| k.clone())
    }

    /// Records a render's layout check and decides. A scene that was not checked (the probe
    /// failed or is not installed) is kept as it is, recorded as not checked.
    pub fn judge(
        &mut self,
        run: &JobRun,
        sc: &SceneCode,
        video: &Path,
        check: &LayoutCheck,
    ) -> Verdict {
        let (index, version) = (sc.index, sc.version);
        let this = Kept {
            version,
            video: video.to_path_buf(),
            code: sc.code.clone(),
        };
        record(run, index, version, check);
        let Some(report) = check.report() else {
            return Verdict::Keep(this);
        };
        let errors = report.errors();
        if errors == 0 {
            return Verdict::Keep(this);
        }
        if self.best.as_ref().is_none_or(|(e, _)| errors < *e) {
            self.best = Some((errors, this));
        }
        if self.used >= self.budget.unwrap_or(run.opts.max_layout_fix_attempts) {
            let kept = self.best().expect("a best version was just recorded");
            let why = if self.budget == Some(0) {
                "code from the scene studio is kept as written"
            } else {
                "layout fixes spent"
            };
            run.log(format!(
                "scene {index}: {why}; keeping v{} with its findings",
                kept.version
            ));
            return Verdict::Keep(kept);
        }
        self.used += 1;
        let first = report
            .findings
            .iter()
            .find(|f| f.is_error())
            .map(describe)
            .unwrap_or_default();
        Verdict::Fix {
            request: fix_request(&report.findings),
            first,
        }
    }
}

/// Stores a version's layout check (for `show --json` and the desktop) and logs it.
pub fn record(run: &JobRun, index: u32, version: u32, check: &LayoutCheck) {
    if let Err(e) = run.store.record_check(&run.job.id, index, version, check) {
        run.log(format!(
            "scene {index}: cannot store the layout findings: {e}"
        ));
    }
    match check {
        LayoutCheck::Checked { report } => run.log(format!(
            "scene {index}: v{version} layout: {} errors, {} warnings",
            report.errors(),
            report.warnings()
        )),
        LayoutCheck::NotChecked { why } => run.log(format!(
            "scene {index}: v{version} layout not checked: {why}"
        )),
    }
}
