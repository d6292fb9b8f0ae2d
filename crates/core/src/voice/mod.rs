//! Narration: a [`Voice`] speaks each scene's narration, sentence by sentence; the sentence
//! timings give the subtitles, and the scene's video is held until its narration ends.
//! espeak-ng is the offline default; Piper is used when installed with a voice model; an
//! OpenAI-compatible `/v1/audio/speech` voice can be plugged in through [`VoiceFactory`].

pub mod checks;
mod espeak;
mod narrate;
pub mod piper;
pub mod speakable;
pub mod subtitles;
mod tex_speech;

pub use espeak::Espeak;
pub use narrate::{narrate, spoken_sentences, NarrationTrack};
pub use piper::Piper;
pub use speakable::{speakable, tex_to_speech};

use crate::error::{Error, Result};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

/// Which voice narrates, stored with the job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct VoiceSpec {
    /// `espeak` (default), `piper`, `openai`, or `none` for silent videos.
    pub engine: String,
    /// Engine-specific voice: an espeak-ng voice (`en-us`), a Piper model path, an OpenAI voice.
    pub voice: Option<String>,
    /// 1.0 is the engine's normal rate.
    pub speed: f32,
    /// BCP-47-ish language tag used when no voice is given (`en-us`).
    pub language: String,
    /// For `openai`: model, base URL and the *name* of the key's environment variable.
    pub model: Option<String>,
    pub base_url: Option<String>,
    pub api_key_env: Option<String>,
    /// Burn the subtitles into the picture (they are always written as .srt/.vtt files).
    pub burn_subtitles: bool,
}

impl Default for VoiceSpec {
    fn default() -> Self {
        VoiceSpec {
            engine: "espeak".into(),
            voice: None,
            speed: 1.0,
            language: "en-us".into(),
            model: None,
            base_url: None,
            api_key_env: None,
            burn_subtitles: false,
        }
    }
}

impl VoiceSpec {
    pub fn none() -> Self {
        VoiceSpec {
            engine: "none".into(),
            ..VoiceSpec::default()
        }
    }
    pub fn is_silent(&self) -> bool {
        self.engine == "none"
    }

    /// Fills in what can be found on this machine: for Piper without a model, the first model
    /// in the conventional folders; a Piper voice name becomes its model's path.
    pub fn resolved(&self, data: Option<&crate::paths::DataDir>) -> VoiceSpec {
        let mut spec = self.clone();
        if spec.engine == "piper" {
            let dirs = piper::voice_dirs(data);
            if let Some(m) = piper::resolve_model(spec.voice.as_deref(), &dirs) {
                spec.voice = Some(m.to_string_lossy().into_owned());
            }
        }
        spec
    }
}

#[async_trait]
pub trait Voice: Send + Sync {
    /// Changes whenever the same text would sound different: part of the audio cache key.
    fn key(&self) -> String;
    /// Writes `text` spoken as a WAV file.
    async fn speak(&self, text: &str, out_wav: &Path, cancel: &CancellationToken) -> Result<()>;
}

/// Makes voices from a [`VoiceSpec`]. `Ok(None)` means silent.
pub trait VoiceFactory: Send + Sync {
    fn create(&self, spec: &VoiceSpec) -> Result<Option<Arc<dyn Voice>>>;
}

/// espeak-ng, Piper and `none`.
pub struct CoreVoices;

impl VoiceFactory for CoreVoices {
    fn create(&self, spec: &VoiceSpec) -> Result<Option<Arc<dyn Voice>>> {
        match spec.engine.as_str() {
            "none" | "" => Ok(None),
            "espeak" | "espeak-ng" => Ok(Some(Arc::new(Espeak::new(spec)?))),
            "piper" => Ok(Some(Arc::new(Piper::new(spec)?))),
            other => Err(Error::Config(format!(
                "unknown voice engine {other:?}; use espeak, piper or none"
            ))),
        }
    }
}
