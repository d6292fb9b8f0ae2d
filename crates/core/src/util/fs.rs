//! File-system helpers.

use crate::error::{IoContext, Result};
use std::path::Path;

/// Writes a file atomically (a uniquely named temp file beside it, then a rename), so a crash
/// never leaves half a file and two writers at once never share a temp file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = super::tmp::temp_beside(path)?;
    std::fs::write(&tmp, bytes).ctx(|| format!("writing {}", tmp.display()))?;
    super::tmp::persist(tmp, path)
}
