//! A deliberately broken copy of each example (`tests/fixtures/broken-*`)
//! fails `landform check` with exactly the codes its `BROKEN:` comments
//! announce, on top of whatever the example itself reports.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::path::Path;

use landform::checks::check_path;
use landform::report::Stage;

fn codes(path: &str) -> BTreeSet<String> {
    let checked = check_path(Path::new(path));
    assert_eq!(checked.stage, Stage::Complete, "{path}");
    checked.diagnostics.iter().map(|d| d.code.clone()).collect()
}

/// The codes the `BROKEN:` comments of a fixture directory announce.
fn announced(dir: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for line in text.lines() {
            let Some((_, rest)) = line.split_once("BROKEN:") else {
                continue;
            };
            for word in rest.split(|c: char| !c.is_ascii_alphanumeric()) {
                if word.len() == 5 && word.starts_with("LF") {
                    out.insert(word.to_string());
                }
            }
        }
    }
    out
}

fn check(example: &str, broken_dir: &str) {
    let base = codes(example);
    let broken = codes(&format!("{broken_dir}/blueprint.yaml"));
    let new: BTreeSet<String> = broken.difference(&base).cloned().collect();
    let want = announced(broken_dir);
    assert!(!want.is_empty());
    assert_eq!(
        new, want,
        "{broken_dir}: new codes vs the `BROKEN:` comments"
    );
    let exit = assert_cmd::Command::cargo_bin("landform")
        .unwrap()
        .args(["check", &format!("{broken_dir}/blueprint.yaml")])
        .output()
        .unwrap();
    assert_eq!(exit.status.code(), Some(1));
}

#[test]
fn broken_paywave_fails_with_the_announced_codes() {
    check("examples/paywave.yaml", "tests/fixtures/broken-paywave");
}

#[test]
fn broken_northwind_fails_with_the_announced_codes() {
    check("examples/northwind.yaml", "tests/fixtures/broken-northwind");
}
