//! The rendered Terraform, applied for real: `management/` and every account
//! root against the local AWS emulator (moto) with the real terraform and the
//! local hashicorp/aws provider, the organization read back and compared with
//! the IR, then `terraform plan` must report no changes in every applied root.
//!
//! `identity-center/` cannot be applied (moto lacks sso-admin
//! `ListTagsForResource`, which the permission set resource reads); it is
//! covered by `terraform validate` and golden files (`render_terraform.rs`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};
use std::time::Instant;

use common::emulator::{self, MANAGEMENT_ACCOUNT_ID, Session};
use common::readback::{self, IdentityCenter, Ids, Snapshot};
use common::terraform::{Terraform, canonical_json, emulator_override, root_dirs, write_files};
use common::tools::{self, shout};
use landform::org::sample::kitchen_sink;
use landform::org::{Org, OrgPolicyType, PolicyKind, Target};
use landform::render::terraform::render;

/// The kitchen sink as the emulator test deploys it:
///
/// - moto rejects a policy variable in the account field of an IAM ARN
///   (`arn:aws:iam::${aws:PrincipalAccount}:role/…`: its validator splits the
///   ARN at every `:`, and the variable has one); AWS accepts it. The variable
///   moves into the path, where it still goes through every layer of escaping;
/// - the management account id is the emulator's (`123456789012`);
/// - `FullAWSAccess` comes off the targets that have an SCP of their own (and
///   is asked off one that has none, where AWS must keep it), so the README's
///   detach step runs too.
fn emulator_variant(mut org: Org) -> Org {
    // the management account is the emulator's: a blueprint that names
    // another id would stop at the provider's `allowed_account_ids`
    for a in &mut org.accounts {
        if a.is_management && a.aws_account_id.is_some() {
            a.aws_account_id = Some(MANAGEMENT_ACCOUNT_ID.to_string());
        }
    }
    let with_scp: Vec<Target> = org
        .attachments
        .iter()
        .filter(|a| org.policy(a.policy).kind == PolicyKind::Scp && a.target != Target::Root)
        .map(|a| a.target)
        .collect();
    org.full_aws_access_detached = with_scp;
    let bare = org
        .ous
        .iter()
        .skip(1)
        .map(|o| Target::Ou(o.id))
        .find(|t| org.attached(*t, PolicyKind::Scp).is_empty());
    org.full_aws_access_detached.extend(bare);
    for p in &mut org.policies {
        let text = serde_json::to_string(&p.document).unwrap();
        let fixed = text.replace(
            "arn:aws:iam::${aws:PrincipalAccount}:role/",
            "arn:aws:iam::*:role/${aws:PrincipalAccount}/",
        );
        if fixed != text {
            p.document = serde_json::from_str(&fixed).unwrap();
        }
    }
    org
}

/// IAM documents in one canonical form (sorted keys, no whitespace): the
/// provider re-serializes IAM JSON before sending it, each resource type a
/// little differently (`aws_iam_policy` and `aws_iam_role` sort every key,
/// `aws_iam_role_policy` keeps `Version` before `Statement`), so IAM documents
/// are compared as JSON values — every string, number and array order still
/// exact. Organization policies go through the provider untouched and stay
/// compared byte for byte.
fn canonical_iam_documents(snap: &mut Snapshot) {
    for acct in snap.iam.values_mut() {
        for p in acct.policies.values_mut() {
            p.document = canonical_json(&p.document);
        }
        for r in acct.roles.values_mut() {
            r.trust = canonical_json(&r.trust);
            for doc in r.inline.values_mut() {
                *doc = canonical_json(doc);
            }
        }
        for g in acct.groups.values_mut() {
            for doc in g.inline.values_mut() {
                *doc = canonical_json(doc);
            }
        }
    }
}

/// Files named like the hostile strings' payloads, anywhere under `dir`.
fn pwned_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() && !p.ends_with(".terraform") {
                stack.push(p);
            } else if p
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("pwned"))
            {
                found.push(p);
            }
        }
    }
    found
}

/// Renders `org`, applies `management/` then the account roots (two at a
/// time), compares the read-back with the IR, and checks that a second plan
/// of every applied root is empty.
fn apply_and_compare(test: &str, tf: &Terraform, session: &Session, org: &Org) {
    let started = Instant::now();
    let step = |what: &str| {
        shout(&format!(
            "{test}: {what} after {:.1}s\n",
            started.elapsed().as_secs_f64()
        ));
    };
    let dir = tempfile::tempdir().unwrap();
    write_files(&render(org), "terraform/", dir.path());
    let roots: Vec<PathBuf> = root_dirs(dir.path())
        .into_iter()
        .filter(|r| !r.ends_with("identity-center"))
        .collect();
    let management = dir.path().join("management");
    assert!(roots.contains(&management));
    for root in &roots {
        std::fs::write(
            root.join("zz_landform_test_override.tf"),
            emulator_override(root, session),
        )
        .unwrap();
        // one at a time: the shared plugin cache is not safe for concurrent installs
        tf.ok_on(session, root, &["init", "-input=false", "-no-color"]);
    }
    step("init");
    let apply = ["apply", "-auto-approve", "-input=false", "-no-color"];
    tf.ok_on(session, &management, &apply);
    step("management applied");
    run_readme_detach_step(tf, session, dir.path());
    let accounts: Vec<&PathBuf> = roots.iter().filter(|r| **r != management).collect();
    for pair in accounts.chunks(2) {
        std::thread::scope(|s| {
            for root in pair {
                s.spawn(|| tf.ok_on(session, root, &apply));
            }
        });
    }

    step("accounts applied");
    let mut actual = readback::read(session);
    let ids = Ids::read(session);
    let mut expected = readback::expected(org, &ids);
    // the harness predates `full_aws_access_detached`: where FullAWSAccess
    // stays, from the IR (AWS keeps it where no other SCP is attached)
    if org
        .policy_types
        .contains(&OrgPolicyType::ServiceControlPolicy)
    {
        let mut targets = vec![Target::Root];
        targets.extend(org.ous.iter().skip(1).map(|o| Target::Ou(o.id)));
        targets.extend(org.accounts.iter().map(|a| Target::Account(a.id)));
        expected.full_aws_access = targets
            .into_iter()
            .filter(|t| org.has_full_aws_access(*t) || org.attached(*t, PolicyKind::Scp).is_empty())
            .map(|t| readback::target_label(org, t))
            .collect();
    }
    // identity-center/ is not applied: nothing may be there
    expected.identity_center = IdentityCenter::default();
    canonical_iam_documents(&mut expected);
    canonical_iam_documents(&mut actual);
    readback::assert_matches(&expected, &actual);

    step("compared");
    for pair in roots.chunks(2) {
        std::thread::scope(|s| {
            for root in pair {
                s.spawn(|| tf.assert_no_changes(session, root));
            }
        });
    }
    let pwned: Vec<PathBuf> = pwned_files(dir.path())
        .into_iter()
        .chain(pwned_files(&std::env::current_dir().unwrap()))
        .collect();
    assert!(pwned.is_empty(), "an injected command ran: {pwned:?}");
    shout(&format!(
        "{test}: {} roots applied and re-planned in {:.1}s\n",
        roots.len(),
        started.elapsed().as_secs_f64()
    ));
}

/// Runs the README's FullAWSAccess detach loop (if it has one) as written,
/// with bash, the aws CLI and terraform, in the rendered `terraform/` dir.
fn run_readme_detach_step(tf: &Terraform, session: &Session, dir: &Path) {
    let readme = std::fs::read_to_string(dir.join("README.md")).unwrap();
    let Some(start) = readme.find("for id in $(terraform") else {
        return;
    };
    let end = start + readme[start..].find("\ndone").unwrap() + "\ndone".len();
    let script = &readme[start..end];
    let aws = tools::aws_cli("README detach step").expect("the aws CLI");
    let mut path =
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()).collect::<Vec<_>>();
    path.insert(0, aws.parent().unwrap().to_path_buf());
    path.insert(0, Path::new(&tf.bin).parent().unwrap().to_path_buf());
    let mut cmd = std::process::Command::new("bash");
    cmd.current_dir(dir)
        .env("PATH", std::env::join_paths(path).unwrap())
        .env("TF_CLI_CONFIG_FILE", &tf.cli_config)
        .args(["-euo", "pipefail", "-c", script]);
    session.apply_env(&mut cmd);
    for _ in 0..2 {
        // twice: the step must be safe to re-run
        let out = cmd.output().unwrap();
        assert!(
            out.status.success(),
            "the README's detach step failed:\n{script}\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn kitchen_sink_applies_on_the_emulator_and_plans_clean() {
    let test = "terraform apply (kitchen sink) on the emulator";
    let Some(tf) = Terraform::find(test) else {
        return;
    };
    let Some(session) = emulator::acquire(test) else {
        return;
    };
    if tools::aws_cli(test).is_none() {
        return;
    }
    let org = emulator_variant(kitchen_sink());
    assert!(!org.full_aws_access_detached.is_empty());
    apply_and_compare(test, &tf, &session, &org);
}

/// The YAML adversarial blueprint (hostile strings in OU and account names,
/// descriptions, policy text, tags): nothing injected runs, every string
/// arrives byte for byte (organization policies) or as the same JSON value
/// (IAM documents).
#[test]
fn adversarial_blueprint_applies_on_the_emulator_and_plans_clean() {
    let test = "terraform apply (tests/fixtures/adversarial.yaml) on the emulator";
    let Some(tf) = Terraform::find(test) else {
        return;
    };
    let Some(session) = emulator::acquire(test) else {
        return;
    };
    if tools::aws_cli(test).is_none() {
        return;
    }
    let path = "tests/fixtures/adversarial.yaml";
    let loaded = landform::blueprint::load(Path::new(path))
        .unwrap_or_else(|f| panic!("{path}: {:#?}", f.diagnostics));
    assert!(!landform::blueprint::validate(&loaded).has_errors());
    let (org, diags) = landform::blueprint::resolve::resolve(&loaded.blueprint, path);
    let org = emulator_variant(org.unwrap_or_else(|| panic!("{path}: {diags:#?}")));
    apply_and_compare(test, &tf, &session, &org);
}

/// The bundled example: everything the README's first command renders for
/// Terraform is applied, read back, and plans clean.
#[test]
fn paywave_applies_on_the_emulator_and_plans_clean() {
    let test = "terraform apply (examples/paywave.yaml) on the emulator";
    let Some(tf) = Terraform::find(test) else {
        return;
    };
    let Some(session) = emulator::acquire(test) else {
        return;
    };
    if tools::aws_cli(test).is_none() {
        return;
    }
    let path = "examples/paywave.yaml";
    let loaded = landform::blueprint::load(Path::new(path))
        .unwrap_or_else(|f| panic!("{path}: {:#?}", f.diagnostics));
    assert!(!landform::blueprint::validate(&loaded).has_errors());
    let (org, diags) = landform::blueprint::resolve::resolve(&loaded.blueprint, path);
    let org = org.unwrap_or_else(|| panic!("{path}: {diags:#?}"));
    assert!(!org.accounts.is_empty() && !org.roles.is_empty());
    apply_and_compare(test, &tf, &session, &emulator_variant(org));
}

#[test]
fn canonical_json_is_go_encoding_json() {
    assert_eq!(
        canonical_json("{\n  \"b\": [1, \"<&>\"],\n  \"a\": {\"z\": null, \"y\": true}\n}"),
        r#"{"a":{"y":true,"z":null},"b":[1,"\u003c\u0026\u003e"]}"#
    );
    assert_eq!(
        canonical_json("\"tab\\t nl\\n bell\\u0007 ü \\u2028\""),
        "\"tab\\t nl\\n bell\\u0007 ü \\u2028\""
    );
}
