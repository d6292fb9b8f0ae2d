//! Python shared by every picture: placing it beside or under the text, labels, key-point text.

/// Pictures are built near their final size (so their labels keep their font size) and then
/// fitted: `left` beside a text column, `full` under the header.
pub const PY: &str = r##"
def lab(s, size=26, color=INK, **kw):
    return T(s, font_size=size, color=color, **kw)


def num(v):
    s = "%.2f" % v
    s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def place(pic, mode):
    if mode == "left":
        fit(pic, 6.5, 5.4).move_to(np.array([-3.35, -0.62, 0]))
    else:
        fit(pic, 12.2, 5.4).move_to(np.array([0, -0.62, 0]))
    return pic


def ghost(m):
    return m.set_stroke(opacity=0).set_fill(opacity=0)


def column(lines_groups, size=26, marker=None, width=5.7):
    # The text beside a picture: items of pre-wrapped lines, left-aligned, at the right.
    items = VGroup()
    for lines in lines_groups:
        text = VGroup(*[T(l, font_size=size, color=INK) for l in lines]).arrange(DOWN, aligned_edge=LEFT, buff=0.16)
        if marker:
            dot = T(marker, font_size=size, color=WARM)
            items.add(VGroup(dot, text).arrange(RIGHT, aligned_edge=UP, buff=0.2))
        else:
            items.add(text)
    items.arrange(DOWN, aligned_edge=LEFT, buff=0.34)
    fit(items, width, 5.3)
    items.move_to(np.array([0.55 + width / 2, -0.62, 0]))
    items.align_to(np.array([0.55, 0, 0]), LEFT)
    if items.get_top()[1] > 2.1:
        items.shift(DOWN * (items.get_top()[1] - 2.1))
    return items
"##;
