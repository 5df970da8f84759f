//! The 207 "no new access" samples from aws-samples/iam-access-analyzer-custom-policy-check-samples
//! (read from `../shared/conformance/access-analyzer-samples.json`, never copied
//! into this repository): every PASS/FAIL label must be reproduced, and every
//! FAIL must come with a concrete request the candidate allows and the
//! reference does not.
//!
//! The samples' role-trust references contain the placeholder `<ACCOUNT ID>`,
//! which the samples tell the reader to replace with their account ID "before
//! running the check"; their candidates use account `111111111111`, so that is
//! what the placeholder is replaced with here. Nothing else is changed.
//!
//! Labels we believe are wrong about AWS are listed, with the documentation
//! that says so, in `tests/prove_disputed_labels.json`; for those the test
//! expects the listed answer instead (so it still fails if the prover changes
//! its mind), and it reports them separately.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr
)]

use std::path::PathBuf;

use landform::policy::parse::policy_from_json_value;
use landform::policy::prove::{self, PolicyKind, ProofResult, ReasonKind};

fn samples_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("shared")
        .join("conformance")
        .join("access-analyzer-samples.json")
}

const PLACEHOLDER: &str = "<ACCOUNT ID>";
const SAMPLE_ACCOUNT: &str = "111111111111";

#[test]
fn access_analyzer_samples() {
    let path = samples_path();
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!(
            "\n*** SKIPPED: {} not found; the Access Analyzer conformance suite did not run ***\n",
            path.display()
        );
        return;
    };
    let disputed: Vec<serde_json::Value> =
        serde_json::from_str(include_str!("prove_disputed_labels.json")).unwrap();
    let mut disputes_seen = 0;
    let cases: Vec<serde_json::Value> = serde_json::from_str(&text).expect("samples are JSON");
    assert_eq!(cases.len(), 207, "the suite has 207 cases");
    let mut failures = Vec::new();
    let mut counts = std::collections::BTreeMap::new();
    let started = std::time::Instant::now();
    for (i, case) in cases.iter().enumerate() {
        let file = case["file"].as_str().unwrap();
        let heading = case["heading"].as_str().unwrap();
        let label = case["expected"].as_str().unwrap();
        let dispute = disputed
            .iter()
            .find(|d| d["file"] == case["file"] && d["heading"] == case["heading"]);
        let expected = match dispute {
            Some(d) => {
                assert_eq!(d["label"], label, "the disputed label changed in the suite");
                disputes_seen += 1;
                d["expected_here"].as_str().unwrap()
            }
            None => label,
        };
        let kind = if file.starts_with("resource-policies/") {
            PolicyKind::Resource
        } else {
            PolicyKind::Identity
        };
        let reference_text = case["reference"]
            .to_string()
            .replace(PLACEHOLDER, SAMPLE_ACCOUNT);
        let reference: serde_json::Value = serde_json::from_str(&reference_text).unwrap();
        let reference = policy_from_json_value(&reference)
            .unwrap_or_else(|e| panic!("case {i} ({file}): reference does not parse: {e}"));
        let candidate = policy_from_json_value(&case["candidate"])
            .unwrap_or_else(|e| panic!("case {i} ({file}): candidate does not parse: {e}"));
        let proof = prove::no_new_access(&reference, &candidate, kind);
        let got = match proof.result {
            ProofResult::Pass => "PASS",
            ProofResult::Fail => "FAIL",
        };
        let entry = counts.entry((format!("{kind:?}"), label)).or_insert((0, 0));
        entry.1 += 1;
        let concrete = proof
            .reasons
            .iter()
            .any(|r| r.kind == ReasonKind::NewAccess);
        if got == expected && (got == "PASS" || concrete) {
            // a disputed label is not counted as reproduced
            if dispute.is_none() {
                entry.0 += 1;
            }
        } else {
            failures.push(format!(
                "case {i}: {file} — {heading}\n  expected {expected}, got {got}: {}",
                serde_json::to_string(&proof.reasons).unwrap()
            ));
        }
    }
    let elapsed = started.elapsed();
    for ((kind, label), (ok, total)) in &counts {
        println!("{kind:>8} {label}: {ok}/{total} labels reproduced");
    }
    println!(
        "207 cases in {elapsed:?}; {disputes_seen} disputed label(s), see tests/prove_disputed_labels.json"
    );
    assert_eq!(
        disputes_seen,
        disputed.len(),
        "every disputed label is in the suite"
    );
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
