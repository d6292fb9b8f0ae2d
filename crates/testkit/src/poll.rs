//! Polling until a condition holds, with a deadline that names what was awaited.

use std::time::{Duration, Instant};

/// Polls `f` every 20 ms until it returns `Some`; panics after `limit` naming `what`.
pub fn until<T>(what: &str, limit: Duration, mut f: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(
            Instant::now() < deadline,
            "timed out after {limit:?} waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn returns_the_value_once_ready_and_names_what_timed_out() {
        let mut n = 0;
        assert_eq!(
            until("three calls", Duration::from_secs(1), || {
                n += 1;
                (n == 3).then_some(n)
            }),
            3
        );
        let r =
            std::panic::catch_unwind(|| until("never", Duration::from_millis(50), || None::<()>));
        let msg = *r.unwrap_err().downcast::<String>().unwrap();
        assert!(msg.contains("waiting for never"), "{msg}");
    }
}
