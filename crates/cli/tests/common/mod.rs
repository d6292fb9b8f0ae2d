//! Helpers for the CLI's end-to-end tests: they run the real binary with real Manim and ffmpeg
//! on a temporary data dir.
#![allow(dead_code)]

#[allow(unused_imports)]
pub use t2v_testkit::procs;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_theory2video"))
}

pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

/// The shared venv with Manim (made by the README set-up); the first job creates it otherwise.
pub fn venv() -> PathBuf {
    std::env::var_os("THEORY2VIDEO_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| dirs_home().join(".local/share/theory2video/venv"))
}

fn dirs_home() -> PathBuf {
    PathBuf::from(std::env::var_os("HOME").expect("HOME"))
}

pub fn cmd(data: &Path) -> Command {
    let mut c = Command::new(bin());
    c.arg("--data-dir")
        .arg(data)
        .env("THEORY2VIDEO_VENV", venv())
        .env_remove("THEORY2VIDEO_DATA_DIR");
    c
}

pub fn run(data: &Path, args: &[&str]) -> Output {
    let out = cmd(data).args(args).output().expect("run theory2video");
    eprintln!(
        "$ theory2video {}\n{}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

pub fn json_lines(out: &Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| l.trim_start().starts_with('{'))
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad JSON line {l:?}: {e}")))
        .collect()
}

pub fn show(data: &Path, id: &str) -> serde_json::Value {
    let out = run(data, &["show", id, "--json"]);
    assert!(out.status.success(), "show failed");
    serde_json::from_slice(&out.stdout).expect("show --json is JSON")
}

/// ffprobe's view of a file: (duration, has video, has audio).
pub fn probe(file: &Path) -> (f64, bool, bool) {
    let out = Command::new("ffprobe")
        .args([
            "-v",
            "error",
            "-print_format",
            "json",
            "-show_format",
            "-show_streams",
        ])
        .arg(file)
        .output()
        .expect("ffprobe");
    assert!(out.status.success(), "ffprobe failed on {}", file.display());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let streams = v["streams"].as_array().cloned().unwrap_or_default();
    (
        v["format"]["duration"]
            .as_str()
            .and_then(|d| d.parse().ok())
            .unwrap_or(0.0),
        streams.iter().any(|s| s["codec_type"] == "video"),
        streams.iter().any(|s| s["codec_type"] == "audio"),
    )
}

/// Files under `dir` whose name ends with `suffix`.
pub fn files_with_suffix(dir: &Path, suffix: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(rd) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files_with_suffix(&p, suffix));
        } else if p.to_string_lossy().ends_with(suffix) {
            out.push(p);
        }
    }
    out.sort();
    out
}

/// Stages in the order they first appear in a job's events.
pub fn stage_order(job: &serde_json::Value) -> Vec<String> {
    let mut order: Vec<String> = Vec::new();
    for e in job["events"].as_array().unwrap() {
        let s = e["stage"].as_str().unwrap().to_string();
        if order.last() != Some(&s) {
            order.push(s);
        }
    }
    order
}

pub const ALL_STAGES: [&str; 8] = [
    "initializing",
    "planning",
    "implementation_planning",
    "code_generation",
    "scene_rendering",
    "video_combining",
    "finalizing",
    "completed",
];

pub fn write(dir: &Path, name: &str, body: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, body).unwrap();
    p
}

/// (audio stream duration, video stream duration) in seconds.
pub fn stream_durations(file: &Path) -> (f64, f64) {
    let out = Command::new("ffprobe")
        .args(["-v", "error", "-print_format", "json", "-show_streams"])
        .arg(file)
        .output()
        .expect("ffprobe");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let dur = |kind: &str| {
        v["streams"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["codec_type"] == kind)
            .and_then(|s| s["duration"].as_str())
            .and_then(|d| d.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (dur("audio"), dur("video"))
}

/// SRT cues as (start, end) seconds.
pub fn parse_srt(text: &str) -> Vec<(f64, f64)> {
    let t = |s: &str| {
        let s = s.trim().replace(',', ".");
        let p: Vec<f64> = s.split(':').map(|x| x.parse().unwrap()).collect();
        p[0] * 3600.0 + p[1] * 60.0 + p[2]
    };
    text.lines()
        .filter_map(|l| l.split_once(" --> "))
        .map(|(a, b)| (t(a), t(b)))
        .collect()
}
