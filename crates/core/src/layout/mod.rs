//! The layout check: what the viewer sees go wrong in a scene (text off the frame, texts drawn
//! over each other, text too small to read), found by a probe that runs inside the same Manim
//! process as the render (`crates/core/python/t2v_layout_probe.py`).
//!
//! - [`check`]: one render's check (the report, or why the scene was not checked), kept beside
//!   the render.
//! - [`finding`]: the findings (kind, severity, box, time, line) as the probe writes them.
//! - [`fix_request`]: a finding as a sentence for a person and as a fix request a model can act on.
//! - [`probe`]: the probe's Python files, written out for the render's sandbox, and its arguments.
//!
//! This module depends on nothing but `error`; the renderer and the pipeline use it.

pub mod check;
pub mod finding;
pub mod fix_request;
pub mod probe;

pub use check::LayoutCheck;
pub use finding::{Finding, Kind, ProbeOutput, SceneReport, Severity};
pub use fix_request::{describe, fix_request};
