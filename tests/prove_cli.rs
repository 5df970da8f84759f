//! `landform prove` end to end: output shapes, exit codes, located errors.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use assert_cmd::Command;
use predicates::prelude::*;

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> String {
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

const BOUNDARY: &str = r#"{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": ["s3:*", "logs:*"], "Resource": "*"},
  {"Sid": "NoUsers", "Effect": "Deny", "Action": "iam:CreateUser", "Resource": "*"}
]}"#;

const BROAD: &str = r#"{"Version": "2012-10-17", "Statement": [
  {"Sid": "Everything", "Effect": "Allow", "Action": "iam:*", "Resource": "*"}
]}"#;

const NARROW: &str = r#"{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}
]}"#;

fn landform() -> Command {
    Command::cargo_bin("landform").unwrap()
}

#[test]
fn no_new_access_json_fail_exits_1_with_a_witness() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(&dir, "a.json", BOUNDARY);
    let b = write(&dir, "b.json", BROAD);
    let out = landform()
        .args([
            "prove",
            "no-new-access",
            "--existing",
            &a,
            "--candidate",
            &b,
            "--format",
            "json",
        ])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["result"], "FAIL");
    let r = &v["reasons"][0];
    assert_eq!(r["kind"], "new_access");
    assert_eq!(r["statement"], "Everything");
    assert!(r["action"].as_str().unwrap().starts_with("iam:"));
    assert!(
        r["description"]
            .as_str()
            .unwrap()
            .contains("`Everything` allows")
    );
}

#[test]
fn no_new_access_pass_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(&dir, "a.json", BOUNDARY);
    let b = write(&dir, "b.json", NARROW);
    landform()
        .args([
            "prove",
            "no-new-access",
            "--existing",
            &a,
            "--candidate",
            &b,
            "--format",
            "json",
        ])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(r#""result": "PASS""#))
        .stdout(predicate::str::contains(r#""reasons": []"#));
    landform()
        .args([
            "prove",
            "no-new-access",
            "--existing",
            &a,
            "--candidate",
            &b,
        ])
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with("PASS: "));
}

#[test]
fn access_not_granted_human_and_json() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(&dir, "p.json", BOUNDARY);
    landform()
        .args([
            "prove",
            "access-not-granted",
            "--policy",
            &p,
            "--action",
            "iam:CreateUser",
        ])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("never allows `iam:CreateUser`"));
    let out = landform()
        .args([
            "prove",
            "access-not-granted",
            "--policy",
            &p,
            "--action",
            "s3:DeleteObject",
            "--resource",
            "arn:aws:s3:::prod/*",
            "--format",
            "json",
        ])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["reasons"][0]["kind"], "access_granted");
    assert_eq!(v["reasons"][0]["action"], "s3:DeleteObject");
    assert!(
        v["reasons"][0]["resource"]
            .as_str()
            .unwrap()
            .starts_with("arn:aws:s3:::prod/")
    );
}

#[test]
fn resource_policies_report_the_principal() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(
        &dir,
        "a.json",
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}"#,
    );
    let b = write(
        &dir,
        "b.json",
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::333333333333:root"}, "Action": "sts:AssumeRole"}]}"#,
    );
    landform()
        .args([
            "prove",
            "no-new-access",
            "--existing",
            &a,
            "--candidate",
            &b,
            "--policy-type",
            "resource",
        ])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "principal  AWS arn:aws:iam::333333333333:root",
        ));
}

#[test]
fn invalid_policies_exit_2_with_a_location() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(&dir, "a.json", BOUNDARY);
    let bad = write(
        &dir,
        "bad.json",
        "{\"Version\": \"2012-10-17\",\n \"Statement\": [{\"Effect\": \"allow\", \"Action\": \"s3:*\", \"Resource\": \"*\"}]}",
    );
    landform()
        .args([
            "prove",
            "no-new-access",
            "--existing",
            &a,
            "--candidate",
            &bad,
        ])
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains("bad.json:2:"))
        .stderr(predicate::str::contains("allow"));
    landform()
        .args([
            "prove",
            "no-new-access",
            "--existing",
            &a,
            "--candidate",
            "/nonexistent/b.json",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "cannot read `/nonexistent/b.json`",
        ));
}
