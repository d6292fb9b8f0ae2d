//! Writers make the pipeline's generative artefacts: the scene outline, a plan per scene, Manim
//! code per scene, and fixed code after a render error. The offline [`storyboard`] writer is the
//! default; LLM writers implement the same trait in their own crate.

pub mod storyboard;

use crate::error::{Error, Result};
use crate::job::TokenUsage;
use crate::progress::Stage;
use crate::topic::Topic;
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

/// The most scenes any writer may plan.
pub const MAX_SCENES: usize = 7;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SceneOutline {
    pub title: String,
    /// What the scene is for, in a sentence.
    pub purpose: String,
    /// Writer-specific kind (`title`, `statement`, `key_points`, `formulas`, `summary`, …).
    #[serde(default)]
    pub kind: String,
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

/// What a writer reports while it works.
#[derive(Debug, Clone, PartialEq)]
pub enum WriterReport {
    /// A line of progress ("streaming: 412 tokens").
    Message(String),
    /// Token usage and cost of one call.
    Usage {
        stage: Stage,
        tokens: TokenUsage,
        cost_usd: f64,
    },
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
                crate::cache::short_hash(&s)
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

/// Context handed to every writer call.
#[derive(Clone)]
pub struct WriterCtx {
    pub cancel: CancellationToken,
    /// LaTeX (latex + dvisvgm) is available, so MathTex can be used.
    pub latex: bool,
    /// At most this many scenes.
    pub max_scenes: usize,
    pub report: Arc<dyn Fn(WriterReport) + Send + Sync>,
    /// Narration timing per scene (1-based), filled in by the narration step before any code is
    /// written; empty for silent videos.
    pub timings: Arc<std::sync::Mutex<std::collections::BTreeMap<u32, SceneTiming>>>,
}

impl WriterCtx {
    pub fn new(cancel: CancellationToken, latex: bool, max_scenes: usize) -> Self {
        WriterCtx {
            cancel,
            latex,
            max_scenes: max_scenes.clamp(1, MAX_SCENES),
            report: Arc::new(|_| {}),
            timings: Arc::default(),
        }
    }

    /// The narration timing of scene `index` (1-based), if it is narrated.
    pub fn timing(&self, index: u32) -> Option<SceneTiming> {
        let t = self.timings.lock().unwrap_or_else(|e| e.into_inner());
        t.get(&index).cloned()
    }

    pub fn set_timing(&self, index: u32, timing: Option<SceneTiming>) {
        let mut t = self.timings.lock().unwrap_or_else(|e| e.into_inner());
        match timing {
            Some(x) => t.insert(index, x),
            None => t.remove(&index),
        };
    }

    pub fn check_cancelled(&self) -> Result<()> {
        if self.cancel.is_cancelled() {
            Err(Error::Cancelled)
        } else {
            Ok(())
        }
    }
}

#[async_trait]
pub trait Writer: Send + Sync {
    /// A short name shown to people and stored with the job (`storyboard`, a profile name…).
    fn name(&self) -> String;
    fn model(&self) -> Option<String> {
        None
    }
    /// Changes whenever the writer's output for the same input would change (prompt version,
    /// model, temperature…): part of the cache key.
    fn cache_key(&self) -> String;
    /// Configuration checks before any work (keys, model availability). Errors here are
    /// configuration errors.
    async fn check(&self, _ctx: &WriterCtx) -> Result<()> {
        Ok(())
    }
    async fn outline(&self, topic: &Topic, ctx: &WriterCtx) -> Result<Outline>;
    async fn plan_scene(
        &self,
        topic: &Topic,
        outline: &Outline,
        index: usize,
        ctx: &WriterCtx,
    ) -> Result<ScenePlan>;
    async fn write_code(
        &self,
        topic: &Topic,
        plan: &ScenePlan,
        class_name: &str,
        ctx: &WriterCtx,
    ) -> Result<String>;
    /// Returns fixed code for a scene whose code failed (render error tail or a static check).
    /// `attempt` starts at 1.
    #[allow(clippy::too_many_arguments)]
    async fn fix_code(
        &self,
        topic: &Topic,
        plan: &ScenePlan,
        class_name: &str,
        code: &str,
        error: &str,
        attempt: u32,
        ctx: &WriterCtx,
    ) -> Result<String>;
}

/// The Scene class name used for scene `index` (1-based).
pub fn scene_class(index: u32) -> String {
    format!("Scene{index:02}")
}
