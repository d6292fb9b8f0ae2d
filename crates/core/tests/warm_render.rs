//! Warm renders (issue 12) through the real sandbox and real Manim: a worker that imported Manim
//! once forks a child per scene. A crash, a timeout or a memory kill ends that scene only; cancel
//! leaves no process; with the worker gone or warm renders off, scenes still render (cold).
#![cfg(unix)]

mod common;
use common::*;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use t2v_core::job::Quality;
use t2v_core::paths::DataDir;
use t2v_core::render::manim::RenderWork;
use t2v_core::render::warm::{RenderMode, WarmLease};
use t2v_core::render::{RenderSettings, Renderer};
use t2v_core::{CancellationToken, Error};

const OK_SCENE: &str = "from manim import *\n\nclass Ok1(Scene):\n    def construct(self):\n        self.play(Create(Square()))\n        self.wait(0.3)\n";

struct Bed {
    _tmp: tempfile::TempDir,
    root: PathBuf,
    renderer: Renderer,
}

fn bed(tune: impl FnOnce(&mut RenderSettings)) -> Bed {
    use_shared_venv();
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("data");
    let data = DataDir::at(&root).unwrap();
    let mut settings = RenderSettings::default();
    tune(&mut settings);
    let renderer = Renderer::detect(&data, &settings).unwrap();
    Bed {
        _tmp: tmp,
        root,
        renderer,
    }
}

impl Bed {
    fn work(&self, i: u32) -> PathBuf {
        self.root.join(format!("cache/t/scenes/{i:02}/work"))
    }
    fn lease(&self, n: u32) -> WarmLease {
        let dirs = (1..=n).map(|i| self.work(i)).collect();
        self.renderer.warm.lease(&self.renderer, dirs)
    }
    fn needle(&self) -> String {
        self.root.to_string_lossy().into_owned()
    }
    /// Renders `code`'s class `class` as scene `i` through `lease`.
    async fn render(
        &self,
        lease: Option<&WarmLease>,
        i: u32,
        class: &str,
        code: &str,
        cancel: &CancellationToken,
    ) -> (
        t2v_core::Result<t2v_core::render::manim::SceneRender>,
        PathBuf,
    ) {
        let dir = self.root.join(format!("code/{i:02}"));
        std::fs::create_dir_all(&dir).unwrap();
        let work = RenderWork::new(&self.work(i), code).unwrap();
        let out = self.root.join(format!("out/{i:02}.mp4"));
        let log = dir.join("render.log");
        let r = self
            .renderer
            .render_scene_with(
                lease,
                &work,
                class,
                Quality::Preview,
                &out,
                cancel,
                &log,
                &mut |_, _| {},
            )
            .await;
        (r, out)
    }
}

fn scene(class: &str, body: &str) -> String {
    let body: String = body.lines().map(|l| format!("        {l}\n")).collect();
    format!("from manim import *\nimport os, time, ctypes\n\nclass {class}(Scene):\n    def construct(self):\n        self.add(Square())\n{body}        self.wait(0.2)\n")
}

fn assert_video(p: &Path) {
    let len = std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    assert!(len > 1000, "no video at {}", p.display());
}

fn sandbox_on() {
    assert!(
        t2v_core::render::sandbox::Sandbox::detect(true).is_on(),
        "bubblewrap is required for this test"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crashing_scene_ends_only_itself_and_the_worker_survives() {
    sandbox_on();
    let b = bed(|_| {});
    let lease = b.lease(4);
    let pid = lease.worker_pid().expect("a warm worker");
    let cancel = CancellationToken::new();
    let segv = scene("Segv", "ctypes.string_at(0)\n");
    let exit = scene("Quit", "os._exit(3)\n");
    let ((r1, o1), (r2, _), (r3, _), (r4, o4)) = tokio::join!(
        b.render(Some(&lease), 1, "Ok1", OK_SCENE, &cancel),
        b.render(Some(&lease), 2, "Segv", &segv, &cancel),
        b.render(Some(&lease), 3, "Quit", &exit, &cancel),
        b.render(Some(&lease), 4, "Ok1", OK_SCENE, &cancel),
    );
    r1.unwrap().unwrap();
    r4.unwrap().unwrap();
    assert_video(&o1);
    assert_video(&o4);
    let segv = r2.unwrap().unwrap_err();
    assert!(segv.last_line.contains("signal: 11"), "{segv:?}");
    let quit = r3.unwrap().unwrap_err();
    assert!(quit.last_line.contains("exit status: 3"), "{quit:?}");
    // Same worker afterwards, and it still renders; nothing fell back to cold.
    assert_eq!(lease.worker_pid(), Some(pid));
    let (r, o) = b.render(Some(&lease), 2, "Ok1", OK_SCENE, &cancel).await;
    r.unwrap().unwrap();
    assert_video(&o);
    assert_eq!(lease.take_notes(), Vec::<String>::new());
    assert!(procs::warm_children(&b.needle()).is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_timeout_and_the_memory_limit_apply_through_the_warm_path() {
    sandbox_on();
    let mut b = bed(|s| s.memory_limit_mb = 1536);
    b.renderer.scene_timeout = Duration::from_secs(10);
    let lease = b.lease(2);
    let pid = lease.worker_pid().expect("a warm worker");
    let cancel = CancellationToken::new();
    let spin = scene("Spin", "while True:\n    pass\n");
    let hog = scene(
        "Hog",
        "blocks = []\nfor i in range(96):\n    blocks.append(bytearray(64 << 20))\n",
    );
    // The clock of a warm render starts again when its child is forked: time from a ready worker.
    wait_ready(&lease).await;
    let t = Instant::now();
    let (spun, _) = b.render(Some(&lease), 1, "Spin", &spin, &cancel).await;
    let secs = t.elapsed().as_secs_f64();
    eprintln!("timeout hit after {secs:.1} s");
    let spun = spun.unwrap().unwrap_err();
    assert!(spun.last_line.contains("longer than 10 s"), "{spun:?}");
    assert!((10.0..13.0).contains(&secs), "the timeout took {secs:.1} s");
    b.renderer.scene_timeout = Duration::from_secs(300);
    let (hogged, _) = b.render(Some(&lease), 2, "Hog", &hog, &cancel).await;
    let hogged = hogged.unwrap().unwrap_err();
    assert!(hogged.last_line.contains("MemoryError"), "{hogged:?}");
    assert_eq!(lease.worker_pid(), Some(pid), "the worker died");
    assert!(wait_children_gone(&b.needle()).is_empty());
    let (r, o) = b.render(Some(&lease), 1, "Ok1", OK_SCENE, &cancel).await;
    r.unwrap().unwrap();
    assert_video(&o);
}

async fn wait_ready(lease: &WarmLease) {
    let deadline = Instant::now() + Duration::from_secs(120);
    while lease.import_secs().is_none() {
        assert!(Instant::now() < deadline, "the worker never got ready");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn wait_children_gone(needle: &str) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(2);
    loop {
        let left = procs::warm_children(needle);
        if left.is_empty() || Instant::now() > deadline {
            return left.iter().map(ToString::to_string).collect();
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_during_warm_renders_leaves_no_process() {
    sandbox_on();
    let b = bed(|_| {});
    let lease = b.lease(2);
    let needle = b.needle();
    // Each scene also leaves a daemon that escaped its group and session (setsid, double fork).
    let slow = scene(
        "Slow",
        "if os.fork() == 0:\n    os.setsid()\n    if os.fork() == 0:\n        time.sleep(120)\n    os._exit(0)\ntime.sleep(120)\n",
    );
    let cancel = CancellationToken::new();
    let c2 = cancel.clone();
    let watcher = {
        let needle = needle.clone();
        tokio::spawn(async move {
            let deadline = Instant::now() + Duration::from_secs(120);
            while procs::warm_children(&needle).len() < 2 {
                assert!(Instant::now() < deadline, "the renders never started");
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            // Let construct() start (manim's own set-up happens first).
            tokio::time::sleep(Duration::from_millis(1500)).await;
            let t = Instant::now();
            c2.cancel();
            t
        })
    };
    let ((r1, _), (r2, _)) = tokio::join!(
        b.render(Some(&lease), 1, "Slow", &slow, &cancel),
        b.render(Some(&lease), 2, "Slow", &slow, &cancel),
    );
    let cancelled_at = watcher.await.unwrap();
    let took = cancelled_at.elapsed();
    eprintln!("cancel took {} ms", took.as_millis());
    assert!(matches!(r1, Err(Error::Cancelled)), "{r1:?}");
    assert!(matches!(r2, Err(Error::Cancelled)), "{r2:?}");
    assert!(took < Duration::from_secs(1), "cancel took {took:?}");
    // The worker lives on; nothing it forked does.
    assert!(lease.worker_pid().is_some());
    let left = wait_children_gone(&needle);
    assert!(left.is_empty(), "left over: {left:?}");
    // A cancelled job's worker is not kept: dropping the lease ends it and its sandbox.
    drop(lease);
    assert!(b.renderer.warm.idle_pid().is_none());
    let left = procs::wait_gone(&needle, std::time::Duration::from_secs(5));
    assert!(left.is_empty(), "left over: {left:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_worker_scenes_render_cold() {
    sandbox_on();
    let b = bed(|_| {});
    let cancel = CancellationToken::new();
    // The worker dies before the render: the scene renders cold, and the lease says so.
    let lease = b.lease(1);
    lease.kill_worker();
    let (r, o) = b.render(Some(&lease), 1, "Ok1", OK_SCENE, &cancel).await;
    r.unwrap().unwrap();
    assert_video(&o);
    let notes = lease.take_notes().join("\n");
    assert!(notes.contains("rendered cold instead"), "{notes}");
    // Warm renders off in the settings: no worker at all, cold renders.
    let cold = bed(|s| s.render_mode = RenderMode::Cold);
    let lease = cold.lease(1);
    assert!(lease.worker_pid().is_none());
    assert!(lease
        .take_notes()
        .join("\n")
        .contains("cold renders chosen"));
    let (r, o) = cold.render(Some(&lease), 1, "Ok1", OK_SCENE, &cancel).await;
    r.unwrap().unwrap();
    assert_video(&o);
    // A work dir the worker may not write: cold, with a note.
    let lease = b.lease(1);
    let (r, o) = b.render(Some(&lease), 2, "Ok1", OK_SCENE, &cancel).await;
    r.unwrap().unwrap();
    assert_video(&o);
    assert!(lease
        .take_notes()
        .join("\n")
        .contains("not one the warm worker may write"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_finished_jobs_worker_waits_idle_for_the_same_scenes() {
    sandbox_on();
    let b = bed(|_| {});
    let lease = b.lease(2);
    let pid = lease.worker_pid().unwrap();
    let cancel = CancellationToken::new();
    b.render(Some(&lease), 1, "Ok1", OK_SCENE, &cancel)
        .await
        .0
        .unwrap()
        .unwrap();
    lease.keep_idle("job-1");
    drop(lease);
    assert_eq!(b.renderer.warm.idle_pid(), Some(pid));
    let again = b.lease(2);
    assert_eq!(
        again.worker_pid(),
        Some(pid),
        "the idle worker was not reused"
    );
    again.keep_idle("job-2");
    drop(again);
    // A job that fails or is cancelled after rendering takes its idle worker with it.
    b.renderer.warm.discard("job-1");
    assert_eq!(b.renderer.warm.idle_pid(), Some(pid));
    b.renderer.warm.discard("job-2");
    assert_eq!(b.renderer.warm.idle_pid(), None);
    // Other scene dirs: a new worker, and the idle one is replaced.
    let other = b.lease(3);
    assert_ne!(other.worker_pid(), Some(pid));
    drop(other);
    b.renderer.warm.clear();
    assert!(procs::wait_gone(&b.needle(), std::time::Duration::from_secs(5)).is_empty());
}

/// A scene that kills the warm worker it was forked from (and only that: cold, its parent is
/// bubblewrap, left alone). The static check is bypassed as in the hostile tests.
const WORKER_KILLER: &str = r#"from manim import *
_b = __builtins__ if isinstance(__builtins__, dict) else vars(__builtins__)
_os = _b['__import__']('os')

class {CLASS}(Scene):
    def construct(self):
        parent = _b['open']('/proc/%d/cmdline' % _os.getppid(), 'rb').read()
        if b't2v-render-worker' in parent:
            _os.kill(_os.getppid(), 9)
        self.play(Create(Square()))
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_whose_worker_dies_falls_back_to_cold_and_makes_the_video() {
    sandbox_on();
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let (app, _) = app_with(&data, WORKER_KILLER, 2, |s| s.warm_renders = true);
    let job = run_one(&app, "Worker killer", options(2)).await;
    assert_eq!(
        job.status,
        t2v_core::JobStatus::Completed,
        "{:?}",
        job.error
    );
    let video = job.video.clone().expect("a video");
    assert_video(&video);
    let log = app.log_tail(&job, 1000).unwrap().join("\n");
    assert!(log.contains("scenes render warm"), "{log}");
    assert!(log.contains("rendered cold instead"), "{log}");
    // The dead worker is not kept; nothing is left.
    assert!(app.warm.idle_pid().is_none());
    assert!(
        procs::wait_gone(&data.to_string_lossy(), std::time::Duration::from_secs(5)).is_empty()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_with_cold_renders_forced_makes_the_video() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let (app, _) = app_with(&data, TINY_SCENE, 2, |s| s.warm_renders = false);
    let job = run_one(&app, "Forced cold", options(2)).await;
    assert_eq!(
        job.status,
        t2v_core::JobStatus::Completed,
        "{:?}",
        job.error
    );
    assert_video(&job.video.clone().expect("a video"));
    let log = app.log_tail(&job, 1000).unwrap().join("\n");
    assert!(log.contains("cold renders chosen in the settings"), "{log}");
    assert!(!log.contains("scenes render warm"), "{log}");
}

#[test]
fn the_test_kit_knows_the_workers_tag() {
    // The process walks in every crate's tests tell warm workers apart by this tag.
    assert_eq!(procs::WORKER_TAG, t2v_core::render::warm_worker::WORKER_TAG);
}
