//! The IPC contract, typed once in Rust. [`contract`] lists every command the web view may call
//! (this list is the only one: `build.rs` reads it to declare each command's `allow-<command>`
//! permission and to write `capabilities/main.json`) and the constants the UI needs — stages,
//! statuses, error codes, form limits, event names. [`render`] turns it into
//! `ui/js/bindings.js`, JS with JSDoc types that `tsc --checkJs` checks (the UI has no bundler).
//! Regenerate with `cargo run -p theory2video-desktop --example bindings`; `tests/bindings.rs`
//! fails when the file is stale.

use crate::commands::{history, jobs, open, settings, setup, studio};
use crate::{JOBS_CHANGED, OPEN_PATHS};
use serde::Serialize;
use t2v_core::form::FORM_LIMITS;
use t2v_core::model::versions::ChangeKind;
use t2v_core::render::python::SetupStep;
use t2v_core::{ErrorCode, JobStatus, Quality, Stage};
use tauri::Runtime;
use tauri_specta::{collect_commands, ErrorHandlingMode};

/// Where the generated module lives, relative to the repository root.
pub const BINDINGS_PATH: &str = "ui/js/bindings.js";

/// The web view loads plain ES modules, so the generated imports of `@tauri-apps/api` are pointed
/// at `ui/js/tauri.js`, which re-exports the app's global `window.__TAURI__` with that package's
/// types.
const TAURI_MODULE: &str = "./tauri.js";

const HEADER: &str = "// @generated from Rust (src-tauri/src/bindings.rs) — do not edit.\n\
// Regenerate: cargo run -p theory2video-desktop --example bindings\n\
// Checked fresh by: cargo test -p theory2video-desktop --test bindings";

#[derive(Serialize)]
struct StageInfo {
    stage: Stage,
    label: &'static str,
    start_percent: f64,
    /// Progress inside the stage counts scenes ("Scene 2 of 5").
    per_scene: bool,
}

#[derive(Serialize)]
struct StatusInfo {
    status: JobStatus,
    label: &'static str,
    /// Queued or running: only Cancel applies.
    active: bool,
    /// Resume applies (interrupted, failed, cancelled).
    resumable: bool,
}

#[derive(Serialize)]
struct ErrorInfo {
    code: ErrorCode,
    /// The headline the UI shows for it.
    title: &'static str,
    /// The fix is in Settings and the doctor.
    fix_in_settings: bool,
}

#[derive(Serialize)]
struct QualityInfo {
    quality: Quality,
    label: &'static str,
}

#[derive(Serialize)]
struct SetupStepInfo {
    step: SetupStep,
    label: &'static str,
}

#[derive(Serialize)]
struct ChangeKindInfo {
    kind: ChangeKind,
    label: &'static str,
}

#[derive(Serialize)]
struct Events {
    jobs_changed: &'static str,
    open_paths: &'static str,
}

fn error_title(code: ErrorCode) -> &'static str {
    match code {
        ErrorCode::InvalidInput => "Check the input",
        ErrorCode::Config => "Settings need attention",
        ErrorCode::ToolMissing => "A tool is missing",
        ErrorCode::NotFound => "Not found",
        ErrorCode::Conflict => "Not possible right now",
        ErrorCode::Cancelled => "Cancelled",
        ErrorCode::Writer => "The writer failed",
        ErrorCode::Render => "A scene failed to render",
        ErrorCode::Media => "Combining the video failed",
        ErrorCode::Timeout => "Took too long",
        ErrorCode::Storage => "The job database failed",
        ErrorCode::Io => "A file could not be read or written",
        ErrorCode::Internal => "Something went wrong",
    }
}

fn status_label(s: JobStatus) -> &'static str {
    match s {
        JobStatus::Queued => "Queued",
        JobStatus::Running => "Running",
        JobStatus::Completed => "Completed",
        JobStatus::Failed => "Failed",
        JobStatus::Cancelled => "Cancelled",
        JobStatus::Interrupted => "Interrupted",
    }
}

fn quality_label(q: Quality) -> &'static str {
    match q {
        Quality::Preview => "Preview · 480p",
        Quality::Standard => "Standard · 720p",
        Quality::High => "High · 1080p",
    }
}

/// The commands, their types and the constants, for any runtime (the app and the mock-runtime
/// tests register exactly this).
pub fn contract<R: Runtime>() -> tauri_specta::Builder<R> {
    let stages: Vec<StageInfo> = Stage::ALL
        .into_iter()
        .map(|stage| StageInfo {
            stage,
            label: stage.label(),
            start_percent: stage.start_percent(),
            per_scene: matches!(
                stage,
                Stage::ImplementationPlanning | Stage::CodeGeneration | Stage::SceneRendering
            ),
        })
        .collect();
    let statuses: Vec<StatusInfo> = JobStatus::ALL
        .into_iter()
        .map(|status| StatusInfo {
            status,
            label: status_label(status),
            active: status.is_active(),
            resumable: status.is_resumable(),
        })
        .collect();
    let errors: Vec<ErrorInfo> = ErrorCode::ALL
        .into_iter()
        .map(|code| ErrorInfo {
            code,
            title: error_title(code),
            fix_in_settings: matches!(code, ErrorCode::Config | ErrorCode::ToolMissing),
        })
        .collect();
    let qualities: Vec<QualityInfo> = [Quality::Preview, Quality::Standard, Quality::High]
        .into_iter()
        .map(|quality| QualityInfo {
            quality,
            label: quality_label(quality),
        })
        .collect();
    let setup_steps: Vec<SetupStepInfo> = SetupStep::ALL
        .into_iter()
        .map(|step| SetupStepInfo {
            step,
            label: step.label(),
        })
        .collect();
    tauri_specta::Builder::<R>::new()
        // The one list of commands.
        .commands(collect_commands![
            jobs::check_form,
            jobs::start_job,
            jobs::start_from_files,
            jobs::inspect_files,
            jobs::cancel_job,
            jobs::resume_job,
            jobs::rerun_job,
            jobs::delete_job,
            jobs::clear_finished_jobs,
            history::subscribe,
            history::unsubscribe,
            history::list_jobs,
            history::job_stats,
            history::job_detail,
            history::active_jobs,
            settings::app_info,
            settings::get_settings,
            settings::set_settings,
            settings::doctor,
            open::open_video,
            open::open_thumbnail,
            open::show_in_folder,
            open::pick_topic_files,
            setup::setup_python,
            setup::cancel_setup,
            setup::install_piper_voice,
            studio::scene_detail,
            studio::video_versions,
            studio::edit_scene,
            studio::open_video_version,
        ])
        // Commands reject with an ErrorPayload `{code, message}`; the UI catches it.
        .error_handling(ErrorHandlingMode::Throw)
        // Counts, ids and limits are far below 2^53.
        .dangerously_cast_bigints_to_number()
        .constant("STAGES", stages)
        .constant("STATUSES", statuses)
        .constant("ERRORS", errors)
        .constant("QUALITIES", qualities)
        .constant("FORM_LIMITS", FORM_LIMITS)
        .constant("SETUP_STEPS", setup_steps)
        .constant("LOG_TAIL_LINES", history::LOG_TAIL_LINES)
        .constant("CLEARED_STATUSES", jobs::CLEARED_STATUSES)
        .constant(
            "CHANGE_KINDS",
            ChangeKind::ALL
                .into_iter()
                .map(|kind| ChangeKindInfo {
                    kind,
                    label: kind.label(),
                })
                .collect::<Vec<_>>(),
        )
        .constant(
            "EVENTS",
            Events {
                jobs_changed: JOBS_CHANGED,
                open_paths: OPEN_PATHS,
            },
        )
}

/// The text of `ui/js/bindings.js`.
pub fn render() -> Result<String, String> {
    // A folder of this call's own: two renders at once (the bindings tests run in parallel
    // threads of one process) must not remove each other's file.
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let thread = format!("{:?}", std::thread::current().id())
        .replace(|c: char| !c.is_ascii_alphanumeric(), "");
    let dir = std::env::temp_dir().join(format!(
        "t2v-bindings-{}-{thread}-{nanos}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let path = dir.join("bindings.js");
    let exported = contract::<tauri::Wry>()
        .export(specta_typescript::JSDoc::default().header(HEADER), &path)
        .map_err(|e| e.to_string())
        .and_then(|()| std::fs::read_to_string(&path).map_err(|e| e.to_string()));
    let _ = std::fs::remove_dir_all(&dir);
    let js = exported?.replace("\"@tauri-apps/api/core\"", &format!("\"{TAURI_MODULE}\""));
    Ok(join_multiline_types(&strip_nested_doc_comments(&js)))
}

/// Braces still open at the end of `text` (counted from its first `{`).
fn open_braces(text: &str) -> i32 {
    let mut depth = 0;
    let mut started = false;
    for c in text.chars() {
        match c {
            '{' => {
                depth += 1;
                started = true;
            }
            '}' => depth -= 1,
            _ => {}
        }
        if started && depth == 0 {
            return 0;
        }
    }
    depth
}

/// The same exporter writes some `@typedef {…}`/`@property {…}` types (unions, tagged enums)
/// over several ` * ` lines, which `tsc --checkJs` cannot parse: each such type is joined onto
/// its tag's line.
fn join_multiline_types(js: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut open = 0;
    for line in js.lines() {
        if open > 0 {
            let cont = line.trim_start().trim_start_matches('*').trim();
            let last = out.last_mut().expect("a tag line before its continuation");
            last.push(' ');
            last.push_str(cont);
            open = type_depth(last);
            continue;
        }
        let t = line.trim_start().trim_start_matches('*').trim_start();
        if t.starts_with("@typedef {") || t.starts_with("@property {") {
            open = type_depth(line);
        }
        out.push(line.to_string());
    }
    let mut text = out.join("\n");
    text.push('\n');
    text
}

/// Braces of a tag line's type still open at its end.
fn type_depth(line: &str) -> i32 {
    line.find('{').map_or(0, |i| open_braces(&line[i..]))
}

/// specta-typescript 0.0.13's JSDoc output puts each field's doc comment (`/** … */`) inside the
/// typedef's own `/** … */` block, where the inner `*/` ends the block and breaks the file. The
/// same words are in the typedef's `@property` lines, so the inner comments are dropped.
fn strip_nested_doc_comments(js: &str) -> String {
    let mut out = String::with_capacity(js.len());
    let mut skipping = false;
    for line in js.lines() {
        let t = line.trim();
        if skipping {
            skipping = !t.ends_with("*/");
            continue;
        }
        let nested = t
            .strip_prefix('*')
            .is_some_and(|rest| rest.trim_start().starts_with("/**"));
        if nested {
            skipping = !t.ends_with("*/");
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}
