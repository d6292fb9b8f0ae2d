//! Hostile generated code through the real pipeline (scripted writer → static check → sandboxed
//! manim): reading secrets, writing outside the work dir, remounting a read-only bind, network,
//! a fork storm with an endless loop, unbounded allocation. Each attack that succeeds lets the
//! scene render normally, so the job would complete and the test fail; a denied attack raises,
//! and the job must fail with a clear error, change nothing outside, and leave no process.
//! The static check is bypassed with `__builtins__["__import__"]`, as an LLM could. Every test
//! runs twice: `cold::…` (a new sandboxed Manim per scene) and `warm::…` (the warm worker).

mod common;
use common::*;
use std::path::PathBuf;
use t2v_core::{ErrorCode, JobStatus};

macro_rules! on_both_paths {
    ($($name:ident),* $(,)?) => {
        mod cold {
            $(#[tokio::test]
            async fn $name() {
                super::$name(super::RenderPath::Cold).await
            })*
        }
        mod warm {
            $(#[tokio::test]
            async fn $name() {
                super::$name(super::RenderPath::Warm).await
            })*
        }
    };
}

on_both_paths!(
    reading_secrets_outside_the_work_dir_is_denied,
    writing_outside_the_work_dir_and_remounting_are_denied,
    network_is_unreachable_from_a_scene,
    fork_storm_and_endless_loop_are_stopped_by_the_timeout,
    unbounded_allocation_hits_the_address_space_limit,
    with_the_sandbox_disabled_the_job_log_says_so,
);

/// Gets past `cache::check_code` (no `import os`, no bare `open(`/`__import__(` calls).
const PRELUDE: &str = "from manim import *\n\
_b = __builtins__ if isinstance(__builtins__, dict) else vars(__builtins__)\n\
_imp = _b['__import__']\n\
_open = _b['open']\n";

fn scene(body: &str) -> String {
    let body: String = body.lines().map(|l| format!("        {l}\n")).collect();
    format!(
        "{PRELUDE}\nclass {{CLASS}}(Scene):\n    def construct(self):\n{body}        self.add(Square())\n        self.wait(0.2)\n"
    )
}

/// A fresh folder in the real home, removed on drop. The data dir of the read and write tests
/// lives here, as in a real install (~/.local/share): under /tmp it would sit in the sandbox's
/// private /tmp and prove less.
struct HomeDir(PathBuf);

impl HomeDir {
    fn new(tag: &str) -> HomeDir {
        let home = PathBuf::from(std::env::var_os("HOME").unwrap());
        let d = home.join(format!(".t2v-hardening-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        HomeDir(d)
    }
}

impl Drop for HomeDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn assert_failed_with(job: &t2v_core::JobRecord, needle: &str) {
    let report = job
        .cache_dir
        .as_ref()
        .and_then(|d| std::fs::read_to_string(d.join("scenes/01/work/leaked.txt")).ok());
    assert_eq!(
        job.status,
        JobStatus::Failed,
        "the attack succeeded: {report:?} ({:?})",
        job.error
    );
    let err = job.error.as_ref().expect("an error");
    assert_eq!(err.code, ErrorCode::Render, "{err:?}");
    assert!(err.message.contains(needle), "unclear error: {err:?}");
}

fn sandbox_available() -> bool {
    t2v_core::render::sandbox::Sandbox::detect(true).is_on()
}

async fn reading_secrets_outside_the_work_dir_is_denied(path: RenderPath) {
    assert!(sandbox_available(), "bubblewrap is required for this test");
    let base = HomeDir::new("read");
    let (outside, data) = (base.0.join("outside"), base.0.join("data"));
    let secret = "T2V-PLANTED-SECRET-7f3a9c";
    let key = outside.join(".ssh").join("id_ed25519");
    std::fs::create_dir_all(key.parent().unwrap()).unwrap();
    std::fs::write(&key, secret).unwrap();
    std::env::set_var("T2V_PLANTED_ENV_SECRET", secret);
    let code = scene(&format!(
        "leaked = []\n\
         for t in [{key:?}, '/etc/passwd', '/etc/shadow', '../../../outline.json', '../../../../../jobs.sqlite3', '/proc/1/environ']:\n\
         \x20   try:\n\
         \x20       got = _open(t, 'rb').read(4096)\n\
         \x20       if got:\n\
         \x20           leaked.append((t, got[:64]))\n\
         \x20   except OSError:\n\
         \x20       pass\n\
         env = _imp('os').environ\n\
         if 'T2V_PLANTED_ENV_SECRET' in env:\n\
         \x20   leaked.append(('env', env['T2V_PLANTED_ENV_SECRET']))\n\
         if not leaked:\n\
         \x20   raise PermissionError('hostile scene: every read outside the work dir was denied')\n\
         _open('leaked.txt', 'w').write(repr(leaked))\n",
        key = key.to_string_lossy()
    ));
    let (app, _) = app_with(&data, &code, 1, |s| path.apply(s));
    let job = run_one(&app, "Hostile reader", options(1)).await;
    path.check(&app, &job);
    assert_failed_with(&job, "every read outside the work dir was denied");
    // The secret is nowhere the app wrote: DB, events, logs, cache, outputs.
    let text = job_text(&app, &job);
    assert!(!text.contains(secret));
    for (p, bytes) in snapshot(&data) {
        let hit = bytes.windows(secret.len()).any(|w| w == secret.as_bytes());
        assert!(!hit, "the secret reached {}", p.display());
    }
    assert!(
        procs::wait_gone(&data.to_string_lossy(), std::time::Duration::from_secs(5)).is_empty()
    );
}

async fn writing_outside_the_work_dir_and_remounting_are_denied(path: RenderPath) {
    assert!(sandbox_available(), "bubblewrap is required for this test");
    let base = HomeDir::new("write");
    let (outside, data) = (base.0.join("outside"), base.0.join("data"));
    std::fs::create_dir_all(&outside).unwrap();
    use_shared_venv();
    let venv = PathBuf::from(std::env::var_os("THEORY2VIDEO_VENV").unwrap());
    let host_tmp = tempfile::tempdir().unwrap();
    let targets: Vec<PathBuf> = vec![
        outside.join("pwned.txt"),
        venv.join("pwned.txt"),
        PathBuf::from("/usr/pwned-by-t2v-test.txt"),
        PathBuf::from("/pwned-by-t2v-test.txt"),
        host_tmp.path().join("pwned.txt"),
    ];
    let list: Vec<String> = targets
        .iter()
        .map(|p| format!("{:?}", p.to_string_lossy()))
        .collect();
    // Besides the targets: the scene's own cached code, the outline, the data dir and its DB
    // (relative to the work dir), a remount of the read-only binds, and 640 MiB into /tmp.
    let code = scene(&format!(
        "done = []\n\
         os = _imp('os')\n\
         ctypes = _imp('ctypes')\n\
         libc = ctypes.CDLL(None, use_errno=True)\n\
         for m in [{venv:?}, '/usr', '/']:\n\
         \x20   if libc.mount(b'none', m.encode(), None, 32 | 4096, None) == 0:\n\
         \x20       done.append('remount ' + m)\n\
         rel = ['../../../../../../pwned.txt', '../../../../outline.json', '../../code/v0.py', '../../../../../../jobs.sqlite3']\n\
         for t in [{targets}] + rel:\n\
         \x20   try:\n\
         \x20       with _open(t, 'a') as f:\n\
         \x20           f.write('pwned')\n\
         \x20       done.append(t)\n\
         \x20   except OSError:\n\
         \x20       pass\n\
         try:\n\
         \x20   with _open('/tmp/fill', 'wb') as f:\n\
         \x20       for i in range(40):\n\
         \x20           f.write(bytes(16 << 20))\n\
         \x20   done.append('640 MiB in /tmp')\n\
         except OSError:\n\
         \x20   pass\n\
         os.remove('/tmp/fill')\n\
         _open('/tmp/ok.txt', 'w').write('private /tmp is writable and thrown away')\n\
         _open('inside.txt', 'w').write('the work dir is writable')\n\
         inside = _open('inside.txt').read() == 'the work dir is writable'\n\
         if not done and inside:\n\
         \x20   raise PermissionError('hostile scene: every write outside the work dir was denied, the work dir was writable')\n\
         _open('leaked.txt', 'w').write(repr(done))\n",
        venv = venv.to_string_lossy(),
        targets = list.join(", ")
    ));
    let (app, _) = app_with(&data, &code, 1, |s| path.apply(s));
    let job = run_one(&app, "Hostile writer", options(1)).await;
    path.check(&app, &job);
    // The scene ran to its end: it wrote its own work dir and no other place (it says so only
    // when both hold). Each render attempt's work dir is removed afterwards.
    assert_failed_with(
        &job,
        "every write outside the work dir was denied, the work dir was writable",
    );
    for t in &targets {
        assert!(!t.exists(), "{} was written", t.display());
    }
    assert!(!data.join("pwned.txt").exists());
    let cache = job.cache_dir.clone().unwrap();
    let outline = std::fs::read_to_string(cache.join("outline.json")).unwrap();
    assert!(!outline.contains("pwned"));
    let v0 = std::fs::read_to_string(cache.join("scenes/01/code/v0.py")).unwrap();
    assert_eq!(
        v0,
        code.replace("{CLASS}", "Scene01"),
        "the cached code was changed"
    );
    // The store still opens and holds the job: the DB was not touched.
    let again = t2v_core::store::Store::open(&data.join("jobs.sqlite3")).unwrap();
    assert_eq!(again.job(&job.id).unwrap().status, JobStatus::Failed);
    assert!(
        procs::wait_gone(&data.to_string_lossy(), std::time::Duration::from_secs(5)).is_empty()
    );
}

async fn network_is_unreachable_from_a_scene(path: RenderPath) {
    assert!(sandbox_available(), "bubblewrap is required for this test");
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port();
    let tmp = tempfile::tempdir().unwrap();
    let code = scene(&format!(
        "socket = _imp('socket')\n\
         ok = []\n\
         for addr in [('127.0.0.1', {port}), ('10.255.255.1', 80), ('1.1.1.1', 53)]:\n\
         \x20   try:\n\
         \x20       s = socket.create_connection(addr, timeout=2)\n\
         \x20       s.sendall(b'leak')\n\
         \x20       ok.append(addr)\n\
         \x20   except OSError:\n\
         \x20       pass\n\
         try:\n\
         \x20   socket.getaddrinfo('example.com', 443)\n\
         \x20   ok.append('dns')\n\
         except OSError:\n\
         \x20   pass\n\
         if not ok:\n\
         \x20   raise ConnectionError('hostile scene: every connection was refused')\n\
         _open('leaked.txt', 'w').write(repr(ok))\n"
    ));
    let (app, _) = app_with(&tmp.path().join("data"), &code, 1, |s| path.apply(s));
    let job = run_one(&app, "Hostile network", options(1)).await;
    path.check(&app, &job);
    assert_failed_with(&job, "every connection was refused");
    match listener.accept() {
        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
        other => panic!("the loopback listener was reached: {other:?}"),
    }
    assert!(procs::wait_gone(
        &tmp.path().to_string_lossy(),
        std::time::Duration::from_secs(5)
    )
    .is_empty());
}

async fn fork_storm_and_endless_loop_are_stopped_by_the_timeout(path: RenderPath) {
    assert!(sandbox_available(), "bubblewrap is required for this test");
    let tmp = tempfile::tempdir().unwrap();
    // 16 children each escape the process group (setsid) and double-fork a sleeping daemon; the
    // scene then spins forever. Bounded, so a broken sandbox cannot take the machine down.
    let code = scene(
        "os = _imp('os')\n\
         time = _imp('time')\n\
         for i in range(16):\n\
         \x20   if os.fork() == 0:\n\
         \x20       os.setsid()\n\
         \x20       if os.fork() == 0:\n\
         \x20           while True:\n\
         \x20               time.sleep(0.2)\n\
         \x20       os._exit(0)\n\
         while True:\n\
         \x20   pass\n",
    );
    let data = tmp.path().join("data");
    let (app, _) = app_with(&data, &code, 1, |s| {
        path.apply(s);
        s.scene_timeout_secs = 10
    });
    let t = std::time::Instant::now();
    let job = run_one(&app, "Hostile fork storm", options(1)).await;
    path.check(&app, &job);
    eprintln!(
        "fork storm stopped after {:.1} s",
        t.elapsed().as_secs_f64()
    );
    assert_failed_with(&job, "longer than 10 s");
    let left = procs::wait_gone(
        &tmp.path().to_string_lossy(),
        std::time::Duration::from_secs(5),
    );
    assert!(left.is_empty(), "processes left over: {left:?}");
}

async fn unbounded_allocation_hits_the_address_space_limit(path: RenderPath) {
    assert!(sandbox_available(), "bubblewrap is required for this test");
    let tmp = tempfile::tempdir().unwrap();
    // Up to 6 GiB in 64 MiB blocks; the 1.5 GiB limit must stop it first.
    let code = scene(
        "blocks = []\n\
         for i in range(96):\n\
         \x20   blocks.append(bytearray(64 << 20))\n\
         print('ALLOCATED', len(blocks))\n",
    );
    let (app, _) = app_with(&tmp.path().join("data"), &code, 1, |s| {
        path.apply(s);
        s.memory_limit_mb = 1536
    });
    let job = run_one(&app, "Hostile allocation", options(1)).await;
    path.check(&app, &job);
    assert_failed_with(&job, "MemoryError");
    assert!(procs::wait_gone(
        &tmp.path().to_string_lossy(),
        std::time::Duration::from_secs(5)
    )
    .is_empty());
}

async fn with_the_sandbox_disabled_the_job_log_says_so(path: RenderPath) {
    let tmp = tempfile::tempdir().unwrap();
    let (app, _) = app_with(&tmp.path().join("data"), TINY_SCENE, 1, |s| {
        path.apply(s);
        s.sandbox = false
    });
    let job = run_one(&app, "Unsandboxed tiny scene", options(1)).await;
    path.check(&app, &job);
    assert_eq!(job.status, JobStatus::Completed, "{:?}", job.error);
    let log = app.log_tail(&job, 1000).unwrap().join("\n");
    assert!(
        log.contains("WARNING: the sandbox is OFF: disabled in settings"),
        "{log}"
    );
    let settings = t2v_core::settings::Settings {
        sandbox: false,
        ..Default::default()
    };
    let report = t2v_core::doctor::run(app.data(), &settings);
    let sb = report.checks.iter().find(|c| c.name == "sandbox").unwrap();
    assert!(!sb.ok && sb.detail.starts_with("OFF"), "{sb:?}");
    // With the sandbox on, the log has no such warning.
    let tmp2 = tempfile::tempdir().unwrap();
    let (app2, _) = app_with(&tmp2.path().join("data"), TINY_SCENE, 1, |s| path.apply(s));
    let job2 = run_one(&app2, "Sandboxed tiny scene", options(1)).await;
    path.check(&app2, &job2);
    assert_eq!(job2.status, JobStatus::Completed, "{:?}", job2.error);
    let log2 = app2.log_tail(&job2, 1000).unwrap().join("\n");
    assert!(!log2.contains("sandbox is OFF"), "{log2}");
}
