//! OpenAI chat completions, also spoken by OpenRouter, Groq, DeepSeek, Ollama and LM Studio
//! (`/v1`), vLLM and llama.cpp's server.

use super::{parse_event_json, usage, ChatRequest, Completion, Dialect, Params, Role, Step};
use crate::sse::SseEvent;
use reqwest::RequestBuilder;
use serde_json::{json, Value};

pub struct OpenAi;

fn official(p: &Params) -> bool {
    p.base_url.starts_with("https://api.openai.com")
}

/// OpenAI's reasoning models take no temperature.
fn takes_temperature(model: &str) -> bool {
    !["o1", "o3", "o4", "gpt-5"]
        .iter()
        .any(|p| model.starts_with(p))
}

fn auth(rb: RequestBuilder, p: &Params) -> RequestBuilder {
    match &p.key {
        Some(k) => rb.bearer_auth(k.expose()),
        None => rb,
    }
}

impl Dialect for OpenAi {
    fn chat(&self, http: &reqwest::Client, p: &Params, req: &ChatRequest) -> RequestBuilder {
        let mut messages = vec![json!({"role": "system", "content": req.system})];
        messages.extend(req.turns.iter().map(|t| {
            json!({
                "role": if t.role == Role::User { "user" } else { "assistant" },
                "content": t.content,
            })
        }));
        let mut body = json!({
            "model": p.model,
            "messages": messages,
            "stream": req.stream,
        });
        if takes_temperature(&p.model) {
            body["temperature"] = json!(p.temperature);
        }
        // OpenAI itself wants max_completion_tokens; compatible servers know max_tokens.
        let limit = if official(p) {
            "max_completion_tokens"
        } else {
            "max_tokens"
        };
        body[limit] = json!(p.max_tokens);
        if req.stream {
            body["stream_options"] = json!({"include_usage": true});
        }
        if let (Some(s), true) = (&req.schema, p.structured) {
            body["response_format"] = json!({
                "type": "json_schema",
                "json_schema": {"name": s.name, "strict": true, "schema": s.schema},
            });
        }
        auth(http.post(format!("{}/chat/completions", p.base_url)), p).json(&body)
    }

    fn parse_reply(&self, v: &Value) -> Result<Completion, String> {
        let choice = &v["choices"][0];
        let text = choice["message"]["content"]
            .as_str()
            .ok_or("the reply has no choices[0].message.content")?;
        Ok(Completion {
            text: text.to_string(),
            usage: usage(
                &v["usage"]["prompt_tokens"],
                &v["usage"]["completion_tokens"],
            ),
            truncated: choice["finish_reason"] == "length",
        })
    }

    fn stream_event(&self, ev: &SseEvent, acc: &mut Completion) -> Result<Step, String> {
        if ev.data.trim() == "[DONE]" {
            return Ok(Step::Done);
        }
        let v = parse_event_json(ev)?;
        if !v["error"].is_null() {
            return Err(format!(
                "the server sent an error: {}",
                crate::transport::error_message(&ev.data)
            ));
        }
        if let Some(u) = usage(
            &v["usage"]["prompt_tokens"],
            &v["usage"]["completion_tokens"],
        ) {
            acc.usage = Some(u);
        }
        let choice = &v["choices"][0];
        if let Some(t) = choice["delta"]["content"].as_str() {
            acc.text.push_str(t);
        }
        if choice["finish_reason"] == "length" {
            acc.truncated = true;
        }
        Ok(Step::More)
    }

    fn models(&self, http: &reqwest::Client, p: &Params, _page: Option<&str>) -> RequestBuilder {
        auth(http.get(format!("{}/models", p.base_url)), p)
    }

    fn parse_models(&self, v: &Value) -> Result<(Vec<String>, Option<String>), String> {
        let data = v["data"]
            .as_array()
            .ok_or("the listing has no \"data\" array")?;
        Ok((
            data.iter()
                .filter_map(|m| m["id"].as_str().map(str::to_string))
                .collect(),
            None,
        ))
    }
}
