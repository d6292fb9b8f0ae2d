//! Versioned schema migrations, tracked in `PRAGMA user_version`. A database written by a newer
//! version of the app (a higher user_version than we know) is refused, never touched.

use crate::error::{Error, Result};
use rusqlite::Connection;

/// Migration N (1-based) brings the schema from version N-1 to N. Append only; never edit one
/// that has shipped.
pub const MIGRATIONS: &[&str] = &[
    // 1: jobs and their event log.
    r#"
    CREATE TABLE jobs (
        id              TEXT PRIMARY KEY NOT NULL,
        topic           TEXT NOT NULL,
        description     TEXT NOT NULL,
        metadata        TEXT NOT NULL DEFAULT '{}',
        request         TEXT NOT NULL,
        status          TEXT NOT NULL CHECK (status IN
                          ('queued','running','completed','failed','cancelled','interrupted')),
        stage           TEXT NOT NULL,
        progress        REAL NOT NULL DEFAULT 0,
        message         TEXT NOT NULL DEFAULT '',
        writer          TEXT NOT NULL,
        model           TEXT,
        quality         TEXT NOT NULL,
        source_path     TEXT,
        cache_dir       TEXT,
        output_dir      TEXT,
        created_at      TEXT NOT NULL,
        started_at      TEXT,
        updated_at      TEXT NOT NULL,
        finished_at     TEXT,
        error_code      TEXT,
        error_message   TEXT,
        video_path      TEXT,
        thumbnail_path  TEXT,
        duration_secs   REAL
    );
    CREATE INDEX jobs_by_created ON jobs (created_at DESC);
    CREATE INDEX jobs_by_status ON jobs (status);
    CREATE INDEX jobs_by_cache ON jobs (cache_dir);
    CREATE TABLE events (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        job_id      TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
        stage       TEXT NOT NULL,
        progress    REAL NOT NULL,
        message     TEXT NOT NULL,
        sub_current INTEGER,
        sub_total   INTEGER,
        milestone   INTEGER NOT NULL DEFAULT 1,
        at          TEXT NOT NULL
    );
    CREATE INDEX events_by_job ON events (job_id, id);
    "#,
    // 2: token usage and cost per job (LLM writers), the process that owns a job (so start-up
    // recovery leaves jobs of another live process alone), and a scene table.
    r#"
    ALTER TABLE jobs ADD COLUMN owner_pid INTEGER;
    ALTER TABLE jobs ADD COLUMN tokens_in INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE jobs ADD COLUMN tokens_out INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE jobs ADD COLUMN cost_usd REAL NOT NULL DEFAULT 0;
    CREATE TABLE scenes (
        job_id      TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
        idx         INTEGER NOT NULL,
        title       TEXT NOT NULL,
        status      TEXT NOT NULL,
        code_version INTEGER,
        video_path  TEXT,
        snapshot_path TEXT,
        duration_secs REAL,
        error       TEXT,
        PRIMARY KEY (job_id, idx)
    );
    "#,
    // 3: topic search without a full scan. A trigram FTS5 index over jobs.topic (external
    // content, kept in step by triggers) finds substrings of 3+ characters; `list_jobs` still
    // applies the LIKE, so results are exactly those of a scan. With 100 000 jobs a scan took
    // ~100 ms per page (list + count); see docs/performance.md. (jobs has no INTEGER PRIMARY
    // KEY: a VACUUM, which nothing runs, would have to be followed by the 'rebuild' below.)
    r#"
    CREATE VIRTUAL TABLE jobs_topic_fts USING fts5(
        topic, content = 'jobs', content_rowid = 'rowid', tokenize = 'trigram'
    );
    INSERT INTO jobs_topic_fts (jobs_topic_fts) VALUES ('rebuild');
    CREATE TRIGGER jobs_topic_fts_insert AFTER INSERT ON jobs BEGIN
        INSERT INTO jobs_topic_fts (rowid, topic) VALUES (new.rowid, new.topic);
    END;
    CREATE TRIGGER jobs_topic_fts_delete AFTER DELETE ON jobs BEGIN
        INSERT INTO jobs_topic_fts (jobs_topic_fts, rowid, topic) VALUES ('delete', old.rowid, old.topic);
    END;
    CREATE TRIGGER jobs_topic_fts_update AFTER UPDATE OF topic ON jobs BEGIN
        INSERT INTO jobs_topic_fts (jobs_topic_fts, rowid, topic) VALUES ('delete', old.rowid, old.topic);
        INSERT INTO jobs_topic_fts (rowid, topic) VALUES (new.rowid, new.topic);
    END;
    "#,
    // 4: the layout check's findings per scene version (JSON array of `layout::Finding`).
    r#"
    CREATE TABLE scene_findings (
        job_id       TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
        idx          INTEGER NOT NULL,
        code_version INTEGER NOT NULL,
        findings     TEXT NOT NULL,
        PRIMARY KEY (job_id, idx, code_version)
    );
    "#,
    // 5: the scene studio: versions of each scene (narration and the job's own code file) and
    // of each video (every version's file stays on disk).
    r#"
    CREATE TABLE scene_versions (
        job_id       TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
        idx          INTEGER NOT NULL,
        version      INTEGER NOT NULL,
        change       TEXT NOT NULL,
        narration    TEXT NOT NULL,
        code_path    TEXT NOT NULL,
        created_at   TEXT NOT NULL,
        from_version INTEGER,
        PRIMARY KEY (job_id, idx, version)
    );
    CREATE TABLE video_versions (
        job_id        TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
        version       INTEGER NOT NULL,
        change        TEXT NOT NULL,
        scene         INTEGER,
        video_path    TEXT NOT NULL,
        duration_secs REAL,
        created_at    TEXT NOT NULL,
        note          TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (job_id, version)
    );
    "#,
];

pub fn latest_version() -> u32 {
    MIGRATIONS.len() as u32
}

/// Applies the pending migrations in one transaction each.
pub fn migrate(conn: &mut Connection) -> Result<u32> {
    let current: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let latest = latest_version();
    if current > latest {
        return Err(Error::Storage(format!(
            "the job database has schema version {current}, newer than this app's {latest}; \
             update Theory2Video or use another data dir"
        )));
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let version = i as u32 + 1;
        // IMMEDIATE takes the write lock first, and the version is read again under it: two
        // processes opening a new database at once (CLI beside the app) otherwise both ran
        // migration 1 and the second failed with "table jobs already exists".
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let now: u32 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if now >= version {
            tx.commit()?;
            continue;
        }
        tx.execute_batch(sql)
            .map_err(|e| Error::Storage(format!("migration {version} failed: {e}")))?;
        tx.pragma_update(None, "user_version", version)?;
        tx.commit()?;
        tracing::info!(version, "job database migrated");
    }
    Ok(latest)
}
