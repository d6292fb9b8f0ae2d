//! The storyboard writer's own source, part of its cache key: any change to its planning, its
//! templates or the speech rules its narration goes through regenerates cached outlines, plans
//! and code. `sources_cover_everything_the_output_depends_on` keeps this list complete.

/// (path under `crates/core/src`, text) of every file whose change could change the output.
pub const SOURCES: &[(&str, &str)] = &[
    ("writer/storyboard/mod.rs", include_str!("mod.rs")),
    ("writer/storyboard/design.rs", include_str!("design.rs")),
    ("writer/storyboard/extract.rs", include_str!("extract.rs")),
    (
        "writer/storyboard/extract_tests.rs",
        include_str!("extract_tests.rs"),
    ),
    ("writer/storyboard/manim.rs", include_str!("manim.rs")),
    ("writer/storyboard/timing.rs", include_str!("timing.rs")),
    ("writer/storyboard/sources.rs", include_str!("sources.rs")),
    ("writer/storyboard/tests.rs", include_str!("tests.rs")),
    ("writer/storyboard/share.rs", include_str!("share.rs")),
    ("writer/storyboard/phrases.rs", include_str!("phrases.rs")),
    ("writer/storyboard/pictured.rs", include_str!("pictured.rs")),
    ("writer/storyboard/words.rs", include_str!("words.rs")),
    (
        "writer/storyboard/visuals/mod.rs",
        include_str!("visuals/mod.rs"),
    ),
    (
        "writer/storyboard/visuals/choose.rs",
        include_str!("visuals/choose.rs"),
    ),
    (
        "writer/storyboard/visuals/cues.rs",
        include_str!("visuals/cues.rs"),
    ),
    (
        "writer/storyboard/visuals/expr.rs",
        include_str!("visuals/expr.rs"),
    ),
    (
        "writer/storyboard/visuals/py_algebra.rs",
        include_str!("visuals/py_algebra.rs"),
    ),
    (
        "writer/storyboard/visuals/py_algo.rs",
        include_str!("visuals/py_algo.rs"),
    ),
    (
        "writer/storyboard/visuals/py_common.rs",
        include_str!("visuals/py_common.rs"),
    ),
    (
        "writer/storyboard/visuals/py_data.rs",
        include_str!("visuals/py_data.rs"),
    ),
    (
        "writer/storyboard/visuals/py_geometry.rs",
        include_str!("visuals/py_geometry.rs"),
    ),
    (
        "writer/storyboard/visuals/py_graph.rs",
        include_str!("visuals/py_graph.rs"),
    ),
    ("lang.rs", include_str!("../../lang.rs")),
    ("util/text.rs", include_str!("../../util/text.rs")),
    (
        "voice/speakable.rs",
        include_str!("../../voice/speakable.rs"),
    ),
    (
        "voice/tex_speech.rs",
        include_str!("../../voice/tex_speech.rs"),
    ),
];

/// The texts, for hashing.
pub fn texts() -> Vec<&'static str> {
    SOURCES.iter().map(|(_, t)| *t).collect()
}

#[cfg(test)]
mod tests {
    use super::SOURCES;
    use std::path::{Path, PathBuf};

    fn src() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
    }

    fn rs_files(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                rs_files(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }

    /// Files a listed file uses: voice modules through `super::NAME` (from a voice file) and
    /// util modules through `crate::util::NAME`.
    fn imports(rel: &str, text: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        if rel.starts_with("voice/") {
            out.extend(
                names(text, "super::")
                    .into_iter()
                    .map(|n| format!("voice/{n}.rs")),
            );
        }
        out.extend(
            names(text, "crate::util::")
                .into_iter()
                .map(|n| format!("util/{n}.rs")),
        );
        out.into_iter()
            .filter(|p| src().join(p).is_file())
            .collect()
    }

    fn names(text: &str, prefix: &str) -> Vec<String> {
        text.match_indices(prefix)
            .map(|(i, m)| {
                text[i + m.len()..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect::<String>()
            })
            .collect()
    }

    #[test]
    fn sources_cover_everything_the_output_depends_on() {
        let listed = |rel: &str| SOURCES.iter().any(|(p, _)| *p == rel);
        // Every file of the writer (tests too: harmless, and no rule to forget).
        let mut files = Vec::new();
        rs_files(&src().join("writer/storyboard"), &mut files);
        for f in &files {
            let rel = f
                .strip_prefix(src())
                .unwrap()
                .to_string_lossy()
                .into_owned();
            assert!(
                listed(&rel),
                "{rel} is missing from the cache key's sources"
            );
        }
        // The listed texts are the files as they are now.
        for (rel, text) in SOURCES {
            assert_eq!(
                std::fs::read_to_string(src().join(rel)).unwrap(),
                *text,
                "{rel}"
            );
        }
        // Speech rules and text helpers: every voice or util module a listed file builds on is
        // listed too (the narration, and so the plan, is shaped by all of them).
        for (rel, text) in SOURCES {
            for dep in imports(rel, text) {
                assert!(
                    listed(&dep),
                    "{rel} uses {dep}, missing from the cache key's sources"
                );
            }
        }
    }
}
