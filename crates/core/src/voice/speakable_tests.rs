//! Tests of the read-aloud pass.

use super::*;

#[test]
fn common_formulas_read_aloud() {
    assert_eq!(
        tex_to_speech("a^2+b^2=c^2"),
        "a squared plus b squared equals c squared"
    );
    assert_eq!(
        tex_to_speech("e^{i\\pi} + 1 = 0"),
        "e to the power of i pi plus 1 equals 0"
    );
    assert_eq!(
        tex_to_speech("\\sum_{n=1}^{\\infty} \\frac{1}{n^2} = \\frac{\\pi^2}{6}"),
        "the sum from n equals 1 to infinity of 1 over n squared equals pi squared over 6"
    );
    assert_eq!(
        tex_to_speech("c=\\sqrt{a^2+b^2}"),
        "c equals the square root of a squared plus b squared"
    );
    assert_eq!(
        tex_to_speech("\\lim_{x \\to 0} \\frac{\\sin x}{x} = 1"),
        "the limit as x tends to 0 of sine x over x equals 1"
    );
    assert_eq!(
        tex_to_speech("x_1 \\leq x_{n+1}"),
        "x 1 is less than or equal to x sub n plus 1"
    );
    assert_eq!(
        tex_to_speech("\\int_0^1 x\\,dx"),
        "the integral from 0 to 1 of x d x"
    );
    assert_eq!(
        tex_to_speech("\\forall x \\in \\mathbb{R}"),
        "for all x in the real numbers"
    );
    assert_eq!(tex_to_speech("\\binom{n}{k}"), "n choose k");
    assert_eq!(tex_to_speech("\\mathrm{Var}(X)"), "Var X");
    assert_eq!(
        tex_to_speech("\\gamma = 90^\\circ"),
        "gamma equals 90 degrees"
    );
}

#[test]
fn narration_text_becomes_speech() {
    assert_eq!(
        speakable("The **theorem**: $a^2+b^2=c^2$ holds."),
        "The theorem: a squared plus b squared equals c squared holds."
    );
    assert_eq!(
        speakable("In symbols: a²+b²=c², so x₁ ≤ π and 1/2 ≠ 0."),
        "In symbols: a squared plus b squared equals c squared, so x 1 is less than or equal to pi and 1 over 2 is not equal to 0."
    );
    // Prose stays prose: hyphens, "and/or", prices.
    assert_eq!(
        speakable("A right-angled triangle, and/or a $5 note."),
        "A right-angled triangle, and/or a $5 note."
    );
    assert_eq!(speakable("## Heading\nText."), "Heading Text.");
}
