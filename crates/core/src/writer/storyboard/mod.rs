//! The built-in offline storyboard writer: deterministic, no network, no key. It reads the topic's
//! description, `##` sections, bullets and `$…$`/`$$…$$` math, plans 3–6 scenes (title,
//! statement, key points or sections, formulas, summary) and writes Manim code from templates.
//! Narration is written to be read aloud (math spoken, no Markdown), one beat per visual step;
//! when the scene's narration has been timed, the templates follow it.

pub(crate) mod design;
pub mod extract;
mod manim;
mod phrases;
mod pictured;
pub mod share;
mod sources;
mod timing;
pub mod visuals;
mod words;

use super::{Outline, SceneOutline, ScenePlan, Writer, WriterCtx};
use crate::error::{Error, Result};
use crate::topic::Topic;
use async_trait::async_trait;
pub use design::{design, Formula, SceneSpec};
pub use manim::{py_str, CodeStyle};
pub use share::{picture_share, topic_share, PictureShare};

#[derive(Debug, Default, Clone)]
pub struct StoryboardWriter;

impl StoryboardWriter {
    pub fn new() -> Self {
        StoryboardWriter
    }
}

fn spec_for(topic: &Topic, outline: &Outline, index: usize, ctx: &WriterCtx) -> SceneSpec {
    let scene = &outline.scenes[index];
    let specs = design(topic, ctx.max_scenes);
    specs
        .into_iter()
        .find(|s| s.kind == scene.kind && s.title == scene.title)
        .unwrap_or_else(|| SceneSpec::generic(&scene.title, &scene.purpose))
}

#[async_trait]
impl Writer for StoryboardWriter {
    fn name(&self) -> String {
        "storyboard".into()
    }

    fn cache_key(&self) -> String {
        format!(
            "storyboard-{}",
            &crate::slug::hash_parts(&sources::texts())[..16]
        )
    }

    async fn outline(&self, topic: &Topic, ctx: &WriterCtx) -> Result<Outline> {
        ctx.check_cancelled()?;
        let scenes = design(topic, ctx.max_scenes)
            .into_iter()
            .map(|s| SceneOutline {
                title: s.title.clone(),
                purpose: s.purpose.clone(),
                kind: s.kind,
            })
            .collect();
        Ok(Outline {
            topic: topic.title.clone(),
            scenes,
        })
    }

    async fn plan_scene(
        &self,
        topic: &Topic,
        outline: &Outline,
        index: usize,
        ctx: &WriterCtx,
    ) -> Result<ScenePlan> {
        ctx.check_cancelled()?;
        if index >= outline.scenes.len() {
            return Err(Error::Internal(format!(
                "no scene {} in the outline",
                index + 1
            )));
        }
        let spec = spec_for(topic, outline, index, ctx);
        Ok(ScenePlan {
            index: index as u32 + 1,
            title: outline.scenes[index].title.clone(),
            storyboard: spec.storyboard(),
            technical_notes: spec.technical_notes(),
            narration: spec.narration.clone(),
            data: serde_json::to_value(&spec).map_err(|e| Error::Internal(e.to_string()))?,
        })
    }

    async fn write_code(
        &self,
        _topic: &Topic,
        plan: &ScenePlan,
        class_name: &str,
        ctx: &WriterCtx,
    ) -> Result<String> {
        ctx.check_cancelled()?;
        let spec = plan_spec(plan);
        Ok(manim::scene_code(
            &spec,
            class_name,
            CodeStyle {
                latex: ctx.latex,
                simple: false,
            },
            ctx.timing(plan.index).as_ref(),
        ))
    }

    fn revise_refusal(&self) -> String {
        "the offline storyboard writer cannot follow instructions; choose an LLM writer in Settings"
            .into()
    }

    async fn fix_code(
        &self,
        _topic: &Topic,
        plan: &ScenePlan,
        class_name: &str,
        _code: &str,
        error: &str,
        attempt: u32,
        ctx: &WriterCtx,
    ) -> Result<String> {
        ctx.check_cancelled()?;
        // The templates are known-good; what fails is user text: LaTeX that does not compile, or
        // glyphs a font lacks. First drop LaTeX, then fall back to the plainest layout.
        let tex_failed = ["latex", "LaTeX", "Tex", "tex_", "dvisvgm"]
            .iter()
            .any(|w| error.contains(w));
        let style = match attempt {
            1 if tex_failed || ctx.latex => CodeStyle {
                latex: false,
                simple: false,
            },
            _ => CodeStyle {
                latex: false,
                simple: true,
            },
        };
        Ok(manim::scene_code(
            &plan_spec(plan),
            class_name,
            style,
            ctx.timing(plan.index).as_ref(),
        ))
    }
}

fn plan_spec(plan: &ScenePlan) -> SceneSpec {
    serde_json::from_value(plan.data.clone())
        .unwrap_or_else(|_| SceneSpec::generic(&plan.title, &plan.storyboard))
}

#[cfg(test)]
mod tests;
