//! SIGKILL during each of the 8 stages, one test per stage: after a restart the job is
//! `interrupted`, `resume` completes it, no finished artefact (outline, plans, code, narration,
//! renders, combined video) is produced again, and the final video is valid.
//!
//! Fast stages are held open with the test-only hook `THEORY2VIDEO_TEST_PAUSE=<stage>:<ms>`
//! (see `t2v_core::pipeline::TEST_PAUSE_ENV`); scene rendering is killed for real, mid-render,
//! after the first of two scenes finished.

mod common;
use common::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant, SystemTime};

const TOPIC: &str = "# Crash test theorem\nA sum of two squares is never negative.\n\
## Squares\n- a square is never negative\n## Sums\n- adding keeps the sign\n";

fn spawn(data: &Path, topic: &Path, pause: Option<&str>) -> Child {
    let mut c = cmd(data);
    c.args([
        "generate",
        topic.to_str().unwrap(),
        "--max-scenes",
        "2",
        "--concurrency",
        "1",
        "--json",
    ])
    .stdout(Stdio::null())
    .stderr(std::fs::File::create(data.with_extension("stderr")).unwrap());
    if let Some(stage) = pause {
        c.env("THEORY2VIDEO_TEST_PAUSE", format!("{stage}:120000"));
    }
    c.spawn().unwrap()
}

fn first_job(data: &Path) -> Option<serde_json::Value> {
    let out = cmd(data).args(["jobs", "--json"]).output().ok()?;
    let jobs: serde_json::Value = serde_json::from_slice(&out.stdout).ok()?;
    let id = jobs.as_array()?.first()?["id"].as_str()?.to_string();
    let shown = cmd(data).args(["show", &id, "--json"]).output().ok()?;
    serde_json::from_slice(&shown.stdout).ok()
}

/// Finished artefacts in the cache with their modification times: everything except scratch
/// (work/), logs and temporary files.
fn artefacts(data: &Path) -> BTreeMap<PathBuf, SystemTime> {
    files_with_suffix(&data.join("cache"), "")
        .into_iter()
        .filter(|p| {
            // Judged on the path inside the data dir (the temp dir's own name has ".tmp").
            let s = p.strip_prefix(data).unwrap().to_string_lossy().into_owned();
            !s.contains("/work/") && !s.contains("/logs/") && !s.contains(".tmp")
        })
        .map(|p| {
            let t = std::fs::metadata(&p).unwrap().modified().unwrap();
            (p, t)
        })
        .collect()
}

fn renders_done(data: &Path) -> usize {
    artefacts(data)
        .keys()
        .filter(|p| p.parent().is_some_and(|d| d.ends_with("render")))
        .filter(|p| {
            // Scene renders only: not the narrated/audio clips or the cached snapshots beside them.
            let name = p.file_name().unwrap_or_default().to_string_lossy();
            name.ends_with(".mp4") && !name.contains(".nar-") && !name.contains(".av.")
        })
        .count()
}

fn crash_during(stage: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let topic = write(tmp.path(), "crash.md", TOPIC.as_bytes());
    let real = stage == "scene_rendering";
    let mut child = spawn(&data, &topic, (!real).then_some(stage));
    let deadline = Instant::now() + Duration::from_secs(240);
    let id = loop {
        assert!(Instant::now() < deadline, "never reached {stage}");
        if let Some(status) = child.try_wait().unwrap() {
            let err = std::fs::read_to_string(data.with_extension("stderr")).unwrap_or_default();
            panic!("generate exited ({status}) before {stage}: {err}");
        }
        if let Some(j) = first_job(&data) {
            let in_stage = j["stage"] == stage && j["status"] == "running";
            if in_stage && (!real || renders_done(&data) >= 1) {
                break j["id"].as_str().unwrap().to_string();
            }
            assert!(
                j["status"] == "running" || j["status"] == "queued",
                "the job ended before {stage}: {}",
                j["status"]
            );
        }
        std::thread::sleep(Duration::from_millis(40));
    };
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let before = artefacts(&data);
    let needle = data.to_string_lossy().into_owned();
    assert_eq!(
        procs::wait_gone(&needle, Duration::from_secs(5)),
        Vec::<String>::new()
    );

    let out = run(&data, &["jobs", "--json"]);
    let jobs: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(jobs[0]["status"], "interrupted", "{jobs}");
    assert_eq!(show(&data, &id)["stage"], stage, "killed in another stage");

    let out = run(&data, &["resume", &id, "--json"]);
    assert!(out.status.success(), "resume failed");
    let v = show(&data, &id);
    assert_eq!(v["status"], "completed", "{}", v["error"]);
    let video = PathBuf::from(v["video"].as_str().unwrap());
    let (duration, has_video, has_audio) = probe(&video);
    assert!(duration > 1.0 && has_video && has_audio, "{duration}");
    let after = artefacts(&data);
    for (p, t) in &before {
        assert_eq!(
            after.get(p),
            Some(t),
            "{} was produced again (or removed) after the crash in {stage}",
            p.display()
        );
    }
    // Resume made whatever was missing: an outline, 2 plans, code and renders of 2 scenes.
    let names: Vec<String> = after
        .keys()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let count = |suffix: &str| names.iter().filter(|n| n.ends_with(suffix)).count();
    assert_eq!(count("outline.json"), 1);
    assert_eq!(count("plan.json"), 2);
    assert!(count(".py") >= 2);
    assert_eq!(renders_done(&data), 2);
    eprintln!(
        "{stage}: {} artefacts kept across the crash, {} after resume",
        before.len(),
        after.len()
    );
}

#[test]
fn sigkill_during_initializing() {
    crash_during("initializing");
}

#[test]
fn sigkill_during_planning() {
    crash_during("planning");
}

#[test]
fn sigkill_during_implementation_planning() {
    crash_during("implementation_planning");
}

#[test]
fn sigkill_during_code_generation() {
    crash_during("code_generation");
}

#[test]
fn sigkill_during_scene_rendering() {
    crash_during("scene_rendering");
}

#[test]
fn sigkill_during_video_combining() {
    crash_during("video_combining");
}

#[test]
fn sigkill_during_finalizing() {
    crash_during("finalizing");
}

#[test]
fn sigkill_during_completed() {
    crash_during("completed");
}
