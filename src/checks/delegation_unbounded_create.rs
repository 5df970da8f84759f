//! # LF730: a delegated team can create a role without its boundary
//!
//! ## What it does
//! Asks the engine, as each delegated team's admin role in each of its
//! accounts, whether `iam:CreateRole` in the team's own path succeeds when
//! the request attaches no permissions boundary.
//!
//! ## Why is this bad?
//! A role created without the boundary is not capped: the team can give it
//! `AdministratorAccess` and escalate above what the delegation meant to
//! allow. The `iam:PermissionsBoundary` condition is what makes self-service
//! role creation safe.
//!
//! ## Example
//! ```yaml
//! policies:
//!   managed:
//!     team-extra:              # attached to the team's admin role next to the delegation policy
//!       document:
//!         Version: "2012-10-17"
//!         Statement:
//!           - {Effect: Allow, Action: "iam:CreateRole", Resource: "*"}
//! ```
//!
//! ## How to fix
//! Allow `iam:CreateRole` only with `Condition: {StringEquals:
//! {iam:PermissionsBoundary: <the boundary ARN>}}` (landform's `delegation:`
//! does), and pair it with `guardrails.require_boundary_on_create_role`.
//!
//! ## Seeds
//! `002_…` "Step 1 — Safe delegation", "The condition keys that make
//! delegation safe" (`iam:PermissionsBoundary`: "Omit it and teams create
//! unbounded roles"), lab step 2; `000_…` troubleshooting row 13 ("A
//! delegated team escalated their own privileges"), best practice "Delegate
//! IAM with a permissions boundary, and require it via SCP".

use super::delegation::{probe, report, teams};
use super::{Check, Cx};
use crate::diagnostics::Severity;
use crate::principals::Query;

pub(crate) const CHECK: Check = Check {
    code: "LF730",
    name: "delegation-unbounded-create",
    severity: Severity::Error,
    summary: "a delegated team's admin role can create a role without the permissions boundary",
    source: include_str!("delegation_unbounded_create.rs"),
    run,
};

fn run(cx: &mut Cx<'_>) {
    for team in teams(cx) {
        let found = probe(cx, &team, false, |w| {
            vec![(
                "`iam:CreateRole` with no boundary".to_string(),
                Query::new("iam:CreateRole", w.team_role()),
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
                    "delegated team `{name}` can create roles without its boundary, allowed: {m}"
                )
            },
            "allow `iam:CreateRole` only with the `iam:PermissionsBoundary` condition, and attach `guardrails.require_boundary_on_create_role`",
        );
    }
}
