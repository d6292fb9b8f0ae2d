//! The venv set-up: create the venv, install uv (pip as the fallback), install the pinned Manim,
//! check `import manim`. Every step reports [`SetupProgress`]; cancelling kills the running
//! step's process group; a failure names the exact fix for this system.

use super::fix::{self, Need, System};
use super::progress::{Installer, ProgressReader, SetupProgress, SetupStep};
use super::{find_base_python, PythonEnv, MANIM_VERSION, MARKER};
use crate::error::{Error, Result};
use crate::render::process::{self, ChildOutput};
use std::path::Path;
use std::time::Duration;
use tokio::process::Command;
use tokio_util::sync::CancellationToken;

/// Which installer the set-up uses.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InstallerChoice {
    /// uv (about 2× faster cold, 5–7× from its cache: docs/performance.md), pip if uv cannot be
    /// installed or fails for a reason that is not the system's.
    #[default]
    Auto,
    Uv,
    Pip,
}

impl InstallerChoice {
    /// `auto`, `uv` or `pip`.
    pub fn parse(s: &str) -> Option<InstallerChoice> {
        match s.trim() {
            "auto" | "" => Some(InstallerChoice::Auto),
            "uv" => Some(InstallerChoice::Uv),
            "pip" => Some(InstallerChoice::Pip),
            _ => None,
        }
    }
}

const INSTALL_TIMEOUT: Duration = Duration::from_secs(1800);
const SHORT_TIMEOUT: Duration = Duration::from_secs(300);

/// Runs the set-up (see the module doc); returns the installer that installed Manim, or `None`
/// if the venv was ready already.
pub async fn run(
    env: &PythonEnv,
    choice: InstallerChoice,
    cancel: &CancellationToken,
    on_progress: &mut (dyn FnMut(SetupProgress) + Send),
) -> Result<Option<Installer>> {
    check_writable(&env.venv)?;
    let _lock = lock::acquire(&env.venv, cancel, on_progress).await?;
    if env.is_ready() {
        return Ok(None);
    }
    let system = System::detect();
    let mut reader = ProgressReader::new(Installer::Uv);
    let base = find_base_python().ok_or_else(|| Error::ToolMissing {
        tool: "Python 3".into(),
        fix: python_fix(system),
    })?;
    if cfg!(target_os = "linux") {
        on_progress(reader.at(
            SetupStep::CreatingVenv,
            "Checking the build tools Manim needs",
        ));
        let needs = preflight(&base, cancel).await?;
        if !needs.is_empty() {
            return Err(missing(&needs, system));
        }
    }
    if !env.python().exists() {
        on_progress(reader.at(
            SetupStep::CreatingVenv,
            format!("Creating the Python environment in {}", env.venv.display()),
        ));
        create_venv(env, &base, system, cancel).await?;
    }
    let mut installer = match choice {
        InstallerChoice::Pip => Installer::Pip,
        InstallerChoice::Uv | InstallerChoice::Auto => {
            on_progress(reader.at(SetupStep::InstallingInstaller, "Installing uv"));
            match install_uv(env, cancel).await {
                Ok(()) => Installer::Uv,
                Err(Error::Cancelled) => return Err(Error::Cancelled),
                Err(e) if choice == InstallerChoice::Uv => return Err(e),
                Err(e) => {
                    tracing::warn!("uv could not be installed ({e}); using pip");
                    on_progress(
                        reader.at(SetupStep::InstallingInstaller, "uv unavailable: using pip"),
                    );
                    Installer::Pip
                }
            }
        }
    };
    loop {
        let mut reader = ProgressReader::new(installer);
        on_progress(reader.at(
            SetupStep::Downloading,
            format!(
                "Installing Manim {MANIM_VERSION} with {}",
                installer.as_str()
            ),
        ));
        let out = install_manim(env, installer, cancel, &mut |line| {
            tracing::debug!(target: "setup", "{line}");
            if let Some(p) = reader.line(line) {
                on_progress(p);
            }
        })
        .await?;
        if out.status.success() {
            on_progress(reader.at(SetupStep::Verifying, "Checking that Manim imports"));
            break;
        }
        let needs = fix::needs_in_output(&out.stderr_tail);
        if !needs.is_empty() {
            return Err(missing(&needs, system));
        }
        if installer == Installer::Uv && choice == InstallerChoice::Auto {
            tracing::warn!("uv failed: {}; trying pip", out.last_error_line());
            installer = Installer::Pip;
            continue;
        }
        return Err(Error::ToolMissing {
            tool: "Manim".into(),
            fix: format!(
                "{} could not install manim=={MANIM_VERSION}: {}. If the cause is not clear, check that these are installed ({}) and run the set-up again",
                installer.as_str(),
                out.last_error_line(),
                fix::fix_for(fix::BUILD_NEEDS, system)
            ),
        });
    }
    verify(env, cancel).await?;
    std::fs::write(env.venv.join(MARKER), MANIM_VERSION)
        .map_err(|e| Error::io("writing the venv marker", e))?;
    let mut done = ProgressReader::new(installer);
    on_progress(done.at(SetupStep::Done, format!("Manim {MANIM_VERSION} is ready")));
    Ok(Some(installer))
}

/// The venv's folder can be made and written to; else a [`Error::Config`] with the exact fix
/// (before anything is downloaded).
fn check_writable(venv: &Path) -> Result<()> {
    let parent = venv.parent().unwrap_or(venv);
    let probe = parent.join(format!(".theory2video-write-test-{}", std::process::id()));
    let written = std::fs::create_dir_all(parent).and_then(|()| std::fs::write(&probe, b"ok"));
    let _ = std::fs::remove_file(&probe);
    written.map_err(|e| {
        Error::Config(format!(
            "the set-up cannot write the Python environment's folder {} ({e}). Make {} a folder you can write, or set {}=/a/folder/you/can/write and start again",
            parent.display(),
            parent.display(),
            crate::paths::VENV_ENV
        ))
    })
}

fn missing(needs: &[Need], system: System) -> Error {
    let only_network = needs.iter().all(|n| *n == Need::Network);
    Error::ToolMissing {
        tool: if only_network {
            "access to the Python package index".into()
        } else {
            "a system package Manim's set-up needs".into()
        },
        fix: fix::fix_for(needs, system),
    }
}

fn python_fix(system: System) -> String {
    match system {
        System::Windows => "winget install Python.Python.3.12".into(),
        System::Other => "install Python 3.10+ with its venv module".into(),
        s => fix::fix_for(&[Need::VenvModule], s),
    }
}

/// What the build of pycairo/manimpango needs and this system lacks (Linux: no wheels).
async fn preflight(base: &Path, cancel: &CancellationToken) -> Result<Vec<Need>> {
    let mut needs = Vec::new();
    if super::which("cc").is_none() && super::which("gcc").is_none() {
        needs.push(Need::Compiler);
    }
    let mut cmd = Command::new(base);
    cmd.args([
        "-c",
        "import os,sysconfig,sys; sys.exit(0 if os.path.exists(os.path.join(sysconfig.get_paths()['include'],'Python.h')) else 1)",
    ]);
    if !process::run(cmd, "python", cancel, Some(SHORT_TIMEOUT), |_| {})
        .await?
        .status
        .success()
    {
        needs.push(Need::PythonHeaders);
    }
    let Some(pkg_config) = super::which("pkg-config") else {
        needs.push(Need::PkgConfig);
        return Ok(needs);
    };
    for (module, need) in [
        ("cairo", Need::CairoHeaders),
        ("pangocairo", Need::PangoHeaders),
    ] {
        let mut cmd = Command::new(&pkg_config);
        cmd.args(["--exists", module]);
        if !process::run(cmd, "pkg-config", cancel, Some(SHORT_TIMEOUT), |_| {})
            .await?
            .status
            .success()
        {
            needs.push(need);
        }
    }
    Ok(needs)
}

async fn create_venv(
    env: &PythonEnv,
    base: &Path,
    system: System,
    cancel: &CancellationToken,
) -> Result<()> {
    let existed = env.venv.exists();
    let mut cmd = Command::new(base);
    cmd.arg("-m").arg("venv").arg(&env.venv);
    let out = process::run_merged(cmd, "python -m venv", cancel, Some(SHORT_TIMEOUT), |_| {}).await;
    let ok = matches!(&out, Ok(o) if o.status.success());
    if !ok && !existed {
        // A half-made venv would be taken for a made one next time.
        let _ = std::fs::remove_dir_all(&env.venv);
    }
    let out = out?;
    if ok {
        return Ok(());
    }
    let needs = fix::needs_in_output(&out.stderr_tail);
    Err(Error::ToolMissing {
        tool: "Python's venv module".into(),
        fix: if needs.is_empty() {
            format!("{} ({})", out.last_error_line(), python_fix(system))
        } else {
            fix::fix_for(&needs, system)
        },
    })
}

fn uv_path(env: &PythonEnv) -> std::path::PathBuf {
    let bin = env.python();
    let dir = bin.parent().unwrap_or(&env.venv);
    dir.join(if cfg!(windows) { "uv.exe" } else { "uv" })
}

/// The venv's `pip install`, quiet about its own version and without a progress bar (its
/// lines are parsed); the packages go after it.
fn pip_install(env: &PythonEnv) -> Command {
    let mut cmd = Command::new(env.python());
    cmd.args([
        "-m",
        "pip",
        "install",
        "--disable-pip-version-check",
        "--progress-bar",
        "off",
    ]);
    cmd
}

async fn install_uv(env: &PythonEnv, cancel: &CancellationToken) -> Result<()> {
    if uv_path(env).exists() {
        return Ok(());
    }
    let mut cmd = pip_install(env);
    cmd.arg("uv");
    let out =
        process::run_merged(cmd, "pip install uv", cancel, Some(SHORT_TIMEOUT), |_| {}).await?;
    if out.status.success() && uv_path(env).exists() {
        Ok(())
    } else {
        Err(Error::ToolMissing {
            tool: "uv".into(),
            fix: out.last_error_line(),
        })
    }
}

async fn install_manim(
    env: &PythonEnv,
    installer: Installer,
    cancel: &CancellationToken,
    on_line: &mut (dyn FnMut(&str) + Send),
) -> Result<ChildOutput> {
    let spec = format!("manim=={MANIM_VERSION}");
    match installer {
        Installer::Uv => {
            let mut cmd = Command::new(uv_path(env));
            cmd.args(["pip", "install", "--python"])
                .arg(env.python())
                .arg(spec);
            // Plain lines, no colours or spinners: they are parsed.
            cmd.env("NO_COLOR", "1").env("UV_NO_PROGRESS", "1");
            // The system's certificate store, as Debian's pip uses: uv otherwise trusts only its
            // built-in roots and fails behind a proxy whose CA is installed on the system
            // (found by scripts/test-package.sh).
            cmd.env("UV_SYSTEM_CERTS", "1");
            process::run(
                cmd,
                "uv pip install manim",
                cancel,
                Some(INSTALL_TIMEOUT),
                on_line,
            )
            .await
        }
        Installer::Pip => {
            let mut cmd = pip_install(env);
            cmd.arg(spec);
            cmd.env("PYTHONUNBUFFERED", "1");
            process::run_merged(
                cmd,
                "pip install manim",
                cancel,
                Some(INSTALL_TIMEOUT),
                on_line,
            )
            .await
        }
    }
}

async fn verify(env: &PythonEnv, cancel: &CancellationToken) -> Result<()> {
    let mut cmd = Command::new(env.python());
    cmd.args([
        "-c",
        "import manim, sys; sys.stdout.write(manim.__version__)",
    ]);
    let out = process::run(cmd, "import manim", cancel, Some(SHORT_TIMEOUT), |_| {}).await?;
    if out.status.success() && out.stdout.trim() == MANIM_VERSION {
        Ok(())
    } else {
        Err(Error::ToolMissing {
            tool: "a working Manim".into(),
            fix: format!(
                "`import manim` failed in {}: {} (remove that folder and run the set-up again)",
                env.venv.display(),
                out.last_error_line()
            ),
        })
    }
}

mod lock {
    //! One set-up per venv at a time, across processes (a job and the window, two windows):
    //! an exclusive `flock` on `<venv>.lock` beside it.
    use super::*;

    pub struct Guard(#[allow(dead_code)] Option<std::fs::File>);

    pub async fn acquire(
        venv: &Path,
        cancel: &CancellationToken,
        on_progress: &mut (dyn FnMut(SetupProgress) + Send),
    ) -> Result<Guard> {
        #[cfg(unix)]
        {
            use std::os::fd::AsRawFd;
            let mut name = venv.as_os_str().to_owned();
            name.push(".lock");
            let file = std::fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&name)
                .map_err(|e| Error::io("opening the set-up lock", e))?;
            let mut told = false;
            loop {
                // SAFETY: flock on a file descriptor we own; non-blocking.
                if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } == 0 {
                    return Ok(Guard(Some(file)));
                }
                if !told {
                    told = true;
                    on_progress(SetupProgress {
                        step: SetupStep::Waiting,
                        fraction: 0.0,
                        message: "Waiting for another set-up of this Python environment".into(),
                    });
                }
                tokio::select! {
                    _ = cancel.cancelled() => return Err(Error::Cancelled),
                    _ = tokio::time::sleep(Duration::from_millis(200)) => {}
                }
            }
        }
        #[cfg(not(unix))]
        {
            let _ = (venv, cancel, on_progress);
            Ok(Guard(None))
        }
    }
}
