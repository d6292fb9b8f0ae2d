//! The data dir and its layout. Everything the app writes goes under it.

use crate::error::{Error, Result};
use std::path::{Component, Path, PathBuf};

pub const DATA_DIR_ENV: &str = "THEORY2VIDEO_DATA_DIR";
pub const VENV_ENV: &str = "THEORY2VIDEO_VENV";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataDir {
    root: PathBuf,
}

impl DataDir {
    /// `explicit` (a `--data-dir` flag), else `$THEORY2VIDEO_DATA_DIR`, else the platform data dir.
    pub fn resolve(explicit: Option<&Path>) -> Result<DataDir> {
        let root = match explicit {
            Some(p) => p.to_path_buf(),
            None => match std::env::var_os(DATA_DIR_ENV).filter(|v| !v.is_empty()) {
                Some(v) => PathBuf::from(v),
                None => dirs::data_dir()
                    .ok_or_else(|| Error::Config("no platform data dir; pass --data-dir".into()))?
                    .join("theory2video"),
            },
        };
        DataDir::at(&root)
    }

    /// Uses `root` as the data dir, creating it.
    pub fn at(root: &Path) -> Result<DataDir> {
        let root = if root.is_absolute() {
            root.to_path_buf()
        } else {
            std::env::current_dir()
                .map_err(|e| Error::io("current dir", e))?
                .join(root)
        };
        std::fs::create_dir_all(&root).map_err(|e| {
            Error::Storage(format!(
                "cannot create the data dir {}: {e}",
                root.display()
            ))
        })?;
        let root = root
            .canonicalize()
            .map_err(|e| Error::io(format!("{}", root.display()), e))?;
        Ok(DataDir { root })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }
    pub fn db(&self) -> PathBuf {
        self.root.join("jobs.sqlite3")
    }
    pub fn cache(&self) -> PathBuf {
        self.root.join("cache")
    }
    pub fn videos(&self) -> PathBuf {
        self.root.join("videos")
    }
    pub fn logs(&self) -> PathBuf {
        self.root.join("logs")
    }
    pub fn settings(&self) -> PathBuf {
        self.root.join("settings.json")
    }
    pub fn tex_template(&self) -> PathBuf {
        self.root.join("tex").join("article.tex")
    }
    /// The warm render worker's script (written by the app, read-only to the sandbox).
    pub fn render_worker(&self) -> PathBuf {
        self.root.join("python").join("t2v_render_worker.py")
    }
    /// The Python venv with Manim: `$THEORY2VIDEO_VENV`, else `<data dir>/venv`.
    pub fn venv(&self) -> PathBuf {
        std::env::var_os(VENV_ENV)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .unwrap_or_else(|| self.root.join("venv"))
    }

    /// Joins a relative path made of normal components only; refuses anything that could leave
    /// the data dir.
    pub fn join_safe(&self, rel: &Path) -> Result<PathBuf> {
        if rel.components().all(|c| matches!(c, Component::Normal(_))) {
            Ok(self.root.join(rel))
        } else {
            Err(Error::Internal(format!(
                "refusing path {} outside the data dir",
                rel.display()
            )))
        }
    }

    /// True when `p` is inside the data dir (lexically, after normalising `..`).
    pub fn contains(&self, p: &Path) -> bool {
        let mut out = PathBuf::new();
        for c in p.components() {
            match c {
                Component::ParentDir => {
                    out.pop();
                }
                Component::CurDir => {}
                other => out.push(other),
            }
        }
        out.starts_with(&self.root)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_safe_refuses_escapes() {
        let d = tempfile::tempdir().unwrap();
        let dd = DataDir::at(d.path()).unwrap();
        assert!(dd.join_safe(Path::new("cache/x")).is_ok());
        assert!(dd.join_safe(Path::new("../x")).is_err());
        assert!(dd.join_safe(Path::new("/etc/passwd")).is_err());
        assert!(dd.contains(&dd.cache().join("a")));
        assert!(!dd.contains(&dd.cache().join("../../x")));
    }
}
