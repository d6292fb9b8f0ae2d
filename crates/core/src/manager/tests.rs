//! Manager tests on a real SQLite store in a temp dir. A gate writer holds jobs in their first
//! stage until the test releases them (then fails them) or cancels them; one test runs the real
//! pipeline with Manim when a ready venv is configured.

use super::*;
use crate::app::{CoreWriters, WriterFactory};
use crate::error::ErrorCode;
use crate::paths::DataDir;
use crate::progress::Stage;
use crate::writer::{Outline, ScenePlan, Writer, WriterCtx};
use async_trait::async_trait;
use std::sync::atomic::{AtomicU32, Ordering};

struct Gate {
    open: tokio::sync::Semaphore,
    started: AtomicU32,
}

impl Default for Gate {
    fn default() -> Self {
        Gate {
            open: tokio::sync::Semaphore::new(0),
            started: AtomicU32::new(0),
        }
    }
}

struct GateWriter(Arc<Gate>);

#[async_trait]
impl Writer for GateWriter {
    fn name(&self) -> String {
        "gate".into()
    }
    fn cache_key(&self) -> String {
        "gate-v1".into()
    }
    async fn check(&self, ctx: &WriterCtx) -> Result<()> {
        self.0.started.fetch_add(1, Ordering::SeqCst);
        tokio::select! {
            _ = ctx.cancel.cancelled() => Err(Error::Cancelled),
            p = self.0.open.acquire() => {
                p.expect("gate open").forget();
                Err(Error::Writer("released by the test".into()))
            }
        }
    }
    async fn outline(&self, _: &Topic, _: &WriterCtx) -> Result<Outline> {
        Err(Error::Internal("unused".into()))
    }
    async fn plan_scene(
        &self,
        _: &Topic,
        _: &Outline,
        _: usize,
        _: &WriterCtx,
    ) -> Result<ScenePlan> {
        Err(Error::Internal("unused".into()))
    }
    async fn write_code(&self, _: &Topic, _: &ScenePlan, _: &str, _: &WriterCtx) -> Result<String> {
        Err(Error::Internal("unused".into()))
    }
    #[allow(clippy::too_many_arguments)]
    async fn fix_code(
        &self,
        _: &Topic,
        _: &ScenePlan,
        _: &str,
        _: &str,
        _: &str,
        _: u32,
        _: &WriterCtx,
    ) -> Result<String> {
        Err(Error::Internal("unused".into()))
    }
}

struct Factory(Arc<Gate>);

impl WriterFactory for Factory {
    fn create(&self, spec: &crate::model::job::WriterSpec) -> Result<Arc<dyn Writer>> {
        match spec.kind.as_str() {
            "gate" => Ok(Arc::new(GateWriter(self.0.clone()))),
            _ => CoreWriters.create(spec),
        }
    }
}

type Seen = Arc<Mutex<Vec<(Instant, ManagerEvent)>>>;

struct Fixture {
    _dir: tempfile::TempDir,
    gate: Arc<Gate>,
    manager: JobManager,
    seen: Seen,
    changes: Arc<AtomicU32>,
}

fn fixture(concurrency: usize) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let gate = Arc::new(Gate::default());
    let data = DataDir::at(dir.path()).unwrap();
    let app = App::open(data, Arc::new(Factory(gate.clone()))).unwrap();
    app.override_settings(|s| s.job_concurrency = concurrency);
    let manager = JobManager::new(Arc::new(app), tokio::runtime::Handle::current());
    let seen: Seen = Arc::default();
    let s2 = seen.clone();
    manager.subscribe(Arc::new(move |e: &ManagerEvent| {
        lock(&s2).push((Instant::now(), e.clone()));
        true
    }));
    let changes = Arc::new(AtomicU32::new(0));
    let c2 = changes.clone();
    manager.on_jobs_changed(Arc::new(move || {
        c2.fetch_add(1, Ordering::SeqCst);
    }));
    Fixture {
        _dir: dir,
        gate,
        manager,
        seen,
        changes,
    }
}

fn gate_options() -> JobOptions {
    JobOptions {
        writer: crate::model::job::WriterSpec {
            kind: "gate".into(),
            ..Default::default()
        },
        ..JobOptions::default()
    }
}

fn topic(n: u32) -> (Topic, Option<PathBuf>) {
    let t = Topic::from_form(&format!("Topic number {n}"), "A description long enough.").unwrap();
    (t, None)
}

async fn until(what: &str, mut f: impl FnMut() -> bool) {
    let start = Instant::now();
    while !f() {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "timed out: {what}"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

fn status(m: &JobManager, id: &str) -> JobStatus {
    m.app().store.job(id).unwrap().status
}

fn finished(seen: &Seen, id: &str) -> Option<JobStatus> {
    lock(seen).iter().find_map(|(_, e)| match e {
        ManagerEvent::Finished { job_id, status, .. } if job_id == id => Some(*status),
        _ => None,
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn queue_respects_the_concurrency_limit() {
    let f = fixture(2);
    let jobs = f
        .manager
        .submit((1..=3).map(topic).collect(), gate_options())
        .unwrap();
    let ids: Vec<String> = jobs.iter().map(|j| j.id.clone()).collect();
    until("two started", || f.gate.started.load(Ordering::SeqCst) == 2).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(f.gate.started.load(Ordering::SeqCst), 2, "the limit holds");
    assert_eq!(f.manager.slot(&ids[0]), Some(Slot::Running));
    assert_eq!(f.manager.slot(&ids[1]), Some(Slot::Running));
    assert_eq!(f.manager.slot(&ids[2]), Some(Slot::Queued));
    assert_eq!(status(&f.manager, &ids[2]), JobStatus::Queued);
    // Releasing one (it fails with a config error) lets the third start.
    f.gate.open.add_permits(1);
    until("third started", || {
        f.gate.started.load(Ordering::SeqCst) == 3
    })
    .await;
    f.gate.open.add_permits(2);
    assert!(f.manager.wait_idle(Duration::from_secs(20)).await);
    for id in &ids {
        let job = f.manager.app().store.job(id).unwrap();
        assert_eq!(job.status, JobStatus::Failed);
        assert_eq!(job.error.unwrap().code, ErrorCode::Config);
        assert_eq!(finished(&f.seen, id), Some(JobStatus::Failed));
    }
    assert!(f.manager.active().is_empty());
    // Progress arrived for every job, the first event of each included.
    for id in &ids {
        assert!(lock(&f.seen).iter().any(|(_, e)| matches!(e,
            ManagerEvent::Progress(p) if &p.job_id == id && p.stage == Stage::Initializing)));
    }
    // Jobs-changed is low-rate: far fewer notices than state changes would give.
    tokio::time::sleep(CHANGED_INTERVAL * 2).await;
    let n = f.changes.load(Ordering::SeqCst);
    assert!((1..=8).contains(&n), "{n} jobs-changed notices");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_stops_running_and_removes_queued_jobs() {
    let f = fixture(1);
    let jobs = f
        .manager
        .submit((1..=2).map(topic).collect(), gate_options())
        .unwrap();
    let (a, b) = (jobs[0].id.clone(), jobs[1].id.clone());
    until("first started", || {
        f.gate.started.load(Ordering::SeqCst) == 1
    })
    .await;
    // The queued one is cancelled at once and never starts.
    let rec = f.manager.cancel(&b).unwrap();
    assert_eq!(rec.status, JobStatus::Cancelled);
    assert_eq!(finished(&f.seen, &b), Some(JobStatus::Cancelled));
    // The running one stops through its token.
    f.manager.cancel(&a).unwrap();
    until("cancelled", || finished(&f.seen, &a).is_some()).await;
    assert_eq!(status(&f.manager, &a), JobStatus::Cancelled);
    assert_eq!(f.gate.started.load(Ordering::SeqCst), 1);
    // Cancelling a finished job is a conflict; an unknown one is not found.
    assert_eq!(
        f.manager.cancel(&a).unwrap_err().code(),
        ErrorCode::Conflict
    );
    assert_eq!(
        f.manager.cancel("ffffffffff").unwrap_err().code(),
        ErrorCode::NotFound
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resume_and_delete_follow_the_job_state() {
    let f = fixture(1);
    let a = f.manager.submit(vec![topic(1)], gate_options()).unwrap()[0]
        .id
        .clone();
    until("started", || f.gate.started.load(Ordering::SeqCst) == 1).await;
    assert_eq!(
        f.manager.resume(&a).unwrap_err().code(),
        ErrorCode::Conflict
    );
    assert_eq!(
        f.manager.delete(&a).unwrap_err().code(),
        ErrorCode::Conflict
    );
    f.manager.cancel(&a).unwrap();
    until("cancelled", || {
        status(&f.manager, &a) == JobStatus::Cancelled
    })
    .await;
    assert!(f.manager.wait_idle(Duration::from_secs(10)).await);
    // Resume: queued again, runs again (from its stored progress), stops at the gate.
    f.manager.resume(&a).unwrap();
    assert_eq!(
        f.manager.resume(&a).unwrap_err().code(),
        ErrorCode::Conflict
    );
    until("resumed", || f.gate.started.load(Ordering::SeqCst) == 2).await;
    assert_eq!(status(&f.manager, &a), JobStatus::Running);
    f.gate.open.add_permits(1);
    assert!(f.manager.wait_idle(Duration::from_secs(10)).await);
    assert_eq!(status(&f.manager, &a), JobStatus::Failed);
    // Re-run makes a new job with the same request.
    let b = f.manager.rerun(&a).unwrap();
    assert_ne!(b.id, a);
    assert_eq!(b.topic, "Topic number 1");
    f.gate.open.add_permits(1);
    until("rerun done", || finished(&f.seen, &b.id).is_some()).await;
    f.manager.delete(&a).unwrap();
    assert_eq!(
        f.manager.app().store.job(&a).unwrap_err().code(),
        ErrorCode::NotFound
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_cancels_everything_and_refuses_new_work() {
    let f = fixture(1);
    let jobs = f
        .manager
        .submit((1..=3).map(topic).collect(), gate_options())
        .unwrap();
    until("started", || f.gate.started.load(Ordering::SeqCst) == 1).await;
    assert!(f.manager.shutdown(Duration::from_secs(10)).await);
    for j in &jobs {
        assert_eq!(status(&f.manager, &j.id), JobStatus::Cancelled);
    }
    let err = f
        .manager
        .submit(vec![topic(9)], gate_options())
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Conflict);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn settings_are_validated_and_raise_the_limit() {
    let f = fixture(1);
    let ids: Vec<String> = f
        .manager
        .submit((1..=2).map(topic).collect(), gate_options())
        .unwrap()
        .into_iter()
        .map(|j| j.id)
        .collect();
    until("one started", || f.gate.started.load(Ordering::SeqCst) == 1).await;
    let mut s = f.manager.settings();
    s.job_concurrency = 0;
    let err = f.manager.set_settings(s.clone()).unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    s.writer.kind = "nonsense".into();
    s.job_concurrency = 2;
    assert_eq!(
        f.manager.set_settings(s.clone()).unwrap_err().code(),
        ErrorCode::Config
    );
    s.writer.kind = "storyboard".into();
    f.manager.set_settings(s).unwrap();
    until("second started", || {
        f.gate.started.load(Ordering::SeqCst) == 2
    })
    .await;
    assert_eq!(Settings::load(f.manager.app().data()).job_concurrency, 2);
    for id in &ids {
        f.manager.cancel(id).unwrap();
    }
    assert!(f.manager.wait_idle(Duration::from_secs(10)).await);
}

/// The real pipeline with Manim: a 1-scene job completes with every stage delivered and the
/// throttle respected; a second job cancelled while rendering leaves no process behind.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn real_pipeline_completes_and_cancel_kills_the_render() {
    let ready = std::env::var_os(crate::paths::VENV_ENV)
        .is_some_and(|v| crate::render::python::PythonEnv::new(v.into()).is_ready());
    if !ready || crate::render::python::which("ffmpeg").is_none() {
        eprintln!("skipped: set THEORY2VIDEO_VENV to a venv with Manim (and install ffmpeg)");
        return;
    }
    let f = fixture(1);
    let root = f.manager.app().data().root().to_path_buf();
    let opts = JobOptions {
        max_scenes: Some(1),
        ..JobOptions::default()
    };
    let a = f.manager.submit(vec![topic(1)], opts.clone()).unwrap()[0]
        .id
        .clone();
    until("completed", || finished(&f.seen, &a).is_some()).await;
    let job = f.manager.app().store.job(&a).unwrap();
    assert_eq!(job.status, JobStatus::Completed, "{:?}", job.error);
    assert!(job.video.as_ref().unwrap().exists());
    let events: Vec<(Instant, ProgressEvent)> = lock(&f.seen)
        .iter()
        .filter_map(|(t, e)| match e {
            ManagerEvent::Progress(p) if p.job_id == a => Some((*t, p.clone())),
            _ => None,
        })
        .collect();
    for stage in Stage::ALL {
        assert!(
            events.iter().any(|(_, e)| e.stage == stage),
            "{stage} missing"
        );
    }
    assert_eq!(events.last().unwrap().1.progress, 100.0);
    // Throttled: gaps before fine-grained events are at least the interval. Arrival times carry
    // scheduler jitter on a loaded machine (a late delivery shortens the next gap), so a couple
    // of short gaps are tolerated; an unthrottled stream would have dozens.
    let short: Vec<_> = events[..events.len() - 1]
        .windows(2)
        .filter(|w| !w[1].1.milestone)
        .map(|w| w[1].0 - w[0].0)
        .filter(|gap| *gap < PROGRESS_INTERVAL * 4 / 5)
        .collect();
    assert!(short.len() <= 2, "throttle: short gaps {short:?}");
    // Cancel while Manim renders.
    let b = f.manager.submit(vec![topic(2)], opts).unwrap()[0]
        .id
        .clone();
    until("rendering", || {
        lock(&f.seen).iter().any(|(_, e)| {
            matches!(e,
            ManagerEvent::Progress(p) if p.job_id == b && p.stage == Stage::SceneRendering)
        })
    })
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    f.manager.cancel(&b).unwrap();
    until("cancelled", || finished(&f.seen, &b).is_some()).await;
    assert_eq!(status(&f.manager, &b), JobStatus::Cancelled);
    #[cfg(target_os = "linux")]
    {
        let needle = root.to_string_lossy().into_owned();
        // The sandboxes get SIGKILL before the status changes; their last processes may take
        // a moment to go, and must within the 1 s a cancel promises.
        let left = t2v_testkit::procs::wait_gone(&needle, Duration::from_secs(1));
        assert!(left.is_empty(), "processes left: {left:?}");
    }
    let _ = root;
}
