//! landform's own evaluation corpus (`tests/engine-corpus/*.jsonl`, the format
//! of the conformance suite): one or more cases per row of the seeds'
//! evaluation tables and per condition operator family; each case's `name`
//! says which row it encodes. Expectations come from the tables and the AWS
//! documentation, not from the engine.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use landform::policy::eval::{Decision, evaluate, explain};
use landform::policy::simulate::Simulator;

#[test]
fn engine_corpus() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/engine-corpus");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    files.sort();
    assert!(files.len() >= 8, "corpus files missing");
    let mut sim = Simulator::new();
    let mut failures = Vec::new();
    let mut total = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            total += 1;
            let case: serde_json::Value = serde_json::from_str(line).unwrap();
            let id = case["id"].as_str().unwrap();
            assert!(
                case["name"].as_str().is_some_and(|n| !n.is_empty()),
                "{id}: no name"
            );
            let loaded = sim.load(line).unwrap_or_else(|e| panic!("{id}: {e}"));
            let fast = evaluate(&loaded.policies, &loaded.request);
            let full = explain(&loaded.policies, &loaded.request);
            assert_eq!(fast, full.decision, "{id}: the two paths disagree");
            let expected = case["expected"].as_str().unwrap();
            if fast.as_str() != expected {
                failures.push(format!(
                    "{id} — {}: expected {expected}, got {}\n    {}",
                    case["name"].as_str().unwrap(),
                    fast.as_str(),
                    full.explanation.message
                ));
            }
            // every denial explains itself in AWS's words
            match fast {
                Decision::ExplicitDeny => assert!(
                    full.explanation
                        .message
                        .contains("with an explicit deny in a"),
                    "{id}: {}",
                    full.explanation.message
                ),
                Decision::ImplicitDeny => assert!(
                    full.explanation.message.contains("because"),
                    "{id}: {}",
                    full.explanation.message
                ),
                Decision::Allow => {}
            }
        }
    }
    assert!(total >= 100, "only {total} corpus cases");
    assert!(
        failures.is_empty(),
        "{} of {total} corpus cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
