//! # LF760: the audit trail is not protected
//!
//! ## What it does
//! In every group of member accounts, asks the engine whether a role that
//! may do everything can stop or delete CloudTrail trails
//! (`cloudtrail:StopLogging`, `cloudtrail:DeleteTrail`, the seed's
//! `ProtectCloudTrail`). An SCP should deny it.
//!
//! ## Why is this bad?
//! Without the trail there is no record of who did what, and no way to read
//! an `AccessDenied` back to its cause. An attacker's first move is to stop
//! logging; only an SCP stops an account's own administrators.
//!
//! ## Example
//! ```yaml
//! guardrails:
//!   protect_audit_trail:
//!     attach: [Workloads]     # Security, Sandbox, … are not covered
//! ```
//!
//! ## How to fix
//! Attach `guardrails.protect_audit_trail` to `Root`.
//!
//! ## Seeds
//! `000_…` security note "Protect the audit trail" (SCP deny on
//! `cloudtrail:StopLogging`/`DeleteTrail`), the deny-list SCP example
//! (`ProtectCloudTrail`), best practice "SCPs are guardrails … protect
//! logging", OU baseline ("Security: Deny anyone disabling logging").

use super::guarded::{Who, must_be_denied};
use super::{Check, Cx};
use crate::diagnostics::Severity;
use crate::principals::Query;

pub(crate) const CHECK: Check = Check {
    code: "LF760",
    name: "audit-trail-unprotected",
    severity: Severity::Warning,
    summary: "principals of member accounts can stop or delete CloudTrail trails",
    source: include_str!("audit_trail_unprotected.rs"),
    run,
};

fn run(cx: &mut Cx<'_>) {
    must_be_denied(
        cx,
        &CHECK,
        Who::Role,
        |acct, region| {
            let trail = format!("arn:aws:cloudtrail:{region}:{acct}:trail/organization-trail");
            ["cloudtrail:StopLogging", "cloudtrail:DeleteTrail"]
                .iter()
                .map(|a| (format!("`{a}`"), Query::new(*a, trail.clone())))
                .collect()
        },
        |class, moves| format!("in {class}, the audit trail is not protected, allowed: {moves}"),
        "attach `guardrails.protect_audit_trail` to `Root`",
    );
}
