//! Cancel while several scenes render at once, and while ffmpeg combines: the job is `cancelled`
//! within 1 s of the cancel call (measured to the status change in the store, printed), and no
//! child process of the job is left in the process table.
//!
//! Both tests run on both render paths (`cold::…`, `warm::…`).
//!
//! Margin: the requirement is 1 s. On this shared 2-core machine (load often 5–10) the figure is
//! printed; the assertion allows 1 s plus `T2V_CANCEL_MARGIN_MS` (default 0).

mod common;
use common::*;
use std::sync::Arc;
use std::time::{Duration, Instant};
use t2v_core::app::App;
use t2v_core::{CancellationToken, JobStatus, Stage};

fn limit() -> Duration {
    let margin = std::env::var("T2V_CANCEL_MARGIN_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    Duration::from_millis(1000 + margin)
}

/// Starts the job on a task; returns its id, the cancel token and the task.
fn start(
    app: &Arc<App>,
    title: &str,
    opts: t2v_core::JobOptions,
) -> (
    String,
    CancellationToken,
    tokio::task::JoinHandle<t2v_core::JobRecord>,
) {
    let job = app.submit(topic(title), opts, None).unwrap();
    let cancel = CancellationToken::new();
    let (a, c, id) = (app.clone(), cancel.clone(), job.id.clone());
    let task = tokio::spawn(async move {
        let sink: t2v_core::progress::SharedSink = Arc::new(|_: &t2v_core::ProgressEvent| {});
        a.run_job(&id, sink, c).await.unwrap()
    });
    (job.id, cancel, task)
}

/// Cancels, then polls the store until the status changes; returns the time it took and the
/// processes still present at that moment.
async fn cancel_and_time(
    app: &App,
    id: &str,
    cancel: &CancellationToken,
    needle: &str,
) -> (Duration, Vec<String>) {
    let t = Instant::now();
    cancel.cancel();
    loop {
        if app.job(id).unwrap().status == JobStatus::Cancelled {
            return (t.elapsed(), procs::mentioning_lines(needle));
        }
        assert!(t.elapsed() < Duration::from_secs(30), "never cancelled");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

async fn wait_until(what: &str, mut f: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(180);
    while !f() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

macro_rules! on_both_paths {
    ($($name:ident),* $(,)?) => {
        mod cold {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                super::$name(super::RenderPath::Cold).await
            })*
        }
        mod warm {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                super::$name(super::RenderPath::Warm).await
            })*
        }
    };
}

on_both_paths!(
    cancel_while_three_scenes_render_at_once,
    cancel_while_ffmpeg_combines
);

async fn cancel_while_three_scenes_render_at_once(path: RenderPath) {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let code = "from manim import *\nimport time\n\nclass {CLASS}(Scene):\n    def construct(self):\n        self.add(Square())\n        time.sleep(120)\n";
    let (app, _) = app_with(&data, code, 3, |s| {
        path.apply(s);
        s.render_concurrency = 3
    });
    let app = Arc::new(app);
    let (id, cancel, task) = start(&app, "Three slow scenes", options(3));
    let needle = data.to_string_lossy().into_owned();
    wait_until("three renders", || match path {
        RenderPath::Cold => {
            let renders = procs::renders(&needle);
            (1..=3).all(|i| {
                renders
                    .iter()
                    .any(|p| p.cmdline.contains(&format!("scenes/0{i}/work")))
            })
        }
        RenderPath::Warm => procs::warm_children(&needle).len() >= 3,
    })
    .await;
    // Let the three pythons reach their sleep.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let before = procs::mentioning_lines(&needle).len();
    let (took, at_change) = cancel_and_time(&app, &id, &cancel, &needle).await;
    let job = task.await.unwrap();
    eprintln!(
        "cancel during rendering: {} ms to `cancelled`; processes {before} before, {} at the change",
        took.as_millis(),
        at_change.len()
    );
    assert_eq!(job.status, JobStatus::Cancelled);
    assert_eq!(job.stage, Stage::SceneRendering);
    assert!(took <= limit(), "cancel took {took:?}");
    let left = procs::wait_gone(&needle, std::time::Duration::from_secs(5));
    assert!(left.is_empty(), "left over: {left:?}");
}

async fn cancel_while_ffmpeg_combines(path: RenderPath) {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    // Two 40 s scenes with narration and burnt-in subtitles: combining re-encodes them.
    let code = "from manim import *\n\nclass {CLASS}(Scene):\n    def construct(self):\n        self.add(Square())\n        self.wait(40)\n";
    let (app, _) = app_with(&data, code, 2, |s| path.apply(s));
    let app = Arc::new(app);
    let mut opts = options(2);
    opts.voice.engine = t2v_core::voice::VoiceEngine::Espeak;
    opts.voice.burn_subtitles = true;
    let (id, cancel, task) = start(&app, "Slow combine", opts);
    let needle = data.to_string_lossy().into_owned();
    let a = app.clone();
    wait_until("ffmpeg during combining", || {
        a.job(&id).unwrap().stage == Stage::VideoCombining
            && procs::mentioning_lines(&needle)
                .iter()
                .any(|p| p.contains("ffmpeg") && p.contains("libx264"))
    })
    .await;
    let (took, at_change) = cancel_and_time(&app, &id, &cancel, &needle).await;
    let job = task.await.unwrap();
    eprintln!(
        "cancel during combining: {} ms to `cancelled`; {} processes at the change",
        took.as_millis(),
        at_change.len()
    );
    assert_eq!(job.status, JobStatus::Cancelled, "{:?}", job.error);
    assert_eq!(job.stage, Stage::VideoCombining);
    assert!(took <= limit(), "cancel took {took:?}");
    let left = procs::wait_gone(&needle, std::time::Duration::from_secs(5));
    assert!(left.is_empty(), "left over: {left:?}");
}
