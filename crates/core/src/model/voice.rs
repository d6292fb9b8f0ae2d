//! Which voice narrates a job.

use serde::{Deserialize, Serialize};

/// The engines a voice can come from; stored and shown as `espeak`, `piper`, `openai`, `none`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum VoiceEngine {
    /// espeak-ng, offline (the default).
    #[default]
    #[serde(alias = "espeak-ng")]
    Espeak,
    /// Piper, offline, with a downloaded voice model.
    Piper,
    /// Any OpenAI-compatible `/v1/audio/speech` endpoint.
    #[serde(alias = "openai-compatible")]
    Openai,
    /// Silent videos.
    None,
}

impl VoiceEngine {
    pub fn as_str(self) -> &'static str {
        match self {
            VoiceEngine::Espeak => "espeak",
            VoiceEngine::Piper => "piper",
            VoiceEngine::Openai => "openai",
            VoiceEngine::None => "none",
        }
    }
}

impl std::fmt::Display for VoiceEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for VoiceEngine {
    type Err = String;
    /// The names serde accepts, aliases included.
    fn from_str(s: &str) -> Result<Self, String> {
        serde_json::from_value(serde_json::Value::String(s.to_string()))
            .map_err(|_| format!("unknown voice engine {s:?}; use espeak, piper, openai or none"))
    }
}

/// Which voice narrates, stored with the job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct VoiceSpec {
    /// `espeak` (default), `piper`, `openai`, or `none` for silent videos.
    pub engine: VoiceEngine,
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
            engine: VoiceEngine::Espeak,
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
            engine: VoiceEngine::None,
            ..VoiceSpec::default()
        }
    }
    pub fn is_silent(&self) -> bool {
        self.engine == VoiceEngine::None
    }
}
