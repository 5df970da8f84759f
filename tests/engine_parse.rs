//! The policy parser against real documents: every policy in the conformance
//! corpus parses, and printing it gives a document that parses to the same AST.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use landform::policy::parse::{parse_policy, policy_from_json_value, to_json_value};

fn corpus() -> Option<String> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()?
        .join("shared/conformance/iam-simulate-core.jsonl");
    std::fs::read_to_string(path).ok()
}

fn policies_of(case: &serde_json::Value) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    let mut push = |v: &serde_json::Value| {
        if v.is_object() {
            out.push(v.clone());
        }
    };
    for f in [
        "identity_policies",
        "permission_boundaries",
        "vpc_endpoint_policies",
    ] {
        for p in case[f].as_array().into_iter().flatten() {
            push(p);
        }
    }
    for f in ["session_policy", "resource_policy"] {
        push(&case[f]);
    }
    for f in ["scp_levels", "rcp_levels"] {
        for level in case[f].as_array().into_iter().flatten() {
            for p in level.as_array().into_iter().flatten() {
                push(p);
            }
        }
    }
    out
}

#[test]
fn every_conformance_policy_parses_and_round_trips() {
    let Some(text) = corpus() else {
        eprintln!("SKIPPED: ../shared/conformance/iam-simulate-core.jsonl not found");
        return;
    };
    let mut n = 0;
    for line in text.lines() {
        let case: serde_json::Value = serde_json::from_str(line).unwrap();
        for p in policies_of(&case) {
            let raw = serde_json::to_string_pretty(&p).unwrap();
            let parsed =
                parse_policy(&raw).unwrap_or_else(|e| panic!("{}: {e}\n{raw}", case["id"]));
            let printed = to_json_value(&parsed);
            let again = policy_from_json_value(&printed).unwrap();
            assert_eq!(to_json_value(&again), printed);
            assert_eq!(again.statements.len(), parsed.statements.len());
            n += 1;
        }
    }
    assert!(n > 500, "only {n} policies found");
}
