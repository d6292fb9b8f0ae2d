//! A system without the cairo/pango headers: the set-up stops before downloading anything and
//! names the exact install command. (Its own test binary: it hides pkg-config's `.pc` files for
//! the whole process with PKG_CONFIG_LIBDIR.)

use t2v_core::error::Error;
use t2v_core::render::python::fix::System;
use t2v_core::render::python::{InstallerChoice, PythonEnv};
use t2v_core::CancellationToken;

#[tokio::test]
async fn missing_headers_stop_the_setup_with_the_install_command() {
    if t2v_core::render::python::which("pkg-config").is_none() {
        panic!("pkg-config is needed for this test (scripts/install-deps.sh)");
    }
    std::env::set_var("PKG_CONFIG_LIBDIR", "/nonexistent");
    let dir = tempfile::tempdir().unwrap();
    let env = PythonEnv::new(dir.path().join("venv"));
    let t = std::time::Instant::now();
    let err = env
        .ensure_with(
            InstallerChoice::Auto,
            &CancellationToken::new(),
            &mut |_| {},
        )
        .await
        .unwrap_err();
    let Error::ToolMissing { fix, .. } = &err else {
        panic!("{err:?}")
    };
    match System::detect() {
        System::Debian => assert_eq!(fix, "sudo apt-get install libcairo2-dev libpango1.0-dev"),
        System::Fedora => assert_eq!(fix, "sudo dnf install cairo-devel pango-devel"),
        _ => assert!(fix.contains("cairo") && fix.contains("pango"), "{fix}"),
    }
    assert!(
        t.elapsed().as_secs() < 10,
        "checked before installing: {:?}",
        t.elapsed()
    );
    assert!(!env.venv.exists(), "nothing was created");
}

#[tokio::test]
async fn a_venv_folder_that_cannot_be_written_stops_the_setup_with_the_fix() {
    // A regular file where the venv's parent folder should be: no user, root included, can make
    // the folder (permissions would not stop root).
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("not-a-folder");
    std::fs::write(&blocker, b"a file").unwrap();
    let env = PythonEnv::new(blocker.join("envs").join("venv"));
    let mut steps = 0;
    let err = env
        .ensure_with(
            InstallerChoice::Auto,
            &CancellationToken::new(),
            &mut |_| steps += 1,
        )
        .await
        .unwrap_err();
    let Error::Config(msg) = &err else {
        panic!("{err:?}")
    };
    assert!(
        msg.contains(&blocker.join("envs").display().to_string()),
        "{msg}"
    );
    assert!(msg.contains("THEORY2VIDEO_VENV="), "{msg}");
    assert_eq!(steps, 0, "it stopped before any step");
}
