//! Normal runs against the fake server in all three wire formats, and the checks before a job.

mod common;

use common::fake::{Fake, Reply};
use common::*;
use t2v_core::writer::{Writer, WriterReport};
use t2v_core::ErrorCode;

const KEY: &str = "sk-test-providers-0123456789abcdef";

async fn full_run(kind: &str, var: &str) -> Fake {
    std::env::set_var(var, KEY);
    let fake = Fake::start(&["fake-model", "other"], responder(&[])).await;
    let (_dir, w) = writer_for(&fake, kind, var, "");
    let (ctx, reports) = ctx(6);
    w.check(&ctx).await.unwrap();
    let topic = topic();
    let outline = w.outline(&topic, &ctx).await.unwrap();
    assert_eq!(
        outline.scenes.len(),
        3,
        "3 to 6 scenes asked, the fewest given"
    );
    let plan = w.plan_scene(&topic, &outline, 1, &ctx).await.unwrap();
    assert_eq!(plan.index, 2);
    assert!(plan.storyboard.contains("circle"));
    let code = w.write_code(&topic, &plan, "Scene02", &ctx).await.unwrap();
    assert!(code.contains("class Scene02(Scene):"));
    assert!(!code.contains("```"));
    let fixed = w
        .fix_code(&topic, &plan, "Scene02", &code, "NameError: x", 1, &ctx)
        .await
        .unwrap();
    assert!(fixed.contains("Fixed"));
    // Usage of every call (4 chat calls), and streamed progress for code.
    let n_usage = reports
        .lock()
        .unwrap()
        .iter()
        .filter(|r| matches!(r, WriterReport::Usage { .. }))
        .count();
    assert_eq!(n_usage, 4);
    let (i, o, _) = usage_total(&reports);
    assert!(i > 100 && o > 50, "{i} {o}");
    assert!(w.cache_key().contains("fake-model"));
    assert!(!w.cache_key().contains(KEY));
    fake
}

#[tokio::test]
async fn openai_compatible_normal_run() {
    let fake = full_run("openai", "T2V_KEY_OPENAI_RUN").await;
    let chats = fake.chats();
    assert_eq!(chats.len(), 4);
    for c in &chats {
        assert_eq!(c.path, "/v1/chat/completions");
        assert_eq!(
            c.header("authorization"),
            Some(format!("Bearer {KEY}").as_str())
        );
        assert_eq!(c.body["model"], "fake-model");
        assert_eq!(c.body["messages"][0]["role"], "system");
    }
    let outline = &chats[0].body;
    assert_eq!(outline["response_format"]["type"], "json_schema");
    assert_eq!(
        outline["response_format"]["json_schema"]["schema"]["properties"]["scenes"]["minItems"],
        3
    );
    assert_eq!(
        outline["max_tokens"], 4096,
        "compatible servers get max_tokens"
    );
    assert_eq!(chats[2].body["stream"], true);
    assert_eq!(chats[2].body["stream_options"]["include_usage"], true);
    assert!(chats[3].user_texts()[0].contains("NameError: x"));
    assert!(fake.seen()[0].path == "/v1/models");
}

#[tokio::test]
async fn anthropic_messages_normal_run() {
    let fake = full_run("anthropic", "T2V_KEY_ANTHROPIC_RUN").await;
    let seen = fake.seen();
    assert_eq!(seen[0].path, "/v1/models");
    assert!(seen[0].query.contains("limit="));
    for c in fake.chats() {
        assert_eq!(c.path, "/v1/messages");
        assert_eq!(c.header("x-api-key"), Some(KEY));
        assert_eq!(c.header("anthropic-version"), Some("2023-06-01"));
        assert!(c.body["system"].as_str().unwrap().contains("Theory2Video"));
        assert_eq!(c.body["max_tokens"], 4096);
    }
    assert_eq!(fake.chats()[2].body["stream"], true);
}

#[tokio::test]
async fn gemini_generate_content_normal_run() {
    let fake = full_run("gemini", "T2V_KEY_GEMINI_RUN").await;
    let seen = fake.seen();
    assert_eq!(seen[0].path, "/v1beta/models");
    for s in &seen {
        assert_eq!(s.header("x-goog-api-key"), Some(KEY));
        assert!(!s.query.contains(KEY), "the key is never in a URL");
    }
    let chats = fake.chats();
    assert_eq!(chats[0].path, "/v1beta/models/fake-model:generateContent");
    let cfg = &chats[0].body["generationConfig"];
    assert_eq!(cfg["responseMimeType"], "application/json");
    assert_eq!(cfg["responseSchema"]["type"], "OBJECT");
    assert!(cfg["responseSchema"]["additionalProperties"].is_null());
    assert_eq!(
        chats[2].path,
        "/v1beta/models/fake-model:streamGenerateContent"
    );
    assert_eq!(chats[2].query, "alt=sse");
}

#[tokio::test]
async fn streaming_reports_progress_messages() {
    std::env::set_var("T2V_KEY_STREAM", KEY);
    let fake = Fake::start(&["fake-model"], responder(&[])).await;
    *fake.state.chunk_delay.lock().unwrap() = std::time::Duration::from_millis(60);
    let (_d, w) = writer_for(&fake, "anthropic", "T2V_KEY_STREAM", "");
    let (ctx, reports) = ctx(3);
    let plan = t2v_core::writer::ScenePlan {
        index: 1,
        title: "T".into(),
        storyboard: "s".into(),
        technical_notes: "t".into(),
        narration: "n".into(),
        data: serde_json::Value::Null,
    };
    let code = w
        .write_code(&topic(), &plan, "Scene01", &ctx)
        .await
        .unwrap();
    assert!(code.contains("class Scene01"));
    let msgs = messages(&reports);
    assert!(
        msgs.iter()
            .any(|m| m.starts_with("code of scene 1: receiving, about")),
        "{msgs:?}"
    );
}

#[tokio::test]
async fn checks_tell_what_to_fix() {
    std::env::set_var("T2V_KEY_CHECKS", KEY);
    let fake = Fake::start(&["llama3.2:latest", "qwen2.5-coder:7b"], responder(&[])).await;
    let (ctx, _) = ctx(3);

    // Unknown model: a config error naming what the server offers.
    let (_d, w) = writer_for(&fake, "openai", "T2V_KEY_CHECKS", "");
    let e = w.check(&ctx).await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::Config);
    assert!(e.to_string().contains("qwen2.5-coder:7b"), "{e}");

    // Ollama: no /v1/models, /api/tags lists `llama3.2:latest`, which `llama3.2` means.
    fake.push_models(Reply::Status(404, vec![], "404 page not found".into()));
    let (_d, w) = writer_for(&fake, "openai", "T2V_KEY_CHECKS", "");
    let mut p = w.profile().clone();
    p.model = "llama3.2".into();
    let w = t2v_llm::LlmWriter::new(p, None, &Default::default()).unwrap();
    w.check(&ctx).await.unwrap();
    assert_eq!(fake.seen().last().unwrap().path, "/api/tags");

    // Missing key: caught before any request.
    let before = fake.seen().len();
    let spec = t2v_core::WriterSpec {
        kind: "anthropic".into(),
        model: Some("claude-sonnet-4-5".into()),
        api_key_env: Some("T2V_KEY_THAT_IS_NOT_SET".into()),
        ..Default::default()
    };
    let e = t2v_llm::Writers::with_config_dir(_d.path())
        .llm(&spec)
        .err()
        .unwrap();
    assert_eq!(e.code(), ErrorCode::Config);
    assert!(e.to_string().contains("T2V_KEY_THAT_IS_NOT_SET"), "{e}");

    // Hosted default endpoint, model not on the allow-list: no request made.
    std::env::set_var("T2V_KEY_ALLOW", KEY);
    let spec = t2v_core::WriterSpec {
        kind: "openai".into(),
        model: Some("text-embedding-3-small".into()),
        api_key_env: Some("T2V_KEY_ALLOW".into()),
        ..Default::default()
    };
    let e = t2v_llm::Writers::with_config_dir(_d.path())
        .llm(&spec)
        .err()
        .unwrap();
    assert!(e.to_string().contains("allow-list"), "{e}");
    // ...unless the user extends it.
    write_config(_d.path(), "[allow]\nopenai = [\"text-embedding-*\"]\n");
    t2v_llm::Writers::with_config_dir(_d.path())
        .llm(&spec)
        .unwrap();
    assert_eq!(fake.seen().len(), before);

    // Unreachable base URL: a config error, quickly.
    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = dead.local_addr().unwrap().port();
    drop(dead);
    let mut p = w.profile().clone();
    p.base_url = format!("http://127.0.0.1:{port}/v1");
    let w = t2v_llm::LlmWriter::new(p, None, &Default::default()).unwrap();
    let t = std::time::Instant::now();
    let e = w.check(&ctx).await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::Config);
    assert!(e.to_string().contains("cannot reach"), "{e}");
    assert!(t.elapsed().as_secs() < 5);
}

#[tokio::test]
async fn refused_key_is_a_config_error_without_the_key() {
    std::env::set_var("T2V_KEY_REFUSED", KEY);
    let fake = Fake::start(&["fake-model"], responder(&[])).await;
    fake.push_models(Reply::Status(
        401,
        vec![],
        format!(r#"{{"error":{{"message":"Incorrect API key provided: {KEY}. You can find your key at ..."}}}}"#),
    ));
    let (_d, w) = writer_for(&fake, "openai", "T2V_KEY_REFUSED", "");
    let (ctx, _) = ctx(3);
    let e = w.check(&ctx).await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::Config);
    let msg = e.to_string();
    assert!(
        msg.contains("refused the API key") && msg.contains("T2V_KEY_REFUSED"),
        "{msg}"
    );
    assert!(!msg.contains(KEY) && !msg.contains(&KEY[10..20]), "{msg}");
}

/// Decisions on refusals go by the HTTP status, never by what the body or message says.
#[tokio::test]
async fn refusals_are_decided_by_status_not_by_text() {
    std::env::set_var("T2V_KEY_STATUS", KEY);
    let fake = Fake::start(&["fake-model"], responder(&[])).await;
    let (ctx, _) = ctx(3);

    // 404 with a body that names no status: the listing falls back to Ollama's /api/tags.
    fake.push_models(Reply::Status(404, vec![], "no such route".into()));
    let (_d, w) = writer_for(&fake, "openai", "T2V_KEY_STATUS", "");
    w.check(&ctx).await.unwrap();
    assert_eq!(fake.seen().last().unwrap().path, "/api/tags");

    // 403 whose body says "HTTP 404": a refused key, no fallback.
    let before = fake.seen().len();
    fake.push_models(Reply::Status(403, vec![], "HTTP 404 Not Found".into()));
    let e = w.check(&ctx).await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::Config);
    assert!(e.to_string().contains("refused the API key"), "{e}");
    assert_eq!(fake.seen().len(), before + 1, "no /api/tags after a 403");

    // 400 on a structured-output request, body without the status: the hint to turn it off.
    let (_d, w) = writer_for(&fake, "gemini", "T2V_KEY_STATUS", "");
    let body = r#"{"error":{"message":"Unknown name \"responseSchema\""}}"#;
    fake.push(Reply::Status(400, vec![], body.into()));
    let e = w.outline(&topic(), &ctx).await.unwrap_err();
    assert!(e.to_string().contains("structured_output = false"), "{e}");

    // 422 whose body says "HTTP 400": reported as it is, without that hint.
    fake.push(Reply::Status(422, vec![], "HTTP 400 Bad Request".into()));
    let e = w.outline(&topic(), &ctx).await.unwrap_err();
    assert!(e.to_string().contains("HTTP 422"), "{e}");
    assert!(!e.to_string().contains("structured_output"), "{e}");
}
