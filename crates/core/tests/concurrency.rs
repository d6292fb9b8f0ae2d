//! 20 jobs submitted at once, at most 2 running, through TWO app instances on the same data dir
//! (two SQLite connections, like the CLI beside the desktop app): all complete, no store call
//! fails (busy/locked), and every job's events are in order, in the store and as delivered.

mod common;
use common::*;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use t2v_core::{CancellationToken, JobStatus, ProgressEvent, Stage};
use tokio::sync::Semaphore;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_jobs_two_at_a_time_all_finish_with_ordered_events() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let tune = |s: &mut t2v_core::app::Settings| s.render_concurrency = 1;
    let (a, _) = app_with(&data, TINY_SCENE, 1, tune);
    let (b, _) = app_with(&data, TINY_SCENE, 1, tune);
    let apps = [Arc::new(a), Arc::new(b)];
    let gate = Arc::new(Semaphore::new(2));
    let delivered: Arc<Mutex<HashMap<String, Vec<ProgressEvent>>>> = Default::default();
    let running = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let peak = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let t = std::time::Instant::now();
    let mut tasks = Vec::new();
    for i in 0..20 {
        let app = apps[i % 2].clone();
        let (gate, delivered, running, peak) = (
            gate.clone(),
            delivered.clone(),
            running.clone(),
            peak.clone(),
        );
        tasks.push(tokio::spawn(async move {
            // Submitted at once: every task inserts its job before any waits for the gate.
            let job = app
                .submit(topic(&format!("Concurrent topic {i:02}")), options(1), None)
                .map_err(|e| e.to_string())?;
            let _permit = gate.acquire().await.unwrap();
            let now = running.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
            peak.fetch_max(now, std::sync::atomic::Ordering::SeqCst);
            let d = delivered.clone();
            let sink: t2v_core::progress::SharedSink = Arc::new(move |e: &ProgressEvent| {
                d.lock()
                    .unwrap()
                    .entry(e.job_id.clone())
                    .or_default()
                    .push(e.clone());
            });
            let r = app.run_job(&job.id, sink, CancellationToken::new()).await;
            running.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
            r.map_err(|e| e.to_string())
        }));
    }
    let mut jobs = Vec::new();
    for t in tasks {
        jobs.push(t.await.unwrap().expect("no store error (busy, locked)"));
    }
    eprintln!("20 jobs in {:.1} s", t.elapsed().as_secs_f64());
    assert_eq!(peak.load(std::sync::atomic::Ordering::SeqCst), 2);
    let delivered = delivered.lock().unwrap();
    for job in &jobs {
        assert_eq!(job.status, JobStatus::Completed, "{:?}", job.error);
        // The store's log: ids increase, stages never go back, progress never drops, and every
        // stage's milestone was stored (a busy error would have dropped one).
        let events = apps[0].events(&job.id).unwrap();
        assert!(events.windows(2).all(|w| w[0].id < w[1].id));
        assert!(
            events.windows(2).all(|w| w[0].stage <= w[1].stage),
            "stages out of order"
        );
        assert!(events.windows(2).all(|w| w[0].progress <= w[1].progress));
        for stage in Stage::ALL {
            assert!(
                events.iter().any(|e| e.stage == stage && e.milestone),
                "job {} has no stored {stage} milestone",
                job.id
            );
        }
        // As delivered to the caller: the same order guarantees.
        let d = &delivered[&job.id];
        assert!(d.windows(2).all(|w| w[0].stage <= w[1].stage));
        assert!(d.windows(2).all(|w| w[0].progress <= w[1].progress));
        assert!(d.windows(2).all(|w| w[0].at <= w[1].at));
        assert_eq!(d.last().unwrap().stage, Stage::Completed);
    }
    let all = apps[1].jobs(&t2v_core::JobQuery::default()).unwrap();
    assert_eq!(all.len(), 20);
}
