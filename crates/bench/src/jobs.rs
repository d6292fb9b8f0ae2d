//! Whole jobs through `App`: orchestration overhead with an instant writer and an
//! instant renderer, the re-run of an unchanged job, and a job with one scene's code changed.

use super::stats::{median, ms, Figure};
use super::writer::{tiny_code, BenchWriter, BenchWriters};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;
use t2v_core::app::App;
use t2v_core::paths::DataDir;
use t2v_core::progress::NullSink;
use t2v_core::render::process::child_totals;
use t2v_core::render::python::PythonEnv;
use t2v_core::writer::scene_class;
use t2v_core::{CancellationToken, Error, JobRecord, JobStatus, Result, Topic};

pub struct Rig {
    pub app: App,
    pub writer: Arc<BenchWriter>,
}

/// An app in `dir` with the bench writer; `fake` makes every render a copy of that clip.
/// `rec` if it completed, else an error saying how the bench's `what` ended.
pub fn completed(rec: JobRecord, what: &str) -> Result<JobRecord> {
    if rec.status == JobStatus::Completed {
        return Ok(rec);
    }
    Err(Error::Internal(format!(
        "bench {what} ended {}: {}",
        rec.status,
        rec.error.map(|e| e.message).unwrap_or_default()
    )))
}

pub fn rig(dir: &Path, venv: &Path, fake: Option<&Path>, concurrency: usize) -> Result<Rig> {
    let writer = Arc::new(BenchWriter::default());
    let (venv, fake) = (venv.to_path_buf(), fake.map(Path::to_path_buf));
    let app = App::open(DataDir::at(dir)?, Arc::new(BenchWriters(writer.clone())))?
        .with_renderer_hook(Arc::new(move |r| {
            r.python = PythonEnv::new(venv.clone());
            r.fake_render = fake.clone();
        }));
    app.override_settings(|s| s.render_concurrency = concurrency);
    Ok(Rig { app, writer })
}

impl Rig {
    /// Runs a queued job to completion; returns its record and wall time in ms.
    async fn run(&self, id: &str) -> Result<(JobRecord, f64)> {
        let s = Instant::now();
        let rec = self
            .app
            .run_job(id, Arc::new(NullSink), CancellationToken::new())
            .await?;
        let wall = ms(s.elapsed());
        Ok((completed(rec, "job")?, wall))
    }

    pub async fn first(&self, title: &str, scenes: u32) -> Result<(JobRecord, f64)> {
        let topic = Topic::from_form(title, "A benchmark topic with a few tiny scenes.")?;
        let mut opts = self.app.settings().job_options();
        opts.max_scenes = Some(scenes);
        let job = self.app.submit(topic, opts, None)?;
        self.run(&job.id).await
    }

    pub async fn rerun(&self, id: &str) -> Result<(JobRecord, f64)> {
        let job = self.app.rerun(id)?;
        self.run(&job.id).await
    }

    /// Scenes of a job that were rendered (not reused from the cache).
    pub fn renders(&self, id: &str) -> Result<usize> {
        Ok(self
            .app
            .scenes(id)?
            .iter()
            .filter(|s| s.status == t2v_core::job::SceneStatus::Rendered)
            .count())
    }
}

/// Where a job's time went: each stage's span, from the first event of one stage to the first
/// of the next (the store's event log is the profile).
pub fn stage_spans(rig: &Rig, id: &str) -> Result<String> {
    let events = rig.app.events(id)?;
    let mut firsts: Vec<(t2v_core::Stage, chrono::DateTime<chrono::Utc>)> = Vec::new();
    for e in &events {
        if firsts.last().is_none_or(|(s, _)| *s != e.stage) {
            firsts.push((e.stage, e.at));
        }
    }
    let spans: Vec<String> = firsts
        .windows(2)
        .map(|w| format!("{} {} ms", w[0].0, (w[1].1 - w[0].1).num_milliseconds()))
        .collect();
    Ok(spans.join(", "))
}

/// A 1 s 854×480 15 fps clip with silent stereo audio, like manim's `-ql` output.
pub async fn tiny_clip(ffmpeg: &Path, out: &Path) -> Result<PathBuf> {
    let status = tokio::process::Command::new(ffmpeg)
        .args([
            "-hide_banner",
            "-loglevel",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
        ])
        .arg("testsrc=size=854x480:rate=15:duration=1")
        .args([
            "-f",
            "lavfi",
            "-i",
            "anullsrc=r=48000:cl=stereo",
            "-shortest",
        ])
        .args(["-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac"])
        .arg(out)
        .status()
        .await
        .map_err(|e| Error::io("running ffmpeg", e))?;
    if !status.success() {
        return Err(Error::Media("could not make the tiny clip".into()));
    }
    Ok(out.to_path_buf())
}

pub async fn overhead(dir: &Path, venv: &Path, tiny: &Path, runs: usize) -> Result<Vec<Figure>> {
    // One scene at a time: stage work does not overlap, so wall = stage work + overhead.
    let rig = rig(dir, venv, Some(tiny), 1)?;
    let scenes = 4;
    let (mut over, mut share, mut work, mut children) = (vec![], vec![], vec![], 0);
    for r in 0..runs {
        let (c0, d0) = child_totals();
        let b0 = rig.writer.busy();
        let (_rec, wall) = rig.first(&format!("Overhead {r}"), scenes).await?;
        let (c1, d1) = child_totals();
        let stage = ms(d1 - d0) + ms(rig.writer.busy() - b0);
        over.push(wall - stage);
        share.push((wall - stage) / wall);
        work.push(stage);
        children = c1 - c0;
    }
    let o = median(&over).unwrap_or(f64::NAN);
    let w = median(&work).unwrap_or(f64::NAN);
    let pct = median(&share).unwrap_or(f64::NAN) * 100.0;
    let note = format!(
        "median of {runs} fresh {scenes}-scene jobs, one scene at a time; stage work = \
         {children} child processes (code checks, espeak, ffmpeg/ffprobe) + writer calls; \
         renders are copies of a prebuilt clip"
    );
    Ok(vec![
        Figure::new(
            "overhead.per_job_ms",
            "Orchestration overhead per job",
            o,
            "ms",
        )
        .baseline(w)
        .target("< 200 ms", o < 200.0)
        .note(note),
        Figure::new(
            "overhead.share_pct",
            "Orchestration overhead share of wall",
            pct,
            "%",
        )
        .target("< 1 %", pct < 1.0),
    ])
}

/// First run, unchanged re-runs, then re-runs with one scene's code changed.
pub async fn rerun(
    dir: &Path,
    venv: &Path,
    fake: Option<&Path>,
    runs: usize,
    scenes: u32,
) -> Result<Vec<Figure>> {
    let rig = rig(dir, venv, fake, 2)?;
    let how = if fake.is_some() {
        "fake renders"
    } else {
        "real manim -ql"
    };
    let (first, first_wall) = rig.first("Rerun benchmark", scenes).await?;
    let first_calls = rig.writer.calls();
    let first_renders = rig.renders(&first.id)?;
    let (mut walls, mut calls, mut renders, mut spans) = (vec![], 0, 0, String::new());
    let (k0, d0) = child_totals();
    for _ in 0..runs {
        let c0 = rig.writer.calls();
        let (rec, wall) = rig.rerun(&first.id).await?;
        walls.push(wall);
        spans = stage_spans(&rig, &rec.id)?;
        calls = calls.max(rig.writer.calls() - c0);
        renders = renders.max(rig.renders(&rec.id)?);
    }
    let (k1, d1) = child_totals();
    let rerun_wall = median(&walls).unwrap_or(f64::NAN);
    let base = format!(
        "first run: {scenes} scenes, {first_calls} writer calls, {first_renders} renders, {how}"
    );
    let mut out = vec![
        Figure::new(
            "rerun.wall_ms",
            "Re-run of an unchanged job",
            rerun_wall,
            "ms",
        )
        .baseline(first_wall)
        .target("< 2000 ms", rerun_wall < 2000.0)
        .note(format!(
            "median of {runs}; {base}; per re-run {} child processes, {:.0} ms in them; \
             last re-run: {spans}",
            (k1 - k0) / runs as u64,
            ms(d1 - d0) / runs as f64
        )),
        Figure::new(
            "rerun.llm_calls",
            "Re-run: writer (LLM) calls",
            calls as f64,
            "calls",
        )
        .baseline(first_calls as f64)
        .target("0", calls == 0),
        Figure::new(
            "rerun.renders",
            "Re-run: scenes rendered",
            renders as f64,
            "renders",
        )
        .baseline(first_renders as f64)
        .target("0", renders == 0),
    ];
    // One scene's code changed: a newer code version in the cache, as an edit would leave it.
    let topic = first.request.topic.clone();
    let cache = rig.app.cache_for(
        &topic,
        rig.writer.as_ref(),
        t2v_core::render::latex_available(),
    );
    let target_scene = scenes.div_ceil(2);
    // A combined video is cached under a key made of its clips: a new file there is a re-combine.
    let finals = || {
        std::fs::read_dir(cache.dir().join("final"))
            .map(|d| {
                d.flatten()
                    .filter(|e| !e.file_name().to_string_lossy().contains("tmp"))
                    .count()
            })
            .unwrap_or(0)
    };
    let (mut walls, mut max_renders, mut min_renders, mut recombined) = (vec![], 0, usize::MAX, 0);
    for r in 0..runs {
        let v = cache
            .code_versions(target_scene)
            .first()
            .map_or(0, |v| v + 1);
        cache.save_code(
            target_scene,
            v,
            &tiny_code(&scene_class(target_scene), &format!("edit{r}")),
        )?;
        let c0 = rig.writer.calls();
        let f0 = finals();
        let (rec, wall) = rig.rerun(&first.id).await?;
        walls.push(wall);
        recombined += finals().saturating_sub(f0).min(1);
        let n = rig.renders(&rec.id)?;
        max_renders = max_renders.max(n + (rig.writer.calls() - c0) as usize * 1000);
        min_renders = min_renders.min(n);
    }
    let change_wall = median(&walls).unwrap_or(f64::NAN);
    let ok = max_renders == 1 && min_renders == 1 && recombined == runs;
    out.push(
        Figure::new(
            "change.renders",
            "One scene changed: scenes rendered",
            max_renders as f64,
            "renders",
        )
        .baseline(first_renders as f64)
        .target("1, video re-combined", ok)
        .note(format!(
            "{runs} edits of scene {target_scene}; video re-combined {recombined} of {runs}; \
                 0 writer calls expected (a call counts as 1000)"
        )),
    );
    out.push(
        Figure::new(
            "change.wall_ms",
            "One scene changed: wall",
            change_wall,
            "ms",
        )
        .baseline(first_wall)
        .note(format!("median of {runs}; {how}")),
    );
    Ok(out)
}
