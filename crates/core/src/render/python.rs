//! The app's own Python venv with a pinned Manim, created by the set-up ([`setup`]) from the
//! CLI's `theory2video setup`, the desktop's first-run offer, or a job's first stage.

pub mod fix;
pub mod progress;
pub mod setup;

use crate::error::Result;
pub use progress::{Installer, SetupProgress, SetupStep};
pub use setup::InstallerChoice;
use std::path::{Path, PathBuf};
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

    /// Creates the venv and installs Manim if needed (uv, pip as the fallback), reporting
    /// progress; see [`setup`].
    pub async fn ensure(
        &self,
        cancel: &CancellationToken,
        mut on_progress: impl FnMut(SetupProgress) + Send,
    ) -> Result<()> {
        self.ensure_with(InstallerChoice::Auto, cancel, &mut on_progress)
            .await
            .map(|_| ())
    }

    /// [`Self::ensure`] with a chosen installer; returns the one that installed Manim (`None`:
    /// it was ready).
    pub async fn ensure_with(
        &self,
        installer: InstallerChoice,
        cancel: &CancellationToken,
        on_progress: &mut (dyn FnMut(SetupProgress) + Send),
    ) -> Result<Option<Installer>> {
        if self.is_ready() {
            return Ok(None);
        }
        setup::run(self, installer, cancel, on_progress).await
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
