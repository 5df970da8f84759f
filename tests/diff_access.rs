//! The effective-access part of `landform diff`, checked against the
//! per-request engine: a one-word change of an SCP must produce exactly the
//! gains and losses the engine sees, and nothing else.
//!
//! The edit: in a copy of the paywave example, the Sandbox OU's spend
//! guardrail (`paywave/sandbox-spend.json`) denies
//! `sagemaker:CreateNotebookInstance` instead of
//! `sagemaker:CreateTrainingJob`. The expected change is not typed in: for
//! every principal in the two Sandbox accounts and every action of the
//! catalogue, the engine ([`OrgEngine::decide`] on `Resource: *` in the home
//! region) decides on base and on head; an action whose decision went from
//! deny to allow is a gain, from allow to deny a loss. For every other
//! principal, a sample of the catalogue (and both edited actions) must
//! decide the same on both sides, and the diff must report nothing for it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use landform::catalog::catalog;
use landform::diff::{SideOptions, compile_side};
use landform::org::{Org, PrincipalRef};
use landform::policy::eval::Decision;
use landform::principals::{Assume, OrgEngine, Query};
use serde_json::Value;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn copy_paywave(dir: &Path, sub: &str) -> PathBuf {
    let to = dir.join(sub);
    std::fs::create_dir_all(to.join("paywave")).unwrap();
    std::fs::copy(
        repo().join("examples/paywave.yaml"),
        to.join("paywave.yaml"),
    )
    .unwrap();
    std::fs::copy(
        repo().join("examples/paywave/sandbox-spend.json"),
        to.join("paywave/sandbox-spend.json"),
    )
    .unwrap();
    to
}

/// Every principal of the organization with the name the diff uses
/// (`permission_set:NAME`, `role:NAME`, `user:NAME`) and its account.
fn principals(org: &Org) -> Vec<(PrincipalRef, String, String)> {
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for a in &org.assignments {
        if seen.insert((a.permission_set, a.account)) {
            out.push((
                PrincipalRef::PermissionSet {
                    permission_set: a.permission_set,
                    account: a.account,
                },
                format!(
                    "permission_set:{}",
                    org.permission_set(a.permission_set).name
                ),
                org.account(a.account).name.clone(),
            ));
        }
    }
    for r in &org.roles {
        out.push((
            PrincipalRef::Role { role: r.id },
            format!("role:{}", r.name),
            org.account(r.account).name.clone(),
        ));
    }
    out
}

fn allows(engine: &OrgEngine<'_>, p: &PrincipalRef, action: &str, region: &str) -> bool {
    let q = Query::new(action, "*").with("aws:RequestedRegion", region);
    engine.decide(p, &q, Assume::Nothing) == Decision::Allow
}

#[test]
fn a_one_word_scp_change_gains_and_loses_exactly_what_the_engine_decides() {
    let tmp = tempfile::tempdir().unwrap();
    let base_dir = copy_paywave(tmp.path(), "base");
    let head_dir = copy_paywave(tmp.path(), "head");
    let policy = head_dir.join("paywave/sandbox-spend.json");
    let text = std::fs::read_to_string(&policy).unwrap();
    assert_eq!(text.matches("sagemaker:CreateTrainingJob").count(), 1);
    std::fs::write(
        &policy,
        text.replace(
            "sagemaker:CreateTrainingJob",
            "sagemaker:CreateNotebookInstance",
        ),
    )
    .unwrap();

    // what the diff says
    let out = Command::cargo_bin("landform")
        .unwrap()
        .current_dir(tmp.path())
        .args([
            "diff",
            "base/paywave.yaml",
            "head/paywave.yaml",
            "--format",
            "json",
            "--no-checks",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["summary"]["access"]["compared"], true);
    let mut reported: BTreeSet<(String, String, String, bool)> = BTreeSet::new();
    for g in doc["access"].as_array().unwrap() {
        assert_eq!(g["presence"], "both");
        for acct in g["accounts"].as_array().unwrap() {
            for (list, gained) in [(&g["gained"], true), (&g["lost"], false)] {
                for c in list.as_array().unwrap() {
                    reported.insert((
                        g["principal"].as_str().unwrap().to_string(),
                        acct.as_str().unwrap().to_string(),
                        c["action"].as_str().unwrap().to_string(),
                        gained,
                    ));
                }
            }
        }
    }

    // what the engine says
    let opts = SideOptions {
        skip_checks: true,
        ..SideOptions::default()
    };
    let base = compile_side(&base_dir.join("paywave.yaml"), &opts).unwrap();
    let head = compile_side(&head_dir.join("paywave.yaml"), &opts).unwrap();
    let (be, he) = (OrgEngine::new(&base.org), OrgEngine::new(&head.org));
    let region = base.org.home_region.clone();
    let bp = principals(&base.org);
    let hp = principals(&head.org);
    assert_eq!(
        bp.iter().map(|p| (&p.1, &p.2)).collect::<Vec<_>>(),
        hp.iter().map(|p| (&p.1, &p.2)).collect::<Vec<_>>(),
        "the edit changes no principal"
    );
    let sandbox: BTreeSet<&str> = base
        .org
        .accounts
        .iter()
        .filter(|a| base.org.ou(a.ou).path == "Sandbox")
        .map(|a| a.name.as_str())
        .collect();
    assert_eq!(sandbox.len(), 2);
    let mut expected: BTreeSet<(String, String, String, bool)> = BTreeSet::new();
    let edited = [
        "sagemaker:CreateTrainingJob",
        "sagemaker:CreateNotebookInstance",
    ];
    for ((b, name, acct), (h, _, _)) in bp.iter().zip(&hp) {
        let full = sandbox.contains(acct.as_str());
        for (i, a) in catalog().actions().enumerate() {
            let action = a.full_name();
            if !full && i % 97 != 0 && !edited.contains(&action.as_str()) {
                continue;
            }
            let (was, is) = (
                allows(&be, b, &action, &region),
                allows(&he, h, &action, &region),
            );
            if was != is {
                assert!(full, "{name}@{acct} {action} changed outside the Sandbox");
                expected.insert((name.clone(), acct.clone(), action, is));
            }
        }
    }
    // the engine sees the edit
    assert!(!expected.is_empty());
    assert!(expected.iter().any(|e| e.2 == edited[0] && e.3));
    assert!(expected.iter().any(|e| e.2 == edited[1] && !e.3));
    assert_eq!(reported, expected);
}
