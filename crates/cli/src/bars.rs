//! Terminal progress bars drawn from the core's progress events.

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use t2v_core::{ProgressEvent, Stage};

pub struct Bars {
    multi: MultiProgress,
    bars: Mutex<HashMap<String, ProgressBar>>,
    quiet: bool,
}

impl Bars {
    /// Bars on stderr; `quiet` (e.g. `--json`) hides them. Without a terminal, milestones are
    /// printed as plain lines instead.
    pub fn new(quiet: bool) -> Arc<Bars> {
        let multi = MultiProgress::with_draw_target(if quiet {
            ProgressDrawTarget::hidden()
        } else {
            ProgressDrawTarget::stderr()
        });
        Arc::new(Bars {
            multi,
            bars: Mutex::new(HashMap::new()),
            quiet,
        })
    }

    pub fn add(&self, job_id: &str, topic: &str) {
        let bar = self.multi.add(ProgressBar::new(100));
        bar.set_style(
            ProgressStyle::with_template("{prefix:24!} [{bar:30.cyan/blue}] {pos:>3}% {msg}")
                .expect("valid template")
                .progress_chars("█▉▊▋▌▍▎▏ "),
        );
        bar.set_prefix(topic.to_string());
        bar.set_message("queued");
        self.bars.lock().unwrap().insert(job_id.to_string(), bar);
    }

    pub fn event(&self, e: &ProgressEvent) {
        let bars = self.bars.lock().unwrap();
        let Some(bar) = bars.get(&e.job_id) else {
            return;
        };
        bar.set_position(e.progress.floor() as u64);
        let msg = format!("{}: {}", e.stage.label(), e.message);
        if self.multi.is_hidden() {
            if e.milestone && !self.quiet {
                eprintln!("[{:>5.1}%] {msg}", e.progress);
            }
        } else {
            bar.set_message(msg);
        }
        if e.stage == Stage::Completed {
            bar.finish();
        }
    }

    pub fn finish(&self, job_id: &str, line: &str) {
        if let Some(bar) = self.bars.lock().unwrap().get(job_id) {
            bar.finish_with_message(line.to_string());
        }
    }
}
