//! `jobs`, `show`, `delete` and `doctor`.

use clap::Args;
use std::process::ExitCode;
use t2v_core::app::App;
use t2v_core::job::short_id;
use t2v_core::paths::DataDir;
use t2v_core::{JobQuery, JobStatus, Result};

#[derive(Args)]
pub struct JobsArgs {
    #[arg(long)]
    pub json: bool,
    /// Only jobs whose topic contains this text.
    #[arg(long)]
    pub search: Option<String>,
    /// Only jobs in this status (queued, running, completed, failed, cancelled, interrupted).
    #[arg(long)]
    pub status: Option<String>,
    #[arg(long, default_value_t = 50)]
    pub limit: u32,
}

#[derive(Args)]
pub struct ShowArgs {
    /// Job id (or a unique prefix of at least 4 characters).
    pub id: String,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub struct DoctorArgs {
    #[arg(long)]
    pub json: bool,
}

/// Opens the app; jobs whose process died are shown as interrupted (jobs of another live
/// process are left alone).
fn open(data: &DataDir) -> Result<App> {
    let app = crate::writers::open_app(data)?;
    app.recover()?;
    Ok(app)
}

pub fn list(data: &DataDir, a: JobsArgs) -> Result<ExitCode> {
    let app = open(data)?;
    let status = match a.status.as_deref() {
        Some(s) => Some(JobStatus::parse(s).ok_or_else(|| {
            t2v_core::Error::InvalidField(t2v_core::error::InputProblem::Other(format!(
                "unknown status {s:?}"
            )))
        })?),
        None => None,
    };
    let q = JobQuery {
        search: a.search,
        status,
        limit: a.limit,
        offset: 0,
    };
    let jobs = app.jobs(&q)?;
    if a.json {
        let v: Vec<_> = jobs.iter().map(crate::generate::job_json).collect();
        println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
        return Ok(ExitCode::SUCCESS);
    }
    if jobs.is_empty() {
        println!("No jobs yet. Try: theory2video generate examples/pythagorean-theorem.md");
        return Ok(ExitCode::SUCCESS);
    }
    let s = app.stats()?;
    println!(
        "{} jobs: {} completed, {} running, {} queued, {} failed, {} cancelled, {} interrupted",
        s.total, s.completed, s.running, s.queued, s.failed, s.cancelled, s.interrupted
    );
    println!(
        "{:<8}  {:<11}  {:>4}  {:<16}  TOPIC",
        "ID", "STATUS", "%", "CREATED"
    );
    for j in jobs {
        println!(
            "{:<8}  {:<11}  {:>4.0}  {:<16}  {}",
            short_id(&j.id),
            j.status.as_str(),
            j.progress,
            j.created_at
                .with_timezone(&chrono::Local)
                .format("%Y-%m-%d %H:%M"),
            j.topic
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub fn show(data: &DataDir, a: ShowArgs) -> Result<ExitCode> {
    let app = open(data)?;
    let j = app.job(&a.id)?;
    let events = app.events(&j.id)?;
    let scenes = app.scenes(&j.id)?;
    if a.json {
        let mut scene_values = Vec::new();
        for sc in &scenes {
            let mut v = serde_json::to_value(sc).unwrap_or_default();
            v["layout"] =
                serde_json::to_value(app.scene_layout(&j.id, sc.index, sc.code_version)?)
                    .unwrap_or_default();
            scene_values.push(v);
        }
        let v = serde_json::json!({
            "id": j.id,
            "topic": j.topic,
            "description": j.description,
            "metadata": j.metadata,
            "status": j.status,
            "stage": j.stage,
            "progress": j.progress,
            "message": j.message,
            "writer": j.writer,
            "model": j.model,
            "quality": j.quality,
            "video": j.video,
            "thumbnail": j.thumbnail,
            "duration": j.duration_secs,
            "subtitles": crate::generate::subtitles_of(&j),
            "error": j.error,
            "created_at": j.created_at,
            "started_at": j.started_at,
            "finished_at": j.finished_at,
            "tokens": { "input": j.tokens.input, "output": j.tokens.output, "total": j.tokens.input + j.tokens.output },
            "cost": j.cost_usd,
            "cache_dir": j.cache_dir,
            "output_dir": j.output_dir,
            "scenes": scene_values,
            "events": events.iter().map(|e| serde_json::json!({
                "stage": e.stage, "progress": e.progress, "message": e.message, "sub": e.sub, "at": e.at,
            })).collect::<Vec<_>>(),
        });
        println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
        return Ok(ExitCode::SUCCESS);
    }
    println!("{}  [{}]", j.topic, j.id);
    println!(
        "status    {} ({:.0}%, {})",
        j.status,
        j.progress,
        j.stage.label()
    );
    println!(
        "writer    {}{}  quality {}",
        j.writer,
        j.model
            .as_deref()
            .map(|m| format!(" / {m}"))
            .unwrap_or_default(),
        j.quality.as_str()
    );
    if let Some(v) = &j.video {
        println!(
            "video     {} ({:.1} s)",
            v.display(),
            j.duration_secs.unwrap_or(0.0)
        );
    }
    if let Some(t) = &j.thumbnail {
        println!("thumbnail {}", t.display());
    }
    if let Some(e) = &j.error {
        println!("error     [{}] {}", e.code, e.message);
    }
    if !scenes.is_empty() {
        println!("scenes");
        for s in &scenes {
            println!(
                "  {:>2}. {:<40} {}{}",
                s.index,
                s.title,
                s.status,
                s.code_version
                    .map(|v| format!(" (code v{v})"))
                    .unwrap_or_default()
            );
        }
    }
    println!("events");
    for e in events.iter().filter(|e| e.milestone) {
        println!(
            "  {}  {:>5.1}%  {:<24} {}",
            e.at.with_timezone(&chrono::Local).format("%H:%M:%S"),
            e.progress,
            e.stage.as_str(),
            e.message
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub fn delete(data: &DataDir, a: ShowArgs) -> Result<ExitCode> {
    let app = open(data)?;
    let j = app.delete_job(&a.id)?;
    if a.json {
        println!("{}", serde_json::json!({"id": j.id, "deleted": true}));
    } else {
        println!("deleted job {} ({})", short_id(&j.id), j.topic);
    }
    Ok(ExitCode::SUCCESS)
}

pub fn doctor(data: &DataDir, a: DoctorArgs) -> Result<ExitCode> {
    let settings = t2v_core::app::Settings::load(data);
    let report = t2v_core::doctor::run(data, &settings);
    if a.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&report).unwrap_or_default()
        );
    } else {
        println!("Theory2Video doctor (data dir {})", data.root().display());
        for c in &report.checks {
            let mark = if c.ok {
                "✓"
            } else if c.required {
                "✗"
            } else {
                "!"
            };
            println!("  {mark} {:<10} {}", c.name, c.detail);
            if let Some(fix) = &c.fix {
                println!("      fix: {fix}");
            }
        }
        println!(
            "{}",
            if report.ready() {
                "Ready to make videos."
            } else {
                "Not ready: apply the fixes marked ✗."
            }
        );
    }
    Ok(if report.ready() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
