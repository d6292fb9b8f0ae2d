//! Function pictures: a graph with its key points, a secant turning into the tangent, Riemann
//! rectangles filling the area, a sine traced from the unit circle, a proportional law's line,
//! Taylor polynomials hugging their function longer with each term.

pub const PY: &str = r##"
def _nice(span):
    for s in [0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10, 20, 25, 50, 100]:
        if span / s <= 8:
            return s
    return span / 5


def _axes(f, x0, x1, w=6.2, h=4.2, xn="x"):
    xs = np.linspace(x0, x1, 241)
    ys = np.array([f(x) for x in xs], dtype=float)
    ok = ys[np.isfinite(ys)]
    lo, hi = min(0.0, ok.min()), max(0.0, ok.max())
    if hi - lo < 1e-6:
        hi = lo + 1
    pad = (hi - lo) * 0.1
    ax = Axes(x_range=[x0, x1, _nice(x1 - x0)], y_range=[lo - pad, hi + pad, _nice(hi - lo)], x_length=w, y_length=h,
              tips=False, axis_config={"color": MUTED, "stroke_width": 2})
    names = VGroup(lab(xn, 26, MUTED).next_to(ax.x_axis.get_end(), RIGHT, buff=0.15),
                   lab("y", 26, MUTED).next_to(ax.y_axis.get_end(), UP, buff=0.15))
    return ax, names, xs, ys


def _free(m, anchor, others, dirs=(UR, UL, DR, DL, UP, DOWN)):
    # Puts a label next to `anchor` on the first side where it overlaps none of `others`.
    for d in dirs:
        m.next_to(anchor, d, buff=0.08)
        if not any(_hits(m, o) for o in others):
            return m
    return m


def _hits(a, b):
    return (min(a.get_right()[0], b.get_right()[0]) > max(a.get_left()[0], b.get_left()[0]) and
            min(a.get_top()[1], b.get_top()[1]) > max(a.get_bottom()[1], b.get_bottom()[1]))


def _key_points(f, xs, ys):
    pts = []
    for i in range(len(xs) - 1):
        if ys[i] == 0 or ys[i] * ys[i + 1] < 0:
            a, b = xs[i], xs[i + 1]
            for _ in range(40):
                m = (a + b) / 2
                if f(a) * f(m) <= 0:
                    b = m
                else:
                    a = m
            pts.append((a, 0.0))
    for i in range(1, len(xs) - 1):
        if (ys[i] - ys[i - 1]) * (ys[i + 1] - ys[i]) < 0:
            pts.append((xs[i], ys[i]))
    out = []
    for p in pts:
        if all(abs(p[0] - q[0]) > 0.18 * (xs[-1] - xs[0]) for q in out):
            out.append(p)
    return out[:3]


def v_graph(W, f, x0, x1, name):
    # The horizontal axis is named after the function's variable: A(t) is drawn over t.
    xn = name[name.index("(") + 1:-1] if name.endswith(")") and "(" in name else "x"
    ax, names, xs, ys = _axes(f, x0, x1, xn=xn)
    g = ax.plot(f, x_range=[x0, x1], color=ACCENT, stroke_width=5)
    gl = lab(name, 28, ACCENT).next_to(ax.c2p(x1, f(x1)), UP, buff=0.2)
    if gl.get_top()[1] > ax.get_top()[1] + 0.5:
        gl.next_to(ax, UP, buff=0.1)
    dots, tags = VGroup(), VGroup()
    for k, (x, y) in enumerate(_key_points(f, xs, ys)):
        d = Dot(ax.c2p(x, y), color=WARM, radius=0.07)
        t = _free(lab("(" + num(x) + ", " + num(y) + ")", 22, WARM), d, [*names, *tags, gl])
        dots.add(d)
        tags.add(t)
    pic = VGroup(ax, names, g, gl, dots, tags)

    def s0():
        return [Create(ax), FadeIn(names)]

    def s1():
        return [Create(g), FadeIn(gl)]

    def s2():
        return [FadeIn(dots, scale=1.5), FadeIn(tags)] if len(dots) else [Indicate(g)]

    return pic, [s0, s1, s2]


def v_derivative(W, f, x0, x1, name):
    ax, names, xs, ys = _axes(f, x0, x1)
    g = ax.plot(f, x_range=[x0, x1], color=ACCENT, stroke_width=5)
    span = x1 - x0
    mid = min(xs[40:200], key=lambda x: abs(f(x) - (ys.min() + ys.max()) / 2))
    h = ValueTracker(0.35 * span)
    pic = VGroup(ax, names, g)
    slope = (f(mid + 1e-4) - f(mid - 1e-4)) / 2e-4
    note = lab(W["slope"] + " ≈ " + num(slope), 26, WARM)
    note.next_to(VGroup(ax, names), UP, buff=0.15)
    pic.add(note)

    def chord():
        p, q = ax.c2p(mid, f(mid)), ax.c2p(mid + h.get_value(), f(mid + h.get_value()))
        d = (q - p) / max(np.linalg.norm(q - p), 1e-6)
        return Line(p - d * 1.2, p + d * 1.2 + (q - p), color=WARM, stroke_width=4)

    def s0():
        return [Create(ax), FadeIn(names), Create(g)]

    def s1():
        P = Dot(ax.c2p(mid, f(mid)), color=INK)
        self_q = always_redraw(lambda: Dot(ax.c2p(mid + h.get_value(), f(mid + h.get_value())), color=INK))
        return [FadeIn(P), FadeIn(self_q), Create(always_redraw(chord))]

    def s2():
        return [h.animate.set_value(0.002)]

    def s3():
        return [Write(note)]

    return pic, [s0, s1, s2, s3]


def v_integral(W, f, x0, x1, name):
    ax, names, xs, ys = _axes(f, x0, x1)
    g = ax.plot(f, x_range=[x0, x1], color=ACCENT, stroke_width=5)
    a, b = x0 + 0.15 * (x1 - x0), x1 - 0.15 * (x1 - x0)
    coarse = ax.get_riemann_rectangles(g, x_range=[a, b], dx=(b - a) / 4, color=[ACCENT, GREEN_C], fill_opacity=0.5, stroke_width=1)
    fine = ax.get_riemann_rectangles(g, x_range=[a, b], dx=(b - a) / 24, color=[ACCENT, GREEN_C], fill_opacity=0.5, stroke_width=0.5)
    area = ax.get_area(g, x_range=[a, b], color=GREEN_C, opacity=0.45)
    xs2 = np.linspace(a, b, 401)
    value = np.trapz([f(x) for x in xs2], xs2) if hasattr(np, "trapz") else np.trapezoid([f(x) for x in xs2], xs2)
    note = lab(W["area"] + " ≈ " + num(value), 26, GREEN_C).next_to(VGroup(ax, names), UP, buff=0.15)
    ends = VGroup(lab("a", 24, MUTED).next_to(ax.c2p(a, 0), DOWN, buff=0.15), lab("b", 24, MUTED).next_to(ax.c2p(b, 0), DOWN, buff=0.15))
    pic = VGroup(ax, names, g, note, ends, coarse, fine, area)

    def s0():
        return [Create(ax), FadeIn(names), Create(g), FadeIn(ends)]

    def s1():
        return [LaggedStart(*[FadeIn(r) for r in coarse], lag_ratio=0.2)]

    def s2():
        return [ReplacementTransform(coarse, fine)]

    def s3():
        return [FadeOut(fine), FadeIn(area), Write(note)]

    return pic, [s0, s1, s2, s3]


def v_unit_circle(W):
    r = 1.2
    circ = Circle(radius=r, color=MUTED, stroke_width=3).move_to(LEFT * 3.0)
    ax = Axes(x_range=[0, 2 * PI + 0.2, PI / 2], y_range=[-1.25, 1.25, 0.5], x_length=5.4, y_length=2.5 * r,
              tips=False, axis_config={"color": MUTED, "stroke_width": 2})
    ax.next_to(circ, RIGHT, buff=0.6)
    ax.shift(UP * (circ.get_center()[1] - ax.c2p(0, 0)[1]))
    th = ValueTracker(0.01)
    tl = VGroup(lab("θ", 26, MUTED).next_to(ax.x_axis.get_end(), RIGHT, buff=0.15),
                lab("2π", 22, MUTED).next_to(ax.c2p(2 * PI, 0), DOWN, buff=0.15))
    name = lab("sin θ", 30, WARM).next_to(ax, UP, buff=0.2)
    pic = VGroup(circ, ax, tl, name)

    def tip():
        c, rr = circ.get_center(), circ.width / 2
        return c + rr * np.array([np.cos(th.get_value()), np.sin(th.get_value()), 0])

    def s0():
        return [Create(circ), Create(ax), FadeIn(tl)]

    def s1():
        rad = always_redraw(lambda: Line(circ.get_center(), tip(), color=ACCENT, stroke_width=4))
        dot = always_redraw(lambda: Dot(tip(), color=ACCENT))
        proj = always_redraw(lambda: DashedLine(tip(), ax.c2p(th.get_value(), np.sin(th.get_value())), color=MUTED, stroke_width=2))
        curve = always_redraw(lambda: ax.plot(np.sin, x_range=[0, max(th.get_value(), 0.02)], color=WARM, stroke_width=5))
        return [FadeIn(rad), FadeIn(dot), FadeIn(proj), FadeIn(curve)]

    def s2():
        return [th.animate(rate_func=linear).set_value(2 * PI)]

    def s3():
        return [Write(name)]

    return pic, [s0, s1, s2, s3]


def v_proportional(W, xname, yname, k=1.5):
    ax = Axes(x_range=[0, 5, 1], y_range=[0, 5 * k * 1.15, _nice(5 * k)], x_length=6.0, y_length=4.2,
              tips=False, axis_config={"color": MUTED, "stroke_width": 2})
    names = VGroup(lab(xname, 26, MUTED).next_to(ax.x_axis.get_end(), DOWN, buff=0.15),
                   lab(yname, 26, MUTED).next_to(ax.y_axis.get_end(), LEFT, buff=0.15))
    noise = [0.12, -0.1, 0.08, -0.06, 0.1]
    dots = VGroup(*[Dot(ax.c2p(x, k * x + noise[i] * k), color=WARM) for i, x in enumerate([0.8, 1.6, 2.4, 3.2, 4.0])])
    line = ax.plot(lambda x: k * x, x_range=[0, 4.8], color=ACCENT, stroke_width=5)
    p, q = ax.c2p(2, 2 * k), ax.c2p(3, 3 * k)
    run = Line(p, [q[0], p[1], 0], color=INK, stroke_width=3)
    rise = Line([q[0], p[1], 0], q, color=INK, stroke_width=3)
    tags = VGroup(lab("Δ" + xname, 22).next_to(run, DOWN, buff=0.1), lab("Δ" + yname, 22).next_to(rise, RIGHT, buff=0.1))
    law = lab(yname + " ∝ " + xname, 30, ACCENT).next_to(VGroup(ax, names), UP, buff=0.15)
    pic = VGroup(ax, names, dots, line, run, rise, tags, law)

    def s0():
        return [Create(ax), FadeIn(names)]

    def s1():
        return [LaggedStart(*[FadeIn(d, scale=1.6) for d in dots], lag_ratio=0.25)]

    def s2():
        return [Create(line), Write(law)]

    def s3():
        return [Create(run), Create(rise), FadeIn(tags)]

    return pic, [s0, s1, s2, s3]


def _within(p, x0, x1, lo, hi):
    # The widest interval around 0 inside [x0, x1] where p stays between lo and hi.
    xs = np.linspace(x0, x1, 401)
    i0 = int(np.argmin(np.abs(xs)))
    a = b = i0
    inside = lambda x: lo <= p(x) <= hi
    while a > 0 and inside(xs[a - 1]):
        a -= 1
    while b < len(xs) - 1 and inside(xs[b + 1]):
        b += 1
    return xs[a], xs[b]


def v_taylor(W, exp=False):
    # A function and its Taylor polynomials at 0, one more term at each step, hugging it longer.
    if exp:
        f, x0, x1, lo, hi = np.exp, -3.0, 2.0, -1.5, 8.0
        coef = lambda k: 1.0 / np.prod(range(1, k + 1))
        degrees = [0, 1, 2, 4]
        name, series = "eˣ", "eˣ = 1 + x + x²/2! + x³/3! + …"
    else:
        f, x0, x1, lo, hi = np.sin, -6.5, 6.5, -2.2, 2.2
        coef = lambda k: 0.0 if k % 2 == 0 else (-1) ** (k // 2) / np.prod(range(1, k + 1))
        degrees = [1, 3, 5, 7]
        name, series = "sin x", "sin x = x − x³/3! + x⁵/5! − …"
    ax = Axes(x_range=[x0, x1, _nice(x1 - x0)], y_range=[lo, hi, _nice(hi - lo)], x_length=6.4, y_length=4.0,
              tips=False, axis_config={"color": MUTED, "stroke_width": 2})
    g = ax.plot(f, x_range=[x0, x1], color=ACCENT, stroke_width=5)
    gl = lab(name, 28, ACCENT)
    if exp:
        # Beside the curve's steep end, clear of it.
        gl.next_to(ax.c2p(x1, f(x1)), LEFT, buff=0.35)
    else:
        gl.next_to(ax, UP, buff=0.15).align_to(ax, RIGHT)
    polys, tags = VGroup(), VGroup()
    for n in degrees:
        p = (lambda n: (lambda x: sum(coef(k) * x ** k for k in range(n + 1))))(n)
        a, b = _within(p, x0, x1, 0.97 * lo, 0.97 * hi)
        a, b = max(a, x0), min(b, x1)
        polys.add(ax.plot(p, x_range=[a, b], color=WARM, stroke_width=4))
        tags.add(lab("n = " + str(n), 26, WARM).next_to(ax, UP, buff=0.15).align_to(ax, LEFT))
    sl = lab(series, 26).next_to(ax, DOWN, buff=0.35)
    pic = VGroup(ax, g, gl, polys, tags, sl)

    def s0():
        return [Create(ax), Create(g), FadeIn(gl)]

    def s1():
        return [Create(polys[0]), FadeIn(tags[0])]

    def grow(k):
        return lambda: [ReplacementTransform(polys[k - 1], polys[k]), ReplacementTransform(tags[k - 1], tags[k])]

    def s4():
        return grow(3)() + [Write(sl)]

    return pic, [s0, s1, grow(1), grow(2), s4]
"##;
