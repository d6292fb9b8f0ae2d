//! The `jobs` table: one row per job; status changes are conditional updates.

use super::{parse_ts, ts, Store};
use crate::error::{Error, ErrorCode, ErrorPayload, Result};
use crate::model::job::{
    short_id as short, JobQuery, JobRecord, JobRequest, JobStats, JobStatus, Quality, TokenUsage,
};
use crate::progress::Stage;
use chrono::Utc;
use rusqlite::{params, OptionalExtension, Row};
use std::path::{Path, PathBuf};

/// What creating a job needs.
pub struct NewJob<'a> {
    pub request: &'a JobRequest,
    pub model: Option<String>,
}

const COLUMNS: &str = "id, topic, description, metadata, request, status, stage, progress, message, writer, \
    model, quality, source_path, cache_dir, output_dir, created_at, started_at, updated_at, finished_at, \
    error_code, error_message, video_path, thumbnail_path, duration_secs, tokens_in, tokens_out, cost_usd";

fn path_col(row: &Row<'_>, i: usize) -> rusqlite::Result<Option<PathBuf>> {
    Ok(row.get::<_, Option<String>>(i)?.map(PathBuf::from))
}

fn from_row(row: &Row<'_>) -> rusqlite::Result<JobRecord> {
    let request_json: String = row.get(4)?;
    let request: JobRequest = serde_json::from_str(&request_json).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(4, rusqlite::types::Type::Text, Box::new(e))
    })?;
    let status: String = row.get(5)?;
    let stage: String = row.get(6)?;
    let quality: String = row.get(11)?;
    let metadata: String = row.get(3)?;
    let error_code: Option<String> = row.get(19)?;
    let error_message: Option<String> = row.get(20)?;
    Ok(JobRecord {
        id: row.get(0)?,
        topic: row.get(1)?,
        description: row.get(2)?,
        metadata: serde_json::from_str(&metadata).unwrap_or_default(),
        request,
        status: JobStatus::parse(&status).unwrap_or(JobStatus::Failed),
        stage: Stage::parse(&stage).unwrap_or(Stage::Initializing),
        progress: row.get(7)?,
        message: row.get(8)?,
        writer: row.get(9)?,
        model: row.get(10)?,
        quality: Quality::parse(&quality).unwrap_or_default(),
        source_path: path_col(row, 12)?,
        cache_dir: path_col(row, 13)?,
        output_dir: path_col(row, 14)?,
        created_at: parse_ts(&row.get::<_, String>(15)?),
        started_at: row.get::<_, Option<String>>(16)?.as_deref().map(parse_ts),
        updated_at: parse_ts(&row.get::<_, String>(17)?),
        finished_at: row.get::<_, Option<String>>(18)?.as_deref().map(parse_ts),
        error: error_code.map(|c| ErrorPayload {
            code: ErrorCode::parse(&c).unwrap_or(ErrorCode::Internal),
            message: error_message.unwrap_or_default(),
        }),
        video: path_col(row, 21)?,
        thumbnail: path_col(row, 22)?,
        duration_secs: row.get(23)?,
        tokens: TokenUsage {
            input: row.get::<_, i64>(24)? as u64,
            output: row.get::<_, i64>(25)? as u64,
        },
        cost_usd: row.get(26)?,
    })
}

fn status_list(statuses: &[JobStatus]) -> String {
    statuses
        .iter()
        .map(|s| format!("'{}'", s.as_str()))
        .collect::<Vec<_>>()
        .join(",")
}

impl Store {
    /// Inserts a new job in `queued`.
    pub fn create_job(&self, new: NewJob<'_>) -> Result<JobRecord> {
        let id = uuid::Uuid::new_v4().simple().to_string();
        let now = ts(Utc::now());
        let req = new.request;
        let mut metadata = serde_json::Value::Object(req.topic.metadata.clone());
        if !req.topic.sections.is_empty() {
            metadata["sections"] = serde_json::to_value(&req.topic.sections).unwrap_or_default();
        }
        let request_json =
            serde_json::to_string(req).map_err(|e| Error::Internal(e.to_string()))?;
        self.conn().execute(
            "INSERT INTO jobs (id, topic, description, metadata, request, status, stage, progress, message, \
             writer, model, quality, source_path, created_at, updated_at, owner_pid) \
             VALUES (?1, ?2, ?3, ?4, ?5, 'queued', 'initializing', 0, 'Queued', ?6, ?7, ?8, ?9, ?10, ?10, ?11)",
            params![
                id,
                req.topic.title,
                req.topic.description,
                metadata.to_string(),
                request_json,
                req.options.writer.label(),
                new.model.or_else(|| req.options.writer.model.clone()),
                req.options.quality.as_str(),
                req.source.as_ref().map(|p| p.to_string_lossy().into_owned()),
                now,
                std::process::id(),
            ],
        )?;
        self.job(&id)
    }

    /// The job with this id, or a unique id prefix (at least 4 characters).
    pub fn job(&self, id_or_prefix: &str) -> Result<JobRecord> {
        let conn = self.conn();
        let sql = format!("SELECT {COLUMNS} FROM jobs WHERE id = ?1");
        if let Some(job) = conn.query_row(&sql, [id_or_prefix], from_row).optional()? {
            return Ok(job);
        }
        let clean: String = id_or_prefix
            .chars()
            .filter(|c| c.is_ascii_hexdigit())
            .collect();
        if clean.len() >= 4 && clean.len() == id_or_prefix.len() {
            let sql = format!("SELECT {COLUMNS} FROM jobs WHERE id LIKE ?1 || '%' LIMIT 2");
            let mut stmt = conn.prepare(&sql)?;
            let found: Vec<JobRecord> = stmt
                .query_map([clean], from_row)?
                .collect::<Result<_, _>>()?;
            if found.len() == 1 {
                return Ok(found.into_iter().next().expect("one"));
            }
            if found.len() > 1 {
                return Err(Error::Conflict(format!(
                    "job id prefix {id_or_prefix:?} is ambiguous"
                )));
            }
        }
        Err(Error::NotFound(format!("job {id_or_prefix}")))
    }

    /// A page of jobs, newest first.
    pub fn list_jobs(&self, q: &JobQuery) -> Result<Vec<JobRecord>> {
        let conn = self.conn();
        let walk = match search_term(q).and_then(fts_phrase) {
            Some(p) => fts_count(&conn, &p)? > WALK_BY_DATE_ABOVE,
            None => false,
        };
        let (where_sql, args) = query_filter(q, walk);
        let limit = if q.limit == 0 { 50 } else { q.limit.min(1000) };
        let sql = format!(
            "SELECT {COLUMNS} FROM jobs {where_sql} ORDER BY created_at DESC, id DESC LIMIT {limit} OFFSET {}",
            q.offset
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args.iter()), from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// How many jobs match the query's filters (for paging).
    pub fn count_jobs(&self, q: &JobQuery) -> Result<u64> {
        let conn = self.conn();
        if let Some(term) = search_term(q).filter(|t| t.is_ascii() && q.status.is_none()) {
            if let Some(p) = fts_phrase(term) {
                return fts_count(&conn, &p);
            }
        }
        let (where_sql, args) = query_filter(q, false);
        let sql = format!("SELECT count(*) FROM jobs {where_sql}");
        let n: i64 = conn.query_row(&sql, rusqlite::params_from_iter(args.iter()), |r| r.get(0))?;
        Ok(n as u64)
    }

    pub fn stats(&self) -> Result<JobStats> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached("SELECT status, count(*) FROM jobs GROUP BY status")?;
        let mut stats = JobStats::default();
        let rows = stmt.query_map([], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64))
        })?;
        for row in rows {
            let (status, n) = row?;
            stats.total += n;
            match JobStatus::parse(&status) {
                Some(JobStatus::Queued) => stats.queued = n,
                Some(JobStatus::Running) => stats.running = n,
                Some(JobStatus::Completed) => stats.completed = n,
                Some(JobStatus::Failed) => stats.failed = n,
                Some(JobStatus::Cancelled) => stats.cancelled = n,
                Some(JobStatus::Interrupted) => stats.interrupted = n,
                None => {}
            }
        }
        Ok(stats)
    }

    /// Moves a job to `to` only if it is in one of `from`. Fails with `conflict` otherwise.
    pub fn transition(
        &self,
        id: &str,
        from: &[JobStatus],
        to: JobStatus,
        message: &str,
    ) -> Result<()> {
        let now = ts(Utc::now());
        let mut extra = String::new();
        if to == JobStatus::Running {
            extra.push_str(
                ", started_at = ?3, finished_at = NULL, error_code = NULL, error_message = NULL",
            );
        } else if !to.is_active() && to != JobStatus::Interrupted {
            extra.push_str(", finished_at = ?3");
        } else if to == JobStatus::Queued {
            extra.push_str(", finished_at = NULL, error_code = NULL, error_message = NULL");
        }
        let sql = format!(
            // The process making the change owns the job from now on (start-up recovery asks
            // whether the owner still lives).
            "UPDATE jobs SET status = ?2, updated_at = ?3, message = ?4, owner_pid = ?5 {extra} \
             WHERE id = ?1 AND status IN ({})",
            status_list(from)
        );
        let n = self.conn().execute(
            &sql,
            params![id, to.as_str(), now, message, std::process::id()],
        )?;
        if n == 1 {
            return Ok(());
        }
        let job = self.job(id)?;
        Err(Error::Conflict(format!(
            "job {} is {}, cannot become {to}",
            short(id),
            job.status
        )))
    }

    /// Records where the job keeps its cache and outputs.
    pub fn set_dirs(&self, id: &str, cache_dir: &Path, output_dir: &Path) -> Result<()> {
        self.conn().execute(
            "UPDATE jobs SET cache_dir = ?2, output_dir = ?3 WHERE id = ?1",
            params![
                id,
                cache_dir.to_string_lossy(),
                output_dir.to_string_lossy()
            ],
        )?;
        Ok(())
    }

    /// Marks a running job completed with its outputs.
    pub fn complete(&self, id: &str, video: &Path, thumbnail: &Path, duration: f64) -> Result<()> {
        let now = ts(Utc::now());
        let n = self.conn().execute(
            "UPDATE jobs SET status = 'completed', stage = 'completed', progress = 100, message = 'Done', \
             video_path = ?2, thumbnail_path = ?3, duration_secs = ?4, updated_at = ?5, finished_at = ?5, \
             error_code = NULL, error_message = NULL WHERE id = ?1 AND status = 'running'",
            params![id, video.to_string_lossy(), thumbnail.to_string_lossy(), duration, now],
        )?;
        if n == 1 {
            Ok(())
        } else {
            Err(Error::Conflict(format!(
                "job {} is no longer running",
                short(id)
            )))
        }
    }

    /// Marks a running (or queued) job failed, or cancelled when the error is a cancellation.
    pub fn fail(&self, id: &str, err: &ErrorPayload) -> Result<()> {
        let now = ts(Utc::now());
        let status = if err.code == ErrorCode::Cancelled {
            "cancelled"
        } else {
            "failed"
        };
        let message = if err.code == ErrorCode::Cancelled {
            "Cancelled".to_string()
        } else {
            err.message.clone()
        };
        self.conn().execute(
            "UPDATE jobs SET status = ?2, error_code = ?3, error_message = ?4, message = ?5, updated_at = ?6, \
             finished_at = ?6 WHERE id = ?1 AND status IN ('running','queued')",
            params![id, status, err.code.as_str(), err.message, message, now],
        )?;
        Ok(())
    }

    /// At start-up: jobs left queued or running by a process that is gone become `interrupted`.
    /// Jobs owned by another live process (a CLI run beside the desktop app) are left alone.
    pub fn recover_interrupted(&self) -> Result<Vec<String>> {
        let me = std::process::id();
        self.tx(|tx| {
            let mut stmt = tx.prepare("SELECT id, owner_pid FROM jobs WHERE status IN ('running','queued')")?;
            let rows: Vec<(String, Option<u32>)> =
                stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?;
            let stranded: Vec<String> = rows
                .into_iter()
                .filter(|(_, owner)| owner.is_none_or(|pid| pid == me || !process_alive(pid)))
                .map(|(id, _)| id)
                .collect();
            let now = ts(Utc::now());
            for id in &stranded {
                tx.execute(
                    "UPDATE jobs SET status = 'interrupted', message = 'Interrupted: the app stopped while this job ran', \
                     updated_at = ?2 WHERE id = ?1 AND status IN ('running','queued')",
                    params![id, now],
                )?;
            }
            Ok(stranded)
        })
    }

    /// Adds token usage and cost to a job.
    pub fn add_usage(&self, id: &str, usage: TokenUsage, cost_usd: f64) -> Result<()> {
        self.conn().execute(
            "UPDATE jobs SET tokens_in = tokens_in + ?2, tokens_out = tokens_out + ?3, cost_usd = cost_usd + ?4 \
             WHERE id = ?1",
            params![id, usage.input as i64, usage.output as i64, cost_usd],
        )?;
        Ok(())
    }

    /// Deletes a finished job and its events. Active jobs cannot be deleted (cancel them first).
    pub fn delete_job(&self, id: &str) -> Result<JobRecord> {
        let job = self.job(id)?;
        if job.status.is_active() {
            return Err(Error::Conflict(format!(
                "job {} is {}; cancel it first",
                short(&job.id),
                job.status
            )));
        }
        let n = self.conn().execute(
            "DELETE FROM jobs WHERE id = ?1 AND status NOT IN ('running','queued')",
            [&job.id],
        )?;
        if n == 0 {
            return Err(Error::Conflict(format!(
                "job {} became active",
                short(&job.id)
            )));
        }
        Ok(job)
    }

    /// How many jobs use this cache dir.
    pub fn jobs_using_cache(&self, cache_dir: &Path) -> Result<u64> {
        let n: i64 = self.conn().query_row(
            "SELECT count(*) FROM jobs WHERE cache_dir = ?1",
            [cache_dir.to_string_lossy()],
            |r| r.get(0),
        )?;
        Ok(n as u64)
    }
}

/// Above this many matches a topic search walks the jobs newest first (see `query_filter`).
const WALK_BY_DATE_ABOVE: u64 = 1000;

/// The FTS5 query for a search term: the whole term as one phrase, when it has the three
/// characters a trigram needs.
fn fts_phrase(term: &str) -> Option<String> {
    (term.chars().count() >= 3).then(|| format!("\"{}\"", term.replace('"', "\"\"")))
}

fn search_term(q: &JobQuery) -> Option<&str> {
    q.search.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// How many topics contain the term, from the index alone. Exact for ASCII terms (the index
/// folds case as LIKE does); for others the LIKE is stricter.
fn fts_count(conn: &rusqlite::Connection, phrase: &str) -> Result<u64> {
    let n: i64 = conn
        .prepare_cached("SELECT count(*) FROM jobs_topic_fts WHERE jobs_topic_fts MATCH ?1")?
        .query_row([phrase], |r| r.get(0))?;
    Ok(n as u64)
}

fn query_filter(q: &JobQuery, walk_by_date: bool) -> (String, Vec<String>) {
    let mut clauses = Vec::new();
    let mut args = Vec::new();
    if let Some(s) = search_term(q) {
        let escaped = s
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        args.push(format!("%{escaped}%"));
        clauses.push(format!("topic LIKE ?{} ESCAPE '\\'", args.len()));
        // 3+ characters: the trigram index narrows the rows first (migration 3). `+rowid` makes
        // SQLite walk the rows newest first and test membership instead of fetching and sorting
        // every match: faster for a term that matches many jobs.
        if let Some(phrase) = fts_phrase(s) {
            args.push(phrase);
            clauses.push(format!(
                "{}rowid IN (SELECT rowid FROM jobs_topic_fts WHERE jobs_topic_fts MATCH ?{})",
                if walk_by_date { "+" } else { "" },
                args.len()
            ));
        }
    }
    if let Some(st) = q.status {
        args.push(st.as_str().to_string());
        clauses.push(format!("status = ?{}", args.len()));
    }
    let where_sql = if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    };
    (where_sql, args)
}

/// Whether a process id belongs to a running (not zombie) process.
pub(crate) fn process_alive(pid: u32) -> bool {
    #[cfg(target_os = "linux")]
    {
        std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|s| {
            s.rsplit(')')
                .next()
                .is_some_and(|rest| !rest.trim_start().starts_with('Z'))
        })
    }
    #[cfg(all(unix, not(target_os = "linux")))]
    {
        // SAFETY: signal 0 only checks that the process exists.
        unsafe { libc::kill(pid as libc::pid_t, 0) == 0 }
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        false
    }
}
