//! Geometry pictures: the right triangle with the squares on its sides, a square cut into four
//! triangles and rearranged, a circle's radius and circumference, a triangle's angles, any
//! triangle's two sides and the angle between them (the law of cosines).

pub const PY: &str = r##"
def _outside(P, Q, cen, gap):
    # A point just outside the side PQ of a figure centred at cen (where its label goes).
    m = (P + Q) / 2
    away = m - cen
    return m + away / np.linalg.norm(away) * gap


def v_right_triangle(W, a=3, b=4):
    u = 0.55
    A, B, C = ORIGIN, RIGHT * a * u, UP * b * u
    cen = (A + B + C) / 3
    tri = Polygon(A, B, C, color=INK, stroke_width=4, fill_color=ACCENT, fill_opacity=0.2)
    mark = Square(side_length=0.22, color=INK, stroke_width=2).move_to(A + (RIGHT + UP) * 0.11)

    def on_side(P, Q, color):
        d = Q - P
        n = np.array([d[1], -d[0], 0])
        if np.dot(n, (P + Q) / 2 - cen) < 0:
            n = -n
        return Polygon(P, Q, Q + n, P + n, color=color, stroke_width=3, fill_color=color, fill_opacity=0.3)

    c = (a * a + b * b) ** 0.5
    sa, sb, sc = on_side(A, B, WARM), on_side(A, C, GREEN_C), on_side(B, C, ACCENT)
    # Each side's letter sits just outside its side, on the rim of that side's square (whose
    # own label is at its centre), so the three letters never crowd inside a small triangle.
    la = lab("a", 30, WARM, slant=ITALIC).move_to(_outside(A, B, cen, 0.2))
    lb = lab("b", 30, GREEN_C, slant=ITALIC).move_to(_outside(A, C, cen, 0.2))
    lc = lab("c", 30, ACCENT, slant=ITALIC).move_to(_outside(B, C, cen, 0.2))
    ta = lab("a² = " + num(a * a), 22).move_to(sa)
    tb = lab("b² = " + num(b * b), 22).move_to(sb)
    tc = lab("c² = " + num(c * c), 26).move_to(sc)
    eq = lab("a² + b² = c²   (" + num(a * a) + " + " + num(b * b) + " = " + num(c * c) + ")", 30, INK)
    fig = VGroup(tri, mark, sa, sb, sc, la, lb, lc, ta, tb, tc)
    eq.next_to(fig, DOWN, buff=0.45)
    pic = VGroup(fig, eq)

    def s0():
        return [Create(tri), Create(mark), FadeIn(la), FadeIn(lb), FadeIn(lc)]

    def s1():
        return [DrawBorderThenFill(sa), FadeIn(ta)]

    def s2():
        return [DrawBorderThenFill(sb), FadeIn(tb)]

    def s3():
        return [DrawBorderThenFill(sc), FadeIn(tc)]

    def s4():
        return [Write(eq), Indicate(VGroup(sa, sb), color=WARM)]

    return pic, [s0, s1, s2, s3, s4]


def v_rearrange(W, a=1.3, b=2.1):
    s = a + b
    P = lambda x, y: np.array([x, y, 0])
    frame = Square(side_length=s, color=INK, stroke_width=3).move_to(P(s / 2, s / 2))
    cols = [ACCENT, WARM, GREEN_C, PURPLE_B]
    first = [[P(0, 0), P(a, 0), P(0, b)], [P(s, 0), P(s, a), P(a, 0)], [P(s, s), P(b, s), P(s, a)], [P(0, s), P(0, b), P(b, s)]]
    second = [[P(a, a), P(a, 0), P(s, a)], [P(s, 0), P(s, a), P(a, 0)], [P(a, s), P(0, s), P(a, a)], [P(0, a), P(a, a), P(0, s)]]
    tris = VGroup(*[Polygon(*v, color=cols[i], stroke_width=2, fill_color=cols[i], fill_opacity=0.55) for i, v in enumerate(first)])
    moved = VGroup(*[Polygon(*v, color=cols[i], stroke_width=2, fill_color=cols[i], fill_opacity=0.55) for i, v in enumerate(second)])
    tilt = Polygon(P(a, 0), P(s, a), P(b, s), P(0, b), color=INK, stroke_width=3, fill_color=INK, fill_opacity=0.12)
    lc = lab("c²", 34).move_to(P(s / 2, s / 2))
    sa = Square(side_length=a, color=INK, stroke_width=3, fill_color=INK, fill_opacity=0.12).move_to(P(a / 2, a / 2))
    sb = Square(side_length=b, color=INK, stroke_width=3, fill_color=INK, fill_opacity=0.12).move_to(P(a + b / 2, a + b / 2))
    la = lab("a²", 30).move_to(sa)
    lb = lab("b²", 34).move_to(sb)
    side = lab("a + b", 26, MUTED).next_to(frame, DOWN, buff=0.2)
    eq = lab("a² + b² = c²", 32).next_to(side, DOWN, buff=0.3)
    pic = VGroup(frame, tris, tilt, lc, side, eq, moved, sa, sb, la, lb)

    def s0():
        return [Create(frame), FadeIn(side)]

    def s1():
        return [LaggedStart(*[FadeIn(t, scale=0.8) for t in tris], lag_ratio=0.3)]

    def s2():
        return [FadeIn(tilt), Write(lc)]

    def s3():
        return [FadeOut(tilt), FadeOut(lc)] + [Transform(tris[i], moved[i], path_arc=0.6) for i in range(4)]

    def s4():
        return [FadeIn(sa), FadeIn(sb), Write(la), Write(lb), Write(eq)]

    return pic, [s0, s1, s2, s3, s4]


def v_circle(W, r=1.0):
    circ = Circle(radius=r, color=ACCENT, stroke_width=5)
    dot = Dot(circ.get_center(), color=INK, radius=0.05)
    rad = Line(circ.get_center(), circ.point_at_angle(0), color=WARM, stroke_width=5)
    rl = lab("r", 30, WARM, slant=ITALIC).next_to(rad, UP, buff=0.1)
    line = Line(LEFT * PI * r, RIGHT * PI * r, color=ACCENT, stroke_width=5).next_to(circ, DOWN, buff=0.9)
    ll = lab("C = 2πr", 28).next_to(line, DOWN, buff=0.2)
    area = lab("A = πr²", 28).next_to(circ, RIGHT, buff=0.4)
    pic = VGroup(circ, dot, rad, rl, line, ll, area)

    def s0():
        return [Create(circ), FadeIn(dot)]

    def s1():
        return [Create(rad), FadeIn(rl)]

    def s2():
        return [ReplacementTransform(circ.copy(), line), FadeIn(ll)]

    def s3():
        return [circ.animate.set_fill(ACCENT, opacity=0.25), FadeIn(area)]

    return pic, [s0, s1, s2, s3]


def _arc(c, a0, a1, r, color):
    return Arc(radius=r, start_angle=a0, angle=a1 - a0, arc_center=c, color=color, stroke_width=5)


def v_angles(W):
    A, B, C = np.array([-2.6, -1.2, 0]), np.array([2.6, -1.2, 0]), np.array([0.7, 1.6, 0])
    tri = Polygon(A, B, C, color=INK, stroke_width=4)
    ang = lambda P, Q: np.arctan2(*(Q - P)[1::-1])
    tAC, tBC = ang(A, C), ang(B, C)
    cols = [ACCENT, WARM, GREEN_C]
    arcs = VGroup(_arc(A, 0, tAC, 0.6, cols[0]), _arc(B, tBC, PI, 0.6, cols[1]), _arc(C, tAC + PI, tBC + PI, 0.5, cols[2]))
    names = ["α", "β", "γ"]
    mids = [(0 + tAC) / 2, (tBC + PI) / 2, (tAC + tBC) / 2 + PI]
    labels = VGroup(*[lab(n, 28, cols[i]).move_to(P + 0.95 * np.array([np.cos(m), np.sin(m), 0])) for i, (n, P, m) in enumerate(zip(names, [A, B, C], mids))])
    par = DashedLine(C + LEFT * 2.6, C + RIGHT * 2.6, color=MUTED)
    copies = VGroup(_arc(C, -PI, tAC - PI, 0.5, cols[0]), _arc(C, tBC - PI, 0, 0.5, cols[1]))
    eq = lab("α + β + γ = 180°", 30).next_to(tri, DOWN, buff=0.4)
    pic = VGroup(tri, arcs, labels, par, copies, eq)

    def s0():
        return [Create(tri)]

    def s1():
        return [LaggedStart(*[Create(a) for a in arcs], lag_ratio=0.3), FadeIn(labels)]

    def s2():
        return [Create(par), TransformFromCopy(arcs[0], copies[0]), TransformFromCopy(arcs[1], copies[1])]

    def s3():
        return [Write(eq), Indicate(VGroup(copies, arcs[2]))]

    return pic, [s0, s1, s2, s3]


def v_law_of_cosines(W, a=3.2, b=4.2, gamma=1.05):
    # A triangle that is not right-angled: sides a and b meet at the angle γ; the height from B
    # shows a·cos γ on side b, and the law follows.
    u = 0.9
    C = ORIGIN
    A = RIGHT * b * u
    B = np.array([np.cos(gamma), np.sin(gamma), 0]) * a * u
    cen = (A + B + C) / 3
    tri = Polygon(C, A, B, color=INK, stroke_width=4, fill_color=ACCENT, fill_opacity=0.15)
    la = lab("a", 30, WARM, slant=ITALIC).move_to(_outside(C, B, cen, 0.3))
    lb = lab("b", 30, GREEN_C, slant=ITALIC).move_to(_outside(C, A, cen, 0.3))
    lc = lab("c", 30, ACCENT, slant=ITALIC).move_to(_outside(A, B, cen, 0.3))
    arc = Arc(radius=0.55, start_angle=0, angle=gamma, arc_center=C, color=WARM, stroke_width=4)
    lg = lab("γ", 28, WARM).move_to(C + 0.9 * np.array([np.cos(gamma / 2), np.sin(gamma / 2), 0]))
    H = np.array([B[0], 0, 0])
    h = DashedLine(B, H, color=MUTED)
    foot = Square(side_length=0.2, color=MUTED, stroke_width=2).move_to(H + (LEFT + UP) * 0.1)
    proj = Line(C, H, color=WARM, stroke_width=8)
    lp = lab("a·cos γ", 22, WARM).next_to(proj, DOWN, buff=0.55)
    fig = VGroup(tri, la, lb, lc, arc, lg, h, foot, proj, lp)
    eq = lab("c² = a² + b² − 2ab·cos γ", 30).next_to(fig, DOWN, buff=0.45)
    special = lab("γ = 90°:  c² = a² + b²", 24, MUTED).next_to(eq, DOWN, buff=0.25)
    pic = VGroup(fig, eq, special)

    def s0():
        return [Create(tri), FadeIn(la), FadeIn(lb), FadeIn(lc)]

    def s1():
        return [Create(arc), FadeIn(lg)]

    def s2():
        return [Create(h), Create(foot), Create(proj), FadeIn(lp)]

    def s3():
        return [Write(eq), FadeIn(special)]

    return pic, [s0, s1, s2, s3]
"##;
