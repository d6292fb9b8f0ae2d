//! Number lines (a sequence tending to its limit, an inequality's solution set), vectors added
//! tip to tail and scaled, a matrix acting on the plane with its eigenvectors kept on their lines.

pub const PY: &str = r##"
def _line(x0, x1, step, length=6.2, marks=None):
    nl = NumberLine(x_range=[x0, x1, step], length=length, color=MUTED, include_ticks=True, stroke_width=3)
    ticks = VGroup(*[lab(num(v), 22, MUTED).next_to(nl.n2p(v), DOWN, buff=0.2) for v in (marks or [])])
    return nl, ticks


def v_sequence(W):
    nl, ticks = _line(0, 1.1, 0.1, marks=[0, 0.5, 1])
    terms = [1.0 / n for n in range(1, 13)]
    dots = VGroup(*[Dot(nl.n2p(t), color=WARM, radius=0.08 if i < 4 else 0.06) for i, t in enumerate(terms)])
    names = VGroup(*[lab("a" + "₁₂₃"[i], 24, WARM).next_to(dots[i], UP, buff=0.2) for i in range(3)])
    eps = 0.12
    band = Rectangle(width=nl.n2p(eps)[0] - nl.n2p(-eps)[0], height=0.7, color=ACCENT, fill_color=ACCENT, fill_opacity=0.2, stroke_width=2).move_to(nl.n2p(0))
    bl = lab("ε", 26, ACCENT).next_to(band, UP, buff=0.12)
    lim = lab(W["limit"] + ": 0", 28, ACCENT).next_to(nl, DOWN, buff=0.9)
    pic = VGroup(nl, ticks, dots, names, band, bl, lim, ghost(Square(0.1).move_to(nl.n2p(-0.15))))

    def s0():
        return [Create(nl), FadeIn(ticks)]

    def s1():
        return [LaggedStart(*[FadeIn(d, scale=2) for d in dots[:4]], lag_ratio=0.4), FadeIn(names)]

    def s2():
        return [LaggedStart(*[FadeIn(d, scale=2) for d in dots[4:]], lag_ratio=0.2)]

    def s3():
        return [FadeIn(band), FadeIn(bl), Write(lim)]

    return pic, [s0, s1, s2, s3]


def v_inequality(W, bound=1, rel="≥"):
    nl, ticks = _line(-4, 4, 1, marks=list(range(-4, 5)))
    p = nl.n2p(bound)
    closed = rel in ("≥", "≤")
    dot = Dot(p, color=WARM, radius=0.12) if closed else Circle(radius=0.12, color=WARM, stroke_width=4).move_to(p)
    right = rel in ("≥", ">")
    end = nl.n2p(4.3 if right else -4.3)
    ray = Arrow(p, end, buff=0, color=WARM, stroke_width=10, max_tip_length_to_length_ratio=0.08)
    law = lab("x " + rel + " " + num(bound), 32, WARM).next_to(nl, UP, buff=1.0)
    tests = VGroup()
    for v in [bound + (2 if right else -2), bound - (2 if right else -2)]:
        ok = (v >= bound) if right else (v <= bound)
        tests.add(lab(("✓ " if ok else "✗ ") + num(v), 24, GREEN_C if ok else RED_C).next_to(nl.n2p(v), DOWN, buff=0.75))
    pic = VGroup(nl, ticks, dot, ray, law, tests)

    def s0():
        return [Create(nl), FadeIn(ticks)]

    def s1():
        return [FadeIn(dot, scale=2), Write(law)]

    def s2():
        return [GrowArrow(ray)]

    def s3():
        return [LaggedStart(*[FadeIn(t) for t in tests], lag_ratio=0.5)]

    return pic, [s0, s1, s2, s3]


def _plane(x0, x1, y0, y1, unit):
    return NumberPlane(x_range=[x0, x1, 1], y_range=[y0, y1, 1], x_length=(x1 - x0) * unit, y_length=(y1 - y0) * unit,
                       background_line_style={"stroke_color": "#334155", "stroke_width": 1.5},
                       axis_config={"stroke_color": MUTED, "stroke_width": 2})


def v_vectors(W):
    pl = _plane(-1, 7, -1, 5, 0.78)
    o = pl.c2p(0, 0)
    u, v = (3, 1), (1, 2.5)
    au = Arrow(o, pl.c2p(*u), buff=0, color=ACCENT, stroke_width=6)
    av = Arrow(o, pl.c2p(*v), buff=0, color=WARM, stroke_width=6)
    av2 = Arrow(pl.c2p(*u), pl.c2p(u[0] + v[0], u[1] + v[1]), buff=0, color=WARM, stroke_width=6)
    sm = Arrow(o, pl.c2p(u[0] + v[0], u[1] + v[1]), buff=0, color=GREEN_C, stroke_width=6)
    sc = Arrow(o, pl.c2p(2 * u[0], 2 * u[1]), buff=0, color=ACCENT, stroke_width=3).set_opacity(0.8)
    lu = lab("u", 28, ACCENT, slant=ITALIC).next_to(au.get_center(), DOWN, buff=0.2)
    lv = lab("v", 28, WARM, slant=ITALIC).next_to(av.get_center(), LEFT, buff=0.2)
    ls = lab("u + v", 26, GREEN_C).next_to(sm.get_end(), UP, buff=0.15)
    l2 = lab("2u", 26, ACCENT).next_to(sc.get_end(), UP, buff=0.15)
    pic = VGroup(pl, au, av, av2, sm, sc, lu, lv, ls, l2)

    def s0():
        return [Create(pl)]

    def s1():
        return [GrowArrow(au), GrowArrow(av), FadeIn(lu), FadeIn(lv)]

    def s2():
        return [TransformFromCopy(av, av2)]

    def s3():
        return [GrowArrow(sm), FadeIn(ls)]

    def s4():
        return [GrowArrow(sc), FadeIn(l2)]

    return pic, [s0, s1, s2, s3, s4]


def _matrix(m):
    if LATEX:
        return Matrix([[num(x) for x in row] for row in m], h_buff=1.1).set_color(INK)
    cells = VGroup(*[lab(num(x), 32) for row in m for x in row]).arrange_in_grid(rows=len(m), buff=(0.6, 0.3))
    h = cells.height + 0.3
    lb = VGroup(Line(UP * h / 2, DOWN * h / 2), Line(UP * h / 2, UP * h / 2 + RIGHT * 0.15), Line(DOWN * h / 2, DOWN * h / 2 + RIGHT * 0.15)).set_color(INK)
    rb = lb.copy().flip(UP)
    lb.next_to(cells, LEFT, buff=0.12)
    rb.next_to(cells, RIGHT, buff=0.12)
    return VGroup(lb, cells, rb)


def v_linear_map(W, m):
    M = np.array(m, dtype=float)
    corners = np.array([[2, 2], [2, -2], [-2, 2], [-2, -2]], dtype=float).T
    R = max(2.0, float(np.abs(M @ corners).max()))
    unit = 2.6 / R
    pl = _plane(-2, 2, -2, 2, unit)
    room = ghost(Square(side_length=2 * R * unit))
    o = pl.c2p(0, 0)
    vals, vecs = np.linalg.eig(M)
    eig = VGroup()
    lines = VGroup()
    if np.all(np.isreal(vals)):
        for k in range(2):
            d = np.real(vecs[:, k])
            d = d / np.linalg.norm(d)
            tip = pl.c2p(d[0], d[1])
            eig.add(Arrow(o, tip, buff=0, color=[WARM, GREEN_C][k], stroke_width=6))
            lines.add(DashedLine(o - (tip - o) * R * 0.98, o + (tip - o) * R * 0.98, color=[WARM, GREEN_C][k], stroke_width=2))
    free = pl.c2p(0.6, 0.8) if abs(M[1, 0]) < 1e-9 else pl.c2p(1, 0)
    other = Arrow(o, free, buff=0, color=RED_C, stroke_width=6)
    mat = _matrix(m).next_to(room, LEFT, buff=0.5)
    if np.all(np.isreal(vals)):
        note = lab("λ = " + ", ".join(num(float(np.real(v))) for v in vals), 26, WARM)
    else:
        note = lab(W["rotation"], 26, WARM)
    note.next_to(mat, DOWN, buff=0.4)
    pic = VGroup(room, pl, mat, note, lines, eig, other)

    def s0():
        return [Create(pl), FadeIn(mat)]

    def s1():
        return [Create(lines), *[GrowArrow(e) for e in eig], GrowArrow(other)]

    def s2():
        return [ApplyMatrix(M, VGroup(pl, eig, other), about_point=pl.c2p(0, 0))]

    def s3():
        return [Write(note), Indicate(eig)] if len(eig) else [Write(note)]

    return pic, [s0, s1, s2, s3]
"##;
