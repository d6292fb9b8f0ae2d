//! The running side of the manager: starting queued jobs, driving one job (with the throttle's
//! flush timer), reporting its end, fan-out to subscribers and the coalesced "jobs changed".

use super::{
    lock, ChangedListener, Entry, Inner, Listener, ManagerEvent, CHANGED_INTERVAL, FLUSH_TICK,
};
use crate::error::{Error, Result};
use crate::model::job::short_id;
use crate::progress::{ProgressEvent, SharedSink};
use futures::FutureExt;
use std::sync::Arc;
use std::time::Instant;
use tokio_util::sync::CancellationToken;

impl Inner {
    pub(super) fn enqueue(self: &Arc<Self>, entry: Entry) {
        lock(&self.state).queue.push_back(entry);
        self.pump();
    }

    /// Starts queued jobs while there is room.
    pub(super) fn pump(self: &Arc<Self>) {
        let limit = self.app.settings().job_concurrency.max(1);
        let mut st = lock(&self.state);
        while st.running.len() < limit && !st.shutting_down {
            let Some(entry) = st.queue.pop_front() else {
                break;
            };
            let token = CancellationToken::new();
            st.running.insert(entry.id.clone(), token.clone());
            let me = self.clone();
            self.runtime
                .spawn(async move { me.drive(entry, token).await });
        }
    }

    /// Runs one job, flushing held-back progress on a timer, then reports its end.
    pub(super) async fn drive(self: Arc<Self>, entry: Entry, token: CancellationToken) {
        self.changed();
        let run = std::panic::AssertUnwindSafe(self.execute(&entry, token)).catch_unwind();
        tokio::pin!(run);
        let mut tick = tokio::time::interval(FLUSH_TICK);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let outcome = loop {
            tokio::select! {
                r = &mut run => break r,
                _ = tick.tick() => {
                    let due = lock(&self.throttle).flush_due(&entry.id, Instant::now());
                    if let Some(e) = due {
                        self.broadcast(&ManagerEvent::Progress(e));
                    }
                }
            }
        };
        let store = &self.app.store;
        let outcome = match outcome {
            Ok(r) => r,
            Err(_) => Err(Error::Internal("the job's task panicked".into())),
        };
        if let Err(e) = &outcome {
            tracing::error!(job = short_id(&entry.id), %e, "job ended with an error");
            let _ = store.fail(&entry.id, &e.payload());
        }
        if let Some(last) = lock(&self.throttle).finish(&entry.id) {
            self.broadcast(&ManagerEvent::Progress(last));
        }
        {
            let mut st = lock(&self.state);
            st.running.remove(&entry.id);
        }
        if let Ok(job) = store.job(&entry.id) {
            self.broadcast(&ManagerEvent::Finished {
                job_id: job.id.clone(),
                topic: job.topic.clone(),
                status: job.status,
                error: job.error.clone(),
            });
        }
        self.changed();
        self.pump();
        self.idle.notify_waiters();
    }

    pub(super) async fn execute(
        self: &Arc<Self>,
        entry: &Entry,
        token: CancellationToken,
    ) -> Result<()> {
        let me = self.clone();
        let sink: SharedSink = Arc::new(move |e: &ProgressEvent| me.progress(e));
        match &entry.edit {
            Some((index, edit)) => {
                self.app
                    .execute_edit(&entry.id, *index, edit.clone(), sink, token)
                    .await?
            }
            None => {
                self.app
                    .execute(&entry.id, entry.resume, sink, token)
                    .await?
            }
        };
        Ok(())
    }

    pub(super) fn progress(&self, e: &ProgressEvent) {
        let out = lock(&self.throttle).offer(e, Instant::now());
        if let Some(e) = out {
            self.broadcast(&ManagerEvent::Progress(e));
        }
    }

    pub(super) fn cancel_queued(&self, id: &str) {
        let store = &self.app.store;
        if let Err(e) = store.fail(id, &Error::Cancelled.payload()) {
            tracing::error!(%e, "could not mark a queued job cancelled");
        }
        if let Ok(job) = store.job(id) {
            self.broadcast(&ManagerEvent::Finished {
                job_id: job.id.clone(),
                topic: job.topic.clone(),
                status: job.status,
                error: job.error.clone(),
            });
        }
    }

    pub(super) fn broadcast(&self, event: &ManagerEvent) {
        let listeners: Vec<(u64, Listener)> = lock(&self.listeners).progress.clone();
        let gone: Vec<u64> = listeners
            .iter()
            .filter(|(_, l)| !l(event))
            .map(|(id, _)| *id)
            .collect();
        if !gone.is_empty() {
            lock(&self.listeners)
                .progress
                .retain(|(id, _)| !gone.contains(id));
        }
    }

    /// Announces a change now, or once at the end of the current interval.
    pub(super) fn changed(self: &Arc<Self>) {
        let mut c = lock(&self.changed);
        if c.scheduled {
            return;
        }
        let now = Instant::now();
        match c.last.map(|t| now.saturating_duration_since(t)) {
            Some(since) if since < CHANGED_INTERVAL => {
                c.scheduled = true;
                let me = self.clone();
                self.runtime.spawn(async move {
                    tokio::time::sleep(CHANGED_INTERVAL - since).await;
                    {
                        let mut c = lock(&me.changed);
                        c.scheduled = false;
                        c.last = Some(Instant::now());
                    }
                    me.notify_changed();
                });
            }
            _ => {
                c.last = Some(now);
                drop(c);
                self.notify_changed();
            }
        }
    }

    pub(super) fn notify_changed(&self) {
        let listeners: Vec<ChangedListener> = lock(&self.listeners)
            .changed
            .iter()
            .map(|(_, l)| l.clone())
            .collect();
        for l in listeners {
            l();
        }
    }
}
