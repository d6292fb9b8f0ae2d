//! `generate`, `resume` and `setup`.

use crate::bars::Bars;
use clap::{Args, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use t2v_core::app::App;
use t2v_core::job::short_id;
use t2v_core::paths::DataDir;
use t2v_core::pipeline::Pipeline;
use t2v_core::progress::SharedSink;
use t2v_core::{
    CancellationToken, Error, JobRecord, JobStatus, ProgressEvent, Quality, Result, Topic,
    WriterSpec,
};

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
    /// How often a failing scene's code is sent back to the writer to fix.
    #[arg(long, value_name = "N")]
    pub max_fix_attempts: Option<u32>,
    #[command(flatten)]
    pub writer: WriterArgs,
    #[command(flatten)]
    pub voice: Box<crate::writers::VoiceArgs>,
    /// Print one JSON object per job at the end: {"id","status","video","thumbnail",…}.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub struct ResumeArgs {
    pub id: String,
    #[arg(long)]
    pub json: bool,
}

fn open_app(data: &DataDir) -> Result<App> {
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

/// Cancels the token on Ctrl-C (a second Ctrl-C exits at once).
fn cancel_on_ctrl_c() -> CancellationToken {
    let cancel = CancellationToken::new();
    let c = cancel.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            eprintln!("\ncancelling… (Ctrl-C again to quit at once)");
            c.cancel();
            if tokio::signal::ctrl_c().await.is_ok() {
                std::process::exit(130);
            }
        }
    });
    cancel
}

fn sink_for(bars: &Arc<Bars>) -> SharedSink {
    let b = bars.clone();
    Arc::new(move |e: &ProgressEvent| b.event(e))
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

/// The job's subtitle file, when its video is narrated.
pub fn subtitles_of(j: &JobRecord) -> Option<PathBuf> {
    let p = j.output_dir.as_ref()?.join("video.srt");
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

async fn run_jobs(
    app: &App,
    pipeline: &Pipeline,
    jobs: Vec<JobRecord>,
    json: bool,
    resume: bool,
) -> Result<Vec<JobRecord>> {
    let bars = Bars::new(json);
    for j in &jobs {
        bars.add(&j.id, &j.topic);
    }
    let cancel = cancel_on_ctrl_c();
    let mut finished = Vec::new();
    for j in jobs {
        let result = if cancel.is_cancelled() {
            app.store.fail(&j.id, &Error::Cancelled.payload())?;
            app.store.job(&j.id)?
        } else if resume {
            app.resume_job(pipeline, &j.id, sink_for(&bars), cancel.clone())
                .await?
        } else {
            app.run_job(pipeline, &j.id, sink_for(&bars), cancel.clone())
                .await?
        };
        let short = match result.status {
            JobStatus::Completed => format!("✓ {:.1} s video", result.duration_secs.unwrap_or(0.0)),
            other => format!("✗ {other}"),
        };
        bars.finish(&result.id, &short);
        finished.push(result);
    }
    if !json {
        for j in &finished {
            eprintln!("{}", summary_line(j));
        }
    }
    Ok(finished)
}

fn exit_for(jobs: &[JobRecord], input_errors: usize, json: bool) -> ExitCode {
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
    let mut app = open_app(data)?;
    if let Some(c) = args.concurrency {
        app.settings.render_concurrency = c.max(1);
    }
    let mut options = app.settings.job_options();
    if let Some(q) = args.quality {
        options.quality = q.into();
    }
    options.max_scenes = args.max_scenes;
    if let Some(m) = args.max_fix_attempts {
        options.max_fix_attempts = m;
    }
    options.writer = args.writer.apply(&options.writer);
    options.voice = app.resolve_voice(&args.voice.apply(&options.voice)?);
    if args.voice.save_voice {
        app.settings.voice = options.voice.clone();
        app.settings.save(data)?;
    }
    // A voice that cannot speak leaves the videos silent (the job log says why): say it now too.
    if let Err(e) = app.voice(&options.voice) {
        eprintln!("warning: narration is off: [{}] {e}", e.code());
    }
    // Tools and writer are checked before anything is queued.
    let pipeline = app.pipeline()?;
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
    for (topic, source) in topics {
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
    let finished = run_jobs(&app, &pipeline, jobs, args.json, false).await?;
    Ok(exit_for(&finished, input_errors, args.json))
}

pub async fn resume(data: &DataDir, args: ResumeArgs) -> Result<ExitCode> {
    let app = open_app(data)?;
    let job = app.store.job(&args.id)?;
    if !job.status.is_resumable() {
        return Err(Error::Conflict(format!(
            "job {} is {}; only interrupted, failed or cancelled jobs resume",
            short_id(&job.id),
            job.status
        )));
    }
    let pipeline = app.pipeline()?;
    let finished = run_jobs(&app, &pipeline, vec![job], args.json, true).await?;
    Ok(exit_for(&finished, 0, args.json))
}

pub async fn setup(data: &DataDir) -> Result<ExitCode> {
    let env = t2v_core::render::python::PythonEnv::new(data.venv());
    if env.is_ready() {
        println!(
            "Python environment with Manim is ready at {}",
            env.venv.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let cancel = cancel_on_ctrl_c();
    env.ensure(&cancel, |l| eprintln!("  {l}")).await?;
    println!(
        "Python environment with Manim is ready at {}",
        env.venv.display()
    );
    Ok(ExitCode::SUCCESS)
}
