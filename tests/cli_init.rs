//! `landform init`: writes a starter blueprint and its schema, refuses to
//! overwrite without `--force`, and what it writes validates clean.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use assert_cmd::Command;
use predicates::prelude::*;

fn landform() -> Command {
    Command::cargo_bin("landform").unwrap()
}

#[test]
fn every_template_writes_a_blueprint_that_validates_clean() {
    for template in ["baseline", "minimal"] {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("org");
        landform()
            .args(["init", "--template", template])
            .arg(&target)
            .assert()
            .success()
            .stdout(predicate::str::contains("blueprint.yaml"));
        let text = std::fs::read_to_string(target.join("blueprint.yaml")).unwrap();
        assert!(
            text.starts_with("# yaml-language-server: $schema=./blueprint.schema.json\n"),
            "{text}"
        );
        // the modeline resolves: the schema is written next to the blueprint
        let schema = std::fs::read_to_string(target.join("blueprint.schema.json")).unwrap();
        assert_eq!(schema, landform::blueprint::schema::schema_text());
        landform()
            .arg("validate")
            .arg(target.join("blueprint.yaml"))
            .arg("--deny-warnings")
            .assert()
            .success()
            .stdout("no problems found\n");
    }
}

#[test]
fn the_default_template_is_the_baseline() {
    let dir = tempfile::tempdir().unwrap();
    landform().arg("init").arg(dir.path()).assert().success();
    let text = std::fs::read_to_string(dir.path().join("blueprint.yaml")).unwrap();
    for ou in [
        "Security:",
        "Infrastructure:",
        "Prod:",
        "NonProd:",
        "Sandbox:",
        "Suspended:",
        "PolicyStaging:",
        "log-archive:",
        "audit:",
    ] {
        assert!(text.contains(ou), "{ou}");
    }
}

#[test]
fn existing_files_are_kept_without_force() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("blueprint.yaml"), "mine\n").unwrap();
    landform()
        .arg("init")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("already exists; use --force"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("blueprint.yaml")).unwrap(),
        "mine\n"
    );
    assert!(!dir.path().join("blueprint.schema.json").exists());
    landform()
        .args(["init", "--force"])
        .arg(dir.path())
        .assert()
        .success();
    assert_ne!(
        std::fs::read_to_string(dir.path().join("blueprint.yaml")).unwrap(),
        "mine\n"
    );
}

#[test]
fn an_unknown_template_is_a_usage_error_with_a_suggestion() {
    let dir = tempfile::tempdir().unwrap();
    landform()
        .args(["init", "--template", "baselin"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `baseline`?"));
}
