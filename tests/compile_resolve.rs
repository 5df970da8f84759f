//! Compiling whole blueprints: recursive assignments, excludes, the
//! management-account rule, naming stability, the size re-check, robustness,
//! and golden files pinning every compiled document.
//!
//! Regenerate the golden files with `LANDFORM_BLESS=1 cargo test --test
//! compile_resolve` and review the diff.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::path::Path;

use landform::blueprint::resolve::resolve;
use landform::blueprint::{Loaded, load, load_str};
use landform::diagnostics::Diagnostics;
use landform::org::{AssignmentPrincipal, Org, PolicyKind, PrincipalRef, Target};
use serde_json::json;

const KITCHEN: &str = "tests/fixtures/compile/kitchen.yaml";

fn load_file(path: &str) -> Loaded {
    match load(Path::new(path)) {
        Ok(l) => l,
        Err(f) => panic!("{path} does not load: {:#?}", f.diagnostics),
    }
}

fn load_text(text: &str) -> Loaded {
    match load_str("test.yaml", text, Path::new("tests/fixtures/compile")) {
        Ok(l) => l,
        Err(f) => panic!("does not load: {:#?}", f.diagnostics),
    }
}

fn compile(loaded: &Loaded) -> (Option<Org>, Diagnostics) {
    resolve(&loaded.blueprint, "test.yaml")
}

fn compile_ok(loaded: &Loaded) -> Org {
    let (org, diags) = compile(loaded);
    let listed: Vec<String> = diags
        .iter()
        .map(|d| format!("{} {}", d.code, d.message))
        .collect();
    assert!(listed.is_empty(), "unexpected diagnostics: {listed:#?}");
    org.unwrap()
}

fn kitchen_text() -> String {
    std::fs::read_to_string(KITCHEN).unwrap()
}

/// Compares `actual` with a golden file, or writes it under `LANDFORM_BLESS=1`.
fn golden(name: &str, actual: &str) {
    let path = Path::new("tests/golden/compile").join(name);
    if std::env::var_os("LANDFORM_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "{} is missing: run `LANDFORM_BLESS=1 cargo test --test compile_resolve`",
            path.display()
        )
    });
    assert!(
        expected == actual,
        "{} differs from the compiled output; if the change is intended, regenerate with LANDFORM_BLESS=1 and review the diff",
        path.display()
    );
}

/// Every compiled document, with what made it and where it goes.
fn policies_json(org: &Org) -> String {
    let list: Vec<_> = org
        .policies
        .iter()
        .map(|p| {
            json!({
                "kind": p.kind,
                "name": p.name,
                "path": p.path,
                "origin": p.origin.construct,
                "parts": p.parts.iter().map(|o| o.construct.clone()).collect::<Vec<_>>(),
                "accounts": p.accounts.iter().map(|a| org.account(*a).name.clone()).collect::<Vec<_>>(),
                "document": p.document,
            })
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&list).unwrap();
    s.push('\n');
    s
}

fn assigned(org: &Org, ps: &str, principal: &str) -> Vec<(String, String)> {
    org.assignments
        .iter()
        .filter(|a| org.permission_set(a.permission_set).name == ps)
        .filter(|a| match &a.principal {
            AssignmentPrincipal::Group(g) | AssignmentPrincipal::User(g) => g == principal,
        })
        .map(|a| (org.account(a.account).name.clone(), org.target_name(a.via)))
        .collect()
}

fn names(list: &[(String, String)]) -> Vec<&str> {
    list.iter().map(|(a, _)| a.as_str()).collect()
}

#[test]
fn kitchen_compiles_and_its_documents_are_pinned() {
    let org = compile_ok(&load_file(KITCHEN));
    golden("kitchen.policies.json", &policies_json(&org));
}

#[test]
fn an_ou_assignment_reaches_every_account_below_it() {
    let org = compile_ok(&load_file(KITCHEN));
    // Workloads → Prod → Cards: three levels down
    let got = assigned(&org, "ProdReadOnly", "engineers");
    assert_eq!(
        names(&got),
        vec!["cards-prod", "payments-prod", "payments-staging"]
    );
    assert!(got.iter().all(|(_, via)| via == "Workloads"));
    // recursive: false stops at the OU's own accounts
    assert_eq!(
        names(&assigned(&org, "AppData", "oncall")),
        vec!["payments-prod"]
    );
}

#[test]
fn excludes_and_the_management_account_rule() {
    let org = compile_ok(&load_file(KITCHEN));
    // targets [Root, management], exclude [Sandbox, audit]
    let got = assigned(&org, "OrgAdmin", "platform");
    assert_eq!(
        names(&got),
        vec![
            "cards-prod",
            "log-archive",
            "management",
            "payments-prod",
            "payments-staging"
        ]
    );
    let mgmt = got.iter().find(|(a, _)| a == "management").unwrap();
    assert_eq!(
        mgmt.1, "account management",
        "reached only because it is named"
    );
    // Root alone never reaches the management account
    let text = kitchen_text().replace(
        "targets: [Root, management], exclude: [Sandbox, audit]",
        "targets: [Root]",
    );
    let org = compile_ok(&load_text(&text));
    let got = assigned(&org, "OrgAdmin", "platform");
    assert!(!names(&got).contains(&"management"));
    assert!(names(&got).contains(&"sandbox-1"));
    assert!(names(&got).contains(&"audit"));
}

#[test]
fn one_assignment_per_triple_named_by_the_first_target() {
    let org = compile_ok(&load_file(KITCHEN));
    // alice: targets [payments-prod, Workloads/Prod]
    let got = assigned(&org, "ProdReadOnly", "alice");
    assert_eq!(
        got,
        vec![
            ("cards-prod".to_string(), "Workloads/Prod".to_string()),
            (
                "payments-prod".to_string(),
                "account payments-prod".to_string()
            ),
        ]
    );
    let mut triples = BTreeSet::new();
    for a in &org.assignments {
        assert!(
            triples.insert((a.principal.clone(), a.permission_set, a.account)),
            "duplicate assignment"
        );
    }
}

#[test]
fn policies_are_created_where_they_are_used() {
    let org = compile_ok(&load_file(KITCHEN));
    let accounts = |name: &str| -> Vec<String> {
        let p = org.policies.iter().find(|p| p.name == name).unwrap();
        p.accounts
            .iter()
            .map(|a| org.account(*a).name.clone())
            .collect()
    };
    // the boundary: the delegation's accounts, the role that wears it, the
    // permission set's assignments
    assert_eq!(
        accounts("team-boundary"),
        vec!["cards-prod", "payments-prod"]
    );
    // attachable by the team in both its accounts, used by ci-deployer
    assert_eq!(
        accounts("read-app-bucket"),
        vec!["cards-prod", "payments-prod"]
    );
    assert_eq!(accounts("abac-project-data"), vec!["payments-prod"]);
}

#[test]
fn guardrails_merge_into_one_scp_per_target() {
    let org = compile_ok(&load_file(KITCHEN));
    let scps: Vec<(&str, Vec<&str>)> = org
        .policies
        .iter()
        .filter(|p| p.name.starts_with("landform-guardrails"))
        .map(|p| {
            (
                p.name.as_str(),
                p.parts.iter().map(|o| o.construct.as_str()).collect(),
            )
        })
        .collect();
    assert_eq!(
        scps,
        vec![
            (
                "landform-guardrails-root",
                vec![
                    "guardrails.deny_leave_organization",
                    "guardrails.deny_member_root",
                    "guardrails.protect_audit_trail"
                ]
            ),
            (
                "landform-guardrails-ou-sandbox",
                vec!["guardrails.region_lock"]
            ),
            (
                "landform-guardrails-ou-workloads",
                vec![
                    "guardrails.region_lock",
                    "guardrails.require_boundary_on_create_role",
                    "guardrails.require_tags_on_create",
                    "guardrails.protect_governance_tags"
                ]
            ),
        ]
    );
    for p in org.policies.iter().filter(|p| p.kind == PolicyKind::Scp) {
        assert_eq!(
            p.text(),
            serde_json::to_string(&p.document).unwrap(),
            "minified"
        );
    }
}

/// All generated names, keyed by what made them.
fn generated_names(org: &Org) -> BTreeSet<(String, String, String)> {
    let mut out = BTreeSet::new();
    for p in &org.policies {
        out.insert((
            format!("{:?}", p.kind),
            p.origin.construct.clone(),
            format!("{} {}", p.name, p.document),
        ));
    }
    for r in &org.roles {
        out.insert((
            "role".into(),
            r.origin.construct.clone(),
            format!("{}@{}", r.name, org.account(r.account).name),
        ));
    }
    out
}

#[test]
fn unrelated_changes_rename_nothing() {
    let before = compile_ok(&load_file(KITCHEN));
    // an OU that sorts first, an account in an existing OU, a permission set,
    // a role and a boundary: none of them touches the existing constructs
    let text = kitchen_text()
        .replace(
            "organizational_units:\n",
            "organizational_units:\n  Aardvark:\n    accounts:\n      aardvark-1: { email: aws+aardvark@kitchen.example }\n",
        )
        .replace(
            "      NonProd:\n        accounts:\n",
            "      NonProd:\n        accounts:\n          analytics-staging: { email: aws+analytics@kitchen.example }\n",
        )
        .replace(
            "  permission_sets:\n",
            "  permission_sets:\n    AaaViewer: { aws_managed: [ViewOnlyAccess] }\n",
        )
        .replace(
            "roles:\n",
            "roles:\n  aaa-reader:\n    accounts: [aardvark-1]\n    trust: { aws: [\"111122223333\"], external_id: x }\n",
        )
        .replace(
            "boundaries:\n",
            "boundaries:\n  aaa-boundary: { allow: [s3:*] }\n",
        );
    let after = compile_ok(&load_text(&text));
    let old = generated_names(&before);
    let new = generated_names(&after);
    let missing: Vec<_> = old.difference(&new).collect();
    assert!(
        missing.is_empty(),
        "names or documents changed: {missing:#?}"
    );
    assert!(new.len() > old.len());
}

fn long_exemptions(n: usize) -> String {
    let list: Vec<String> = (0..n)
        .map(|i| format!("ec2:DescribeSomethingQuiteLong{i:03}"))
        .collect();
    format!("[{}]", list.join(", "))
}

#[test]
fn a_region_lock_that_grows_too_long_is_an_error_at_the_guardrail() {
    let text = kitchen_text().replace(
        "    exempt_principals: [AWSControlTowerExecution]\n",
        &format!(
            "    exempt_principals: [AWSControlTowerExecution]\n    exempt_actions: {}\n",
            long_exemptions(120)
        ),
    );
    let loaded = load_text(&text);
    let (org, diags) = compile(&loaded);
    assert!(org.is_none());
    let errors: Vec<_> = diags.iter().filter(|d| d.code == "LF501").collect();
    assert_eq!(errors.len(), 2, "the Sandbox and the Workloads SCP");
    let d = errors[0];
    assert!(d.message.contains("more than the 5,120 AWS accepts"));
    let loc = loaded.sources.locate(d.primary_span().unwrap()).unwrap();
    let line = text.lines().nth(loc.line as usize - 1).unwrap();
    assert!(
        line.contains("attach: [Workloads, Sandbox]"),
        "points at the region lock, not at `{line}`"
    );
}

#[test]
fn guardrails_that_do_not_fit_together_split_into_two_scps() {
    // the lock alone fits; with the other Workloads guardrails it does not
    let text = kitchen_text().replace(
        "    exempt_principals: [AWSControlTowerExecution]\n",
        &format!(
            "    exempt_principals: [AWSControlTowerExecution]\n    exempt_actions: {}\n",
            long_exemptions(70)
        ),
    );
    let org = compile_ok(&load_text(&text));
    let workloads: Vec<_> = org
        .policies
        .iter()
        .filter(|p| p.name.starts_with("landform-guardrails-ou-workloads"))
        .collect();
    assert_eq!(workloads.len(), 2);
    assert_eq!(workloads[1].name, "landform-guardrails-ou-workloads-2");
    let w = org.ou_by_path("Workloads").unwrap().id;
    assert_eq!(org.attached(Target::Ou(w), PolicyKind::Scp).len(), 2);
}

#[test]
fn too_many_scps_on_one_target_after_compilation() {
    let mut text = kitchen_text().replace(
        "        scps: [deny-risky-prod]\n",
        "        scps: [deny-risky-prod, p1, p2, p3, p4]\n",
    );
    let extra: String = (1..=4)
        .map(|i| {
            format!(
                "    p{i}:\n      document: {{ Version: \"2012-10-17\", Statement: [{{ Effect: Deny, Action: \"s3:DeleteBucket\", Resource: \"*\" }}] }}\n"
            )
        })
        .collect();
    text = text.replace("  scp:\n", &format!("  scp:\n{extra}"));
    let (org, diags) = compile(&load_text(&text));
    assert!(org.is_none());
    let d: Vec<_> = diags.iter().filter(|d| d.code == "LF505").collect();
    assert_eq!(
        d.len(),
        1,
        "{:?}",
        diags.iter().map(|d| &d.message).collect::<Vec<_>>()
    );
    assert!(
        d[0].message
            .starts_with("6 SCPs are attached to `Workloads/Prod`"),
        "{}",
        d[0].message
    );
}

#[test]
fn tests_resolve_their_principals() {
    let org = compile_ok(&load_file(KITCHEN));
    let kinds: Vec<String> = org
        .tests
        .iter()
        .map(|t| match &t.principal {
            PrincipalRef::PermissionSet {
                permission_set,
                account,
            } => format!(
                "ps {}@{}",
                org.permission_set(*permission_set).name,
                org.account(*account).name
            ),
            PrincipalRef::Role { role } => format!(
                "role {}@{}",
                org.role(*role).name,
                org.account(org.role(*role).account).name
            ),
            PrincipalRef::BreakGlass { index } => format!("user {}", org.break_glass[*index].name),
        })
        .collect();
    assert_eq!(
        kinds,
        vec![
            "ps ProdReadOnly@payments-prod",
            "role team-app-admin@payments-prod",
            "role ci-deployer@payments-prod",
            "user breakglass-1"
        ]
    );
    assert_eq!(
        org.tests[2].context["aws:RequestedRegion"],
        vec!["ap-south-1"]
    );
    assert_eq!(org.tests[0].resource, "*");
}

#[test]
fn dangling_references_are_diagnosed_not_panicked_on() {
    // references validation would reject; resolve must survive them
    let text = kitchen_text()
        .replace("targets: [Workloads] }", "targets: [Workloads/Nope] }")
        .replace(
            "accounts: [payments-prod]\n    trust:\n      aws:",
            "accounts: [nobody]\n    trust:\n      aws:",
        )
        .replace(
            "boundary: team-boundary\n    attachable",
            "boundary: no-such-boundary\n    attachable",
        )
        .replace("as: user:breakglass-1", "as: user:nobody");
    let (org, diags) = compile(&load_text(&text));
    assert!(org.is_none());
    let messages: Vec<&str> = diags
        .iter()
        .filter(|d| d.code == "LF510")
        .map(|d| d.message.as_str())
        .collect();
    assert!(
        messages.contains(&"unknown target `Workloads/Nope`"),
        "{messages:#?}"
    );
    assert!(
        messages.contains(&"unknown target `nobody`"),
        "{messages:#?}"
    );
    assert!(
        messages.contains(&"unknown boundary `no-such-boundary`"),
        "{messages:#?}"
    );
    assert!(
        messages.contains(&"cannot resolve the principal `user:nobody`"),
        "{messages:#?}"
    );
}

#[test]
fn compiling_twice_gives_the_same_bytes() {
    let a = compile_ok(&load_file(KITCHEN));
    let b = compile_ok(&load_file(KITCHEN));
    assert_eq!(
        serde_json::to_string(&a).unwrap(),
        serde_json::to_string(&b).unwrap()
    );
}

/// Every document of every compiled example parses with the engine and has no
/// lint error (generated documents have no lint finding above a suggestion).
#[test]
fn compiled_examples_parse_and_lint_clean() {
    use landform::policy::lint::{FindingClass, PolicyKind as LintKind, lint_text};
    let mut paths = vec![KITCHEN.to_string()];
    for p in ["examples/paywave.yaml", "examples/northwind.yaml"] {
        if Path::new(p).exists() {
            paths.push(p.to_string());
        }
    }
    for path in paths {
        // warnings about the examples themselves (LF513) do not matter here
        let (org, diags) = compile(&load_file(&path));
        let org = org.unwrap_or_else(|| panic!("{path}: {diags:#?}"));
        for p in &org.policies {
            let kind = match p.kind {
                PolicyKind::Scp => LintKind::Scp,
                PolicyKind::Rcp => LintKind::Rcp,
                PolicyKind::Boundary => LintKind::Boundary,
                PolicyKind::Trust => LintKind::Trust,
                _ => LintKind::Identity,
            };
            let text = serde_json::to_string_pretty(&p.document).unwrap();
            let findings = lint_text(&text, kind)
                .unwrap_or_else(|e| panic!("{path}: `{}` does not parse: {e:?}", p.name));
            let generated = !p.origin.construct.starts_with("policies.")
                && !p.origin.construct.contains(".inline");
            let bad: Vec<String> = findings
                .iter()
                .filter(|f| {
                    f.class == FindingClass::Error
                        || (generated && f.class != FindingClass::Suggestion)
                })
                .map(|f| format!("{} {}", f.code, f.message))
                .collect();
            assert!(bad.is_empty(), "{path}: `{}`: {bad:#?}", p.name);
        }
    }
}

#[test]
fn roles_the_boundary_guardrail_would_refuse_are_reported() {
    // without the deploying role exempt, the roles without the boundary in
    // Workloads cannot be created; those wearing it can
    let text = kitchen_text().replace(
        "    exempt_principals: [OrganizationAccountAccessRole]\n",
        "    exempt_principals: [platform-pipeline]\n",
    );
    let (org, diags) = compile(&load_text(&text));
    assert!(org.is_some(), "a warning, not an error");
    let found: Vec<&str> = diags
        .iter()
        .filter(|d| d.code == "LF513")
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(
        found,
        vec![
            "role `ci-deployer` wears no boundary, but `require_boundary_on_create_role` lets roles in `payments-prod` be created only with `team-boundary`",
            "role `github-deploy` wears no boundary, but `require_boundary_on_create_role` lets roles in `payments-staging` be created only with `team-boundary`",
        ]
    );
}
