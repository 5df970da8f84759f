//! Every check has a fixture that triggers it: `tests/fixtures/checks/<CODE>.yaml`
//! (its first line says which codes it must produce — exactly those), or, for
//! the checks a valid blueprint cannot trigger, an organization built in Rust
//! (`src/checks/unit_tests.rs`). Each fixture's human report is snapshotted:
//! review a change with `cargo insta review`, or accept all with
//! `INSTA_UPDATE=always cargo test --test check_fixtures` and read the diff.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::path::Path;

use landform::checks::{check_path, checks};
use landform::report::{self, Report, Stage};

/// Checks whose fixture is built in Rust (`src/checks/unit_tests.rs`), and why.
const RUST_FIXTURES: &[(&str, &str)] = &[
    ("LF720", "a blueprint's trust cannot name `*` (LF322)"),
    (
        "LF730",
        "the compiler's delegation policy always requires the boundary",
    ),
    (
        "LF731",
        "the compiler's delegation policy always compares the exact boundary",
    ),
    (
        "LF732",
        "the compiler's delegation policy always scopes to the path",
    ),
    (
        "LF733",
        "the compiler's delegation policy always denies the boundary's lifecycle",
    ),
    (
        "LF734",
        "the compiler's delegation policy always denies users and keys",
    ),
];

fn fixture(code: &str) -> String {
    format!("tests/fixtures/checks/{code}.yaml")
}

fn expected_codes(path: &str) -> BTreeSet<String> {
    let text = std::fs::read_to_string(path).unwrap();
    let first = text.lines().next().unwrap_or("");
    let list = first
        .strip_prefix("# expect:")
        .unwrap_or_else(|| panic!("{path}: the first line must be `# expect: CODE, …`"));
    list.split(',').map(|c| c.trim().to_string()).collect()
}

fn human(path: &str) -> (BTreeSet<String>, String) {
    let checked = check_path(Path::new(path));
    assert_eq!(
        checked.stage,
        Stage::Complete,
        "{path} must validate and compile"
    );
    let codes = checked.diagnostics.iter().map(|d| d.code.clone()).collect();
    let r = Report {
        blueprint: path.to_string(),
        stage: checked.stage,
        diagnostics: &checked.diagnostics,
        sources: &checked.sources,
        tests: &checked.tests,
        checks_run: checked.checks_run.clone(),
    };
    (codes, report::human(&r, false))
}

#[test]
fn every_check_has_a_fixture() {
    for c in checks() {
        let yaml = Path::new(&fixture(c.code)).exists();
        let rust = RUST_FIXTURES.iter().any(|(code, _)| *code == c.code);
        assert!(
            yaml != rust,
            "{}: needs exactly one fixture (tests/fixtures/checks/{}.yaml, or listed in RUST_FIXTURES)",
            c.code,
            c.code
        );
    }
    for (code, _) in RUST_FIXTURES {
        assert!(
            landform::checks::check(code).is_some(),
            "{code} is not a check"
        );
    }
}

#[test]
fn fixtures_trigger_exactly_their_codes() {
    let mut dir: Vec<_> = std::fs::read_dir("tests/fixtures/checks")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("LF"))
        .collect();
    dir.sort();
    assert!(dir.len() >= 25, "{} fixtures", dir.len());
    for path in dir {
        let path = path.to_string_lossy().to_string();
        let want = expected_codes(&path);
        let stem = Path::new(&path)
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .to_string();
        assert!(want.contains(&stem), "{path}: must expect its own code");
        let (got, text) = human(&path);
        assert_eq!(got, want, "{path}:\n{text}");
        insta::assert_snapshot!(format!("check_fixture_{stem}"), text);
    }
}

#[test]
fn the_clean_base_triggers_nothing() {
    let (got, text) = human("tests/fixtures/checks/clean.yaml");
    assert!(got.is_empty(), "{text}");
    assert!(text.contains("no problems found"), "{text}");
}
