//! Helpers the test suites of every crate share, so each rule lives once: which processes a
//! job left in the process table, and polling until a condition holds. This crate is only a
//! dev-dependency; nothing here ships in the app or the CLI.

pub mod poll;
pub mod procs;
