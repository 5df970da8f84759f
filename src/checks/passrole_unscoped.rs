//! # LF735: `iam:PassRole` is not scoped
//!
//! ## What it does
//! For every role, permission set (in one account it is assigned to) and
//! delegated admin that is not already an administrator, asks the engine
//! whether its own policies (identity ∩ boundary) allow `iam:PassRole` of a
//! privileged role it has no business passing —
//! `OrganizationAccountAccessRole` — to a service.
//!
//! ## Why is this bad?
//! A principal that can pass any role can launch an EC2 instance or a Lambda
//! function with a more powerful role and act through it: `PassRole` on `*`
//! is one of the top privilege-escalation vectors.
//!
//! ## Example
//! ```yaml
//! policies:
//!   managed:
//!     deployer:
//!       document:
//!         Version: "2012-10-17"
//!         Statement:
//!           - {Effect: Allow, Action: ["lambda:*", "iam:PassRole"], Resource: "*"}
//! ```
//!
//! ## How to fix
//! Scope `iam:PassRole` to the exact role ARNs (or a path,
//! `role/team-app/*`), and add `iam:PassedToService`.
//!
//! ## Seeds
//! `002_…` troubleshooting row 13 ("`PassRole` lets a service grab a
//! more-powerful role"), best practice "Never grant `iam:PassRole` with
//! `Resource: *`", "What the boundary must deny" (PassRole to a privileged
//! role); `000_…` troubleshooting row 14, quiz Q12.

use std::collections::BTreeSet;

use super::probes::{is_admin, own_policies};
use super::{Check, Cx, trace_note};
use crate::diagnostics::Severity;
use crate::org::PrincipalRef;
use crate::policy::eval::{Decision, explain};
use crate::principals::{Assume, Query, enumerate, role_arn};

pub(crate) const CHECK: Check = Check {
    code: "LF735",
    name: "passrole-unscoped",
    severity: Severity::Error,
    summary: "a principal that is not an administrator can pass any role (iam:PassRole on *)",
    source: include_str!("passrole_unscoped.rs"),
    run,
};

fn run(cx: &mut Cx<'_>) {
    let mut seen_sets = BTreeSet::new();
    for p in enumerate(cx.org) {
        let origin = match &p {
            PrincipalRef::PermissionSet { permission_set, .. } => {
                if !seen_sets.insert(*permission_set) {
                    continue;
                }
                cx.org.permission_set(*permission_set).origin.clone()
            }
            PrincipalRef::Role { role } => cx.org.role(*role).origin.clone(),
            PrincipalRef::BreakGlass { .. } => continue,
        };
        if is_admin(cx.engine, &p) {
            continue;
        }
        let who = cx.engine.describe(&p);
        let acct = cx.engine.account_id(who.account).to_string();
        let q = Query::new(
            "iam:PassRole",
            role_arn(&acct, "/", "OrganizationAccountAccessRole"),
        )
        .with("iam:PassedToService", "ec2.amazonaws.com");
        let set = own_policies(cx.engine, &p, Assume::Nothing);
        let req = cx.engine.request(&who, &q);
        let ev = explain(&set, &req);
        if ev.decision != Decision::Allow {
            continue;
        }
        let subject = match &p {
            PrincipalRef::PermissionSet { permission_set, .. } => {
                format!(
                    "permission set `{}`",
                    cx.org.permission_set(*permission_set).name
                )
            }
            _ => format!("`{}`", who.display),
        };
        let d = cx
            .diag(
                &CHECK,
                format!(
                    "{subject} can pass any role to a service, including `OrganizationAccountAccessRole`"
                ),
                &origin,
            )
            .with_help("scope `iam:PassRole` to the exact role ARNs (or the team's path) and add `iam:PassedToService`")
            .with_note(trace_note(&ev));
        cx.push(d);
    }
}
