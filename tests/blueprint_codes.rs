//! Every diagnostic code has a fixture that triggers it, exactly: each file in
//! `tests/fixtures/blueprints/invalid/` (or `DIR/blueprint.yaml` for fixtures
//! that need several files) starts with `# expect: CODE…`, and loading plus
//! validating it must produce exactly those codes. The codes table in
//! `docs/diagnostics.md` must match `landform::blueprint::codes::ALL`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use landform::blueprint::{self, codes};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixtures() -> Vec<PathBuf> {
    let dir = root().join("tests/fixtures/blueprints/invalid");
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            if p.is_dir() {
                p.join("blueprint.yaml")
            } else {
                p
            }
        })
        .collect();
    out.sort();
    out
}

fn expected(path: &Path) -> BTreeSet<String> {
    let text = std::fs::read_to_string(path).unwrap();
    let first = text.lines().next().unwrap_or_default();
    let codes = first
        .strip_prefix("# expect:")
        .unwrap_or_else(|| panic!("{} does not start with `# expect:`", path.display()));
    codes.split_whitespace().map(str::to_string).collect()
}

fn produced(path: &Path) -> BTreeSet<String> {
    let diags = match blueprint::load(path) {
        Ok(loaded) => blueprint::validate(&loaded),
        Err(failure) => failure.diagnostics,
    };
    diags.iter().map(|d| d.code.clone()).collect()
}

#[test]
fn each_fixture_produces_exactly_its_codes() {
    let mut failures = Vec::new();
    for path in fixtures() {
        let want = expected(&path);
        let got = produced(&path);
        if want != got {
            failures.push(format!(
                "{}: expected {want:?}, got {got:?}",
                path.display()
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn every_code_has_a_fixture() {
    let covered: BTreeSet<String> = fixtures().iter().flat_map(|p| expected(p)).collect();
    let missing: Vec<&str> = codes::ALL
        .iter()
        .map(|c| c.0)
        .filter(|c| !covered.contains(*c))
        .collect();
    assert!(missing.is_empty(), "codes without a fixture: {missing:?}");
}

#[test]
fn the_documented_table_matches_the_codes() {
    let doc = std::fs::read_to_string(root().join("docs/diagnostics.md")).unwrap();
    let documented: Vec<(String, String)> = doc
        .lines()
        .filter_map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            (cells.len() > 3 && cells[1].starts_with("LF") && cells[1].len() == 5)
                .then(|| (cells[1].to_string(), cells[2].to_string()))
        })
        .collect();
    let actual: Vec<(String, String)> = codes::ALL
        .iter()
        .map(|(c, s, _)| (c.to_string(), s.to_string()))
        .collect();
    assert_eq!(
        documented, actual,
        "docs/diagnostics.md is out of sync with codes::ALL"
    );
}
