//! One `manim` child per scene: quality flag, scene name always given, stdin closed, COLUMNS=200,
//! a controlled working dir, a timeout; its tqdm bars become sub-progress.

use super::lint::read_findings;
use super::warm::WarmLease;
use super::{process, Renderer};
use crate::error::{Error, IoContext, Result};
use crate::layout::LayoutCheck;
use crate::model::job::Quality;
use crate::util::tmp::publish;
#[cfg(feature = "bench-hooks")]
use crate::util::tmp::{persist, temp_beside};
use std::path::{Path, PathBuf};
use tokio_util::sync::CancellationToken;

/// A render that failed: the last error line and the stderr tail (for the fix step).
#[derive(Debug, Clone)]
pub struct RenderFailure {
    pub last_line: String,
    pub tail: String,
}

/// Progress inside one render: (fraction 0–1, message).
pub type RenderProgress<'a> = &'a mut (dyn FnMut(f64, &str) + Send);

/// Parses a tqdm line like `Animation 3: Write(Text('x')):  67%|███  | 10/15` into (index, fraction).
pub fn parse_animation_line(line: &str) -> Option<(u32, f64)> {
    let rest = line.trim_start().strip_prefix("Animation ")?;
    let (num, rest) = rest.split_once(':')?;
    let n: u32 = num.trim().parse().ok()?;
    let pct_end = rest.find("%|")?;
    let pct_start = rest[..pct_end]
        .rfind(|c: char| !c.is_ascii_digit())
        .map_or(0, |i| i + 1);
    let pct: f64 = rest[pct_start..pct_end].parse().ok()?;
    Some((n, (pct / 100.0).clamp(0.0, 1.0)))
}

/// One render attempt's own scratch dir (unique, removed when dropped, also on failure or
/// cancel) holding the code to render: two renders of one scene never share Manim's media dir.
#[derive(Debug)]
pub struct RenderWork {
    dir: tempfile::TempDir,
    script: PathBuf,
    code: String,
}

impl RenderWork {
    /// A new scratch dir inside `root` with `code` as its `scene.py` (the sandbox sees only
    /// this dir, so the code is rendered from there).
    pub fn new(root: &Path, code: &str) -> Result<RenderWork> {
        std::fs::create_dir_all(root).ctx(|| format!("creating {}", root.display()))?;
        let dir = tempfile::Builder::new()
            .prefix("render-")
            .tempdir_in(root)
            .ctx(|| format!("creating a work dir in {}", root.display()))?;
        let script = dir.path().join("scene.py");
        std::fs::write(&script, code).ctx(|| format!("writing {}", script.display()))?;
        Ok(RenderWork {
            dir,
            script,
            code: code.to_string(),
        })
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The code file the render runs (for the static check before it).
    pub fn script(&self) -> &Path {
        &self.script
    }
}

/// A render's outcome: the layout check of a render that worked, or what to fix.
pub type SceneRender = std::result::Result<LayoutCheck, RenderFailure>;

impl Renderer {
    /// Renders `class_name` from `work`'s code, publishing the result to `out` atomically, with
    /// its layout check saved beside it ([`LayoutCheck::save_beside`]).
    /// `Ok(Err(failure))` is a render error to fix; `Err` is cancellation, timeout or a tool fault.
    #[allow(clippy::too_many_arguments)]
    pub async fn render_scene(
        &self,
        work: &RenderWork,
        class_name: &str,
        quality: Quality,
        out: &Path,
        cancel: &CancellationToken,
        log_file: &Path,
        progress: RenderProgress<'_>,
    ) -> Result<SceneRender> {
        self.render_scene_with(
            None, work, class_name, quality, out, cancel, log_file, progress,
        )
        .await
    }

    /// [`Renderer::render_scene`] through a warm worker when `warm` is given (a forked child of
    /// a process that imported Manim already), else, or when the worker is gone, cold. Either
    /// way the scene runs under the layout probe; when the probe itself breaks the render (it
    /// could not start, or its code raised), the scene renders again without it and is recorded
    /// as not checked: a fault of the probe never fails a render.
    #[allow(clippy::too_many_arguments)]
    pub async fn render_scene_with(
        &self,
        warm: Option<&WarmLease>,
        work: &RenderWork,
        class_name: &str,
        quality: Quality,
        out: &Path,
        cancel: &CancellationToken,
        log_file: &Path,
        progress: RenderProgress<'_>,
    ) -> Result<SceneRender> {
        #[cfg(feature = "bench-hooks")]
        if let Some(fake) = &self.fake_render {
            fake_render(fake, out)?;
            return Ok(Ok(LayoutCheck::not_checked(
                "a prebuilt clip, not a render",
            )));
        }
        let mut probe = self.probe.is_some();
        let mut note = None;
        let (check, video, log) = loop {
            let (result, log) = self
                .render_once(warm, work, class_name, quality, probe, cancel, progress)
                .await?;
            match result {
                Ok((check, video)) => break (check, video, log),
                Err(Failed {
                    failure,
                    probe_fault: Some(fault),
                }) => {
                    let why = format!(
                        "the layout probe broke the render ({fault}; the render said: {}); rendered again without it",
                        failure.last_line
                    );
                    tracing::warn!(class_name, "{why}");
                    note = Some(why);
                    probe = false;
                }
                Err(Failed {
                    failure,
                    probe_fault: None,
                }) => {
                    write_log(log_file, &log);
                    return Ok(Err(failure));
                }
            }
        };
        write_log(log_file, &log);
        let check = match (note, self.probe.is_some()) {
            (Some(why), _) => LayoutCheck::not_checked(why),
            (None, false) => LayoutCheck::not_checked("the layout probe is not installed"),
            (None, true) => check,
        };
        if let LayoutCheck::NotChecked { why } = &check {
            tracing::debug!(class_name, "the scene is unchecked: {why}");
        }
        // The check first: whoever finds the video finds its check beside it.
        if let Err(e) = check.save_beside(out) {
            tracing::warn!("the layout check is not kept beside the render: {e}");
        }
        publish(&video, out)?;
        Ok(Ok(check))
    }

    /// One run of Manim for the scene (under the probe when `probe`): the layout check and the
    /// video it wrote, or why it wrote none; and its log.
    #[allow(clippy::too_many_arguments)]
    async fn render_once(
        &self,
        warm: Option<&WarmLease>,
        work: &RenderWork,
        class_name: &str,
        quality: Quality,
        probe: bool,
        cancel: &CancellationToken,
        progress: RenderProgress<'_>,
    ) -> Result<(std::result::Result<(LayoutCheck, PathBuf), Failed>, String)> {
        let (code, script) = (&work.code, &work.script);
        let work = work.dir();
        let media = work.join("media");
        let _ = std::fs::remove_dir_all(&media);
        let expected_anims = code.matches("self.play(").count().max(1) as f64;
        let mut args: Vec<String> = vec![
            "render".into(),
            quality.manim_flag().into(),
            "--media_dir".into(),
            media.to_string_lossy().into_owned(),
            "--format".into(),
            "mp4".into(),
        ];
        args.extend(self.manim_flags.iter().cloned());
        if let Some(t) = &self.tex_template {
            args.push("--tex_template".into());
            args.push(t.to_string_lossy().into_owned());
        }
        args.push(script.to_string_lossy().into_owned());
        args.push(class_name.into());
        let findings = work.join("findings.json");
        let _ = std::fs::remove_file(&findings);
        let run = ManimRun {
            args,
            layout: probe.then(|| (findings.clone(), script.to_path_buf())),
            work: work.to_path_buf(),
            what: format!("manim {class_name}"),
        };
        let mut log = String::new();
        let mut last_fraction = 0.0;
        let result = super::warm::run_manim(
            self,
            warm,
            &run,
            cancel,
            Some(self.scene_timeout),
            &mut |line: &str| {
                if let Some((n, f)) = parse_animation_line(line) {
                    let fraction = ((n as f64 + f) / expected_anims.max(n as f64 + 1.0)).min(0.97);
                    if fraction > last_fraction + 0.01 {
                        last_fraction = fraction;
                        progress(fraction, &format!("animation {}", n + 1));
                    }
                } else {
                    log.push_str(line);
                    log.push('\n');
                }
            },
        )
        .await;
        let output = probe.then(|| read_findings(&findings)).flatten();
        // A failed run under the probe is the probe's fault when it left no report (it did not
        // start) or says its own code raised.
        let probe_fault = probe
            .then(|| match &output {
                None => Some("it wrote no report".to_string()),
                Some(o) => o.probe_error.clone(),
            })
            .flatten();
        let failed = |last_line: String, log: &str, probe_fault: Option<String>| {
            Err(Failed {
                failure: RenderFailure {
                    last_line,
                    tail: log_tail(log),
                },
                probe_fault,
            })
        };
        let out_child = match result {
            Ok(o) => o,
            // A scene too slow is no fault of the probe (and not worth another wait).
            Err(Error::Timeout { secs, .. }) => {
                let why = format!("the render took longer than {secs} s and was stopped");
                return Ok((failed(why, &log, None), log));
            }
            Err(e) => return Err(e),
        };
        if !out_child.status.success() {
            return Ok((failed(out_child.last_error_line(), &log, probe_fault), log));
        }
        let videos = media.join("videos");
        let Some(found) = find_file(&videos, &format!("{class_name}.mp4")) else {
            let mut written = Vec::new();
            list_videos(&videos, &mut written);
            let written = if written.is_empty() {
                "no video at all".to_string()
            } else {
                written.join(", ")
            };
            let why = format!(
                "manim exited successfully but wrote no {class_name}.mp4 (it wrote {written})"
            );
            return Ok((failed(why, &log, probe_fault), log));
        };
        let check = LayoutCheck::from_output(output.as_ref(), class_name);
        Ok((Ok((check, found)), log))
    }
}

/// A run of Manim that made no video, and the probe's fault when it was the probe's.
struct Failed {
    failure: RenderFailure,
    probe_fault: Option<String>,
}

fn write_log(log_file: &Path, log: &str) {
    if let Some(dir) = log_file.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let _ = std::fs::write(log_file, log);
}

/// One `manim` run: its arguments (after `python -m manim`) and its work dir.
#[derive(Debug, Clone)]
pub struct ManimRun {
    pub args: Vec<String>,
    pub work: PathBuf,
    /// Run under the layout probe (when installed): its findings file and the scene file.
    pub layout: Option<(PathBuf, PathBuf)>,
    /// For messages: `manim <Class>`.
    pub what: String,
}

impl Renderer {
    /// What the sandbox lets a render read besides the system: the venv, the Python it is built
    /// on, the TeX template.
    pub(crate) fn manim_read_only(&self) -> Vec<PathBuf> {
        let mut read_only: Vec<PathBuf> = vec![self.python.venv.clone()];
        if let Some(base) = self.python.base_prefix() {
            read_only.push(base);
        }
        if let Some(t) = &self.tex_template {
            read_only.push(t.clone());
        }
        read_only
    }

    /// A cold render: a new sandboxed `python -m manim` for this one scene.
    pub(crate) async fn run_manim_cold(
        &self,
        run: &ManimRun,
        cancel: &CancellationToken,
        timeout: Option<std::time::Duration>,
        on_line: &mut (dyn FnMut(&str) + Send),
    ) -> Result<process::ChildOutput> {
        let mut read_only = self.manim_read_only();
        let args = match (&self.probe, &run.layout) {
            (Some(probe), Some((findings, script))) => {
                read_only.push(probe.dir.clone());
                probe.launcher_args(findings, script, &run.args)
            }
            _ => ["-m".to_string(), "manim".into()]
                .into_iter()
                .chain(run.args.iter().cloned())
                .collect(),
        };
        let cmd = self.sandbox.command(
            &self.python.python(),
            &args,
            &run.work,
            &read_only,
            &manim_env(&run.work),
        );
        process::run(cmd, &run.what, cancel, timeout, on_line).await
    }
}

/// The whole environment of a render in `work` (the sandbox adds `HOME` = `work`).
pub(crate) fn manim_env(work: &Path) -> Vec<(String, String)> {
    vec![
        ("COLUMNS".to_string(), "200".to_string()),
        ("PYTHONUNBUFFERED".into(), "1".into()),
        ("PYTHONDONTWRITEBYTECODE".into(), "1".into()),
        ("PATH".into(), "/usr/local/bin:/usr/bin:/bin".into()),
        ("LANG".into(), "C.UTF-8".into()),
        (
            "MPLCONFIGDIR".into(),
            work.join(".mpl").to_string_lossy().into_owned(),
        ),
    ]
}

/// The benchmark hook: the prebuilt clip becomes the render.
#[cfg(feature = "bench-hooks")]
fn fake_render(fake: &Path, out: &Path) -> Result<()> {
    let tmp = temp_beside(out)?;
    std::fs::copy(fake, &tmp).ctx(|| format!("copying {} to {}", fake.display(), out.display()))?;
    persist(tmp, out)
}

/// The names of the finished videos under `dir` (what a render wrote instead of the one asked).
fn list_videos(dir: &Path, out: &mut Vec<String>) {
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            if p.file_name().is_some_and(|n| n != "partial_movie_files") {
                list_videos(&p, out);
            }
        } else if p.extension().is_some_and(|x| x == "mp4") {
            out.push(e.file_name().to_string_lossy().into_owned());
        }
    }
}

fn log_tail(log: &str) -> String {
    let lines: Vec<&str> = log.lines().collect();
    lines[lines.len().saturating_sub(40)..].join("\n")
}

fn find_file(dir: &Path, name: &str) -> Option<PathBuf> {
    let entries = std::fs::read_dir(dir).ok()?;
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            if p.file_name().is_some_and(|n| n == "partial_movie_files") {
                continue;
            }
            if let Some(f) = find_file(&p, name) {
                return Some(f);
            }
        } else if p.file_name().is_some_and(|n| n == name) {
            return Some(p);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_tqdm_lines() {
        assert_eq!(
            parse_animation_line("Animation 3: Write(Text('x')):  67%|███  | 10/15 [00:01<00:00]"),
            Some((3, 0.67))
        );
        assert_eq!(
            parse_animation_line("Animation 0: FadeIn(VGroup of 2 submobjects): 100%|██| 15/15"),
            Some((0, 1.0))
        );
        assert_eq!(
            parse_animation_line("INFO     Animation 0 : Partial movie file written in"),
            None
        );
        assert_eq!(parse_animation_line("random text"), None);
    }
}
