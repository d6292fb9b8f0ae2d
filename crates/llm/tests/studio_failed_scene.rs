//! A scene that fails after all its fix attempts, through the real `theory2video` binary and the
//! loopback fake LLM: the job fails but keeps its other scenes; `scene ID 2 --drop` makes the
//! video without it (the version says so); once the model can write it, `--retry` brings the
//! scene back into a new, longer video version.

mod common;

use common::fake::{Fake, Seen};
use common::*;
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

fn cli(config: &Path, data: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let key = ("T2V_FAILED_KEY", "sk-failed-scene-test");
    cli_output(cli_command(config, data, args, key))
}

fn json(stdout: &str) -> serde_json::Value {
    let text = stdout.trim();
    serde_json::from_str(text)
        .or_else(|_| serde_json::from_str(text.lines().last().unwrap_or_default()))
        .unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"))
}

fn duration(video: &str) -> f64 {
    let out = Command::new("ffprobe")
        .args([
            "-v",
            "error",
            "-show_entries",
            "format=duration",
            "-of",
            "csv=p=0",
        ])
        .arg(video)
        .output()
        .expect("ffprobe");
    String::from_utf8_lossy(&out.stdout).trim().parse().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_scene_is_left_out_then_retried_back_in() {
    let healed = Arc::new(AtomicBool::new(false));
    let h = healed.clone();
    let base = responder(&[]);
    // Scene 2's code never renders (nor do its fixes) until the model is "healed".
    let fake = Fake::start(&["fake-coder"], move |seen: &Seen| {
        let task = seen.task();
        let writes_code = task == "code" || task == "fix";
        if writes_code && class_in(seen) == "Scene02" && !h.load(Ordering::SeqCst) {
            format!("```python\n{}```", bad_code(&class_in(seen)))
        } else {
            base(seen)
        }
    })
    .await;
    let cfg = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    write_fake_profile(cfg.path(), &fake.url(), "T2V_FAILED_KEY");
    let run = |args: &[&str]| tokio::task::block_in_place(|| cli(cfg.path(), data.path(), args));

    let (code, stdout, stderr) = run(&[
        "generate",
        "--topic",
        "Three parts",
        "--description",
        "A topic in three parts, the second of which the model cannot draw.",
        "--writer",
        "fake",
        "--max-scenes",
        "3",
        "--max-fix-attempts",
        "1",
        "--quality",
        "preview",
        "--json",
    ]);
    assert_ne!(code, Some(0), "the job fails: {stdout}\n{stderr}");
    let job = json(&stdout);
    assert_eq!(job["status"], "failed", "{job}");
    let id = job["id"].as_str().unwrap().to_string();
    let short = &id[..8];

    // The other scenes rendered; the failed one says why.
    let (_, stdout, _) = run(&["show", short, "--json"]);
    let shown = json(&stdout);
    let statuses: Vec<&str> = shown["scenes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["rendered", "failed", "rendered"], "{shown}");
    let (code, stdout, _) = run(&["scene", short, "2", "--json"]);
    assert_eq!(code, Some(0));
    let s2 = json(&stdout);
    assert_eq!(s2["status"], "failed", "{s2}");
    assert!(
        s2["error"].as_str().unwrap_or_default().contains("Circlee"),
        "{s2}"
    );

    // Make the video without it.
    let (code, stdout, stderr) = run(&["scene", short, "2", "--drop", "--json"]);
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
    let dropped = json(&stdout);
    assert_eq!(dropped["status"], "completed", "{dropped}");
    let without = dropped["video"].as_str().unwrap().to_string();
    let (_, stdout, _) = run(&["versions", short, "--json"]);
    let list = json(&stdout);
    let last = list.as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["change"], "drop_scene", "{list}");
    assert!(
        last["note"]
            .as_str()
            .unwrap_or_default()
            .contains("left out"),
        "the version says so: {last}"
    );
    let (_, stdout, _) = run(&["scene", short, "2", "--json"]);
    assert_eq!(json(&stdout)["dropped"], true);

    // The model can write it now: Retry brings scene 2 back into a longer video.
    healed.store(true, Ordering::SeqCst);
    let (code, stdout, stderr) = run(&["scene", short, "2", "--retry", "--json"]);
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
    let retried = json(&stdout);
    assert_eq!(retried["status"], "completed", "{retried}");
    let with = retried["video"].as_str().unwrap();
    assert_ne!(with, without);
    assert!(Path::new(&without).is_file(), "the earlier version stays");
    assert!(
        duration(with) > duration(&without) + 0.5,
        "scene 2 is back: {} s vs {} s",
        duration(with),
        duration(&without)
    );
    let (_, stdout, _) = run(&["scene", short, "2", "--json"]);
    let s2 = json(&stdout);
    assert_eq!(s2["dropped"], false, "{s2}");
    assert_ne!(s2["status"], "failed", "{s2}");
}
