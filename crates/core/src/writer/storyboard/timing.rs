//! Timing the storyboard templates to the narration: a scene's narration is a list of beats (the
//! text each visual step illustrates); each step starts when its beat's first sentence is
//! spoken, and the scene lasts until the narration ends. Without narration the templates keep
//! their reading-time waits.

use crate::voice::spoken_sentences;
use crate::writer::SceneTiming;
use std::fmt::Write as _;

/// Seconds of the closing fade every template ends with.
pub const CLOSING_FADE: f64 = 0.6;

/// When each beat starts and when the picture may start its closing fade.
#[derive(Debug, Clone, PartialEq)]
pub struct Beats {
    pub starts: Vec<f64>,
    pub end: f64,
}

impl Beats {
    /// Start of beat `k` (clamped to the last beat).
    pub fn start(&self, k: usize) -> f64 {
        self.starts
            .get(k)
            .or(self.starts.last())
            .copied()
            .unwrap_or(0.0)
    }
}

/// Aligns `beats` (narration texts, in order) with the measured sentences. When the sentence
/// counts agree, beat k starts with its first sentence; otherwise the beats share the narration
/// in proportion to their sentences.
pub fn align(beats: &[String], timing: Option<&SceneTiming>) -> Option<Beats> {
    let t = timing?;
    if t.duration <= 0.0 || t.sentences.is_empty() {
        return None;
    }
    // The closing fade starts as the track ends (just after the last word's short pause), so the
    // picture outlasts the speech by the fade and nothing needs holding.
    let end = t.duration.max(0.5);
    let counts: Vec<usize> = beats.iter().map(|b| spoken_sentences(b).len()).collect();
    let total: usize = counts.iter().sum();
    let mut starts = Vec::with_capacity(beats.len());
    let mut seen = 0usize;
    for &c in &counts {
        let s = if total == t.sentences.len() {
            t.sentences.get(seen).map_or(end, |x| x.0)
        } else if total > 0 {
            end * seen as f64 / total as f64
        } else {
            0.0
        };
        starts.push(s);
        seen += c;
    }
    Some(Beats { starts, end })
}

/// The template's clock: emits plays and waits and keeps the scene time.
#[derive(Debug, Default)]
pub struct Clock {
    pub t: f64,
}

impl Clock {
    /// A `self.play(…, run_time=run)` line (the caller writes the arguments).
    pub fn play(&mut self, out: &mut String, anims: &str, run: f64) {
        let _ = writeln!(out, "        self.play({anims}, run_time={run:.2})");
        self.t += run;
    }

    pub fn wait(&mut self, out: &mut String, secs: f64) {
        if secs >= 0.05 {
            let _ = writeln!(out, "        self.wait({secs:.2})");
            self.t += secs;
        }
    }

    /// Waits until `target` (scene time), or at least `min` seconds.
    pub fn wait_until(&mut self, out: &mut String, target: f64, min: f64) {
        self.wait(out, (target - self.t).max(min));
    }

    /// With narration: wait until the next visual step (`next`, minus `lead` so that a step of
    /// `lead` seconds lands on it); without: the reading-time `fallback`.
    pub fn beat(&mut self, out: &mut String, beats: Option<&Beats>, next: f64, fallback: f64) {
        match beats {
            Some(_) => self.wait_until(out, next, 0.3),
            None => self.wait(out, fallback),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn timing(sentences: &[(f64, f64)], duration: f64) -> SceneTiming {
        SceneTiming {
            duration,
            sentences: sentences.to_vec(),
        }
    }

    #[test]
    fn beats_follow_sentences_or_share_the_narration() {
        let beats: Vec<String> = ["Key points.", "First one. It has two sentences.", "Second."]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let t = timing(&[(0.4, 1.0), (1.3, 2.0), (2.3, 3.5), (3.8, 4.6)], 4.9);
        let b = align(&beats, Some(&t)).unwrap();
        assert_eq!(b.starts, vec![0.4, 1.3, 3.8]);
        assert!((b.end - 4.9).abs() < 1e-9);
        // A count that does not match: proportional.
        let t = timing(&[(0.4, 2.0), (2.3, 4.0)], 8.0);
        let b = align(&beats, Some(&t)).unwrap();
        assert_eq!(b.starts, vec![0.0, 2.0, 6.0]);
        assert!(align(&beats, None).is_none());
    }

    #[test]
    fn clock_waits_to_the_beat() {
        let mut out = String::new();
        let mut c = Clock::default();
        c.play(&mut out, "FadeIn(x)", 1.0);
        c.wait_until(&mut out, 3.5, 0.3);
        c.wait_until(&mut out, 3.0, 0.3);
        assert!((c.t - 3.8).abs() < 1e-9, "{}", c.t);
        assert_eq!(
            out,
            "        self.play(FadeIn(x), run_time=1.00)\n        self.wait(2.50)\n        self.wait(0.30)\n"
        );
    }
}
