//! Unique temp files beside their target, renamed into place: the one way every artefact is
//! written, so that two writers of one target (two jobs, two scenes saying the same sentence)
//! never share a temp file, and a reader never sees half a file.

use crate::error::{Error, IoContext, Result};
use std::path::Path;
use tempfile::TempPath;

/// A new, empty, uniquely named file in `target`'s folder (created if missing), removed when
/// dropped unless [`persist`]ed. It keeps the target's extension, so tools that pick a format
/// by name (ffmpeg) write the right one; its name contains `.tmp` so that cleanup knows it.
pub fn temp_beside(target: &Path) -> Result<TempPath> {
    let dir = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).ctx(|| format!("creating {}", dir.display()))?;
    let stem = target
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let suffix = target
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default();
    let prefix = format!(".{stem}.tmp-");
    let mut b = tempfile::Builder::new();
    b.prefix(&prefix).suffix(&suffix);
    // Made like any other file (0666 less the umask), not tempfile's private 0600.
    #[cfg(unix)]
    b.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    b.tempfile_in(dir)
        .map(|f| f.into_temp_path())
        .ctx(|| format!("creating a temp file in {}", dir.display()))
}

/// Renames a finished temp file onto `target` (atomic: readers see the old file or the new one).
pub fn persist(tmp: TempPath, target: &Path) -> Result<()> {
    tmp.persist(target)
        .map_err(|e| Error::io(format!("writing {}", target.display()), e.error))
}

/// Renames a finished temp file to `target` only if `target` does not exist yet; returns
/// whether it was placed (an existing target is left as it is and the temp file removed).
pub fn persist_new(tmp: TempPath, target: &Path) -> Result<bool> {
    match tmp.persist_noclobber(target) {
        Ok(()) => Ok(true),
        Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(Error::io(format!("writing {}", target.display()), e.error)),
    }
}

/// Moves a finished file (made in a scratch dir) to `target` atomically: a rename, or across
/// file systems a copy to a temp file beside the target and a rename.
pub fn publish(src: &Path, target: &Path) -> Result<()> {
    let tmp = temp_beside(target)?;
    if std::fs::rename(src, &tmp).is_err() {
        std::fs::copy(src, &tmp)
            .ctx(|| format!("copying {} to {}", src.display(), target.display()))?;
    }
    persist(tmp, target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temp_files_are_unique_keep_the_extension_and_vanish_unless_persisted() {
        let d = tempfile::tempdir().unwrap();
        let target = d.path().join("new/dir/clip.nar-ab.mp4");
        let a = temp_beside(&target).unwrap();
        let b = temp_beside(&target).unwrap();
        assert_ne!(a.to_path_buf(), b.to_path_buf());
        let name = a.file_name().unwrap().to_string_lossy().into_owned();
        assert!(name.ends_with(".mp4") && name.contains(".tmp"), "{name}");
        let b_path = b.to_path_buf();
        drop(b);
        assert!(!b_path.exists(), "an abandoned temp file is removed");
        std::fs::write(&a, b"one").unwrap();
        persist(a, &target).unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"one");
        assert_eq!(
            std::fs::read_dir(target.parent().unwrap()).unwrap().count(),
            1
        );
    }

    #[test]
    fn persist_new_keeps_the_first_writer() {
        let d = tempfile::tempdir().unwrap();
        let target = d.path().join("v1.py");
        let a = temp_beside(&target).unwrap();
        std::fs::write(&a, b"first").unwrap();
        let b = temp_beside(&target).unwrap();
        std::fs::write(&b, b"second").unwrap();
        assert!(persist_new(a, &target).unwrap());
        assert!(!persist_new(b, &target).unwrap());
        assert_eq!(std::fs::read(&target).unwrap(), b"first");
        assert_eq!(std::fs::read_dir(d.path()).unwrap().count(), 1);
    }

    #[test]
    fn publish_moves_a_scratch_file_into_place() {
        let d = tempfile::tempdir().unwrap();
        let src = d.path().join("work/media/Scene01.mp4");
        std::fs::create_dir_all(src.parent().unwrap()).unwrap();
        std::fs::write(&src, b"video").unwrap();
        let target = d.path().join("render/preview-x.mp4");
        publish(&src, &target).unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"video");
        assert!(!src.exists());
    }
}
