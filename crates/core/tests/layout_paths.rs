//! The layout probe on both render paths, with the real sandbox and real Manim: a warm render (a
//! child forked from the job's worker) is checked exactly as a cold one, its check kept beside
//! the video; a fault of the probe itself never fails the render (the scene is rendered and
//! recorded as not checked).
#![cfg(unix)]

mod common;
use common::*;
use std::path::PathBuf;
use t2v_core::job::Quality;
use t2v_core::layout::{Kind, LayoutCheck};
use t2v_core::paths::DataDir;
use t2v_core::render::manim::RenderWork;
use t2v_core::render::warm::WarmLease;
use t2v_core::render::{RenderSettings, Renderer};
use t2v_core::CancellationToken;

/// A caption (line 6) that runs off both sides of the frame.
const CAPTION: &str = r#"from manim import *

class Cap(Scene):
    def construct(self):
        title = Text("Title", font_size=40).to_edge(UP)
        caption = Text("This caption is much too long to fit inside the frame of the video", font_size=40).to_edge(DOWN)
        self.play(Write(title), FadeIn(caption), run_time=1)
        self.wait(0.5)
"#;

/// A scene the probe's assumptions do not hold for: a text whose `tex_string` (which the probe
/// reads to tell texts apart, and Manim never reads on a `Text`) raises. Manim renders it fine.
const BREAKS_PROBE: &str = r#"from manim import *

class Label(Text):
    @property
    def tex_string(self):
        raise LookupError("a label has no TeX source")

class Odd(Scene):
    def construct(self):
        a = Label("Left label").move_to(LEFT * 0.4)
        b = Text("Right label").move_to(RIGHT * 0.4)
        self.play(FadeIn(a), FadeIn(b))
        self.wait(0.3)
"#;

struct Bed {
    _tmp: tempfile::TempDir,
    root: PathBuf,
    renderer: Renderer,
}

fn bed() -> Bed {
    use_shared_venv();
    assert!(
        t2v_core::render::sandbox::Sandbox::detect(true).is_on(),
        "bubblewrap is required for this test"
    );
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("data");
    let data = DataDir::at(&root).unwrap();
    let renderer = Renderer::detect(&data, &RenderSettings::default()).unwrap();
    assert!(renderer.probe.is_some(), "the probe is installed");
    Bed {
        _tmp: tmp,
        root,
        renderer,
    }
}

impl Bed {
    fn work(&self) -> PathBuf {
        self.root.join("cache/t/scenes/01/work")
    }

    /// A warm lease whose worker imported Manim already.
    async fn lease(&self) -> WarmLease {
        let lease = self.renderer.warm.lease(&self.renderer, vec![self.work()]);
        assert!(lease.worker_pid().is_some(), "{:?}", lease.take_notes());
        for _ in 0..1200 {
            if lease.import_secs().is_some() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert!(lease.import_secs().is_some(), "the worker never got ready");
        lease
    }

    /// Renders `class` of `code` (warm through `lease`, else cold); the check, and the video.
    async fn render(
        &self,
        lease: Option<&WarmLease>,
        class: &str,
        code: &str,
    ) -> (LayoutCheck, PathBuf) {
        let work = RenderWork::new(&self.work(), code).unwrap();
        let out = self.root.join(format!(
            "out/{class}-{}.mp4",
            if lease.is_some() { "warm" } else { "cold" }
        ));
        let log = self.root.join(format!("logs/{class}.log"));
        let check = self
            .renderer
            .render_scene_with(
                lease,
                &work,
                class,
                Quality::Preview,
                &out,
                &CancellationToken::new(),
                &log,
                &mut |_, _| {},
            )
            .await
            .unwrap()
            .unwrap_or_else(|f| panic!("{class} did not render: {} {}", f.last_line, f.tail));
        let len = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
        assert!(len > 1000, "no video at {}", out.display());
        // The check is kept beside the video, for a later reuse of this render.
        assert_eq!(LayoutCheck::load_beside(&out).as_ref(), Some(&check));
        if let Some(lease) = lease {
            let notes = lease.take_notes();
            assert!(
                notes.is_empty(),
                "the warm render fell back to cold: {notes:?}"
            );
        }
        (check, out)
    }
}

fn why_not(check: &LayoutCheck) -> &str {
    match check {
        LayoutCheck::NotChecked { why } => why,
        LayoutCheck::Checked { report } => panic!("checked, with {report:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_warm_render_is_checked_exactly_as_a_cold_one() {
    let b = bed();
    let lease = b.lease().await;
    let (warm, _) = b.render(Some(&lease), "Cap", CAPTION).await;
    let (cold, _) = b.render(None, "Cap", CAPTION).await;
    let (w, c) = (warm.report().unwrap(), cold.report().unwrap());
    assert!(w.samples >= 3, "the probe sampled the warm render: {w:?}");
    let off: Vec<_> = w
        .findings
        .iter()
        .filter(|f| f.kind == Kind::TextOffFrame)
        .collect();
    assert_eq!(off.len(), 1, "{:?}", w.findings);
    assert_eq!(off[0].line, Some(6), "the line that made the caption");
    assert!(
        off[0].what.contains("This caption is much"),
        "{}",
        off[0].what
    );
    // The same findings either way (only the probe's own timing differs).
    assert_eq!(w.findings, c.findings);
    assert_eq!(w.samples, c.samples);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scene_that_breaks_the_probe_still_renders_unchecked_on_both_paths() {
    let b = bed();
    let lease = b.lease().await;
    for l in [Some(&lease), None] {
        let (check, _) = b.render(l, "Odd", BREAKS_PROBE).await;
        let why = why_not(&check);
        assert!(
            why.contains("the layout probe failed")
                && why.contains("LookupError: a label has no TeX source")
                && why.contains("t2v_layout_geometry.py:"),
            "the probe's own fault, and where: {why}"
        );
    }
    // The worker is still the same, and the next scene is checked again.
    let (check, _) = b.render(Some(&lease), "Cap", CAPTION).await;
    assert_eq!(check.report().unwrap().errors(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_the_probe_files_gone_scenes_render_unchecked_on_both_paths() {
    let b = bed();
    let lease = b.lease().await;
    // The probe's files vanish under the running app (a cleaner, a damaged install).
    let dir = b.renderer.probe.as_ref().unwrap().dir.clone();
    for e in std::fs::read_dir(&dir).unwrap() {
        std::fs::remove_file(e.unwrap().path()).unwrap();
    }
    // Cold: the launcher cannot start, the render fails, and renders again without the probe.
    let (check, _) = b.render(None, "Cap", CAPTION).await;
    let why = why_not(&check);
    assert!(
        why.contains("the layout probe broke the render") && why.contains("without it"),
        "{why}"
    );
    // Warm: the worker cannot load the probe; the child renders unchecked and says why.
    let (check, _) = b.render(Some(&lease), "Cap", CAPTION).await;
    let why = why_not(&check);
    assert!(
        why.contains("loading the probe") && why.contains("FileNotFoundError"),
        "{why}"
    );
}
