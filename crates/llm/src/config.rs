//! Provider profiles, the model allow-list and the price table, from `providers.toml` in the
//! platform config dir (`$THEORY2VIDEO_CONFIG_DIR` overrides the folder). The file never holds a
//! key: keys come from the OS keychain or an environment variable named by the profile.

use crate::pricing::{Price, PriceTable};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;
use t2v_core::{Error, Result, WriterSpec};

pub const CONFIG_DIR_ENV: &str = "THEORY2VIDEO_CONFIG_DIR";
pub const CONFIG_FILE: &str = "providers.toml";

/// The wire protocol a provider speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProviderKind {
    /// OpenAI chat completions (OpenAI, OpenRouter, Groq, Ollama and LM Studio `/v1`, vLLM…).
    Openai,
    /// Anthropic Messages.
    Anthropic,
    /// Google Gemini `generateContent`.
    Gemini,
}

impl ProviderKind {
    pub fn parse(s: &str) -> Option<ProviderKind> {
        match s {
            "openai" => Some(ProviderKind::Openai),
            "anthropic" => Some(ProviderKind::Anthropic),
            "gemini" => Some(ProviderKind::Gemini),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            ProviderKind::Openai => "openai",
            ProviderKind::Anthropic => "anthropic",
            ProviderKind::Gemini => "gemini",
        }
    }
    /// The hosted default endpoint.
    pub fn default_base_url(self) -> &'static str {
        match self {
            ProviderKind::Openai => "https://api.openai.com/v1",
            ProviderKind::Anthropic => "https://api.anthropic.com",
            ProviderKind::Gemini => "https://generativelanguage.googleapis.com",
        }
    }
    pub fn default_key_env(self) -> &'static str {
        match self {
            ProviderKind::Openai => "OPENAI_API_KEY",
            ProviderKind::Anthropic => "ANTHROPIC_API_KEY",
            ProviderKind::Gemini => "GEMINI_API_KEY",
        }
    }
}

/// One profile as written in the file (every field optional but `kind`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileEntry {
    pub kind: Option<ProviderKind>,
    pub base_url: Option<String>,
    pub model: Option<String>,
    pub temperature: Option<f32>,
    pub max_tokens: Option<u32>,
    pub timeout_secs: Option<u64>,
    pub api_key_env: Option<String>,
    /// Whether a key is needed; default: yes unless the base URL is on this machine.
    pub requires_key: Option<bool>,
    /// Ask for JSON with a schema where the provider offers it (default true).
    pub structured_output: Option<bool>,
    pub max_retries: Option<u32>,
    pub retry_base_ms: Option<u64>,
    /// Replies that do not parse are sent back with a correction this many times in all.
    pub parse_attempts: Option<u32>,
}

/// The whole file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    #[serde(default)]
    pub profiles: BTreeMap<String, ProfileEntry>,
    /// Extra allowed models per provider kind for the hosted default endpoints (`*` suffix = prefix).
    #[serde(default)]
    pub allow: BTreeMap<String, Vec<String>>,
    /// USD per million tokens, by model name (`*` suffix = prefix); overrides the shipped table.
    #[serde(default)]
    pub prices: BTreeMap<String, Price>,
}

/// A profile with every default filled in: what a writer runs with.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    pub name: String,
    pub kind: ProviderKind,
    pub base_url: String,
    pub model: String,
    pub temperature: f32,
    pub max_tokens: u32,
    pub timeout: Duration,
    /// Name of the environment variable with the key (never the key).
    pub api_key_env: String,
    pub requires_key: bool,
    pub structured_output: bool,
    pub max_retries: u32,
    pub retry_base: Duration,
    pub parse_attempts: u32,
}

impl Profile {
    /// The base URL is the provider's hosted default (the allow-list applies there).
    pub fn is_hosted_default(&self) -> bool {
        self.base_url == self.kind.default_base_url()
    }
}

/// Built-in presets usable as `--writer NAME` with no file.
fn preset(name: &str) -> Option<ProfileEntry> {
    let (kind, base, env) = match name {
        "openai" | "anthropic" | "gemini" => (ProviderKind::parse(name)?, None, None),
        "ollama" => (
            ProviderKind::Openai,
            Some("http://localhost:11434/v1"),
            Some("OLLAMA_API_KEY"),
        ),
        "lmstudio" => (
            ProviderKind::Openai,
            Some("http://localhost:1234/v1"),
            Some("LMSTUDIO_API_KEY"),
        ),
        "openrouter" => (
            ProviderKind::Openai,
            Some("https://openrouter.ai/api/v1"),
            Some("OPENROUTER_API_KEY"),
        ),
        _ => return None,
    };
    Some(ProfileEntry {
        kind: Some(kind),
        base_url: base.map(str::to_string),
        api_key_env: env.map(str::to_string),
        ..Default::default()
    })
}

pub const PRESETS: &[&str] = &[
    "openai",
    "anthropic",
    "gemini",
    "ollama",
    "lmstudio",
    "openrouter",
];

/// The loaded configuration.
#[derive(Debug, Clone, Default)]
pub struct Config {
    pub path: Option<PathBuf>,
    pub file: ConfigFile,
}

/// The config folder: `$THEORY2VIDEO_CONFIG_DIR`, else the platform config dir.
pub fn config_dir() -> Option<PathBuf> {
    match std::env::var_os(CONFIG_DIR_ENV).filter(|v| !v.is_empty()) {
        Some(v) => Some(PathBuf::from(v)),
        None => dirs::config_dir().map(|d| d.join("theory2video")),
    }
}

impl Config {
    /// Loads `providers.toml` from `dir` (default: [`config_dir`]). A missing file is empty.
    pub fn load(dir: Option<&Path>) -> Result<Config> {
        let Some(dir) = dir.map(Path::to_path_buf).or_else(config_dir) else {
            return Ok(Config::default());
        };
        let path = dir.join(CONFIG_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Config {
                    path: Some(path),
                    file: ConfigFile::default(),
                })
            }
            Err(e) => {
                return Err(Error::Config(format!(
                    "cannot read {}: {e}",
                    path.display()
                )))
            }
        };
        let file = Config::parse(&text)
            .map_err(|why| Error::Config(format!("{}: {why}", path.display())))?;
        Ok(Config {
            path: Some(path),
            file,
        })
    }

    /// Parses the file's text. The error names the line but never quotes it: a key pasted into
    /// the file by mistake must not end up in a message.
    pub fn parse(text: &str) -> Result<ConfigFile, String> {
        toml::from_str::<ConfigFile>(text).map_err(|e| {
            let line = e
                .span()
                .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
            let mut why = e.message().trim().to_string();
            if toml::from_str::<toml::Table>(text).is_ok_and(|t| holds_a_key(&t)) {
                why.push_str(
                    "; keys do not belong in this file: use the keychain or the variable named by api_key_env",
                );
            }
            match line {
                Some(l) => format!("line {l}: {why}"),
                None => why,
            }
        })
    }

    pub fn prices(&self) -> PriceTable {
        PriceTable::with_overrides(&self.file.prices)
    }

    /// Extra allowed models for a kind (the user's part of the allow-list).
    pub fn extra_allowed(&self, kind: ProviderKind) -> Vec<String> {
        self.file
            .allow
            .get(kind.as_str())
            .cloned()
            .unwrap_or_default()
    }

    fn where_(&self) -> String {
        self.path
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| CONFIG_FILE.to_string())
    }

    /// Resolves a writer spec: `kind` (or `profile`) names a profile from the file, a preset or a
    /// provider kind; the spec's model/base URL/key variable override the profile's.
    pub fn resolve(&self, spec: &WriterSpec) -> Result<Profile> {
        let name = spec.profile.clone().unwrap_or_else(|| spec.kind.clone());
        let entry = match (self.file.profiles.get(&name), preset(&name)) {
            (Some(e), _) => e.clone(),
            (None, Some(p)) => p,
            (None, None) => {
                let mut known: Vec<String> = self.file.profiles.keys().cloned().collect();
                known.extend(PRESETS.iter().map(|s| s.to_string()));
                return Err(Error::Config(format!(
                    "unknown writer {name:?}: use \"storyboard\", a provider kind (openai, anthropic, gemini), \
                     a preset or a profile from {}; known: {}",
                    self.where_(),
                    known.join(", ")
                )));
            }
        };
        let kind = entry.kind.ok_or_else(|| {
            Error::Config(format!(
                "profile {name:?} in {} has no kind; set kind = \"openai\", \"anthropic\" or \"gemini\"",
                self.where_()
            ))
        })?;
        let base_url = spec
            .base_url
            .clone()
            .or(entry.base_url)
            .unwrap_or_else(|| kind.default_base_url().to_string())
            .trim_end_matches('/')
            .to_string();
        let parsed = reqwest::Url::parse(&base_url).map_err(|e| {
            Error::Config(format!(
                "the base URL {base_url:?} of writer {name:?} is not a URL ({e})"
            ))
        })?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(Error::Config(format!(
                "the base URL of writer {name:?} must start with http:// or https://"
            )));
        }
        let model = spec
            .model
            .clone()
            .or(entry.model)
            .filter(|m| !m.trim().is_empty())
            .ok_or_else(|| {
                Error::Config(format!(
                    "writer {name:?} has no model: pass --model NAME or set model in {}",
                    self.where_()
                ))
            })?;
        let local = is_loopback(&parsed);
        let explicit_env = spec.api_key_env.clone().or(entry.api_key_env.clone());
        let temperature = entry.temperature.unwrap_or(0.2);
        if !(0.0..=2.0).contains(&temperature) {
            return Err(Error::Config(format!(
                "writer {name:?}: temperature {temperature} is outside 0–2"
            )));
        }
        Ok(Profile {
            name,
            kind,
            base_url,
            model,
            temperature,
            max_tokens: entry.max_tokens.unwrap_or(4096).clamp(256, 128_000),
            timeout: Duration::from_secs(entry.timeout_secs.unwrap_or(300).max(1)),
            requires_key: entry
                .requires_key
                .unwrap_or(!local || spec.api_key_env.is_some()),
            api_key_env: explicit_env.unwrap_or_else(|| kind.default_key_env().to_string()),
            structured_output: entry.structured_output.unwrap_or(true),
            max_retries: entry.max_retries.unwrap_or(4).min(10),
            retry_base: Duration::from_millis(entry.retry_base_ms.unwrap_or(1000).max(1)),
            parse_attempts: entry.parse_attempts.unwrap_or(3).clamp(1, 6),
        })
    }
}

/// The URL points at this machine (a self-hosted server: Ollama, LM Studio, llama.cpp…).
pub fn is_loopback(url: &reqwest::Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    match host.parse::<std::net::IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => host == "localhost" || host.ends_with(".localhost"),
    }
}

/// Whether any table of the file has an `api_key` or `key` entry (a secret where none belongs).
fn holds_a_key(t: &toml::Table) -> bool {
    t.iter()
        .any(|(k, v)| k == "api_key" || k == "key" || v.as_table().is_some_and(holds_a_key))
}

#[cfg(test)]
#[path = "config_tests.rs"]
mod tests;
