//! Pure helpers of the benchmark: medians, percentiles, the staleness of polling, and the
//! figure rows the table and the JSON are made of.

use serde::Serialize;
use std::time::Duration;

/// The `p`-th percentile (0–100) of `xs` by the nearest-rank method; `None` when empty.
pub fn percentile(xs: &[f64], p: f64) -> Option<f64> {
    if xs.is_empty() {
        return None;
    }
    let mut v: Vec<f64> = xs.iter().copied().filter(|x| !x.is_nan()).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(|a, b| a.total_cmp(b));
    let rank = ((p.clamp(0.0, 100.0) / 100.0) * v.len() as f64).ceil() as usize;
    Some(v[rank.clamp(1, v.len()) - 1])
}

/// The median (mean of the two middle values for an even count); `None` when empty.
pub fn median(xs: &[f64]) -> Option<f64> {
    let mut v: Vec<f64> = xs.iter().copied().filter(|x| !x.is_nan()).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    })
}

/// Staleness of an event under polling every `interval`: an event lands at a uniformly random
/// moment between two polls, so it waits until the next one. The `p`-th percentile of a uniform
/// distribution on [0, interval] is `p/100 × interval`.
pub fn polling_staleness(interval: Duration, p: f64) -> Duration {
    interval.mul_f64(p.clamp(0.0, 100.0) / 100.0)
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// One row of the results.
#[derive(Debug, Clone, Serialize)]
pub struct Figure {
    /// Stable key for scripts (`progress.p99_ms`).
    pub key: String,
    pub what: String,
    pub value: Option<f64>,
    pub unit: String,
    /// The baseline measured (or computed) in the same run, if the target is a ratio.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<f64>,
    /// `value / baseline`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ratio: Option<f64>,
    pub target: String,
    /// `None` when there is no target or the figure was not measured.
    pub pass: Option<bool>,
    /// How many runs the median is over, and anything worth knowing.
    pub note: String,
}

impl Figure {
    pub fn new(key: &str, what: &str, value: f64, unit: &str) -> Figure {
        Figure {
            key: key.into(),
            what: what.into(),
            value: Some(value),
            unit: unit.into(),
            baseline: None,
            ratio: None,
            target: String::new(),
            pass: None,
            note: String::new(),
        }
    }

    pub fn not_measured(key: &str, what: &str, why: &str) -> Figure {
        Figure {
            value: None,
            note: why.into(),
            ..Figure::new(key, what, 0.0, "")
        }
    }

    pub fn baseline(mut self, b: f64) -> Figure {
        self.baseline = Some(b);
        self.ratio = self.value.filter(|_| b != 0.0).map(|v| v / b);
        self
    }

    /// A target and whether it was met.
    pub fn target(mut self, target: &str, pass: bool) -> Figure {
        self.target = target.into();
        self.pass = Some(pass);
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Figure {
        self.note = note.into();
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_by_nearest_rank() {
        let xs: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(percentile(&xs, 50.0), Some(50.0));
        assert_eq!(percentile(&xs, 99.0), Some(99.0));
        assert_eq!(percentile(&xs, 100.0), Some(100.0));
        assert_eq!(percentile(&xs, 0.0), Some(1.0));
        assert_eq!(percentile(&[7.0], 99.0), Some(7.0));
        assert_eq!(percentile(&[], 50.0), None);
        assert_eq!(percentile(&[3.0, 1.0, 2.0], 50.0), Some(2.0));
    }

    #[test]
    fn medians_of_odd_and_even_counts() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(median(&[f64::NAN, 5.0]), Some(5.0));
        assert_eq!(median(&[]), None);
    }

    #[test]
    fn polling_staleness_is_uniform() {
        let five = Duration::from_secs(5);
        assert_eq!(polling_staleness(five, 50.0), Duration::from_millis(2500));
        assert_eq!(polling_staleness(five, 99.0), Duration::from_millis(4950));
        assert_eq!(polling_staleness(five, 150.0), five);
    }

    #[test]
    fn ratios_and_targets() {
        let f = Figure::new("k", "w", 30.0, "ms")
            .baseline(60.0)
            .target("≤ 0.6×", true);
        assert_eq!(f.ratio, Some(0.5));
        assert_eq!(f.pass, Some(true));
        let n = Figure::not_measured("k", "w", "no app");
        assert!(n.value.is_none() && n.pass.is_none());
        assert_eq!(Figure::new("k", "w", 1.0, "").baseline(0.0).ratio, None);
    }
}
