//! The model-reply parsers (outline, plan, code, fenced blocks) on any text: never panic, and
//! accepted code defines the class with a construct method.
#![no_main]
use libfuzzer_sys::fuzz_target;
use t2v_llm::parse;

fuzz_target!(|text: &str| {
    if let Ok(o) = parse::outline(text, 1, 7) {
        assert!((1..=7).contains(&o.scenes.len()));
    }
    let _ = parse::plan(text);
    if let Ok(code) = parse::code(text, "Scene01") {
        assert!(code.contains("class Scene01(") && code.contains("def construct(self"));
    }
    let _ = parse::fenced_blocks(text);
});
