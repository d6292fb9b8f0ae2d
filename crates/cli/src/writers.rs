//! Which writers the CLI can use: the offline storyboard writer (built into the core) and the LLM
//! writers of `t2v-llm` — provider profiles from `providers.toml` in the config dir
//! (`$THEORY2VIDEO_CONFIG_DIR` overrides it), presets, and bare provider kinds.

use std::sync::Arc;
use t2v_core::app::WriterFactory;

pub fn factory() -> Arc<dyn WriterFactory> {
    Arc::new(t2v_llm::Writers::new())
}
