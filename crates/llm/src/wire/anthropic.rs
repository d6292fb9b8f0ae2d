//! Anthropic Messages (`POST /v1/messages`, `GET /v1/models`).

use super::{parse_event_json, usage, ChatRequest, Completion, Dialect, Params, Role, Step};
use crate::sse::SseEvent;
use reqwest::RequestBuilder;
use serde_json::{json, Value};

pub struct Anthropic;

pub const VERSION: &str = "2023-06-01";

fn headers(rb: RequestBuilder, p: &Params) -> RequestBuilder {
    let rb = rb.header("anthropic-version", VERSION);
    match &p.key {
        Some(k) => rb.header("x-api-key", k.expose()),
        None => rb,
    }
}

impl Dialect for Anthropic {
    fn chat(&self, http: &reqwest::Client, p: &Params, req: &ChatRequest) -> RequestBuilder {
        // Anthropic has no JSON-schema mode on this API: the prompt carries the schema and the
        // reply is parsed strictly.
        let messages: Vec<Value> = req
            .turns
            .iter()
            .map(|t| {
                json!({
                    "role": if t.role == Role::User { "user" } else { "assistant" },
                    "content": t.content,
                })
            })
            .collect();
        let body = json!({
            "model": p.model,
            "system": req.system,
            "messages": messages,
            "max_tokens": p.max_tokens,
            "temperature": p.temperature.min(1.0),
            "stream": req.stream,
        });
        headers(http.post(format!("{}/v1/messages", p.base_url)), p).json(&body)
    }

    fn parse_reply(&self, v: &Value) -> Result<Completion, String> {
        let blocks = v["content"]
            .as_array()
            .ok_or("the reply has no \"content\" array")?;
        let text: String = blocks
            .iter()
            .filter(|b| b["type"] == "text")
            .filter_map(|b| b["text"].as_str())
            .collect();
        Ok(Completion {
            text,
            usage: usage(&v["usage"]["input_tokens"], &v["usage"]["output_tokens"]),
            truncated: v["stop_reason"] == "max_tokens",
        })
    }

    fn stream_event(&self, ev: &SseEvent, acc: &mut Completion) -> Result<Step, String> {
        let kind = ev.event.clone().unwrap_or_default();
        if kind == "ping" {
            return Ok(Step::More);
        }
        let v = parse_event_json(ev)?;
        let kind = if kind.is_empty() {
            v["type"].as_str().unwrap_or("").to_string()
        } else {
            kind
        };
        let mut u = acc.usage.unwrap_or_default();
        match kind.as_str() {
            "message_start" => {
                u.input = v["message"]["usage"]["input_tokens"].as_u64().unwrap_or(0);
                acc.usage = Some(u);
            }
            "content_block_delta" => {
                if let Some(t) = v["delta"]["text"].as_str() {
                    acc.text.push_str(t);
                }
            }
            "message_delta" => {
                if let Some(o) = v["usage"]["output_tokens"].as_u64() {
                    u.output = o;
                    acc.usage = Some(u);
                }
                if v["delta"]["stop_reason"] == "max_tokens" {
                    acc.truncated = true;
                }
            }
            "message_stop" => return Ok(Step::Done),
            "error" => {
                return Err(format!(
                    "the server sent an error: {}",
                    crate::transport::error_message(&ev.data)
                ))
            }
            _ => {}
        }
        Ok(Step::More)
    }

    fn models(&self, http: &reqwest::Client, p: &Params, page: Option<&str>) -> RequestBuilder {
        let mut rb = http
            .get(format!("{}/v1/models", p.base_url))
            .query(&[("limit", "1000")]);
        if let Some(after) = page {
            rb = rb.query(&[("after_id", after)]);
        }
        headers(rb, p)
    }

    fn parse_models(&self, v: &Value) -> Result<(Vec<String>, Option<String>), String> {
        let data = v["data"]
            .as_array()
            .ok_or("the listing has no \"data\" array")?;
        let names: Vec<String> = data
            .iter()
            .filter_map(|m| m["id"].as_str().map(str::to_string))
            .collect();
        let next = if v["has_more"] == true {
            v["last_id"].as_str().map(str::to_string)
        } else {
            None
        };
        Ok((names, next))
    }
}
