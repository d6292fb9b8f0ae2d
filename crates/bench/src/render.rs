//! Real Manim renders through `Renderer::render_scene_with` (sandbox and all): 4 preview scenes two
//! at a time vs one after another, and the manim flags compared on the same workload.

use super::stats::{median, ms, Figure};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;
use t2v_core::layout::LayoutCheck;
use t2v_core::render::manim::RenderWork;
use t2v_core::render::warm::WarmLease;
use t2v_core::render::{Renderer, DEFAULT_MANIM_FLAGS};
use t2v_core::{CancellationToken, Error, Quality, Result};
use tokio::sync::Semaphore;

/// A ~6 s scene with 7 animations (like the platform notes' reference scene).
pub(super) fn scene_code(class_name: &str, n: usize) -> String {
    format!(
        r#"from manim import *


class {class_name}(Scene):
    def construct(self):
        title = Text("Benchmark scene {n}", font_size=40).to_edge(UP)
        self.play(Write(title))
        c = Circle(radius=1.2, color=BLUE)
        s = Square(side_length=2, color=GREEN).shift(RIGHT * 3)
        self.play(Create(c))
        self.play(Create(s))
        self.play(c.animate.shift(LEFT * 3))
        self.play(Transform(s, Triangle(color=YELLOW).shift(RIGHT * 3)))
        dots = VGroup(*[Dot(point=[x, -2, 0]) for x in range(-4, 5)])
        self.play(FadeIn(dots, lag_ratio=0.1))
        self.play(FadeOut(VGroup(title, c, s, dots)))
"#
    )
}

/// Renders `count` bench scenes (scene `i` in `dir/s{i}/w`), `parallel` at a time, warm through
/// `lease` or cold; returns the wall time in ms.
pub(super) async fn batch(
    r: &Arc<Renderer>,
    lease: Option<&Arc<WarmLease>>,
    dir: &Path,
    count: usize,
    parallel: usize,
    quality: Quality,
) -> Result<f64> {
    let sem = Arc::new(Semaphore::new(parallel));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for i in 1..=count {
        let (r, sem, lease) = (r.clone(), sem.clone(), lease.cloned());
        let scene: PathBuf = dir.join(format!("s{i}"));
        tasks.push(tokio::spawn(async move {
            let _permit = sem.acquire_owned().await;
            let class = format!("Scene{i:02}");
            let work = RenderWork::new(&scene.join("w"), &scene_code(&class, i))?;
            let res = r
                .render_scene_with(
                    lease.as_deref(),
                    &work,
                    &class,
                    quality,
                    &scene.join("out.mp4"),
                    &CancellationToken::new(),
                    &scene.join("render.log"),
                    &mut |_, _| {},
                )
                .await?;
            let check = res.map_err(|f| Error::Render {
                scene: class.clone(),
                last_line: f.last_line,
            })?;
            // A figure with the probe silently off would misstate what a render costs.
            match check {
                LayoutCheck::NotChecked { why } if r.probe.is_some() => Err(Error::Internal(
                    format!("{class} went without its layout check: {why}"),
                )),
                _ => Ok(()),
            }
        }));
    }
    for t in tasks {
        t.await.map_err(|e| Error::Internal(e.to_string()))??;
    }
    Ok(ms(start.elapsed()))
}

pub async fn parallel(r: &Renderer, dir: &Path, runs: usize) -> Result<Vec<Figure>> {
    let r = Arc::new(r.clone());
    // (wall ms, share of the machine busy) per batch.
    let (mut serial, mut par) = (vec![], vec![]);
    let timed = |parallel: usize| {
        let r = r.clone();
        let d = dir.join(if parallel == 1 { "serial" } else { "par" });
        async move {
            let c0 = machine_cpu();
            let wall = batch(&r, None, &d, 4, parallel, Quality::Preview).await?;
            Ok::<_, t2v_core::Error>((wall, busy_since(c0)))
        }
    };
    for k in 0..runs {
        // Alternate the order so that drifting load hits both alike.
        if k % 2 == 0 {
            serial.push(timed(1).await?);
            par.push(timed(2).await?);
        } else {
            par.push(timed(2).await?);
            serial.push(timed(1).await?);
        }
    }
    let _ = std::fs::remove_dir_all(dir);
    let m = |v: &[(f64, f64)], f: fn(&(f64, f64)) -> f64| {
        median(&v.iter().map(f).collect::<Vec<_>>()).unwrap_or(f64::NAN)
    };
    let (s, p) = (m(&serial, |x| x.0), m(&par, |x| x.0));
    let (cs, cp) = (m(&serial, |x| x.1), m(&par, |x| x.1));
    Ok(vec![Figure::new(
        "render.parallel_ms",
        "4 preview scenes, 2 at once",
        p,
        "ms",
    )
    .baseline(s)
    .target("≤ 0.6 × serial", p <= 0.6 * s)
    .note(format!(
        "median of {runs}; baseline = the same 4 one after another; flags {:?}; the machine's \
         CPU (both cores, everyone's processes) was {:.0} % busy during the serial batches and \
         {:.0} % during the parallel ones",
        r.manim_flags,
        cs * 100.0,
        cp * 100.0
    ))])
}

/// Machine-wide CPU counters from /proc/stat: (busy, total) jiffies over all cores.
fn machine_cpu() -> (f64, f64) {
    let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let v: Vec<f64> = stat
        .lines()
        .next()
        .unwrap_or("")
        .split_whitespace()
        .skip(1)
        .filter_map(|x| x.parse().ok())
        .collect();
    let total: f64 = v.iter().take(8).sum();
    let idle = v.get(3).copied().unwrap_or(0.0) + v.get(4).copied().unwrap_or(0.0);
    (total - idle, total)
}

/// The share of the machine's CPU (all processes, all cores) that was busy since `from`.
fn busy_since(from: (f64, f64)) -> f64 {
    let now = machine_cpu();
    let total = now.1 - from.1;
    if total > 0.0 {
        (now.0 - from.0) / total
    } else {
        f64::NAN
    }
}

/// The manim flag sets compared.
fn variants() -> Vec<(&'static str, Vec<String>)> {
    let v = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    vec![
        ("no-cache", v(&["--disable_caching"])),
        ("cache-on", v(&[])),
        (
            "no-cache+enc2",
            v(&["--disable_caching", "--max-inflight-encoders", "2"]),
        ),
        (
            "no-cache+enc4",
            v(&["--disable_caching", "--max-inflight-encoders", "4"]),
        ),
    ]
}

/// Each flag set on one scene alone and on 4 scenes 2 at a time (what a job does), interleaved.
pub async fn settings(r: &Renderer, dir: &Path, runs: usize) -> Result<Vec<Figure>> {
    let vs = variants();
    let mut single: Vec<Vec<f64>> = vec![vec![]; vs.len()];
    let mut job: Vec<Vec<f64>> = vec![vec![]; vs.len()];
    for _ in 0..runs {
        for (k, (_, flags)) in vs.iter().enumerate() {
            let mut rv = r.clone();
            rv.manim_flags = flags.clone();
            let rv = Arc::new(rv);
            single[k].push(batch(&rv, None, &dir.join("one"), 1, 1, Quality::Preview).await?);
            job[k].push(batch(&rv, None, &dir.join("four"), 4, 2, Quality::Preview).await?);
        }
    }
    let _ = std::fs::remove_dir_all(dir);
    let current: Vec<String> = DEFAULT_MANIM_FLAGS.iter().map(|s| s.to_string()).collect();
    let base = vs.iter().position(|(_, f)| *f == current).unwrap_or(0);
    let b1 = median(&single[base]).unwrap_or(f64::NAN);
    let b4 = median(&job[base]).unwrap_or(f64::NAN);
    let mut out = Vec::new();
    for (k, (name, flags)) in vs.iter().enumerate() {
        let one = median(&single[k]).unwrap_or(f64::NAN);
        let four = median(&job[k]).unwrap_or(f64::NAN);
        out.push(
            Figure::new(
                &format!("manim.{name}.one_ms"),
                &format!("manim {name}: 1 scene"),
                one,
                "ms",
            )
            .baseline(b1)
            .note(format!(
                "median of {runs}; flags {flags:?}; baseline = current defaults"
            )),
        );
        out.push(
            Figure::new(
                &format!("manim.{name}.four_ms"),
                &format!("manim {name}: 4 scenes, 2 at once"),
                four,
                "ms",
            )
            .baseline(b4),
        );
    }
    Ok(out)
}
