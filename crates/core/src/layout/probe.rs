//! The probe's Python files (kept in `crates/core/python/`, embedded here) and how to launch it.
//! They are written once into a content-addressed folder (so an upgrade never runs a stale
//! copy), which the render's sandbox sees read-only.

use crate::error::{Error, Result};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// The launcher and `install()` API.
pub const PROBE_PY: &str = include_str!("../../python/t2v_layout_probe.py");
/// Boxes, visibility, text units.
pub const GEOMETRY_PY: &str = include_str!("../../python/t2v_layout_geometry.py");
/// The documentation-example corpus runner (the bench's "layout" group).
pub const CORPUS_PY: &str = include_str!("../../python/t2v_layout_corpus.py");

const FILES: &[(&str, &str)] = &[
    ("t2v_layout_probe.py", PROBE_PY),
    ("t2v_layout_geometry.py", GEOMETRY_PY),
    ("t2v_layout_corpus.py", CORPUS_PY),
];

/// Where the probe's files are on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeFiles {
    pub dir: PathBuf,
}

impl ProbeFiles {
    /// Writes the files into `root/layout-probe-<hash>/` unless they are there already.
    pub fn install(root: &Path) -> Result<ProbeFiles> {
        let mut h = Sha256::new();
        for (name, body) in FILES {
            h.update(name.as_bytes());
            h.update(body.as_bytes());
        }
        let tag = hex::encode(&h.finalize()[..6]);
        let dir = root.join(format!("layout-probe-{tag}"));
        std::fs::create_dir_all(&dir)
            .map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
        for (name, body) in FILES {
            let path = dir.join(name);
            if std::fs::read_to_string(&path).ok().as_deref() == Some(*body) {
                continue;
            }
            crate::util::fs::write_atomic(&path, body.as_bytes())?;
        }
        Ok(ProbeFiles { dir })
    }

    pub fn launcher(&self) -> PathBuf {
        self.dir.join("t2v_layout_probe.py")
    }

    pub fn corpus(&self) -> PathBuf {
        self.dir.join("t2v_layout_corpus.py")
    }

    /// The interpreter's arguments that run `manim <manim_args>` under the probe, which writes
    /// its findings to `findings` and attributes mobjects to lines of `scene_file`.
    pub fn launcher_args(
        &self,
        findings: &Path,
        scene_file: &Path,
        manim_args: &[String],
    ) -> Vec<String> {
        let mut args = vec![
            self.launcher().to_string_lossy().into_owned(),
            "--findings".into(),
            findings.to_string_lossy().into_owned(),
            "--scene-file".into(),
            scene_file.to_string_lossy().into_owned(),
            "--".into(),
        ];
        args.extend(manim_args.iter().cloned());
        args
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn installs_once_and_repairs_a_damaged_copy() {
        let d = tempfile::tempdir().unwrap();
        let p = ProbeFiles::install(d.path()).unwrap();
        assert_eq!(std::fs::read_to_string(p.launcher()).unwrap(), PROBE_PY);
        std::fs::write(p.dir.join("t2v_layout_geometry.py"), "broken").unwrap();
        let again = ProbeFiles::install(d.path()).unwrap();
        assert_eq!(again, p);
        assert_eq!(
            std::fs::read_to_string(p.dir.join("t2v_layout_geometry.py")).unwrap(),
            GEOMETRY_PY
        );
        let args = p.launcher_args(
            Path::new("/w/f.json"),
            Path::new("/w/s.py"),
            &["render".into()],
        );
        assert_eq!(
            args[1..],
            [
                "--findings",
                "/w/f.json",
                "--scene-file",
                "/w/s.py",
                "--",
                "render"
            ]
        );
    }
}
