//! The topic parser on any bytes and any of its extensions: never panics; accepted topics are
//! clean (3–300 characters, no control characters, trimmed).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&sel, bytes)) = data.split_first() else {
        return;
    };
    let ext = ["md", "txt", "json", "", "markdown"][sel as usize % 5];
    if let Ok(topics) = t2v_core::topic::parse_bytes(bytes, ext) {
        assert!(!topics.is_empty());
        for t in topics {
            let n = t.title.chars().count();
            assert!((3..=300).contains(&n));
            assert!(!t.title.chars().any(char::is_control));
            assert_eq!(t.title.trim(), t.title);
        }
    }
});
