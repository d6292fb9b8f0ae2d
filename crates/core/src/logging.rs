//! Logs via `tracing` to a daily file in the data dir's `logs/` folder; the level comes from
//! `THEORY2VIDEO_LOG` (default `info`). Shared by the CLI and the desktop app.

use crate::paths::DataDir;
use tracing_appender::non_blocking::WorkerGuard;

/// Starts logging to `<data dir>/logs/<file_name>.<date>`. Keep the guard alive until exit (it
/// flushes the file). `None` when the folder cannot be made or a logger is already set.
pub fn init(data: &DataDir, file_name: &str) -> Option<WorkerGuard> {
    use tracing_subscriber::EnvFilter;
    std::fs::create_dir_all(data.logs()).ok()?;
    let appender = tracing_appender::rolling::daily(data.logs(), file_name);
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let filter =
        EnvFilter::try_from_env("THEORY2VIDEO_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(false)
        .try_init()
        .ok()?;
    Some(guard)
}
