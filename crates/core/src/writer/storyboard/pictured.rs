//! Scenes with a picture: the picture on the left (or across the frame when there is no text),
//! the scene's text in a column on the right, paged so it never shrinks, and both following
//! the narration: picture step j and text item i start with the beats they illustrate.

use super::design::SceneSpec;
use super::extract::wrap;
use super::manim::{closing_card, formula_mobject, lines_list, py_str, read_secs, CodeStyle};
use super::timing::{Beats, Clock};
use super::visuals::{python, words_dict, Visual};
use super::words::Words;
use crate::model::plan::SceneKind;
use std::fmt::Write as _;

/// Characters per column line at the column's font size (26 px is ~0.2 units a character).
const COLUMN_CHARS: usize = 27;
/// Lines a column page holds before the next item starts a new page.
const PAGE_LINES: f64 = 10.0;

/// The Python prelude pictures need (the visual library), written once per scene.
pub fn prelude(spec: &SceneSpec) -> String {
    if spec.visual.is_some() {
        python()
    } else {
        String::new()
    }
}

/// What a text item of the column is: its lines and the beat at which it appears.
struct Item {
    lines: Vec<String>,
    beat: usize,
}

fn items(spec: &SceneSpec) -> Vec<Item> {
    match spec.kind {
        SceneKind::Points | SceneKind::Summary => spec
            .points
            .iter()
            .enumerate()
            .map(|(i, p)| Item {
                lines: wrap(p, COLUMN_CHARS - 2),
                beat: i + 1,
            })
            .collect(),
        SceneKind::Statement => spec
            .pages
            .iter()
            .enumerate()
            .map(|(i, s)| Item {
                lines: wrap(s, COLUMN_CHARS),
                beat: i,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Splits items into pages of at most [`PAGE_LINES`] lines.
fn pages(items: &[Item]) -> Vec<Vec<usize>> {
    let mut out: Vec<Vec<usize>> = Vec::new();
    let mut used = 0.0;
    for (i, it) in items.iter().enumerate() {
        let cost = it.lines.len() as f64 + 0.8;
        if out.is_empty() || used + cost > PAGE_LINES {
            out.push(Vec::new());
            used = 0.0;
        }
        used += cost;
        if let Some(p) = out.last_mut() {
            p.push(i);
        }
    }
    out
}

/// Writes the scene's body (after the header) for a spec with a picture.
pub fn pictured_scene(
    out: &mut String,
    c: &mut Clock,
    spec: &SceneSpec,
    visual: &Visual,
    call: &str,
    style: CodeStyle,
    b: Option<&Beats>,
) {
    let words = Words::of(spec.lang);
    let _ = writeln!(out, "        head, rule = header({})", py_str(&spec.title));
    c.play(out, "Write(head), Create(rule)", 1.0);
    let its = items(spec);
    let formulas = spec.kind == SceneKind::Formulas && !spec.formulas.is_empty();
    let mode = if its.is_empty() && !formulas {
        "full"
    } else {
        "left"
    };
    let n_steps = visual.steps();
    let _ = write!(
        out,
        "        {w}\n        pic, steps = {call}\n        assert len(steps) == {n_steps}, len(steps)\n        place(pic, \"{mode}\")\n",
        w = words_dict(&words),
    );
    // Per beat, the plays that start on it (each a list of animations).
    let mut n_beats = spec.beats.len().max(1);
    if let Some(last) = its.iter().map(|i| i.beat).max() {
        n_beats = n_beats.max(last + 1);
    }
    if formulas {
        n_beats = n_beats.max(spec.formulas.len());
    }
    let mut at: Vec<Vec<String>> = vec![Vec::new(); n_beats];
    for j in 0..n_steps {
        at[j * n_beats / n_steps].push(format!("*steps[{j}]()"));
    }
    let mut text_at: Vec<Vec<String>> = vec![Vec::new(); n_beats];
    let marker = match spec.kind {
        SceneKind::Points => Some("•"),
        SceneKind::Summary => Some("✓"),
        _ => None,
    };
    for (p, page) in pages(&its).iter().enumerate() {
        let groups: Vec<String> = page.iter().map(|&i| lines_list(&its[i].lines)).collect();
        let _ = writeln!(
            out,
            "        col{p} = column([{}], size=26, marker={})",
            groups.join(", "),
            marker.map_or("None".to_string(), py_str)
        );
        for (k, &i) in page.iter().enumerate() {
            let mut anim = format!("FadeIn(col{p}[{k}], shift=UP * 0.15)");
            if k == 0 && p > 0 {
                anim = format!("FadeOut(col{}), {anim}", p - 1);
            }
            text_at[its[i].beat].push(anim);
        }
    }
    if formulas {
        let use_tex = style.latex && !style.simple;
        for (i, f) in spec.formulas.iter().enumerate() {
            let cap = if f.caption.is_empty() {
                " "
            } else {
                &f.caption
            };
            let _ = write!(
                out,
                "        fm{i} = fit({mob}, 5.8, 1.8)\n        cp{i} = fit(paragraph({cap}, size=24, color=MUTED), 5.8, 2.4)\n        VGroup(fm{i}, cp{i}).arrange(DOWN, buff=0.45).move_to(np.array([3.55, -0.4, 0]))\n",
                mob = formula_mobject(f, use_tex, 44),
                cap = lines_list(&wrap(cap, 30)),
            );
            let anim = if i == 0 {
                "Write(fm0), FadeIn(cp0)".to_string()
            } else {
                let p = i - 1;
                let t = if use_tex {
                    "TransformMatchingTex"
                } else {
                    "TransformMatchingShapes"
                };
                format!("{t}(fm{p}, fm{i}), FadeOut(cp{p}), FadeIn(cp{i})")
            };
            text_at[i].push(anim);
        }
    }
    for k in 0..n_beats {
        // The text of a beat comes with its first picture step.
        let mut plays = at[k].clone();
        if !text_at[k].is_empty() {
            let t = text_at[k].join(", ");
            if plays.is_empty() {
                plays.push(t);
            } else {
                plays[0] = format!("{t}, {}", plays[0]);
            }
        }
        if let Some(b) = b {
            c.wait_until(out, b.start(k) - 0.15, 0.0);
        }
        if plays.is_empty() {
            continue;
        }
        let window = match b {
            Some(b) => {
                let next = if k + 1 < n_beats && k + 1 < b.starts.len() {
                    b.start(k + 1)
                } else {
                    b.end
                        - if spec.kind == SceneKind::Summary {
                            3.0
                        } else {
                            0.6
                        }
                };
                (next - c.t).max(0.6)
            }
            None => 1.4 * plays.len() as f64,
        };
        let run = (window * 0.85 / plays.len() as f64).clamp(0.6, 2.6);
        for p in &plays {
            c.play(out, p, run);
        }
        if b.is_none() {
            let text = spec.beats.get(k).map_or("", String::as_str);
            c.wait(out, (read_secs(text) - run).max(0.4));
        }
    }
    if spec.kind == SceneKind::Summary && !style.simple {
        closing_card(out, c, spec, b, words.thanks);
    } else if b.is_none() {
        c.wait(out, 1.0);
    }
}
