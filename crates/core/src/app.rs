//! The façade the CLI and the desktop app share: data dir, settings, store, writers, job control.

use crate::cache::TopicCache;
use crate::error::{Error, IoContext, Result};
use crate::model::job::{
    EventRecord, JobOptions, JobQuery, JobRecord, JobRequest, JobStats, JobStatus, SceneRecord,
    WriterSpec,
};
use crate::paths::DataDir;
use crate::pipeline::Pipeline;
use crate::progress::SharedSink;
use crate::render::Renderer;
pub use crate::settings::Settings;
use crate::store::{NewJob, SceneLayout, Store};
use crate::topic::Topic;
use crate::writer::storyboard::StoryboardWriter;
use crate::writer::Writer;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use tokio_util::sync::CancellationToken;

/// Makes writers from a [`WriterSpec`]. The core knows the storyboard writer; the CLI and the
/// desktop app plug in a factory that also knows the LLM providers.
pub trait WriterFactory: Send + Sync {
    fn create(&self, spec: &WriterSpec) -> Result<Arc<dyn Writer>>;
}

/// Only the offline storyboard writer.
pub struct CoreWriters;

impl WriterFactory for CoreWriters {
    fn create(&self, spec: &WriterSpec) -> Result<Arc<dyn Writer>> {
        if spec.is_storyboard() {
            Ok(Arc::new(StoryboardWriter::new()))
        } else {
            Err(Error::Config(format!(
                "unknown writer {:?}; use \"storyboard\"",
                spec.label()
            )))
        }
    }
}

pub struct App {
    data: DataDir,
    /// Front ends read the history through the methods below, never the store itself.
    pub(crate) store: Arc<Store>,
    /// The one copy of the settings every job started after a change uses.
    settings: RwLock<Settings>,
    writers: Arc<dyn WriterFactory>,
    voices: Arc<dyn crate::voice::VoiceFactory>,
    renderer_hook: Option<RendererHook>,
    /// Warm render workers, shared by every renderer this app makes (an idle one outlives its
    /// job, for the next job on the same topic).
    pub warm: crate::render::warm::WarmPool,
}

/// Adjusts every renderer the app builds (the bench points it at a prebuilt clip or another
/// venv); the CLI and the desktop app set none.
pub type RendererHook = Arc<dyn Fn(&mut Renderer) + Send + Sync>;

impl App {
    /// Replaces the voice factory (the default knows espeak-ng and Piper; the LLM crate adds
    /// OpenAI-compatible speech endpoints).
    pub fn with_voices(mut self, voices: Arc<dyn crate::voice::VoiceFactory>) -> App {
        self.voices = voices;
        self
    }

    /// Sets the [`RendererHook`].
    pub fn with_renderer_hook(mut self, hook: RendererHook) -> App {
        self.renderer_hook = Some(hook);
        self
    }

    /// The renderer for `settings`.
    pub fn renderer(&self, settings: &Settings) -> Result<Renderer> {
        let mut r = Renderer::detect(&self.data, &settings.render_settings())?;
        r.warm = self.warm.clone();
        if let Some(hook) = &self.renderer_hook {
            hook(&mut r);
        }
        Ok(r)
    }

    /// The voice factory jobs use.
    pub fn voices(&self) -> Arc<dyn crate::voice::VoiceFactory> {
        self.voices.clone()
    }

    /// The voice a spec makes with this app's voices (`Ok(None)`: silent). Jobs whose voice fails
    /// here still run, silently, with a warning in their log.
    pub fn voice(
        &self,
        spec: &crate::model::voice::VoiceSpec,
    ) -> Result<Option<Arc<dyn crate::voice::Voice>>> {
        self.voices
            .create(&crate::voice::resolve(spec, Some(&self.data)))
    }

    /// The spec with what this machine offers filled in (the first Piper model found in
    /// `<data dir>/voices` or `$THEORY2VIDEO_PIPER_VOICES` when none is named).
    pub fn resolve_voice(
        &self,
        spec: &crate::model::voice::VoiceSpec,
    ) -> crate::model::voice::VoiceSpec {
        crate::voice::resolve(spec, Some(&self.data))
    }

    pub fn open(data: DataDir, writers: Arc<dyn WriterFactory>) -> Result<App> {
        let store = Arc::new(Store::open(&data.db())?);
        let settings = Settings::load(&data);
        Ok(App {
            data,
            store,
            settings: RwLock::new(settings),
            writers,
            voices: Arc::new(crate::voice::CoreVoices),
            renderer_hook: None,
            warm: Default::default(),
        })
    }

    /// The data dir (videos, cache, venv, the job database).
    pub fn data(&self) -> &DataDir {
        &self.data
    }

    /// A job by id or unique id prefix.
    pub fn job(&self, id_or_prefix: &str) -> Result<JobRecord> {
        self.store.job(id_or_prefix)
    }

    /// One page of the history, newest first.
    pub fn jobs(&self, q: &JobQuery) -> Result<Vec<JobRecord>> {
        self.store.list_jobs(q)
    }

    /// How many jobs the query matches (all pages).
    pub fn count_jobs(&self, q: &JobQuery) -> Result<u64> {
        self.store.count_jobs(q)
    }

    /// How many jobs are in each state.
    pub fn stats(&self) -> Result<JobStats> {
        self.store.stats()
    }

    /// A job's event log, oldest first.
    pub fn events(&self, job_id: &str) -> Result<Vec<EventRecord>> {
        self.store.events(job_id)
    }

    /// A job's scenes, in order.
    pub fn scenes(&self, job_id: &str) -> Result<Vec<SceneRecord>> {
        self.store.scenes(job_id)
    }

    /// The layout check's verdict on a scene's chosen code version (`None`: not checked).
    pub fn scene_layout(
        &self,
        job_id: &str,
        index: u32,
        version: Option<u32>,
    ) -> Result<Option<SceneLayout>> {
        self.store.scene_layout(job_id, index, version)
    }

    /// The current version of each scene of a job that has scene versions (the studio's cards).
    pub fn current_scene_versions(
        &self,
        job_id: &str,
    ) -> Result<Vec<crate::model::versions::SceneVersion>> {
        self.store.current_scene_versions(job_id)
    }

    /// The current settings.
    pub fn settings(&self) -> Settings {
        self.settings
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Validates, saves and applies settings: every job started afterwards uses them.
    pub fn set_settings(&self, s: Settings) -> Result<Settings> {
        s.validate()?;
        self.writers.create(&s.writer)?;
        s.save(&self.data)?;
        self.override_settings(|cur| *cur = s.clone());
        Ok(s)
    }

    /// Changes the settings of this process only, not saved (command-line flags, tests).
    pub fn override_settings(&self, f: impl FnOnce(&mut Settings)) {
        f(&mut self.settings.write().unwrap_or_else(|e| e.into_inner()));
    }

    /// Marks jobs stranded by a crash as interrupted. Call once at start-up, before running jobs.
    pub fn recover(&self) -> Result<Vec<String>> {
        self.store.recover_interrupted()
    }

    pub fn writer(&self, spec: &WriterSpec) -> Result<Arc<dyn Writer>> {
        self.writers.create(spec)
    }

    /// Queues a job. The writer spec is checked first, so nothing is queued that cannot run.
    pub fn submit(
        &self,
        topic: Topic,
        options: JobOptions,
        source: Option<PathBuf>,
    ) -> Result<JobRecord> {
        let writer = self.writers.create(&options.writer)?;
        let mut options = options;
        options.voice = self.resolve_voice(&options.voice);
        let request = JobRequest::new(topic, options, source);
        self.store.create_job(NewJob {
            request: &request,
            model: writer.model(),
        })
    }

    /// The runner for the current settings: the one place a [`Pipeline`] is built.
    pub fn pipeline(&self) -> Result<Pipeline> {
        let settings = self.settings();
        let renderer = self.renderer(&settings)?;
        Ok(Pipeline {
            data: self.data.clone(),
            store: self.store.clone(),
            renderer: Arc::new(renderer),
            voices: self.voices.clone(),
            concurrency: settings.render_concurrency.max(1),
        })
    }

    /// Runs a queued job to the end (the result is in the returned record).
    pub async fn run_job(
        &self,
        id: &str,
        sink: SharedSink,
        cancel: CancellationToken,
    ) -> Result<JobRecord> {
        self.execute(id, false, sink, cancel).await
    }

    /// Resumes an interrupted, failed or cancelled job, reusing every valid artefact.
    pub async fn resume_job(
        &self,
        id: &str,
        sink: SharedSink,
        cancel: CancellationToken,
    ) -> Result<JobRecord> {
        self.store.job(id)?.ensure_resumable()?;
        self.execute(id, true, sink, cancel).await
    }

    /// Runs a job with the current settings (`resume`: from a resumable state, else from
    /// queued). Tools and writer come first: a job that cannot run fails with a configuration
    /// error in its record. The job manager's workers and [`App::run_job`] both end here.
    pub async fn execute(
        &self,
        id: &str,
        resume: bool,
        sink: SharedSink,
        cancel: CancellationToken,
    ) -> Result<JobRecord> {
        let job = self.store.job(id)?;
        let from: &[JobStatus] = if resume {
            &JobStatus::RESUMABLE
        } else {
            &[JobStatus::Queued]
        };
        let ready = self.pipeline().and_then(|p| {
            let w = self.writers.create(&job.request.options.writer)?;
            Ok((p, w))
        });
        let (pipeline, writer) = match ready {
            Ok(v) => v,
            Err(e) => {
                self.store.fail(&job.id, &e.payload())?;
                return self.store.job(&job.id);
            }
        };
        // An edited job keeps its own scenes when it resumes.
        let overlay = if resume {
            crate::pipeline::versions::current_overlay(&self.store, &job)?
        } else {
            None
        };
        pipeline
            .run_with(&job.id, writer, sink, cancel, from, overlay)
            .await
    }

    /// A new job with the same request as `id`.
    pub fn rerun(&self, id: &str) -> Result<JobRecord> {
        let job = self.store.job(id)?;
        let r = job.request;
        self.submit(r.topic, r.options, r.source)
    }

    /// Deletes a finished job, its output folder, and its cache folder unless another job uses it.
    pub fn delete_job(&self, id: &str) -> Result<JobRecord> {
        let job = self.store.delete_job(id)?;
        if let Some(out) = &job.output_dir {
            if self.data.contains(out) && out.starts_with(self.data.videos()) {
                let _ = std::fs::remove_dir_all(out);
            }
        }
        if let Some(cache) = &job.cache_dir {
            if self.data.contains(cache)
                && cache.starts_with(self.data.cache())
                && self.store.jobs_using_cache(cache)? == 0
            {
                let _ = std::fs::remove_dir_all(cache);
            }
        }
        Ok(job)
    }

    /// The cache folder a topic would use with a writer (for tools and tests).
    pub fn cache_for(&self, topic: &Topic, writer: &dyn Writer, latex: bool) -> TopicCache {
        TopicCache::for_topic(&self.data, topic, &writer.cache_key(), latex)
    }

    /// The last `lines` lines of a job's log file.
    pub fn log_tail(&self, job: &JobRecord, lines: usize) -> Result<Vec<String>> {
        let Some(dir) = &job.output_dir else {
            return Ok(Vec::new());
        };
        let path = dir.join("job.log");
        if !path.exists() {
            return Ok(Vec::new());
        }
        let text = std::fs::read_to_string(&path).ctx(|| format!("reading {}", path.display()))?;
        let all: Vec<&str> = text.lines().collect();
        Ok(all[all.len().saturating_sub(lines)..]
            .iter()
            .map(|s| s.to_string())
            .collect())
    }
}

/// Path of a job's artefact for opening: checks it exists and lies inside the data dir.
pub fn existing_inside(data: &DataDir, p: Option<&Path>, what: &str) -> Result<PathBuf> {
    let p = p.ok_or_else(|| Error::NotFound(format!("{what} (the job has none yet)")))?;
    if !data.contains(p) {
        return Err(Error::NotFound(format!("{what} outside the data dir")));
    }
    if !p.exists() {
        return Err(Error::NotFound(format!("{what} at {}", p.display())));
    }
    Ok(p.to_path_buf())
}
