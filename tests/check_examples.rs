//! The examples under `landform check`: their `tests:` pass and no check
//! fires — except for the findings listed here, each a defect of the example
//! itself that `landform check` found and that is reported for a fix in
//! `examples/` (the list must shrink to nothing; a fixed defect fails this
//! test until it is removed from the list).
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

fn set(codes: &[&str]) -> BTreeSet<String> {
    codes.iter().map(|c| (*c).to_string()).collect()
}

#[test]
fn paywave_is_clean() {
    let (codes, tests, failing) = findings("examples/paywave.yaml");
    assert!(tests >= 11);
    assert!(failing.is_empty(), "{failing:#?}");
    assert_eq!(
        codes,
        set(&[
            // compile: role app-admin wears a boundary the example's own
            // require_boundary_on_create_role guardrail does not allow
            "LF513",
            // lint: `ForAnyValue:StringNotLike` on the single-valued
            // `ec2:InstanceType` in examples/paywave/sandbox-spend.json
            "PL406",
        ])
    );
}

#[test]
fn northwind_is_clean() {
    let (codes, tests, failing) = findings("examples/northwind.yaml");
    assert!(tests >= 12);
    // the three S3 tests fail only because of the literal organization id (LF702)
    assert_eq!(failing.len(), 3, "{failing:#?}");
    assert!(
        failing.iter().all(|f| f.contains("rcp:data-perimeter")),
        "{failing:#?}"
    );
    assert_eq!(
        codes,
        set(&[
            // compile: the team admin roles wear team boundaries the
            // require_boundary_on_create_role guardrail does not list for them
            "LF513",
            // `AmazonCloudWatchReadOnlyAccess` is not an AWS-managed policy
            // (the real one is `CloudWatchReadOnlyAccess`)
            "LF701",
            // the data-perimeter RCP names `o-northwind1` instead of `{{landform:org_id}}`
            "LF702",
            // the Engineer set (ABAC on Project) is assigned to Sandbox, where
            // neither require_tags_on_create nor protect_governance_tags is attached
            "LF750", "LF751", // the tests broken by LF702
            "LF801",
        ])
    );
}
