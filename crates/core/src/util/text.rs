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
            joins && columns(prev) + 1 + columns(word) <= width
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

/// Word-wraps to lines of at most `width` columns (a CJK character takes two; long words and
/// Chinese text are split, never before closing punctuation; formulas such as `a² + b² = c²`
/// stay on one line when they fit).
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in units(text, width) {
        let mut word = word;
        while columns(&word) > width {
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            let (head, rest) = split_at_columns(&word, width);
            lines.push(head);
            word = rest;
        }
        let needed = columns(&line) + usize::from(!line.is_empty()) + columns(&word);
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

/// Whether `c` takes two columns on screen (Chinese, Japanese and Korean characters and
/// full-width forms).
fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}

/// How many columns `s` takes on screen: a wide (CJK) character takes two, as wide as two Latin
/// letters in the fonts the videos use.
pub fn columns(s: &str) -> usize {
    s.chars().map(|c| if is_wide(c) { 2 } else { 1 }).sum()
}

/// Punctuation that never starts a line (it stays with the character before it).
const NO_LINE_START: &[char] = &[
    '，', '。', '、', '；', '：', '！', '？', '）', '》', '」', '』', '…', ',', '.', ';', ':', '!',
    '?', ')',
];

/// Splits a word too long for a line (Chinese text has no spaces) after `width` columns, keeping
/// closing punctuation on the first piece.
fn split_at_columns(word: &str, width: usize) -> (String, String) {
    let mut head = String::new();
    let mut used = 0;
    let mut chars = word.chars().peekable();
    while let Some(&c) = chars.peek() {
        let w = if is_wide(c) { 2 } else { 1 };
        let fits = used + w <= width || head.is_empty();
        if !fits && !NO_LINE_START.contains(&c) {
            break;
        }
        head.push(c);
        used += w;
        chars.next();
    }
    (head, chars.collect())
}
