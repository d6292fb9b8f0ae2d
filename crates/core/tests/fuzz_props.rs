//! Property tests on stable Rust, seeded so every failure replays (`T2V_FUZZ_SEED`, and
//! `T2V_FUZZ_CASES` to run longer): the topic parser never panics and only returns clean topics;
//! `py_str` always yields a Python literal equal to its input; the storyboard writer's code always
//! compiles, whatever the topic. The same targets exist for cargo-fuzz under `fuzz/`.

use std::sync::Arc;
use t2v_core::topic::parse_bytes;
use t2v_core::writer::storyboard::{py_str, StoryboardWriter};
use t2v_core::writer::{Writer, WriterCtx};
use t2v_core::CancellationToken;

/// xorshift64*: small, seedable, good enough to drive a fuzzer.
struct Rng(u64);

impl Rng {
    fn from_env() -> Rng {
        let seed = std::env::var("T2V_FUZZ_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(0x5eed_1234_abcd_ef01);
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
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    /// A character from ranges that break parsers: ASCII, controls, quotes, Markdown and JSON
    /// syntax, combining marks, bidi controls, line separators, astral emoji.
    fn char(&mut self) -> char {
        const SPECIAL: &[char] = &[
            '#',
            '$',
            '"',
            '\'',
            '\\',
            '{',
            '}',
            '[',
            ']',
            ':',
            ',',
            '`',
            '\n',
            '\r',
            '\t',
            '\0',
            '\u{7}',
            '\u{1b}',
            '\u{85}',
            '\u{a0}',
            '\u{300}',
            '\u{202e}',
            '\u{2028}',
            '\u{2029}',
            '\u{feff}',
            '\u{fffd}',
            '\u{ffff}',
            '\u{1f680}',
            '\u{10ffff}',
            'Ω',
            'é',
            '∑',
            '√',
        ];
        match self.below(4) {
            0 => *self.pick(SPECIAL),
            1 => char::from_u32(self.below(0x3000) as u32).unwrap_or('x'),
            _ => (b' ' + self.below(95) as u8) as char,
        }
    }
    fn string(&mut self, max: usize) -> String {
        let n = self.below(max + 1);
        (0..n).map(|_| self.char()).collect()
    }
}

fn cases(default: usize) -> usize {
    std::env::var("T2V_FUZZ_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

const SEEDS: &[(&str, &str)] = &[
    (
        "md",
        "# Pythagoras\nIn a right triangle $a^2+b^2=c^2$.\n## Proof\n- squares\n- areas\n",
    ),
    ("txt", "Euler's identity\nIt links five constants.\n"),
    (
        "json",
        r#"{"theorem": "Bayes", "description": "P(A|B)", "uid": 3}"#,
    ),
    (
        "json",
        r#"[{"topic": "Fermat"}, {"title": "Gauss", "description": null}]"#,
    ),
];

/// Random edits of a valid input: the inputs that reach deep into the parser.
fn mutate(rng: &mut Rng, seed: &str) -> Vec<u8> {
    let mut b = seed.as_bytes().to_vec();
    for _ in 0..=rng.below(6) {
        let at = rng.below(b.len() + 1);
        match rng.below(5) {
            0 => b.splice(at..at, rng.string(8).into_bytes()).for_each(drop),
            1 if at < b.len() => {
                b.remove(at);
            }
            2 if at < b.len() => b[at] = rng.next() as u8,
            3 => {
                let dup: Vec<u8> = b[at..].iter().take(rng.below(40)).copied().collect();
                b.splice(at..at, dup).for_each(drop);
            }
            _ => b.truncate(at),
        }
    }
    b
}

fn check_topics(bytes: &[u8], ext: &str) {
    match parse_bytes(bytes, ext) {
        Ok(topics) => {
            assert!(!topics.is_empty(), "Ok with no topic: {bytes:?}");
            for t in topics {
                let n = t.title.chars().count();
                assert!((3..=300).contains(&n), "title length {n}: {:?}", t.title);
                assert!(!t.title.chars().any(char::is_control), "{:?}", t.title);
                assert_eq!(t.title.trim(), t.title);
            }
        }
        Err(p) => assert!(!p.to_string().is_empty()),
    }
}

#[test]
fn topic_parser_never_panics_and_returns_only_clean_topics() {
    let mut rng = Rng::from_env();
    let exts = ["md", "markdown", "txt", "", "json", "pdf", "MD"];
    let n = cases(30_000);
    for i in 0..n {
        let (ext, bytes) = if i % 3 == 0 {
            let len = rng.below(600);
            (
                *rng.pick(&exts),
                (0..len).map(|_| rng.next() as u8).collect(),
            )
        } else {
            let (ext, seed) = *rng.pick(SEEDS);
            (ext, mutate(&mut rng, seed))
        };
        let r = std::panic::catch_unwind(|| check_topics(&bytes, ext));
        assert!(r.is_ok(), "case {i}: ext {ext:?} input {bytes:?}");
    }
    eprintln!("{n} topic inputs");
}

#[test]
fn py_str_round_trips_through_python() {
    let mut rng = Rng::from_env();
    let n = cases(3_000);
    let mut texts: Vec<String> = (0..n).map(|_| rng.string(60)).collect();
    texts.extend((0..0x3000u32).filter_map(char::from_u32).map(String::from));
    let dir = tempfile::tempdir().unwrap();
    let mut src = String::from("import json, sys\nvalues = [\n");
    for t in &texts {
        src.push_str(&py_str(t));
        src.push_str(",\n");
    }
    src.push_str("]\nexpected = json.load(open(sys.argv[1], encoding='utf-8'))\n");
    src.push_str("bad = [i for i, (a, b) in enumerate(zip(values, expected)) if a != b]\n");
    src.push_str(
        "assert len(values) == len(expected) and not bad, bad[:5]\nprint('ok', len(values))\n",
    );
    let script = dir.path().join("literals.py");
    std::fs::write(&script, src).unwrap();
    let expected = dir.path().join("expected.json");
    std::fs::write(&expected, serde_json::to_string(&texts).unwrap()).unwrap();
    let out = std::process::Command::new("python3")
        .arg(&script)
        .arg(&expected)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!("{}", String::from_utf8_lossy(&out.stdout).trim());
}

/// A random Markdown topic with math, bullets, sections, quotes and braces.
fn random_topic(rng: &mut Rng) -> Option<t2v_core::Topic> {
    let mut md = format!("# {}\n{}\n", rng.string(40), rng.string(200));
    for _ in 0..rng.below(5) {
        match rng.below(4) {
            0 => md.push_str(&format!("## {}\n", rng.string(30))),
            1 => md.push_str(&format!("- {}\n", rng.string(50))),
            2 => md.push_str(&format!("$${}$$\n", rng.string(30))),
            _ => md.push_str(&format!("Text ${}$ and {{x}} \"q\" \\n.\n", rng.string(20))),
        }
    }
    parse_bytes(md.as_bytes(), "md").ok()?.pop()
}

#[tokio::test]
async fn storyboard_code_always_compiles() {
    let mut rng = Rng::from_env();
    let n = cases(150);
    let writer = StoryboardWriter::new();
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    let mut made = 0;
    while made < n {
        let Some(topic) = random_topic(&mut rng) else {
            continue;
        };
        made += 1;
        let latex = rng.below(2) == 0;
        let mut ctx = WriterCtx::new(CancellationToken::new(), latex, 1 + rng.below(6));
        ctx.report = Arc::new(|_| {});
        let outline = writer.outline(&topic, &ctx).await.unwrap();
        for i in 0..outline.scenes.len() {
            let plan = writer.plan_scene(&topic, &outline, i, &ctx).await.unwrap();
            let class = format!("Scene{:02}", i + 1);
            let code = writer
                .write_code(&topic, &plan, &class, &ctx)
                .await
                .unwrap();
            let f = dir.path().join(format!("t{made}_s{i}.py"));
            std::fs::write(&f, &code).unwrap();
            files.push(f);
            if i == 0 {
                let fixed = writer
                    .fix_code(&topic, &plan, &class, &code, "NameError: x", 3, &ctx)
                    .await
                    .unwrap();
                let f = dir.path().join(format!("t{made}_fix.py"));
                std::fs::write(&f, fixed).unwrap();
                files.push(f);
            }
        }
    }
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg("import py_compile, sys\nfor f in sys.argv[1:]:\n    py_compile.compile(f, doraise=True)\nprint(len(sys.argv) - 1)")
        .args(&files)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!("{} files compiled from {n} random topics", files.len());
}
