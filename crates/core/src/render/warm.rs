//! Warm renders (issue 12): Manim imported once per job by a worker in the render sandbox, each
//! scene rendered in a fresh child forked from it ([`warm_worker`](super::warm_worker)).
//!
//! A job leases a worker for its scenes' work dirs ([`WarmPool::lease`]); the worker may write
//! only there. When every scene rendered the worker stays in the pool, idle, so that the next job
//! on the same topic (a re-run, a one-scene edit) starts warm; a lease for other dirs replaces it.
//! A failed or cancelled job's worker is killed with everything it started.
//! Where fork is not available (not Unix), when warm renders are off in the settings, or when the
//! worker cannot start or dies, renders run cold (one `python -m manim` per scene) and the lease
//! keeps a note for the job log, never failing the job.

use super::manim::ManimRun;
#[cfg(unix)]
use super::warm_worker::{WarmOutcome, WarmWorker};
use super::{process::ChildOutput, Renderer};
use crate::error::Result;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// Whether scenes render warm or cold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RenderMode {
    /// A warm worker per job, falling back to cold.
    Warm,
    /// One new Manim process per scene.
    Cold,
}

/// The idle worker and the job it last served.
#[cfg(unix)]
type Slot = Option<(Arc<WarmWorker>, String)>;
#[cfg(not(unix))]
type Slot = Option<()>;

/// Writes the worker's script (`crates/core/python/t2v_render_worker.py`, built in) to `path`
/// unless it is there already; the sandbox binds it read-only.
pub fn install_worker_script(path: &Path) -> std::result::Result<PathBuf, String> {
    let source = include_str!("../../python/t2v_render_worker.py");
    if std::fs::read_to_string(path).ok().as_deref() != Some(source) {
        // A unique temp file and a rename: a worker never starts from half a script, and two
        // jobs installing it at once never share a temp file.
        crate::util::fs::write_atomic(path, source.as_bytes()).map_err(|e| e.to_string())?;
    }
    Ok(path.to_path_buf())
}

/// The app's warm workers: at most one idle (the last job's), any number leased.
#[derive(Clone, Default)]
pub struct WarmPool {
    idle: Arc<Mutex<Slot>>,
}

impl std::fmt::Debug for WarmPool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WarmPool")
    }
}

/// A job's hold on a warm worker. Renders through it go warm while the worker lives.
pub struct WarmLease {
    #[cfg(unix)]
    worker: Option<Arc<WarmWorker>>,
    pool: WarmPool,
    notes: Mutex<Vec<String>>,
    /// The job to keep the worker idle for, once every scene rendered.
    keep: Mutex<Option<String>>,
}

impl WarmPool {
    /// Drops the idle worker (it is killed).
    pub fn clear(&self) {
        self.idle.lock().unwrap_or_else(|e| e.into_inner()).take();
    }

    /// Kills the idle worker if `job` left it (the job failed or was cancelled after rendering).
    pub fn discard(&self, job: &str) {
        let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
        #[cfg(unix)]
        if idle.as_ref().is_some_and(|(_, j)| j == job) {
            idle.take();
        }
        #[cfg(not(unix))]
        let _ = (&mut idle, job);
    }

    /// The host pid of the idle worker's sandbox, if one is waiting.
    pub fn idle_pid(&self) -> Option<u32> {
        #[cfg(unix)]
        {
            let idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
            idle.as_ref().and_then(|(w, _)| w.pid())
        }
        #[cfg(not(unix))]
        None
    }

    /// A worker that may write into `writable` (the job's scene work dirs): the idle one if it
    /// was started for the same dirs and still lives, else a new one. Always returns a lease; one
    /// without a worker renders cold and says why in [`WarmLease::take_notes`].
    pub fn lease(&self, renderer: &Renderer, writable: Vec<PathBuf>) -> WarmLease {
        let mut lease = WarmLease {
            #[cfg(unix)]
            worker: None,
            pool: self.clone(),
            notes: Mutex::new(Vec::new()),
            keep: Mutex::new(None),
        };
        let cold = |why: &str| format!("warm renders off ({why}): every scene renders cold");
        if renderer.render_mode == RenderMode::Cold {
            lease.note(cold("cold renders chosen in the settings"));
            return lease;
        }
        #[cfg(feature = "bench-hooks")]
        if renderer.fake_render.is_some() {
            return lease;
        }
        #[cfg(not(unix))]
        {
            let _ = writable;
            lease.note(cold("fork is not available on this platform"));
        }
        #[cfg(unix)]
        if let Err(why) = &renderer.worker_script {
            lease.note(cold(&format!(
                "the worker script could not be written: {why}"
            )));
            return lease;
        }
        #[cfg(unix)]
        {
            let idle = self.idle.lock().unwrap_or_else(|e| e.into_inner()).take();
            let reuse = idle
                .map(|(w, _)| w)
                .filter(|w| w.is_alive() && w.writable == writable && w.binds_intact());
            lease.worker = match reuse {
                Some(w) => Some(w),
                None => match WarmWorker::start(renderer, writable) {
                    Ok(w) => Some(Arc::new(w)),
                    Err(e) => {
                        lease.note(cold(&format!("the worker did not start: {e}")));
                        None
                    }
                },
            };
        }
        lease
    }
}

impl WarmLease {
    fn note(&self, line: String) {
        tracing::warn!("{line}");
        self.notes
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(line);
    }

    /// Lines for the job log since the last call (fallbacks to cold and why).
    pub fn take_notes(&self) -> Vec<String> {
        std::mem::take(&mut *self.notes.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// The leased worker's host pid (its sandbox), while it lives.
    pub fn worker_pid(&self) -> Option<u32> {
        #[cfg(unix)]
        {
            self.worker
                .as_ref()
                .filter(|w| w.is_alive())
                .and_then(|w| w.pid())
        }
        #[cfg(not(unix))]
        None
    }

    /// Seconds the worker took to import Manim (once it is ready).
    pub fn import_secs(&self) -> Option<f64> {
        #[cfg(unix)]
        {
            self.worker.as_ref().and_then(|w| w.import_secs())
        }
        #[cfg(not(unix))]
        None
    }

    /// When the lease ends, the worker waits idle in the pool (call when every scene of `job`
    /// rendered). Without this (failed or cancelled renders) it is killed with whatever it still
    /// runs; [`WarmPool::discard`] kills it if the job fails or is cancelled later.
    pub fn keep_idle(&self, job: &str) {
        *self.keep.lock().unwrap_or_else(|e| e.into_inner()) = Some(job.to_string());
    }

    /// Kills the worker (tests: a worker that dies mid-job).
    pub fn kill_worker(&self) {
        #[cfg(unix)]
        if let Some(w) = &self.worker {
            w.kill();
        }
    }

    #[cfg(unix)]
    fn usable_for(&self, work: &Path) -> Option<&Arc<WarmWorker>> {
        let w = self.worker.as_ref()?;
        (w.binds_intact() && w.writable.iter().any(|d| work.starts_with(d))).then_some(w)
    }
}

impl Drop for WarmLease {
    fn drop(&mut self) {
        #[cfg(unix)]
        if let Some(w) = self.worker.take() {
            let keep = self.keep.lock().unwrap_or_else(|e| e.into_inner()).take();
            if let Some(job) = keep.filter(|_| w.is_alive()) {
                // The newest job's worker waits idle; the one it replaces is killed.
                *self.pool.idle.lock().unwrap_or_else(|e| e.into_inner()) = Some((w, job));
            }
        }
        #[cfg(not(unix))]
        let _ = &self.pool;
    }
}

/// Runs one `manim` for a scene: warm through `lease` when it has a live worker that may write
/// into the scene's work dir, else (or when the worker goes away mid-render) cold, with a note.
pub(crate) async fn run_manim(
    renderer: &Renderer,
    lease: Option<&WarmLease>,
    run: &ManimRun,
    cancel: &CancellationToken,
    timeout: Option<Duration>,
    on_line: &mut (dyn FnMut(&str) + Send),
) -> Result<ChildOutput> {
    #[cfg(unix)]
    if let Some(lease) = lease {
        match lease.usable_for(&run.work) {
            Some(worker) => {
                let limit = renderer.sandbox.memory_limit;
                let probe = renderer.probe.as_ref();
                match worker.run(run, probe, limit, cancel, timeout, on_line).await {
                    WarmOutcome::Done(r) => return r,
                    WarmOutcome::Unavailable(why) => {
                        on_line(&format!("({why}; rendering again cold)"));
                        lease.note(format!("{}: {why}; rendered cold instead", run.what));
                    }
                }
            }
            None if lease.worker.is_some() => lease.note(format!(
                "{}: its work dir {} is not one the warm worker may write (or was made again since); rendered cold",
                run.what,
                run.work.display()
            )),
            None => {}
        }
    }
    #[cfg(not(unix))]
    let _ = lease;
    renderer.run_manim_cold(run, cancel, timeout, on_line).await
}
