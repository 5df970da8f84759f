//! `landform simulate` from the outside: exit codes, output shapes, errors.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use assert_cmd::Command;
use predicates::prelude::*;

fn landform() -> Command {
    Command::cargo_bin("landform").unwrap()
}

const GOOD: &str = r#"{"id": "r1", "request": {"principal": "arn:aws:iam::111111111111:user/alice",
  "action": "s3:GetObject", "resource": "arn:aws:s3:::bucket/key", "resource_account": "111111111111",
  "context": {}},
  "identity_policies": [{"Version": "2012-10-17", "Statement": [{"Sid": "Read", "Effect": "Allow",
    "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*"}]}],
  "scp_levels": [[{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}],
                 [{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]},
                  {"Id": "deny-deletes", "Version": "2012-10-17", "Statement": [{"Sid": "NoDelete", "Effect": "Deny", "Action": "s3:Delete*", "Resource": "*"}]}]],
  "unknown_field": 1}"#;

fn file(text: &str) -> tempfile::NamedTempFile {
    let f = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(f.path(), text).unwrap();
    f
}

#[test]
fn good_request_json() {
    let f = file(GOOD);
    let out = landform()
        .args(["simulate", "--format", "json", "--request"])
        .arg(f.path())
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["decision"], "Allow");
    assert_eq!(v["id"], "r1");
    assert_eq!(v["explanation"]["statement"], "Read");
    assert!(v["trace"].as_array().unwrap().len() >= 3, "{v}");
}

#[test]
fn explicit_deny_names_the_scp_and_statement() {
    let f = file(&GOOD.replace(
        "\"s3:GetObject\", \"resource\"",
        "\"s3:DeleteObject\", \"resource\"",
    ));
    let out = landform()
        .args(["simulate", "--format", "json", "--request"])
        .arg(f.path())
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["decision"], "ExplicitDeny");
    let msg = v["explanation"]["message"].as_str().unwrap();
    assert!(
        msg.contains("with an explicit deny in a service control policy"),
        "{msg}"
    );
    assert_eq!(
        v["explanation"]["policy"], "deny-deletes",
        "the document's Id labels it"
    );
    assert_eq!(v["explanation"]["statement"], "NoDelete");
    assert_eq!(v["explanation"]["level"], "scp_levels[1]");
}

#[test]
fn human_format_prints_a_trace() {
    let f = file(GOOD);
    landform()
        .args(["simulate", "--request"])
        .arg(f.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("decision: Allow"))
        .stdout(predicate::str::contains(
            "service control policies, level scp_levels[0]: allows",
        ))
        .stdout(predicate::str::contains(
            "Allow `identity_policies[0]` statement `Read`",
        ));
}

#[test]
fn a_level_without_an_allow_denies() {
    let f = file(&GOOD.replace(
        r#"[{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]},
                  {"Id""#,
        r#"[{"Id""#,
    ));
    landform()
        .args(["simulate", "--request"])
        .arg(f.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("decision: ImplicitDeny"))
        .stdout(predicate::str::contains(
            "because no service control policy allows the s3:GetObject action (level `scp_levels[1]`)",
        ));
}

#[test]
fn missing_file_exits_2() {
    landform()
        .args([
            "simulate",
            "--format",
            "json",
            "--request",
            "/nonexistent/req.json",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "cannot read `/nonexistent/req.json`",
        ));
}

#[test]
fn not_json_exits_2() {
    let f = file("{\"request\": ");
    landform()
        .args(["simulate", "--format", "json", "--request"])
        .arg(f.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not valid JSON"));
}

#[test]
fn invalid_request_names_the_field() {
    let f = file(
        r#"{"request": {"principal": "arn:aws:iam::1:user/a", "action": 3, "resource": "*"}}"#,
    );
    landform()
        .args(["simulate", "--format", "json", "--request"])
        .arg(f.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "`request.action` must be a string",
        ));
}

#[test]
fn lowercase_allow_is_rejected_like_aws() {
    let f = file(&GOOD.replace(
        "\"Sid\": \"Read\", \"Effect\": \"Allow\"",
        "\"Sid\": \"Read\", \"Effect\": \"allow\"",
    ));
    landform()
        .args(["simulate", "--format", "json", "--request"])
        .arg(f.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "`identity_policies[0]` is not a valid policy",
        ))
        .stderr(predicate::str::contains(
            "`Statement[0].Effect`: `allow` is not an effect",
        ))
        .stderr(predicate::str::contains("write `Allow`"));
}

#[test]
fn batch_goes_on_after_a_bad_line() {
    let good = GOOD.replace('\n', " ");
    let input = format!(
        "{good}\nnot json at all\n\n{{\"id\": 7, \"request\": {{\"principal\": \"x\"}}}}\n{}\n",
        good.replace("\"r1\"", "\"r2\"").replace(
            "s3:GetObject\", \"resource\"",
            "s3:PutObject\", \"resource\""
        )
    );
    let out = landform()
        .args(["simulate", "--format", "json", "--batch", "-"])
        .write_stdin(input)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let lines: Vec<serde_json::Value> = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4, "one output per non-blank input line");
    assert_eq!(lines[0]["id"], "r1");
    assert_eq!(lines[0]["decision"], "Allow");
    assert!(
        lines[1]["error"]
            .as_str()
            .unwrap()
            .contains("not valid JSON")
    );
    assert_eq!(lines[2]["id"], 7);
    assert!(
        lines[2]["error"]
            .as_str()
            .unwrap()
            .contains("request.action"),
        "{}",
        lines[2]
    );
    assert_eq!(lines[3]["id"], "r2");
    assert_eq!(lines[3]["decision"], "ImplicitDeny");
}

#[test]
fn batch_output_is_the_same_with_two_threads() {
    // enough lines to use the threaded path
    let good = GOOD.replace('\n', " ");
    let mut input = String::new();
    for i in 0..5000 {
        let line = good.replace("\"r1\"", &format!("\"r{i}\""));
        let line = if i % 3 == 0 {
            line.replace(
                "s3:GetObject\", \"resource\"",
                "s3:DeleteObject\", \"resource\"",
            )
        } else {
            line
        };
        input.push_str(&line);
        input.push('\n');
    }
    let run = |threads: &str| {
        landform()
            .env("LANDFORM_THREADS", threads)
            .args(["simulate", "--format", "json", "--batch", "-"])
            .write_stdin(input.clone())
            .assert()
            .success()
            .get_output()
            .stdout
            .clone()
    };
    let one = run("1");
    let two = run("2");
    assert_eq!(one, two);
    let text = String::from_utf8(one).unwrap();
    assert_eq!(text.lines().count(), 5000);
    assert!(
        text.lines()
            .nth(3)
            .unwrap()
            .contains("\"id\":\"r3\",\"decision\":\"ExplicitDeny\"")
    );
}
