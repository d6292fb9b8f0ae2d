//! From a topic to 3–6 scene specs: the storyboard writer's planning.

use super::extract::{
    bullets, clean_inline, latex_to_unicode, prose, sentences, shorten, split_math,
};
use crate::topic::Topic;
use crate::voice::{speakable, tex_to_speech};
use serde::{Deserialize, Serialize};

/// A formula to show: LaTeX source, a readable Unicode rendering, and a caption.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Formula {
    pub tex: String,
    pub unicode: String,
    pub caption: String,
}

/// Everything the code templates need for one scene.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SceneSpec {
    /// `title`, `statement`, `points`, `formulas` or `summary`.
    pub kind: String,
    pub title: String,
    pub purpose: String,
    #[serde(default)]
    pub subtitle: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub points: Vec<String>,
    #[serde(default)]
    pub formulas: Vec<Formula>,
    #[serde(default)]
    pub narration: String,
    /// The narration split by visual step (each a sentence or more, ready to be read aloud):
    /// the templates start step k when beat k is spoken.
    #[serde(default)]
    pub beats: Vec<String>,
}

impl SceneSpec {
    pub fn generic(title: &str, body: &str) -> SceneSpec {
        SceneSpec {
            kind: "statement".into(),
            title: shorten(title, 60),
            purpose: "Explain this part of the topic.".into(),
            subtitle: String::new(),
            body: shorten(&clean_inline(body), 360),
            points: Vec::new(),
            formulas: Vec::new(),
            narration: said(&[body]).1,
            beats: said(&[body]).0,
        }
    }

    pub fn storyboard(&self) -> String {
        match self.kind.as_str() {
            "title" => format!("Title card: \"{}\" written in, an accent line, then \"{}\" fades in.", self.title, self.subtitle),
            "points" => format!(
                "Header \"{}\"; {} points appear one by one, each with a marker: {}.",
                self.title,
                self.points.len(),
                self.points.join(" / ")
            ),
            "formulas" => format!(
                "Header \"{}\"; {} formula(s) written and transformed one into the next, each with its caption; the last is boxed.",
                self.title,
                self.formulas.len()
            ),
            "summary" => format!("Header \"{}\"; recap lines appear, then a closing card.", self.title),
            _ => format!("Header \"{}\"; the statement appears line by line: {}", self.title, self.body),
        }
    }

    pub fn technical_notes(&self) -> String {
        "Manim CE Scene; dark background; Text with pre-wrapped lines scaled to fit 12.5×5.6 units under a \
         header at the top edge; MathTex when LaTeX is available, a Unicode Text fallback otherwise; \
         Write/FadeIn/ReplacementTransform; waits follow reading time."
            .into()
    }
}

/// Plans the scenes for a topic, at most `max_scenes` (3–6 when not capped lower).
pub fn design(topic: &Topic, max_scenes: usize) -> Vec<SceneSpec> {
    let title = shorten(&clean_inline(&topic.title), 80);
    let (desc_plain, mut formulas) = split_math(&topic.description);
    let intro = prose(&desc_plain);
    let intro_sentences = sentences(&intro);
    let desc_bullets = bullets(&desc_plain);

    let mut sections = Vec::new();
    for s in &topic.sections {
        let (plain, f) = split_math(&s.body);
        for x in f {
            if !formulas.contains(&x) {
                formulas.push(x);
            }
        }
        let mut pts = bullets(&plain);
        let mut raw = bullets(&s.body);
        let text = prose(&plain);
        if pts.is_empty() {
            pts = sentences(&text);
            raw = sentences(&prose(&s.body));
        }
        // What is said keeps the LaTeX (read aloud better than its Unicode rendering).
        let raw = if raw.len() == pts.len() {
            raw
        } else {
            pts.clone()
        };
        let (heading, _) = split_math(&s.heading);
        let spoken = said(&[&s.heading, &prose(&s.body)]).1;
        sections.push((shorten(&clean_inline(&heading), 60), text, pts, raw, spoken));
    }

    let subtitle = topic
        .metadata
        .get("subject")
        .and_then(|v| v.as_str())
        .map(|s| format!("A visual explanation · {}", clean_inline(s)))
        .unwrap_or_else(|| "A visual explanation".to_string());

    let mut specs: Vec<(u8, SceneSpec)> = Vec::new(); // (priority, spec); lower keeps first
    specs.push((
        0,
        SceneSpec {
            kind: "title".into(),
            title: title.clone(),
            purpose: "Introduce the topic.".into(),
            subtitle: subtitle.clone(),
            narration: said(&[&topic.title, &subtitle]).1,
            beats: said(&[&topic.title, &subtitle]).0,
            ..blank()
        },
    ));

    let raw_intro: Vec<String> = sentences(&prose(&topic.description))
        .into_iter()
        .take(3)
        .collect();
    let statement_body = if intro_sentences.is_empty() {
        format!("{title}: what it says, why it holds, and how to use it.")
    } else {
        intro_sentences
            .iter()
            .take(3)
            .cloned()
            .collect::<Vec<_>>()
            .join(" ")
    };
    specs.push((
        1,
        SceneSpec {
            kind: "statement".into(),
            title: "The idea".into(),
            purpose: "State the idea in plain words.".into(),
            body: shorten(&statement_body, 360),
            narration: said(&[&if raw_intro.is_empty() {
                statement_body.clone()
            } else {
                raw_intro.join(" ")
            }])
            .1,
            ..blank()
        },
    ));

    for (i, (heading, text, pts, raw, spoken)) in sections.iter().take(3).enumerate() {
        let heading = if heading.is_empty() {
            format!("Part {}", i + 1)
        } else {
            heading.clone()
        };
        let points: Vec<String> = pts.iter().take(5).map(|p| shorten(p, 140)).collect();
        let spec = if points.len() >= 2 {
            let mut parts: Vec<&str> = vec![&heading];
            parts.extend(raw.iter().take(5).map(String::as_str));
            let (beats, narration) = said(&parts);
            SceneSpec {
                kind: "points".into(),
                title: heading.clone(),
                purpose: format!("Explain {heading}."),
                narration,
                beats,
                points,
                ..blank()
            }
        } else {
            let body = if text.is_empty() {
                points.join(" ")
            } else {
                text.clone()
            };
            SceneSpec {
                kind: "statement".into(),
                title: heading.clone(),
                purpose: format!("Explain {heading}."),
                body: shorten(&body, 360),
                narration: spoken.clone(),
                ..blank()
            }
        };
        specs.push((3 + i as u8, spec));
    }

    if sections.is_empty() {
        let mut points: Vec<String> = desc_bullets
            .iter()
            .take(5)
            .map(|p| shorten(p, 140))
            .collect();
        let mut raw: Vec<String> = bullets(&topic.description).into_iter().take(5).collect();
        if points.is_empty() && intro_sentences.len() > 3 {
            points = intro_sentences
                .iter()
                .skip(3)
                .take(4)
                .map(|p| shorten(p, 140))
                .collect();
            raw = sentences(&prose(&topic.description))
                .into_iter()
                .skip(3)
                .take(4)
                .collect();
        }
        if raw.len() != points.len() {
            raw = points.clone();
        }
        if points.len() >= 2 {
            specs.push((
                3,
                SceneSpec {
                    kind: "points".into(),
                    title: "Key points".into(),
                    purpose: "List the key points.".into(),
                    narration: said(&parts("The key points", &raw)).1,
                    beats: said(&parts("The key points", &raw)).0,
                    points,
                    ..blank()
                },
            ));
        }
    }

    if formulas.iter().any(|f| formula_weight(f) > 0) {
        let mut all_sentences = sentences(&prose(&topic.description));
        for s in &topic.sections {
            all_sentences.extend(sentences(&prose(&s.body)));
            all_sentences.extend(bullets(&s.body));
        }
        all_sentences.extend(bullets(&topic.description));
        // A formula worth a scene has a relation or some structure; `$a$` alone is just a name.
        let mut ranked: Vec<&String> = formulas.iter().filter(|f| formula_weight(f) > 0).collect();
        ranked.sort_by_key(|f| std::cmp::Reverse(formula_weight(f)));
        ranked.truncate(3);
        // Keep the order in which the text introduces them.
        ranked.sort_by_key(|f| formulas.iter().position(|x| x == *f));
        let shown: Vec<Formula> = ranked
            .into_iter()
            .map(|tex| {
                let unicode = latex_to_unicode(tex);
                let caption = all_sentences
                    .iter()
                    .find(|s| s.contains(&format!("${tex}$")))
                    .map(|s| shorten(&split_math(s).0, 90))
                    .unwrap_or_default();
                Formula {
                    tex: tex.clone(),
                    unicode,
                    caption,
                }
            })
            .collect();
        // One beat per formula: the sentence that introduces it, else the formula read aloud.
        let spoken: Vec<String> = shown
            .iter()
            .map(|f| {
                all_sentences
                    .iter()
                    .find(|s| s.contains(&format!("${}$", f.tex)))
                    .cloned()
                    .unwrap_or_else(|| format!("The formula reads: {}.", tex_to_speech(&f.tex)))
            })
            .collect();
        let (beats, narration) = said(&spoken);
        specs.push((
            2,
            SceneSpec {
                kind: "formulas".into(),
                title: if shown.len() == 1 {
                    "The formula".into()
                } else {
                    "The formulas".into()
                },
                purpose: "Show the mathematics.".into(),
                formulas: shown,
                narration,
                beats,
                ..blank()
            },
        ));
    }

    let recap: Vec<String> = {
        let mut r: Vec<String> = sections
            .iter()
            .map(|(h, ..)| h.clone())
            .filter(|h| !h.is_empty())
            .collect();
        if r.is_empty() {
            r = desc_bullets
                .iter()
                .take(3)
                .map(|b| shorten(b, 90))
                .collect();
        }
        if r.is_empty() {
            r = intro_sentences
                .iter()
                .take(2)
                .map(|s| shorten(s, 110))
                .collect();
        }
        if r.is_empty() {
            r.push(title.clone());
        }
        r.truncate(4);
        r
    };
    specs.push((
        1,
        SceneSpec {
            kind: "summary".into(),
            title: "In summary".into(),
            purpose: "Recap what was shown.".into(),
            narration: said(&parts("To sum up", &recap)).1,
            beats: said(&parts("To sum up", &recap)).0,
            points: recap,
            subtitle: title.clone(),
            ..blank()
        },
    ));

    // Keep the most important scenes within the cap, in their natural order.
    let cap = max_scenes.clamp(1, 6);
    let mut order: Vec<usize> = (0..specs.len()).collect();
    order.sort_by_key(|&i| (specs[i].0, i));
    let mut keep: Vec<usize> = order.into_iter().take(cap).collect();
    keep.sort_unstable();
    // Summary always last, title always first.
    keep.into_iter().map(|i| specs[i].1.clone()).collect()
}

fn blank() -> SceneSpec {
    SceneSpec {
        kind: String::new(),
        title: String::new(),
        purpose: String::new(),
        subtitle: String::new(),
        body: String::new(),
        points: Vec::new(),
        formulas: Vec::new(),
        narration: String::new(),
        beats: Vec::new(),
    }
}

/// `lead` then `items`, as the parts of a narration.
fn parts<'a>(lead: &'a str, items: &'a [String]) -> Vec<&'a str> {
    let mut v = vec![lead];
    v.extend(items.iter().map(String::as_str));
    v
}

/// Narration beats as read aloud (math spoken, Markdown gone, each ending a sentence), and the
/// whole narration.
fn said<S: AsRef<str>>(parts: &[S]) -> (Vec<String>, String) {
    let beats: Vec<String> = parts
        .iter()
        .map(|p| speakable(p.as_ref()))
        .filter(|p| p.chars().any(char::is_alphanumeric))
        .map(|p| {
            let p = p.trim_end_matches([',', ';', ':', '…', ' ']).to_string();
            if p.ends_with(['.', '!', '?']) {
                p
            } else {
                format!("{p}.")
            }
        })
        .collect();
    let narration = beats.join(" ");
    (beats, narration)
}

/// How much a formula deserves to be shown on its own: 0 for bare symbols like `a` or `x_1`.
fn formula_weight(tex: &str) -> usize {
    let relation = [
        "=", "<", ">", "\\le", "\\ge", "\\neq", "\\approx", "\\equiv", "\\to", "\\sim",
    ]
    .iter()
    .any(|r| tex.contains(r));
    let len = tex.chars().filter(|c| !c.is_whitespace()).count();
    match (relation, len) {
        (true, _) => 100 + len.min(60),
        (false, l) if l >= 8 => l.min(60),
        _ => 0,
    }
}
