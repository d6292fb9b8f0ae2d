//! `theory2video-bench` (its own binary, not part of the user's CLI): measures what users feel, each figure the median of several runs and,
//! where the target is a ratio, against a baseline measured in the same run. Prints a table, or
//! JSON with `--json`. Everything runs in a scratch dir; the user's jobs are never touched (only
//! the Python venv with Manim is borrowed). See docs/performance.md.

mod history;
mod jobs;
mod layout;
mod manager;
mod pictures;
mod progress;
mod render;
mod stats;
mod studio;
mod warm;
mod writer;

use clap::{Args, Parser};
use stats::Figure;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use t2v_core::paths::DataDir;
use t2v_core::render::python::PythonEnv;
use t2v_core::store::Store;
use t2v_core::Result;
use writer::BenchWriters;

const GROUPS: &[&str] = &[
    "progress", "storm", "overhead", "rerun", "render", "manim", "warm", "history", "import",
    "app", "layout", "pictures", "studio",
];

#[derive(Parser)]
#[command(
    name = "theory2video-bench",
    version,
    about = "Measure latency, overhead, caching, rendering and history against their targets."
)]
struct Cli {
    /// The data dir whose Python venv with Manim is borrowed (default: the platform data dir);
    /// nothing else in it is touched.
    #[arg(long, env = "THEORY2VIDEO_DATA_DIR", value_name = "DIR")]
    data_dir: Option<PathBuf>,
    #[command(flatten)]
    bench: BenchArgs,
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
    match rt.block_on(bench(&data, cli.bench)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error [{}]: {e}", e.code());
            ExitCode::from(1)
        }
    }
}

#[derive(Args)]
struct BenchArgs {
    /// Print machine-readable JSON (figures, baselines, ratios, load) instead of a table.
    #[arg(long)]
    json: bool,
    /// A smaller run: fewer repetitions and events, 10 000 history jobs instead of 100 000.
    #[arg(long)]
    quick: bool,
    /// Only these groups (comma-separated): progress, storm, overhead, rerun, render, manim,
    /// warm, history, import, app, layout, pictures, studio.
    #[arg(long, value_delimiter = ',', value_name = "GROUPS")]
    only: Vec<String>,
    /// Render jobs with a prebuilt clip instead of Manim in the re-run benchmarks.
    #[arg(long)]
    fake_render: bool,
}

fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

async fn bench(data: &DataDir, a: BenchArgs) -> Result<ExitCode> {
    for g in &a.only {
        if !GROUPS.contains(&g.as_str()) {
            return Err(t2v_core::Error::Config(format!(
                "unknown group {g:?}; use {}",
                GROUPS.join(", ")
            )));
        }
    }
    let on = |g: &str| a.only.is_empty() || a.only.iter().any(|o| o == g);
    let q = a.quick;
    let runs = if q { 3 } else { 5 };
    let scratch = std::env::temp_dir().join(format!("t2v-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).map_err(|e| t2v_core::Error::io("scratch dir", e))?;
    let venv = data.venv();
    // The job manager builds its own renderer from the (scratch) data dir: point it at the venv.
    if std::env::var_os(t2v_core::paths::VENV_ENV).is_none() {
        std::env::set_var(t2v_core::paths::VENV_ENV, &venv);
    }
    let manim = PythonEnv::new(venv.clone()).is_ready();
    let no_manim = "the Manim venv is not ready (run `theory2video setup`)";
    let load_before = load();
    let mut figs: Vec<Figure> = Vec::new();
    let say = |what: &str| {
        if !a.json {
            eprintln!("… {what} (load {})", load());
        }
    };
    if on("progress") || on("storm") {
        let store = Arc::new(Store::open(&scratch.join("progress.sqlite3"))?);
        if on("progress") {
            say("progress latency");
            figs.extend(progress::latency(&store, runs, if q { 500 } else { 2000 })?);
            if manim {
                say("progress latency via the job manager");
                figs.extend(manager::latency(&scratch.join("manager"), runs).await?);
            }
        }
        if on("storm") {
            say("event storm");
            figs.extend(progress::storm(&store, runs, 10_000)?);
        }
    }
    if on("pictures") {
        say("pictures");
        figs.push(pictures::share());
    }
    if on("history") {
        say("history");
        figs.extend(history::history(
            &scratch,
            runs,
            if q { 10_000 } else { 100_000 },
        )?);
    }
    if on("import") {
        say("240-entry import");
        figs.extend(history::import(&scratch, runs, 240)?);
    }
    let probe = jobs::rig(&scratch.join("probe"), &venv, None, 2)?;
    let renderer = probe.app.renderer(&probe.app.settings())?;
    let tiny = jobs::tiny_clip(&renderer.ffmpeg, &scratch.join("tiny.mp4")).await?;
    if on("overhead") {
        say("orchestration overhead");
        figs.extend(if manim {
            jobs::overhead(&scratch.join("overhead"), &venv, &tiny, runs).await?
        } else {
            vec![Figure::not_measured(
                "overhead.per_job_ms",
                "Orchestration overhead",
                no_manim,
            )]
        });
    }
    if on("rerun") {
        say("re-run and one changed scene");
        let fake = (a.fake_render || !manim).then_some(tiny.as_path());
        if manim {
            let n = if q { 3 } else { 5 };
            figs.extend(jobs::rerun(&scratch.join("rerun"), &venv, fake, runs.min(3), n).await?);
        } else {
            figs.push(Figure::not_measured("rerun.wall_ms", "Re-run", no_manim));
        }
    }
    if on("studio") {
        say("one-scene edit (scene studio)");
        if manim {
            figs.extend(studio::edit(&scratch.join("studio"), &venv, runs.min(3)).await?);
        } else {
            figs.push(Figure::not_measured(
                "studio.edit_ms",
                "One-scene edit",
                no_manim,
            ));
        }
    }
    if on("render") {
        say("parallel rendering");
        figs.extend(if manim {
            render::parallel(&renderer, &scratch.join("render"), if q { 2 } else { 3 }).await?
        } else {
            vec![Figure::not_measured(
                "render.parallel_ms",
                "Parallel rendering",
                no_manim,
            )]
        });
    }
    if on("manim") {
        say("manim flags");
        figs.extend(if manim {
            render::settings(&renderer, &scratch.join("flags"), if q { 1 } else { 3 }).await?
        } else {
            vec![Figure::not_measured("manim", "Manim flags", no_manim)]
        });
    }
    if on("layout") {
        say("layout check on Manim's documentation examples");
        figs.extend(if manim {
            layout::corpus(&renderer, &scratch.join("layout"), q).await?
        } else {
            vec![Figure::not_measured("layout", "Layout check", no_manim)]
        });
    }
    if on("warm") {
        say("warm renders against cold");
        figs.extend(if manim {
            warm::warm(
                &scratch.join("warm"),
                &venv,
                &renderer,
                if q { 2 } else { 3 },
            )
            .await?
        } else {
            vec![Figure::not_measured("warm", "Warm renders", no_manim)]
        });
    }
    if on("app") {
        figs.push(app_figure());
    }
    let _ = std::fs::remove_dir_all(&scratch);
    print(&figs, &a, &load_before, &load());
    Ok(if figs.iter().any(|f| f.pass == Some(false)) {
        ExitCode::from(3)
    } else {
        ExitCode::SUCCESS
    })
}

/// The desktop app's launch time and memory need its binary built in this target dir.
fn app_figure() -> Figure {
    let bin = std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(|d| d.join("theory2video-desktop")));
    let why = match bin {
        Some(b) if b.exists() => {
            "the desktop app binary exists but its launch/RSS probe is not \
                                  part of this command yet (see docs/performance.md)"
        }
        _ => {
            "the desktop app (src-tauri) is not built here: launch to first paint and RSS were \
              not measured"
        }
    };
    Figure::not_measured("app.first_paint_ms", "App launch to first paint; RSS", why)
}

fn num(v: Option<f64>) -> String {
    match v {
        None => "—".into(),
        Some(x) if x.abs() >= 100.0 => format!("{x:.0}"),
        Some(x) if x.abs() >= 10.0 => format!("{x:.1}"),
        Some(x) => format!("{x:.3}"),
    }
}

fn print(figs: &[Figure], a: &BenchArgs, before: &str, after: &str) {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    if a.json {
        let v = serde_json::json!({
            "quick": a.quick,
            "cores": cores,
            "load_before": before,
            "load_after": after,
            "figures": figs,
        });
        println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
        return;
    }
    println!("load average before {before}, after {after}; {cores} cores");
    println!(
        "{:<42} {:>10} {:<7} {:>10} {:>8}  {:<26} ok",
        "what", "value", "unit", "baseline", "ratio", "target"
    );
    for f in figs {
        let ok = match f.pass {
            Some(true) => "yes",
            Some(false) => "NO",
            None => "",
        };
        println!(
            "{:<42} {:>10} {:<7} {:>10} {:>8}  {:<26} {ok}",
            f.what,
            num(f.value),
            f.unit,
            num(f.baseline),
            num(f.ratio),
            f.target
        );
    }
    println!();
    for f in figs.iter().filter(|f| !f.note.is_empty()) {
        println!("{}: {}", f.key, f.note);
    }
}
