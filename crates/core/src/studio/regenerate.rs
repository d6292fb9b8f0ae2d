//! The writer writes the scene's code from its plan again. An LLM writer makes a new
//! generation; the offline storyboard writer is deterministic, so the same plan and narration
//! give the same code (and the render is reused).

use super::Target;
use crate::error::Result;
use crate::pipeline::overlay::CodeSource;

pub(super) fn apply(t: &mut Target<'_>) -> Result<()> {
    t.src.code = CodeSource::Write;
    t.src.dropped = false;
    Ok(())
}
