//! Speaks a scene's narration sentence by sentence (each sentence cached by the hash of its text
//! and the voice), joins the sentences with short pauses into one normalised 48 kHz stereo track,
//! and times a subtitle cue per sentence.

use super::speakable::speakable;
use super::subtitles::Cue;
use super::Voice;
use crate::error::{Error, IoContext, Result};
use crate::render::{process, Renderer};
use crate::util::lock;
use crate::util::text::sentences;
use crate::util::tmp::{persist, temp_beside};
use crate::util::{fs::write_atomic, hash::short_hash};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// Silence before the first sentence and between sentences, seconds.
pub const LEAD_IN: f64 = 0.4;
pub const GAP: f64 = 0.3;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NarrationTrack {
    pub wav: PathBuf,
    /// Length of the track including pauses, seconds.
    pub duration: f64,
    pub cues: Vec<Cue>,
    /// Sentences synthesised now (0 when everything came from the cache).
    #[serde(skip)]
    pub synthesized: u32,
}

/// The sentences a narrator says: math read aloud, Markdown removed (see [`speakable`]).
pub fn spoken_sentences(text: &str) -> Vec<String> {
    sentences(&speakable(text))
        .into_iter()
        .filter(|s| s.chars().any(char::is_alphanumeric))
        .collect()
}

/// Narrates `text` into `scene_dir`, with sentence audio cached in `voice_dir`. Each sentence and
/// each scene's track is made by one writer at a time (jobs, scenes and processes sharing the
/// cache take turns through [`lock`] and reuse what the first made); `on_wait` is called when
/// this call has to wait for another writer.
pub async fn narrate(
    voice: &dyn Voice,
    renderer: &Renderer,
    text: &str,
    voice_dir: &Path,
    scene_dir: &Path,
    cancel: &CancellationToken,
    on_wait: &(dyn Fn() + Sync),
) -> Result<Option<NarrationTrack>> {
    let sentences = spoken_sentences(text);
    if sentences.is_empty() {
        return Ok(None);
    }
    let key = short_hash(&format!("{}\n{}", voice.key(), sentences.join("\n")));
    let wav = scene_dir.join(format!("narration-{key}.wav"));
    let meta = scene_dir.join(format!("narration-{key}.json"));
    if let Some(track) = cached_track(&meta, &wav) {
        return Ok(Some(track));
    }
    let _track_lock = lock::lock(&wav, cancel, on_wait).await?;
    if let Some(track) = cached_track(&meta, &wav) {
        return Ok(Some(track));
    }
    std::fs::create_dir_all(voice_dir).ctx(|| format!("creating {}", voice_dir.display()))?;
    let mut parts = Vec::new();
    let mut synthesized = 0;
    for s in &sentences {
        let part = voice_dir.join(format!(
            "{}.wav",
            short_hash(&format!("{}\n{s}", voice.key()))
        ));
        if !is_sentence_audio(&part) {
            let _lock = lock::lock(&part, cancel, on_wait).await?;
            // Another scene or job saying the same sentence may have made it meanwhile.
            if !is_sentence_audio(&part) {
                let tmp = temp_beside(&part)?;
                voice.speak(s, &tmp, cancel).await?;
                if !is_sentence_audio(&tmp) {
                    return Err(Error::Media(format!(
                        "the voice finished but wrote no audio for {s:?}"
                    )));
                }
                persist(tmp, &part)?;
                synthesized += 1;
            }
        }
        let d = renderer.probe(&part, cancel).await?.duration;
        if d <= 0.0 {
            let _ = std::fs::remove_file(&part);
            return Err(Error::Media(format!(
                "the voice produced no audio for {s:?}"
            )));
        }
        parts.push((part, d, s.clone()));
    }
    let mut cues = Vec::new();
    let mut t = LEAD_IN;
    for (_, d, s) in &parts {
        cues.push(Cue {
            start: t,
            end: t + d,
            text: s.clone(),
        });
        t += d + GAP;
    }
    let duration = t;
    join(
        renderer,
        &parts.iter().map(|(p, _, _)| p.clone()).collect::<Vec<_>>(),
        &wav,
        cancel,
    )
    .await?;
    let track = NarrationTrack {
        wav,
        duration,
        cues,
        synthesized,
    };
    write_atomic(
        &meta,
        serde_json::to_string(&track)
            .map_err(|e| Error::Internal(e.to_string()))?
            .as_bytes(),
    )?;
    Ok(Some(track))
}

/// A scene's finished track, if its description and audio are both there.
fn cached_track(meta: &Path, wav: &Path) -> Option<NarrationTrack> {
    let track =
        serde_json::from_str::<NarrationTrack>(&std::fs::read_to_string(meta).ok()?).ok()?;
    (track.wav == wav && wav.is_file() && !track.cues.is_empty()).then_some(track)
}

/// A sentence's audio is there (more than a WAV header).
fn is_sentence_audio(part: &Path) -> bool {
    std::fs::metadata(part).is_ok_and(|m| m.len() > 44)
}

/// Joins sentence WAVs with pauses, normalises loudness, 48 kHz stereo PCM.
async fn join(
    renderer: &Renderer,
    parts: &[PathBuf],
    out: &Path,
    cancel: &CancellationToken,
) -> Result<()> {
    let mut cmd = renderer.ffmpeg_cmd();
    for p in parts {
        cmd.arg("-i").arg(p);
    }
    let mut filter = String::new();
    for i in 0..parts.len() {
        filter.push_str(&format!(
            "[{i}:a]aresample=48000,aformat=channel_layouts=stereo,apad=pad_dur={GAP}[a{i}];"
        ));
    }
    for i in 0..parts.len() {
        filter.push_str(&format!("[a{i}]"));
    }
    let lead = (LEAD_IN * 1000.0) as u32;
    filter.push_str(&format!(
        "concat=n={}:v=0:a=1,adelay={lead}|{lead},loudnorm=I=-16:TP=-1.5:LRA=11,aresample=48000[out]",
        parts.len()
    ));
    let tmp = temp_beside(out)?;
    cmd.arg("-filter_complex")
        .arg(filter)
        .args(["-map", "[out]", "-ac", "2", "-c:a", "pcm_s16le"])
        .arg(&*tmp);
    process::run_ok(cmd, "ffmpeg (narration)", cancel, Duration::from_secs(120)).await?;
    persist(tmp, out)
}
