//! End to end with real Manim and ffmpeg: a 2-scene preview video from a topic file, every stage
//! recorded, bad input beside good input, and a re-run that renders nothing.

mod common;
use common::*;

#[test]
fn two_scene_video_then_rerun_renders_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let good = write(
        tmp.path(),
        "euler.md",
        "# Euler's identity 🚀\nIt links $e$, $i$ and $\\pi$: $$e^{i\\pi} + 1 = 0$$\n- five constants\n- one equation\n"
            .as_bytes(),
    );
    let empty = write(tmp.path(), "empty-topic.md", b"");
    let out = run(
        &data,
        &[
            "generate",
            good.to_str().unwrap(),
            empty.to_str().unwrap(),
            "--max-scenes",
            "2",
            "--json",
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    // The bad file is named with its reason; the good one still ran; exit is non-zero.
    assert!(
        stderr.contains("empty-topic.md") && stderr.contains("empty"),
        "{stderr}"
    );
    assert_eq!(out.status.code(), Some(1));
    let jobs = json_lines(&out);
    assert_eq!(jobs.len(), 1, "one JSON object per job");
    let job = &jobs[0];
    assert_eq!(job["status"], "completed", "{job}");
    let id = job["id"].as_str().unwrap();
    let video = std::path::PathBuf::from(job["video"].as_str().unwrap());
    let thumb = std::path::PathBuf::from(job["thumbnail"].as_str().unwrap());
    assert!(
        video.starts_with(data.canonicalize().unwrap()),
        "outputs stay in the data dir"
    );
    let (duration, has_video, has_audio) = probe(&video);
    assert!(
        duration > 1.0 && has_video && has_audio,
        "duration {duration}, video {has_video}, audio {has_audio}"
    );
    // Narrated by default: the audio lasts as long as the picture, the subtitles fit inside.
    let (audio_secs, video_secs) = stream_durations(&video);
    assert!(
        (audio_secs - video_secs).abs() < 0.2,
        "audio {audio_secs} s vs video {video_secs} s"
    );
    let srt = std::fs::read_to_string(job["subtitles"].as_str().expect("subtitles path")).unwrap();
    let cues = parse_srt(&srt);
    assert!(cues.len() >= 2, "{srt}");
    assert!(
        cues.windows(2).all(|w| w[0].1 <= w[1].0),
        "cues in order: {cues:?}"
    );
    assert!(
        cues.iter().all(|c| c.0 < c.1 && c.1 <= duration + 0.01),
        "cues inside the video: {cues:?}"
    );
    let png = std::fs::read(&thumb).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "thumbnail is a PNG");

    let shown = show(&data, id);
    assert_eq!(shown["status"], "completed");
    assert_eq!(shown["progress"], 100.0);
    assert!(shown["error"].is_null());
    assert_eq!(
        stage_order(&shown),
        ALL_STAGES.to_vec(),
        "all 8 stages in order"
    );
    let progress: Vec<f64> = shown["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["progress"].as_f64().unwrap())
        .collect();
    assert!(
        progress.windows(2).all(|w| w[0] <= w[1]),
        "progress never goes back: {progress:?}"
    );
    let scenes = shown["scenes"].as_array().unwrap();
    assert_eq!(scenes.len(), 2);
    let snapshots = files_with_suffix(&data.join("videos"), ".png");
    assert_eq!(
        snapshots.len(),
        3,
        "thumbnail + one snapshot per scene: {snapshots:?}"
    );

    // Re-run: nothing is rendered again.
    let renders_before: Vec<_> = files_with_suffix(&data.join("cache"), ".mp4")
        .into_iter()
        .map(|p| {
            (
                p.clone(),
                std::fs::metadata(&p).unwrap().modified().unwrap(),
            )
        })
        .collect();
    let started = std::time::Instant::now();
    let out2 = run(
        &data,
        &[
            "generate",
            good.to_str().unwrap(),
            "--max-scenes",
            "2",
            "--json",
        ],
    );
    let rerun_secs = started.elapsed().as_secs_f64();
    assert!(out2.status.success());
    let job2 = &json_lines(&out2)[0];
    assert_eq!(job2["status"], "completed");
    assert_ne!(job2["id"], job["id"]);
    let shown2 = show(&data, job2["id"].as_str().unwrap());
    for s in shown2["scenes"].as_array().unwrap() {
        assert_eq!(s["status"], "cached", "scene re-rendered: {s}");
    }
    let renders_after: Vec<_> = files_with_suffix(&data.join("cache"), ".mp4")
        .into_iter()
        .map(|p| {
            (
                p.clone(),
                std::fs::metadata(&p).unwrap().modified().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        renders_before, renders_after,
        "no render file was added or rewritten"
    );
    let log = std::fs::read_to_string(
        std::path::Path::new(job2["video"].as_str().unwrap()).with_file_name("job.log"),
    )
    .unwrap();
    assert!(
        log.contains("0 sentence(s) synthesised"),
        "the re-run synthesised speech again: {log}"
    );
    eprintln!("re-run of an unchanged job took {rerun_secs:.2} s");
}

#[test]
fn history_and_show_contract() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let out = run(&data, &["jobs", "--json"]);
    assert!(out.status.success());
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap(),
        serde_json::json!([])
    );
    let out = run(&data, &["show", "deadbeef", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("[not_found]"));
    let out = run(
        &data,
        &[
            "generate",
            "--topic",
            "ab",
            "--description",
            "too short a topic",
        ],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("[invalid_input]"));
    let out = run(&data, &["doctor", "--json"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let names: Vec<&str> = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    for n in ["python", "manim", "ffmpeg", "ffprobe", "latex", "sandbox"] {
        assert!(names.contains(&n), "doctor lacks {n}: {names:?}");
    }
}

#[test]
fn a_failing_voice_gives_a_silent_video_not_a_failed_job() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    // No piper binary on this machine (or no model): narration must fall back to silence.
    let out = run(
        &data,
        &[
            "generate",
            "--topic",
            "Silent fallback",
            "--description",
            "A topic narrated by a voice that cannot speak.",
            "--max-scenes",
            "1",
            "--voice",
            "piper",
            "--voice-name",
            "/nonexistent/voice.onnx",
            "--json",
        ],
    );
    assert!(out.status.success());
    let job = &json_lines(&out)[0];
    assert_eq!(job["status"], "completed");
    assert!(job["subtitles"].is_null());
    let video = std::path::Path::new(job["video"].as_str().unwrap());
    let (_, has_video, has_audio) = probe(video);
    assert!(
        has_video && has_audio,
        "silent audio track keeps players and concatenation happy"
    );
    let log = std::fs::read_to_string(video.with_file_name("job.log")).unwrap();
    assert!(log.contains("WARNING: narration is off"), "{log}");
}
