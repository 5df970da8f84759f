//! Tests of the shared emulator harness itself (`tests/common/`): the raw
//! protocol client, and the read-back compared with an IR — including that a
//! difference is caught.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeMap;

use common::api::{enc, iam_document, parse_xml, percent_decode};
use common::emulator::{self, MANAGEMENT_ACCOUNT_ID};
use common::readback::{self, Ids};
use common::tools;
use landform::org::builder::{OrgBuilder, RoleSpec};
use landform::org::{ManagedRef, Org, Origin, Placeholder, PolicyKind, RoleKind, Target};
use serde_json::json;

#[test]
fn xml_and_percent_encoding() {
    let x = parse_xml(
        "<?xml version=\"1.0\"?><R xmlns=\"x\"><A><member><N>a&lt;&amp;&#233;&#x41;</N></member><member><N/></member></A><T>true</T></R>",
    )
    .unwrap();
    let names: Vec<_> = x
        .find("A")
        .unwrap()
        .children_named("member")
        .map(|m| m.text_of("N"))
        .collect();
    assert_eq!(names, ["a<&éA", ""]);
    assert_eq!(x.find("T").unwrap().text, "true");
    assert_eq!(
        percent_decode("%7B%22a%22%3A%22%C3%BC%25%22%7D"),
        "{\"a\":\"ü%\"}"
    );
    // a raw document (moto's GetPolicyVersion) is not decoded: `%41` stays
    assert_eq!(iam_document("{\"a\":\"%41\"}"), "{\"a\":\"%41\"}");
    assert_eq!(
        iam_document("%7B%22a%22%3A%22%2541%22%7D"),
        "{\"a\":\"%41\"}"
    );
    assert_eq!(enc("a b&ü~"), "a%20b%26%C3%BC~");
}

const HOSTILE: &str = landform::org::sample::HOSTILE;

/// A small organization, as the IR would describe it.
fn small_org() -> Org {
    let o = |c: &str| Origin::new(c, None);
    let mut b = OrgBuilder::new("small", "small.yaml", emulator::REGION);
    let root = b.root();
    b.account("management", "mgmt@small.example", root, true, o("m"));
    let ou = b.ou(root, "Work $(touch pwned)", o("ou"));
    let acct = b.account("app", "app@small.example", ou, false, o("a"));
    let scp = b.policy(
        PolicyKind::Scp,
        "deny-leave",
        json!({"Version": "2012-10-17", "Statement": [{"Effect": "Deny",
            "Action": "organizations:LeaveOrganization", "Resource": "*",
            "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": Placeholder::OrgId.to_string()}}}]}),
        o("g"),
    );
    b.policy_mut(scp).description = HOSTILE.to_string();
    b.attach(scp, Target::Ou(ou), o("g"));
    b.role(
        RoleSpec {
            name: "reader".into(),
            path: "/team/".into(),
            account: acct,
            kind: RoleKind::Workload,
            description: HOSTILE.into(),
            managed: vec![ManagedRef::Aws {
                arn: "arn:aws:iam::aws:policy/ReadOnlyAccess".into(),
            }],
            inline: vec![],
            boundary: None,
            max_session_seconds: 7200,
            tags: BTreeMap::from([("Note".to_string(), HOSTILE.to_string())]),
            origin: o("r"),
        },
        json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Principal": {"AWS": format!("arn:aws:iam::{}:root", Placeholder::AccountId("management".into()))},
            "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"sts:ExternalId": "%41 ${aws:username}"}}}]}),
    );
    b.finish()
}

/// Deploys `small_org()` by hand with the aws CLI (no renderer involved).
fn deploy_by_hand(emu: &emulator::Session, org: &Org) {
    let run = |args: &[&str]| -> String {
        emu.aws(args)
            .unwrap_or_else(|e| panic!("{e}"))
            .trim()
            .to_string()
    };
    run(&[
        "organizations",
        "create-organization",
        "--feature-set",
        "ALL",
    ]);
    let root = run(&[
        "organizations",
        "list-roots",
        "--query",
        "Roots[0].Id",
        "--output",
        "text",
    ]);
    run(&[
        "organizations",
        "enable-policy-type",
        "--root-id",
        &root,
        "--policy-type",
        "SERVICE_CONTROL_POLICY",
    ]);
    let ou_json = json!({"Name": org.ous[1].name}).to_string();
    let ou = run(&[
        "organizations",
        "create-organizational-unit",
        "--parent-id",
        &root,
        "--cli-input-json",
        &ou_json,
        "--query",
        "OrganizationalUnit.Id",
        "--output",
        "text",
    ]);
    let acct = org.account_by_name("app").unwrap();
    let acct_json = json!({"Email": acct.email, "AccountName": acct.name}).to_string();
    let acct_id = run(&[
        "organizations",
        "create-account",
        "--cli-input-json",
        &acct_json,
        "--query",
        "CreateAccountStatus.AccountId",
        "--output",
        "text",
    ]);
    run(&[
        "organizations",
        "move-account",
        "--account-id",
        &acct_id,
        "--source-parent-id",
        &root,
        "--destination-parent-id",
        &ou,
    ]);
    let ids = Ids::read(emu);
    let scp = &org.policies[0];
    let scp_json = json!({"Name": scp.name, "Description": scp.description}).to_string();
    let scp_id = run(&[
        "organizations",
        "create-policy",
        "--type",
        "SERVICE_CONTROL_POLICY",
        "--content",
        &ids.policy_text(org, scp),
        "--cli-input-json",
        &scp_json,
        "--query",
        "Policy.PolicySummary.Id",
        "--output",
        "text",
    ]);
    run(&[
        "organizations",
        "attach-policy",
        "--policy-id",
        &scp_id,
        "--target-id",
        &ou,
    ]);
    let creds = emu.assume_account(&acct_id);
    let role = &org.roles[0];
    let role_json = json!({
        "RoleName": role.name, "Path": role.path, "Description": role.description,
        "MaxSessionDuration": role.max_session_seconds,
        "Tags": role.tags.iter().map(|(k, v)| json!({"Key": k, "Value": v})).collect::<Vec<_>>(),
    })
    .to_string();
    emu.aws_as(
        &creds,
        &[
            "iam",
            "create-role",
            "--cli-input-json",
            &role_json,
            "--assume-role-policy-document",
            &ids.policy_text(org, org.policy(role.trust)),
        ],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    emu.aws_as(
        &creds,
        &[
            "iam",
            "attach-role-policy",
            "--role-name",
            &role.name,
            "--policy-arn",
            "arn:aws:iam::aws:policy/ReadOnlyAccess",
        ],
    )
    .unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn readback_matches_a_hand_deployed_org_and_catches_differences() {
    if tools::aws_cli("readback_matches_a_hand_deployed_org").is_none() {
        return;
    }
    let Some(emu) = emulator::acquire("readback_matches_a_hand_deployed_org") else {
        return;
    };
    let org = small_org();
    deploy_by_hand(&emu, &org);
    let ids = Ids::read(&emu);
    assert_eq!(ids.management, MANAGEMENT_ACCOUNT_ID);
    assert!(ids.org_id.starts_with("o-"), "{}", ids.org_id);
    let expected = readback::expected(&org, &ids);
    let actual = readback::read(&emu);
    readback::assert_matches(&expected, &actual);
    // the documents really are byte for byte, placeholders substituted
    let trust = &actual.iam["app"].roles["reader"].trust;
    assert!(trust.contains("arn:aws:iam::123456789012:root"), "{trust}");
    assert!(trust.contains("%41 ${aws:username}"), "{trust}");
    assert!(actual.scps["deny-leave"].content.contains(&ids.org_id));
    assert_eq!(actual.scps["deny-leave"].description, HOSTILE);

    // a drifted document, and a duplicate OU, are reported
    let acct_id = ids.by_email["app@small.example"].clone();
    let creds = emu.assume_account(&acct_id);
    emu.aws_as(
        &creds,
        &[
            "iam", "update-assume-role-policy", "--role-name", "reader", "--policy-document",
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}"#,
        ],
    )
    .unwrap();
    let root = emu
        .aws(&[
            "organizations",
            "list-roots",
            "--query",
            "Roots[0].Id",
            "--output",
            "text",
        ])
        .unwrap();
    let ou_json = json!({"Name": org.ous[1].name}).to_string();
    emu.aws(&[
        "organizations",
        "create-organizational-unit",
        "--parent-id",
        root.trim(),
        "--cli-input-json",
        &ou_json,
    ])
    .unwrap();
    let drifted = readback::read(&emu);
    let err = std::panic::catch_unwind(|| readback::assert_matches(&expected, &drifted))
        .expect_err("a drifted organization must not match");
    let msg = err.downcast_ref::<String>().cloned().unwrap_or_default();
    assert!(msg.contains("Work $(touch pwned) #2"), "{msg}");
    assert!(msg.contains("\"trust\""), "{msg}");

    // reset gives a fresh AWS
    emu.reset();
    let after = emu.aws(&["organizations", "describe-organization"]);
    assert!(after.is_err(), "reset must forget the organization");
}
