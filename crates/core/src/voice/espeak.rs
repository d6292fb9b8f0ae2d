//! espeak-ng: offline, instant, installed by the README set-up.

use super::{Voice, VoiceSpec};
use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::render::process;
use crate::render::python::which;
use async_trait::async_trait;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::process::Command;
use tokio_util::sync::CancellationToken;

/// The spec that speaks `lang`: when no voice is named and the language is left at its default,
/// espeak-ng's voice for the video's language (`de`, `fr`, `es`, `cmn`…).
pub fn for_language(spec: &VoiceSpec, lang: Lang) -> VoiceSpec {
    let mut s = spec.clone();
    let default = VoiceSpec::default().language;
    if s.voice.is_none() && (s.language.is_empty() || s.language == default) {
        s.language = lang.espeak_voice().to_string();
    }
    s
}

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
        if !out.status.success() {
            return Err(Error::Media(format!(
                "espeak-ng failed: {}",
                out.last_error_line()
            )));
        }
        if !out_wav.is_file() {
            return Err(Error::Media(format!(
                "espeak-ng exited successfully but {} is not there",
                out_wav.display()
            )));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_voice_follows_the_video_language_unless_chosen() {
        let d = VoiceSpec::default();
        assert_eq!(for_language(&d, Lang::De).language, "de");
        assert_eq!(for_language(&d, Lang::Zh).language, "cmn");
        assert_eq!(for_language(&d, Lang::En).language, "en-us");
        let chosen = VoiceSpec {
            language: "en-gb".into(),
            ..VoiceSpec::default()
        };
        assert_eq!(for_language(&chosen, Lang::De).language, "en-gb");
        let named = VoiceSpec {
            voice: Some("fr".into()),
            ..VoiceSpec::default()
        };
        assert_eq!(for_language(&named, Lang::De).voice.as_deref(), Some("fr"));
    }
}
