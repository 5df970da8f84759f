//! `landform show`: golden outputs, the JSON/YAML document, exit codes.
//!
//! Regenerate the golden files with `LANDFORM_BLESS=1 cargo test --test show`
//! and review the diff.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

const KITCHEN: &str = "tests/fixtures/compile/kitchen.yaml";

/// The blueprints whose `show` output is pinned: the compile fixture and the
/// examples.
fn blueprints() -> Vec<(&'static str, &'static str)> {
    let mut list = vec![("kitchen", KITCHEN)];
    for (name, path) in [
        ("paywave", "examples/paywave.yaml"),
        ("northwind", "examples/northwind.yaml"),
    ] {
        if Path::new(path).exists() {
            list.push((name, path));
        }
    }
    list
}

fn show(args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("landform")
        .unwrap()
        .arg("show")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn golden(name: &str, actual: &str) {
    let path = Path::new("tests/golden/compile/show").join(name);
    if std::env::var_os("LANDFORM_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "{} is missing: run `LANDFORM_BLESS=1 cargo test --test show`",
            path.display()
        )
    });
    assert!(
        expected == actual,
        "{} differs from `landform show`; if the change is intended, regenerate with LANDFORM_BLESS=1 and review the diff",
        path.display()
    );
}

#[test]
fn human_json_and_yaml_outputs_are_pinned() {
    for (name, path) in blueprints() {
        let (code, out, err) = show(&[path, "--what", "all"]);
        assert_eq!(code, 0, "{name}: {err}");
        golden(&format!("{name}.all.txt"), &out);
        if name == "northwind" {
            // 140 accounts: the human form pins every document; the JSON (800 KB)
            // is checked structurally below instead of byte for byte
            continue;
        }
        let (code, out, _) = show(&[path, "--what", "all", "--format", "json"]);
        assert_eq!(code, 0);
        golden(&format!("{name}.all.json"), &out);
        let (code, out, _) = show(&[path, "--what", "roles", "--format", "yaml"]);
        assert_eq!(code, 0);
        golden(&format!("{name}.roles.yaml"), &out);
    }
}

#[test]
fn the_human_tree_draws_the_ou_hierarchy_with_policies_per_level() {
    let (code, out, _) = show(&[KITCHEN]);
    assert_eq!(code, 0);
    assert!(
        out.contains("Root  · SCP landform-guardrails-root\n"),
        "{out}"
    );
    assert!(out.contains("├── management  (management account; SCPs do not apply)\n"));
    assert!(out.contains("└── Workloads/  · SCP landform-guardrails-ou-workloads\n"));
    assert!(out.contains("    └── Prod/  · SCP deny-risky-prod\n"));
    assert!(out.contains("        └── Cards/\n            └── cards-prod\n"));
    assert!(out.contains("├── Suspended/  · SCP deny-all  · FullAWSAccess detached\n"));
    // the default is the tree only
    assert!(!out.contains("Assignments"));
}

#[test]
fn every_policy_names_the_blueprint_line_that_made_it() {
    let (code, out, _) = show(&[KITCHEN, "--what", "policies"]);
    assert_eq!(code, 0);
    let text = std::fs::read_to_string(KITCHEN).unwrap();
    let line_of = |needle: &str| {
        text.lines()
            .position(|l| l.contains(needle))
            .map(|i| i + 1)
            .unwrap()
    };
    for (policy, needle) in [
        ("team-boundary", "  team-boundary:"),
        ("landform-delegation", "  team-app:"),
        ("abac-project-data", "    abac-project-data:"),
    ] {
        let expected = format!("kitchen.yaml:{}", line_of(needle));
        let block = out
            .split("\n── ")
            .find(|b| b.starts_with(&format!("{policy} ──")))
            .unwrap_or_else(|| panic!("no block for {policy}"));
        assert!(block.contains(&expected), "{policy}: {block}");
    }
    // merged guardrails list each guardrail's own line
    let block = out
        .split("\n── ")
        .find(|b| b.starts_with("landform-guardrails-ou-workloads ──"))
        .unwrap();
    let region = format!(
        "guardrails.region_lock ({KITCHEN}:{})",
        line_of("attach: [Workloads, Sandbox]")
    );
    assert!(block.contains(&region), "{block}");
}

#[test]
fn json_sections_follow_what_and_origins_carry_locations() {
    let (code, out, _) = show(&[KITCHEN, "--what", "assignments", "--format", "json"]);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["landform_show"], 1);
    assert_eq!(v["what"], "assignments");
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    for k in [
        "accounts",
        "policies",
        "groups",
        "users",
        "permission_sets",
        "assignments",
    ] {
        assert!(keys.contains(&k), "{k} missing");
    }
    for k in ["ous", "attachments", "roles", "break_glass", "tests"] {
        assert!(!keys.contains(&k), "{k} should not be there");
    }
    // ids index the arrays
    let a = &v["assignments"][0];
    let account = &v["accounts"][a["account"].as_u64().unwrap() as usize];
    assert_eq!(account["id"], a["account"]);
    assert!(a["origin"]["line"].as_u64().unwrap() > 0);
    assert_eq!(a["origin"]["file"], KITCHEN);
}

#[test]
fn every_origin_points_into_the_blueprint() {
    for (name, path) in blueprints() {
        let (code, out, _) = show(&[path, "--what", "all", "--format", "json"]);
        assert_eq!(code, 0);
        let v: Value = serde_json::from_str(&out).unwrap();
        let mut missing = Vec::new();
        let mut count = 0;
        for (section, list) in v.as_object().unwrap() {
            let Some(list) = list.as_array() else {
                continue;
            };
            for (i, item) in list.iter().enumerate() {
                let Some(origin) = item.get("origin") else {
                    continue;
                };
                count += 1;
                // the root OU is the only element no blueprint line makes
                let is_root = section == "ous" && i == 0;
                if origin.get("line").is_none() && !is_root {
                    missing.push(format!("{section}[{i}] {}", origin["construct"]));
                }
            }
        }
        assert!(count > 20, "{name}");
        assert!(missing.is_empty(), "{name}: {missing:#?}");
    }
}

#[test]
fn yaml_is_the_same_document_as_json() {
    for what in ["tree", "policies", "assignments", "roles", "all"] {
        let (_, json, _) = show(&[KITCHEN, "--what", what, "--format", "json"]);
        let (_, yaml, _) = show(&[KITCHEN, "--what", what, "--format", "yaml"]);
        let from_json: Value = serde_json::from_str(&json).unwrap();
        let from_yaml: Value = serde_saphyr::from_str(&yaml).unwrap();
        assert_eq!(from_json, from_yaml, "--what {what}");
    }
}

#[test]
fn exit_codes() {
    // unreadable
    let (code, out, err) = show(&["tests/fixtures/compile/no-such-file.yaml"]);
    assert_eq!(code, 2, "{err}");
    assert!(out.is_empty());
    assert!(!err.is_empty());
    // not YAML at all
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.yaml");
    std::fs::write(&bad, "organization: [unclosed\n").unwrap();
    let (code, _, _) = show(&[bad.to_str().unwrap()]);
    assert_eq!(code, 2);
    // compiles to an SCP that is too long: exit 1, diagnostics on stderr
    let long: Vec<String> = (0..150)
        .map(|i| format!("ec2:DescribeSomethingQuiteLong{i:03}"))
        .collect();
    let text = std::fs::read_to_string(KITCHEN).unwrap().replace(
        "    exempt_principals: [AWSControlTowerExecution]\n",
        &format!(
            "    exempt_principals: [AWSControlTowerExecution]\n    exempt_actions: [{}]\n",
            long.join(", ")
        ),
    );
    let big = dir.path().join("big.yaml");
    std::fs::write(&big, text).unwrap();
    let (code, out, err) = show(&[big.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(out.is_empty());
    assert!(err.contains("LF501"), "{err}");
}

#[test]
fn output_is_byte_identical_across_runs() {
    let a = show(&[KITCHEN, "--what", "all", "--format", "json"]);
    let b = show(&[KITCHEN, "--what", "all", "--format", "json"]);
    assert_eq!(a, b);
}
