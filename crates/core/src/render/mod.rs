//! Rendering: the Python venv with Manim, one sandboxed `manim` child per scene, and ffmpeg.

pub mod code_check;
pub mod corpus;
pub mod ffmpeg;
pub mod lint;
pub mod manim;
pub mod process;
pub mod python;
pub mod sandbox;
pub mod warm;
#[cfg(unix)]
pub mod warm_worker;

use crate::error::{Error, Result};
use crate::layout::probe::ProbeFiles;
use crate::paths::DataDir;
use python::{which, PythonEnv};
use sandbox::Sandbox;
use std::path::PathBuf;
use std::time::Duration;

/// The LaTeX template for MathTex: the `article` class works with Debian's texlive-latex-base
/// (the default template needs texlive-latex-extra).
const ARTICLE_TEMPLATE: &str = r"\documentclass{article}
\usepackage[english]{babel}
\usepackage{amsmath}
\usepackage{amssymb}
\pagestyle{empty}
\begin{document}
YourTextHere
\end{document}
";

/// Everything needed to render and combine.
#[derive(Debug, Clone)]
pub struct Renderer {
    pub python: PythonEnv,
    pub ffmpeg: PathBuf,
    pub ffprobe: PathBuf,
    pub sandbox: Sandbox,
    /// LaTeX and dvisvgm are installed: MathTex works.
    pub latex: bool,
    pub tex_template: Option<PathBuf>,
    pub scene_timeout: Duration,
    /// Extra `manim render` flags (default [`DEFAULT_MANIM_FLAGS`], measured in
    /// docs/performance.md).
    pub manim_flags: Vec<String>,
    /// Benchmark hook: when set, `render_scene` copies this prebuilt MP4 to the output
    /// instead of running Manim (the code is still checked). Only with the `bench-hooks` feature.
    #[cfg(feature = "bench-hooks")]
    pub fake_render: Option<PathBuf>,
    /// The layout probe every render runs under (`None`: it could not be installed, and
    /// scenes go unchecked).
    pub probe: Option<ProbeFiles>,
    /// Warm (a Manim worker per job, forked per scene) or cold (a new Manim per scene).
    pub render_mode: warm::RenderMode,
    /// The warm workers (shared by every clone of this renderer).
    pub warm: warm::WarmPool,
    /// The warm worker's script, or why there is none (then renders are cold).
    pub worker_script: std::result::Result<PathBuf, String>,
}

/// The `manim render` flags every scene gets (measured by `theory2video-bench --only manim`, see
/// docs/performance.md). Caching is off: each render starts from an empty media dir, so manim's
/// hashing buys nothing. Two encoders in flight let encoding overlap drawing: 10–18 % faster
/// alone and ~5 % with two scenes at once; four were no faster than two and took 1.8 GB at
/// `-qh` (two: 1.1 GB; one: 0.66 GB).
pub const DEFAULT_MANIM_FLAGS: &[&str] = &["--disable_caching", "--max-inflight-encoders", "2"];

/// Render settings the user can change.
#[derive(Debug, Clone)]
pub struct RenderSettings {
    pub sandbox: bool,
    pub scene_timeout: Duration,
    pub memory_limit_mb: u64,
    pub render_mode: warm::RenderMode,
}

impl Default for RenderSettings {
    fn default() -> Self {
        RenderSettings {
            sandbox: true,
            scene_timeout: Duration::from_secs(600),
            memory_limit_mb: 4096,
            render_mode: warm::RenderMode::Warm,
        }
    }
}

impl Renderer {
    /// Finds the tools. Fails with `tool_missing` (and the fix) when ffmpeg is absent; the venv is
    /// checked (and created) by [`PythonEnv::ensure`] at job start.
    pub fn detect(data: &DataDir, settings: &RenderSettings) -> Result<Renderer> {
        let ffmpeg = which("ffmpeg").ok_or_else(|| Error::ToolMissing {
            tool: "ffmpeg".into(),
            fix: "sudo apt-get install ffmpeg (macOS: brew install ffmpeg; Windows: winget install ffmpeg)".into(),
        })?;
        let ffprobe = which("ffprobe").ok_or_else(|| Error::ToolMissing {
            tool: "ffprobe".into(),
            fix: "sudo apt-get install ffmpeg (ffprobe comes with it)".into(),
        })?;
        let latex = latex_available();
        let tex_template = if latex {
            let path = data.tex_template();
            if std::fs::read_to_string(&path).ok().as_deref() != Some(ARTICLE_TEMPLATE) {
                if let Some(p) = path.parent() {
                    std::fs::create_dir_all(p)
                        .map_err(|e| Error::io("creating the tex folder", e))?;
                }
                std::fs::write(&path, ARTICLE_TEMPLATE)
                    .map_err(|e| Error::io("writing the tex template", e))?;
            }
            Some(path)
        } else {
            None
        };
        let mut sandbox = Sandbox::detect(settings.sandbox);
        sandbox.memory_limit = settings.memory_limit_mb.saturating_mul(1 << 20);
        Ok(Renderer {
            python: PythonEnv::new(data.venv()),
            ffmpeg,
            ffprobe,
            sandbox,
            latex,
            tex_template,
            scene_timeout: settings.scene_timeout,
            manim_flags: DEFAULT_MANIM_FLAGS.iter().map(|s| s.to_string()).collect(),
            #[cfg(feature = "bench-hooks")]
            fake_render: None,
            probe: install_probe(data),
            render_mode: settings.render_mode,
            warm: warm::WarmPool::default(),
            worker_script: warm::install_worker_script(&data.render_worker()),
        })
    }
}

/// LaTeX (`latex`) and `dvisvgm` are both on PATH.
pub fn latex_available() -> bool {
    std::env::var_os("THEORY2VIDEO_NO_LATEX").is_none()
        && which("latex").is_some()
        && which("dvisvgm").is_some()
}

/// The layout probe's files in the data dir; a failure is logged and leaves scenes unchecked.
fn install_probe(data: &DataDir) -> Option<ProbeFiles> {
    ProbeFiles::install(&data.root().join("tools"))
        .map_err(|e| tracing::warn!("the layout probe is not installed ({e}); scenes go unchecked"))
        .ok()
}
