"""How good the layout probe is, measured on Manim's own documentation examples.

The examples ship inside the installed package as the bodies of ``.. manim:: ClassName``
directives in its docstrings: human-made layouts. Each example runs once, in this process, in
Manim's dry run (no video), with the probe installed; after its own ``construct`` four defects are
appended, one after another (each removed before the next):

1. ``caption_off_frame``: a caption centred on the frame's right edge;
2. ``labels_overlap``: two different labels drawn over each other;
3. ``tiny_caption``: a caption at font size 8 (of a frame 8 units high);
4. ``caption_off_then_faded``: a caption over the left edge for one second, then faded out.

Positions and sizes follow the camera's frame (a MovingCameraScene may have zoomed). The findings
before the first defect are the example's own; a defect is caught when the probe reports it with
the expected kind. ``--cost N`` also renders N animated examples for real (-ql video) with the probe
off and on, alternating, and reports the time ratio.

Usage: python t2v_layout_corpus.py --out REPORT.json [--limit N] [--quality low_quality]
       [--tex-template FILE] [--cost N] [--work DIR] [--only NAME,NAME] [--shard I/N]
       python t2v_layout_corpus.py --merge OUT.json PART.json... (sums shards' reports)
"""

from __future__ import annotations

import argparse
import importlib.util
import inspect
import json
import os
import pkgutil
import re
import signal
import sys
import tempfile
import textwrap
import time

_HERE = os.path.dirname(os.path.abspath(__file__))
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

DIRECTIVE = re.compile(r"^(\s*)\.\. manim::\s*(\w+)\s*$")
DEFECTS = ("caption_off_frame", "labels_overlap", "tiny_caption", "caption_off_then_faded")
INJECTED = {
    "caption_off_frame": "Injected caption that runs off the edge",
    "label_a": "Injected label A",
    "label_b": "Injected label B",
    "tiny_caption": "Injected tiny caption",
    "caption_off_then_faded": "Injected passing caption",
}


def parse_examples(doc: str):
    """(name, code, still) for each ``.. manim::`` directive in a docstring."""
    out = []
    lines = doc.expandtabs().splitlines()
    i = 0
    while i < len(lines):
        m = DIRECTIVE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, name = len(m.group(1)), m.group(2)
        i += 1
        opts = []
        while i < len(lines) and lines[i].strip().startswith(":"):
            opts.append(lines[i].strip())
            i += 1
        body = []
        while i < len(lines):
            ln = lines[i]
            if ln.strip() and len(ln) - len(ln.lstrip()) <= indent:
                break
            body.append(ln)
            i += 1
        code = textwrap.dedent("\n".join(body)).strip("\n")
        if code:
            still = any(o.startswith(":save_last_frame:") for o in opts)
            out.append((name, code, still))
    return out


def collect():
    """Every documentation example of the installed Manim, once per class name."""
    import manim

    found = {}

    def take(doc, where):
        if not doc or ".. manim::" not in doc:
            return
        for name, code, still in parse_examples(inspect.cleandoc(doc) if doc[:1] != "\n" else doc):
            found.setdefault(name, {"name": name, "code": code, "still": still, "where": where})

    mods = [manim]
    for info in pkgutil.walk_packages(manim.__path__, "manim."):
        if ".opengl" in info.name or info.name.endswith("__main__"):
            continue
        try:
            mods.append(importlib.import_module(info.name))
        except Exception:
            continue
    for mod in mods:
        take(mod.__doc__, mod.__name__)
        for _, obj in inspect.getmembers(mod):
            if getattr(obj, "__module__", None) != mod.__name__:
                continue
            take(getattr(obj, "__doc__", None), f"{mod.__name__}.{getattr(obj, '__name__', '')}")
            if inspect.isclass(obj):
                for _, fn in inspect.getmembers(obj):
                    if getattr(fn, "__module__", None) == mod.__name__:
                        take(getattr(fn, "__doc__", None), mod.__name__)
    return sorted(found.values(), key=lambda e: e["name"])


def inject(scene):
    """The four defects, after the example's own construct, relative to the camera's frame."""
    from manim import FadeIn, FadeOut, Text, DOWN, LEFT, RIGHT, UP
    import numpy as np

    cam = scene.camera
    c = np.array(cam.frame_center, dtype=float)
    w, h = float(cam.frame_width), float(cam.frame_height)
    s = h / 8.0
    scene.wait(0.1)  # the example's own final state is sampled here
    scene.mark = scene.renderer.time
    cap = Text(INJECTED["caption_off_frame"], font_size=40 * s).move_to(
        c + RIGHT * (w / 2) + DOWN * (h * 0.3))
    scene.play(FadeIn(cap))
    scene.wait(0.5)
    scene.remove(cap)
    a = Text(INJECTED["label_a"], font_size=36 * s).move_to(c + UP * (h * 0.3))
    b = Text(INJECTED["label_b"], font_size=36 * s).move_to(a).shift(s * (0.1 * DOWN + 0.2 * RIGHT))
    scene.play(FadeIn(a), FadeIn(b))
    scene.wait(0.5)
    scene.remove(a, b)
    t = Text(INJECTED["tiny_caption"], font_size=8 * s).move_to(c + DOWN * (h * 0.4))
    scene.play(FadeIn(t))
    scene.wait(0.5)
    scene.remove(t)
    d = Text(INJECTED["caption_off_then_faded"], font_size=36 * s).move_to(
        c + LEFT * (w / 2) + UP * (h * 0.1))
    scene.add(d)
    scene.wait(1)
    scene.play(FadeOut(d))


def _is_injected(text):
    return text is not None and text.startswith("Injected ")


def judge(report, mark):
    """Splits one scene report into the example's own findings and the defects caught."""
    own = []
    caught = {d: False for d in DEFECTS}
    for f in report["findings"]:
        texts = [f.get("text")]
        if "other" in f:
            texts.append(f["other"]["what"].split('"')[1] if '"' in f["other"]["what"] else None)
        inj = [x for x in texts if _is_injected(x)]
        if not inj:
            if mark is None or f["first_t"] <= mark + 1e-6:
                own.append(f)
            continue
        k = f["kind"]
        if k == "text_off_frame" and INJECTED["caption_off_frame"] in inj:
            caught["caption_off_frame"] = True
        if k == "text_off_frame" and INJECTED["caption_off_then_faded"] in inj:
            caught["caption_off_then_faded"] = True
        if k == "text_too_small" and INJECTED["tiny_caption"] in inj:
            caught["tiny_caption"] = True
        if k == "text_overlap" and INJECTED["label_a"] in inj and INJECTED["label_b"] in inj:
            caught["labels_overlap"] = True
    return own, caught


class _Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise _Timeout()


def load_class(ex, work):
    path = os.path.join(work, f"ex_{ex['name']}.py")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("from manim import *\n" + ex["code"] + "\n")
    spec = importlib.util.spec_from_file_location(f"t2v_ex_{ex['name']}", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return getattr(mod, ex["name"]), path


def run_one(ex, probe, opts, work, timeout):
    from manim import tempconfig, ThreeDScene

    result = {"name": ex["name"], "still": ex["still"], "where": ex["where"]}
    started = time.perf_counter()
    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(timeout)
    try:
        cls, path = load_class(ex, work)
        result["three_d"] = issubclass(cls, ThreeDScene)
        probe.scene_file = os.path.abspath(path)

        def construct(self, _base=cls.construct):
            _base(self)
            if not result["three_d"]:
                inject(self)

        injected = type(ex["name"], (cls,), {"construct": construct})
        with tempconfig(opts):
            scene = injected()
            before = len(probe.reports)
            scene.render()
        rep = probe.reports[before]
        result["error"] = rep["error"]
        own, caught = judge(rep, getattr(scene, "mark", None))
        result["errors"] = [f for f in own if f["severity"] == "error"]
        result["warnings"] = [f for f in own if f["severity"] == "warning"]
        result["caught"] = caught if not result["three_d"] else None
        result["not_checked"] = rep["not_checked"]
        result["samples"] = rep["samples"]
        result["probe_seconds"] = rep["probe_seconds"]
    except _Timeout:
        result["error"] = f"timed out after {timeout} s"
    except BaseException as e:  # an example that needs a file or package we do not have
        result["error"] = f"{type(e).__name__}: {str(e)[:200]}"
    finally:
        signal.alarm(0)
    result["seconds"] = round(time.perf_counter() - started, 3)
    return result


def cost(examples, probe_mod, opts, work, n, repeats=1):
    """Real -ql renders of `n` animated examples, probe off then on, alternating."""
    from manim import tempconfig

    picked = [e for e in examples if not e["still"]][:n]
    times = {"off": 0.0, "on": 0.0}
    done = []
    for ex in picked:
        try:
            cls, path = load_class(ex, work)
        except Exception:
            continue
        pair = {"off": 0.0, "on": 0.0}
        try:
            for _ in range(repeats):
                for mode in ("off", "on"):
                    probe = probe_mod.install(None, path) if mode == "on" else None
                    o = dict(opts, dry_run=False, media_dir=os.path.join(work, "media-" + mode))
                    t0 = time.perf_counter()
                    try:
                        with tempconfig(o):
                            cls().render()
                    finally:
                        if probe is not None:
                            probe.uninstall()
                    pair[mode] += time.perf_counter() - t0
        except Exception:
            continue
        times["off"] += pair["off"]
        times["on"] += pair["on"]
        done.append({"name": ex["name"], "off": round(pair["off"] / repeats, 3),
                     "on": round(pair["on"] / repeats, 3)})
    ratio = times["on"] / times["off"] if times["off"] else None
    return {"scenes": done, "repeats": repeats, "off_seconds": round(times["off"], 3),
            "on_seconds": round(times["on"], 3), "ratio": ratio}


def summarize(results):
    ran = [r for r in results if not r.get("error")]
    two_d = [r for r in ran if not r.get("three_d")]
    flagged = [r for r in two_d if r["errors"]]
    defects = {d: [0, 0] for d in DEFECTS}
    for r in two_d:
        for d, ok in (r.get("caught") or {}).items():
            defects[d][1] += 1
            defects[d][0] += 1 if ok else 0
    caught = sum(v[0] for v in defects.values())
    total = sum(v[1] for v in defects.values())
    return {
        "examples": len(results),
        "ran": len(ran),
        "failed_to_run": len(results) - len(ran),
        "two_d": len(two_d),
        "two_d_animated": sum(1 for r in two_d if not r["still"]),
        "three_d": sum(1 for r in ran if r.get("three_d")),
        "two_d_flagged": len(flagged),
        "flagged_rate": (len(flagged) / len(two_d)) if two_d else None,
        "flagged": sorted(r["name"] for r in flagged),
        "with_warnings": sum(1 for r in two_d if r["warnings"]),
        "defects": {d: {"caught": v[0], "injected": v[1]} for d, v in defects.items()},
        "caught_rate": (caught / total) if total else None,
        "probe_seconds": round(sum(r.get("probe_seconds", 0) for r in ran), 3),
        "run_seconds": round(sum(r["seconds"] for r in ran), 3),
    }


def merge(out, parts):
    results = []
    cost_part = None
    for p in parts:
        with open(p, encoding="utf-8") as fh:
            r = json.load(fh)
        results.extend(r["results"])
        cost_part = r.get("cost") or cost_part
    results.sort(key=lambda r: r["name"])
    report = {"summary": summarize(results), "results": results}
    if cost_part:
        report["cost"] = cost_part
    with open(out, "w", encoding="utf-8") as fh:
        json.dump(report, fh, ensure_ascii=False, indent=1)
    print(json.dumps(report["summary"]))
    return 0


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "--merge":
        return merge(argv[1], argv[2:])
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--only", default="")
    ap.add_argument("--shard", default="0/1", help="I/N: every N-th example from the I-th")
    ap.add_argument("--quality", default="low_quality")
    ap.add_argument("--tex-template", default=None)
    ap.add_argument("--cost", type=int, default=0)
    ap.add_argument("--timeout", type=int, default=120)
    ap.add_argument("--work", default=None)
    a = ap.parse_args(argv)
    a.out = os.path.abspath(a.out)
    if a.tex_template:
        a.tex_template = os.path.abspath(a.tex_template)
    work = a.work or tempfile.mkdtemp(prefix="t2v-corpus-")
    os.makedirs(work, exist_ok=True)
    os.chdir(work)
    import manim
    import t2v_layout_probe as probe_mod

    manim.logger.setLevel("ERROR")
    examples = collect()
    if a.only:
        keep = set(a.only.split(","))
        examples = [e for e in examples if e["name"] in keep]
    if a.limit:
        examples = examples[: a.limit]
    shard, shards = (int(x) for x in a.shard.split("/"))
    examples = examples[shard::shards]
    opts = {"dry_run": True, "quality": a.quality, "disable_caching": True,
            "media_dir": os.path.join(work, "media"), "progress_bar": "none",
            "verbosity": "ERROR", "write_to_movie": False}
    if a.tex_template:
        # Set once, globally: a tempconfig key does not replace an already loaded template.
        manim.config.tex_template_file = a.tex_template
    probe = probe_mod.install(None, draw=False)
    results = []
    for ex in examples:
        r = run_one(ex, probe, opts, work, a.timeout)
        results.append(r)
        print(json.dumps({"example": r["name"], "error": r.get("error"),
                          "errors": len(r.get("errors") or []),
                          "caught": r.get("caught")}), file=sys.stderr, flush=True)
    probe.uninstall()
    report = {"summary": summarize(results), "results": results}
    if a.cost:
        report["cost"] = cost(examples, probe_mod, dict(opts), work, a.cost)
    with open(a.out, "w", encoding="utf-8") as fh:
        json.dump(report, fh, ensure_ascii=False, indent=1)
    print(json.dumps(report["summary"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
