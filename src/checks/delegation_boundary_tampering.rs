//! # LF733: a delegated team can remove, replace or rewrite its boundary
//!
//! ## What it does
//! Asks the engine, as each delegated team's admin role, whether it can
//! delete the boundary from a role of its path
//! (`iam:DeleteRolePermissionsBoundary`), put another one
//! (`iam:PutRolePermissionsBoundary` with `AdministratorAccess`), or edit
//! the boundary policy itself (`iam:CreatePolicyVersion`,
//! `iam:SetDefaultPolicyVersion`, `iam:DeletePolicyVersion`,
//! `iam:DeletePolicy` on the boundary's ARN).
//!
//! ## Why is this bad?
//! A ceiling the team can lift or rewrite is no ceiling: the classic
//! escalation is to publish a new version of the boundary that allows `*`,
//! or to detach it from a role.
//!
//! ## Example
//! ```yaml
//! boundaries:
//!   team-boundary:
//!     allow: ["iam:*", "s3:*"]
//!     protect_itself: false     # nothing denies editing the boundary
//! ```
//!
//! ## How to fix
//! Deny the boundary's lifecycle actions on its ARN and
//! `iam:DeleteRolePermissionsBoundary` on `*`, in the delegation policy and in
//! the boundary itself (`protect_itself: true`, the default).
//!
//! ## Seeds
//! `002_…` "What the boundary must deny" (detach my own ceiling; edit the
//! ceiling), "The IAM actions a delegated admin needs"
//! (`iam:DeleteRolePermissionsBoundary`, `iam:CreatePolicyVersion` on the
//! boundary: deny), best practice "make it actually inescapable".

use super::delegation::{probe, report, teams};
use super::{Check, Cx};
use crate::diagnostics::Severity;
use crate::principals::Query;

pub(crate) const CHECK: Check = Check {
    code: "LF733",
    name: "delegation-boundary-tampering",
    severity: Severity::Error,
    summary: "a delegated team's admin role can remove, replace or rewrite its permissions boundary",
    source: include_str!("delegation_boundary_tampering.rs"),
    run,
};

fn run(cx: &mut Cx<'_>) {
    for team in teams(cx) {
        let found = probe(cx, &team, false, |w| {
            let b = w.boundary_arn();
            let mut moves = vec![
                (
                    "`iam:DeleteRolePermissionsBoundary`".to_string(),
                    Query::new("iam:DeleteRolePermissionsBoundary", w.team_role()),
                ),
                (
                    "`iam:PutRolePermissionsBoundary` with `AdministratorAccess`".to_string(),
                    Query::new("iam:PutRolePermissionsBoundary", w.team_role()).with(
                        "iam:PermissionsBoundary",
                        "arn:aws:iam::aws:policy/AdministratorAccess",
                    ),
                ),
            ];
            if w.boundary.is_some() {
                for action in [
                    "iam:CreatePolicyVersion",
                    "iam:SetDefaultPolicyVersion",
                    "iam:DeletePolicyVersion",
                    "iam:DeletePolicy",
                ] {
                    moves.push((
                        format!("`{action}` on the boundary"),
                        Query::new(action, b.clone()),
                    ));
                }
            }
            moves
        });
        let name = team.name.clone();
        report(
            cx,
            &CHECK,
            &team,
            found,
            |m| format!("delegated team `{name}` can escape its boundary, allowed: {m}"),
            "deny the boundary's lifecycle actions on its ARN and `iam:DeleteRolePermissionsBoundary`, in the delegation policy and in the boundary (`protect_itself: true`)",
        );
    }
}
