"""Theory2Video warm render worker (issue 12).

Started by the app inside the same bubblewrap profile as a cold render, as
``python t2v_render_worker.py t2v-render-worker <writable dirs...>`` (the app writes this file
to ``<data dir>/python/`` and binds it read-only). It imports Manim once, then reads
one JSON request per line on stdin (its control channel) and answers with one JSON event per line
on its stdout. Each render runs in a fresh child forked from this warm process (copy-on-write):
the child starts its own session and process group, sets its address-space limit, gets stdin
from /dev/null, chdirs to the scene's work dir and runs ``manim render ...`` through Manim's own
command line entry point, exactly as ``python -m manim render ...`` would.

Requests:
  {"op": "render", "id": N, "cwd": DIR, "args": [...manim args...], "env": {...},
   "memory_limit": BYTES, "probe": null | {"module": PATH, "findings": PATH, "scene_file": PATH}}
  With a probe, the child runs the scene under the layout probe (issue 11) exactly as the cold
  path's launcher does: ``module`` (t2v_layout_probe.py) is imported once in this worker, before
  the fork, and each child calls its ``install(findings, scene_file=...)``. A probe that cannot be
  loaded or installed never stops the render: the child writes a report saying why (its
  ``probe_error``) and renders unchecked.
  {"op": "kill", "id": N}          SIGKILL to the child's whole process group
  {"op": "exit"} or end of stdin   kill every child and leave
Events:
  {"event": "ready", "pid": P, "import_secs": S}
  {"event": "started", "id": N, "pid": P}
  {"event": "stderr", "id": N, "text": "..."}     the child's stderr, in order
  {"event": "exit", "id": N, "status": RAW}       raw waitpid status (signal deaths included)
  {"event": "error", "id": N, "message": "..."}   the request could not start a child

A crash, kill or memory error ends that child only. Processes a scene leaves behind (a daemon that
escaped with setsid and a double fork) are re-parented to this worker (a child subreaper) and
killed at once.
"""

import codecs
import ctypes
import json
import os
import resource
import selectors
import signal
import sys
import time
import traceback

PR_SET_PDEATHSIG = 1
PR_SET_DUMPABLE = 4
PR_SET_CHILD_SUBREAPER = 36


class Child:
    def __init__(self, rid, pid, err_fd, pidfd):
        self.rid = rid
        self.pid = pid
        self.err_fd = err_fd
        self.pidfd = pidfd
        self.decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")


class Worker:
    def __init__(self, proto, libc):
        self.proto = proto
        self.libc = libc
        self.me = os.getpid()
        self.children = {}  # pid -> Child
        self.by_id = {}  # request id -> Child
        self.sel = selectors.DefaultSelector()
        self.inbuf = b""
        # File descriptors the imported libraries hold: a child keeps these, and closes every
        # other one (the control pipes, other scenes' stderr pipes, the selector).
        self.library_fds = set()
        # The layout probe's module by path, loaded once here (or why it could not be).
        self.probes = {}

    def send(self, event):
        self.proto.write(json.dumps(event) + "\n")
        self.proto.flush()

    # ---- the control channel -------------------------------------------------------------
    def on_stdin(self):
        data = os.read(0, 65536)
        if not data:
            self.shutdown()
        self.inbuf += data
        while b"\n" in self.inbuf:
            line, self.inbuf = self.inbuf.split(b"\n", 1)
            if line.strip():
                self.handle(json.loads(line))

    def handle(self, req):
        op = req.get("op")
        if op == "render":
            try:
                self.start(req)
            except Exception as e:  # fork failed (EAGAIN, ENOMEM): that request only
                self.send({"event": "error", "id": req.get("id"), "message": repr(e)})
        elif op == "kill":
            child = self.by_id.get(req.get("id"))
            if child is not None:
                kill_group(child.pid)
        elif op == "exit":
            self.shutdown()

    # ---- one render --------------------------------------------------------------------------
    def probe_module(self, path):
        """The probe module at `path`, imported in this worker before any fork, or the reason
        it could not be (a string): loaded once, so every child shares the import."""
        if path not in self.probes:
            try:
                self.probes[path] = load_module(path)
            except BaseException as e:  # a broken or missing probe file: renders go unchecked
                self.probes[path] = f"loading the probe: {type(e).__name__}: {e}"
        return self.probes[path]

    def start(self, req):
        rid = req["id"]
        probe = req.get("probe")
        module = self.probe_module(probe["module"]) if probe else None
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(r)
            run_child(req, module, w, self.me, self.library_fds, self.libc)  # never returns
        os.close(w)
        os.set_blocking(r, False)
        pidfd = os.pidfd_open(pid)
        child = Child(rid, pid, r, pidfd)
        self.children[pid] = child
        self.by_id[rid] = child
        self.sel.register(r, selectors.EVENT_READ, ("err", child))
        self.sel.register(pidfd, selectors.EVENT_READ, ("exit", child))
        self.send({"event": "started", "id": rid, "pid": pid})

    def on_err(self, child):
        try:
            data = os.read(child.err_fd, 65536)
        except BlockingIOError:
            return
        if data:
            self.send_text(child, data)
        else:
            self.sel.unregister(child.err_fd)
            os.close(child.err_fd)
            child.err_fd = None

    def send_text(self, child, data, final=False):
        text = child.decoder.decode(data, final)
        if text:
            self.send({"event": "stderr", "id": child.rid, "text": text})

    def on_exit(self, child):
        # The child is a zombie now (not reaped yet), so its group id cannot be reused: kill what
        # is left of its group, relay the stderr still in the pipe, then reap and report.
        kill_group(child.pid)
        if child.err_fd is not None:
            self.sel.unregister(child.err_fd)
            while True:
                try:
                    data = os.read(child.err_fd, 65536)
                except BlockingIOError:
                    break
                if not data:
                    break
                self.send_text(child, data)
            os.close(child.err_fd)
            child.err_fd = None
        self.send_text(child, b"", final=True)
        self.sel.unregister(child.pidfd)
        os.close(child.pidfd)
        _, status = os.waitpid(child.pid, 0)
        del self.children[child.pid]
        self.by_id.pop(child.rid, None)
        self.sweep()
        self.send({"event": "exit", "id": child.rid, "status": status})

    def sweep(self):
        """Kills every process re-parented to this worker that is not a render child."""
        for _ in range(100):
            found = False
            for pid in orphans(self.me, self.children):
                found = True
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                try:
                    os.waitpid(pid, os.WNOHANG)
                except ChildProcessError:
                    pass
            if not found:
                return
            time.sleep(0.005)

    def shutdown(self):
        for pid in list(self.children):
            kill_group(pid)
        for pid in list(self.children):
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
        self.children.clear()
        self.sweep()
        os._exit(0)

    def loop(self):
        self.sel.register(0, selectors.EVENT_READ, ("ctl", None))
        while True:
            timeout = 0.2 if self.children else 2.0
            for key, _ in self.sel.select(timeout):
                kind, child = key.data
                if kind == "ctl":
                    self.on_stdin()
                elif kind == "err":
                    if child.err_fd is not None:
                        self.on_err(child)
                elif kind == "exit":
                    if child.pid in self.children:
                        self.on_exit(child)
            self.sweep()


def kill_group(pid):
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def orphans(me, children):
    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        pid = int(name)
        if pid in children or pid == me:
            continue
        try:
            with open("/proc/%d/stat" % pid, "rb") as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat.rsplit(b")", 1)[-1].split()
        if len(fields) > 1 and int(fields[1]) == me:
            found.append(pid)
    return found


def run_child(req, probe_module, err_w, worker_pid, library_fds, libc):
    """In the forked child: isolate, limit, run manim's CLI, exit with its code."""
    code = 70
    try:
        os.setsid()
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != worker_pid:
            os._exit(137)
        for sig in (signal.SIGCHLD, signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, signal.SIG_DFL)
        limit = int(req.get("memory_limit") or 0)
        if limit > 0:
            _, hard = resource.getrlimit(resource.RLIMIT_AS)
            if hard != resource.RLIM_INFINITY:
                limit = min(limit, hard)
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        null = os.open("/dev/null", os.O_RDWR)
        os.dup2(null, 0)
        os.dup2(null, 1)
        os.dup2(err_w, 2)
        for name in os.listdir("/proc/self/fd"):
            fd = int(name)
            if fd > 2 and fd not in library_fds:
                try:
                    os.close(fd)
                except OSError:
                    pass
        os.chdir(req["cwd"])
        os.environ.update(req.get("env") or {})
        probe = req.get("probe")
        if probe:
            install_probe(probe, probe_module)
        from manim.__main__ import main as manim_main

        args = list(req["args"])
        sys.argv = ["manim"] + args
        try:
            manim_main(args=args, prog_name="manim", standalone_mode=True)
            code = 0
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    except BaseException:
        try:
            traceback.print_exc()
        except BaseException:
            pass
        code = 1
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except BaseException:
                pass
        os._exit(code)


def load_module(path):
    import importlib.util

    name = os.path.splitext(os.path.basename(path))[0]
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"no module at {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    return module


def install_probe(probe, module):
    """In the child: the layout probe's hooks, as the cold path's launcher installs them. A fault
    of the probe leaves a report saying why, and the scene renders unchecked."""
    findings = probe["findings"]
    try:
        if isinstance(module, str):
            raise RuntimeError(module)
        module.install(findings, scene_file=probe.get("scene_file")).write()
    except BaseException as e:
        reason = str(e) if isinstance(module, str) else f"installing the probe: {type(e).__name__}: {e}"
        print(f"t2v_render_worker: layout probe not installed: {reason}", file=sys.stderr)
        data = {"version": 1, "scenes": [], "probe_error": reason}
        with open(findings, "w", encoding="utf-8") as fh:
            json.dump(data, fh)


def main():
    # The protocol gets its own copy of stdout; fd 1 itself goes to /dev/null so that nothing a
    # library prints can corrupt the event stream.
    proto = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
    null = os.open("/dev/null", os.O_WRONLY)
    os.dup2(null, 1)
    os.close(null)
    libc = ctypes.CDLL(None, use_errno=True)
    # Same-user processes (the scenes) can neither ptrace this worker nor open its /proc files.
    libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    t0 = time.monotonic()
    import manim  # noqa: F401
    import manim.__main__  # noqa: F401

    import_secs = time.monotonic() - t0
    library_fds = set()
    for name in os.listdir("/proc/self/fd"):
        fd = int(name)
        if fd > 2 and fd != proto.fileno():
            try:
                os.fstat(fd)  # the listing's own fd is closed by now
                library_fds.add(fd)
            except OSError:
                pass
    worker = Worker(proto, libc)
    worker.library_fds = library_fds
    worker.send({"event": "ready", "pid": worker.me, "import_secs": import_secs})
    try:
        worker.loop()
    except BrokenPipeError:
        worker.shutdown()


if __name__ == "__main__":
    main()
