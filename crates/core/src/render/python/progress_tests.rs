//! The reader on real pip and uv output (recorded from `pip install manim==0.22.0` and
//! `uv pip install manim==0.22.0` into fresh venvs on Debian 12).

use super::*;

fn read_all(installer: Installer, log: &str) -> Vec<SetupProgress> {
    let mut r = ProgressReader::new(installer);
    let mut out = vec![r.at(SetupStep::Downloading, "start")];
    out.extend(log.lines().filter_map(|l| r.line(l)));
    out
}

fn assert_monotonic_through_steps(reports: &[SetupProgress]) {
    for w in reports.windows(2) {
        assert!(
            w[1].fraction >= w[0].fraction,
            "went back: {:?} -> {:?}",
            w[0],
            w[1]
        );
        assert!(
            w[1].step >= w[0].step,
            "step went back: {:?} -> {:?}",
            w[0],
            w[1]
        );
    }
    let steps: Vec<SetupStep> = reports.iter().map(|r| r.step).collect();
    for s in [SetupStep::Downloading, SetupStep::Installing] {
        assert!(steps.contains(&s), "never reported {s:?}");
    }
    let last = reports.last().unwrap();
    assert!(
        (last.fraction - SetupStep::Installing.span().1).abs() < 1e-9,
        "{last:?}"
    );
}

#[test]
fn pip_output_gives_many_rising_steps() {
    let reports = read_all(Installer::Pip, include_str!("testdata/pip-install.log"));
    assert_monotonic_through_steps(&reports);
    assert!(reports.iter().any(|r| r.step == SetupStep::Building));
    assert!(reports.iter().any(
        |r| r.message == "Downloading av-18.1.0-cp311-abi3-manylinux_2_28_x86_64.whl (35.8 MB)"
    ));
    assert!(reports
        .iter()
        .any(|r| r.message.starts_with("Building pycairo")));
    // Real progress: dozens of distinct fractions, spread over the download span.
    let mut distinct: Vec<u64> = reports
        .iter()
        .map(|r| (r.fraction * 1000.0) as u64)
        .collect();
    distinct.dedup();
    assert!(distinct.len() > 25, "{distinct:?}");
    let before_build = reports
        .iter()
        .rfind(|r| r.step == SetupStep::Downloading)
        .unwrap();
    assert!(before_build.fraction > 0.45, "{before_build:?}");
}

#[test]
fn uv_output_gives_rising_steps_with_the_resolved_total() {
    let reports = read_all(Installer::Uv, include_str!("testdata/uv-install.log"));
    assert_monotonic_through_steps(&reports);
    assert!(reports.iter().any(|r| r.message == "Resolved 32 packages"));
    let built: Vec<&SetupProgress> = reports
        .iter()
        .filter(|r| r.message.starts_with("Built "))
        .collect();
    assert_eq!(built.len(), 3, "{built:?}");
    assert!(built[2].fraction > built[0].fraction);
}

#[test]
fn uv_from_its_cache_still_ends_installed() {
    let reports = read_all(
        Installer::Uv,
        include_str!("testdata/uv-install-cached.log"),
    );
    assert_monotonic_through_steps(&reports);
}

#[test]
fn lines_that_tell_nothing_are_skipped() {
    let mut r = ProgressReader::new(Installer::Pip);
    assert!(r.line("Requirement already satisfied: numpy").is_none());
    assert!(r.line("").is_none());
    let mut r = ProgressReader::new(Installer::Uv);
    assert!(r.line(" + av==18.1.0").is_none());
}
