//! An instruction for the job's LLM writer: the instruction, the current code, the plan and the
//! layout findings on that code go to `Writer::revise_code`, which returns the new version.

use super::Target;
use crate::app::App;
use crate::error::{Error, Result};
use crate::model::job::JobRecord;
use crate::pipeline::overlay::CodeSource;

pub(super) fn apply(
    t: &mut Target<'_>,
    instruction: &str,
    app: &App,
    job: &JobRecord,
) -> Result<()> {
    if !t.writer.can_revise() {
        return Err(Error::Unsupported(t.writer.revise_refusal()));
    }
    let index = t.src.plan.index;
    let rendered = app
        .store
        .scenes(&job.id)?
        .into_iter()
        .find(|s| s.index == index)
        .and_then(|s| s.code_version);
    let findings = app
        .store
        .scene_findings(&job.id, index)?
        .into_iter()
        .find(|(v, _)| Some(*v) == rendered)
        .map(|(_, f)| f)
        .unwrap_or_default();
    t.src.code = CodeSource::Revise {
        code: t.code(),
        instruction: instruction.trim().to_string(),
        findings,
    };
    t.src.dropped = false;
    Ok(())
}
