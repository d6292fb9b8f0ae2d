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
    harness_with(dir, mock_builder())
}

/// A harness whose builder may carry state put in before the app's own (a file picker).
fn harness_with(dir: tempfile::TempDir, builder: tauri::Builder<MockRuntime>) -> Harness {
    let data = DataDir::at(dir.path()).unwrap();
    let desk = t2v_desktop::open_desk_with(data, Arc::new(Writers)).unwrap();
    let app = t2v_desktop::configure(builder, desk)
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

/// `start_job`'s arguments: the form as typed plus `choices` (quality, writer, max_scenes).
fn form(topic: &str, description: &str, choices: Value) -> Value {
    let scenes = choices["max_scenes"].as_u64().map(|n| n.to_string());
    let mut input = json!({
        "form": { "topic": topic, "description": description, "max_scenes": scenes.unwrap_or_default() },
    });
    for key in ["quality", "writer"] {
        if let Some(v) = choices.get(key) {
            input[key] = v.clone();
        }
    }
    json!({ "input": input })
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
    let nine = json!({ "max_scenes": 9 });
    assert_eq!(
        h.code("start_job", form("Topic", desc, nine)),
        "invalid_input"
    );
    let bad = json!({ "writer": "no-such-writer" });
    assert_eq!(h.code("start_job", form("Topic", desc, bad)), "config");
    // The same rules, field by field, for the form as it is typed.
    let problems = h.ok(
        "check_form",
        json!({ "form": { "topic": "ab", "description": "short", "max_scenes": "9" } }),
    );
    let fields: Vec<&str> = problems
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["topic", "description", "max_scenes"]);
    let ok = json!({ "form": { "topic": "Topic", "description": desc, "max_scenes": "" } });
    assert_eq!(h.ok("check_form", ok), json!([]));
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
    let opts = json!({ "writer": "hold", "max_scenes": 2, "quality": "preview" });
    let job = h.ok(
        "start_job",
        form(
            "Pythagorean theorem",
            "a² + b² = c² in right triangles",
            opts,
        ),
    );
    let id = job["id"].as_str().unwrap().to_string();
    assert_eq!(job["status"], "queued");
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
    assert_eq!(d["max_scenes"], 2);
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
    assert!(view["data_dir"].is_string());
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
        let app = App::open(data.clone(), Arc::new(Writers)).unwrap();
        let mut opts = JobOptions::default();
        opts.writer.kind = "hold".into();
        let topic = Topic::from_form("Stranded topic", "A description long enough.").unwrap();
        let job = app.submit(topic, opts, None).unwrap();
        let queued = [JobStatus::Queued];
        // A process that died mid-job: the store says running, nobody runs it.
        t2v_core::store::Store::open(&data.db())
            .unwrap()
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

/// The doctor's "Install a Piper voice from a file…" with the dialog answered by the test: the
/// chosen voice is copied into the data dir and the doctor's Piper line finds it; a cancelled
/// dialog changes nothing; a file that is not a Piper voice is refused with its reason.
#[test]
fn install_piper_voice_copies_the_chosen_voice_for_the_doctor() {
    use t2v_desktop::commands::setup::VoicePicker;
    let downloads = tempfile::tempdir().unwrap();
    let model = downloads.path().join("en_GB-test-low.onnx");
    // A well-formed ONNX ModelProto: ir_version 8 and a graph with one node.
    std::fs::write(
        &model,
        [
            0x08, 0x08, 0x3a, 0x07, 0x0a, 0x05, 0x0a, 0x03, b'o', b'u', b't',
        ],
    )
    .unwrap();
    std::fs::write(
        model.with_extension("onnx.json"),
        r#"{"audio": {"sample_rate": 16000}, "phoneme_id_map": {"_": [0]}}"#,
    )
    .unwrap();
    let text = downloads.path().join("notes.onnx");
    std::fs::write(&text, "not a model").unwrap();
    std::fs::write(
        text.with_extension("onnx.json"),
        r#"{"audio": {"sample_rate": 16000}, "phoneme_id_map": {}}"#,
    )
    .unwrap();
    let answer: Arc<std::sync::Mutex<Vec<String>>> = Arc::default();
    let a = answer.clone();
    let picker = VoicePicker(Arc::new(move |done| done(a.lock().unwrap().clone())));
    let dir = tempfile::tempdir().unwrap();
    let voices = dir.path().join("voices");
    let h = harness_with(dir, mock_builder().manage(picker));

    assert_eq!(
        h.ok("install_piper_voice", json!({})),
        Value::Null,
        "cancelled"
    );
    assert!(!voices.exists());

    *answer.lock().unwrap() = vec![text.to_string_lossy().into_owned()];
    assert_eq!(h.code("install_piper_voice", json!({})), "invalid_input");
    assert!(!voices.join("notes.onnx").exists());

    *answer.lock().unwrap() = vec![model.to_string_lossy().into_owned()];
    let v = h.ok("install_piper_voice", json!({}));
    assert_eq!(v["name"], "en_GB-test-low");
    assert!(voices.join("en_GB-test-low.onnx").is_file());
    assert!(voices.join("en_GB-test-low.onnx.json").is_file());
    let report = h.ok("doctor", json!({}));
    let piper = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "piper")
        .unwrap();
    assert!(
        piper["detail"].as_str().unwrap().contains("en_GB-test-low"),
        "{piper}"
    );
}

#[test]
fn clear_finished_jobs_deletes_ended_jobs_and_keeps_active_ones() {
    let h = harness();
    let desc = "A description long enough.";
    let hold = json!({ "writer": "hold" });
    let ended = h.ok("start_job", form("Ends", desc, hold.clone()))["id"]
        .as_str()
        .unwrap()
        .to_string();
    h.ok("cancel_job", json!({ "id": ended }));
    h.wait_status(&ended, "cancelled");
    let running = h.ok("start_job", form("Keeps running", desc, hold))["id"]
        .as_str()
        .unwrap()
        .to_string();
    let report = h.ok("clear_finished_jobs", json!({}));
    assert_eq!(report["deleted"], 1, "{report}");
    assert_eq!(h.code("job_detail", json!({ "id": ended })), "not_found");
    let kept = h.ok("job_detail", json!({ "id": running }));
    assert!(
        kept["job"]["slot"].is_string(),
        "the active job stays: {kept}"
    );
    h.ok("cancel_job", json!({ "id": running }));
    h.wait_status(&running, "cancelled");
}
