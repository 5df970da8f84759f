//! Every document the compilation rules generate parses cleanly with the
//! engine's policy parser (no errors, no warnings) and names only actions the
//! catalogue knows.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use landform::blueprint::resolve::abac::{AbacPolicySpec, abac_document};
use landform::blueprint::resolve::boundary::{BoundarySpec, boundary_document};
use landform::blueprint::resolve::delegation::{DelegationSpec, delegation_document};
use landform::blueprint::resolve::doc::document;
use landform::blueprint::resolve::guardrails::{
    RegionLock, default_global_exemptions, deny_leave_organization, deny_member_root,
    protect_audit_trail, protect_tags, region_lock, require_boundary_on_create_role,
    require_tags_on_create,
};
use landform::blueprint::resolve::trust::{
    OidcTrust, SamlTrust, ServicePrincipal, SsoPrincipal, TrustSpec, require_mfa_document,
    trust_document,
};
use landform::catalog::catalog;
use landform::policy::lint::{FindingClass, PolicyKind, lint_text};
use landform::policy::parse::parse_policy_with_warnings;

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| (*x).to_string()).collect()
}

fn kind_of(name: &str) -> PolicyKind {
    match name {
        "boundary" => PolicyKind::Boundary,
        "delegation" | "abac" | "break-glass mfa" => PolicyKind::Identity,
        "trust" => PolicyKind::Trust,
        _ => PolicyKind::Scp,
    }
}

fn all_documents() -> Vec<(&'static str, serde_json::Value)> {
    let boundary = BoundarySpec {
        name: "team-boundary".into(),
        path: "/".into(),
        allow: s(&["s3:*", "dynamodb:*", "logs:*"]),
        protect_itself: true,
        delegated_paths: s(&["/team-app/"]),
    };
    vec![
        (
            "region lock",
            document(&region_lock(&RegionLock {
                allowed_regions: s(&["ap-south-1"]),
                global_services: default_global_exemptions(),
                exempt_actions: s(&["ec2:DescribeAvailabilityZones"]),
                exempt_principals: s(&["AWSControlTowerExecution", "breakglass"]),
            })),
        ),
        ("deny leave", document(&deny_leave_organization(&[]))),
        (
            "audit trail",
            document(&protect_audit_trail(&s(&["logging"]), true)),
        ),
        ("member root", document(&deny_member_root(&[]))),
        (
            "require boundary",
            document(&require_boundary_on_create_role(
                &[boundary.exact_arn()],
                &s(&["OrganizationAccountAccessRole"]),
            )),
        ),
        (
            "tags on create",
            document(&require_tags_on_create(
                &s(&["Project", "DataClass"]),
                &s(&[
                    "ec2:RunInstances",
                    "s3:CreateBucket",
                    "dynamodb:CreateTable",
                ]),
                &[],
            )),
        ),
        (
            "protect tags",
            document(&protect_tags(
                &s(&["Project", "DataClass"]),
                &s(&["ec2", "s3", "dynamodb"]),
                &[],
            )),
        ),
        ("boundary", boundary_document(&boundary)),
        (
            "delegation",
            delegation_document(&DelegationSpec {
                path: "/team-app/".into(),
                boundary_exact_arn: boundary.exact_arn(),
                boundary_resource_arn: boundary.resource_arn(),
                attachable_policies: s(&["arn:aws:iam::aws:policy/ReadOnlyAccess"]),
            }),
        ),
        (
            "abac",
            abac_document(&AbacPolicySpec {
                tag_keys: s(&["Project", "DataClass"]),
                actions: s(&["s3:GetObject", "s3:PutObject"]),
                resources: s(&["arn:aws:s3:::shared-data/*"]),
                tag_on_create_actions: s(&["ec2:CreateTags"]),
            }),
        ),
        (
            "trust",
            trust_document(
                &TrustSpec {
                    aws: s(&["111122223333", "arn:aws:iam::444455556666:role/ci"]),
                    sso: vec![SsoPrincipal {
                        account: "111122223333".into(),
                        permission_set: "PlatformAdmin".into(),
                    }],
                    services: vec![ServicePrincipal {
                        service: "lambda.amazonaws.com".into(),
                        source_account: Some("111122223333".into()),
                        source_arn: None,
                    }],
                    oidc: Some(OidcTrust {
                        provider: "token.actions.githubusercontent.com".into(),
                        audiences: vec![],
                        subjects: s(&["repo:org/app:ref:refs/heads/main"]),
                    }),
                    saml: Some(SamlTrust {
                        provider: "okta".into(),
                        audience: None,
                    }),
                    external_id: Some("x-1".into()),
                    org_only: true,
                    require_mfa: true,
                },
                "payments-prod",
            ),
        ),
        ("break-glass mfa", require_mfa_document()),
    ]
}

#[test]
fn generated_documents_parse_without_errors_or_warnings() {
    for (name, doc) in all_documents() {
        let text = serde_json::to_string_pretty(&doc).unwrap();
        match parse_policy_with_warnings(&text) {
            Ok(parsed) => assert!(
                parsed.warnings.is_empty(),
                "{name}: warnings {:?}",
                parsed.warnings
            ),
            Err(e) => panic!("{name} does not parse: {e:?}\n{text}"),
        }
    }
}

#[test]
fn generated_documents_name_known_actions() {
    for (name, doc) in all_documents() {
        for stmt in doc["Statement"].as_array().unwrap() {
            let actions = stmt
                .get("Action")
                .or_else(|| stmt.get("NotAction"))
                .unwrap();
            let list: Vec<&str> = match actions {
                serde_json::Value::String(a) => vec![a.as_str()],
                serde_json::Value::Array(a) => a.iter().map(|v| v.as_str().unwrap()).collect(),
                _ => panic!("{name}: odd action element"),
            };
            for a in list {
                assert!(
                    a == "*" || catalog().matches_any(a),
                    "{name}: `{a}` is not an action the catalogue knows"
                );
            }
        }
    }
}

#[test]
fn generated_documents_pass_the_policy_lint() {
    for (name, doc) in all_documents() {
        let text = serde_json::to_string_pretty(&doc).unwrap();
        let findings = lint_text(&text, kind_of(name)).unwrap();
        let serious: Vec<_> = findings
            .iter()
            .filter(|f| {
                matches!(
                    f.class,
                    FindingClass::Error | FindingClass::SecurityWarning | FindingClass::Warning
                )
            })
            .map(|f| format!("{} {} {}", f.code, f.class, f.message))
            .collect();
        for f in &findings {
            eprintln!("{name}: {} {} {}", f.code, f.class, f.message);
        }
        assert!(serious.is_empty(), "{name}: {serious:#?}");
    }
}
