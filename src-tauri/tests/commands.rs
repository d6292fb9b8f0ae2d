//! The commands on Tauri's mock runtime, registered exactly as in the real app (`configure`),
//! over a real SQLite store in a temp dir. A "hold" writer keeps started jobs in their first stage
//! until they are cancelled, so no render runs here.

use async_trait::async_trait;
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::{Duration, Instant};
use t2v_core::app::{App, CoreWriters, WriterFactory};
use t2v_core::paths::DataDir;
use t2v_core::topic::Topic;
use t2v_core::writer::{Outline, ScenePlan, Writer, WriterCtx};
use t2v_core::{Error, JobOptions, JobStatus, Result, WriterSpec};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{mock_builder, mock_context, noop_assets, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::WebviewWindow;

struct Hold;

#[async_trait]
impl Writer for Hold {
    fn name(&self) -> String {
        "hold".into()
    }
    fn cache_key(&self) -> String {
        "hold-v1".into()
    }
    async fn check(&self, ctx: &WriterCtx) -> Result<()> {
        ctx.cancel.cancelled().await;
        Err(Error::Cancelled)
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

struct Writers;

impl WriterFactory for Writers {
    fn create(&self, spec: &WriterSpec) -> Result<Arc<dyn Writer>> {
        match spec.kind.as_str() {
            "hold" => Ok(Arc::new(Hold)),
            _ => CoreWriters.create(spec),
        }
    }
}

struct Harness {
    _dir: tempfile::TempDir,
    _app: tauri::App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
}

fn harness_in(dir: tempfile::TempDir) -> Harness {
    let data = DataDir::at(dir.path()).unwrap();
    let desk = t2v_desktop::open_desk_with(data, Arc::new(Writers)).unwrap();
    let app = t2v_desktop::configure(mock_builder(), desk)
        .build(mock_context(noop_assets()))
        .unwrap();
    let window = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    Harness {
        _dir: dir,
        _app: app,
        window,
    }
}

fn harness() -> Harness {
    harness_in(tempfile::tempdir().unwrap())
}

impl Harness {
    fn call(&self, cmd: &str, args: Value) -> std::result::Result<Value, Value> {
        let req = InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: if cfg!(windows) {
                "http://tauri.localhost"
            } else {
                "tauri://localhost"
            }
            .parse()
            .unwrap(),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        };
        tauri::test::get_ipc_response(&self.window, req).map(|b| b.deserialize::<Value>().unwrap())
    }

    fn ok(&self, cmd: &str, args: Value) -> Value {
        self.call(cmd, args)
            .unwrap_or_else(|e| panic!("{cmd} failed: {e}"))
    }

    /// The error code of a failing command.
    fn code(&self, cmd: &str, args: Value) -> String {
        let err = self.call(cmd, args).expect_err(cmd);
        assert!(err["message"].is_string(), "{err}");
        err["code"].as_str().unwrap().to_string()
    }

    fn wait_status(&self, id: &str, status: &str) {
        let start = Instant::now();
        loop {
            let d = self.ok("job_detail", json!({ "id": id }));
            if d["job"]["status"] == status && d["job"]["slot"].is_null() {
                return;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "{id} never {status}: {d}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

fn form(topic: &str, description: &str, options: Value) -> Value {
    json!({ "input": { "topic": topic, "description": description, "options": options } })
}

fn examples(name: &str) -> String {
    format!("{}/../examples/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn form_validation_and_writer_errors_are_typed() {
    let h = harness();
    let desc = "A description long enough.";
    assert_eq!(
        h.code("start_job", form("ab", desc, json!({}))),
        "invalid_input"
    );
    assert_eq!(
        h.code("start_job", form("Topic", "too short", json!({}))),
        "invalid_input"
    );
    let nine = json!({ "maxScenes": 9 });
    assert_eq!(
        h.code("start_job", form("Topic", desc, nine)),
        "invalid_input"
    );
    let bad = json!({ "writer": "no-such-writer" });
    assert_eq!(h.code("start_job", form("Topic", desc, bad)), "config");
    assert_eq!(
        h.ok("job_stats", json!({}))["total"],
        0,
        "nothing was queued"
    );
    assert_eq!(
        h.code("job_detail", json!({ "id": "ffffffff" })),
        "not_found"
    );
    assert_eq!(
        h.code("cancel_job", json!({ "id": "ffffffff" })),
        "not_found"
    );
    assert_eq!(
        h.code("open_video", json!({ "id": "ffffffff" })),
        "not_found"
    );
}

#[test]
fn job_lifecycle_through_the_commands() {
    let h = harness();
    let opts = json!({ "writer": "hold", "maxScenes": 2, "quality": "preview" });
    let job = h.ok(
        "start_job",
        form(
            "Pythagorean theorem",
            "a² + b² = c² in right triangles",
            opts,
        ),
    );
    let id = job["id"].as_str().unwrap().to_string();
    assert_eq!(job["request"]["options"]["max_scenes"], 2);
    let page = h.ok("list_jobs", json!({ "query": { "limit": 10 } }));
    assert_eq!(page["total"], 1);
    assert_eq!(page["jobs"][0]["topic"], "Pythagorean theorem");
    assert!(page["jobs"][0]["slot"].is_string(), "{page}");
    assert_eq!(h.ok("active_jobs", json!({})).as_array().unwrap().len(), 1);
    // Active: no delete, no resume, nothing to open yet.
    assert_eq!(h.code("delete_job", json!({ "id": id })), "conflict");
    assert_eq!(h.code("resume_job", json!({ "id": id })), "conflict");
    assert_eq!(h.code("open_video", json!({ "id": id })), "not_found");
    assert_eq!(h.code("open_thumbnail", json!({ "id": id })), "not_found");
    h.ok("cancel_job", json!({ "id": id }));
    h.wait_status(&id, "cancelled");
    assert_eq!(h.code("cancel_job", json!({ "id": id })), "conflict");
    let d = h.ok("job_detail", json!({ "id": id }));
    assert!(d["events"].as_array().unwrap().len() >= 2, "{d}");
    assert_eq!(d["job"]["error"]["code"], "cancelled");
    assert_eq!(d["maxScenes"], 2);
    // Re-run: a new job with the same request.
    let again = h.ok("rerun_job", json!({ "id": id }));
    let id2 = again["id"].as_str().unwrap().to_string();
    assert_ne!(id2, id);
    h.ok("cancel_job", json!({ "id": id2 }));
    h.wait_status(&id2, "cancelled");
    // Resume the cancelled one, then stop it again.
    h.ok("resume_job", json!({ "id": id }));
    let start = Instant::now();
    while h
        .ok("active_jobs", json!({}))
        .as_array()
        .unwrap()
        .is_empty()
    {
        assert!(start.elapsed() < Duration::from_secs(5));
    }
    h.ok("cancel_job", json!({ "id": id }));
    h.wait_status(&id, "cancelled");
    let stats = h.ok("job_stats", json!({}));
    assert_eq!(
        (stats["total"].as_u64(), stats["cancelled"].as_u64()),
        (Some(2), Some(2))
    );
    h.ok("delete_job", json!({ "id": id }));
    assert_eq!(h.code("job_detail", json!({ "id": id })), "not_found");
}

#[test]
fn topic_files_preview_and_queue_one_job_per_entry() {
    let h = harness();
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("notes.pdf");
    std::fs::write(&bad, b"%PDF").unwrap();
    let json_file = examples("theoremexplainbench-sample.json");
    let files = h.ok(
        "inspect_files",
        json!({ "paths": [json_file, examples("pythagorean-theorem.md"), bad] }),
    );
    assert_eq!(files[0]["count"], 3);
    assert_eq!(files[0]["titles"][0], "Mean value theorem");
    assert_eq!(files[1]["count"], 1);
    assert_eq!(files[2]["error"]["code"], "invalid_input");
    let bad_only = json!({ "paths": [bad] });
    assert_eq!(h.code("start_from_files", bad_only), "invalid_input");
    let report = h.ok(
        "start_from_files",
        json!({ "paths": [json_file, bad], "options": { "writer": "hold" } }),
    );
    assert_eq!(report["jobs"].as_array().unwrap().len(), 3);
    assert_eq!(report["rejected"].as_array().unwrap().len(), 1);
    // Search and paging over the history.
    let page = h.ok("list_jobs", json!({ "query": { "search": "momentum" } }));
    assert_eq!(page["total"], 1);
    let page = h.ok("list_jobs", json!({ "query": { "limit": 2, "offset": 2 } }));
    assert_eq!(
        (
            page["total"].as_u64(),
            page["jobs"].as_array().unwrap().len()
        ),
        (Some(3), 1)
    );
    let queued = h.ok("list_jobs", json!({ "query": { "status": "queued" } }));
    assert!(queued["total"].as_u64().unwrap() >= 2, "{queued}");
    for j in report["jobs"].as_array().unwrap() {
        h.ok("cancel_job", json!({ "id": j["id"] }));
    }
    for j in report["jobs"].as_array().unwrap() {
        h.wait_status(j["id"].as_str().unwrap(), "cancelled");
    }
}

#[test]
fn settings_are_validated_and_saved() {
    let h = harness();
    let view = h.ok("get_settings", json!({}));
    assert!(view["dataDir"].is_string());
    assert_eq!(view["writers"][0], "storyboard");
    let mut s = view["settings"].clone();
    s["job_concurrency"] = json!(0);
    let bad = json!({ "settings": s.clone() });
    assert_eq!(h.code("set_settings", bad), "invalid_input");
    s["job_concurrency"] = json!(2);
    s["writer"] = json!({ "kind": "no-such-writer" });
    let bad = json!({ "settings": s.clone() });
    assert_eq!(h.code("set_settings", bad), "config");
    s["writer"] = json!({ "kind": "storyboard" });
    s["quality"] = json!("standard");
    let saved = h.ok("set_settings", json!({ "settings": s }));
    assert_eq!(saved["settings"]["job_concurrency"], 2);
    assert_eq!(
        h.ok("get_settings", json!({}))["settings"]["quality"],
        "standard"
    );
    let report = h.ok("doctor", json!({}));
    let names: Vec<&str> = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"ffmpeg") && names.contains(&"manim"),
        "{names:?}"
    );
}

#[test]
fn stranded_jobs_show_as_interrupted_and_resume() {
    let dir = tempfile::tempdir().unwrap();
    let id = {
        let data = DataDir::at(dir.path()).unwrap();
        let app = App::open(data, Arc::new(Writers)).unwrap();
        let mut opts = JobOptions::default();
        opts.writer.kind = "hold".into();
        let topic = Topic::from_form("Stranded topic", "A description long enough.").unwrap();
        let job = app.submit(topic, opts, None).unwrap();
        let queued = [JobStatus::Queued];
        app.store
            .transition(&job.id, &queued, JobStatus::Running, "Starting")
            .unwrap();
        job.id
    };
    let h = harness_in(dir);
    assert_eq!(h.ok("app_info", json!({}))["recovered"], 1);
    let d = h.ok("job_detail", json!({ "id": id }));
    assert_eq!(d["job"]["status"], "interrupted");
    h.ok("resume_job", json!({ "id": id }));
    let start = Instant::now();
    while h.ok("job_detail", json!({ "id": id }))["job"]["status"] != "running" {
        assert!(start.elapsed() < Duration::from_secs(5));
    }
    h.ok("cancel_job", json!({ "id": id }));
    h.wait_status(&id, "cancelled");
}
