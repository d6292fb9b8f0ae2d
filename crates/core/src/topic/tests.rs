use super::*;

fn one(bytes: &str, ext: &str) -> Topic {
    let mut v = parse_bytes(bytes.as_bytes(), ext).unwrap();
    assert_eq!(v.len(), 1);
    v.remove(0)
}

#[test]
fn markdown_heading_description_and_sections() {
    let t = one(
        "Intro line ignored? no\n# Pythagorean theorem\nIn a right triangle $a^2+b^2=c^2$.\n\n## Statement\nThe square...\n## Proof\n- rearrange\n- compare areas\n",
        "md",
    );
    assert_eq!(t.title, "Pythagorean theorem");
    assert!(t.description.contains("Intro line"));
    assert!(t.description.contains("$a^2+b^2=c^2$"));
    assert_eq!(t.sections.len(), 2);
    assert_eq!(t.sections[1].heading, "Proof");
    assert!(t.sections[1].body.contains("compare areas"));
}

#[test]
fn markdown_heading_inside_code_fence_is_not_a_title() {
    let t = one("```\n# not this\n```\n# Real title\nbody", "md");
    assert_eq!(t.title, "Real title");
}

#[test]
fn text_first_nonempty_line_is_topic() {
    let t = one(
        "\n\n  Euler's identity  \nIt links e, i and pi.\nSecond line.",
        "txt",
    );
    assert_eq!(t.title, "Euler's identity");
    assert_eq!(t.description, "It links e, i and pi.\nSecond line.");
}

#[test]
fn json_object_and_list_keep_metadata() {
    let t = one(
        r#"{"theorem":"Bayes' theorem","description":"Posterior from prior.","uid":"b1","difficulty":"Easy"}"#,
        "json",
    );
    assert_eq!(t.title, "Bayes' theorem");
    assert_eq!(t.metadata["uid"], "b1");
    let v = parse_bytes(
        br#"[{"theorem":"Alpha thing","description":"d1"},{"topic":"Beta thing","description":"d2","subject":"Math"}]"#,
        "json",
    )
    .unwrap();
    assert_eq!(v.len(), 2);
    assert_eq!(v[1].title, "Beta thing");
    assert_eq!(v[1].metadata["subject"], "Math");
}

#[test]
fn bad_inputs_give_typed_problems() {
    let huge = vec![b'a'; (MAX_FILE_BYTES + 1) as usize];
    let nested = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    type Case<'a> = (&'a [u8], &'a str, fn(&InputProblem) -> bool);
    let cases: Vec<Case> = vec![
        (b"", "md", |p| matches!(p, InputProblem::Empty)),
        (b"   \n\t ", "txt", |p| matches!(p, InputProblem::Empty)),
        (b"\xff\xfe\xfd hello", "txt", |p| {
            matches!(p, InputProblem::NotUtf8)
        }),
        (b"\x00\x01\x02\x03binary", "txt", |p| {
            matches!(p, InputProblem::Binary)
        }),
        (&huge, "txt", |p| matches!(p, InputProblem::TooLarge { .. })),
        (b"no heading here", "md", |p| {
            matches!(p, InputProblem::MissingTopic(_))
        }),
        (b"{\"theorem\": ", "json", |p| {
            matches!(p, InputProblem::MalformedJson(_))
        }),
        (b"{\"description\": \"x\"}", "json", |p| {
            matches!(p, InputProblem::MissingTopic(_))
        }),
        (b"{\"theorem\": 42}", "json", |p| {
            matches!(p, InputProblem::MissingTopic(_))
        }),
        (b"[]", "json", |p| {
            matches!(p, InputProblem::MissingTopic(_))
        }),
        (b"[1,2]", "json", |p| matches!(p, InputProblem::Other(_))),
        (b"\"just a string\"", "json", |p| {
            matches!(p, InputProblem::MissingTopic(_))
        }),
        (b"# ab\nshort", "md", |p| {
            matches!(p, InputProblem::TopicTooShort(_))
        }),
        (b"xy\nshort topic", "txt", |p| {
            matches!(p, InputProblem::TopicTooShort(_))
        }),
        (
            b"{\"theorem\":\"ok topic\",\"description\":[1]}",
            "json",
            |p| matches!(p, InputProblem::Other(_)),
        ),
        (nested.as_bytes(), "json", |p| {
            matches!(p, InputProblem::MalformedJson(_))
        }),
        (b"# Title\nbody", "pdf", |p| {
            matches!(p, InputProblem::UnsupportedType(_))
        }),
    ];
    for (i, (bytes, ext, check)) in cases.into_iter().enumerate() {
        match parse_bytes(bytes, ext) {
            Ok(t) => panic!("case {i} parsed: {t:?}"),
            Err(p) => assert!(check(&p), "case {i}: unexpected problem {p:?}"),
        }
    }
}

#[test]
fn file_errors_name_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("empty.md");
    std::fs::write(&p, "").unwrap();
    let err = parse_file(&p).unwrap_err();
    assert_eq!(err.code(), crate::ErrorCode::InvalidInput);
    assert!(err.to_string().contains("empty.md"), "{err}");
    let results = parse_many(&[p.clone(), dir.path().join("missing.txt")]);
    assert!(results.iter().all(|(_, r)| r.is_err()));
}

#[test]
fn form_input_is_validated() {
    assert!(Topic::from_form("ab", "a long enough description").is_err());
    let t = Topic::from_form("  Central   limit\ttheorem ", "Sums of many variables.").unwrap();
    assert_eq!(t.title, "Central limit theorem");
}

/// Found by `cargo fuzz run topic_parser`: a first line longer than the limit whose cut fell on a
/// space gave a title with a trailing space.
#[test]
fn fuzz_regression_title_cut_on_a_space_is_trimmed() {
    let mut line = "x".repeat(299);
    line.push_str(" yyyy");
    let t = one(&format!("{line}\nbody"), "txt");
    assert_eq!(t.title.chars().count(), 299);
    assert_eq!(t.title.trim(), t.title);
    let crash = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fuzz-regressions/topic-title-trailing-space.bin"
    ))
    .unwrap();
    let (&sel, bytes) = crash.split_first().unwrap();
    let ext = ["md", "txt", "json", "", "markdown"][sel as usize % 5];
    if let Ok(topics) = parse_bytes(bytes, ext) {
        for t in topics {
            assert_eq!(t.title.trim(), t.title);
            assert!(!t.title.chars().any(char::is_control));
        }
    }
}
