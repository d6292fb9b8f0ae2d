//! The `scenes` table: per-scene state of a job, for the details view.

use super::Store;
use crate::error::Result;
use crate::model::job::{SceneRecord, SceneStatus};
use rusqlite::params;
use std::path::PathBuf;

impl Store {
    /// Inserts or replaces one scene's state.
    pub fn upsert_scene(&self, job_id: &str, s: &SceneRecord) -> Result<()> {
        self.conn().execute(
            "INSERT INTO scenes (job_id, idx, title, status, code_version, video_path, snapshot_path, duration_secs, error) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) \
             ON CONFLICT (job_id, idx) DO UPDATE SET title = excluded.title, status = excluded.status, \
             code_version = excluded.code_version, video_path = excluded.video_path, \
             snapshot_path = excluded.snapshot_path, duration_secs = excluded.duration_secs, error = excluded.error",
            params![
                job_id,
                s.index,
                s.title,
                s.status.as_str(),
                s.code_version,
                s.video.as_ref().map(|p| p.to_string_lossy().into_owned()),
                s.snapshot.as_ref().map(|p| p.to_string_lossy().into_owned()),
                s.duration_secs,
                s.error,
            ],
        )?;
        Ok(())
    }

    pub fn scenes(&self, job_id: &str) -> Result<Vec<SceneRecord>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT idx, title, status, code_version, video_path, snapshot_path, duration_secs, error \
             FROM scenes WHERE job_id = ?1 ORDER BY idx",
        )?;
        let rows = stmt.query_map([job_id], |r| {
            Ok(SceneRecord {
                index: r.get(0)?,
                title: r.get(1)?,
                status: scene_status(r.get(2)?)?,
                code_version: r.get(3)?,
                video: r.get::<_, Option<String>>(4)?.map(PathBuf::from),
                snapshot: r.get::<_, Option<String>>(5)?.map(PathBuf::from),
                duration_secs: r.get(6)?,
                error: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

/// A stored scene status; one this version does not know is a clear error, never a guess.
fn scene_status(s: String) -> rusqlite::Result<SceneStatus> {
    SceneStatus::parse(&s).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            2,
            rusqlite::types::Type::Text,
            format!("unknown scene status {s:?} in the job database").into(),
        )
    })
}
