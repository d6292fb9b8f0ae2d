//! LaTeX read aloud: a small recursive reader of the common forms (fractions, roots, powers,
//! indices, big operators with limits, Greek letters, relations, font commands).

use super::speakable::{power, symbol_word, tidy, GREEK};

/// A LaTeX formula read aloud.
pub fn tex_to_speech(tex: &str) -> String {
    let mut p = Tex {
        c: tex.chars().collect(),
        i: 0,
    };
    tidy(&p.seq().join(" "))
}

struct Tex {
    c: Vec<char>,
    i: usize,
}

const FUNCTIONS: &[(&str, &str)] = &[
    ("sin", "sine"),
    ("cos", "cosine"),
    ("tan", "tangent"),
    ("log", "log"),
    ("ln", "the natural log of"),
    ("exp", "exp"),
    ("max", "the maximum of"),
    ("min", "the minimum of"),
    ("det", "the determinant of"),
    ("gcd", "the g c d of"),
];

fn command_word(name: &str) -> Option<&'static str> {
    if let Some((_, w)) = FUNCTIONS.iter().find(|(n, _)| *n == name) {
        return Some(w);
    }
    if let Some((_, _, spoken)) = GREEK.iter().find(|(_, n, _)| *n == name) {
        return Some(spoken);
    }
    Some(match name {
        "varepsilon" => "epsilon",
        "varphi" => "phi",
        "cdot" | "times" => "times",
        "div" => "divided by",
        "pm" => "plus or minus",
        "mp" => "minus or plus",
        "le" | "leq" => "is less than or equal to",
        "ge" | "geq" => "is greater than or equal to",
        "ne" | "neq" => "is not equal to",
        "approx" => "is approximately",
        "equiv" => "is equivalent to",
        "sim" => "is similar to",
        "propto" => "is proportional to",
        "to" | "rightarrow" => "tends to",
        "Rightarrow" | "implies" => "implies",
        "iff" | "Leftrightarrow" => "if and only if",
        "mapsto" => "maps to",
        "in" => "in",
        "notin" => "not in",
        "subset" | "subseteq" => "a subset of",
        "cup" => "union",
        "cap" => "intersection",
        "emptyset" | "varnothing" => "the empty set",
        "forall" => "for all",
        "exists" => "there exists",
        "neg" | "lnot" => "not",
        "land" | "wedge" => "and",
        "lor" | "vee" => "or",
        "infty" => "infinity",
        "partial" => "partial",
        "nabla" => "del",
        "ldots" | "cdots" | "dots" => "and so on",
        "prime" => "prime",
        _ => return None,
    })
}

impl Tex {
    fn peek(&self) -> Option<char> {
        self.c.get(self.i).copied()
    }

    fn skip_spaces(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.i += 1;
        }
    }

    /// `{…}` (its content), a `\command`, or one character.
    fn arg(&mut self) -> String {
        self.skip_spaces();
        match self.peek() {
            None => String::new(),
            Some('{') => {
                let mut depth = 0;
                let start = self.i + 1;
                while let Some(c) = self.peek() {
                    self.i += 1;
                    match c {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                return self.c[start..self.i - 1].iter().collect();
                            }
                        }
                        _ => {}
                    }
                }
                self.c[start..].iter().collect()
            }
            Some('\\') => {
                let start = self.i;
                self.i += 1;
                self.name();
                self.c[start..self.i].iter().collect()
            }
            Some(c) => {
                self.i += 1;
                c.to_string()
            }
        }
    }

    /// The command name after a backslash (letters, or one other character).
    fn name(&mut self) -> String {
        let start = self.i;
        while self.peek().is_some_and(|c| c.is_ascii_alphabetic()) {
            self.i += 1;
        }
        if self.i == start && self.peek().is_some() {
            self.i += 1;
        }
        self.c[start..self.i].iter().collect()
    }

    /// `_{…}` and `^{…}` right after a big operator, in either order.
    fn limits(&mut self) -> (Option<String>, Option<String>) {
        let (mut lo, mut hi) = (None, None);
        for _ in 0..2 {
            self.skip_spaces();
            match self.peek() {
                Some('_') if lo.is_none() => {
                    self.i += 1;
                    lo = Some(tex_to_speech(&self.arg()));
                }
                Some('^') if hi.is_none() => {
                    self.i += 1;
                    hi = Some(tex_to_speech(&self.arg()));
                }
                _ => break,
            }
        }
        (lo, hi)
    }

    fn seq(&mut self) -> Vec<String> {
        let mut w: Vec<String> = Vec::new();
        while let Some(c) = self.peek() {
            self.i += 1;
            match c {
                '{' => {
                    self.i -= 1;
                    let inner = self.arg();
                    w.push(tex_to_speech(&inner));
                }
                '^' => {
                    let e = self.arg();
                    w.push(match e.trim() {
                        "\\prime" | "'" => "prime".into(),
                        "\\circ" => "degrees".into(),
                        "T" => "transpose".into(),
                        e => power(&tex_to_speech(e)),
                    });
                }
                '_' => {
                    let s = tex_to_speech(&self.arg());
                    w.push(if s.chars().count() == 1 {
                        s
                    } else {
                        format!("sub {s}")
                    });
                }
                '\\' => self.command(&mut w),
                '0'..='9' | '.' => {
                    let mut n = c.to_string();
                    while self.peek().is_some_and(|d| d.is_ascii_digit() || d == '.') {
                        n.push(self.c[self.i]);
                        self.i += 1;
                    }
                    w.push(n);
                }
                c if c.is_alphabetic() => w.push(c.to_string()),
                '=' | '+' | '-' | '<' | '>' | '*' | '/' | '!' | '\'' | ',' => w.push(
                    match c {
                        '=' => "equals",
                        '+' => "plus",
                        '-' => "minus",
                        '<' => "is less than",
                        '>' => "is greater than",
                        '*' => "times",
                        '/' => "over",
                        '!' => "factorial",
                        '\'' => "prime",
                        _ => ",",
                    }
                    .into(),
                ),
                '&' => {}
                c => {
                    if let Some(s) = symbol_word(c) {
                        w.push(s.into());
                    } else if !c.is_whitespace() && !"(){}[]|".contains(c) {
                        w.push(c.to_string());
                    }
                }
            }
        }
        w
    }

    fn command(&mut self, w: &mut Vec<String>) {
        let name = self.name();
        match name.as_str() {
            "frac" | "dfrac" | "tfrac" => {
                let (a, b) = (self.arg(), self.arg());
                w.push(format!("{} over {}", tex_to_speech(&a), tex_to_speech(&b)));
            }
            "binom" => {
                let (a, b) = (self.arg(), self.arg());
                w.push(format!(
                    "{} choose {}",
                    tex_to_speech(&a),
                    tex_to_speech(&b)
                ));
            }
            "sqrt" => {
                self.skip_spaces();
                let mut root = "square".to_string();
                if self.peek() == Some('[') {
                    let start = self.i + 1;
                    while self.peek().is_some_and(|c| c != ']') {
                        self.i += 1;
                    }
                    let n: String = self.c[start..self.i.min(self.c.len())].iter().collect();
                    self.i += 1;
                    root = match n.trim() {
                        "3" => "cube".into(),
                        n => format!("{}th", tex_to_speech(n)),
                    };
                }
                w.push(format!("the {root} root of {}", tex_to_speech(&self.arg())));
            }
            "sum" | "prod" | "int" | "oint" | "bigcup" | "bigcap" => {
                let what = match name.as_str() {
                    "sum" => "sum",
                    "prod" => "product",
                    "bigcup" => "union",
                    "bigcap" => "intersection",
                    _ => "integral",
                };
                w.push(match self.limits() {
                    (Some(lo), Some(hi)) => format!("the {what} from {lo} to {hi} of"),
                    (Some(lo), None) => format!("the {what} over {lo} of"),
                    (None, Some(hi)) => format!("the {what} up to {hi} of"),
                    (None, None) => format!("the {what} of"),
                });
            }
            "lim" => w.push(match self.limits().0 {
                Some(lo) => format!("the limit as {lo} of"),
                None => "the limit of".into(),
            }),
            "mathbb" => {
                let a = self.arg();
                let c = a.trim().chars().next().unwrap_or(' ');
                w.push(
                    symbol_word(match c {
                        'R' => 'ℝ',
                        'N' => 'ℕ',
                        'Z' => 'ℤ',
                        'Q' => 'ℚ',
                        'C' => 'ℂ',
                        _ => c,
                    })
                    .map_or(a.clone(), str::to_string),
                );
            }
            "text" | "textrm" | "textit" | "textbf" | "mbox" | "operatorname" => {
                w.push(self.arg());
            }
            "mathrm" | "mathbf" | "mathit" | "mathsf" | "mathcal" | "boldsymbol" => {
                let a = self.arg();
                w.push(if a.chars().all(char::is_alphabetic) {
                    a
                } else {
                    tex_to_speech(&a)
                });
            }
            "vec" => w.push(format!("vector {}", tex_to_speech(&self.arg()))),
            "hat" | "bar" | "overline" | "dot" | "tilde" => {
                let a = tex_to_speech(&self.arg());
                let mark = if name == "overline" {
                    "bar"
                } else {
                    name.as_str()
                };
                w.push(format!("{a} {mark}"));
            }
            "begin" | "end" => {
                self.arg();
            }
            "\\" => w.push(",".into()),
            _ => {
                if let Some(word) = command_word(&name) {
                    w.push(word.into());
                }
                // Spacing and sizing commands (\left, \quad, \, …) say nothing.
            }
        }
    }
}
