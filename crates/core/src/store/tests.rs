use super::*;
use crate::error::{ErrorCode, ErrorPayload};
use crate::model::job::{JobOptions, JobQuery, JobRequest, JobStatus};
use crate::progress::{ProgressEvent, Stage};
use crate::topic::Topic;

fn request(title: &str) -> JobRequest {
    JobRequest::new(
        Topic::from_form(title, "A description long enough.").unwrap(),
        JobOptions::default(),
        None,
    )
}

fn temp_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("jobs.sqlite3")).unwrap();
    (dir, store)
}

#[test]
fn migrations_create_schema_wal_and_refuse_newer() {
    let (dir, store) = temp_store();
    let path = store.path().to_path_buf();
    let mode: String = store
        .conn()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    drop(store);
    // Re-opening is idempotent.
    let store = Store::open(&path).unwrap();
    let v: u32 = store
        .conn()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, migrations::latest_version());
    store
        .conn()
        .pragma_update(None, "user_version", v + 1)
        .unwrap();
    drop(store);
    let err = Store::open(&path)
        .err()
        .expect("newer schema must be refused");
    assert_eq!(err.code(), ErrorCode::Storage);
    assert!(err.to_string().contains("newer"), "{err}");
    drop(dir);
}

#[test]
fn upgrade_from_version_1_keeps_jobs() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jobs.sqlite3");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(migrations::MIGRATIONS[0]).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        conn.execute(
            "INSERT INTO jobs (id, topic, description, request, status, stage, writer, quality, created_at, updated_at) \
             VALUES ('abcd1234', 'Old job', 'd', ?1, 'completed', 'completed', 'storyboard', 'preview', \
             '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')",
            [serde_json::to_string(&request("Old job")).unwrap()],
        )
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    let job = store.job("abcd1234").unwrap();
    assert_eq!(job.topic, "Old job");
    assert_eq!(job.tokens.input, 0);
}

#[test]
fn conditional_transitions() {
    let (_d, store) = temp_store();
    let job = store
        .create_job(NewJob {
            request: &request("Transitions"),
            model: None,
        })
        .unwrap();
    assert_eq!(job.status, JobStatus::Queued);
    store
        .transition(&job.id, &[JobStatus::Queued], JobStatus::Running, "go")
        .unwrap();
    // A second start must fail: it is running now.
    let err = store
        .transition(&job.id, &[JobStatus::Queued], JobStatus::Running, "go")
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Conflict);
    store
        .complete(&job.id, Path::new("/v.mp4"), Path::new("/t.png"), 3.5)
        .unwrap();
    // Completing twice or failing after completion changes nothing.
    assert!(store
        .complete(&job.id, Path::new("/x"), Path::new("/y"), 1.0)
        .is_err());
    store
        .fail(
            &job.id,
            &ErrorPayload {
                code: ErrorCode::Render,
                message: "late".into(),
            },
        )
        .unwrap();
    let j = store.job(&job.id).unwrap();
    assert_eq!(j.status, JobStatus::Completed);
    assert_eq!(j.progress, 100.0);
    assert_eq!(j.duration_secs, Some(3.5));
    assert!(j.error.is_none());
    assert!(j.finished_at.is_some());
    // Short prefix lookup.
    assert_eq!(store.job(&job.id[..8]).unwrap().id, job.id);
    assert_eq!(
        store.job("zzzzzzzz").unwrap_err().code(),
        ErrorCode::NotFound
    );
}

#[test]
fn cancel_and_fail_record_codes() {
    let (_d, store) = temp_store();
    let a = store
        .create_job(NewJob {
            request: &request("Job A topic"),
            model: None,
        })
        .unwrap();
    let b = store
        .create_job(NewJob {
            request: &request("Job B topic"),
            model: None,
        })
        .unwrap();
    store
        .transition(&a.id, &[JobStatus::Queued], JobStatus::Running, "go")
        .unwrap();
    store
        .fail(
            &a.id,
            &ErrorPayload {
                code: ErrorCode::Cancelled,
                message: "cancelled".into(),
            },
        )
        .unwrap();
    store
        .fail(
            &b.id,
            &ErrorPayload {
                code: ErrorCode::Config,
                message: "model x unknown".into(),
            },
        )
        .unwrap();
    assert_eq!(store.job(&a.id).unwrap().status, JobStatus::Cancelled);
    let b = store.job(&b.id).unwrap();
    assert_eq!(b.status, JobStatus::Failed);
    assert_eq!(b.error.unwrap().code, ErrorCode::Config);
}

#[test]
fn stranded_jobs_become_interrupted_and_can_be_resumed() {
    let (dir, store) = temp_store();
    let a = store
        .create_job(NewJob {
            request: &request("Running one"),
            model: None,
        })
        .unwrap();
    let b = store
        .create_job(NewJob {
            request: &request("Queued one"),
            model: None,
        })
        .unwrap();
    let c = store
        .create_job(NewJob {
            request: &request("Done one"),
            model: None,
        })
        .unwrap();
    store
        .transition(&a.id, &[JobStatus::Queued], JobStatus::Running, "go")
        .unwrap();
    store
        .transition(&c.id, &[JobStatus::Queued], JobStatus::Running, "go")
        .unwrap();
    store
        .complete(&c.id, Path::new("/v"), Path::new("/t"), 1.0)
        .unwrap();
    drop(store); // "crash"
    let store = Store::open(&dir.path().join("jobs.sqlite3")).unwrap();
    let mut ids = store.recover_interrupted().unwrap();
    ids.sort();
    let mut want = vec![a.id.clone(), b.id.clone()];
    want.sort();
    assert_eq!(ids, want);
    assert_eq!(store.job(&a.id).unwrap().status, JobStatus::Interrupted);
    assert_eq!(store.job(&c.id).unwrap().status, JobStatus::Completed);
    store
        .transition(
            &a.id,
            &[JobStatus::Interrupted],
            JobStatus::Running,
            "resume",
        )
        .unwrap();
}

#[test]
fn events_are_appended_in_order_and_move_the_job() {
    let (_d, store) = temp_store();
    let j = store
        .create_job(NewJob {
            request: &request("Events topic"),
            model: None,
        })
        .unwrap();
    store
        .transition(&j.id, &[JobStatus::Queued], JobStatus::Running, "go")
        .unwrap();
    for (i, st) in Stage::ALL.iter().enumerate() {
        store
            .record_event(&ProgressEvent {
                job_id: j.id.clone(),
                stage: *st,
                progress: st.start_percent(),
                message: format!("m{i}"),
                sub: None,
                at: chrono::Utc::now(),
                milestone: true,
            })
            .unwrap();
    }
    let evs = store.events(&j.id).unwrap();
    assert_eq!(
        evs.iter().map(|e| e.stage).collect::<Vec<_>>(),
        Stage::ALL.to_vec()
    );
    let job = store.job(&j.id).unwrap();
    assert_eq!(job.stage, Stage::Completed);
    assert_eq!(job.message, "m7");
    // A new run of the job (a studio edit) starts its bar again; later events move it up.
    store.restart_progress(&j.id).unwrap();
    let job = store.job(&j.id).unwrap();
    assert_eq!((job.stage, job.progress), (Stage::Initializing, 0.0));
    // Deleting the job removes its events (cascade).
    store
        .fail(
            &j.id,
            &ErrorPayload {
                code: ErrorCode::Cancelled,
                message: String::new(),
            },
        )
        .unwrap();
    store.delete_job(&j.id).unwrap();
    assert!(store.events(&j.id).unwrap().is_empty());
}

#[test]
fn history_search_filter_paging_and_stats() {
    let store = Store::open_in_memory().unwrap();
    for i in 0..30 {
        let t = if i % 3 == 0 {
            format!("Fourier series {i}")
        } else {
            format!("Bayes rule {i}")
        };
        store
            .create_job(NewJob {
                request: &request(&t),
                model: None,
            })
            .unwrap();
    }
    let q = JobQuery {
        search: Some("fourier".into()),
        limit: 4,
        ..Default::default()
    };
    assert_eq!(store.count_jobs(&q).unwrap(), 10);
    let page = store.list_jobs(&q).unwrap();
    assert_eq!(page.len(), 4);
    assert!(page.iter().all(|j| j.topic.starts_with("Fourier")));
    let page3 = store
        .list_jobs(&JobQuery {
            offset: 8,
            ..q.clone()
        })
        .unwrap();
    assert_eq!(page3.len(), 2);
    // LIKE wildcards in the search are literal.
    assert_eq!(
        store
            .count_jobs(&JobQuery {
                search: Some("%".into()),
                ..Default::default()
            })
            .unwrap(),
        0
    );
    let stats = store.stats().unwrap();
    assert_eq!((stats.total, stats.queued), (30, 30));
    let q = JobQuery {
        status: Some(JobStatus::Completed),
        ..Default::default()
    };
    assert_eq!(store.count_jobs(&q).unwrap(), 0);
}

#[test]
fn active_jobs_cannot_be_deleted() {
    let store = Store::open_in_memory().unwrap();
    let j = store
        .create_job(NewJob {
            request: &request("Active one"),
            model: None,
        })
        .unwrap();
    assert_eq!(
        store.delete_job(&j.id).unwrap_err().code(),
        ErrorCode::Conflict
    );
}

#[test]
fn a_damaged_file_is_a_storage_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jobs.sqlite3");
    std::fs::write(
        &path,
        b"this is not a database, just some text that is long enough to look odd",
    )
    .unwrap();
    let err = Store::open(&path).err().expect("must fail");
    assert_eq!(err.code(), ErrorCode::Storage);
}

#[test]
fn topic_search_index_follows_inserts_deletes_and_odd_terms() {
    let store = Store::open_in_memory().unwrap();
    let count = |s: &str| {
        store
            .count_jobs(&JobQuery {
                search: Some(s.into()),
                ..Default::default()
            })
            .unwrap()
    };
    let mut ids = Vec::new();
    for t in [
        "Gauss's law",
        "GAUSSIAN blur",
        "Théorème de \"Gauss\"",
        "Ohm's law",
    ] {
        let j = store
            .create_job(NewJob {
                request: &request(t),
                model: None,
            })
            .unwrap();
        ids.push(j.id);
    }
    assert_eq!(count("gauss"), 3, "case-insensitive substring, as LIKE");
    assert_eq!(count("\"Gauss\""), 1, "quotes are literal");
    assert_eq!(count("s l"), 2, "spaces inside a term");
    assert_eq!(count("hm"), 1, "short terms fall back to the scan");
    assert_eq!(count("s's"), 1);
    assert_eq!(count("nowhere"), 0);
    store
        .fail(
            &ids[0],
            &ErrorPayload {
                code: ErrorCode::Internal,
                message: "x".into(),
            },
        )
        .unwrap();
    store.delete_job(&ids[0]).unwrap();
    assert_eq!(count("gauss"), 2, "a deleted job leaves the index");
}

#[test]
fn a_search_matching_many_jobs_pages_newest_first() {
    let store = Store::open_in_memory().unwrap();
    for i in 0..1100 {
        let t = if i % 50 == 0 {
            format!("Ohm {i}")
        } else {
            format!("Gauss {i}")
        };
        store
            .create_job(NewJob {
                request: &request(&t),
                model: None,
            })
            .unwrap();
    }
    let q = JobQuery {
        search: Some("GAUSS".into()),
        limit: 30,
        offset: 5,
        ..Default::default()
    };
    assert_eq!(store.count_jobs(&q).unwrap(), 1078);
    let page = store.list_jobs(&q).unwrap();
    assert_eq!(page.len(), 30);
    assert!(page.iter().all(|j| j.topic.starts_with("Gauss")));
    let keys: Vec<_> = page.iter().map(|j| (j.created_at, j.id.clone())).collect();
    assert!(keys.windows(2).all(|w| w[0] >= w[1]), "newest first");
}

#[test]
fn every_status_can_be_reached_by_a_transition() {
    let (_d, store) = temp_store();
    for to in [
        JobStatus::Running,
        JobStatus::Cancelled,
        JobStatus::Interrupted,
        JobStatus::Queued,
        JobStatus::Failed,
    ] {
        let job = store
            .create_job(NewJob {
                request: &request("Any status"),
                model: None,
            })
            .unwrap();
        let from = if to == JobStatus::Queued {
            JobStatus::Interrupted
        } else {
            JobStatus::Queued
        };
        if from != JobStatus::Queued {
            store
                .transition(&job.id, &[JobStatus::Queued], from, "setup")
                .unwrap();
        }
        store
            .transition(&job.id, &[from], to, "go")
            .unwrap_or_else(|e| panic!("{from} -> {to}: {e}"));
        assert_eq!(store.job(&job.id).unwrap().status, to);
    }
}

#[test]
fn scene_status_is_stored_as_its_name_and_unknown_ones_are_refused() {
    use crate::model::job::{SceneRecord, SceneStatus};
    let store = Store::open_in_memory().unwrap();
    let job = store
        .create_job(NewJob {
            request: &request("Scene status topic"),
            model: None,
        })
        .unwrap();
    let mut rec = SceneRecord {
        index: 1,
        title: "Intro".into(),
        status: SceneStatus::Cached,
        code_version: None,
        video: None,
        snapshot: None,
        duration_secs: None,
        error: None,
    };
    store.upsert_scene(&job.id, &rec).unwrap();
    assert_eq!(
        store.scenes(&job.id).unwrap()[0].status,
        SceneStatus::Cached
    );
    let raw: String = store
        .conn()
        .query_row("SELECT status FROM scenes WHERE idx = 1", [], |r| r.get(0))
        .unwrap();
    assert_eq!(raw, "cached");
    assert_eq!(serde_json::to_value(&rec).unwrap()["status"], "cached");

    rec.index = 2;
    store.upsert_scene(&job.id, &rec).unwrap();
    store
        .conn()
        .execute("UPDATE scenes SET status = 'sparkling' WHERE idx = 2", [])
        .unwrap();
    let e = store.scenes(&job.id).unwrap_err();
    assert!(e.to_string().contains("unknown scene status"), "{e}");
}
