//! The app's own Python venv with a pinned Manim, created on first use.

use super::process;
use crate::error::{Error, Result};
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::process::Command;
use tokio_util::sync::CancellationToken;

pub const MANIM_VERSION: &str = "0.22.0";
const MARKER: &str = ".theory2video-manim";

#[derive(Debug, Clone)]
pub struct PythonEnv {
    pub venv: PathBuf,
}

impl PythonEnv {
    pub fn new(venv: PathBuf) -> Self {
        PythonEnv { venv }
    }

    pub fn python(&self) -> PathBuf {
        if cfg!(windows) {
            self.venv.join("Scripts").join("python.exe")
        } else {
            self.venv.join("bin").join("python")
        }
    }

    /// The venv exists and has our pinned Manim installed.
    pub fn is_ready(&self) -> bool {
        self.python().exists()
            && std::fs::read_to_string(self.venv.join(MARKER))
                .is_ok_and(|v| v.trim() == MANIM_VERSION)
    }

    /// The interpreter the venv is built on (`home` in pyvenv.cfg), for sandbox binds.
    pub fn base_prefix(&self) -> Option<PathBuf> {
        let cfg = std::fs::read_to_string(self.venv.join("pyvenv.cfg")).ok()?;
        let home = cfg.lines().find_map(|l| {
            let (k, v) = l.split_once('=')?;
            (k.trim() == "home").then(|| PathBuf::from(v.trim()))
        })?;
        // home is …/bin; the prefix is its parent.
        home.parent().map(Path::to_path_buf)
    }

    /// Creates the venv and installs Manim if needed, reporting pip's lines.
    pub async fn ensure(
        &self,
        cancel: &CancellationToken,
        mut on_line: impl FnMut(&str) + Send,
    ) -> Result<()> {
        if self.is_ready() {
            return Ok(());
        }
        let base = find_base_python().ok_or_else(|| Error::ToolMissing {
            tool: "Python 3".into(),
            fix: "install Python 3.10+ with venv (Debian/Ubuntu: sudo apt-get install python3 python3-venv)".into(),
        })?;
        if !self.python().exists() {
            on_line(&format!(
                "Creating the Python environment in {}",
                self.venv.display()
            ));
            if let Some(parent) = self.venv.parent() {
                std::fs::create_dir_all(parent)
                    .map_err(|e| Error::io("creating the venv folder", e))?;
            }
            let mut cmd = Command::new(&base);
            cmd.arg("-m").arg("venv").arg(&self.venv);
            let out = process::run(
                cmd,
                "python -m venv",
                cancel,
                Some(Duration::from_secs(300)),
                |l| on_line(l),
            )
            .await?;
            if !out.status.success() {
                return Err(Error::ToolMissing {
                    tool: "Python venv".into(),
                    fix: format!(
                        "{} (Debian/Ubuntu: sudo apt-get install python3-venv)",
                        out.last_error_line()
                    ),
                });
            }
        }
        on_line(&format!(
            "Installing Manim {MANIM_VERSION} (about a minute, once)"
        ));
        let mut cmd = Command::new(self.python());
        cmd.args([
            "-m",
            "pip",
            "install",
            "--disable-pip-version-check",
            "--progress-bar",
            "off",
        ])
        .arg(format!("manim=={MANIM_VERSION}"));
        let out = process::run(
            cmd,
            "pip install manim",
            cancel,
            Some(Duration::from_secs(1800)),
            |l| on_line(l),
        )
        .await?;
        if !out.status.success() {
            return Err(Error::ToolMissing {
                tool: "Manim".into(),
                fix: format!(
                    "pip could not install manim: {} (Debian/Ubuntu needs: sudo apt-get install pkg-config libpango1.0-dev libcairo2-dev python3-dev gcc)",
                    out.last_error_line()
                ),
            });
        }
        std::fs::write(self.venv.join(MARKER), MANIM_VERSION)
            .map_err(|e| Error::io("writing the venv marker", e))?;
        Ok(())
    }
}

/// `$THEORY2VIDEO_PYTHON`, else `python3`, else `python` on PATH.
pub fn find_base_python() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("THEORY2VIDEO_PYTHON").filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(p));
    }
    ["python3", "python"].iter().find_map(|n| which(n))
}

/// Finds an executable on PATH.
pub fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        let candidate = dir.join(name);
        if is_executable(&candidate) {
            return Some(candidate);
        }
        if cfg!(windows) {
            let exe = dir.join(format!("{name}.exe"));
            if exe.is_file() {
                return Some(exe);
            }
        }
    }
    None
}

fn is_executable(p: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        p.is_file()
            && p.metadata()
                .is_ok_and(|m| m.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        p.is_file()
    }
}
