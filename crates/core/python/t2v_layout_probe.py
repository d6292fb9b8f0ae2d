"""Theory2Video's layout probe: runs inside the Manim process that renders a scene and reports
what the viewer would see go wrong, as JSON.

Two ways to use it:
- as a launcher: ``python t2v_layout_probe.py --findings OUT.json [--scene-file F] -- render
  -ql scene.py Scene1`` installs the hooks, then runs Manim's own command line with the rest of
  the arguments (the render is unchanged; nothing is rendered twice);
- as a function, in a process that already imported manim (a warm render worker's forked child):
  ``import t2v_layout_probe as p; p.install("OUT.json", scene_file="scene.py")``, then render;
  ``uninstall()`` puts Manim back.

It samples the scene after every ``play`` and ``wait`` (Manim counts both as animations), at the
midpoint of each animation (the first frame at or past half its run time, so updaters and
succession state are the real ones), and once more at the end. Findings (see README of the
crate, docs/performance.md "Layout check"):
- ``text_off_frame`` (error): a text partly outside the visible frame; wholly outside is staging.
- ``text_overlap`` (error): two texts with different content drawn over each other; a group and
  its members, the glyphs of one text, and a transform's source and target are never a pair.
- ``text_too_small`` (error): cap height below ``min_cap_px`` at the render's pixel height.
- ``off_frame`` (warning): any other visible mobject partly outside the frame.

A fault of the probe itself (an exception in its own code, say on a mobject it does not expect)
never fails the render: the probe stops checking, Manim goes on, and the report says why in
``probe_error`` (top level and per scene), so the scene counts as not checked.
"""

from __future__ import annotations

import json
import os
import sys
import time
import traceback

_HERE = os.path.dirname(os.path.abspath(__file__))
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

import t2v_layout_geometry as geo  # noqa: E402

VERSION = 1
_TEXT_LIMIT = 60


def _short(s: str) -> str:
    s = " ".join(s.split())
    return s if len(s) <= _TEXT_LIMIT else s[: _TEXT_LIMIT - 1] + "…"


class _SceneState:
    def __init__(self, scene, probe):
        self.scene = scene
        self.name = type(scene).__name__
        self.findings = {}
        self.samples = 0
        self.seconds = 0.0
        self.play_index = None
        self.play_start = 0.0
        self.mid_done = True
        self.parent = {}
        self.keep = []
        self.not_checked = {}
        self.error = None
        self.error_probe = None


class Probe:
    def __init__(self, findings_path, scene_file=None, draw=True):
        import manim

        self.manim = manim
        self.path = findings_path
        self.scene_file = os.path.abspath(scene_file) if scene_file else None
        self.kinds = geo.Kinds()
        self.reports = []
        self.states = {}
        self.originals = []
        self.draw = draw
        # Manim's `-a` loses a --tex_template after the first scene: the launcher re-applies it.
        self.tex_template = None
        # The probe's own fault, once one happened: from then on every hook passes through.
        self.failed = None

    def _fault(self, where, exc):
        """Records a fault of the probe's own code; the render goes on unchecked."""
        if self.failed is None:
            frames = traceback.extract_tb(exc.__traceback__)
            mine = [f for f in frames if os.path.dirname(os.path.abspath(f.filename)) == _HERE]
            at = f" at {os.path.basename(mine[-1].filename)}:{mine[-1].lineno}" if mine else ""
            self.failed = f"{where}: {type(exc).__name__}: {exc}{at}"
            for st in self.states.values():
                st.error_probe = self.failed

    # ---- hooks -------------------------------------------------------------------------
    def install(self):
        m = self.manim
        from manim.renderer.cairo_renderer import CairoRenderer

        probe = self
        mob_init = m.Mobject.__init__

        def init(mob, *a, **k):
            if probe.failed is None and "_t2v_line" not in mob.__dict__:
                try:
                    mob.__dict__["_t2v_line"] = probe._creating_line()
                except Exception as e:
                    probe._fault("noting where a mobject is made", e)
            mob_init(mob, *a, **k)

        scene_render = m.Scene.render

        def render(scene, *a, **k):
            st = _SceneState(scene, probe)
            st.error_probe = probe.failed
            probe.states[id(scene)] = st
            if probe.tex_template:
                m.config.tex_template_file = probe.tex_template
                m.config.tex_template = m.TexTemplate.from_file(probe.tex_template)
            try:
                return scene_render(scene, *a, **k)
            except BaseException as e:
                st.error = f"{type(e).__name__}: {e}"
                raise
            finally:
                if st.error is None:
                    probe._sample(st, "end", None)
                try:
                    probe._finish(st)
                except Exception as e:
                    probe._fault("writing the report", e)
                    try:
                        probe.write()
                    except Exception:
                        pass

        renderer_play = CairoRenderer.play

        def play(renderer, scene, *a, **k):
            st = probe.states.get(id(scene))
            if st is None or probe.failed is not None:
                return renderer_play(renderer, scene, *a, **k)
            st.play_index = renderer.num_plays
            st.play_start = renderer.time
            st.mid_done = False
            renderer_play(renderer, scene, *a, **k)
            st.mid_done = True
            probe._sample(st, "after", st.play_index + 1)

        update_to_time = m.Scene.update_to_time

        def update(scene, t):
            update_to_time(scene, t)
            st = probe.states.get(id(scene))
            if st is None or st.mid_done or probe.failed is not None:
                return
            try:
                due = t >= scene.duration / 2
            except Exception as e:
                probe._fault("timing the midpoint sample", e)
                return
            if due:
                st.mid_done = True
                probe._sample(st, "mid", st.play_index + 1, st.play_start + t)

        hooks = [
            (m.Mobject, "__init__", init),
            (m.Scene, "render", render),
            (CairoRenderer, "play", play),
            (m.Scene, "update_to_time", update),
        ]
        if not self.draw:
            # Geometry only (lint, corpus): frames are not drawn; time, updaters and every
            # animation step run as in a render. Drawing never moves a mobject.
            hooks.append((CairoRenderer, "update_frame", lambda *a, **k: None))
        for owner, name, new in hooks:
            self.originals.append((owner, name, owner.__dict__[name]))
            setattr(owner, name, new)
        return self

    def uninstall(self):
        for owner, name, old in reversed(self.originals):
            setattr(owner, name, old)
        self.originals.clear()

    def _creating_line(self):
        f = sys._getframe(2)
        target = self.scene_file
        while f is not None:
            if target is not None and f.f_code.co_filename == target:
                return f.f_lineno
            f = f.f_back
        return None

    # ---- sampling ----------------------------------------------------------------------
    def _frame(self, scene):
        cam = scene.camera
        c = cam.frame_center
        w, h = float(cam.frame_width), float(cam.frame_height)
        return [float(c[0]) - w / 2, float(c[1]) - h / 2, float(c[0]) + w / 2, float(c[1]) + h / 2]

    def _link_transforms(self, st, animations):
        m = self.manim
        stack = list(animations or [])
        while stack:
            a = stack.pop()
            subs = getattr(a, "animations", None)
            if subs:
                stack.extend(subs)
            if not (isinstance(a, m.Transform) or "Transform" in type(a).__name__):
                continue
            ends = []
            for attr in ("mobject", "target_mobject", "target_copy", "to_add", "to_remove",
                         "to_add_on_completion", "starting_mobject"):
                x = getattr(a, attr, None)
                if isinstance(x, m.Mobject):
                    ends.append(x)
            members = [f for e in ends for f in e.get_family()]
            if len(members) < 2:
                continue
            root = self._find(st, id(members[0]))
            st.keep.append(members)
            for f in members:
                r = self._find(st, id(f))
                if r != root:
                    st.parent[r] = root

    def _find(self, st, i):
        p = st.parent
        p.setdefault(i, i)
        while p[i] != i:
            p[i] = p[p[i]]
            i = p[i]
        return i

    def _changing(self, animations):
        """Ids of mobjects being introduced or removed by the running animations."""
        out = set()
        stack = list(animations or [])
        while stack:
            a = stack.pop()
            subs = getattr(a, "animations", None)
            if subs:
                stack.extend(subs)
            if getattr(a, "introducer", False) or getattr(a, "remover", False):
                mob = getattr(a, "mobject", None)
                if mob is not None:
                    out.update(id(f) for f in mob.get_family())
        return out

    def _sample(self, st, when, anim, t=None):
        if self.failed is not None:
            return
        started = time.perf_counter()
        try:
            self._check(st, when, anim, st.scene.renderer.time if t is None else t)
        except Exception as e:
            self._fault(f"checking the scene at {when} of animation {anim}", e)
        finally:
            st.samples += 1
            st.seconds += time.perf_counter() - started

    def _check(self, st, when, anim, t):
        scene = st.scene
        kinds = self.kinds
        animations = getattr(scene, "animations", None) if when != "end" else None
        if animations:
            self._link_transforms(st, animations)
        frame = self._frame(scene)
        px_h = int(self.manim.config.pixel_height)
        unit_px = px_h / (frame[3] - frame[1])
        tol = 1.0 / unit_px
        cam = scene.camera
        skip = {id(getattr(cam, "frame", None))}
        only = None
        fixed = getattr(cam, "fixed_in_frame_mobjects", None)
        if fixed is not None:
            only = {id(x) for x in fixed}
        units, skipped = geo.collect_units(
            list(scene.mobjects) + list(getattr(scene, "foreground_mobjects", [])),
            kinds, skip, only)
        for k, v in skipped.items():
            st.not_checked[k] = max(st.not_checked.get(k, 0), v)
        changing = self._changing(animations) if when == "mid" else set()
        texts = []
        for u in units:
            if u.box is None:
                continue
            moving = when == "mid" and id(u.mob) in changing
            over = None if moving else geo.overflow(u.box, frame, tol)
            if u.is_text:
                texts.append((u, moving))
                if over:
                    self._add(st, "text_off_frame", "error", u, t, anim, frame, overflow=over)
                if when != "mid":
                    self._size(st, u, t, anim, frame, unit_px, px_h)
            elif over and not geo.spans_frame(u.box, frame):
                self._add(st, "off_frame", "warning", u, t, anim, frame, overflow=over)
        self._overlaps(st, texts, t, anim, frame, tol)

    def _size(self, st, u, t, anim, frame, unit_px, px_h):
        fs = geo.font_size(u.mob, self.kinds)
        if fs is None:
            return
        size, per = fs
        cap = size * per * unit_px
        need = geo.min_cap_px(px_h)
        if cap < need and geo.overflow(u.box, frame, 0) is None and self._inside(u.box, frame):
            self._add(st, "text_too_small", "error", u, t, anim, frame,
                      cap_px=round(cap, 1), min_cap_px=round(need, 1),
                      font_size=round(size, 1),
                      min_font_size=int(-(-need // (per * unit_px))))

    @staticmethod
    def _inside(box, frame):
        return box[2] > frame[0] and box[0] < frame[2] and box[3] > frame[1] and box[1] < frame[3]

    def _overlaps(self, st, texts, t, anim, frame, tol):
        for i in range(len(texts)):
            a, am = texts[i]
            if not self._inside(a.box, frame):
                continue
            for j in range(i + 1, len(texts)):
                b, bm = texts[j]
                if am or bm or not geo.boxes_intersect(a.box, b.box, tol):
                    continue
                if geo.text_content(a.mob) == geo.text_content(b.mob):
                    continue
                if self._linked(st, a, b):
                    continue
                if geo.overlap_depth(a.leaf_boxes, b.leaf_boxes, tol) <= 0:
                    continue
                self._add(st, "text_overlap", "error", a, t, anim, frame, other=b)

    def _linked(self, st, a, b):
        if not st.parent:
            return False
        ra = {self._find(st, id(f)) for f in a.members if id(f) in st.parent}
        if not ra:
            return False
        return any(id(f) in st.parent and self._find(st, id(f)) in ra for f in b.members)

    # ---- findings ----------------------------------------------------------------------
    def _describe(self, mob):
        name = type(mob).__name__
        if isinstance(mob, self.kinds.text):
            return name, _short(geo.text_content(mob))
        return name, None

    def _add(self, st, kind, severity, u, t, anim, frame, other=None, **extra):
        key = (kind, id(u.mob), id(other.mob) if other is not None else None)
        score = max(extra.get("overflow", {"x": 0}).values()) if "overflow" in extra else 0
        old = st.findings.get(key)
        if old is not None:
            old["samples"] += 1
            if score <= old["_score"]:
                return
        mob_type, text = self._describe(u.mob)
        f = {
            "kind": kind,
            "severity": severity,
            "what": f'{mob_type} "{text}"' if text is not None else mob_type,
            "mobject": mob_type,
            "text": text,
            "box": [round(float(v), 3) for v in u.box],
            "frame": [round(v, 3) for v in frame],
            "t": round(float(t), 2),
            "first_t": old["first_t"] if old else round(float(t), 2),
            "animation": anim,
            "line": u.mob.__dict__.get("_t2v_line"),
            "samples": old["samples"] if old else 1,
            "_score": score,
        }
        if other is not None:
            o_type, o_text = self._describe(other.mob)
            f["other"] = {
                "what": f'{o_type} "{o_text}"' if o_text is not None else o_type,
                "box": [round(float(v), 3) for v in other.box],
                "line": other.mob.__dict__.get("_t2v_line"),
            }
        f.update(extra)
        st.findings[key] = f

    def _finish(self, st):
        self.states.pop(id(st.scene), None)
        findings = []
        for f in st.findings.values():
            f = dict(f)
            f.pop("_score", None)
            findings.append(f)
        findings.sort(key=lambda f: (f["severity"] != "error", f["first_t"]))
        not_checked = []
        if st.not_checked:
            parts = ", ".join(f"{n} {k}" for k, n in sorted(st.not_checked.items()))
            not_checked.append(
                f"3D scene: only mobjects fixed in the frame are checked; not checked: {parts}")
        self.reports.append({
            "scene": st.name,
            "file": self.scene_file,
            "pixel_height": int(self.manim.config.pixel_height),
            "samples": st.samples,
            "probe_seconds": round(st.seconds, 4),
            "not_checked": not_checked,
            "findings": findings,
            "error": st.error,
            "probe_error": st.error_probe,
        })
        self.write()

    def write(self):
        if not self.path:
            return
        data = {"version": VERSION, "scenes": self.reports, "probe_error": self.failed}
        tmp = f"{self.path}.{os.getpid()}.tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False)
        os.replace(tmp, self.path)


def install(findings_path, scene_file=None, draw=True):
    """Installs the probe's hooks in this (manim-importing) process and returns the Probe.

    `draw=False` (lint, the corpus) also stops Cairo drawing frames: only for dry runs."""
    return Probe(findings_path, scene_file, draw).install()


def write_failure(findings_path, reason):
    """The report of a probe that could not be installed: no scene checked, and why."""
    data = {"version": VERSION, "scenes": [], "probe_error": reason}
    tmp = f"{findings_path}.{os.getpid()}.tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False)
    os.replace(tmp, findings_path)


def _scene_file_from(args):
    for a in args:
        if a.endswith(".py") and os.path.exists(a):
            return a
    return None


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    findings = os.environ.get("T2V_LAYOUT_FINDINGS")
    scene_file = None
    draw = True
    while argv and argv[0] != "--":
        opt = argv.pop(0)
        if opt == "--findings" and argv:
            findings = argv.pop(0)
        elif opt == "--scene-file" and argv:
            scene_file = argv.pop(0)
        elif opt == "--no-draw":
            draw = False
        else:
            print(f"t2v_layout_probe: unknown option {opt!r}", file=sys.stderr)
            return 2
    if argv and argv[0] == "--":
        argv.pop(0)
    if not findings:
        print("t2v_layout_probe: --findings PATH (or T2V_LAYOUT_FINDINGS) is required",
              file=sys.stderr)
        return 2
    if not draw and "--dry_run" not in argv:
        print("t2v_layout_probe: --no-draw needs manim's --dry_run", file=sys.stderr)
        return 2
    try:
        probe = install(findings, scene_file or _scene_file_from(argv), draw)
        if "--tex_template" in argv[:-1]:
            probe.tex_template = argv[argv.index("--tex_template") + 1]
        probe.write()
    except Exception as e:
        # The probe's fault: Manim still renders, and the report says the scene is unchecked.
        print(f"t2v_layout_probe: not installed: {type(e).__name__}: {e}", file=sys.stderr)
        write_failure(findings, f"installing the probe: {type(e).__name__}: {e}")
    from manim.__main__ import main as manim_main

    try:
        manim_main(args=argv, prog_name="manim", standalone_mode=True)
    except SystemExit as e:
        return e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
