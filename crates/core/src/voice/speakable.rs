//! Text as a narrator says it: `$…$` LaTeX read aloud ("a squared plus b squared equals c
//! squared"), Unicode math spelt out (`x² ≤ π` → "x squared is less than or equal to pi"),
//! Markdown removed. Deterministic, no network.

pub use super::tex_speech::tex_to_speech;
use crate::util::text::{clean_inline, split_math_with};

/// The whole pass: math in `$…$`/`$$…$$` read aloud, Markdown removed, Unicode math spelt out.
pub fn speakable(text: &str) -> String {
    let (plain, _) = split_math_with(text, |tex| format!(" {} ", tex_to_speech(tex)));
    let no_heading: Vec<&str> = plain
        .lines()
        .map(|l| l.trim_start().trim_start_matches('#').trim_start())
        .collect();
    tidy(&unicode_to_speech(&clean_inline(&no_heading.join(" "))))
}

/// Unicode math and symbols as words; ordinary prose is left alone.
pub fn unicode_to_speech(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 16);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if let Some(w) = symbol_word(c) {
            out.push_str(&format!(" {w} "));
        } else if let Some(d) = superscript_digit(c) {
            let mut run = String::from(d);
            while let Some(d) = chars.get(i + 1).and_then(|&c| superscript_digit(c)) {
                run.push(d);
                i += 1;
            }
            out.push_str(&format!(" {} ", power(&run)));
        } else if let Some(d) = subscript_digit(c) {
            out.push(' ');
            out.push(d);
            while let Some(d) = chars.get(i + 1).and_then(|&c| subscript_digit(c)) {
                out.push(d);
                i += 1;
            }
            out.push(' ');
        } else if c == '/'
            && operand(chars.get(i.wrapping_sub(1)), true)
            && operand(chars.get(i + 1), false)
        {
            out.push_str(" over ");
        } else if c == '^' {
            out.push_str(" to the power of ");
        } else {
            out.push(c);
        }
        i += 1;
    }
    tidy(&out)
}

/// A slash between a digit, a single letter or a bracket on both sides reads as "over".
fn operand(c: Option<&char>, before: bool) -> bool {
    c.is_some_and(|&c| c.is_ascii_digit() || if before { c == ')' } else { c == '(' })
}

pub(super) fn power(exp: &str) -> String {
    match exp {
        "2" => "squared".into(),
        "3" => "cubed".into(),
        "-1" | "−1" => "inverse".into(),
        e => format!("to the power of {e}"),
    }
}

fn superscript_digit(c: char) -> Option<char> {
    let i = "⁰¹²³⁴⁵⁶⁷⁸⁹".chars().position(|x| x == c)?;
    char::from_digit(i as u32, 10)
}

fn subscript_digit(c: char) -> Option<char> {
    let i = "₀₁₂₃₄₅₆₇₈₉".chars().position(|x| x == c)?;
    char::from_digit(i as u32, 10)
}

pub(super) fn symbol_word(c: char) -> Option<&'static str> {
    Some(match c {
        '=' => "equals",
        '≠' => "is not equal to",
        '≤' => "is less than or equal to",
        '≥' => "is greater than or equal to",
        '<' => "is less than",
        '>' => "is greater than",
        '≈' => "is approximately",
        '≡' => "is equivalent to",
        '∝' => "is proportional to",
        '±' => "plus or minus",
        '∓' => "minus or plus",
        '+' => "plus",
        '−' => "minus",
        '×' | '·' => "times",
        '÷' => "divided by",
        '√' => "the square root of",
        '∞' => "infinity",
        'Σ' | '∑' => "the sum of",
        '∏' => "the product of",
        '∫' => "the integral of",
        '∮' => "the contour integral of",
        '∂' => "partial",
        '∇' => "del",
        '→' => "tends to",
        '⇒' => "implies",
        '⇔' => "if and only if",
        '∈' => "in",
        '∉' => "not in",
        '⊂' | '⊆' => "a subset of",
        '∪' => "union",
        '∩' => "intersection",
        '∅' => "the empty set",
        '∀' => "for all",
        '∃' => "there exists",
        'ℝ' => "the real numbers",
        'ℕ' => "the natural numbers",
        'ℤ' => "the integers",
        'ℚ' => "the rational numbers",
        'ℂ' => "the complex numbers",
        '…' | '⋯' => "and so on",
        _ => return greek_name(c),
    })
}

pub(super) const GREEK: &[(char, &str, &str)] = &[
    ('α', "alpha", "alpha"),
    ('β', "beta", "beta"),
    ('γ', "gamma", "gamma"),
    ('δ', "delta", "delta"),
    ('ε', "epsilon", "epsilon"),
    ('ζ', "zeta", "zeta"),
    ('η', "eta", "eta"),
    ('θ', "theta", "theta"),
    ('λ', "lambda", "lambda"),
    ('μ', "mu", "mu"),
    ('ν', "nu", "nu"),
    ('ξ', "xi", "xi"),
    ('π', "pi", "pi"),
    ('ρ', "rho", "rho"),
    ('σ', "sigma", "sigma"),
    ('τ', "tau", "tau"),
    ('φ', "phi", "phi"),
    ('χ', "chi", "chi"),
    ('ψ', "psi", "psi"),
    ('ω', "omega", "omega"),
    ('Γ', "Gamma", "gamma"),
    ('Δ', "Delta", "delta"),
    ('Θ', "Theta", "theta"),
    ('Λ', "Lambda", "lambda"),
    ('Φ', "Phi", "phi"),
    ('Ψ', "Psi", "psi"),
    ('Ω', "Omega", "omega"),
    ('Π', "Pi", "pi"),
];

fn greek_name(c: char) -> Option<&'static str> {
    GREEK.iter().find(|(g, _, _)| *g == c).map(|(_, _, w)| *w)
}

/// Collapses spaces and puts punctuation back against its word.
pub(super) fn tidy(s: &str) -> String {
    let mut out = s.split_whitespace().collect::<Vec<_>>().join(" ");
    for p in [",", ".", ";", ":", "!", "?", ")"] {
        out = out.replace(&format!(" {p}"), p);
    }
    out.replace("( ", "(")
}

#[cfg(test)]
#[path = "speakable_tests.rs"]
mod tests;
