//! The cue table: which words (lower case, in every language the writer speaks) call for which
//! picture, in order of preference when two pictures are called for equally.

use super::expr::FunctionDef;
use super::Visual;

/// A picture kind and the words that call for it.
pub struct Cue {
    pub make: fn(&Found) -> Visual,
    pub words: &'static [&'static str],
}

/// What the text gives the pictures: its formulas as functions of one variable, an
/// inequality, and whether it speaks of growth (an exponential then rises, else it decays).
#[derive(Debug, Default, Clone)]
pub struct Found {
    pub function: Option<FunctionDef>,
    pub inequality: Option<(f64, String)>,
    pub grows: bool,
    /// Whether the text speaks of eˣ (a Taylor picture then expands eˣ, else sin x).
    pub says_exp: bool,
}

fn graph_of(found: &Found, default: &str) -> (String, f64, f64, String) {
    match &found.function {
        Some(f) => {
            let (x0, x1) = f.range();
            (f.py.clone(), x0, x1, f.name.clone())
        }
        None if default.contains("np.exp(") => (default.to_string(), 0.0, 5.0, "f(x)".into()),
        None => (default.to_string(), -3.0, 3.0, "f(x)".into()),
    }
}

pub const CUES: &[Cue] = &[
    Cue {
        make: |_| Visual::Rearrange,
        words: &[
            "rearrang",
            "four copies",
            "cut into",
            "dissect",
            "umordn",
            "zerleg",
            "découp",
            "réarrang",
            "reorgan",
            "recort",
        ],
    },
    Cue {
        make: |_| Visual::LawOfCosines,
        words: &[
            "law of cosines",
            "cosine rule",
            "cosines law",
            "included angle",
            "al-kashi",
            "kosinussatz",
            "loi des cosinus",
            "théorème d'al-kashi",
            "ley de cosenos",
            "ley de los cosenos",
            "teorema del coseno",
            "余弦定理",
        ],
    },
    Cue {
        make: |_| Visual::RightTriangle,
        words: &[
            "pythag",
            "right triangle",
            "right-angled",
            "hypotenuse",
            "rechtwinklig",
            "triangle rectangle",
            "hypoténuse",
            "triángulo rectángulo",
            "hipotenusa",
            "勾股",
            "直角三角形",
            "distance between two points",
        ],
    },
    Cue {
        make: |f| Visual::Taylor {
            exp: f
                .function
                .as_ref()
                .is_some_and(|d| d.py.contains("np.exp("))
                || f.says_exp,
        },
        words: &[
            "taylor",
            "maclaurin",
            "power series",
            "polynomial approximation",
            "potenzreihe",
            "série entière",
            "serie de potencias",
            "泰勒",
        ],
    },
    Cue {
        make: |f| {
            let (expr, x0, x1, name) = graph_of(f, "0.25*x**3 - x + 1");
            Visual::Derivative { expr, x0, x1, name }
        },
        words: &[
            "derivative",
            "tangent",
            "slope",
            "differentiab",
            "mean value",
            "rate of change",
            "ableitung",
            "steigung",
            "dérivée",
            "pente",
            "derivada",
            "pendiente",
            "导数",
            "切线",
        ],
    },
    Cue {
        make: |f| {
            let (expr, x0, x1, name) = graph_of(f, "0.3*x**2 + 0.5");
            let (x0, x1) = if f.function.is_none() {
                (0.0, 3.0)
            } else {
                (x0, x1)
            };
            Visual::Integral { expr, x0, x1, name }
        },
        words: &[
            "integral",
            "area under",
            "riemann",
            "antiderivative",
            "integra",
            "fläche unter",
            "aire sous",
            "积分",
        ],
    },
    Cue {
        make: |_| Visual::UnitCircle,
        words: &[
            "sine",
            "cosine",
            "periodic",
            "unit circle",
            "oscillat",
            "wave",
            "euler's formula",
            "sinus",
            "kosinus",
            "periodisch",
            "einheitskreis",
            "cercle unité",
            "seno",
            "coseno",
            "正弦",
            "fourier",
        ],
    },
    Cue {
        make: |_| Visual::Circle,
        words: &[
            "circle",
            "radius",
            "circumference",
            "diameter",
            "kreis",
            "umfang",
            "cercle",
            "rayon",
            "círculo",
            "radio",
            "圆",
        ],
    },
    Cue {
        make: |_| Visual::Angles,
        words: &[
            "angle sum",
            "angles of a triangle",
            "interior angle",
            "180°",
            "180 degrees",
            "winkelsumme",
            "somme des angles",
            "suma de los ángulos",
            "内角",
        ],
    },
    Cue {
        make: |_| Visual::Geometric,
        words: &[
            "geometric series",
            "1/2 + 1/4",
            "halving again",
            "zeno",
            "geometrische reihe",
            "série géométrique",
            "serie geométrica",
            "等比",
        ],
    },
    Cue {
        make: |_| Visual::LinearMap {
            m: [[2.0, 1.0], [1.0, 2.0]],
        },
        words: &[
            "matrix",
            "matrices",
            "eigen",
            "linear map",
            "linear transformation",
            "determinant",
            "matrize",
            "matrice",
            "matriz",
            "矩阵",
            "特征",
        ],
    },
    Cue {
        make: |_| Visual::Vectors,
        words: &[
            "vector",
            "vektor",
            "vecteur",
            "tip to tail",
            "dot product",
            "向量",
        ],
    },
    Cue {
        make: |_| Visual::Bayes,
        words: &[
            "bayes",
            "conditional probability",
            "posterior",
            "prior",
            "false positive",
            "bedingte wahrscheinlichkeit",
            "probabilité conditionnelle",
            "probabilidad condicional",
            "贝叶斯",
        ],
    },
    Cue {
        make: |_| Visual::Normal,
        words: &[
            "normal distribution",
            "central limit",
            "gaussian",
            "bell curve",
            "binomial",
            "standard deviation",
            "normalverteilung",
            "loi normale",
            "distribución normal",
            "正态",
        ],
    },
    Cue {
        make: |_| Visual::Events,
        words: &[
            "probability",
            "random",
            "event",
            "dice",
            "coin",
            "wahrscheinlichkeit",
            "zufall",
            "probabilité",
            "probabilidad",
            "概率",
        ],
    },
    Cue {
        make: |_| Visual::Sequence,
        words: &[
            "sequence",
            "converge",
            "limit",
            "epsilon",
            "folge",
            "grenzwert",
            "konverg",
            "suite",
            "limite",
            "sucesión",
            "límite",
            "极限",
            "数列",
        ],
    },
    Cue {
        make: |f| {
            let (bound, rel) = f.inequality.clone().unwrap_or((1.0, "≥".into()));
            Visual::Inequality { bound, rel }
        },
        words: &[
            "inequality",
            "at least",
            "at most",
            "ungleichung",
            "inégalité",
            "desigualdad",
            "不等式",
        ],
    },
    Cue {
        make: |_| Visual::Bars {
            values: vec![3.0, 5.0, 2.0, 6.0, 4.0],
            names: ["A", "B", "C", "D", "E"].map(String::from).to_vec(),
        },
        words: &[
            "data",
            "average",
            "mean",
            "median",
            "frequency",
            "statistic",
            "daten",
            "mittelwert",
            "données",
            "moyenne",
            "datos",
            "media",
            "数据",
            "平均",
        ],
    },
    Cue {
        make: |_| Visual::BinarySearch,
        words: &[
            "binary search",
            "bisection",
            "halving",
            "divide and conquer",
            "divide-and-conquer",
            "master theorem",
            "logarithmic",
            "binäre suche",
            "dichotom",
            "búsqueda binaria",
            "二分",
        ],
    },
    Cue {
        make: |_| Visual::Sieve,
        words: &[
            "sieve",
            "eratosthenes",
            "prime number",
            "primes",
            "primzahl",
            "nombre premier",
            "nombres premiers",
            "número primo",
            "números primos",
            "素数",
            "质数",
        ],
    },
    Cue {
        make: |_| Visual::Sorting,
        words: &[
            "sort",
            "swap",
            "bubble",
            "quicksort",
            "merge sort",
            "sortier",
            "tri par",
            "ordenamiento",
            "排序",
        ],
    },
    Cue {
        make: |_| Visual::Network,
        words: &[
            "dijkstra",
            "shortest path",
            "weighted graph",
            "graph search",
            "breadth-first",
            "depth-first",
            "spanning tree",
            "bellman",
            "kürzeste",
            "kürzesten weg",
            "plus court chemin",
            "camino más corto",
            "grafo",
            "最短路径",
        ],
    },
    Cue {
        make: |_| Visual::Tree,
        words: &[
            "tree",
            "heap",
            "recursion",
            "recursive",
            "huffman",
            "baum",
            "arbre",
            "árbol",
            "树",
        ],
    },
    Cue {
        make: |_| Visual::Collision,
        words: &[
            "momentum",
            "collision",
            "collide",
            "impuls",
            "stoß",
            "quantité de mouvement",
            "choc",
            "momento lineal",
            "colisión",
            "动量",
        ],
    },
    Cue {
        make: |_| Visual::Forces,
        words: &[
            "force",
            "newton",
            "friction",
            "acceleration",
            "velocity",
            "kraft",
            "reibung",
            "beschleunigung",
            "vitesse",
            "fuerza",
            "aceleración",
            "velocidad",
            "力",
        ],
    },
    Cue {
        make: |_| Visual::Proportional {
            x: "x".into(),
            y: "y".into(),
        },
        words: &[
            "proportional",
            "ohm",
            "hooke",
            "spring",
            "linear relation",
            "ideal gas",
            "charles",
            "directly",
            "rate law",
            "beer",
            "proportion",
            "feder",
            "ressort",
            "resorte",
            "正比",
        ],
    },
    Cue {
        make: |f| {
            let default = if f.grows {
                "np.exp(0.6*x)"
            } else {
                "3*np.exp(-0.6*x)"
            };
            let (expr, x0, x1, name) = graph_of(f, default);
            Visual::Graph { expr, x0, x1, name }
        },
        words: &[
            "decay",
            "half-life",
            "exponential",
            "first-order",
            "growth",
            "zerfall",
            "halbwertszeit",
            "désintégration",
            "demi-vie",
            "desintegración",
            "衰变",
            "半衰期",
        ],
    },
];
