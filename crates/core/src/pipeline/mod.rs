//! The job runner. One module per stage; each takes the shared [`JobRun`] and the previous
//! stage's output. Cancellation reaches every stage through `JobRun::cancel`; every artefact is
//! cached so that a resumed or re-run job redoes nothing that is valid.

mod code_generation;
mod events;
mod finalizing;
mod implementation_planning;
mod initializing;
mod layout_fix;
mod narration;
pub mod overlay;
mod planning;
mod scene_rendering;
pub mod versions;
mod video_combining;

pub use events::StoreSink;

use crate::cache::TopicCache;
use crate::error::{Error, Result};
use crate::model::job::{short_id, JobOptions, JobRecord, JobStatus, SceneRecord, SceneStatus};
use crate::paths::DataDir;
use crate::progress::{ProgressTracker, SharedSink, Stage};
use crate::render::Renderer;
use crate::store::Store;
use crate::topic::Topic;
use crate::voice::VoiceFactory;
use crate::writer::{ScenePlan, Writer, WriterCtx, WriterReport};
use futures::StreamExt;
use std::io::Write as _;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use tokio_util::sync::CancellationToken;

/// Shared, long-lived parts the runner needs.
#[derive(Clone)]
pub struct Pipeline {
    pub data: DataDir,
    pub store: Arc<Store>,
    pub renderer: Arc<Renderer>,
    /// Makes each job's narrator from its voice spec.
    pub voices: Arc<dyn VoiceFactory>,
    /// Scenes rendered (and written) at once.
    pub concurrency: usize,
}

/// One scene's code, chosen for rendering.
#[derive(Debug, Clone)]
pub struct SceneCode {
    pub index: u32,
    pub class_name: String,
    pub version: u32,
    pub code: String,
    /// Typed by a person in the scene studio: rendered as given, never sent to the writer's
    /// fix step (see `overlay::CodeSource::Person`).
    pub by_person: bool,
}

/// A rendered scene.
#[derive(Debug, Clone)]
pub struct RenderedScene {
    pub index: u32,
    pub video: PathBuf,
    pub cached: bool,
    /// The code version rendered, and its code.
    pub version: u32,
    pub code: String,
}

/// Everything a running job's stages share.
pub struct JobRun {
    pub job: JobRecord,
    pub topic: Topic,
    pub opts: JobOptions,
    pub data: DataDir,
    pub store: Arc<Store>,
    pub renderer: Arc<Renderer>,
    pub writer: Arc<dyn Writer>,
    pub tracker: Arc<ProgressTracker>,
    pub cancel: CancellationToken,
    pub wctx: WriterCtx,
    pub cache: TopicCache,
    pub out_dir: PathBuf,
    pub concurrency: usize,
    /// The narrator, or `None` for a silent video.
    pub voice: Option<Arc<dyn crate::voice::Voice>>,
    /// The job's own scenes, once it has scene versions (see [`overlay`]).
    pub overlay: Option<overlay::Overlay>,
    /// Where this run's video, subtitles, thumbnail and snapshots go ([`overlay::video_dir`]).
    pub video_dir: PathBuf,
    log: Mutex<Option<std::fs::File>>,
}

impl JobRun {
    /// Appends a line to the job's log file (in its output folder).
    pub fn log(&self, line: impl AsRef<str>) {
        let line = line.as_ref();
        tracing::info!(job = short_id(&self.job.id), "{line}");
        let mut f = self.log.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(f) = f.as_mut() {
            let _ = writeln!(f, "{} {line}", chrono::Utc::now().format("%H:%M:%S%.3f"));
        }
    }

    /// Saves a fixed version of scene `index`'s code and returns its version: a new version in
    /// the topic cache, or, for a job with its own scenes, the same version kept in memory (the
    /// job records the code it keeps when it finishes; nothing goes into the shared cache).
    pub fn save_fixed_code(&self, index: u32, version: u32, code: &str) -> Result<u32> {
        if self.overlay.is_some() {
            return Ok(version);
        }
        self.cache.save_new_code(index, version + 1, code)
    }

    /// Where the render log of a scene's code version goes.
    pub fn render_log_path(&self, index: u32, version: u32) -> PathBuf {
        if self.overlay.is_some() {
            overlay::log_file(&self.out_dir, index, version)
        } else {
            self.cache.log_path(index, version)
        }
    }

    pub fn check_cancelled(&self) -> Result<()> {
        if self.cancel.is_cancelled() {
            Err(Error::Cancelled)
        } else {
            Ok(())
        }
    }

    pub fn scene_record(&self, index: u32, title: &str, status: SceneStatus) -> SceneRecord {
        SceneRecord {
            index,
            title: title.to_string(),
            status,
            code_version: None,
            video: None,
            snapshot: None,
            duration_secs: None,
            error: None,
        }
    }

    /// Runs `f` for scenes `1..=n`, at most `limit` at once, in completion order; returns results
    /// in scene order. On the first error the others are cancelled and the error is returned.
    pub async fn for_each_scene<T, F, Fut>(&self, n: u32, limit: usize, f: F) -> Result<Vec<T>>
    where
        F: Fn(u32, CancellationToken) -> Fut,
        Fut: std::future::Future<Output = Result<T>>,
    {
        let group = self.cancel.child_token();
        let mut results: Vec<Option<T>> = (0..n).map(|_| None).collect();
        let mut stream = futures::stream::iter(1..=n)
            .map(|i| {
                let tok = group.clone();
                let fut = f(i, tok);
                async move { (i, fut.await) }
            })
            .buffer_unordered(limit.max(1));
        let mut first_err: Option<Error> = None;
        while let Some((i, r)) = stream.next().await {
            match r {
                Ok(v) => results[(i - 1) as usize] = Some(v),
                Err(e) => {
                    group.cancel();
                    // Prefer the real error over the cancellations it caused.
                    if first_err
                        .as_ref()
                        .is_none_or(|f| matches!(f, Error::Cancelled))
                    {
                        first_err = Some(e);
                    }
                }
            }
        }
        if self.cancel.is_cancelled() {
            return Err(Error::Cancelled);
        }
        if let Some(e) = first_err {
            return Err(e);
        }
        Ok(results
            .into_iter()
            .map(|r| r.expect("every scene produced a result"))
            .collect())
    }
}

impl Pipeline {
    /// Runs (or resumes) job `job_id` to the end. `from` lists the states it may start from.
    /// Progress goes to the store (throttled) and to `sink`. Returns the final record; the job's
    /// failure is recorded in it, not returned as `Err` (which is kept for store faults).
    pub async fn run(
        &self,
        job_id: &str,
        writer: Arc<dyn Writer>,
        sink: SharedSink,
        cancel: CancellationToken,
        from: &[JobStatus],
    ) -> Result<JobRecord> {
        self.run_with(job_id, writer, sink, cancel, from, None)
            .await
    }

    /// [`Pipeline::run`] with the job's own scenes (`overlay`): the scene studio's edits and
    /// any run of an edited job. An edit starts its progress afresh (same job, same event log);
    /// its video is a new video version, and a failed or cancelled edit leaves the job's last
    /// good video in its record.
    pub async fn run_with(
        &self,
        job_id: &str,
        writer: Arc<dyn Writer>,
        sink: SharedSink,
        cancel: CancellationToken,
        from: &[JobStatus],
        overlay: Option<overlay::Overlay>,
    ) -> Result<JobRecord> {
        let job = self.store.job(job_id)?;
        let editing = overlay.as_ref().and_then(|o| o.edit.as_ref());
        let resuming = job.status != JobStatus::Queued && editing.is_none();
        let message = match editing {
            Some(e) => format!("Editing scene {}: {}", e.index, e.change.label()),
            None if resuming => "Resuming".to_string(),
            None => "Starting".to_string(),
        };
        self.store
            .transition(&job.id, from, JobStatus::Running, &message)?;
        if editing.is_some() {
            self.store.restart_progress(&job.id)?;
        }
        let store_sink: SharedSink = Arc::new(StoreSink::new(self.store.clone(), sink));
        let tracker = Arc::new(if resuming {
            ProgressTracker::resume_from(&job.id, store_sink, job.stage, job.progress)
        } else {
            ProgressTracker::new(&job.id, store_sink)
        });
        let opts = job.request.options.clone();
        let latex = self.renderer.latex;
        let max_scenes = opts.max_scenes.map_or(6, |m| m as usize);
        let mut wctx = WriterCtx::new(cancel.clone(), latex, max_scenes);
        let store = self.store.clone();
        let jid = job.id.clone();
        let notes = tracker.clone();
        wctx.report = Arc::new(move |r| match r {
            WriterReport::Usage {
                tokens, cost_usd, ..
            } => {
                let _ = store.add_usage(&jid, tokens, cost_usd);
            }
            WriterReport::Message(m) => notes.note(m),
        });
        let topic = job.request.topic.clone();
        let cache = TopicCache::for_topic(&self.data, &topic, &writer.cache_key(), latex);
        let out_dir = self.data.videos().join(format!(
            "{}-{}",
            crate::slug::readable(&topic.title),
            short_id(&job.id)
        ));
        let _ = std::fs::create_dir_all(&out_dir);
        let video_dir =
            overlay::video_dir(&out_dir, overlay.as_ref().map_or(0, |o| o.video_version));
        if video_dir != out_dir {
            // Left over from an edit that failed: this version starts empty.
            let _ = std::fs::remove_dir_all(&video_dir);
        }
        let _ = std::fs::create_dir_all(&video_dir);
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(out_dir.join("job.log"))
            .ok();
        self.store.set_dirs(&job.id, cache.dir(), &out_dir)?;
        let spoken = crate::voice::for_language(&opts.voice, crate::lang::Lang::of_topic(&topic));
        let (voice, voice_problem) = match self.voices.create(&spoken) {
            Ok(v) => (v, None),
            Err(e) => (None, Some(e)),
        };
        let run = JobRun {
            job,
            topic,
            opts,
            data: self.data.clone(),
            store: self.store.clone(),
            renderer: self.renderer.clone(),
            writer,
            tracker,
            cancel,
            wctx,
            cache,
            out_dir,
            concurrency: self.concurrency.max(1),
            voice,
            overlay,
            video_dir,
            log: Mutex::new(log),
        };
        if let Some(e) = voice_problem {
            run.log(format!("WARNING: narration is off: [{}] {e}", e.code()));
        }
        let outcome = stages(&run).await;
        match outcome {
            Ok(()) => {}
            Err(e) => {
                // A failed or cancelled job leaves no warm worker behind.
                self.renderer.warm.discard(&run.job.id);
                let payload = e.payload();
                run.log(format!("{}: {}", payload.code, payload.message));
                let stage = self
                    .store
                    .job(&run.job.id)
                    .map(|j| j.stage)
                    .unwrap_or(Stage::Initializing);
                let msg = if matches!(e, Error::Cancelled) {
                    "Cancelled".to_string()
                } else {
                    format!("Failed: {}", payload.message)
                };
                // The final event first (while the job still runs, so it is recorded), then the status.
                run.tracker.stage(stage, msg);
                self.store.fail(&run.job.id, &payload)?;
            }
        }
        self.store.job(&run.job.id)
    }
}

async fn stages(run: &JobRun) -> Result<()> {
    test_pause(run, Stage::Initializing).await?;
    initializing::run(run).await?;
    test_pause(run, Stage::Planning).await?;
    let outline = planning::run(run).await?;
    test_pause(run, Stage::ImplementationPlanning).await?;
    let plans = implementation_planning::run(run, &outline).await?;
    let narration = narration::run(run, &plans).await?;
    test_pause(run, Stage::CodeGeneration).await?;
    let codes = code_generation::run(run, &plans).await?;
    // A scene left out of the video (the scene studio's "drop") renders no more.
    let (plans, codes, narration) = without_dropped(run, plans, codes, narration);
    test_pause(run, Stage::SceneRendering).await?;
    let rendered = scene_rendering::run(run, &plans, codes).await?;
    test_pause(run, Stage::VideoCombining).await?;
    let video = video_combining::run(run, &rendered, &narration).await?;
    test_pause(run, Stage::Finalizing).await?;
    finalizing::run(run, &plans, &rendered, &video).await
}

type Kept = (
    Vec<ScenePlan>,
    Vec<SceneCode>,
    Vec<Option<crate::voice::NarrationTrack>>,
);

fn without_dropped(
    run: &JobRun,
    plans: Vec<ScenePlan>,
    codes: Vec<SceneCode>,
    narration: Vec<Option<crate::voice::NarrationTrack>>,
) -> Kept {
    let Some(o) = &run.overlay else {
        return (plans, codes, narration);
    };
    let mut kept = (Vec::new(), Vec::new(), Vec::new());
    for ((p, c), n) in plans.into_iter().zip(codes).zip(narration) {
        if o.is_dropped(p.index) {
            run.log(format!("scene {}: left out of the video", p.index));
            continue;
        }
        kept.0.push(p);
        kept.1.push(c);
        kept.2.push(n);
    }
    kept
}

/// The test hook's variable: `THEORY2VIDEO_TEST_PAUSE=<stage>:<ms>` (e.g. `planning:20000`).
/// Read only in debug builds (the test suites' binaries) and builds with the `test-hooks`
/// feature; never in a release build of the CLI or the app. Not the feature alone: cargo builds
/// a workspace's binaries without its dev-dependencies' features, so the CLI binary that
/// `cargo test --workspace` runs would not have it.
pub const TEST_PAUSE_ENV: &str = "THEORY2VIDEO_TEST_PAUSE";

/// Test-only hook (the crash and cancel tests use it; in a release build without the
/// `test-hooks` feature, or unset, it does nothing): when [`TEST_PAUSE_ENV`] names `stage`, the job records that stage
/// and waits `ms` milliseconds (cancellable) before the stage's work, so a test can kill or
/// cancel it inside any stage, even a fast one. For `completed` the wait is between the last
/// event and the status change.
#[cfg(not(any(feature = "test-hooks", debug_assertions)))]
pub(crate) async fn test_pause(_run: &JobRun, _stage: Stage) -> Result<()> {
    Ok(())
}

#[cfg(any(feature = "test-hooks", debug_assertions))]
pub(crate) async fn test_pause(run: &JobRun, stage: Stage) -> Result<()> {
    let Ok(spec) = std::env::var(TEST_PAUSE_ENV) else {
        return Ok(());
    };
    let Some((name, ms)) = spec.split_once(':') else {
        return Ok(());
    };
    let Ok(ms) = ms.trim().parse::<u64>() else {
        return Ok(());
    };
    if name.trim() != stage.as_str() {
        return Ok(());
    }
    if stage != Stage::Completed {
        run.tracker
            .stage(stage, format!("{} (test pause)", stage.label()));
    }
    run.log(format!("test pause: {ms} ms at {stage}"));
    tokio::select! {
        _ = run.cancel.cancelled() => Err(Error::Cancelled),
        _ = tokio::time::sleep(std::time::Duration::from_millis(ms)) => Ok(()),
    }
}
