use super::*;

#[test]
fn outline_strict_schema_and_counts() {
    let ok = r#"{"scenes":[{"title":"A","purpose":"a"},{"title":"B","purpose":"b"},{"title":"C","purpose":"c"}]}"#;
    assert_eq!(outline(ok, 3, 7).unwrap().scenes.len(), 3);
    let fenced = format!("```json\n{ok}\n```");
    assert!(outline(&fenced, 3, 7).is_ok());
    assert!(outline(ok, 4, 7).unwrap_err().contains("3 scenes"));
    assert!(outline(r#"{"scenes":[{"title":"A"}]}"#, 1, 7)
        .unwrap_err()
        .contains("schema"));
    assert!(outline(r#"{"scenes":[{"title":"A","purpose":"p","x":1}]}"#, 1, 7).is_err());
    assert!(outline("Sure! Here is the outline: {", 1, 7)
        .unwrap_err()
        .contains("not valid JSON"));
    assert!(outline("[1,2]", 1, 7).is_err());
}

#[test]
fn plan_fields_required() {
    assert!(plan(r#"{"storyboard":"1. x","technical_notes":"t","narration":"n"}"#).is_ok());
    assert!(
        plan(r#"{"storyboard":"","technical_notes":"t","narration":"n"}"#)
            .unwrap_err()
            .contains("storyboard")
    );
}

#[test]
fn code_needs_a_fenced_block_with_the_class() {
    let good = "Here:\n```python\nfrom manim import *\nimport numpy as np\n\nclass Scene01(Scene):\n    def construct(self):\n        self.wait()\n```\nDone.";
    let c = code(good, "Scene01").unwrap();
    assert!(c.starts_with("from manim import *"));
    assert!(
        code("from manim import *\nclass Scene01(Scene): ...", "Scene01")
            .unwrap_err()
            .contains("no complete fenced")
    );
    assert!(code(good, "Scene02").unwrap_err().contains("Scene02"));
    let os = good.replace("import numpy as np", "import os, numpy");
    assert!(code(&os, "Scene01").unwrap_err().contains("\"os\""));
    let sub = good.replace("import numpy as np", "from subprocess import run");
    assert!(code(&sub, "Scene01").is_err());
    let unclosed = "```python\nclass Scene01(Scene):\n    def construct(self):\n";
    assert!(code(unclosed, "Scene01").is_err());
}
