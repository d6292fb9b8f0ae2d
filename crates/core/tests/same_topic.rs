//! The same topic twice side by side in the desktop's job manager, on one data dir, with real
//! Manim, espeak-ng and ffmpeg (issue 16): both jobs complete, every scene is narrated, each
//! scene is rendered once in all (the other job waits for it and reuses it), and both videos
//! have audio and the length of a solo run.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use t2v_core::app::{App, CoreWriters};
use t2v_core::manager::{JobManager, ManagerEvent};
use t2v_core::paths::DataDir;
use t2v_core::{CancellationToken, JobOptions, JobRecord, JobStatus, Quality, Topic};

const DESCRIPTION: &str = "Adding two even numbers gives an even number. Let's see why.\n\n\
## The idea\nAn even number is twice a whole number. Let's see why.\n\n\
## The proof\nTwice a plus twice b is twice their sum.\n";

fn app(root: &Path) -> App {
    if std::env::var_os("THEORY2VIDEO_VENV").is_none() {
        let home = std::env::var_os("HOME").expect("HOME");
        std::env::set_var(
            "THEORY2VIDEO_VENV",
            Path::new(&home).join(".local/share/theory2video/venv"),
        );
    }
    let app = App::open(DataDir::at(root).unwrap(), Arc::new(CoreWriters)).unwrap();
    app.override_settings(|s| {
        s.job_concurrency = 2;
        s.render_concurrency = 2;
    });
    app
}

fn options() -> JobOptions {
    JobOptions {
        quality: Quality::Preview,
        max_scenes: Some(2),
        max_fix_attempts: 0,
        ..JobOptions::default()
    }
}

fn topic() -> Topic {
    Topic::from_form("Even plus even", DESCRIPTION).unwrap()
}

/// (duration, has video, has audio) as ffprobe sees the file.
fn probe(file: &Path) -> (f64, bool, bool) {
    let out = std::process::Command::new("ffprobe")
        .args(["-v", "error", "-print_format", "json"])
        .args(["-show_format", "-show_streams"])
        .arg(file)
        .output()
        .expect("ffprobe");
    assert!(out.status.success(), "ffprobe failed on {}", file.display());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let streams = v["streams"].as_array().cloned().unwrap_or_default();
    let has = |kind: &str| streams.iter().any(|s| s["codec_type"] == kind);
    let secs = v["format"]["duration"]
        .as_str()
        .and_then(|d| d.parse().ok());
    (secs.unwrap_or(0.0), has("video"), has("audio"))
}

/// The job completed, every scene narrated; returns its video's length.
fn check_job(app: &App, job: &JobRecord) -> f64 {
    assert_eq!(job.status, JobStatus::Completed, "{:?}", job.error);
    let log = app.log_tail(job, 10_000).unwrap().join("\n");
    assert!(!log.contains("WARNING"), "a warning in the job log:\n{log}");
    assert!(
        log.contains("narration: 2 of 2 scenes narrated"),
        "not every scene narrated:\n{log}"
    );
    let video = job.video.as_ref().expect("a video");
    let (secs, has_video, has_audio) = probe(video);
    assert!(
        secs > 1.0 && has_video && has_audio,
        "{secs} s, {has_video}, {has_audio}"
    );
    secs
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_same_topic_twice_side_by_side_shares_the_work() {
    let tmp = tempfile::tempdir().unwrap();
    let shared = Arc::new(app(&tmp.path().join("shared")));
    let manager = JobManager::new(shared.clone(), tokio::runtime::Handle::current());
    let messages: Arc<Mutex<Vec<String>>> = Default::default();
    let m = messages.clone();
    manager.subscribe(Arc::new(move |e: &ManagerEvent| {
        if let ManagerEvent::Progress(p) = e {
            m.lock().unwrap().push(p.message.clone());
        }
        true
    }));
    let jobs = manager
        .submit(vec![(topic(), None), (topic(), None)], options())
        .unwrap();
    assert_eq!(manager.active().len(), 2, "both run at once");
    assert!(
        manager.wait_idle(Duration::from_secs(900)).await,
        "jobs hang"
    );
    let jobs: Vec<JobRecord> = jobs.iter().map(|j| shared.job(&j.id).unwrap()).collect();
    let lengths: Vec<f64> = jobs.iter().map(|j| check_job(&shared, j)).collect();
    // Each scene was rendered by one job; the other reused that render.
    let scenes: Vec<_> = jobs.iter().map(|j| shared.scenes(&j.id).unwrap()).collect();
    for i in 0..2 {
        let statuses: Vec<&str> = scenes.iter().map(|s| s[i].status.as_str()).collect();
        let mut sorted = statuses.clone();
        sorted.sort_unstable();
        assert_eq!(
            sorted,
            ["cached", "rendered"],
            "scene {}: {statuses:?}",
            i + 1
        );
        assert_eq!(scenes[0][i].video, scenes[1][i].video);
    }
    let waited = messages
        .lock()
        .unwrap()
        .iter()
        .any(|m| m.contains("waiting for another job rendering this scene"));
    eprintln!("a job waited for the other's render: {waited}");
    // No scratch dir or temp file is left behind.
    let cache = jobs[0].cache_dir.clone().unwrap();
    let left: Vec<String> = walk(&cache)
        .into_iter()
        .map(|p| p.trim_start_matches(&*cache.to_string_lossy()).to_string())
        .filter(|p| p.contains(".tmp") || p.contains("/work/render-"))
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");

    // A solo run of the same topic on its own data dir.
    let solo = app(&tmp.path().join("solo"));
    let job = solo.submit(topic(), options(), None).unwrap();
    let sink: t2v_core::progress::SharedSink = Arc::new(|_: &t2v_core::ProgressEvent| {});
    let job = solo
        .run_job(&job.id, sink, CancellationToken::new())
        .await
        .unwrap();
    let alone = check_job(&solo, &job);
    for l in lengths {
        assert!(
            (l - alone).abs() < 0.5,
            "{l} s side by side, {alone} s alone"
        );
    }
}

fn walk(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p.to_string_lossy().into_owned());
        }
    }
    out
}
