//! Typed errors. Every error carries a small, stable [`ErrorCode`] that crosses process and IPC
//! boundaries as `{code, message}`; callers branch on the code, never on the message text.

use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// The stable error codes. Serialized as `snake_case` strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// A topic file or form input that cannot be used.
    InvalidInput,
    /// Configuration that must be fixed by the user before a job can run (model, key, writer, tool).
    Config,
    /// A required external tool (python, manim, ffmpeg) is missing.
    ToolMissing,
    /// The job, file or artefact asked for does not exist.
    NotFound,
    /// The operation does not fit the job's current state (e.g. resuming a running job).
    Conflict,
    /// The job was cancelled.
    Cancelled,
    /// A writer (storyboard or LLM) failed at run time.
    Writer,
    /// A scene failed to render after all fix attempts.
    Render,
    /// ffmpeg/ffprobe failed to combine, probe or snapshot.
    Media,
    /// A time limit was exceeded.
    Timeout,
    /// The job database failed (locked, corrupt, newer schema, disk full).
    Storage,
    /// Any other I/O failure.
    Io,
    /// A bug: should not happen.
    Internal,
}

impl ErrorCode {
    /// Every code, in declaration order (front ends build their tables from it).
    pub const ALL: [ErrorCode; 13] = [
        ErrorCode::InvalidInput,
        ErrorCode::Config,
        ErrorCode::ToolMissing,
        ErrorCode::NotFound,
        ErrorCode::Conflict,
        ErrorCode::Cancelled,
        ErrorCode::Writer,
        ErrorCode::Render,
        ErrorCode::Media,
        ErrorCode::Timeout,
        ErrorCode::Storage,
        ErrorCode::Io,
        ErrorCode::Internal,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidInput => "invalid_input",
            ErrorCode::Config => "config",
            ErrorCode::ToolMissing => "tool_missing",
            ErrorCode::NotFound => "not_found",
            ErrorCode::Conflict => "conflict",
            ErrorCode::Cancelled => "cancelled",
            ErrorCode::Writer => "writer",
            ErrorCode::Render => "render",
            ErrorCode::Media => "media",
            ErrorCode::Timeout => "timeout",
            ErrorCode::Storage => "storage",
            ErrorCode::Io => "io",
            ErrorCode::Internal => "internal",
        }
    }

    pub fn parse(s: &str) -> Option<ErrorCode> {
        serde_json::from_value(serde_json::Value::String(s.to_string())).ok()
    }

    /// Configuration errors are the user's to fix before a job can run; runtime errors are not.
    pub fn is_config(self) -> bool {
        matches!(
            self,
            ErrorCode::Config | ErrorCode::ToolMissing | ErrorCode::InvalidInput
        )
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a topic file was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputProblem {
    #[error("the file is empty")]
    Empty,
    #[error("the file is not valid UTF-8 text")]
    NotUtf8,
    #[error("the file looks binary, not text")]
    Binary,
    #[error("the file is {size} bytes; the limit is {limit} bytes (1 MiB)")]
    TooLarge { size: u64, limit: u64 },
    #[error("no topic found ({0})")]
    MissingTopic(String),
    #[error("malformed JSON: {0}")]
    MalformedJson(String),
    #[error("the topic {0:?} is shorter than 3 characters")]
    TopicTooShort(String),
    #[error("the description is shorter than 10 characters")]
    DescriptionTooShort,
    #[error("unsupported file type {0:?}: use .md, .txt or .json")]
    UnsupportedType(String),
    #[error("{0}")]
    Other(String),
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}: {problem}", shown_path(path))]
    Input {
        path: PathBuf,
        problem: InputProblem,
    },
    #[error("invalid input: {0}")]
    InvalidField(InputProblem),
    #[error("{0}")]
    Config(String),
    #[error("{tool} is missing: {fix}")]
    ToolMissing { tool: String, fix: String },
    #[error("{0} not found")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("cancelled")]
    Cancelled,
    #[error("writer failed: {0}")]
    Writer(String),
    #[error("scene {scene} failed to render: {last_line}")]
    Render { scene: String, last_line: String },
    #[error("{0}")]
    Media(String),
    #[error("{what} timed out after {secs} s")]
    Timeout { what: String, secs: u64 },
    #[error("job database: {0}")]
    Storage(String),
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
    #[error("internal error: {0}")]
    Internal(String),
    /// The job's writer cannot do what was asked (an instruction for the offline writer); the
    /// message says what would. Its code is `config`: the fix is a setting.
    #[error("{0}")]
    Unsupported(String),
}

/// A path as shown in messages: control characters (a newline or a terminal escape in a file
/// name) are escaped, so a hostile name cannot forge lines or recolour the terminal.
pub fn shown_path(path: &std::path::Path) -> String {
    path.display()
        .to_string()
        .chars()
        .flat_map(|c| {
            if c.is_control() {
                c.escape_default().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect()
}

impl Error {
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Input { .. } | Error::InvalidField(_) => ErrorCode::InvalidInput,
            Error::Config(_) | Error::Unsupported(_) => ErrorCode::Config,
            Error::ToolMissing { .. } => ErrorCode::ToolMissing,
            Error::NotFound(_) => ErrorCode::NotFound,
            Error::Conflict(_) => ErrorCode::Conflict,
            Error::Cancelled => ErrorCode::Cancelled,
            Error::Writer(_) => ErrorCode::Writer,
            Error::Render { .. } => ErrorCode::Render,
            Error::Media(_) => ErrorCode::Media,
            Error::Timeout { .. } => ErrorCode::Timeout,
            Error::Storage(_) => ErrorCode::Storage,
            Error::Io { .. } => ErrorCode::Io,
            Error::Internal(_) => ErrorCode::Internal,
        }
    }

    pub fn io(context: impl Into<String>, source: std::io::Error) -> Error {
        Error::Io {
            context: context.into(),
            source,
        }
    }

    pub fn input(path: impl Into<PathBuf>, problem: InputProblem) -> Error {
        Error::Input {
            path: path.into(),
            problem,
        }
    }

    pub fn payload(&self) -> ErrorPayload {
        ErrorPayload {
            code: self.code(),
            message: self.to_string(),
        }
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        Error::Storage(e.to_string())
    }
}

/// What crosses IPC and JSON output: `{code, message}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ErrorPayload {
    pub code: ErrorCode,
    pub message: String,
}

impl From<Error> for ErrorPayload {
    fn from(e: Error) -> Self {
        e.payload()
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Extension to attach context to `std::io::Result`.
pub trait IoContext<T> {
    fn ctx(self, context: impl FnOnce() -> String) -> Result<T>;
}

impl<T> IoContext<T> for std::io::Result<T> {
    fn ctx(self, context: impl FnOnce() -> String) -> Result<T> {
        self.map_err(|source| Error::Io {
            context: context(),
            source,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_as_snake_case() {
        for code in [
            ErrorCode::InvalidInput,
            ErrorCode::Config,
            ErrorCode::ToolMissing,
            ErrorCode::Cancelled,
        ] {
            let s = serde_json::to_string(&code).unwrap();
            assert_eq!(s, format!("\"{}\"", code.as_str()));
            assert_eq!(ErrorCode::parse(code.as_str()), Some(code));
        }
    }

    #[test]
    fn payload_has_code_and_message() {
        let e = Error::Config("model gpt-x is not offered by the endpoint".into());
        let p = serde_json::to_value(e.payload()).unwrap();
        assert_eq!(p["code"], "config");
        assert!(e.code().is_config());
        assert!(!Error::Render {
            scene: "S".into(),
            last_line: "x".into()
        }
        .code()
        .is_config());
    }
}
