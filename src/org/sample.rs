//! A small organization that uses every kind of IR element, with hostile
//! strings in every free-text field. Renderers and checks use it in tests before
//! (and besides) compiling real blueprints; it is not a blueprint and never
//! reaches users.

use std::collections::BTreeMap;

use serde_json::json;

use super::builder::{OrgBuilder, PermissionSetSpec, RoleSpec};
use super::{
    AssignmentPrincipal, BreakGlassUser, CustomerManagedRef, IdentityCenterUser, ManagedRef, Org,
    OrgPolicyType, Origin, Placeholder, PolicyKind, RoleKind, Target,
};

/// Text that breaks naive shell, HCL and JSON generation.
pub const HOSTILE: &str =
    "$(touch pwned) `touch pwned2` 'q' \"dq\" \\ ${aws:username} %{if true}x%{endif} ünïcödé";

fn o(construct: &str) -> Origin {
    Origin::new(construct, None)
}

fn aws(arn: &str) -> ManagedRef {
    ManagedRef::Aws {
        arn: arn.to_string(),
    }
}

/// The sample organization.
pub fn kitchen_sink() -> Org {
    let mut b = OrgBuilder::new("sample", "sample.yaml", "eu-west-1");
    b.policy_types(vec![
        OrgPolicyType::ServiceControlPolicy,
        OrgPolicyType::ResourceControlPolicy,
    ]);
    let root = b.root();
    let mgmt = b.account(
        "management",
        "aws+mgmt@sample.example",
        root,
        true,
        o("organization.management_account"),
    );
    let security = b.ou(root, "Security", o("organizational_units.Security"));
    let workloads = b.ou(root, "Workloads", o("organizational_units.Workloads"));
    let prod = b.ou(workloads, "Prod", o("organizational_units.Workloads.Prod"));
    let nonprod = b.ou(
        workloads,
        "NonProd",
        o("organizational_units.Workloads.NonProd"),
    );
    // an OU name repeated under a different parent
    let sandbox = b.ou(root, "Sandbox", o("organizational_units.Sandbox"));
    let sandbox_prod = b.ou(sandbox, "Prod", o("organizational_units.Sandbox.Prod"));
    b.org_mut().ous[prod.index()]
        .tags
        .insert("Environment".into(), "prod".into());
    b.org_mut().ous[prod.index()]
        .tags
        .insert("Note".into(), HOSTILE.into());

    let log = b.account(
        "log-archive",
        "aws+logs@sample.example",
        security,
        false,
        o("accounts.log-archive"),
    );
    let pay = b.account(
        "payments-prod",
        "aws+payments-prod@sample.example",
        prod,
        false,
        o("accounts.payments-prod"),
    );
    let staging = b.account(
        "payments-staging",
        "aws+payments-staging@sample.example",
        nonprod,
        false,
        o("accounts.payments-staging"),
    );
    let sbx = b.account(
        "sandbox-1",
        "aws+sandbox-1@sample.example",
        sandbox_prod,
        false,
        o("accounts.sandbox-1"),
    );
    b.org_mut().accounts[pay.index()]
        .tags
        .insert("Owner".into(), HOSTILE.into());

    // organization policies
    let deny_leave = b.policy(
        PolicyKind::Scp,
        "landform-deny-leave-organization",
        json!({"Version": "2012-10-17", "Statement": [
            {"Sid": "DenyLeaveOrganization", "Effect": "Deny",
             "Action": "organizations:LeaveOrganization", "Resource": "*"}]}),
        o("guardrails.deny_leave_organization"),
    );
    b.policy_mut(deny_leave).description = format!("deny leaving the organization {HOSTILE}");
    b.attach(
        deny_leave,
        Target::Root,
        o("guardrails.deny_leave_organization"),
    );
    let region = b.policy(
        PolicyKind::Scp,
        "landform-region-lock",
        json!({"Version": "2012-10-17", "Statement": [
            {"Sid": "DenyOutsideAllowedRegions", "Effect": "Deny",
             "NotAction": ["iam:*", "sts:*", "organizations:*", "route53:*", "cloudfront:*", "support:*"],
             "Resource": "*",
             "Condition": {
                "StringNotEquals": {"aws:RequestedRegion": ["eu-west-1"]},
                "ArnNotLike": {"aws:PrincipalARN": [
                    format!("arn:aws:iam::{}:role/breakglass", Placeholder::AccountId("payments-prod".into()))
                ]}}}]}),
        o("guardrails.region_lock"),
    );
    b.attach(region, Target::Ou(workloads), o("guardrails.region_lock"));
    b.attach(region, Target::Account(sbx), o("guardrails.region_lock"));
    let rcp = b.policy(
        PolicyKind::Rcp,
        "landform-rcp-org-only",
        json!({"Version": "2012-10-17", "Statement": [
            {"Sid": "EnforceOrgIdentities", "Effect": "Deny", "Principal": "*",
             "Action": ["s3:*", "sts:AssumeRole"], "Resource": "*",
             "Condition": {
                "StringNotEqualsIfExists": {"aws:PrincipalOrgID": Placeholder::OrgId.to_string()},
                "BoolIfExists": {"aws:PrincipalIsAWSService": "false"}}}]}),
        o("policies.rcp.org-only"),
    );
    b.attach(rcp, Target::Ou(prod), o("policies.rcp.org-only"));

    // IAM policies deployed into accounts
    let boundary = b.policy(
        PolicyKind::Boundary,
        "team-boundary",
        json!({"Version": "2012-10-17", "Statement": [
            {"Sid": "AllowedServices", "Effect": "Allow",
             "Action": ["s3:*", "dynamodb:*", "logs:*"], "Resource": "*"},
            {"Sid": "DenyBoundaryTampering", "Effect": "Deny",
             "Action": ["iam:DeleteRolePermissionsBoundary", "iam:PutRolePermissionsBoundary",
                        "iam:CreateUser", "organizations:*"],
             "Resource": "*"}]}),
        o("boundaries.team-boundary"),
    );
    b.policy_mut(boundary).accounts = vec![pay, staging];
    let abac = b.policy(
        PolicyKind::Managed,
        "abac-project-data",
        json!({"Version": "2012-10-17", "Statement": [
            {"Sid": "ABACSameProject", "Effect": "Allow",
             "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::shared-data/*",
             "Condition": {"StringEquals": {"aws:ResourceTag/Project": "${aws:PrincipalTag/Project}"}}}]}),
        o("abac"),
    );
    b.policy_mut(abac).accounts = vec![pay, staging];
    b.policy_mut(abac).description = HOSTILE.to_string();
    b.policy_mut(abac).path = "/landform/".to_string();

    let boundary_ref = ManagedRef::Customer(CustomerManagedRef {
        name: "team-boundary".into(),
        path: "/".into(),
        policy: Some(boundary),
    });
    let abac_ref = ManagedRef::Customer(CustomerManagedRef {
        name: "abac-project-data".into(),
        path: "/landform/".into(),
        policy: Some(abac),
    });

    // Identity Center
    b.group("engineers", HOSTILE, o("identity_center.groups.engineers"));
    b.group(
        "platform",
        "platform team",
        o("identity_center.groups.platform"),
    );
    b.user(IdentityCenterUser {
        user_name: "alice".into(),
        display_name: "Alice Ünïcödé".into(),
        email: "alice@sample.example".into(),
        groups: vec!["platform".into()],
        origin: o("identity_center.users.alice"),
    });
    let ps_inline = b.policy(
        PolicyKind::PermissionSetInline,
        "ProdOperator-inline",
        json!({"Version": "2012-10-17", "Statement": [
            {"Sid": "Restart", "Effect": "Allow", "Action": ["ecs:UpdateService"], "Resource": "*",
             "Condition": {"StringEquals": {"aws:ResourceTag/Owner": "${aws:username}"}}}]}),
        o("identity_center.permission_sets.ProdOperator.inline"),
    );
    let readonly = b.permission_set(PermissionSetSpec {
        name: "ProdReadOnly".into(),
        description: format!("read only {HOSTILE}"),
        session_duration: "PT4H".into(),
        relay_state: None,
        managed: vec![aws("arn:aws:iam::aws:policy/ReadOnlyAccess")],
        inline: None,
        boundary: None,
        tags: BTreeMap::new(),
        origin: o("identity_center.permission_sets.ProdReadOnly"),
    });
    let operator = b.permission_set(PermissionSetSpec {
        name: "ProdOperator".into(),
        description: "deploy and restart".into(),
        session_duration: "PT2H".into(),
        relay_state: Some("https://console.aws.amazon.com/ecs/home".into()),
        managed: vec![abac_ref.clone()],
        inline: Some(ps_inline),
        boundary: Some(boundary_ref.clone()),
        tags: BTreeMap::from([("Team".to_string(), "ops".to_string())]),
        origin: o("identity_center.permission_sets.ProdOperator"),
    });
    for account in [pay, staging] {
        b.assign(
            AssignmentPrincipal::Group("engineers".into()),
            readonly,
            account,
            Target::Ou(workloads),
            o("identity_center.assignments[0]"),
        );
    }
    b.assign(
        AssignmentPrincipal::Group("platform".into()),
        operator,
        pay,
        Target::Account(pay),
        o("identity_center.assignments[1]"),
    );
    b.assign(
        AssignmentPrincipal::User("alice".into()),
        readonly,
        mgmt,
        Target::Account(mgmt),
        o("identity_center.assignments[2]"),
    );

    // roles
    let inline = b.policy(
        PolicyKind::RoleInline,
        "ci-deployer-deploy",
        json!({"Version": "2012-10-17", "Statement": [
            {"Sid": "PassOnlyAppRoles", "Effect": "Allow", "Action": "iam:PassRole",
             "Resource": "arn:aws:iam::${aws:PrincipalAccount}:role/team-app/*"}]}),
        o("roles.ci-deployer.inline.deploy"),
    );
    b.role(
        RoleSpec {
            name: "ci-deployer".into(),
            path: "/".into(),
            account: pay,
            kind: RoleKind::Workload,
            description: HOSTILE.into(),
            managed: vec![aws("arn:aws:iam::aws:policy/ReadOnlyAccess"), abac_ref],
            inline: vec![inline],
            boundary: Some(boundary_ref.clone()),
            max_session_seconds: 3600,
            tags: BTreeMap::from([("Project".to_string(), "payments".to_string())]),
            origin: o("roles.ci-deployer"),
        },
        json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/ci"},
             "Action": "sts:AssumeRole",
             "Condition": {"StringEquals": {
                "sts:ExternalId": "ext-'\"$(id)",
                "aws:PrincipalOrgID": Placeholder::OrgId.to_string()}}}]}),
    );
    b.role(
        RoleSpec {
            name: "team-app-admin".into(),
            path: "/team-app/".into(),
            account: staging,
            kind: RoleKind::DelegatedAdmin {
                team: "team-app".into(),
            },
            description: "delegated IAM admin for team-app".into(),
            managed: vec![],
            inline: vec![],
            boundary: Some(boundary_ref),
            max_session_seconds: 7200,
            tags: BTreeMap::new(),
            origin: o("delegation.team-app"),
        },
        json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow",
             "Principal": {"AWS": format!("arn:aws:iam::{}:root", Placeholder::AccountId("management".into()))},
             "Action": "sts:AssumeRole",
             "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}]}),
    );
    let _ = log;

    b.break_glass(BreakGlassUser {
        name: "breakglass-1".into(),
        account: mgmt,
        group: "BreakGlassAdmins".into(),
        managed: vec![aws("arn:aws:iam::aws:policy/AdministratorAccess")],
        group_inline: vec![],
        key: "breakglass_1".into(),
        origin: o("break_glass.breakglass-1"),
    });
    b.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sample_uses_every_element_kind() {
        let org = kitchen_sink();
        for kind in [
            PolicyKind::Scp,
            PolicyKind::Rcp,
            PolicyKind::Managed,
            PolicyKind::Boundary,
            PolicyKind::RoleInline,
            PolicyKind::Trust,
            PolicyKind::PermissionSetInline,
        ] {
            assert!(
                org.policies.iter().any(|p| p.kind == kind),
                "no {kind:?} policy"
            );
        }
        assert!(!org.assignments.is_empty());
        assert!(!org.roles.is_empty());
        assert!(!org.break_glass.is_empty());
        assert_eq!(
            org.ous.iter().filter(|o| o.name == "Prod").count(),
            2,
            "an OU name repeated under two parents"
        );
    }
}
