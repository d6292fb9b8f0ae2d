//! The per-topic artefact cache: outline, per-scene plans, versioned code, renders, logs.
//! A cached artefact is reused only if it validates structurally; anything else (an error message
//! saved as content, an empty or truncated file) is logged, removed and regenerated.

use crate::error::{Error, IoContext, Result};
use crate::job::Quality;
use crate::paths::DataDir;
use crate::render::{process, python::PythonEnv};
use crate::slug;
use crate::topic::Topic;
use crate::writer::{Outline, ScenePlan};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::process::Command;
use tokio_util::sync::CancellationToken;

#[derive(Debug, Clone)]
pub struct TopicCache {
    dir: PathBuf,
}

/// Writes a file atomically (temp file + rename), so a crash never leaves half a file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).ctx(|| format!("creating {}", parent.display()))?;
    }
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    std::fs::write(&tmp, bytes).ctx(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, path).ctx(|| format!("writing {}", path.display()))
}

/// SHA-256 of text, first 16 hex characters.
pub fn short_hash(text: &str) -> String {
    slug::hash_parts(&[text])[..16].to_string()
}

impl TopicCache {
    /// The cache folder for a topic made by a writer: safe, unique, inside the data dir.
    pub fn for_topic(data: &DataDir, topic: &Topic, writer_key: &str, latex: bool) -> TopicCache {
        let sections = serde_json::to_string(&topic.sections).unwrap_or_default();
        let name = slug::unique(
            &topic.title,
            &[
                &topic.title,
                &topic.description,
                &sections,
                writer_key,
                if latex { "tex" } else { "notex" },
            ],
        );
        TopicCache {
            dir: data.cache().join(name),
        }
    }

    pub fn at(dir: PathBuf) -> TopicCache {
        TopicCache { dir }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }
    pub fn outline_path(&self) -> PathBuf {
        self.dir.join("outline.json")
    }
    pub fn scene_dir(&self, index: u32) -> PathBuf {
        self.dir.join("scenes").join(format!("{index:02}"))
    }
    pub fn plan_path(&self, index: u32) -> PathBuf {
        self.scene_dir(index).join("plan.json")
    }
    pub fn code_path(&self, index: u32, version: u32) -> PathBuf {
        self.scene_dir(index)
            .join("code")
            .join(format!("v{version}.py"))
    }
    /// The render of one code version at one quality: keyed by the code's hash, so changed code
    /// renders again and unchanged code never does.
    pub fn render_path(&self, index: u32, quality: Quality, code: &str) -> PathBuf {
        self.scene_dir(index).join("render").join(format!(
            "{}-{}.mp4",
            quality.as_str(),
            short_hash(code)
        ))
    }
    pub fn work_dir(&self, index: u32) -> PathBuf {
        self.scene_dir(index).join("work")
    }
    pub fn log_path(&self, index: u32, version: u32) -> PathBuf {
        self.scene_dir(index)
            .join("logs")
            .join(format!("render-v{version}.log"))
    }
    pub fn final_path(&self, quality: Quality, key: &str) -> PathBuf {
        self.dir
            .join("final")
            .join(format!("{}-{}.mp4", quality.as_str(), short_hash(key)))
    }

    fn load_json<T: DeserializeOwned>(
        &self,
        path: &Path,
        validate: impl Fn(&T) -> Result<(), String>,
    ) -> Option<T> {
        let text = std::fs::read_to_string(path).ok()?;
        let parsed = serde_json::from_str::<T>(&text)
            .map_err(|e| e.to_string())
            .and_then(|v| validate(&v).map(|_| v));
        match parsed {
            Ok(v) => Some(v),
            Err(why) => {
                tracing::warn!(path = %path.display(), %why, "corrupted cache artefact; regenerating");
                let _ = std::fs::remove_file(path);
                None
            }
        }
    }

    fn save_json<T: Serialize>(&self, path: &Path, v: &T) -> Result<()> {
        let text = serde_json::to_string_pretty(v).map_err(|e| Error::Internal(e.to_string()))?;
        write_atomic(path, text.as_bytes())
    }

    pub fn load_outline(&self) -> Option<Outline> {
        self.load_json(&self.outline_path(), Outline::validate)
    }
    pub fn save_outline(&self, o: &Outline) -> Result<()> {
        self.save_json(&self.outline_path(), o)
    }
    pub fn load_plan(&self, index: u32) -> Option<ScenePlan> {
        self.load_json(&self.plan_path(index), |p: &ScenePlan| {
            p.validate()?;
            if p.index != index {
                return Err(format!("plan is for scene {}, expected {index}", p.index));
            }
            Ok(())
        })
    }
    pub fn save_plan(&self, p: &ScenePlan) -> Result<()> {
        self.save_json(&self.plan_path(p.index), p)
    }

    /// Code versions present for a scene, highest first.
    pub fn code_versions(&self, index: u32) -> Vec<u32> {
        let mut v: Vec<u32> = std::fs::read_dir(self.scene_dir(index).join("code"))
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                name.strip_prefix('v')?.strip_suffix(".py")?.parse().ok()
            })
            .collect();
        v.sort_unstable_by(|a, b| b.cmp(a));
        v
    }

    pub fn save_code(&self, index: u32, version: u32, code: &str) -> Result<PathBuf> {
        let p = self.code_path(index, version);
        write_atomic(&p, code.as_bytes())?;
        Ok(p)
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::writer::SceneOutline;

    fn cache() -> (tempfile::TempDir, TopicCache) {
        let d = tempfile::tempdir().unwrap();
        let data = DataDir::at(d.path()).unwrap();
        let t = Topic::from_form("../../Évil / topic 🚀", "a description here").unwrap();
        let c = TopicCache::for_topic(&data, &t, "k", false);
        assert!(data.contains(c.dir()));
        assert!(c.dir().starts_with(data.cache()));
        (d, c)
    }

    #[test]
    fn a_planted_error_message_as_outline_is_detected_and_removed() {
        let (_d, c) = cache();
        write_atomic(
            &c.outline_path(),
            b"Error: rate limit exceeded, please try again later",
        )
        .unwrap();
        assert!(c.load_outline().is_none());
        assert!(!c.outline_path().exists(), "the corrupt file is removed");
        // Valid JSON of the wrong shape is refused too.
        write_atomic(&c.outline_path(), br#"{"topic":"x","scenes":[]}"#).unwrap();
        assert!(c.load_outline().is_none());
        let o = Outline {
            topic: "x".into(),
            scenes: vec![SceneOutline {
                title: "A".into(),
                purpose: "p".into(),
                kind: String::new(),
            }],
        };
        c.save_outline(&o).unwrap();
        assert_eq!(c.load_outline(), Some(o));
    }

    #[test]
    fn truncated_plan_is_refused() {
        let (_d, c) = cache();
        write_atomic(&c.plan_path(1), br#"{"index":1,"title":"T","storyb"#).unwrap();
        assert!(c.load_plan(1).is_none());
    }

    #[test]
    fn code_versions_sorted_and_render_keyed_by_code() {
        let (_d, c) = cache();
        c.save_code(2, 0, "a").unwrap();
        c.save_code(2, 1, "b").unwrap();
        c.save_code(2, 10, "c").unwrap();
        assert_eq!(c.code_versions(2), vec![10, 1, 0]);
        assert_ne!(
            c.render_path(2, Quality::Preview, "a"),
            c.render_path(2, Quality::Preview, "b")
        );
        assert_ne!(
            c.render_path(2, Quality::Preview, "a"),
            c.render_path(2, Quality::High, "a")
        );
    }
}
