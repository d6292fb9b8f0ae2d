//! `theory2video lint` with real Manim: the JSON contract, the readable lines and the exit codes.

mod common;
use common::*;

const BAD: &str = r#"from manim import *

class Bad(Scene):
    def construct(self):
        caption = Text("This caption is much too long for the frame it is in").scale(1.4)
        self.play(Write(caption))
        a = Text("label A").to_edge(DOWN)
        b = Text("label B").to_edge(DOWN)
        self.play(FadeIn(a), FadeIn(b))

class Fine(Scene):
    def construct(self):
        self.play(Write(Text("Hello").to_edge(UP)))
"#;

#[test]
fn lint_reports_problems_per_scene_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("scenes.py");
    std::fs::write(&file, BAD).unwrap();
    let data = dir.path().join("data");
    let f = file.to_str().unwrap();
    let out = run(&data, &["lint", f, "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 2, "one line per scene");
    let bad = &lines[0];
    assert_eq!(bad["scene"], "Bad");
    assert_eq!(bad["file"], f);
    assert!(bad["error"].is_null());
    let problems = bad["problems"].as_array().unwrap();
    let kinds: Vec<&str> = problems
        .iter()
        .map(|p| p["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"text_off_frame"), "{kinds:?}");
    assert!(kinds.contains(&"text_overlap"), "{kinds:?}");
    for p in problems {
        for k in ["kind", "severity", "what", "box", "t", "line"] {
            assert!(p.get(k).is_some(), "problem without {k}: {p}");
        }
    }
    let off = problems
        .iter()
        .find(|p| p["kind"] == "text_off_frame")
        .unwrap();
    assert_eq!(off["line"], 5);
    assert_eq!(off["severity"], "error");
    assert_eq!(lines[1]["scene"], "Fine");
    assert_eq!(lines[1]["problems"].as_array().unwrap().len(), 0);
    // No video was written anywhere.
    assert!(
        !data.join("videos").exists()
            || std::fs::read_dir(data.join("videos"))
                .unwrap()
                .next()
                .is_none()
    );

    // One scene, for a person.
    let out = run(&data, &["lint", f, "Fine"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Fine: clean"));
    let out = run(&data, &["lint", f, "Bad"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(&format!(
            "{f}:5: error: Text \"This caption is much too long"
        )),
        "{text}"
    );
    assert!(
        text.contains("runs off the left and right edges of the frame by"),
        "{text}"
    );
}

#[test]
fn lint_exits_2_when_the_file_cannot_run() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = dir.path().join("broken.py");
    std::fs::write(
        &file,
        "from manim import *\nclass A(Scene):\n    def construct(self)\n",
    )
    .unwrap();
    let f = file.to_str().unwrap();
    let out = run(&data, &["lint", f, "--json"]);
    assert_eq!(out.status.code(), Some(2));
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 1);
    assert!(
        lines[0]["error"].as_str().unwrap().contains("SyntaxError"),
        "{}",
        lines[0]
    );
    std::fs::write(&file, "from manim import *\nclass A(Scene):\n    def construct(self):\n        self.play(FadeIn(Circle()))\n        undefined_name\n").unwrap();
    let out = run(&data, &["lint", f, "A", "--json"]);
    assert_eq!(out.status.code(), Some(2));
    let lines = json_lines(&out);
    assert!(
        lines[0]["error"].as_str().unwrap().contains("NameError"),
        "{}",
        lines[0]
    );
    let out = run(
        &data,
        &["lint", dir.path().join("missing.py").to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(2));
}
