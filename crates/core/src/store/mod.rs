//! The job store: one SQLite file in the data dir (WAL, busy timeout, versioned migrations).
//! One module per table: [`jobs`], [`events`], [`scenes`], [`findings`], [`versions`] (scene and
//! video versions).

mod events;
mod findings;
mod jobs;
pub mod migrations;
mod scenes;
mod versions;

use crate::error::{Error, Result};
use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

pub use findings::SceneLayout;
#[cfg(test)]
pub(crate) use jobs::process_alive;
pub use jobs::NewJob;
pub use versions::now as versions_now;

/// A handle on the job database. Cheap to share behind an `Arc`; every call takes the connection
/// briefly. Several processes (CLI and desktop app) may open the same file.
pub struct Store {
    conn: Mutex<Connection>,
    path: PathBuf,
}

impl Store {
    /// Opens (creating if needed) the database and applies pending migrations.
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| Error::Storage(format!("cannot create {}: {e}", parent.display())))?;
        }
        let mut conn = Connection::open(path)
            .map_err(|e| Error::Storage(format!("cannot open {}: {e}", path.display())))?;
        // SQLite falls back to read-only when it cannot write; say so instead of the later,
        // vaguer "unable to open database file".
        if conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(false) {
            return Err(Error::Storage(format!(
                "{} is read-only: the data dir is not writable (read-only disk or permissions)",
                path.display()
            )));
        }
        conn.busy_timeout(Duration::from_secs(10))?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // Switching a new database to WAL needs its lock, and SQLite does not wait for it: when
        // another process is creating the same database, retry for up to the busy timeout.
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        let mode: String = loop {
            match conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0)) {
                Err(rusqlite::Error::SqliteFailure(e, _))
                    if e.code == rusqlite::ErrorCode::DatabaseBusy
                        && std::time::Instant::now() < deadline =>
                {
                    std::thread::sleep(Duration::from_millis(20));
                }
                other => {
                    break other.map_err(|e| {
                        Error::Storage(format!("{} is not a usable database: {e}", path.display()))
                    })?
                }
            }
        };
        if !mode.eq_ignore_ascii_case("wal") {
            tracing::warn!(mode, "WAL mode unavailable; using {mode}");
        }
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        let check: String = conn
            .query_row("PRAGMA quick_check", [], |r| r.get(0))
            .map_err(|e| Error::Storage(format!("{} is damaged: {e}", path.display())))?;
        if check != "ok" {
            return Err(Error::Storage(format!(
                "{} is damaged: {check}",
                path.display()
            )));
        }
        migrations::migrate(&mut conn)?;
        Ok(Store {
            conn: Mutex::new(conn),
            path: path.to_path_buf(),
        })
    }

    /// An in-memory store (tests and benchmarks).
    pub fn open_in_memory() -> Result<Store> {
        let mut conn = Connection::open_in_memory()?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        migrations::migrate(&mut conn)?;
        Ok(Store {
            conn: Mutex::new(conn),
            path: PathBuf::from(":memory:"),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Runs `f` in one transaction.
    fn tx<T>(&self, f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T>) -> Result<T> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }
}

pub(crate) fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

pub(crate) fn parse_ts(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests;
