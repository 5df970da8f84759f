//! `landform check` and `landform explain` from the command line: exit codes,
//! the four report formats (the SARIF validated against the published SARIF
//! 2.1.0 schema, a copy of which is `tests/sarif-schema-2.1.0.json`), and
//! determinism.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use assert_cmd::Command;
use serde_json::Value;

fn landform(args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("landform")
        .unwrap()
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn sarif_validator() -> jsonschema::Validator {
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string("tests/sarif-schema-2.1.0.json").unwrap())
            .unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

#[test]
fn exit_codes_follow_validate() {
    // findings at error level
    let (code, out, _) = landform(&["check", "tests/fixtures/checks/LF770.yaml"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("LF770"), "{out}");
    // warnings only: 0, or 1 with --deny-warnings
    let (code, out, _) = landform(&["check", "tests/fixtures/checks/LF771.yaml"]);
    assert_eq!(code, 0, "{out}");
    let (code, _, _) = landform(&[
        "check",
        "tests/fixtures/checks/LF771.yaml",
        "--deny-warnings",
    ]);
    assert_eq!(code, 1);
    // clean
    let (code, out, _) = landform(&[
        "check",
        "tests/fixtures/checks/clean.yaml",
        "--deny-warnings",
    ]);
    assert_eq!(code, 0, "{out}");
    // unreadable input
    let (code, out, _) = landform(&["check", "tests/fixtures/checks/no-such-file.yaml"]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("LF001"), "{out}");
    // a failing test is an error
    let (code, out, _) = landform(&["check", "tests/fixtures/checks/LF801.yaml"]);
    assert_eq!(code, 1);
    assert!(
        out.contains("FAIL read-only engineers cannot read the bucket"),
        "{out}"
    );
}

#[test]
fn json_is_stable_and_complete() {
    let (code, out, _) = landform(&[
        "check",
        "tests/fixtures/checks/LF801.yaml",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["version"], 1);
    assert_eq!(v["tool"]["name"], "landform");
    assert_eq!(v["stage"], "complete");
    assert_eq!(v["blueprint"], "tests/fixtures/checks/LF801.yaml");
    assert_eq!(v["summary"]["errors"], 1);
    assert_eq!(v["summary"]["tests"]["total"], 2);
    assert_eq!(v["summary"]["tests"]["failed"], 1);
    let d = &v["diagnostics"][0];
    assert_eq!(d["code"], "LF801");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["file"], "tests/fixtures/checks/LF801.yaml");
    assert_eq!(d["line"], 12);
    assert!(
        d["notes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n.as_str().unwrap().contains("engine trace"))
    );
    let t = &v["tests"][0];
    assert_eq!(t["as"], "permission_set:ProdReadOnly@app-prod");
    assert_eq!(t["expect"], "deny");
    assert_eq!(t["decision"], "allow");
    assert_eq!(t["status"], "failed");
    assert_eq!(t["line"], 12);
    assert_eq!(v["tests"][1]["status"], "passed");
    assert_eq!(
        v["checks_run"].as_array().unwrap().len(),
        landform::checks::checks().len()
    );
    // a blueprint that does not validate: stage says so, checks did not run
    let (code, out, _) = landform(&[
        "check",
        "tests/fixtures/checks/no-such-file.yaml",
        "--format",
        "json",
    ]);
    assert_eq!(code, 2);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["stage"], "validate");
    assert!(v["checks_run"].as_array().unwrap().is_empty());
}

#[test]
fn sarif_validates_against_the_published_schema() {
    let validator = sarif_validator();
    for path in [
        "examples/paywave.yaml",
        "examples/northwind.yaml",
        "tests/fixtures/checks/LF801.yaml",
        "tests/fixtures/checks/LF750.yaml",
        "tests/fixtures/checks/LF735.yaml",
        "tests/fixtures/checks/clean.yaml",
        "tests/fixtures/checks/no-such-file.yaml",
        "tests/fixtures/broken-paywave/blueprint.yaml",
    ] {
        let (_, out, _) = landform(&["check", path, "--format", "sarif"]);
        let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{path}: {e}\n{out}"));
        let errors: Vec<String> = validator
            .iter_errors(&v)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{path}: {errors:#?}");
        // what GitHub code scanning needs beyond the schema: every result names
        // a rule of the driver, at its index, and has a location
        let run = &v["runs"][0];
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        for r in run["results"].as_array().unwrap() {
            let i = r["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rules[i]["id"], r["ruleId"], "{path}");
            assert!(!r["locations"].as_array().unwrap().is_empty(), "{path}");
            let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap();
            assert!(!uri.starts_with('/'), "{path}: relative URIs: {uri}");
        }
        // rule metadata comes from the check docs
        let lf710 = rules.iter().find(|r| r["id"] == "LF710").unwrap();
        assert!(
            lf710["help"]["markdown"]
                .as_str()
                .unwrap()
                .contains("## What it does")
        );
    }
    // a deliberately broken document fails the schema, so the test can fail
    let (_, out, _) = landform(&[
        "check",
        "tests/fixtures/checks/LF801.yaml",
        "--format",
        "sarif",
    ]);
    let mut v: Value = serde_json::from_str(&out).unwrap();
    v["runs"][0]["results"][0]["level"] = Value::String("fatal".into());
    assert!(!validator.is_valid(&v));
}

#[test]
fn markdown_reads_as_a_pull_request_comment() {
    let (_, out, _) = landform(&[
        "check",
        "tests/fixtures/checks/LF801.yaml",
        "--format",
        "markdown",
    ]);
    assert!(
        out.starts_with("### landform check — `tests/fixtures/checks/LF801.yaml`"),
        "{out}"
    );
    assert!(out.contains("❌ **landform check failed**"), "{out}");
    assert!(out.contains("| errors | 1 |"), "{out}");
    assert!(out.contains("| error | `LF801` | 1 |"), "{out}");
    assert!(out.contains("#### Errors"), "{out}");
    assert!(
        out.contains("`tests/fixtures/checks/LF801.yaml:12`"),
        "{out}"
    );
    assert!(
        out.contains("<details><summary>engine trace</summary>"),
        "{out}"
    );
    assert!(
        out.contains("| ❌ | read-only engineers cannot read the bucket |"),
        "{out}"
    );
    insta::assert_snapshot!("markdown_LF801", out);
    let (_, clean, _) = landform(&[
        "check",
        "tests/fixtures/checks/clean.yaml",
        "--format",
        "markdown",
    ]);
    assert!(clean.contains("✅ **landform check passed**"), "{clean}");
}

#[test]
fn output_is_deterministic() {
    for format in ["human", "json", "sarif", "markdown"] {
        let a = landform(&["check", "examples/northwind.yaml", "--format", format]).1;
        let b = landform(&["check", "examples/northwind.yaml", "--format", format]).1;
        assert_eq!(a, b, "{format}");
    }
}

#[test]
fn explain_prints_the_trace_through_every_level() {
    let (code, out, err) = landform(&[
        "explain",
        "examples/paywave.yaml",
        "--as",
        "permission_set:SandboxAdmin@sandbox-platform",
        "--action",
        "ec2:DescribeInstances",
        "--context",
        "aws:RequestedRegion=eu-west-1",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with(
            "as:       permission_set:SandboxAdmin@sandbox-platform (account sandbox-platform)"
        ),
        "{out}"
    );
    assert!(out.contains("decision: ExplicitDeny"), "{out}");
    assert!(
        out.contains("with an explicit deny in a service control policy"),
        "{out}"
    );
    for level in [
        "level Root:",
        "level Root → Sandbox:",
        "level account sandbox-platform:",
    ] {
        assert!(out.contains(level), "{level}: {out}");
    }
    assert!(out.contains("identity-based policies: allows"), "{out}");
    assert!(out.contains("aws-managed:AdministratorAccess"), "{out}");
    // JSON
    let (code, out, _) = landform(&[
        "explain",
        "examples/paywave.yaml",
        "--as",
        "role:app-admin@payments-staging",
        "--action",
        "s3:GetObject",
        "--resource",
        "arn:aws:s3:::paywave-staging-data/report.csv",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["decision"], "Allow");
    assert_eq!(v["principal"], "role:app-admin@payments-staging");
    assert!(
        v["caller_arn"]
            .as_str()
            .unwrap()
            .contains(":assumed-role/app-admin/")
    );
    let gates: Vec<&str> = v["trace"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["gate"].as_str().unwrap())
        .collect();
    assert!(gates.contains(&"permissions-boundary"), "{gates:?}");
}

#[test]
fn explain_names_principals_with_suggestions() {
    let (code, _, err) = landform(&[
        "explain",
        "examples/paywave.yaml",
        "--as",
        "permission_set:ProdReadOnli@card-data-prod",
        "--action",
        "s3:GetObject",
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("there is no permission set `ProdReadOnli`"),
        "{err}"
    );
    assert!(
        err.contains("did you mean `permission_set:ProdReadOnly@card-data-prod`?"),
        "{err}"
    );
    let (code, _, err) = landform(&[
        "explain",
        "examples/paywave.yaml",
        "--as",
        "permission_set:ProdReadOnly@payments-dev",
        "--action",
        "s3:GetObject",
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("is not assigned to account `payments-dev`"),
        "{err}"
    );
    let (code, _, err) = landform(&[
        "explain",
        "examples/paywave.yaml",
        "--as",
        "user:alice-breakglass",
        "--action",
        "s3:GetObject",
        "--context",
        "nokeyvalue",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("is not `key=value`"), "{err}");
}
