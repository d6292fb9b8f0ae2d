//! Progress latency (core event → subscriber) and the event storm (10 000 events from 8 jobs).
//!
//! The path measured is the pipeline's own: `ProgressTracker` → `StoreSink` (SQLite, milestones
//! always, details at most once a second per job) → the caller's sink. The caller's sink here does
//! what a UI bridge does: serialises the event to JSON and hands it to another thread over a
//! channel; the subscriber thread stamps the arrival.

use super::stats::{median, ms, percentile, polling_staleness, Figure};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};
use t2v_core::job::{JobOptions, JobRequest, JobStatus};
use t2v_core::pipeline::StoreSink;
use t2v_core::progress::SharedSink;
use t2v_core::store::{NewJob, Store};
use t2v_core::{ProgressEvent, ProgressTracker, Result, Stage, Topic};

/// The Gradio app polled every 5 s.
pub const POLL_INTERVAL: Duration = Duration::from_secs(5);

/// A running job in `store`, ready to receive events.
fn running_job(store: &Store, title: &str) -> Result<String> {
    let topic = Topic::from_form(title, "A benchmark job that only emits progress events.")?;
    let req = JobRequest::new(topic, JobOptions::default(), None);
    let job = store.create_job(NewJob {
        request: &req,
        model: None,
    })?;
    store.transition(&job.id, &[JobStatus::Queued], JobStatus::Running, "bench")?;
    Ok(job.id)
}

/// Events carry their sequence number as the message: `"<job>:<seq>"`.
fn parse_seq(message: &str) -> Option<(usize, usize)> {
    let (j, s) = message.split_once(':')?;
    Some((j.parse().ok()?, s.parse().ok()?))
}

/// The subscriber thread's result: `(job, seq, arrival)` per event, in arrival order.
type Arrivals = thread::JoinHandle<Vec<(usize, usize, Instant)>>;

/// A sink that serialises each event and sends it to a subscriber thread, which records
/// `(job, seq, arrival)`; returns the sink and the thread's handle.
fn subscriber() -> (SharedSink, Arrivals) {
    let (tx, rx) = mpsc::channel::<String>();
    let tx = Mutex::new(tx);
    let sink: SharedSink = Arc::new(move |e: &ProgressEvent| {
        let json = serde_json::to_string(e).unwrap_or_default();
        let _ = tx.lock().map(|t| t.send(json));
    });
    let handle = thread::spawn(move || {
        let mut got = Vec::new();
        for json in rx {
            let now = Instant::now();
            let e: ProgressEvent = match serde_json::from_str(&json) {
                Ok(e) => e,
                Err(_) => continue,
            };
            if let Some((j, s)) = parse_seq(&e.message) {
                got.push((j, s, now));
            }
        }
        got
    });
    (sink, handle)
}

/// Emits `n` events of one job, `spacing` apart (every 20th a milestone, like a scene finishing
/// between manim's animation bars); returns each event's latency in ms.
fn latency_run(store: &Arc<Store>, n: usize, spacing: Duration) -> Result<Vec<f64>> {
    let id = running_job(store, "Progress latency")?;
    let (sink, handle) = subscriber();
    let store_sink: SharedSink = Arc::new(StoreSink::new(store.clone(), sink));
    let tracker = ProgressTracker::new(&id, store_sink);
    let mut sent = Vec::with_capacity(n);
    for seq in 0..n {
        let msg = format!("0:{seq}");
        sent.push(Instant::now());
        if seq % 20 == 0 {
            tracker.sub(Stage::SceneRendering, (seq / 20) as u32, n as u32, msg);
        } else {
            tracker.detail(Stage::SceneRendering, 0, 1, seq as f64 / n as f64, msg);
        }
        thread::sleep(spacing);
    }
    drop(tracker);
    let got = handle.join().unwrap_or_default();
    Ok(got
        .iter()
        .map(|&(_, s, at)| ms(at.saturating_duration_since(sent[s])))
        .collect())
}

pub fn latency(store: &Arc<Store>, runs: usize, n: usize) -> Result<Vec<Figure>> {
    let (mut p50s, mut p99s, mut maxes, mut lost) = (vec![], vec![], vec![], 0usize);
    for _ in 0..runs {
        let lat = latency_run(store, n, Duration::from_millis(2))?;
        lost += n - lat.len();
        p50s.push(percentile(&lat, 50.0).unwrap_or(f64::NAN));
        p99s.push(percentile(&lat, 99.0).unwrap_or(f64::NAN));
        maxes.push(percentile(&lat, 100.0).unwrap_or(f64::NAN));
    }
    let (p50, p99) = (
        median(&p50s).unwrap_or(f64::NAN),
        median(&p99s).unwrap_or(f64::NAN),
    );
    let poll50 = ms(polling_staleness(POLL_INTERVAL, 50.0));
    let poll99 = ms(polling_staleness(POLL_INTERVAL, 99.0));
    let note = format!(
        "{runs} runs × {n} events 2 ms apart, tracker → StoreSink (SQLite file) → JSON → \
         subscriber thread; {lost} lost; max {:.2} ms; baseline: 5 s polling, uniform staleness",
        median(&maxes).unwrap_or(f64::NAN)
    );
    Ok(vec![
        Figure::new("progress.p50_ms", "Progress latency p50", p50, "ms")
            .baseline(poll50)
            .target("< 1/100 of polling", p50 * 100.0 < poll50)
            .note(note.clone()),
        Figure::new("progress.p99_ms", "Progress latency p99", p99, "ms")
            .baseline(poll99)
            .target(
                "< 50 ms (≥ 100× fresher)",
                p99 < 50.0 && p99 * 100.0 <= poll99,
            )
            .note(note),
    ])
}

/// One storm: `jobs` threads emit `per_job` events each as fast as they can.
struct Storm {
    emitted: usize,
    delivered: usize,
    rows: usize,
    wall_ms: f64,
    max_gap_ms: f64,
    p99_latency_ms: f64,
    max_latency_ms: f64,
}

fn storm_run(store: &Arc<Store>, jobs: usize, per_job: usize) -> Result<Storm> {
    let ids: Vec<String> = (0..jobs)
        .map(|j| running_job(store, &format!("Storm job {j}")))
        .collect::<Result<_>>()?;
    let (sink, handle) = subscriber();
    let sent: Arc<Vec<Mutex<Vec<Instant>>>> =
        Arc::new((0..jobs).map(|_| Mutex::new(Vec::new())).collect());
    let start = Instant::now();
    let emitters: Vec<_> = ids
        .iter()
        .enumerate()
        .map(|(j, id)| {
            let store_sink: SharedSink = Arc::new(StoreSink::new(store.clone(), sink.clone()));
            let tracker = ProgressTracker::new(id, store_sink);
            let sent = sent.clone();
            thread::spawn(move || {
                let mut mine = Vec::with_capacity(per_job);
                for seq in 0..per_job {
                    let msg = format!("{j}:{seq}");
                    mine.push(Instant::now());
                    if seq % 25 == 0 {
                        tracker.sub(Stage::SceneRendering, (seq / 25) as u32, 1000, msg);
                    } else {
                        tracker.detail(Stage::SceneRendering, 0, 1, 0.5, msg);
                    }
                }
                *sent[j].lock().unwrap_or_else(|e| e.into_inner()) = mine;
            })
        })
        .collect();
    for e in emitters {
        let _ = e.join();
    }
    drop(sink);
    let got = handle.join().unwrap_or_default();
    let wall_ms = ms(start.elapsed());
    let mut lat = Vec::with_capacity(got.len());
    for &(j, s, at) in &got {
        let t0 = sent[j].lock().unwrap_or_else(|e| e.into_inner())[s];
        lat.push(ms(at.saturating_duration_since(t0)));
    }
    let gaps: Vec<f64> = got
        .windows(2)
        .map(|w| ms(w[1].2.saturating_duration_since(w[0].2)))
        .collect();
    let mut rows = 0;
    for id in &ids {
        rows += store.events(id)?.len();
    }
    Ok(Storm {
        emitted: jobs * per_job,
        delivered: got.len(),
        rows,
        wall_ms,
        max_gap_ms: percentile(&gaps, 100.0).unwrap_or(0.0),
        p99_latency_ms: percentile(&lat, 99.0).unwrap_or(f64::NAN),
        max_latency_ms: percentile(&lat, 100.0).unwrap_or(f64::NAN),
    })
}

pub fn storm(store: &Arc<Store>, runs: usize, total: usize) -> Result<Vec<Figure>> {
    let jobs = 8;
    let storms: Vec<Storm> = (0..runs)
        .map(|_| storm_run(store, jobs, total / jobs))
        .collect::<Result<_>>()?;
    let med = |f: fn(&Storm) -> f64| median(&storms.iter().map(f).collect::<Vec<_>>());
    let m = |f: fn(&Storm) -> f64| med(f).unwrap_or(f64::NAN);
    let emitted = m(|s| s.emitted as f64);
    let rows = m(|s| s.rows as f64);
    let delivered = m(|s| s.delivered as f64);
    let milestones = (total / jobs).div_ceil(25) * jobs;
    let gap = m(|s| s.max_gap_ms);
    let wall = m(|s| s.wall_ms);
    Ok(vec![
        Figure::new("storm.db_rows", "Storm: DB rows written", rows, "rows")
            .baseline(emitted)
            .target("throttled (≪ events)", rows < emitted / 5.0)
            .note(format!(
                "{runs} runs; {} events from {jobs} jobs as fast as possible in {wall:.0} ms; \
                 {milestones} are milestones (always stored)",
                emitted as usize
            )),
        Figure::new(
            "storm.delivered",
            "Storm: events delivered to subscriber",
            delivered,
            "events",
        )
        .baseline(emitted)
        .target("all", delivered >= emitted),
        Figure::new(
            "storm.max_gap_ms",
            "Storm: max gap between deliveries",
            gap,
            "ms",
        )
        .target("< 100 ms", gap < 100.0)
        .note(format!(
            "latency p99 {:.2} ms, max {:.2} ms; UI frame gaps need the window (not headless)",
            m(|s| s.p99_latency_ms),
            m(|s| s.max_latency_ms)
        )),
    ])
}

#[cfg(test)]
mod tests {
    #[test]
    fn sequence_numbers_round_trip() {
        assert_eq!(super::parse_seq("3:1250"), Some((3, 1250)));
        assert_eq!(super::parse_seq("Scene 1 of 4"), None);
    }
}
