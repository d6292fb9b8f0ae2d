use super::*;
use crate::model::plan::SceneKind;
use crate::topic::parse_bytes;
use crate::writer::SceneTiming;
use tokio_util::sync::CancellationToken;

fn topic(md: &str) -> Topic {
    parse_bytes(md.as_bytes(), "md").unwrap().remove(0)
}

fn ctx(latex: bool, max: usize) -> WriterCtx {
    WriterCtx::new(CancellationToken::new(), latex, max)
}

#[tokio::test]
async fn plans_three_to_six_scenes_deterministically() {
    let inputs = [
        "# Tiny topic\n",
        "# Pythagorean theorem\nIn a right triangle the square of the hypotenuse equals the sum of the squares of the legs: $a^2+b^2=c^2$.\n",
        "# Bayes\nPrior and posterior.\n- prior belief\n- likelihood\n- posterior\n$$P(A|B)=\\frac{P(B|A)P(A)}{P(B)}$$",
        "# Big\nIntro.\n## One\n- a1\n- a2\n## Two\ntext two. more.\n## Three\n$x^2$ here.\n## Four\nfour\n",
    ];
    let w = StoryboardWriter::new();
    for md in inputs {
        let t = topic(md);
        let a = w.outline(&t, &ctx(true, 7)).await.unwrap();
        let b = w.outline(&t, &ctx(true, 7)).await.unwrap();
        assert_eq!(a, b, "deterministic");
        assert!(
            (3..=6).contains(&a.scenes.len()),
            "{md}: {} scenes",
            a.scenes.len()
        );
        assert_eq!(a.scenes.first().unwrap().kind, SceneKind::Title);
        assert_eq!(a.scenes.last().unwrap().kind, SceneKind::Summary);
        a.validate().unwrap();
        for i in 0..a.scenes.len() {
            let plan = w.plan_scene(&t, &a, i, &ctx(true, 7)).await.unwrap();
            plan.validate().unwrap();
            assert!(!plan.narration.is_empty());
            let code = w
                .write_code(
                    &t,
                    &plan,
                    &crate::writer::scene_class(plan.index),
                    &ctx(true, 7),
                )
                .await
                .unwrap();
            assert!(code.contains(&format!("class Scene{:02}(Scene):", i + 1)));
        }
    }
}

#[tokio::test]
async fn max_scenes_caps_the_outline_keeping_title_first() {
    let t = topic("# Capped topic\nA statement here.\n- p1\n- p2\n$e^{i\\pi}+1=0$");
    let o = StoryboardWriter::new()
        .outline(&t, &ctx(false, 2))
        .await
        .unwrap();
    assert_eq!(o.scenes.len(), 2);
    assert_eq!(o.scenes[0].kind, SceneKind::Title);
}

#[tokio::test]
async fn math_uses_mathtex_only_with_latex_and_fix_drops_it() {
    let t = topic("# Euler\nThe identity $e^{i\\pi}+1=0$ links constants.");
    let w = StoryboardWriter::new();
    let o = w.outline(&t, &ctx(true, 6)).await.unwrap();
    let i = o
        .scenes
        .iter()
        .position(|s| s.kind == SceneKind::Formulas)
        .expect("a formula scene");
    let plan = w.plan_scene(&t, &o, i, &ctx(true, 6)).await.unwrap();
    let with = w.write_code(&t, &plan, "S", &ctx(true, 6)).await.unwrap();
    assert!(with.contains("MathTex("));
    let without = w.write_code(&t, &plan, "S", &ctx(false, 6)).await.unwrap();
    assert!(
        !without.contains("MathTex(") && without.contains("e^(iπ)+1=0"),
        "{without}"
    );
    let fixed = w
        .fix_code(
            &t,
            &plan,
            "S",
            &with,
            "RuntimeError: latex error converting to dvi",
            1,
            &ctx(true, 6),
        )
        .await
        .unwrap();
    assert!(!fixed.contains("MathTex("));
}

#[test]
fn py_str_escapes_everything_dangerous() {
    assert_eq!(py_str("a\"b\\c\n"), "\"a\\\"b\\\\c\\n\"");
    assert_eq!(py_str("\u{0}\u{7}"), "\"\\u0000\\u0007\"");
    assert_eq!(py_str("Ω 🚀"), "\"Ω 🚀\"");
    let evil = "\"); import os; os.system(\"rm -rf /\"); (\"";
    let lit = py_str(evil);
    // The literal is one string: every quote inside is escaped.
    let inner = &lit[1..lit.len() - 1];
    assert!(!inner.replace("\\\"", "").contains('"'));
}

#[tokio::test]
async fn narration_reads_aloud_for_every_scene_kind() {
    let t = topic(
        "# Pythagorean *theorem*\nIn a right triangle $a^2+b^2=c^2$. It is **old**.\n\
         ## Proof\n- draw `squares` on each side\n- compare the areas with $\\frac{1}{2}ab$\n\
         ## Uses\nDistance is $\\sqrt{x^2+y^2}$ in the plane.\n",
    );
    let w = StoryboardWriter::new();
    let o = w.outline(&t, &ctx(true, 6)).await.unwrap();
    let mut kinds = Vec::new();
    for i in 0..o.scenes.len() {
        let plan = w.plan_scene(&t, &o, i, &ctx(true, 6)).await.unwrap();
        let n = &plan.narration;
        kinds.push(o.scenes[i].kind);
        for bad in ["$", "\\", "*", "`", "#", "^", "_{", "²"] {
            assert!(!n.contains(bad), "{:?}: {bad:?} in {n:?}", o.scenes[i].kind);
        }
        assert!(n.ends_with('.'), "{n:?}");
        if o.scenes[i].kind == SceneKind::Formulas {
            assert!(
                n.contains("a squared plus b squared equals c squared"),
                "{n}"
            );
        }
        // With a timing the scene lasts as long as its narration; the code says which timing.
        let timing = SceneTiming {
            duration: 20.0,
            sentences: crate::voice::spoken_sentences(n)
                .iter()
                .enumerate()
                .map(|(k, _)| (0.4 + 2.0 * k as f64, 2.0 + 2.0 * k as f64))
                .collect(),
        };
        let c = ctx(true, 6);
        c.set_timing(plan.index, Some(timing.clone()));
        let code = w.write_code(&t, &plan, "S", &c).await.unwrap();
        assert_eq!(
            crate::writer::timing_mark(&code),
            Some(SceneTiming::tag(Some(&timing)).as_str())
        );
        let secs: f64 = code
            .lines()
            .filter_map(|l| {
                let l = l.trim();
                l.strip_prefix("self.wait(")
                    .and_then(|r| r.strip_suffix(')'))
                    .or_else(|| {
                        l.split("run_time=")
                            .nth(1)
                            .and_then(|r| r.strip_suffix(')'))
                    })
                    .and_then(|x| x.parse::<f64>().ok())
            })
            .sum();
        assert!(
            secs >= 20.5,
            "{}: {secs} s of animation for 20 s of speech",
            plan.title
        );
        let untimed = w.write_code(&t, &plan, "S", &ctx(true, 6)).await.unwrap();
        assert_eq!(crate::writer::timing_mark(&untimed), Some("none"));
    }
    use SceneKind::*;
    for k in [Title, Statement, Points, Formulas, Summary] {
        assert!(kinds.contains(&k), "no {k:?} scene in {kinds:?}");
    }
}

fn corpus() -> Vec<Topic> {
    let p =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/corpus/topics.json");
    crate::topic::parse_file(&p).unwrap()
}

#[test]
fn most_scenes_of_the_corpus_show_a_picture() {
    let topics = corpus();
    assert!(topics.len() >= 30, "{} topics", topics.len());
    let share = picture_share(&topics, 6);
    eprintln!("picture share: {share:?} = {:.1} %", share.ratio() * 100.0);
    assert!(
        share.ratio() >= 0.6,
        "{share:?}: {:.0} %",
        share.ratio() * 100.0
    );
    // A sample: the Pythagorean topic has a picture in every scene past the title, the
    // philosophy puzzle none (it gives nothing to draw).
    let by = |name: &str| topics.iter().find(|t| t.title == name).unwrap();
    let s = topic_share(by("Pythagorean theorem"), 6);
    assert_eq!(s.pictured, s.scenes, "{s:?}");
    assert_eq!(topic_share(by("The ship of Theseus"), 6).pictured, 0);
}

#[test]
fn on_screen_text_is_never_cut_mid_phrase() {
    for t in corpus() {
        for s in design(&t, 6) {
            let mut shown = vec![s.title.clone(), s.body.clone(), s.subtitle.clone()];
            shown.extend(s.points.clone());
            shown.extend(s.pages.clone());
            shown.extend(s.formulas.iter().map(|f| f.caption.clone()));
            for text in shown {
                assert!(!text.ends_with('…'), "{}: {text:?}", t.title);
            }
        }
    }
}

#[tokio::test]
async fn the_pythagorean_sample_draws_the_triangle_and_its_squares() {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/pythagorean-theorem.md");
    let t = crate::topic::parse_file(&p).unwrap().remove(0);
    let specs = design(&t, 6);
    let pictures: Vec<_> = specs.iter().filter_map(|s| s.visual.clone()).collect();
    assert!(
        pictures.contains(&visuals::Visual::RightTriangle),
        "{pictures:?}"
    );
    assert!(
        pictures.contains(&visuals::Visual::Rearrange),
        "{pictures:?}"
    );
    let w = StoryboardWriter::new();
    let o = w.outline(&t, &ctx(true, 6)).await.unwrap();
    let i = (0..o.scenes.len())
        .find(|&i| specs[i].visual == Some(visuals::Visual::RightTriangle))
        .unwrap();
    let plan = w.plan_scene(&t, &o, i, &ctx(true, 6)).await.unwrap();
    let code = w.write_code(&t, &plan, "S", &ctx(true, 6)).await.unwrap();
    assert!(code.contains("pic, steps = v_right_triangle(W)"), "{code}");
}

#[test]
fn a_german_topic_gets_german_words_and_an_english_one_english() {
    let de = topic("# Satz des Pythagoras\nIn einem rechtwinkligen Dreieck ist das Quadrat der Hypotenuse gleich der Summe der Quadrate der Katheten.\n- erstens ist das so\n- zweitens auch\n");
    let specs = design(&de, 6);
    let titles: Vec<&str> = specs.iter().map(|s| s.title.as_str()).collect();
    assert!(
        titles.contains(&"Die Idee") && titles.contains(&"Zusammenfassung"),
        "{titles:?}"
    );
    assert!(specs[0].subtitle.starts_with("Eine anschauliche Erklärung"));
    assert!(specs.iter().all(|s| s.lang == crate::lang::Lang::De));
    let en = design(&topic("# Tiny topic\nThis is about the thing.\n"), 6);
    assert!(en.iter().any(|s| s.title == "In summary"));
}
