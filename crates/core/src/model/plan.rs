//! What writers produce: the scene outline, a plan per scene, and when each scene's narration
//! speaks (measured before the code is written).

use serde::{Deserialize, Serialize};

/// The most scenes any writer may plan.
pub const MAX_SCENES: usize = 7;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SceneOutline {
    pub title: String,
    /// What the scene is for, in a sentence.
    pub purpose: String,
    /// What kind of scene the writer designed (the offline writer's templates differ by kind).
    #[serde(default)]
    pub kind: SceneKind,
}

/// The kinds of scene the offline storyboard writer designs; an LLM writer's scenes, and any kind
/// this version does not know (read from an older cache), are `Free`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum SceneKind {
    /// The title card.
    Title,
    /// A statement: its text beside its picture, page by page.
    Statement,
    /// Points that appear one by one.
    Points,
    /// Formulas written and transformed one into the next.
    Formulas,
    /// The recap and the closing card.
    Summary,
    /// A scene whose shape the writer chose freely.
    #[default]
    #[serde(other)]
    Free,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outline {
    pub topic: String,
    pub scenes: Vec<SceneOutline>,
}

impl Outline {
    /// Structural validation: used on fresh output and on cached files alike.
    pub fn validate(&self) -> Result<(), String> {
        if self.scenes.is_empty() || self.scenes.len() > MAX_SCENES {
            return Err(format!(
                "the outline has {} scenes; expected 1 to {MAX_SCENES}",
                self.scenes.len()
            ));
        }
        for (i, s) in self.scenes.iter().enumerate() {
            if s.title.trim().is_empty() {
                return Err(format!("scene {} has no title", i + 1));
            }
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScenePlan {
    /// 1-based scene number.
    pub index: u32,
    pub title: String,
    /// What the viewer sees, step by step.
    pub storyboard: String,
    /// How to build it in Manim.
    pub technical_notes: String,
    /// What a narrator says over the scene.
    pub narration: String,
    /// Writer-specific structured data (the storyboard writer keeps its layout here).
    #[serde(default)]
    pub data: serde_json::Value,
}

impl ScenePlan {
    pub fn validate(&self) -> Result<(), String> {
        if self.index == 0 {
            return Err("scene index must start at 1".into());
        }
        if self.title.trim().is_empty() || self.storyboard.trim().is_empty() {
            return Err("the plan has no title or storyboard".into());
        }
        Ok(())
    }
}

/// When a scene's narration speaks, measured before its code is written, so that a writer can
/// time the animation to the speech.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SceneTiming {
    /// Length of the narration track, seconds (lead-in and pauses included).
    pub duration: f64,
    /// (start, end) of each spoken sentence, seconds from the scene's start.
    pub sentences: Vec<(f64, f64)>,
}

impl SceneTiming {
    /// Changes whenever the timing does (to 0.1 s): code written for a timing carries it, so
    /// cached code made for another timing is not reused.
    pub fn tag(timing: Option<&SceneTiming>) -> String {
        match timing {
            None => "none".into(),
            Some(t) => {
                let mut s = format!("{:.1}", t.duration);
                for (a, b) in &t.sentences {
                    s.push_str(&format!(";{a:.1},{b:.1}"));
                }
                crate::util::hash::short_hash(&s)
            }
        }
    }
}

/// The comment line a writer puts in code made for a timing (see [`SceneTiming::tag`]).
pub const TIMING_MARK: &str = "# narration timing: ";

/// The timing tag written in `code`, when the writer wrote one.
pub fn timing_mark(code: &str) -> Option<&str> {
    code.lines()
        .find_map(|l| l.trim().strip_prefix(TIMING_MARK))
        .map(str::trim)
}

/// The Scene class name used for scene `index` (1-based).
pub fn scene_class(index: u32) -> String {
    format!("Scene{index:02}")
}
