//! `theory2video lint FILE.py [SCENE] [--quality Q] [--json]`: the layout check on a scene file,
//! in Manim's dry run (no video written), sandboxed like a render.
//!
//! Contract (other tools rely on it): with `--json`, one object per scene on its own line,
//! `{"file","scene","problems":[{"kind","severity","what","box","t","line",…}],"error"}`.
//! Exit 0 when clean (warnings allowed), 1 when any error-level problem is found, 2 when the file
//! cannot be run.

use clap::Args;
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use t2v_core::layout::probe::ProbeFiles;
use t2v_core::layout::{describe, SceneReport};
use t2v_core::paths::DataDir;
use t2v_core::render::Renderer;
use t2v_core::{CancellationToken, Quality, Result};

#[derive(Args)]
pub struct LintArgs {
    /// The Manim scene file.
    file: PathBuf,
    /// One scene class (default: every scene in the file).
    scene: Option<String>,
    /// preview (480p), standard (720p) or high (1080p): text size is judged at this resolution.
    #[arg(long, default_value = "preview")]
    quality: String,
    /// One JSON object per scene per line.
    #[arg(long)]
    json: bool,
}

const CANNOT_RUN: u8 = 2;

fn fail(a: &LintArgs, why: &str) -> ExitCode {
    if a.json {
        println!(
            "{}",
            json!({"file": a.file, "scene": a.scene, "problems": [], "error": why})
        );
    } else {
        eprintln!("{}: cannot run: {why}", a.file.display());
    }
    ExitCode::from(CANNOT_RUN)
}

pub async fn lint(data: &DataDir, a: LintArgs) -> Result<ExitCode> {
    let Some(quality) = Quality::parse(&a.quality) else {
        return Ok(fail(
            &a,
            &format!(
                "unknown quality {:?}; use preview, standard or high",
                a.quality
            ),
        ));
    };
    if !a.file.is_file() {
        return Ok(fail(&a, "no such file"));
    }
    let settings = t2v_core::app::Settings::load(data);
    let renderer = match Renderer::detect(data, &settings.render_settings()) {
        Ok(r) => r,
        Err(e) => return Ok(fail(&a, &e.to_string())),
    };
    if !renderer.python.is_ready() {
        return Ok(fail(
            &a,
            "the Manim venv is not ready (run `theory2video setup`)",
        ));
    }
    let probe = ProbeFiles::install(&data.root().join("tools"))?;
    let work = std::env::temp_dir().join(format!("t2v-lint-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    let cancel = CancellationToken::new();
    let c2 = cancel.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            c2.cancel();
        }
    });
    let run = renderer
        .lint_file(&probe, &a.file, a.scene.as_deref(), quality, &work, &cancel)
        .await;
    let _ = std::fs::remove_dir_all(&work);
    let run = run?;
    let probe_error = run.output.as_ref().and_then(|o| o.probe_error.clone());
    let scenes: Vec<SceneReport> = run.output.map(|o| o.scenes).unwrap_or_default();
    if scenes.is_empty() {
        let why = if let Some(e) = probe_error {
            format!("the layout probe failed: {e}")
        } else if run.last_error.is_empty() {
            "manim found no scene to run".to_string()
        } else {
            run.last_error
        };
        return Ok(fail(&a, &why));
    }
    let mut errors = 0;
    let mut broken = !run.success;
    for s in &scenes {
        errors += s.errors();
        // A fault of the probe leaves no verdict on the scene: it counts as not run.
        broken |= s.error.is_some() || s.probe_error.is_some();
        if a.json {
            println!("{}", scene_json(&a.file, s));
        } else {
            print_scene(&a.file, s);
        }
    }
    if !run.success && scenes.iter().all(|s| s.error.is_none()) && !a.json {
        eprintln!("{}: manim failed: {}", a.file.display(), run.last_error);
    }
    Ok(if broken {
        ExitCode::from(CANNOT_RUN)
    } else if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn scene_json(file: &Path, s: &SceneReport) -> serde_json::Value {
    let problems: Vec<serde_json::Value> = s
        .findings
        .iter()
        .map(|f| {
            let mut v = serde_json::to_value(f).unwrap_or_default();
            if let Some(o) = v.as_object_mut() {
                o.insert("message".into(), describe(f).into());
            }
            v
        })
        .collect();
    json!({
        "file": file,
        "scene": s.scene,
        "problems": problems,
        "not_checked": s.not_checked,
        "error": scene_error(s),
    })
}

fn print_scene(file: &Path, s: &SceneReport) {
    let f = file.display();
    for p in &s.findings {
        match p.line {
            Some(l) => println!("{f}:{l}: {}: {}", p.severity.as_str(), describe(p)),
            None => println!("{f}: {}: {}", p.severity.as_str(), describe(p)),
        }
    }
    for n in &s.not_checked {
        println!("{f}: {}: note: {n}", s.scene);
    }
    match scene_error(s) {
        Some(e) => println!("{f}: {}: cannot run: {e}", s.scene),
        None if s.findings.is_empty() => println!("{f}: {}: clean", s.scene),
        None => println!(
            "{f}: {}: {} error(s), {} warning(s)",
            s.scene,
            s.errors(),
            s.warnings()
        ),
    }
}

/// Why a scene has no verdict: it raised, or the probe itself failed on it.
fn scene_error(s: &SceneReport) -> Option<String> {
    s.error.clone().or_else(|| {
        s.probe_error
            .as_ref()
            .map(|e| format!("the layout probe failed: {e}"))
    })
}
