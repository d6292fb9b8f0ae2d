//! The scene studio's "Revise with instructions" through the loopback fake LLM: the real
//! `theory2video` binary makes a 2-scene video with the fake writer, then `scene ID 2
//! --instruct …` sends the instruction (with the scene's current code) to the model, and the new
//! scene version is exactly the code the server returned, rendered into a new video version.

mod common;

use common::fake::{Fake, Seen};
use common::*;
use std::path::Path;

const INSTRUCTION: &str = "make the square blue";

fn revised(class: &str) -> String {
    format!(
        r#"from manim import *


class {class}(Scene):
    def construct(self):
        square = Square(side_length=2, color=BLUE, fill_opacity=0.5)
        self.play(Create(square), run_time=1)
        self.wait(0.5)
        self.play(FadeOut(square), run_time=0.5)
"#
    )
}

fn cli(config: &Path, data: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let key = ("T2V_STUDIO_KEY", "sk-studio-test");
    cli_output(cli_command(config, data, args, key))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_instruction_reaches_the_model_and_its_code_becomes_the_new_version() {
    let base = responder(&[]);
    let fake = Fake::start(&["fake-coder"], move |seen: &Seen| {
        if seen.task() == "revise" {
            format!(
                "Here it is, blue.\n```python\n{}```",
                revised(&class_in(seen))
            )
        } else {
            base(seen)
        }
    })
    .await;
    let cfg = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    write_fake_profile(cfg.path(), &fake.url(), "T2V_STUDIO_KEY");
    let (code, stdout, stderr) = tokio::task::block_in_place(|| {
        cli(
            cfg.path(),
            data.path(),
            &[
                "generate",
                "--topic",
                "Squares and circles",
                "--description",
                "How a square and a circle of the same width compare in area.",
                "--writer",
                "fake",
                "--max-scenes",
                "2",
                "--quality",
                "preview",
                "--json",
            ],
        )
    });
    assert_eq!(code, Some(0), "stdout:\n{stdout}\nstderr:\n{stderr}");
    let job: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    let id = job["id"].as_str().unwrap().to_string();
    let first_video = job["video"].as_str().unwrap().to_string();
    assert!(fake.chats().iter().all(|c| c.task() != "revise"));

    let (code, stdout, stderr) = tokio::task::block_in_place(|| {
        cli(
            cfg.path(),
            data.path(),
            &["scene", &id[..8], "2", "--instruct", INSTRUCTION, "--json"],
        )
    });
    assert_eq!(code, Some(0), "stdout:\n{stdout}\nstderr:\n{stderr}");
    let edited: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    assert_eq!(edited["status"], "completed", "{edited}");
    let new_video = edited["video"].as_str().unwrap();
    assert_ne!(new_video, first_video, "a new video file");
    assert!(
        Path::new(&first_video).is_file(),
        "the previous video stays"
    );

    // The instruction and the scene's current code reached the model, once.
    let revisions: Vec<Seen> = fake
        .chats()
        .into_iter()
        .filter(|c| c.task() == "revise")
        .collect();
    assert_eq!(revisions.len(), 1);
    let prompt = &revisions[0].user_texts()[0];
    assert!(prompt.contains(INSTRUCTION), "{prompt}");
    assert!(
        prompt.contains("class Scene02(Scene)") && prompt.contains("Circle(radius=1.2"),
        "the current code went with it: {prompt}"
    );

    // The new scene version is what the server returned.
    let (code, stdout, _) = tokio::task::block_in_place(|| {
        cli(cfg.path(), data.path(), &["scene", &id, "2", "--json"])
    });
    assert_eq!(code, Some(0));
    let scene: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(scene["version"], 1, "{scene}");
    assert_eq!(scene["code"].as_str().unwrap(), revised("Scene02"));
    let versions = scene["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[1]["change"], "instruction");
    let path = scene["code_path"].as_str().unwrap();
    assert_eq!(std::fs::read_to_string(path).unwrap(), revised("Scene02"));

    let (_, stdout, _) =
        tokio::task::block_in_place(|| cli(cfg.path(), data.path(), &["versions", &id, "--json"]));
    let list: Vec<serde_json::Value> = serde_json::from_str(&stdout).unwrap();
    assert_eq!(list.len(), 2, "{stdout}");
    assert_eq!(list[1]["change"], "instruction");
    assert_eq!(list[1]["scene"], 2);
    assert_eq!(list[1]["video"].as_str().unwrap(), new_video);
}
