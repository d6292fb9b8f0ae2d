//! A job's own scenes, used instead of the shared per-topic cache once the job has scene
//! versions (the scene studio's edits, and any later run of an edited job). Plans, narration
//! and code come from here; renders are still cached by code hash, and a fix made in such a run
//! goes nowhere but this job (never into the cache another job on the same topic reads).

use crate::layout::Finding;
use crate::model::plan::ScenePlan;
use crate::model::versions::ChangeKind;
use std::path::{Path, PathBuf};

/// Where a scene's code comes from in a run with an overlay.
#[derive(Debug, Clone)]
pub enum CodeSource {
    /// This code, as it is.
    Given(String),
    /// Code a person typed or loaded in the scene studio: rendered as given and never rewritten
    /// by the writer. If it fails to render the edit fails (the last good video stays); its
    /// layout findings are recorded and shown, not sent to the writer's fix step.
    Person(String),
    /// This code, unless the writer timed it to other narration (its `# narration timing:` tag
    /// differs from the scene's timing now): then the writer writes it again.
    Retimed(String),
    /// The writer writes it from the plan.
    Write,
    /// The writer revises `code` following `instruction`.
    Revise {
        code: String,
        instruction: String,
        findings: Vec<Finding>,
    },
}

/// One scene of a job with an overlay.
#[derive(Debug, Clone)]
pub struct SceneSource {
    /// The plan, its narration the scene's current (or newly edited) narration.
    pub plan: ScenePlan,
    pub code: CodeSource,
    /// The scene version this run renders (the new one for the edited scene).
    pub version: u32,
    /// Left out of the video.
    pub dropped: bool,
}

/// The scene an edit changes: it gets a new scene version, the video a new video version.
#[derive(Debug, Clone)]
pub struct EditTarget {
    pub index: u32,
    pub change: ChangeKind,
    /// The scene version the new one is made from.
    pub from_version: Option<u32>,
    /// The video version's note ("scene 2: narration edited").
    pub note: String,
}

/// Every scene of the job, in order, and what this run changes.
#[derive(Debug, Clone)]
pub struct Overlay {
    pub scenes: Vec<SceneSource>,
    /// `None`: a run of an edited job that changes no scene (a resume).
    pub edit: Option<EditTarget>,
    /// The video version this run makes.
    pub video_version: u32,
}

impl Overlay {
    pub fn scene(&self, index: u32) -> Option<&SceneSource> {
        self.scenes.iter().find(|s| s.plan.index == index)
    }

    pub fn is_dropped(&self, index: u32) -> bool {
        self.scene(index).is_some_and(|s| s.dropped)
    }
}

/// Where a job keeps its own scene files: `<output dir>/studio/scene-NN/`.
pub fn scene_dir(out_dir: &Path, index: u32) -> PathBuf {
    out_dir.join("studio").join(format!("scene-{index:02}"))
}

/// The job's file of scene version `version`'s code.
pub fn code_file(out_dir: &Path, index: u32, version: u32) -> PathBuf {
    scene_dir(out_dir, index).join(format!("v{version}.py"))
}

/// The job's copy of a scene's plan.
pub fn plan_file(out_dir: &Path, index: u32) -> PathBuf {
    scene_dir(out_dir, index).join("plan.json")
}

/// The render log of a scene version rendered with an overlay.
pub fn log_file(out_dir: &Path, index: u32, version: u32) -> PathBuf {
    scene_dir(out_dir, index).join(format!("render-v{version}.log"))
}

/// Where video version `version` is written: the output dir itself for version 0 (`video.mp4`,
/// `video.srt`, `thumbnail.png`, `snapshots/`), `versions/vN/` inside it after.
pub fn video_dir(out_dir: &Path, version: u32) -> PathBuf {
    if version == 0 {
        out_dir.to_path_buf()
    } else {
        out_dir.join("versions").join(format!("v{version}"))
    }
}
