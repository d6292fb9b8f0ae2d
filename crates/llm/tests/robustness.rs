//! Scripted failures: 429 with Retry-After, 5xx, a hang past the timeout, malformed JSON, replies
//! without a code block or with JSON that does not parse, cancellation in flight.

mod common;

use common::fake::{Fake, Reply};
use common::*;
use std::time::{Duration, Instant};
use t2v_core::writer::Writer;
use t2v_core::{Error, ErrorCode};

const KEY: &str = "sk-test-robust-abcdefghijklmnop";

fn plan() -> t2v_core::writer::ScenePlan {
    t2v_core::writer::ScenePlan {
        index: 1,
        title: "T".into(),
        storyboard: "s".into(),
        technical_notes: "t".into(),
        narration: "n".into(),
        data: serde_json::Value::Null,
    }
}

async fn setup(
    kind: &str,
    var: &str,
    extra: &str,
) -> (Fake, tempfile::TempDir, t2v_llm::LlmWriter) {
    std::env::set_var(var, KEY);
    let fake = Fake::start(&["fake-model"], responder(&[])).await;
    let (d, w) = writer_for(&fake, kind, var, extra);
    (fake, d, w)
}

#[tokio::test]
async fn rate_limit_429_honours_retry_after() {
    for kind in ["openai", "anthropic", "gemini"] {
        let (fake, _d, w) = setup(kind, "T2V_KEY_429", "").await;
        fake.push(Reply::Status(
            429,
            vec![("retry-after", "1".into())],
            r#"{"error":{"message":"Rate limit reached"}}"#.into(),
        ));
        let (ctx, reports) = ctx(3);
        let t = Instant::now();
        let o = w.outline(&topic(), &ctx).await.unwrap();
        assert_eq!(o.scenes.len(), 3);
        let chats = fake.chats();
        assert_eq!(chats.len(), 2, "{kind}");
        let gap = chats[1].at - chats[0].at;
        assert!(
            gap >= Duration::from_millis(990),
            "{kind}: waited only {gap:?}"
        );
        assert!(t.elapsed() < Duration::from_secs(3));
        let msgs = messages(&reports);
        assert!(
            msgs.iter()
                .any(|m| m.contains("HTTP 429") && m.contains("retrying in 1.0 s")),
            "{msgs:?}"
        );
    }
}

#[tokio::test]
async fn server_errors_are_retried_then_reported() {
    let (fake, _d, w) = setup("openai", "T2V_KEY_500", "max_retries = 2").await;
    fake.push(Reply::Status(500, vec![], "Internal Server Error".into()));
    fake.push(Reply::Status(
        503,
        vec![],
        r#"{"error":{"message":"overloaded"}}"#.into(),
    ));
    let (ctx, _) = ctx(3);
    w.outline(&topic(), &ctx).await.unwrap();
    assert_eq!(fake.chats().len(), 3);

    for _ in 0..3 {
        fake.push(Reply::Status(502, vec![], "Bad Gateway".into()));
    }
    let e = w.outline(&topic(), &ctx).await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::Writer);
    let m = e.to_string();
    assert!(m.contains("HTTP 502") && m.contains("3 attempts"), "{m}");
    assert_eq!(fake.chats().len(), 6);
}

#[tokio::test]
async fn a_hang_past_the_timeout_is_retried_then_a_timeout_error() {
    // timeout_secs = 2 (see writer_for); the first call hangs for 5 s.
    let (fake, _d, w) = setup("gemini", "T2V_KEY_HANG", "max_retries = 1").await;
    fake.push(Reply::Hang(Duration::from_secs(5)));
    let (ctx, _) = ctx(3);
    let t = Instant::now();
    w.write_code(&topic(), &plan(), "Scene01", &ctx)
        .await
        .unwrap();
    let took = t.elapsed();
    assert!(
        took >= Duration::from_secs(2) && took < Duration::from_secs(4),
        "{took:?}"
    );

    fake.push(Reply::Hang(Duration::from_secs(5)));
    fake.push(Reply::Hang(Duration::from_secs(5)));
    let e = w
        .write_code(&topic(), &plan(), "Scene01", &ctx)
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Timeout { .. }), "{e}");
    assert_eq!(e.code(), ErrorCode::Timeout);
}

#[tokio::test]
async fn malformed_json_from_the_server_is_retried() {
    let (fake, _d, w) = setup("openai", "T2V_KEY_MALFORMED", "").await;
    fake.push(Reply::Raw(
        r#"{"id":"chatcmpl-1","choices":[{"message":"#.into(),
    ));
    let (ctx, _) = ctx(3);
    w.outline(&topic(), &ctx).await.unwrap();
    assert_eq!(fake.chats().len(), 2);
}

#[tokio::test]
async fn unparseable_model_json_gets_a_correcting_message() {
    let (fake, _d, w) = setup("anthropic", "T2V_KEY_BADJSON", "").await;
    fake.push(Reply::Text(
        "Sure! Here is your outline: {\"scenes\": [".into(),
    ));
    fake.push(Reply::Text(
        r#"{"scenes":[{"title":"Only one","purpose":"p"}]}"#.into(),
    ));
    let (ctx, reports) = ctx(3);
    let o = w.outline(&topic(), &ctx).await.unwrap();
    assert_eq!(o.scenes.len(), 3);
    let chats = fake.chats();
    assert_eq!(chats.len(), 3);
    let turns = chats[2].body["messages"].as_array().unwrap();
    assert_eq!(
        turns.len(),
        5,
        "question, reply, correction, reply, correction"
    );
    let texts = chats[2].user_texts();
    assert!(
        texts[1].starts_with("Task: correct") && texts[1].contains("not valid JSON"),
        "{}",
        texts[1]
    );
    assert!(texts[2].contains("it must have 3 to 3"), "{}", texts[2]);
    assert_eq!(
        messages(&reports)
            .iter()
            .filter(|m| m.contains("unusable reply"))
            .count(),
        2
    );
}

#[tokio::test]
async fn a_reply_without_a_code_block_is_corrected_then_a_typed_error() {
    let (fake, _d, w) = setup("openai", "T2V_KEY_NOCODE", "parse_attempts = 2").await;
    fake.push(Reply::Text(
        "from manim import *\nclass Scene01(Scene): pass".into(),
    ));
    let (ctx, _) = ctx(3);
    let code = w
        .write_code(&topic(), &plan(), "Scene01", &ctx)
        .await
        .unwrap();
    assert!(code.contains("class Scene01(Scene)"));
    let last = fake.chats().pop().unwrap();
    assert!(last.user_texts()[1].contains("no complete fenced code block"));

    fake.push(Reply::Text("I cannot do that.".into()));
    fake.push(Reply::Text(
        "```python\nimport os\nclass Scene01(Scene):\n    def construct(self): pass\n```".into(),
    ));
    let e = w
        .write_code(&topic(), &plan(), "Scene01", &ctx)
        .await
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::Writer);
    let m = e.to_string();
    assert!(
        m.contains("2 attempts") && m.contains("only manim and numpy"),
        "{m}"
    );
}

#[tokio::test]
async fn cancelling_aborts_an_in_flight_request_at_once() {
    let (fake, _d, w) = setup("openai", "T2V_KEY_CANCEL", "timeout_secs = 60").await;
    fake.push(Reply::Hang(Duration::from_secs(30)));
    let (ctx, _) = ctx(3);
    let cancel = ctx.cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(200)).await;
        cancel.cancel();
    });
    let t = Instant::now();
    let e = w
        .write_code(&topic(), &plan(), "Scene01", &ctx)
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Cancelled), "{e}");
    assert!(
        t.elapsed() < Duration::from_millis(600),
        "{:?}",
        t.elapsed()
    );
    assert_eq!(fake.chats().len(), 1);

    // Also while waiting out a Retry-After.
    fake.push(Reply::Status(
        429,
        vec![("retry-after", "60".into())],
        "{}".into(),
    ));
    let (ctx2, _) = common::ctx(3);
    let cancel = ctx2.cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(200)).await;
        cancel.cancel();
    });
    let t = Instant::now();
    assert!(matches!(
        w.outline(&topic(), &ctx2).await,
        Err(Error::Cancelled)
    ));
    assert!(t.elapsed() < Duration::from_millis(600));
}

#[tokio::test]
async fn a_retry_after_beyond_the_cap_is_reported_not_waited() {
    let (fake, _d, w) = setup("anthropic", "T2V_KEY_LONGWAIT", "").await;
    fake.push(Reply::Status(
        429,
        vec![("retry-after", "3600".into())],
        "{}".into(),
    ));
    let (ctx, _) = ctx(3);
    let t = Instant::now();
    let e = w.outline(&topic(), &ctx).await.unwrap_err();
    assert!(e.to_string().contains("3600 s"), "{e}");
    assert!(t.elapsed() < Duration::from_secs(1));
}
