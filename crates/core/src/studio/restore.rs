//! Brings back an earlier version of the scene (its narration and code) as a new version.

use super::Target;
use crate::error::{Error, IoContext, Result};
use crate::model::job::{short_id, JobRecord};
use crate::pipeline::overlay::CodeSource;

/// Returns the version restored (the new version's `from_version`).
pub(super) fn apply(t: &mut Target<'_>, version: u32, job: &JobRecord) -> Result<Option<u32>> {
    let index = t.src.plan.index;
    let Some(v) = t.versions.iter().find(|v| v.version == version) else {
        let have: Vec<String> = t.versions.iter().map(|v| v.version.to_string()).collect();
        return Err(Error::NotFound(format!(
            "version {version} of scene {index} of job {} (it has version{} {})",
            short_id(&job.id),
            if have.len() == 1 { "" } else { "s" },
            have.join(", ")
        )));
    };
    let code = std::fs::read_to_string(&v.code_path)
        .ctx(|| format!("reading version {version}'s code {}", v.code_path.display()))?;
    t.src.plan.narration = v.narration.clone();
    t.src.code = CodeSource::Given(code);
    t.src.dropped = v.is_dropped();
    if t.src.dropped && t.kept_scenes <= 1 {
        return Err(super::drop::last_scene(index));
    }
    Ok(Some(version))
}
