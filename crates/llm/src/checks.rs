//! The checks before a job: allow-list and key (no network), then the provider's model listing.
//! Every failure is a configuration error that says what to fix.

use crate::allow;
use crate::client::Listing;
use crate::secret;
use crate::wire;
use crate::writer::LlmWriter;
use t2v_core::writer::{WriterCtx, WriterReport};
use t2v_core::{Error, Result};

impl LlmWriter {
    /// The checks that need no network: allow-list and key.
    pub fn check_static(&self) -> Result<()> {
        let p = &self.profile;
        if p.is_hosted_default() && !allow::is_allowed(p.kind, &p.model, &self.extra_allowed) {
            return Err(Error::Config(format!(
                "model {:?} is not on the allow-list for {}'s hosted endpoint; use one of {} or add it under [allow] {} = [\"{}\"] in {}",
                p.model,
                p.kind.as_str(),
                allow::shipped(p.kind).join(", "),
                p.kind.as_str(),
                p.model,
                crate::config::CONFIG_FILE
            )));
        }
        if p.requires_key && self.key_source.is_none() {
            return Err(Error::Config(format!(
                "writer {:?} has no API key: {}",
                p.name,
                secret::how_to_set(p)
            )));
        }
        Ok(())
    }

    /// The model must be in the provider's listing (when it offers one).
    pub(crate) async fn check_listing(&self, ctx: &WriterCtx) -> Result<()> {
        let p = &self.profile;
        let listing = self
            .check_client
            .list_models(ctx)
            .await
            .map_err(|e| match e {
                Error::Cancelled => Error::Cancelled,
                e if e.code().is_config() => e,
                Error::Writer(m) => Error::Config(format!(
                    "cannot reach {}: {m}; is the server running and the base URL right?",
                    p.base_url
                )),
                e => Error::Config(format!(
                    "cannot reach {}: {e}; is the server running and the base URL right?",
                    p.base_url
                )),
            })?;
        match listing {
            Listing::NotOffered => (ctx.report)(WriterReport::Message(format!(
                "{} offers no model listing; trusting model {:?}",
                p.base_url, p.model
            ))),
            Listing::Models(names) => {
                if !wire::listed(&p.model, &names) {
                    let mut shown: Vec<&str> = names.iter().map(String::as_str).take(12).collect();
                    if names.len() > shown.len() {
                        shown.push("…");
                    }
                    return Err(Error::Config(format!(
                        "model {:?} is not offered by {} (it offers: {}); pass another --model or fix the profile{}",
                        p.model,
                        p.base_url,
                        if shown.is_empty() { "none".to_string() } else { shown.join(", ") },
                        if p.base_url.contains(":11434") {
                            format!(", or run `ollama pull {}`", p.model)
                        } else {
                            String::new()
                        }
                    )));
                }
            }
        }
        Ok(())
    }
}
