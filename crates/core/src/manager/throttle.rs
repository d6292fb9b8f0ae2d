//! Per-job throttling of progress events for a UI: at most one fine-grained event per interval,
//! with the first event of a job, every milestone and the last event always delivered.

use crate::progress::ProgressEvent;
use std::collections::HashMap;
use std::time::{Duration, Instant};

#[derive(Default)]
struct JobState {
    last_sent: Option<Instant>,
    /// The newest event held back; always newer than the last one sent.
    pending: Option<ProgressEvent>,
}

pub struct Throttle {
    interval: Duration,
    jobs: HashMap<String, JobState>,
}

impl Throttle {
    pub fn new(interval: Duration) -> Self {
        Throttle {
            interval,
            jobs: HashMap::new(),
        }
    }

    /// Offers an event; returns it if it must be delivered now, else holds it back.
    pub fn offer(&mut self, event: &ProgressEvent, now: Instant) -> Option<ProgressEvent> {
        let st = self.jobs.entry(event.job_id.clone()).or_default();
        let due = st
            .last_sent
            .is_none_or(|t| now.saturating_duration_since(t) >= self.interval);
        if event.milestone || due {
            st.last_sent = Some(now);
            st.pending = None;
            Some(event.clone())
        } else {
            st.pending = Some(event.clone());
            None
        }
    }

    /// The held-back event of `job_id` if the interval has passed since the last delivery.
    pub fn flush_due(&mut self, job_id: &str, now: Instant) -> Option<ProgressEvent> {
        let st = self.jobs.get_mut(job_id)?;
        let due = st
            .last_sent
            .is_none_or(|t| now.saturating_duration_since(t) >= self.interval);
        if due && st.pending.is_some() {
            st.last_sent = Some(now);
            st.pending.take()
        } else {
            None
        }
    }

    /// The job ended: returns its held-back event (the last one), and forgets the job.
    pub fn finish(&mut self, job_id: &str) -> Option<ProgressEvent> {
        self.jobs.remove(job_id).and_then(|st| st.pending)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::Stage;

    fn ev(job: &str, progress: f64, milestone: bool) -> ProgressEvent {
        ProgressEvent {
            job_id: job.into(),
            stage: Stage::SceneRendering,
            progress,
            message: format!("{progress}"),
            sub: None,
            at: chrono::Utc::now(),
            milestone,
        }
    }

    #[test]
    fn first_milestones_and_last_always_pass() {
        let mut t = Throttle::new(Duration::from_millis(100));
        let t0 = Instant::now();
        let ms = |n| t0 + Duration::from_millis(n);
        assert!(t.offer(&ev("a", 1.0, false), ms(0)).is_some(), "first");
        assert!(t.offer(&ev("a", 2.0, false), ms(10)).is_none());
        assert!(t.offer(&ev("a", 3.0, false), ms(20)).is_none());
        assert!(t.offer(&ev("a", 4.0, true), ms(30)).is_some(), "milestone");
        // The milestone superseded what was held back.
        assert!(t.flush_due("a", ms(500)).is_none());
        assert!(t.offer(&ev("a", 5.0, false), ms(60)).is_none());
        assert!(t.offer(&ev("a", 6.0, false), ms(131)).is_some(), "interval");
        assert!(t.offer(&ev("a", 7.0, false), ms(140)).is_none());
        let last = t.finish("a").expect("the last event");
        assert_eq!(last.progress, 7.0);
        assert!(t.finish("a").is_none());
    }

    #[test]
    fn jobs_are_throttled_independently() {
        let mut t = Throttle::new(Duration::from_millis(100));
        let t0 = Instant::now();
        assert!(t.offer(&ev("a", 1.0, false), t0).is_some());
        assert!(t.offer(&ev("b", 1.0, false), t0).is_some());
        assert!(t.offer(&ev("a", 2.0, false), t0).is_none());
        assert!(t.offer(&ev("b", 2.0, false), t0).is_none());
    }

    #[test]
    fn held_back_event_is_flushed_after_the_interval() {
        let mut t = Throttle::new(Duration::from_millis(100));
        let t0 = Instant::now();
        t.offer(&ev("a", 1.0, false), t0);
        t.offer(&ev("a", 2.0, false), t0 + Duration::from_millis(5));
        assert!(t.flush_due("a", t0 + Duration::from_millis(50)).is_none());
        let e = t.flush_due("a", t0 + Duration::from_millis(100)).unwrap();
        assert_eq!(e.progress, 2.0);
        assert!(t.flush_due("a", t0 + Duration::from_millis(300)).is_none());
        assert!(t.flush_due("unknown", t0).is_none());
    }

    #[test]
    fn at_most_ten_per_second_under_a_flood() {
        let mut t = Throttle::new(Duration::from_millis(100));
        let t0 = Instant::now();
        let sent = (0..1000)
            .filter(|i| {
                t.offer(&ev("a", *i as f64, false), t0 + Duration::from_millis(*i))
                    .is_some()
            })
            .count();
        assert_eq!(sent, 10);
    }
}
