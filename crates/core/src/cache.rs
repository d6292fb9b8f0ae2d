//! The per-topic artefact cache: outline, per-scene plans, versioned code, renders, logs.
//! A cached artefact is reused only if it validates structurally; anything else (an error message
//! saved as content, an empty or truncated file) is logged, removed and regenerated.

use crate::error::{Error, IoContext, Result};
use crate::model::job::Quality;
use crate::model::plan::{Outline, ScenePlan};
use crate::paths::DataDir;
use crate::slug;
use crate::topic::Topic;
use crate::util::{fs::write_atomic, hash::short_hash};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct TopicCache {
    dir: PathBuf,
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
    /// Where a scene's renders make their scratch dirs: each render attempt gets its own dir
    /// inside (see `render::manim::RenderWork`), so two renders of one scene never share one.
    pub fn work_root(&self, index: u32) -> PathBuf {
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

    /// Saves `code` as a new version, the first free one from `at_least` up (higher than any
    /// present), never replacing a version another job saved at the same moment.
    pub fn save_new_code(&self, index: u32, at_least: u32, code: &str) -> Result<u32> {
        let mut version = self
            .code_versions(index)
            .first()
            .map_or(0, |v| v + 1)
            .max(at_least);
        loop {
            let p = self.code_path(index, version);
            let tmp = crate::util::tmp::temp_beside(&p)?;
            std::fs::write(&tmp, code.as_bytes()).ctx(|| format!("writing {}", tmp.display()))?;
            if crate::util::tmp::persist_new(tmp, &p)? {
                return Ok(version);
            }
            version += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::plan::SceneOutline;

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
                kind: Default::default(),
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
        // A new version never replaces one that is there.
        assert_eq!(c.save_new_code(2, 1, "d").unwrap(), 11);
        assert_eq!(c.save_new_code(2, 1, "e").unwrap(), 12);
        assert_eq!(std::fs::read_to_string(c.code_path(2, 11)).unwrap(), "d");
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
