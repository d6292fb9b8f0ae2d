//! The prompts: versioned text files in `prompts/`, compiled in. Their text is part of the cache
//! key, so any change regenerates cached outlines, plans and code. `docs/prompts.md` is the
//! contract for anyone scripting a server against them.

use serde_json::{json, Value};

pub const SYSTEM: &str = include_str!("../prompts/system.v1.txt");
pub const OUTLINE: &str = include_str!("../prompts/outline.v1.txt");
pub const PLAN: &str = include_str!("../prompts/plan.v1.txt");
pub const CODE: &str = include_str!("../prompts/code.v1.txt");
pub const FIX: &str = include_str!("../prompts/fix.v1.txt");
pub const CORRECT: &str = include_str!("../prompts/correct.v1.txt");
/// The scene studio's instruction. Not part of [`fingerprint`]: a revision is made for one job
/// and never cached, so changing this prompt invalidates no cache.
pub const REVISE: &str = include_str!("../prompts/revise.v1.txt");

/// Bumped with the file names when the contract changes.
pub const VERSION: &str = "v1";

/// A hash of every prompt: part of the cache key.
pub fn fingerprint() -> String {
    let all = [SYSTEM, OUTLINE, PLAN, CODE, FIX, CORRECT];
    t2v_core::slug::hash_parts(&all)[..12].to_string()
}

/// Fills `{{name}}` placeholders.
pub fn fill(template: &str, vars: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (k, v) in vars {
        out = out.replace(&format!("{{{{{k}}}}}"), v);
    }
    out
}

/// The outline's schema: `{"scenes": [{"title", "purpose"}]}` with `min..=max` scenes.
pub fn outline_schema(min: usize, max: usize) -> Value {
    json!({
        "type": "object",
        "properties": {
            "scenes": {
                "type": "array",
                "minItems": min,
                "maxItems": max,
                "items": {
                    "type": "object",
                    "properties": {
                        "title": {"type": "string"},
                        "purpose": {"type": "string"}
                    },
                    "required": ["title", "purpose"],
                    "additionalProperties": false
                }
            }
        },
        "required": ["scenes"],
        "additionalProperties": false
    })
}

/// A scene plan's schema.
pub fn plan_schema() -> Value {
    json!({
        "type": "object",
        "properties": {
            "storyboard": {"type": "string"},
            "technical_notes": {"type": "string"},
            "narration": {"type": "string"}
        },
        "required": ["storyboard", "technical_notes", "narration"],
        "additionalProperties": false
    })
}

pub fn latex_rule(latex: bool) -> (&'static str, &'static str) {
    if latex {
        (
            "LaTeX is available: MathTex and Tex may be used for formulas (raw strings, r\"...\").",
            "MathTex allowed",
        )
    } else {
        (
            "LaTeX is NOT installed: never use MathTex, Tex, Matrix or anything that needs LaTeX; write formulas with Text (e.g. Text(\"a² + b² = c²\")).",
            "no MathTex or Tex (no LaTeX)",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_task_line_and_placeholder_is_filled() {
        for (p, task) in [
            (OUTLINE, "outline"),
            (PLAN, "plan"),
            (CODE, "code"),
            (FIX, "fix"),
            (CORRECT, "correct"),
            (REVISE, "revise"),
        ] {
            assert!(p.starts_with(&format!("Task: {task}\n")), "{task}");
        }
        let s = fill("a {{x}} b {{y}}", &[("x", "1"), ("y", "{{x}}")]);
        assert_eq!(s, "a 1 b {{x}}");
        assert_eq!(fingerprint().len(), 12);
    }
}
