//! Theory2Video's core: the pipeline that turns a topic into an explainer video, with no Tauri
//! and no webkit dependency. The CLI and the desktop app are thin adapters over it.
//!
//! - [`topic`]: topic files (Markdown, text, TheoremExplainBench JSON) and form input.
//! - [`form`]: the rules for a topic typed into a form (the same in the CLI and the app).
//! - [`progress`]: stages, progress events, the monotonic tracker.
//! - [`store`]: the SQLite job store with migrations and the event log.
//! - [`writer`]: the `Writer` trait and the offline storyboard writer.
//! - [`cache`]: the validated per-topic artefact cache.
//! - [`render`]: the Python venv, Manim child processes, ffmpeg/ffprobe, the sandbox.
//! - [`pipeline`]: the job runner, one module per stage.
//! - [`studio`]: the scene studio (edit one scene, make a new video version).
//! - [`app`]: the façade the CLI and the desktop app use (data dir, settings, job control).

pub mod app;
pub mod cache;
pub mod cleanup;
pub mod doctor;
pub mod error;
pub mod form;
pub mod lang;
pub mod layout;
pub mod logging;
pub mod manager;
pub mod model;
pub mod paths;
pub mod pipeline;
pub mod progress;
pub mod render;
pub mod settings;
pub mod slug;
pub mod store;
pub mod studio;
pub mod topic;
pub mod util;
pub mod voice;
pub mod writer;

pub use model::job;

pub use error::{Error, ErrorCode, ErrorPayload, Result};
pub use job::{JobOptions, JobQuery, JobRecord, JobRequest, JobStatus, Quality, WriterSpec};
pub use progress::{ProgressEvent, ProgressSink, ProgressTracker, Stage, SubProgress};
pub use tokio_util::sync::CancellationToken;
pub use topic::Topic;
