//! The offline writer's pictures: the share of scenes past the title card that show one, over
//! the corpus in examples/corpus/topics.json (34 topics; embedded, so the figure is the same
//! wherever the bench runs).

use super::stats::Figure;
use t2v_core::writer::storyboard::picture_share;

const CORPUS: &str = include_str!("../../../examples/corpus/topics.json");

pub fn share() -> Figure {
    let topics = match t2v_core::topic::parse_bytes(CORPUS.as_bytes(), "json") {
        Ok(t) => t,
        Err(e) => {
            return Figure::not_measured(
                "pictures.share_pct",
                "Scenes with a picture",
                &e.to_string(),
            )
        }
    };
    let s = picture_share(&topics, 6);
    let pct = s.ratio() * 100.0;
    Figure::new(
        "pictures.share_pct",
        "Scenes past the title card with a picture (storyboard writer)",
        pct,
        "%",
    )
    .target("≥ 60 %", pct >= 60.0)
    .note(format!(
        "{} of {} scenes, {} topics",
        s.pictured,
        s.scenes,
        topics.len()
    ))
}
