//! Renders the scene's current version again with fresh fix attempts (for a scene that failed
//! after all of them; a scene whose render is valid reuses it).

use super::Target;
use crate::error::Result;
use crate::pipeline::overlay::CodeSource;

pub(super) fn apply(t: &mut Target<'_>) -> Result<()> {
    t.src.code = CodeSource::Given(t.code());
    t.src.dropped = false;
    Ok(())
}
