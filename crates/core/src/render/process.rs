//! Child processes that can be cancelled and timed out. Each child runs in its own process group
//! (Unix), so cancelling kills the whole tree (manim's encoders, LaTeX, ffmpeg…).

use crate::error::{Error, Result};
use std::process::{ExitStatus, Stdio};
#[cfg(feature = "bench-hooks")]
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt};
use tokio::process::Command;
use tokio_util::sync::CancellationToken;

/// What a finished child left.
#[derive(Debug)]
pub struct ChildOutput {
    pub status: ExitStatus,
    pub stdout: String,
    /// The last lines of stderr (progress bars split on `\r` count as lines).
    pub stderr_tail: Vec<String>,
}

impl ChildOutput {
    /// The last non-empty stderr line that looks like an error (`NameError: …`), else the last one.
    pub fn last_error_line(&self) -> String {
        let meaningful = |l: &&String| {
            let t = l.trim().trim_matches(|c| c == '│' || c == '|' || c == ' ');
            !t.is_empty() && !t.chars().all(|c| "─━═╭╮╰╯│ ".contains(c))
        };
        let lines: Vec<&String> = self.stderr_tail.iter().filter(meaningful).collect();
        let is_err = |l: &&&String| {
            let t = l.trim().trim_matches(|c| c == '│' || c == ' ');
            t.split(':')
                .next()
                .is_some_and(|head| head.ends_with("Error") || head.ends_with("Exception"))
        };
        lines
            .iter()
            .rev()
            .find(is_err)
            .or(lines.last())
            .map(|l| l.trim().trim_matches(|c| c == '│' || c == ' ').to_string())
            .unwrap_or_else(|| format!("exited with {}", self.status))
    }
}

const TAIL_LINES: usize = 80;

#[cfg(feature = "bench-hooks")]
static CHILDREN: AtomicU64 = AtomicU64::new(0);
#[cfg(feature = "bench-hooks")]
static CHILD_NANOS: AtomicU64 = AtomicU64::new(0);

/// How many children this process has run through [`run`] and their summed wall time (spawn to
/// exit). `theory2video-bench` uses it to split a job's wall time into stage work and overhead
/// (only with the `bench-hooks` feature).
#[cfg(feature = "bench-hooks")]
pub fn child_totals() -> (u64, Duration) {
    (
        CHILDREN.load(Ordering::Relaxed),
        Duration::from_nanos(CHILD_NANOS.load(Ordering::Relaxed)),
    )
}

/// Runs `cmd` to completion with stdin closed, reporting each stderr line (split on `\n` and `\r`)
/// to `on_line`. Cancelling or exceeding `timeout` kills the child's process group.
pub async fn run(
    cmd: Command,
    what: &str,
    cancel: &CancellationToken,
    timeout: Option<Duration>,
    on_line: impl FnMut(&str) + Send,
) -> Result<ChildOutput> {
    run_with_input(cmd, None, what, cancel, timeout, on_line).await
}

/// Like [`run`], with `input` written to the child's stdin (then closed).
pub async fn run_with_input(
    cmd: Command,
    input: Option<Vec<u8>>,
    what: &str,
    cancel: &CancellationToken,
    timeout: Option<Duration>,
    on_line: impl FnMut(&str) + Send,
) -> Result<ChildOutput> {
    run_inner(cmd, input, Stdout::Collect, what, cancel, timeout, on_line).await
}

/// Like [`run`], but stdout lines are reported (and kept in the tail) like stderr's, in the order
/// they arrive: for tools that log progress to stdout (pip). `stdout` of the result is empty.
pub async fn run_merged(
    cmd: Command,
    what: &str,
    cancel: &CancellationToken,
    timeout: Option<Duration>,
    on_line: impl FnMut(&str) + Send,
) -> Result<ChildOutput> {
    run_inner(cmd, None, Stdout::Lines, what, cancel, timeout, on_line).await
}

/// What happens to a child's stdout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stdout {
    /// Collected whole into [`ChildOutput::stdout`].
    Collect,
    /// Split into lines reported with stderr's.
    Lines,
}

async fn run_inner(
    mut cmd: Command,
    input: Option<Vec<u8>>,
    stdout_mode: Stdout,
    what: &str,
    cancel: &CancellationToken,
    timeout: Option<Duration>,
    mut on_line: impl FnMut(&str) + Send,
) -> Result<ChildOutput> {
    let stdin = if input.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    };
    cmd.stdin(stdin)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    own_group(&mut cmd);
    let started = std::time::Instant::now();
    let mut child = cmd
        .spawn()
        .map_err(|e| Error::io(format!("cannot start {what}"), e))?;
    let pid = child.id();
    if let (Some(bytes), Some(mut sin)) = (input, child.stdin.take()) {
        tokio::spawn(async move {
            use tokio::io::AsyncWriteExt;
            let _ = sin.write_all(&bytes).await;
        });
    }
    let mut stdout = child.stdout.take().expect("piped");
    let mut stderr = child.stderr.take().expect("piped");
    let (line_tx, mut line_rx) = tokio::sync::mpsc::unbounded_channel::<String>();
    let out_task = tokio::spawn(async move {
        let mut s = String::new();
        match stdout_mode {
            Stdout::Collect => {
                let _ = read_limited(&mut stdout, &mut s, 4 << 20).await;
            }
            Stdout::Lines => {
                let mut buf = vec![0u8; 8192];
                let mut split = StderrLines::default();
                let mut send = |l: &str| {
                    let _ = line_tx.send(l.to_string());
                };
                while let Ok(n) = stdout.read(&mut buf).await {
                    if n == 0 {
                        break;
                    }
                    split.push(&buf[..n], &mut send);
                }
                split.finish(&mut send);
            }
        }
        s
    });
    let mut stdout_open = stdout_mode == Stdout::Lines;
    let mut lines = StderrLines::default();
    let mut buf = vec![0u8; 16 * 1024];
    let deadline = timeout.map(|t| tokio::time::Instant::now() + t);
    let sleep = async {
        match deadline {
            Some(d) => tokio::time::sleep_until(d).await,
            None => std::future::pending().await,
        }
    };
    tokio::pin!(sleep);
    let mut stderr_open = true;
    let outcome: Result<ExitStatus> = loop {
        tokio::select! {
            biased;
            _ = cancel.cancelled() => break Err(Error::Cancelled),
            _ = &mut sleep => break Err(Error::Timeout { what: what.to_string(), secs: timeout.map_or(0, |t| t.as_secs()) }),
            n = stderr.read(&mut buf), if stderr_open => match n {
                Ok(0) | Err(_) => stderr_open = false,
                Ok(n) => lines.push(&buf[..n], &mut on_line),
            },
            line = line_rx.recv(), if stdout_open => match line {
                Some(line) => lines.keep(line, &mut on_line),
                None => stdout_open = false,
            },
            status = child.wait(), if !stderr_open && !stdout_open => break status.map_err(|e| Error::io(format!("waiting for {what}"), e)),
        }
    };
    count_child(started.elapsed());
    match outcome {
        Ok(status) => {
            let stdout = out_task.await.unwrap_or_default();
            Ok(ChildOutput {
                status,
                stdout,
                stderr_tail: lines.finish(&mut on_line),
            })
        }
        Err(e) => {
            kill_group(pid, &mut child).await;
            out_task.abort();
            Err(e)
        }
    }
}

/// Counts a finished child (spawn to exit) in [`child_totals`]; warm renders count too.
pub(crate) fn count_child(elapsed: Duration) {
    #[cfg(feature = "bench-hooks")]
    {
        CHILDREN.fetch_add(1, Ordering::Relaxed);
        let nanos = u64::try_from(elapsed.as_nanos()).unwrap_or(u64::MAX);
        CHILD_NANOS.fetch_add(nanos, Ordering::Relaxed);
    }
    #[cfg(not(feature = "bench-hooks"))]
    let _ = elapsed;
}

/// The child gets its own process group (Unix), is killed when dropped, and (Linux) dies with
/// this process.
pub(crate) fn own_group(cmd: &mut Command) {
    cmd.kill_on_drop(true);
    #[cfg(unix)]
    cmd.process_group(0);
    #[cfg(target_os = "linux")]
    // SAFETY: prctl is async-signal-safe. If this process dies (even by SIGKILL), the child is
    // killed too, so a crash never leaves renders running.
    unsafe {
        cmd.pre_exec(|| {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL as libc::c_ulong);
            Ok(())
        });
    }
}

/// A child's stderr as lines, split on `\n` and `\r` (tqdm redraws with `\r`), blank ones
/// skipped, keeping the last [`TAIL_LINES`].
#[derive(Default)]
pub(crate) struct StderrLines {
    pending: Vec<u8>,
    tail: std::collections::VecDeque<String>,
}

impl StderrLines {
    pub(crate) fn push<F: FnMut(&str) + ?Sized>(&mut self, bytes: &[u8], on_line: &mut F) {
        self.pending.extend_from_slice(bytes);
        while let Some(p) = self.pending.iter().position(|&b| b == b'\n' || b == b'\r') {
            let line: Vec<u8> = self.pending.drain(..=p).collect();
            let line = String::from_utf8_lossy(&line[..line.len() - 1]).into_owned();
            self.keep(line, on_line);
        }
    }

    pub(crate) fn keep<F: FnMut(&str) + ?Sized>(&mut self, line: String, on_line: &mut F) {
        if !line.trim().is_empty() {
            on_line(&line);
            if self.tail.len() == TAIL_LINES {
                self.tail.pop_front();
            }
            self.tail.push_back(line);
        }
    }

    /// The last unterminated line, then the tail.
    pub(crate) fn finish<F: FnMut(&str) + ?Sized>(mut self, on_line: &mut F) -> Vec<String> {
        if !self.pending.is_empty() {
            let line = String::from_utf8_lossy(&std::mem::take(&mut self.pending)).into_owned();
            self.keep(line, on_line);
        }
        self.tail.into_iter().collect()
    }
}

/// Kills the child's whole process group and reaps the child.
async fn kill_group(pid: Option<u32>, child: &mut tokio::process::Child) {
    #[cfg(unix)]
    if let Some(pid) = pid {
        // SAFETY: killpg only sends a signal; the group id is the child's pid (process_group(0)).
        unsafe {
            libc::killpg(pid as libc::pid_t, libc::SIGKILL);
        }
    }
    #[cfg(not(unix))]
    let _ = pid;
    let _ = child.kill().await;
    let _ = child.wait().await;
}

async fn read_limited(
    r: &mut (impl AsyncRead + Unpin),
    out: &mut String,
    limit: usize,
) -> std::io::Result<()> {
    let mut bytes = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        let n = r.read(&mut buf).await?;
        if n == 0 {
            break;
        }
        if bytes.len() < limit {
            bytes.extend_from_slice(&buf[..n]);
        }
    }
    *out = String::from_utf8_lossy(&bytes).into_owned();
    Ok(())
}

/// Runs a short command and returns its output, failing on a non-zero exit.
pub async fn run_ok(
    cmd: Command,
    what: &str,
    cancel: &CancellationToken,
    timeout: Duration,
) -> Result<ChildOutput> {
    let out = run(cmd, what, cancel, Some(timeout), |_| {}).await?;
    if out.status.success() {
        Ok(out)
    } else {
        Err(Error::Media(format!(
            "{what} failed: {}",
            out.last_error_line()
        )))
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[tokio::test]
    async fn cancel_kills_the_whole_group() {
        let dir = tempfile::tempdir().unwrap();
        let pidfile = dir.path().join("pid");
        let mut cmd = Command::new("sh");
        cmd.arg("-c")
            .arg(format!("sleep 30 & echo $! > {}; wait", pidfile.display()));
        let cancel = CancellationToken::new();
        let c2 = cancel.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(300)).await;
            c2.cancel();
        });
        let t = std::time::Instant::now();
        let err = run(cmd, "sleeper", &cancel, None, |_| {})
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Cancelled));
        assert!(t.elapsed() < Duration::from_secs(5));
        let pid: i32 = std::fs::read_to_string(&pidfile)
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        tokio::time::sleep(Duration::from_millis(100)).await;
        // Gone, or a zombie waiting to be reaped by init: either way not running.
        let alive = crate::store::process_alive(pid as u32);
        assert!(!alive, "grandchild {pid} survived the cancel");
    }

    #[tokio::test]
    async fn merged_reports_stdout_lines_too() {
        let mut cmd = Command::new("sh");
        cmd.arg("-c")
            .arg("echo out1; echo err1 >&2; sleep 0.1; printf 'out2\\n'; exit 1");
        let mut lines = Vec::new();
        let out = run_merged(cmd, "t", &CancellationToken::new(), None, |l| {
            lines.push(l.to_string())
        })
        .await
        .unwrap();
        lines.sort();
        assert_eq!(lines, vec!["err1", "out1", "out2"]);
        assert_eq!(out.stderr_tail.len(), 3);
        assert_eq!(out.status.code(), Some(1));
    }

    #[tokio::test]
    async fn timeout_and_stderr_lines() {
        let mut cmd = Command::new("sh");
        cmd.arg("-c")
            .arg("printf 'a\\rb\\nNameError: x\\n' >&2; exit 3");
        let mut lines = Vec::new();
        let out = run(cmd, "t", &CancellationToken::new(), None, |l| {
            lines.push(l.to_string())
        })
        .await
        .unwrap();
        assert_eq!(lines, vec!["a", "b", "NameError: x"]);
        assert_eq!(out.last_error_line(), "NameError: x");
        assert_eq!(out.status.code(), Some(3));
        let mut cmd = Command::new("sleep");
        cmd.arg("10");
        let err = run(
            cmd,
            "sleep",
            &CancellationToken::new(),
            Some(Duration::from_millis(200)),
            |_| {},
        )
        .await
        .unwrap_err();
        assert!(matches!(err, Error::Timeout { .. }));
    }
}
