//! The commands the web view may invoke. Every one returns `Result<T, ErrorPayload>`, so a
//! failure reaches the UI as `{code, message}` and the UI branches on `code` only.

pub mod history;
pub mod jobs;
pub mod open;
pub mod settings;
pub mod setup;
pub mod studio;

use t2v_core::ErrorPayload;

pub type CmdResult<T> = Result<T, ErrorPayload>;

/// Core errors into the IPC payload.
pub(crate) fn fail<T>(r: t2v_core::Result<T>) -> CmdResult<T> {
    r.map_err(|e| e.payload())
}
