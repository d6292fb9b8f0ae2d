//! A loopback fake of the three provider APIs, scripted per test. It speaks the real wire formats:
//! OpenAI chat completions (JSON and SSE), Anthropic Messages (JSON and SSE with named events),
//! Gemini generateContent / streamGenerateContent?alt=sse, and the model listings of all three
//! plus Ollama's `/api/tags`.

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::Response;
use serde_json::{json, Value};
use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One scripted answer to a chat request (model listings have their own queue).
#[derive(Debug, Clone)]
pub enum Reply {
    /// The responder's text, in the request's wire format (SSE when it asked to stream).
    Normal,
    /// This text, in the request's wire format.
    Text(String),
    /// A status with headers and a body.
    Status(u16, Vec<(&'static str, String)>, String),
    /// Waits this long, then answers normally.
    Hang(Duration),
    /// 200 with this body as it is (e.g. malformed JSON).
    Raw(String),
}

#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub query: String,
    pub headers: Vec<(String, String)>,
    pub body: Value,
    pub at: Instant,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    /// The text of every user turn, in order, whatever the wire format.
    pub fn user_texts(&self) -> Vec<String> {
        let b = &self.body;
        if let Some(contents) = b["contents"].as_array() {
            return contents
                .iter()
                .filter(|c| c["role"] == "user")
                .map(|c| c["parts"][0]["text"].as_str().unwrap_or("").to_string())
                .collect();
        }
        b["messages"]
            .as_array()
            .map(|m| {
                m.iter()
                    .filter(|m| m["role"] == "user")
                    .map(|m| m["content"].as_str().unwrap_or("").to_string())
                    .collect()
            })
            .unwrap_or_default()
    }
    /// The task of the first user turn (`Task: outline` → `outline`).
    pub fn task(&self) -> String {
        let first = self.user_texts().into_iter().next().unwrap_or_default();
        first
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("Task: "))
            .unwrap_or("")
            .to_string()
    }
    pub fn is_chat(&self) -> bool {
        self.method == "POST"
    }
    pub fn streams(&self) -> bool {
        self.body["stream"] == true || self.path.contains("streamGenerateContent")
    }
}

type Responder = Box<dyn Fn(&Seen) -> String + Send + Sync>;

pub struct State {
    pub script: Mutex<VecDeque<Reply>>,
    pub models_script: Mutex<VecDeque<Reply>>,
    pub seen: Mutex<Vec<Seen>>,
    pub models: Mutex<Vec<String>>,
    /// Pause between two SSE events.
    pub chunk_delay: Mutex<Duration>,
    responder: Responder,
}

pub struct Fake {
    pub addr: SocketAddr,
    pub state: Arc<State>,
}

impl Fake {
    pub async fn start(
        models: &[&str],
        responder: impl Fn(&Seen) -> String + Send + Sync + 'static,
    ) -> Fake {
        let state = Arc::new(State {
            script: Mutex::new(VecDeque::new()),
            models_script: Mutex::new(VecDeque::new()),
            seen: Mutex::new(Vec::new()),
            models: Mutex::new(models.iter().map(|s| s.to_string()).collect()),
            chunk_delay: Mutex::new(Duration::ZERO),
            responder: Box::new(responder),
        });
        let st = state.clone();
        let app = axum::Router::new().fallback(move |m: Method, u: Uri, h: HeaderMap, b: Bytes| {
            let st = st.clone();
            async move { handle(st, m, u, h, b).await }
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Fake { addr, state }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
    pub fn push(&self, r: Reply) {
        self.state.script.lock().unwrap().push_back(r);
    }
    pub fn push_models(&self, r: Reply) {
        self.state.models_script.lock().unwrap().push_back(r);
    }
    pub fn seen(&self) -> Vec<Seen> {
        self.state.seen.lock().unwrap().clone()
    }
    pub fn chats(&self) -> Vec<Seen> {
        self.seen().into_iter().filter(Seen::is_chat).collect()
    }
}

fn status(code: u16, headers: &[(&'static str, String)], body: String) -> Response {
    let mut r = Response::builder().status(StatusCode::from_u16(code).unwrap());
    for (k, v) in headers {
        r = r.header(*k, v);
    }
    r.header("content-type", "application/json")
        .body(Body::from(body))
        .unwrap()
}

async fn handle(st: Arc<State>, m: Method, u: Uri, h: HeaderMap, b: Bytes) -> Response {
    let seen = Seen {
        method: m.to_string(),
        path: u.path().to_string(),
        query: u.query().unwrap_or("").to_string(),
        headers: h
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string()))
            .collect(),
        body: serde_json::from_slice(&b).unwrap_or(Value::Null),
        at: Instant::now(),
    };
    st.seen.lock().unwrap().push(seen.clone());
    let queue = if m == Method::POST {
        &st.script
    } else {
        &st.models_script
    };
    let reply = queue.lock().unwrap().pop_front().unwrap_or(Reply::Normal);
    let text = match reply {
        Reply::Status(code, headers, body) => return status(code, &headers, body),
        Reply::Raw(body) => return status(200, &[], body),
        Reply::Hang(d) => {
            tokio::time::sleep(d).await;
            None
        }
        Reply::Text(t) => Some(t),
        Reply::Normal => None,
    };
    if m == Method::GET {
        return listing(&st, &seen);
    }
    let text = text.unwrap_or_else(|| (st.responder)(&seen));
    let p = b.len() as u64 / 4;
    let c = text.len() as u64 / 4;
    let path = seen.path.as_str();
    let body: Result<String, Vec<String>> = if path.ends_with("/chat/completions") {
        openai(&seen, &text, p, c)
    } else if path.ends_with("/v1/messages") {
        anthropic(&seen, &text, p, c)
    } else if path.contains(":generateContent") || path.contains(":streamGenerateContent") {
        gemini(&seen, &text, p, c)
    } else {
        return status(
            404,
            &[],
            json!({"error": {"message": "no such route"}}).to_string(),
        );
    };
    match body {
        Ok(json) => status(200, &[], json),
        Err(events) => {
            use futures::StreamExt;
            let delay = *st.chunk_delay.lock().unwrap();
            let stream = futures::stream::iter(events).then(move |e| async move {
                if !delay.is_zero() {
                    tokio::time::sleep(delay).await;
                }
                Ok::<_, std::convert::Infallible>(Bytes::from(e))
            });
            Response::builder()
                .header("content-type", "text/event-stream")
                .body(Body::from_stream(stream))
                .unwrap()
        }
    }
}

fn listing(st: &State, seen: &Seen) -> Response {
    let models = st.models.lock().unwrap().clone();
    let body = match seen.path.as_str() {
        "/v1/models" if seen.header("anthropic-version").is_some() => json!({
            "data": models.iter().map(|m| json!({"type": "model", "id": m, "display_name": m, "created_at": "2025-01-01T00:00:00Z"})).collect::<Vec<_>>(),
            "has_more": false,
            "first_id": models.first(),
            "last_id": models.last(),
        }),
        "/v1/models" => json!({
            "object": "list",
            "data": models.iter().map(|m| json!({"id": m, "object": "model", "created": 0, "owned_by": "fake"})).collect::<Vec<_>>(),
        }),
        "/v1beta/models" => json!({
            "models": models.iter().map(|m| json!({"name": format!("models/{m}"), "supportedGenerationMethods": ["generateContent"]})).collect::<Vec<_>>(),
        }),
        "/api/tags" => json!({
            "models": models.iter().map(|m| json!({"name": m, "model": m, "size": 1})).collect::<Vec<_>>(),
        }),
        _ => {
            return status(
                404,
                &[],
                json!({"error": {"message": "not found"}}).to_string(),
            )
        }
    };
    status(200, &[], body.to_string())
}

fn pieces(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    chars.chunks(24).map(|c| c.iter().collect()).collect()
}

fn sse(data: &Value) -> String {
    format!("data: {data}\n\n")
}

fn openai(seen: &Seen, text: &str, p: u64, c: u64) -> Result<String, Vec<String>> {
    let model = seen.body["model"].clone();
    let usage = json!({"prompt_tokens": p, "completion_tokens": c, "total_tokens": p + c});
    if !seen.streams() {
        return Ok(json!({
            "id": "chatcmpl-1", "object": "chat.completion", "created": 0, "model": model,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
            "usage": usage,
        })
        .to_string());
    }
    let chunk = |delta: Value, finish: Value| {
        sse(
            &json!({"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 0, "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}),
        )
    };
    let mut ev = vec![chunk(
        json!({"role": "assistant", "content": ""}),
        Value::Null,
    )];
    ev.extend(
        pieces(text)
            .into_iter()
            .map(|t| chunk(json!({"content": t}), Value::Null)),
    );
    ev.push(chunk(json!({}), json!("stop")));
    ev.push(sse(&json!({"id": "chatcmpl-1", "object": "chat.completion.chunk", "choices": [], "usage": usage})));
    ev.push("data: [DONE]\n\n".into());
    Err(ev)
}

fn anthropic(seen: &Seen, text: &str, p: u64, c: u64) -> Result<String, Vec<String>> {
    let model = seen.body["model"].clone();
    if !seen.streams() {
        return Ok(json!({
            "id": "msg_1", "type": "message", "role": "assistant", "model": model,
            "content": [{"type": "text", "text": text}],
            "stop_reason": "end_turn", "stop_sequence": null,
            "usage": {"input_tokens": p, "output_tokens": c},
        })
        .to_string());
    }
    let ev = |name: &str, data: Value| format!("event: {name}\ndata: {data}\n\n");
    let mut out = vec![
        ev(
            "message_start",
            json!({"type": "message_start", "message": {"id": "msg_1", "type": "message", "role": "assistant", "model": model, "content": [], "stop_reason": null, "usage": {"input_tokens": p, "output_tokens": 1}}}),
        ),
        ev(
            "content_block_start",
            json!({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}),
        ),
        ev("ping", json!({"type": "ping"})),
    ];
    out.extend(pieces(text).into_iter().map(|t| {
        ev("content_block_delta", json!({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": t}}))
    }));
    out.push(ev(
        "content_block_stop",
        json!({"type": "content_block_stop", "index": 0}),
    ));
    out.push(ev("message_delta", json!({"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": null}, "usage": {"output_tokens": c}})));
    out.push(ev("message_stop", json!({"type": "message_stop"})));
    Err(out)
}

fn gemini(seen: &Seen, text: &str, p: u64, c: u64) -> Result<String, Vec<String>> {
    let usage = json!({"promptTokenCount": p, "candidatesTokenCount": c, "totalTokenCount": p + c});
    if !seen.streams() {
        return Ok(json!({
            "candidates": [{"content": {"parts": [{"text": text}], "role": "model"}, "finishReason": "STOP", "index": 0}],
            "usageMetadata": usage, "modelVersion": "fake",
        })
        .to_string());
    }
    let parts = pieces(text);
    let n = parts.len();
    Err(parts
        .into_iter()
        .enumerate()
        .map(|(i, t)| {
            let mut cand =
                json!({"content": {"parts": [{"text": t}], "role": "model"}, "index": 0});
            if i + 1 == n {
                cand["finishReason"] = json!("STOP");
            }
            sse(&json!({"candidates": [cand], "usageMetadata": usage, "modelVersion": "fake"}))
        })
        .collect())
}
