//! The "layout" group: the layout check on Manim's documentation examples (false positives on
//! human-made 2D layouts, injected defects caught) and the probe's cost (probe off/on, the same
//! renders side by side in one run).

use super::stats::Figure;
use std::path::Path;
use t2v_core::layout::probe::ProbeFiles;
use t2v_core::render::corpus::CorpusOptions;
use t2v_core::render::Renderer;
use t2v_core::{CancellationToken, Result};

pub async fn corpus(renderer: &Renderer, scratch: &Path, quick: bool) -> Result<Vec<Figure>> {
    let probe = ProbeFiles::install(&scratch.join("tools"))?;
    let opts = CorpusOptions {
        limit: if quick { 40 } else { 0 },
        cost_scenes: if quick { 3 } else { 6 },
    };
    let r = renderer
        .layout_corpus(
            &probe,
            &scratch.join("corpus"),
            &opts,
            &CancellationToken::new(),
        )
        .await?;
    let s = &r.summary;
    let mut figs = vec![];
    let rate = s.flagged_rate.unwrap_or(1.0);
    figs.push(
        Figure::new(
            "layout.flagged_2d",
            "Doc examples (2D) flagged at error level",
            rate * 100.0,
            "%",
        )
        .target("≤ 5 %", rate <= 0.05)
        .note(format!(
            "{} of {} 2D examples ({} animated); {} 3D; {} could not run here; flagged: {}",
            s.two_d_flagged,
            s.two_d,
            s.two_d_animated,
            s.three_d,
            s.failed_to_run,
            s.flagged.join(", ")
        )),
    );
    let caught = s.caught_rate.unwrap_or(0.0);
    let per: Vec<String> = s
        .defects
        .iter()
        .map(|(k, d)| format!("{k} {}/{}", d.caught, d.injected))
        .collect();
    figs.push(
        Figure::new(
            "layout.caught",
            "Injected layout defects caught",
            caught * 100.0,
            "%",
        )
        .target("≥ 95 %", caught >= 0.95)
        .note(per.join(", ")),
    );
    if let Some(c) = &r.cost {
        let ratio = c.ratio.unwrap_or(f64::INFINITY);
        figs.push(
            Figure::new(
                "layout.cost",
                "Preview renders with the probe",
                c.on_seconds,
                "s",
            )
            .baseline(c.off_seconds)
            .target("≤ 1.10×", ratio <= 1.10)
            .note(format!(
                "{} animated doc examples, -ql, probe off then on",
                opts.cost_scenes
            )),
        );
    }
    Ok(figs)
}
