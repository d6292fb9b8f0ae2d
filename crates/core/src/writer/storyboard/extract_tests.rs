//! Tests of the text and formula helpers in `extract.rs`.

use super::*;

#[test]
fn math_is_split_and_rendered() {
    let (plain, f) = split_math("If $a^2+b^2=c^2$ then $$c=\\sqrt{a^2+b^2}$$ costs $5 and $5.");
    assert_eq!(
        f,
        vec!["a^2+b^2=c^2".to_string(), "c=\\sqrt{a^2+b^2}".to_string()]
    );
    assert!(plain.contains("a²+b²=c²"), "{plain}");
    assert!(plain.contains("$5"), "{plain}");
}

#[test]
fn latex_to_unicode_common_forms() {
    assert_eq!(latex_to_unicode("\\frac{1}{2}"), "1/2");
    assert_eq!(
        latex_to_unicode("\\sum_{n=1}^{\\infty} \\frac{1}{n^2} = \\frac{\\pi^2}{6}"),
        "Σₙ₌₁^∞ 1/n² = π²/6"
    );
    assert_eq!(
        latex_to_unicode("\\sin x = x - \\frac{x^3}{3!} + \\frac{x^5}{5!}"),
        "sin x = x - x³/3! + x⁵/5!"
    );
    assert_eq!(
        latex_to_unicode("\\frac{a+b}{2n} = \\frac{12}{2ab}"),
        "(a+b)/(2n) = 12/(2ab)"
    );
    assert_eq!(
        latex_to_unicode("c^2 = a^2 + b^2 - 2ab\\cos\\gamma"),
        "c² = a² + b² - 2ab cos γ"
    );
    assert_eq!(latex_to_unicode("a\\cos\\gamma"), "a cos γ");
    assert_eq!(
        latex_to_unicode("F(x) = \\int_a^x f(t)\\,dt"),
        "F(x) = ∫ₐˣ f(t) dt"
    );
    assert_eq!(latex_to_unicode("e^x + x_{n+1}"), "eˣ + xₙ₊₁");
    assert_eq!(latex_to_unicode("x \\leq y"), "x ≤ y");
    assert_eq!(latex_to_unicode("e^{i\\pi} + 1 = 0"), "e^(iπ) + 1 = 0");
    assert_eq!(latex_to_unicode("\\mathrm{Var}(X)"), "Var(X)");
    assert_eq!(latex_to_unicode("\\gamma = 90^\\circ"), "γ = 90°");
    assert_eq!(latex_to_unicode("180^{\\circ}"), "180°");
    assert_eq!(latex_to_unicode("\\cos\\gamma = 0"), "cos γ = 0");
    assert_eq!(latex_to_unicode("(f \\circ g)(x)"), "(f ∘ g)(x)");
}

#[test]
fn bullets_prose_sentences_wrap() {
    let md =
        "Intro text here.\n- first *point*\n2. second [link](http://x)\n\nMore prose. Another one!";
    assert_eq!(bullets(md), vec!["first point", "second link"]);
    assert_eq!(prose(md), "Intro text here. More prose. Another one!");
    assert_eq!(
        sentences("One thing, e.g. this. Two! Three?"),
        vec!["One thing, e.g. this.", "Two!", "Three?"]
    );
    let w = wrap("the quick brown fox jumps over the lazy dog", 10);
    assert!(w.iter().all(|l| l.chars().count() <= 10), "{w:?}");
    assert_eq!(w.join(" "), "the quick brown fox jumps over the lazy dog");
    assert_eq!(wrap(&"x".repeat(25), 10).len(), 3);
    // A formula is not broken at its operators when it fits on a line.
    let w = wrap(
        "equals the sum of the squares on the two legs: a² + b² = c².",
        28,
    );
    assert!(w.iter().any(|l| l.ends_with("a² + b² = c².")), "{w:?}");
    assert!(w.iter().all(|l| l.chars().count() <= 28), "{w:?}");
    assert!(shorten("a very long sentence indeed that goes on", 20).ends_with('…'));
    // Chinese takes two columns a character, and a line never starts with its comma.
    let zh = "许多独立随机变量之和的分布趋近于正态分布，无论原始分布是什么。";
    let w = wrap(zh, 28);
    assert_eq!(w.concat(), zh);
    assert!(w.len() >= 3, "{w:?}");
    assert!(
        w.iter().all(|l| crate::util::text::columns(l) <= 30),
        "{w:?}"
    );
    assert!(
        w.iter()
            .all(|l| !l.starts_with('，') && !l.starts_with('。')),
        "{w:?}"
    );
}
