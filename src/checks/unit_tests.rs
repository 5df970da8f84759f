//! Fixtures for the checks a valid blueprint cannot trigger (the compiler
//! generates the documents they guard correctly by construction, or the
//! blueprint model cannot express the mistake): organizations built with
//! [`crate::org::builder::OrgBuilder`], each check's findings snapshotted.
//! The YAML fixtures of the other checks are in `tests/fixtures/checks/`.

use std::collections::BTreeMap;

use serde_json::json;

use super::*;
use crate::diagnostics::render::{HumanOptions, human_all};
use crate::org::builder::RoleSpec;
use crate::org::{CustomerManagedRef, ManagedRef, PolicyKind, RoleKind};
use crate::principals::testorg::{doc, mini, mini_builder, origin};

fn render(diags: &[Diagnostic]) -> String {
    let d: Diagnostics = diags.iter().cloned().collect();
    human_all(&d, &SourceMap::new(), HumanOptions::default())
}

/// A delegated team whose admin role carries a hand-written delegation
/// policy that allows all of IAM, under a boundary that allows all of IAM
/// and protects nothing: every delegation check has something to say.
fn leaky_delegation() -> (Org, Intent) {
    let mut m = mini_builder();
    let b = &mut m.b;
    let boundary = b.policy(
        PolicyKind::Boundary,
        "leaky-boundary",
        doc(json!([{"Sid": "AllowAll", "Effect": "Allow", "Action": ["iam:*", "s3:*"], "Resource": "*"}])),
        origin("boundaries.leaky-boundary"),
    );
    b.policy_mut(boundary).accounts = vec![m.staging];
    let delegation = b.policy(
        PolicyKind::RoleInline,
        "delegation",
        doc(json!([{"Sid": "AllIam", "Effect": "Allow", "Action": "iam:*", "Resource": "*"}])),
        origin("delegation.app"),
    );
    b.role(
        RoleSpec {
            name: "team-app-admin".into(),
            path: "/".into(),
            account: m.staging,
            kind: RoleKind::DelegatedAdmin { team: "app".into() },
            description: String::new(),
            managed: Vec::new(),
            inline: vec![delegation],
            boundary: Some(ManagedRef::Customer(CustomerManagedRef {
                name: "leaky-boundary".into(),
                path: "/".into(),
                policy: Some(boundary),
            })),
            max_session_seconds: 3600,
            tags: BTreeMap::new(),
            origin: origin("delegation.app"),
        },
        doc(json!([{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::{{landform:account:payments-staging}}:root"},
                    "Action": "sts:AssumeRole",
                    "Condition": {"StringEquals": {"aws:PrincipalOrgID": "{{landform:org_id}}"}}}])),
    );
    let mut intent = Intent::default();
    intent
        .delegation_paths
        .insert("app".into(), "/team-app/".into());
    (m.b.finish(), intent)
}

fn codes(diags: &[Diagnostic]) -> Vec<&str> {
    let mut c: Vec<&str> = diags.iter().map(|d| d.code.as_str()).collect();
    c.sort_unstable();
    c.dedup();
    c
}

#[test]
fn delegation_leaks_are_found() {
    let (org, intent) = leaky_delegation();
    for code in [
        "LF730", "LF731", "LF732", "LF733", "LF734", "LF735", "LF736",
    ] {
        let found = run_one(&org, &intent, code);
        assert_eq!(codes(&found), [code], "{code}: {}", render(&found));
        insta::assert_snapshot!(format!("rust_fixture_{code}"), render(&found));
    }
    // the leaky team can create bounded roles: the positive control holds
    assert!(run_one(&org, &intent, "LF737").is_empty());
}

#[test]
fn the_generated_delegation_of_the_mini_org_is_quiet() {
    let org = mini();
    let intent = Intent::default();
    for c in checks() {
        let found = run_one(&org, &intent, c.code);
        assert!(found.is_empty(), "{}: {}", c.code, render(&found));
    }
}

#[test]
fn a_wildcard_trust_is_open_to_anyone() {
    let mut m = mini_builder();
    let staging = m.staging;
    m.b.role(
        RoleSpec {
            name: "open".into(),
            path: "/".into(),
            account: staging,
            kind: RoleKind::Workload,
            description: String::new(),
            managed: Vec::new(),
            inline: Vec::new(),
            boundary: None,
            max_session_seconds: 3600,
            tags: BTreeMap::new(),
            origin: origin("roles.open"),
        },
        doc(json!([{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}])),
    );
    let org = m.b.finish();
    let found = run_one(&org, &Intent::default(), "LF720");
    assert_eq!(codes(&found), ["LF720"], "{}", render(&found));
    insta::assert_snapshot!("rust_fixture_LF720", render(&found));
    // the same trust restricted to the organization is not open
    let mut m = mini_builder();
    let staging = m.staging;
    m.b.role(
        RoleSpec {
            name: "org-only".into(),
            path: "/".into(),
            account: staging,
            kind: RoleKind::Workload,
            description: String::new(),
            managed: Vec::new(),
            inline: Vec::new(),
            boundary: None,
            max_session_seconds: 3600,
            tags: BTreeMap::new(),
            origin: origin("roles.org-only"),
        },
        doc(
            json!([{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole",
                    "Condition": {"StringEquals": {"aws:PrincipalOrgID": "{{landform:org_id}}"}}}]),
        ),
    );
    let org = m.b.finish();
    assert!(run_one(&org, &Intent::default(), "LF720").is_empty());
}

#[test]
fn a_deny_all_at_the_root_locks_every_member_account_out() {
    let mut m = mini_builder();
    let deny_all =
        m.b.org()
            .policies
            .iter()
            .find(|p| p.name == "deny-all")
            .map(|p| p.id)
            .unwrap();
    m.b.attach(deny_all, Target::Root, origin("organization.scps[0]"));
    let org = m.b.finish();
    let found = run_one(&org, &Intent::default(), "LF765");
    assert_eq!(codes(&found), ["LF765"], "{}", render(&found));
    assert!(found[0].message.contains("OrganizationAccountAccessRole"));
    insta::assert_snapshot!("rust_fixture_LF765_root", render(&found));
}

#[test]
fn account_classes_group_accounts_by_ou_and_attachments() {
    let mut m = mini_builder();
    let extra = m.b.account(
        "payments-prod-2",
        "p2@x.example",
        m.b.org().account(m.prod).ou,
        false,
        origin("accounts.payments-prod-2"),
    );
    let scp = m.b.policy(
        PolicyKind::Scp,
        "own",
        doc(json!([{"Effect": "Deny", "Action": "ec2:*", "Resource": "*"}])),
        origin("policies.scp.own"),
    );
    m.b.attach(
        scp,
        Target::Account(m.staging),
        origin("accounts.payments-staging.scps[0]"),
    );
    let org = m.b.finish();
    let engine = OrgEngine::new(&org);
    let intent = Intent::default();
    let mut cx = Cx::new(&org, &engine, &intent);
    let names: Vec<String> = cx.classes().iter().map(|c| c.name.clone()).collect();
    assert_eq!(
        names,
        [
            "OU `Security` (account `log-archive`)",
            "OU `Workloads/Prod` (2 accounts)",
            "account `payments-staging`",
        ],
        "{names:?}"
    );
    let prod = cx
        .classes()
        .into_iter()
        .find(|c| c.accounts.len() == 2)
        .unwrap();
    assert!(prod.accounts.contains(&extra));
}

#[test]
fn every_check_documents_itself() {
    let docs = docs();
    assert_eq!(docs.len(), checks().len());
    let mut seen = std::collections::BTreeSet::new();
    for (c, d) in checks().iter().zip(docs) {
        assert!(seen.insert(c.code), "{} twice", c.code);
        assert!(c.code.starts_with("LF7"), "{}", c.code);
        assert!(
            c.source.starts_with(&format!("//! # {}: ", c.code)),
            "{}: the doc comment starts with `//! # {}: `",
            c.code,
            c.code
        );
        for (section, body) in [
            ("What it does", &d.what),
            ("Why is this bad?", &d.why),
            ("Example", &d.example),
            ("How to fix", &d.fix),
            ("Seeds", &d.seeds),
        ] {
            assert!(!body.trim().is_empty(), "{}: empty `## {section}`", c.code);
        }
        assert!(
            d.example.contains("```"),
            "{}: the example is a code block",
            c.code
        );
        assert!(
            c.name
                .chars()
                .all(|ch| ch.is_ascii_lowercase() || ch == '-'),
            "{}: name `{}`",
            c.code,
            c.name
        );
        assert!(!c.summary.ends_with('.'), "{}", c.code);
    }
    let sorted: Vec<&str> = checks().iter().map(|c| c.code).collect();
    let mut s2 = sorted.clone();
    s2.sort_unstable();
    assert_eq!(sorted, s2, "checks are listed in code order");
}

#[test]
fn lists_read_well() {
    let v = |n: usize| (1..=n).map(|i| format!("`{i}`")).collect::<Vec<_>>();
    assert_eq!(list(&v(1), 3), "`1`");
    assert_eq!(list(&v(2), 3), "`1` and `2`");
    assert_eq!(list(&v(3), 3), "`1`, `2` and `3`");
    assert_eq!(list(&v(5), 3), "`1`, `2`, `3` and 2 more");
}
