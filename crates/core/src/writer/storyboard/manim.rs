//! Manim code templates for the storyboard writer. All user text enters the code only through
//! [`py_str`], so a topic can never inject Python.

use super::design::{Formula, SceneSpec};
use super::extract::wrap;
use super::timing::{align, Beats, Clock, CLOSING_FADE};
use super::words::Words;
use crate::model::plan::SceneKind;
use crate::writer::{SceneTiming, TIMING_MARK};
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

/// Fonts and switches of one scene: the first installed font that covers the video's script.
fn setup(spec: &SceneSpec, style: CodeStyle) -> String {
    let fonts: Vec<String> = spec.lang.fonts().iter().map(|f| py_str(f)).collect();
    format!(
        "LATEX = {}\nimport manimpango\n_FONTS = set(manimpango.list_fonts())\nFONT = next((f for f in [{}] if f in _FONTS), \"DejaVu Sans\")\n",
        if style.latex && !style.simple { "True" } else { "False" },
        fonts.join(", ")
    )
}

/// Seconds a viewer needs to read (or hear) a text.
pub fn read_secs(text: &str) -> f64 {
    let words = text.split_whitespace().count() as f64;
    (words / 2.6).clamp(1.0, 4.5)
}

pub fn lines_list(lines: &[String]) -> String {
    let items: Vec<String> = lines.iter().map(|l| py_str(l)).collect();
    format!("[{}]", items.join(", "))
}

/// The full Python source of one scene; with `timing`, its steps follow the narration and it
/// lasts as long as the speech.
pub fn scene_code(
    spec: &SceneSpec,
    class_name: &str,
    style: CodeStyle,
    timing: Option<&SceneTiming>,
) -> String {
    let mut body = String::new();
    let beats = align(&spec.beats, timing);
    let b = beats.as_ref();
    let mut clock = Clock::default();
    let c = &mut clock;
    let call = match (&spec.visual, style.simple) {
        (Some(v), false) => v.call().map(|call| (v, call)),
        _ => None,
    };
    match spec.kind {
        SceneKind::Title => title_scene(&mut body, c, spec, b),
        _ if call.is_some() => {
            if let Some((v, call)) = &call {
                super::pictured::pictured_scene(&mut body, c, spec, v, call, style, b)
            }
        }
        SceneKind::Points | SceneKind::Summary if !spec.points.is_empty() => {
            points_scene(&mut body, c, spec, style, b)
        }
        SceneKind::Formulas if !spec.formulas.is_empty() => {
            formulas_scene(&mut body, c, spec, style, b)
        }
        _ => statement_scene(&mut body, c, spec, b),
    }
    if let Some(b) = b {
        clock.wait_until(&mut body, b.end, 0.0);
    }
    format!(
        "{TIMING_MARK}{tag}\n{PRELUDE}{setup}\n{pictures}\nclass {class_name}(Scene):\n    def construct(self):\n        self.camera.background_color = BG\n{body}        self.play(FadeOut(Group(*self.mobjects)), run_time={CLOSING_FADE})\n",
        tag = crate::writer::SceneTiming::tag(timing),
        setup = setup(spec, style),
        pictures = if call.is_some() {
            super::pictured::prelude(spec)
        } else {
            String::new()
        },
    )
}

fn title_scene(out: &mut String, c: &mut Clock, spec: &SceneSpec, b: Option<&Beats>) {
    let lines = wrap(&spec.title, 28);
    let _ = write!(
        out,
        r#"        title = paragraph({lines}, size=54, color=INK)
        for line in title:
            line.set_x(0)
        underline = Line(LEFT, RIGHT, color=ACCENT, stroke_width=6).scale_to_fit_width(min(title.width, 9))
        subtitle = fit(T({subtitle}, font_size=28, color=MUTED), 11, 1.0)
        VGroup(title, underline, subtitle).arrange(DOWN, buff=0.4).move_to(ORIGIN)
"#,
        lines = lines_list(&lines),
        subtitle = py_str(if spec.subtitle.is_empty() {
            " "
        } else {
            &spec.subtitle
        }),
    );
    c.play(out, "Write(title)", 1.6);
    c.play(
        out,
        "Create(underline), FadeIn(subtitle, shift=UP * 0.2)",
        1.0,
    );
    c.beat(out, b, 0.0, read_secs(&spec.subtitle).max(1.5));
}

fn statement_scene(out: &mut String, c: &mut Clock, spec: &SceneSpec, b: Option<&Beats>) {
    let text = if spec.body.trim().is_empty() {
        spec.purpose.as_str()
    } else {
        spec.body.as_str()
    };
    let lines = wrap(text, 44);
    let _ = writeln!(out, "        head, rule = header({})", py_str(&spec.title));
    c.play(out, "Write(head), Create(rule)", 1.0);
    let _ = write!(
        out,
        r#"        body = paragraph({lines})
        body.next_to(rule, DOWN, buff=0.6)
        if body.get_bottom()[1] < -3.7:
            fit(body, 12.4, 5.0).next_to(rule, DOWN, buff=0.4)
"#,
        lines = lines_list(&lines),
    );
    // With narration the lines appear over the first half of the speech.
    let run = match b {
        Some(b) => ((b.end - c.t) * 0.5).clamp(1.0, 8.0),
        None => (0.6 * lines.len() as f64).clamp(1.0, 4.0),
    };
    c.play(
        out,
        "LaggedStart(*[FadeIn(l, shift=UP * 0.15) for l in body], lag_ratio=0.35)",
        run,
    );
    let circ = 1.2;
    c.beat(out, b, b.map_or(0.0, |b| b.end - circ), read_secs(text));
    c.play(out, "Circumscribe(body, color=WARM, fade_out=True)", circ);
}

fn points_scene(
    out: &mut String,
    c: &mut Clock,
    spec: &SceneSpec,
    style: CodeStyle,
    b: Option<&Beats>,
) {
    let items: Vec<Vec<String>> = spec.points.iter().map(|p| wrap(p, 46)).collect();
    let groups: Vec<String> = items.iter().map(|l| lines_list(l)).collect();
    let marker = if spec.kind == SceneKind::Summary {
        "✓"
    } else {
        "•"
    };
    let _ = writeln!(out, "        head, rule = header({})", py_str(&spec.title));
    c.play(out, "Write(head), Create(rule)", 1.0);
    let _ = write!(
        out,
        r#"        items = VGroup()
        for lines in [{groups}]:
            dot = T({marker}, font_size=32, color=WARM)
            text = paragraph(lines, size=30)
            items.add(VGroup(dot, text).arrange(RIGHT, aligned_edge=UP, buff=0.25))
        items.arrange(DOWN, aligned_edge=LEFT, buff=0.38)
        fit(items, 12.4, 5.2).next_to(rule, DOWN, buff=0.5)
"#,
        groups = groups.join(", "),
        marker = py_str(marker),
    );
    let closing = spec.kind == SceneKind::Summary && !style.simple;
    for (i, p) in spec.points.iter().enumerate() {
        // Beat 0 is the header's sentence; point i is beat i + 1 and appears as it is spoken.
        if let Some(b) = b {
            c.wait_until(out, b.start(i + 1) - 0.2, 0.0);
        }
        c.play(out, &format!("FadeIn(items[{i}], shift=RIGHT * 0.3)"), 0.8);
        if b.is_none() {
            c.wait(out, read_secs(p));
        }
    }
    if closing {
        closing_card(out, c, spec, b, Words::of(spec.lang).thanks);
    }
}

/// The summary's closing card: the recap fades, the topic's title and a thank-you come in,
/// with the last beat when it is not a point, else near the end.
pub fn closing_card(
    out: &mut String,
    c: &mut Clock,
    spec: &SceneSpec,
    b: Option<&Beats>,
    thanks: &str,
) {
    let n = spec.points.len();
    let at = b.map(|b| {
        if b.starts.len() > n + 1 {
            b.start(n + 1)
        } else {
            (b.end - 2.2).max(c.t)
        }
    });
    if let Some(at) = at {
        c.wait_until(out, at - 0.6, 0.3);
    }
    let _ = writeln!(
        out,
        "        closing = fit(paragraph({}, size=44, color=INK), 12, 2.4)\n        thanks = T({}, font_size=28, color=MUTED).next_to(closing, DOWN, buff=0.4)",
        lines_list(&wrap(if spec.subtitle.is_empty() { &spec.title } else { &spec.subtitle }, 36)),
        py_str(thanks),
    );
    c.play(out, "FadeOut(Group(*self.mobjects))", 0.6);
    c.play(out, "FadeIn(closing, scale=0.9)", 1.0);
    c.play(out, "FadeIn(thanks)", 0.6);
    if b.is_none() {
        c.wait(out, 1.5);
    }
}

/// A formula as a mobject: MathTex split into its terms (so steps match term to term), or a
/// Text of its Unicode rendering without LaTeX.
pub fn formula_mobject(f: &Formula, use_tex: bool, size: u32) -> String {
    if use_tex {
        let parts: Vec<String> = tex_terms(&f.tex).iter().map(|p| py_str(p)).collect();
        format!("MathTex({}, font_size={size}, color=INK)", parts.join(", "))
    } else {
        format!(
            "T({}, font_size={}, color=INK)",
            py_str(if f.unicode.is_empty() {
                &f.tex
            } else {
                &f.unicode
            }),
            size * 4 / 5
        )
    }
}

/// A formula's top-level terms and relation signs (`a^2`, `+`, `b^2`, `=`, `c^2`), or the whole
/// formula when it cannot be split safely.
pub fn tex_terms(tex: &str) -> Vec<String> {
    if ["\\left", "\\right", "&", "\\\\", "\\begin"]
        .iter()
        .any(|w| tex.contains(w))
    {
        return vec![tex.to_string()];
    }
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut depth = 0i32;
    let mut prev = ' ';
    for ch in tex.chars() {
        match ch {
            '{' => depth += 1,
            '}' => depth -= 1,
            _ => {}
        }
        let split = depth == 0
            && matches!(ch, '=' | '+' | '-')
            && prev != '\\'
            && prev != '^'
            && prev != '_';
        if split {
            if !cur.trim().is_empty() {
                out.push(cur.trim().to_string());
            }
            out.push(ch.to_string());
            cur.clear();
        } else {
            cur.push(ch);
        }
        if !ch.is_whitespace() {
            prev = ch;
        }
    }
    if !cur.trim().is_empty() {
        out.push(cur.trim().to_string());
    }
    if depth != 0 || out.is_empty() {
        return vec![tex.to_string()];
    }
    out
}

fn formulas_scene(
    out: &mut String,
    c: &mut Clock,
    spec: &SceneSpec,
    style: CodeStyle,
    b: Option<&Beats>,
) {
    let _ = writeln!(out, "        head, rule = header({})", py_str(&spec.title));
    c.play(out, "Write(head), Create(rule)", 1.0);
    let use_tex = style.latex && !style.simple;
    for (i, f) in spec.formulas.iter().enumerate() {
        let mob = formula_mobject(f, use_tex, 60);
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
        // Formula i is beat i: it is drawn as its sentence starts.
        if let (Some(b), true) = (b, i > 0) {
            c.wait_until(out, b.start(i) - 0.3, 0.3);
        }
        if i == 0 || style.simple {
            if i > 0 {
                let p = i - 1;
                c.play(out, &format!("FadeOut(f{p}), FadeOut(c{p})"), 0.5);
            }
            c.play(out, &format!("Write(f{i})"), 1.6);
        } else {
            let p = i - 1;
            c.play(
                out,
                &format!(
                    "{}(f{p}, f{i}), FadeOut(c{p})",
                    if use_tex {
                        "TransformMatchingTex"
                    } else {
                        "TransformMatchingShapes"
                    }
                ),
                1.4,
            );
        }
        c.play(out, &format!("FadeIn(c{i})"), 0.6);
        if b.is_none() {
            c.wait(out, read_secs(&f.caption).max(1.5));
        }
    }
    if !style.simple {
        let last = spec.formulas.len() - 1;
        let _ = writeln!(
            out,
            "        box = SurroundingRectangle(f{last}, color=WARM, buff=0.25, corner_radius=0.1)"
        );
        if let Some(b) = b {
            c.wait_until(out, b.end - 1.8, 0.3);
        }
        c.play(out, "Create(box)", 0.8);
        c.wait(out, 1.0);
    }
}
