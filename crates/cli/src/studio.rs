//! `scene` (show or change one scene of a job) and `versions` (a job's video versions).

use crate::generate::{exit_for, open_app, run_managed};
use clap::Args;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use t2v_core::error::IoContext;
use t2v_core::job::short_id;
use t2v_core::model::versions::{SceneDetail, SceneEdit};
use t2v_core::paths::DataDir;
use t2v_core::{Error, Result};

#[derive(Args)]
#[command(group(clap::ArgGroup::new("change").multiple(false)))]
pub struct SceneArgs {
    /// The job: its id or a unique prefix.
    pub job: String,
    /// The scene's number (1-based).
    pub scene: u32,
    /// New narration text (the scene is narrated and timed again).
    #[arg(long, group = "change", value_name = "TEXT")]
    pub narration: Option<String>,
    /// New narration text from a file.
    #[arg(long, group = "change", value_name = "FILE")]
    pub narration_file: Option<PathBuf>,
    /// New Manim code from a file (one class `SceneNN`, NN the scene number on two digits).
    #[arg(long, group = "change", value_name = "FILE")]
    pub code: Option<PathBuf>,
    /// An instruction for the job's LLM writer, which revises the scene's code.
    #[arg(long, group = "change", value_name = "TEXT")]
    pub instruct: Option<String>,
    /// Write the code from the scene's plan again.
    #[arg(long, group = "change")]
    pub regenerate: bool,
    /// Bring back an earlier version of the scene (see `scene JOB N` for its versions).
    #[arg(long, group = "change", value_name = "VERSION")]
    pub restore: Option<u32>,
    /// Render the scene again with fresh fix attempts (for a failed scene).
    #[arg(long, group = "change")]
    pub retry: bool,
    /// Make the video without this scene.
    #[arg(long = "drop", group = "change")]
    pub drop_scene: bool,
    /// Print JSON: the scene (when showing), or the job as `generate --json` does (when changing).
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub struct VersionsArgs {
    /// The job: its id or a unique prefix.
    pub job: String,
    #[arg(long)]
    pub json: bool,
}

fn read_file(path: &Path, what: &str) -> Result<String> {
    if !path.is_file() {
        return Err(Error::NotFound(format!("{what} file {}", path.display())));
    }
    std::fs::read_to_string(path).ctx(|| format!("reading {}", path.display()))
}

impl SceneArgs {
    /// The change asked for, if any.
    fn edit(&self) -> Result<Option<SceneEdit>> {
        Ok(Some(if let Some(t) = &self.narration {
            SceneEdit::Narration(t.clone())
        } else if let Some(f) = &self.narration_file {
            SceneEdit::Narration(read_file(f, "narration")?)
        } else if let Some(f) = &self.code {
            SceneEdit::Code(read_file(f, "code")?)
        } else if let Some(t) = &self.instruct {
            SceneEdit::Instruct(t.clone())
        } else if self.regenerate {
            SceneEdit::Regenerate
        } else if let Some(v) = self.restore {
            SceneEdit::Restore(v)
        } else if self.retry {
            SceneEdit::Retry
        } else if self.drop_scene {
            SceneEdit::Drop
        } else {
            return Ok(None);
        }))
    }
}

pub async fn scene(data: &DataDir, args: SceneArgs) -> Result<ExitCode> {
    let edit = args.edit()?;
    let app = open_app(data)?;
    let Some(edit) = edit else {
        let d = app.scene_detail(&args.job, args.scene)?;
        if args.json {
            println!(
                "{}",
                serde_json::to_string_pretty(&d).map_err(|e| Error::Internal(e.to_string()))?
            );
        } else {
            print_scene(&d);
        }
        return Ok(ExitCode::SUCCESS);
    };
    // Bad input (scene, version, writer, a running job) is refused before anything runs.
    let prepared = app.prepare_edit(&args.job, args.scene, &edit)?;
    app.pipeline()?;
    let job = prepared.job;
    if !args.json {
        eprintln!(
            "changing scene {} of job {} ({}): {}",
            args.scene,
            short_id(&job.id),
            job.topic,
            edit.change().label()
        );
    }
    let index = args.scene;
    let finished = run_managed(app, vec![job], args.json, move |m, j| {
        m.edit_scene(&j.id, index, edit.clone())
    })
    .await?;
    Ok(exit_for(&finished, 0, args.json))
}

fn print_scene(d: &SceneDetail) {
    let opt = |p: &Option<PathBuf>| {
        p.as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "-".into())
    };
    println!("Scene {}: {}", d.index, d.title);
    let dropped = if d.dropped {
        " (left out of the video)"
    } else {
        ""
    };
    println!("  status    {}{dropped}", d.status);
    println!("  version   v{} of {}", d.version, d.versions.len().max(1));
    match d.duration_secs {
        Some(s) => println!("  length    {s:.1} s"),
        None => println!("  length    -"),
    }
    println!("  code      {}", d.code_path.display());
    println!("  clip      {}", opt(&d.video));
    println!("  snapshot  {}", opt(&d.snapshot));
    if let Some(e) = &d.error {
        println!("  error     {e}");
    }
    if !d.findings.is_empty() {
        println!("  layout    {} finding(s)", d.findings.len());
    }
    println!("  narration {}", d.narration);
    for v in &d.versions {
        println!(
            "  v{:<3} {}  {}",
            v.version,
            v.created_at.get(..19).unwrap_or(&v.created_at),
            v.change.label()
        );
    }
}

pub fn versions(data: &DataDir, args: VersionsArgs) -> Result<ExitCode> {
    let app = crate::writers::open_app(data)?;
    let list = app.video_versions(&args.job)?;
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&list).map_err(|e| Error::Internal(e.to_string()))?
        );
        return Ok(ExitCode::SUCCESS);
    }
    if list.is_empty() {
        println!("no video yet");
    }
    for v in &list {
        println!(
            "v{:<3} {}  {:>6}  {:<28} {}",
            v.version,
            v.created_at.get(..19).unwrap_or(&v.created_at),
            v.duration_secs
                .map(|s| format!("{s:.1} s"))
                .unwrap_or_else(|| "-".into()),
            v.note,
            v.video.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
