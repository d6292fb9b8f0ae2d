//! The model allow-list for the hosted providers' default endpoints: shipped defaults that the
//! user extends under `[allow]` in `providers.toml`. Self-hosted base URLs trust their listing.

use crate::config::ProviderKind;
use crate::pricing::matches;

pub fn shipped(kind: ProviderKind) -> &'static [&'static str] {
    match kind {
        ProviderKind::Openai => &[
            "gpt-4o",
            "gpt-4o-2*",
            "gpt-4o-mini",
            "gpt-4o-mini-2*",
            "chatgpt-4o-latest",
            "gpt-4.1*",
            "gpt-5*",
            "o3",
            "o3-2*",
            "o3-mini*",
            "o4-mini",
            "o4-mini-2*",
        ],
        ProviderKind::Anthropic => &["claude-*"],
        ProviderKind::Gemini => &["gemini-2.0-flash*", "gemini-2.5-*", "gemini-3*"],
    }
}

pub fn is_allowed(kind: ProviderKind, model: &str, extra: &[String]) -> bool {
    shipped(kind).iter().any(|p| matches(p, model)) || extra.iter().any(|p| matches(p, model))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_and_extended() {
        assert!(is_allowed(ProviderKind::Openai, "gpt-4o-mini", &[]));
        assert!(is_allowed(
            ProviderKind::Openai,
            "gpt-4o-mini-2024-07-18",
            &[]
        ));
        assert!(!is_allowed(
            ProviderKind::Openai,
            "gpt-4o-realtime-preview",
            &[]
        ));
        assert!(!is_allowed(
            ProviderKind::Openai,
            "text-embedding-3-small",
            &[]
        ));
        assert!(is_allowed(
            ProviderKind::Openai,
            "ft:gpt-4o-mini:me",
            &["ft:*".to_string()]
        ));
        assert!(is_allowed(
            ProviderKind::Anthropic,
            "claude-sonnet-4-5",
            &[]
        ));
        assert!(is_allowed(ProviderKind::Gemini, "gemini-2.5-flash", &[]));
        assert!(!is_allowed(ProviderKind::Gemini, "text-embedding-004", &[]));
    }
}
