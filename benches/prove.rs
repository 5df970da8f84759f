//! Containment-proof benchmark: the Access Analyzer samples, synthetic
//! 50-statement policies with wildcards and conditions, and existing policies
//! whose every statement has its own condition key.
//!
//! Run with `cargo bench --bench prove` (release profile, single thread).
//! Prints one line per measurement; there are no pass/fail thresholds here.

#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use landform::policy::ast::Policy;
use landform::policy::parse::policy_from_json_value;
use landform::policy::prove::{self, PolicyKind, ReasonKind};
use serde_json::{Value, json};

fn measure<T>(budget: Duration, mut f: impl FnMut() -> T) -> (Duration, u32) {
    black_box(f());
    let start = Instant::now();
    let mut n = 0u32;
    while start.elapsed() < budget {
        black_box(f());
        n += 1;
    }
    (start.elapsed() / n.max(1), n)
}

fn policy(statements: Vec<Value>) -> Policy {
    policy_from_json_value(&json!({"Version": "2012-10-17", "Statement": statements})).unwrap()
}

const SERVICES: [&str; 10] = [
    "s3", "ec2", "iam", "kms", "sqs", "sns", "lambda", "dynamodb", "logs", "rds",
];
const VERBS: [&str; 5] = ["Get", "List", "Describe", "Put", "Delete"];

/// 50 statements: service/verb wildcards, resource wildcards, a condition on
/// one of a few keys; every fifth statement a Deny.
fn synthetic(seed: usize) -> Policy {
    let mut st = Vec::new();
    for i in 0..50 {
        let k = i + seed;
        let svc = SERVICES[k % SERVICES.len()];
        let verb = VERBS[(k / 3) % VERBS.len()];
        let mut s = json!({
            "Effect": if i % 5 == 4 { "Deny" } else { "Allow" },
            "Action": [format!("{svc}:{verb}*"), format!("{}:*", SERVICES[(k + 3) % SERVICES.len()])],
            "Resource": [format!("arn:aws:{svc}:*:*:team{}/*", k % 7)],
        });
        match k % 4 {
            0 => {
                s["Condition"] =
                    json!({"StringEquals": {"aws:RequestedRegion": ["us-east-1", "eu-west-1"]}})
            }
            1 => {
                s["Condition"] =
                    json!({"StringLike": {"aws:ResourceTag/Project": format!("p{}*", k % 5)}})
            }
            2 => {
                s["Condition"] =
                    json!({"IpAddress": {"aws:SourceIp": format!("10.{}.0.0/16", k % 9)}})
            }
            _ => {}
        }
        st.push(s);
    }
    policy(st)
}

/// An existing policy of `n` Allows, each with its own condition key, and a
/// candidate that needs every one of them ruled out at once.
fn branching(n: usize) -> (Policy, Policy) {
    let mut existing = Vec::new();
    for i in 0..n {
        existing.push(json!({
            "Effect": "Allow",
            "Action": format!("svc:Action{}*", i % 3),
            "Resource": format!("arn:aws:svc:::r{}*", i % 4),
            "Condition": {"StringNotEquals": {format!("aws:PrincipalTag/k{i}"): "x"}},
        }));
    }
    let candidate = vec![json!({"Effect": "Allow", "Action": "svc:*", "Resource": "*"})];
    (policy(existing), policy(candidate))
}

fn main() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/conformance/access-analyzer-samples.json");
    if let Ok(text) = std::fs::read_to_string(&path) {
        let cases: Vec<Value> = serde_json::from_str(&text).unwrap();
        let pairs: Vec<(Policy, Policy, PolicyKind)> = cases
            .iter()
            .map(|c| {
                let kind = if c["file"].as_str().unwrap().starts_with("resource-") {
                    PolicyKind::Resource
                } else {
                    PolicyKind::Identity
                };
                let r: Value = serde_json::from_str(
                    &c["reference"]
                        .to_string()
                        .replace("<ACCOUNT ID>", "111111111111"),
                )
                .unwrap();
                (
                    policy_from_json_value(&r).unwrap(),
                    policy_from_json_value(&c["candidate"]).unwrap(),
                    kind,
                )
            })
            .collect();
        let (t, n) = measure(Duration::from_secs(3), || {
            pairs
                .iter()
                .filter(|(a, b, k)| prove::no_new_access(a, b, *k).passed())
                .count()
        });
        println!(
            "access-analyzer samples: {} proofs in {t:?} ({:?} per proof, {n} runs)",
            pairs.len(),
            t / u32::try_from(pairs.len()).unwrap()
        );
    } else {
        println!(
            "access-analyzer samples: skipped ({} not found)",
            path.display()
        );
    }

    let (a, b) = (synthetic(0), synthetic(1));
    let proof = prove::no_new_access(&a, &b, PolicyKind::Identity);
    let (t, n) = measure(Duration::from_secs(3), || {
        prove::no_new_access(&a, &b, PolicyKind::Identity)
    });
    println!(
        "synthetic 50 vs 50 statements: {:?} with {} reasons, {t:?} per proof ({n} runs)",
        proof.result,
        proof.reasons.len()
    );
    let (t, n) = measure(Duration::from_secs(3), || {
        prove::no_new_access(&a, &a, PolicyKind::Identity)
    });
    println!("synthetic 50 statements against itself: {t:?} per proof ({n} runs)");

    for size in [8, 16, 32] {
        let (a, b) = branching(size);
        let start = Instant::now();
        let proof = prove::no_new_access(&a, &b, PolicyKind::Identity);
        let kinds: Vec<ReasonKind> = proof.reasons.iter().map(|r| r.kind).collect();
        println!(
            "{size} existing statements with one condition key each: {:?} {kinds:?} in {:?}",
            proof.result,
            start.elapsed()
        );
    }
}
