//! The layout check measured on Manim's own documentation examples (see
//! `crates/core/python/t2v_layout_corpus.py`): the false-positive rate on human-made layouts, the
//! share of injected defects caught, and the probe's cost (probe off/on, side by side). The bench's
//! "layout" group calls [`Renderer::layout_corpus`].

use super::{process, Renderer};
use crate::error::{Error, IoContext, Result};
use crate::layout::probe::ProbeFiles;
use serde::Deserialize;
use std::path::Path;
use tokio_util::sync::CancellationToken;

/// What to measure.
#[derive(Debug, Clone, Default)]
pub struct CorpusOptions {
    /// Only the first N examples (alphabetical); 0 = all.
    pub limit: usize,
    /// Also render this many animated examples for real, probe off and on.
    pub cost_scenes: usize,
}

#[derive(Debug, Clone, Deserialize)]
pub struct DefectCount {
    pub caught: u32,
    pub injected: u32,
}

/// The corpus runner's summary (its report file has every example's findings too).
#[derive(Debug, Clone, Deserialize)]
pub struct CorpusSummary {
    pub examples: u32,
    pub ran: u32,
    pub failed_to_run: u32,
    pub two_d: u32,
    pub two_d_animated: u32,
    pub three_d: u32,
    pub two_d_flagged: u32,
    pub flagged_rate: Option<f64>,
    pub flagged: Vec<String>,
    pub with_warnings: u32,
    pub defects: std::collections::BTreeMap<String, DefectCount>,
    pub caught_rate: Option<f64>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct CorpusCost {
    pub off_seconds: f64,
    pub on_seconds: f64,
    pub ratio: Option<f64>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct CorpusReport {
    pub summary: CorpusSummary,
    #[serde(default)]
    pub cost: Option<CorpusCost>,
}

impl Renderer {
    /// Runs the corpus in the sandbox, with `work` as its scratch dir; the full report is left
    /// in `work/corpus.json`.
    pub async fn layout_corpus(
        &self,
        probe: &ProbeFiles,
        work: &Path,
        opts: &CorpusOptions,
        cancel: &CancellationToken,
    ) -> Result<CorpusReport> {
        std::fs::create_dir_all(work).ctx(|| format!("creating {}", work.display()))?;
        let out = work.join("corpus.json");
        let mut args = vec![
            probe.corpus().to_string_lossy().into_owned(),
            "--out".into(),
            out.to_string_lossy().into_owned(),
            "--work".into(),
            work.join("examples").to_string_lossy().into_owned(),
            "--limit".into(),
            opts.limit.to_string(),
            "--cost".into(),
            opts.cost_scenes.to_string(),
        ];
        if let Some(t) = &self.tex_template {
            args.push("--tex-template".into());
            args.push(t.to_string_lossy().into_owned());
        }
        let (mut read_only, env) = self.manim_sandbox_parts(work);
        read_only.push(probe.dir.clone());
        let cmd = self
            .sandbox
            .command(&self.python.python(), &args, work, &read_only, &env);
        let child = process::run(cmd, "layout corpus", cancel, None, |_| {}).await?;
        if !child.status.success() {
            return Err(Error::Media(format!(
                "the layout corpus failed: {}",
                child.last_error_line()
            )));
        }
        let text = std::fs::read_to_string(&out).ctx(|| format!("reading {}", out.display()))?;
        serde_json::from_str(&text)
            .map_err(|e| Error::Internal(format!("the corpus report is not valid: {e}")))
    }
}
