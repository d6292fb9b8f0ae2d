//! ffmpeg/ffprobe: probing, silent audio, concatenation, thumbnails and snapshots.

use super::{process, Renderer};
use crate::error::{Error, IoContext, Result};
use std::path::Path;
use std::time::Duration;
use tokio::process::Command;
use tokio_util::sync::CancellationToken;

#[derive(Debug, Clone, PartialEq)]
pub struct Probe {
    pub duration: f64,
    pub has_video: bool,
    pub has_audio: bool,
    pub width: u32,
    pub height: u32,
}

const SHORT: Duration = Duration::from_secs(120);

impl Renderer {
    fn ffmpeg(&self) -> Command {
        let mut c = Command::new(&self.ffmpeg);
        c.args(["-hide_banner", "-loglevel", "error", "-y", "-nostdin"]);
        c
    }

    /// Reads duration and streams. Fails on anything that is not a playable video.
    pub async fn probe(&self, file: &Path, cancel: &CancellationToken) -> Result<Probe> {
        let mut c = Command::new(&self.ffprobe);
        c.args([
            "-v",
            "error",
            "-print_format",
            "json",
            "-show_format",
            "-show_streams",
        ])
        .arg(file);
        let out = process::run_ok(c, "ffprobe", cancel, SHORT).await?;
        let v: serde_json::Value = serde_json::from_str(&out.stdout)
            .map_err(|e| Error::Media(format!("ffprobe output: {e}")))?;
        let streams = v["streams"].as_array().cloned().unwrap_or_default();
        let video = streams.iter().find(|s| s["codec_type"] == "video");
        let duration = v["format"]["duration"]
            .as_str()
            .and_then(|d| d.parse::<f64>().ok())
            .unwrap_or(0.0);
        Ok(Probe {
            duration,
            has_video: video.is_some(),
            has_audio: streams.iter().any(|s| s["codec_type"] == "audio"),
            width: video.and_then(|s| s["width"].as_u64()).unwrap_or(0) as u32,
            height: video.and_then(|s| s["height"].as_u64()).unwrap_or(0) as u32,
        })
    }

    /// True when the file is a video with a positive duration.
    pub async fn is_valid_video(&self, file: &Path, cancel: &CancellationToken) -> bool {
        file.is_file()
            && self
                .probe(file, cancel)
                .await
                .is_ok_and(|p| p.has_video && p.duration > 0.0)
    }

    /// Writes `out`: the video of `input` with its audio normalised to 48 kHz stereo AAC, or
    /// silence of the same length where it has none (so concatenation keeps audio everywhere).
    pub async fn normalise_audio(
        &self,
        input: &Path,
        out: &Path,
        cancel: &CancellationToken,
    ) -> Result<()> {
        let probe = self.probe(input, cancel).await?;
        let mut c = self.ffmpeg();
        c.arg("-i").arg(input);
        if probe.has_audio {
            c.args(["-map", "0:v:0", "-map", "0:a:0"]);
        } else {
            c.args([
                "-f",
                "lavfi",
                "-i",
                "anullsrc=r=48000:cl=stereo",
                "-map",
                "0:v:0",
                "-map",
                "1:a:0",
                "-shortest",
            ]);
        }
        c.args([
            "-c:v", "copy", "-c:a", "aac", "-ar", "48000", "-ac", "2", "-b:a", "128k",
        ])
        .arg(out);
        process::run_ok(c, "ffmpeg (audio)", cancel, SHORT).await?;
        Ok(())
    }

    /// Concatenates clips (same resolution and frame rate, all with audio) into `out` with
    /// `+faststart`.
    pub async fn concat(
        &self,
        clips: &[std::path::PathBuf],
        out: &Path,
        cancel: &CancellationToken,
    ) -> Result<()> {
        let list = out.with_extension("txt");
        let mut text = String::new();
        for c in clips {
            let abs = c.canonicalize().ctx(|| format!("{}", c.display()))?;
            text.push_str(&format!(
                "file '{}'\n",
                abs.to_string_lossy().replace('\'', "'\\''")
            ));
        }
        std::fs::write(&list, text).ctx(|| format!("writing {}", list.display()))?;
        let mut c = self.ffmpeg();
        c.args(["-f", "concat", "-safe", "0", "-i"]).arg(&list);
        c.args(["-c", "copy", "-movflags", "+faststart"]).arg(out);
        let r = process::run_ok(c, "ffmpeg (combine)", cancel, Duration::from_secs(600)).await;
        let _ = std::fs::remove_file(&list);
        r.map(|_| ())
    }

    /// A PNG of the frame at `at` seconds.
    pub async fn frame(
        &self,
        video: &Path,
        at: f64,
        out: &Path,
        width: Option<u32>,
        cancel: &CancellationToken,
    ) -> Result<()> {
        let mut c = self.ffmpeg();
        c.arg("-ss")
            .arg(format!("{:.3}", at.max(0.0)))
            .arg("-i")
            .arg(video)
            .args(["-frames:v", "1"]);
        if let Some(w) = width {
            c.arg("-vf").arg(format!("scale={w}:-2"));
        }
        c.arg(out);
        process::run_ok(c, "ffmpeg (frame)", cancel, SHORT).await?;
        if !out.is_file() {
            return Err(Error::Media(format!(
                "no frame at {at:.2} s in {}",
                video.display()
            )));
        }
        Ok(())
    }
}
