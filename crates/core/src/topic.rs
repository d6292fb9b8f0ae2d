//! Topic input: Markdown, plain text and TheoremExplainBench JSON files, and form input.

use crate::error::{Error, InputProblem, Result};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// Files larger than this are refused.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;
pub const MIN_TOPIC_CHARS: usize = 3;
/// JSON lists longer than this are refused (a TheoremExplainBench file has a few hundred entries).
pub const MAX_JSON_ENTRIES: usize = 5000;
/// Longer topics are cut to this many characters.
pub const MAX_TOPIC_CHARS: usize = 300;

/// A `##` section of a Markdown topic: a hint for one scene.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    pub heading: String,
    pub body: String,
}

/// One topic: what a job explains.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Topic {
    pub title: String,
    pub description: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sections: Vec<Section>,
    /// Extra fields (TheoremExplainBench `uid`, `subject`, `difficulty`, …).
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub metadata: serde_json::Map<String, serde_json::Value>,
}

impl Topic {
    /// A topic typed into a form: validated like a file's.
    pub fn from_form(title: &str, description: &str) -> Result<Topic> {
        let title = clean_title(title).map_err(Error::InvalidField)?;
        let (description, sections) = split_sections(description.trim());
        Ok(Topic {
            title,
            description,
            sections,
            metadata: Default::default(),
        })
    }
}

/// Reads and parses a topic file. A `.json` list yields one topic per entry.
pub fn parse_file(path: &Path) -> Result<Vec<Topic>> {
    let fail = |problem| Error::input(path, problem);
    let meta = std::fs::metadata(path).map_err(|e| Error::io(crate::error::shown_path(path), e))?;
    if meta.is_dir() {
        return Err(fail(InputProblem::Other(
            "this is a folder, not a topic file".into(),
        )));
    }
    // A FIFO would block the read forever and /dev/zero would never end: only regular files.
    if !meta.is_file() {
        return Err(fail(InputProblem::Other(
            "this is not a regular file (a device, pipe or socket)".into(),
        )));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(fail(InputProblem::TooLarge {
            size: meta.len(),
            limit: MAX_FILE_BYTES,
        }));
    }
    // Read at most one byte past the limit, in case the file grew after the check.
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| {
            use std::io::Read;
            f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)
        })
        .map_err(|e| Error::io(crate::error::shown_path(path), e))?;
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    parse_bytes(&bytes, &ext).map_err(fail)
}

/// Parses the bytes of a topic file of the given extension (`md`, `markdown`, `txt`, `json`).
pub fn parse_bytes(bytes: &[u8], ext: &str) -> Result<Vec<Topic>, InputProblem> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(InputProblem::TooLarge {
            size: bytes.len() as u64,
            limit: MAX_FILE_BYTES,
        });
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(InputProblem::Empty);
    }
    if looks_binary(bytes) {
        return Err(InputProblem::Binary);
    }
    let text = std::str::from_utf8(bytes).map_err(|_| InputProblem::NotUtf8)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match ext {
        "md" | "markdown" => parse_markdown(text).map(|t| vec![t]),
        "txt" | "text" | "" => parse_text(text).map(|t| vec![t]),
        "json" => parse_json(text),
        other => Err(InputProblem::UnsupportedType(format!(".{other}"))),
    }
}

fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return true;
    }
    let control = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c))
        .count();
    control * 10 > head.len().max(1)
}

fn clean_title(raw: &str) -> Result<String, InputProblem> {
    let collapsed: String = raw
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if collapsed.is_empty() {
        return Err(InputProblem::MissingTopic("the topic is empty".into()));
    }
    if collapsed.chars().count() < MIN_TOPIC_CHARS {
        return Err(InputProblem::TopicTooShort(collapsed));
    }
    // Cut at the limit; a cut that ends on a space must not leave it trailing.
    let cut: String = collapsed.chars().take(MAX_TOPIC_CHARS).collect();
    Ok(cut.trim_end().to_string())
}

/// Splits a Markdown body into the text before the first `##` and its `##` sections.
fn split_sections(body: &str) -> (String, Vec<Section>) {
    let mut intro = String::new();
    let mut sections: Vec<Section> = Vec::new();
    let mut in_fence = false;
    for line in body.lines() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
        }
        let heading = (!in_fence)
            .then(|| line.strip_prefix("## "))
            .flatten()
            .or_else(|| (!in_fence && line.trim_end() == "##").then_some(""));
        match heading {
            Some(h) => sections.push(Section {
                heading: h.trim().trim_end_matches('#').trim().to_string(),
                body: String::new(),
            }),
            None => {
                let target = match sections.last_mut() {
                    Some(s) => &mut s.body,
                    None => &mut intro,
                };
                target.push_str(line);
                target.push('\n');
            }
        }
    }
    for s in &mut sections {
        s.body = s.body.trim().to_string();
    }
    sections.retain(|s| !s.heading.is_empty() || !s.body.is_empty());
    (intro.trim().to_string(), sections)
}

fn parse_markdown(text: &str) -> Result<Topic, InputProblem> {
    let mut title = None;
    let mut rest = String::new();
    let mut in_fence = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
        }
        if title.is_none() && !in_fence {
            if let Some(h) = line.strip_prefix("# ") {
                title = Some(h.trim().trim_end_matches('#').trim().to_string());
                continue;
            }
        }
        rest.push_str(line);
        rest.push('\n');
    }
    let title = match title {
        Some(t) => t,
        None => {
            return Err(InputProblem::MissingTopic(
                "no `# ` heading in the Markdown file".into(),
            ))
        }
    };
    let title = clean_title(&title)?;
    let (description, sections) = split_sections(rest.trim());
    Ok(Topic {
        title,
        description,
        sections,
        metadata: Default::default(),
    })
}

fn parse_text(text: &str) -> Result<Topic, InputProblem> {
    let mut lines = text.lines().skip_while(|l| l.trim().is_empty());
    let first = lines.next().ok_or(InputProblem::Empty)?;
    let title = clean_title(first)?;
    let description = lines.collect::<Vec<_>>().join("\n").trim().to_string();
    Ok(Topic {
        title,
        description,
        sections: Vec::new(),
        metadata: Default::default(),
    })
}

fn parse_json(text: &str) -> Result<Vec<Topic>, InputProblem> {
    // serde_json's recursion limit (128) turns deeply nested input into an error, not a stack overflow.
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| InputProblem::MalformedJson(e.to_string()))?;
    match value {
        serde_json::Value::Object(obj) => json_entry(obj).map(|t| vec![t]),
        serde_json::Value::Array(items) => {
            if items.is_empty() {
                return Err(InputProblem::MissingTopic("the JSON list is empty".into()));
            }
            if items.len() > MAX_JSON_ENTRIES {
                return Err(InputProblem::Other(format!(
                    "the JSON list has {} entries; the limit is {MAX_JSON_ENTRIES}",
                    items.len()
                )));
            }
            items
                .into_iter()
                .enumerate()
                .map(|(i, item)| match item {
                    serde_json::Value::Object(obj) => {
                        json_entry(obj).map_err(|p| entry_problem(i, p))
                    }
                    other => Err(entry_problem(
                        i,
                        InputProblem::MissingTopic(format!(
                            "expected an object, found {}",
                            json_kind(&other)
                        )),
                    )),
                })
                .collect()
        }
        other => Err(InputProblem::MissingTopic(format!(
            "expected an object or a list of objects, found {}",
            json_kind(&other)
        ))),
    }
}

fn entry_problem(index: usize, p: InputProblem) -> InputProblem {
    InputProblem::Other(format!("entry {}: {p}", index + 1))
}

fn json_kind(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "a list",
        serde_json::Value::Object(_) => "an object",
    }
}

fn json_entry(mut obj: serde_json::Map<String, serde_json::Value>) -> Result<Topic, InputProblem> {
    let key = ["theorem", "topic", "title"]
        .into_iter()
        .find(|k| obj.contains_key(*k));
    let Some(key) = key else {
        return Err(InputProblem::MissingTopic(
            "no \"theorem\" or \"topic\" field".into(),
        ));
    };
    let title = match obj.remove(key) {
        Some(serde_json::Value::String(s)) => clean_title(&s)?,
        Some(other) => {
            return Err(InputProblem::MissingTopic(format!(
                "\"{key}\" must be a string, found {}",
                json_kind(&other)
            )))
        }
        None => unreachable!("key was found above"),
    };
    let description = match obj.remove("description") {
        None | Some(serde_json::Value::Null) => String::new(),
        Some(serde_json::Value::String(s)) => s.trim().to_string(),
        Some(other) => {
            return Err(InputProblem::Other(format!(
                "\"description\" must be a string, found {}",
                json_kind(&other)
            )))
        }
    };
    let (description, sections) = split_sections(&description);
    Ok(Topic {
        title,
        description,
        sections,
        metadata: obj,
    })
}

/// A file given to a run: its topics, or why it was refused. Other files of the run go ahead.
pub fn parse_many(paths: &[impl AsRef<Path>]) -> Vec<(std::path::PathBuf, Result<Vec<Topic>>)> {
    paths
        .iter()
        .map(|p| (p.as_ref().to_path_buf(), parse_file(p.as_ref())))
        .collect()
}

#[cfg(test)]
mod tests;
