//! Piper: better offline voices, when the user has installed `piper` and a voice model (detected,
//! not bundled).

use super::{Voice, VoiceSpec};
use crate::error::{Error, Result};
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

impl Piper {
    pub fn new(spec: &VoiceSpec) -> Result<Piper> {
        let binary = which("piper").ok_or_else(|| Error::ToolMissing {
            tool: "piper".into(),
            fix: "install Piper (pip install piper-tts) and a voice model, or use --voice espeak"
                .into(),
        })?;
        let model = spec
            .voice
            .as_deref()
            .map(PathBuf::from)
            .filter(|p| p.is_file())
            .ok_or_else(|| {
                Error::Config(
                    "Piper needs a voice model: give the path of a .onnx voice as the voice".into(),
                )
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
