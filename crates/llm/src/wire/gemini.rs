//! Google Gemini (`POST /v1beta/models/M:generateContent`, `:streamGenerateContent?alt=sse`,
//! `GET /v1beta/models`). The key goes in the `x-goog-api-key` header, never in the URL.

use super::{parse_event_json, usage, ChatRequest, Completion, Dialect, Params, Role, Step};
use crate::sse::SseEvent;
use reqwest::RequestBuilder;
use serde_json::{json, Map, Value};

pub struct Gemini;

fn auth(rb: RequestBuilder, p: &Params) -> RequestBuilder {
    match &p.key {
        Some(k) => rb.header("x-goog-api-key", k.expose()),
        None => rb,
    }
}

/// JSON schema → Gemini's OpenAPI subset: upper-case types, no `additionalProperties`.
pub fn to_gemini_schema(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut out = Map::new();
            for (k, x) in m {
                match k.as_str() {
                    "additionalProperties" | "$schema" => {}
                    "type" => {
                        out.insert(
                            k.clone(),
                            json!(x.as_str().unwrap_or("object").to_ascii_uppercase()),
                        );
                    }
                    _ => {
                        out.insert(k.clone(), to_gemini_schema(x));
                    }
                }
            }
            Value::Object(out)
        }
        Value::Array(a) => Value::Array(a.iter().map(to_gemini_schema).collect()),
        x => x.clone(),
    }
}

fn read(v: &Value, acc: &mut Completion) {
    let cand = &v["candidates"][0];
    if let Some(parts) = cand["content"]["parts"].as_array() {
        for p in parts {
            if p["thought"] == true {
                continue;
            }
            if let Some(t) = p["text"].as_str() {
                acc.text.push_str(t);
            }
        }
    }
    if cand["finishReason"] == "MAX_TOKENS" {
        acc.truncated = true;
    }
    let m = &v["usageMetadata"];
    if let Some(mut u) = usage(&m["promptTokenCount"], &m["candidatesTokenCount"]) {
        u.output += m["thoughtsTokenCount"].as_u64().unwrap_or(0);
        acc.usage = Some(u);
    }
}

impl Dialect for Gemini {
    fn chat(&self, http: &reqwest::Client, p: &Params, req: &ChatRequest) -> RequestBuilder {
        let contents: Vec<Value> = req
            .turns
            .iter()
            .map(|t| {
                json!({
                    "role": if t.role == Role::User { "user" } else { "model" },
                    "parts": [{"text": t.content}],
                })
            })
            .collect();
        let mut config = json!({
            "temperature": p.temperature,
            "maxOutputTokens": p.max_tokens,
        });
        if let (Some(s), true) = (&req.schema, p.structured) {
            config["responseMimeType"] = json!("application/json");
            config["responseSchema"] = to_gemini_schema(&s.schema);
        }
        let body = json!({
            "systemInstruction": {"parts": [{"text": req.system}]},
            "contents": contents,
            "generationConfig": config,
        });
        let url = if req.stream {
            format!(
                "{}/v1beta/models/{}:streamGenerateContent?alt=sse",
                p.base_url, p.model
            )
        } else {
            format!("{}/v1beta/models/{}:generateContent", p.base_url, p.model)
        };
        auth(http.post(url), p).json(&body)
    }

    fn parse_reply(&self, v: &Value) -> Result<Completion, String> {
        if v["candidates"][0].is_null() {
            let why = v["promptFeedback"]["blockReason"]
                .as_str()
                .unwrap_or("no candidates");
            return Err(format!("the reply has no candidate ({why})"));
        }
        let mut c = Completion::default();
        read(v, &mut c);
        Ok(c)
    }

    fn stream_event(&self, ev: &SseEvent, acc: &mut Completion) -> Result<Step, String> {
        let v = parse_event_json(ev)?;
        if !v["error"].is_null() {
            return Err(format!(
                "the server sent an error: {}",
                crate::transport::error_message(&ev.data)
            ));
        }
        read(&v, acc);
        // Gemini ends a stream by closing it; the last chunk carries a finishReason.
        if v["candidates"][0]["finishReason"].is_string() {
            return Ok(Step::Done);
        }
        Ok(Step::More)
    }

    fn models(&self, http: &reqwest::Client, p: &Params, page: Option<&str>) -> RequestBuilder {
        let mut rb = http
            .get(format!("{}/v1beta/models", p.base_url))
            .query(&[("pageSize", "1000")]);
        if let Some(t) = page {
            rb = rb.query(&[("pageToken", t)]);
        }
        auth(rb, p)
    }

    fn parse_models(&self, v: &Value) -> Result<(Vec<String>, Option<String>), String> {
        let list = match v["models"].as_array() {
            Some(l) => l.clone(),
            None if v.as_object().is_some_and(|o| o.is_empty()) => Vec::new(),
            None => return Err("the listing has no \"models\" array".into()),
        };
        let names = list
            .iter()
            .filter_map(|m| m["name"].as_str())
            .map(|n| n.strip_prefix("models/").unwrap_or(n).to_string())
            .collect();
        Ok((
            names,
            v["nextPageToken"]
                .as_str()
                .filter(|t| !t.is_empty())
                .map(str::to_string),
        ))
    }
}
