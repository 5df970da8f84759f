//! Delegated IAM administration (`002_…`, "Step 1 — Safe delegation: roles
//! inside an inescapable boundary", "The condition keys that make delegation
//! safe", "The IAM actions a delegated admin needs").
//!
//! A team gets an admin role (`<team>-admin`) that wears the team's boundary
//! and carries this delegation policy. The policy follows the seed's table
//! action by action:
//!
//! | IAM action | treatment |
//! |---|---|
//! | `CreateRole`, `PutRolePolicy`, `DeleteRolePolicy`, `DetachRolePolicy`, `PutRolePermissionsBoundary`, `UpdateAssumeRolePolicy` | allow on `role/<path>*` with `iam:PermissionsBoundary` = the boundary |
//! | `AttachRolePolicy` | the same, plus `iam:PolicyARN` in the allow-list (or a policy of the team's own path) |
//! | `PassRole` | allow on `role/<path>*` only |
//! | `DeleteRole`, `TagRole`, `UntagRole`, `UpdateRole…` | allow on the path |
//! | managed policies, instance profiles | allow on `policy/<path>*`, `instance-profile/<path>*` |
//! | `CreateUser`, `CreateAccessKey` | deny |
//! | `Delete{Role,User}PermissionsBoundary` | deny (here and in the boundary) |
//! | `CreatePolicyVersion` … on the boundary | deny on the boundary's ARN |
//! | every other IAM write outside the path | deny via `NotResource` |
//!
//! ## What differs from the seed's policy, and why
//! - The seed denies `iam:*` with `NotResource: role/team-app/*`. That also
//!   denies every IAM *read* outside the path — `GetPolicy` on the boundary the
//!   team must name, `ListPolicies`, `GetRole` on the roles they trust — and
//!   every action on the team's own managed policies and instance profiles
//!   (EC2 roles need one). Here the `NotResource` deny covers IAM's write verbs
//!   only ([`IAM_WRITE_ACTIONS`], checked against the catalogue: every IAM
//!   action that is not List/Read matches one of them), and excludes the
//!   team's roles, policies and instance profiles.
//! - The seed's `ProtectTheBoundaryItself` puts `DeleteRolePermissionsBoundary`
//!   under `"Resource": <boundary policy ARN>`; that action's resource is the
//!   *role*, so the statement never matches it. Here it is denied on `*`.
//! - The allows' conditions make `CreateRole` without the boundary an implicit
//!   deny only; another policy on the admin role would lift it. Explicit denies
//!   (`DenyRoleChangesWithoutBoundary`, `DenyAttachOutsideAllowList`) hold
//!   whatever else is attached.
//! - `ACCOUNT_ID` is written `${aws:PrincipalAccount}`, so one document works
//!   in every account of the delegation.
//! - "Require `aws:PrincipalOrgID` in trust" for `UpdateAssumeRolePolicy`
//!   cannot be expressed in IAM (no condition key sees the new trust policy);
//!   `landform check` looks at the trust policies the blueprint itself writes.

use super::boundary::{POLICY_EDIT_ACTIONS, team_path_resources};
use super::doc::{Statement, document, iam_arn_any_account, sorted_unique};

/// IAM's write verbs as action patterns: everything except `Get*`, `List*`,
/// `Generate*` and `Simulate*`, which read. A test checks the split against
/// the catalogue, so an AWS action with a new verb fails the build instead of
/// slipping out of the `NotResource` deny.
pub const IAM_WRITE_ACTIONS: &[&str] = &[
    "iam:Accept*",
    "iam:Add*",
    "iam:Associate*",
    "iam:Attach*",
    "iam:Change*",
    "iam:Create*",
    "iam:Deactivate*",
    "iam:Delete*",
    "iam:Detach*",
    "iam:Disable*",
    "iam:Enable*",
    "iam:Pass*",
    "iam:Put*",
    "iam:Reject*",
    "iam:Remove*",
    "iam:Reset*",
    "iam:Resync*",
    "iam:Send*",
    "iam:Set*",
    "iam:Tag*",
    "iam:Untag*",
    "iam:Update*",
    "iam:Upload*",
];

/// The IAM read verbs the delegated admin may use anywhere.
pub const IAM_READ_ACTIONS: &[&str] = &["iam:Get*", "iam:List*"];

/// What a delegation policy compiles from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DelegationSpec {
    /// The team's IAM path (`/team-app/`).
    pub path: String,
    /// The boundary's exact ARN (with `${aws:PrincipalAccount}`).
    pub boundary_exact_arn: String,
    /// The boundary's ARN in any account, for `Resource`.
    pub boundary_resource_arn: String,
    /// Managed policies the team may attach to its roles (ARNs or ARN
    /// patterns); policies in the team's own path are always allowed.
    pub attachable_policies: Vec<String>,
}

/// The delegation policy's statements.
pub fn delegation_statements(spec: &DelegationSpec) -> Vec<Statement> {
    let role_path = iam_arn_any_account("role", &spec.path, "*");
    let policy_path = iam_arn_any_account("policy", &spec.path, "*");
    let instance_profile_path = iam_arn_any_account("instance-profile", &spec.path, "*");
    let boundary = spec.boundary_exact_arn.clone();
    let attachable = sorted_unique(
        spec.attachable_policies
            .iter()
            .cloned()
            .chain([policy_path.clone()]),
    );
    vec![
        Statement::allow("CreateAndChangeRolesWithBoundary")
            .actions([
                "iam:CreateRole",
                "iam:DeleteRolePolicy",
                "iam:DetachRolePolicy",
                "iam:PutRolePermissionsBoundary",
                "iam:PutRolePolicy",
                "iam:UpdateAssumeRolePolicy",
            ])
            .resources([role_path.clone()])
            .condition(
                "StringEquals",
                "iam:PermissionsBoundary",
                [boundary.clone()],
            ),
        Statement::allow("AttachAllowListedPolicies")
            .actions(["iam:AttachRolePolicy"])
            .resources([role_path.clone()])
            .condition(
                "StringEquals",
                "iam:PermissionsBoundary",
                [boundary.clone()],
            )
            .condition("ArnLike", "iam:PolicyARN", attachable.clone()),
        Statement::allow("ManageRolesInPath")
            .actions([
                "iam:DeleteRole",
                "iam:TagRole",
                "iam:UntagRole",
                "iam:UpdateRole",
                "iam:UpdateRoleDescription",
            ])
            .resources([role_path.clone()]),
        Statement::allow("PassRolesInPath")
            .actions(["iam:PassRole"])
            .resources([role_path]),
        Statement::allow("ManagePoliciesInPath")
            .actions([
                "iam:CreatePolicy",
                "iam:CreatePolicyVersion",
                "iam:DeletePolicy",
                "iam:DeletePolicyVersion",
                "iam:SetDefaultPolicyVersion",
                "iam:TagPolicy",
                "iam:UntagPolicy",
            ])
            .resources([policy_path]),
        Statement::allow("ManageInstanceProfilesInPath")
            .actions([
                "iam:AddRoleToInstanceProfile",
                "iam:CreateInstanceProfile",
                "iam:DeleteInstanceProfile",
                "iam:RemoveRoleFromInstanceProfile",
                "iam:TagInstanceProfile",
                "iam:UntagInstanceProfile",
            ])
            .resources([instance_profile_path]),
        Statement::allow("ReadIam").actions(IAM_READ_ACTIONS.iter().copied()),
        Statement::deny("DenyRoleChangesWithoutBoundary")
            .actions([
                "iam:AttachRolePolicy",
                "iam:CreateRole",
                "iam:PutRolePermissionsBoundary",
                "iam:PutRolePolicy",
                "iam:UpdateAssumeRolePolicy",
            ])
            .condition("StringNotEquals", "iam:PermissionsBoundary", [boundary]),
        Statement::deny("DenyAttachOutsideAllowList")
            .actions(["iam:AttachRolePolicy"])
            .condition("ArnNotLike", "iam:PolicyARN", attachable),
        Statement::deny("DenyBoundaryRemoval").actions([
            "iam:DeleteRolePermissionsBoundary",
            "iam:DeleteUserPermissionsBoundary",
        ]),
        Statement::deny("ProtectTheBoundaryItself")
            .actions(POLICY_EDIT_ACTIONS.iter().copied())
            .resources([spec.boundary_resource_arn.clone()]),
        Statement::deny("DenyUsersAndAccessKeys")
            .actions(["iam:CreateAccessKey", "iam:CreateUser"]),
        Statement::deny("ScopeWritesToTeamPath")
            .actions(IAM_WRITE_ACTIONS.iter().copied())
            .not_resources(team_path_resources(&spec.path)),
    ]
}

/// The delegation policy document (an inline policy of the team's admin role).
pub fn delegation_document(spec: &DelegationSpec) -> serde_json::Value {
    document(&delegation_statements(spec))
}

/// The admin role's name for a team: `<team>-admin` (`team-app-admin`).
pub fn admin_role_base_name(team: &str) -> String {
    format!("{team}-admin")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{AccessLevel, catalog};
    use serde_json::json;

    fn matches(pattern: &str, name: &str) -> bool {
        let p = pattern.to_ascii_lowercase();
        let n = name.to_ascii_lowercase();
        match p.strip_suffix('*') {
            Some(prefix) => n.starts_with(prefix),
            None => n == p,
        }
    }

    #[test]
    fn write_verbs_cover_every_iam_write_and_no_read() {
        let iam = catalog().service("iam").unwrap();
        let mut writes = 0;
        for a in iam.actions() {
            let full = format!("iam:{}", a.name);
            let is_write = IAM_WRITE_ACTIONS.iter().any(|p| matches(p, &full));
            let is_read = matches!(a.access_level, AccessLevel::List | AccessLevel::Read);
            assert_eq!(
                is_write, !is_read,
                "`{full}` ({}) is misclassified by IAM_WRITE_ACTIONS",
                a.access_level
            );
            let readable = IAM_READ_ACTIONS.iter().any(|p| matches(p, &full));
            if readable {
                assert!(is_read, "`{full}` is allowed as a read but writes");
            }
            writes += usize::from(is_write);
        }
        assert!(writes > 80, "the catalogue lists IAM's write actions");
    }

    #[test]
    fn every_action_named_in_the_policy_exists() {
        let spec = DelegationSpec {
            path: "/team-app/".into(),
            boundary_exact_arn: "arn:aws:iam::${aws:PrincipalAccount}:policy/team-boundary".into(),
            boundary_resource_arn: "arn:aws:iam::*:policy/team-boundary".into(),
            attachable_policies: vec![],
        };
        for s in delegation_statements(&spec) {
            for a in &s.actions {
                assert!(catalog().matches_any(a), "`{a}` is not an IAM action");
            }
        }
    }

    #[test]
    fn delegation_policy_for_team_app() {
        let spec = DelegationSpec {
            path: "/team-app/".into(),
            boundary_exact_arn: "arn:aws:iam::${aws:PrincipalAccount}:policy/team-boundary".into(),
            boundary_resource_arn: "arn:aws:iam::*:policy/team-boundary".into(),
            attachable_policies: vec!["arn:aws:iam::aws:policy/ReadOnlyAccess".into()],
        };
        let doc = delegation_document(&spec);
        let b = "arn:aws:iam::${aws:PrincipalAccount}:policy/team-boundary";
        assert_eq!(
            doc["Statement"][0],
            json!({"Sid": "CreateAndChangeRolesWithBoundary", "Effect": "Allow",
                   "Action": ["iam:CreateRole", "iam:DeleteRolePolicy", "iam:DetachRolePolicy",
                              "iam:PutRolePermissionsBoundary", "iam:PutRolePolicy",
                              "iam:UpdateAssumeRolePolicy"],
                   "Resource": "arn:aws:iam::*:role/team-app/*",
                   "Condition": {"StringEquals": {"iam:PermissionsBoundary": b}}})
        );
        assert_eq!(
            doc["Statement"][1]["Condition"],
            json!({"StringEquals": {"iam:PermissionsBoundary": b},
                   "ArnLike": {"iam:PolicyARN": ["arn:aws:iam::*:policy/team-app/*",
                                                 "arn:aws:iam::aws:policy/ReadOnlyAccess"]}})
        );
        assert_eq!(
            doc["Statement"][3],
            json!({"Sid": "PassRolesInPath", "Effect": "Allow", "Action": "iam:PassRole",
                   "Resource": "arn:aws:iam::*:role/team-app/*"})
        );
        let last = &doc["Statement"][12];
        assert_eq!(last["Sid"], "ScopeWritesToTeamPath");
        assert_eq!(
            last["NotResource"],
            json!([
                "arn:aws:iam::*:role/team-app/*",
                "arn:aws:iam::*:policy/team-app/*",
                "arn:aws:iam::*:instance-profile/team-app/*"
            ])
        );
        assert_eq!(
            doc["Statement"][10],
            json!({"Sid": "ProtectTheBoundaryItself", "Effect": "Deny",
                   "Action": ["iam:CreatePolicyVersion", "iam:DeletePolicy",
                              "iam:DeletePolicyVersion", "iam:SetDefaultPolicyVersion"],
                   "Resource": "arn:aws:iam::*:policy/team-boundary"})
        );
    }
}
