//! `cleanup`: scans the cache for corrupted artefacts (an error saved as content, empty or
//! truncated files, unplayable videos, leftovers of interrupted writes) and removes them. A valid
//! artefact is never removed.

use crate::cache::TopicCache;
use crate::error::Result;
use crate::paths::DataDir;
use crate::render::code_check::check_code;
use crate::render::Renderer;
use crate::writer::{scene_class, Outline, ScenePlan};
use serde::Serialize;
use std::path::{Path, PathBuf};
use tokio_util::sync::CancellationToken;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Corrupt {
    pub path: PathBuf,
    pub reason: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct CleanupReport {
    pub scanned: usize,
    pub corrupt: Vec<Corrupt>,
    pub removed: usize,
}

fn json_problem<T: serde::de::DeserializeOwned>(
    path: &Path,
    validate: impl Fn(&T) -> Result<(), String>,
) -> Option<String> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => return Some(format!("unreadable: {e}")),
    };
    match serde_json::from_str::<T>(&text) {
        Err(e) => Some(format!("not valid JSON of the expected shape: {e}")),
        Ok(v) => validate(&v).err(),
    }
}

/// Scans every topic folder; with `remove`, deletes what is corrupt.
pub async fn run(
    data: &DataDir,
    renderer: Option<&Renderer>,
    remove: bool,
) -> Result<CleanupReport> {
    let cancel = CancellationToken::new();
    let mut report = CleanupReport::default();
    let Ok(topics) = std::fs::read_dir(data.cache()) else {
        return Ok(report);
    };
    for topic_dir in topics.flatten().map(|e| e.path()).filter(|p| p.is_dir()) {
        let cache = TopicCache::at(topic_dir.clone());
        let mut files = Vec::new();
        walk(&topic_dir, &mut files);
        for f in files {
            report.scanned += 1;
            let name = f
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let rel = f.strip_prefix(&topic_dir).unwrap_or(&f).to_path_buf();
            let parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            let scene_index: Option<u32> = (parts.first().map(String::as_str) == Some("scenes"))
                .then(|| parts.get(1)?.parse().ok())
                .flatten();
            let problem = if name.contains(".tmp") {
                Some("left over from an interrupted write".to_string())
            } else if f == cache.outline_path() {
                json_problem::<Outline>(&f, Outline::validate)
            } else if name == "plan.json" {
                json_problem::<ScenePlan>(&f, |p| {
                    p.validate()?;
                    match scene_index {
                        Some(i) if i != p.index => {
                            Err(format!("plan is for scene {}, in folder {i}", p.index))
                        }
                        _ => Ok(()),
                    }
                })
            } else if name.ends_with(".py") && parts.iter().any(|p| p == "code") {
                let text = std::fs::read(&f)
                    .ok()
                    .and_then(|b| String::from_utf8(b).ok());
                match (text, renderer, scene_index) {
                    (None, _, _) => Some("not UTF-8 text".into()),
                    (Some(t), _, _) if t.trim().is_empty() => Some("empty".into()),
                    (Some(_), Some(r), Some(i)) if r.python.is_ready() => {
                        check_code(&r.python, &f, &scene_class(i), &cancel)
                            .await?
                            .err()
                    }
                    _ => None,
                }
            } else if name.ends_with(".mp4") {
                match renderer {
                    Some(r) if !r.is_valid_video(&f, &cancel).await => {
                        Some("not a playable video".into())
                    }
                    _ => None,
                }
            } else {
                None
            };
            if let Some(reason) = problem {
                report.corrupt.push(Corrupt {
                    path: f.clone(),
                    reason,
                });
                if remove && data.contains(&f) && std::fs::remove_file(&f).is_ok() {
                    report.removed += 1;
                }
            }
        }
    }
    Ok(report)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            // Scratch dirs of renders in progress are not artefacts.
            if p.file_name().is_some_and(|n| n == "work") {
                continue;
            }
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::topic::Topic;
    use crate::util::fs::write_atomic;
    use crate::writer::SceneOutline;

    #[tokio::test]
    async fn lists_and_removes_only_corrupt_artefacts() {
        let d = tempfile::tempdir().unwrap();
        let data = DataDir::at(d.path()).unwrap();
        let t = Topic::from_form("Cleanup topic", "desc").unwrap();
        let c = TopicCache::for_topic(&data, &t, "k", false);
        let good = Outline {
            topic: "x".into(),
            scenes: vec![SceneOutline {
                title: "A".into(),
                purpose: "p".into(),
                kind: crate::model::plan::SceneKind::Title,
            }],
        };
        c.save_outline(&good).unwrap();
        write_atomic(&c.plan_path(1), b"I'm sorry, I cannot help with that.").unwrap();
        write_atomic(&c.code_path(1, 0), b"   ").unwrap();
        write_atomic(
            &c.code_path(2, 0),
            b"from manim import *\nclass Scene02(Scene):\n    pass\n",
        )
        .unwrap();
        std::fs::write(c.dir().join("outline.tmp123"), b"{").unwrap();
        let dry = run(&data, None, false).await.unwrap();
        assert_eq!(dry.corrupt.len(), 3, "{:?}", dry.corrupt);
        assert_eq!(dry.removed, 0);
        assert!(c.plan_path(1).exists());
        let real = run(&data, None, true).await.unwrap();
        assert_eq!(real.removed, 3);
        assert!(!c.plan_path(1).exists() && !c.code_path(1, 0).exists());
        assert!(
            c.outline_path().exists() && c.code_path(2, 0).exists(),
            "valid artefacts are kept"
        );
    }
}
