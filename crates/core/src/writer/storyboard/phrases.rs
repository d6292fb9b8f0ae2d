//! Shortening on-screen text without cutting a phrase: at the end of a sentence or phrase (`.`,
//! `;`, `:`, `,`, a dash, an opening parenthesis), never mid-phrase and never with "…".

/// `text` when it fits in `max` characters, else its longest start that ends a sentence or a
/// phrase within `max`; when no phrase ends early enough, the whole text (the layout wraps and
/// fits it rather than losing words).
pub fn clip(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut best = None;
    for i in 1..chars.len().min(max + 1) {
        let c = chars[i - 1];
        let next = chars.get(i).copied().unwrap_or(' ');
        let ends = match c {
            '.' | '!' | '?' | ';' | ':' | ',' | '。' | '，' | '；' => {
                next.is_whitespace() || !c.is_ascii()
            }
            _ => false,
        } || (next == '(' || next == '—' || next == '–') && c.is_whitespace();
        if ends && i * 3 >= max {
            best = Some(i);
        }
    }
    match best {
        Some(i) => {
            let s: String = chars[..i].iter().collect();
            s.trim_end_matches([',', ';', ':', ' ', '，', '；', '(', '—', '–'])
                .trim_end()
                .to_string()
        }
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clips_at_phrase_ends_only() {
        let s = "In a right triangle, the square of the hypotenuse equals the sum of the squares of the other two sides.";
        let c = clip(s, 60);
        assert_eq!(c, "In a right triangle");
        assert!(!c.contains('…'));
        assert_eq!(clip("Short.", 60), "Short.");
        let long = "the sum of the squares of the other two sides of any right triangle at all";
        assert_eq!(clip(long, 30), long, "no phrase end: nothing is cut");
        assert_eq!(
            clip("First sentence here. Second one is long enough to cut.", 30),
            "First sentence here."
        );
    }
}
