//! `setup`: the Python venv with Manim, with a progress bar (plain lines without a terminal),
//! Ctrl-C to cancel, and the exact fix when the system lacks something.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::process::ExitCode;
use t2v_core::error::{Error, Result};
use t2v_core::paths::DataDir;
use t2v_core::render::python::{InstallerChoice, PythonEnv, SetupProgress, SetupStep};

#[derive(clap::Args)]
pub struct SetupArgs {
    /// auto (uv, pip as the fallback), uv or pip.
    #[arg(long, env = "THEORY2VIDEO_INSTALLER", default_value = "auto", value_parser = parse_installer)]
    installer: InstallerChoice,
}

fn parse_installer(s: &str) -> std::result::Result<InstallerChoice, String> {
    InstallerChoice::parse(s).ok_or_else(|| format!("{s:?}: use auto, uv or pip"))
}

pub async fn setup(data: &DataDir, args: SetupArgs) -> Result<ExitCode> {
    let env = PythonEnv::new(data.venv());
    if env.is_ready() {
        println!(
            "Python environment with Manim is ready at {}",
            env.venv.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let cancel = t2v_core::CancellationToken::new();
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
    let bar = ProgressBar::with_draw_target(Some(1000), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template(
            "{prefix:32!} [{bar:30.cyan/blue}] {percent:>3}% {elapsed} {msg:60!}",
        )
        .expect("valid template")
        .progress_chars("█▉▊▋▌▍▎▏ "),
    );
    let plain = bar.is_hidden();
    let mut last_step = None;
    let started = std::time::Instant::now();
    let mut show = |p: SetupProgress| {
        bar.set_position((p.fraction * 1000.0).round() as u64);
        bar.set_prefix(p.step.label());
        if plain && (last_step != Some(p.step) || p.step == SetupStep::Building) {
            eprintln!(
                "[{:>3.0}%] {}: {}",
                p.fraction * 100.0,
                p.step.label(),
                p.message
            );
        }
        last_step = Some(p.step);
        bar.set_message(p.message);
    };
    let result = env.ensure_with(args.installer, &cancel, &mut show).await;
    bar.finish_and_clear();
    match result {
        Ok(installer) => {
            println!(
                "Python environment with Manim is ready at {} ({} s{})",
                env.venv.display(),
                started.elapsed().as_secs(),
                installer.map_or(String::new(), |i| format!(
                    ", installed with {}",
                    i.as_str()
                ))
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(Error::ToolMissing { tool, fix }) => {
            eprintln!("The set-up stopped: {tool} is missing.\nFix: {fix}\nThen run `theory2video setup` again.");
            Ok(ExitCode::from(1))
        }
        Err(e) => Err(e),
    }
}
