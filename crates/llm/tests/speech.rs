//! The OpenAI-compatible speech voice against a loopback fake `/v1/audio/speech` that answers
//! with real WAV audio (a sine tone as long as the text deserves): the request, the key, config
//! errors, retries, cancellation, and end to end through the real CLI binary — a narrated
//! one-scene video, a re-run that synthesises nothing, and a server failing every call giving a
//! silent video with a warning.

mod common;

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use t2v_core::voice::{VoiceFactory, VoiceSpec};
use t2v_core::{CancellationToken, Error};

const KEY: &str = "sk-speech-planted-KEY-93be71c0";

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Wav,
    Fail,
    Hang,
}

#[derive(Default)]
struct Seen {
    bodies: Vec<serde_json::Value>,
    auth: Vec<Option<String>>,
}

struct FakeSpeech {
    url: String,
    seen: Arc<Mutex<Seen>>,
}

/// 16-bit mono PCM at 22.05 kHz: a 220 Hz tone of `secs`.
fn sine_wav(secs: f64) -> Vec<u8> {
    let rate = 22_050u32;
    let n = (secs * rate as f64) as u32;
    let mut w = Vec::with_capacity(44 + 2 * n as usize);
    w.extend_from_slice(b"RIFF");
    w.extend_from_slice(&(36 + 2 * n).to_le_bytes());
    w.extend_from_slice(b"WAVEfmt ");
    w.extend_from_slice(&16u32.to_le_bytes());
    w.extend_from_slice(&1u16.to_le_bytes());
    w.extend_from_slice(&1u16.to_le_bytes());
    w.extend_from_slice(&rate.to_le_bytes());
    w.extend_from_slice(&(rate * 2).to_le_bytes());
    w.extend_from_slice(&2u16.to_le_bytes());
    w.extend_from_slice(&16u16.to_le_bytes());
    w.extend_from_slice(b"data");
    w.extend_from_slice(&(2 * n).to_le_bytes());
    for i in 0..n {
        let t = i as f64 / rate as f64;
        let v = (t * 220.0 * std::f64::consts::TAU).sin() * 8000.0;
        w.extend_from_slice(&(v as i16).to_le_bytes());
    }
    w
}

async fn start(mode: Mode) -> FakeSpeech {
    let seen: Arc<Mutex<Seen>> = Arc::default();
    let s = seen.clone();
    let app = axum::Router::new().route(
        "/v1/audio/speech",
        axum::routing::post(move |h: HeaderMap, b: Bytes| {
            let s = s.clone();
            async move {
                let body: serde_json::Value = serde_json::from_slice(&b).unwrap_or_default();
                let text = body["input"].as_str().unwrap_or("").to_string();
                {
                    let mut s = s.lock().unwrap();
                    s.bodies.push(body);
                    s.auth.push(
                        h.get("authorization")
                            .map(|v| v.to_str().unwrap().to_string()),
                    );
                }
                let r: Response = match mode {
                    Mode::Wav => {
                        let secs = (0.3 + 0.05 * text.chars().count() as f64).min(6.0);
                        ([("content-type", "audio/wav")], sine_wav(secs)).into_response()
                    }
                    Mode::Fail => (
                        StatusCode::INTERNAL_SERVER_ERROR,
                        format!(r#"{{"error":{{"message":"engine crashed for key {KEY}"}}}}"#),
                    )
                        .into_response(),
                    Mode::Hang => {
                        tokio::time::sleep(Duration::from_secs(30)).await;
                        StatusCode::OK.into_response()
                    }
                };
                r
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/v1", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    FakeSpeech { url, seen }
}

fn spec(url: &str, key_env: Option<&str>) -> VoiceSpec {
    VoiceSpec {
        engine: t2v_core::voice::VoiceEngine::Openai,
        voice: Some("nova".into()),
        speed: 1.25,
        model: Some("tts-test".into()),
        base_url: Some(url.into()),
        api_key_env: key_env.map(str::to_string),
        ..VoiceSpec::default()
    }
}

fn fast_retries() {
    std::env::set_var("THEORY2VIDEO_SPEECH_RETRY_MS", "10");
    std::env::set_var("THEORY2VIDEO_SPEECH_RETRIES", "2");
    std::env::set_var("THEORY2VIDEO_NO_KEYCHAIN", "1");
}

#[tokio::test]
async fn speaks_wav_with_the_request_fields_and_the_key() {
    fast_retries();
    std::env::set_var("T2V_SPEECH_KEY_A", KEY);
    let fake = start(Mode::Wav).await;
    let voice = t2v_llm::Voices
        .create(&spec(&fake.url, Some("T2V_SPEECH_KEY_A")))
        .unwrap()
        .expect("a voice");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("s.wav");
    voice
        .speak("Hello there.", &out, &CancellationToken::new())
        .await
        .unwrap();
    let bytes = std::fs::read(&out).unwrap();
    assert_eq!(&bytes[..4], b"RIFF");
    let seen = fake.seen.lock().unwrap();
    let b = &seen.bodies[0];
    assert_eq!(b["model"], "tts-test");
    assert_eq!(b["input"], "Hello there.");
    assert_eq!(b["voice"], "nova");
    assert_eq!(b["response_format"], "wav");
    assert_eq!(b["speed"], 1.25);
    assert_eq!(
        seen.auth[0].as_deref(),
        Some(format!("Bearer {KEY}").as_str())
    );
    assert!(!voice.key().contains(KEY) && voice.key().contains("tts-test"));
    // Other engines still come from the core.
    let none = VoiceSpec::none();
    assert!(t2v_llm::Voices.create(&none).unwrap().is_none());
}

#[tokio::test]
async fn config_errors_are_clear_and_a_local_server_needs_no_key() {
    fast_retries();
    let err = |s: VoiceSpec| match t2v_llm::Voices.create(&s) {
        Err(Error::Config(m)) => m,
        Err(e) => panic!("not a config error: {e}"),
        Ok(_) => panic!("accepted {s:?}"),
    };
    let mut s = spec("http://127.0.0.1:9/v1", None);
    s.model = None;
    assert!(err(s).contains("--voice-model"));
    let m = err(spec(
        "https://speech.example.com/v1",
        Some("T2V_UNSET_SPEECH_KEY"),
    ));
    assert!(m.contains("T2V_UNSET_SPEECH_KEY"), "{m}");
    let mut s = spec("https://speech.example.com/v1", None);
    s.api_key_env = None;
    std::env::remove_var("OPENAI_API_KEY");
    assert!(err(s).contains("OPENAI_API_KEY"));
    assert!(err(spec("not a url", None)).contains("not a URL"));
    // An unknown engine cannot reach the factory: settings and stored jobs refuse it.
    assert!(serde_json::from_str::<VoiceSpec>(r#"{"engine":"bogus"}"#).is_err());
    let e = "bogus".parse::<t2v_core::voice::VoiceEngine>().unwrap_err();
    assert!(e.contains("unknown voice engine"), "{e}");
    let s: VoiceSpec = serde_json::from_str(r#"{"engine":"openai-compatible"}"#).unwrap();
    assert_eq!(serde_json::to_value(&s).unwrap()["engine"], "openai");
    // Loopback without a named variable: no key needed.
    assert!(t2v_llm::Voices
        .create(&spec("http://localhost:8880/v1", None))
        .unwrap()
        .is_some());
}

#[tokio::test]
async fn failures_are_retried_then_reported_without_the_key() {
    fast_retries();
    std::env::set_var("T2V_SPEECH_KEY_B", KEY);
    let fake = start(Mode::Fail).await;
    let voice = t2v_llm::Voices
        .create(&spec(&fake.url, Some("T2V_SPEECH_KEY_B")))
        .unwrap()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let e = voice
        .speak("Hi.", &dir.path().join("x.wav"), &CancellationToken::new())
        .await
        .unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.contains("HTTP 500") && msg.contains("3 attempts"),
        "{msg}"
    );
    assert!(!msg.contains(KEY) && !msg.contains(&KEY[10..22]), "{msg}");
    assert_eq!(fake.seen.lock().unwrap().bodies.len(), 3);
}

#[tokio::test]
async fn cancellation_aborts_the_request() {
    fast_retries();
    let fake = start(Mode::Hang).await;
    let voice = t2v_llm::Voices
        .create(&spec(&fake.url, None))
        .unwrap()
        .unwrap();
    let cancel = CancellationToken::new();
    let c = cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(300)).await;
        c.cancel();
    });
    let dir = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let r = voice
        .speak("Wait.", &dir.path().join("x.wav"), &cancel)
        .await;
    assert!(matches!(r, Err(Error::Cancelled)), "{r:?}");
    assert!(started.elapsed() < Duration::from_secs(3));
}

fn generate(data: &Path, url: &str, extra: &[&str]) -> (serde_json::Value, String) {
    let mut cmd = Command::new(common::binary());
    cmd.arg("--data-dir")
        .arg(data)
        .args([
            "generate",
            "--topic",
            "Pythagorean theorem",
            "--description",
            "In a right triangle $a^2+b^2=c^2$. It is the basis of distance.",
            "--max-scenes",
            "1",
            "--voice",
            "openai",
            "--voice-model",
            "tts-test",
            "--voice-base-url",
            url,
            "--voice-api-key-env",
            "T2V_SPEECH_E2E_KEY",
            "--json",
        ])
        .args(extra)
        .env("THEORY2VIDEO_VENV", common::venv())
        .env("THEORY2VIDEO_NO_KEYCHAIN", "1")
        .env("THEORY2VIDEO_SPEECH_RETRY_MS", "10")
        .env("T2V_SPEECH_E2E_KEY", KEY)
        .env_remove("THEORY2VIDEO_DATA_DIR");
    let out = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(!stdout.contains(KEY) && !stderr.contains(KEY));
    let job = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    (job, stderr)
}

fn ffprobe_streams(video: &Path) -> (f64, f64) {
    let out = Command::new("ffprobe")
        .args(["-v", "error", "-print_format", "json", "-show_streams"])
        .arg(video)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let d = |kind: &str| {
        v["streams"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["codec_type"] == kind)
            .and_then(|s| s["duration"].as_str()?.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (d("audio"), d("video"))
}

fn no_key_under(dir: &Path) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            no_key_under(&p);
        } else {
            let b = std::fs::read(&p).unwrap_or_default();
            assert!(
                !b.windows(KEY.len()).any(|w| w == KEY.as_bytes()),
                "the key is in {}",
                p.display()
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cli_narrates_with_the_endpoint_reruns_from_cache_and_falls_back_to_silence() {
    let fake = start(Mode::Wav).await;
    let data = tempfile::tempdir().unwrap();
    let (d, url) = (data.path().to_path_buf(), fake.url.clone());
    let started = Instant::now();
    let (job, _) = tokio::task::spawn_blocking(move || generate(&d, &url, &[]))
        .await
        .unwrap();
    eprintln!(
        "narrated 1-scene video in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    assert_eq!(job["status"], "completed", "{job}");
    let video = Path::new(job["video"].as_str().unwrap()).to_path_buf();
    let (audio, pic) = ffprobe_streams(&video);
    assert!(
        pic > 1.0 && (audio - pic).abs() < 0.2,
        "audio {audio} s, video {pic} s"
    );
    let srt = std::fs::read_to_string(job["subtitles"].as_str().expect("subtitles")).unwrap();
    let cues = t2v_core::voice::subtitles::parse_srt(&srt).unwrap();
    let requests = fake.seen.lock().unwrap().bodies.len();
    assert!(
        cues.len() >= 2 && requests == cues.len(),
        "{requests} requests, {srt}"
    );
    assert!(cues.windows(2).all(|w| w[0].end <= w[1].start));
    assert!(cues.iter().all(|c| c.start < c.end && c.end <= pic + 0.01));
    // One request per sentence, plain text.
    let inputs: Vec<String> = fake
        .seen
        .lock()
        .unwrap()
        .bodies
        .iter()
        .map(|b| b["input"].to_string())
        .collect();
    assert!(
        inputs.iter().all(|i| !i.contains('$') && !i.contains('*')),
        "{inputs:?}"
    );

    // Re-run: every sentence comes from the cache.
    let (d, url) = (data.path().to_path_buf(), fake.url.clone());
    let (job2, _) = tokio::task::spawn_blocking(move || generate(&d, &url, &[]))
        .await
        .unwrap();
    assert_eq!(job2["status"], "completed");
    assert_eq!(
        fake.seen.lock().unwrap().bodies.len(),
        requests,
        "re-run synthesised"
    );
    let log2 = std::fs::read_to_string(
        Path::new(job2["video"].as_str().unwrap()).with_file_name("job.log"),
    )
    .unwrap();
    assert!(log2.contains("0 sentence(s) synthesised"), "{log2}");

    // A server failing every call: the job completes, silent, with a warning in its log.
    let failing = start(Mode::Fail).await;
    let fresh = tempfile::tempdir().unwrap();
    let (d, url) = (fresh.path().to_path_buf(), failing.url.clone());
    let (job3, _) = tokio::task::spawn_blocking(move || generate(&d, &url, &[]))
        .await
        .unwrap();
    assert_eq!(job3["status"], "completed", "{job3}");
    assert!(job3["subtitles"].is_null());
    let v3 = Path::new(job3["video"].as_str().unwrap()).to_path_buf();
    let (audio3, pic3) = ffprobe_streams(&v3);
    assert!(audio3 > 0.0 && pic3 > 0.0, "a silent track is still there");
    let log3 = std::fs::read_to_string(v3.with_file_name("job.log")).unwrap();
    assert!(log3.contains("WARNING: scene 1 narration failed"), "{log3}");
    assert!(!log3.contains(KEY));
    no_key_under(data.path());
    no_key_under(fresh.path());
}
