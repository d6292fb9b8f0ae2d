//! Which writers the CLI can use. The offline storyboard writer is built into the core; LLM
//! writers plug in here.

use std::sync::Arc;
use t2v_core::app::{CoreWriters, WriterFactory};

pub fn factory() -> Arc<dyn WriterFactory> {
    Arc::new(CoreWriters)
}
