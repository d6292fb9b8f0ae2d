//! Manim code templates for the storyboard writer. All user text enters the code only through
//! [`py_str`], so a topic can never inject Python.

use super::design::SceneSpec;
use super::extract::wrap;
use std::fmt::Write as _;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeStyle {
    /// Use MathTex for formulas (LaTeX installed).
    pub latex: bool,
    /// The plainest layout: no transforms, no LaTeX (the last fix attempt).
    pub simple: bool,
}

/// A Python string literal for any text (double-quoted, escaped; non-ASCII kept as UTF-8).
pub fn py_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}') => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c if (c as u32) > 0xffff && c.is_whitespace() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

const PRELUDE: &str = r##"from manim import *

BG = "#0f172a"
INK = "#e2e8f0"
MUTED = "#94a3b8"
ACCENT = "#38bdf8"
WARM = "#fbbf24"
FONT = "DejaVu Sans"


def T(s, **kw):
    return Text(s, font=FONT, **kw)


def fit(m, w=12.4, h=5.4):
    if m.width > w:
        m.scale_to_fit_width(w)
    if m.height > h:
        m.scale_to_fit_height(h)
    return m


def header(title):
    t = fit(T(title, font_size=40, color=ACCENT, weight=BOLD), 12.4, 1.0).to_edge(UP, buff=0.45)
    rule = Line(LEFT * 6.2, RIGHT * 6.2, color=MUTED, stroke_width=2).next_to(t, DOWN, buff=0.2)
    return t, rule


def below(m, rule):
    # Centred in the space under the header, never overlapping it.
    m.move_to(DOWN * 0.55)
    if m.get_top()[1] > rule.get_bottom()[1] - 0.35:
        m.next_to(rule, DOWN, buff=0.35)
    return m


def paragraph(lines, size=32, color=INK):
    g = VGroup(*[T(l, font_size=size, color=color) for l in lines]).arrange(DOWN, aligned_edge=LEFT, buff=0.22)
    return fit(g)

"##;

/// Seconds a viewer needs to read (or hear) a text.
fn read_secs(text: &str) -> f64 {
    let words = text.split_whitespace().count() as f64;
    (words / 2.6).clamp(1.0, 4.5)
}

fn fmt_secs(s: f64) -> String {
    format!("{:.1}", s)
}

fn lines_list(lines: &[String]) -> String {
    let items: Vec<String> = lines.iter().map(|l| py_str(l)).collect();
    format!("[{}]", items.join(", "))
}

/// The full Python source of one scene.
pub fn scene_code(spec: &SceneSpec, class_name: &str, style: CodeStyle) -> String {
    let mut body = String::new();
    match spec.kind.as_str() {
        "title" => title_scene(&mut body, spec),
        "points" | "summary" if !spec.points.is_empty() => points_scene(&mut body, spec, style),
        "formulas" if !spec.formulas.is_empty() => formulas_scene(&mut body, spec, style),
        _ => statement_scene(&mut body, spec),
    }
    format!(
        "{PRELUDE}\nclass {class_name}(Scene):\n    def construct(self):\n        self.camera.background_color = BG\n{body}        self.play(FadeOut(Group(*self.mobjects)), run_time=0.6)\n"
    )
}

fn title_scene(out: &mut String, spec: &SceneSpec) {
    let lines = wrap(&spec.title, 28);
    let _ = write!(
        out,
        r#"        title = paragraph({lines}, size=54, color=INK)
        for line in title:
            line.set_x(0)
        underline = Line(LEFT, RIGHT, color=ACCENT, stroke_width=6).set_width(min(title.width, 9))
        subtitle = fit(T({subtitle}, font_size=28, color=MUTED), 11, 1.0)
        VGroup(title, underline, subtitle).arrange(DOWN, buff=0.4).move_to(ORIGIN)
        self.play(Write(title), run_time=1.6)
        self.play(Create(underline), FadeIn(subtitle, shift=UP * 0.2), run_time=1.0)
        self.wait({wait})
"#,
        lines = lines_list(&lines),
        subtitle = py_str(if spec.subtitle.is_empty() {
            " "
        } else {
            &spec.subtitle
        }),
        wait = fmt_secs(read_secs(&spec.subtitle).max(1.5)),
    );
}

fn statement_scene(out: &mut String, spec: &SceneSpec) {
    let text = if spec.body.trim().is_empty() {
        spec.purpose.as_str()
    } else {
        spec.body.as_str()
    };
    let lines = wrap(text, 44);
    let _ = write!(
        out,
        r#"        head, rule = header({title})
        self.play(Write(head), Create(rule), run_time=1.0)
        body = fit(paragraph({lines}), 12.4, 5.4)
        below(body, rule)
        self.play(LaggedStart(*[FadeIn(l, shift=UP * 0.15) for l in body], lag_ratio=0.35), run_time={run})
        self.wait({wait})
        self.play(Circumscribe(body, color=WARM, fade_out=True), run_time=1.2)
"#,
        title = py_str(&spec.title),
        lines = lines_list(&lines),
        run = fmt_secs((0.6 * lines.len() as f64).clamp(1.0, 4.0)),
        wait = fmt_secs(read_secs(text)),
    );
}

fn points_scene(out: &mut String, spec: &SceneSpec, style: CodeStyle) {
    let items: Vec<Vec<String>> = spec.points.iter().map(|p| wrap(p, 46)).collect();
    let groups: Vec<String> = items.iter().map(|l| lines_list(l)).collect();
    let marker = if spec.kind == "summary" { "✓" } else { "•" };
    let _ = write!(
        out,
        r#"        head, rule = header({title})
        self.play(Write(head), Create(rule), run_time=1.0)
        items = VGroup()
        for lines in [{groups}]:
            dot = T({marker}, font_size=32, color=WARM)
            text = paragraph(lines, size=30)
            items.add(VGroup(dot, text).arrange(RIGHT, aligned_edge=UP, buff=0.25))
        items.arrange(DOWN, aligned_edge=LEFT, buff=0.38)
        below(fit(items, 12.4, 5.4), rule)
"#,
        title = py_str(&spec.title),
        groups = groups.join(", "),
        marker = py_str(marker),
    );
    for (i, p) in spec.points.iter().enumerate() {
        let _ = writeln!(
            out,
            "        self.play(FadeIn(items[{i}], shift=RIGHT * 0.3), run_time=0.8)\n        self.wait({})",
            fmt_secs(read_secs(p))
        );
    }
    if spec.kind == "summary" && !style.simple {
        let _ = write!(
            out,
            r#"        self.play(FadeOut(items), FadeOut(head), FadeOut(rule), run_time=0.6)
        closing = fit(T({subtitle}, font_size=44, color=INK, weight=BOLD), 12, 2)
        thanks = T("Thanks for watching", font_size=28, color=MUTED).next_to(closing, DOWN, buff=0.4)
        self.play(FadeIn(closing, scale=0.9), run_time=1.0)
        self.play(FadeIn(thanks), run_time=0.6)
        self.wait(1.5)
"#,
            subtitle = py_str(if spec.subtitle.is_empty() {
                &spec.title
            } else {
                &spec.subtitle
            }),
        );
    }
}

fn formulas_scene(out: &mut String, spec: &SceneSpec, style: CodeStyle) {
    let _ = write!(
        out,
        "        head, rule = header({})\n        self.play(Write(head), Create(rule), run_time=1.0)\n",
        py_str(&spec.title)
    );
    let use_tex = style.latex && !style.simple;
    for (i, f) in spec.formulas.iter().enumerate() {
        let mob = if use_tex {
            format!("MathTex({}, font_size=60, color=INK)", py_str(&f.tex))
        } else {
            format!(
                "T({}, font_size=48, color=INK)",
                py_str(if f.unicode.is_empty() {
                    &f.tex
                } else {
                    &f.unicode
                })
            )
        };
        let caption = if f.caption.is_empty() {
            " ".to_string()
        } else {
            f.caption.clone()
        };
        let _ = write!(
            out,
            r#"        f{i} = fit({mob}, 12, 2.6).move_to(UP * 0.3)
        c{i} = fit(paragraph({cap}, size=26, color=MUTED), 12, 1.4).next_to(f{i}, DOWN, buff=0.6)
"#,
            cap = lines_list(&wrap(&caption, 60)),
        );
        if i == 0 || style.simple {
            if i > 0 {
                let _ = writeln!(
                    out,
                    "        self.play(FadeOut(f{p}), FadeOut(c{p}), run_time=0.5)",
                    p = i - 1
                );
            }
            let _ = writeln!(out, "        self.play(Write(f{i}), run_time=1.6)\n        self.play(FadeIn(c{i}), run_time=0.6)");
        } else {
            let p = i - 1;
            let _ = writeln!(
                out,
                "        self.play(ReplacementTransform(f{p}, f{i}), FadeOut(c{p}), run_time=1.4)\n        self.play(FadeIn(c{i}), run_time=0.6)"
            );
        }
        let _ = writeln!(
            out,
            "        self.wait({})",
            fmt_secs(read_secs(&f.caption).max(1.5))
        );
    }
    if !style.simple {
        let last = spec.formulas.len() - 1;
        let _ = writeln!(
            out,
            "        box = SurroundingRectangle(f{last}, color=WARM, buff=0.25, corner_radius=0.1)\n        self.play(Create(box), run_time=0.8)\n        self.wait(1.0)"
        );
    }
}
