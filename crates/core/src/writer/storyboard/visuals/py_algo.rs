//! Algorithm and physics pictures: an array halved by binary search, sorted by swaps, a tree, a
//! weighted graph and its shortest path, a block with its forces, two bodies colliding.

pub const PY: &str = r##"
def _cells(values, w=0.52):
    g = VGroup()
    for v in values:
        box = Square(side_length=w, color=MUTED, stroke_width=2, fill_color=BG, fill_opacity=1)
        g.add(VGroup(box, lab(str(v), 22)))
    return g.arrange(RIGHT, buff=0.04)


def v_binary_search(W):
    values = [4, 9, 13, 18, 22, 27, 31, 38, 44, 50, 57, 63]
    target = 50
    cells = _cells(values)
    goal = lab(W["target"] + ": " + str(target), 28, WARM).next_to(cells, UP, buff=0.9)
    steps_done = []
    lo, hi = 0, len(values) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        steps_done.append((lo, hi, mid))
        if values[mid] == target:
            break
        if values[mid] < target:
            lo = mid + 1
        else:
            hi = mid - 1
    found = lab(W["found"], 28, GREEN_C).next_to(cells, DOWN, buff=1.0)
    pic = VGroup(cells, goal, found, ghost(Square(0.5).next_to(cells, DOWN, buff=0.1)))

    def iteration(k):
        lo, hi, mid = steps_done[k]
        anims = [cells[mid][0].animate.set_stroke(WARM, width=5)]
        nxt = steps_done[k + 1] if k + 1 < len(steps_done) else None
        for i in range(len(values)):
            inside = nxt is not None and nxt[0] <= i <= nxt[1]
            if nxt is not None and not inside and lo <= i <= hi:
                anims.append(cells[i].animate.set_opacity(0.25))
        if nxt is None:
            anims += [cells[mid][0].animate.set_fill(GREEN_C, opacity=0.6), Write(found)]
        return anims

    def s0():
        return [FadeIn(cells, lag_ratio=0.1), Write(goal)]

    step_fns = [s0] + [(lambda k: (lambda: iteration(k)))(k) for k in range(len(steps_done))]
    return pic, step_fns


def v_sorting(W):
    values = [5, 2, 8, 1, 6, 3]
    cols = [ACCENT, WARM, GREEN_C, PURPLE_B, TEAL_C, MAROON_B]
    bars = VGroup()
    for i, v in enumerate(values):
        r = Rectangle(width=0.7, height=0.45 * v, color=cols[v % 6], fill_opacity=0.75, stroke_width=2)
        t = lab(str(v), 24).next_to(r, DOWN, buff=0.12)
        bars.add(VGroup(r, t))
    bars.arrange(RIGHT, buff=0.25, aligned_edge=DOWN)
    order = list(range(len(values)))
    vals = list(values)
    swaps = []
    for i in range(len(vals)):
        for j in range(len(vals) - 1 - i):
            if vals[j] > vals[j + 1]:
                vals[j], vals[j + 1] = vals[j + 1], vals[j]
                swaps.append((order[j], order[j + 1]))
                order[j], order[j + 1] = order[j + 1], order[j]
    done = lab(W["sorted"], 28, GREEN_C).next_to(bars, UP, buff=0.5)
    pic = VGroup(bars, done)

    def swap(a, b):
        xa, xb = bars[a].get_x(), bars[b].get_x()
        return [bars[a].animate.set_x(xb), bars[b].animate.set_x(xa)]

    def s0():
        return [LaggedStart(*[GrowFromEdge(b, DOWN) for b in bars], lag_ratio=0.15)]

    def s_end():
        return [Write(done), *[b[0].animate.set_color(GREEN_C) for b in bars]]

    return pic, [s0] + [(lambda a, b: (lambda: swap(a, b)))(a, b) for a, b in swaps] + [s_end]


def v_tree(W):
    keys = [8, 4, 12, 2, 6, 10, 14]
    pos = [UP * 2.0, UP * 0.6 + LEFT * 1.9, UP * 0.6 + RIGHT * 1.9,
           DOWN * 0.8 + LEFT * 2.85, DOWN * 0.8 + LEFT * 0.95, DOWN * 0.8 + RIGHT * 0.95, DOWN * 0.8 + RIGHT * 2.85]
    nodes = VGroup(*[VGroup(Circle(radius=0.36, color=ACCENT, stroke_width=3, fill_color=BG, fill_opacity=1), lab(str(k), 24)).move_to(p) for k, p in zip(keys, pos)])
    edges = VGroup(*[Line(pos[p], pos[c], color=MUTED, stroke_width=3, buff=0.36) for p, c in [(0, 1), (0, 2), (1, 3), (1, 4), (2, 5), (2, 6)]])
    path = [0, 1, 4]
    note = lab(W["search"] + ": 6", 26, WARM).next_to(VGroup(*nodes), DOWN, buff=0.5)
    pic = VGroup(edges, nodes, note)

    def s0():
        return [FadeIn(nodes[0], scale=0.5)]

    def s1():
        return [Create(edges[0]), Create(edges[1]), FadeIn(nodes[1]), FadeIn(nodes[2])]

    def s2():
        return [*[Create(e) for e in edges[2:]], *[FadeIn(n) for n in nodes[3:]]]

    def s3():
        return [Write(note), Succession(*[nodes[i][0].animate(run_time=0.5).set_fill(WARM, opacity=0.6) for i in path])]

    return pic, [s0, s1, s2, s3]


def v_network(W):
    # A weighted graph; distances from A settle node by node (Dijkstra), then the shortest path.
    P = lambda x, y: np.array([x, y, 0])
    pos = {"A": P(-3.0, 0), "B": P(-1.2, 1.6), "C": P(-1.2, -1.6), "D": P(0.8, 0.9), "E": P(0.8, -1.3), "F": P(2.8, 0)}
    es = [("A", "B", 4), ("A", "C", 2), ("C", "B", 1), ("B", "D", 3), ("C", "E", 7), ("D", "E", 2), ("D", "F", 6), ("E", "F", 3)]
    cen = sum(pos.values()) / len(pos)
    r = 0.34
    nodes = {k: VGroup(Circle(radius=r, color=ACCENT, stroke_width=3, fill_color=BG, fill_opacity=1), lab(k, 26)).move_to(p) for k, p in pos.items()}
    edges, weights = VGroup(), VGroup()
    for a, b, w in es:
        edges.add(Line(pos[a], pos[b], color=MUTED, stroke_width=3, buff=r))
        d = pos[b] - pos[a]
        n = np.array([-d[1], d[0], 0]) / np.linalg.norm(d)
        m = (pos[a] + pos[b]) / 2
        if np.dot(n, m - cen) < 0:
            n = -n
        weights.add(lab(str(w), 22, MUTED).move_to(m + n * 0.26))
    dist = {"A": 0, "C": 2, "B": 3, "D": 6, "E": 8, "F": 11}
    tags = {}
    for k, p in pos.items():
        away = (p - cen) / max(np.linalg.norm(p - cen), 1e-6)
        tags[k] = lab(str(dist[k]), 24, WARM).move_to(p + away * (r + 0.28))
    path = ["A", "C", "B", "D", "E", "F"]
    route = VGroup(*[Line(pos[a], pos[b], color=WARM, stroke_width=6, buff=r) for a, b in zip(path, path[1:])])
    graph = VGroup(edges, weights, *nodes.values())
    note = lab(" → ".join(path) + " = " + str(dist["F"]), 26, WARM)
    note.next_to(VGroup(graph, *tags.values()), DOWN, buff=0.4)
    pic = VGroup(graph, route, *tags.values(), note)
    mark = lambda ks: [nodes[k][0].animate.set_fill(WARM, opacity=0.55) for k in ks]

    def s0():
        return [Create(edges), *[FadeIn(n) for n in nodes.values()], FadeIn(weights)]

    def s1():
        return [*mark(["A"]), FadeIn(tags["A"])]

    def s2():
        return [*mark(["C", "B"]), FadeIn(tags["C"]), FadeIn(tags["B"])]

    def s3():
        return [*mark(["D", "E", "F"]), FadeIn(tags["D"]), FadeIn(tags["E"]), FadeIn(tags["F"])]

    def s4():
        return [Create(route), Write(note)]

    return pic, [s0, s1, s2, s3, s4]


def v_forces(W):
    ground = Line(LEFT * 3.3, RIGHT * 3.3, color=MUTED, stroke_width=4).shift(DOWN * 1.3)
    block = Square(side_length=1.3, color=ACCENT, fill_opacity=0.35, stroke_width=3)
    block.next_to(ground, UP, buff=0).shift(LEFT * 1.4)
    m = lab("m", 30, slant=ITALIC).move_to(block)
    c = block.get_center()
    wt = Arrow(c, c + DOWN * 1.3, buff=0, color=RED_C, stroke_width=6)
    nm = Arrow(c, c + UP * 1.6, buff=0, color=GREEN_C, stroke_width=6)
    fa = Arrow(c, c + RIGHT * 2.0, buff=0, color=WARM, stroke_width=6)
    fr = Arrow(block.get_bottom() + UP * 0.15, block.get_bottom() + UP * 0.15 + LEFT * 1.1, buff=0, color=PURPLE_B, stroke_width=6)
    tags = VGroup(lab("mg", 24, RED_C).next_to(wt.get_end(), RIGHT, buff=0.1),
                  lab("N", 24, GREEN_C).next_to(nm.get_end(), RIGHT, buff=0.1),
                  lab("F", 24, WARM).next_to(fa.get_end(), UP, buff=0.1),
                  lab(W["friction"], 22, PURPLE_B).next_to(fr.get_end(), UP, buff=0.12))
    body = VGroup(block, m, wt, nm, fa, fr, tags)
    law = lab("F − f = m · a", 30).next_to(ground, DOWN, buff=1.2)
    v = Arrow(block.get_top() + UP * 0.25 + RIGHT * 1.0, block.get_top() + UP * 0.25 + RIGHT * 2.4, buff=0, color=INK, stroke_width=4)
    vl = lab("v", 24, slant=ITALIC).next_to(v, UP, buff=0.08)
    pic = VGroup(ground, body, law, v, vl, ghost(body.copy().shift(RIGHT * 1.4)))

    def s0():
        return [Create(ground), FadeIn(block), FadeIn(m)]

    def s1():
        return [GrowArrow(wt), GrowArrow(nm), FadeIn(tags[0]), FadeIn(tags[1])]

    def s2():
        return [GrowArrow(fa), GrowArrow(fr), FadeIn(tags[2]), FadeIn(tags[3])]

    def s3():
        return [body.animate.shift(RIGHT * 1.4), GrowArrow(v), FadeIn(vl), Write(law)]

    return pic, [s0, s1, s2, s3]


def v_collision(W):
    ground = Line(LEFT * 3.3, RIGHT * 3.3, color=MUTED, stroke_width=3).shift(DOWN * 1.0)
    a = VGroup(Circle(radius=0.6, color=ACCENT, fill_opacity=0.45), lab("m₁", 26)).next_to(ground, UP, buff=0).shift(LEFT * 2.4)
    b = VGroup(Circle(radius=0.4, color=WARM, fill_opacity=0.45), lab("m₂", 22)).next_to(ground, UP, buff=0).shift(RIGHT * 2.0)
    va = Arrow(a.get_top() + UP * 0.2, a.get_top() + UP * 0.2 + RIGHT * 1.4, buff=0, color=ACCENT, stroke_width=5)
    vb = Arrow(b.get_top() + UP * 0.2, b.get_top() + UP * 0.2 + LEFT * 0.7, buff=0, color=WARM, stroke_width=5)
    law = lab("m₁v₁ + m₂v₂ = m₁v₁′ + m₂v₂′", 28).next_to(ground, DOWN, buff=0.8)
    pic = VGroup(ground, a, b, va, vb, law, ghost(Square(0.2).next_to(va, UP, buff=0.8)))

    def s0():
        return [Create(ground), FadeIn(a), FadeIn(b)]

    def s1():
        return [GrowArrow(va), GrowArrow(vb)]

    def s2():
        return [FadeOut(va), FadeOut(vb), a.animate.shift(RIGHT * 2.3), b.animate.shift(LEFT * 1.0)]

    def s3():
        pa = a.get_top() + UP * 0.2 + RIGHT * 0.4
        pb = b.get_top() + UP * 0.2 + RIGHT * 0.9
        va2 = Arrow(pa, pa + RIGHT * 0.5, buff=0, color=ACCENT, stroke_width=5)
        vb2 = Arrow(pb, pb + RIGHT * 0.8, buff=0, color=WARM, stroke_width=5)
        return [a.animate.shift(RIGHT * 0.4), b.animate.shift(RIGHT * 0.9), GrowArrow(va2), GrowArrow(vb2), Write(law)]

    return pic, [s0, s1, s2, s3]


def v_sieve(W, n=50):
    # The sieve of Eratosthenes on 2..n: each prime in turn keeps its colour and strikes out its
    # multiples; what is never struck out is prime.
    nums = list(range(2, n + 1))
    cells = VGroup()
    for v in nums:
        sq = Square(side_length=0.62, color=MUTED, stroke_width=2)
        cells.add(VGroup(sq, lab(str(v), 24).move_to(sq)))
    cells.arrange_in_grid(cols=7, buff=0.06)
    cell = {v: cells[i] for i, v in enumerate(nums)}
    colors = {2: ACCENT, 3: WARM, 5: GREEN_C, 7: PURPLE_B}
    struck = set()
    is_prime = lambda v: all(v % d for d in range(2, int(v ** 0.5) + 1))
    primes = [v for v in nums if is_prime(v)]
    shown = ", ".join(str(p) for p in primes[:9]) + ", …"
    result = lab(shown, 26, GREEN_C).next_to(cells, DOWN, buff=0.35)
    pic = VGroup(cells, result)

    def strike(ps):
        anims = []
        for p in ps:
            anims.append(cell[p][0].animate.set_fill(colors[p], opacity=0.45).set_stroke(colors[p], width=4))
            for m in range(p * p, n + 1, p):
                if m not in struck:
                    struck.add(m)
                    anims.append(cell[m][1].animate.set_opacity(0.2))
                    anims.append(cell[m][0].animate.set_stroke(opacity=0.35))
        return anims

    def s0():
        return [FadeIn(cells, lag_ratio=0.02)]

    def s4():
        rest = [cell[v][0].animate.set_fill(GREEN_C, opacity=0.35) for v in primes if v not in colors]
        return rest + [Write(result)]

    return pic, [s0, lambda: strike([2]), lambda: strike([3]), lambda: strike([5, 7]), s4]
"##;
