//! The `scene_versions` and `video_versions` tables: what the scene studio changed in a job.

use super::{ts, Store};
use crate::error::{Error, Result};
use crate::model::versions::{ChangeKind, SceneVersion, VideoVersion};
use chrono::Utc;
use rusqlite::{params, OptionalExtension};
use std::path::PathBuf;

/// The time stamp stored with a new version.
pub fn now() -> String {
    ts(Utc::now())
}

impl Store {
    /// Records a scene version. A version that is already there is a conflict (versions are
    /// never rewritten).
    pub fn add_scene_version(&self, job_id: &str, v: &SceneVersion) -> Result<()> {
        let n = self.conn().execute(
            "INSERT OR IGNORE INTO scene_versions (job_id, idx, version, change, narration, code_path, created_at, from_version) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                job_id,
                v.index,
                v.version,
                v.change.as_str(),
                v.narration,
                v.code_path.to_string_lossy(),
                v.created_at,
                v.from_version,
            ],
        )?;
        if n == 0 {
            return Err(Error::Conflict(format!(
                "scene {} already has a version {}",
                v.index, v.version
            )));
        }
        Ok(())
    }

    /// Every version of one scene, oldest first.
    pub fn scene_versions(&self, job_id: &str, index: u32) -> Result<Vec<SceneVersion>> {
        self.query_scene_versions(
            "SELECT idx, version, change, narration, code_path, created_at, from_version \
             FROM scene_versions WHERE job_id = ?1 AND idx = ?2 ORDER BY version",
            params![job_id, index],
        )
    }

    /// The newest version of every scene that has versions, in scene order.
    pub fn current_scene_versions(&self, job_id: &str) -> Result<Vec<SceneVersion>> {
        self.query_scene_versions(
            "SELECT s.idx, s.version, s.change, s.narration, s.code_path, s.created_at, s.from_version \
             FROM scene_versions s WHERE s.job_id = ?1 AND s.version = \
             (SELECT max(version) FROM scene_versions WHERE job_id = s.job_id AND idx = s.idx) \
             ORDER BY s.idx",
            params![job_id],
        )
    }

    fn query_scene_versions(
        &self,
        sql: &str,
        args: impl rusqlite::Params,
    ) -> Result<Vec<SceneVersion>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(sql)?;
        let rows = stmt.query_map(args, |r| {
            Ok(SceneVersion {
                index: r.get(0)?,
                version: r.get(1)?,
                change: change(r.get(2)?, 2)?,
                narration: r.get(3)?,
                code_path: PathBuf::from(r.get::<_, String>(4)?),
                created_at: r.get(5)?,
                from_version: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Records a video version (a conflict when that version is already there).
    pub fn add_video_version(&self, job_id: &str, v: &VideoVersion) -> Result<()> {
        let n = self.conn().execute(
            "INSERT OR IGNORE INTO video_versions (job_id, version, change, scene, video_path, duration_secs, created_at, note) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                job_id,
                v.version,
                v.change.as_str(),
                v.scene,
                v.video.to_string_lossy(),
                v.duration_secs,
                v.created_at,
                v.note,
            ],
        )?;
        if n == 0 {
            return Err(Error::Conflict(format!(
                "the video already has a version {}",
                v.version
            )));
        }
        Ok(())
    }

    /// The job's video versions, oldest first.
    pub fn video_versions(&self, job_id: &str) -> Result<Vec<VideoVersion>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT version, change, scene, video_path, duration_secs, created_at, note \
             FROM video_versions WHERE job_id = ?1 ORDER BY version",
        )?;
        let rows = stmt.query_map([job_id], |r| {
            Ok(VideoVersion {
                version: r.get(0)?,
                change: change(r.get(1)?, 1)?,
                scene: r.get(2)?,
                video: PathBuf::from(r.get::<_, String>(3)?),
                duration_secs: r.get(4)?,
                created_at: r.get(5)?,
                note: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The next free video version number (0 when the job has none).
    pub fn next_video_version(&self, job_id: &str) -> Result<u32> {
        let v: Option<u32> = self
            .conn()
            .query_row(
                "SELECT max(version) FROM video_versions WHERE job_id = ?1",
                [job_id],
                |r| r.get(0),
            )
            .optional()?
            .flatten();
        Ok(v.map_or(0, |v| v + 1))
    }
}

/// A stored change kind; one this version does not know is a clear error, never a guess.
fn change(s: String, col: usize) -> rusqlite::Result<ChangeKind> {
    ChangeKind::parse(&s).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            col,
            rusqlite::types::Type::Text,
            format!("unknown change {s:?} in the job database").into(),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::job::{JobOptions, JobRequest};
    use crate::store::NewJob;
    use crate::topic::Topic;

    fn sv(index: u32, version: u32, change: ChangeKind) -> SceneVersion {
        SceneVersion {
            index,
            version,
            change,
            narration: format!("n{index}.{version}"),
            code_path: PathBuf::from(format!("/x/{index}/{version}.py")),
            created_at: now(),
            from_version: version.checked_sub(1),
        }
    }

    #[test]
    fn versions_are_kept_in_order_and_never_rewritten() {
        let store = Store::open_in_memory().unwrap();
        let t =
            Topic::from_form("Pythagorean theorem", "a² + b² = c² for right triangles").unwrap();
        let job = store
            .create_job(NewJob {
                request: &JobRequest::new(t, JobOptions::default(), None),
                model: None,
            })
            .unwrap();
        for (i, v, c) in [
            (1, 0, ChangeKind::Generated),
            (2, 0, ChangeKind::Generated),
            (2, 1, ChangeKind::Narration),
            (2, 2, ChangeKind::Restore),
        ] {
            store.add_scene_version(&job.id, &sv(i, v, c)).unwrap();
        }
        let again = store.add_scene_version(&job.id, &sv(2, 1, ChangeKind::Code));
        assert!(matches!(again, Err(Error::Conflict(_))));
        let two = store.scene_versions(&job.id, 2).unwrap();
        assert_eq!(
            two.iter()
                .map(|v| (v.version, v.change))
                .collect::<Vec<_>>(),
            vec![
                (0, ChangeKind::Generated),
                (1, ChangeKind::Narration),
                (2, ChangeKind::Restore)
            ]
        );
        let cur = store.current_scene_versions(&job.id).unwrap();
        assert_eq!(
            cur.iter().map(|v| (v.index, v.version)).collect::<Vec<_>>(),
            vec![(1, 0), (2, 2)]
        );
        assert_eq!(store.next_video_version(&job.id).unwrap(), 0);
        let vv = VideoVersion {
            version: 0,
            change: ChangeKind::Generated,
            scene: None,
            video: PathBuf::from("/v/video.mp4"),
            duration_secs: Some(12.5),
            created_at: now(),
            note: "generated".into(),
        };
        store.add_video_version(&job.id, &vv).unwrap();
        assert!(store.add_video_version(&job.id, &vv).is_err());
        assert_eq!(store.next_video_version(&job.id).unwrap(), 1);
        assert_eq!(store.video_versions(&job.id).unwrap(), vec![vv]);
        // Versions go with their job.
        store.delete_job(&job.id).ok();
    }
}
