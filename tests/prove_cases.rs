//! Hand-written containment questions, one per feature of the policy
//! language the prover reasons about. Each FAIL names the request expected as
//! the witness (or the parts of it that matter), so a wrong witness fails too.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use landform::policy::parse::parse_policy;
use landform::policy::prove::{self, PolicyKind, Proof, ProofResult, Reason, ReasonKind};

fn policy(statements: &str) -> landform::policy::ast::Policy {
    parse_policy(&format!(
        r#"{{"Version": "2012-10-17", "Statement": [{statements}]}}"#
    ))
    .unwrap()
}

fn nna(existing: &str, candidate: &str) -> Proof {
    prove::no_new_access(&policy(existing), &policy(candidate), PolicyKind::Identity)
}

fn nna_resource(existing: &str, candidate: &str) -> Proof {
    prove::no_new_access(&policy(existing), &policy(candidate), PolicyKind::Resource)
}

#[track_caller]
fn pass(p: &Proof) {
    assert_eq!(p.result, ProofResult::Pass, "expected PASS, got {p:#?}");
    assert!(p.reasons.is_empty());
}

/// The first reason of a FAIL, which must carry a concrete witness.
#[track_caller]
fn witness(p: Proof) -> Reason {
    assert_eq!(p.result, ProofResult::Fail, "expected FAIL, got {p:#?}");
    let r = p.reasons[0].clone();
    assert!(
        matches!(r.kind, ReasonKind::NewAccess | ReasonKind::AccessGranted),
        "expected a concrete witness, got {r:#?}"
    );
    r
}

fn ctx<'a>(r: &'a Reason, key: &str) -> Option<&'a serde_json::Value> {
    r.context.get(key)
}

const ALLOW_ALL: &str = r#"{"Effect": "Allow", "Action": "*", "Resource": "*"}"#;

#[test]
fn boundary_lab_from_the_seed() {
    let boundary = r#"
        {"Effect": "Allow", "Action": ["s3:*", "dynamodb:*", "logs:*"], "Resource": "*"},
        {"Effect": "Deny", "Action": ["iam:CreateUser", "iam:DeleteRolePermissionsBoundary", "organizations:*"], "Resource": "*"}"#;
    let r = witness(nna(
        boundary,
        r#"{"Effect": "Allow", "Action": "iam:*", "Resource": "*"}"#,
    ));
    assert!(r.action.as_deref().unwrap().starts_with("iam:"));
    assert_eq!(r.statement, "#0");
    assert!(r.description.contains("which is"), "{}", r.description);
    pass(&nna(
        boundary,
        r#"{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "*"}"#,
    ));
    let not_granted = prove::access_not_granted(
        &policy(boundary),
        &["iam:CreateUser".to_string()],
        &[],
        PolicyKind::Identity,
    );
    pass(&not_granted);
}

#[test]
fn candidate_denies_narrow_its_allows() {
    let existing = r#"{"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::app/*"}"#;
    pass(&nna(
        existing,
        r#"{"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
           {"Effect": "Deny", "Action": "*", "NotResource": "arn:aws:s3:::app/*"}"#,
    ));
    let r = witness(nna(
        existing,
        r#"{"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
           {"Effect": "Deny", "Action": "*", "NotResource": "arn:aws:s3:::app*"}"#,
    ));
    // `app*` also covers `appx/…`, which the existing policy does not
    let res = r.resource.as_deref().unwrap();
    assert!(
        res.starts_with("arn:aws:s3:::app") && !res.starts_with("arn:aws:s3:::app/"),
        "{res}"
    );
}

#[test]
fn not_action_and_existing_denies() {
    let existing = &format!(
        r#"{ALLOW_ALL}, {{"Sid": "NoIam", "Effect": "Deny", "Action": "iam:*", "Resource": "*"}}"#
    );
    pass(&nna(
        existing,
        r#"{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}"#,
    ));
    let r = witness(nna(
        existing,
        r#"{"Sid": "Broad", "Effect": "Allow", "NotAction": "s3:*", "Resource": "*"}"#,
    ));
    assert!(
        r.action
            .as_deref()
            .unwrap()
            .to_ascii_lowercase()
            .starts_with("iam:")
    );
    assert_eq!(r.statement, "Broad");
    assert!(r.existing.as_deref().unwrap().contains("`NoIam`"));
}

#[test]
fn actions_compare_case_insensitively_resources_do_not() {
    pass(&nna(
        r#"{"Effect": "Allow", "Action": "S3:GETOBJECT", "Resource": "arn:aws:s3:::b/*"}"#,
        r#"{"Effect": "Allow", "Action": "s3:getobject", "Resource": "arn:aws:s3:::b/*"}"#,
    ));
    let r = witness(nna(
        r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}"#,
        r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::B/*"}"#,
    ));
    assert!(
        r.resource
            .as_deref()
            .unwrap()
            .starts_with("arn:aws:s3:::B/")
    );
}

#[test]
fn arn_wildcards_stay_in_their_segment() {
    // `*` in the region and account segments cannot reach into the resource part
    pass(&nna(
        r#"{"Effect": "Allow", "Action": "*", "Resource": "*"},
           {"Effect": "Deny", "Action": "*", "Resource": "arn:aws:cloudformation:*:*:stack/Prod/*"}"#,
        r#"{"Effect": "Allow", "Action": "cloudformation:*", "Resource": "arn:aws:cloudformation:*:*:stack/Dev/*"}"#,
    ));
}

#[test]
fn network_acl_sample_with_the_sensitive_id_fails() {
    // the disputed sample (tests/prove_disputed_labels.json) with the ACL its heading means
    let existing = r#"{"Effect": "Allow", "Action": "*", "Resource": "*"},
        {"Effect": "Deny", "Action": ["ec2:DeleteNetworkAclEntry"], "Resource": "arn:aws:ec2:*:*:network-acl/acl-sensitive"}"#;
    let r = witness(nna(
        existing,
        r#"{"Effect": "Allow", "Action": "ec2:DeleteNetworkAclEntry", "Resource": "arn:aws:ec2:*:*:network-acl/acl-sensitive"}"#,
    ));
    assert!(
        r.resource
            .as_deref()
            .unwrap()
            .ends_with(":network-acl/acl-sensitive")
    );
    pass(&nna(
        existing,
        r#"{"Effect": "Allow", "Action": "ec2:DeleteNetworkAclEntry", "Resource": "arn:aws:ec2:*:*:network-acl/acl-123456"}"#,
    ));
}

#[test]
fn single_valued_keys_hold_one_value() {
    let existing = &format!(
        r#"{ALLOW_ALL}, {{"Effect": "Deny", "Action": "*", "Resource": "*",
            "Condition": {{"StringEquals": {{"aws:RequestedRegion": "eu-west-1"}}}}}}"#
    );
    // a request in us-east-1 cannot also be in eu-west-1
    pass(&nna(
        existing,
        r#"{"Effect": "Allow", "Action": "*", "Resource": "*",
            "Condition": {"StringEquals": {"aws:RequestedRegion": "us-east-1"}}}"#,
    ));
}

#[test]
fn string_like_and_string_equals() {
    let existing = r#"{"Effect": "Allow", "Action": "ec2:*", "Resource": "*",
        "Condition": {"StringLike": {"aws:RequestedRegion": "us-*"}}}"#;
    pass(&nna(
        existing,
        r#"{"Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "*",
            "Condition": {"StringEquals": {"aws:RequestedRegion": ["us-east-1", "us-west-2"]}}}"#,
    ));
    let r = witness(nna(
        existing,
        r#"{"Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "*",
            "Condition": {"StringEquals": {"aws:RequestedRegion": ["us-east-1", "eu-west-1"]}}}"#,
    ));
    assert_eq!(ctx(&r, "aws:RequestedRegion").unwrap(), "eu-west-1");
    // case matters for StringEquals but not for StringEqualsIgnoreCase
    pass(&nna(
        r#"{"Effect": "Allow", "Action": "*", "Resource": "*",
            "Condition": {"StringEqualsIgnoreCase": {"aws:PrincipalTag/team": "Red"}}}"#,
        r#"{"Effect": "Allow", "Action": "*", "Resource": "*",
            "Condition": {"StringEquals": {"aws:PrincipalTag/team": "RED"}}}"#,
    ));
    witness(nna(
        r#"{"Effect": "Allow", "Action": "*", "Resource": "*",
            "Condition": {"StringEquals": {"aws:PrincipalTag/team": "Red"}}}"#,
        r#"{"Effect": "Allow", "Action": "*", "Resource": "*",
            "Condition": {"StringEqualsIgnoreCase": {"aws:PrincipalTag/team": "red"}}}"#,
    ));
}

#[test]
fn if_exists_and_null() {
    let existing = r#"{"Effect": "Allow", "Action": "s3:*", "Resource": "*",
        "Condition": {"StringEqualsIfExists": {"aws:RequestedRegion": "us-east-1"}}}"#;
    let r = witness(nna(
        existing,
        r#"{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}"#,
    ));
    let region = ctx(&r, "aws:RequestedRegion").unwrap();
    assert_ne!(region, "us-east-1");
    pass(&nna(
        existing,
        r#"{"Effect": "Allow", "Action": "s3:*", "Resource": "*",
            "Condition": {"Null": {"aws:RequestedRegion": "true"}}}"#,
    ));
    // the tag-on-create pattern: Deny when the request tag is missing
    let tagged = &format!(
        r#"{ALLOW_ALL}, {{"Effect": "Deny", "Action": "ec2:RunInstances", "Resource": "*",
            "Condition": {{"Null": {{"aws:RequestTag/Project": "true"}}}}}}"#
    );
    let r = witness(nna(
        tagged,
        r#"{"Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "*"}"#,
    ));
    assert_eq!(r.absent_keys, vec!["aws:RequestTag/Project".to_string()]);
    pass(&nna(
        tagged,
        r#"{"Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "*",
            "Condition": {"StringLike": {"aws:RequestTag/Project": "*"}}}"#,
    ));
}

#[test]
fn negated_operators_hold_on_absent_keys() {
    // StringNotEquals in a Deny also denies when the key is absent
    pass(&nna(
        &format!(
            r#"{ALLOW_ALL}, {{"Effect": "Deny", "Action": "*", "Resource": "*",
                "Condition": {{"StringNotEquals": {{"aws:ResourceTag/env": "dev"}}}}}},
              {{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}"#
        ),
        r#"{"Effect": "Allow", "Action": "*", "Resource": "*",
            "Condition": {"StringEquals": {"aws:ResourceTag/env": "dev"}}}"#,
    ));
    let r = witness(nna(
        r#"{"Effect": "Allow", "Action": "*", "Resource": "*",
            "Condition": {"StringEquals": {"aws:ResourceTag/env": "dev"}}}"#,
        r#"{"Effect": "Allow", "Action": "*", "Resource": "*",
            "Condition": {"StringNotEquals": {"aws:ResourceTag/env": "prod"}}}"#,
    ));
    // absent or another value
    assert_ne!(
        ctx(&r, "aws:ResourceTag/env").map(|v| v.as_str().unwrap()),
        Some("dev")
    );
}

#[test]
fn numbers() {
    let existing = r#"{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*",
        "Condition": {"NumericLessThan": {"s3:max-keys": "100"}}}"#;
    pass(&nna(
        existing,
        r#"{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*",
            "Condition": {"NumericLessThanEquals": {"s3:max-keys": "50"}}}"#,
    ));
    let r = witness(nna(
        existing,
        r#"{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*",
            "Condition": {"NumericLessThanEquals": {"s3:max-keys": "100"}}}"#,
    ));
    let v = ctx(&r, "s3:max-keys").unwrap();
    let v = v.as_str().or_else(|| v[0].as_str()).unwrap();
    assert_eq!(v, "100");
}

#[test]
fn dates() {
    let existing = r#"{"Effect": "Allow", "Action": "*", "Resource": "*",
        "Condition": {"DateLessThan": {"aws:CurrentTime": "2030-01-01T00:00:00Z"}}}"#;
    pass(&nna(
        existing,
        r#"{"Effect": "Allow", "Action": "*", "Resource": "*",
            "Condition": {"DateLessThan": {"aws:CurrentTime": "2029-06-30"}}}"#,
    ));
    let r = witness(nna(
        existing,
        r#"{"Effect": "Allow", "Action": "*", "Resource": "*",
            "Condition": {"DateLessThanEquals": {"aws:CurrentTime": "2030-01-01T00:00:00Z"}}}"#,
    ));
    assert_eq!(ctx(&r, "aws:CurrentTime").unwrap(), "2030-01-01T00:00:00Z");
}

#[test]
fn ip_addresses() {
    let existing = r#"{"Effect": "Allow", "Action": "*", "Resource": "*",
        "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}}"#;
    pass(&nna(
        existing,
        r#"{"Effect": "Allow", "Action": "*", "Resource": "*",
            "Condition": {"IpAddress": {"aws:SourceIp": ["10.1.0.0/16", "10.2.3.4/32"]}}}"#,
    ));
    let r = witness(nna(
        existing,
        r#"{"Effect": "Allow", "Action": "*", "Resource": "*",
            "Condition": {"NotIpAddress": {"aws:SourceIp": "192.168.0.0/16"}}}"#,
    ));
    let ip = ctx(&r, "aws:SourceIp").map(|v| v.as_str().unwrap().to_string());
    // absent, or an address outside both ranges
    if let Some(ip) = ip {
        assert!(
            !ip.starts_with("10.") && !ip.starts_with("192.168."),
            "{ip}"
        );
    }
}

#[test]
fn bool_and_mfa() {
    let existing = &format!(
        r#"{ALLOW_ALL}, {{"Effect": "Deny", "Action": "*", "Resource": "*",
            "Condition": {{"BoolIfExists": {{"aws:MultiFactorAuthPresent": "false"}}}}}}"#
    );
    let r = witness(nna(existing, ALLOW_ALL));
    let mfa =
        ctx(&r, "aws:MultiFactorAuthPresent").map(|v| v.as_str().unwrap().to_ascii_lowercase());
    assert!(mfa.is_none() || mfa.as_deref() == Some("false"), "{mfa:?}");
    pass(&nna(
        existing,
        r#"{"Effect": "Allow", "Action": "*", "Resource": "*",
            "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}"#,
    ));
}

#[test]
fn set_operators() {
    let existing = r#"{"Effect": "Allow", "Action": "ec2:CreateTags", "Resource": "*",
        "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": ["Project", "Owner"]}}}"#;
    pass(&nna(
        existing,
        r#"{"Effect": "Allow", "Action": "ec2:CreateTags", "Resource": "*",
            "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": ["Project"]}}}"#,
    ));
    let r = witness(nna(
        existing,
        r#"{"Effect": "Allow", "Action": "ec2:CreateTags", "Resource": "*",
            "Condition": {"ForAnyValue:StringEquals": {"aws:TagKeys": ["Secret"]}}}"#,
    ));
    let keys = ctx(&r, "aws:TagKeys").unwrap().as_array().unwrap();
    assert!(keys.iter().any(|k| k == "Secret"));
    // ForAllValues holds on an absent key: it does not require the tags
    witness(nna(
        r#"{"Effect": "Allow", "Action": "*", "Resource": "*",
            "Condition": {"Null": {"aws:TagKeys": "false"}}}"#,
        r#"{"Effect": "Allow", "Action": "*", "Resource": "*",
            "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": ["Project"]}}}"#,
    ));
}

#[test]
fn policy_variables() {
    let home = r#"{"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::home/${aws:username}/*"}"#;
    pass(&nna(home, home));
    pass(&nna(
        r#"{"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::home/*"}"#,
        home,
    ));
    witness(nna(
        home,
        r#"{"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::home/*"}"#,
    ));
    // true for every user name, but beyond the prover: FAIL, saying why
    let p = nna(
        home,
        r#"{"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::home/${aws:username}/docs/*"}"#,
    );
    assert_eq!(p.result, ProofResult::Fail);
    assert_eq!(p.reasons[0].kind, ReasonKind::CannotProve);
    assert!(
        p.reasons[0].description.contains("policy variable"),
        "{}",
        p.reasons[0].description
    );
    // a Deny with a variable: the witness gives the variable a value
    let r = witness(nna(
        &format!(
            r#"{ALLOW_ALL}, {{"Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::home/${{aws:username}}/*"}}"#
        ),
        ALLOW_ALL,
    ));
    let user = ctx(&r, "aws:username").unwrap().as_str().unwrap();
    assert!(
        r.resource
            .as_deref()
            .unwrap()
            .starts_with(&format!("arn:aws:s3:::home/{user}/"))
    );
    // ABAC: the same tag comparison on both sides
    let abac = r#"{"Effect": "Allow", "Action": "ec2:StopInstances", "Resource": "*",
        "Condition": {"StringEquals": {"aws:ResourceTag/Project": "${aws:PrincipalTag/Project}"}}}"#;
    pass(&nna(abac, abac));
}

#[test]
fn resource_policy_principals() {
    let existing = r#"{"Effect": "Allow", "Principal": {"AWS": "111111111111"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}"#;
    pass(&nna_resource(
        existing,
        r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:role/reader"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}"#,
    ));
    let r = witness(nna_resource(
        existing,
        r#"{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}"#,
    ));
    let p = r.principal.as_ref().unwrap();
    assert!(
        p.kind != "AWS" || !p.id.as_deref().unwrap().contains(":111111111111:"),
        "{p:?}"
    );
    // NotPrincipal names everyone else
    witness(nna_resource(
        existing,
        r#"{"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::222222222222:root"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}"#,
    ));
    // aws:PrincipalArn and the Principal element constrain the same thing
    pass(&nna_resource(
        existing,
        r#"{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*",
            "Condition": {"StringEquals": {"aws:PrincipalAccount": "111111111111"}}}"#,
    ));
    let r = witness(nna_resource(
        existing,
        r#"{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*",
            "Condition": {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/reader"}}}"#,
    ));
    let id = r.principal.as_ref().unwrap().id.clone().unwrap();
    assert!(
        id.ends_with(":role/reader") && !id.contains(":111111111111:"),
        "{id}"
    );
}

#[test]
fn access_not_granted_with_resources() {
    let p = policy(
        r#"{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"},
           {"Effect": "Deny", "Action": "iam:PassRole", "NotResource": "arn:aws:iam::*:role/app/*"}"#,
    );
    pass(&prove::access_not_granted(
        &p,
        &["iam:PassRole".to_string()],
        &["arn:aws:iam::111111111111:role/admin".to_string()],
        PolicyKind::Identity,
    ));
    let proof =
        prove::access_not_granted(&p, &["iam:PassRole".to_string()], &[], PolicyKind::Identity);
    let r = witness(proof);
    assert_eq!(r.kind, ReasonKind::AccessGranted);
    assert_eq!(r.action.as_deref(), Some("iam:PassRole"));
    assert!(r.resource.as_deref().unwrap().contains(":role/app/"));
    // several actions: FAIL names one that is allowed
    let proof = prove::access_not_granted(
        &policy(r#"{"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}"#),
        &["iam:CreateUser".to_string(), "s3:GetObject".to_string()],
        &[],
        PolicyKind::Identity,
    );
    assert_eq!(witness(proof).action.as_deref(), Some("s3:GetObject"));
}

#[test]
fn empty_and_deny_only_candidates_pass() {
    pass(&nna(
        ALLOW_ALL,
        r#"{"Effect": "Deny", "Action": "*", "Resource": "*"}"#,
    ));
    pass(&nna(
        r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}"#,
        r#"{"Effect": "Allow", "Action": "*", "Resource": "*"},
           {"Effect": "Deny", "NotAction": "s3:GetObject", "Resource": "*"}"#,
    ));
}
