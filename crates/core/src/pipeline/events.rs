//! Stores progress events (milestones always, fine-grained ones at most once a second per job)
//! and forwards every event to the caller's sink.

use crate::progress::{ProgressEvent, ProgressSink, SharedSink};
use crate::store::Store;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const DETAIL_STORE_INTERVAL: Duration = Duration::from_secs(1);

pub struct StoreSink {
    store: Arc<Store>,
    next: SharedSink,
    last_detail: Mutex<Option<Instant>>,
}

impl StoreSink {
    pub fn new(store: Arc<Store>, next: SharedSink) -> Self {
        StoreSink {
            store,
            next,
            last_detail: Mutex::new(None),
        }
    }
}

impl ProgressSink for StoreSink {
    fn emit(&self, e: &ProgressEvent) {
        let store_it = e.milestone || {
            let mut last = self.last_detail.lock().unwrap_or_else(|p| p.into_inner());
            let due = last.is_none_or(|t| t.elapsed() >= DETAIL_STORE_INTERVAL);
            if due {
                *last = Some(Instant::now());
            }
            due
        };
        if store_it {
            if let Err(err) = self.store.record_event(e) {
                tracing::error!(%err, "could not store a progress event");
            }
        }
        self.next.emit(e);
    }
}
