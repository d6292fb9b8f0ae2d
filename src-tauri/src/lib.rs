//! Theory2Video's desktop shell: Tauri commands over the core's [`JobManager`] (their list and
//! types: [`bindings`]), progress pushed
//! to the web view through a `tauri::ipc::Channel`, and a low-rate global `jobs-changed` event.
//! The app is built by [`configure`], generic over the runtime, so the commands are tested on
//! Tauri's mock runtime exactly as they are registered in the real app.

pub mod bindings;
pub mod commands;
mod lifecycle;

use std::sync::Arc;
use t2v_core::app::{App, WriterFactory};
use t2v_core::manager::JobManager;
use t2v_core::paths::DataDir;
use tauri::{Emitter, Manager, Runtime};

/// The global event that tells the UI to refresh its lists (at most twice a second).
pub const JOBS_CHANGED: &str = "jobs-changed";
/// The global event carrying topic-file paths handed to the app (a second launch, a file open).
pub const OPEN_PATHS: &str = "open-paths";

/// What the commands share.
pub struct Desk {
    pub manager: JobManager,
    /// Jobs found stranded at start-up and marked interrupted.
    pub recovered: Vec<String>,
}

/// The writers the app offers: the offline storyboard writer and the LLM writers of `t2v-llm`
/// (profiles from `providers.toml`, presets, provider kinds) — the same as the CLI's.
pub fn writer_factory() -> Arc<dyn WriterFactory> {
    Arc::new(t2v_llm::Writers::new())
}

/// Writer names for the settings' list: storyboard, configured profiles, presets.
pub fn writer_names() -> Vec<String> {
    let mut names = vec!["storyboard".to_string()];
    if let Ok(config) = t2v_llm::Config::load(None) {
        names.extend(config.file.profiles.keys().cloned());
    }
    names.extend(t2v_llm::config::PRESETS.iter().map(|s| s.to_string()));
    names.dedup();
    names
}

/// Opens the data dir and the store, marks crashed jobs interrupted, and starts the manager on
/// Tauri's async runtime.
pub fn open_desk(data: DataDir) -> t2v_core::Result<Desk> {
    open_desk_with(data, writer_factory())
}

/// [`open_desk`] with other writers (tests use a writer that waits to be cancelled).
pub fn open_desk_with(data: DataDir, writers: Arc<dyn WriterFactory>) -> t2v_core::Result<Desk> {
    // Voices: espeak-ng, Piper and OpenAI-compatible speech endpoints, like the CLI.
    let app = App::open(data, writers)?.with_voices(Arc::new(t2v_llm::Voices));
    let runtime = tauri::async_runtime::handle().inner().clone();
    let manager = JobManager::new(Arc::new(app), runtime);
    let recovered = manager.recover()?;
    Ok(Desk { manager, recovered })
}

/// Registers state, commands and the manager's "jobs changed" event on any runtime.
pub fn configure<R: Runtime>(builder: tauri::Builder<R>, desk: Desk) -> tauri::Builder<R> {
    builder
        .manage(desk)
        .manage(commands::setup::SetupSlot::default())
        .setup(|app| {
            let desk = app.state::<Desk>();
            // The in-app player and thumbnails read the data dir (and nothing else) by asset URL.
            app.asset_protocol_scope()
                .allow_directory(desk.manager.app().data().root(), true)?;
            app.manage(commands::open::FilePicker::system(app.handle().clone()));
            if app.try_state::<commands::setup::VoicePicker>().is_none() {
                app.manage(commands::setup::VoicePicker::system(app.handle().clone()));
            }
            let handle = app.handle().clone();
            desk.manager.on_jobs_changed(Arc::new(move || {
                let _ = handle.emit(JOBS_CHANGED, ());
            }));
            Ok(())
        })
        .invoke_handler(bindings::contract::<R>().invoke_handler())
}

/// The real app: plugins, window events, close handling.
pub fn run() {
    let data = match DataDir::resolve(None) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("theory2video: cannot open the data dir [{}]: {e}", e.code());
            std::process::exit(2);
        }
    };
    let _log = lifecycle::init_logging(&data);
    let desk = match open_desk(data) {
        Ok(d) => d,
        Err(e) => {
            eprintln!(
                "theory2video: cannot open the job store [{}]: {e}",
                e.code()
            );
            std::process::exit(2);
        }
    };
    let builder = lifecycle::plugins(tauri::Builder::default());
    let app = configure(builder, desk)
        .build(tauri::generate_context!())
        .expect("the Tauri app failed to start");
    lifecycle::wire(&app);
    app.run(lifecycle::on_run_event);
}
