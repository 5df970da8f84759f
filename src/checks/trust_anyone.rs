//! # LF720: anyone can assume the role
//!
//! ## What it does
//! Asks the engine whether a role in an account outside the organization —
//! with no `sts:ExternalId`, no MFA and another organization id — may assume
//! each role of the blueprint. If the trust policy lets it, the role trusts
//! `Principal: "*"` (or an equivalent wildcard) with no condition that
//! restricts who the caller is.
//!
//! ## Why is this bad?
//! Anyone, in any AWS account, can assume the role and inherit its
//! permissions. The trust policy is the gate for `sts:AssumeRole`; a wildcard
//! principal without a restricting condition is an open door.
//!
//! ## Example
//! ```yaml
//! # a raw trust document (e.g. in a test organization) with
//! #   "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"
//! # and no Condition
//! ```
//!
//! ## How to fix
//! Name the exact principal (`trust.aws: [arn:…:role/ci]`,
//! `trust.principals: [role:ci@shared-services]`) and add
//! `aws:PrincipalOrgID` (`org_only: true`), an external id or MFA.
//!
//! ## Seeds
//! `000_…` troubleshooting row 3 ("Any account can assume your role"),
//! "Trust-policy principal types" (`*` — "Anyone, anywhere can assume"),
//! best practice "never `Principal: "*"`"; `002_…` "What external access
//! means per resource type" (`AWS::IAM::Role`).

use super::trust::{arn_of, can_assume, stranger};
use super::{Check, Cx, trace_note};
use crate::diagnostics::Severity;
use crate::policy::eval::Decision;

pub(crate) const CHECK: Check = Check {
    code: "LF720",
    name: "trust-anyone",
    severity: Severity::Error,
    summary: "a principal outside the organization can assume the role without any condition",
    source: include_str!("trust_anyone.rs"),
    run,
};

fn run(cx: &mut Cx<'_>) {
    let who = stranger();
    for role in &cx.org.roles {
        let ev = can_assume(cx.engine, role.id, &who, "sts:AssumeRole", &[]);
        if ev.decision != Decision::Allow {
            continue;
        }
        let d = cx
            .diag(
                &CHECK,
                format!(
                    "anyone can assume role `{}` in account `{}`: {} may, with no external id, MFA or organization of ours",
                    role.name,
                    cx.org.account(role.account).name,
                    who.display
                ),
                &role.origin,
            )
            .with_help("name the exact principal and add `org_only: true` (aws:PrincipalOrgID), an `external_id` or `require_mfa`")
            .with_note(format!("role ARN: `{}`", arn_of(cx.engine, role)))
            .with_note(trace_note(&ev));
        cx.push(d);
    }
}
