//! Job model: what a job asks for (request), and what the store knows about it (record).

use crate::error::ErrorPayload;
use crate::progress::Stage;
use crate::topic::Topic;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum JobStatus {
    Queued,
    Running,
    Completed,
    Failed,
    Cancelled,
    Interrupted,
}

impl JobStatus {
    pub const ALL: [JobStatus; 6] = [
        JobStatus::Queued,
        JobStatus::Running,
        JobStatus::Completed,
        JobStatus::Failed,
        JobStatus::Cancelled,
        JobStatus::Interrupted,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            JobStatus::Queued => "queued",
            JobStatus::Running => "running",
            JobStatus::Completed => "completed",
            JobStatus::Failed => "failed",
            JobStatus::Cancelled => "cancelled",
            JobStatus::Interrupted => "interrupted",
        }
    }

    pub fn parse(s: &str) -> Option<JobStatus> {
        JobStatus::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// Queued or running: work may still happen.
    pub fn is_active(self) -> bool {
        matches!(self, JobStatus::Queued | JobStatus::Running)
    }

    /// The states a job can be resumed from (the one list of them).
    pub const RESUMABLE: [JobStatus; 3] = [
        JobStatus::Interrupted,
        JobStatus::Failed,
        JobStatus::Cancelled,
    ];

    /// States a job can be resumed from.
    pub fn is_resumable(self) -> bool {
        JobStatus::RESUMABLE.contains(&self)
    }
}

impl std::fmt::Display for JobStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Render quality; the same for every scene of a job (ffmpeg's stream copy needs that).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Quality {
    /// 480p15 (`-ql`).
    #[default]
    Preview,
    /// 720p30 (`-qm`).
    Standard,
    /// 1080p60 (`-qh`).
    High,
}

impl Quality {
    pub fn as_str(self) -> &'static str {
        match self {
            Quality::Preview => "preview",
            Quality::Standard => "standard",
            Quality::High => "high",
        }
    }
    pub fn parse(s: &str) -> Option<Quality> {
        [Quality::Preview, Quality::Standard, Quality::High]
            .into_iter()
            .find(|q| q.as_str() == s)
    }
    pub fn manim_flag(self) -> &'static str {
        match self {
            Quality::Preview => "-ql",
            Quality::Standard => "-qm",
            Quality::High => "-qh",
        }
    }
}

/// Which writer makes the plans and code. `kind` is `storyboard` (offline, the default) or an LLM
/// provider kind / profile name understood by the writer registry of the caller.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct WriterSpec {
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
    /// The *name* of an environment variable holding the API key; never the key itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_key_env: Option<String>,
}

impl Default for WriterSpec {
    fn default() -> Self {
        WriterSpec {
            kind: "storyboard".into(),
            profile: None,
            model: None,
            base_url: None,
            api_key_env: None,
        }
    }
}

impl WriterSpec {
    /// The names of the offline storyboard writer (`storyboard`, alias `offline`).
    pub const STORYBOARD_NAMES: [&'static str; 2] = ["storyboard", "offline"];

    /// Whether this asks for the offline storyboard writer (no LLM profile named).
    pub fn is_storyboard(&self) -> bool {
        self.profile.is_none() && Self::STORYBOARD_NAMES.contains(&self.kind.as_str())
    }

    pub fn label(&self) -> String {
        self.profile.clone().unwrap_or_else(|| self.kind.clone())
    }
}

/// Layout fixes per scene unless a job says otherwise.
pub const DEFAULT_LAYOUT_FIX_ATTEMPTS: u32 = 2;

/// Options of one job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct JobOptions {
    pub quality: Quality,
    pub writer: WriterSpec,
    /// Cap on the number of scenes (the writer plans 3–6; tests and previews may ask for fewer).
    pub max_scenes: Option<u32>,
    /// How many times a failing scene's code is sent back to the writer to fix.
    pub max_fix_attempts: u32,
    /// How many times a scene that renders but shows a layout error (text off the frame,
    /// texts over each other, text too small) is sent back to the writer, apart from render fixes.
    pub max_layout_fix_attempts: u32,
    /// Who narrates (espeak-ng by default; `none` for silent videos).
    pub voice: super::voice::VoiceSpec,
}

impl Default for JobOptions {
    fn default() -> Self {
        JobOptions {
            quality: Quality::Preview,
            writer: WriterSpec::default(),
            max_scenes: None,
            max_fix_attempts: 3,
            max_layout_fix_attempts: DEFAULT_LAYOUT_FIX_ATTEMPTS,
            voice: super::voice::VoiceSpec::default(),
        }
    }
}

/// Everything needed to run (or re-run, or resume) a job. Stored as JSON with a schema version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobRequest {
    pub schema_version: u32,
    pub topic: Topic,
    pub options: JobOptions,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<PathBuf>,
}

impl JobRequest {
    pub const SCHEMA_VERSION: u32 = 1;

    pub fn new(topic: Topic, options: JobOptions, source: Option<PathBuf>) -> Self {
        JobRequest {
            schema_version: Self::SCHEMA_VERSION,
            topic,
            options,
            source,
        }
    }
}

/// A job as the store knows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobRecord {
    pub id: String,
    pub topic: String,
    pub description: String,
    pub metadata: serde_json::Value,
    pub request: JobRequest,
    pub status: JobStatus,
    pub stage: Stage,
    pub progress: f64,
    pub message: String,
    pub writer: String,
    pub model: Option<String>,
    pub quality: Quality,
    pub source_path: Option<PathBuf>,
    pub cache_dir: Option<PathBuf>,
    pub output_dir: Option<PathBuf>,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    pub error: Option<ErrorPayload>,
    pub video: Option<PathBuf>,
    pub thumbnail: Option<PathBuf>,
    pub duration_secs: Option<f64>,
    pub tokens: TokenUsage,
    pub cost_usd: f64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenUsage {
    pub input: u64,
    pub output: u64,
}

/// A stored progress event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct EventRecord {
    pub id: i64,
    pub stage: Stage,
    pub progress: f64,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub: Option<crate::progress::SubProgress>,
    pub milestone: bool,
    pub at: DateTime<Utc>,
}

/// Where one scene of a job stands; stored and sent as `planned`, `rendering`, `rendered`,
/// `cached`, `failed`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum SceneStatus {
    Planned,
    Rendering,
    Rendered,
    /// Reused from the render cache.
    Cached,
    Failed,
}

impl SceneStatus {
    pub const ALL: [SceneStatus; 5] = [
        SceneStatus::Planned,
        SceneStatus::Rendering,
        SceneStatus::Rendered,
        SceneStatus::Cached,
        SceneStatus::Failed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SceneStatus::Planned => "planned",
            SceneStatus::Rendering => "rendering",
            SceneStatus::Rendered => "rendered",
            SceneStatus::Cached => "cached",
            SceneStatus::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<SceneStatus> {
        SceneStatus::ALL.into_iter().find(|st| st.as_str() == s)
    }
}

impl std::fmt::Display for SceneStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Per-scene state of a job (for details views).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SceneRecord {
    pub index: u32,
    pub title: String,
    pub status: SceneStatus,
    pub code_version: Option<u32>,
    pub video: Option<PathBuf>,
    pub snapshot: Option<PathBuf>,
    pub duration_secs: Option<f64>,
    pub error: Option<String>,
}

/// Counts per status for the history's stats row.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct JobStats {
    pub total: u64,
    pub queued: u64,
    pub running: u64,
    pub completed: u64,
    pub failed: u64,
    pub cancelled: u64,
    pub interrupted: u64,
}

/// A page of the history.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct JobQuery {
    /// Case-insensitive substring of the topic.
    pub search: Option<String>,
    pub status: Option<JobStatus>,
    pub limit: u32,
    pub offset: u32,
}

impl JobRecord {
    /// `Ok` when the job may resume; otherwise the conflict every front end shows.
    pub fn ensure_resumable(&self) -> crate::error::Result<()> {
        if self.status.is_resumable() {
            return Ok(());
        }
        Err(crate::error::Error::Conflict(format!(
            "job {} is {}; only interrupted, failed or cancelled jobs resume",
            short_id(&self.id),
            self.status
        )))
    }
}

/// The first 8 characters of a job id, as shown to people.
pub fn short_id(id: &str) -> &str {
    &id[..id.len().min(8)]
}
