"""Geometry for Theory2Video's layout probe: what is on screen, where, and how big.

Facts this relies on (Manim CE 0.22, Cairo renderer):
- A VMobject's points are cubic Bezier curves, 4 points each (anchor, handle, handle, anchor).
  Manim's get_corner/get_center use anchors only, width/height use all points; neither is the
  drawn extent. ``curve_boxes`` computes the true extent of each curve (the extrema of the cubic).
- Stroke width is in no Manim box. The Cairo camera draws a line ``stroke_width * 0.01`` scene
  units wide, whatever the zoom; half of it reaches past the path.
- Opacity-0 mobjects keep their points: visibility is read from the fill/stroke alphas.
- Only VMobject, PMobject and ImageMobject are drawn by the Cairo camera (a ValueTracker has
  points but is never drawn).
"""

from __future__ import annotations

import numpy as np

# Cairo draws a stroke of width w as w * cairo_line_width_multiple scene units (camera.py).
STROKE_UNITS_PER_WIDTH = 0.01

# Cap height of a capital letter per point of font_size, in scene units, measured on Manim 0.22:
# Text("H", font_size=48).height == 0.486 and MathTex("H", font_size=48).height == 0.340.
CAP_PER_POINT_PANGO = 0.486 / 48
CAP_PER_POINT_TEX = 0.340 / 48


def min_cap_px(pixel_height: int) -> float:
    """The smallest readable cap height, in pixels, for a video `pixel_height` pixels tall.

    7 px at 480p (preview), 9 px at 720p (standard), 12 px at 1080p (high): a viewer watches every
    quality at the same size on screen, so a higher resolution allows a slightly smaller share of
    the frame (crisper glyphs) but not the same pixel count. Below 6 px no glyph is legible.
    """
    return max(6.0, 7.0 + (pixel_height - 480) / 120.0)


def curve_boxes(points: np.ndarray) -> np.ndarray | None:
    """True (x0, y0, x1, y1) of a cubic Bezier path, or None for no full curve."""
    n = (len(points) // 4) * 4
    if n == 0:
        if len(points) == 0:
            return None
        p = points[:, :2]
        return np.array([p[:, 0].min(), p[:, 1].min(), p[:, 0].max(), p[:, 1].max()])
    c = points[:n, :2].reshape(-1, 4, 2)
    p0, p1, p2, p3 = c[:, 0], c[:, 1], c[:, 2], c[:, 3]
    lo = np.minimum(p0, p3)
    hi = np.maximum(p0, p3)
    # Handles inside the anchors' box cannot push the curve out of it: most curves stop here.
    outside = (np.minimum(p1, p2) < lo - 1e-12) | (np.maximum(p1, p2) > hi + 1e-12)
    if outside.any():
        d0, d1, d2 = p1 - p0, p2 - p1, p3 - p2
        a = d0 - 2 * d1 + d2
        b = 2 * (d1 - d0)
        cc = d0
        ts = []
        with np.errstate(divide="ignore", invalid="ignore"):
            disc = b * b - 4 * a * cc
            sq = np.sqrt(np.where(disc >= 0, disc, np.nan))
            lin = np.abs(a) < 1e-12
            t_lin = np.where(lin, -cc / b, np.nan)
            t1 = np.where(lin, t_lin, (-b + sq) / (2 * a))
            t2 = np.where(lin, np.nan, (-b - sq) / (2 * a))
        for t in (t1, t2):
            ok = (t > 0) & (t < 1) & outside
            t = np.where(ok, t, 0.0)
            u = 1 - t
            # Evaluate each coordinate at its own root (t has one column per coordinate).
            v = u**3 * p0 + 3 * u * u * t * p1 + 3 * u * t * t * p2 + t**3 * p3
            v_lo = np.where(ok, v, np.inf)
            v_hi = np.where(ok, v, -np.inf)
            lo = np.minimum(lo, v_lo)
            hi = np.maximum(hi, v_hi)
            ts.append(t)
    return np.array([lo[:, 0].min(), lo[:, 1].min(), hi[:, 0].max(), hi[:, 1].max()])


class Kinds:
    """The Manim classes the probe tells apart, imported once manim is loaded."""

    def __init__(self):
        import manim as m

        self.VMobject = m.VMobject
        self.PMobject = m.PMobject
        from manim.mobject.types.image_mobject import AbstractImageMobject

        self.Image = AbstractImageMobject
        self.text = (
            m.Text,
            m.MarkupText,
            m.Paragraph,
            m.SingleStringMathTex,
            m.Code,
            m.DecimalNumber,
        )
        self.pango = (m.Text, m.MarkupText, m.Paragraph, m.Code)
        # Plain groups only (exact types): a Cube or an Axes is one thing, not a group.
        self.containers = (m.VGroup, m.Group)
        self.drawn = (m.VMobject, m.PMobject, AbstractImageMobject)
        self.backgrounds = (m.BackgroundRectangle, m.SurroundingRectangle)
        self.ValueTracker = m.ValueTracker


def text_content(unit) -> str:
    """What a text says (the key for "different content")."""
    for attr in ("tex_string", "original_text", "text", "code_string"):
        v = getattr(unit, attr, None)
        if isinstance(v, str):
            return v
    lines = getattr(unit, "lines_text", None)
    if lines is not None:
        return getattr(lines, "original_text", "") or getattr(lines, "text", "")
    code = getattr(unit, "code_lines", None)
    if code is not None:
        return text_content(code)
    num = getattr(unit, "number", None)
    if num is not None:
        try:
            return f"{num:.6g}"  # a float, an int or a complex (DecimalNumber takes all three)
        except (TypeError, ValueError):
            return str(num)
    return repr(unit)


def font_size(unit, kinds: Kinds) -> tuple[float, float] | None:
    """(font_size, cap height per point) of a text, following its scaling, or None."""
    target = unit
    if getattr(unit, "code_lines", None) is not None:
        target = unit.code_lines
    if getattr(target, "lines_text", None) is not None:
        target = target.lines_text
    try:
        fs = float(target.font_size)
    except Exception:
        return None
    if not np.isfinite(fs) or fs <= 0:
        return None
    per = CAP_PER_POINT_PANGO if isinstance(unit, kinds.pango) else CAP_PER_POINT_TEX
    return fs, per


def leaf_visible_box(m, kinds: Kinds):
    """The drawn box of one mobject's own points (stroke included), or None if nothing shows."""
    pts = m.points
    if len(pts) == 0:
        return None
    if isinstance(m, kinds.VMobject):
        fill = m.fill_rgbas
        stroke = m.stroke_rgbas
        fill_on = fill is not None and len(fill) and float(np.max(fill[:, 3])) > 0.0
        sw = float(m.stroke_width) if np.ndim(m.stroke_width) == 0 else float(np.max(m.stroke_width))
        stroke_on = sw > 0 and stroke is not None and len(stroke) and float(np.max(stroke[:, 3])) > 0
        if not (fill_on or stroke_on):
            return None
        box = curve_boxes(pts)
        if box is None:
            return None
        if stroke_on:
            pad = sw * STROKE_UNITS_PER_WIDTH / 2
            box = box + np.array([-pad, -pad, pad, pad])
        return box
    if isinstance(m, kinds.PMobject):
        rgbas = getattr(m, "rgbas", None)
        if rgbas is not None and len(rgbas) and float(np.max(rgbas[:, 3])) <= 0:
            return None
        p = pts[:, :2]
        return np.array([p[:, 0].min(), p[:, 1].min(), p[:, 0].max(), p[:, 1].max()])
    if isinstance(m, kinds.Image):
        op = getattr(m, "stroke_opacity", 1)
        if op is not None and op <= 0:
            return None
        p = pts[:, :2]
        return np.array([p[:, 0].min(), p[:, 1].min(), p[:, 0].max(), p[:, 1].max()])
    return None


def union(boxes):
    if not boxes:
        return None
    a = np.array(boxes)
    return np.array([a[:, 0].min(), a[:, 1].min(), a[:, 2].max(), a[:, 3].max()])


class Unit:
    """One thing the viewer reads as a whole: a text, or a non-text mobject."""

    __slots__ = ("mob", "is_text", "box", "leaf_boxes", "members")

    def __init__(self, mob, is_text, leaf_boxes, members):
        self.mob = mob
        self.is_text = is_text
        self.leaf_boxes = leaf_boxes
        self.box = union(leaf_boxes)
        self.members = members


def collect_units(top_mobjects, kinds: Kinds, skip_ids=frozenset(), only_ids=None):
    """Splits what is on screen into text units and other units, each with its visible boxes.

    A text unit stops the descent (its glyphs are not units of their own); plain groups are
    descended into; any other mobject with visible parts is an "other" unit made of its non-text
    leaves (an Axes' numbers are text units of their own). `only_ids` (3D scenes) keeps only the
    mobjects whose ids it holds; the rest is counted in the returned `skipped` by type.
    """
    units = []
    skipped = {}
    seen = set()

    def text_unit(mob):
        boxes = []
        members = []
        for f in mob.get_family():
            members.append(f)
            if isinstance(f, kinds.backgrounds):
                continue
            b = leaf_visible_box(f, kinds)
            if b is not None:
                boxes.append(b)
        if boxes:
            units.append(Unit(mob, True, boxes, members))

    def other_unit(mob):
        boxes = []
        members = [mob]
        stack = [mob]
        while stack:
            f = stack.pop()
            b = leaf_visible_box(f, kinds)
            if b is not None:
                boxes.append(b)
            for s in f.submobjects:
                if id(s) in seen:
                    continue
                seen.add(id(s))
                if isinstance(s, kinds.text):
                    visit(s)
                else:
                    members.append(s)
                    stack.append(s)
        if boxes:
            units.append(Unit(mob, False, boxes, members))

    def visit(mob):
        if id(mob) in skip_ids or isinstance(mob, kinds.ValueTracker):
            return
        plain = type(mob) in kinds.containers and len(mob.points) == 0
        if not plain and not isinstance(mob, kinds.drawn) and not mob.submobjects:
            return  # never drawn (a bare Mobject, a Point)
        if only_ids is not None and id(mob) not in only_ids:
            if not plain:
                name = type(mob).__name__
                skipped[name] = skipped.get(name, 0) + 1
                return
        seen.add(id(mob))
        if isinstance(mob, kinds.text):
            text_unit(mob)
        elif plain:
            for s in mob.submobjects:
                if id(s) not in seen:
                    visit(s)
        else:
            other_unit(mob)

    for m in top_mobjects:
        if id(m) not in seen:
            visit(m)
    return units, skipped


def overflow(box, frame, tol):
    """How far `box` reaches past each edge of `frame` (0 when inside), or None when it is
    wholly outside (staging) or wholly inside."""
    x0, y0, x1, y1 = box
    f0, g0, f1, g1 = frame
    if x1 <= f0 or x0 >= f1 or y1 <= g0 or y0 >= g1:
        return None
    over = {
        "left": max(0.0, f0 - x0),
        "right": max(0.0, x1 - f1),
        "bottom": max(0.0, g0 - y0),
        "top": max(0.0, y1 - g1),
    }
    if max(over.values()) <= tol:
        return None
    return {k: round(v, 3) for k, v in over.items() if v > tol}


def spans_frame(box, frame):
    """The box covers the frame from edge to edge in some direction (a background, a grid)."""
    x0, y0, x1, y1 = box
    f0, g0, f1, g1 = frame
    return (x0 <= f0 and x1 >= f1) or (y0 <= g0 and y1 >= g1)


def overlap_depth(a, b, tol):
    """Whether two sets of glyph boxes overlap by more than `tol` in both directions and by a
    share of the smaller glyph: returns the overlapping area found (0 when none)."""
    A = np.asarray(a)
    B = np.asarray(b)
    ix = np.minimum(A[:, None, 2], B[None, :, 2]) - np.maximum(A[:, None, 0], B[None, :, 0])
    iy = np.minimum(A[:, None, 3], B[None, :, 3]) - np.maximum(A[:, None, 1], B[None, :, 1])
    hit = (ix > tol) & (iy > tol)
    if not hit.any():
        return 0.0
    area_a = (A[:, 2] - A[:, 0]) * (A[:, 3] - A[:, 1])
    area_b = (B[:, 2] - B[:, 0]) * (B[:, 3] - B[:, 1])
    smaller = np.minimum(area_a[:, None], area_b[None, :])
    inter = np.where(hit, ix * iy, 0.0)
    share = np.where(smaller > 0, inter / np.maximum(smaller, 1e-12), 0.0)
    strong = hit & (share >= 0.2)
    return float(inter[strong].sum())


def boxes_intersect(a, b, tol):
    return (min(a[2], b[2]) - max(a[0], b[0]) > tol) and (min(a[3], b[3]) - max(a[1], b[1]) > tol)
