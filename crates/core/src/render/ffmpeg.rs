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
    /// `ffmpeg` with quiet logging, overwrite and no stdin.
    pub fn ffmpeg_cmd(&self) -> Command {
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
        self.valid_probe(file, cancel).await.is_some()
    }

    /// The probe of `file` when it is a video with a positive duration (one ffprobe for the
    /// check and the duration).
    pub async fn valid_probe(&self, file: &Path, cancel: &CancellationToken) -> Option<Probe> {
        if !file.is_file() {
            return None;
        }
        let p = self.probe(file, cancel).await.ok()?;
        (p.has_video && p.duration > 0.0).then_some(p)
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
        let mut c = self.ffmpeg_cmd();
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
        let mut c = self.ffmpeg_cmd();
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
        let mut c = self.ffmpeg_cmd();
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
        if !std::fs::metadata(out).is_ok_and(|m| m.is_file() && m.len() > 0) {
            return Err(Error::Media(format!(
                "no frame at {at:.2} s in {}",
                video.display()
            )));
        }
        Ok(())
    }

    /// Writes `out`: `video` re-encoded with `audio` (or silence) as 48 kHz stereo AAC. When the
    /// audio is longer than the video, the picture is held before its last `tail` seconds (the
    /// scene's closing fade) until the narration has ended.
    pub async fn mux_narration(
        &self,
        video: &Path,
        audio: Option<&Path>,
        audio_secs: f64,
        out: &Path,
        cancel: &CancellationToken,
    ) -> Result<f64> {
        let v = self.probe(video, cancel).await?;
        let target = v.duration.max(if audio.is_some() {
            audio_secs + 0.5
        } else {
            0.0
        });
        let pad = target - v.duration;
        let mut c = self.ffmpeg_cmd();
        c.arg("-i").arg(video);
        match audio {
            Some(a) => c.arg("-i").arg(a),
            None => c.args(["-f", "lavfi", "-i", "anullsrc=r=48000:cl=stereo"]),
        };
        let hold_at = if v.duration > 2.0 {
            v.duration - 0.6
        } else {
            v.duration
        };
        let filter = if pad > 0.05 {
            format!(
                "[0:v]split=2[a][b];[a]trim=end={hold_at:.3},setpts=PTS-STARTPTS,tpad=stop_mode=clone:stop_duration={pad:.3}[a2];\
                 [b]trim=start={hold_at:.3},setpts=PTS-STARTPTS[b2];[a2][b2]concat=n=2:v=1:a=0[v];[1:a]apad[au]"
            )
        } else {
            "[0:v]null[v];[1:a]apad[au]".to_string()
        };
        c.arg("-filter_complex").arg(filter);
        c.args(["-map", "[v]", "-map", "[au]", "-t"])
            .arg(format!("{target:.3}"));
        c.args([
            "-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-pix_fmt", "yuv420p",
        ]);
        c.args(["-c:a", "aac", "-ar", "48000", "-ac", "2", "-b:a", "128k"])
            .arg(out);
        process::run_ok(
            c,
            "ffmpeg (narration mux)",
            cancel,
            Duration::from_secs(600),
        )
        .await?;
        Ok(target)
    }

    /// Burns subtitles into the picture. `srt` must be a plain file name in `dir`.
    pub async fn burn_subtitles(
        &self,
        dir: &Path,
        video: &str,
        srt: &str,
        out: &str,
        cancel: &CancellationToken,
    ) -> Result<()> {
        let mut c = self.ffmpeg_cmd();
        c.current_dir(dir).args(["-i", video, "-vf"]).arg(format!(
            "subtitles={srt}:force_style='FontName=DejaVu Sans,FontSize=20,Outline=1,Shadow=0,MarginV=18'"
        ));
        c.args([
            "-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-pix_fmt", "yuv420p", "-c:a",
            "copy",
        ]);
        c.args(["-movflags", "+faststart", out]);
        process::run_ok(c, "ffmpeg (subtitles)", cancel, Duration::from_secs(1800)).await?;
        Ok(())
    }
}
