//! # LF722: a third party can assume the role without an external id
//!
//! ## What it does
//! For each role whose trust policy names a principal outside the
//! organization (an account or a role of a vendor), asks the engine whether
//! that principal may assume the role without presenting `sts:ExternalId`.
//!
//! ## Why is this bad?
//! This is the confused-deputy problem: the third party acts for many
//! customers, and another customer can ask it to act on *your* role. Only a
//! secret external id, unique per integration, tells the requests apart.
//!
//! ## Example
//! ```yaml
//! roles:
//!   cspm-scanner:
//!     accounts: [audit]
//!     trust:
//!       aws: ["arn:aws:iam::999988887777:role/cspm-scanner"]   # no external_id
//! ```
//!
//! ## How to fix
//! Add `external_id:` with the value the vendor gave you (unique per
//! integration).
//!
//! ## Seeds
//! `000_…` troubleshooting row 10 ("Third-party SaaS can be tricked into
//! accessing your account"), quiz Q7 (confused deputy), security note
//! "`ExternalId` for third parties", "Choosing the right principal type"
//! (contractor / third party: "with ExternalId").

use super::trust::{account_of, aws_principals, can_assume, probe_principal};
use super::{Check, Cx, trace_note};
use crate::diagnostics::Severity;
use crate::policy::eval::Decision;

pub(crate) const CHECK: Check = Check {
    code: "LF722",
    name: "trust-third-party-without-external-id",
    severity: Severity::Error,
    summary: "a principal outside the organization can assume the role without sts:ExternalId",
    source: include_str!("trust_third_party.rs"),
    run,
};

fn run(cx: &mut Cx<'_>) {
    for role in &cx.org.roles {
        let doc = cx.engine.document(role.trust);
        for entry in aws_principals(&doc) {
            let Some(acct) = account_of(&entry) else {
                continue;
            };
            if cx.engine.account_by_id(acct).is_some() {
                continue;
            }
            let who = probe_principal(&entry, acct);
            let ev = can_assume(cx.engine, role.id, &who, "sts:AssumeRole", &[]);
            if ev.decision != Decision::Allow {
                continue;
            }
            let d = cx
                .diag(
                    &CHECK,
                    format!(
                        "`{entry}`, outside the organization, can assume role `{}` in account `{}` without an external id",
                        role.name,
                        cx.org.account(role.account).name
                    ),
                    &role.origin,
                )
                .with_help("add `external_id:` to the trust, with the value the third party gave you")
                .with_note(trace_note(&ev));
            cx.push(d);
        }
    }
}
