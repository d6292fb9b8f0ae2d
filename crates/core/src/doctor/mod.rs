//! `doctor`: what is installed, what is missing, and the exact fix for each missing piece.

mod voice;

use crate::paths::DataDir;
use crate::render::python::{find_base_python, which, PythonEnv, MANIM_VERSION};
use crate::render::sandbox::Sandbox;
use crate::settings::Settings;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Check {
    pub name: String,
    pub ok: bool,
    /// Required for any video (false: optional, e.g. LaTeX).
    pub required: bool,
    pub detail: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Report {
    pub checks: Vec<Check>,
}

impl Report {
    /// Everything required is present.
    pub fn ready(&self) -> bool {
        self.checks.iter().all(|c| c.ok || !c.required)
    }
}

fn check(name: &str, ok: bool, required: bool, detail: String, fix: &str) -> Check {
    Check {
        name: name.into(),
        ok,
        required,
        detail,
        fix: (!ok).then(|| fix.to_string()),
    }
}

fn tool_version(path: &std::path::Path, arg: &str) -> String {
    std::process::Command::new(path)
        .arg(arg)
        .stdin(std::process::Stdio::null())
        .output()
        .ok()
        .map(|o| {
            let s = if o.stdout.is_empty() {
                o.stderr
            } else {
                o.stdout
            };
            String::from_utf8_lossy(&s)
                .lines()
                .next()
                .unwrap_or("")
                .trim()
                .to_string()
        })
        .unwrap_or_default()
}

/// The sandbox line's fix: turn it on in Settings, install bubblewrap, or let it make namespaces.
fn sandbox_fix(enabled: bool) -> String {
    if !enabled {
        "turn on \"Render generated code in a sandbox\" in the app's Settings (\"sandbox\": true in the data dir's settings.json)".into()
    } else if !cfg!(target_os = "linux") {
        "no sandbox on this platform: renders run with your user's rights".into()
    } else if which("bwrap").is_none() {
        "sudo apt-get install bubblewrap".into()
    } else {
        "allow user namespaces: sudo sysctl -w kernel.unprivileged_userns_clone=1 (Debian); on Ubuntu 24.04+: sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0".into()
    }
}

/// Checks this machine for what `settings` needs (its sandbox choice, its voice).
pub fn run(data: &DataDir, settings: &Settings) -> Report {
    let sandbox_enabled = settings.sandbox;
    let mut checks = Vec::new();
    let py = find_base_python();
    checks.push(check(
        "python",
        py.is_some(),
        true,
        py.as_ref().map_or("not found".into(), |p| format!("{} ({})", p.display(), tool_version(p, "--version"))),
        "sudo apt-get install python3 python3-venv (macOS: brew install python; Windows: winget install Python.Python.3.12)",
    ));
    let env = PythonEnv::new(data.venv());
    checks.push(check(
        "manim",
        env.is_ready(),
        true,
        if env.is_ready() {
            format!("Manim {MANIM_VERSION} in {}", env.venv.display())
        } else {
            format!(
                "no venv with Manim {MANIM_VERSION} at {}: set it up with Set up Python (the app's doctor) or `theory2video setup` (a job's first stage also does it; ~475 MB, once)",
                env.venv.display()
            )
        },
        "theory2video setup (needs: sudo apt-get install pkg-config libpango1.0-dev libcairo2-dev python3-dev gcc)",
    ));
    for tool in ["ffmpeg", "ffprobe"] {
        let p = which(tool);
        checks.push(check(
            tool,
            p.is_some(),
            true,
            p.as_ref().map_or("not found".into(), |p| tool_version(p, "-version")),
            "sudo apt-get install ffmpeg (macOS: brew install ffmpeg; Windows: winget install ffmpeg)",
        ));
    }
    let latex = which("latex");
    let dvisvgm = which("dvisvgm");
    checks.push(check(
        "latex",
        latex.is_some() && dvisvgm.is_some(),
        false,
        match (&latex, &dvisvgm) {
            (Some(_), Some(_)) => "latex and dvisvgm found: formulas use MathTex".into(),
            _ => "missing: formulas are drawn as plain text".into(),
        },
        "sudo apt-get install --no-install-recommends texlive-latex-base dvisvgm",
    ));
    let sb = Sandbox::detect(sandbox_enabled);
    checks.push(check(
        "sandbox",
        sb.is_on(),
        false,
        sb.describe(),
        &sandbox_fix(sandbox_enabled),
    ));
    checks.extend(voice::run(data, &settings.voice));
    let missing = crate::lang::missing_fonts();
    checks.push(check(
        "fonts",
        missing.is_empty(),
        false,
        if missing.is_empty() {
            "every video language (en, de, fr, es, zh) has a font".into()
        } else {
            let langs: Vec<&str> = missing.iter().map(|m| m.lang.code()).collect();
            format!(
                "no font for: {} (their text would show as boxes)",
                langs.join(", ")
            )
        },
        &{
            let mut pkgs: Vec<&str> = missing.iter().map(|m| m.package).collect();
            pkgs.dedup();
            format!("sudo apt-get install {}", pkgs.join(" "))
        },
    ));
    let probe = data.root().join(".write-test");
    let writable = std::fs::write(&probe, b"ok").is_ok();
    let _ = std::fs::remove_file(&probe);
    checks.push(check(
        "data dir",
        writable,
        true,
        data.root().display().to_string(),
        "make the data dir writable or choose another with --data-dir / THEORY2VIDEO_DATA_DIR",
    ));
    Report { checks }
}
