//! Subtitle cues, SRT and WebVTT.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cue {
    pub start: f64,
    pub end: f64,
    pub text: String,
}

fn stamp(t: f64, sep: char) -> String {
    let ms = (t.max(0.0) * 1000.0).round() as u64;
    format!(
        "{:02}:{:02}:{:02}{sep}{:03}",
        ms / 3_600_000,
        ms / 60_000 % 60,
        ms / 1000 % 60,
        ms % 1000
    )
}

/// Wraps a cue's text to two-ish lines of at most 42 characters.
fn cue_text(text: &str) -> String {
    crate::util::text::wrap(text, 42).join("\n")
}

pub fn to_srt(cues: &[Cue]) -> String {
    let mut out = String::new();
    for (i, c) in cues.iter().enumerate() {
        out.push_str(&format!(
            "{}\n{} --> {}\n{}\n\n",
            i + 1,
            stamp(c.start, ','),
            stamp(c.end, ','),
            cue_text(&c.text)
        ));
    }
    out
}

pub fn to_vtt(cues: &[Cue]) -> String {
    let mut out = String::from("WEBVTT\n\n");
    for c in cues {
        out.push_str(&format!(
            "{} --> {}\n{}\n\n",
            stamp(c.start, '.'),
            stamp(c.end, '.'),
            cue_text(&c.text)
        ));
    }
    out
}

/// Parses SRT (for tests and validation): cues in file order.
pub fn parse_srt(text: &str) -> Result<Vec<Cue>, String> {
    let parse_t = |s: &str| -> Result<f64, String> {
        let s = s.trim();
        let (hms, ms) = s.split_once(',').ok_or_else(|| format!("bad time {s:?}"))?;
        let parts: Vec<&str> = hms.split(':').collect();
        if parts.len() != 3 {
            return Err(format!("bad time {s:?}"));
        }
        let n = |x: &str| x.parse::<f64>().map_err(|_| format!("bad time {s:?}"));
        Ok(n(parts[0])? * 3600.0 + n(parts[1])? * 60.0 + n(parts[2])? + n(ms)? / 1000.0)
    };
    let mut cues = Vec::new();
    for block in text
        .replace("\r\n", "\n")
        .split("\n\n")
        .filter(|b| !b.trim().is_empty())
    {
        let mut lines = block.lines();
        lines
            .next()
            .ok_or("empty block")?
            .trim()
            .parse::<u32>()
            .map_err(|_| "bad cue number".to_string())?;
        let times = lines.next().ok_or("no times")?;
        let (a, b) = times.split_once("-->").ok_or("no -->")?;
        cues.push(Cue {
            start: parse_t(a)?,
            end: parse_t(b)?,
            text: lines.collect::<Vec<_>>().join("\n"),
        });
    }
    Ok(cues)
}

/// Shifts cues by `offset` seconds.
pub fn shifted(cues: &[Cue], offset: f64) -> Vec<Cue> {
    cues.iter()
        .map(|c| Cue {
            start: c.start + offset,
            end: c.end + offset,
            text: c.text.clone(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn srt_round_trips() {
        let cues = vec![
            Cue {
                start: 0.0,
                end: 1.25,
                text: "Hello.".into(),
            },
            Cue {
                start: 61.5,
                end: 3725.001,
                text: "A much longer sentence that needs to be wrapped onto two lines.".into(),
            },
        ];
        let srt = to_srt(&cues);
        assert!(srt.contains("00:01:01,500 --> 01:02:05,001"), "{srt}");
        let back = parse_srt(&srt).unwrap();
        assert_eq!(back.len(), 2);
        assert!((back[1].end - 3725.001).abs() < 1e-6);
        assert!(to_vtt(&cues).starts_with("WEBVTT\n\n00:00:00.000 --> 00:00:01.250"));
        assert_eq!(shifted(&cues, 2.0)[0].start, 2.0);
    }
}
