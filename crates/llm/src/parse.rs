//! Strict parsing of model replies: a JSON object that follows the schema (a ```json fence around
//! it is tolerated), or Manim code in a fenced block. Each error says what to correct; it is sent
//! back to the model.

use serde::Deserialize;
use serde_json::Value;

pub const ALLOWED_IMPORTS: &[&str] = &["manim", "numpy"];

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutlineReply {
    pub scenes: Vec<SceneReply>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SceneReply {
    pub title: String,
    pub purpose: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanReply {
    pub storyboard: String,
    pub technical_notes: String,
    pub narration: String,
}

/// The JSON object in a reply: the whole reply, or the content of its one ```json fence.
fn json_object(reply: &str) -> Result<Value, String> {
    let text = reply.trim();
    let body = match fenced_blocks(text).into_iter().next() {
        Some((_, b)) if !text.starts_with('{') => b,
        _ => text.to_string(),
    };
    let v: Value = serde_json::from_str(body.trim())
        .map_err(|e| format!("the reply is not valid JSON ({e})"))?;
    if !v.is_object() {
        return Err("the reply must be one JSON object".into());
    }
    Ok(v)
}

pub fn outline(reply: &str, min: usize, max: usize) -> Result<OutlineReply, String> {
    let v = json_object(reply)?;
    let o: OutlineReply = serde_json::from_value(v)
        .map_err(|e| format!("the JSON does not follow the schema: {e}"))?;
    let n = o.scenes.len();
    if n < min || n > max {
        return Err(format!(
            "the outline has {n} scenes; it must have {min} to {max}"
        ));
    }
    for (i, s) in o.scenes.iter().enumerate() {
        if s.title.trim().is_empty() || s.purpose.trim().is_empty() {
            return Err(format!("scene {} has an empty title or purpose", i + 1));
        }
        if s.title.chars().count() > 100 {
            return Err(format!(
                "the title of scene {} is longer than 100 characters",
                i + 1
            ));
        }
    }
    Ok(o)
}

pub fn plan(reply: &str) -> Result<PlanReply, String> {
    let v = json_object(reply)?;
    let p: PlanReply = serde_json::from_value(v)
        .map_err(|e| format!("the JSON does not follow the schema: {e}"))?;
    for (name, s) in [
        ("storyboard", &p.storyboard),
        ("technical_notes", &p.technical_notes),
        ("narration", &p.narration),
    ] {
        if s.trim().is_empty() {
            return Err(format!("\"{name}\" is empty"));
        }
    }
    Ok(p)
}

/// Fenced blocks as (info string, content).
pub fn fenced_blocks(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let t = line.trim_start();
        let Some(info) = t.strip_prefix("```") else {
            continue;
        };
        let mut body = Vec::new();
        let mut closed = false;
        for l in lines.by_ref() {
            if l.trim() == "```" {
                closed = true;
                break;
            }
            body.push(l);
        }
        if closed {
            out.push((info.trim().to_ascii_lowercase(), body.join("\n")));
        }
    }
    out
}

/// The scene's code from a reply: the fenced Python block that defines `class_name`, checked for
/// a `construct` method and for imports other than manim and numpy.
pub fn code(reply: &str, class_name: &str) -> Result<String, String> {
    let blocks = fenced_blocks(reply);
    if blocks.is_empty() {
        return Err("the reply has no complete fenced code block (```python … ```)".into());
    }
    let class_re = format!("class {class_name}(");
    let code = blocks
        .iter()
        .filter(|(info, _)| {
            info.is_empty() || info == "python" || info == "py" || info == "python3"
        })
        .map(|(_, b)| b)
        .find(|b| b.contains(&class_re))
        .ok_or_else(|| {
            format!("no fenced Python block defines the scene class `{class_name}(Scene)`")
        })?;
    if !code.contains("def construct(self") {
        return Err(format!(
            "the class `{class_name}` has no `def construct(self):`"
        ));
    }
    for line in code.lines() {
        let t = line.trim();
        let module = if let Some(rest) = t.strip_prefix("import ") {
            rest.split(',')
                .map(|m| m.split_whitespace().next().unwrap_or(""))
                .collect()
        } else if let Some(rest) = t.strip_prefix("from ") {
            vec![rest.split_whitespace().next().unwrap_or("")]
        } else {
            continue;
        };
        for m in module {
            let root = m.split('.').next().unwrap_or("");
            if !ALLOWED_IMPORTS.contains(&root) {
                return Err(format!(
                    "`{t}` imports {root:?}; only manim and numpy may be imported"
                ));
            }
        }
    }
    Ok(format!("{}\n", code.trim_end()))
}

#[cfg(test)]
#[path = "parse_tests.rs"]
mod tests;
