//! Narration: a [`Voice`] speaks each scene's narration, sentence by sentence; the sentence
//! timings give the subtitles, and the scene's video is held until its narration ends.
//! espeak-ng is the offline default; Piper is used when installed with a voice model; an
//! OpenAI-compatible `/v1/audio/speech` voice can be plugged in through [`VoiceFactory`].

mod espeak;
pub mod install;
mod narrate;
pub mod piper;
pub mod speakable;
pub mod subtitles;
mod tex_speech;

pub use espeak::{for_language, Espeak};
pub use narrate::{narrate, spoken_sentences, NarrationTrack};
pub use piper::Piper;
pub use speakable::{speakable, tex_to_speech};

pub use crate::model::voice::{VoiceEngine, VoiceSpec};

use crate::error::{Error, Result};
use async_trait::async_trait;
use std::path::Path;
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

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
        match spec.engine {
            VoiceEngine::None => Ok(None),
            VoiceEngine::Espeak => Ok(Some(Arc::new(Espeak::new(spec)?))),
            VoiceEngine::Piper => Ok(Some(Arc::new(Piper::new(spec)?))),
            VoiceEngine::Openai => Err(Error::Config(
                "the openai voice engine needs the LLM voices (the CLI or the app); use espeak, piper or none".into(),
            )),
        }
    }
}

/// Fills in what can be found on this machine: for Piper without a model, the first model in the
/// conventional folders (`<data dir>/voices`, `$THEORY2VIDEO_PIPER_VOICES`); a Piper voice name
/// becomes its model's path.
pub fn resolve(spec: &VoiceSpec, data: Option<&crate::paths::DataDir>) -> VoiceSpec {
    let mut spec = spec.clone();
    if spec.engine == VoiceEngine::Piper {
        let dirs = piper::voice_dirs(data);
        if let Some(m) = piper::resolve_model(spec.voice.as_deref(), &dirs) {
            spec.voice = Some(m.to_string_lossy().into_owned());
        }
    }
    spec
}
