//! The job manager a long-running front end (the desktop app) uses over the [`App`] façade:
//! a queue with a job-concurrency limit, a cancellation token per running job (cancelling kills
//! the job's render processes), progress fan-out to subscribers throttled to about thirty events
//! a second per job (first, milestones and last always delivered), and a low-rate "jobs changed"
//! notice. Nothing here knows about Tauri.

#[cfg(test)]
mod tests;
mod throttle;
mod worker;

use crate::app::App;
use crate::error::{Error, ErrorPayload, Result};
use crate::model::job::{short_id, JobOptions, JobRecord, JobStatus};
use crate::model::versions::SceneEdit;
use crate::progress::ProgressEvent;
use crate::settings::Settings;
use crate::topic::Topic;
use serde::Serialize;
use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use throttle::Throttle;
use tokio_util::sync::CancellationToken;

/// Fine-grained progress is forwarded at most this often per job. A held-back event waits at
/// most this long plus one flush tick, so this bounds how stale the UI can be: 100 ms with a
/// 100 ms tick gave a p99 age of ~130 ms (`theory2video-bench`, docs/performance.md); 33 ms
/// (one update per two 60 Hz frames) with a quarter-interval tick keeps it under 50 ms.
pub const PROGRESS_INTERVAL: Duration = Duration::from_millis(33);
/// How often held-back progress is checked for being due.
const FLUSH_TICK: Duration = Duration::from_millis(8);
/// "Jobs changed" is announced at most this often.
pub const CHANGED_INTERVAL: Duration = Duration::from_millis(500);

/// What subscribers receive.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ManagerEvent {
    /// A (throttled) progress event of a running job.
    Progress(ProgressEvent),
    /// A job left the manager: completed, failed or cancelled (also when cancelled while queued).
    Finished {
        job_id: String,
        topic: String,
        status: JobStatus,
        error: Option<ErrorPayload>,
    },
}

/// A subscriber; returns `false` when it is gone (it is then dropped).
pub type Listener = Arc<dyn Fn(&ManagerEvent) -> bool + Send + Sync>;
/// Called (at a low rate) when jobs were added, started, finished or deleted.
pub type ChangedListener = Arc<dyn Fn() + Send + Sync>;

/// Where a managed job is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Slot {
    Queued,
    Running,
}

struct Entry {
    id: String,
    resume: bool,
    /// A scene studio edit: the scene and the change.
    edit: Option<(u32, SceneEdit)>,
}

#[derive(Default)]
struct State {
    queue: VecDeque<Entry>,
    running: HashMap<String, CancellationToken>,
    shutting_down: bool,
}

#[derive(Default)]
struct Listeners {
    next: u64,
    progress: Vec<(u64, Listener)>,
    changed: Vec<(u64, ChangedListener)>,
}

#[derive(Default)]
struct Changed {
    last: Option<Instant>,
    scheduled: bool,
}

struct Inner {
    app: Arc<App>,
    runtime: tokio::runtime::Handle,
    state: Mutex<State>,
    throttle: Mutex<Throttle>,
    listeners: Mutex<Listeners>,
    changed: Mutex<Changed>,
    idle: tokio::sync::Notify,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Cheap to clone; all clones share one queue.
#[derive(Clone)]
pub struct JobManager {
    inner: Arc<Inner>,
}

impl JobManager {
    /// A manager over `app` whose jobs run on `runtime`, with the app's settings.
    pub fn new(app: Arc<App>, runtime: tokio::runtime::Handle) -> Self {
        JobManager {
            inner: Arc::new(Inner {
                app,
                runtime,
                state: Mutex::new(State::default()),
                throttle: Mutex::new(Throttle::new(PROGRESS_INTERVAL)),
                listeners: Mutex::new(Listeners::default()),
                changed: Mutex::new(Changed::default()),
                idle: tokio::sync::Notify::new(),
            }),
        }
    }

    pub fn app(&self) -> &Arc<App> {
        &self.inner.app
    }

    pub fn settings(&self) -> Settings {
        self.inner.app.settings()
    }

    /// Validates, saves and applies settings (the app's one copy); a higher job concurrency
    /// starts queued jobs now.
    pub fn set_settings(&self, s: Settings) -> Result<Settings> {
        let s = self.inner.app.set_settings(s)?;
        self.inner.pump();
        Ok(s)
    }

    /// Job options from the current settings (the form's defaults).
    pub fn job_options(&self) -> JobOptions {
        self.settings().job_options()
    }

    /// Marks jobs stranded by a crash as interrupted (call once at start-up).
    pub fn recover(&self) -> Result<Vec<String>> {
        let ids = self.inner.app.recover()?;
        if !ids.is_empty() {
            self.inner.changed();
        }
        Ok(ids)
    }

    /// Queues one job per topic (all or nothing: the writer is checked first).
    pub fn submit(
        &self,
        topics: Vec<(Topic, Option<PathBuf>)>,
        options: JobOptions,
    ) -> Result<Vec<JobRecord>> {
        self.ensure_open()?;
        self.inner.app.writer(&options.writer)?;
        let mut jobs = Vec::with_capacity(topics.len());
        for (topic, source) in topics {
            let job = self.inner.app.submit(topic, options.clone(), source)?;
            self.inner.enqueue(Entry {
                id: job.id.clone(),
                resume: false,
                edit: None,
            });
            jobs.push(job);
        }
        self.inner.changed();
        Ok(jobs)
    }

    /// Queues a job that is already in the store as `queued` (submitted with [`App::submit`]),
    /// so a front end can show it before it starts.
    pub fn queue(&self, id: &str) -> Result<JobRecord> {
        self.ensure_open()?;
        let job = self.inner.app.store.job(id)?;
        if job.status != JobStatus::Queued || self.slot(&job.id).is_some() {
            return Err(Error::Conflict(format!(
                "job {} is {}; only a queued job not yet managed can be queued",
                short_id(&job.id),
                job.status
            )));
        }
        self.inner.enqueue(Entry {
            id: job.id.clone(),
            resume: false,
            edit: None,
        });
        self.inner.changed();
        Ok(job)
    }

    /// Queues a new job with the same request as `id`.
    pub fn rerun(&self, id: &str) -> Result<JobRecord> {
        self.ensure_open()?;
        let job = self.inner.app.rerun(id)?;
        self.inner.enqueue(Entry {
            id: job.id.clone(),
            resume: false,
            edit: None,
        });
        self.inner.changed();
        Ok(job)
    }

    /// Queues an interrupted, failed or cancelled job to continue where it stopped, reusing every
    /// valid artefact.
    pub fn resume(&self, id: &str) -> Result<JobRecord> {
        self.ensure_open()?;
        let store = &self.inner.app.store;
        let job = store.job(id)?;
        if self.slot(&job.id).is_some() {
            return Err(Error::Conflict(format!(
                "job {} is already queued or running here",
                short_id(&job.id)
            )));
        }
        job.ensure_resumable()?;
        // The record keeps its resumable status while queued here (`slot` says Queued), so the
        // tracker continues from its stored progress when it starts.
        self.inner.enqueue(Entry {
            id: job.id.clone(),
            resume: true,
            edit: None,
        });
        self.inner.changed();
        store.job(&job.id)
    }

    /// Queues an edit of scene `index` of job `id` (a unique prefix will do): it runs as that
    /// job, with progress to subscribers and a `Finished` event like any job, and makes a new
    /// video version (see [`crate::studio`]). The edit is checked first ([`App::prepare_edit`]):
    /// bad input is an error here and changes nothing. A job already queued or running (here or
    /// in another process) is a conflict: one run per job at a time.
    pub fn edit_scene(&self, id: &str, index: u32, edit: SceneEdit) -> Result<JobRecord> {
        self.ensure_open()?;
        let store = &self.inner.app.store;
        let job = store.job(id)?;
        if self.slot(&job.id).is_some() || job.status.is_active() {
            return Err(Error::Conflict(format!(
                "job {} is {}; wait for it to end or cancel it before changing a scene",
                short_id(&job.id),
                if self.slot(&job.id) == Some(Slot::Queued) {
                    "queued".to_string()
                } else {
                    job.status.to_string()
                }
            )));
        }
        self.inner.app.prepare_edit(&job.id, index, &edit)?;
        self.inner.enqueue(Entry {
            id: job.id.clone(),
            resume: false,
            edit: Some((index, edit)),
        });
        self.inner.changed();
        store.job(&job.id)
    }

    /// Cancels a queued job at once, or stops a running one (its processes are killed; the job
    /// becomes `cancelled` shortly after and a `Finished` event follows).
    pub fn cancel(&self, id: &str) -> Result<JobRecord> {
        let store = &self.inner.app.store;
        let job = store.job(id)?;
        let mut st = lock(&self.inner.state);
        if let Some(tok) = st.running.get(&job.id) {
            tok.cancel();
            return Ok(job);
        }
        if let Some(pos) = st.queue.iter().position(|e| e.id == job.id) {
            st.queue.remove(pos);
            drop(st);
            self.inner.cancel_queued(&job.id);
            self.inner.changed();
            return store.job(&job.id);
        }
        drop(st);
        Err(Error::Conflict(if job.status.is_active() {
            format!(
                "job {} is run by another process; stop it there",
                short_id(&job.id)
            )
        } else {
            format!(
                "job {} is {}; only active jobs can be cancelled",
                short_id(&job.id),
                job.status
            )
        }))
    }

    /// Deletes a finished job (see [`App::delete_job`]).
    pub fn delete(&self, id: &str) -> Result<JobRecord> {
        let job = self.inner.app.store.job(id)?;
        if self.slot(&job.id).is_some() {
            return Err(Error::Conflict(format!(
                "job {} is active; cancel it first",
                short_id(&job.id)
            )));
        }
        let job = self.inner.app.delete_job(&job.id)?;
        self.inner.changed();
        Ok(job)
    }

    /// Where a job is in this manager, if it is here at all.
    pub fn slot(&self, id: &str) -> Option<Slot> {
        let st = lock(&self.inner.state);
        if st.running.contains_key(id) {
            Some(Slot::Running)
        } else if st.queue.iter().any(|e| e.id == id) {
            Some(Slot::Queued)
        } else {
            None
        }
    }

    /// Managed jobs: running first, then the queue in order.
    pub fn active(&self) -> Vec<(String, Slot)> {
        let st = lock(&self.inner.state);
        let mut v: Vec<(String, Slot)> = st
            .running
            .keys()
            .map(|id| (id.clone(), Slot::Running))
            .collect();
        v.extend(st.queue.iter().map(|e| (e.id.clone(), Slot::Queued)));
        v
    }

    /// Adds a progress subscriber; returns its id for [`JobManager::unsubscribe`].
    pub fn subscribe(&self, listener: Listener) -> u64 {
        let mut l = lock(&self.inner.listeners);
        l.next += 1;
        let id = l.next;
        l.progress.push((id, listener));
        id
    }

    pub fn unsubscribe(&self, id: u64) {
        let mut l = lock(&self.inner.listeners);
        l.progress.retain(|(i, _)| *i != id);
        l.changed.retain(|(i, _)| *i != id);
    }

    /// Adds a "jobs changed" listener (called at most every [`CHANGED_INTERVAL`]).
    pub fn on_jobs_changed(&self, listener: ChangedListener) -> u64 {
        let mut l = lock(&self.inner.listeners);
        l.next += 1;
        let id = l.next;
        l.changed.push((id, listener));
        id
    }

    /// For app close: refuses new work, cancels the queue and stops every running job.
    pub fn cancel_all(&self) {
        let (queued, tokens) = {
            let mut st = lock(&self.inner.state);
            st.shutting_down = true;
            let queued: Vec<Entry> = st.queue.drain(..).collect();
            let tokens: Vec<CancellationToken> = st.running.values().cloned().collect();
            (queued, tokens)
        };
        for t in tokens {
            t.cancel();
        }
        for e in queued {
            self.inner.cancel_queued(&e.id);
        }
        self.inner.changed();
    }

    /// [`JobManager::cancel_all`], then waits (up to `timeout`) until no job runs. Returns
    /// whether everything stopped in time.
    pub async fn shutdown(&self, timeout: Duration) -> bool {
        self.cancel_all();
        self.wait_idle(timeout).await
    }

    /// Waits until no job runs (or `timeout`); returns whether it is idle.
    pub async fn wait_idle(&self, timeout: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let notified = self.inner.idle.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if lock(&self.inner.state).running.is_empty() {
                return true;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                return lock(&self.inner.state).running.is_empty();
            }
        }
    }

    fn ensure_open(&self) -> Result<()> {
        if lock(&self.inner.state).shutting_down {
            return Err(Error::Conflict("the app is closing".into()));
        }
        Ok(())
    }
}
