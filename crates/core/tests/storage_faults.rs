//! Storage faults: a read-only data dir, a full disk (small tmpfs), the database locked by another
//! process, the database file corrupted. Each gives a clear `storage` error, leaves no
//! half-written job, and loses no history. Mounting needs root (skipped, loudly, otherwise).

mod common;
use common::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use t2v_core::app::{App, CoreWriters};
use t2v_core::paths::DataDir;
use t2v_core::{Error, ErrorCode, JobOptions, JobQuery};

struct Mount(PathBuf);

impl Mount {
    fn tmpfs(dir: &Path, size: &str) -> Option<Mount> {
        // SAFETY: geteuid has no preconditions.
        if unsafe { libc::geteuid() } != 0 {
            eprintln!("SKIPPED: mounting a tmpfs needs root");
            return None;
        }
        std::fs::create_dir_all(dir).unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir)
            .status()
            .unwrap();
        assert!(ok.success(), "mount tmpfs failed");
        Some(Mount(dir.to_path_buf()))
    }
    fn remount(&self, mode: &str) {
        let ok = Command::new("mount")
            .args(["-o", &format!("remount,{mode}")])
            .arg(&self.0)
            .status()
            .unwrap();
        assert!(ok.success(), "remount {mode} failed");
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

fn open(root: &Path) -> t2v_core::Result<App> {
    App::open(DataDir::at(root)?, Arc::new(CoreWriters))
}

fn count(app: &App) -> usize {
    app.jobs(&JobQuery::default()).unwrap().len()
}

fn submit(app: &App, title: &str) -> t2v_core::Result<t2v_core::JobRecord> {
    app.submit(topic(title), JobOptions::default(), None)
}

fn assert_storage(r: t2v_core::Result<impl std::fmt::Debug>, needle: &str) -> Error {
    let e = r.expect_err("expected a storage error");
    assert_eq!(e.code(), ErrorCode::Storage, "{e}");
    assert!(e.to_string().contains(needle), "unclear: {e}");
    eprintln!("storage error as reported: {e}");
    e
}

#[test]
fn read_only_data_dir_is_a_clear_storage_error_and_history_survives() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("data");
    let Some(m) = Mount::tmpfs(&root, "16m") else {
        return;
    };
    let app = open(&root).unwrap();
    let first = submit(&app, "History one").unwrap();
    submit(&app, "History two").unwrap();
    drop(app);
    m.remount("ro");
    // Opening or submitting fails with `storage`, naming the data dir or the database.
    let outcome = open(&root).and_then(|app| submit(&app, "Should not exist"));
    let e = assert_storage(outcome, &root.to_string_lossy());
    assert!(e.to_string().contains("read-only"), "{e}");
    m.remount("rw");
    let app = open(&root).unwrap();
    assert_eq!(
        count(&app),
        2,
        "history lost or a half-written job appeared"
    );
    assert_eq!(app.job(&first.id).unwrap().topic, "History one");
}

#[test]
fn disk_full_is_a_clear_storage_error_then_recovers() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("data");
    let Some(_m) = Mount::tmpfs(&root, "4m") else {
        return;
    };
    let app = open(&root).unwrap();
    let first = submit(&app, "Before the disk filled").unwrap();
    // Fill the disk.
    let filler = root.join("filler");
    let mut f = std::fs::File::create(&filler).unwrap();
    let chunk = vec![7u8; 64 * 1024];
    use std::io::Write;
    while f.write_all(&chunk).is_ok() {}
    let _ = f.sync_all();
    drop(f);
    // A big request so the insert needs new pages.
    let mut big = topic("Disk full topic");
    big.description = "x".repeat(200_000);
    let r = app.submit(big.clone(), JobOptions::default(), None);
    assert_storage(r, "full");
    assert_eq!(count(&app), 1, "a half-written job");
    std::fs::remove_file(&filler).unwrap();
    // The same connection works again; nothing was lost.
    app.submit(big, JobOptions::default(), None).unwrap();
    assert_eq!(count(&app), 2);
    drop(app);
    let app = open(&root).unwrap();
    assert_eq!(count(&app), 2);
    assert_eq!(app.job(&first.id).unwrap().topic, "Before the disk filled");
}

#[test]
fn database_locked_by_another_process_is_a_storage_error_reads_still_work() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("data");
    let app = open(&root).unwrap();
    let first = submit(&app, "Written before the lock").unwrap();
    // Another process holds an exclusive write transaction.
    let mut holder = Command::new("python3")
        .arg("-c")
        .arg(
            "import sqlite3, sys\n\
             c = sqlite3.connect(sys.argv[1], isolation_level=None)\n\
             c.execute('BEGIN EXCLUSIVE')\n\
             c.execute(\"UPDATE jobs SET message = 'held' WHERE 0\")\n\
             print('locked', flush=True)\n\
             sys.stdin.read()\n",
        )
        .arg(root.join("jobs.sqlite3"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    use std::io::BufRead;
    std::io::BufReader::new(holder.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert_eq!(line.trim(), "locked");
    let t = std::time::Instant::now();
    assert_storage(submit(&app, "Blocked by the lock"), "locked");
    eprintln!(
        "gave up after {:.1} s (busy timeout)",
        t.elapsed().as_secs_f64()
    );
    // History is still readable, from this connection and from a new one.
    assert_eq!(count(&app), 1);
    let other = open(&root).unwrap();
    assert_eq!(
        other.job(&first.id).unwrap().topic,
        "Written before the lock"
    );
    drop(holder.stdin.take());
    holder.kill().ok();
    holder.wait().unwrap();
    submit(&app, "After the lock").unwrap();
    assert_eq!(count(&app), 2, "the blocked submit left a half-written job");
}

fn make_history(root: &Path) -> Vec<u8> {
    let app = open(root).unwrap();
    for i in 0..3 {
        submit(&app, &format!("History entry {i}")).unwrap();
    }
    drop(app);
    std::fs::read(root.join("jobs.sqlite3")).unwrap()
}

#[test]
fn corrupted_database_is_refused_with_a_storage_error_and_left_untouched() {
    type Damage = fn(&mut Vec<u8>);
    let damages: [(&str, Damage); 3] = [
        ("header overwritten", |b| b[..100].fill(0x5a)),
        ("pages after the first scrambled", |b| {
            for (i, x) in b.iter_mut().enumerate().skip(4096) {
                *x = (i * 31 % 251) as u8;
            }
        }),
        ("truncated to 3 KiB", |b| b.truncate(3000)),
    ];
    for (what, damage) in damages {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("data");
        let mut bytes = make_history(&root);
        damage(&mut bytes);
        let db = root.join("jobs.sqlite3");
        std::fs::write(&db, &bytes).unwrap();
        let outcome = open(&root).and_then(|app| {
            app.jobs(&JobQuery::default())?;
            submit(&app, "After corruption")
        });
        eprintln!("{what}:");
        assert_storage(outcome, "jobs.sqlite3");
        // The damaged file is kept as it was, for recovery: not replaced by an empty database.
        assert_eq!(
            std::fs::read(&db).unwrap(),
            bytes,
            "{what}: the file was changed"
        );
    }
}

#[test]
fn eight_processes_opening_a_new_database_at_once_all_succeed() {
    // The CLI and the desktop app starting together on a fresh data dir: migrations must not
    // race (they did: "migration 1 failed: table jobs already exists", and the switch to WAL
    // failed with "database is locked").
    for round in 0..30 {
        let tmp = tempfile::tempdir().unwrap();
        let db = tmp.path().join("jobs.sqlite3");
        let barrier = Arc::new(std::sync::Barrier::new(8));
        let handles: Vec<_> = (0..8)
            .map(|_| {
                let (db, barrier) = (db.clone(), barrier.clone());
                std::thread::spawn(move || {
                    barrier.wait();
                    t2v_core::store::Store::open(&db).map(|_| ())
                })
            })
            .collect();
        for h in handles {
            let r = h.join().unwrap();
            assert!(r.is_ok(), "round {round}: {:?}", r.err());
        }
    }
}
