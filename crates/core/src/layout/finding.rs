//! Findings as the probe writes them (JSON, see the probe's docstring), typed.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What is wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A text partly outside the visible frame (wholly outside is staging, not reported).
    TextOffFrame,
    /// Two texts with different content drawn over each other.
    TextOverlap,
    /// A text whose capital letters are fewer pixels tall than is readable at the render's size.
    TextTooSmall,
    /// Any other visible mobject partly outside the frame.
    OffFrame,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::TextOffFrame => "text_off_frame",
            Kind::TextOverlap => "text_overlap",
            Kind::TextTooSmall => "text_too_small",
            Kind::OffFrame => "off_frame",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// The other text of an overlap.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Other {
    pub what: String,
    #[serde(rename = "box")]
    pub bbox: [f64; 4],
    pub line: Option<u32>,
}

/// One finding. `box` and `frame` are `[x0, y0, x1, y1]` in scene units; `t` is seconds into the
/// scene; `animation` is the 1-based `play`/`wait` call it was seen in (`None`: the final still
/// state); `line` is the line of the scene file that created the mobject.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Finding {
    pub kind: Kind,
    pub severity: Severity,
    /// The text (`Text "Caption"`) or the mobject type (`Circle`).
    pub what: String,
    #[serde(default)]
    pub mobject: String,
    #[serde(default)]
    pub text: Option<String>,
    #[serde(rename = "box")]
    pub bbox: [f64; 4],
    #[serde(default)]
    pub frame: Option<[f64; 4]>,
    pub t: f64,
    #[serde(default)]
    pub first_t: Option<f64>,
    #[serde(default)]
    pub animation: Option<u32>,
    pub line: Option<u32>,
    /// How far past each edge (`left`, `right`, `top`, `bottom`), for the off-frame kinds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overflow: Option<BTreeMap<String, f64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other: Option<Other>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cap_px: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_cap_px: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub font_size: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_font_size: Option<u32>,
}

impl Finding {
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The edge it runs past the most, and by how much.
    pub fn worst_edge(&self) -> Option<(&str, f64)> {
        self.overflow
            .as_ref()?
            .iter()
            .max_by(|a, b| a.1.total_cmp(b.1))
            .map(|(k, v)| (k.as_str(), *v))
    }
}

/// One scene's report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SceneReport {
    pub scene: String,
    #[serde(default)]
    pub file: Option<String>,
    #[serde(default)]
    pub pixel_height: u32,
    #[serde(default)]
    pub samples: u32,
    #[serde(default)]
    pub probe_seconds: f64,
    /// What the probe could not check (world-space mobjects of a 3D scene), in words.
    #[serde(default)]
    pub not_checked: Vec<String>,
    #[serde(default)]
    pub findings: Vec<Finding>,
    /// The scene raised this instead of finishing.
    #[serde(default)]
    pub error: Option<String>,
    /// The probe's own fault during this scene (its checks stopped; the render went on).
    #[serde(default)]
    pub probe_error: Option<String>,
}

impl SceneReport {
    pub fn errors(&self) -> usize {
        self.findings.iter().filter(|f| f.is_error()).count()
    }
    pub fn warnings(&self) -> usize {
        self.findings.len() - self.errors()
    }
}

/// The probe's whole output file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProbeOutput {
    pub version: u32,
    pub scenes: Vec<SceneReport>,
    /// The probe's own fault (it could not be installed, or its code raised): scenes after it
    /// are not checked.
    #[serde(default)]
    pub probe_error: Option<String>,
}

impl ProbeOutput {
    /// Parses the probe's JSON; a missing or damaged file is `Err` with the reason.
    pub fn parse(json: &str) -> Result<ProbeOutput, String> {
        serde_json::from_str(json)
            .map_err(|e| format!("the layout probe's output is not valid: {e}"))
    }

    pub fn scene(&self, name: &str) -> Option<&SceneReport> {
        self.scenes.iter().find(|s| s.scene == name)
    }
}
