//! # LF736: a delegated team can attach `AdministratorAccess` to its roles
//!
//! ## What it does
//! Asks the engine, as each delegated team's admin role, whether
//! `iam:AttachRolePolicy` with `iam:PolicyARN` =
//! `arn:aws:iam::aws:policy/AdministratorAccess` succeeds on a role of the
//! team's path (with the team's boundary attached).
//!
//! ## Why is this bad?
//! The boundary still caps such a role, but the grant is wider than anything
//! the team should need and it defeats the review of what each role holds:
//! the seed closes this move with an `iam:PolicyARN` allow-list.
//!
//! ## Example
//! ```yaml
//! delegation:
//!   app:
//!     accounts: [orders]
//!     boundary: app-boundary
//!     attachable_policies: [AdministratorAccess]
//! ```
//!
//! ## How to fix
//! Keep `attachable_policies` to the team's own scoped policies.
//!
//! ## Seeds
//! `002_…` "What the boundary must deny" (attach `AdministratorAccess`:
//! condition on `iam:PolicyARN`), "The condition keys that make delegation
//! safe" (`iam:PolicyARN`), "The IAM actions a delegated admin needs"
//! (`iam:AttachRolePolicy`: allow-list).

use super::delegation::{probe, report, teams};
use super::{Check, Cx};
use crate::diagnostics::Severity;
use crate::principals::Query;

pub(crate) const CHECK: Check = Check {
    code: "LF736",
    name: "delegation-attach-admin",
    severity: Severity::Warning,
    summary: "a delegated team's admin role can attach AdministratorAccess to the roles it creates",
    source: include_str!("delegation_attach_admin.rs"),
    run,
};

fn run(cx: &mut Cx<'_>) {
    for team in teams(cx) {
        let found = probe(cx, &team, false, |w| {
            vec![(
                "`iam:AttachRolePolicy` of `AdministratorAccess`".to_string(),
                Query::new("iam:AttachRolePolicy", w.team_role())
                    .with("iam:PermissionsBoundary", w.boundary_arn())
                    .with(
                        "iam:PolicyARN",
                        "arn:aws:iam::aws:policy/AdministratorAccess",
                    ),
            )]
        });
        let name = team.name.clone();
        report(
            cx,
            &CHECK,
            &team,
            found,
            |m| {
                format!(
                    "delegated team `{name}` can grant its roles administrator access, allowed: {m}"
                )
            },
            "restrict `iam:AttachRolePolicy` with an `iam:PolicyARN` allow-list (`attachable_policies`)",
        );
    }
}
