//! One `manim` child per scene: quality flag, scene name always given, stdin closed, COLUMNS=200,
//! a controlled working dir, a timeout; its tqdm bars become sub-progress.

use super::{process, Renderer};
use crate::error::{Error, IoContext, Result};
use crate::job::Quality;
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

impl Renderer {
    /// Renders `class_name` from `code_file` (inside `work`), moving the result to `out`.
    /// `Ok(Err(failure))` is a render error to fix; `Err` is cancellation, timeout or a tool fault.
    #[allow(clippy::too_many_arguments)]
    pub async fn render_scene(
        &self,
        work: &Path,
        code_file: &Path,
        class_name: &str,
        quality: Quality,
        out: &Path,
        cancel: &CancellationToken,
        log_file: &Path,
        progress: RenderProgress<'_>,
    ) -> Result<std::result::Result<(), RenderFailure>> {
        std::fs::create_dir_all(work).ctx(|| format!("creating {}", work.display()))?;
        if let Some(fake) = &self.fake_render {
            return fake_render(fake, out).map(Ok);
        }
        let media = work.join("media");
        let _ = std::fs::remove_dir_all(&media);
        let code = std::fs::read_to_string(code_file)
            .ctx(|| format!("reading {}", code_file.display()))?;
        // The sandbox sees only the work dir: the code is rendered from a copy inside it.
        let script = work.join("scene.py");
        std::fs::write(&script, &code).ctx(|| format!("writing {}", script.display()))?;
        let expected_anims = code.matches("self.play(").count().max(1) as f64;
        let mut args: Vec<String> = vec![
            "-m".into(),
            "manim".into(),
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
        let mut read_only: Vec<PathBuf> = vec![self.python.venv.clone()];
        if let Some(base) = self.python.base_prefix() {
            read_only.push(base);
        }
        if let Some(t) = &self.tex_template {
            read_only.push(t.clone());
        }
        let env = vec![
            ("COLUMNS".to_string(), "200".to_string()),
            ("PYTHONUNBUFFERED".into(), "1".into()),
            ("PYTHONDONTWRITEBYTECODE".into(), "1".into()),
            ("PATH".into(), "/usr/local/bin:/usr/bin:/bin".into()),
            ("LANG".into(), "C.UTF-8".into()),
            (
                "MPLCONFIGDIR".into(),
                work.join(".mpl").to_string_lossy().into_owned(),
            ),
        ];
        let cmd = self
            .sandbox
            .command(&self.python.python(), &args, work, &read_only, &env);
        let mut log = String::new();
        let mut last_fraction = 0.0;
        let result = process::run(
            cmd,
            &format!("manim {class_name}"),
            cancel,
            Some(self.scene_timeout),
            |line| {
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
        let _ = std::fs::write(log_file, &log);
        let out_child = match result {
            Ok(o) => o,
            Err(Error::Timeout { secs, .. }) => {
                return Ok(Err(RenderFailure {
                    last_line: format!("the render took longer than {secs} s and was stopped"),
                    tail: log_tail(&log),
                }))
            }
            Err(e) => return Err(e),
        };
        if !out_child.status.success() {
            return Ok(Err(RenderFailure {
                last_line: out_child.last_error_line(),
                tail: log_tail(&log),
            }));
        }
        let Some(found) = find_file(&media.join("videos"), &format!("{class_name}.mp4")) else {
            return Ok(Err(RenderFailure {
                last_line: format!("manim finished but wrote no {class_name}.mp4 (is the Scene class named {class_name}?)"),
                tail: log_tail(&log),
            }));
        };
        if let Some(parent) = out.parent() {
            std::fs::create_dir_all(parent).ctx(|| format!("creating {}", parent.display()))?;
        }
        std::fs::rename(&found, out)
            .or_else(|_| std::fs::copy(&found, out).map(|_| ()))
            .ctx(|| format!("moving the render to {}", out.display()))?;
        let _ = std::fs::remove_dir_all(&media);
        Ok(Ok(()))
    }
}

/// The benchmark hook: the prebuilt clip becomes the render.
fn fake_render(fake: &Path, out: &Path) -> Result<()> {
    if let Some(parent) = out.parent() {
        std::fs::create_dir_all(parent).ctx(|| format!("creating {}", parent.display()))?;
    }
    std::fs::copy(fake, out).ctx(|| format!("copying {} to {}", fake.display(), out.display()))?;
    Ok(())
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
