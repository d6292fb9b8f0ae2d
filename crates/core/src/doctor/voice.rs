//! The voice part of `doctor`: which narration engines this machine offers and which voice new
//! jobs use.

use super::Check;
use crate::model::voice::VoiceSpec;
use crate::paths::DataDir;
use crate::render::python::which;
use crate::voice::piper;

fn model_names(models: &[std::path::PathBuf]) -> String {
    let names: Vec<String> = models
        .iter()
        .filter_map(|m| m.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .collect();
    names.join(", ")
}

/// What Piper still needs: the program (a system install) and a voice (from the app's doctor, or
/// copied into the voices folder).
fn piper_fix(has_binary: bool, has_voice: bool, data: &DataDir) -> String {
    let mut parts = Vec::new();
    if !has_binary {
        parts.push(
            "the piper program: pipx install piper-tts (or pip install --user piper-tts)"
                .to_string(),
        );
    }
    if !has_voice {
        parts.push(format!(
            "a voice (NAME.onnx and NAME.onnx.json from https://huggingface.co/rhasspy/piper-voices): \
             Install a Piper voice from a file… in the app's doctor, or copy both into {} or ${}",
            data.root().join("voices").display(),
            piper::PIPER_VOICES_ENV
        ));
    }
    parts.join("; ")
}

/// `espeak-ng`, `piper` and `voices` checks (all optional: a missing voice gives silent videos).
pub fn run(data: &DataDir, v: &VoiceSpec) -> Vec<Check> {
    let espeak = which("espeak-ng");
    let p = piper::detect(Some(data));
    let piper_ok = p.binary.is_some() && !p.models.is_empty();
    let dirs: Vec<String> = p.dirs.iter().map(|d| d.display().to_string()).collect();
    let piper_detail = match (&p.binary, p.models.is_empty()) {
        (Some(b), false) => format!(
            "{}; {} voice model(s): {}",
            b.display(),
            p.models.len(),
            model_names(&p.models)
        ),
        (Some(b), true) => format!(
            "{} found, but no voice model (NAME.onnx + NAME.onnx.json) in {}",
            b.display(),
            dirs.join(", ")
        ),
        (None, false) => format!(
            "{} voice model(s) found ({}), but no piper binary on PATH",
            p.models.len(),
            model_names(&p.models)
        ),
        (None, true) => "not installed (optional: better offline voices)".into(),
    };
    let mut engines = Vec::new();
    if espeak.is_some() {
        engines.push("espeak (offline)".to_string());
    }
    if piper_ok {
        engines.push(format!("piper ({})", model_names(&p.models)));
    }
    engines.push("openai (any /v1/audio/speech endpoint: --voice openai --voice-model NAME [--voice-base-url URL])".into());
    engines.push("none (silent)".into());
    let current = format!(
        "{}{} ×{} ({})",
        v.engine,
        v.voice
            .as_deref()
            .map(|x| format!(" {x}"))
            .unwrap_or_default(),
        v.speed,
        v.language
    );
    let fix = |ok: bool, f: String| (!ok).then_some(f);
    vec![
        Check {
            name: "espeak-ng".into(),
            ok: espeak.is_some(),
            required: false,
            detail: espeak.as_ref().map_or(
                "not found: videos are silent unless another voice is chosen".into(),
                |p| p.display().to_string(),
            ),
            fix: fix(
                espeak.is_some(),
                "sudo apt-get install espeak-ng (macOS: brew install espeak-ng)".into(),
            ),
        },
        Check {
            name: "piper".into(),
            ok: piper_ok,
            required: false,
            detail: piper_detail,
            fix: fix(
                piper_ok,
                piper_fix(p.binary.is_some(), !p.models.is_empty(), data),
            ),
        },
        Check {
            name: "voices".into(),
            ok: true,
            required: false,
            detail: format!("available: {}; new jobs use {current}", engines.join(", ")),
            fix: None,
        },
    ]
}
