//! Without bubblewrap on PATH the app still renders, and says clearly — in `doctor` and in the
//! job's log — that the sandbox is off.

mod common;
use common::*;
use std::path::Path;

/// A PATH with the tools a job needs but no `bwrap`.
fn path_without_bwrap(dir: &Path) -> String {
    std::fs::create_dir_all(dir).unwrap();
    for tool in ["ffmpeg", "ffprobe", "espeak-ng", "python3", "sh", "env"] {
        let found = std::env::split_paths(&std::env::var_os("PATH").unwrap())
            .map(|d| d.join(tool))
            .find(|p| p.is_file());
        if let Some(p) = found {
            std::os::unix::fs::symlink(p, dir.join(tool)).unwrap();
        }
    }
    dir.to_string_lossy().into_owned()
}

#[test]
fn missing_bubblewrap_is_reported_by_doctor_and_in_the_job_log() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let path = path_without_bwrap(&tmp.path().join("bin"));

    let out = cmd(&data)
        .args(["doctor", "--json"])
        .env("PATH", &path)
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let sandbox = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "sandbox")
        .unwrap()
        .clone();
    assert_eq!(sandbox["ok"], false, "{sandbox}");
    let detail = sandbox["detail"].as_str().unwrap();
    assert!(
        detail.starts_with("OFF") && detail.contains("bubblewrap is not installed"),
        "{detail}"
    );
    assert!(sandbox["fix"].as_str().unwrap().contains("bubblewrap"));
    let human = cmd(&data)
        .arg("doctor")
        .env("PATH", &path)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(text.contains("sandbox") && text.contains("OFF"), "{text}");

    // A job still renders, and its log says the sandbox is off and why.
    let topic = write(
        tmp.path(),
        "t.md",
        b"# Unsandboxed render\nOne scene is enough to check the log.\n",
    );
    let out = cmd(&data)
        .args(["generate", topic.to_str().unwrap(), "--max-scenes", "1"])
        .args(["--voice", "none", "--json"])
        .env("PATH", &path)
        .output()
        .unwrap();
    let jobs = json_lines(&out);
    assert_eq!(jobs[0]["status"], "completed", "{}", jobs[0]);
    let shown = show(&data, jobs[0]["id"].as_str().unwrap());
    let log =
        std::fs::read_to_string(Path::new(shown["output_dir"].as_str().unwrap()).join("job.log"))
            .unwrap();
    assert!(
        log.contains("WARNING: the sandbox is OFF: bubblewrap is not installed"),
        "{log}"
    );
}
