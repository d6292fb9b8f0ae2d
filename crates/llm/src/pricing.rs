//! Cost of tokens: a shipped table of list prices (USD per million tokens, as published when this
//! was written) that the user's `[prices]` in `providers.toml` extends and overrides. Models that
//! match nothing (local models, most self-hosted servers) cost 0.

use serde::Deserialize;
use std::collections::BTreeMap;
use t2v_core::job::TokenUsage;

/// USD per million tokens.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Price {
    pub input: f64,
    pub output: f64,
}

const SHIPPED: &[(&str, f64, f64)] = &[
    ("gpt-4o*", 2.50, 10.00),
    ("gpt-4o-mini*", 0.15, 0.60),
    ("gpt-4.1*", 2.00, 8.00),
    ("gpt-4.1-mini*", 0.40, 1.60),
    ("gpt-4.1-nano*", 0.10, 0.40),
    ("gpt-5*", 1.25, 10.00),
    ("gpt-5-mini*", 0.25, 2.00),
    ("gpt-5-nano*", 0.05, 0.40),
    ("o3*", 2.00, 8.00),
    ("o4-mini*", 1.10, 4.40),
    ("claude-opus-4*", 15.00, 75.00),
    ("claude-sonnet-4*", 3.00, 15.00),
    ("claude-3-7-sonnet*", 3.00, 15.00),
    ("claude-3-5-haiku*", 0.80, 4.00),
    ("claude-haiku-4*", 1.00, 5.00),
    ("gemini-2.5-pro*", 1.25, 10.00),
    ("gemini-2.5-flash*", 0.30, 2.50),
    ("gemini-2.5-flash-lite*", 0.10, 0.40),
    ("gemini-2.0-flash*", 0.10, 0.40),
];

/// `pattern` is an exact name, or a prefix when it ends with `*`.
pub fn matches(pattern: &str, name: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => name.starts_with(prefix),
        None => pattern == name,
    }
}

#[derive(Debug, Clone, Default)]
pub struct PriceTable {
    entries: Vec<(String, Price)>,
}

impl PriceTable {
    pub fn shipped() -> PriceTable {
        PriceTable::with_overrides(&BTreeMap::new())
    }

    pub fn with_overrides(user: &BTreeMap<String, Price>) -> PriceTable {
        let mut entries: Vec<(String, Price)> = SHIPPED
            .iter()
            .map(|(p, i, o)| {
                (
                    p.to_string(),
                    Price {
                        input: *i,
                        output: *o,
                    },
                )
            })
            .filter(|(p, _)| !user.contains_key(p))
            .collect();
        entries.extend(user.iter().map(|(k, v)| (k.clone(), *v)));
        PriceTable { entries }
    }

    /// The most specific (longest) matching pattern wins; an exact name beats any prefix.
    pub fn price(&self, model: &str) -> Option<Price> {
        self.entries
            .iter()
            .filter(|(p, _)| matches(p, model))
            .max_by_key(|(p, _)| (!p.ends_with('*'), p.len()))
            .map(|(_, price)| *price)
    }

    pub fn cost(&self, model: &str, usage: TokenUsage) -> f64 {
        self.price(model).map_or(0.0, |p| {
            (usage.input as f64 * p.input + usage.output as f64 * p.output) / 1_000_000.0
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longest_pattern_wins_and_user_overrides() {
        let t = PriceTable::shipped();
        assert_eq!(t.price("gpt-4o-mini-2024-07-18").unwrap().input, 0.15);
        assert_eq!(t.price("gpt-4o-2024-08-06").unwrap().input, 2.50);
        assert!(t.price("qwen2.5-coder:7b").is_none());
        let usage = TokenUsage {
            input: 1_000_000,
            output: 500_000,
        };
        assert!((t.cost("gpt-4o-mini", usage) - 0.45).abs() < 1e-9);
        let mut user = BTreeMap::new();
        user.insert(
            "qwen*".to_string(),
            Price {
                input: 1.0,
                output: 2.0,
            },
        );
        user.insert(
            "gpt-4o-mini*".to_string(),
            Price {
                input: 9.0,
                output: 9.0,
            },
        );
        let t = PriceTable::with_overrides(&user);
        assert!((t.cost("qwen2.5", usage) - 2.0).abs() < 1e-9);
        assert_eq!(t.price("gpt-4o-mini").unwrap().input, 9.0);
    }
}
