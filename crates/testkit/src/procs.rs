//! The process table (Linux `/proc`): live processes, what they run, which are renders.

use std::path::Path;
use std::time::{Duration, Instant};

/// One live (not zombie) process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proc {
    pub pid: u32,
    pub ppid: u32,
    /// The command line, arguments joined by spaces.
    pub cmdline: String,
}

impl std::fmt::Display for Proc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.pid, self.cmdline)
    }
}

/// The tag the warm render worker carries on its command line (and so does every child it
/// forks); the core's `render::warm_worker::WORKER_TAG` (checked by the core's tests).
pub const WORKER_TAG: &str = "t2v-render-worker";

impl Proc {
    /// The program (first argument).
    pub fn program(&self) -> &str {
        self.cmdline.split(' ').next().unwrap_or("")
    }

    /// A scene render: a cold `python -m manim`, the layout probe's launcher around it, or a
    /// warm render worker (or a child it forked).
    pub fn is_render(&self) -> bool {
        self.cmdline.contains("manim")
            || self.cmdline.contains("t2v_layout_probe")
            || self.cmdline.contains(WORKER_TAG)
    }

    /// A process of the warm render worker (the worker or a child), not its bubblewrap.
    pub fn is_warm(&self) -> bool {
        self.cmdline.contains(WORKER_TAG) && !self.program().ends_with("bwrap")
    }
}

fn read_proc(dir: &Path) -> Option<Proc> {
    let pid: u32 = dir.file_name()?.to_str()?.parse().ok()?;
    let stat = std::fs::read_to_string(dir.join("stat")).ok()?;
    // "pid (comm) S ppid …": comm may hold spaces and parentheses, so split at the last ')'.
    let mut rest = stat.rsplit_once(')')?.1.split_whitespace();
    let state = rest.next()?;
    if state.starts_with('Z') || state.starts_with('X') {
        return None;
    }
    let ppid = rest.next()?.parse().ok()?;
    let raw = std::fs::read(dir.join("cmdline")).ok()?;
    let cmdline = String::from_utf8_lossy(&raw)
        .trim_end_matches('\0')
        .replace('\0', " ");
    Some(Proc { pid, ppid, cmdline })
}

/// Every live process but this one (empty where there is no `/proc`).
pub fn live() -> Vec<Proc> {
    let me = std::process::id();
    let Ok(rd) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    rd.flatten()
        .filter_map(|e| read_proc(&e.path()))
        .filter(|p| p.pid != me)
        .collect()
}

/// Live processes whose command line mentions `needle` (a job's data dir, a venv path).
pub fn mentioning(needle: &str) -> Vec<Proc> {
    live()
        .into_iter()
        .filter(|p| p.cmdline.contains(needle))
        .collect()
}

/// The same as text lines "pid: cmdline", for assertion messages.
pub fn mentioning_lines(needle: &str) -> Vec<String> {
    mentioning(needle).iter().map(Proc::to_string).collect()
}

/// Render processes (see [`Proc::is_render`]) mentioning `needle`.
pub fn renders(needle: &str) -> Vec<Proc> {
    mentioning(needle)
        .into_iter()
        .filter(Proc::is_render)
        .collect()
}

/// Children forked by a warm render worker (renders and what they started) mentioning
/// `needle`: a worker process whose parent is one too. The worker itself (its parent is
/// bubblewrap, or the test) is not counted.
pub fn warm_children(needle: &str) -> Vec<Proc> {
    let all = mentioning(needle);
    all.iter()
        .filter(|p| p.is_warm())
        .filter(|p| all.iter().any(|q| q.pid == p.ppid && q.is_warm()))
        .cloned()
        .collect()
}

/// Waits up to `limit` for every process mentioning `needle` to go; returns what is left as
/// text lines (empty: all gone).
pub fn wait_gone(needle: &str, limit: Duration) -> Vec<String> {
    let deadline = Instant::now() + limit;
    loop {
        let left = mentioning_lines(needle);
        if left.is_empty() || Instant::now() > deadline {
            return left;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_os = "linux")]
    #[test]
    fn finds_a_child_by_its_arguments_and_sees_it_go() {
        let tag = format!("t2v-testkit-{}", std::process::id());
        // `; true`: a shell that ends in one command may exec it (dash does) and lose the tag.
        let mut child = std::process::Command::new("sh")
            .args(["-c", "sleep 30; true", &tag])
            .spawn()
            .unwrap();
        // Until the shell has exec'd, the child's command line is still this test's; the
        // shell's own fork for `sleep` carries the tag for a moment too.
        let deadline = Instant::now() + Duration::from_secs(5);
        let found = loop {
            let all = mentioning(&tag);
            if let Some(p) = all.iter().find(|p| p.pid == child.id()) {
                break vec![p.clone()];
            }
            assert!(Instant::now() < deadline, "the child never showed: {all:?}");
            std::thread::sleep(Duration::from_millis(10));
        };
        assert_eq!(found[0].ppid, std::process::id());
        assert!(!found[0].is_render());
        child.kill().unwrap();
        child.wait().unwrap();
        assert!(wait_gone(&tag, Duration::from_secs(2)).is_empty());
    }

    #[test]
    fn render_processes_are_told_apart() {
        let p = |c: &str| Proc {
            pid: 2,
            ppid: 1,
            cmdline: c.into(),
        };
        assert!(p("/v/bin/python -m manim render -ql s.py Scene01").is_render());
        assert!(p("/v/bin/python /d/t2v_layout_probe.py --findings f -- -ql s.py").is_render());
        assert!(p("/v/bin/python /d/t2v_render_worker.py t2v-render-worker /w").is_warm());
        assert!(!p("/usr/bin/bwrap --die-with-parent t2v-render-worker /w").is_warm());
        assert!(!p("/usr/bin/ffmpeg -i a.mp4").is_render());
    }
}
