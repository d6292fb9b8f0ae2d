//! The real app's plugins, notifications, second launches and a clean close. Not used by the
//! mock-runtime tests (they exercise `configure` only).

use crate::{Desk, OPEN_PATHS};
use std::sync::Arc;
use std::time::Duration;
use t2v_core::manager::ManagerEvent;
use t2v_core::paths::DataDir;
use t2v_core::JobStatus;
use tauri::{AppHandle, Emitter, Manager, RunEvent, Wry};
use tauri_plugin_notification::NotificationExt;

/// How long closing the app waits for cancelled jobs to stop their processes.
const CLOSE_GRACE: Duration = Duration::from_secs(10);

/// Logs to `<data dir>/logs/desktop.log.<date>`.
pub fn init_logging(data: &DataDir) -> Option<tracing_appender::non_blocking::WorkerGuard> {
    t2v_core::logging::init(data, "desktop.log")
}

/// Topic files among command-line arguments.
pub fn topic_paths(args: &[String]) -> Vec<String> {
    args.iter()
        .filter(|a| {
            let p = std::path::Path::new(a);
            p.is_file()
                && p.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                    matches!(
                        e.to_ascii_lowercase().as_str(),
                        "md" | "markdown" | "txt" | "json"
                    )
                })
        })
        .cloned()
        .collect()
}

pub fn plugins(builder: tauri::Builder<Wry>) -> tauri::Builder<Wry> {
    builder
        // First: a second launch focuses this window and hands over its topic files.
        .plugin(tauri_plugin_single_instance::init(|app, args, _cwd| {
            if let Some(w) = app.get_webview_window("main") {
                let _ = w.unminimize();
                let _ = w.set_focus();
            }
            let paths = topic_paths(args.get(1..).unwrap_or_default());
            if !paths.is_empty() {
                let _ = app.emit(OPEN_PATHS, paths);
            }
        }))
        .plugin(tauri_plugin_window_state::Builder::new().build())
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_dialog::init())
}

/// Desktop notifications when a job finishes or fails.
pub fn wire(app: &tauri::App<Wry>) {
    let handle = app.handle().clone();
    let desk = app.state::<Desk>();
    desk.manager.subscribe(Arc::new(move |e: &ManagerEvent| {
        if let ManagerEvent::Finished {
            topic,
            status,
            error,
            ..
        } = e
        {
            let (title, body) = match status {
                JobStatus::Completed => ("Video ready", topic.clone()),
                JobStatus::Failed => (
                    "Video failed",
                    format!(
                        "{topic}: {}",
                        error.as_ref().map_or("", |e| e.message.as_str())
                    ),
                ),
                _ => return true,
            };
            let h = handle.clone();
            // Off the job's thread: a missing notification daemon must not stall anything.
            tauri::async_runtime::spawn_blocking(move || {
                if let Err(err) = h.notification().builder().title(title).body(body).show() {
                    tracing::warn!(%err, "notification failed");
                }
            });
        }
        true
    }));
}

/// Closing the app cancels running jobs (their render processes are killed) and waits for them
/// to record `cancelled` before exiting.
pub fn on_run_event(app: &AppHandle<Wry>, event: RunEvent) {
    match event {
        RunEvent::ExitRequested { api, .. } => {
            let manager = app.state::<Desk>().manager.clone();
            if !manager.active().is_empty() {
                api.prevent_exit();
                let app = app.clone();
                tauri::async_runtime::spawn(async move {
                    let clean = manager.shutdown(CLOSE_GRACE).await;
                    tracing::info!(clean, "jobs stopped for exit");
                    app.exit(0);
                });
            }
        }
        RunEvent::Exit => app.state::<Desk>().manager.cancel_all(),
        _ => {}
    }
}
