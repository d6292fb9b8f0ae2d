//! A corpus of 60+ bad topic inputs made by the test (empty, binary, huge, invalid UTF-8, deep
//! JSON, wrong JSON types, 10 000 entries, `../` paths, control characters and reserved Windows
//! names in file names, very long names, unsupported types, folders, a FIFO, /dev/zero…), given
//! to ONE `generate` run together with one good file: every bad one gets a clear one-line error
//! naming it, nothing panics or hangs, and the good one still becomes a video.

mod common;
use common::*;
use std::path::{Path, PathBuf};

fn bad_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<(String, Vec<u8>)> = Vec::new();
    let mut add = |name: &str, body: &[u8]| v.push((name.to_string(), body.to_vec()));
    add("empty.md", b"");
    add("spaces.md", b"   \n\t\n  ");
    add("bom-only.md", "\u{feff}".as_bytes());
    add("binary.md", &[0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2, 3, 0, 0]);
    add("png.md", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    let utf16: Vec<u8> = [0xfeffu16]
        .into_iter()
        .chain("# Pythagoras".encode_utf16())
        .flat_map(|u| u.to_le_bytes())
        .collect();
    add("utf16.md", &utf16);
    add("latin1.md", b"# Th\xe9or\xe8me de Pythagore\n");
    add("overlong.md", b"# \xc0\xafabc overlong\n");
    add("truncated-utf8.md", b"# abc \xe2\x82");
    add("surrogate-utf8.md", b"# abc \xed\xa0\x80 def\n");
    let mut huge = b"# Huge topic\n".to_vec();
    huge.resize(2 << 20, b'a');
    add("huge.md", &huge);
    let mut huge_json = b"{\"theorem\": \"Huge\", \"description\": \"".to_vec();
    huge_json.resize((1 << 20) + 10, b'b');
    huge_json.extend_from_slice(b"\"}");
    add("huge.json", &huge_json);
    add("no-heading.md", b"Just some text without a heading.\n");
    add("short-heading.md", b"# ab\nbody\n");
    add("control-heading.md", b"# \x01\x02\x03\n");
    add("heading-in-fence.md", b"```\n# Title in code\n```\n");
    add("empty-heading.md", b"# \nbody text\n");
    add("text-short.txt", b"ab\nmore\n");
    add("text-blank.txt", b"\n\n\n");
    add("nul-middle.txt", b"Title\0here and there\n");
    add("many-controls.txt", b"\x07\x08\x0b\x0e\x0f\x10\x11 bell\n");
    add("json-malformed.json", b"{");
    add(
        "json-trailing.json",
        br#"{"theorem":"Pythagoras"} trailing"#,
    );
    add("json-empty-object.json", b"{}");
    add("json-empty-list.json", b"[]");
    add("json-null.json", b"null");
    add("json-number.json", b"42");
    add("json-string.json", br#""Pythagoras""#);
    add("json-bool.json", b"true");
    add("json-theorem-number.json", br#"{"theorem": 5}"#);
    add("json-theorem-null.json", br#"{"theorem": null}"#);
    add("json-theorem-list.json", br#"{"theorem": ["Pythagoras"]}"#);
    add("json-theorem-object.json", br#"{"theorem": {"name": "x"}}"#);
    add(
        "json-desc-number.json",
        br#"{"theorem": "Pythagoras", "description": 5}"#,
    );
    add(
        "json-desc-list.json",
        br#"{"theorem": "Pythagoras", "description": ["a"]}"#,
    );
    add("json-theorem-empty.json", br#"{"theorem": ""}"#);
    add("json-theorem-short.json", br#"{"theorem": "ab"}"#);
    add("json-list-numbers.json", b"[1, 2, 3]");
    add("json-list-mixed.json", br#"[{"theorem": "Pythagoras"}, 7]"#);
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    add("json-deep-arrays.json", deep.as_bytes());
    let deep = format!("{}1{}", "{\"a\":".repeat(20_000), "}".repeat(20_000));
    add("json-deep-objects.json", deep.as_bytes());
    let many: Vec<String> = (0..10_000)
        .map(|i| format!("{{\"theorem\":\"Topic number {i}\"}}"))
        .collect();
    add(
        "json-10000.json",
        format!("[{}]", many.join(",")).as_bytes(),
    );
    add("json-nan.json", br#"{"theorem": NaN}"#);
    add("json-lone-surrogate.json", br#"{"theorem": "\ud800abc"}"#);
    add("json-bignum.json", br#"{"theorem": 1e999999}"#);
    add(
        "json-comment.json",
        b"// a comment\n{\"theorem\": \"Pythagoras\"}",
    );
    add("topic.pdf", b"%PDF-1.4\n# Pythagoras\n");
    add("topic.docx", b"PK\x03\x04\x14\0\0\0\x08\0");
    add("topic.exe", b"MZ\x90\0\x03\0\0\0");
    add("noext-binary", &[0u8, 1, 2, 3, 255, 254]);
    add("CON.md", b"");
    add("NUL.txt", b"ab");
    add("AUX.json", b"{}");
    add("com1.md", b"no heading here\n");
    add("name-with-\n-newline.md", b"");
    add("name-with-\x1b[31m-escape.md", b"");
    add("name-with-\t-tab-\x07-bell.md", b"");
    add(&format!("long-{}.md", "x".repeat(240)), b"");
    let mut paths: Vec<PathBuf> = v
        .into_iter()
        .map(|(name, body)| write(dir, &name, &body))
        .collect();
    let folder = dir.join("folder.md");
    std::fs::create_dir(&folder).unwrap();
    paths.push(folder);
    let fifo = dir.join("fifo.md");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: mkfifo with a valid C path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    paths.push(fifo);
    for (name, target) in [
        ("zero.md", "/dev/zero"),
        ("urandom.txt", "/dev/urandom"),
        ("dangling.md", "/nonexistent/t2v/target.md"),
    ] {
        std::os::unix::fs::symlink(target, dir.join(name)).unwrap();
        paths.push(dir.join(name));
    }
    paths.push(dir.join("missing.md"));
    std::fs::create_dir(dir.join("sub")).unwrap();
    write(dir, "dotdot-empty.md", b"");
    paths.push(dir.join("sub/../dotdot-empty.md"));
    paths.push(dir.join("sub/../../t2v-no-such-dir/../../etc/shadow.md"));
    paths.push(dir.join(format!("{}x.md", "deep/".repeat(1000))));
    paths
}

/// How the CLI shows a path: control characters escaped.
fn shown(p: &Path) -> String {
    p.to_string_lossy()
        .chars()
        .flat_map(|c| {
            if c.is_control() {
                c.escape_default().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect()
}

#[test]
fn sixty_bad_files_each_named_with_a_reason_and_the_good_one_still_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("corpus");
    std::fs::create_dir(&dir).unwrap();
    let bad = bad_files(&dir);
    assert!(bad.len() >= 50, "only {} bad inputs", bad.len());
    let good = write(
        &dir,
        "good.md",
        b"# Triangle inequality\nIn any triangle, one side is shorter than the other two together.\n",
    );
    let data = tmp.path().join("data");
    let mut c = cmd(&data);
    c.args(["generate", "--max-scenes", "1", "--voice", "none", "--json"]);
    c.args(&bad).arg(&good);
    let t = std::time::Instant::now();
    let out = c.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    eprintln!(
        "{} inputs in {:.1} s\n{stderr}",
        bad.len() + 1,
        t.elapsed().as_secs_f64()
    );
    assert!(!stderr.contains("panicked"), "a panic: {stderr}");
    assert_eq!(out.status.code(), Some(1), "bad input gives exit code 1");
    let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("✗ [")).collect();
    for p in &bad {
        let name = shown(p);
        let line = errors
            .iter()
            .find(|l| l.contains(&name))
            .unwrap_or_else(|| panic!("no error names {name:?}"));
        // One clear line: a code and a reason after the name, no raw control characters.
        let code = line["✗ [".len()..].split(']').next().unwrap();
        assert!(
            ["invalid_input", "io"].contains(&code),
            "{name}: code {code}"
        );
        let reason = line.split(name.as_str()).nth(1).unwrap_or("");
        assert!(reason.trim_start_matches(':').trim().len() > 5, "{line}");
    }
    assert_eq!(errors.len(), bad.len(), "one error line per bad file");
    assert!(
        !stderr.chars().any(|c| c.is_control() && c != '\n'),
        "raw control characters reached the terminal"
    );
    let jobs = json_lines(&out);
    assert_eq!(jobs.len(), 1, "only the good file became a job");
    assert_eq!(jobs[0]["status"], "completed", "{}", jobs[0]);
    let (duration, has_video, _) = probe(Path::new(jobs[0]["video"].as_str().unwrap()));
    assert!(duration > 0.5 && has_video);
    // The 10 000-entry file queued nothing.
    let listed = run(&data, &["jobs", "--json", "--limit", "1000"]);
    let all: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(all.as_array().unwrap().len(), 1);
}
