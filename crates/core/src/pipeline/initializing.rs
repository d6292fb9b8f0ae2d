//! Stage 1: check configuration and tools before anything is spent.

use super::JobRun;
use crate::error::{Error, Result};
use crate::progress::Stage;

pub async fn run(run: &JobRun) -> Result<()> {
    let t = &run.tracker;
    t.stage(Stage::Initializing, "Checking tools and configuration");
    run.log(format!(
        "job {} \"{}\" with writer {}",
        run.job.id,
        run.topic.title,
        run.writer.name()
    ));
    if !run.renderer.sandbox.is_on() {
        run.log(format!(
            "WARNING: the sandbox is {}",
            run.renderer.sandbox.describe()
        ));
    }
    if !run.renderer.latex {
        run.log("LaTeX not found: formulas are drawn as text (sudo apt-get install texlive-latex-base dvisvgm)");
    }
    run.writer.check(&run.wctx).await.map_err(|e| match e {
        Error::Cancelled => Error::Cancelled,
        e if e.code().is_config() => e,
        e => Error::Config(format!("writer {}: {e}", run.writer.name())),
    })?;
    let python = &run.renderer.python;
    if !python.is_ready() {
        t.stage(
            Stage::Initializing,
            "Setting up Python and Manim (first run only, about a minute)",
        );
        let mut last: Option<std::time::Instant> = None;
        python
            .ensure(&run.cancel, |p| {
                if last.is_none_or(|t| t.elapsed().as_millis() > 250) {
                    last = Some(std::time::Instant::now());
                    let short: String = p.message.chars().take(120).collect();
                    run.tracker.detail(
                        Stage::Initializing,
                        0,
                        1,
                        p.fraction,
                        format!("Setting up Manim: {short}"),
                    );
                }
            })
            .await?;
        run.log("Python environment with Manim is ready");
    }
    run.check_cancelled()?;
    t.sub(Stage::Initializing, 1, 1, "Ready");
    Ok(())
}
