//! Safe, unique folder names for topics of any characters.

use sha2::{Digest, Sha256};

const MAX_SLUG_CHARS: usize = 48;

/// Reserved device names on Windows, which may not be used as a file or folder name.
const WINDOWS_RESERVED: &[&str] = &[
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
    "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// A readable ASCII name from any text: transliterated, lower case, `[a-z0-9-]` only, never empty,
/// never `.`/`..`, never a reserved Windows name, at most 48 characters.
pub fn readable(text: &str) -> String {
    let ascii = deunicode::deunicode(text).to_ascii_lowercase();
    let mut out = String::new();
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
        if out.len() >= MAX_SLUG_CHARS {
            break;
        }
    }
    let out = out.trim_matches('-').to_string();
    if out.is_empty() {
        "topic".to_string()
    } else if WINDOWS_RESERVED.contains(&out.as_str()) {
        format!("{out}-topic")
    } else {
        out
    }
}

/// Hex SHA-256 of the parts, each length-prefixed so that ("ab","c") and ("a","bc") differ.
pub fn hash_parts(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_le_bytes());
        h.update(p.as_bytes());
    }
    hex::encode(h.finalize())
}

/// A unique folder name: readable part plus a short hash of the whole key.
pub fn unique(readable_from: &str, key_parts: &[&str]) -> String {
    format!(
        "{}-{}",
        readable(readable_from),
        &hash_parts(key_parts)[..12]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_names_become_safe() {
        let long = "x".repeat(5000);
        let cases = [
            "../../etc/passwd",
            "a/b\\c",
            "..",
            ".",
            "",
            "CON",
            "nul",
            "🚀🚀🚀",
            "Théorème de Pythagore",
            "Ω = ∑ 1/n²",
            "\u{0000}\u{0007}evil\nname",
            long.as_str(),
            "   ",
        ];
        for c in cases {
            let s = readable(c);
            assert!(!s.is_empty(), "{c:?}");
            assert!(s.len() <= MAX_SLUG_CHARS, "{c:?} -> {s}");
            assert!(
                s.chars()
                    .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-'),
                "{c:?} -> {s}"
            );
            assert!(s != "." && s != ".." && !s.starts_with('-'), "{c:?} -> {s}");
            assert!(!WINDOWS_RESERVED.contains(&s.as_str()), "{c:?} -> {s}");
        }
        assert_eq!(readable("Théorème de Pythagore"), "theoreme-de-pythagore");
    }

    #[test]
    fn unique_differs_for_different_keys_with_same_readable_part() {
        let a = unique("a/b", &["a/b", "d"]);
        let b = unique("a\\b", &["a\\b", "d"]);
        assert_ne!(a, b);
        assert_eq!(unique("x y z", &["k"]), unique("x y z", &["k"]));
        assert_ne!(hash_parts(&["ab", "c"]), hash_parts(&["a", "bc"]));
    }
}
