//! Data pictures: bars with their mean, a histogram approaching the normal curve, the unit square
//! split into areas (events, Bayes' rule, the geometric series).

pub const PY: &str = r##"
def v_bars(W, values, names):
    vmax = max(values) if max(values) > 0 else 1
    n = len(values)
    w = min(0.9, 5.6 / n * 0.7)
    gap = 5.6 / n
    base = Line(LEFT * 3.0, RIGHT * 3.0, color=MUTED, stroke_width=3).shift(DOWN * 1.8)
    bars, vals, tags = VGroup(), VGroup(), VGroup()
    cols = [ACCENT, WARM, GREEN_C, PURPLE_B, TEAL_C, MAROON_B, BLUE_C, GOLD_C]
    for i, v in enumerate(values):
        x = -2.8 + gap * (i + 0.5)
        h = max(0.03, 3.4 * v / vmax)
        r = Rectangle(width=w, height=h, color=cols[i % len(cols)], fill_opacity=0.75, stroke_width=2)
        r.move_to([x, base.get_y() + h / 2, 0])
        bars.add(r)
        vals.add(lab(num(v), 22).next_to(r, UP, buff=0.1))
        tags.add(lab(names[i], 22, MUTED).next_to([x, base.get_y(), 0], DOWN, buff=0.15))
    mean = sum(values) / n
    y = base.get_y() + 3.4 * mean / vmax
    mline = DashedLine([-3.0, y, 0], [3.0, y, 0], color=INK, stroke_width=3)
    ml = lab(W["mean"] + " = " + num(mean), 24).next_to(mline, RIGHT, buff=0.15)
    pic = VGroup(base, bars, vals, tags, mline, ml)

    def s0():
        return [Create(base), FadeIn(tags)]

    def s1():
        return [LaggedStart(*[GrowFromEdge(b, DOWN) for b in bars], lag_ratio=0.2), FadeIn(vals)]

    def s2():
        return [Create(mline), FadeIn(ml)]

    return pic, [s0, s1, s2]


def v_normal(W):
    ax = Axes(x_range=[-4, 4, 1], y_range=[0, 0.5, 0.1], x_length=6.2, y_length=4.0, tips=False,
              axis_config={"color": MUTED, "stroke_width": 2})
    from math import comb, sqrt, exp, pi

    def hist(n):
        sd = sqrt(n / 4)
        g = VGroup()
        for k in range(n + 1):
            x = (k - n / 2) / sd
            if abs(x) > 3.9:
                continue
            hgt = comb(n, k) / 2 ** n * sd
            g.add(Rectangle(width=ax.x_length / 8 / sd * 0.98, height=max(0.001, hgt / 0.5 * ax.y_length), stroke_width=1,
                            color=ACCENT, fill_opacity=0.55).move_to(ax.c2p(x, 0), aligned_edge=DOWN))
        return g

    hs = [hist(n) for n in (4, 12, 40)]
    tags = [lab("n = " + str(n), 26, MUTED).next_to(ax, UP, buff=0.15).align_to(ax, LEFT) for n in (4, 12, 40)]
    curve = ax.plot(lambda x: exp(-x * x / 2) / sqrt(2 * pi), x_range=[-3.9, 3.9], color=WARM, stroke_width=5)
    cl = lab(W["normal"], 26, WARM).next_to(ax, UP, buff=0.15).align_to(ax, RIGHT)
    pic = VGroup(ax, *hs, *tags, curve, cl)

    def s0():
        return [Create(ax), FadeIn(hs[0]), FadeIn(tags[0])]

    def s1():
        return [ReplacementTransform(hs[0], hs[1]), ReplacementTransform(tags[0], tags[1])]

    def s2():
        return [ReplacementTransform(hs[1], hs[2]), ReplacementTransform(tags[1], tags[2])]

    def s3():
        return [Create(curve), FadeIn(cl)]

    return pic, [s0, s1, s2, s3]


def _box(x, y, w, h, color, op=0.55):
    S = 4.4
    return Rectangle(width=w * S, height=h * S, color=color, fill_opacity=op, stroke_width=2).move_to([(x + w / 2 - 0.5) * S, (y + h / 2 - 0.5) * S, 0])


def v_geometric(W):
    sq = Square(side_length=4.4, color=INK, stroke_width=3)
    one = lab("1", 28, MUTED).next_to(sq, LEFT, buff=0.2)
    x, y, w, h = 0.0, 0.0, 1.0, 1.0
    cols = [ACCENT, WARM, GREEN_C, PURPLE_B, TEAL_C, MAROON_B, BLUE_C, GOLD_C]
    parts, tags = [], []
    for k in range(8):
        if k % 2 == 0:
            p = (x, y, w / 2, h)
            x += w / 2
            w /= 2
        else:
            p = (x, y, w, h / 2)
            y += h / 2
            h /= 2
        b = _box(*p, cols[k])
        parts.append(b)
        if k < 4:
            tags.append(lab("1/" + str(2 ** (k + 1)), [34, 30, 24, 20][k]).move_to(b))
    total = lab("1/2 + 1/4 + 1/8 + ⋯ = 1", 30).next_to(sq, DOWN, buff=0.35)
    pic = VGroup(sq, one, *parts, *tags, total)

    def s0():
        return [Create(sq), FadeIn(one)]

    def s1():
        return [FadeIn(parts[0]), FadeIn(tags[0])]

    def s2():
        return [FadeIn(parts[1]), FadeIn(tags[1])]

    def s3():
        return [FadeIn(parts[2]), FadeIn(tags[2]), FadeIn(parts[3]), FadeIn(tags[3])]

    def s4():
        return [LaggedStart(*[FadeIn(p) for p in parts[4:]], lag_ratio=0.3), Write(total)]

    return pic, [s0, s1, s2, s3, s4]


def v_bayes(W, pa=0.3, pba=0.8, pbn=0.2):
    sq = Square(side_length=4.4, color=INK, stroke_width=3)
    a = _box(0, 0, pa, 1, ACCENT, 0.25)
    n = _box(pa, 0, 1 - pa, 1, MUTED, 0.15)
    ab = _box(0, 0, pa, pba, WARM, 0.7)
    nb = _box(pa, 0, 1 - pa, pbn, WARM, 0.7)
    la = lab("A", 28, ACCENT).next_to(a, UP, buff=0.15)
    ln = lab(W["not"] + " A", 28, MUTED).next_to(n, UP, buff=0.15)
    lb = VGroup(lab("B", 26).move_to(ab), lab("B", 26).move_to(nb))
    pab, pnb = pa * pba, (1 - pa) * pbn
    res = lab("P(A|B) = " + num(pab) + " / (" + num(pab) + " + " + num(pnb) + ") ≈ " + num(pab / (pab + pnb)), 26).next_to(sq, DOWN, buff=0.35)
    pic = VGroup(sq, a, n, ab, nb, la, ln, lb, res)

    def s0():
        return [Create(sq)]

    def s1():
        return [FadeIn(a), FadeIn(n), FadeIn(la), FadeIn(ln)]

    def s2():
        return [GrowFromEdge(ab, DOWN), GrowFromEdge(nb, DOWN), FadeIn(lb)]

    def s3():
        return [a.animate.set_fill(opacity=0.08), n.animate.set_fill(opacity=0.05), Indicate(ab), Write(res)]

    return pic, [s0, s1, s2, s3]


def v_events(W):
    sq = Square(side_length=4.4, color=INK, stroke_width=3)
    om = lab("Ω", 28, MUTED).next_to(sq, UL, buff=0.05)
    a = _box(0.08, 0.3, 0.55, 0.6, ACCENT, 0.35)
    b = _box(0.4, 0.1, 0.5, 0.5, WARM, 0.35)
    both = _box(0.4, 0.3, 0.23, 0.3, GREEN_C, 0.8)
    la = lab("A", 30, ACCENT).move_to(a.get_corner(UL) + np.array([0.35, -0.35, 0]))
    lb = lab("B", 30, WARM).move_to(b.get_corner(DR) + np.array([-0.35, 0.35, 0]))
    res = lab("P(A ∪ B) = P(A) + P(B) − P(A ∩ B)", 26).next_to(sq, DOWN, buff=0.35)
    pic = VGroup(sq, om, a, b, both, la, lb, res)

    def s0():
        return [Create(sq), FadeIn(om)]

    def s1():
        return [FadeIn(a), FadeIn(la)]

    def s2():
        return [FadeIn(b), FadeIn(lb)]

    def s3():
        return [FadeIn(both), Write(res)]

    return pic, [s0, s1, s2, s3]
"##;
