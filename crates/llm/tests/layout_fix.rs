//! End to end with real Manim and the loopback fake model: a scene that renders but shows a
//! caption running off the frame goes back to the writer with the layout finding and its line;
//! the fix renders clean, and the job's events and `show --json` record the layout fix. A scene
//! whose layout never gets fixed still completes, its findings recorded. Each test runs on both
//! render paths: warm (the default: a child forked from the job's Manim worker) and cold.

mod common;

use common::fake::{Fake, Seen};
use common::*;
use std::path::{Path, PathBuf};

const LONG: &str =
    "This caption is much too long to fit inside the frame of the video at this size";

/// Real Manim code whose caption (line 7) runs off both sides of the frame when `caption` is long.
fn caption_code(class: &str, caption: &str) -> String {
    format!(
        r#"from manim import *


class {class}(Scene):
    def construct(self):
        title = Text("Part", font_size=40).to_edge(UP)
        caption = Text("{caption}", font_size=40).to_edge(DOWN)
        self.play(Write(title), FadeIn(caption), run_time=1)
        self.wait(0.5)
"#
    )
}

/// Like [`responder`], but every first code shows the long caption; a fix shortens it, unless
/// `never_fixed`.
fn layout_responder(never_fixed: bool) -> impl Fn(&Seen) -> String + Send + Sync {
    let base = responder(&[]);
    move |seen: &Seen| match seen.task().as_str() {
        "code" => format!("```python\n{}```", caption_code(&class_in(seen), LONG)),
        "fix" => {
            let caption = if never_fixed { LONG } else { "A short caption" };
            // A new version each time (an unchanged one would reuse the earlier render).
            let marks = seen.user_texts().join("\n").matches("# tried").count() + 1;
            format!(
                "Shortened the caption.\n```python\n{}{}```",
                caption_code(&class_in(seen), caption),
                "# tried\n".repeat(marks)
            )
        }
        _ => base(seen),
    }
}

fn cli(config: &Path, data: &Path, args: &[&str]) -> (bool, String, String) {
    let key = ("T2V_E2E_KEY", "sk-layout-test");
    let (code, out, err) = cli_output(cli_command(config, data, args, key));
    (code == Some(0), out, err)
}

/// Generates a one-scene video with the fake model, rendering warm or cold; returns the fix
/// requests it received and the job as `show --json` prints it, and its data dir (the video is
/// in it).
async fn generate(
    never_fixed: bool,
    warm: bool,
) -> (Vec<String>, serde_json::Value, tempfile::TempDir) {
    let fake = Fake::start(&["fake-coder"], layout_responder(never_fixed)).await;
    let cfg = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    write_fake_profile(cfg.path(), &fake.url(), "T2V_E2E_KEY");
    let topic =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/pythagorean-theorem.md");
    let (c, d, t) = (cfg.path().to_path_buf(), data.path().to_path_buf(), topic);
    let (ok, stdout, stderr) = tokio::task::spawn_blocking(move || {
        let mut args = vec![
            "generate",
            t.to_str().unwrap(),
            "--writer",
            "fake",
            "--max-scenes",
            "1",
            "--quality",
            "preview",
            "--voice",
            "none",
            "--json",
        ];
        if !warm {
            args.push("--cold-renders");
        }
        cli(&c, &d, &args)
    })
    .await
    .unwrap();
    assert!(ok, "stdout:\n{stdout}\nstderr:\n{stderr}");
    let job: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    assert_eq!(job["status"], "completed", "{job}");
    let id = job["id"].as_str().unwrap().to_string();
    let (ok, show, err) = cli(cfg.path(), data.path(), &["show", &id, "--json"]);
    assert!(ok, "{err}");
    let shown: serde_json::Value = serde_json::from_str(&show).unwrap();
    // The job really rendered the way asked (a warm job that fell back would prove nothing).
    let log = job_log(&shown);
    if warm {
        assert!(
            log.contains("scenes render warm")
                && !log.contains("rendered cold")
                && !log.contains("warm renders off")
                && !log.contains("layout not checked"),
            "a warm job rendered cold:\n{log}"
        );
    } else {
        assert!(
            log.contains("cold renders chosen") && !log.contains("layout not checked"),
            "{log}"
        );
    }
    let fixes = fake
        .chats()
        .into_iter()
        .filter(|c| c.task() == "fix")
        .map(|c| c.user_texts().join("\n"))
        .collect();
    (fixes, shown, data)
}

/// The job's log file, beside its video (where the render path is noted).
fn job_log(shown: &serde_json::Value) -> String {
    let video = PathBuf::from(shown["video"].as_str().unwrap_or_default());
    std::fs::read_to_string(video.with_file_name("job.log")).unwrap_or_default()
}

fn event_messages(shown: &serde_json::Value) -> Vec<String> {
    shown["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["message"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn warm_a_caption_off_the_frame_goes_back_to_the_writer_and_the_final_scene_is_clean() {
    caption_fixed(true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cold_a_caption_off_the_frame_goes_back_to_the_writer_and_the_final_scene_is_clean() {
    caption_fixed(false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn warm_a_layout_that_never_gets_fixed_still_completes_with_its_findings_recorded() {
    never_fixed(true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cold_a_layout_that_never_gets_fixed_still_completes_with_its_findings_recorded() {
    never_fixed(false).await;
}

async fn caption_fixed(warm: bool) {
    let (fixes, shown, _data) = generate(false, warm).await;
    assert_eq!(fixes.len(), 1, "one layout fix: {fixes:?}");
    let request = &fixes[0];
    assert!(
        request.contains("line 7")
            && request.contains("runs off")
            && request.contains("This caption is much"),
        "the fix request carries the finding and its line:\n{request}"
    );
    assert_eq!(shown["status"], "completed");
    let scene = &shown["scenes"][0];
    assert_eq!(scene["code_version"], 1, "{scene}");
    let layout = &scene["layout"];
    assert_eq!(layout["errors"], 0, "{layout}");
    assert_eq!(layout["fixed_after"], 1, "{layout}");
    let events = event_messages(&shown);
    assert!(
        events.iter().any(
            |m| m.starts_with("Scene 1 of 1: fixing the layout (attempt 1): ")
                && m.contains("runs off")
        ),
        "{events:#?}"
    );
    let video = PathBuf::from(shown["video"].as_str().unwrap());
    assert!(std::fs::metadata(&video).unwrap().len() > 1000);
}

async fn never_fixed(warm: bool) {
    let (fixes, shown, _data) = generate(true, warm).await;
    assert_eq!(fixes.len(), 2, "the default budget of two layout fixes");
    assert_eq!(shown["status"], "completed");
    let layout = &shown["scenes"][0]["layout"];
    assert!(layout["errors"].as_u64().unwrap() >= 1, "{layout}");
    assert!(layout["fixed_after"].is_null(), "{layout}");
    let finding = &layout["findings"][0];
    assert_eq!(finding["kind"], "text_off_frame", "{finding}");
    assert_eq!(finding["severity"], "error");
    assert_eq!(finding["line"], 7);
    let events = event_messages(&shown);
    for k in [1, 2] {
        let prefix = format!("Scene 1 of 1: fixing the layout (attempt {k}): ");
        assert!(events.iter().any(|m| m.starts_with(&prefix)), "{events:#?}");
    }
    assert!(PathBuf::from(shown["video"].as_str().unwrap()).exists());
}
