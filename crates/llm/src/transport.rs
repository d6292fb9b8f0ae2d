//! HTTP with retries: exponential backoff with jitter for 429 (honouring `Retry-After`), 5xx,
//! connection errors, timeouts and malformed replies; cancellation aborts in-flight requests at
//! once (the request future is dropped, which closes the connection).

use crate::secret::ApiKey;
use bytes::Bytes;
use futures::{Stream, StreamExt};
use reqwest::header::HeaderMap;
use reqwest::{RequestBuilder, Response, StatusCode};
use std::future::Future;
use std::time::Duration;
use t2v_core::writer::{WriterCtx, WriterReport};
use t2v_core::{Error, Result};

/// A provider asking to wait longer than this is reported, not waited for.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(120);
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// How one attempt failed.
#[derive(Debug)]
pub enum Failure {
    /// Worth another attempt (after `after`, when the server said so).
    Retry {
        why: String,
        after: Option<Duration>,
        timeout: bool,
    },
    /// Final.
    Fatal(Error),
    /// Final, refused by the server with this HTTP status (callers decide by `status`).
    Http { status: u16, error: Error },
}

impl Failure {
    pub fn retry(why: impl Into<String>) -> Failure {
        Failure::Retry {
            why: why.into(),
            after: None,
            timeout: false,
        }
    }
}

#[derive(Clone)]
pub struct Transport {
    pub http: reqwest::Client,
    /// Per request: until the headers, between two chunks of a stream, and for a whole body.
    pub timeout: Duration,
    pub max_retries: u32,
    pub retry_base: Duration,
    pub key: Option<ApiKey>,
    /// "openai at http://…", for messages.
    pub provider: String,
    /// How to fix a refused key, for messages.
    pub key_hint: String,
}

impl Transport {
    pub fn http_client(timeout: Duration) -> Result<reqwest::Client> {
        reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10).min(timeout))
            .user_agent(concat!("theory2video/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| Error::Internal(format!("HTTP client: {e}")))
    }

    /// Removes the key from any text that may reach a message.
    pub fn scrub(&self, text: &str) -> String {
        match &self.key {
            Some(k) => k.scrub(text),
            None => text.to_string(),
        }
    }

    /// Runs `attempt` until it succeeds, fails for good, the retries run out or `ctx` is cancelled.
    pub async fn run<T, F, Fut>(&self, what: &str, ctx: &WriterCtx, mut attempt: F) -> Result<T>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = std::result::Result<T, Failure>>,
    {
        let total = self.max_retries + 1;
        for n in 1..=total {
            ctx.check_cancelled()?;
            let r = tokio::select! {
                biased;
                _ = ctx.cancel.cancelled() => return Err(Error::Cancelled),
                r = attempt() => r,
            };
            let (why, after, timeout) = match r {
                Ok(v) => return Ok(v),
                Err(Failure::Fatal(e) | Failure::Http { error: e, .. }) => return Err(e),
                Err(Failure::Retry {
                    why,
                    after,
                    timeout,
                }) => (self.scrub(&why), after, timeout),
            };
            tracing::warn!(provider = %self.provider, attempt = n, "{what}: {why}");
            if n == total {
                return Err(if timeout {
                    Error::Timeout {
                        what: format!("{what} ({}; {total} attempts)", self.provider),
                        secs: self.timeout.as_secs(),
                    }
                } else {
                    Error::Writer(format!(
                        "{what}: {why} ({}; gave up after {total} attempts)",
                        self.provider
                    ))
                });
            }
            if let Some(a) = after.filter(|a| *a > MAX_RETRY_AFTER) {
                return Err(Error::Writer(format!(
                    "{what}: {why}; {} asks to wait {} s before retrying; try again later",
                    self.provider,
                    a.as_secs()
                )));
            }
            let delay = backoff(self.retry_base, n, after);
            (ctx.report)(WriterReport::Message(format!(
                "{what}: {why}; retrying in {:.1} s (attempt {} of {total})",
                delay.as_secs_f64(),
                n + 1
            )));
            tokio::select! {
                biased;
                _ = ctx.cancel.cancelled() => return Err(Error::Cancelled),
                _ = tokio::time::sleep(delay) => {}
            }
        }
        unreachable!("the loop returns on its last attempt")
    }

    /// Sends a request; `Ok` only for a 2xx status.
    pub async fn send(&self, req: RequestBuilder) -> std::result::Result<Response, Failure> {
        let resp = match tokio::time::timeout(self.timeout, req.send()).await {
            Err(_) => return Err(self.timed_out()),
            Ok(Err(e)) => return Err(self.http_error(e)),
            Ok(Ok(r)) => r,
        };
        let status = resp.status();
        if status.is_success() {
            return Ok(resp);
        }
        let headers = resp.headers().clone();
        let body = match tokio::time::timeout(self.timeout, resp.text()).await {
            Ok(Ok(b)) => b,
            _ => String::new(),
        };
        Err(self.status_failure(status, &headers, &body))
    }

    /// `send`, with an HTTP 404 answered as `Ok(Err(error))` for callers that decide on it.
    pub async fn send_or_404(
        &self,
        req: RequestBuilder,
    ) -> std::result::Result<std::result::Result<Response, Error>, Failure> {
        match self.send(req).await {
            Ok(r) => Ok(Ok(r)),
            Err(Failure::Http { status: 404, error }) => Ok(Err(error)),
            Err(f) => Err(f),
        }
    }

    /// The body of a successful response as JSON.
    pub async fn json(&self, resp: Response) -> std::result::Result<serde_json::Value, Failure> {
        let text = match tokio::time::timeout(self.timeout, resp.text()).await {
            Err(_) => return Err(self.timed_out()),
            Ok(Err(e)) => return Err(self.http_error(e)),
            Ok(Ok(t)) => t,
        };
        serde_json::from_str(&text).map_err(|e| {
            Failure::retry(format!(
                "malformed JSON from the server ({e}): {}",
                excerpt(&self.scrub(&text), 120)
            ))
        })
    }

    /// The next chunk of a streamed body, failing when none comes within the timeout.
    pub async fn next_chunk<S>(&self, body: &mut S) -> std::result::Result<Option<Bytes>, Failure>
    where
        S: Stream<Item = reqwest::Result<Bytes>> + Unpin,
    {
        match tokio::time::timeout(self.timeout, body.next()).await {
            Err(_) => Err(self.timed_out()),
            Ok(None) => Ok(None),
            Ok(Some(Err(e))) => Err(self.http_error(e)),
            Ok(Some(Ok(b))) => Ok(Some(b)),
        }
    }

    fn timed_out(&self) -> Failure {
        Failure::Retry {
            why: format!("no answer within {} s", self.timeout.as_secs()),
            after: None,
            timeout: true,
        }
    }

    fn http_error(&self, e: reqwest::Error) -> Failure {
        // reqwest's messages name the URL; keys are only ever in headers, and scrubbed anyway.
        let mut why = e.to_string();
        let mut src = std::error::Error::source(&e);
        while let Some(s) = src {
            why = format!("{why}: {s}");
            src = s.source();
        }
        let why = self.scrub(&why);
        if e.is_timeout() {
            self.timed_out()
        } else if e.is_connect() || e.is_request() || e.is_body() || e.is_decode() {
            Failure::retry(format!("connection failed: {why}"))
        } else {
            Failure::Fatal(Error::Writer(format!("{}: {why}", self.provider)))
        }
    }

    pub fn status_failure(&self, status: StatusCode, headers: &HeaderMap, body: &str) -> Failure {
        let msg = excerpt(&self.scrub(&error_message(body)), 300);
        let code = status.as_u16();
        let after = retry_after(headers);
        match code {
            408 | 409 | 425 | 429 | 500..=599 => Failure::Retry {
                why: format!("HTTP {code}: {msg}"),
                after,
                timeout: false,
            },
            401 | 403 => Failure::Http {
                status: code,
                error: Error::Config(format!(
                    "{} refused the API key (HTTP {code}: {msg}); {}",
                    self.provider, self.key_hint
                )),
            },
            404 => Failure::Http {
                status: code,
                error: Error::Config(format!(
                    "{} answered HTTP 404 ({msg}): check the base URL and the model name",
                    self.provider
                )),
            },
            _ => Failure::Http {
                status: code,
                error: Error::Writer(format!("{} answered HTTP {code}: {msg}", self.provider)),
            },
        }
    }
}

/// `base · 2^(n-1)` capped at 30 s, times a random factor in [0.5, 1); at least `after`.
pub fn backoff(base: Duration, attempt: u32, after: Option<Duration>) -> Duration {
    let exp = base.saturating_mul(1u32 << (attempt.saturating_sub(1)).min(16));
    let jittered = exp.min(MAX_BACKOFF).mul_f64(0.5 + fastrand::f64() * 0.5);
    match after {
        Some(a) => jittered.max(a),
        None => jittered,
    }
}

/// `Retry-After` (seconds or an HTTP date) or `retry-after-ms`.
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    if let Some(ms) = headers
        .get("retry-after-ms")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<f64>().ok())
    {
        return Some(Duration::from_secs_f64(ms.max(0.0) / 1000.0));
    }
    let v = headers.get("retry-after")?.to_str().ok()?.trim();
    if let Ok(secs) = v.parse::<f64>() {
        return Some(Duration::from_secs_f64(secs.max(0.0)));
    }
    let when = httpdate::parse_http_date(v).ok()?;
    Some(
        when.duration_since(std::time::SystemTime::now())
            .unwrap_or_default(),
    )
}

/// The human part of an error body (`{"error":{"message":…}}` and the like), else the text.
pub fn error_message(body: &str) -> String {
    let v: serde_json::Value = match serde_json::from_str(body) {
        Ok(v) => v,
        Err(_) => return body.trim().to_string(),
    };
    let v = match v {
        serde_json::Value::Array(mut a) if !a.is_empty() => a.swap_remove(0),
        v => v,
    };
    [
        &v["error"]["message"],
        &v["error"],
        &v["message"],
        &v["detail"],
    ]
    .iter()
    .find_map(|m| m.as_str().map(str::to_string))
    .unwrap_or_else(|| body.trim().to_string())
}

/// At most `n` characters, on one line.
pub fn excerpt(text: &str, n: usize) -> String {
    let one: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one.chars().count() <= n {
        one
    } else {
        format!("{}…", one.chars().take(n).collect::<String>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_with_jitter_and_honours_retry_after() {
        let b = Duration::from_millis(100);
        for n in 1..6 {
            let d = backoff(b, n, None);
            let exp = 100u64 << (n - 1);
            assert!(
                d.as_millis() as u64 >= exp / 2 && d.as_millis() as u64 <= exp,
                "{d:?}"
            );
        }
        assert!(backoff(b, 40, None) <= MAX_BACKOFF);
        assert_eq!(
            backoff(b, 1, Some(Duration::from_secs(3))),
            Duration::from_secs(3)
        );
    }

    #[test]
    fn retry_after_forms() {
        let mut h = HeaderMap::new();
        h.insert("retry-after", "2".parse().unwrap());
        assert_eq!(retry_after(&h), Some(Duration::from_secs(2)));
        let later = std::time::SystemTime::now() + Duration::from_secs(30);
        h.insert(
            "retry-after",
            httpdate::fmt_http_date(later).parse().unwrap(),
        );
        let d = retry_after(&h).unwrap();
        assert!(d > Duration::from_secs(25) && d <= Duration::from_secs(30));
        h.insert("retry-after-ms", "1500".parse().unwrap());
        assert_eq!(retry_after(&h), Some(Duration::from_millis(1500)));
    }

    #[test]
    fn error_bodies() {
        assert_eq!(
            error_message(r#"{"error":{"message":"Rate limit","type":"x"}}"#),
            "Rate limit"
        );
        assert_eq!(
            error_message(r#"[{"error":{"code":429,"message":"Quota"}}]"#),
            "Quota"
        );
        assert_eq!(
            error_message(r#"{"error":"model not found"}"#),
            "model not found"
        );
        assert_eq!(error_message("Bad Gateway"), "Bad Gateway");
    }
}
