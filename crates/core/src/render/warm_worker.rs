//! One warm render worker: `crates/core/python/t2v_render_worker.py` in the cold renders'
//! sandbox, with Manim imported once. Requests go to its stdin as JSON lines; its events come
//! back on stdout and are routed to the render that asked, by request id. Each render is a child
//! the worker forks; its stderr comes back as `stderr` events and goes through the same line
//! splitter as a cold render's. Timeout and cancel send `kill` (the worker kills the child's
//! process group); a worker that does not confirm within [`KILL_GRACE`] is killed whole.

use super::manim::{manim_env, ManimRun};
use super::process::{self, ChildOutput, StderrLines};
use super::Renderer;
use crate::error::{Error, Result};
use crate::layout::probe::ProbeFiles;
use serde::Deserialize;
use std::collections::{HashMap, VecDeque};
use std::os::unix::process::ExitStatusExt;
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

/// The worker's first argument: every process it forks (renders, and whatever they start)
/// carries it in its command line, next to the writable dirs.
pub const WORKER_TAG: &str = "t2v-render-worker";

/// How long a killed child may take to be reported gone before the whole worker is killed.
pub const KILL_GRACE: Duration = Duration::from_millis(700);

/// What the worker says, one JSON object a line.
#[derive(Debug, Deserialize)]
#[serde(tag = "event", rename_all = "lowercase")]
enum Event {
    Ready { pid: u32, import_secs: f64 },
    Started { id: u64 },
    Stderr { id: u64, text: String },
    Exit { id: u64, status: i32 },
    Error { id: u64, message: String },
}

/// How a warm render ended.
#[derive(Debug)]
pub enum WarmOutcome {
    /// The child ran (or was cancelled / timed out): what a cold render would return.
    Done(Result<ChildOutput>),
    /// The worker could not run it (gone, or fork failed); the reason, for the fallback log line.
    Unavailable(String),
}

type Routes = Arc<Mutex<HashMap<u64, mpsc::UnboundedSender<Event>>>>;

/// A running worker. Dropping it kills it and everything it started.
pub struct WarmWorker {
    pub writable: Vec<PathBuf>,
    /// (device, inode) of each writable dir when the sandbox bound it: a dir removed and made
    /// again since is not the one the sandbox sees.
    bound: Vec<Option<(u64, u64)>>,
    stdin: tokio::sync::Mutex<tokio::process::ChildStdin>,
    routes: Routes,
    alive: Arc<AtomicBool>,
    next_id: AtomicU64,
    child: Mutex<tokio::process::Child>,
    pid: Option<u32>,
    /// The worker's own stderr (an import error, a traceback), last lines.
    diag: Arc<Mutex<VecDeque<String>>>,
    /// Seconds the worker took to import Manim, once it said it is ready.
    import_secs: Arc<Mutex<Option<f64>>>,
}

impl std::fmt::Debug for WarmWorker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WarmWorker")
            .field("pid", &self.pid)
            .field("writable", &self.writable)
            .finish()
    }
}

impl WarmWorker {
    /// Starts a worker that may write into `writable` (each dir created if missing). It imports
    /// Manim in the background; requests sent before it is ready wait in its stdin.
    pub fn start(renderer: &Renderer, writable: Vec<PathBuf>) -> Result<WarmWorker> {
        let first = writable
            .first()
            .cloned()
            .ok_or_else(|| Error::Media("a warm worker needs a writable dir".into()))?;
        for w in &writable {
            std::fs::create_dir_all(w).map_err(|e| Error::io("creating a work dir", e))?;
        }
        let script = renderer.worker_script.clone().map_err(Error::Media)?;
        let mut args: Vec<String> = vec![script.to_string_lossy().into_owned(), WORKER_TAG.into()];
        args.extend(writable.iter().map(|w| w.to_string_lossy().into_owned()));
        let mut read_only = renderer.manim_read_only();
        read_only.push(script);
        // The layout probe's files, which each render's child imports (as a cold render does).
        read_only.extend(renderer.probe.as_ref().map(|p| p.dir.clone()));
        let mut cmd = renderer.sandbox.command_writing(
            &renderer.python.python(),
            &args,
            &first,
            &writable,
            &read_only,
            &manim_env(&first),
        );
        cmd.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        process::own_group(&mut cmd);
        let mut child = cmd
            .spawn()
            .map_err(|e| Error::io("cannot start the warm render worker", e))?;
        let pid = child.id();
        let stdin = child.stdin.take().expect("piped");
        let stdout = child.stdout.take().expect("piped");
        let mut stderr = child.stderr.take().expect("piped");
        let routes: Routes = Default::default();
        let alive = Arc::new(AtomicBool::new(true));
        let diag: Arc<Mutex<VecDeque<String>>> = Default::default();
        let import_secs: Arc<Mutex<Option<f64>>> = Default::default();
        {
            let diag = diag.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 8192];
                let mut lines = StderrLines::default();
                while let Ok(n) = stderr.read(&mut buf).await {
                    if n == 0 {
                        break;
                    }
                    lines.push(&buf[..n], &mut |l: &str| {
                        let mut d = diag.lock().unwrap_or_else(|e| e.into_inner());
                        if d.len() == 20 {
                            d.pop_front();
                        }
                        d.push_back(l.to_string());
                    });
                }
            });
        }
        {
            let (routes, alive, import_secs) = (routes.clone(), alive.clone(), import_secs.clone());
            tokio::spawn(async move {
                let mut lines = BufReader::new(stdout).lines();
                while let Ok(Some(line)) = lines.next_line().await {
                    let Ok(ev) = serde_json::from_str::<Event>(&line) else {
                        tracing::warn!("warm render worker: unreadable event {line:?}");
                        break;
                    };
                    let id = match &ev {
                        Event::Ready {
                            import_secs: s,
                            pid,
                        } => {
                            tracing::debug!("warm render worker {pid} ready in {s:.2} s");
                            *import_secs.lock().unwrap_or_else(|e| e.into_inner()) = Some(*s);
                            continue;
                        }
                        Event::Started { id, .. }
                        | Event::Stderr { id, .. }
                        | Event::Exit { id, .. }
                        | Event::Error { id, .. } => *id,
                    };
                    let routes = routes.lock().unwrap_or_else(|e| e.into_inner());
                    if let Some(tx) = routes.get(&id) {
                        let _ = tx.send(ev);
                    }
                }
                alive.store(false, Ordering::SeqCst);
                // Every waiting render sees its channel close: the worker is gone.
                routes.lock().unwrap_or_else(|e| e.into_inner()).clear();
            });
        }
        let bound = writable.iter().map(|w| dir_id(w)).collect();
        Ok(WarmWorker {
            bound,
            writable,
            stdin: tokio::sync::Mutex::new(stdin),
            routes,
            alive,
            next_id: AtomicU64::new(1),
            child: Mutex::new(child),
            pid,
            diag,
            import_secs,
        })
    }

    pub fn is_alive(&self) -> bool {
        self.alive.load(Ordering::SeqCst)
    }

    /// Every writable dir is still the one the sandbox bound.
    pub fn binds_intact(&self) -> bool {
        self.writable
            .iter()
            .zip(&self.bound)
            .all(|(w, b)| b.is_some() && dir_id(w) == *b)
    }

    /// The host pid of the worker's sandbox (bubblewrap) or of the worker itself (no sandbox).
    pub fn pid(&self) -> Option<u32> {
        self.pid
    }

    /// How long the worker took to import Manim, once it is ready.
    pub fn import_secs(&self) -> Option<f64> {
        *self.import_secs.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Why the worker is gone: its last stderr line, if any.
    fn gone_reason(&self) -> String {
        let d = self.diag.lock().unwrap_or_else(|e| e.into_inner());
        match d.back() {
            Some(l) => format!("the warm render worker stopped ({l})"),
            None => "the warm render worker stopped".into(),
        }
    }

    /// Kills the worker and everything in its sandbox.
    pub fn kill(&self) {
        self.alive.store(false, Ordering::SeqCst);
        if let Some(pid) = self.pid {
            // SAFETY: killpg only sends a signal; the group is the worker's (process_group(0)).
            unsafe {
                libc::killpg(pid as libc::pid_t, libc::SIGKILL);
            }
        }
        let mut c = self.child.lock().unwrap_or_else(|e| e.into_inner());
        let _ = c.start_kill();
        let _ = c.try_wait();
    }

    async fn send(&self, value: serde_json::Value) -> bool {
        let mut line = value.to_string();
        line.push('\n');
        let mut stdin = self.stdin.lock().await;
        stdin.write_all(line.as_bytes()).await.is_ok() && stdin.flush().await.is_ok()
    }

    /// Runs one scene in a fresh child of the worker, with `memory_limit` bytes of address space
    /// (0 = the worker's). Cancel and `timeout` kill the child's process group.
    pub async fn run(
        &self,
        run: &ManimRun,
        probe: Option<&ProbeFiles>,
        memory_limit: u64,
        cancel: &CancellationToken,
        timeout: Option<Duration>,
        on_line: &mut (dyn FnMut(&str) + Send),
    ) -> WarmOutcome {
        if !self.is_alive() {
            return WarmOutcome::Unavailable(self.gone_reason());
        }
        let id = self.next_id.fetch_add(1, Ordering::SeqCst);
        let (tx, mut rx) = mpsc::unbounded_channel();
        self.routes
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(id, tx);
        let outcome = self
            .drive(
                id,
                run,
                probe,
                memory_limit,
                cancel,
                timeout,
                on_line,
                &mut rx,
            )
            .await;
        self.routes
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&id);
        outcome
    }

    #[allow(clippy::too_many_arguments)]
    async fn drive(
        &self,
        id: u64,
        run: &ManimRun,
        probe: Option<&ProbeFiles>,
        memory_limit: u64,
        cancel: &CancellationToken,
        timeout: Option<Duration>,
        on_line: &mut (dyn FnMut(&str) + Send),
        rx: &mut mpsc::UnboundedReceiver<Event>,
    ) -> WarmOutcome {
        let env: serde_json::Map<String, serde_json::Value> = manim_env(&run.work)
            .into_iter()
            .chain([("HOME".to_string(), run.work.to_string_lossy().into_owned())])
            .map(|(k, v)| (k, v.into()))
            .collect();
        let request = serde_json::json!({
            "op": "render",
            "id": id,
            "cwd": run.work,
            "args": run.args,
            "env": env,
            "memory_limit": memory_limit,
            "probe": probe_request(probe, run),
        });
        let started = std::time::Instant::now();
        if !self.send(request).await {
            return WarmOutcome::Unavailable(self.gone_reason());
        }
        // The clock runs from the request (a worker still importing counts, as a cold render's
        // own import does) and starts again when the child is forked.
        let far = tokio::time::Instant::now() + Duration::from_secs(365 * 24 * 3600);
        let deadline = |from: tokio::time::Instant| timeout.map_or(far, |t| from + t);
        let sleep = tokio::time::sleep_until(deadline(tokio::time::Instant::now()));
        tokio::pin!(sleep);
        let mut lines = StderrLines::default();
        let stopped: Error = loop {
            tokio::select! {
                biased;
                _ = cancel.cancelled() => break Error::Cancelled,
                _ = &mut sleep => break Error::Timeout {
                    what: run.what.clone(),
                    secs: timeout.map_or(0, |t| t.as_secs()),
                },
                ev = rx.recv() => match ev {
                    None => return WarmOutcome::Unavailable(self.gone_reason()),
                    Some(Event::Stderr { text, .. }) => lines.push(text.as_bytes(), on_line),
                    Some(Event::Exit { status, .. }) => {
                        process::count_child(started.elapsed());
                        return WarmOutcome::Done(Ok(ChildOutput {
                            status: std::process::ExitStatus::from_raw(status),
                            stdout: String::new(),
                            stderr_tail: lines.finish(on_line),
                        }));
                    }
                    Some(Event::Error { message, .. }) => {
                        return WarmOutcome::Unavailable(format!("the warm worker could not start the render: {message}"));
                    }
                    Some(Event::Started { .. }) => {
                        sleep.as_mut().reset(deadline(tokio::time::Instant::now()));
                    }
                    Some(Event::Ready { .. }) => {}
                },
            }
        };
        // Cancelled or timed out: the child's group goes; the worker confirms with its exit.
        let confirmed = self.send(serde_json::json!({"op": "kill", "id": id})).await
            && tokio::time::timeout(KILL_GRACE, async {
                while let Some(ev) = rx.recv().await {
                    if matches!(ev, Event::Exit { .. }) {
                        return true;
                    }
                }
                false
            })
            .await
            .unwrap_or(false);
        if !confirmed {
            tracing::warn!(
                "the warm render worker did not confirm a kill within {KILL_GRACE:?}; killing it"
            );
            self.kill();
        }
        process::count_child(started.elapsed());
        WarmOutcome::Done(Err(stopped))
    }
}

/// The request's `probe`: the scene runs under the layout probe when the renderer has one and
/// the run asks for it, exactly as the cold path's launcher would run it.
fn probe_request(probe: Option<&ProbeFiles>, run: &ManimRun) -> serde_json::Value {
    match (probe, &run.layout) {
        (Some(probe), Some((findings, scene_file))) => serde_json::json!({
            "module": probe.launcher(),
            "findings": findings,
            "scene_file": scene_file,
        }),
        _ => serde_json::Value::Null,
    }
}

impl Drop for WarmWorker {
    fn drop(&mut self) {
        self.kill();
    }
}

fn dir_id(p: &std::path::Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(p).ok().map(|m| (m.dev(), m.ino()))
}
