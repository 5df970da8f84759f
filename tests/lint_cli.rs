//! `landform lint` end to end: output formats and exit codes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use assert_cmd::Command;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/lint")
        .join(name)
}

fn lint(args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("landform")
        .unwrap()
        .arg("lint")
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn path(name: &str) -> String {
    fixture(name).display().to_string()
}

#[test]
fn clean_policy_exits_zero() {
    let (code, out, _) = lint(&[
        &path("clean-team-boundary.boundary.json"),
        "--policy-type",
        "boundary",
    ]);
    assert_eq!(code, 0, "{out}");
    assert!(out.trim_end().ends_with("no problems found"), "{out}");
}

#[test]
fn errors_exit_one_with_location_and_suggestion() {
    let (code, out, _) = lint(&[&path("PL102.identity.json")]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("PL102"), "{out}");
    assert!(out.contains("PL102.identity.json:4:36"), "{out}");
    assert!(out.contains("did you mean `s3:GetObject`?"), "{out}");
    assert!(out.contains("Access Analyzer class: ERROR"), "{out}");
}

#[test]
fn json_format_is_machine_readable() {
    let (code, out, _) = lint(&[&path("PL102.identity.json"), "--format", "json"]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let d = &v["diagnostics"][0];
    assert_eq!(d["code"], "PL102");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["line"], 4);
    assert_eq!(d["column"], 36);
    assert_eq!(d["help"], "did you mean `s3:GetObject`?");
    assert_eq!(v["summary"]["errors"], 2);
}

#[test]
fn warnings_fail_only_with_deny_warnings() {
    let file = path("PL503.identity.json");
    assert_eq!(lint(&[&file]).0, 0);
    assert_eq!(lint(&[&file, "--deny-warnings"]).0, 1);
    // a security warning counts as a warning
    let file = path("PL301.resource.json");
    assert_eq!(lint(&[&file, "--policy-type", "resource"]).0, 0);
    assert_eq!(
        lint(&[&file, "--policy-type", "resource", "--deny-warnings"]).0,
        1
    );
    // suggestions never fail a run
    let file = path("PL104.identity.json");
    assert_eq!(lint(&[&file, "--deny-warnings"]).0, 0);
}

#[test]
fn policy_type_changes_the_rules() {
    // a principal is fine in a resource policy, an error in an SCP
    let file = path("PL005.scp.json");
    assert_eq!(lint(&[&file, "--policy-type", "scp"]).0, 1);
    let (code, out, _) = lint(&[&file, "--policy-type", "resource"]);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn invalid_policy_grammar_is_an_error_finding() {
    let (code, out, _) = lint(&[&path("PL000.identity.json")]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("PL000"), "{out}");
    assert!(out.contains("write `Allow`"), "{out}");
}

#[test]
fn unreadable_input_exits_two() {
    let dir = tempfile::tempdir().unwrap();
    let not_json = dir.path().join("broken.json");
    std::fs::write(&not_json, "{\"Version\": \"2012-10-17\",").unwrap();
    let (code, out, _) = lint(&[not_json.to_str().unwrap()]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("not valid JSON"), "{out}");

    let (code, _, err) = lint(&[dir.path().join("missing.json").to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot read"), "{err}");
}
