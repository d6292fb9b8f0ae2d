//! Narration through any OpenAI-compatible `POST {base}/audio/speech` endpoint: hosted OpenAI or a
//! local server (LocalAI, Kokoro-FastAPI, openedai-speech…). The request is
//! `{model, input, voice, response_format: "wav", speed}`; the reply is the audio itself.
//!
//! The key comes from the environment variable named by `VoiceSpec::api_key_env` (default
//! `OPENAI_API_KEY`), else the OS keychain (account `speech`); it lives only inside
//! [`ApiKey`] and every message that may quote the server goes through the transport's scrubber.
//! Requests go through the same retrying [`Transport`] as the writers; cancelling the job drops the
//! request at once.

use crate::config::is_loopback;
use crate::secret;
use crate::transport::{excerpt, Failure, Transport};
use async_trait::async_trait;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use t2v_core::voice::{CoreVoices, Voice, VoiceEngine, VoiceFactory, VoiceSpec};
use t2v_core::writer::{WriterCtx, WriterReport};
use t2v_core::{CancellationToken, Error, Result};

pub const DEFAULT_BASE_URL: &str = "https://api.openai.com/v1";
pub const DEFAULT_KEY_ENV: &str = "OPENAI_API_KEY";
pub const DEFAULT_VOICE: &str = "alloy";
/// Keychain account of the speech key (when the environment variable is unset).
pub const KEYCHAIN_ACCOUNT: &str = "speech";

/// Environment overrides for slow servers and tests.
const TIMEOUT_ENV: &str = "THEORY2VIDEO_SPEECH_TIMEOUT_SECS";
const RETRIES_ENV: &str = "THEORY2VIDEO_SPEECH_RETRIES";
const RETRY_MS_ENV: &str = "THEORY2VIDEO_SPEECH_RETRY_MS";

fn env_num(name: &str) -> Option<u64> {
    std::env::var(name).ok()?.trim().parse().ok()
}

/// An OpenAI-compatible speech voice.
pub struct OpenAiSpeech {
    base_url: String,
    model: String,
    voice: String,
    speed: f32,
    transport: Transport,
}

impl std::fmt::Debug for OpenAiSpeech {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpenAiSpeech")
            .field("base_url", &self.base_url)
            .field("model", &self.model)
            .field("voice", &self.voice)
            .field("speed", &self.speed)
            .finish_non_exhaustive()
    }
}

impl OpenAiSpeech {
    /// Checks everything that needs no network: base URL, model, key.
    pub fn new(spec: &VoiceSpec) -> Result<OpenAiSpeech> {
        let base_url = spec
            .base_url
            .as_deref()
            .map(str::trim)
            .unwrap_or(DEFAULT_BASE_URL)
            .trim_end_matches('/')
            .to_string();
        if base_url.is_empty() {
            return Err(Error::Config(
                "the speech voice has an empty base URL: pass --voice-base-url http://HOST:PORT/v1 \
                 (or leave it out for OpenAI)"
                    .into(),
            ));
        }
        let url = reqwest::Url::parse(&base_url).map_err(|e| {
            Error::Config(format!(
                "the speech base URL {base_url:?} is not a URL ({e}); pass e.g. --voice-base-url http://localhost:8880/v1"
            ))
        })?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(Error::Config(
                "the speech base URL must start with http:// or https://".into(),
            ));
        }
        let model = spec
            .model
            .as_deref()
            .map(str::trim)
            .filter(|m| !m.is_empty())
            .ok_or_else(|| {
                Error::Config(
                    "the openai voice needs a speech model: pass --voice-model NAME \
                     (OpenAI: gpt-4o-mini-tts or tts-1; Kokoro-FastAPI: kokoro; LocalAI: your model)"
                        .into(),
                )
            })?
            .to_string();
        let key_env = spec
            .api_key_env
            .clone()
            .filter(|v| !v.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_KEY_ENV.to_string());
        let key = secret::lookup_var(&key_env, KEYCHAIN_ACCOUNT).map(|(k, _)| k);
        // A server on this machine usually needs no key, unless the user named a variable.
        let needs_key = !is_loopback(&url) || spec.api_key_env.is_some();
        if key.is_none() && needs_key {
            return Err(Error::Config(format!(
                "no API key for the speech endpoint at {base_url}: set the environment variable {key_env}"
            )));
        }
        let timeout = Duration::from_secs(env_num(TIMEOUT_ENV).unwrap_or(120).max(1));
        let transport = Transport {
            http: Transport::http_client(timeout)?,
            timeout,
            max_retries: env_num(RETRIES_ENV).unwrap_or(3).min(10) as u32,
            retry_base: Duration::from_millis(env_num(RETRY_MS_ENV).unwrap_or(1000).max(1)),
            key,
            provider: format!("speech at {base_url}"),
            key_hint: format!("check the key in {key_env}"),
        };
        let voice = spec
            .voice
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .unwrap_or(DEFAULT_VOICE)
            .to_string();
        Ok(OpenAiSpeech {
            base_url,
            model,
            voice,
            speed: spec.speed.clamp(0.25, 4.0),
            transport,
        })
    }

    pub fn endpoint(&self) -> String {
        format!("{}/audio/speech", self.base_url)
    }

    /// The request body for `text`.
    pub fn body(&self, text: &str) -> serde_json::Value {
        serde_json::json!({
            "model": self.model,
            "input": text,
            "voice": self.voice,
            "response_format": "wav",
            "speed": self.speed,
        })
    }

    /// One request, with the transport's retries; the audio bytes.
    async fn fetch(&self, text: &str, cancel: &CancellationToken) -> Result<Vec<u8>> {
        let t = &self.transport;
        let mut ctx = WriterCtx::new(cancel.clone(), false, 1);
        ctx.report = Arc::new(|r| {
            if let WriterReport::Message(m) = r {
                tracing::info!("{m}");
            }
        });
        let body = self.body(text);
        t.run("speech", &ctx, || async {
            let mut rb = t.http.post(self.endpoint()).json(&body);
            if let Some(k) = &t.key {
                rb = rb.bearer_auth(k.expose());
            }
            let resp = t.send(rb).await?;
            let kind = resp
                .headers()
                .get(reqwest::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_ascii_lowercase();
            let bytes = match tokio::time::timeout(t.timeout, resp.bytes()).await {
                Err(_) => return Err(Failure::retry("the audio did not arrive in time")),
                Ok(Err(e)) => return Err(Failure::retry(format!("reading the audio: {e}"))),
                Ok(Ok(b)) => b,
            };
            check_audio(&kind, &bytes).map_err(|why| Failure::retry(t.scrub(&why)))?;
            Ok(bytes.to_vec())
        })
        .await
    }
}

/// A reply is audio: not JSON, HTML or text, and longer than a bare WAV header.
pub fn check_audio(content_type: &str, bytes: &[u8]) -> std::result::Result<(), String> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(200)]).to_string();
    let textual = content_type.starts_with("application/json")
        || content_type.starts_with("text/")
        || head.trim_start().starts_with('{')
        || head.trim_start().starts_with('<');
    if textual {
        return Err(format!(
            "the server answered with text instead of audio: {}",
            excerpt(&head, 120)
        ));
    }
    if bytes.len() <= 44 {
        return Err(format!(
            "the server answered with {} bytes of audio",
            bytes.len()
        ));
    }
    Ok(())
}

#[async_trait]
impl Voice for OpenAiSpeech {
    fn key(&self) -> String {
        // Never the API key: what changes the sound.
        format!(
            "openai-speech:{}:{}:{}:{:.2}",
            self.base_url, self.model, self.voice, self.speed
        )
    }

    async fn speak(&self, text: &str, out_wav: &Path, cancel: &CancellationToken) -> Result<()> {
        let audio = self.fetch(text, cancel).await?;
        if cancel.is_cancelled() {
            return Err(Error::Cancelled);
        }
        tokio::fs::write(out_wav, &audio)
            .await
            .map_err(|e| Error::io(format!("writing {}", out_wav.display()), e))
    }
}

/// The voice factory the CLI and the app plug in: `openai` here, everything else (espeak-ng,
/// Piper, none) from the core.
#[derive(Debug, Clone, Copy, Default)]
pub struct Voices;

impl VoiceFactory for Voices {
    fn create(&self, spec: &VoiceSpec) -> Result<Option<Arc<dyn Voice>>> {
        match spec.engine {
            VoiceEngine::Openai => Ok(Some(Arc::new(OpenAiSpeech::new(spec)?))),
            VoiceEngine::Espeak | VoiceEngine::Piper | VoiceEngine::None => CoreVoices.create(spec),
        }
    }
}
