#![allow(dead_code)]

pub mod fake;

use fake::Seen;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use t2v_core::writer::{WriterCtx, WriterReport};
use t2v_core::CancellationToken;

/// Small, real Manim CE code: a title and a circle, about 2 s.
pub fn good_code(class: &str, title: &str) -> String {
    format!(
        r#"from manim import *


class {class}(Scene):
    def construct(self):
        title = Text("{title}", font_size=40).to_edge(UP)
        circle = Circle(radius=1.2, color=BLUE)
        self.play(Write(title), Create(circle), run_time=1)
        self.wait(0.5)
        self.play(FadeOut(title), FadeOut(circle), run_time=0.5)
"#
    )
}

/// Passes the static check but fails when rendered (NameError).
pub fn bad_code(class: &str) -> String {
    format!(
        r#"from manim import *


class {class}(Scene):
    def construct(self):
        self.play(Create(Circlee(radius=1)))
"#
    )
}

/// `Scene01` from "named `Scene01`" / "class `Scene01(Scene)`" in the prompt.
pub fn class_in(seen: &Seen) -> String {
    let first = seen.user_texts().into_iter().next().unwrap_or_default();
    let i = first.find("`Scene").expect("a class name in the prompt") + 1;
    first[i..i + 7].to_string()
}

fn min_scenes(seen: &Seen) -> usize {
    let first = seen.user_texts().into_iter().next().unwrap_or_default();
    let i = first.find("Between ").unwrap() + 8;
    first[i..]
        .split_whitespace()
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

/// Answers like a well-behaved model: an outline with the fewest scenes allowed, plans, good code;
/// the first code of the scene classes in `bad_first` fails to render.
pub fn responder(bad_first: &'static [&'static str]) -> impl Fn(&Seen) -> String + Send + Sync {
    move |seen: &Seen| match seen.task().as_str() {
        "outline" => {
            let n = min_scenes(seen);
            let scenes: Vec<_> = (1..=n)
                .map(|i| serde_json::json!({"title": format!("Part {i}"), "purpose": format!("Shows part {i}.")}))
                .collect();
            serde_json::json!({ "scenes": scenes }).to_string()
        }
        "plan" => serde_json::json!({
            "storyboard": "1. A title appears.\n2. A circle is drawn.",
            "technical_notes": "Text at the top, a blue Circle in the middle.",
            "narration": "Here is the idea, drawn as a circle."
        })
        .to_string(),
        "code" => {
            let class = class_in(seen);
            if bad_first.contains(&class.as_str()) {
                format!("Here is the scene.\n\n```python\n{}```\n", bad_code(&class))
            } else {
                format!("```python\n{}```", good_code(&class, "Part"))
            }
        }
        "fix" => format!(
            "The name was misspelt.\n```python\n{}```",
            good_code(&class_in(seen), "Fixed")
        ),
        other => panic!("unexpected task {other:?}"),
    }
}

pub type Reports = Arc<Mutex<Vec<WriterReport>>>;

pub fn ctx(max_scenes: usize) -> (WriterCtx, Reports) {
    let reports: Reports = Arc::default();
    let mut ctx = WriterCtx::new(CancellationToken::new(), false, max_scenes);
    let r = reports.clone();
    ctx.report = Arc::new(move |x| r.lock().unwrap().push(x));
    (ctx, reports)
}

pub fn messages(r: &Reports) -> Vec<String> {
    r.lock()
        .unwrap()
        .iter()
        .filter_map(|x| match x {
            WriterReport::Message(m) => Some(m.clone()),
            _ => None,
        })
        .collect()
}

pub fn usage_total(r: &Reports) -> (u64, u64, f64) {
    r.lock()
        .unwrap()
        .iter()
        .fold((0, 0, 0.0), |(i, o, c), x| match x {
            WriterReport::Usage {
                tokens, cost_usd, ..
            } => (i + tokens.input, o + tokens.output, c + cost_usd),
            _ => (i, o, c),
        })
}

/// Writes `providers.toml` into `dir`.
pub fn write_config(dir: &Path, text: &str) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("providers.toml"), text).unwrap();
}

/// A `fake` profile (OpenAI wire format, model `fake-coder`) for the fake server at `url`, its
/// key in the variable `key_env`.
pub fn write_fake_profile(dir: &Path, url: &str, key_env: &str) {
    write_config(
        dir,
        &format!(
            "[profiles.fake]\nkind = \"openai\"\nbase_url = \"{url}/v1\"\nmodel = \"fake-coder\"\n\
             api_key_env = \"{key_env}\"\nretry_base_ms = 50\n"
        ),
    );
}

pub fn topic() -> t2v_core::Topic {
    t2v_core::Topic::from_form(
        "Pythagorean theorem",
        "In a right triangle the square of the hypotenuse equals the sum of the squares of the legs.",
    )
    .unwrap()
}

/// An LLM writer for `kind` talking to `fake`, with a key in `key_var` and fast retries.
pub fn writer_for(
    fake: &fake::Fake,
    kind: &str,
    key_var: &str,
    extra: &str,
) -> (tempfile::TempDir, t2v_llm::LlmWriter) {
    std::env::set_var(t2v_llm::secret::NO_KEYCHAIN_ENV, "1");
    let dir = tempfile::tempdir().unwrap();
    let base = match kind {
        "openai" => format!("{}/v1", fake.url()),
        _ => fake.url(),
    };
    let timeout = if extra.contains("timeout_secs") {
        ""
    } else {
        "timeout_secs = 2\n"
    };
    write_config(
        dir.path(),
        &format!(
            "[profiles.fake]\nkind = \"{kind}\"\nbase_url = \"{base}\"\nmodel = \"fake-model\"\n\
             api_key_env = \"{key_var}\"\nretry_base_ms = 20\n{timeout}{extra}\n"
        ),
    );
    let spec = t2v_core::WriterSpec {
        kind: "fake".into(),
        ..Default::default()
    };
    let w = t2v_llm::Writers::with_config_dir(dir.path())
        .llm(&spec)
        .unwrap();
    (dir, w)
}

/// The CLI binary in this test's target dir, brought up to date once per test run (a no-op when
/// `cargo test` already built it) so that a stale binary is never tested.
pub fn binary() -> PathBuf {
    static BIN: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BIN.get_or_init(|| {
        let exe = std::env::current_exe().unwrap();
        let dir = exe.parent().unwrap().parent().unwrap();
        let bin = dir.join(format!("theory2video{}", std::env::consts::EXE_SUFFIX));
        if let Ok(cargo) = std::env::var("CARGO") {
            let ok = Command::new(cargo)
                .args([
                    "build",
                    "--quiet",
                    "-p",
                    "theory2video",
                    "--bin",
                    "theory2video",
                ])
                .env("CARGO_TARGET_DIR", dir.parent().unwrap())
                .status()
                .unwrap()
                .success();
            assert!(ok, "cannot build the theory2video binary");
        }
        assert!(bin.exists(), "no binary at {}", bin.display());
        bin
    })
    .clone()
}

/// The CLI on `data` with its own config dir, no keychain, the shared venv, and the fake
/// server's key in the environment variable `key.0`.
pub fn cli_command(config: &Path, data: &Path, args: &[&str], key: (&str, &str)) -> Command {
    let mut cmd = Command::new(binary());
    cmd.arg("--data-dir")
        .arg(data)
        .args(args)
        .env("THEORY2VIDEO_CONFIG_DIR", config)
        .env("THEORY2VIDEO_VENV", venv())
        .env("THEORY2VIDEO_NO_KEYCHAIN", "1")
        .env(key.0, key.1);
    cmd
}

/// Runs a CLI command: its exit code, stdout and stderr.
pub fn cli_output(mut cmd: Command) -> (Option<i32>, String, String) {
    let out = cmd.output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

pub fn venv() -> String {
    std::env::var("THEORY2VIDEO_VENV").unwrap_or_else(|_| {
        format!(
            "{}/.local/share/theory2video/venv",
            std::env::var("HOME").unwrap()
        )
    })
}
