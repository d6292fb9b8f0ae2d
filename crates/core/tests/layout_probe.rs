//! The layout probe's own Python tests (crates/core/python/tests), with real Manim from the venv,
//! run by `cargo test -p t2v-core --test layout_probe`; plus the corpus runner on a small sample
//! of Manim's documentation examples with the four injected defects.

use std::path::{Path, PathBuf};
use std::process::Command;

fn venv_python() -> PathBuf {
    let venv = std::env::var_os("THEORY2VIDEO_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").expect("HOME"))
                .join(".local/share/theory2video/venv")
        });
    let py = venv.join("bin/python");
    assert!(
        py.exists(),
        "no Manim venv at {} (run `theory2video setup` or set THEORY2VIDEO_VENV)",
        venv.display()
    );
    py
}

fn python_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("python")
}

#[test]
fn probe_unit_tests_pass_with_real_manim() {
    let out = Command::new(venv_python())
        .args(["-m", "unittest", "discover", "-s", "tests", "-v"])
        .current_dir(python_dir())
        .env("COLUMNS", "200")
        .output()
        .expect("run python");
    let err = String::from_utf8_lossy(&out.stderr);
    eprintln!("{err}");
    assert!(out.status.success(), "the probe's unittest suite failed");
    // The suite really ran (a discovery mistake would report 0 tests and still exit 0).
    let ran: u32 = err
        .lines()
        .find_map(|l| {
            l.strip_prefix("Ran ")?
                .split_whitespace()
                .next()?
                .parse()
                .ok()
        })
        .expect("unittest summary line");
    assert!(ran >= 15, "only {ran} probe tests ran");
}

#[test]
fn corpus_sample_catches_the_injected_defects_and_spares_the_examples() {
    let dir = tempfile::tempdir().unwrap();
    let tex = dir.path().join("article.tex");
    std::fs::write(
        &tex,
        "\\documentclass{article}\n\\usepackage[english]{babel}\n\\usepackage{amsmath}\n\\usepackage{amssymb}\n\\pagestyle{empty}\n\\begin{document}\nYourTextHere\n\\end{document}\n",
    )
    .unwrap();
    let report = dir.path().join("report.json");
    let out = Command::new(venv_python())
        .arg(python_dir().join("t2v_layout_corpus.py"))
        .arg("--out")
        .arg(&report)
        .args(["--limit", "10", "--tex-template"])
        .arg(&tex)
        .arg("--work")
        .arg(dir.path().join("work"))
        .output()
        .expect("run the corpus");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: serde_json::Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    let s = &r["summary"];
    eprintln!("{s:#}");
    assert_eq!(s["examples"], 10);
    assert!(
        s["two_d"].as_u64().unwrap() >= 8,
        "most of the sample ran: {s}"
    );
    for d in [
        "caption_off_frame",
        "labels_overlap",
        "tiny_caption",
        "caption_off_then_faded",
    ] {
        assert_eq!(
            s["defects"][d]["caught"], s["defects"][d]["injected"],
            "{d} missed in some example: {s}"
        );
    }
    assert_eq!(
        s["two_d_flagged"], 0,
        "an example was flagged: {}",
        s["flagged"]
    );
}
