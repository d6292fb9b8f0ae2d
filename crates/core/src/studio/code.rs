//! New code, typed or loaded by a person: rendered as given, never rewritten by the writer (a
//! render failure fails the edit and keeps the last good video; layout findings are shown).

use super::Target;
use crate::error::Result;
use crate::pipeline::overlay::CodeSource;

pub(super) fn apply(t: &mut Target<'_>, code: &str) -> Result<()> {
    t.src.code = CodeSource::Person(code.to_string());
    t.src.dropped = false;
    Ok(())
}
