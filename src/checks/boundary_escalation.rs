//! # LF740: a permissions boundary leaves an escalation move open
//!
//! ## What it does
//! For each permissions boundary, in each account it is used in, asks the
//! engine whether a role wearing it — with an identity policy that allows
//! everything, under the account's SCPs — can make the escalation moves of
//! the seed's table: mint an IAM user or an access key, pass
//! `OrganizationAccountAccessRole` to a service, attach
//! `AdministratorAccess` to or rewrite the trust of a role outside the
//! wearer's reach, or change the organization (`organizations:*`).
//!
//! ## Why is this bad?
//! A boundary is the ceiling of everything a delegated team creates. A move
//! it leaves open is a way through the ceiling: the wearer creates a user
//! (not bound by the role's boundary), or hands itself a more powerful role.
//!
//! ## Example
//! ```yaml
//! boundaries:
//!   team-boundary:
//!     allow: ["s3:*", "iam:*"]     # iam:* without denying CreateUser, PassRole, …
//! ```
//!
//! ## How to fix
//! Deny the moves in the boundary (landform's `boundaries:` deny
//! `iam:CreateUser`, `iam:CreateAccessKey`, `organizations:*`, … unless told
//! otherwise), or keep them outside its allow list; an SCP that denies them
//! org-wide also closes them (the engine sees it).
//!
//! ## Seeds
//! `002_…` "What the boundary must deny — the escalation moves to close"
//! (every row), lab step 5 (`check-access-not-granted` on `iam:CreateUser`),
//! disadvantages table ("A boundary that forgets an escalation action (e.g.
//! `iam:CreateUser`) is a false sense of safety").

use super::boundaries::{ask, boundaries, wearer};
use super::{Check, Cx, list, trace_note};
use crate::diagnostics::Severity;
use crate::policy::eval::Decision;
use crate::principals::{Query, role_arn};

pub(crate) const CHECK: Check = Check {
    code: "LF740",
    name: "boundary-escalation",
    severity: Severity::Error,
    summary: "a permissions boundary lets its wearer make a privilege-escalation move",
    source: include_str!("boundary_escalation.rs"),
    run,
};

pub(crate) fn moves(account: &str) -> Vec<(String, Query)> {
    let platform = role_arn(account, "/", "OrganizationAccountAccessRole");
    let user = format!("arn:aws:iam::{account}:user/landform-probe");
    vec![
        (
            "`iam:CreateUser`".into(),
            Query::new("iam:CreateUser", user.clone()),
        ),
        (
            "`iam:CreateAccessKey`".into(),
            Query::new("iam:CreateAccessKey", user),
        ),
        (
            "`iam:PassRole` of `OrganizationAccountAccessRole`".into(),
            Query::new("iam:PassRole", platform.clone())
                .with("iam:PassedToService", "ec2.amazonaws.com"),
        ),
        (
            "`iam:AttachRolePolicy` of `AdministratorAccess` on `OrganizationAccountAccessRole`"
                .into(),
            Query::new("iam:AttachRolePolicy", platform.clone()).with(
                "iam:PolicyARN",
                "arn:aws:iam::aws:policy/AdministratorAccess",
            ),
        ),
        (
            "`iam:UpdateAssumeRolePolicy` on `OrganizationAccountAccessRole`".into(),
            Query::new("iam:UpdateAssumeRolePolicy", platform),
        ),
        (
            "`organizations:LeaveOrganization`".into(),
            Query::new("organizations:LeaveOrganization", "*"),
        ),
    ]
}

fn run(cx: &mut Cx<'_>) {
    for worn in boundaries(cx) {
        let mut open: Vec<String> = Vec::new();
        let mut where_: Vec<String> = Vec::new();
        let mut first = None;
        for account in &worn.accounts {
            let acct = cx.engine.account_id(*account).to_string();
            let (who, set) = wearer(cx, worn.policy, *account);
            for (what, q) in moves(&acct) {
                let ev = ask(cx, &who, &set, &q);
                if ev.decision != Decision::Allow {
                    continue;
                }
                if !open.contains(&what) {
                    open.push(what);
                }
                let name = format!("`{}`", cx.org.account(*account).name);
                if !where_.contains(&name) {
                    where_.push(name);
                }
                if first.is_none() {
                    first = Some(ev);
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
                format!(
                    "boundary `{}` leaves escalation moves open: {}",
                    p.name,
                    list(&open, 4)
                ),
                &p.origin,
            )
            .with_help("deny these actions in the boundary (or leave them outside its allow list)")
            .with_note(format!("in {}", list(&where_, 6)));
        if let Some(ev) = first {
            d = d.with_note(trace_note(&ev));
        }
        cx.push(d);
    }
}
