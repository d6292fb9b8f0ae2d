//! The static check of generated Python before it is rendered: it parses and compiles, defines
//! the scene's class, and imports or calls nothing forbidden.

use super::{process, python::PythonEnv};
use crate::error::{Error, Result};
use std::path::Path;
use std::time::Duration;
use tokio::process::Command;
use tokio_util::sync::CancellationToken;

/// Problems the static check of generated code can find.
pub const FORBIDDEN_MODULES: &[&str] = &[
    "os",
    "sys",
    "subprocess",
    "socket",
    "shutil",
    "pathlib",
    "requests",
    "urllib",
    "http",
    "ftplib",
    "pickle",
    "ctypes",
    "multiprocessing",
    "threading",
    "asyncio",
    "importlib",
    "builtins",
    "io",
    "tempfile",
    "glob",
    "signal",
    "webbrowser",
    "smtplib",
    "telnetlib",
    "pty",
    "fcntl",
    "resource",
];

const CHECK_SCRIPT: &str = r#"
import ast, json, sys
path, cls, forbidden = sys.argv[1], sys.argv[2], set(sys.argv[3].split(","))
try:
    src = open(path, encoding="utf-8").read()
    tree = ast.parse(src, path)
    compile(tree, path, "exec")
except SyntaxError as e:
    print(json.dumps({"ok": False, "error": f"SyntaxError: {e.msg} (line {e.lineno})"})); sys.exit(0)
except Exception as e:
    print(json.dumps({"ok": False, "error": f"{type(e).__name__}: {e}"})); sys.exit(0)
bad = []
for node in ast.walk(tree):
    if isinstance(node, ast.Import):
        bad += [a.name for a in node.names if a.name.split(".")[0] in forbidden]
    elif isinstance(node, ast.ImportFrom):
        if node.module and node.module.split(".")[0] in forbidden:
            bad.append(node.module)
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("eval", "exec", "open", "__import__", "compile", "breakpoint", "input"):
        bad.append(node.func.id + "()")
if bad:
    print(json.dumps({"ok": False, "error": "forbidden in generated code: " + ", ".join(sorted(set(bad)))})); sys.exit(0)
classes = [n.name for n in tree.body if isinstance(n, ast.ClassDef)]
if cls not in classes:
    print(json.dumps({"ok": False, "error": f"NameError: the Scene class {cls} is missing (found: {', '.join(classes) or 'none'})"})); sys.exit(0)
print(json.dumps({"ok": True}))
"#;

/// Checks code statically with the venv's Python: it parses and compiles, defines `class_name`,
/// and imports nothing forbidden. `Ok(Err(reason))` is a problem to send to the fix step.
pub async fn check_code(
    python: &PythonEnv,
    file: &Path,
    class_name: &str,
    cancel: &CancellationToken,
) -> Result<std::result::Result<(), String>> {
    let mut cmd = Command::new(python.python());
    cmd.arg("-I")
        .arg("-c")
        .arg(CHECK_SCRIPT)
        .arg(file)
        .arg(class_name)
        .arg(FORBIDDEN_MODULES.join(","));
    let out = process::run(
        cmd,
        "python code check",
        cancel,
        Some(Duration::from_secs(60)),
        |_| {},
    )
    .await?;
    let v: serde_json::Value = serde_json::from_str(out.stdout.trim())
        .map_err(|_| Error::Internal(format!("code check failed: {}", out.last_error_line())))?;
    if v["ok"].as_bool() == Some(true) {
        Ok(Ok(()))
    } else {
        Ok(Err(v["error"]
            .as_str()
            .unwrap_or("invalid code")
            .to_string()))
    }
}
