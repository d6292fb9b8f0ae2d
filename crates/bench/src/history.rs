//! History with 100 000 jobs (first page, search by topic, stats row) and a 240-entry
//! TheoremExplainBench file dropped in (all queued and listed).

use super::stats::{median, ms, Figure};
use super::BenchWriters;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;
use t2v_core::app::App;
use t2v_core::job::{JobOptions, JobRequest};
use t2v_core::paths::DataDir;
use t2v_core::store::Store;
use t2v_core::{Error, JobQuery, JobStatus, Result, Topic};

const WORDS: &[&str] = &[
    "Pythagorean",
    "Fermat",
    "Euler",
    "Gauss",
    "Bayes",
    "Cauchy",
    "Noether",
    "Riemann",
    "Lagrange",
    "Fourier",
    "Taylor",
    "Bolzano",
    "Stokes",
    "Green",
    "Hilbert",
    "Banach",
    "Markov",
    "Nyquist",
    "Shannon",
    "Kepler",
    "Newton",
    "Ohm",
    "Maxwell",
    "Planck",
    "Dirac",
    "Turing",
    "Gödel",
    "Ramsey",
];
const KINDS: &[&str] = &[
    "theorem",
    "lemma",
    "law",
    "identity",
    "inequality",
    "conjecture",
];

fn db_err(e: rusqlite::Error) -> Error {
    Error::Storage(e.to_string())
}

/// Fills `db` (already migrated by `Store::open`) with `n` finished jobs in one transaction,
/// spread over a year, with realistic request JSON.
pub fn fill(db: &Path, n: usize) -> Result<()> {
    let mut conn = rusqlite::Connection::open(db).map_err(db_err)?;
    let tx = conn.transaction().map_err(db_err)?;
    {
        let mut stmt = tx
            .prepare(
                "INSERT INTO jobs (id, topic, description, metadata, request, status, stage, progress, \
                 message, writer, quality, created_at, updated_at, finished_at) \
                 VALUES (?1, ?2, ?3, '{}', ?4, ?5, ?6, ?7, ?8, 'storyboard', 'preview', ?9, ?9, ?9)",
            )
            .map_err(db_err)?;
        let start = chrono::Utc::now() - chrono::Duration::days(365);
        for i in 0..n {
            let w = WORDS[i % WORDS.len()];
            let k = KINDS[(i / WORDS.len()) % KINDS.len()];
            let title = format!("{w}'s {k} no. {}", i / (WORDS.len() * KINDS.len()));
            let desc = format!("Benchmark history entry {i}: {w} {k}, explained in a few scenes.");
            let topic = Topic::from_form(&title, &desc)?;
            let req = JobRequest::new(topic, JobOptions::default(), None);
            let req = serde_json::to_string(&req).map_err(|e| Error::Internal(e.to_string()))?;
            let (status, stage, progress) = match i % 20 {
                0..=13 => ("completed", "completed", 100.0),
                14..=16 => ("failed", "scene_rendering", 74.0),
                17 | 18 => ("cancelled", "code_generation", 45.0),
                _ => ("interrupted", "planning", 15.0),
            };
            let at = start + chrono::Duration::milliseconds((i as i64) * 315_000);
            let at = at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
            let id = format!("{:016x}{:016x}", i as u64 * 0x9E37_79B9_7F4A_7C15, i);
            stmt.execute(rusqlite::params![
                id, title, desc, req, status, stage, progress, status, at
            ])
            .map_err(db_err)?;
        }
    }
    tx.commit().map_err(db_err)?;
    Ok(())
}

/// Median of `runs` timings of `f` in ms; `f` returns how many rows it saw.
fn time_it(runs: usize, mut f: impl FnMut() -> Result<usize>) -> Result<(f64, usize)> {
    let mut t = Vec::new();
    let mut rows = 0;
    for _ in 0..runs {
        let s = Instant::now();
        rows = f()?;
        t.push(ms(s.elapsed()));
    }
    Ok((median(&t).unwrap_or(f64::NAN), rows))
}

/// A page as the desktop app's `list_jobs` command makes it: the rows and the total.
fn page(store: &Store, search: Option<&str>) -> Result<usize> {
    let q = JobQuery {
        search: search.map(str::to_string),
        limit: 50,
        ..JobQuery::default()
    };
    let rows = store.list_jobs(&q)?;
    let _total = store.count_jobs(&q)?;
    Ok(rows.len())
}

pub fn history(dir: &Path, runs: usize, n: usize) -> Result<Vec<Figure>> {
    let db = dir.join("history.sqlite3");
    let _ = std::fs::remove_file(&db);
    drop(Store::open(&db)?);
    let s = Instant::now();
    fill(&db, n)?;
    let fill_ms = ms(s.elapsed());
    let store = Store::open(&db)?;
    let runs = runs.max(5);
    let target = |v: f64| v < 10.0;
    let note = |rows: usize| format!("median of {runs}; {rows} rows on the page; list + count");
    let mut out = Vec::new();
    let (first, rows) = time_it(runs, || page(&store, None))?;
    out.push(
        Figure::new("history.first_page_ms", "History: first page", first, "ms")
            .target("< 10 ms", target(first))
            .note(format!(
                "{}; {n} jobs inserted in {fill_ms:.0} ms",
                note(rows)
            )),
    );
    // A rare term (one word of the vocabulary and a number: ~0.1 % of rows) and a common one.
    for (key, what, term) in [
        (
            "history.search_rare_ms",
            "History: search (rare term)",
            "noether's lemma no. 1",
        ),
        (
            "history.search_common_ms",
            "History: search (common term)",
            "gauss",
        ),
    ] {
        let (t, rows) = time_it(runs, || page(&store, Some(term)))?;
        out.push(
            Figure::new(key, what, t, "ms")
                .target("< 10 ms", target(t))
                .note(format!("{}; term {term:?}", note(rows))),
        );
    }
    let (stats, _) = time_it(runs, || store.stats().map(|s| s.total as usize))?;
    out.push(
        Figure::new("history.stats_ms", "History: stats row", stats, "ms")
            .target("< 10 ms", target(stats))
            .note(format!("median of {runs}")),
    );
    Ok(out)
}

/// Writes a TheoremExplainBench-shaped JSON list of `n` entries.
fn bench_file(path: &Path, n: usize) -> Result<()> {
    let entries: Vec<serde_json::Value> = (0..n)
        .map(|i| {
            let subject = ["Mathematics", "Physics", "Computer Science", "Chemistry"][i % 4];
            let difficulty = ["Easy", "Medium", "Hard"][i % 3];
            serde_json::json!({
                "uid": format!("bench-{i:03}"),
                "subject": subject,
                "difficulty": difficulty,
                "theorem": format!("{} {} {i}", WORDS[i % WORDS.len()], KINDS[i % KINDS.len()]),
                "description": format!("Entry {i}: the statement, why it holds, and an example \
                    with $a^2 + b^2 = c^2$ worked through step by step."),
            })
        })
        .collect();
    let text =
        serde_json::to_string_pretty(&entries).map_err(|e| Error::Internal(e.to_string()))?;
    std::fs::write(path, text).map_err(|e| Error::io("writing the bench file", e))
}

/// Parse, queue every entry, and list the queued jobs: what dropping the file does.
pub fn import(dir: &Path, runs: usize, n: usize) -> Result<Vec<Figure>> {
    let file = dir.join("theoremexplainbench-240.json");
    bench_file(&file, n)?;
    let mut times = Vec::new();
    let mut listed = 0;
    for r in 0..runs {
        let data = DataDir::at(&dir.join(format!("import-{r}")))?;
        let app = App::open(data, Arc::new(BenchWriters::offline()))?;
        let opts = app.settings().job_options();
        let s = Instant::now();
        let topics = t2v_core::topic::parse_file(&file)?;
        for t in topics {
            app.submit(t, opts.clone(), Some(file.clone()))?;
        }
        let q = JobQuery {
            status: Some(JobStatus::Queued),
            limit: 1000,
            ..JobQuery::default()
        };
        listed = app.jobs(&q)?.len();
        times.push(ms(s.elapsed()));
    }
    let t = median(&times).unwrap_or(f64::NAN);
    Ok(vec![Figure::new(
        "import.queued_listed_ms",
        "240-entry bench JSON queued and listed",
        t,
        "ms",
    )
    .target("< 1000 ms", t < 1000.0 && listed == n)
    .note(format!(
        "median of {runs}; {listed} of {n} listed; fresh data dir each run"
    ))])
}
