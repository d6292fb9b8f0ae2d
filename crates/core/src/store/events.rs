//! The `events` table: the append-only log of a job's progress events.

use super::{parse_ts, ts, Store};
use crate::error::Result;
use crate::model::job::EventRecord;
use crate::progress::{ProgressEvent, Stage, SubProgress};
use rusqlite::params;

impl Store {
    /// Appends an event and moves the job's current stage/progress/message (only while it runs:
    /// a late event never overwrites a finished job).
    pub fn record_event(&self, e: &ProgressEvent) -> Result<()> {
        self.tx(|tx| {
            tx.execute(
                "INSERT INTO events (job_id, stage, progress, message, sub_current, sub_total, milestone, at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    e.job_id,
                    e.stage.as_str(),
                    e.progress,
                    e.message,
                    e.sub.map(|s| s.current),
                    e.sub.map(|s| s.total),
                    e.milestone,
                    ts(e.at),
                ],
            )?;
            tx.execute(
                "UPDATE jobs SET stage = ?2, progress = max(progress, ?3), message = ?4, updated_at = ?5 \
                 WHERE id = ?1 AND status = 'running'",
                params![e.job_id, e.stage.as_str(), e.progress, e.message, ts(e.at)],
            )?;
            Ok(())
        })
    }

    /// Starts a running job's bar again (a new run of a finished job: a scene studio edit), so
    /// its progress is this run's, never stuck at the last run's 100 %.
    pub fn restart_progress(&self, job_id: &str) -> Result<()> {
        self.tx(|tx| {
            tx.execute(
                "UPDATE jobs SET stage = ?2, progress = 0 WHERE id = ?1 AND status = 'running'",
                params![job_id, Stage::Initializing.as_str()],
            )?;
            Ok(())
        })
    }

    /// A job's events in the order they happened.
    pub fn events(&self, job_id: &str) -> Result<Vec<EventRecord>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT id, stage, progress, message, sub_current, sub_total, milestone, at FROM events \
             WHERE job_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([job_id], |r| {
            let stage: String = r.get(1)?;
            let cur: Option<u32> = r.get(4)?;
            let total: Option<u32> = r.get(5)?;
            Ok(EventRecord {
                id: r.get(0)?,
                stage: Stage::parse(&stage).unwrap_or(Stage::Initializing),
                progress: r.get(2)?,
                message: r.get(3)?,
                sub: cur
                    .zip(total)
                    .map(|(current, total)| SubProgress { current, total }),
                milestone: r.get(6)?,
                at: parse_ts(&r.get::<_, String>(7)?),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
