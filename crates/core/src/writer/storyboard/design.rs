//! From a topic to 3–6 scene specs: the storyboard writer's planning.

use super::extract::{bullets, clean_inline, latex_to_unicode, prose, sentences, split_math};
use super::phrases::clip;
use super::visuals::{choose, Visual};
use super::words::Words;
use crate::lang::Lang;
use crate::model::plan::SceneKind;
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
    pub kind: SceneKind,
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
    /// A statement's text, one sentence per beat (shown beside its picture, page by page).
    #[serde(default)]
    pub pages: Vec<String>,
    /// The picture that explains this scene, if the topic gives anything to draw.
    #[serde(default)]
    pub visual: Option<Visual>,
    /// The video's language (template words, fonts).
    #[serde(default)]
    pub lang: Lang,
}

impl SceneSpec {
    pub fn generic(title: &str, body: &str) -> SceneSpec {
        SceneSpec {
            kind: SceneKind::Statement,
            title: clip(title, 60),
            purpose: "Explain this part of the topic.".into(),
            body: clip(&clean_inline(body), 360),
            narration: said(&[body]).1,
            beats: said(&[body]).0,
            ..blank()
        }
    }

    /// Whether the scene shows a picture: a visual, or formulas transformed one into the next.
    pub fn has_picture(&self) -> bool {
        self.visual.is_some() || (self.kind == SceneKind::Formulas && self.formulas.len() >= 2)
    }

    pub fn storyboard(&self) -> String {
        let text = self.text_storyboard();
        match &self.visual {
            Some(v) => format!(
                "{text} Picture: {}, built step by step with the narration.",
                v.name()
            ),
            None => text,
        }
    }

    fn text_storyboard(&self) -> String {
        match self.kind {
            SceneKind::Title => format!("Title card: \"{}\" written in, an accent line, then \"{}\" fades in.", self.title, self.subtitle),
            SceneKind::Points => format!(
                "Header \"{}\"; {} points appear one by one, each with a marker: {}.",
                self.title,
                self.points.len(),
                self.points.join(" / ")
            ),
            SceneKind::Formulas => format!(
                "Header \"{}\"; {} formula(s) written and transformed one into the next, each with its caption; the last is boxed.",
                self.title,
                self.formulas.len()
            ),
            SceneKind::Summary => format!("Header \"{}\"; recap lines appear, then a closing card.", self.title),
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
    let lang = Lang::of_topic(topic);
    let w = Words::of(lang);
    let mut specs = plan(topic, max_scenes, &w);
    for s in specs.iter_mut() {
        s.lang = lang;
    }
    choose::assign(topic, &mut specs);
    specs
}

fn plan(topic: &Topic, max_scenes: usize, w: &Words) -> Vec<SceneSpec> {
    let title = clip(&clean_inline(&topic.title), 80);
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
        sections.push((clip(&clean_inline(&heading), 60), text, pts, raw, spoken));
    }

    let subtitle = topic
        .metadata
        .get("subject")
        .and_then(|v| v.as_str())
        .map(|s| format!("{} · {}", w.visual_explanation, clean_inline(s)))
        .unwrap_or_else(|| w.visual_explanation.to_string());

    let mut specs: Vec<(u8, SceneSpec)> = Vec::new(); // (priority, spec); lower keeps first
    specs.push((
        0,
        SceneSpec {
            kind: SceneKind::Title,
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
        format!("{title}: {}", w.what_it_says)
    } else {
        intro_sentences
            .iter()
            .take(3)
            .cloned()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let (intro_beats, intro_narration) = if raw_intro.is_empty() {
        said(&[&statement_body])
    } else {
        said(&raw_intro)
    };
    let intro_pages: Vec<String> = if intro_sentences.is_empty() {
        vec![statement_body.clone()]
    } else {
        intro_sentences.iter().take(3).cloned().collect()
    };
    specs.push((
        1,
        SceneSpec {
            kind: SceneKind::Statement,
            title: w.idea.into(),
            purpose: "State the idea in plain words.".into(),
            body: statement_body.clone(),
            narration: intro_narration,
            beats: intro_beats,
            pages: intro_pages,
            ..blank()
        },
    ));

    for (i, (heading, text, pts, raw, spoken)) in sections.iter().take(3).enumerate() {
        let heading = if heading.is_empty() {
            format!("{} {}", w.part, i + 1)
        } else {
            heading.clone()
        };
        let points: Vec<String> = pts.iter().take(5).cloned().collect();
        let spec = if points.len() >= 2 {
            let mut parts: Vec<&str> = vec![&heading];
            parts.extend(raw.iter().take(5).map(String::as_str));
            let (beats, narration) = said(&parts);
            SceneSpec {
                kind: SceneKind::Points,
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
            let page_list: Vec<String> = sentences(&body).into_iter().take(4).collect();
            let raw_list: Vec<String> = if raw.len() == page_list.len() {
                raw.clone()
            } else {
                page_list.clone()
            };
            let (beats, narration) = if page_list.len() > 1 {
                said(&raw_list)
            } else {
                (said(&[spoken.as_str()]).0, spoken.clone())
            };
            SceneSpec {
                kind: SceneKind::Statement,
                title: heading.clone(),
                purpose: format!("Explain {heading}."),
                body: page_list.join(" "),
                pages: page_list,
                narration,
                beats,
                ..blank()
            }
        };
        specs.push((3 + i as u8, spec));
    }

    if sections.is_empty() {
        let mut points: Vec<String> = desc_bullets.iter().take(5).cloned().collect();
        let mut raw: Vec<String> = bullets(&topic.description).into_iter().take(5).collect();
        if points.is_empty() && intro_sentences.len() > 3 {
            points = intro_sentences.iter().skip(3).take(4).cloned().collect();
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
                    kind: SceneKind::Points,
                    title: w.key_points.into(),
                    purpose: "List the key points.".into(),
                    narration: said(&parts(w.key_points_spoken, &raw)).1,
                    beats: said(&parts(w.key_points_spoken, &raw)).0,
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
                    .map(|s| clip(&split_math(s).0, 180))
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
                    .unwrap_or_else(|| format!("{}: {}.", w.formula_reads, tex_to_speech(&f.tex)))
            })
            .collect();
        let (beats, narration) = said(&spoken);
        specs.push((
            2,
            SceneSpec {
                kind: SceneKind::Formulas,
                title: if shown.len() == 1 {
                    w.formula.into()
                } else {
                    w.formulas.into()
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
            r = desc_bullets.iter().take(3).map(|b| clip(b, 90)).collect();
        }
        if r.is_empty() {
            r = intro_sentences
                .iter()
                .take(2)
                .map(|s| clip(s, 110))
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
            kind: SceneKind::Summary,
            title: w.summary.into(),
            purpose: "Recap what was shown.".into(),
            narration: said(&parts(w.sum_up, &recap)).1,
            beats: said(&parts(w.sum_up, &recap)).0,
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
        kind: SceneKind::Statement,
        title: String::new(),
        purpose: String::new(),
        subtitle: String::new(),
        body: String::new(),
        points: Vec::new(),
        formulas: Vec::new(),
        narration: String::new(),
        beats: Vec::new(),
        pages: Vec::new(),
        visual: None,
        lang: Lang::En,
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
