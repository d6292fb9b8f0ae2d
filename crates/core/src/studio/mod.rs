//! The scene studio: one scene of a finished (or failed) job changed and the video made again.
//! One module per action; each turns the [`SceneEdit`] into the edited scene's new source. The
//! run goes through the same stages as a job ([`Pipeline::run_with`] with the job's own scenes):
//! the other scenes reuse their narration, code and renders, so only the edited scene's work is
//! done, then combining and finalizing. The result is a new video version; earlier ones stay.
//!
//! A failed or cancelled edit records no scene or video version: the job's status says how the
//! edit ended (`failed`/`cancelled`, with the error), while its video stays the last good one.

mod code;
mod detail;
mod drop;
mod instruct;
mod narration;
mod regenerate;
mod restore;
mod retry;

use crate::app::App;
use crate::error::{Error, InputProblem, Result};
use crate::model::job::{short_id, JobRecord, JobStatus};
use crate::model::versions::{SceneEdit, SceneVersion, VideoVersion};
use crate::pipeline::overlay::{EditTarget, Overlay, SceneSource};
use crate::pipeline::versions::{current_overlay, first_versions};
use crate::progress::SharedSink;
use crate::writer::Writer;
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

/// The states a job may be edited from.
pub const EDITABLE: [JobStatus; 4] = [
    JobStatus::Completed,
    JobStatus::Failed,
    JobStatus::Cancelled,
    JobStatus::Interrupted,
];

/// What an action works on: the edited scene's source (as it is now), its versions, the writer.
pub(crate) struct Target<'a> {
    pub src: &'a mut SceneSource,
    /// Every version of the scene, oldest first (never empty).
    pub versions: &'a [SceneVersion],
    pub writer: &'a dyn Writer,
    /// How many scenes of the video are not left out (the edited one included).
    pub kept_scenes: usize,
}

impl Target<'_> {
    /// The current code (every source an edit starts from is given code).
    pub fn code(&self) -> String {
        match &self.src.code {
            crate::pipeline::overlay::CodeSource::Given(c)
            | crate::pipeline::overlay::CodeSource::Person(c)
            | crate::pipeline::overlay::CodeSource::Retimed(c) => c.clone(),
            crate::pipeline::overlay::CodeSource::Revise { code, .. } => code.clone(),
            crate::pipeline::overlay::CodeSource::Write => String::new(),
        }
    }
}

/// An edit ready to run.
pub struct PreparedEdit {
    pub job: JobRecord,
    pub overlay: Overlay,
    pub writer: Arc<dyn Writer>,
}

/// An empty or whitespace-only text where text is needed.
pub(crate) fn needs_text(what: &str, text: &str) -> Result<()> {
    if text.trim().is_empty() {
        return Err(Error::InvalidField(InputProblem::Other(format!(
            "the {what} is empty"
        ))));
    }
    Ok(())
}

impl App {
    /// Checks an edit and makes it ready to run; writes nothing but version 0 of the job's
    /// scenes when it has none yet. Errors: the job is active (`conflict`), the scene or version
    /// does not exist (`not_found`), empty text (`invalid_input`), the writer cannot follow
    /// instructions (`config`, [`Error::Unsupported`]).
    pub fn prepare_edit(&self, job: &str, index: u32, edit: &SceneEdit) -> Result<PreparedEdit> {
        let job = self.store.job(job)?;
        if !EDITABLE.contains(&job.status) {
            return Err(Error::Conflict(format!(
                "job {} is {}; a scene can be changed once the job has ended",
                short_id(&job.id),
                job.status
            )));
        }
        let scenes = self.store.scenes(&job.id)?;
        let n = scenes.len();
        if !scenes.iter().any(|s| s.index == index) {
            return Err(Error::NotFound(format!(
                "scene {index} of job {} (it has {n} scene{}{})",
                short_id(&job.id),
                if n == 1 { "" } else { "s" },
                if n > 0 {
                    format!(": 1 to {n}")
                } else {
                    String::new()
                }
            )));
        }
        let writer = self.writer(&job.request.options.writer)?;
        // Checks that need no versions come first, so bad input changes nothing.
        match edit {
            SceneEdit::Narration(t) => needs_text("narration", t)?,
            SceneEdit::Code(c) => needs_text("code", c)?,
            SceneEdit::Instruct(t) => {
                needs_text("instruction", t)?;
                if !writer.can_revise() {
                    return Err(Error::Unsupported(writer.revise_refusal()));
                }
            }
            _ => {}
        }
        first_versions(&self.store, &job)?;
        let job = self.store.job(&job.id)?;
        let mut overlay = current_overlay(&self.store, &job)?
            .ok_or_else(|| Error::Internal("the job's scene versions are gone".into()))?;
        let versions = self.store.scene_versions(&job.id, index)?;
        let kept_scenes = overlay.scenes.iter().filter(|s| !s.dropped).count();
        let pos = overlay
            .scenes
            .iter()
            .position(|s| s.plan.index == index)
            .ok_or_else(|| Error::NotFound(format!("scene {index}")))?;
        let from = versions.last().map(|v| v.version);
        let mut target = Target {
            src: &mut overlay.scenes[pos],
            versions: &versions,
            writer: writer.as_ref(),
            kept_scenes,
        };
        let from_version = match edit {
            SceneEdit::Narration(t) => narration::apply(&mut target, t).map(|_| from)?,
            SceneEdit::Code(c) => code::apply(&mut target, c).map(|_| from)?,
            SceneEdit::Instruct(t) => instruct::apply(&mut target, t, self, &job).map(|_| from)?,
            SceneEdit::Regenerate => regenerate::apply(&mut target).map(|_| from)?,
            SceneEdit::Restore(v) => restore::apply(&mut target, *v, &job)?,
            SceneEdit::Retry => retry::apply(&mut target).map(|_| from)?,
            SceneEdit::Drop => drop::apply(&mut target).map(|_| from)?,
        };
        let new_version = from.map_or(0, |v| v + 1);
        overlay.scenes[pos].version = new_version;
        let change = edit.change();
        let note = match edit {
            SceneEdit::Drop => format!("scene {index} left out of the video"),
            SceneEdit::Restore(v) => format!("scene {index}: version {v} restored"),
            _ => format!("scene {index}: {}", change.label()),
        };
        overlay.edit = Some(EditTarget {
            index,
            change,
            from_version,
            note,
        });
        Ok(PreparedEdit {
            job,
            overlay,
            writer,
        })
    }

    /// Runs an edit of scene `index` of `job` as a run of that job (same id, same progress
    /// events and event log) and returns the job's record: `completed` with the new video
    /// version as its video, or `failed`/`cancelled` with the previous video kept. Input errors
    /// (see [`App::prepare_edit`]) are returned before anything runs.
    pub async fn execute_edit(
        &self,
        job_id: &str,
        index: u32,
        edit: SceneEdit,
        sink: SharedSink,
        cancel: CancellationToken,
    ) -> Result<JobRecord> {
        let prepared = self.prepare_edit(job_id, index, &edit)?;
        let pipeline = match self.pipeline() {
            Ok(p) => p,
            Err(e) => return Err(e),
        };
        pipeline
            .run_with(
                &prepared.job.id,
                prepared.writer,
                sink,
                cancel,
                &EDITABLE,
                Some(prepared.overlay),
            )
            .await
    }

    /// The job's video versions, oldest first (a finished job from before the studio shows its
    /// one video as version 0).
    pub fn video_versions(&self, job: &str) -> Result<Vec<VideoVersion>> {
        let job = self.store.job(job)?;
        let stored = self.store.video_versions(&job.id)?;
        if !stored.is_empty() {
            return Ok(stored);
        }
        Ok(job
            .video
            .iter()
            .filter(|_| job.status == JobStatus::Completed)
            .map(|v| VideoVersion {
                version: 0,
                change: crate::model::versions::ChangeKind::Generated,
                scene: None,
                video: v.clone(),
                duration_secs: job.duration_secs,
                created_at: job.finished_at.map(crate::store::ts).unwrap_or_default(),
                note: "generated".into(),
            })
            .collect())
    }
}
