//! The UI's generated IPC bindings are what the Rust contract says, and the window's capability
//! grants exactly the commands the bindings call.

use std::path::PathBuf;
use t2v_desktop::bindings::{render, BINDINGS_PATH};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[test]
fn the_generated_bindings_are_fresh() {
    let fresh = render().expect("the contract exports");
    let committed = std::fs::read_to_string(root().join(BINDINGS_PATH)).unwrap_or_default();
    assert!(
        fresh == committed,
        "{BINDINGS_PATH} is stale: run `cargo run -p theory2video-desktop --example bindings` and commit it"
    );
    assert!(
        fresh.starts_with("// @generated"),
        "the file says it is generated"
    );
}

/// Command names the generated module invokes: `__TAURI_INVOKE("name"`.
fn invoked(bindings: &str) -> Vec<String> {
    bindings
        .split("__TAURI_INVOKE(\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_string)
        .collect()
}

#[test]
fn the_capability_grants_exactly_the_commands_the_ui_calls() {
    let bindings = render().expect("the contract exports");
    let mut names = invoked(&bindings);
    assert!(
        names.contains(&"start_job".to_string()) && names.len() > 10,
        "{names:?}"
    );
    let cap: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("src-tauri/capabilities/main.json")).unwrap(),
    )
    .unwrap();
    let mut granted: Vec<String> = cap["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p.as_str()?.strip_prefix("allow-"))
        .map(|p| p.replace('-', "_"))
        .collect();
    names.sort();
    granted.sort();
    assert_eq!(names, granted);
}
