//! Choosing pictures from text: keywords (in the languages the writer speaks) and formulas
//! that define a function of x. Each scene gets the best picture its own text suggests that no
//! earlier scene used, else the topic's main picture.

use super::cues::{Found, CUES};
use super::expr::function_def;
use super::Visual;
use crate::model::plan::SceneKind;
use crate::topic::Topic;
use crate::writer::storyboard::design::SceneSpec;
use crate::writer::storyboard::extract::split_math;

/// The proportional law's axis names from its formula (`U = R I` gives I and U), if any.
fn law_names(formulas: &[String]) -> Option<(String, String)> {
    formulas.iter().find_map(|f| {
        let (l, r) = f.split_once('=')?;
        let y = l.trim();
        let vars: Vec<char> = r.chars().filter(|c| c.is_ascii_alphabetic()).collect();
        let single = |s: &str| s.chars().count() == 1 && s.chars().all(|c| c.is_ascii_alphabetic());
        (single(y) && vars.len() == 2 && !r.contains('\\'))
            .then(|| (vars[1].to_string(), y.to_string()))
    })
}

/// An inequality `x \ge 2`-style among the formulas.
fn inequality(formulas: &[String]) -> Option<(f64, String)> {
    formulas.iter().find_map(|f| {
        let t = f
            .replace("\\geq", "≥")
            .replace("\\ge", "≥")
            .replace("\\leq", "≤")
            .replace("\\le", "≤");
        ["≥", "≤", ">", "<"].iter().find_map(|r| {
            let (l, b) = t.split_once(r)?;
            (l.trim() == "x").then_some(())?;
            Some((b.trim().parse::<f64>().ok()?, r.to_string()))
        })
    })
}

/// Words that say a quantity grows (an exponential picture then rises).
const GROWTH: &[&str] = &[
    "grow", "compound", "increas", "doubl", "wachs", "wächst", "croissan", "crec", "增长",
];
/// Words that say it decays (they win over growth words).
const DECAY: &[&str] = &[
    "decay",
    "half-life",
    "decreas",
    "zerfall",
    "abnehm",
    "désintégr",
    "décroiss",
    "desintegr",
    "decrec",
    "衰",
];

/// Whether `text` has `word` at the start of one of its words ("sine" is not in "cosine", and
/// "sort" is in "sorted"); a word in a script without spaces (Chinese) may appear anywhere.
fn mentions(text: &str, word: &str) -> bool {
    let spaced = word
        .chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() && (c as u32) < 0x2E80);
    text.match_indices(word).any(|(i, _)| {
        !spaced
            || text[..i]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric())
    })
}

/// Pictures a text calls for, best first (most keyword hits, then the table's order).
pub fn candidates(text: &str, formulas: &[String]) -> Vec<Visual> {
    let lower = text.to_lowercase();
    let says = |words: &[&str]| words.iter().any(|w| lower.contains(w));
    let found = Found {
        function: formulas.iter().find_map(|f| function_def(f)),
        inequality: inequality(formulas),
        grows: says(GROWTH) && !says(DECAY),
        says_exp: says(&["e^x", "eˣ", "exp(", "exponential"])
            || formulas
                .iter()
                .any(|f| f.contains("e^x") || f.contains("e^{x}")),
    };
    let mut scored: Vec<(usize, usize, Visual)> = CUES
        .iter()
        .enumerate()
        .filter_map(|(i, c)| {
            let hits = c.words.iter().filter(|w| mentions(&lower, w)).count();
            (hits > 0).then(|| {
                let mut v = (c.make)(&found);
                if let (Visual::Proportional { x, y }, Some((lx, ly))) =
                    (&mut v, law_names(formulas))
                {
                    *x = lx;
                    *y = ly;
                }
                (hits, i, v)
            })
        })
        .collect();
    scored.sort_by_key(|(h, i, _)| (std::cmp::Reverse(*h), *i));
    let mut out: Vec<Visual> = scored.into_iter().map(|(_, _, v)| v).collect();
    if let Some(f) = found.function.clone() {
        if !out.iter().any(|v| {
            matches!(
                v,
                Visual::Derivative { .. } | Visual::Integral { .. } | Visual::Graph { .. }
            )
        }) {
            let (x0, x1) = f.range();
            out.push(Visual::Graph {
                expr: f.py,
                x0,
                x1,
                name: f.name,
            });
        }
    }
    if let Some((bound, rel)) = found.inequality {
        if !out.iter().any(|v| matches!(v, Visual::Inequality { .. })) {
            out.push(Visual::Inequality { bound, rel });
        }
    }
    out
}

/// Assigns a picture to each scene text: its best candidate not used yet, else the main
/// picture (`None` when neither the scene nor the topic gives anything to draw).
pub fn allocate(main: &[Visual], scenes: &[Vec<Visual>]) -> Vec<Option<Visual>> {
    let mut used: Vec<Visual> = Vec::new();
    scenes
        .iter()
        .map(|c| {
            let pick = c
                .iter()
                .chain(main.iter())
                .find(|v| !used.iter().any(|u| same_kind(u, v)))
                .or_else(|| main.first())
                .cloned();
            if let Some(p) = &pick {
                used.push(p.clone());
            }
            pick
        })
        .collect()
}

/// Gives each planned scene its picture: the title card none; a formula scene only a graph of
/// its own formulas (its equation steps are its picture otherwise); the others their own best
/// candidate or the topic's main picture.
pub fn assign(topic: &Topic, specs: &mut [SceneSpec]) {
    let mut formulas = split_math(&topic.description).1;
    let mut whole = format!("{}\n{}", topic.title, topic.description);
    for s in &topic.sections {
        formulas.extend(split_math(&s.body).1);
        whole.push_str(&format!("\n{}\n{}", s.heading, s.body));
    }
    let main = candidates(&whole, &formulas);
    let own: Vec<Vec<Visual>> = specs
        .iter()
        .map(|s| {
            let text = format!(
                "{} {} {} {}",
                s.title,
                s.body,
                s.pages.join(" "),
                s.points.join(" ")
            );
            let f: Vec<String> = s.formulas.iter().map(|f| f.tex.clone()).collect();
            candidates(&text, &f)
        })
        .collect();
    let idx: Vec<usize> = (0..specs.len())
        .filter(|&i| specs[i].kind != SceneKind::Title && specs[i].kind != SceneKind::Formulas)
        .collect();
    let picked = allocate(
        &main,
        &idx.iter().map(|&i| own[i].clone()).collect::<Vec<_>>(),
    );
    for (k, &i) in idx.iter().enumerate() {
        specs[i].visual = picked[k].clone();
    }
    for (i, s) in specs.iter_mut().enumerate() {
        if s.kind == SceneKind::Formulas {
            s.visual = own[i]
                .iter()
                .find(|v| {
                    matches!(
                        v,
                        Visual::Graph { .. }
                            | Visual::Derivative { .. }
                            | Visual::Integral { .. }
                            | Visual::Inequality { .. }
                    )
                })
                .cloned();
        }
    }
}

fn same_kind(a: &Visual, b: &Visual) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cue_words_start_a_word() {
        assert!(mentions("the sine of x", "sine"));
        assert!(!mentions("the cosine of x", "sine"));
        assert!(mentions("sorted lists", "sort"));
        assert!(!mentions("a seaside resort", "sort"));
        assert!(mentions("(sine)", "sine"));
        assert!(mentions("勾股定理", "勾股") && mentions("这是勾股定理", "勾股"));
    }

    #[test]
    fn text_calls_for_pictures() {
        let c = candidates(
            "In a right triangle the hypotenuse…",
            &["a^2+b^2=c^2".into()],
        );
        assert_eq!(c.first(), Some(&Visual::RightTriangle));
        let c = candidates(
            "Die Ableitung ist die Steigung der Tangente.",
            &["f(x) = x^2".into()],
        );
        assert!(
            matches!(&c[0], Visual::Derivative { expr, .. } if expr == "x**2"),
            "{c:?}"
        );
        let c = candidates(
            "Ohm's law: the current is proportional to the voltage.",
            &["U = R I".into()],
        );
        assert_eq!(
            c[0],
            Visual::Proportional {
                x: "I".into(),
                y: "U".into()
            }
        );
        assert!(candidates("Philosophy of mind and consciousness.", &[]).is_empty());
        // A formula in another variable, with constants: its own curve, named as the text does.
        let c = candidates(
            "Money that earns interest on its interest grows exponentially.",
            &["A(t) = P (1 + r)^t".into()],
        );
        assert!(
            matches!(&c[0], Visual::Graph { expr, name, x0, .. }
                if expr == "1*(1 + 1)**x" && name == "A(t)" && *x0 == 0.0),
            "{c:?}"
        );
        // Graph algorithms get the weighted graph, not the function graph or the tree.
        let c = candidates(
            "Dijkstra's algorithm finds the shortest path in a weighted graph; a spanning tree…",
            &[],
        );
        assert_eq!(c.first(), Some(&Visual::Network), "{c:?}");
        // No formula: growth rises, decay falls.
        let rising = candidates("The population grows exponentially.", &[]);
        assert!(
            matches!(&rising[0], Visual::Graph { expr, .. } if expr == "np.exp(0.6*x)"),
            "{rising:?}"
        );
        let falling = candidates("Exponential decay with a half-life.", &[]);
        assert!(
            matches!(&falling[0], Visual::Graph { expr, .. } if expr.contains("exp(-")),
            "{falling:?}"
        );
        // Taylor series, the law of cosines and the sieve get their own pictures, not the
        // tangent line, the unit circle or a text slide.
        let c = candidates(
            "The Taylor series of sin x: each term is built from a derivative at 0.",
            &[],
        );
        assert_eq!(c.first(), Some(&Visual::Taylor { exp: false }), "{c:?}");
        let c = candidates(
            "A Maclaurin series approximates e^x by polynomials.",
            &["e^x = \\sum_{n} x^n/n!".into()],
        );
        assert_eq!(c.first(), Some(&Visual::Taylor { exp: true }), "{c:?}");
        let c = candidates(
            "The law of cosines relates the sides of any triangle to the cosine of one angle.",
            &["c^2 = a^2 + b^2 - 2ab\\cos\\gamma".into()],
        );
        assert_eq!(c.first(), Some(&Visual::LawOfCosines), "{c:?}");
        let c = candidates(
            "Das Sieb des Eratosthenes findet alle Primzahlen bis n.",
            &[],
        );
        assert_eq!(c.first(), Some(&Visual::Sieve), "{c:?}");
        let c = candidates("Solve it.", &["x \\geq 3".into()]);
        assert_eq!(
            c,
            vec![Visual::Inequality {
                bound: 3.0,
                rel: "≥".into()
            }]
        );
    }

    #[test]
    fn scenes_get_distinct_pictures_then_the_main_one() {
        let main = vec![Visual::RightTriangle, Visual::Rearrange];
        let got = allocate(&main, &[vec![], vec![Visual::Rearrange], vec![], vec![]]);
        assert_eq!(
            got,
            vec![
                Some(Visual::RightTriangle),
                Some(Visual::Rearrange),
                Some(Visual::RightTriangle),
                Some(Visual::RightTriangle)
            ]
        );
        assert_eq!(allocate(&[], &[vec![]]), vec![None]);
    }
}
