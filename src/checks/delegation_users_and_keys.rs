//! # LF734: a delegated team can create IAM users or access keys
//!
//! ## What it does
//! Asks the engine, as each delegated team's admin role, whether
//! `iam:CreateUser` and `iam:CreateAccessKey` are allowed.
//!
//! ## Why is this bad?
//! Users and their long-lived keys sidestep every role control: a user is
//! not bound by the role boundary the team must attach, and its keys do not
//! expire. Humans use Identity Center; workloads use roles.
//!
//! ## Example
//! ```yaml
//! boundaries:
//!   team-boundary:
//!     allow: ["iam:*"]       # and the delegation policy allows iam:* in the account
//! ```
//!
//! ## How to fix
//! Deny `iam:CreateUser` and `iam:CreateAccessKey` in the delegation policy
//! and the boundary (landform's `delegation:` and `boundaries:` do).
//!
//! ## Seeds
//! `002_…` "What the boundary must deny" (mint a user), "The IAM actions a
//! delegated admin needs" (`iam:CreateUser` / `CreateAccessKey`: deny), best
//! practice "No long-lived IAM users for humans"; `000_…` troubleshooting
//! rows 8 and 9 (lingering users, leaked keys).

use super::delegation::{probe, report, teams};
use super::{Check, Cx};
use crate::diagnostics::Severity;
use crate::principals::Query;

pub(crate) const CHECK: Check = Check {
    code: "LF734",
    name: "delegation-users-and-keys",
    severity: Severity::Error,
    summary: "a delegated team's admin role can create IAM users or access keys",
    source: include_str!("delegation_users_and_keys.rs"),
    run,
};

fn run(cx: &mut Cx<'_>) {
    for team in teams(cx) {
        let found = probe(cx, &team, false, |w| {
            let user = format!("arn:aws:iam::{}:user/landform-probe", w.account);
            vec![
                (
                    "`iam:CreateUser`".to_string(),
                    Query::new("iam:CreateUser", user.clone()),
                ),
                (
                    "`iam:CreateAccessKey`".to_string(),
                    Query::new("iam:CreateAccessKey", user),
                ),
            ]
        });
        let name = team.name.clone();
        report(
            cx,
            &CHECK,
            &team,
            found,
            |m| format!("delegated team `{name}` can mint long-lived credentials, allowed: {m}"),
            "deny `iam:CreateUser` and `iam:CreateAccessKey` in the delegation policy and the boundary",
        );
    }
}
