//! Small helpers with no knowledge of jobs: hashing, atomic file writes, text, unique temp files,
//! cross-process artefact locks.

pub mod fs;
pub mod hash;
pub mod lock;
pub mod text;
pub mod tmp;
