//! Writes the UI's generated IPC bindings (`ui/js/bindings.js`) from the Rust contract.
//! `cargo run -p theory2video-desktop --example bindings`

fn main() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let path = root.join(t2v_desktop::bindings::BINDINGS_PATH);
    let text = t2v_desktop::bindings::render().unwrap_or_else(|e| {
        eprintln!("cannot generate the bindings: {e}");
        std::process::exit(1);
    });
    std::fs::write(&path, text).unwrap_or_else(|e| {
        eprintln!("cannot write {}: {e}", path.display());
        std::process::exit(1);
    });
    println!("wrote {}", path.display());
}
