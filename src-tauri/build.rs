//! Declares the app's commands so that each gets an `allow-<command>` permission: the web view
//! may call only the commands its capability lists (see capabilities/main.json).

const COMMANDS: &[&str] = &[
    "start_job",
    "start_from_files",
    "inspect_files",
    "cancel_job",
    "resume_job",
    "rerun_job",
    "delete_job",
    "subscribe",
    "unsubscribe",
    "list_jobs",
    "job_stats",
    "job_detail",
    "active_jobs",
    "app_info",
    "get_settings",
    "set_settings",
    "doctor",
    "open_video",
    "open_thumbnail",
    "show_in_folder",
    "pick_topic_files",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri-build failed");
}
