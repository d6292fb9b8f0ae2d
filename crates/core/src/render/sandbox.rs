//! The sandbox for generated code. On Linux, renders run under bubblewrap when it is installed
//! and works: read-only system and Python, read-write only the scene's work dir, private /tmp, no
//! network, new session, dies with the parent, clean environment; plus an address-space limit.
//! Elsewhere (or without bubblewrap) renders run unsandboxed, and the job log says so.

use std::path::{Path, PathBuf};
use tokio::process::Command;

/// Size of the sandbox's private /tmp (bytes, as bubblewrap's `--size` takes it): 512 MiB.
pub const TMP_SIZE: &str = "536870912";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SandboxKind {
    Bubblewrap(PathBuf, Namespaces),
    Off(String),
}

/// Which namespaces bubblewrap makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Namespaces {
    /// `--unshare-all`: user, mount, pid, network, ipc, uts and cgroup namespaces.
    All,
    /// Every one but the user namespace, for root where the kernel refuses one: it refuses a new
    /// user namespace to any process inside a chroot (`create_user_ns`: `current_chrooted()`),
    /// as in `scripts/test-package.sh`. As root the other namespaces need no user namespace, and
    /// `--cap-drop ALL` leaves the child no capability, so the read-only binds stay read-only.
    NoUser,
}

impl Namespaces {
    fn args(self) -> &'static [&'static str] {
        match self {
            Namespaces::All => &["--unshare-all"],
            Namespaces::NoUser => &[
                "--unshare-ipc",
                "--unshare-pid",
                "--unshare-net",
                "--unshare-uts",
                "--unshare-cgroup-try",
            ],
        }
    }
}

/// bubblewrap can start `true` with the sandbox's namespaces, a private /tmp and a read-only root.
fn bwrap_works(bwrap: &Path, ns: Namespaces) -> bool {
    std::process::Command::new(bwrap)
        .args([
            "--ro-bind",
            "/",
            "/",
            "--size",
            TMP_SIZE,
            "--tmpfs",
            "/tmp",
            "--remount-ro",
            "/",
        ])
        .args(ns.args())
        .args(["--die-with-parent", "--cap-drop", "ALL", "true"])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn is_root() -> bool {
    #[cfg(unix)]
    {
        // SAFETY: geteuid has no preconditions.
        unsafe { libc::geteuid() == 0 }
    }
    #[cfg(not(unix))]
    {
        false
    }
}

#[derive(Debug, Clone)]
pub struct Sandbox {
    pub kind: SandboxKind,
    /// Address-space limit per render, bytes (0 = none).
    pub memory_limit: u64,
}

impl Sandbox {
    /// Detects bubblewrap and checks that it can start a process here.
    pub fn detect(enabled: bool) -> Sandbox {
        let memory_limit = 4 << 30;
        if !enabled {
            return Sandbox {
                kind: SandboxKind::Off("disabled in settings".into()),
                memory_limit,
            };
        }
        if !cfg!(target_os = "linux") {
            return Sandbox {
                kind: SandboxKind::Off("no sandbox on this platform".into()),
                memory_limit,
            };
        }
        let Some(bwrap) = super::python::which("bwrap") else {
            return Sandbox {
                kind: SandboxKind::Off(
                    "bubblewrap is not installed (sudo apt-get install bubblewrap)".into(),
                ),
                memory_limit,
            };
        };
        let works = [Namespaces::All, Namespaces::NoUser]
            .into_iter()
            .filter(|ns| *ns == Namespaces::All || is_root())
            .find(|ns| bwrap_works(&bwrap, *ns));
        match works {
            Some(ns) => Sandbox {
                kind: SandboxKind::Bubblewrap(bwrap, ns),
                memory_limit,
            },
            None => Sandbox {
                kind: SandboxKind::Off(
                    "bubblewrap cannot create namespaces here (or is too old for --size)".into(),
                ),
                memory_limit,
            },
        }
    }

    pub fn is_on(&self) -> bool {
        matches!(self.kind, SandboxKind::Bubblewrap(..))
    }

    pub fn describe(&self) -> String {
        match &self.kind {
            SandboxKind::Bubblewrap(p, Namespaces::All) => {
                format!("on (bubblewrap at {})", p.display())
            }
            SandboxKind::Bubblewrap(p, Namespaces::NoUser) => format!(
                "on (bubblewrap at {}, as root without a user namespace: the kernel refuses one here, e.g. in a chroot)",
                p.display()
            ),
            SandboxKind::Off(why) => {
                format!("OFF: {why}; generated code runs with your user's rights")
            }
        }
    }

    /// A command that runs `program args` inside the sandbox with `work` as its only writable
    /// dir, `read_only` extra paths visible, and `env` as its whole environment.
    pub fn command(
        &self,
        program: &Path,
        args: &[String],
        work: &Path,
        read_only: &[PathBuf],
        env: &[(String, String)],
    ) -> Command {
        self.command_writing(program, args, work, &[work.to_path_buf()], read_only, env)
    }

    /// Like [`Sandbox::command`], started in `work` with every dir of `writable` writable (the
    /// warm render worker: one writable dir per scene of the job, see `render::warm`).
    pub fn command_writing(
        &self,
        program: &Path,
        args: &[String],
        work: &Path,
        writable: &[PathBuf],
        read_only: &[PathBuf],
        env: &[(String, String)],
    ) -> Command {
        let mut cmd = match &self.kind {
            SandboxKind::Bubblewrap(bwrap, ns) => {
                let mut c = Command::new(bwrap);
                // bubblewrap itself gets an empty environment: `--clearenv` only clears the
                // child's, and the sandbox's PID 1 (bubblewrap) would otherwise expose the app's
                // whole environment, API keys included, in /proc/1/environ.
                c.env_clear();
                c.args(["--ro-bind", "/usr", "/usr"]);
                for (link, target) in [
                    ("/bin", "usr/bin"),
                    ("/lib", "usr/lib"),
                    ("/lib64", "usr/lib64"),
                    ("/sbin", "usr/sbin"),
                ] {
                    if Path::new(link).is_symlink() {
                        c.args(["--symlink", target, link]);
                    } else if Path::new(link).exists() {
                        c.args(["--ro-bind", link, link]);
                    }
                }
                for etc in [
                    "/etc/fonts",
                    "/etc/ld.so.cache",
                    "/etc/alternatives",
                    "/etc/texmf",
                    "/var/lib/texmf",
                    "/etc/localtime",
                ] {
                    c.args(["--ro-bind-try", etc, etc]);
                }
                // A bounded private /tmp: tmpfs pages are memory the address-space limit does
                // not count.
                c.args(["--size", TMP_SIZE, "--tmpfs", "/tmp"]);
                c.args(["--dev", "/dev", "--proc", "/proc"]);
                for p in read_only {
                    c.arg("--ro-bind-try").arg(p).arg(p);
                }
                for w in writable {
                    c.arg("--bind").arg(w).arg(w);
                }
                // The sandbox's own root (where bubblewrap made the mount points) read-only too:
                // otherwise the parents of the work dir are writable, memory-backed scratch.
                c.args(["--remount-ro", "/"]);
                // `--cap-drop ALL`: when the app runs as root, bubblewrap otherwise keeps every
                // capability, and generated code could remount a read-only bind read-write and
                // change the venv or /usr on the host (found by the hardening tests).
                c.args(ns.args());
                c.args([
                    "--die-with-parent",
                    "--new-session",
                    "--clearenv",
                    "--cap-drop",
                    "ALL",
                ]);
                c.arg("--setenv").arg("HOME").arg(work);
                for (k, v) in env {
                    c.arg("--setenv").arg(k).arg(v);
                }
                c.arg("--chdir").arg(work).arg("--").arg(program).args(args);
                c
            }
            SandboxKind::Off(_) => {
                let mut c = Command::new(program);
                c.args(args).current_dir(work).env_clear();
                // Keep what a normal process needs to find fonts and libraries.
                for k in [
                    "PATH",
                    "SYSTEMROOT",
                    "TEMP",
                    "TMP",
                    "LANG",
                    "LC_ALL",
                    "FONTCONFIG_PATH",
                ] {
                    if let Some(v) = std::env::var_os(k) {
                        c.env(k, v);
                    }
                }
                c.env("HOME", work);
                for (k, v) in env {
                    c.env(k, v);
                }
                c
            }
        };
        #[cfg(unix)]
        if self.memory_limit > 0 {
            let limit = self.memory_limit;
            // SAFETY: setrlimit is async-signal-safe; it runs in the child between fork and exec.
            unsafe {
                cmd.pre_exec(move || {
                    let rl = libc::rlimit {
                        rlim_cur: limit as libc::rlim_t,
                        rlim_max: limit as libc::rlim_t,
                    };
                    libc::setrlimit(libc::RLIMIT_AS, &rl);
                    Ok(())
                });
            }
        }
        cmd
    }
}
