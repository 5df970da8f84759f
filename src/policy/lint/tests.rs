//! Unit tests of individual rules: the cases where a rule must stay quiet, and
//! the variations its fixture in `tests/lint/` does not show.

use super::*;

fn findings(text: &str, kind: PolicyKind) -> Vec<Finding> {
    lint_text(text, kind).unwrap_or_else(|e| panic!("{e}"))
}

fn codes(text: &str, kind: PolicyKind) -> Vec<&'static str> {
    findings(text, kind).iter().map(|f| f.code).collect()
}

fn policy(statements: &str) -> String {
    format!("{{\"Version\": \"2012-10-17\", \"Statement\": [{statements}]}}")
}

fn id(statements: &str) -> Vec<&'static str> {
    codes(&policy(statements), PolicyKind::Identity)
}

#[test]
fn clean_policy_has_no_findings() {
    assert!(
        id(r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}"#)
            .is_empty()
    );
}

#[test]
fn object_actions_on_objects_and_star_do_not_mismatch() {
    for r in [
        "arn:aws:s3:::b/*",
        "*",
        "arn:aws:s3:::b/${aws:username}/*",
        "arn:aws:s3:::b*",
    ] {
        let p = format!(r#"{{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "{r}"}}"#);
        assert!(id(&p).is_empty(), "{r}");
    }
    // one matching resource among several is enough
    assert!(
        id(
            r#"{"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"],
                  "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::b/*"]}"#
        )
        .is_empty()
    );
    let f = findings(
        &policy(r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b"}"#),
        PolicyKind::Identity,
    );
    assert_eq!(f.len(), 1);
    assert_eq!(
        f[0].help.as_deref(),
        Some("to cover what is below the resource, use `arn:aws:s3:::b/*`")
    );
    // a Deny that can never match is reported as such
    let f = findings(
        &policy(r#"{"Effect": "Deny", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b"}"#),
        PolicyKind::Identity,
    );
    assert!(f[0].message.contains("never denies"), "{}", f[0].message);
}

#[test]
fn pass_role_rules() {
    let star = r#"{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}"#;
    assert_eq!(id(star), ["PL501"]);
    // scoped, conditioned on the service, or a Deny: quiet
    assert!(id(r#"{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::111122223333:role/app/worker"}"#).is_empty());
    assert!(
        id(
            r#"{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*",
                  "Condition": {"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}}}"#
        )
        .is_empty()
    );
    assert!(id(r#"{"Effect": "Deny", "Action": "iam:PassRole", "Resource": "*"}"#).is_empty());
    // SCPs are guardrails, not grants
    assert!(
        codes(
            &policy(r#"{"Effect": "Allow", "Action": "*", "Resource": "*"}"#),
            PolicyKind::Scp
        )
        .is_empty()
    );
    // NotAction that does not exclude PassRole grants it
    let c = id(r#"{"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"}"#);
    assert!(c.contains(&"PL501") && c.contains(&"PL502"), "{c:?}");
    let c = id(r#"{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}"#);
    assert!(!c.contains(&"PL501"), "{c:?}");
}

#[test]
fn not_action_class_depends_on_resources() {
    let all = findings(
        &policy(r#"{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}"#),
        PolicyKind::Identity,
    );
    assert_eq!(all[0].class, FindingClass::SecurityWarning);
    let some = findings(
        &policy(
            r#"{"Effect": "Allow", "NotAction": "s3:Delete*", "Resource": "arn:aws:s3:::b/*"}"#,
        ),
        PolicyKind::Identity,
    );
    assert_eq!(some[0].class, FindingClass::Warning);
    // NotAction in a Deny is the normal way to write exceptions
    assert!(id(r#"{"Effect": "Deny", "NotAction": "iam:*", "Resource": "*"}"#).is_empty());
}

#[test]
fn condition_keys_resolve_case_insensitively_and_federation_keys_pass() {
    assert!(
        id(
            r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
                  "Condition": {"IpAddress": {"AWS:SOURCEIP": "203.0.113.0/24"}}}"#
        )
        .is_empty()
    );
    let trust = policy(
        r#"{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {"StringLike": {"token.actions.githubusercontent.com:sub": "repo:o/r:*"}}}"#,
    );
    assert!(codes(&trust, PolicyKind::Trust).is_empty());
    // an OIDC provider other than GitHub is satisfied by its audience
    let google = policy(
        r#"{"Effect": "Allow", "Principal": {"Federated": "accounts.google.com"},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {"StringEquals": {"accounts.google.com:aud": "app-id"}}}"#,
    );
    assert!(codes(&google, PolicyKind::Trust).is_empty());
    let open = policy(
        r#"{"Effect": "Allow", "Principal": {"Federated": "accounts.google.com"},
            "Action": "sts:AssumeRoleWithWebIdentity"}"#,
    );
    assert_eq!(codes(&open, PolicyKind::Trust), ["PL305"]);
}

#[test]
fn operator_types_accept_documented_alternatives() {
    // ARN keys take string operators; aws:EpochTime takes numeric operators
    assert!(
        id(
            r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
                  "Condition": {"StringLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/x"},
                                "ArnLike": {"aws:SourceArn": "arn:aws:sns:*:*:t"},
                                "NumericLessThan": {"aws:EpochTime": "1900000000"},
                                "DateGreaterThan": {"aws:EpochTime": "1700000000"},
                                "Null": {"aws:TokenIssueTime": "false"}}}"#
        )
        .is_empty()
    );
    // but a string key does not take an ARN operator
    assert_eq!(
        id(
            r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
                     "Condition": {"ArnEquals": {"aws:PrincipalAccount": "111122223333"}}}"#
        ),
        ["PL402"]
    );
}

#[test]
fn set_qualifier_rules() {
    // ForAllValues with a Null check on the same key is the safe idiom
    assert!(
        id(
            r#"{"Effect": "Allow", "Action": "ec2:CreateTags", "Resource": "*",
                  "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": ["Project"]},
                                "Null": {"aws:TagKeys": "false"}}}"#
        )
        .is_empty()
    );
    // ...and in a Deny it is not an over-grant
    assert!(
        id(
            r#"{"Effect": "Deny", "Action": "ec2:CreateTags", "Resource": "*",
                  "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": ["Project"]}}}"#
        )
        .is_empty()
    );
    assert!(
        id(
            r#"{"Effect": "Allow", "Action": "ec2:CreateTags", "Resource": "*",
                  "Condition": {"ForAnyValue:StringEquals": {"aws:TagKeys": ["Project"]}}}"#
        )
        .is_empty()
    );
}

#[test]
fn wildcards_in_variables_are_not_wildcards() {
    assert!(
        id(
            r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
                  "Condition": {"StringEquals": {"aws:PrincipalTag/team": "a${*}b"}}}"#
        )
        .is_empty()
    );
}

#[test]
fn variables_need_the_2012_version() {
    let text = r#"{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/${aws:username}/*"}]}"#;
    let f = findings(text, PolicyKind::Identity);
    let c: Vec<&str> = f.iter().map(|f| f.code).collect();
    assert_eq!(c, ["PL003", "PL004"]);
    assert!(
        f[1].message.contains("has no `Version`"),
        "{}",
        f[1].message
    );
    assert!(id(r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/${aws:username}/*"}"#).is_empty());
}

#[test]
fn class_depends_on_policy_kind() {
    let dup = r#"{"Sid": "A", "Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"},
                 {"Sid": "A", "Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::b"}"#;
    let f = findings(&policy(dup), PolicyKind::Resource);
    assert_eq!(
        f.iter().find(|f| f.code == "PL002").unwrap().class,
        FindingClass::Warning
    );
    let no_version = r#"{"Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*"}]}"#;
    assert_eq!(
        findings(no_version, PolicyKind::Rcp)[0].class,
        FindingClass::Error
    );
    assert_eq!(
        findings(no_version, PolicyKind::Resource)
            .iter()
            .find(|f| f.code == "PL003")
            .unwrap()
            .class,
        FindingClass::Warning
    );
}

#[test]
fn trust_rules() {
    let guarded = policy(
        r#"{"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"sts:ExternalId": "x"}}}"#,
    );
    assert!(codes(&guarded, PolicyKind::Trust).is_empty());
    let service = policy(
        r#"{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}"#,
    );
    assert!(codes(&service, PolicyKind::Trust).is_empty());
    let public =
        policy(r#"{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}"#);
    assert_eq!(codes(&public, PolicyKind::Trust), ["PL301"]);
    let not_principal = policy(
        r#"{"Effect": "Deny", "NotPrincipal": {"AWS": "111122223333"}, "Action": "sts:AssumeRole"}"#,
    );
    assert_eq!(codes(&not_principal, PolicyKind::Trust), ["PL005"]);
}

#[test]
fn rcp_full_access_is_the_only_allowed_allow() {
    let full = policy(r#"{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}"#);
    assert!(codes(&full, PolicyKind::Rcp).is_empty());
    let scoped =
        policy(r#"{"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*"}"#);
    assert_eq!(codes(&scoped, PolicyKind::Rcp), ["PL010"]);
}

#[test]
fn redundancy() {
    // two identical statements: only the later one is reported
    let same = r#"{"Sid": "A", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"},
                  {"Sid": "B", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}"#;
    let f = findings(&policy(same), PolicyKind::Identity);
    assert_eq!(f.len(), 1);
    assert!(
        f[0].message.starts_with("statement `B` is redundant"),
        "{}",
        f[0].message
    );
    // different effects or a narrower condition on the wider statement: not redundant
    assert!(
        id(
            r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"},
                  {"Effect": "Deny", "Action": "s3:Get*", "Resource": "arn:aws:s3:::b/*"}"#
        )
        .is_empty()
    );
    assert!(
        id(
            r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"},
                  {"Effect": "Allow", "Action": "s3:Get*", "Resource": "arn:aws:s3:::b/*",
                   "Condition": {"Bool": {"aws:SecureTransport": "true"}}}"#
        )
        .is_empty()
    );
    // entries covered only by the union of the others are redundant too
    assert_eq!(
        id(
            r#"{"Effect": "Allow", "Action": ["s3:Get*", "s3:Put*", "s3:?etObject"], "Resource": "arn:aws:s3:::b/*"}"#
        ),
        ["PL104"]
    );
    // an unknown entry is not called redundant (PL102 reports it)
    assert_eq!(
        id(r#"{"Effect": "Allow", "Action": ["s3:*", "s3:GetObjects"], "Resource": "*"}"#),
        ["PL102"]
    );
}

#[test]
fn findings_become_diagnostics_with_class_and_spans() {
    let text = policy(r#"{"Effect": "Allow", "Action": "s3:GetObjects", "Resource": "*"}"#);
    let f = findings(&text, PolicyKind::Identity);
    let d = f[0].to_diagnostic(SourceId(0));
    assert_eq!(d.code, "PL102");
    assert_eq!(d.severity, Severity::Error);
    let span = d.primary_span().unwrap();
    assert_eq!(
        &text[span.start as usize..span.end as usize],
        "\"s3:GetObjects\""
    );
    assert_eq!(d.notes, ["Access Analyzer class: ERROR"]);
}

#[test]
fn every_finding_code_is_documented() {
    // the fixtures exercise every rule; here: docs are reachable by code
    for r in rules() {
        assert_eq!(docs(r.code).map(|d| d.name), Some(r.name));
    }
}
