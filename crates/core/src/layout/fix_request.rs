//! A finding in words: one line for a person (`theory2video lint`), and a fix request a model can
//! act on (what, where, which line, a concrete hint), sent to the writer's fix step.

use super::finding::{Finding, Kind};

fn edges(f: &Finding) -> String {
    let Some(over) = &f.overflow else {
        return "the edge".into();
    };
    let names: Vec<&str> = over.keys().map(String::as_str).collect();
    match names.as_slice() {
        [one] => format!("the {one} edge"),
        [a, b] => format!("the {a} and {b} edges"),
        _ => format!("the {} edges", names.join(", ")),
    }
}

fn when(f: &Finding) -> String {
    match f.animation {
        Some(a) => format!("at t={:.1} s (animation {a})", f.t),
        None => format!("at t={:.1} s (the final frame)", f.t),
    }
}

fn line_of(line: Option<u32>) -> String {
    line.map_or_else(|| "an unknown line".into(), |l| format!("line {l}"))
}

/// One sentence for a person: `Text "Caption" runs off the right edge of the frame by 0.8
/// units at t=2.1 s (animation 3)`.
pub fn describe(f: &Finding) -> String {
    match f.kind {
        Kind::TextOffFrame | Kind::OffFrame => {
            let by = f.worst_edge().map_or(0.0, |(_, v)| v);
            format!(
                "{} runs off {} of the frame by {by:.2} units {}",
                f.what,
                edges(f),
                when(f)
            )
        }
        Kind::TextOverlap => {
            let other = f.other.as_ref();
            format!(
                "{} is drawn over {} ({}) {}",
                f.what,
                other.map_or("another text", |o| o.what.as_str()),
                line_of(other.and_then(|o| o.line)),
                when(f)
            )
        }
        Kind::TextTooSmall => format!(
            "{} is too small to read: its capitals are {:.1} px tall (readable from {:.0} px; \
             font_size {:.0}, use at least {}) {}",
            f.what,
            f.cap_px.unwrap_or(0.0),
            f.min_cap_px.unwrap_or(0.0),
            f.font_size.unwrap_or(0.0),
            f.min_font_size.unwrap_or(0),
            when(f)
        ),
    }
}

/// What to do about it, concretely.
pub fn hint(f: &Finding) -> String {
    match f.kind {
        Kind::TextOffFrame | Kind::OffFrame => {
            let over = f.overflow.clone().unwrap_or_default();
            let both_x = over.contains_key("left") && over.contains_key("right");
            let both_y = over.contains_key("top") && over.contains_key("bottom");
            if both_x {
                "it is wider than the frame: scale it to fit the frame width \
                 (`.scale_to_fit_width(config.frame_width - 1)`) or split it into shorter lines"
                    .into()
            } else if both_y {
                "it is taller than the frame: scale it to fit the frame height \
                 (`.scale_to_fit_height(config.frame_height - 1)`) or show less at once"
                    .into()
            } else {
                "move it inside the frame (`.to_edge(...)` with a buff, or place it with \
                 `next_to` something on screen) or scale it down so it fits"
                    .into()
            }
        }
        Kind::TextOverlap => "arrange the two labels with `next_to` (e.g. `b.next_to(a, DOWN)`) \
             or `VGroup(a, b).arrange(DOWN)`, or remove the first one (FadeOut, \
             ReplacementTransform) before the second appears"
            .into(),
        Kind::TextTooSmall => format!(
            "use a font_size of at least {} (and make room for it rather than scaling it down)",
            f.min_font_size.unwrap_or(24)
        ),
    }
}

/// The fix request for a scene's error-level findings: what, where, which line, and a hint for
/// each. Empty when there is no error.
pub fn fix_request(findings: &[Finding]) -> String {
    let errors: Vec<&Finding> = findings.iter().filter(|f| f.is_error()).collect();
    if errors.is_empty() {
        return String::new();
    }
    let mut s = String::from(
        "The scene renders, but its layout has problems the viewer would see. Fix each one, \
         keep everything else as it is, and keep every text inside the frame:\n",
    );
    for (i, f) in errors.iter().enumerate() {
        s.push_str(&format!(
            "{}. {}: {} (box x {:.2}..{:.2}, y {:.2}..{:.2}). Hint: {}.\n",
            i + 1,
            line_of(f.line),
            describe(f),
            f.bbox[0],
            f.bbox[2],
            f.bbox[1],
            f.bbox[3],
            hint(f)
        ));
    }
    s.push_str(
        "The visible frame is 14.2 units wide and 8 units high, centred on the origin \
         (x from -7.1 to 7.1, y from -4 to 4).",
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::ProbeOutput;

    const SAMPLE: &str = r#"{"version":1,"scenes":[{"scene":"S","findings":[
      {"kind":"text_off_frame","severity":"error","what":"Text \"Caption\"","box":[5.0,-3.0,7.9,-2.5],
       "t":2.14,"animation":3,"line":12,"overflow":{"right":0.8}},
      {"kind":"text_overlap","severity":"error","what":"Text \"a\"","box":[0,0,1,1],"t":1,"animation":1,
       "line":7,"other":{"what":"Text \"b\"","box":[0.1,0,1.1,1],"line":8}},
      {"kind":"text_too_small","severity":"error","what":"Text \"tiny\"","box":[0,0,1,1],"t":3,
       "animation":null,"line":9,"cap_px":4.9,"min_cap_px":7.0,"font_size":8.0,"min_font_size":12},
      {"kind":"off_frame","severity":"warning","what":"Circle","box":[4,-2,8,2],"t":3,"animation":2,
       "line":10,"overflow":{"right":0.9}}]}]}"#;

    #[test]
    fn sentences_and_request() {
        let out = ProbeOutput::parse(SAMPLE).unwrap();
        let f = &out.scenes[0].findings;
        assert_eq!(
            describe(&f[0]),
            "Text \"Caption\" runs off the right edge of the frame by 0.80 units at t=2.1 s (animation 3)"
        );
        assert!(describe(&f[1]).contains("drawn over Text \"b\" (line 8)"));
        assert!(
            describe(&f[2]).contains("use at least 12"),
            "{}",
            describe(&f[2])
        );
        assert!(describe(&f[2]).contains("(the final frame)"));
        let req = fix_request(f);
        assert!(req.contains("1. line 12: Text \"Caption\""), "{req}");
        assert!(req.contains("`next_to`"));
        assert!(req.contains("font_size of at least 12"));
        assert!(!req.contains("Circle"), "warnings are not sent: {req}");
        assert_eq!(fix_request(&f[3..]), "");
        assert_eq!(out.scenes[0].errors(), 3);
        assert_eq!(out.scenes[0].warnings(), 1);
    }

    #[test]
    fn wider_than_the_frame_says_scale() {
        let mut f: Finding = serde_json::from_str(
            r#"{"kind":"text_off_frame","severity":"error","what":"Text \"x\"","box":[-8,0,8,1],
                "t":0,"line":null,"overflow":{"left":0.9,"right":0.9}}"#,
        )
        .unwrap();
        assert!(hint(&f).contains("scale it to fit the frame width"));
        assert!(describe(&f).contains("the left and right edges"));
        f.overflow = None;
        assert!(describe(&f).contains("the edge"));
        assert!(fix_request(&[f]).contains("an unknown line"));
    }

    #[test]
    fn damaged_output_is_an_error() {
        assert!(ProbeOutput::parse("{\"version\":1,").is_err());
        assert!(ProbeOutput::parse("").is_err());
    }
}
