//! The SSE decoder (any split of the bytes gives the same events) and the three wire formats'
//! reply, stream-event and listing parsers on any JSON.
#![no_main]
use libfuzzer_sys::fuzz_target;
use t2v_llm::sse::SseDecoder;
use t2v_llm::wire::{dialect, Completion, ProviderKind};

fuzz_target!(|data: &[u8]| {
    let Some((&split, bytes)) = data.split_first() else {
        return;
    };
    let mut whole = SseDecoder::new();
    let mut a = whole.push(bytes);
    a.extend(whole.finish());
    let k = (split as usize).min(bytes.len());
    let mut parts = SseDecoder::new();
    let mut b = parts.push(&bytes[..k]);
    b.extend(parts.push(&bytes[k..]));
    b.extend(parts.finish());
    assert_eq!(a, b);
    if let Ok(v) = serde_json::from_slice::<serde_json::Value>(bytes) {
        for kind in [
            ProviderKind::Openai,
            ProviderKind::Anthropic,
            ProviderKind::Gemini,
        ] {
            let d = dialect(kind);
            let _ = d.parse_reply(&v);
            let _ = d.parse_models(&v);
            for ev in &a {
                let _ = d.stream_event(ev, &mut Completion::default());
            }
        }
    }
});
