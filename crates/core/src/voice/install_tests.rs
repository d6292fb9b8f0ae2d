use super::*;
use crate::error::ErrorCode;
use crate::voice::piper;

/// A small but well-formed ONNX `ModelProto`: ir_version 8, a graph with one named node, and an
/// opset import (the fields a Piper export starts with).
fn onnx_bytes() -> Vec<u8> {
    let node = [0x0a, 0x03, b'o', b'u', b't']; // NodeProto.output = "out"
    let mut graph = vec![0x0a, node.len() as u8]; // GraphProto.node
    graph.extend_from_slice(&node);
    let mut m = vec![0x08, 0x08]; // ir_version = 8
    m.extend_from_slice(&[0x3a, graph.len() as u8]); // graph (field 7)
    m.extend_from_slice(&graph);
    m.extend_from_slice(&[0x42, 0x02, 0x10, 0x0f]); // opset_import { version: 15 }
    m
}

const CONFIG: &str = r#"{"audio": {"sample_rate": 22050, "quality": "medium"},
  "espeak": {"voice": "en-us"}, "num_symbols": 256,
  "phoneme_id_map": {"_": [0], "^": [1], "$": [2], "a": [14]}}"#;

fn voice_in(dir: &Path, name: &str, model: &[u8], config: Option<&str>) -> PathBuf {
    let m = dir.join(format!("{name}.onnx"));
    std::fs::write(&m, model).unwrap();
    if let Some(c) = config {
        std::fs::write(dir.join(format!("{name}.onnx.json")), c).unwrap();
    }
    m
}

fn setup() -> (tempfile::TempDir, tempfile::TempDir, DataDir) {
    let downloads = tempfile::tempdir().unwrap();
    let root = tempfile::tempdir().unwrap();
    let data = DataDir::at(root.path()).unwrap();
    (downloads, root, data)
}

#[test]
fn installs_a_voice_chosen_by_its_model_and_piper_finds_it() {
    let (dl, _root, data) = setup();
    let chosen = voice_in(dl.path(), "en_US-test-medium", &onnx_bytes(), Some(CONFIG));
    let v = install_piper_voice(&data, &chosen).unwrap();
    assert_eq!(v.name, "en_US-test-medium");
    let dest = data.root().join("voices").join("en_US-test-medium.onnx");
    assert_eq!(v.model, dest.to_string_lossy());
    assert_eq!(std::fs::read(&dest).unwrap(), onnx_bytes());
    assert_eq!(
        std::fs::read_to_string(dest.with_extension("onnx.json")).unwrap(),
        CONFIG
    );
    let dirs = piper::voice_dirs(Some(&data));
    assert_eq!(piper::find_models(&dirs), vec![dest.clone()]);
    assert_eq!(
        piper::resolve_model(Some("en_US-test-medium"), &dirs),
        Some(dest)
    );
    // No temporary file is left behind.
    let names: Vec<_> = std::fs::read_dir(data.root().join("voices"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
}

#[test]
fn the_config_file_may_be_the_one_chosen_and_reinstalling_replaces() {
    let (dl, _root, data) = setup();
    voice_in(dl.path(), "de_DE-x-low", &onnx_bytes(), Some(CONFIG));
    let cfg = dl.path().join("de_DE-x-low.onnx.json");
    install_piper_voice(&data, &cfg).unwrap();
    let v = install_piper_voice(&data, &cfg).unwrap();
    assert_eq!(v.name, "de_DE-x-low");
    // Choosing the installed file itself only checks it.
    let again = install_piper_voice(&data, Path::new(&v.model)).unwrap();
    assert_eq!(again, v);
}

fn rejected(model: &[u8], config: Option<&str>, name: &str) -> String {
    let (dl, _root, data) = setup();
    let chosen = voice_in(dl.path(), name, model, config);
    let e = install_piper_voice(&data, &chosen).unwrap_err();
    assert_eq!(e.code(), ErrorCode::InvalidInput, "{e}");
    assert!(
        !data
            .root()
            .join("voices")
            .join(format!("{name}.onnx"))
            .exists(),
        "a rejected voice was installed"
    );
    e.to_string()
}

#[test]
fn a_model_without_its_config_is_refused() {
    let msg = rejected(&onnx_bytes(), None, "lonely");
    assert!(msg.contains("lonely.onnx.json"), "{msg}");
}

#[test]
fn a_config_that_is_not_piper_s_is_refused() {
    rejected(&onnx_bytes(), Some(r#"{"audio": {}}"#), "nomap");
    rejected(&onnx_bytes(), Some("not json"), "notjson");
}

#[test]
fn a_file_that_is_not_onnx_is_refused() {
    rejected(
        b"hello, I am a text file renamed to .onnx\n",
        Some(CONFIG),
        "text",
    );
    rejected(b"", Some(CONFIG), "empty");
    // A length field that runs past the end (a truncated download).
    let mut cut = onnx_bytes();
    cut.truncate(cut.len() - 3);
    rejected(&cut, Some(CONFIG), "truncated");
    // Well-formed protobuf but no graph.
    rejected(&[0x08, 0x08], Some(CONFIG), "nograph");
}

#[test]
fn another_kind_of_file_is_refused() {
    let (dl, _root, data) = setup();
    let p = dl.path().join("voice.wav");
    std::fs::write(&p, b"RIFF").unwrap();
    let e = install_piper_voice(&data, &p).unwrap_err();
    assert_eq!(e.code(), ErrorCode::InvalidInput);
}
