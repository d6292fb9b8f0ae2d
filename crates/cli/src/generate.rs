//! `generate` and `resume`.

use crate::bars::Bars;
use clap::{Args, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use t2v_core::app::App;
use t2v_core::job::short_id;
use t2v_core::manager::{JobManager, ManagerEvent};
use t2v_core::paths::DataDir;
use t2v_core::{Error, JobRecord, JobStatus, Quality, Result, Topic, WriterSpec};

#[derive(Clone, Copy, ValueEnum)]
pub enum QualityArg {
    Preview,
    Standard,
    High,
}

impl From<QualityArg> for Quality {
    fn from(q: QualityArg) -> Quality {
        match q {
            QualityArg::Preview => Quality::Preview,
            QualityArg::Standard => Quality::Standard,
            QualityArg::High => Quality::High,
        }
    }
}

#[derive(Args, Clone, Default)]
pub struct WriterArgs {
    /// Writer: `storyboard` (offline, default), a provider profile name, or a provider kind
    /// (`openai`, `anthropic`, `gemini`) used with --base-url/--model/--api-key-env.
    #[arg(long)]
    pub writer: Option<String>,
    #[arg(long)]
    pub model: Option<String>,
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Name of the environment variable that holds the API key.
    #[arg(long, value_name = "VAR")]
    pub api_key_env: Option<String>,
}

impl WriterArgs {
    pub fn apply(&self, base: &WriterSpec) -> WriterSpec {
        let mut spec = base.clone();
        if let Some(w) = &self.writer {
            spec = WriterSpec {
                kind: w.clone(),
                ..WriterSpec::default()
            };
        }
        spec.model = self.model.clone().or(spec.model);
        spec.base_url = self.base_url.clone().or(spec.base_url);
        spec.api_key_env = self.api_key_env.clone().or(spec.api_key_env);
        spec
    }
}

#[derive(Args)]
pub struct GenerateArgs {
    /// Topic files: .md (first `#` heading is the topic), .txt (first line), .json
    /// (TheoremExplainBench: an object or a list of objects with `theorem` and `description`).
    pub files: Vec<PathBuf>,
    /// The topic, instead of a file.
    #[arg(long)]
    pub topic: Option<String>,
    /// The description that goes with --topic.
    #[arg(long, default_value = "")]
    pub description: String,
    #[arg(long, value_enum)]
    pub quality: Option<QualityArg>,
    /// At most this many scenes per video (the writer plans 3–6).
    #[arg(long, value_name = "N")]
    pub max_scenes: Option<u32>,
    /// Scenes rendered at once (default: number of cores).
    #[arg(long, value_name = "N")]
    pub concurrency: Option<usize>,
    /// Jobs run at once (default 1: one after another).
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub jobs: usize,
    /// Render every scene in a new Manim process (the cold path) instead of forking it from the
    /// job's warm Manim worker (same as `"warm_renders": false` in settings.json).
    #[arg(long)]
    pub cold_renders: bool,
    /// How often a failing scene's code is sent back to the writer to fix.
    #[arg(long, value_name = "N")]
    pub max_fix_attempts: Option<u32>,
    /// How often a scene with layout errors (text off the frame, texts over each other, text
    /// too small) is sent back to the writer to fix (default 2).
    #[arg(long, value_name = "N")]
    pub max_layout_fix_attempts: Option<u32>,
    #[command(flatten)]
    pub writer: WriterArgs,
    #[command(flatten)]
    pub voice: Box<crate::writers::VoiceArgs>,
    /// The video's language (en, de, fr, es, zh): words on screen, voice and font. Default:
    /// detected from the topic's text.
    #[arg(long, value_name = "LANG", value_parser = parse_language)]
    pub language: Option<t2v_core::lang::Lang>,
    /// Print one JSON object per job at the end: {"id","status","video","thumbnail",…}.
    #[arg(long)]
    pub json: bool,
}

fn parse_language(s: &str) -> std::result::Result<t2v_core::lang::Lang, String> {
    t2v_core::lang::Lang::parse(s)
        .ok_or_else(|| format!("{s:?} is not a supported language (en, de, fr, es, zh)"))
}

#[derive(Args)]
pub struct ResumeArgs {
    pub id: String,
    #[arg(long)]
    pub json: bool,
}

pub(crate) fn open_app(data: &DataDir) -> Result<App> {
    let app = crate::writers::open_app(data)?;
    let stranded = app.recover()?;
    if !stranded.is_empty() {
        eprintln!(
            "note: {} job(s) were interrupted by an earlier crash; `theory2video resume ID` continues them",
            stranded.len()
        );
    }
    Ok(app)
}

/// Stops every job on Ctrl-C (a second Ctrl-C exits at once).
fn cancel_on_ctrl_c(manager: &JobManager) {
    let m = manager.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            eprintln!("\ncancelling… (Ctrl-C again to quit at once)");
            m.cancel_all();
            if tokio::signal::ctrl_c().await.is_ok() {
                std::process::exit(130);
            }
        }
    });
}

pub fn job_json(j: &JobRecord) -> serde_json::Value {
    serde_json::json!({
        "id": j.id,
        "topic": j.topic,
        "status": j.status,
        "video": j.video,
        "thumbnail": j.thumbnail,
        "duration": j.duration_secs,
        "subtitles": subtitles_of(j),
        "error": j.error,
    })
}

/// The job's subtitle file (beside its current video version), when its video is narrated.
pub fn subtitles_of(j: &JobRecord) -> Option<PathBuf> {
    let dir = match &j.video {
        Some(v) => v.parent()?.to_path_buf(),
        None => j.output_dir.clone()?,
    };
    let p = dir.join("video.srt");
    p.is_file().then_some(p)
}

fn summary_line(j: &JobRecord) -> String {
    match j.status {
        JobStatus::Completed => format!(
            "✓ {} [{}] {:.1} s video: {}",
            j.topic,
            short_id(&j.id),
            j.duration_secs.unwrap_or(0.0),
            j.video
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_default()
        ),
        _ => format!(
            "✗ {} [{}] {}: {}",
            j.topic,
            short_id(&j.id),
            j.status,
            j.error
                .as_ref()
                .map(|e| format!("[{}] {}", e.code, e.message))
                .unwrap_or_default()
        ),
    }
}

/// Runs `jobs` (already in the store) through a job manager, `--jobs` at a time, with a
/// terminal-progress subscriber; returns their final records in the order given.
async fn run_jobs(
    app: App,
    jobs: Vec<JobRecord>,
    json: bool,
    resume: bool,
) -> Result<Vec<JobRecord>> {
    run_managed(app, jobs, json, |manager, j| {
        if resume {
            manager.resume(&j.id)
        } else {
            manager.queue(&j.id)
        }
    })
    .await
}

/// [`run_jobs`] with how each job is started (`queue`, `resume`, `edit_scene`).
pub(crate) async fn run_managed(
    app: App,
    jobs: Vec<JobRecord>,
    json: bool,
    start: impl Fn(&JobManager, &JobRecord) -> Result<JobRecord>,
) -> Result<Vec<JobRecord>> {
    let manager = JobManager::new(Arc::new(app), tokio::runtime::Handle::current());
    let bars = Bars::new(json);
    for j in &jobs {
        bars.add(&j.id, &j.topic);
    }
    let (done_tx, mut done_rx) = tokio::sync::mpsc::unbounded_channel::<String>();
    let b = bars.clone();
    manager.subscribe(Arc::new(move |e: &ManagerEvent| {
        match e {
            ManagerEvent::Progress(p) => b.event(p),
            ManagerEvent::Finished { job_id, .. } => {
                let _ = done_tx.send(job_id.clone());
            }
        }
        true
    }));
    for j in &jobs {
        start(&manager, j)?;
    }
    cancel_on_ctrl_c(&manager);
    let mut left: std::collections::HashSet<&str> = jobs.iter().map(|j| j.id.as_str()).collect();
    while !left.is_empty() {
        let Some(id) = done_rx.recv().await else {
            break;
        };
        let Some(id) = left.take(id.as_str()) else {
            continue;
        };
        let result = manager.app().job(id)?;
        let short = match result.status {
            JobStatus::Completed => format!("✓ {:.1} s video", result.duration_secs.unwrap_or(0.0)),
            other => format!("✗ {other}"),
        };
        bars.finish(&result.id, &short);
    }
    let mut finished = Vec::new();
    for j in &jobs {
        finished.push(manager.app().job(&j.id)?);
    }
    if !json {
        for j in &finished {
            eprintln!("{}", summary_line(j));
        }
    }
    Ok(finished)
}

pub(crate) fn exit_for(jobs: &[JobRecord], input_errors: usize, json: bool) -> ExitCode {
    if json {
        for j in jobs {
            println!("{}", job_json(j));
        }
    }
    if jobs.iter().any(|j| j.status == JobStatus::Cancelled) {
        return ExitCode::from(130);
    }
    if input_errors == 0 && jobs.iter().all(|j| j.status == JobStatus::Completed) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

pub async fn generate(data: &DataDir, args: GenerateArgs) -> Result<ExitCode> {
    if args.files.is_empty() && args.topic.is_none() {
        return Err(Error::Config(
            "give topic files or --topic \"…\" --description \"…\"".into(),
        ));
    }
    let app = open_app(data)?;
    app.override_settings(|s| {
        if let Some(c) = args.concurrency {
            s.render_concurrency = c.max(1);
        }
        s.job_concurrency = args.jobs.max(1);
        if args.cold_renders {
            s.warm_renders = false;
        }
    });
    let mut options = app.settings().job_options();
    if let Some(q) = args.quality {
        options.quality = q.into();
    }
    options.max_scenes = args.max_scenes;
    if let Some(m) = args.max_fix_attempts {
        options.max_fix_attempts = m;
    }
    if let Some(m) = args.max_layout_fix_attempts {
        options.max_layout_fix_attempts = m;
    }
    options.writer = args.writer.apply(&options.writer);
    options.voice = app.resolve_voice(&args.voice.apply(&options.voice)?);
    if args.voice.save_voice {
        let mut saved = t2v_core::settings::Settings::load(data);
        saved.voice = options.voice.clone();
        saved.save(data)?;
        app.override_settings(|s| s.voice = options.voice.clone());
    }
    // A voice that cannot speak leaves the videos silent (the job log says why): say it now too.
    if let Err(e) = app.voice(&options.voice) {
        eprintln!("warning: narration is off: [{}] {e}", e.code());
    }
    // Tools and writer are checked before anything is queued.
    app.pipeline()?;
    app.writer(&options.writer)?;

    let mut topics: Vec<(Topic, Option<PathBuf>)> = Vec::new();
    let mut input_errors = 0;
    if let Some(t) = &args.topic {
        match Topic::from_form(t, &args.description) {
            Ok(topic) => topics.push((topic, None)),
            Err(e) => {
                input_errors += 1;
                eprintln!("✗ --topic: [{}] {e}", e.code());
            }
        }
    }
    for (path, parsed) in t2v_core::topic::parse_many(&args.files) {
        match parsed {
            Ok(list) => {
                let abs = path.canonicalize().unwrap_or(path);
                topics.extend(list.into_iter().map(|t| (t, Some(abs.clone()))));
            }
            Err(e) => {
                input_errors += 1;
                eprintln!("✗ [{}] {e}", e.code());
            }
        }
    }
    let mut jobs = Vec::new();
    for (mut topic, source) in topics {
        if let Some(lang) = args.language {
            topic
                .metadata
                .insert(t2v_core::lang::META_KEY.into(), lang.code().into());
        }
        jobs.push(app.submit(topic, options.clone(), source)?);
    }
    if jobs.is_empty() {
        return Err(Error::InvalidField(t2v_core::error::InputProblem::Other(
            "no usable topic in the input".into(),
        )));
    }
    if !args.json {
        eprintln!(
            "{} job(s) queued; writer {}, {} quality",
            jobs.len(),
            options.writer.label(),
            options.quality.as_str()
        );
    }
    let finished = run_jobs(app, jobs, args.json, false).await?;
    Ok(exit_for(&finished, input_errors, args.json))
}

pub async fn resume(data: &DataDir, args: ResumeArgs) -> Result<ExitCode> {
    let app = open_app(data)?;
    let job = app.job(&args.id)?;
    job.ensure_resumable()?;
    app.pipeline()?;
    let finished = run_jobs(app, vec![job], args.json, true).await?;
    Ok(exit_for(&finished, 0, args.json))
}
