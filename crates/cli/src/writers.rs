//! Which writers and voices the CLI can use: the offline storyboard writer (built into the core)
//! and the LLM writers of `t2v-llm` — provider profiles from `providers.toml` in the config dir
//! (`$THEORY2VIDEO_CONFIG_DIR` overrides it), presets, and bare provider kinds; espeak-ng and
//! Piper (core) plus OpenAI-compatible speech endpoints (`t2v-llm`).

use clap::Args;
use std::sync::Arc;
use t2v_core::app::{App, WriterFactory};
use t2v_core::paths::DataDir;
use t2v_core::voice::{VoiceFactory, VoiceSpec};
use t2v_core::{Error, Result};

pub fn factory() -> Arc<dyn WriterFactory> {
    Arc::new(t2v_llm::Writers::new())
}

pub fn voices() -> Arc<dyn VoiceFactory> {
    Arc::new(t2v_llm::Voices)
}

/// The app with the CLI's writers and voices.
pub fn open_app(data: &DataDir) -> Result<App> {
    Ok(App::open(data.clone(), factory())?.with_voices(voices()))
}

/// Narration options of `generate`.
#[derive(Args, Clone, Default)]
pub struct VoiceArgs {
    /// Narration: `espeak` (offline, default), `piper` (with --voice-name MODEL.onnx), `openai`
    /// (an OpenAI-compatible /v1/audio/speech endpoint), or `none` for a silent video.
    #[arg(long, value_name = "ENGINE")]
    pub voice: Option<String>,
    /// The voice: an espeak-ng voice (en-us, en-gb, fr…), a Piper model path, an OpenAI voice.
    #[arg(long, value_name = "NAME")]
    pub voice_name: Option<String>,
    /// Speech rate, 1.0 = normal.
    #[arg(long, value_name = "X")]
    pub speed: Option<f32>,
    /// Language when no voice is named (espeak-ng: en-us, en-gb, fr, de…).
    #[arg(long, value_name = "LANG")]
    pub voice_language: Option<String>,
    /// `--voice openai`: the speech model (gpt-4o-mini-tts, tts-1, kokoro…).
    #[arg(long, value_name = "MODEL")]
    pub voice_model: Option<String>,
    /// `--voice openai`: the endpoint's base URL (default https://api.openai.com/v1; a local
    /// server such as http://localhost:8880/v1 needs no key).
    #[arg(long, value_name = "URL")]
    pub voice_base_url: Option<String>,
    /// `--voice openai`: name of the environment variable with the key (default OPENAI_API_KEY).
    #[arg(long, value_name = "VAR")]
    pub voice_api_key_env: Option<String>,
    /// Keep these voice options as the default for new jobs (in the settings).
    #[arg(long)]
    pub save_voice: bool,
    /// Burn the subtitles into the picture (they are always written as video.srt/video.vtt).
    #[arg(long)]
    pub burn_subtitles: bool,
}

impl VoiceArgs {
    /// `base` (the settings' voice) with these options applied; `--voice` starts afresh.
    pub fn apply(&self, base: &VoiceSpec) -> Result<VoiceSpec> {
        let mut v = match &self.voice {
            Some(engine) => VoiceSpec {
                engine: engine.parse().map_err(Error::Config)?,
                ..VoiceSpec::default()
            },
            None => base.clone(),
        };
        if let Some(name) = &self.voice_name {
            v.voice = Some(name.clone());
        }
        if let Some(speed) = self.speed {
            if !(0.25..=4.0).contains(&speed) {
                return Err(Error::Config(format!(
                    "--speed {speed} is outside 0.25–4 (1.0 is normal)"
                )));
            }
            v.speed = speed;
        }
        if let Some(lang) = &self.voice_language {
            v.language = lang.clone();
        }
        v.model = self.voice_model.clone().or(v.model.take());
        v.base_url = self.voice_base_url.clone().or(v.base_url.take());
        v.api_key_env = self.voice_api_key_env.clone().or(v.api_key_env.take());
        v.burn_subtitles |= self.burn_subtitles;
        Ok(v)
    }
}
