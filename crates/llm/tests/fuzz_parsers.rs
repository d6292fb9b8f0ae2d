//! Property tests (stable Rust, seeded: `T2V_FUZZ_SEED`, `T2V_FUZZ_CASES`) for everything that
//! reads a model's or a server's bytes: the outline/plan/code reply parsers, fenced blocks, the
//! SSE decoder (any chunking gives the same events) and the three wire formats' reply, stream and
//! listing parsers. None may panic; what they accept must satisfy their contract.

use serde_json::{json, Value};
use t2v_llm::parse;
use t2v_llm::sse::SseDecoder;
use t2v_llm::wire::{dialect, Completion, ProviderKind};

struct Rng(u64);

impl Rng {
    fn new() -> Rng {
        let seed = std::env::var("T2V_FUZZ_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(0x0bad_cafe_1234_5678);
        eprintln!("seed {seed} (set T2V_FUZZ_SEED to replay)");
        Rng(seed | 1)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn string(&mut self, max: usize) -> String {
        const SPECIAL: &[&str] = &[
            "```",
            "```python\n",
            "```json\n",
            "\n```\n",
            "{",
            "}",
            "\"",
            ":",
            ",",
            "[",
            "]",
            "\n",
            "\r\n",
            "import os\n",
            "from manim import *\n",
            "class Scene01(Scene):\n",
            "    def construct(self):\n",
            "\"scenes\"",
            "\"title\"",
            "\"purpose\"",
            "\\",
            "é",
            "🚀",
            "\u{0}",
            "data: ",
            "event: ",
            "null",
            "1e999",
        ];
        let n = self.below(max + 1);
        let mut s = String::new();
        for _ in 0..n {
            if self.below(3) == 0 {
                s.push_str(SPECIAL[self.below(SPECIAL.len())]);
            } else {
                s.push(char::from_u32(32 + self.below(95) as u32).unwrap());
            }
        }
        s
    }
    fn json(&mut self, depth: usize) -> Value {
        match if depth > 3 {
            self.below(4)
        } else {
            self.below(7)
        } {
            0 => Value::Null,
            1 => json!(self.below(2) == 0),
            2 => json!(self.next() as i64),
            3 => json!(self.string(12)),
            4 => Value::Array((0..self.below(4)).map(|_| self.json(depth + 1)).collect()),
            _ => {
                const KEYS: &[&str] = &[
                    "choices",
                    "message",
                    "content",
                    "delta",
                    "usage",
                    "data",
                    "id",
                    "models",
                    "candidates",
                    "parts",
                    "text",
                    "type",
                    "finish_reason",
                    "stop_reason",
                    "prompt_tokens",
                    "completion_tokens",
                    "input_tokens",
                    "output_tokens",
                    "nextPageToken",
                    "name",
                    "has_more",
                    "last_id",
                    "usageMetadata",
                ];
                let mut m = serde_json::Map::new();
                for _ in 0..self.below(5) {
                    let k = KEYS[self.below(KEYS.len())].to_string();
                    m.insert(k, self.json(depth + 1));
                }
                Value::Object(m)
            }
        }
    }
}

fn cases(default: usize) -> usize {
    std::env::var("T2V_FUZZ_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

const GOOD_OUTLINE: &str =
    r#"{"scenes":[{"title":"A","purpose":"p"},{"title":"B","purpose":"q"}]}"#;
const GOOD_CODE: &str = "```python\nfrom manim import *\n\nclass Scene01(Scene):\n    def construct(self):\n        self.wait(1)\n```\n";

fn mutate(rng: &mut Rng, seed: &str) -> String {
    let mut s: Vec<char> = seed.chars().collect();
    for _ in 0..=rng.below(5) {
        let at = rng.below(s.len() + 1);
        match rng.below(3) {
            0 => s.splice(at..at, rng.string(6).chars()).for_each(drop),
            1 if at < s.len() => {
                s.remove(at);
            }
            _ => s.truncate(at),
        }
    }
    s.into_iter().collect()
}

#[test]
fn reply_parsers_never_panic_and_keep_their_contract() {
    let mut rng = Rng::new();
    let n = cases(20_000);
    for i in 0..n {
        let text = match i % 3 {
            0 => rng.string(200),
            1 => mutate(&mut rng, GOOD_OUTLINE),
            _ => mutate(&mut rng, GOOD_CODE),
        };
        let r = std::panic::catch_unwind(|| {
            if let Ok(o) = parse::outline(&text, 1, 7) {
                assert!((1..=7).contains(&o.scenes.len()));
                assert!(o.scenes.iter().all(|s| !s.title.trim().is_empty()));
            }
            if let Ok(p) = parse::plan(&text) {
                assert!(!p.storyboard.trim().is_empty() && !p.narration.trim().is_empty());
            }
            if let Ok(code) = parse::code(&text, "Scene01") {
                assert!(code.contains("class Scene01(") && code.contains("def construct(self"));
                for l in code.lines().map(str::trim) {
                    if let Some(m) = l
                        .strip_prefix("import ")
                        .or_else(|| l.strip_prefix("from "))
                    {
                        let root = m.split(['.', ' ', ',']).next().unwrap_or("");
                        assert!(parse::ALLOWED_IMPORTS.contains(&root), "{l}");
                    }
                }
            }
            for (_, body) in parse::fenced_blocks(&text) {
                assert!(!body.lines().any(|l| l.trim() == "```"));
            }
        });
        assert!(r.is_ok(), "case {i}: {text:?}");
    }
    eprintln!("{n} replies");
}

#[test]
fn sse_decoding_does_not_depend_on_chunking() {
    let mut rng = Rng::new();
    let n = cases(5_000);
    for i in 0..n {
        let mut stream = Vec::new();
        for _ in 0..rng.below(8) {
            match rng.below(4) {
                0 => stream.extend(format!("event: {}\n", rng.string(8)).bytes()),
                1 => stream.extend(format!("data: {}\r\n", rng.string(30)).bytes()),
                2 => stream.extend(b"\n"),
                _ => stream.extend((0..rng.below(10)).map(|_| rng.next() as u8)),
            }
        }
        let whole = {
            let mut d = SseDecoder::new();
            let mut ev = d.push(&stream);
            ev.extend(d.finish());
            ev
        };
        let mut d = SseDecoder::new();
        let mut ev = Vec::new();
        let mut rest = &stream[..];
        while !rest.is_empty() {
            let k = 1 + rng.below(rest.len());
            ev.extend(d.push(&rest[..k]));
            rest = &rest[k..];
        }
        ev.extend(d.finish());
        assert_eq!(ev, whole, "case {i}: {stream:?}");
    }
}

#[test]
fn wire_parsers_never_panic_on_any_json() {
    let mut rng = Rng::new();
    let n = cases(20_000);
    let kinds = [
        ProviderKind::Openai,
        ProviderKind::Anthropic,
        ProviderKind::Gemini,
    ];
    for i in 0..n {
        let v = rng.json(0);
        let kind = kinds[i % 3];
        let d = dialect(kind);
        let ev = t2v_llm::sse::SseEvent {
            event: (rng.below(2) == 0).then(|| rng.string(10)),
            data: if rng.below(2) == 0 {
                v.to_string()
            } else {
                rng.string(40)
            },
        };
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let _ = d.parse_reply(&v);
            let _ = d.parse_models(&v);
            let _ = t2v_llm::wire::parse_ollama_tags(&v);
            let mut acc = Completion::default();
            let _ = d.stream_event(&ev, &mut acc);
        }));
        assert!(r.is_ok(), "case {i} ({kind:?}): {v}");
    }
}
