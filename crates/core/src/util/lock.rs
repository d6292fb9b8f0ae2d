//! A cross-process lock per artefact, so that two jobs (tasks of one process, or the CLI beside
//! the desktop app on one data dir) never make the same artefact at once: one makes it, the other
//! waits and then reuses it.
//!
//! The lock is an advisory `flock` (std's `File::lock`) on `<artefact>.lock`. It belongs to the
//! open file, so two tasks of one process exclude each other too, and the kernel releases it when
//! the file is closed: when the guard drops, and also when its holder crashes or is killed. A lock
//! is therefore never left stuck. Lock files are never deleted (deleting one that another process
//! has open would let a third lock a different file of the same name). Waiting polls, so it stays
//! cancellable.

use crate::error::{Error, IoContext, Result};
use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// How often a waiter tries again (the first retries come sooner).
const POLL_MAX: Duration = Duration::from_millis(200);

/// Held while the artefact is being made; dropping it releases the lock.
#[derive(Debug)]
pub struct ArtefactLock {
    _file: File,
}

/// The lock file of `artefact`: beside it, named after it.
pub fn lock_path(artefact: &Path) -> PathBuf {
    let mut name = artefact.file_name().unwrap_or_default().to_os_string();
    name.push(".lock");
    artefact.with_file_name(name)
}

/// Takes the lock of `artefact` if nobody holds it.
pub fn try_lock(artefact: &Path) -> Result<Option<ArtefactLock>> {
    let path = lock_path(artefact);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).ctx(|| format!("creating {}", dir.display()))?;
    }
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .ctx(|| format!("opening the lock {}", path.display()))?;
    match file.try_lock() {
        Ok(()) => Ok(Some(ArtefactLock { _file: file })),
        Err(TryLockError::WouldBlock) => Ok(None),
        Err(TryLockError::Error(e)) => Err(Error::io(format!("locking {}", path.display()), e)),
    }
}

/// Takes the lock of `artefact`, waiting while another job holds it. `on_wait` is called once,
/// when the lock is found taken. Returns `Error::Cancelled` as soon as `cancel` fires.
pub async fn lock(
    artefact: &Path,
    cancel: &CancellationToken,
    on_wait: impl FnOnce(),
) -> Result<ArtefactLock> {
    let mut on_wait = Some(on_wait);
    let mut pause = Duration::from_millis(20);
    loop {
        if cancel.is_cancelled() {
            return Err(Error::Cancelled);
        }
        if let Some(held) = try_lock(artefact)? {
            return Ok(held);
        }
        if let Some(f) = on_wait.take() {
            f();
        }
        tokio::select! {
            _ = cancel.cancelled() => return Err(Error::Cancelled),
            _ = tokio::time::sleep(pause) => {}
        }
        pause = (pause * 2).min(POLL_MAX);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, Ordering};

    #[test]
    fn one_holder_at_a_time_and_released_on_drop() {
        let d = tempfile::tempdir().unwrap();
        let a = d.path().join("sub/scene.mp4");
        let held = try_lock(&a).unwrap().expect("free at first");
        assert_eq!(lock_path(&a), d.path().join("sub/scene.mp4.lock"));
        assert!(
            try_lock(&a).unwrap().is_none(),
            "a second open file is refused"
        );
        assert!(try_lock(&d.path().join("other.mp4")).unwrap().is_some());
        drop(held);
        assert!(try_lock(&a).unwrap().is_some(), "free again after drop");
    }

    #[tokio::test]
    async fn a_waiter_gets_the_lock_when_the_holder_lets_go() {
        let d = tempfile::tempdir().unwrap();
        let a = d.path().join("x.wav");
        let held = try_lock(&a).unwrap().unwrap();
        let waited = AtomicBool::new(false);
        let release = async {
            tokio::time::sleep(Duration::from_millis(150)).await;
            drop(held);
        };
        let cancel = CancellationToken::new();
        let wait = lock(&a, &cancel, || waited.store(true, Ordering::SeqCst));
        let (got, ()) = tokio::join!(wait, release);
        assert!(got.is_ok());
        assert!(waited.load(Ordering::SeqCst), "the wait was reported");
    }

    #[tokio::test]
    async fn waiting_ends_at_once_on_cancel() {
        let d = tempfile::tempdir().unwrap();
        let a = d.path().join("x.wav");
        let _held = try_lock(&a).unwrap().unwrap();
        let cancel = CancellationToken::new();
        let c = cancel.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(100)).await;
            c.cancel();
        });
        let t = std::time::Instant::now();
        let r = lock(&a, &cancel, || {}).await;
        assert!(matches!(r, Err(Error::Cancelled)), "{r:?}");
        assert!(t.elapsed() < Duration::from_secs(1));
    }

    #[test]
    fn a_crashed_holder_leaves_no_stuck_lock() {
        // Another process takes the lock (flock(1) on a descriptor that `exec sleep` keeps) and
        // is killed while holding it.
        let d = tempfile::tempdir().unwrap();
        let a = d.path().join("r.mp4");
        let mut child = std::process::Command::new("bash")
            .args(["-c", r#"exec 9>>"$1" && flock 9 && exec sleep 30"#, "_"])
            .arg(lock_path(&a))
            .spawn()
            .expect("bash and flock(1)");
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while try_lock(&a).unwrap().is_some() {
            assert!(
                std::time::Instant::now() < deadline,
                "the child never locked"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        child.kill().unwrap();
        child.wait().unwrap();
        assert!(
            try_lock(&a).unwrap().is_some(),
            "the kernel released the lock"
        );
    }
}
