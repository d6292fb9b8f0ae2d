//! Settings, app information and the doctor.

use super::{fail, CmdResult};
use crate::Desk;
use serde::Serialize;
use std::path::PathBuf;
use t2v_core::app::Settings;
use t2v_core::doctor::Report;
use t2v_core::Error;
use tauri::State;

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct AppInfo {
    pub version: &'static str,
    pub data_dir: PathBuf,
    /// Jobs found stranded at start-up (now `interrupted`, with a Resume button).
    pub recovered: usize,
    pub os: &'static str,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct SettingsView {
    pub settings: Settings,
    pub data_dir: PathBuf,
    /// The environment variable that chooses the data dir (read at start-up).
    pub data_dir_env: &'static str,
    /// Writer kinds this build offers.
    pub writers: Vec<String>,
    pub defaults: Settings,
}

#[tauri::command]
#[specta::specta]
pub fn app_info(desk: State<'_, Desk>) -> AppInfo {
    AppInfo {
        version: env!("CARGO_PKG_VERSION"),
        data_dir: desk.manager.app().data().root().to_path_buf(),
        recovered: desk.recovered.len(),
        os: std::env::consts::OS,
    }
}

fn view(desk: &Desk, settings: Settings) -> SettingsView {
    SettingsView {
        settings,
        data_dir: desk.manager.app().data().root().to_path_buf(),
        data_dir_env: t2v_core::paths::DATA_DIR_ENV,
        writers: crate::writer_names(),
        defaults: Settings::default(),
    }
}

#[tauri::command]
#[specta::specta]
pub fn get_settings(desk: State<'_, Desk>) -> SettingsView {
    view(&desk, desk.manager.settings())
}

/// Validates, saves and applies settings (errors: `invalid_input`, `config`).
#[tauri::command]
#[specta::specta]
pub fn set_settings(desk: State<'_, Desk>, settings: Settings) -> CmdResult<SettingsView> {
    let s = fail(desk.manager.set_settings(settings))?;
    Ok(view(&desk, s))
}

/// Python, Manim, ffmpeg, LaTeX, sandbox…: what is there and the fix for what is missing.
#[tauri::command]
#[specta::specta]
pub async fn doctor(desk: State<'_, Desk>) -> CmdResult<Report> {
    let data = desk.manager.app().data().clone();
    let settings = desk.manager.settings();
    tauri::async_runtime::spawn_blocking(move || t2v_core::doctor::run(&data, &settings))
        .await
        .map_err(|e| Error::Internal(e.to_string()).payload())
}
