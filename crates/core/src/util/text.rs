//! General text helpers shared by the writers and the narration: math splitting, inline
//! Markdown removal, sentences and word wrapping.

/// Splits `$$…$$` and `$…$` math out of text, rendering each formula with `render` (e.g. read
/// aloud). Returns the rendered text and the formulas (LaTeX source) in order of appearance.
pub fn split_math_with(text: &str, render: impl Fn(&str) -> String) -> (String, Vec<String>) {
    let mut plain = String::new();
    let mut formulas = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('$') {
        let display = rest[start..].starts_with("$$");
        let delim = if display { "$$" } else { "$" };
        let body_start = start + delim.len();
        let Some(len) = rest[body_start..].find(delim) else {
            break;
        };
        let raw = &rest[body_start..body_start + len];
        if !display
            && (raw.starts_with(char::is_whitespace)
                || raw.ends_with(char::is_whitespace)
                || raw.is_empty())
        {
            // "$5 and $6": not math (TeX's rule: no space inside the delimiters).
            plain.push_str(&rest[..body_start]);
            rest = &rest[body_start..];
            continue;
        }
        let body = raw.trim();
        plain.push_str(&rest[..start]);
        if body.is_empty()
            || (!display
                && body
                    .chars()
                    .all(|c| c.is_ascii_digit() || c == '.' || c == ','))
        {
            // "$5" style prices or empty pairs: keep as written.
            plain.push_str(&rest[start..body_start + len + delim.len()]);
        } else {
            plain.push_str(&render(body));
            if !formulas.iter().any(|f: &String| f == body) {
                formulas.push(body.to_string());
            }
        }
        rest = &rest[body_start + len + delim.len()..];
    }
    plain.push_str(rest);
    (plain, formulas)
}

/// Removes inline Markdown: emphasis markers, backticks, links (keeps their text), HTML-ish tags.
pub fn clean_inline(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '*' | '_' if i + 1 < chars.len() && chars[i + 1] == c => i += 2,
            '*' | '`' => i += 1,
            '[' => {
                // [text](url) -> text
                if let Some(close) = chars[i..].iter().position(|&x| x == ']') {
                    let close = i + close;
                    if chars.get(close + 1) == Some(&'(') {
                        if let Some(end) = chars[close..].iter().position(|&x| x == ')') {
                            out.extend(&chars[i + 1..close]);
                            i = close + end + 1;
                            continue;
                        }
                    }
                }
                out.push(c);
                i += 1;
            }
            c if c.is_control() => {
                out.push(' ');
                i += 1;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Sentences of a paragraph (split after `.`, `!`, `?` followed by a space).
pub fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        cur.push(c);
        let end =
            matches!(c, '.' | '!' | '?') && chars.get(i + 1).is_none_or(|n| n.is_whitespace());
        // Do not split "e.g. " or single-letter initials.
        let abbrev = cur.ends_with("e.g.") || cur.ends_with("i.e.") || cur.ends_with("vs.");
        if end && !abbrev && cur.trim().chars().count() > 3 {
            out.push(cur.trim().to_string());
            cur.clear();
        }
    }
    if !cur.trim().is_empty() {
        out.push(cur.trim().to_string());
    }
    out
}

/// Characters that bind a formula's words together (`a² + b² = c²` is not broken at them).
const BINDING: &[char] = &[
    '+', '-', '−', '=', '×', '·', '÷', '≈', '≤', '≥', '<', '>', '≠', '→',
];

/// The words of `text`, with formulas kept whole: a word that starts with an operator, or follows
/// one that ends with an operator, is glued to the word before it (while that fits in `width`).
fn units(text: &str, width: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        let glue = out.last().is_some_and(|prev: &String| {
            let joins = word.starts_with(BINDING) || prev.ends_with(BINDING);
            joins && prev.chars().count() + 1 + word.chars().count() <= width
        });
        match out.last_mut() {
            Some(prev) if glue => {
                prev.push(' ');
                prev.push_str(word);
            }
            _ => out.push(word.to_string()),
        }
    }
    out
}

/// Word-wraps to lines of at most `width` characters (long words are split; formulas such as
/// `a² + b² = c²` stay on one line when they fit).
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in units(text, width) {
        let mut word = word;
        while word.chars().count() > width {
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            let head: String = word.chars().take(width).collect();
            word = word.chars().skip(width).collect();
            lines.push(head);
        }
        let needed = line.chars().count() + usize::from(!line.is_empty()) + word.chars().count();
        if needed > width && !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}
