//! The offline storyboard writer never makes an error-level layout finding: every scene kind it
//! writes, at every quality, for long, unicode, math-heavy and many-point topics, linted by the
//! layout probe with real Manim (dry run, sandboxed like a render).

use std::path::PathBuf;
use t2v_core::layout::describe;
use t2v_core::layout::probe::ProbeFiles;
use t2v_core::paths::DataDir;
use t2v_core::render::{RenderSettings, Renderer};
use t2v_core::writer::storyboard::StoryboardWriter;
use t2v_core::writer::{Writer, WriterCtx};
use t2v_core::{CancellationToken, Quality, Topic};

fn topics() -> Vec<Topic> {
    let long = "A very long theorem title that keeps going far beyond what fits on one line of a video frame";
    let many: String = (1..=9)
        .map(|i| {
            format!("- Point number {i} explains one more consequence of the result in detail\n")
        })
        .collect();
    vec![
        Topic::from_form(long, &format!("{}\n\nIt matters. {}", long.repeat(3), long.repeat(2))).unwrap(),
        Topic::from_form(
            "Théorème de Fermat — 费马大定理 und Größen",
            "Für n > 2 hat aⁿ + bⁿ = cⁿ keine Lösung in positiven ganzen Zahlen. 这是一个著名的定理。\n\n## Geschichte\nFermat schrieb es an den Rand.",
        )
        .unwrap(),
        Topic::from_form(
            "Gaussian integral",
            "$$\\int_{-\\infty}^{\\infty} e^{-x^2}\\,dx = \\sqrt{\\pi}$$ and $$\\left(\\int e^{-x^2}dx\\right)^2 = \\int\\int e^{-(x^2+y^2)}\\,dx\\,dy = \\int_0^{2\\pi}\\int_0^\\infty e^{-r^2} r\\,dr\\,d\\theta$$ with $r^2 = x^2 + y^2$ and $\\sum_{k=0}^{\\infty} \\frac{(-1)^k x^{2k}}{k!}$.",
        )
        .unwrap(),
        Topic::from_form("Many points", &format!("The result in nine steps.\n\n{many}")).unwrap(),
    ]
}

#[tokio::test(flavor = "multi_thread")]
async fn storyboard_scenes_have_no_layout_errors_at_any_quality() {
    let dir = tempfile::tempdir().unwrap();
    let data = DataDir::at(dir.path()).unwrap();
    let renderer = Renderer::detect(&data, &RenderSettings::default()).unwrap();
    assert!(renderer.python.is_ready(), "the Manim venv is not ready");
    let probe = ProbeFiles::install(&dir.path().join("tools")).unwrap();
    let cancel = CancellationToken::new();
    let writer = StoryboardWriter::new();
    let mut problems = Vec::new();
    let mut kinds = std::collections::BTreeSet::new();
    let mut linted = 0;
    for (t, topic) in topics().iter().enumerate() {
        let ctx = WriterCtx::new(cancel.clone(), renderer.latex, 7);
        let outline = writer.outline(topic, &ctx).await.unwrap();
        // All scenes of a topic in one file: one Manim process lints them all (`-a`).
        let mut file = String::new();
        for (i, s) in outline.scenes.iter().enumerate() {
            kinds.insert(s.kind);
            let plan = writer.plan_scene(topic, &outline, i, &ctx).await.unwrap();
            let code = writer
                .write_code(topic, &plan, &format!("Scene{t}x{i:02}"), &ctx)
                .await
                .unwrap();
            file.push_str(&code);
            file.push('\n');
        }
        let path: PathBuf = dir.path().join(format!("topic{t}.py"));
        std::fs::write(&path, &file).unwrap();
        for q in [Quality::Preview, Quality::Standard, Quality::High] {
            let work = dir.path().join(format!("work-{t}-{}", q.as_str()));
            let run = renderer
                .lint_file(&probe, &path, None, q, &work, &cancel)
                .await
                .unwrap();
            assert!(
                run.success,
                "topic {t} at {}: {}",
                q.as_str(),
                run.last_error
            );
            let out = run.output.expect("the probe wrote its findings");
            assert_eq!(out.scenes.len(), outline.scenes.len());
            for s in &out.scenes {
                linted += 1;
                assert!(s.error.is_none(), "{}: {:?}", s.scene, s.error);
                for f in s.findings.iter().filter(|f| f.is_error()) {
                    problems.push(format!(
                        "{} {} ({}) line {:?}: {}",
                        topic.title,
                        s.scene,
                        q.as_str(),
                        f.line,
                        describe(f)
                    ));
                }
            }
        }
    }
    use t2v_core::model::plan::SceneKind::*;
    for k in [Title, Statement, Points, Formulas, Summary] {
        assert!(
            kinds.contains(&k),
            "no {k:?} scene among the topics: {kinds:?}"
        );
    }
    assert!(linted >= 40, "only {linted} scene/quality pairs linted");
    assert!(
        problems.is_empty(),
        "storyboard scenes with layout errors:\n{}",
        problems.join("\n")
    );
}
