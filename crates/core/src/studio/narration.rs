//! New narration text: the scene is narrated again and its code follows the new speech (code
//! the writer timed to the old narration is written again; other code is kept, and the clip
//! holds its last frame while a longer narration runs on).

use super::Target;
use crate::error::Result;
use crate::pipeline::overlay::CodeSource;

pub(super) fn apply(t: &mut Target<'_>, text: &str) -> Result<()> {
    t.src.plan.narration = text.trim().to_string();
    t.src.code = CodeSource::Retimed(t.code());
    t.src.dropped = false;
    Ok(())
}
