"""Tests of the layout probe with real Manim (dry runs in this process, and the launcher as a
child). Run: $THEORY2VIDEO_VENV/bin/python -m unittest discover -s crates/core/python/tests"""

import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
PY = os.path.dirname(HERE)
sys.path.insert(0, PY)

import manim  # noqa: E402
from manim import tempconfig  # noqa: E402

import t2v_layout_probe as probe_mod  # noqa: E402

manim.logger.setLevel("ERROR")
WORK = tempfile.mkdtemp(prefix="t2v-probe-tests-")
# The article-class template the renderer uses (the default one needs texlive-latex-extra).
TEMPLATE = os.path.join(WORK, "article.tex")
with open(TEMPLATE, "w") as _fh:
    _fh.write("\\documentclass{article}\n\\usepackage[english]{babel}\n\\usepackage{amsmath}\n"
              "\\usepackage{amssymb}\n\\pagestyle{empty}\n\\begin{document}\nYourTextHere\n"
              "\\end{document}\n")
manim.config.tex_template_file = TEMPLATE


def run_scene(code, name="S", quality="low_quality"):
    """Renders scene `name` of `code` in a dry run under the probe; returns its report."""
    path = os.path.join(WORK, f"{name}_{abs(hash(code))}.py")
    with open(path, "w") as fh:
        fh.write("from manim import *\n" + textwrap.dedent(code))
    spec = importlib.util.spec_from_file_location(os.path.basename(path)[:-3], path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    probe = probe_mod.install(None, path)
    try:
        with tempconfig({"dry_run": True, "quality": quality, "disable_caching": True,
                         "media_dir": os.path.join(WORK, "media"), "progress_bar": "none",
                         "write_to_movie": False}):
            getattr(mod, name)().render()
    finally:
        probe.uninstall()
    return probe.reports[0]


def kinds(report, severity=None):
    return sorted(f["kind"] for f in report["findings"]
                  if severity is None or f["severity"] == severity)


class OffFrame(unittest.TestCase):
    def test_text_partly_outside_is_an_error_with_its_line_time_and_animation(self):
        r = run_scene("""
            class S(Scene):
                def construct(self):
                    self.wait(0.5)
                    cap = Text("A caption that runs off the right edge")
                    cap.move_to(RIGHT * 6)
                    self.play(FadeIn(cap))
                    self.wait(1)
            """)
        [f] = r["findings"]
        self.assertEqual((f["kind"], f["severity"]), ("text_off_frame", "error"))
        self.assertEqual(f["line"], 6)  # the Text(...) line of the file (import is line 1)
        self.assertAlmostEqual(f["first_t"], 1.5, delta=0.1)
        self.assertEqual(f["animation"], 2)
        self.assertIn("right", f["overflow"])
        self.assertNotIn("left", f["overflow"])
        self.assertGreater(f["overflow"]["right"], 1.0)
        self.assertEqual(f["what"], 'Text "A caption that runs off the right edge"')

    def test_wholly_outside_is_staging(self):
        r = run_scene("""
            class S(Scene):
                def construct(self):
                    t = Text("waiting in the wings").move_to(LEFT * 12)
                    self.add(t)
                    self.wait()
                    self.play(t.animate.move_to(ORIGIN), run_time=0.2)
            """)
        self.assertEqual(kinds(r, "error"), [])

    def test_invisible_text_is_not_checked(self):
        r = run_scene("""
            class S(Scene):
                def construct(self):
                    self.add(Text("ghost", fill_opacity=0).move_to(RIGHT * 7))
                    self.add(Text("faded").move_to(LEFT * 7).set_opacity(0))
                    self.wait()
            """)
        self.assertEqual(r["findings"], [])

    def test_caption_off_for_a_second_then_faded_out(self):
        r = run_scene("""
            class S(Scene):
                def construct(self):
                    c = Text("Passing caption").move_to(LEFT * 7)
                    self.add(c)
                    self.wait(1)
                    self.play(FadeOut(c))
                    self.wait()
            """)
        self.assertEqual(kinds(r), ["text_off_frame"])
        self.assertEqual(r["findings"][0]["t"], 1.0)

    def test_shapes_are_warnings_with_true_bezier_extents_and_stroke(self):
        r = run_scene("""
            class S(Scene):
                def construct(self):
                    right = config.frame_width / 2 * (854 / 854)
                    # A filled, strokeless circle whose true right edge is just inside: its
                    # handles reach past the frame when rotated, its curve does not.
                    c = Circle(radius=3, fill_opacity=1, stroke_width=0).rotate(0.5)
                    c.move_to(RIGHT * (7.05 - 3))
                    # A thin square whose path stays inside but whose thick stroke does not.
                    sq = Square(1, stroke_width=40).move_to(LEFT * (7.05 - 0.5) + UP * 3)
                    self.add(c, sq, FullScreenRectangle(), NumberPlane())
                    self.wait()
            """)
        [f] = r["findings"]
        self.assertEqual((f["kind"], f["severity"], f["mobject"]), ("off_frame", "warning", "Square"))

    def test_moving_camera_uses_the_camera_frame(self):
        r = run_scene("""
            class S(MovingCameraScene):
                def construct(self):
                    far = Text("far away but in view", font_size=24).move_to(RIGHT * 20)
                    near = Text("clipped by the zoom").move_to(UP * 1.5 + RIGHT * 2)
                    self.add(near)
                    self.play(self.camera.frame.animate.set(width=5).move_to(ORIGIN))
                    self.remove(near)
                    self.add(far)
                    self.play(self.camera.frame.animate.move_to(far))
                    self.wait()
            """)
        texts = [f["text"] for f in r["findings"] if f["kind"] == "text_off_frame"]
        self.assertEqual(texts, ["clipped by the zoom"])

    def test_three_d_checks_fixed_in_frame_only_and_says_so(self):
        r = run_scene("""
            class S(ThreeDScene):
                def construct(self):
                    self.set_camera_orientation(phi=60 * DEGREES)
                    t = Text("fixed title off the top").to_edge(UP).shift(UP * 0.6)
                    self.add_fixed_in_frame_mobjects(t)
                    self.add(Cube(), Text("world text").shift(RIGHT * 7))
                    self.wait()
            """)
        self.assertEqual([f["text"] for f in r["findings"]], ["fixed title off the top"])
        self.assertEqual(len(r["not_checked"]), 1)
        self.assertIn("Cube", r["not_checked"][0])
        self.assertIn("Text", r["not_checked"][0])


class Overlap(unittest.TestCase):
    def test_two_different_labels_on_top_of_each_other(self):
        r = run_scene("""
            class S(Scene):
                def construct(self):
                    a = Text("first label")
                    b = Text("second label").shift(RIGHT * 0.2 + DOWN * 0.1)
                    self.play(FadeIn(a), FadeIn(b))
            """)
        [f] = r["findings"]
        self.assertEqual(f["kind"], "text_overlap")
        self.assertEqual({f["line"], f["other"]["line"]}, {5, 6})

    def test_groups_glyphs_copies_and_arranged_texts_are_not_pairs(self):
        r = run_scene(r"""
            class S(Scene):
                def construct(self):
                    g = VGroup(Text("one"), Text("two"), MathTex(r"x^2 + y^2")).arrange(DOWN, buff=0.1)
                    p = Paragraph("line one", "line two", "line three").to_edge(LEFT)
                    same = Text("one").move_to(g[0])
                    self.play(Write(g), FadeIn(p))
                    self.add(same)
                    self.wait()
            """)
        self.assertEqual(r["findings"], [])

    def test_transform_source_and_target_are_not_a_pair(self):
        r = run_scene("""
            class S(Scene):
                def construct(self):
                    a = DecimalNumber(1.0).shift(UP * 2)
                    b = DecimalNumber(2.0).shift(UP * 2)
                    self.add(a, b)
                    self.play(Transform(a, b))
                    c = Text("old")
                    self.add(c)
                    self.play(ReplacementTransform(c, Text("new")))
                    self.play(FadeTransform(Text("from").shift(DOWN * 2), Text("to").shift(DOWN * 2)))
                    self.wait()
            """)
        self.assertEqual(kinds(r, "error"), [])

    def test_crossfade_is_not_a_pair_but_a_collision_mid_move_is(self):
        r = run_scene("""
            class S(Scene):
                def construct(self):
                    a = Text("old caption").to_edge(DOWN)
                    b = Text("new caption").to_edge(DOWN)
                    self.add(a)
                    self.play(FadeOut(a), FadeIn(b))
                    m = Text("moving").move_to(LEFT * 4)
                    s = Text("standing")
                    self.add(m, s)
                    self.play(m.animate.move_to(RIGHT * 4))
                    self.wait()
            """)
        [f] = r["findings"]
        self.assertEqual(f["kind"], "text_overlap")
        self.assertEqual({f["text"], f["other"]["what"]}, {"moving", 'Text "standing"'})
        self.assertEqual(f["animation"], 2)


class Size(unittest.TestCase):
    CODE = """
        class S(Scene):
            def construct(self):
                self.add(Text("small print", font_size=10), MathTex("x", font_size=48).shift(UP))
                self.wait()
        """

    def test_tiny_text_depends_on_quality(self):
        low = run_scene(self.CODE, quality="low_quality")
        [f] = low["findings"]
        self.assertEqual(f["kind"], "text_too_small")
        self.assertEqual(f["min_cap_px"], 7.0)
        self.assertGreater(f["min_font_size"], 10)
        high = run_scene(self.CODE, quality="high_quality")
        self.assertEqual(high["findings"], [])

    def test_scaled_down_text_is_measured_after_scaling(self):
        r = run_scene("""
            class S(Scene):
                def construct(self):
                    t = Text("shrinking", font_size=48)
                    self.add(t)
                    self.play(t.animate.scale(0.15))
            """)
        self.assertEqual(kinds(r), ["text_too_small"])


class ProbeFaults(unittest.TestCase):
    """A fault of the probe's own code never fails the render: it stops checking and says why."""

    BREAKS_PROBE = """
        class Label(Text):
            @property
            def tex_string(self):
                raise LookupError("a label has no TeX source")

        class S(Scene):
            def construct(self):
                a = Label("Left label").move_to(LEFT * 0.4)
                b = Text("Right label").move_to(RIGHT * 0.4)
                self.play(FadeIn(a), FadeIn(b))
                self.wait(0.3)
                self.play(FadeOut(a))
        """

    def test_a_scene_that_breaks_the_probe_runs_to_its_end_unchecked(self):
        r = run_scene(self.BREAKS_PROBE)
        self.assertIsNone(r["error"], "the scene itself finished")
        self.assertIn("LookupError: a label has no TeX source", r["probe_error"])
        self.assertIn("t2v_layout_geometry.py:", r["probe_error"])

    def test_after_a_fault_the_hooks_pass_through(self):
        path = os.path.join(WORK, "faults.py")
        with open(path, "w") as fh:
            fh.write("from manim import *\n" + textwrap.dedent(self.BREAKS_PROBE))
        spec = importlib.util.spec_from_file_location("faults", path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        out = os.path.join(WORK, "faults.json")
        probe = probe_mod.install(out, path)
        try:
            with tempconfig({"dry_run": True, "quality": "low_quality",
                             "disable_caching": True, "progress_bar": "none",
                             "media_dir": os.path.join(WORK, "media"),
                             "write_to_movie": False}):
                mod.S().render()
                samples = probe.reports[0]["samples"]
                mod.S().render()  # a second scene in the same process: not checked either
        finally:
            probe.uninstall()
        data = json.load(open(out))
        self.assertIn("LookupError", data["probe_error"])
        self.assertEqual([s["probe_error"] is not None for s in data["scenes"]], [True, True])
        self.assertEqual(data["scenes"][1]["samples"], 0, "no sampling after the fault")
        self.assertGreaterEqual(samples, 1)

    def test_a_complex_number_is_described_not_a_fault(self):
        r = run_scene("""
            class S(Scene):
                def construct(self):
                    n = DecimalNumber(complex(1, 2)).move_to(RIGHT * 7)
                    self.play(FadeIn(n))
            """)
        self.assertIsNone(r["probe_error"])
        [f] = r["findings"]
        self.assertEqual(f["kind"], "text_off_frame")
        self.assertEqual(f["text"], "1+2j")


class Launcher(unittest.TestCase):
    def test_runs_manims_cli_and_writes_json(self):
        d = tempfile.mkdtemp(dir=WORK)
        scene = os.path.join(d, "scene.py")
        with open(scene, "w") as fh:
            fh.write("from manim import *\nclass A(Scene):\n    def construct(self):\n"
                     "        self.play(FadeIn(Text('x' * 80)))\n"
                     "class B(Scene):\n    def construct(self):\n        self.wait()\n")
        out = os.path.join(d, "f.json")
        p = subprocess.run([sys.executable, os.path.join(PY, "t2v_layout_probe.py"),
                            "--findings", out, "--", "render", "-ql", "--dry_run",
                            "--media_dir", os.path.join(d, "media"), scene, "-a"],
                           cwd=d, stdin=subprocess.DEVNULL, capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stderr[-2000:])
        data = json.load(open(out))
        self.assertEqual([s["scene"] for s in data["scenes"]], ["A", "B"])
        self.assertEqual(kinds(data["scenes"][0]), ["text_off_frame"])
        self.assertEqual(data["scenes"][0]["findings"][0]["line"], 4)
        self.assertFalse(os.path.exists(os.path.join(d, "media", "videos", "scene", "480p15", "A.mp4")))

    def test_a_failing_scene_is_reported(self):
        d = tempfile.mkdtemp(dir=WORK)
        scene = os.path.join(d, "scene.py")
        with open(scene, "w") as fh:
            fh.write("from manim import *\nclass A(Scene):\n    def construct(self):\n"
                     "        self.play(FadeIn(Circle()))\n        raise NameError('boom')\n")
        out = os.path.join(d, "f.json")
        p = subprocess.run([sys.executable, os.path.join(PY, "t2v_layout_probe.py"),
                            "--findings", out, "--", "render", "-ql", "--dry_run",
                            "--media_dir", os.path.join(d, "media"), scene, "A"],
                           cwd=d, stdin=subprocess.DEVNULL, capture_output=True, text=True)
        self.assertNotEqual(p.returncode, 0)
        data = json.load(open(out))
        self.assertEqual(data["scenes"][0]["error"], "NameError: boom")
        self.assertIn("NameError", p.stderr)


if __name__ == "__main__":
    unittest.main()
