//! Short content hashes for cache keys and file names.

use crate::slug;

/// SHA-256 of text, first 16 hex characters.
pub fn short_hash(text: &str) -> String {
    slug::hash_parts(&[text])[..16].to_string()
}
