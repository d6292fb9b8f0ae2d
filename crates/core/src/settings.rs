//! User settings, stored as JSON in the data dir: the defaults of new jobs and how jobs run.

use crate::error::{Error, Result};
use crate::model::job::{JobOptions, Quality, WriterSpec};
use crate::paths::DataDir;
use crate::render::RenderSettings;
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// User settings, stored as JSON in the data dir.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct Settings {
    pub quality: Quality,
    pub writer: WriterSpec,
    /// Scenes rendered at once (default: number of cores).
    pub render_concurrency: usize,
    /// Jobs run at once by the desktop app.
    pub job_concurrency: usize,
    pub max_fix_attempts: u32,
    pub sandbox: bool,
    pub scene_timeout_secs: u64,
    pub memory_limit_mb: u64,
    /// Warm renders (Manim imported once per job, each scene a forked child); `false` forces
    /// one new Manim process per scene (the cold path).
    pub warm_renders: bool,
    /// Narration voice for new jobs.
    pub voice: crate::model::voice::VoiceSpec,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            quality: Quality::Preview,
            writer: WriterSpec::default(),
            render_concurrency: std::thread::available_parallelism().map_or(2, |n| n.get()),
            job_concurrency: 1,
            max_fix_attempts: 3,
            sandbox: true,
            scene_timeout_secs: 600,
            memory_limit_mb: 4096,
            warm_renders: true,
            voice: crate::model::voice::VoiceSpec::default(),
        }
    }
}

impl Settings {
    /// The saved settings, or the defaults when there are none. A file that cannot be read as
    /// settings is logged and kept beside it as `settings.json.corrupt-<time>` (so nothing the
    /// user wrote is lost), and the defaults are used.
    pub fn load(data: &DataDir) -> Settings {
        let path = data.settings();
        let text = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) => {
                if e.kind() != std::io::ErrorKind::NotFound {
                    tracing::warn!(path = %path.display(), %e, "settings unreadable; using defaults");
                }
                return Settings::default();
            }
        };
        match std::str::from_utf8(&text)
            .map_err(|e| e.to_string())
            .and_then(|t| serde_json::from_str(t).map_err(|e| e.to_string()))
        {
            Ok(s) => s,
            Err(e) => {
                let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S%.3fZ");
                let kept = path.with_file_name(format!("settings.json.corrupt-{stamp}"));
                match std::fs::rename(&path, &kept) {
                    Ok(()) => tracing::warn!(
                        path = %path.display(), kept = %kept.display(), %e,
                        "settings file is damaged; kept it aside and using defaults"
                    ),
                    Err(re) => tracing::warn!(
                        path = %path.display(), %e, %re,
                        "settings file is damaged and could not be kept aside; using defaults"
                    ),
                }
                Settings::default()
            }
        }
    }

    /// The limits every front end enforces (the desktop form and `set_settings`).
    pub fn validate(&self) -> Result<()> {
        let bad = |m: &str| Error::InvalidField(crate::error::InputProblem::Other(m.into()));
        if !(1..=8).contains(&self.job_concurrency) {
            return Err(bad("jobs at once must be between 1 and 8"));
        }
        if !(1..=64).contains(&self.render_concurrency) {
            return Err(bad("scenes at once must be between 1 and 64"));
        }
        if self.scene_timeout_secs < 10 || self.memory_limit_mb < 256 || self.max_fix_attempts > 10
        {
            return Err(bad("scene time limit ≥ 10 s, memory ≥ 256 MB, fixes ≤ 10"));
        }
        Ok(())
    }

    pub fn save(&self, data: &DataDir) -> Result<()> {
        let text =
            serde_json::to_string_pretty(self).map_err(|e| Error::Internal(e.to_string()))?;
        crate::util::fs::write_atomic(&data.settings(), text.as_bytes())
    }

    pub fn render_settings(&self) -> RenderSettings {
        RenderSettings {
            sandbox: self.sandbox,
            scene_timeout: Duration::from_secs(self.scene_timeout_secs.max(10)),
            memory_limit_mb: self.memory_limit_mb,
            render_mode: if self.warm_renders {
                crate::render::warm::RenderMode::Warm
            } else {
                crate::render::warm::RenderMode::Cold
            },
        }
    }

    pub fn job_options(&self) -> JobOptions {
        JobOptions {
            quality: self.quality,
            writer: self.writer.clone(),
            max_scenes: None,
            max_fix_attempts: self.max_fix_attempts,
            max_layout_fix_attempts: crate::model::job::DEFAULT_LAYOUT_FIX_ATTEMPTS,
            voice: self.voice.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn corrupt_copies(data: &DataDir) -> Vec<std::path::PathBuf> {
        let dir = data.settings().parent().unwrap().to_path_buf();
        std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with("settings.json.corrupt-")
            })
            .collect()
    }

    #[test]
    fn a_corrupt_settings_file_is_kept_aside_and_defaults_are_used() {
        let d = tempfile::tempdir().unwrap();
        let data = DataDir::at(d.path()).unwrap();
        let damaged = b"{\"quality\": \"high\", \"render_concurren";
        std::fs::write(data.settings(), damaged).unwrap();
        assert_eq!(Settings::load(&data), Settings::default());
        let kept = corrupt_copies(&data);
        assert_eq!(kept.len(), 1, "the damaged file is kept beside: {kept:?}");
        assert_eq!(std::fs::read(&kept[0]).unwrap(), damaged);
        // Saving afterwards writes a fresh file and leaves the damaged copy alone.
        let s = Settings {
            max_fix_attempts: 5,
            ..Settings::default()
        };
        s.save(&data).unwrap();
        assert_eq!(Settings::load(&data), s);
        assert_eq!(corrupt_copies(&data).len(), 1);
    }

    #[test]
    fn missing_settings_give_defaults_and_keep_nothing() {
        let d = tempfile::tempdir().unwrap();
        let data = DataDir::at(d.path()).unwrap();
        assert_eq!(Settings::load(&data), Settings::default());
        assert!(corrupt_copies(&data).is_empty());
    }
}
