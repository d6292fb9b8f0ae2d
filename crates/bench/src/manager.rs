//! Progress latency through the desktop app's path: real jobs (bench writer, real Manim) run by
//! `t2v_core::manager::JobManager`, whose throttled fan-out feeds a subscriber. The subscriber
//! does what the Tauri bridge does (serialise to JSON, hop to another thread) and measures each
//! delivered event's age: arrival − the event's `at` (stamped by the tracker when it was made).

use super::progress::POLL_INTERVAL;
use super::stats::{median, percentile, polling_staleness, Figure};
use super::writer::BenchWriters;
use std::path::Path;
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;
use t2v_core::app::App;
use t2v_core::manager::{JobManager, ManagerEvent};
use t2v_core::paths::DataDir;
use t2v_core::{Result, Topic};

/// The subscriber thread's result: age in ms of each progress event, and whether it was a
/// milestone.
type Ages = std::thread::JoinHandle<Vec<(f64, bool)>>;

fn subscriber() -> (t2v_core::manager::Listener, Ages) {
    let (tx, rx) = mpsc::channel::<String>();
    let tx = Mutex::new(tx);
    let listener = Arc::new(move |e: &ManagerEvent| {
        let json = serde_json::to_string(e).unwrap_or_default();
        tx.lock().map(|t| t.send(json).is_ok()).unwrap_or(false)
    });
    let handle = std::thread::spawn(move || {
        let mut ages = Vec::new();
        for json in rx {
            let now = chrono::Utc::now();
            let v: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
            if v["kind"] != "progress" {
                continue;
            }
            let at = v["at"]
                .as_str()
                .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok());
            if let Some(at) = at {
                let age = (now - at.with_timezone(&chrono::Utc))
                    .num_microseconds()
                    .unwrap_or(0);
                ages.push((age as f64 / 1000.0, v["milestone"] == true));
            }
        }
        ages
    });
    (listener, handle)
}

pub async fn latency(dir: &Path, runs: usize) -> Result<Vec<Figure>> {
    let app = Arc::new(App::open(
        DataDir::at(dir)?,
        Arc::new(BenchWriters::offline()),
    )?);
    let mgr = JobManager::new(app, tokio::runtime::Handle::current());
    let (listener, handle) = subscriber();
    let sub = mgr.subscribe(listener);
    for r in 0..runs {
        let topic = Topic::from_form(&format!("Manager latency {r}"), "Three tiny scenes.")?;
        let mut opts = mgr.job_options();
        opts.max_scenes = Some(3);
        mgr.submit(vec![(topic, None)], opts)?;
        // Let the job start before waiting for the manager to be idle again.
        tokio::time::sleep(Duration::from_millis(200)).await;
        mgr.wait_idle(Duration::from_secs(600)).await;
    }
    mgr.unsubscribe(sub);
    drop(mgr);
    let ages = tokio::task::spawn_blocking(move || handle.join().unwrap_or_default())
        .await
        .unwrap_or_default();
    // One pool of all delivered events: a job delivers a few dozen, too few for a per-run p99.
    let all: Vec<f64> = ages.iter().map(|a| a.0).collect();
    let fine: Vec<f64> = ages.iter().filter(|a| !a.1).map(|a| a.0).collect();
    let p50 = percentile(&all, 50.0).unwrap_or(f64::NAN);
    let p99 = percentile(&all, 99.0).unwrap_or(f64::NAN);
    let note = format!(
        "{runs} real 3-scene jobs (manim -ql) through JobManager → listener → JSON → thread; \
         {} events delivered ({} fine-grained, p99 {:.1} ms, median of fine {:.1} ms); baseline: \
         5 s polling",
        all.len(),
        fine.len(),
        percentile(&fine, 99.0).unwrap_or(f64::NAN),
        median(&fine).unwrap_or(f64::NAN),
    );
    let poll = |p| polling_staleness(POLL_INTERVAL, p).as_secs_f64() * 1000.0;
    Ok(vec![
        Figure::new(
            "manager.p50_ms",
            "Progress latency via JobManager p50",
            p50,
            "ms",
        )
        .baseline(poll(50.0))
        .target("< 1/100 of polling", p50 * 100.0 < poll(50.0))
        .note(note),
        Figure::new(
            "manager.p99_ms",
            "Progress latency via JobManager p99",
            p99,
            "ms",
        )
        .baseline(poll(99.0))
        .target("< 50 ms (≥ 100× fresher)", p99 < 50.0),
    ])
}
