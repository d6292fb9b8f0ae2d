//! Stages, progress events and the tracker that turns stage + sub-progress into overall progress.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// The pipeline's stages in order, with the overall progress at which each starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Initializing,
    Planning,
    ImplementationPlanning,
    CodeGeneration,
    SceneRendering,
    VideoCombining,
    Finalizing,
    Completed,
}

impl Stage {
    pub const ALL: [Stage; 8] = [
        Stage::Initializing,
        Stage::Planning,
        Stage::ImplementationPlanning,
        Stage::CodeGeneration,
        Stage::SceneRendering,
        Stage::VideoCombining,
        Stage::Finalizing,
        Stage::Completed,
    ];

    /// Overall progress (percent) at which the stage starts.
    pub fn start_percent(self) -> f64 {
        match self {
            Stage::Initializing => 5.0,
            Stage::Planning => 15.0,
            Stage::ImplementationPlanning => 25.0,
            Stage::CodeGeneration => 40.0,
            Stage::SceneRendering => 70.0,
            Stage::VideoCombining => 90.0,
            Stage::Finalizing => 95.0,
            Stage::Completed => 100.0,
        }
    }

    pub fn next(self) -> Option<Stage> {
        let i = Stage::ALL.iter().position(|s| *s == self)?;
        Stage::ALL.get(i + 1).copied()
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Initializing => "initializing",
            Stage::Planning => "planning",
            Stage::ImplementationPlanning => "implementation_planning",
            Stage::CodeGeneration => "code_generation",
            Stage::SceneRendering => "scene_rendering",
            Stage::VideoCombining => "video_combining",
            Stage::Finalizing => "finalizing",
            Stage::Completed => "completed",
        }
    }

    pub fn parse(s: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// A short human label for the UI and the terminal.
    pub fn label(self) -> &'static str {
        match self {
            Stage::Initializing => "Initializing",
            Stage::Planning => "Planning scenes",
            Stage::ImplementationPlanning => "Planning each scene",
            Stage::CodeGeneration => "Writing Manim code",
            Stage::SceneRendering => "Rendering scenes",
            Stage::VideoCombining => "Combining video",
            Stage::Finalizing => "Finalizing",
            Stage::Completed => "Completed",
        }
    }
}

impl std::fmt::Display for Stage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Sub-progress inside a stage, e.g. scene 2 of 5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SubProgress {
    pub current: u32,
    pub total: u32,
}

/// One progress event: `{job_id, stage, progress, message, sub?, at}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ProgressEvent {
    pub job_id: String,
    pub stage: Stage,
    /// Overall progress, 0–100, never lower than the previous event of the job.
    pub progress: f64,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub: Option<SubProgress>,
    pub at: DateTime<Utc>,
    /// Milestones (a stage or a scene starting or ending) are always stored and always forwarded;
    /// fine-grained updates may be throttled by the store and the UI.
    #[serde(default)]
    pub milestone: bool,
}

/// Where progress goes. The CLI draws bars; the desktop app forwards to the window; the pipeline
/// also stores events in SQLite.
pub trait ProgressSink: Send + Sync {
    fn emit(&self, event: &ProgressEvent);
}

impl<F: Fn(&ProgressEvent) + Send + Sync> ProgressSink for F {
    fn emit(&self, event: &ProgressEvent) {
        self(event)
    }
}

/// A sink that drops everything.
pub struct NullSink;
impl ProgressSink for NullSink {
    fn emit(&self, _event: &ProgressEvent) {}
}

pub type SharedSink = Arc<dyn ProgressSink>;

/// Overall progress for a stage and optional sub-progress (fraction of the way to the next stage).
pub fn overall(stage: Stage, sub: Option<SubProgress>) -> f64 {
    let start = stage.start_percent();
    let end = stage.next().map_or(100.0, Stage::start_percent);
    let frac = match sub {
        Some(SubProgress { current, total }) if total > 0 => {
            (current.min(total) as f64) / total as f64
        }
        _ => 0.0,
    };
    start + (end - start) * frac
}

/// Computes monotonic overall progress for one job and emits events to a sink.
pub struct ProgressTracker {
    job_id: String,
    sink: SharedSink,
    state: std::sync::Mutex<TrackerState>,
}

struct TrackerState {
    stage: Stage,
    progress: f64,
}

impl ProgressTracker {
    pub fn new(job_id: impl Into<String>, sink: SharedSink) -> Self {
        Self::resume_from(job_id, sink, Stage::Initializing, 0.0)
    }

    /// A tracker that continues a job: progress never drops below `progress`.
    pub fn resume_from(
        job_id: impl Into<String>,
        sink: SharedSink,
        stage: Stage,
        progress: f64,
    ) -> Self {
        ProgressTracker {
            job_id: job_id.into(),
            sink,
            state: std::sync::Mutex::new(TrackerState { stage, progress }),
        }
    }

    pub fn job_id(&self) -> &str {
        &self.job_id
    }

    pub fn progress(&self) -> f64 {
        self.state
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .progress
    }

    /// Enters a stage (a milestone).
    pub fn stage(&self, stage: Stage, message: impl Into<String>) {
        self.emit(stage, None, 0.0, message.into(), true);
    }

    /// Reports sub-progress `current` of `total` (a milestone: a scene started or finished).
    pub fn sub(&self, stage: Stage, current: u32, total: u32, message: impl Into<String>) {
        self.emit(
            stage,
            Some(SubProgress { current, total }),
            0.0,
            message.into(),
            true,
        );
    }

    /// Fine-grained progress inside item `current` (0-based count of finished items) with
    /// `fraction` (0–1) of the next item done, e.g. manim's animation bars.
    pub fn detail(
        &self,
        stage: Stage,
        done: u32,
        total: u32,
        fraction: f64,
        message: impl Into<String>,
    ) {
        self.emit(
            stage,
            Some(SubProgress {
                current: done,
                total,
            }),
            fraction,
            message.into(),
            false,
        );
    }

    /// A message at the current stage that does not move the bar (a writer streaming tokens, a
    /// retry notice).
    pub fn note(&self, message: impl Into<String>) {
        let stage = self.state.lock().unwrap_or_else(|e| e.into_inner()).stage;
        self.emit(stage, None, 0.0, message.into(), false);
    }

    fn emit(
        &self,
        stage: Stage,
        sub: Option<SubProgress>,
        fraction: f64,
        message: String,
        milestone: bool,
    ) {
        // The sink is called under the lock so that events from concurrent scenes reach it in
        // the order of their progress values.
        let mut st = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let event = {
            let mut p = overall(stage, sub);
            if let Some(s) = sub {
                if s.total > 0 && s.current < s.total {
                    let step = (overall(
                        stage,
                        Some(SubProgress {
                            current: s.current + 1,
                            ..s
                        }),
                    ) - p)
                        * fraction.clamp(0.0, 1.0);
                    p += step;
                }
            }
            // Never backwards; also never past the start of a later stage than the one reported.
            let p = p.max(st.progress).min(100.0);
            st.progress = p;
            if stage > st.stage {
                st.stage = stage;
            }
            ProgressEvent {
                job_id: self.job_id.clone(),
                stage,
                progress: (p * 100.0).round() / 100.0,
                message,
                sub,
                at: Utc::now(),
                milestone,
            }
        };
        self.sink.emit(&event);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    fn collecting() -> (Arc<Mutex<Vec<ProgressEvent>>>, SharedSink) {
        let events = Arc::new(Mutex::new(Vec::new()));
        let e2 = events.clone();
        (
            events,
            Arc::new(move |e: &ProgressEvent| e2.lock().unwrap().push(e.clone())),
        )
    }

    #[test]
    fn stage_starts_match_the_product_table() {
        let starts: Vec<f64> = Stage::ALL.iter().map(|s| s.start_percent()).collect();
        assert_eq!(starts, vec![5.0, 15.0, 25.0, 40.0, 70.0, 90.0, 95.0, 100.0]);
        for w in Stage::ALL.windows(2) {
            assert!(w[0] < w[1]);
            assert_eq!(w[0].next(), Some(w[1]));
            assert_eq!(Stage::parse(w[0].as_str()), Some(w[0]));
        }
        assert_eq!(Stage::Completed.next(), None);
    }

    #[test]
    fn sub_progress_moves_toward_next_stage() {
        // scene 2 of 5 in rendering: 70 + (90-70) * 2/5 = 78
        assert_eq!(
            overall(
                Stage::SceneRendering,
                Some(SubProgress {
                    current: 2,
                    total: 5
                })
            ),
            78.0
        );
        assert_eq!(
            overall(
                Stage::CodeGeneration,
                Some(SubProgress {
                    current: 3,
                    total: 3
                })
            ),
            70.0
        );
        assert_eq!(overall(Stage::Planning, None), 15.0);
        assert_eq!(
            overall(
                Stage::Completed,
                Some(SubProgress {
                    current: 1,
                    total: 1
                })
            ),
            100.0
        );
        assert_eq!(
            overall(
                Stage::Planning,
                Some(SubProgress {
                    current: 9,
                    total: 0
                })
            ),
            15.0
        );
    }

    #[test]
    fn never_goes_backwards() {
        let (events, sink) = collecting();
        let t = ProgressTracker::new("j", sink);
        t.stage(Stage::Initializing, "go");
        t.sub(Stage::SceneRendering, 3, 4, "scene 3 of 4");
        t.stage(Stage::Planning, "late planning message");
        t.detail(Stage::SceneRendering, 1, 4, 0.5, "anim");
        t.stage(Stage::Completed, "done");
        let ps: Vec<f64> = events.lock().unwrap().iter().map(|e| e.progress).collect();
        assert_eq!(ps, vec![5.0, 85.0, 85.0, 85.0, 100.0]);
        for w in ps.windows(2) {
            assert!(w[0] <= w[1]);
        }
    }

    #[test]
    fn detail_interpolates_inside_the_current_item() {
        let (events, sink) = collecting();
        let t = ProgressTracker::new("j", sink);
        // 0 of 4 scenes done, half of the first: 70 + 5 * 0.5
        t.detail(Stage::SceneRendering, 0, 4, 0.5, "anim");
        let e = events.lock().unwrap()[0].clone();
        assert_eq!(e.progress, 72.5);
        assert!(!e.milestone);
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["stage"], "scene_rendering");
        assert_eq!(json["sub"]["current"], 0);
        assert_eq!(json["sub"]["total"], 4);
        assert!(json["at"].is_string());
    }

    #[test]
    fn resumed_tracker_starts_at_stored_progress() {
        let (events, sink) = collecting();
        let t = ProgressTracker::resume_from("j", sink, Stage::SceneRendering, 80.0);
        t.stage(Stage::Initializing, "resuming");
        assert_eq!(events.lock().unwrap()[0].progress, 80.0);
    }
}
