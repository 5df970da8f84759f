//! `landform access` from the command line: the three views, the four
//! formats, filters with suggestions, exit codes, determinism — on the
//! examples, checked against the library's matrix and the per-request engine.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use assert_cmd::Command;
use landform::access;
use landform::blueprint::load;
use landform::blueprint::resolve::resolve;
use landform::catalog::catalog;
use landform::org::Org;
use landform::policy::eval::Decision;
use landform::principals::{Assume, OrgEngine, Query};
use serde_json::Value;

const PAYWAVE: &str = "examples/paywave.yaml";

fn landform(args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("landform")
        .unwrap()
        .env("LANDFORM_THREADS", "2")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn json(args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let (code, out, err) = landform(&all);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).unwrap()
}

fn org(path: &str) -> Org {
    let loaded = load(Path::new(path)).unwrap();
    resolve(&loaded.blueprint, path).0.unwrap()
}

#[test]
fn overview_lists_every_principal_with_the_library_counts() {
    let org = org(PAYWAVE);
    let matrix = access::compute(&org);
    let doc = json(&["access", PAYWAVE]);
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["view"], "overview");
    let entries = doc["entries"].as_array().unwrap();
    assert_eq!(entries.len(), matrix.len());
    for (e, (principal, account, sets)) in entries.iter().zip(matrix.entries()) {
        assert_eq!(e["principal"], principal);
        assert_eq!(e["account"], account);
        let c = access::summary::totals(sets);
        assert_eq!(e["counts"]["allowed"], c.allowed);
        assert_eq!(e["counts"]["conditional"], c.conditional);
        assert_eq!(e["counts"]["denied_explicit"], c.denied_explicit);
        assert_eq!(e["counts"]["denied_implicit"], c.denied_implicit);
        assert!(e.get("services").is_none() && e.get("actions").is_none());
        let total: u64 = [
            "allowed",
            "conditional",
            "denied_explicit",
            "denied_implicit",
        ]
        .iter()
        .map(|k| e["counts"][k].as_u64().unwrap())
        .sum();
        assert_eq!(total as usize, catalog().action_count());
    }
    // human: one row per entry
    let (code, out, _) = landform(&["access", PAYWAVE]);
    assert_eq!(code, 0);
    for (principal, _, _) in matrix.entries() {
        assert!(out.contains(principal), "{principal} missing:\n{out}");
    }
}

#[test]
fn account_filter_keeps_that_account() {
    let doc = json(&["access", PAYWAVE, "--account", "payments-prod"]);
    let entries = doc["entries"].as_array().unwrap();
    assert!(!entries.is_empty());
    assert!(entries.iter().all(|e| e["account"] == "payments-prod"));
}

#[test]
fn services_view_sums_to_the_totals() {
    let doc = json(&[
        "access",
        PAYWAVE,
        "--as",
        "permission_set:ProdReadOnly@payments-prod",
    ]);
    assert_eq!(doc["view"], "services");
    let entries = doc["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 1);
    let e = &entries[0];
    let mut allowed = 0;
    let mut conditional = 0;
    for s in e["services"].as_array().unwrap() {
        for (_, c) in s["levels"].as_object().unwrap() {
            allowed += c["allowed"].as_u64().unwrap();
            conditional += c["conditional"].as_u64().unwrap();
        }
    }
    // services with no access are left out; they add nothing allowed
    assert_eq!(allowed, e["counts"]["allowed"].as_u64().unwrap());
    assert_eq!(conditional, e["counts"]["conditional"].as_u64().unwrap());
    // a bare name selects the permission set in each account it is assigned to
    let doc = json(&["access", PAYWAVE, "--as", "ProdReadOnly"]);
    let accounts: Vec<&str> = doc["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["account"].as_str().unwrap())
        .collect();
    assert_eq!(accounts, ["card-data-prod", "payments-prod"]);
}

/// The actions view names every action of the service; its statuses are the
/// engine's where the matrix is definite.
#[test]
fn actions_view_agrees_with_the_engine() {
    let org = org(PAYWAVE);
    let engine = OrgEngine::new(&org);
    for (principal, service) in [
        (
            "permission_set:SandboxAdmin@sandbox-platform",
            "organizations",
        ),
        ("role:app-admin@payments-staging", "iam"),
        ("permission_set:ProdOperator@payments-prod", "ecs"),
    ] {
        let doc = json(&["access", PAYWAVE, "--as", principal, "--service", service]);
        assert_eq!(doc["view"], "actions");
        let e = &doc["entries"][0];
        let actions = e["actions"].as_array().unwrap();
        assert_eq!(
            actions.len(),
            catalog().service(service).unwrap().action_count()
        );
        let p = landform::principals::resolve(&org, principal).unwrap();
        let mut definite = 0;
        for a in actions {
            let name = a["action"].as_str().unwrap();
            let got = engine.decide(&p, &Query::new(name, "*"), Assume::Nothing);
            match a["status"].as_str().unwrap() {
                "allowed" => assert_eq!(got, Decision::Allow, "{principal} {name}"),
                "denied_explicit" => {
                    assert_eq!(got, Decision::ExplicitDeny, "{principal} {name}");
                    assert!(a["denied_by"]["policy"].is_string());
                }
                "denied_implicit" => {
                    assert_ne!(got, Decision::Allow, "{principal} {name}");
                    assert!(a["no_allow_in"]["gate"].is_string());
                }
                "conditional" => {
                    definite -= 1;
                    let c = &a["conditions"];
                    assert!(
                        !c["keys"].as_array().unwrap().is_empty()
                            || c["resource_scoped"] == true
                            || c["principal_scoped"] == true,
                        "{a}"
                    );
                }
                other => panic!("status {other}"),
            }
            definite += 1;
        }
        assert!(
            definite > 0,
            "{principal} {service}: nothing definite to check"
        );
    }
}

#[test]
fn the_sandbox_spend_guardrail_denies_explicitly_with_its_statement() {
    let doc = json(&[
        "access",
        PAYWAVE,
        "--as",
        "permission_set:SandboxAdmin@sandbox-platform",
        "--service",
        "organizations",
    ]);
    let leave = doc["entries"][0]["actions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["action"] == "organizations:LeaveOrganization")
        .unwrap()
        .clone();
    assert_eq!(leave["status"], "denied_explicit", "{leave}");
    assert_eq!(leave["denied_by"]["gate"], "scp");
}

#[test]
fn formats_are_deterministic_and_well_formed() {
    for format in ["human", "json", "markdown", "csv"] {
        let args = [
            "access",
            PAYWAVE,
            "--as",
            "ProdOperator",
            "--service",
            "ecs",
            "--format",
            format,
        ];
        let (c1, a, _) = landform(&args);
        let (c2, b, _) = landform(&args);
        assert_eq!((c1, c2), (0, 0));
        assert_eq!(a, b, "{format} output differs between runs");
    }
    let (_, csv, _) = landform(&["access", PAYWAVE, "--format", "csv"]);
    let mut lines = csv.lines();
    let header = lines.next().unwrap();
    let columns = header.split(',').count();
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), access::compute(&org(PAYWAVE)).len());
    assert!(rows.iter().all(|r| r.split(',').count() == columns));
    let (_, md, _) = landform(&[
        "access",
        PAYWAVE,
        "--as",
        "ProdOperator",
        "--format",
        "markdown",
    ]);
    assert!(md.contains("| service | List | Read | Write | Permissions management | Tagging |"));
    // one thread or two: the same bytes
    let one = Command::cargo_bin("landform")
        .unwrap()
        .env("LANDFORM_THREADS", "1")
        .args(["access", "examples/northwind.yaml", "--format", "json"])
        .output()
        .unwrap();
    let (_, two, _) = landform(&["access", "examples/northwind.yaml", "--format", "json"]);
    assert_eq!(String::from_utf8(one.stdout).unwrap(), two);
}

#[test]
fn unknown_names_get_suggestions_and_exit_2() {
    for (args, expect) in [
        (
            vec!["--as", "permission_set:ProdReadOnli"],
            "did you mean `permission_set:ProdReadOnly`?",
        ),
        (vec!["--as", "ProdReadOnli"], "did you mean `ProdReadOnly`?"),
        (
            vec!["--account", "paymnets-prod"],
            "did you mean `payments-prod`?",
        ),
        (vec!["--service", "s4"], "did you mean `s3`?"),
        (
            vec!["--as", "permission_set:ProdReadOnly@payments-dev"],
            "is not assigned to account `payments-dev`",
        ),
        (
            vec![
                "--as",
                "permission_set:ProdReadOnly@payments-prod",
                "--account",
                "card-data-prod",
            ],
            "does not act in account `card-data-prod`",
        ),
    ] {
        let mut all = vec!["access", PAYWAVE];
        all.extend(args.iter());
        let (code, out, err) = landform(&all);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(out.is_empty());
        assert!(err.contains(expect), "{args:?}: {err}");
    }
}

#[test]
fn broken_and_missing_blueprints_exit_like_show() {
    let (code, _, _) = landform(&["access", "tests/fixtures/does-not-exist.yaml"]);
    assert_eq!(code, 2);
    // next to the example, so its `file:` policies resolve
    let file = tempfile::Builder::new()
        .suffix(".yaml")
        .tempfile_in("examples")
        .unwrap();
    let path = file.path().to_path_buf();
    let text = std::fs::read_to_string(PAYWAVE)
        .unwrap()
        .replace("scps: [sandbox-spend]", "scps: [sandbox-spent]");
    std::fs::write(&path, text).unwrap();
    let (code, out, err) = landform(&["access", path.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert!(out.is_empty());
    assert!(err.contains("sandbox-spent"), "{err}");
}

#[test]
fn services_view_snapshot() {
    let (code, out, _) = landform(&[
        "access",
        PAYWAVE,
        "--as",
        "permission_set:ProdOperator@payments-prod",
    ]);
    assert_eq!(code, 0);
    insta::assert_snapshot!(out);
}
