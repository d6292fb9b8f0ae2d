//! The storyboard writer's pictures, rendered for real with Manim and checked by a layout probe
//! (tests/fixtures/layout_probe.py): nothing leaves the frame, no text is tiny, no two texts
//! overlap. `T2V_QUALITIES=l,m,h` renders at more qualities (default: l, preview).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use t2v_core::lang::Lang;
use t2v_core::writer::storyboard::visuals::Visual;
use t2v_core::writer::storyboard::{SceneSpec, StoryboardWriter};
use t2v_core::writer::{ScenePlan, Writer, WriterCtx};
use t2v_core::CancellationToken;

fn python() -> PathBuf {
    common::use_shared_venv();
    let venv = std::env::var("THEORY2VIDEO_VENV")
        .unwrap_or_else(|_| "/root/.local/share/theory2video/venv".into());
    Path::new(&venv).join("bin/python")
}

fn spec(kind: &str, visual: Visual, lang: Lang) -> SceneSpec {
    let mut s: SceneSpec = serde_json::from_value(serde_json::json!({
        "kind": kind, "title": format!("A picture: {}", visual.name()), "purpose": "test",
    }))
    .unwrap();
    s.visual = Some(visual);
    s.lang = lang;
    match kind {
        "points" => {
            s.points = vec![
                "The first point says something of ordinary length for a bullet.".into(),
                "A second, shorter point.".into(),
                "The third point is longer: it goes on for a while, so that it wraps over several lines of the column.".into(),
            ];
            s.beats = vec![
                "Header.".into(),
                "One.".into(),
                "Two.".into(),
                "Three.".into(),
            ];
        }
        "summary" => {
            s.points = vec!["What it says".into(), "Why it holds".into()];
            s.subtitle = "A topic".into();
        }
        _ => {}
    }
    s
}

/// Writes the scene's code, renders it at `quality` with the probe, returns the findings.
async fn render(
    spec: &SceneSpec,
    quality: char,
    dir: &Path,
    latex: bool,
) -> (bool, String, Vec<String>) {
    let plan = ScenePlan {
        index: 1,
        title: spec.title.clone(),
        storyboard: String::new(),
        technical_notes: String::new(),
        narration: "x".into(),
        data: serde_json::to_value(spec).unwrap(),
    };
    let ctx = WriterCtx::new(CancellationToken::new(), latex, 6);
    let code = StoryboardWriter::new()
        .write_code(
            &t2v_core::Topic::from_form("Gallery topic", "A description of it.").unwrap(),
            &plan,
            "S",
            &ctx,
        )
        .await
        .unwrap();
    let probe = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/layout_probe.py"),
    )
    .unwrap();
    let file = dir.join("scene.py");
    // The probe patches Scene before the scene's class is defined.
    let code = code.replacen(
        "\nclass S(Scene):",
        &format!("\n{probe}\n\nclass S(Scene):"),
        1,
    );
    std::fs::write(&file, &code).unwrap();
    let out_file = dir.join("layout.jsonl");
    let _ = std::fs::remove_file(&out_file);
    let out = Command::new(python())
        .args([
            "-m",
            "manim",
            "render",
            &format!("-q{quality}"),
            "--disable_caching",
            "--media_dir",
        ])
        .arg(dir.join("media"))
        .arg(&file)
        .arg("S")
        .env("T2V_LAYOUT_OUT", &out_file)
        .env("COLUMNS", "200")
        .current_dir(dir)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    let tail: String = err.lines().rev().take(6).collect::<Vec<_>>().join("\n");
    let findings = std::fs::read_to_string(&out_file)
        .unwrap_or_default()
        .lines()
        .filter(|l| l.contains("\"error\""))
        .map(String::from)
        .collect();
    (out.status.success(), tail, findings)
}

fn keep_video(dir: &Path, keep: &Path, name: &str) {
    let _ = std::fs::create_dir_all(keep);
    let mut stack = vec![dir.join("media/videos")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() && !p.ends_with("partial_movie_files") {
                stack.push(p);
            } else if p.file_name().is_some_and(|n| n == "S.mp4") {
                let _ = std::fs::rename(&p, keep.join(format!("{name}.mp4")));
            }
        }
    }
}

fn qualities() -> Vec<char> {
    std::env::var("T2V_QUALITIES")
        .unwrap_or_else(|_| "l".into())
        .split(',')
        .filter_map(|q| q.trim().chars().next())
        .collect()
}

#[tokio::test]
async fn every_picture_renders_with_a_clean_layout() {
    let only = std::env::var("T2V_PICTURE").ok();
    let dir = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    let mut n = 0;
    for q in qualities() {
        for (i, v) in Visual::gallery().into_iter().enumerate() {
            if only
                .as_deref()
                .is_some_and(|o| !o.split(',').any(|o| v.name().contains(o)))
            {
                continue;
            }
            // Beside a column of points, and across the frame (odd ones) in another language.
            let kind = if i % 2 == 0 { "points" } else { "statement" };
            let lang = [Lang::En, Lang::De, Lang::Fr, Lang::Es, Lang::Zh][i % 5];
            let s = spec(kind, v.clone(), lang);
            let (ok, tail, findings) = render(&s, q, dir.path(), i % 3 != 0).await;
            // T2V_PICTURES_OUT=DIR keeps the videos, for people to look at.
            if let Ok(keep) = std::env::var("T2V_PICTURES_OUT") {
                keep_video(dir.path(), Path::new(&keep), &format!("{i:02}-q{q}"));
            }
            n += 1;
            if !ok || !findings.is_empty() {
                failures.push(format!(
                    "{} at -q{q}: ok={ok}\n{tail}\n{}",
                    v.name(),
                    findings.join("\n")
                ));
            }
        }
    }
    assert!(n > 0);
    assert!(
        failures.is_empty(),
        "{} of {n} failed:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
