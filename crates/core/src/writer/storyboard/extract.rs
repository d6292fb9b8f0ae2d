//! Text extraction for the storyboard writer: math, bullets, sentences, wrapping, and a readable
//! Unicode rendering of LaTeX for when LaTeX is not installed. The general helpers (math
//! splitting, inline Markdown, sentences, wrapping) live in `util::text`, shared with `voice`.

pub use crate::util::text::{clean_inline, sentences, split_math_with, wrap};

/// Splits `$$…$$` and `$…$` math out of text. Returns the text with math rendered readably
/// (Unicode) and the formulas (LaTeX source) in order of appearance.
pub fn split_math(text: &str) -> (String, Vec<String>) {
    split_math_with(text, latex_to_unicode)
}

/// Bullet and numbered list items of a Markdown text, without their markers.
pub fn bullets(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(bullet_item)
        .map(|s| clean_inline(&s))
        .filter(|s| !s.is_empty())
        .collect()
}

fn bullet_item(line: &str) -> Option<String> {
    let t = line.trim_start();
    for m in ["- ", "* ", "+ ", "• "] {
        if let Some(rest) = t.strip_prefix(m) {
            return Some(rest.trim().to_string());
        }
    }
    let digits = t.chars().take_while(|c| c.is_ascii_digit()).count();
    if digits > 0 && digits < 4 {
        let rest = &t[digits..];
        if let Some(r) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
            return Some(r.trim().to_string());
        }
    }
    None
}

/// The text without its list items, headings and fences, as one paragraph string.
pub fn prose(text: &str) -> String {
    let mut out = Vec::new();
    let mut in_fence = false;
    for line in text.lines() {
        let t = line.trim();
        if t.starts_with("```") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence || t.is_empty() || t.starts_with('#') || bullet_item(line).is_some() {
            continue;
        }
        out.push(t.to_string());
    }
    clean_inline(&out.join(" "))
}

/// Shortens to at most `max` characters at a word boundary, with an ellipsis.
pub fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max.saturating_sub(1)).collect();
    let cut = match cut.rfind(' ') {
        Some(p) if p > max / 2 => cut[..p].to_string(),
        _ => cut,
    };
    format!("{}…", cut.trim_end_matches([',', ';', ':', ' ']))
}

const SYMBOLS: &[(&str, &str)] = &[
    ("\\alpha", "α"),
    ("\\beta", "β"),
    ("\\gamma", "γ"),
    ("\\delta", "δ"),
    ("\\epsilon", "ε"),
    ("\\varepsilon", "ε"),
    ("\\zeta", "ζ"),
    ("\\eta", "η"),
    ("\\theta", "θ"),
    ("\\lambda", "λ"),
    ("\\mu", "μ"),
    ("\\nu", "ν"),
    ("\\xi", "ξ"),
    ("\\pi", "π"),
    ("\\rho", "ρ"),
    ("\\sigma", "σ"),
    ("\\tau", "τ"),
    ("\\phi", "φ"),
    ("\\varphi", "φ"),
    ("\\chi", "χ"),
    ("\\psi", "ψ"),
    ("\\omega", "ω"),
    ("\\Gamma", "Γ"),
    ("\\Delta", "Δ"),
    ("\\Theta", "Θ"),
    ("\\Lambda", "Λ"),
    ("\\Sigma", "Σ"),
    ("\\Phi", "Φ"),
    ("\\Psi", "Ψ"),
    ("\\Omega", "Ω"),
    ("\\Pi", "Π"),
    ("\\sum", "Σ"),
    ("\\prod", "∏"),
    ("\\int", "∫"),
    ("\\oint", "∮"),
    ("\\infty", "∞"),
    ("\\partial", "∂"),
    ("\\nabla", "∇"),
    ("\\cdot", "·"),
    ("\\times", "×"),
    ("\\div", "÷"),
    ("\\pm", "±"),
    ("\\mp", "∓"),
    ("\\leq", "≤"),
    ("\\le", "≤"),
    ("\\geq", "≥"),
    ("\\ge", "≥"),
    ("\\neq", "≠"),
    ("\\ne", "≠"),
    ("\\approx", "≈"),
    ("\\equiv", "≡"),
    ("\\sim", "∼"),
    ("\\propto", "∝"),
    ("\\to", "→"),
    ("\\rightarrow", "→"),
    ("\\Rightarrow", "⇒"),
    ("\\implies", "⇒"),
    ("\\iff", "⇔"),
    ("\\leftarrow", "←"),
    ("\\mapsto", "↦"),
    ("\\in", "∈"),
    ("\\notin", "∉"),
    ("\\subset", "⊂"),
    ("\\subseteq", "⊆"),
    ("\\cup", "∪"),
    ("\\cap", "∩"),
    ("\\emptyset", "∅"),
    ("\\forall", "∀"),
    ("\\exists", "∃"),
    ("\\neg", "¬"),
    ("\\land", "∧"),
    ("\\lor", "∨"),
    ("^{\\circ}", "°"),
    ("^\\circ", "°"),
    ("\\degree", "°"),
    ("\\circ", "∘"),
    ("\\%", "%"),
    ("\\ldots", "…"),
    ("\\cdots", "⋯"),
    ("\\dots", "…"),
    ("\\mathbb{R}", "ℝ"),
    ("\\mathbb{N}", "ℕ"),
    ("\\mathbb{Z}", "ℤ"),
    ("\\mathbb{Q}", "ℚ"),
    ("\\mathbb{C}", "ℂ"),
    ("\\sqrt", "√"),
    ("\\lim", "lim"),
    ("\\log", "log"),
    ("\\ln", "ln"),
    ("\\sin", "sin"),
    ("\\cos", "cos"),
    ("\\tan", "tan"),
    ("\\exp", "exp"),
    ("\\max", "max"),
    ("\\min", "min"),
    ("\\det", "det"),
    ("\\langle", "⟨"),
    ("\\rangle", "⟩"),
    ("\\quad", "  "),
    ("\\qquad", "    "),
    ("\\,", " "),
    ("\\;", " "),
    ("\\!", ""),
    ("\\left", ""),
    ("\\right", ""),
    ("\\{", "{"),
    ("\\}", "}"),
    ("\\|", "‖"),
];

const SUPERSCRIPTS: &[(char, char)] = &[
    ('0', '⁰'),
    ('1', '¹'),
    ('2', '²'),
    ('3', '³'),
    ('4', '⁴'),
    ('5', '⁵'),
    ('6', '⁶'),
    ('7', '⁷'),
    ('8', '⁸'),
    ('9', '⁹'),
    ('+', '⁺'),
    ('-', '⁻'),
    ('=', '⁼'),
    ('(', '⁽'),
    (')', '⁾'),
    ('a', 'ᵃ'),
    ('b', 'ᵇ'),
    ('c', 'ᶜ'),
    ('d', 'ᵈ'),
    ('e', 'ᵉ'),
    ('f', 'ᶠ'),
    ('g', 'ᵍ'),
    ('h', 'ʰ'),
    ('i', 'ⁱ'),
    ('j', 'ʲ'),
    ('k', 'ᵏ'),
    ('l', 'ˡ'),
    ('m', 'ᵐ'),
    ('n', 'ⁿ'),
    ('o', 'ᵒ'),
    ('p', 'ᵖ'),
    ('r', 'ʳ'),
    ('s', 'ˢ'),
    ('t', 'ᵗ'),
    ('u', 'ᵘ'),
    ('v', 'ᵛ'),
    ('w', 'ʷ'),
    ('x', 'ˣ'),
    ('y', 'ʸ'),
    ('z', 'ᶻ'),
];
const SUBSCRIPTS: &[(char, char)] = &[
    ('0', '₀'),
    ('1', '₁'),
    ('2', '₂'),
    ('3', '₃'),
    ('4', '₄'),
    ('5', '₅'),
    ('6', '₆'),
    ('7', '₇'),
    ('8', '₈'),
    ('9', '₉'),
    ('+', '₊'),
    ('-', '₋'),
    ('=', '₌'),
    ('(', '₍'),
    (')', '₎'),
    ('a', 'ₐ'),
    ('e', 'ₑ'),
    ('h', 'ₕ'),
    ('i', 'ᵢ'),
    ('j', 'ⱼ'),
    ('k', 'ₖ'),
    ('l', 'ₗ'),
    ('m', 'ₘ'),
    ('n', 'ₙ'),
    ('o', 'ₒ'),
    ('p', 'ₚ'),
    ('r', 'ᵣ'),
    ('s', 'ₛ'),
    ('t', 'ₜ'),
    ('u', 'ᵤ'),
    ('v', 'ᵥ'),
    ('x', 'ₓ'),
];

/// A readable Unicode rendering of a LaTeX formula (for when LaTeX is unavailable).
pub fn latex_to_unicode(tex: &str) -> String {
    let mut s = tex.to_string();
    // \frac{a}{b} -> a/b, with parentheses around a part that is more than one term:
    // x³/3!, 1/n², (a + b)/(2n).
    while let Some(pos) = s.find("\\frac") {
        let after = &s[pos + 5..];
        match (
            group(after),
            group(after).and_then(|(_, n)| group(&after[n..]).map(|g| (n, g))),
        ) {
            (Some((a, _)), Some((n, (b, m)))) => {
                let wrap = |x: &str| {
                    if is_atom(x) {
                        x.to_string()
                    } else {
                        format!("({x})")
                    }
                };
                let rep = format!("{}/{}", wrap(&a), wrap(&b));
                s.replace_range(pos..pos + 5 + n + m, &rep);
            }
            _ => {
                s.replace_range(pos..pos + 5, "");
            }
        }
    }
    // Longest names first so \leq is not read as \le + q.
    let mut symbols: Vec<&(&str, &str)> = SYMBOLS.iter().collect();
    symbols.sort_by_key(|(k, _)| std::cmp::Reverse(k.len()));
    for (k, v) in symbols {
        let mut out = String::new();
        let mut rest = s.as_str();
        while let Some(p) = rest.find(k) {
            let next = rest[p + k.len()..].chars().next();
            let is_word = k.chars().last().is_some_and(|c| c.is_ascii_alphabetic());
            out.push_str(&rest[..p]);
            if is_word && next.is_some_and(|c| c.is_ascii_alphabetic()) {
                out.push_str(k);
            } else {
                // `2ab\cos` reads "2ab cos", not "2abcos".
                let word_value = v.starts_with(|c: char| c.is_ascii_alphabetic());
                if word_value && out.ends_with(|c: char| c.is_alphanumeric()) {
                    out.push(' ');
                }
                out.push_str(v);
                // `\cos\gamma` reads "cos γ", not "cosγ".
                let letter_next =
                    next.is_some_and(|c| c == '\\' || (c.is_alphabetic() && !c.is_ascii()));
                if letter_next && v.ends_with(|c: char| c.is_ascii_alphabetic()) {
                    out.push(' ');
                }
            }
            rest = &rest[p + k.len()..];
        }
        out.push_str(rest);
        s = out;
    }
    let s = scripts(&s, '^', SUPERSCRIPTS);
    let s = scripts(&s, '_', SUBSCRIPTS);
    // Remaining commands like \mathrm, \text: drop the backslash word, keep the argument.
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                while chars.peek().is_some_and(|c| c.is_ascii_alphabetic()) {
                    chars.next();
                }
            }
            '{' | '}' => {}
            '&' => {}
            _ => out.push(c),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether a fraction's part is one term: a number, a letter or a command, with its scripts and
/// a factorial (`x^3`, `3!`, `\pi^2`, `12`), so it needs no parentheses.
fn is_atom(x: &str) -> bool {
    let mut units = 0;
    let mut chars = x.trim().chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '^' | '_' => {
                // The script: a group or one character.
                if chars.peek() == Some(&'{') {
                    let mut depth = 0;
                    for c in chars.by_ref() {
                        depth += match c {
                            '{' => 1,
                            '}' => -1,
                            _ => 0,
                        };
                        if depth == 0 {
                            break;
                        }
                    }
                } else {
                    chars.next();
                }
            }
            '!' => {}
            '\\' => {
                while chars.peek().is_some_and(|c| c.is_ascii_alphabetic()) {
                    chars.next();
                }
                units += 1;
            }
            c if c.is_ascii_digit() => {
                while chars
                    .peek()
                    .is_some_and(|c| c.is_ascii_digit() || *c == '.')
                {
                    chars.next();
                }
                units += 1;
            }
            c if c.is_alphanumeric() => units += 1,
            _ => return false,
        }
    }
    units <= 1
}

/// `{…}` at the start of `s` (after spaces): its content and the bytes consumed.
fn group(s: &str) -> Option<(String, usize)> {
    let trimmed = s.trim_start();
    let lead = s.len() - trimmed.len();
    let mut depth = 0usize;
    if !trimmed.starts_with('{') {
        let c = trimmed.chars().next()?;
        return Some((c.to_string(), lead + c.len_utf8()));
    }
    for (i, c) in trimmed.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some((trimmed[1..i].to_string(), lead + i + 1));
                }
            }
            _ => {}
        }
    }
    None
}

fn scripts(s: &str, marker: char, table: &[(char, char)]) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(p) = rest.find(marker) {
        out.push_str(&rest[..p]);
        let after = &rest[p + 1..];
        match group(after) {
            Some((content, used)) => {
                let mapped: Option<String> = content
                    .chars()
                    .map(|c| table.iter().find(|(k, _)| *k == c).map(|(_, v)| *v))
                    .collect();
                match mapped {
                    Some(m) if !content.is_empty() => out.push_str(&m),
                    _ => {
                        out.push(if marker == '^' { '^' } else { '_' });
                        if content.chars().count() > 1 {
                            out.push('(');
                            out.push_str(&content);
                            out.push(')');
                        } else {
                            out.push_str(&content);
                        }
                    }
                }
                rest = &after[used..];
            }
            None => {
                out.push(marker);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
#[path = "extract_tests.rs"]
mod tests;
