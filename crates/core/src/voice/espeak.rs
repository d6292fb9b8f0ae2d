//! espeak-ng: offline, instant, installed by the README set-up.

use super::{Voice, VoiceSpec};
use crate::error::{Error, Result};
use crate::render::process;
use crate::render::python::which;
use async_trait::async_trait;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::process::Command;
use tokio_util::sync::CancellationToken;

pub struct Espeak {
    binary: PathBuf,
    voice: String,
    /// Words per minute.
    wpm: u32,
}

impl Espeak {
    pub fn new(spec: &VoiceSpec) -> Result<Espeak> {
        let binary = which("espeak-ng").ok_or_else(|| Error::ToolMissing {
            tool: "espeak-ng".into(),
            fix: "sudo apt-get install espeak-ng (or choose --voice none for silent videos)".into(),
        })?;
        let voice = spec.voice.clone().unwrap_or_else(|| spec.language.clone());
        let voice: String = voice
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || "-+_".contains(*c))
            .collect();
        let wpm = (160.0 * spec.speed.clamp(0.5, 2.0)).round() as u32;
        Ok(Espeak {
            binary,
            voice: if voice.is_empty() {
                "en-us".into()
            } else {
                voice
            },
            wpm,
        })
    }
}

#[async_trait]
impl Voice for Espeak {
    fn key(&self) -> String {
        format!("espeak-ng:{}:{}", self.voice, self.wpm)
    }

    async fn speak(&self, text: &str, out_wav: &Path, cancel: &CancellationToken) -> Result<()> {
        let mut cmd = Command::new(&self.binary);
        // Text on stdin: a sentence starting with "-" is never read as an option.
        cmd.args([
            "-v",
            &self.voice,
            "-s",
            &self.wpm.to_string(),
            "--stdin",
            "-w",
        ])
        .arg(out_wav);
        let out = process::run_with_input(
            cmd,
            Some(text.as_bytes().to_vec()),
            "espeak-ng",
            cancel,
            Some(Duration::from_secs(60)),
            |_| {},
        )
        .await?;
        if !out.status.success() || !out_wav.is_file() {
            return Err(Error::Media(format!(
                "espeak-ng failed: {}",
                out.last_error_line()
            )));
        }
        Ok(())
    }
}
