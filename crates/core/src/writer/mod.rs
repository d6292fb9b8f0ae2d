//! Writers make the pipeline's generative artefacts: the scene outline, a plan per scene, Manim
//! code per scene, fixed code after a render error, and (LLM writers) code revised by a person's instruction. The offline [`storyboard`] writer is the
//! default; LLM writers implement the same trait in their own crate.

pub mod storyboard;

pub use crate::model::plan::{
    scene_class, timing_mark, Outline, SceneOutline, ScenePlan, SceneTiming, MAX_SCENES,
    TIMING_MARK,
};

use crate::error::{Error, Result};
use crate::model::job::TokenUsage;
use crate::progress::Stage;
use crate::topic::Topic;
use async_trait::async_trait;
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

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

    /// Whether [`Writer::revise_code`] follows instructions (LLM writers do; the offline
    /// storyboard writer does not).
    fn can_revise(&self) -> bool {
        false
    }

    /// Why [`Writer::revise_code`] cannot run, in words a user can act on.
    fn revise_refusal(&self) -> String {
        format!(
            "the writer {} cannot follow instructions; choose an LLM writer in Settings",
            self.name()
        )
    }

    /// New code for a scene following a person's `instruction`, from its current `code`, its
    /// plan and the layout check's `findings` on that code. Writers that cannot
    /// ([`Writer::can_revise`] is false) return [`Error::Unsupported`].
    #[allow(clippy::too_many_arguments)]
    async fn revise_code(
        &self,
        _topic: &Topic,
        _plan: &ScenePlan,
        _class_name: &str,
        _code: &str,
        _instruction: &str,
        _findings: &[crate::layout::Finding],
        _ctx: &WriterCtx,
    ) -> Result<String> {
        Err(Error::Unsupported(self.revise_refusal()))
    }
}
