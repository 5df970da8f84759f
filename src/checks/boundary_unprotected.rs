//! # LF741: a permissions boundary does not protect itself
//!
//! ## What it does
//! For each permissions boundary, in each account it is used in, asks the
//! engine whether a role wearing it (identity policy: everything) can remove
//! or replace a boundary (`iam:DeleteRolePermissionsBoundary`,
//! `iam:PutRolePermissionsBoundary` with `AdministratorAccess`) or rewrite
//! the boundary policy itself (`iam:CreatePolicyVersion`,
//! `iam:SetDefaultPolicyVersion`, `iam:DeletePolicyVersion`,
//! `iam:DeletePolicy` on its ARN).
//!
//! ## Why is this bad?
//! A boundary that allows `iam:*` but not does deny its own lifecycle is a
//! ceiling with a trapdoor: the wearer publishes a version that allows `*`,
//! or detaches the boundary from itself.
//!
//! ## Example
//! ```yaml
//! boundaries:
//!   team-boundary:
//!     allow: ["iam:*", "s3:*"]
//!     protect_itself: false
//! ```
//!
//! ## How to fix
//! Keep `protect_itself: true` (the default): the boundary then denies its
//! own lifecycle actions and `iam:Delete*PermissionsBoundary`.
//!
//! ## Seeds
//! `002_…` "What the boundary must deny" (detach my own ceiling; edit the
//! ceiling), best practice "Treat the boundary as an inescapable ceiling, and
//! make it actually inescapable"; `000_…` "Boundary mechanics".

use super::boundaries::{ask, boundaries, boundary_arn, wearer};
use super::{Check, Cx, list, trace_note};
use crate::diagnostics::Severity;
use crate::policy::eval::Decision;
use crate::principals::{Query, role_arn};

pub(crate) const CHECK: Check = Check {
    code: "LF741",
    name: "boundary-unprotected",
    severity: Severity::Error,
    summary: "a permissions boundary lets its wearer remove, replace or rewrite a boundary",
    source: include_str!("boundary_unprotected.rs"),
    run,
};

fn run(cx: &mut Cx<'_>) {
    for worn in boundaries(cx) {
        let mut open: Vec<String> = Vec::new();
        let mut first = None;
        for account in &worn.accounts {
            let acct = cx.engine.account_id(*account).to_string();
            let own = boundary_arn(cx, worn.policy, &acct);
            let me = role_arn(&acct, "/", "landform-probe");
            let mut moves = vec![
                (
                    "`iam:DeleteRolePermissionsBoundary`".to_string(),
                    Query::new("iam:DeleteRolePermissionsBoundary", me.clone()),
                ),
                (
                    "`iam:PutRolePermissionsBoundary` with `AdministratorAccess`".to_string(),
                    Query::new("iam:PutRolePermissionsBoundary", me).with(
                        "iam:PermissionsBoundary",
                        "arn:aws:iam::aws:policy/AdministratorAccess",
                    ),
                ),
            ];
            for action in [
                "iam:CreatePolicyVersion",
                "iam:SetDefaultPolicyVersion",
                "iam:DeletePolicyVersion",
                "iam:DeletePolicy",
            ] {
                moves.push((
                    format!("`{action}` on itself"),
                    Query::new(action, own.clone()),
                ));
            }
            let (who, set) = wearer(cx, worn.policy, *account);
            for (what, q) in moves {
                let ev = ask(cx, &who, &set, &q);
                if ev.decision == Decision::Allow {
                    if !open.contains(&what) {
                        open.push(what);
                    }
                    if first.is_none() {
                        first = Some(ev);
                    }
                }
            }
        }
        if open.is_empty() {
            continue;
        }
        let p = cx.org.policy(worn.policy);
        let mut d = cx
            .diag(
                &CHECK,
                format!("boundary `{}` does not protect itself, allowed: {}", p.name, list(&open, 4)),
                &p.origin,
            )
            .with_help("keep `protect_itself: true`, or deny the boundary's lifecycle actions on its ARN and `iam:DeleteRolePermissionsBoundary`");
        if let Some(ev) = first {
            d = d.with_note(trace_note(&ev));
        }
        cx.push(d);
    }
}
