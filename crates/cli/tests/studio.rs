//! The scene studio end to end, with real Manim, espeak-ng and ffmpeg: a 3-scene narrated
//! preview video, scene 2's narration made much longer (only scene 2 renders again, the
//! subtitles carry the new text, the video grows by the longer speech), two video versions, then
//! `--restore 0` brings back the first narration and length. Bad input changes nothing.

mod common;
use common::*;
use std::path::{Path, PathBuf};

const TOPIC: &str = "# Pythagorean theorem\nIn a right triangle the squares on the legs add up to the square on the hypotenuse.\n- legs a and b\n- hypotenuse c\n";

const LONGER: &str = "This narration of the second scene is much longer than the first one. \
It goes on for several sentences, each of them adding a few seconds of speech. \
The square on the hypotenuse equals the sum of the squares on the two legs. \
We say it slowly, so that everyone can follow along with the picture. \
Then we say it once more, in other words, to be sure it is understood.";

fn scene(data: &Path, id: &str, n: u32) -> serde_json::Value {
    let out = run(data, &["scene", id, &n.to_string(), "--json"]);
    assert!(out.status.success(), "scene {n} --json failed");
    serde_json::from_slice(&out.stdout).expect("scene --json is JSON")
}

fn clip(s: &serde_json::Value) -> PathBuf {
    PathBuf::from(s["video"].as_str().expect("a clip"))
}

fn mtime(p: &Path) -> std::time::SystemTime {
    std::fs::metadata(p).unwrap().modified().unwrap()
}

/// The subtitle file's text with its line breaks as spaces (long cues wrap).
fn srt_of(job: &serde_json::Value) -> String {
    let text = std::fs::read_to_string(job["subtitles"].as_str().expect("subtitles")).unwrap();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn editing_scene_2s_narration_renders_only_scene_2_and_restore_brings_it_back() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let topic = write(tmp.path(), "pythagoras.md", TOPIC.as_bytes());
    let out = run(
        &data,
        &[
            "generate",
            topic.to_str().unwrap(),
            "--quality",
            "preview",
            "--max-scenes",
            "3",
            "--json",
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    let job = json_lines(&out).remove(0);
    let id = job["id"].as_str().unwrap().to_string();
    let short = &id[..8];
    let first_video = PathBuf::from(job["video"].as_str().unwrap());
    let (first_len, _, _) = probe(&first_video);
    let before: Vec<serde_json::Value> = (1..=3).map(|n| scene(&data, short, n)).collect();
    let first_narration = before[1]["narration"].as_str().unwrap().to_string();
    assert!(srt_of(&job).contains(&first_narration[..20]));
    assert_eq!(before[1]["version"], 0);
    let times: Vec<_> = before.iter().map(|s| mtime(&clip(s))).collect();

    // Bad input: an unknown scene fails like generate's bad input and changes nothing.
    let bad = run(&data, &["scene", short, "9", "--narration", "Words."]);
    assert_eq!(bad.status.code(), Some(1));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("scene 9") && err.contains("3 scenes"), "{err}");
    let bad = run(&data, &["scene", short, "2", "--restore", "7"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("version 7"));
    let bad = run(
        &data,
        &["scene", short, "2", "--code", "/nonexistent/scene.py"],
    );
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("/nonexistent/scene.py"));
    // The offline writer cannot follow instructions, and says what can.
    let bad = run(&data, &["scene", short, "2", "--instruct", "make it blue"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("choose an LLM writer"));
    let shown = show(&data, &id);
    assert_eq!(shown["status"], "completed");
    assert_eq!(PathBuf::from(shown["video"].as_str().unwrap()), first_video);

    // A much longer narration for scene 2.
    let out = run(
        &data,
        &["scene", short, "2", "--narration", LONGER, "--json"],
    );
    assert_eq!(out.status.code(), Some(0));
    let edited = json_lines(&out).remove(0);
    assert_eq!(edited["status"], "completed", "{edited}");
    let new_video = PathBuf::from(edited["video"].as_str().unwrap());
    assert_ne!(new_video, first_video);
    assert!(first_video.is_file(), "the previous video stays on disk");
    let after: Vec<serde_json::Value> = (1..=3).map(|n| scene(&data, short, n)).collect();
    assert_eq!(after[1]["version"], 1);
    assert_eq!(after[1]["narration"], LONGER);
    for k in [0, 2] {
        assert_eq!(
            clip(&after[k]),
            clip(&before[k]),
            "scene {} kept its clip",
            k + 1
        );
        assert_eq!(
            mtime(&clip(&after[k])),
            times[k],
            "scene {} did not render",
            k + 1
        );
    }
    assert_ne!(clip(&after[1]), clip(&before[1]), "scene 2 rendered again");
    // The subtitles carry the new words, not the old ones.
    let srt = srt_of(&edited);
    assert!(srt.contains("much longer than the first one"), "{srt}");
    assert!(!srt.contains(&first_narration[..30]), "{srt}");
    // The video grows with the speech: scene 2's clip follows its narration's length.
    let (new_len, _, has_audio) = probe(&new_video);
    assert!(has_audio);
    let old2 = before[1]["duration_secs"].as_f64().unwrap();
    let new2 = after[1]["duration_secs"].as_f64().unwrap();
    assert!(new2 > old2 + 10.0, "scene 2: {old2:.1} s -> {new2:.1} s");
    assert!(
        (new_len - first_len - (new2 - old2)).abs() < 1.0,
        "video {first_len:.1} s -> {new_len:.1} s, scene 2 grew {:.1} s",
        new2 - old2
    );
    let cues = parse_srt(&std::fs::read_to_string(edited["subtitles"].as_str().unwrap()).unwrap());
    assert!(cues.iter().all(|c| c.1 <= new_len + 0.01), "{cues:?}");

    let out = run(&data, &["versions", short, "--json"]);
    let list: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list.len(), 2, "{list:?}");
    assert_eq!(list[0]["change"], "generated");
    assert_eq!(list[1]["change"], "narration");
    assert_eq!(list[1]["scene"], 2);
    assert_eq!(PathBuf::from(list[1]["video"].as_str().unwrap()), new_video);

    // Restore version 0: the first narration and length come back, as a third video version.
    let out = run(&data, &["scene", short, "2", "--restore", "0", "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let restored = json_lines(&out).remove(0);
    let (back_len, _, _) = probe(Path::new(restored["video"].as_str().unwrap()));
    assert!(
        (back_len - first_len).abs() < 0.3,
        "{first_len} vs {back_len}"
    );
    assert!(srt_of(&restored).contains(&first_narration[..20]));
    let s2 = scene(&data, short, 2);
    assert_eq!(s2["version"], 2);
    assert_eq!(s2["narration"].as_str().unwrap(), first_narration);
    assert_eq!(s2["versions"][2]["from_version"], 0);
    let out = run(&data, &["versions", short, "--json"]);
    let list: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list.len(), 3);
    assert!(list
        .iter()
        .all(|v| Path::new(v["video"].as_str().unwrap()).is_file()));

    // A person's code is rendered as written: a caption off the frame is kept and reported
    // (never rewritten by the writer's layout fix), and the scene becomes version 3.
    let code = std::fs::read_to_string(s2["code_path"].as_str().unwrap()).unwrap();
    let at = code
        .find("def construct(self):")
        .expect("a construct method");
    let at = at + code[at..].find('\n').unwrap() + 1;
    let mine = format!(
        "{}        self.add(Text(\"A caption far too long for the frame, running past its right edge\", font_size=40).move_to(RIGHT * 5))\n{}",
        &code[..at],
        &code[at..]
    );
    let file = write(tmp.path(), "mine.py", mine.as_bytes());
    let out = run(
        &data,
        &[
            "scene",
            short,
            "2",
            "--code",
            file.to_str().unwrap(),
            "--json",
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    let coded = json_lines(&out).remove(0);
    let s2 = scene(&data, short, 2);
    assert_eq!(s2["version"], 3);
    assert_eq!(
        std::fs::read_to_string(s2["code_path"].as_str().unwrap()).unwrap(),
        mine,
        "the person's code is kept as written"
    );
    let findings = s2["findings"].as_array().expect("findings");
    assert!(
        findings.iter().any(|f| f["kind"] == "text_off_frame"),
        "{findings:?}"
    );

    // Code that does not run fails the edit and leaves the last good video in place.
    let broken = mine.replace(
        "def construct(self):",
        "def construct(self):\n        raise RuntimeError('my mistake')",
    );
    let file = write(tmp.path(), "broken.py", broken.as_bytes());
    let out = run(
        &data,
        &["scene", short, "2", "--code", file.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("my mistake"), "{err}");
    let shown = show(&data, &id);
    assert_eq!(shown["video"], coded["video"], "the last good video stays");
    assert!(Path::new(coded["video"].as_str().unwrap()).is_file());
    assert_eq!(scene(&data, short, 2)["version"], 3);
}
