//! Piper: better offline voices, when the user has installed `piper` and a voice model (detected,
//! not bundled).

use super::{Voice, VoiceSpec};
use crate::error::{Error, Result};
use crate::paths::DataDir;
use crate::render::process;
use crate::render::python::which;
use async_trait::async_trait;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::process::Command;
use tokio_util::sync::CancellationToken;

pub struct Piper {
    binary: PathBuf,
    model: PathBuf,
    length_scale: f32,
}

/// Extra folders (a path list) searched for Piper voice models.
pub const PIPER_VOICES_ENV: &str = "THEORY2VIDEO_PIPER_VOICES";

/// Where Piper voice models are looked for: `$THEORY2VIDEO_PIPER_VOICES` (a path list), then
/// `<data dir>/voices`.
pub fn voice_dirs(data: Option<&DataDir>) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::env::var_os(PIPER_VOICES_ENV)
        .map(|v| std::env::split_paths(&v).collect())
        .unwrap_or_default();
    if let Some(d) = data {
        dirs.push(d.root().join("voices"));
    }
    dirs.retain(|d| !d.as_os_str().is_empty());
    dirs
}

/// Piper voice models (`NAME.onnx` with its `NAME.onnx.json` beside it) in `dirs` and their
/// subfolders (three levels, as Piper's voice downloads nest them), sorted within each folder.
pub fn find_models(dirs: &[PathBuf]) -> Vec<PathBuf> {
    fn walk(dir: &Path, depth: u32, out: &mut Vec<PathBuf>) {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        let mut entries: Vec<PathBuf> = rd.flatten().map(|e| e.path()).collect();
        entries.sort();
        for p in &entries {
            let is_model = p.extension().is_some_and(|e| e == "onnx")
                && p.is_file()
                && p.with_extension("onnx.json").is_file();
            if is_model {
                out.push(p.clone());
            }
        }
        if depth > 0 {
            for p in entries.iter().filter(|p| p.is_dir()) {
                walk(p, depth - 1, out);
            }
        }
    }
    let mut out = Vec::new();
    for d in dirs {
        walk(d, 3, &mut out);
    }
    out
}

/// The model for a voice setting: an existing path as it is; a name (`en_US-lessac-medium`) found
/// in `dirs`; no voice → the first model found.
pub fn resolve_model(voice: Option<&str>, dirs: &[PathBuf]) -> Option<PathBuf> {
    let voice = voice.map(str::trim).filter(|v| !v.is_empty());
    if let Some(v) = voice {
        let p = PathBuf::from(v);
        if p.is_file() {
            return Some(p);
        }
        let name = v.trim_end_matches(".onnx");
        return find_models(dirs)
            .into_iter()
            .find(|m| m.file_stem().is_some_and(|s| s == name));
    }
    find_models(dirs).into_iter().next()
}

/// What `doctor` reports: the binary and the models found.
#[derive(Debug, Clone, PartialEq)]
pub struct PiperStatus {
    pub binary: Option<PathBuf>,
    pub models: Vec<PathBuf>,
    pub dirs: Vec<PathBuf>,
}

pub fn detect(data: Option<&DataDir>) -> PiperStatus {
    let dirs = voice_dirs(data);
    PiperStatus {
        binary: which("piper"),
        models: find_models(&dirs),
        dirs,
    }
}

impl Piper {
    pub fn new(spec: &VoiceSpec) -> Result<Piper> {
        let binary = which("piper").ok_or_else(|| Error::ToolMissing {
            tool: "piper".into(),
            fix: "install Piper (pip install piper-tts) and a voice model, or use --voice espeak"
                .into(),
        })?;
        let model = resolve_model(spec.voice.as_deref(), &voice_dirs(None)).ok_or_else(|| {
            Error::Config(format!(
                "Piper needs a voice model: put NAME.onnx and NAME.onnx.json in <data dir>/voices \
                 or ${PIPER_VOICES_ENV}, or give the .onnx path with --voice-name{}",
                spec.voice
                    .as_deref()
                    .map(|v| format!(" ({v:?} was not found)"))
                    .unwrap_or_default()
            ))
        })?;
        Ok(Piper {
            binary,
            model,
            length_scale: 1.0 / spec.speed.clamp(0.5, 2.0),
        })
    }
}

#[async_trait]
impl Voice for Piper {
    fn key(&self) -> String {
        let size = std::fs::metadata(&self.model).map(|m| m.len()).unwrap_or(0);
        format!(
            "piper:{}:{size}:{:.2}",
            self.model.display(),
            self.length_scale
        )
    }

    async fn speak(&self, text: &str, out_wav: &Path, cancel: &CancellationToken) -> Result<()> {
        let mut cmd = Command::new(&self.binary);
        cmd.arg("--model")
            .arg(&self.model)
            .arg("--output_file")
            .arg(out_wav);
        cmd.arg("--length_scale")
            .arg(format!("{:.2}", self.length_scale));
        let out = process::run_with_input(
            cmd,
            Some(text.as_bytes().to_vec()),
            "piper",
            cancel,
            Some(Duration::from_secs(120)),
            |_| {},
        )
        .await?;
        if !out.status.success() || !out_wav.is_file() {
            return Err(Error::Media(format!(
                "piper failed: {}",
                out.last_error_line()
            )));
        }
        Ok(())
    }
}
