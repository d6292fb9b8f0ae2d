//! The static check of generated code (`cache::check_code`) refuses the plain forms of dangerous
//! code before anything runs. It is a first filter, not the security boundary: the sandbox tests
//! show that `__builtins__['__import__']` gets past it and is stopped by bubblewrap instead.

mod common;
use common::*;
use t2v_core::render::code_check::check_code;
use t2v_core::render::python::PythonEnv;
use t2v_core::{CancellationToken, ErrorCode, JobStatus};

const PLAIN_FORMS: &[(&str, &str)] = &[
    ("import os", "os"),
    ("import os.path", "os.path"),
    ("from os import path", "os"),
    ("import subprocess", "subprocess"),
    ("from socket import socket", "socket"),
    ("import shutil, sys", "shutil"),
    ("import urllib.request", "urllib.request"),
    ("import ctypes", "ctypes"),
    ("import importlib", "importlib"),
    ("import builtins", "builtins"),
    ("import pickle", "pickle"),
    ("import multiprocessing", "multiprocessing"),
    ("x = __import__('os')", "__import__()"),
    ("x = eval('1+1')", "eval()"),
    ("exec('y = 2')", "exec()"),
    ("f = open('/etc/passwd')", "open()"),
    ("c = compile('1', 'f', 'eval')", "compile()"),
];

fn python() -> PythonEnv {
    use_shared_venv();
    PythonEnv::new(std::env::var_os("THEORY2VIDEO_VENV").unwrap().into())
}

fn with_line(line: &str, indented_in_construct: bool) -> String {
    if indented_in_construct {
        format!(
            "from manim import *\n\nclass Scene01(Scene):\n    def construct(self):\n        {line}\n        self.wait(0.1)\n"
        )
    } else {
        format!(
            "from manim import *\n{line}\n\nclass Scene01(Scene):\n    def construct(self):\n        self.wait(0.1)\n"
        )
    }
}

#[tokio::test]
async fn plain_dangerous_forms_are_refused_at_top_level_and_inside_construct() {
    let py = python();
    let dir = tempfile::tempdir().unwrap();
    let cancel = CancellationToken::new();
    for (line, named) in PLAIN_FORMS {
        for nested in [false, true] {
            let f = dir.path().join("scene.py");
            std::fs::write(&f, with_line(line, nested)).unwrap();
            let verdict = check_code(&py, &f, "Scene01", &cancel).await.unwrap();
            let why = verdict.expect_err(&format!("{line:?} (nested {nested}) was accepted"));
            assert!(
                why.starts_with("forbidden in generated code:") && why.contains(named),
                "{line:?}: {why}"
            );
        }
    }
    // Harmless code passes, so the refusals above are about the forms, not the file.
    let f = dir.path().join("ok.py");
    std::fs::write(&f, with_line("import numpy as np", false)).unwrap();
    assert_eq!(
        check_code(&py, &f, "Scene01", &cancel).await.unwrap(),
        Ok(())
    );
}

#[tokio::test]
async fn syntax_errors_and_missing_class_are_reported() {
    let py = python();
    let dir = tempfile::tempdir().unwrap();
    let cancel = CancellationToken::new();
    let f = dir.path().join("s.py");
    std::fs::write(&f, "from manim import *\nclass Scene01(Scene:\n").unwrap();
    let why = check_code(&py, &f, "Scene01", &cancel)
        .await
        .unwrap()
        .unwrap_err();
    assert!(why.starts_with("SyntaxError"), "{why}");
    std::fs::write(&f, "from manim import *\nclass Other(Scene):\n    pass\n").unwrap();
    let why = check_code(&py, &f, "Scene01", &cancel)
        .await
        .unwrap()
        .unwrap_err();
    assert!(why.contains("Scene01 is missing"), "{why}");
}

#[tokio::test]
async fn a_job_with_plain_import_os_fails_before_any_render() {
    let tmp = tempfile::tempdir().unwrap();
    let code = "from manim import *\nimport os\n\nclass {CLASS}(Scene):\n    def construct(self):\n        os.system('touch /tmp/t2v-should-not-exist')\n";
    let (app, writer) = app_with(&tmp.path().join("data"), code, 1, |_| {});
    let mut opts = options(1);
    opts.max_fix_attempts = 2;
    let job = run_one(&app, "Plain import os", opts).await;
    assert_eq!(job.status, JobStatus::Failed);
    let err = job.error.clone().unwrap();
    assert_eq!(err.code, ErrorCode::Render);
    assert!(
        err.message.contains("forbidden in generated code: os"),
        "{err:?}"
    );
    // Each refusal went to the fix step; nothing was ever rendered.
    assert_eq!(writer.fixes.load(std::sync::atomic::Ordering::SeqCst), 2);
    let scene = job.cache_dir.unwrap().join("scenes/01");
    // The render folder may hold the per-render lock file, but no video; Manim never ran for
    // any version, so no version has a render log.
    let videos: Vec<_> = std::fs::read_dir(scene.join("render"))
        .map(|rd| rd.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    assert!(
        videos
            .iter()
            .all(|p| p.extension().is_none_or(|x| x != "mp4")),
        "a render was made: {videos:?}"
    );
    let logs: Vec<_> = std::fs::read_dir(scene.join("logs"))
        .map(|rd| rd.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    assert!(logs.is_empty(), "Manim was started: {logs:?}");
}
