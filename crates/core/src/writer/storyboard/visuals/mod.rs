//! The storyboard writer's visual vocabulary: each [`Visual`] is a Manim picture template (in the
//! `py_*` files) built in steps that the scene plays as the narration reaches them. [`choose`]
//! picks them from the topic's text and formulas.

pub mod choose;
mod cues;
pub mod expr;
mod py_algebra;
mod py_algo;
mod py_common;
mod py_data;
mod py_geometry;
mod py_graph;

use super::manim::py_str;
use super::words::Words;
use serde::{Deserialize, Serialize};

/// A picture and what it needs. Function expressions are Python built by [`expr`] from a
/// whitelist, and checked again by [`expr::is_safe`] before they enter code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "picture", rename_all = "snake_case")]
pub enum Visual {
    Graph {
        expr: String,
        x0: f64,
        x1: f64,
        name: String,
    },
    Derivative {
        expr: String,
        x0: f64,
        x1: f64,
        name: String,
    },
    Integral {
        expr: String,
        x0: f64,
        x1: f64,
        name: String,
    },
    /// Taylor polynomials of sin x (or of eˣ).
    Taylor {
        exp: bool,
    },
    UnitCircle,
    Proportional {
        x: String,
        y: String,
    },
    RightTriangle,
    LawOfCosines,
    Rearrange,
    Circle,
    Angles,
    Sequence,
    Inequality {
        bound: f64,
        rel: String,
    },
    Vectors,
    LinearMap {
        m: [[f64; 2]; 2],
    },
    Bars {
        values: Vec<f64>,
        names: Vec<String>,
    },
    Normal,
    Geometric,
    Bayes,
    Events,
    BinarySearch,
    Sorting,
    Sieve,
    Tree,
    Network,
    Forces,
    Collision,
}

/// All the Python the pictures use (included once per scene that has one).
pub fn python() -> String {
    [
        py_common::PY,
        py_geometry::PY,
        py_graph::PY,
        py_algebra::PY,
        py_data::PY,
        py_algo::PY,
    ]
    .concat()
}

fn f(v: f64) -> String {
    format!("{v:.4}")
}

impl Visual {
    /// How many steps the template plays (checked by an assert in the generated code).
    pub fn steps(&self) -> usize {
        use Visual::*;
        match self {
            Graph { .. } | Bars { .. } => 3,
            RightTriangle
            | Rearrange
            | Vectors
            | Geometric
            | BinarySearch
            | Network
            | Taylor { .. }
            | Sieve => 5,
            Sorting => 10,
            _ => 4,
        }
    }

    /// A short name (for the storyboard text and the tests).
    pub fn name(&self) -> &'static str {
        use Visual::*;
        match self {
            Graph { .. } => "function graph with key points",
            Derivative { .. } => "secant turning into the tangent",
            Integral { .. } => "Riemann rectangles filling the area",
            Taylor { .. } => "Taylor polynomials hugging their function",
            UnitCircle => "sine traced from the unit circle",
            Proportional { .. } => "straight-line plot of a proportional law",
            RightTriangle => "right triangle with the squares on its sides",
            LawOfCosines => "triangle with two sides and the angle between",
            Rearrange => "four triangles rearranged inside a square",
            Circle => "circle with radius and unrolled circumference",
            Angles => "triangle angles adding to a straight angle",
            Sequence => "sequence on a number line approaching its limit",
            Inequality { .. } => "inequality's solution set on a number line",
            Vectors => "vectors added tip to tail and scaled",
            LinearMap { .. } => "matrix acting on the grid, eigenvectors on their lines",
            Bars { .. } => "bar chart with its mean",
            Normal => "histogram approaching the normal curve",
            Geometric => "unit square filled by the geometric series",
            Bayes => "unit square split by Bayes' rule",
            Events => "events as areas of the unit square",
            BinarySearch => "array halved by binary search",
            Sorting => "array sorted by swaps",
            Sieve => "sieve of Eratosthenes on a number grid",
            Tree => "binary search tree",
            Network => "weighted graph and its shortest path",
            Forces => "forces on a block as arrows",
            Collision => "two bodies colliding, momentum kept",
        }
    }

    /// The Python call `(pic, steps)` for this picture, or `None` when an expression is unsafe.
    pub fn call(&self) -> Option<String> {
        use Visual::*;
        let fx = |kind: &str, e: &str, x0: f64, x1: f64, name: &str| {
            expr::is_safe(e).then(|| {
                format!(
                    "v_{kind}(W, lambda x: {e}, {}, {}, {})",
                    f(x0),
                    f(x1),
                    py_str(name)
                )
            })
        };
        Some(match self {
            Graph { expr, x0, x1, name } => fx("graph", expr, *x0, *x1, name)?,
            Derivative { expr, x0, x1, name } => fx("derivative", expr, *x0, *x1, name)?,
            Integral { expr, x0, x1, name } => fx("integral", expr, *x0, *x1, name)?,
            Taylor { exp } => format!("v_taylor(W, exp={})", if *exp { "True" } else { "False" }),
            UnitCircle => "v_unit_circle(W)".into(),
            Proportional { x, y } => format!("v_proportional(W, {}, {})", py_str(x), py_str(y)),
            RightTriangle => "v_right_triangle(W)".into(),
            LawOfCosines => "v_law_of_cosines(W)".into(),
            Rearrange => "v_rearrange(W)".into(),
            Circle => "v_circle(W)".into(),
            Angles => "v_angles(W)".into(),
            Sequence => "v_sequence(W)".into(),
            Inequality { bound, rel } => {
                let rel = ["≥", "≤", ">", "<"].iter().find(|r| **r == rel)?;
                format!("v_inequality(W, {}, {})", f(*bound), py_str(rel))
            }
            Vectors => "v_vectors(W)".into(),
            LinearMap { m } => format!(
                "v_linear_map(W, [[{}, {}], [{}, {}]])",
                f(m[0][0]),
                f(m[0][1]),
                f(m[1][0]),
                f(m[1][1])
            ),
            Bars { values, names } => {
                if values.is_empty() || values.len() != names.len() || values.len() > 8 {
                    return None;
                }
                let v: Vec<String> = values.iter().map(|x| f(*x)).collect();
                let n: Vec<String> = names.iter().map(|x| py_str(x)).collect();
                format!("v_bars(W, [{}], [{}])", v.join(", "), n.join(", "))
            }
            Normal => "v_normal(W)".into(),
            Geometric => "v_geometric(W)".into(),
            Bayes => "v_bayes(W)".into(),
            Events => "v_events(W)".into(),
            BinarySearch => "v_binary_search(W)".into(),
            Sorting => "v_sorting(W)".into(),
            Sieve => "v_sieve(W)".into(),
            Tree => "v_tree(W)".into(),
            Network => "v_network(W)".into(),
            Forces => "v_forces(W)".into(),
            Collision => "v_collision(W)".into(),
        })
    }

    /// One of every template, for tests and the gallery.
    pub fn gallery() -> Vec<Visual> {
        use Visual::*;
        let g = |e: &str| (e.to_string(), -3.0, 3.0, "f(x)".to_string());
        let (e, x0, x1, name) = g("0.25*x**3 - x + 1");
        vec![
            Graph {
                expr: "x**2 - 2*x - 1".into(),
                x0,
                x1,
                name: name.clone(),
            },
            Derivative {
                expr: e.clone(),
                x0,
                x1,
                name: name.clone(),
            },
            Integral {
                expr: "0.3*x**2 + 0.5".into(),
                x0: 0.0,
                x1: 3.0,
                name,
            },
            Taylor { exp: false },
            Taylor { exp: true },
            UnitCircle,
            Proportional {
                x: "I".into(),
                y: "U".into(),
            },
            RightTriangle,
            LawOfCosines,
            Rearrange,
            Circle,
            Angles,
            Sequence,
            Inequality {
                bound: 1.0,
                rel: "≥".into(),
            },
            Vectors,
            LinearMap {
                m: [[2.0, 1.0], [1.0, 2.0]],
            },
            Bars {
                values: vec![3.0, 5.0, 2.0, 6.0, 4.0],
                names: ["A", "B", "C", "D", "E"].map(String::from).to_vec(),
            },
            Normal,
            Geometric,
            Bayes,
            Events,
            BinarySearch,
            Sorting,
            Sieve,
            Tree,
            Network,
            Forces,
            Collision,
        ]
    }
}

/// The words dictionary `W` the templates label with, in the video's language.
pub fn words_dict(w: &Words) -> String {
    let pairs = [
        ("slope", w.slope),
        ("area", w.area),
        ("limit", w.limit),
        ("rotation", w.rotation),
        ("mean", w.mean),
        ("normal", w.normal),
        ("not", w.not),
        ("target", w.target),
        ("found", w.found),
        ("sorted", w.sorted),
        ("search", w.search),
        ("friction", w.friction),
    ];
    let items: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{}: {}", py_str(k), py_str(v)))
        .collect();
    format!("W = {{{}}}", items.join(", "))
}
