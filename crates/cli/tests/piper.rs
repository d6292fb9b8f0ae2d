//! Piper detection and use, with a fake `piper` on PATH (a script that speaks with espeak-ng and
//! records its calls) and a fake voice model in `$THEORY2VIDEO_PIPER_VOICES`: `doctor` lists it,
//! and `--voice piper` without a model name narrates with the first model found.

mod common;
use common::*;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

const FAKE_PIPER: &str = r#"#!/bin/sh
# Fake piper: --model M --output_file F [--length_scale X], text on stdin.
out=""; model=""
while [ $# -gt 0 ]; do
  case "$1" in
    --output_file) out="$2"; shift ;;
    --model) model="$2"; shift ;;
  esac
  shift
done
echo "$model" >> "$PIPER_CALLS"
exec espeak-ng --stdin -w "$out"
"#;

fn setup(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf, std::path::PathBuf) {
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let script = bin.join("piper");
    std::fs::write(&script, FAKE_PIPER).unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let voices = dir.join("voices/en/en_US");
    std::fs::create_dir_all(&voices).unwrap();
    for name in ["en_US-zeta-low", "en_US-alpha-medium"] {
        std::fs::write(voices.join(format!("{name}.onnx")), b"fake model").unwrap();
        std::fs::write(voices.join(format!("{name}.onnx.json")), b"{}").unwrap();
    }
    // A stray .onnx without its config is not a voice.
    std::fs::write(dir.join("voices/other.onnx"), b"x").unwrap();
    (bin, dir.join("voices"), dir.join("calls.txt"))
}

fn with_piper(c: &mut std::process::Command, bin: &Path, voices: &Path, calls: &Path) {
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    c.env("PATH", path)
        .env("THEORY2VIDEO_PIPER_VOICES", voices)
        .env("PIPER_CALLS", calls);
}

#[test]
fn doctor_finds_piper_and_its_models_and_generate_uses_the_first() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let (bin, voices, calls) = setup(tmp.path());

    // Without piper on PATH: reported as optional and missing, with the fix.
    let out = cmd(&data).args(["doctor", "--json"]).output().unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let check = |r: &serde_json::Value, name: &str| {
        r["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("no {name} check: {r}"))
    };
    let p = check(&report, "piper");
    assert_eq!(p["ok"], false);
    assert_eq!(p["required"], false);
    assert!(p["fix"].as_str().unwrap().contains("piper-tts"));

    let mut c = cmd(&data);
    with_piper(&mut c, &bin, &voices, &calls);
    let out = c.args(["doctor", "--json"]).output().unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let p = check(&report, "piper");
    assert_eq!(p["ok"], true, "{p}");
    let detail = p["detail"].as_str().unwrap();
    assert!(
        detail.contains("2 voice model(s): en_US-alpha-medium, en_US-zeta-low"),
        "{detail}"
    );
    let v = check(&report, "voices")["detail"]
        .as_str()
        .unwrap()
        .to_string();
    for engine in ["espeak", "piper (en_US-alpha-medium", "openai", "none"] {
        assert!(v.contains(engine), "{v}");
    }

    // --voice piper without a model: the first model found speaks; the choice is saved.
    let mut c = cmd(&data);
    with_piper(&mut c, &bin, &voices, &calls);
    let out = c
        .args([
            "generate",
            "--topic",
            "Piper narration",
            "--description",
            "A voice found on this machine. It speaks two sentences.",
            "--max-scenes",
            "1",
            "--voice",
            "piper",
            "--speed",
            "1.2",
            "--save-voice",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let job = &json_lines(&out)[0];
    assert_eq!(job["status"], "completed");
    assert!(job["subtitles"].is_string(), "narrated: {job}");
    let called = std::fs::read_to_string(&calls).unwrap();
    assert!(
        called.lines().count() >= 2
            && called
                .lines()
                .all(|l| l.ends_with("en_US-alpha-medium.onnx")),
        "{called}"
    );
    let log = std::fs::read_to_string(
        Path::new(job["video"].as_str().unwrap()).with_file_name("job.log"),
    )
    .unwrap();
    assert!(!log.contains("WARNING"), "{log}");
    let settings: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(data.join("settings.json")).unwrap())
            .unwrap();
    assert_eq!(settings["voice"]["engine"], "piper");
    assert!((settings["voice"]["speed"].as_f64().unwrap() - 1.2).abs() < 1e-6);
    let out = cmd(&data).args(["doctor"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("new jobs use piper"));
}
