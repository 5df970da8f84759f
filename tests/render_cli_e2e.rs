//! The rendered AWS CLI scripts, run for real: `run-all.sh` with the real aws
//! CLI against the local AWS emulator (moto) on a fresh organization, the
//! organization read back and compared with the IR; run again and compared
//! again (idempotency); a dry run that must make no call at all.
//!
//! What moto cannot run (permission-set boundaries) is skipped with the
//! scripts' own switch, `LANDFORM_SKIP_PERMISSION_SET_BOUNDARIES=1`, and
//! covered by golden files (`render_cli.rs`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use common::emulator::{self, MANAGEMENT_ACCOUNT_ID, Session, path_with_first, write_executable};
use common::readback::{self, Ids, Snapshot};
use common::tools::{self, shout};
use landform::blueprint::resolve::resolve;
use landform::blueprint::{load, validate};
use landform::org::sample::kitchen_sink;
use landform::org::{Org, OrgPolicyType, PolicyKind, Target};
use landform::render::OutputFile;
use landform::render::cli::render;

fn compile(path: &str) -> Org {
    let loaded = load(Path::new(path)).unwrap_or_else(|f| panic!("{path}: {:#?}", f.diagnostics));
    assert!(!validate(&loaded).has_errors(), "{path}");
    let (org, diags) = resolve(&loaded.blueprint, path);
    org.unwrap_or_else(|| panic!("{path}: {diags:#?}"))
}

/// An organization as the emulator can hold it:
///
/// - the management account is moto's (`123456789012`): a blueprint that
///   names another id is rendered with moto's, so the scripts' own check
///   that they run in the right account passes;
/// - moto rejects a policy variable in the account field of an IAM ARN
///   (`arn:aws:iam::${aws:PrincipalAccount}:role/…`: its validator splits the
///   ARN at every `:`); AWS accepts it. The variable moves into the path.
fn emulator_variant(mut org: Org) -> Org {
    for a in &mut org.accounts {
        if a.is_management && a.aws_account_id.is_some() {
            a.aws_account_id = Some(MANAGEMENT_ACCOUNT_ID.to_string());
        }
    }
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

fn write(files: &[OutputFile], dir: &Path) {
    for f in files {
        let p = dir.join(f.path.strip_prefix("cli/").unwrap());
        std::fs::write(&p, &f.contents).unwrap();
        #[cfg(unix)]
        if f.executable {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
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
            if p.is_dir() {
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

/// `bash run-all.sh` in `dir` against the emulator; panics with the output
/// when it fails. Returns stdout.
fn run_all(session: &Session, dir: &Path, extra: &[(&str, &str)]) -> String {
    let aws = tools::tools().aws_cli.clone().unwrap();
    let mut cmd = Command::new("bash");
    cmd.arg(dir.join("run-all.sh")).current_dir(dir);
    session.apply_env(&mut cmd);
    cmd.env("PATH", path_with_first(aws.parent().unwrap()))
        .env("LANDFORM_SKIP_PERMISSION_SET_BOUNDARIES", "1")
        .env_remove("DRY_RUN")
        .env_remove("LANDFORM_STATE");
    for (k, v) in extra {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        out.status.success(),
        "run-all.sh failed ({:?})\nstdout:\n{stdout}\nstderr:\n{stderr}",
        out.status
    );
    stdout
}

/// What reading back must give for `org` (see `readback::expected`), with
/// the FullAWSAccess rule the scripts apply.
fn expected(org: &Org, session: &Session) -> Snapshot {
    let ids = Ids::read(session);
    let mut expected = readback::expected(org, &ids);
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
    expected
}

/// On a fresh emulator, renders and runs each organization of `orgs` in turn
/// (the same directory, re-rendered), comparing the read-back with that
/// organization after each run; a run of the same organization again must
/// not change anything. Then a dry run must call nothing.
fn apply_and_compare(test: &str, session: &Session, orgs: &[Org]) {
    let runs = orgs.len();
    let started = Instant::now();
    let step = |what: &str| {
        shout(&format!(
            "{test}: {what} after {:.1}s\n",
            started.elapsed().as_secs_f64()
        ));
    };
    let dir = tempfile::tempdir().unwrap();

    // the real aws CLI behind a wrapper that logs "SERVICE OPERATION" per call
    let aws = tools::tools().aws_cli.clone().unwrap();
    let wrap_dir = tempfile::tempdir().unwrap();
    let calls = wrap_dir.path().join("calls.log");
    let wrapper = wrap_dir.path().join("aws");
    write_executable(
        &wrapper,
        &format!(
            "#!/usr/bin/env bash\nargs=(\"$@\")\nwhile [[ \"${{1:-}}\" == --* ]]; do shift 2; done\n\
             printf '%s %s\\n' \"$1\" \"$2\" >> '{}'\nexec '{}' \"${{args[@]}}\"\n",
            calls.display(),
            aws.display()
        ),
    );
    let wrapper_env = [("LANDFORM_AWS_CLI", wrapper.to_str().unwrap())];
    let mut previous: Option<Vec<OutputFile>> = None;
    for (i, org) in orgs.iter().enumerate() {
        let run = i + 1;
        let files = render(org);
        write(&files, dir.path());
        let same_again = previous.as_ref() == Some(&files);
        previous = Some(files);
        let _ = std::fs::remove_file(&calls);
        run_all(session, dir.path(), &wrapper_env);
        let log = std::fs::read_to_string(&calls).unwrap_or_default();
        let ops: Vec<&str> = log.lines().collect();
        step(&format!("run {run} ({} aws CLI calls)", ops.len()));
        if same_again {
            // a second run reads, and at most repeats writes that set a value
            // to what it is (no create, attach, move, update or provision)
            let writes: BTreeSet<&str> = ops
                .iter()
                .copied()
                .filter(|op| {
                    let name = op.split(' ').nth(1).unwrap_or("");
                    !["describe-", "list-", "get-"]
                        .iter()
                        .any(|p| name.starts_with(p))
                        && name != "assume-role"
                })
                .collect();
            let upserts = [
                "iam update-assume-role-policy",
                "iam update-role",
                "iam put-role-permissions-boundary",
                "iam put-role-policy",
                "iam attach-role-policy",
                "iam tag-role",
                "iam attach-group-policy",
                "iam put-group-policy",
                "iam add-user-to-group",
                "organizations tag-resource",
            ];
            let unexpected: Vec<&&str> = writes.iter().filter(|w| !upserts.contains(w)).collect();
            assert!(
                unexpected.is_empty(),
                "the second run changed something: {unexpected:?}\nall calls:\n{log}"
            );
        }
        readback::assert_matches(&expected(org, session), &readback::read(session));
        step(&format!("compared after run {run}"));
    }

    // a dry run calls nothing: the aws CLI is a stub that records any call
    let stub_dir = tempfile::tempdir().unwrap();
    let log = stub_dir.path().join("calls.log");
    let stub = stub_dir.path().join("aws");
    write_executable(
        &stub,
        &format!("#!/bin/sh\necho \"$*\" >> '{}'\nexit 1\n", log.display()),
    );
    let printed = run_all(
        session,
        dir.path(),
        &[
            ("DRY_RUN", "1"),
            ("LANDFORM_AWS_CLI", stub.to_str().unwrap()),
        ],
    );
    assert!(
        !log.exists(),
        "the dry run called the aws CLI:\n{}",
        std::fs::read_to_string(&log).unwrap_or_default()
    );
    assert!(
        printed.contains("aws organizations create-organization"),
        "the dry run printed no commands:\n{printed}"
    );
    step("dry run");

    let pwned: Vec<PathBuf> = pwned_files(dir.path())
        .into_iter()
        .chain(pwned_files(&std::env::current_dir().unwrap()))
        .collect();
    assert!(pwned.is_empty(), "an injected command ran: {pwned:?}");
    shout(&format!(
        "{test}: applied {runs} time(s), compared, dry-run in {:.1}s\n",
        started.elapsed().as_secs_f64()
    ));
}

fn setup(test: &str) -> Option<Session> {
    tools::aws_cli(test)?;
    emulator::acquire(test)
}

#[test]
fn paywave_runs_on_the_emulator_twice() {
    let test = "cli scripts (paywave) on the emulator";
    let Some(session) = setup(test) else { return };
    let org = emulator_variant(compile("examples/paywave.yaml"));
    apply_and_compare(test, &session, &[org.clone(), org]);
}

#[test]
fn adversarial_blueprint_runs_on_the_emulator_twice_and_injects_nothing() {
    let test = "cli scripts (tests/fixtures/adversarial.yaml) on the emulator";
    let Some(session) = setup(test) else { return };
    let org = emulator_variant(compile("tests/fixtures/adversarial.yaml"));
    apply_and_compare(test, &session, &[org.clone(), org]);
}

/// The kitchen sink (every kind of IR element, hostile strings in every
/// free-text field), then the same organization changed: the second run must
/// bring AWS in line — an SCP's text, a customer-managed policy's document
/// (a new default version), a permission set's description and inline policy.
#[test]
fn kitchen_sink_runs_on_the_emulator_and_applies_changes() {
    let test = "cli scripts (kitchen sink, then changed) on the emulator";
    let Some(session) = setup(test) else { return };
    let mut org = emulator_variant(kitchen_sink());
    // FullAWSAccess off the targets that have an SCP of their own
    org.full_aws_access_detached = org
        .attachments
        .iter()
        .filter(|a| org.policy(a.policy).kind == PolicyKind::Scp && a.target != Target::Root)
        .map(|a| a.target)
        .collect();
    assert!(!org.full_aws_access_detached.is_empty());
    let mut changed = org.clone();
    let extra = serde_json::json!({
        "Sid": "AddedLater", "Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "*"
    });
    let mut kinds_changed = BTreeSet::new();
    for p in &mut changed.policies {
        if matches!(
            p.kind,
            PolicyKind::Scp | PolicyKind::Managed | PolicyKind::PermissionSetInline
        ) && kinds_changed.insert(format!("{:?}", p.kind))
        {
            p.document["Statement"]
                .as_array_mut()
                .unwrap()
                .push(extra.clone());
        }
    }
    assert_eq!(kinds_changed.len(), 3, "{kinds_changed:?}");
    changed.permission_sets[0]
        .description
        .push_str(" (changed)");
    apply_and_compare(test, &session, &[org, changed]);
}
