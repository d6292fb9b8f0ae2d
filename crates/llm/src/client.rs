//! A provider client: one profile's endpoint, model and key behind `chat` and `list_models`.

use crate::config::{Profile, ProviderKind};
use crate::secret::ApiKey;
use crate::sse::SseDecoder;
use crate::transport::{Failure, Transport};
use crate::wire::{self, ChatRequest, Completion, Dialect, Params, Step};
use t2v_core::writer::WriterCtx;
use t2v_core::{Error, Result};

pub struct Client {
    pub kind: ProviderKind,
    pub params: Params,
    pub transport: Transport,
    dialect: Box<dyn Dialect>,
}

/// What `list_models` found.
#[derive(Debug, Clone, PartialEq)]
pub enum Listing {
    Models(Vec<String>),
    /// The server offers no listing (HTTP 404 on every known path).
    NotOffered,
}

impl Client {
    pub fn new(profile: &Profile, key: Option<ApiKey>, key_hint: String) -> Result<Client> {
        let transport = Transport {
            http: Transport::http_client(profile.timeout)?,
            timeout: profile.timeout,
            max_retries: profile.max_retries,
            retry_base: profile.retry_base,
            key: key.clone(),
            provider: format!("{} at {}", profile.kind.as_str(), profile.base_url),
            key_hint,
        };
        Ok(Client {
            kind: profile.kind,
            params: Params {
                base_url: profile.base_url.clone(),
                model: profile.model.clone(),
                temperature: profile.temperature,
                max_tokens: profile.max_tokens,
                key,
                structured: profile.structured_output,
            },
            transport,
            dialect: wire::dialect(profile.kind),
        })
    }

    /// One chat call (with retries). `progress` gets the reply's length in characters as it streams.
    pub async fn chat(
        &self,
        what: &str,
        req: &ChatRequest,
        ctx: &WriterCtx,
        progress: &(dyn Fn(usize) + Send + Sync),
    ) -> Result<Completion> {
        let t = &self.transport;
        t.run(what, ctx, || async {
            let rb = self.dialect.chat(&t.http, &self.params, req);
            let resp = t.send(rb).await.map_err(|f| self.explain_400(f, req))?;
            if !req.stream {
                let v = t.json(resp).await?;
                return self.dialect.parse_reply(&v).map_err(Failure::retry);
            }
            let mut body = Box::pin(resp.bytes_stream());
            let mut dec = SseDecoder::new();
            let mut acc = Completion::default();
            let mut done = false;
            while !done {
                let events = match t.next_chunk(&mut body).await? {
                    Some(chunk) => dec.push(&chunk),
                    None => {
                        done = true;
                        dec.finish()
                    }
                };
                for ev in events {
                    if self
                        .dialect
                        .stream_event(&ev, &mut acc)
                        .map_err(Failure::retry)?
                        == Step::Done
                    {
                        done = true;
                        break;
                    }
                }
                progress(acc.text.len());
            }
            if acc.text.is_empty() {
                return Err(Failure::retry("the stream ended before any text"));
            }
            Ok(acc)
        })
        .await
    }

    /// A 400 after asking for structured output usually means the server lacks that mode.
    fn explain_400(&self, f: Failure, req: &ChatRequest) -> Failure {
        match f {
            Failure::Http {
                status: 400,
                error: Error::Writer(m),
            } if req.schema.is_some() && self.params.structured => Failure::Http {
                status: 400,
                error: Error::Writer(format!(
                    "{m} (if this server has no JSON-schema mode, set structured_output = false in the profile)"
                )),
            },
            f => f,
        }
    }

    /// The provider's model listing, all pages; Ollama's `/api/tags` when `/v1/models` is missing.
    pub async fn list_models(&self, ctx: &WriterCtx) -> Result<Listing> {
        let t = &self.transport;
        let mut names = Vec::new();
        let mut page: Option<String> = None;
        for _ in 0..20 {
            let cursor = page.clone();
            let r = t
                .run("listing the models", ctx, || async {
                    let rb = self
                        .dialect
                        .models(&t.http, &self.params, cursor.as_deref());
                    let resp = match t.send_or_404(rb).await? {
                        Ok(resp) => resp,
                        Err(not_found) => return Ok(Err(not_found)),
                    };
                    let v = t.json(resp).await?;
                    self.dialect
                        .parse_models(&v)
                        .map(Ok)
                        .map_err(Failure::retry)
                })
                .await;
            match r {
                Ok(Ok((mut n, next))) => {
                    names.append(&mut n);
                    page = next;
                    if page.is_none() {
                        return Ok(Listing::Models(names));
                    }
                }
                Ok(Err(_)) if names.is_empty() => return self.ollama_listing(ctx).await,
                Ok(Err(e)) | Err(e) => return Err(e),
            }
        }
        Ok(Listing::Models(names))
    }

    async fn ollama_listing(&self, ctx: &WriterCtx) -> Result<Listing> {
        if self.kind != ProviderKind::Openai {
            return Ok(Listing::NotOffered);
        }
        let t = &self.transport;
        let r = t
            .run("listing the models", ctx, || async {
                let req = wire::ollama_tags(&t.http, &self.params.base_url);
                let resp = match t.send_or_404(req).await? {
                    Ok(resp) => resp,
                    Err(_) => return Ok(None),
                };
                let v = t.json(resp).await?;
                wire::parse_ollama_tags(&v)
                    .map(Some)
                    .map_err(Failure::retry)
            })
            .await;
        match r {
            Ok(Some(n)) => Ok(Listing::Models(n)),
            Ok(None) => Ok(Listing::NotOffered),
            Err(e) => Err(e),
        }
    }
}
