//! Ctrl-C cancels cleanly (no manim left), and a job killed mid-render resumes after a restart,
//! reusing every render that was finished.

mod common;
use common::*;
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

const TOPIC: &str = "# Fourier series\nAny periodic signal is a sum of sines: $$f(x) = \\sum_{n} a_n \\sin(n x)$$\n\
## Frequencies\n- slow waves\n- fast waves\n## Coefficients\n- inner products\n- orthogonality\n## Convergence\nIt converges in the mean.\n";

fn spawn_generate(data: &Path, topic: &Path) -> Child {
    cmd(data)
        .args([
            "generate",
            topic.to_str().unwrap(),
            "--quality",
            "standard",
            "--json",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// Waits until the job is rendering and a render process (cold Manim or warm worker) runs.
fn wait_for_rendering(data: &Path) -> String {
    let deadline = Instant::now() + Duration::from_secs(300);
    let needle = data.to_string_lossy().into_owned();
    loop {
        assert!(
            Instant::now() < deadline,
            "the job never reached scene_rendering"
        );
        let out = cmd(data).args(["jobs", "--json"]).output().unwrap();
        if let Ok(serde_json::Value::Array(jobs)) = serde_json::from_slice(&out.stdout) {
            if let Some(j) = jobs.first() {
                let id = j["id"].as_str().unwrap().to_string();
                let shown = cmd(data).args(["show", &id, "--json"]).output().unwrap();
                let v: serde_json::Value =
                    serde_json::from_slice(&shown.stdout).unwrap_or_default();
                let rendering = !procs::renders(&needle).is_empty();
                if v["stage"] == "scene_rendering" && rendering {
                    return id;
                }
            }
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn wait_exit(child: &mut Child, limit: Duration) -> std::process::ExitStatus {
    t2v_testkit::poll::until("the CLI to exit", limit, || child.try_wait().unwrap())
}

#[test]
fn ctrl_c_cancels_and_leaves_no_manim() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let topic = write(tmp.path(), "fourier.md", TOPIC.as_bytes());
    let mut child = spawn_generate(&data, &topic);
    let id = wait_for_rendering(&data);
    let t = Instant::now();
    // SAFETY: sending SIGINT to our own child.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let status = wait_exit(&mut child, Duration::from_secs(10));
    let took = t.elapsed();
    assert_eq!(status.code(), Some(130), "exit code after Ctrl-C");
    let left = procs::wait_gone(&data.to_string_lossy(), std::time::Duration::from_secs(5));
    assert!(left.is_empty(), "processes left over: {left:?}");
    let v = show(&data, &id);
    assert_eq!(v["status"], "cancelled");
    assert_eq!(v["error"]["code"], "cancelled");
    eprintln!("Ctrl-C to exit: {:.0} ms", took.as_secs_f64() * 1000.0);
    assert!(took < Duration::from_secs(5), "cancel took {took:?}");
}

#[test]
fn killed_job_is_interrupted_then_resumes_reusing_renders() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let topic = write(tmp.path(), "fourier.md", TOPIC.as_bytes());
    let mut child = spawn_generate(&data, &topic);
    let id = wait_for_rendering(&data);
    // Let at least one scene finish, then crash.
    t2v_testkit::poll::until("a finished scene", Duration::from_secs(300), || {
        (!finished_renders(&data).is_empty()).then_some(())
    });
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let left = procs::wait_gone(&data.to_string_lossy(), std::time::Duration::from_secs(5));
    assert!(
        left.is_empty(),
        "a crash must not leave renders running: {left:?}"
    );
    let finished: Vec<_> = finished_renders(&data)
        .into_iter()
        .map(|p| {
            (
                p.clone(),
                std::fs::metadata(&p).unwrap().modified().unwrap(),
            )
        })
        .collect();
    assert!(!finished.is_empty());

    // The next start finds the job interrupted.
    let out = run(&data, &["jobs", "--json"]);
    let jobs: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(jobs[0]["status"], "interrupted", "{jobs}");
    let out = run(&data, &["resume", &id, "--json"]);
    assert!(out.status.success());
    let v = show(&data, &id);
    assert_eq!(v["status"], "completed");
    let (duration, has_video, _) = probe(Path::new(v["video"].as_str().unwrap()));
    assert!(duration > 1.0 && has_video);
    for (p, mtime) in finished {
        assert_eq!(
            std::fs::metadata(&p).unwrap().modified().unwrap(),
            mtime,
            "{} was rendered again",
            p.display()
        );
    }
    let statuses: Vec<&str> = v["scenes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["status"].as_str().unwrap())
        .collect();
    assert!(statuses.contains(&"cached"), "{statuses:?}");
}

/// Scene renders that are complete (in a scene's `render/` folder, not scratch or temp files).
fn finished_renders(data: &Path) -> Vec<std::path::PathBuf> {
    files_with_suffix(&data.join("cache"), ".mp4")
        .into_iter()
        .filter(|p| {
            let name = p.file_name().unwrap_or_default().to_string_lossy();
            p.parent().is_some_and(|d| d.ends_with("render")) && !name.contains(".tmp")
        })
        .collect()
}
