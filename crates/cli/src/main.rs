//! `theory2video`: the command-line driver of the core pipeline.

mod bars;
mod cleanup;
mod generate;
mod jobs;
mod lint;
mod setup;
mod studio;
mod writers;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;
use t2v_core::paths::DataDir;

#[derive(Parser)]
#[command(
    name = "theory2video",
    version,
    about = "Turn a topic (a theorem, a concept) into an explainer video."
)]
struct Cli {
    /// Where jobs, cache and videos live (default: the platform data dir).
    #[arg(long, global = true, env = "THEORY2VIDEO_DATA_DIR", value_name = "DIR")]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Make videos from topic files (.md, .txt, .json) or from --topic/--description.
    Generate(generate::GenerateArgs),
    /// List jobs, newest first.
    Jobs(jobs::JobsArgs),
    /// Show one job with its events.
    Show(jobs::ShowArgs),
    /// Resume an interrupted, failed or cancelled job, reusing every valid artefact.
    Resume(generate::ResumeArgs),
    /// Show one scene of a job, or change it (narration, code, instruction, regenerate, restore,
    /// retry, drop) and make a new video version.
    Scene(studio::SceneArgs),
    /// List a job's video versions: what changed, when, the path.
    Versions(studio::VersionsArgs),
    /// Delete a finished job and its outputs (cache shared with other jobs is kept).
    Delete(jobs::ShowArgs),
    /// Find corrupted cache artefacts and remove them (never a valid one).
    Cleanup(cleanup::CleanupArgs),
    /// Check Python, Manim, ffmpeg, LaTeX and the sandbox, with the fix for what is missing.
    Doctor(jobs::DoctorArgs),
    /// Create the Python environment with Manim now (otherwise done by the first job).
    Setup(setup::SetupArgs),
    /// Check a Manim scene file's layout (text off the frame, overlapping, too small) in a dry run.
    Lint(lint::LintArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let data = match DataDir::resolve(cli.data_dir.as_deref()) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error [{}]: {e}", e.code());
            return ExitCode::from(2);
        }
    };
    let _guard = t2v_core::logging::init(&data, "theory2video.log");
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::from(2);
        }
    };
    let result = rt.block_on(async move {
        match cli.command {
            Command::Generate(a) => generate::generate(&data, a).await,
            Command::Resume(a) => generate::resume(&data, a).await,
            Command::Jobs(a) => jobs::list(&data, a),
            Command::Show(a) => jobs::show(&data, a),
            Command::Delete(a) => jobs::delete(&data, a),
            Command::Scene(a) => studio::scene(&data, a).await,
            Command::Versions(a) => studio::versions(&data, a),
            Command::Cleanup(a) => cleanup::cleanup(&data, a).await,
            Command::Doctor(a) => jobs::doctor(&data, a),
            Command::Setup(a) => setup::setup(&data, a).await,
            Command::Lint(a) => lint::lint(&data, a).await,
        }
    });
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error [{}]: {e}", e.code());
            ExitCode::from(if e.code() == t2v_core::ErrorCode::Cancelled {
                130
            } else {
                1
            })
        }
    }
}
