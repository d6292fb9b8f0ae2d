//! Theory2Video's LLM writers. One OpenAI-compatible chat-completions client with a configurable
//! base URL (OpenAI, OpenRouter, Groq, DeepSeek, Ollama, LM Studio, vLLM, llama.cpp), plus
//! Anthropic Messages and Gemini `generateContent`, behind the core's `Writer` trait.
//!
//! - [`config`]: provider profiles, presets, allow-list and prices from `providers.toml`.
//! - [`secret`]: API keys from the environment or the OS keychain; never stored, always scrubbed.
//! - [`transport`]: retries with backoff and jitter, `Retry-After`, timeouts, cancellation.
//! - [`wire`]: the three wire formats, streaming (SSE) and model listings.
//! - [`prompts`], [`parse`]: versioned prompt files and strict reply parsing.
//! - [`writer`]: [`LlmWriter`], and [`Writers`], the factory the CLI and the app plug in.
//! - [`speech`]: [`OpenAiSpeech`], narration from an OpenAI-compatible `/audio/speech` endpoint,
//!   and [`Voices`], the voice factory (espeak-ng and Piper come from the core).

pub mod allow;
mod checks;
pub mod client;
pub mod config;
pub mod parse;
pub mod pricing;
pub mod prompts;
pub mod secret;
pub mod speech;
pub mod sse;
pub mod transport;
pub mod wire;
pub mod writer;

pub use config::{Config, Profile, ProviderKind};
pub use speech::{OpenAiSpeech, Voices};
pub use writer::LlmWriter;

use std::path::PathBuf;
use std::sync::Arc;
use t2v_core::app::{CoreWriters, WriterFactory};
use t2v_core::writer::Writer;
use t2v_core::{Result, WriterSpec};

/// Makes writers from specs: `storyboard` → the core's offline writer; a profile name, preset or
/// provider kind → an [`LlmWriter`]. Creating one checks what needs no network (profile, model,
/// URL, allow-list, key), so an invalid configuration fails before anything is queued.
#[derive(Debug, Clone, Default)]
pub struct Writers {
    /// Where `providers.toml` is (default: [`config::config_dir`]).
    pub config_dir: Option<PathBuf>,
}

impl Writers {
    pub fn new() -> Writers {
        Writers::default()
    }

    pub fn with_config_dir(dir: impl Into<PathBuf>) -> Writers {
        Writers {
            config_dir: Some(dir.into()),
        }
    }

    /// The LLM writer for a spec (not the storyboard writer).
    pub fn llm(&self, spec: &WriterSpec) -> Result<LlmWriter> {
        let config = Config::load(self.config_dir.as_deref())?;
        let profile = config.resolve(spec)?;
        let key = secret::lookup(&profile);
        let writer = LlmWriter::new(profile, key, &config)?;
        writer.check_static()?;
        Ok(writer)
    }
}

impl WriterFactory for Writers {
    fn create(&self, spec: &WriterSpec) -> Result<Arc<dyn Writer>> {
        if spec.is_storyboard() {
            CoreWriters.create(spec)
        } else {
            Ok(Arc::new(self.llm(spec)?))
        }
    }
}
