//! The iam-simulate core conformance suite (`../shared/conformance/
//! iam-simulate-core.jsonl`): every case not tagged `discovery-mode` must give
//! the expected decision — except the cases listed in
//! `tests/conformance-disagreements.json`, where the suite disagrees with AWS's
//! documentation; for those the test asserts the decision the documentation
//! gives. Skips (loudly) when the suite is absent, as on a user's machine.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::PathBuf;

use landform::policy::eval::{decide, evaluate, explain};
use landform::policy::simulate::Simulator;

fn suite() -> Option<String> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()?
        .join("shared/conformance/iam-simulate-core.jsonl");
    std::fs::read_to_string(path).ok()
}

fn disagreements() -> BTreeMap<String, String> {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/conformance-disagreements.json");
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|d| {
            assert!(
                d["aws_documentation"]
                    .as_str()
                    .is_some_and(|s| s.starts_with("https://")),
                "every disagreement cites AWS documentation: {d}"
            );
            assert!(d["reasoning"].as_str().is_some_and(|s| s.len() > 40));
            (
                d["id"].as_str().unwrap().to_string(),
                d["aws_decision"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn iam_simulate_core_suite() {
    let Some(text) = suite() else {
        let _ = std::io::Write::write_all(
            &mut std::io::stderr(),
            b"\n*** SKIPPED conformance: ../shared/conformance/iam-simulate-core.jsonl not found ***\n\n",
        );
        return;
    };
    let overrides = disagreements();
    let mut sim = Simulator::new();
    let mut per_tag: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut failures = Vec::new();
    let mut run = 0;
    let mut used_overrides = 0;
    let mut as_suite_says = 0;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let case: serde_json::Value = serde_json::from_str(line).unwrap();
        let tags: Vec<String> = case["tags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap().to_string())
            .collect();
        if tags.iter().any(|t| t == "discovery-mode") {
            continue;
        }
        run += 1;
        let id = case["id"].as_str().unwrap();
        let suite_expected = case["expected"].as_str().unwrap();
        let expected = match overrides.get(id) {
            Some(aws) => {
                used_overrides += 1;
                aws.as_str()
            }
            None => suite_expected,
        };
        let loaded = sim.load(line).unwrap_or_else(|e| panic!("{id}: {e}"));
        let fast = evaluate(&loaded.policies, &loaded.request);
        let full = explain(&loaded.policies, &loaded.request);
        assert_eq!(
            fast, full.decision,
            "{id}: fast and explaining paths disagree"
        );
        assert_eq!(decide(&loaded.policies, &loaded.request).decision, fast);
        let ok = fast.as_str() == expected;
        if fast.as_str() == suite_expected {
            as_suite_says += 1;
        }
        let keys = if tags.is_empty() {
            vec!["(untagged)".to_string()]
        } else {
            tags
        };
        for t in keys {
            let e = per_tag.entry(t).or_default();
            e.1 += 1;
            if ok {
                e.0 += 1;
            }
        }
        if !ok {
            failures.push(format!(
                "{id} ({}): expected {expected}, got {}\n    {}",
                case["name"].as_str().unwrap_or(""),
                fast.as_str(),
                full.explanation.message
            ));
        }
    }
    // written straight to stderr (not captured by the test harness) so CI logs show it
    let mut summary =
        format!("conformance iam-simulate-core: {run} cases (discovery-mode skipped)\n");
    for (tag, (pass, total)) in &per_tag {
        summary.push_str(&format!("  {tag:<28} {pass}/{total}\n"));
    }
    summary.push_str(&format!(
        "  identical to the suite's own expectation: {as_suite_says}/{run}\n"
    ));
    summary.push_str(&format!(
        "  documented disagreements with the suite (tests/conformance-disagreements.json): {used_overrides}\n"
    ));
    let _ = std::io::Write::write_all(&mut std::io::stderr(), summary.as_bytes());
    assert_eq!(run, 359, "the suite changed size");
    assert_eq!(
        used_overrides,
        overrides.len(),
        "a listed disagreement no longer exists"
    );
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
