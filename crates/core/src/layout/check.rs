//! One render's layout check as the pipeline and the render cache keep it: the probe's report
//! for the scene, or why the scene was not checked. It is saved next to the render
//! (`<render>.layout.json`, see [`LayoutCheck::sidecar`]), so that a render reused from the cache
//! still reports its layout.

use super::{ProbeOutput, SceneReport};
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// A render's layout check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum LayoutCheck {
    /// The probe saw the scene to its end.
    Checked { report: SceneReport },
    /// No verdict on the layout, and why (the probe is not installed, or it failed).
    NotChecked { why: String },
}

impl LayoutCheck {
    /// The check of scene `class_name` in the probe's output (`None`: it wrote no file).
    pub fn from_output(output: Option<&ProbeOutput>, class_name: &str) -> LayoutCheck {
        let Some(output) = output else {
            return LayoutCheck::not_checked("the layout probe wrote no report");
        };
        match output.scene(class_name) {
            Some(report) => match &report.probe_error {
                Some(e) => LayoutCheck::not_checked(format!("the layout probe failed: {e}")),
                None => LayoutCheck::Checked {
                    report: report.clone(),
                },
            },
            None => match &output.probe_error {
                Some(e) => LayoutCheck::not_checked(format!("the layout probe failed: {e}")),
                None => LayoutCheck::not_checked(format!(
                    "the layout probe reported nothing for {class_name}"
                )),
            },
        }
    }

    pub fn not_checked(why: impl Into<String>) -> LayoutCheck {
        LayoutCheck::NotChecked { why: why.into() }
    }

    /// The report, when the scene was checked.
    pub fn report(&self) -> Option<&SceneReport> {
        match self {
            LayoutCheck::Checked { report } => Some(report),
            LayoutCheck::NotChecked { .. } => None,
        }
    }

    /// Where the check of the render `video` is kept: beside it, named like it.
    pub fn sidecar(video: &Path) -> PathBuf {
        video.with_extension("layout.json")
    }

    /// Saves the check beside the render `video` (atomically: a temp file and a rename).
    pub fn save_beside(&self, video: &Path) -> Result<()> {
        let path = LayoutCheck::sidecar(video);
        let json = serde_json::to_string(self)
            .map_err(|e| Error::Internal(format!("serializing a layout check: {e}")))?;
        crate::util::fs::write_atomic(&path, json.as_bytes())
    }

    /// The check kept beside the render `video`, if there is a readable one.
    pub fn load_beside(video: &Path) -> Option<LayoutCheck> {
        let text = std::fs::read_to_string(LayoutCheck::sidecar(video)).ok()?;
        serde_json::from_str(&text).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn output(json: &str) -> ProbeOutput {
        ProbeOutput::parse(json).unwrap()
    }

    #[test]
    fn a_scene_the_probe_saw_is_checked_and_a_probe_fault_is_not() {
        let ok = output(r#"{"version":1,"scenes":[{"scene":"A","findings":[]}]}"#);
        assert!(LayoutCheck::from_output(Some(&ok), "A").report().is_some());
        let missing = LayoutCheck::from_output(Some(&ok), "B");
        assert!(
            matches!(&missing, LayoutCheck::NotChecked { why } if why.contains("nothing for B"))
        );
        let broke = output(
            r#"{"version":1,"scenes":[{"scene":"A","findings":[],"probe_error":"checking: KeyError: 1"}],"probe_error":"checking: KeyError: 1"}"#,
        );
        assert!(matches!(
            LayoutCheck::from_output(Some(&broke), "A"),
            LayoutCheck::NotChecked { why } if why.contains("KeyError")
        ));
        let never = output(r#"{"version":1,"scenes":[],"probe_error":"loading the probe: x"}"#);
        assert!(matches!(
            LayoutCheck::from_output(Some(&never), "A"),
            LayoutCheck::NotChecked { why } if why.contains("loading the probe")
        ));
        assert!(LayoutCheck::from_output(None, "A").report().is_none());
    }

    #[test]
    fn the_sidecar_round_trips_beside_the_video() {
        let d = tempfile::tempdir().unwrap();
        let video = d.path().join("render/scene_1-preview-abc.mp4");
        assert_eq!(
            LayoutCheck::sidecar(&video),
            d.path().join("render/scene_1-preview-abc.layout.json")
        );
        assert_eq!(LayoutCheck::load_beside(&video), None);
        let check = LayoutCheck::not_checked("the layout probe failed: boom");
        check.save_beside(&video).unwrap();
        assert_eq!(LayoutCheck::load_beside(&video), Some(check));
    }
}
