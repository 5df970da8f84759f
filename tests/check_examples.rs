//! The examples under `landform check`: their `tests:` pass and no check
//! fires (no error, no warning).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::path::Path;

use landform::checks::blueprint_tests::TestStatus;
use landform::checks::check_path;
use landform::report::Stage;

fn findings(path: &str) -> (BTreeSet<String>, usize, Vec<String>) {
    let checked = check_path(Path::new(path));
    assert_eq!(checked.stage, Stage::Complete, "{path}");
    let codes = checked.diagnostics.iter().map(|d| d.code.clone()).collect();
    let failing = checked
        .tests
        .iter()
        .filter(|t| t.status != TestStatus::Passed)
        .map(|t| format!("{}: {}", t.name, t.reason))
        .collect();
    (codes, checked.tests.len(), failing)
}

#[test]
fn paywave_is_clean() {
    let (codes, tests, failing) = findings("examples/paywave.yaml");
    assert!(tests >= 11);
    assert!(failing.is_empty(), "{failing:#?}");
    assert_eq!(codes, BTreeSet::new());
}

#[test]
fn northwind_is_clean() {
    let (codes, tests, failing) = findings("examples/northwind.yaml");
    assert!(tests >= 12);
    assert!(failing.is_empty(), "{failing:#?}");
    assert_eq!(codes, BTreeSet::new());
}
