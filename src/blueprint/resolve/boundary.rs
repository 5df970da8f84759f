//! Permissions boundaries (`002_…`, "Step 1 — Safe delegation" and "What the
//! boundary must deny — the escalation moves to close").
//!
//! A boundary is the ceiling every role of a delegated team wears — the team's
//! admin role included. It allows the services the blueprint lists and, with
//! `protect_itself` (the default), denies every move that would lift the
//! ceiling:
//!
//! | escalation move (seed table) | statement |
//! |---|---|
//! | detach my own ceiling | `DenyBoundaryRemoval`: `Delete{Role,User}PermissionsBoundary` |
//! | swap the ceiling / create a role without it | `DenyRoleWithoutThisBoundary`: `CreateRole`, `Put{Role,User}PermissionsBoundary` unless `iam:PermissionsBoundary` is this boundary |
//! | edit the ceiling | `DenyBoundaryPolicyEdits`: `CreatePolicyVersion`, `SetDefaultPolicyVersion`, `DeletePolicy`, `DeletePolicyVersion` on the boundary's own ARN |
//! | mint a user / a static key | `DenyUsersAndAccessKeys`: `CreateUser`, `CreateAccessKey` |
//! | modify SCPs / the account | `DenyOrganizationsAndAccount`: `organizations:*`, `account:*` |
//!
//! The seed's boundary denies only `DeleteRolePermissionsBoundary`; a real-world
//! SCP forgot the Put side too. Here the Put side is denied *unless the new
//! boundary is this same one* — re-applying it stays possible (Terraform does),
//! swapping it for a wider one does not — and the same condition on
//! `CreateRole` makes the ceiling hereditary: a role wearing it can only ever
//! create roles that wear it as well, whatever identity policy it is given.
//!
//! "The boundary must allow iam:* actions too, or the delegated admin can't
//! manage their own roles" (`000_…`, boundary mechanics): a boundary that a
//! `delegation:` uses also allows IAM reads and IAM actions on the team's own
//! path (roles, policies, instance profiles) — never IAM in general.

use super::doc::{Statement, document, iam_arn_any_account, iam_arn_own_account, sorted_unique};

/// What a boundary compiles from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoundarySpec {
    /// The IAM policy name (`team-boundary`).
    pub name: String,
    /// Its IAM path (`/`).
    pub path: String,
    /// Actions the ceiling allows (`s3:*`, `dynamodb:*`, …).
    pub allow: Vec<String>,
    /// Add the escalation denies (default on).
    pub protect_itself: bool,
    /// IAM paths of the delegated teams that wear this boundary (`/team-app/`).
    pub delegated_paths: Vec<String>,
}

impl BoundarySpec {
    /// The boundary's exact ARN in the caller's own account, for conditions on
    /// `iam:PermissionsBoundary`.
    pub fn exact_arn(&self) -> String {
        iam_arn_own_account("policy", &self.path, &self.name)
    }

    /// The boundary's ARN in any account, for `Resource` elements.
    pub fn resource_arn(&self) -> String {
        iam_arn_any_account("policy", &self.path, &self.name)
    }
}

/// The policy actions that edit a managed policy in place.
pub const POLICY_EDIT_ACTIONS: &[&str] = &[
    "iam:CreatePolicyVersion",
    "iam:DeletePolicy",
    "iam:DeletePolicyVersion",
    "iam:SetDefaultPolicyVersion",
];

/// The IAM resources of a team path: its roles, policies and instance profiles.
pub fn team_path_resources(path: &str) -> Vec<String> {
    vec![
        iam_arn_any_account("role", path, "*"),
        iam_arn_any_account("policy", path, "*"),
        iam_arn_any_account("instance-profile", path, "*"),
    ]
}

/// The boundary's statements.
pub fn boundary_statements(spec: &BoundarySpec) -> Vec<Statement> {
    let mut out = Vec::new();
    let allow = sorted_unique(spec.allow.iter().cloned());
    if !allow.is_empty() {
        out.push(Statement::allow("AllowedServices").actions(allow));
    }
    let paths = sorted_unique(spec.delegated_paths.iter().cloned());
    if !paths.is_empty() {
        out.push(Statement::allow("AllowIamReads").actions(["iam:Get*", "iam:List*"]));
        out.push(
            Statement::allow("AllowIamInTeamPaths")
                .actions(["iam:*"])
                .resources(paths.iter().flat_map(|p| team_path_resources(p))),
        );
    }
    if spec.protect_itself {
        let exact = spec.exact_arn();
        out.push(Statement::deny("DenyBoundaryRemoval").actions([
            "iam:DeleteRolePermissionsBoundary",
            "iam:DeleteUserPermissionsBoundary",
        ]));
        out.push(
            Statement::deny("DenyRoleWithoutThisBoundary")
                .actions([
                    "iam:CreateRole",
                    "iam:PutRolePermissionsBoundary",
                    "iam:PutUserPermissionsBoundary",
                ])
                .condition("StringNotEquals", "iam:PermissionsBoundary", [exact]),
        );
        out.push(
            Statement::deny("DenyBoundaryPolicyEdits")
                .actions(POLICY_EDIT_ACTIONS.iter().copied())
                .resources([spec.resource_arn()]),
        );
        out.push(
            Statement::deny("DenyUsersAndAccessKeys")
                .actions(["iam:CreateAccessKey", "iam:CreateUser"]),
        );
        out.push(
            Statement::deny("DenyOrganizationsAndAccount")
                .actions(["account:*", "organizations:*"]),
        );
    }
    out
}

/// The boundary document.
pub fn boundary_document(spec: &BoundarySpec) -> serde_json::Value {
    document(&boundary_statements(spec))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec() -> BoundarySpec {
        BoundarySpec {
            name: "team-boundary".into(),
            path: "/".into(),
            allow: vec![
                "s3:*".into(),
                "dynamodb:*".into(),
                "logs:*".into(),
                "sqs:*".into(),
                "lambda:*".into(),
            ],
            protect_itself: true,
            delegated_paths: vec!["/team-app/".into()],
        }
    }

    #[test]
    fn protected_boundary_of_a_delegated_team() {
        assert_eq!(
            boundary_document(&spec()),
            json!({"Version": "2012-10-17", "Statement": [
                {"Sid": "AllowedServices", "Effect": "Allow",
                 "Action": ["dynamodb:*", "lambda:*", "logs:*", "s3:*", "sqs:*"], "Resource": "*"},
                {"Sid": "AllowIamReads", "Effect": "Allow",
                 "Action": ["iam:Get*", "iam:List*"], "Resource": "*"},
                {"Sid": "AllowIamInTeamPaths", "Effect": "Allow", "Action": "iam:*",
                 "Resource": ["arn:aws:iam::*:role/team-app/*", "arn:aws:iam::*:policy/team-app/*",
                              "arn:aws:iam::*:instance-profile/team-app/*"]},
                {"Sid": "DenyBoundaryRemoval", "Effect": "Deny",
                 "Action": ["iam:DeleteRolePermissionsBoundary", "iam:DeleteUserPermissionsBoundary"],
                 "Resource": "*"},
                {"Sid": "DenyRoleWithoutThisBoundary", "Effect": "Deny",
                 "Action": ["iam:CreateRole", "iam:PutRolePermissionsBoundary",
                            "iam:PutUserPermissionsBoundary"],
                 "Resource": "*",
                 "Condition": {"StringNotEquals": {"iam:PermissionsBoundary":
                     "arn:aws:iam::${aws:PrincipalAccount}:policy/team-boundary"}}},
                {"Sid": "DenyBoundaryPolicyEdits", "Effect": "Deny",
                 "Action": ["iam:CreatePolicyVersion", "iam:DeletePolicy",
                            "iam:DeletePolicyVersion", "iam:SetDefaultPolicyVersion"],
                 "Resource": "arn:aws:iam::*:policy/team-boundary"},
                {"Sid": "DenyUsersAndAccessKeys", "Effect": "Deny",
                 "Action": ["iam:CreateAccessKey", "iam:CreateUser"], "Resource": "*"},
                {"Sid": "DenyOrganizationsAndAccount", "Effect": "Deny",
                 "Action": ["account:*", "organizations:*"], "Resource": "*"}
            ]})
        );
    }

    #[test]
    fn unprotected_boundary_without_delegation_is_only_the_allow_list() {
        let mut s = spec();
        s.protect_itself = false;
        s.delegated_paths.clear();
        let doc = boundary_document(&s);
        assert_eq!(doc["Statement"].as_array().map(Vec::len), Some(1));
        assert_eq!(doc["Statement"][0]["Sid"], "AllowedServices");
    }

    #[test]
    fn boundary_arns_follow_its_path() {
        let mut s = spec();
        s.path = "/boundaries/".into();
        assert_eq!(
            s.exact_arn(),
            "arn:aws:iam::${aws:PrincipalAccount}:policy/boundaries/team-boundary"
        );
        assert_eq!(
            s.resource_arn(),
            "arn:aws:iam::*:policy/boundaries/team-boundary"
        );
    }
}
