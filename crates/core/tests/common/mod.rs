//! Helpers for the core's hardening tests: an [`App`] on a temporary data dir whose writer is
//! scripted by the test (it returns the Manim code the test gives it, hostile or tiny), and
//! process-table checks.
#![allow(dead_code)]

#[allow(unused_imports)]
pub use t2v_testkit::procs;

use async_trait::async_trait;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use t2v_core::app::{App, WriterFactory};
use t2v_core::paths::DataDir;
use t2v_core::writer::{Outline, SceneOutline, ScenePlan, Writer, WriterCtx};
use t2v_core::{CancellationToken, JobOptions, JobRecord, Result, Topic, WriterSpec};

/// Manim code for scene class `{CLASS}`; the writer substitutes the class name.
pub const TINY_SCENE: &str = "from manim import *\n\nclass {CLASS}(Scene):\n    def construct(self):\n        self.add(Square())\n        self.wait(0.3)\n";

/// A writer that plans `scenes` scenes and returns `code` (with `{CLASS}` replaced) from both
/// `write_code` and `fix_code`.
pub struct ScriptWriter {
    pub code: String,
    pub scenes: usize,
    pub fixes: AtomicU32,
}

#[async_trait]
impl Writer for ScriptWriter {
    fn name(&self) -> String {
        "script".into()
    }
    fn cache_key(&self) -> String {
        format!("script-{}", t2v_core::util::hash::short_hash(&self.code))
    }
    async fn outline(&self, topic: &Topic, ctx: &WriterCtx) -> Result<Outline> {
        Ok(Outline {
            topic: topic.title.clone(),
            scenes: (1..=self.scenes.min(ctx.max_scenes))
                .map(|i| SceneOutline {
                    title: format!("Scene {i}"),
                    purpose: "test".into(),
                    kind: Default::default(),
                })
                .collect(),
        })
    }
    async fn plan_scene(
        &self,
        _topic: &Topic,
        outline: &Outline,
        index: usize,
        _ctx: &WriterCtx,
    ) -> Result<ScenePlan> {
        Ok(ScenePlan {
            index: index as u32 + 1,
            title: outline.scenes[index].title.clone(),
            storyboard: "a square".into(),
            technical_notes: "none".into(),
            narration: "A square.".into(),
            data: serde_json::Value::Null,
        })
    }
    async fn write_code(
        &self,
        _topic: &Topic,
        _plan: &ScenePlan,
        class_name: &str,
        _ctx: &WriterCtx,
    ) -> Result<String> {
        Ok(self.code.replace("{CLASS}", class_name))
    }
    async fn fix_code(
        &self,
        _topic: &Topic,
        _plan: &ScenePlan,
        class_name: &str,
        _code: &str,
        _error: &str,
        _attempt: u32,
        _ctx: &WriterCtx,
    ) -> Result<String> {
        self.fixes.fetch_add(1, Ordering::SeqCst);
        Ok(self.code.replace("{CLASS}", class_name))
    }
}

struct Factory(Arc<ScriptWriter>);

impl WriterFactory for Factory {
    fn create(&self, spec: &WriterSpec) -> Result<Arc<dyn Writer>> {
        assert_eq!(spec.kind, "script");
        Ok(self.0.clone())
    }
}

/// The shared venv with Manim (README set-up).
pub fn use_shared_venv() {
    if std::env::var_os("THEORY2VIDEO_VENV").is_none() {
        let home = std::env::var_os("HOME").expect("HOME");
        std::env::set_var(
            "THEORY2VIDEO_VENV",
            PathBuf::from(home).join(".local/share/theory2video/venv"),
        );
    }
}

/// An app on `root` whose writer returns `code`; `tune` adjusts the settings (sandbox, limits).
pub fn app_with(
    root: &Path,
    code: &str,
    scenes: usize,
    tune: impl FnOnce(&mut t2v_core::app::Settings),
) -> (App, Arc<ScriptWriter>) {
    use_shared_venv();
    let writer = Arc::new(ScriptWriter {
        code: code.to_string(),
        scenes,
        fixes: AtomicU32::new(0),
    });
    let data = DataDir::at(root).unwrap();
    let app = App::open(data, Arc::new(Factory(writer.clone()))).unwrap();
    app.override_settings(|s| {
        s.render_concurrency = 2;
        tune(s);
    });
    (app, writer)
}

/// Silent, preview quality, the script writer, no fix attempts.
pub fn options(max_scenes: u32) -> JobOptions {
    let mut o = JobOptions {
        max_scenes: Some(max_scenes),
        max_fix_attempts: 0,
        ..JobOptions::default()
    };
    o.writer = WriterSpec {
        kind: "script".into(),
        ..WriterSpec::default()
    };
    o.voice.engine = t2v_core::voice::VoiceEngine::None;
    o
}

pub fn topic(title: &str) -> Topic {
    Topic::from_form(title, "A test topic for the hardening suite.").unwrap()
}

/// Submits one job and runs it to its end.
pub async fn run_one(app: &App, title: &str, opts: JobOptions) -> JobRecord {
    let job = app.submit(topic(title), opts, None).unwrap();
    let sink: t2v_core::progress::SharedSink = Arc::new(|_: &t2v_core::ProgressEvent| {});
    app.run_job(&job.id, sink, CancellationToken::new())
        .await
        .unwrap()
}

/// Every file under `dir` with its bytes (for "nothing changed" checks on small trees).
pub fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let Ok(rd) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(snapshot(&p));
        } else {
            out.push((p.clone(), std::fs::read(&p).unwrap_or_default()));
        }
    }
    out.sort();
    out
}

/// All text of a job that a person or a tool might read: error, events, job log.
pub fn job_text(app: &App, job: &JobRecord) -> String {
    let mut s = format!("{:?}\n", job.error);
    for e in app.events(&job.id).unwrap() {
        s.push_str(&e.message);
        s.push('\n');
    }
    s.push_str(&app.log_tail(job, 10_000).unwrap().join("\n"));
    s
}

/// Which render path a test goes through: tried cold (a new sandboxed Manim per
/// scene) and warm (a child forked from the job's sandboxed warm worker).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RenderPath {
    Cold,
    Warm,
}

impl RenderPath {
    pub fn apply(self, s: &mut t2v_core::app::Settings) {
        s.warm_renders = self == RenderPath::Warm;
    }

    /// The job really went this way: warm, nothing fell back to cold; cold, the log says so.
    pub fn check(self, app: &t2v_core::app::App, job: &t2v_core::JobRecord) {
        let log = app.log_tail(job, 1000).unwrap().join("\n");
        match self {
            RenderPath::Warm => assert!(
                log.contains("scenes render warm")
                    && !log.contains("rendered cold")
                    && !log.contains("warm renders off"),
                "a warm test rendered cold: {log}"
            ),
            RenderPath::Cold => assert!(log.contains("cold renders chosen"), "{log}"),
        }
    }
}
