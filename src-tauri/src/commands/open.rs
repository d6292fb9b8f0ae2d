//! Opening results with the system's apps. The web view never gets a path or an fs/shell
//! permission: it passes a job id, and the path is looked up (and checked to lie inside the data
//! dir) here.

use super::{fail, CmdResult};
use crate::Desk;
use std::path::PathBuf;
use std::sync::Arc;
use t2v_core::app::existing_inside;
use t2v_core::Error;
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::DialogExt;

/// Which artefact of a job.
enum What {
    Video,
    Thumbnail,
    Folder,
}

fn artefact(desk: &Desk, id: &str, what: What) -> t2v_core::Result<PathBuf> {
    let app = desk.manager.app();
    let job = app.job(id)?;
    match what {
        What::Video => existing_inside(app.data(), job.video.as_deref(), "video"),
        What::Thumbnail => existing_inside(app.data(), job.thumbnail.as_deref(), "thumbnail"),
        What::Folder => {
            // The video when there is one (revealed selected), else the job's output folder.
            existing_inside(app.data(), job.video.as_deref(), "video")
                .or_else(|_| existing_inside(app.data(), job.output_dir.as_deref(), "folder"))
        }
    }
}

fn opener_error(e: tauri_plugin_opener::Error) -> t2v_core::ErrorPayload {
    Error::Config(format!("no app could open it: {e}")).payload()
}

/// Opens a checked path (inside the data dir, existing) with the system's app for it.
pub(crate) fn open_path(p: PathBuf) -> CmdResult<()> {
    tauri_plugin_opener::open_path(p, None::<&str>).map_err(opener_error)
}

/// Opens the job's video in the system player.
#[tauri::command]
#[specta::specta]
pub fn open_video(desk: State<'_, Desk>, id: String) -> CmdResult<()> {
    open_path(fail(artefact(&desk, &id, What::Video))?)
}

/// Opens the job's thumbnail in the system image viewer.
#[tauri::command]
#[specta::specta]
pub fn open_thumbnail(desk: State<'_, Desk>, id: String) -> CmdResult<()> {
    open_path(fail(artefact(&desk, &id, What::Thumbnail))?)
}

/// Shows the video (or the job's folder) in the file manager.
#[tauri::command]
#[specta::specta]
pub fn show_in_folder(desk: State<'_, Desk>, id: String) -> CmdResult<()> {
    let p = fail(artefact(&desk, &id, What::Folder))?;
    if p.is_dir() {
        open_path(p)
    } else {
        tauri_plugin_opener::reveal_item_in_dir(p).map_err(opener_error)
    }
}

/// Shows a file dialog and hands the chosen paths (none when cancelled) to the callback.
pub type PickFiles = Arc<dyn Fn(Box<dyn FnOnce(Vec<String>) + Send>) + Send + Sync>;

/// The "Open topic file…" dialog as app state, so the command needs no runtime parameter.
pub struct FilePicker(pub PickFiles);

impl FilePicker {
    /// The system dialog of the dialog plugin, for topic files.
    pub fn system<R: Runtime>(app: AppHandle<R>) -> FilePicker {
        FilePicker(Arc::new(move |done| {
            app.dialog()
                .file()
                .set_title("Open topic files")
                .add_filter("Topic files", &["md", "markdown", "txt", "json"])
                .pick_files(move |files| {
                    done(
                        files
                            .unwrap_or_default()
                            .into_iter()
                            .filter_map(|f| f.into_path().ok())
                            .map(|p| p.to_string_lossy().into_owned())
                            .collect(),
                    )
                });
        }))
    }
}

/// The "Open topic file…" dialog, shown from Rust so the web view needs no dialog permission.
/// Returns the chosen paths (empty when cancelled).
#[tauri::command]
#[specta::specta]
pub async fn pick_topic_files(picker: State<'_, FilePicker>) -> CmdResult<Vec<String>> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    (picker.0)(Box::new(move |paths| {
        let _ = tx.send(paths);
    }));
    rx.await
        .map_err(|_| Error::Internal("the dialog closed without an answer".into()).payload())
}
