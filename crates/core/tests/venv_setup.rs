//! The venv set-up, for real: a fresh venv under a temp dir, Manim installed from the Python
//! package index (uv's or pip's cache makes a repeat faster, but every run installs). Cancelling
//! kills the installer's whole process group; a second run finishes the venv the first left.

use std::time::{Duration, Instant};
use t2v_core::render::python::{
    Installer, InstallerChoice, PythonEnv, SetupProgress, SetupStep, MANIM_VERSION,
};
use t2v_core::{CancellationToken, ErrorCode};

fn assert_rising(reports: &[SetupProgress]) {
    for w in reports.windows(2) {
        assert!(
            w[1].fraction >= w[0].fraction,
            "progress went back: {:?} -> {:?}",
            w[0],
            w[1]
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_mid_install_leaves_no_process_then_setup_finishes_with_uv() {
    let dir = tempfile::tempdir().unwrap();
    let env = PythonEnv::new(dir.path().join("venv"));

    // 1. Cancel as soon as the installer reports a download or build.
    let cancel = CancellationToken::new();
    let mut seen = Vec::new();
    let c = cancel.clone();
    let mut cancelled_at = None;
    let err = env
        .ensure_with(InstallerChoice::Auto, &cancel, &mut |p: SetupProgress| {
            if p.step >= SetupStep::Downloading
                && p.message.starts_with(['R', 'D', 'B'])
                && cancelled_at.is_none()
            {
                cancelled_at = Some(Instant::now());
                c.cancel();
            }
            seen.push(p);
        })
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Cancelled, "{err}");
    let took = cancelled_at
        .expect("the installer reported a step")
        .elapsed();
    assert!(took < Duration::from_secs(2), "cancel took {took:?}");
    assert_eq!(
        t2v_testkit::procs::wait_gone(&dir.path().to_string_lossy(), Duration::from_millis(500)),
        Vec::<String>::new(),
        "left running after cancel"
    );
    assert!(!env.is_ready());
    let steps: Vec<SetupStep> = seen.iter().map(|p| p.step).collect();
    assert!(
        steps.contains(&SetupStep::CreatingVenv) && steps.contains(&SetupStep::InstallingInstaller),
        "{steps:?}"
    );

    // 2. Run again: it reuses the venv and uv, installs, checks the import, and says so.
    let mut reports = Vec::new();
    let installer = env
        .ensure_with(InstallerChoice::Auto, &CancellationToken::new(), &mut |p| {
            reports.push(p)
        })
        .await
        .unwrap();
    assert_eq!(installer, Some(Installer::Uv));
    assert!(env.is_ready());
    assert_rising(&reports);
    let last = reports.last().unwrap();
    assert_eq!((last.step, last.fraction), (SetupStep::Done, 1.0));
    for step in [
        SetupStep::Downloading,
        SetupStep::Installing,
        SetupStep::Verifying,
    ] {
        assert!(
            reports.iter().any(|p| p.step == step),
            "no {step:?} in {reports:?}"
        );
    }
    assert!(
        reports.iter().any(|p| p.message.starts_with("Resolved ")),
        "{reports:?}"
    );
    let out = std::process::Command::new(env.python())
        .args(["-c", "import manim; print(manim.__version__)"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), MANIM_VERSION);
    // Ready now: nothing runs.
    let again = env
        .ensure_with(
            InstallerChoice::Auto,
            &CancellationToken::new(),
            &mut |_| {},
        )
        .await
        .unwrap();
    assert_eq!(again, None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pip_fallback_installs_with_progress_from_its_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let env = PythonEnv::new(dir.path().join("venv"));
    let mut reports = Vec::new();
    let installer = env
        .ensure_with(InstallerChoice::Pip, &CancellationToken::new(), &mut |p| {
            reports.push(p)
        })
        .await
        .unwrap();
    assert_eq!(installer, Some(Installer::Pip));
    assert!(env.is_ready());
    assert_rising(&reports);
    assert!(!reports
        .iter()
        .any(|p| p.step == SetupStep::InstallingInstaller));
    let collecting = reports
        .iter()
        .filter(|p| p.message.starts_with("Collecting "))
        .count();
    assert!(
        collecting >= 20,
        "pip's stdout was not read: {collecting} Collecting lines"
    );
    assert!(!dir.path().join("venv/bin/uv").exists());
}
