//! `cleanup [--dry-run]`.

use clap::Args;
use std::process::ExitCode;
use t2v_core::paths::DataDir;
use t2v_core::Result;

#[derive(Args)]
pub struct CleanupArgs {
    /// List what would be removed, remove nothing.
    #[arg(long)]
    pub dry_run: bool,
    #[arg(long)]
    pub json: bool,
}

pub async fn cleanup(data: &DataDir, a: CleanupArgs) -> Result<ExitCode> {
    let settings = t2v_core::app::Settings::load(data);
    let renderer = t2v_core::render::Renderer::detect(data, &settings.render_settings()).ok();
    if renderer.is_none() && !a.json {
        eprintln!("note: ffmpeg not found; videos are not checked");
    }
    let report = t2v_core::cleanup::run(data, renderer.as_ref(), !a.dry_run).await?;
    if a.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&report).unwrap_or_default()
        );
        return Ok(ExitCode::SUCCESS);
    }
    for c in &report.corrupt {
        println!(
            "{} {}: {}",
            if a.dry_run { "would remove" } else { "removed" },
            c.path.display(),
            c.reason
        );
    }
    println!(
        "{} artefacts scanned, {} corrupted{}",
        report.scanned,
        report.corrupt.len(),
        if a.dry_run {
            " (dry run: nothing removed)".to_string()
        } else {
            format!(", {} removed", report.removed)
        }
    );
    Ok(ExitCode::SUCCESS)
}
