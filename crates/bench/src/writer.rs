//! A fake "LLM" writer for the benchmark: instant, counts its calls, returns tiny Manim code.

use async_trait::async_trait;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use t2v_core::app::WriterFactory;
use t2v_core::writer::{Outline, SceneOutline, ScenePlan, Writer, WriterCtx};
use t2v_core::{Result, Topic, WriterSpec};

#[derive(Default)]
pub struct BenchWriter {
    calls: AtomicU32,
    busy_nanos: AtomicU64,
}

/// A tiny scene that renders in about a second at preview quality; `variant` changes the text
/// (and so the code's hash).
pub fn tiny_code(class_name: &str, variant: &str) -> String {
    format!(
        "from manim import *\n\n\nclass {class_name}(Scene):\n    def construct(self):\n        \
         t = Text(\"{class_name} {variant}\", font_size=40)\n        \
         self.play(Write(t), run_time=0.5)\n        self.play(FadeOut(t), run_time=0.3)\n"
    )
}

impl BenchWriter {
    pub fn calls(&self) -> u32 {
        self.calls.load(Ordering::SeqCst)
    }

    /// Time spent inside the writer's calls (≈ 0: it is instant).
    pub fn busy(&self) -> Duration {
        Duration::from_nanos(self.busy_nanos.load(Ordering::SeqCst))
    }

    fn call<T>(&self, f: impl FnOnce() -> T) -> T {
        let s = Instant::now();
        self.calls.fetch_add(1, Ordering::SeqCst);
        let out = f();
        let n = u64::try_from(s.elapsed().as_nanos()).unwrap_or(u64::MAX);
        self.busy_nanos.fetch_add(n, Ordering::SeqCst);
        out
    }
}

#[async_trait]
impl Writer for BenchWriter {
    fn name(&self) -> String {
        "bench".into()
    }
    fn cache_key(&self) -> String {
        "bench-writer-v1".into()
    }
    async fn outline(&self, topic: &Topic, ctx: &WriterCtx) -> Result<Outline> {
        Ok(self.call(|| Outline {
            topic: topic.title.clone(),
            scenes: (1..=ctx.max_scenes)
                .map(|i| SceneOutline {
                    title: format!("Part {i}"),
                    purpose: "benchmark".into(),
                    kind: Default::default(),
                })
                .collect(),
        }))
    }
    async fn plan_scene(
        &self,
        _topic: &Topic,
        outline: &Outline,
        index: usize,
        _ctx: &WriterCtx,
    ) -> Result<ScenePlan> {
        Ok(self.call(|| ScenePlan {
            index: index as u32 + 1,
            title: outline.scenes[index].title.clone(),
            storyboard: "A word appears and fades.".into(),
            technical_notes: "Text, Write, FadeOut.".into(),
            narration: format!("This is part {}.", index + 1),
            data: serde_json::Value::Null,
        }))
    }
    async fn write_code(
        &self,
        _topic: &Topic,
        _plan: &ScenePlan,
        class_name: &str,
        _ctx: &WriterCtx,
    ) -> Result<String> {
        Ok(self.call(|| tiny_code(class_name, "v0")))
    }
    async fn fix_code(
        &self,
        _topic: &Topic,
        _plan: &ScenePlan,
        class_name: &str,
        _code: &str,
        _error: &str,
        attempt: u32,
        _ctx: &WriterCtx,
    ) -> Result<String> {
        Ok(self.call(|| tiny_code(class_name, &format!("fix{attempt}"))))
    }
}

/// Every writer spec makes the one shared bench writer.
pub struct BenchWriters(pub Arc<BenchWriter>);

impl BenchWriters {
    pub fn offline() -> BenchWriters {
        BenchWriters(Arc::new(BenchWriter::default()))
    }
}

impl WriterFactory for BenchWriters {
    fn create(&self, _spec: &WriterSpec) -> Result<Arc<dyn Writer>> {
        Ok(self.0.clone())
    }
}
