//! A one-variable formula in LaTeX (`y = x^2 - 3x + 1`, `f(x) = \frac{1}{1+x^2}`,
//! `y = e^{-x}\sin x`) as a Python expression in `x` for the graph templates. Anything outside
//! the small grammar (other letters, sums, integrals) is refused, so only known tokens ever
//! reach the code.

/// A function of one variable that a formula defines, ready for the graph templates.
#[derive(Debug, Clone, PartialEq)]
pub struct FunctionDef {
    /// The right-hand side as Python in `x` (the variable, whatever the text calls it).
    pub py: String,
    /// How the text names it: `f(x)`, `A(t)`, `N(t)`.
    pub name: String,
    /// The text's variable (`x`, `t`, `n`…).
    pub var: char,
}

/// `y = …` / `f(x) = …`: the right-hand side as Python, if the formula defines a function of x.
pub fn function_of_x(tex: &str) -> Option<String> {
    function_def(tex).map(|f| f.py)
}

/// `y = …`, `f(x) = …`, `A(t) = P(1 + r)^t`, `N(t) = N_0 e^{-\lambda t}`: a function of one
/// variable. Other letters are the formula's constants; they are drawn at 1 (the curve's
/// shape, not its scale, is what the picture shows).
pub fn function_def(tex: &str) -> Option<FunctionDef> {
    let (lhs, rhs) = tex.split_once('=')?;
    if rhs.contains('=') {
        return None;
    }
    let lhs: String = lhs.chars().filter(|c| !c.is_whitespace()).collect();
    let (name, var) = if lhs == "y" {
        ("f(x)".to_string(), 'x')
    } else {
        // `L(v)`: a letter, an optional subscript (`N_0`), and one letter in parentheses.
        let (head, arg) = lhs.strip_suffix(')')?.split_once('(')?;
        let mut v = arg.chars();
        let var = v.next().filter(|c| c.is_ascii_alphabetic() && *c != 'e')?;
        if v.next().is_some() {
            return None;
        }
        let mut h = head.chars();
        let letter = h.next().filter(|c| c.is_ascii_alphabetic())?;
        let sub: String = h.collect::<String>().replace(['{', '}'], "");
        let sub_ok = sub.is_empty()
            || (sub.starts_with('_')
                && sub.len() <= 3
                && sub[1..].chars().all(|c| c.is_ascii_alphanumeric()));
        if !sub_ok {
            return None;
        }
        let shown = crate::writer::storyboard::extract::latex_to_unicode(&format!("{letter}{sub}"));
        (format!("{shown}({var})"), var)
    };
    let toks = lex_in(rhs, var, true)?;
    let mut p = Parser { t: toks, i: 0 };
    let e = p.sum()?;
    (p.i == p.t.len() && e.contains('x')).then_some(FunctionDef { py: e, name, var })
}

impl FunctionDef {
    /// The range to draw it on: [`x_range`], and from 0 for a function of time (or of a count).
    pub fn range(&self) -> (f64, f64) {
        let (x0, x1) = x_range(&self.py);
        if matches!(self.var, 't' | 'n') && x0 < 0.0 {
            (0.0, x1 - x0)
        } else {
            (x0, x1)
        }
    }
}

/// The x range to draw `py` on: positive x for logs, roots and divisions.
pub fn x_range(py: &str) -> (f64, f64) {
    if py.contains("np.log") || py.contains("np.sqrt") || py.contains("/(x") || py.contains("/x") {
        (0.25, 4.0)
    } else {
        (-3.0, 3.0)
    }
}

/// Tokens a checked expression may contain.
const FUNCS: &[(&str, &str)] = &[
    ("sin", "np.sin"),
    ("cos", "np.cos"),
    ("tan", "np.tan"),
    ("ln", "np.log"),
    ("log", "np.log"),
    ("exp", "np.exp"),
];

/// True when `py` is made only of numbers, `x`, operators, parentheses and the allowed
/// functions: what [`to_python`] writes, and nothing a stored plan could smuggle in.
pub fn is_safe(py: &str) -> bool {
    let mut rest = py.to_string();
    for w in [
        "np.sin", "np.cos", "np.tan", "np.log", "np.exp", "np.sqrt", "np.pi", "np.e",
    ] {
        rest = rest.replace(w, " ");
    }
    !py.is_empty()
        && py.len() < 400
        && rest
            .chars()
            .all(|c| c.is_ascii_digit() || " x+-*/().".contains(c))
}

/// LaTeX to Python, or `None` outside the grammar.
pub fn to_python(tex: &str) -> Option<String> {
    let toks = lex_in(tex, 'x', false)?;
    let mut p = Parser { t: toks, i: 0 };
    let e = p.sum()?;
    (p.i == p.t.len()).then_some(e)
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(String),
    X,
    Op(char),
    Open,
    Close,
    Func(&'static str),
    Frac,
    Sqrt,
    Const(&'static str),
}

/// Greek letters a formula's constants go by (`\lambda`, `\omega`…), drawn at 1 like the others.
const GREEK_CONSTANTS: &[&str] = &[
    "alpha", "beta", "gamma", "delta", "kappa", "lambda", "mu", "nu", "omega", "rho", "sigma",
    "tau", "phi", "varphi", "theta",
];

/// Whether `c` has a word outside commands (`sin x` written without its backslash, `ln`):
/// letters side by side are a product (`ax`, `mc`) only in runs of two, and not `ln`/`lg`.
fn has_word(c: &[char]) -> bool {
    let mut i = 0;
    while i < c.len() {
        if c[i].is_ascii_alphabetic() {
            let start = i;
            while i < c.len() && c[i].is_ascii_alphabetic() {
                i += 1;
            }
            let command = start > 0 && c[start - 1] == '\\';
            let run: String = c[start..i].iter().collect();
            if !command && (run.len() > 2 || run == "ln" || run == "lg") {
                return true;
            }
        } else {
            i += 1;
        }
    }
    false
}

/// The index just past the subscript that starts with the `_` at `i` (`_0`, `_{max}`).
fn past_subscript(c: &[char], mut i: usize) -> usize {
    i += 1;
    if c.get(i) == Some(&'{') {
        while i < c.len() && c[i] != '}' {
            i += 1;
        }
    }
    i + 1
}

/// Tokens of `tex` with `var` as the variable; with `constants`, every other single letter (and
/// Greek constant, with its subscript) is a constant at 1. Words (`sin` without a backslash) and
/// anything else outside the grammar give `None`.
fn lex_in(tex: &str, var: char, constants: bool) -> Option<Vec<Tok>> {
    let c: Vec<char> = tex.chars().collect();
    if constants && has_word(&c) {
        return None;
    }
    let mut i = 0;
    let mut out = Vec::new();
    let one = || Tok::Num("1".into());
    while i < c.len() {
        let ch = c[i];
        let after_constant = constants
            && matches!(out.last(), Some(Tok::Num(n)) if n == "1")
            && i > 0
            && (c[i - 1].is_ascii_alphabetic());
        match ch {
            // A constant's subscript (`N_0`, `v_{max}`): part of its name.
            '_' if after_constant => i = past_subscript(&c, i),
            c0 if c0 == var => {
                out.push(Tok::X);
                i += 1;
            }
            c0 if constants && c0.is_ascii_alphabetic() && c0 != 'e' => {
                out.push(one());
                i += 1;
            }
            ' ' | '\t' => i += 1,
            '0'..='9' | '.' => {
                let s: String = c[i..]
                    .iter()
                    .take_while(|d| d.is_ascii_digit() || **d == '.')
                    .collect();
                i += s.len();
                s.parse::<f64>().ok()?;
                out.push(Tok::Num(s));
            }
            'e' => {
                out.push(Tok::Const("np.e"));
                i += 1;
            }
            '+' | '-' | '*' | '/' | '^' => {
                out.push(Tok::Op(ch));
                i += 1;
            }
            '(' | '{' | '[' => {
                out.push(Tok::Open);
                i += 1;
            }
            ')' | '}' | ']' => {
                out.push(Tok::Close);
                i += 1;
            }
            '\\' => {
                let name: String = c[i + 1..]
                    .iter()
                    .take_while(|d| d.is_ascii_alphabetic())
                    .collect();
                i += 1 + name.len();
                if name.is_empty() {
                    // `\,` `\;` `\!`: spacing.
                    i += 1;
                    continue;
                }
                match name.as_str() {
                    "frac" | "dfrac" | "tfrac" => out.push(Tok::Frac),
                    "sqrt" => out.push(Tok::Sqrt),
                    "pi" => out.push(Tok::Const("np.pi")),
                    "cdot" | "times" => out.push(Tok::Op('*')),
                    "left" | "right" | "quad" => {}
                    n if constants && GREEK_CONSTANTS.contains(&n) => {
                        out.push(one());
                        // The Greek constant's own subscript reads as part of its name.
                        if c.get(i) == Some(&'_') {
                            i = past_subscript(&c, i);
                        }
                    }
                    n => out.push(Tok::Func(FUNCS.iter().find(|(k, _)| *k == n)?.1)),
                }
            }
            _ => return None,
        }
    }
    Some(out)
}

struct Parser {
    t: Vec<Tok>,
    i: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.t.get(self.i)
    }

    fn sum(&mut self) -> Option<String> {
        let mut s = self.product()?;
        while let Some(Tok::Op(o @ ('+' | '-'))) = self.peek().cloned() {
            self.i += 1;
            s = format!("{s} {o} {}", self.product()?);
        }
        Some(s)
    }

    fn product(&mut self) -> Option<String> {
        let mut s = self.unary()?;
        loop {
            match self.peek().cloned() {
                Some(Tok::Op(o @ ('*' | '/'))) => {
                    self.i += 1;
                    s = format!("{s}{o}{}", self.unary()?);
                }
                // Implicit product: 3x, 2\sin x, x(x+1).
                Some(Tok::Num(_) | Tok::X | Tok::Open | Tok::Func(_) | Tok::Frac)
                | Some(Tok::Sqrt | Tok::Const(_)) => {
                    s = format!("{s}*{}", self.power()?);
                }
                _ => return Some(s),
            }
        }
    }

    fn unary(&mut self) -> Option<String> {
        if let Some(Tok::Op('-')) = self.peek() {
            self.i += 1;
            return Some(format!("-{}", self.unary()?));
        }
        self.power()
    }

    fn power(&mut self) -> Option<String> {
        let base = self.atom()?;
        if let Some(Tok::Op('^')) = self.peek() {
            self.i += 1;
            let exp = match self.peek() {
                Some(Tok::Open) => self.atom()?,
                Some(Tok::Op('-')) => {
                    self.i += 1;
                    format!("(-{})", self.atom()?)
                }
                _ => self.atom()?,
            };
            return Some(if base == "np.e" {
                format!("np.exp({exp})")
            } else {
                format!("{base}**{exp}")
            });
        }
        Some(base)
    }

    fn group(&mut self) -> Option<String> {
        if self.peek() != Some(&Tok::Open) {
            return self.atom();
        }
        self.i += 1;
        let e = self.sum()?;
        (self.peek() == Some(&Tok::Close)).then_some(())?;
        self.i += 1;
        Some(format!("({e})"))
    }

    fn atom(&mut self) -> Option<String> {
        let t = self.peek()?.clone();
        self.i += 1;
        Some(match t {
            Tok::Num(n) => n,
            Tok::X => "x".into(),
            Tok::Const(c) => c.into(),
            Tok::Open => {
                self.i -= 1;
                self.group()?
            }
            Tok::Frac => {
                let a = self.group()?;
                let b = self.group()?;
                format!("({a}/{b})")
            }
            Tok::Sqrt => format!("np.sqrt({})", self.group()?),
            Tok::Func(f) => {
                // \sin x, \sin(x), \sin^2 x is refused (rare, ambiguous).
                let arg = if self.peek() == Some(&Tok::Open) {
                    self.group()?
                } else {
                    self.power()?
                };
                format!("{f}({arg})")
            }
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_become_python_in_x() {
        let cases = [
            ("y = x^2 - 3x + 1", Some("x**2 - 3*x + 1")),
            ("f(x) = \\frac{1}{1+x^2}", Some("((1)/(1 + x**2))")),
            ("y = e^{-x}\\sin x", Some("np.exp((-x))*np.sin(x)")),
            ("f(x)=2\\sqrt{x}", Some("2*np.sqrt((x))")),
            ("y = a x + b", Some("1*x + 1")),
            ("y = \\sin x", Some("np.sin(x)")),
            ("y = sin x", None),
            ("y = ax^2 + bx + c", Some("1*x**2 + 1*x + 1")),
            ("E = mc^2", None),
            ("y = 5", None),
        ];
        for (tex, want) in cases {
            assert_eq!(function_of_x(tex).as_deref(), want, "{tex}");
        }
        assert_eq!(x_range("2*np.sqrt((x))"), (0.25, 4.0));
    }

    #[test]
    fn functions_of_other_variables_with_constants() {
        let f = function_def("A(t) = P (1 + r)^t").unwrap();
        assert_eq!(
            (f.py.as_str(), f.name.as_str(), f.var),
            ("1*(1 + 1)**x", "A(t)", 't')
        );
        let f = function_def("N(t) = N_0 e^{-\\lambda t}").unwrap();
        assert_eq!(
            (f.py.as_str(), f.name.as_str()),
            ("1*np.exp((-1*x))", "N(t)")
        );
        let f = function_def("x(t) = A \\cos(\\omega t)").unwrap();
        assert_eq!(f.py, "1*np.cos((1*x))");
        let f = function_def("v_0(t) = g t").unwrap();
        assert_eq!(f.name, "v₀(t)");
        for bad in [
            "E = mc^2",
            "F = m a",
            "A = \\pi r^2",
            "f(x) = sin x",
            "P(A|B) = 1",
        ] {
            assert_eq!(function_def(bad), None, "{bad}");
        }
        for py in ["1*(1 + 1)**x", "1*np.exp((-1*x))"] {
            assert!(is_safe(py), "{py}");
        }
    }

    #[test]
    fn only_whitelisted_tokens_are_safe() {
        assert!(is_safe("np.exp((-x))*np.sin(x) + 0.5"));
        assert!(!is_safe("__import__('os').system('x')"));
        assert!(!is_safe("x; import os"));
        assert!(!is_safe(""));
    }
}
