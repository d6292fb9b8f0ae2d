//! First-run set-up from the window: the Python venv with Manim, its progress pushed through a
//! `Channel`, a Cancel that kills the installer's process group, and the exact fix on failure.
//! A job submitted meanwhile waits in its first stage on the set-up's lock ("Waiting for another
//! set-up") and goes on when the set-up ends. Also the doctor's other in-app fix: installing a
//! Piper voice from a file.

use super::open::PickFiles;
use super::CmdResult;
use crate::Desk;
use std::path::Path;
use std::sync::{Arc, Mutex};
use t2v_core::render::python::{InstallerChoice, PythonEnv, SetupProgress};
use t2v_core::voice::install::{self, InstalledVoice};
use t2v_core::{CancellationToken, Error};
use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::DialogExt;

/// The running set-up's cancel token (at most one set-up at a time from this app).
#[derive(Default)]
pub struct SetupSlot(Mutex<Option<CancellationToken>>);

/// Creates the venv and installs Manim, streaming [`SetupProgress`]. Errors: `conflict` (a
/// set-up is already running), `cancelled`, `tool_missing` (its message is the exact fix).
#[tauri::command]
#[specta::specta]
pub async fn setup_python(
    desk: State<'_, Desk>,
    slot: State<'_, SetupSlot>,
    on_progress: Channel<SetupProgress>,
) -> CmdResult<()> {
    let cancel = {
        let mut running = slot.0.lock().unwrap_or_else(|p| p.into_inner());
        if running.is_some() {
            return Err(Error::Conflict("the set-up is already running".into()).payload());
        }
        let token = CancellationToken::new();
        *running = Some(token.clone());
        token
    };
    let env = PythonEnv::new(desk.manager.app().data().venv());
    let mut send = |p: SetupProgress| {
        let _ = on_progress.send(p);
    };
    let result = env
        .ensure_with(InstallerChoice::Auto, &cancel, &mut send)
        .await;
    *slot.0.lock().unwrap_or_else(|p| p.into_inner()) = None;
    result.map(|_| ()).map_err(|e| e.payload())
}

/// Cancels the running set-up (no-op when none runs).
#[tauri::command]
#[specta::specta]
pub fn cancel_setup(slot: State<'_, SetupSlot>) {
    if let Some(t) = slot.0.lock().unwrap_or_else(|p| p.into_inner()).as_ref() {
        t.cancel();
    }
}

/// The "Install a Piper voice from a file…" dialog as app state (tests put their own in first).
pub struct VoicePicker(pub PickFiles);

impl VoicePicker {
    /// The system dialog of the dialog plugin, for one Piper voice file.
    pub fn system<R: Runtime>(app: AppHandle<R>) -> VoicePicker {
        VoicePicker(Arc::new(move |done| {
            app.dialog()
                .file()
                .set_title("Install a Piper voice")
                .add_filter(
                    "Piper voice (NAME.onnx + NAME.onnx.json)",
                    &["onnx", "json"],
                )
                .pick_file(move |file| {
                    done(
                        file.and_then(|f| f.into_path().ok())
                            .map(|p| p.to_string_lossy().into_owned())
                            .into_iter()
                            .collect(),
                    )
                });
        }))
    }
}

/// The doctor's "Install a Piper voice from a file…": shows the dialog, checks the chosen voice
/// (`NAME.onnx` with `NAME.onnx.json` beside it) and copies both into `<data dir>/voices`.
/// `None` when the dialog was cancelled. Errors: `invalid_input` (not a Piper voice: the message
/// says what is wrong), `io`.
#[tauri::command]
#[specta::specta]
pub async fn install_piper_voice(
    desk: State<'_, Desk>,
    picker: State<'_, VoicePicker>,
) -> CmdResult<Option<InstalledVoice>> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    (picker.0)(Box::new(move |paths| {
        let _ = tx.send(paths);
    }));
    let paths = rx
        .await
        .map_err(|_| Error::Internal("the dialog closed without an answer".into()).payload())?;
    let Some(chosen) = paths.into_iter().next() else {
        return Ok(None);
    };
    let data = desk.manager.app().data().clone();
    tauri::async_runtime::spawn_blocking(move || {
        install::install_piper_voice(&data, Path::new(&chosen))
    })
    .await
    .map_err(|e| Error::Internal(format!("the voice install stopped: {e}")).payload())?
    .map(Some)
    .map_err(|e| e.payload())
}
