//! `landform validate` from the command line: exit codes, output formats, and
//! every kind of bad input the foundation issue lists (each must give a clear
//! diagnostic, exit 1 or 2, and never panic).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

fn landform() -> Command {
    let mut cmd = Command::cargo_bin("landform").unwrap();
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
}

fn fixture(name: &str) -> String {
    let p = format!("tests/fixtures/blueprints/invalid/{name}");
    if Path::new(env!("CARGO_MANIFEST_DIR")).join(&p).is_dir() {
        format!("{p}/blueprint.yaml")
    } else {
        p
    }
}

/// Runs `validate` and checks exit code and that `code` is reported.
fn expect(args: &[&str], exit: i32, code: &str) -> String {
    let out = landform().arg("validate").args(args).assert().code(exit);
    let out = out.get_output();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stdout.contains(code), "{code} not in:\n{stdout}{stderr}");
    stdout
}

const HEAD: &str = "version: 1\norganization:\n  name: acme\n  management_account: {name: management, email: aws+management@acme.example}\n  home_region: eu-west-1\n";

fn temp_blueprint(files: &[(&str, &[u8])]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    for (name, content) in files {
        let p = dir.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, content).unwrap();
    }
    let bp = dir.path().join(files[0].0);
    (dir, bp)
}

#[test]
fn the_examples_validate_with_exit_0() {
    for f in ["examples/paywave.yaml", "examples/northwind.yaml"] {
        landform()
            .args(["validate", f, "--deny-warnings"])
            .assert()
            .success()
            .stdout("no problems found\n");
    }
}

#[test]
fn errors_exit_1_with_file_line_and_column() {
    let out = expect(&[&fixture("LF201-unknown-target.yaml")], 1, "LF201");
    assert!(out.contains("LF201-unknown-target.yaml:18:14"), "{out}");
    assert!(out.contains("did you mean `Workloads/Prod`?"), "{out}");
    assert!(out.trim_end().ends_with("1 error, 0 warnings"), "{out}");
}

#[test]
fn warnings_pass_unless_denied() {
    let f = fixture("LF403-assignment-to-root.yaml");
    landform()
        .args(["validate", &f])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("LF403"));
    landform()
        .args(["validate", &f, "--deny-warnings"])
        .assert()
        .code(1);
}

#[test]
fn json_output_has_one_object_per_diagnostic() {
    let out = landform()
        .args([
            "validate",
            &fixture("LF314-unknown-region.yaml"),
            "--format",
            "json",
        ])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let d = &v["diagnostics"][0];
    assert_eq!(d["code"], "LF314");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["line"], 6);
    assert_eq!(d["column"], 16);
    assert_eq!(d["help"], "did you mean `eu-west-1`?");
    assert!(
        d["file"]
            .as_str()
            .unwrap()
            .ends_with("LF314-unknown-region.yaml")
    );
    assert_eq!(v["summary"]["errors"], 1);
}

// --- bad input -----------------------------------------------------------

#[test]
fn a_missing_blueprint_exits_2() {
    expect(&["does/not/exist.yaml"], 2, "LF001");
}

#[test]
fn an_empty_file_exits_2() {
    let (_d, bp) = temp_blueprint(&[("bp.yaml", b"")]);
    expect(&[bp.to_str().unwrap()], 2, "LF004");
}

#[test]
fn not_yaml_exits_2() {
    let (_d, bp) = temp_blueprint(&[("bp.yaml", b"organization: [unclosed\n  name: {\n")]);
    expect(&[bp.to_str().unwrap()], 2, "LF003");
}

#[test]
fn yaml_that_is_a_list_exits_2() {
    let (_d, bp) = temp_blueprint(&[("bp.yaml", b"- one\n- two\n")]);
    let out = expect(&[bp.to_str().unwrap()], 2, "LF005");
    assert!(out.contains("holds a list"), "{out}");
}

#[test]
fn a_binary_file_exits_2() {
    let (_d, bp) = temp_blueprint(&[(
        "bp.yaml",
        b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\xff\xfe\x00",
    )]);
    let out = expect(&[bp.to_str().unwrap()], 2, "LF002");
    assert!(
        out.contains("bp.yaml: the blueprint is not a text file"),
        "{out}"
    );
}

#[test]
fn a_missing_policy_file_exits_2() {
    let out = expect(&[&fixture("LF001-missing-policy-file.yaml")], 2, "LF001");
    assert!(out.contains("no such file"), "{out}");
    assert!(out.contains("referenced here"), "{out}");
}

#[test]
fn a_policy_file_that_is_not_json_exits_2_pointing_into_the_json() {
    let out = expect(&[&fixture("LF012-policy-not-json")], 2, "LF012");
    assert!(out.contains("policies/deny.json:4:38"), "{out}");
}

#[test]
fn a_tab_indented_file_exits_2() {
    let out = expect(&[&fixture("LF003-tab-indentation.yaml")], 2, "LF003");
    assert!(out.contains("tab character"), "{out}");
    assert!(out.contains("replace the tabs with spaces"), "{out}");
}

#[test]
fn duplicate_keys_exit_2_naming_both() {
    let out = expect(&[&fixture("LF006-duplicate-key.yaml")], 2, "LF006");
    assert!(out.contains("first defined here"), "{out}");
    assert!(out.contains("defined again here"), "{out}");
}

#[test]
fn a_cyclic_include_exits_2() {
    expect(&[&fixture("LF010-include-cycle")], 2, "LF010");
}

#[test]
fn a_path_escaping_the_blueprint_directory_is_refused() {
    let out = expect(&[&fixture("LF009-path-escapes.yaml")], 2, "LF009");
    assert!(
        out.contains("leads outside the blueprint's directory"),
        "{out}"
    );
    expect(&[&fixture("LF009-absolute-include.yaml")], 2, "LF009");
    // a symbolic link inside the directory that points outside is refused too
    #[cfg(unix)]
    {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.json"), "{\"Statement\": []}").unwrap();
        let policy = format!("{HEAD}policies:\n  scp:\n    x: {{file: link.json}}\n");
        let (d, bp) = temp_blueprint(&[("bp.yaml", policy.as_bytes())]);
        std::os::unix::fs::symlink(
            outside.path().join("secret.json"),
            d.path().join("link.json"),
        )
        .unwrap();
        expect(&[bp.to_str().unwrap()], 2, "LF009");
    }
}

#[test]
fn a_10_mb_blueprint_validates() {
    // ~40,000 accounts with descriptions, in 800 OUs of 50
    let mut text = String::from(HEAD);
    text.push_str("organizational_units:\n");
    let filler =
        "Holds the workloads of one product team; reviewed quarterly by the platform team. "
            .repeat(2);
    let mut a = 0;
    let mut ou = 0;
    while text.len() < 10_000_000 {
        text.push_str(&format!("  Team{ou:04}:\n    accounts:\n"));
        for _ in 0..50 {
            text.push_str(&format!(
                "      acct-{a:06}: {{email: aws+acct-{a:06}@acme.example, description: \"{filler}\"}}\n"
            ));
            a += 1;
        }
        ou += 1;
    }
    assert!(text.len() >= 10_000_000);
    let (_d, bp) = temp_blueprint(&[("big.yaml", text.as_bytes())]);
    landform()
        .args(["validate", bp.to_str().unwrap()])
        .assert()
        .success()
        .stdout("no problems found\n");
}

#[test]
fn structure_and_semantic_mistakes_exit_1() {
    expect(&[&fixture("LF101-unknown-key.yaml")], 1, "LF101");
    expect(&[&fixture("LF302-too-many-scps.yaml")], 1, "LF302");
}
