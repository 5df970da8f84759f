//! `landform diff` from the command line: structural changes matched by
//! name, findings that appear and disappear (and survive line shifts), the
//! three formats, `--git`, exit codes and determinism.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn landform_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("landform")
        .unwrap()
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn landform(args: &[&str]) -> (i32, String, String) {
    landform_in(&repo(), args)
}

/// Copies the paywave example (blueprint and policy files) into `dir/sub`.
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
    // put back a finding the example no longer has, so that both copies
    // share one (LF513, located in the YAML, on role `app-admin`)
    edit(
        &to.join("paywave.yaml"),
        "    exempt_principals: [OrganizationAccountAccessRole]\n",
        "",
    );
    to
}

/// Replaces exactly one occurrence of `from` in a file.
fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert_eq!(
        text.matches(from).count(),
        1,
        "`{from}` must occur once in {}",
        path.display()
    );
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

fn json_of(out: &str) -> Value {
    serde_json::from_str(out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

fn structure(doc: &Value) -> Vec<(String, String, String, Option<String>)> {
    doc["structure"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["element"].as_str().unwrap().to_string(),
                c["key"].as_str().unwrap().to_string(),
                c["op"].as_str().unwrap().to_string(),
                c["account"].as_str().map(str::to_string),
            )
        })
        .collect()
}

#[test]
fn a_blueprint_against_itself_has_no_change() {
    for format in ["human", "json", "markdown"] {
        let (code, out, err) = landform(&[
            "diff",
            "tests/fixtures/broken-paywave/blueprint.yaml",
            "tests/fixtures/broken-paywave/blueprint.yaml",
            "--format",
            format,
            "--exit-code",
        ]);
        assert_eq!(code, 0, "{format}: {out}{err}");
        match format {
            "json" => {
                let doc = json_of(&out);
                assert_eq!(doc["changed"], false);
                assert_eq!(doc["structure"].as_array().unwrap().len(), 0);
                assert!(doc["findings"]["appeared"].as_array().unwrap().is_empty());
                assert!(doc["summary"]["findings"]["unchanged"].as_u64().unwrap() > 0);
            }
            "markdown" => assert!(out.contains("No change"), "{out}"),
            _ => assert!(out.contains("no change"), "{out}"),
        }
    }
}

#[test]
fn structural_changes_are_matched_by_name() {
    let tmp = tempfile::tempdir().unwrap();
    copy_paywave(tmp.path(), "base");
    let head = copy_paywave(tmp.path(), "head");
    let bp = head.join("paywave.yaml");
    // move sandbox-payments from Sandbox to Workloads/NonProd
    edit(
        &bp,
        "      sandbox-payments:\n        email: aws+sandbox-payments@paywave.example\n",
        "",
    );
    edit(
        &bp,
        "            tags: {Environment: dev}\n",
        "            tags: {Environment: dev}\n          sandbox-payments:\n            email: aws+sandbox-payments@paywave.example\n",
    );
    // a new OU, a session change, a detached SCP
    edit(
        &bp,
        "  PolicyStaging:\n",
        "  Archive:\n    description: Closed accounts\n  PolicyStaging:\n",
    );
    edit(&bp, "      session: PT2H\n", "      session: PT1H\n");
    edit(&bp, "    scps: [deny-all]\n", "");
    let (code, out, err) = landform_in(
        tmp.path(),
        &[
            "diff",
            "base/paywave.yaml",
            "head/paywave.yaml",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let doc = json_of(&out);
    assert_eq!(doc["base"], "base/paywave.yaml");
    assert_eq!(doc["head"], "head/paywave.yaml");
    let s = structure(&doc);
    let has = |e: &str, k: &str, op: &str| s.iter().any(|x| x.0 == e && x.1 == k && x.2 == op);
    assert!(has("account", "sandbox-payments", "moved"), "{s:#?}");
    assert!(has("ou", "Archive", "added"), "{s:#?}");
    assert!(has("permission_set", "ProdOperator", "changed"), "{s:#?}");
    assert!(
        has("attachment", "scp:deny-all → Suspended", "removed"),
        "{s:#?}"
    );
    // the assignments follow the account: out of Sandbox, into NonProd
    let assignment = |k: &str, op: &str| {
        s.iter().any(|x| {
            x.0 == "assignment"
                && x.1 == k
                && x.2 == op
                && x.3.as_deref() == Some("sandbox-payments")
        })
    };
    assert!(
        assignment("group engineers → SandboxAdmin", "removed"),
        "{s:#?}"
    );
    assert!(
        assignment("group app-teams → NonProdAdmin", "added"),
        "{s:#?}"
    );
    let moved = doc["structure"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["key"] == "sandbox-payments" && c["element"] == "account")
        .unwrap();
    let ou = moved["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "ou")
        .unwrap();
    assert_eq!(ou["base"], "Sandbox");
    assert_eq!(ou["head"], "Workloads/NonProd");
    let session = doc["structure"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["key"] == "ProdOperator")
        .unwrap();
    assert_eq!(
        session["fields"],
        serde_json::json!([{"name": "session_duration", "base": "PT2H", "head": "PT1H"}])
    );
    // the tree behind the diagram marks the new OU and the moved account
    let tree = doc["tree"].as_array().unwrap();
    let node = |path: &str| tree.iter().find(|n| n["path"] == path).unwrap();
    assert_eq!(node("Archive")["mark"], "added");
    assert_eq!(
        node("Workloads/NonProd")["accounts"],
        serde_json::json!([{"name": "sandbox-payments", "mark": "moved"}])
    );
    assert_eq!(node("Suspended")["mark"], "changed");
    let (_, md, _) = landform_in(
        tmp.path(),
        &[
            "diff",
            "base/paywave.yaml",
            "head/paywave.yaml",
            "--format",
            "markdown",
            "--no-checks",
        ],
    );
    for class in ["classDef added", "classDef moved", "classDef changed"] {
        assert!(md.contains(class), "{class}: {md}");
    }
    // nothing else moved: every other account is where it was
    assert_eq!(
        s.iter()
            .filter(|x| x.0 == "account" && x.2 == "moved")
            .count(),
        1
    );
    // --exit-code reports the change
    let (code, _, _) = landform_in(
        tmp.path(),
        &[
            "diff",
            "base/paywave.yaml",
            "head/paywave.yaml",
            "--exit-code",
            "--no-checks",
        ],
    );
    assert_eq!(code, 1);
}

#[test]
fn findings_appear_disappear_and_survive_line_shifts() {
    let tmp = tempfile::tempdir().unwrap();
    copy_paywave(tmp.path(), "base");
    let head = copy_paywave(tmp.path(), "head");
    let bp = head.join("paywave.yaml");
    // twenty lines of comments at the top move every finding down, in a
    // blueprint file with another name
    let text = std::fs::read_to_string(&bp).unwrap();
    std::fs::write(
        head.join("renamed.yaml"),
        format!("{}{text}", "# shifted\n".repeat(20)),
    )
    .unwrap();
    let (code, out, err) = landform_in(
        tmp.path(),
        &[
            "diff",
            "base/paywave.yaml",
            "head/renamed.yaml",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let doc = json_of(&out);
    assert_eq!(doc["changed"], false, "{out}");
    assert!(doc["summary"]["findings"]["unchanged"].as_u64().unwrap() > 0);

    // an administrator set assigned to production: LF770 appears in head
    edit(
        &bp,
        "      targets: [Workloads/NonProd]\n",
        "      targets: [Workloads/NonProd, Workloads/Prod]\n",
    );
    let (_, out, _) = landform_in(
        tmp.path(),
        &[
            "diff",
            "base/paywave.yaml",
            "head/paywave.yaml",
            "--format",
            "json",
        ],
    );
    let doc = json_of(&out);
    let codes = |v: &Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|f| f["code"].as_str().unwrap().to_string())
            .collect()
    };
    let appeared = codes(&doc["findings"]["appeared"]);
    assert!(appeared.contains(&"LF770".to_string()), "{appeared:?}");
    assert!(codes(&doc["findings"]["disappeared"]).is_empty());
    // head's locations: the file and line of the head blueprint
    let f = &doc["findings"]["appeared"][0];
    assert_eq!(f["file"], "head/paywave.yaml");
    // and the other way round it disappears, with base's location
    let (_, out, _) = landform_in(
        tmp.path(),
        &[
            "diff",
            "head/paywave.yaml",
            "base/paywave.yaml",
            "--format",
            "json",
        ],
    );
    let doc = json_of(&out);
    assert_eq!(codes(&doc["findings"]["disappeared"]), appeared);
    assert!(codes(&doc["findings"]["appeared"]).is_empty());
}

#[test]
fn usage_and_input_errors() {
    let (code, _, err) = landform(&["diff", "examples/paywave.yaml"]);
    assert_eq!(code, 2);
    assert!(err.contains("give two blueprints"), "{err}");
    let (code, _, err) = landform(&[
        "diff",
        "--git",
        "HEAD",
        "examples/paywave.yaml",
        "examples/paywave.yaml",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("with --git REV give one blueprint"), "{err}");
    let (code, _, err) = landform(&["diff", "examples/paywave.yaml", "no/such.yaml"]);
    assert_eq!(code, 2);
    assert!(err.contains("the head blueprint `no/such.yaml`"), "{err}");
    assert!(err.contains("LF001"), "{err}");
    // a head that does not validate: exit 1, its errors on stderr
    let tmp = tempfile::tempdir().unwrap();
    let head = copy_paywave(tmp.path(), "head");
    edit(
        &head.join("paywave.yaml"),
        "      targets: [Sandbox]\n",
        "      targets: [Sandbx]\n",
    );
    let (code, out, err) = landform_in(
        tmp.path(),
        &[
            "diff",
            repo().join("examples/paywave.yaml").to_str().unwrap(),
            "head/paywave.yaml",
        ],
    );
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.is_empty(), "{out}");
    assert!(
        err.contains("the head blueprint `head/paywave.yaml` does not compile"),
        "{err}"
    );
    assert!(err.contains("Sandbx"), "{err}");
}

fn git(dir: &Path, args: &[&str]) {
    let out = std::process::Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn git_reads_the_blueprint_and_its_policy_files_at_the_revision() {
    let tmp = tempfile::tempdir().unwrap();
    let work = copy_paywave(tmp.path(), "repo/org");
    let repo_dir = tmp.path().join("repo");
    git(&repo_dir, &["init", "-q"]);
    git(&repo_dir, &["add", "."]);
    git(&repo_dir, &["commit", "-q", "-m", "base"]);
    // change only the policy *file* in the working tree: the base must read
    // the committed version of that file for the change to show
    edit(
        &work.join("paywave/sandbox-spend.json"),
        "\"sagemaker:CreateTrainingJob\"",
        "\"sagemaker:CreateNotebookInstance\"",
    );
    let (code, out, err) = landform_in(
        &repo_dir,
        &[
            "diff",
            "--git",
            "HEAD",
            "org/paywave.yaml",
            "--format",
            "json",
            "--no-checks",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let doc = json_of(&out);
    assert_eq!(doc["base"], "HEAD:org/paywave.yaml");
    assert_eq!(doc["head"], "org/paywave.yaml");
    let s = structure(&doc);
    assert_eq!(
        s,
        vec![(
            "policy".to_string(),
            "scp:sandbox-spend".to_string(),
            "changed".to_string(),
            None
        )],
        "{out}"
    );
    // from inside the blueprint's directory too
    let (code, out, err) = landform_in(
        &work,
        &["diff", "--git", "HEAD", "paywave.yaml", "--no-checks"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("HEAD:paywave.yaml → paywave.yaml"), "{out}");

    // errors: an unknown revision, a file not at the revision, not a repository
    let (code, _, err) = landform_in(
        &repo_dir,
        &["diff", "--git", "no-such-rev", "org/paywave.yaml"],
    );
    assert_eq!(code, 2);
    assert!(err.contains("`no-such-rev` is not a revision"), "{err}");
    std::fs::copy(work.join("paywave.yaml"), work.join("new.yaml")).unwrap();
    let (code, _, err) = landform_in(&repo_dir, &["diff", "--git", "HEAD", "org/new.yaml"]);
    assert_eq!(code, 2);
    assert!(err.contains("does not exist at `HEAD`"), "{err}");
    let outside = tempfile::tempdir().unwrap();
    let plain = copy_paywave(outside.path(), "plain");
    let (code, _, err) = landform_in(&plain, &["diff", "--git", "HEAD", "paywave.yaml"]);
    assert_eq!(code, 2);
    assert!(err.contains("is not inside a git repository"), "{err}");
}

#[test]
fn output_is_deterministic() {
    let tmp = tempfile::tempdir().unwrap();
    copy_paywave(tmp.path(), "base");
    let head = copy_paywave(tmp.path(), "head");
    edit(
        &head.join("paywave.yaml"),
        "      targets: [Workloads/NonProd]\n",
        "      targets: [Workloads/NonProd, Workloads/Prod]\n",
    );
    for format in ["human", "json", "markdown"] {
        let args = [
            "diff",
            "base/paywave.yaml",
            "head/paywave.yaml",
            "--format",
            format,
        ];
        let (_, a, _) = landform_in(tmp.path(), &args);
        let (_, b, _) = landform_in(tmp.path(), &args);
        assert_eq!(a, b, "{format}");
    }
}

/// The pull-request comment for a typical change: one word of an SCP, and
/// an administrator permission set assigned to production.
#[test]
fn markdown_comment_snapshot() {
    let tmp = tempfile::tempdir().unwrap();
    copy_paywave(tmp.path(), "base");
    let head = copy_paywave(tmp.path(), "head");
    edit(
        &head.join("paywave/sandbox-spend.json"),
        "\"sagemaker:CreateTrainingJob\"",
        "\"sagemaker:CreateNotebookInstance\"",
    );
    edit(
        &head.join("paywave.yaml"),
        "      targets: [Workloads/NonProd]\n",
        "      targets: [Workloads/NonProd, Workloads/Prod]\n",
    );
    let (code, out, err) = landform_in(
        tmp.path(),
        &[
            "diff",
            "base/paywave.yaml",
            "head/paywave.yaml",
            "--format",
            "markdown",
        ],
    );
    assert_eq!(code, 0, "{err}");
    // the summary comes first, the details are folded, the diagram marks
    // the accounts whose access changed
    let summary = out.find("| **Structure** |").unwrap();
    let details = out.find("<details>").unwrap();
    assert!(summary < details);
    assert!(out.contains("```mermaid\ngraph TD\n"), "{out}");
    assert!(out.contains("classDef access"), "{out}");
    insta::assert_snapshot!("markdown_one_word_and_prod_admin", out);
}
