//! The façade the CLI and the desktop app share: data dir, settings, store, writers, job control.

use crate::cache::TopicCache;
use crate::error::{Error, IoContext, Result};
use crate::job::{JobOptions, JobRecord, JobRequest, JobStatus, Quality, WriterSpec};
use crate::paths::DataDir;
use crate::pipeline::Pipeline;
use crate::progress::SharedSink;
use crate::render::{RenderSettings, Renderer};
use crate::store::{NewJob, Store};
use crate::topic::Topic;
use crate::writer::storyboard::StoryboardWriter;
use crate::writer::Writer;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// User settings, stored as JSON in the data dir.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub quality: Quality,
    pub writer: WriterSpec,
    /// Scenes rendered at once (default: number of cores).
    pub render_concurrency: usize,
    /// Jobs run at once by the desktop app.
    pub job_concurrency: usize,
    pub max_fix_attempts: u32,
    pub sandbox: bool,
    pub scene_timeout_secs: u64,
    pub memory_limit_mb: u64,
    /// Narration voice for new jobs.
    pub voice: crate::voice::VoiceSpec,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            quality: Quality::Preview,
            writer: WriterSpec::default(),
            render_concurrency: std::thread::available_parallelism().map_or(2, |n| n.get()),
            job_concurrency: 1,
            max_fix_attempts: 3,
            sandbox: true,
            scene_timeout_secs: 600,
            memory_limit_mb: 4096,
            voice: crate::voice::VoiceSpec::default(),
        }
    }
}

impl Settings {
    pub fn load(data: &DataDir) -> Settings {
        std::fs::read_to_string(data.settings())
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default()
    }

    pub fn save(&self, data: &DataDir) -> Result<()> {
        let text =
            serde_json::to_string_pretty(self).map_err(|e| Error::Internal(e.to_string()))?;
        crate::cache::write_atomic(&data.settings(), text.as_bytes())
    }

    pub fn render_settings(&self) -> RenderSettings {
        RenderSettings {
            sandbox: self.sandbox,
            scene_timeout: Duration::from_secs(self.scene_timeout_secs.max(10)),
            memory_limit_mb: self.memory_limit_mb,
        }
    }

    pub fn job_options(&self) -> JobOptions {
        JobOptions {
            quality: self.quality,
            writer: self.writer.clone(),
            max_scenes: None,
            max_fix_attempts: self.max_fix_attempts,
            voice: self.voice.clone(),
        }
    }
}

/// Makes writers from a [`WriterSpec`]. The core knows the storyboard writer; the CLI and the
/// desktop app plug in a factory that also knows the LLM providers.
pub trait WriterFactory: Send + Sync {
    fn create(&self, spec: &WriterSpec) -> Result<Arc<dyn Writer>>;
}

/// Only the offline storyboard writer.
pub struct CoreWriters;

impl WriterFactory for CoreWriters {
    fn create(&self, spec: &WriterSpec) -> Result<Arc<dyn Writer>> {
        match spec.kind.as_str() {
            "storyboard" | "offline" => Ok(Arc::new(StoryboardWriter::new())),
            other => Err(Error::Config(format!(
                "unknown writer {other:?}; use \"storyboard\""
            ))),
        }
    }
}

pub struct App {
    pub data: DataDir,
    pub store: Arc<Store>,
    pub settings: Settings,
    writers: Arc<dyn WriterFactory>,
    voices: Arc<dyn crate::voice::VoiceFactory>,
}

impl App {
    /// Replaces the voice factory (the default knows espeak-ng and Piper; the LLM crate adds
    /// OpenAI-compatible speech endpoints).
    pub fn with_voices(mut self, voices: Arc<dyn crate::voice::VoiceFactory>) -> App {
        self.voices = voices;
        self
    }

    /// The renderer for `settings`, with this app's voices.
    pub fn renderer(&self, settings: &Settings) -> Result<Renderer> {
        let mut r = Renderer::detect(&self.data, &settings.render_settings())?;
        r.voices = crate::render::Voices(self.voices.clone());
        Ok(r)
    }

    /// The voice a spec makes with this app's voices (`Ok(None)`: silent). Jobs whose voice fails
    /// here still run, silently, with a warning in their log.
    pub fn voice(
        &self,
        spec: &crate::voice::VoiceSpec,
    ) -> Result<Option<Arc<dyn crate::voice::Voice>>> {
        self.voices.create(&spec.resolved(Some(&self.data)))
    }

    /// The spec with what this machine offers filled in (the first Piper model found in
    /// `<data dir>/voices` or `$THEORY2VIDEO_PIPER_VOICES` when none is named).
    pub fn resolve_voice(&self, spec: &crate::voice::VoiceSpec) -> crate::voice::VoiceSpec {
        spec.resolved(Some(&self.data))
    }

    pub fn open(data: DataDir, writers: Arc<dyn WriterFactory>) -> Result<App> {
        let store = Arc::new(Store::open(&data.db())?);
        let settings = Settings::load(&data);
        Ok(App {
            data,
            store,
            settings,
            writers,
            voices: Arc::new(crate::voice::CoreVoices),
        })
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

    pub fn pipeline(&self) -> Result<Pipeline> {
        let renderer = self.renderer(&self.settings)?;
        Ok(Pipeline {
            data: self.data.clone(),
            store: self.store.clone(),
            renderer: Arc::new(renderer),
            concurrency: self.settings.render_concurrency.max(1),
        })
    }

    /// Runs a queued job to the end (the result is in the returned record).
    pub async fn run_job(
        &self,
        pipeline: &Pipeline,
        id: &str,
        sink: SharedSink,
        cancel: CancellationToken,
    ) -> Result<JobRecord> {
        self.run_from(pipeline, id, sink, cancel, &[JobStatus::Queued])
            .await
    }

    /// Resumes an interrupted, failed or cancelled job, reusing every valid artefact.
    pub async fn resume_job(
        &self,
        pipeline: &Pipeline,
        id: &str,
        sink: SharedSink,
        cancel: CancellationToken,
    ) -> Result<JobRecord> {
        let job = self.store.job(id)?;
        if !job.status.is_resumable() {
            return Err(Error::Conflict(format!(
                "job {} is {}; only interrupted, failed or cancelled jobs resume",
                crate::job::short_id(&job.id),
                job.status
            )));
        }
        self.run_from(
            pipeline,
            &job.id,
            sink,
            cancel,
            &[
                JobStatus::Interrupted,
                JobStatus::Failed,
                JobStatus::Cancelled,
            ],
        )
        .await
    }

    async fn run_from(
        &self,
        pipeline: &Pipeline,
        id: &str,
        sink: SharedSink,
        cancel: CancellationToken,
        from: &[JobStatus],
    ) -> Result<JobRecord> {
        let job = self.store.job(id)?;
        let writer = match self.writers.create(&job.request.options.writer) {
            Ok(w) => w,
            Err(e) => {
                self.store.fail(&job.id, &e.payload())?;
                return self.store.job(&job.id);
            }
        };
        pipeline.run(&job.id, writer, sink, cancel, from).await
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
