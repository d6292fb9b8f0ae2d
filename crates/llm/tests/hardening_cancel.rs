//! Cancel a whole job while its LLM call hangs (a loopback fake that never answers): the job is
//! `cancelled` within 1 s of the cancel call (printed; `T2V_CANCEL_MARGIN_MS` adds a documented
//! margin on a loaded machine), the request is abandoned, and no child process is left.

mod common;

use common::fake::{Fake, Reply};
use common::*;
use std::sync::Arc;
use std::time::{Duration, Instant};
use t2v_core::app::App;
use t2v_core::paths::DataDir;
use t2v_core::{CancellationToken, JobOptions, JobStatus, Stage, WriterSpec};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancelling_a_job_during_a_hanging_llm_call() {
    if std::env::var_os("THEORY2VIDEO_VENV").is_none() {
        let home = std::path::PathBuf::from(std::env::var_os("HOME").unwrap());
        std::env::set_var(
            "THEORY2VIDEO_VENV",
            home.join(".local/share/theory2video/venv"),
        );
    }
    std::env::set_var("T2V_KEY_JOB_CANCEL", "sk-test-job-cancel-abcdefghijkl");
    std::env::set_var(t2v_llm::secret::NO_KEYCHAIN_ENV, "1");
    let fake = Fake::start(&["fake-model"], responder(&[])).await;
    fake.push(Reply::Hang(Duration::from_secs(120)));
    let conf = tempfile::tempdir().unwrap();
    write_config(
        conf.path(),
        &format!(
            "[profiles.fake]\nkind = \"openai\"\nbase_url = \"{}/v1\"\nmodel = \"fake-model\"\n\
             api_key_env = \"T2V_KEY_JOB_CANCEL\"\ntimeout_secs = 300\n",
            fake.url()
        ),
    );
    let tmp = tempfile::tempdir().unwrap();
    let data = DataDir::at(&tmp.path().join("data")).unwrap();
    let writers = Arc::new(t2v_llm::Writers::with_config_dir(conf.path()));
    let app = Arc::new(App::open(data, writers).unwrap());
    let mut opts = JobOptions {
        max_scenes: Some(2),
        ..JobOptions::default()
    };
    opts.writer = WriterSpec {
        kind: "fake".into(),
        ..WriterSpec::default()
    };
    opts.voice.engine = t2v_core::voice::VoiceEngine::None;
    let job = app.submit(topic(), opts, None).unwrap();
    let cancel = CancellationToken::new();
    let (a, c, id) = (app.clone(), cancel.clone(), job.id.clone());
    let task = tokio::spawn(async move {
        let sink: t2v_core::progress::SharedSink = Arc::new(|_: &t2v_core::ProgressEvent| {});
        a.run_job(&id, sink, c).await.unwrap()
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    while fake.chats().is_empty() {
        assert!(Instant::now() < deadline, "the outline request never came");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(app.job(&job.id).unwrap().stage, Stage::Planning);
    let t = Instant::now();
    cancel.cancel();
    let took = loop {
        if app.job(&job.id).unwrap().status == JobStatus::Cancelled {
            break t.elapsed();
        }
        assert!(t.elapsed() < Duration::from_secs(30), "never cancelled");
        tokio::time::sleep(Duration::from_millis(5)).await;
    };
    let done = task.await.unwrap();
    eprintln!("cancel during an LLM call: {} ms", took.as_millis());
    let margin: u64 = std::env::var("T2V_CANCEL_MARGIN_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    assert!(took <= Duration::from_millis(1000 + margin), "{took:?}");
    assert_eq!(done.status, JobStatus::Cancelled);
    assert_eq!(done.error.unwrap().code, t2v_core::ErrorCode::Cancelled);
    // One chat request, abandoned; no retry after the cancel.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(fake.chats().len(), 1);
    // Nothing was started for the job (no render, no check): no process mentions its data dir.
    let needle = tmp.path().to_string_lossy().into_owned();
    assert_eq!(
        t2v_testkit::procs::mentioning_lines(&needle),
        Vec::<String>::new(),
        "left over"
    );
}
