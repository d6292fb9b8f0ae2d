//! End to end: the real `theory2video` binary, `--writer PROFILE` with a profile in a temporary
//! config dir pointing at the fake OpenAI-compatible server, renders a real video in which scene 2
//! needed a fix. A planted key is then searched for in every file of the data dir (the SQLite
//! database, its WAL, logs, job logs, cache) and in everything the CLI printed.

mod common;

use common::fake::{Fake, Reply};
use common::*;
use std::path::{Path, PathBuf};

const KEY: &str = "sk-planted-e2e-KEY-7f3a9c1d5e";

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

async fn cli(config: &Path, data: &Path, args: &[&str]) -> (bool, String, String) {
    let mut cmd = cli_command(config, data, args, ("T2V_E2E_KEY", KEY));
    cmd.env("THEORY2VIDEO_LOG", "debug");
    let out = tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// No file under `dir` holds the key (nor a long run of it).
fn assert_no_key_in(dir: &Path) -> usize {
    let all = files(dir);
    for f in &all {
        let bytes = std::fs::read(f).unwrap_or_default();
        for needle in [KEY, &KEY[4..16], &KEY[14..]] {
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle.as_bytes()),
                "the key is in {}",
                f.display()
            );
        }
    }
    all.len()
}

fn config(dir: &Path, fake: &Fake) {
    write_config(
        dir,
        &format!(
            "[profiles.fake]\nkind = \"openai\"\nbase_url = \"{}/v1\"\nmodel = \"fake-coder\"\n\
             api_key_env = \"T2V_E2E_KEY\"\nretry_base_ms = 50\n\n\
             [prices]\n\"fake-coder\" = {{ input = 1.0, output = 2.0 }}\n",
            fake.url()
        ),
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn generate_with_a_profile_makes_a_video_with_one_fixed_scene_and_never_stores_the_key() {
    let fake = Fake::start(&["fake-coder"], responder(&["Scene02"])).await;
    // One transient failure on the way, to exercise retries end to end.
    fake.push(Reply::Status(
        429,
        vec![("retry-after", "0".into())],
        "{}".into(),
    ));
    let cfg = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    config(cfg.path(), &fake);
    let topic = examples().join("pythagorean-theorem.md");
    let started = std::time::Instant::now();
    let (ok, stdout, stderr) = cli(
        cfg.path(),
        data.path(),
        &[
            "generate",
            topic.to_str().unwrap(),
            "--writer",
            "fake",
            "--max-scenes",
            "2",
            "--quality",
            "preview",
            "--json",
        ],
    )
    .await;
    eprintln!("generate took {:.1} s", started.elapsed().as_secs_f64());
    assert!(ok, "stdout:\n{stdout}\nstderr:\n{stderr}");
    let job: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    assert_eq!(job["status"], "completed", "{job}");
    let video = PathBuf::from(job["video"].as_str().unwrap());
    assert!(std::fs::metadata(&video).unwrap().len() > 1000);

    // Scene 2's first code failed to render; v1 is the fix, and it is what was rendered.
    let cache = files(&data.path().join("cache"));
    let code = |scene: &str, v: u32| {
        cache
            .iter()
            .find(|p| p.ends_with(format!("scenes/{scene}/code/v{v}.py")))
            .cloned()
    };
    assert!(code("01", 0).is_some() && code("01", 1).is_none());
    let v0 = std::fs::read_to_string(code("02", 0).expect("scene 2 v0")).unwrap();
    assert!(v0.contains("Circlee"));
    let v1 = std::fs::read_to_string(code("02", 1).expect("scene 2 v1")).unwrap();
    let render = format!(
        "scenes/02/render/preview-{}.mp4",
        t2v_core::util::hash::short_hash(&v1)
    );
    assert!(
        cache.iter().any(|p| p.ends_with(&render)),
        "v1 was rendered ({render})"
    );
    let fixes: Vec<_> = fake
        .chats()
        .into_iter()
        .filter(|c| c.task() == "fix")
        .collect();
    assert_eq!(fixes.len(), 1);
    assert!(
        fixes[0].user_texts()[0].contains("Circlee"),
        "the error reached the fix step"
    );
    for c in fake.chats() {
        assert_eq!(
            c.header("authorization"),
            Some(format!("Bearer {KEY}").as_str())
        );
    }

    // Tokens and cost are summed into the job.
    let id = job["id"].as_str().unwrap();
    let (ok, show, _) = cli(cfg.path(), data.path(), &["show", id, "--json"]).await;
    assert!(ok);
    let shown: serde_json::Value = serde_json::from_str(&show).unwrap();
    assert!(shown["tokens"]["total"].as_u64().unwrap() > 500, "{shown}");
    assert!(shown["cost"].as_f64().unwrap() > 0.0, "{shown}");

    // The key is nowhere: not in the DB, its WAL, the logs, the job log, the cache, the output.
    let n = assert_no_key_in(data.path());
    assert!(n > 10, "searched {n} files");
    for text in [&stdout, &stderr, &show] {
        assert!(!text.contains(KEY));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_key_fails_in_initializing_with_a_config_error_and_no_key_anywhere() {
    let fake = Fake::start(&["fake-coder"], responder(&[])).await;
    fake.push_models(Reply::Status(
        401,
        vec![],
        format!(r#"{{"error":{{"message":"Incorrect API key provided: {KEY}"}}}}"#),
    ));
    let cfg = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    config(cfg.path(), &fake);
    let topic = examples().join("pythagorean-theorem.md");
    let (ok, stdout, stderr) = cli(
        cfg.path(),
        data.path(),
        &[
            "generate",
            topic.to_str().unwrap(),
            "--writer",
            "fake",
            "--json",
        ],
    )
    .await;
    assert!(!ok);
    let job: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    assert_eq!(job["status"], "failed");
    assert_eq!(job["error"]["code"], "config");
    let msg = job["error"]["message"].as_str().unwrap();
    assert!(
        msg.contains("refused the API key") && msg.contains("T2V_E2E_KEY"),
        "{msg}"
    );
    assert!(fake.chats().is_empty(), "nothing was spent");
    let id = job["id"].as_str().unwrap();
    let (_, show, _) = cli(cfg.path(), data.path(), &["show", id, "--json"]).await;
    let shown: serde_json::Value = serde_json::from_str(&show).unwrap();
    assert_eq!(shown["stage"], "initializing", "{shown}");
    assert_no_key_in(data.path());
    for text in [&stdout, &stderr, &show] {
        assert!(!text.contains(KEY) && !text.contains(&KEY[4..16]), "{text}");
    }
}
