//! The three wire formats behind one chat interface: a request (system prompt, turns, optional
//! JSON schema, streaming or not) and a completion (text, token usage, whether it was cut off).

mod anthropic;
mod gemini;
mod openai;

use crate::secret::ApiKey;
use crate::sse::SseEvent;
use reqwest::RequestBuilder;
use serde_json::Value;
use t2v_core::job::TokenUsage;

pub use crate::config::ProviderKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    User,
    Assistant,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Turn {
    pub role: Role,
    pub content: String,
}

/// A JSON schema the reply must follow (sent as structured-output mode where offered).
#[derive(Debug, Clone, PartialEq)]
pub struct Schema {
    pub name: &'static str,
    pub schema: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ChatRequest {
    pub system: String,
    pub turns: Vec<Turn>,
    pub schema: Option<Schema>,
    pub stream: bool,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Completion {
    pub text: String,
    /// `None` when the server reported none.
    pub usage: Option<TokenUsage>,
    /// Stopped by the token limit.
    pub truncated: bool,
}

/// What a request needs besides the conversation.
#[derive(Debug, Clone)]
pub struct Params {
    pub base_url: String,
    pub model: String,
    pub temperature: f32,
    pub max_tokens: u32,
    pub key: Option<ApiKey>,
    pub structured: bool,
}

/// One step of a streamed reply.
#[derive(Debug, PartialEq, Eq)]
pub enum Step {
    More,
    Done,
}

/// A provider's wire format.
pub trait Dialect: Send + Sync {
    fn chat(&self, http: &reqwest::Client, p: &Params, req: &ChatRequest) -> RequestBuilder;
    fn parse_reply(&self, v: &Value) -> Result<Completion, String>;
    /// Folds one SSE event into `acc`.
    fn stream_event(&self, ev: &SseEvent, acc: &mut Completion) -> Result<Step, String>;
    /// The model listing, one page (`page` is the previous page's cursor).
    fn models(&self, http: &reqwest::Client, p: &Params, page: Option<&str>) -> RequestBuilder;
    /// Model names and the next page's cursor.
    fn parse_models(&self, v: &Value) -> Result<(Vec<String>, Option<String>), String>;
}

pub fn dialect(kind: ProviderKind) -> Box<dyn Dialect> {
    match kind {
        ProviderKind::Openai => Box::new(openai::OpenAi),
        ProviderKind::Anthropic => Box::new(anthropic::Anthropic),
        ProviderKind::Gemini => Box::new(gemini::Gemini),
    }
}

/// Ollama's own listing (`GET /api/tags`), for servers whose `/v1/models` is missing.
pub fn ollama_tags(http: &reqwest::Client, base_url: &str) -> RequestBuilder {
    let root = base_url.trim_end_matches('/').trim_end_matches("/v1");
    http.get(format!("{root}/api/tags"))
}

pub fn parse_ollama_tags(v: &Value) -> Result<Vec<String>, String> {
    let list = v["models"]
        .as_array()
        .ok_or("the listing has no \"models\" array")?;
    Ok(list
        .iter()
        .filter_map(|m| m["name"].as_str().or(m["model"].as_str()))
        .map(str::to_string)
        .collect())
}

/// The model is in the listing (Gemini's `models/` prefix and Ollama's `:latest` tag aside).
pub fn listed(model: &str, names: &[String]) -> bool {
    let norm = |s: &str| {
        let s = s.strip_prefix("models/").unwrap_or(s);
        s.strip_suffix(":latest").unwrap_or(s).to_string()
    };
    let want = norm(model);
    names.iter().any(|n| norm(n) == want)
}

pub(crate) fn usage(input: &Value, output: &Value) -> Option<TokenUsage> {
    match (input.as_u64(), output.as_u64()) {
        (None, None) => None,
        (i, o) => Some(TokenUsage {
            input: i.unwrap_or(0),
            output: o.unwrap_or(0),
        }),
    }
}

pub(crate) fn parse_event_json(ev: &SseEvent) -> Result<Value, String> {
    serde_json::from_str(&ev.data).map_err(|e| {
        format!(
            "malformed JSON in the stream ({e}): {}",
            crate::transport::excerpt(&ev.data, 80)
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listing_match_normalises_prefixes_and_tags() {
        let names = vec![
            "models/gemini-2.5-flash".to_string(),
            "llama3.2:latest".into(),
        ];
        assert!(listed("gemini-2.5-flash", &names));
        assert!(listed("llama3.2", &names));
        assert!(listed("llama3.2:latest", &names));
        assert!(!listed("llama3.2:1b", &names));
        assert!(!listed("gemini-2.5", &names));
    }
}
