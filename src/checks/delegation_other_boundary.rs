//! # LF731: a delegated team can create a role with a different boundary
//!
//! ## What it does
//! Asks the engine, as each delegated team's admin role, whether
//! `iam:CreateRole` in the team's path succeeds when the request attaches a
//! boundary other than the team's: `AdministratorAccess`, or another policy
//! of the account.
//!
//! ## Why is this bad?
//! A "boundary" the team picks is no ceiling: `AdministratorAccess` as a
//! boundary caps nothing. The condition must name the team's exact boundary
//! ARN with `StringEquals`, not a wildcard or a list the team controls.
//!
//! ## Example
//! ```yaml
//! # a delegation policy whose condition is too loose:
//! #   "Condition": {"StringLike": {"iam:PermissionsBoundary": "arn:aws:iam::*:policy/*"}}
//! ```
//!
//! ## How to fix
//! Compare `iam:PermissionsBoundary` with `StringEquals` to the one boundary
//! ARN of the team (landform's `delegation:` does).
//!
//! ## Seeds
//! `002_…` "The condition keys that make delegation safe",
//! troubleshooting row 1 ("Wrong boundary ARN"), best practice "Require
//! `iam:PermissionsBoundary` on every delegated `CreateRole`".

use super::delegation::{probe, report, teams};
use super::{Check, Cx};
use crate::diagnostics::Severity;
use crate::principals::Query;

pub(crate) const CHECK: Check = Check {
    code: "LF731",
    name: "delegation-other-boundary",
    severity: Severity::Error,
    summary: "a delegated team's admin role can create a role with a boundary other than its own",
    source: include_str!("delegation_other_boundary.rs"),
    run,
};

fn run(cx: &mut Cx<'_>) {
    for team in teams(cx) {
        let found = probe(cx, &team, false, |w| {
            vec![
                (
                    "`iam:CreateRole` with `AdministratorAccess` as the boundary".to_string(),
                    Query::new("iam:CreateRole", w.team_role()).with(
                        "iam:PermissionsBoundary",
                        "arn:aws:iam::aws:policy/AdministratorAccess",
                    ),
                ),
                (
                    "`iam:CreateRole` with another policy of the account as the boundary"
                        .to_string(),
                    Query::new("iam:CreateRole", w.team_role()).with(
                        "iam:PermissionsBoundary",
                        format!("arn:aws:iam::{}:policy/landform-other-policy", w.account),
                    ),
                ),
            ]
        });
        let name = team.name.clone();
        report(
            cx,
            &CHECK,
            &team,
            found,
            |m| format!("delegated team `{name}` can pick its own boundary, allowed: {m}"),
            "compare `iam:PermissionsBoundary` with `StringEquals` to the team's boundary ARN",
        );
    }
}
