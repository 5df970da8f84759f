//! A small organization for unit tests (the first seed's Paywave, reduced):
//! a region lock and a deny-list at the root, a quarantine OU, two permission
//! sets, the worked example's bounded admin role and a break-glass user.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::org::builder::{OrgBuilder, PermissionSetSpec, RoleSpec};
use crate::org::{
    AccountId, AssignmentPrincipal, BreakGlassUser, CustomerManagedRef, ManagedRef, Org,
    OrgPolicyType, Origin, PolicyKind, RoleKind, Target,
};

pub(crate) fn origin(construct: &str) -> Origin {
    Origin::new(construct, None)
}

pub(crate) fn aws(name: &str) -> ManagedRef {
    ManagedRef::Aws {
        arn: format!("arn:aws:iam::aws:policy/{name}"),
    }
}

pub(crate) fn doc(statements: Value) -> Value {
    json!({"Version": "2012-10-17", "Statement": statements})
}

pub(crate) fn region_lock() -> Value {
    doc(json!([{
        "Sid": "DenyOutsideAllowedRegions", "Effect": "Deny",
        "NotAction": ["iam:*", "sts:*", "organizations:*", "route53:*", "cloudfront:*", "support:*"],
        "Resource": "*",
        "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["ap-south-1"]}}
    }]))
}

pub(crate) fn deny_list() -> Value {
    doc(json!([
        {"Sid": "DenyLeaveOrganization", "Effect": "Deny", "Action": "organizations:LeaveOrganization", "Resource": "*"},
        {"Sid": "ProtectCloudTrail", "Effect": "Deny", "Action": ["cloudtrail:StopLogging", "cloudtrail:DeleteTrail"], "Resource": "*"},
        {"Sid": "DenyRootUser", "Effect": "Deny", "Action": "*", "Resource": "*",
         "Condition": {"StringLike": {"aws:PrincipalArn": "arn:aws:iam::*:root"}}}
    ]))
}

#[allow(dead_code)] // fields used by the checks' tests
pub(crate) struct Mini {
    pub b: OrgBuilder,
    pub mgmt: AccountId,
    pub prod: AccountId,
    pub staging: AccountId,
    pub logs: AccountId,
}

/// The builder, before `finish`, so tests can add to it.
pub(crate) fn mini_builder() -> Mini {
    let mut b = OrgBuilder::new("paywave", "paywave.yaml", "ap-south-1");
    b.policy_types(vec![
        OrgPolicyType::ServiceControlPolicy,
        OrgPolicyType::ResourceControlPolicy,
    ]);
    let root = b.root();
    let security = b.ou(root, "Security", origin("organizational_units.Security"));
    let workloads = b.ou(root, "Workloads", origin("organizational_units.Workloads"));
    let prod_ou = b.ou(
        workloads,
        "Prod",
        origin("organizational_units.Workloads.Prod"),
    );
    let nonprod = b.ou(
        workloads,
        "NonProd",
        origin("organizational_units.Workloads.NonProd"),
    );
    let suspended = b.ou(root, "Suspended", origin("organizational_units.Suspended"));
    let mgmt = b.account(
        "management",
        "m@paywave.example",
        root,
        true,
        origin("organization.management_account"),
    );
    let logs = b.account(
        "log-archive",
        "l@paywave.example",
        security,
        false,
        origin("accounts.log-archive"),
    );
    let prod = b.account(
        "payments-prod",
        "p@paywave.example",
        prod_ou,
        false,
        origin("accounts.payments-prod"),
    );
    let staging = b.account(
        "payments-staging",
        "s@paywave.example",
        nonprod,
        false,
        origin("accounts.payments-staging"),
    );
    let lock = b.policy(
        PolicyKind::Scp,
        "landform-region-lock",
        region_lock(),
        origin("guardrails.region_lock"),
    );
    b.attach(lock, Target::Root, origin("guardrails.region_lock"));
    let deny = b.policy(
        PolicyKind::Scp,
        "landform-deny-list",
        deny_list(),
        origin("guardrails.deny_leave_organization"),
    );
    b.attach(
        deny,
        Target::Root,
        origin("guardrails.deny_leave_organization"),
    );
    let deny_all = b.policy(
        PolicyKind::Scp,
        "deny-all",
        doc(json!([{"Sid": "DenyAll", "Effect": "Deny", "Action": "*", "Resource": "*"}])),
        origin("policies.scp.deny-all"),
    );
    b.attach(
        deny_all,
        Target::Ou(suspended),
        origin("organizational_units.Suspended.scps[0]"),
    );

    let ro = b.permission_set(PermissionSetSpec {
        name: "ProdReadOnly".into(),
        description: String::new(),
        session_duration: "PT4H".into(),
        relay_state: None,
        managed: vec![aws("ReadOnlyAccess")],
        inline: None,
        boundary: None,
        tags: BTreeMap::new(),
        origin: origin("identity_center.permission_sets.ProdReadOnly"),
    });
    let admin = b.permission_set(PermissionSetSpec {
        name: "NonProdAdmin".into(),
        description: String::new(),
        session_duration: "PT8H".into(),
        relay_state: None,
        managed: vec![aws("AdministratorAccess")],
        inline: None,
        boundary: None,
        tags: BTreeMap::new(),
        origin: origin("identity_center.permission_sets.NonProdAdmin"),
    });
    b.assign(
        AssignmentPrincipal::Group("engineers".into()),
        ro,
        prod,
        Target::Account(prod),
        origin("identity_center.assignments[0]"),
    );
    b.assign(
        AssignmentPrincipal::Group("app-teams".into()),
        admin,
        staging,
        Target::Account(staging),
        origin("identity_center.assignments[1]"),
    );

    let boundary = b.policy(
        PolicyKind::Boundary,
        "worked-example-boundary",
        doc(json!([{"Sid": "BoundaryMaxPerms", "Effect": "Allow", "Action": ["s3:*", "ec2:*"], "Resource": "*"}])),
        origin("boundaries.worked-example-boundary"),
    );
    b.policy_mut(boundary).accounts = vec![staging];
    b.role(
        RoleSpec {
            name: "app-admin".into(),
            path: "/".into(),
            account: staging,
            kind: RoleKind::Workload,
            description: String::new(),
            managed: vec![aws("AdministratorAccess")],
            inline: Vec::new(),
            boundary: Some(ManagedRef::Customer(CustomerManagedRef {
                name: "worked-example-boundary".into(),
                path: "/".into(),
                policy: Some(boundary),
            })),
            max_session_seconds: 3600,
            tags: BTreeMap::new(),
            origin: origin("roles.app-admin"),
        },
        doc(json!([{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole",
                    "Condition": {"StringEquals": {"aws:SourceAccount": "{{landform:account:payments-staging}}"}}}])),
    );
    b.break_glass(BreakGlassUser {
        name: "alice-breakglass".into(),
        account: mgmt,
        group: "BreakGlassAdmins".into(),
        managed: vec![aws("AdministratorAccess")],
        group_inline: Vec::new(),
        key: "alice_breakglass".into(),
        origin: origin("break_glass.users.alice-breakglass"),
    });
    Mini {
        b,
        mgmt,
        prod,
        staging,
        logs,
    }
}

pub(crate) fn mini() -> Org {
    mini_builder().b.finish()
}
