//! The layout probe on a scene file in Manim's dry run (no video written), sandboxed like a
//! render: `theory2video lint` and the corpus runner use it.

use super::{process, Renderer};
use crate::error::{Error, IoContext, Result};
use crate::job::Quality;
use crate::layout::probe::ProbeFiles;
use crate::layout::ProbeOutput;
use std::path::{Path, PathBuf};
use tokio_util::sync::CancellationToken;

/// What a lint run left.
#[derive(Debug, Clone)]
pub struct LintRun {
    /// The probe's reports, one per scene that started (`None`: the file never got that far).
    pub output: Option<ProbeOutput>,
    /// Manim exited 0.
    pub success: bool,
    /// The last error line of a failed run (`SyntaxError: …`).
    pub last_error: String,
}

impl Renderer {
    /// The environment and read-only paths every Manim child gets (renders and probes alike).
    pub fn manim_sandbox_parts(&self, work: &Path) -> (Vec<PathBuf>, Vec<(String, String)>) {
        (self.manim_read_only(), super::manim::manim_env(work))
    }

    /// Runs the probe over `file` in a dry run: every scene when `scene` is `None`. `work` is an
    /// empty scratch dir (the only writable place in the sandbox).
    pub async fn lint_file(
        &self,
        probe: &ProbeFiles,
        file: &Path,
        scene: Option<&str>,
        quality: Quality,
        work: &Path,
        cancel: &CancellationToken,
    ) -> Result<LintRun> {
        std::fs::create_dir_all(work).ctx(|| format!("creating {}", work.display()))?;
        let code = std::fs::read_to_string(file).ctx(|| format!("reading {}", file.display()))?;
        let script = work.join("scene.py");
        std::fs::write(&script, &code).ctx(|| format!("writing {}", script.display()))?;
        let findings = work.join("findings.json");
        let _ = std::fs::remove_file(&findings);
        let mut manim: Vec<String> = vec![
            "render".into(),
            quality.manim_flag().into(),
            "--dry_run".into(),
            "--disable_caching".into(),
            "--progress_bar".into(),
            "none".into(),
            "--media_dir".into(),
            work.join("media").to_string_lossy().into_owned(),
        ];
        if let Some(t) = &self.tex_template {
            manim.push("--tex_template".into());
            manim.push(t.to_string_lossy().into_owned());
        }
        manim.push(script.to_string_lossy().into_owned());
        match scene {
            Some(s) => manim.push(s.to_string()),
            None => manim.push("-a".into()),
        }
        let mut args = probe.launcher_args(&findings, &script, &manim);
        // Geometry only: a dry run writes no video, so Cairo need not draw the frames either.
        args.insert(1, "--no-draw".into());
        let (mut read_only, env) = self.manim_sandbox_parts(work);
        read_only.push(probe.dir.clone());
        let cmd = self
            .sandbox
            .command(&self.python.python(), &args, work, &read_only, &env);
        let out = match process::run(
            cmd,
            "manim (layout check)",
            cancel,
            Some(self.scene_timeout),
            |_| {},
        )
        .await
        {
            Ok(o) => o,
            Err(Error::Timeout { secs, .. }) => {
                return Ok(LintRun {
                    output: read_findings(&findings),
                    success: false,
                    last_error: format!("the scene took longer than {secs} s and was stopped"),
                })
            }
            Err(e) => return Err(e),
        };
        Ok(LintRun {
            output: read_findings(&findings),
            success: out.status.success(),
            last_error: if out.status.success() {
                String::new()
            } else {
                out.last_error_line()
            },
        })
    }
}

/// The probe's findings file, when it wrote a valid one.
pub fn read_findings(path: &Path) -> Option<ProbeOutput> {
    let text = std::fs::read_to_string(path).ok()?;
    ProbeOutput::parse(&text).ok()
}
