//! The scene studio's model: versions of a job's scenes and videos, the edits a user asks for,
//! and one scene as the studio shows it. Plain data; the store keeps versions
//! (`store::versions`), `studio` runs edits.

use crate::layout::Finding;
use crate::model::job::SceneStatus;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// What made a scene version or a video version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// What the pipeline made (version 0).
    Generated,
    /// The narration text was edited.
    Narration,
    /// The code was edited by hand.
    Code,
    /// The writer revised the code following an instruction.
    Instruction,
    /// The writer wrote the code from the plan again.
    Regenerate,
    /// An earlier version was brought back.
    Restore,
    /// A (failed) scene was rendered again, with fresh fix attempts.
    Retry,
    /// The scene was left out of the video.
    DropScene,
}

impl ChangeKind {
    pub const ALL: [ChangeKind; 8] = [
        ChangeKind::Generated,
        ChangeKind::Narration,
        ChangeKind::Code,
        ChangeKind::Instruction,
        ChangeKind::Regenerate,
        ChangeKind::Restore,
        ChangeKind::Retry,
        ChangeKind::DropScene,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Generated => "generated",
            ChangeKind::Narration => "narration",
            ChangeKind::Code => "code",
            ChangeKind::Instruction => "instruction",
            ChangeKind::Regenerate => "regenerate",
            ChangeKind::Restore => "restore",
            ChangeKind::Retry => "retry",
            ChangeKind::DropScene => "drop_scene",
        }
    }

    pub fn parse(s: &str) -> Option<ChangeKind> {
        ChangeKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// In words, for lists ("narration edited").
    pub fn label(self) -> &'static str {
        match self {
            ChangeKind::Generated => "generated",
            ChangeKind::Narration => "narration edited",
            ChangeKind::Code => "code edited",
            ChangeKind::Instruction => "revised by instruction",
            ChangeKind::Regenerate => "code regenerated",
            ChangeKind::Restore => "version restored",
            ChangeKind::Retry => "retried",
            ChangeKind::DropScene => "scene left out",
        }
    }
}

impl std::fmt::Display for ChangeKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One version of one scene of a job: its narration and the code it renders (a file of the
/// job's own, never the shared cache's). A version whose change is [`ChangeKind::DropScene`]
/// leaves the scene out of the video.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SceneVersion {
    /// 1-based scene number.
    pub index: u32,
    /// 0 for what the pipeline made, then 1, 2, … per change.
    pub version: u32,
    pub change: ChangeKind,
    pub narration: String,
    pub code_path: PathBuf,
    /// RFC 3339.
    pub created_at: String,
    /// The version this one was made from (the restored one for a restore).
    pub from_version: Option<u32>,
}

impl SceneVersion {
    /// Left out of the video.
    pub fn is_dropped(&self) -> bool {
        self.change == ChangeKind::DropScene
    }
}

/// One version of a job's video. Every version's file stays on disk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct VideoVersion {
    /// 0 for the pipeline's video, then 1, 2, … per edit.
    pub version: u32,
    pub change: ChangeKind,
    /// The scene the edit changed (`None` for version 0).
    pub scene: Option<u32>,
    pub video: PathBuf,
    pub duration_secs: Option<f64>,
    /// RFC 3339.
    pub created_at: String,
    /// What changed, in words ("scene 2: narration edited"; a dropped scene says so).
    pub note: String,
}

/// A change to one scene. Serialized as `{"kind": "narration", "value": "…"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum SceneEdit {
    /// New narration text; the scene is re-narrated and its code re-timed to it (code the writer
    /// timed to the old narration is written again; other code is kept and the clip holds its
    /// last frame while the narration runs on).
    Narration(String),
    /// New code, rendered as given and never rewritten by the writer: if it fails to render
    /// the edit fails (the last good video stays); layout findings are shown, not auto-fixed.
    Code(String),
    /// An instruction for the job's LLM writer, which revises the current code.
    Instruct(String),
    /// The writer writes the code from the plan again (the storyboard writer is deterministic:
    /// the same plan and narration give the same code).
    Regenerate,
    /// Brings back scene version N (its narration and code) as a new version.
    Restore(u32),
    /// Renders the current version again with fresh fix attempts (for a failed scene).
    Retry,
    /// Makes the video without this scene.
    Drop,
}

impl SceneEdit {
    pub fn change(&self) -> ChangeKind {
        match self {
            SceneEdit::Narration(_) => ChangeKind::Narration,
            SceneEdit::Code(_) => ChangeKind::Code,
            SceneEdit::Instruct(_) => ChangeKind::Instruction,
            SceneEdit::Regenerate => ChangeKind::Regenerate,
            SceneEdit::Restore(_) => ChangeKind::Restore,
            SceneEdit::Retry => ChangeKind::Retry,
            SceneEdit::Drop => ChangeKind::DropScene,
        }
    }
}

/// One scene as the studio shows it: its current version and everything about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SceneDetail {
    pub index: u32,
    pub title: String,
    pub status: SceneStatus,
    /// The current scene version.
    pub version: u32,
    /// Length of the scene's clip, seconds.
    pub duration_secs: Option<f64>,
    pub narration: String,
    /// The scene's plan as text (storyboard, then technical notes).
    pub plan: String,
    pub code: String,
    pub code_path: PathBuf,
    /// The scene's own clip.
    pub video: Option<PathBuf>,
    pub snapshot: Option<PathBuf>,
    /// The last lines of the scene's render log.
    pub render_log: Vec<String>,
    pub error: Option<String>,
    /// The layout check's findings for the rendered code.
    pub findings: Vec<Finding>,
    /// Left out of the video (its latest version is a drop).
    pub dropped: bool,
    /// Why "Revise with instructions" cannot run with this job's writer (`None`: it can).
    pub revise_unsupported: Option<String>,
    /// Every version of the scene, oldest first.
    pub versions: Vec<SceneVersion>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_serialize_tagged_and_kinds_round_trip() {
        let e = SceneEdit::Narration("Hello.".into());
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"kind": "narration", "value": "Hello."})
        );
        let r: SceneEdit =
            serde_json::from_value(serde_json::json!({"kind": "restore", "value": 2})).unwrap();
        assert_eq!(r, SceneEdit::Restore(2));
        let d: SceneEdit = serde_json::from_value(serde_json::json!({"kind": "drop"})).unwrap();
        assert_eq!(d.change(), ChangeKind::DropScene);
        for k in ChangeKind::ALL {
            let s = serde_json::to_value(k).unwrap();
            assert_eq!(s, serde_json::Value::String(k.as_str().into()));
            assert_eq!(ChangeKind::parse(k.as_str()), Some(k));
        }
    }
}
