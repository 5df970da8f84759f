//! # LF762: member accounts can leave the organization
//!
//! ## What it does
//! In every group of member accounts, asks the engine whether a role that
//! may do everything can call `organizations:LeaveOrganization`. An SCP
//! should deny it.
//!
//! ## Why is this bad?
//! An account that leaves takes itself out from under every guardrail, the
//! org trail and consolidated billing — the quickest way to escape
//! governance.
//!
//! ## Example
//! ```yaml
//! guardrails:
//!   protect_audit_trail: {attach: [Root]}
//!   # no deny_leave_organization
//! ```
//!
//! ## How to fix
//! Attach `guardrails.deny_leave_organization` to `Root`.
//!
//! ## Seeds
//! `000_…` best practice "SCPs are guardrails … protect logging, root, and
//! org membership", the deny-list SCP example (`DenyLeaveOrg`), lab step 3.

use super::guarded::{Who, must_be_denied};
use super::{Check, Cx};
use crate::diagnostics::Severity;
use crate::principals::Query;

pub(crate) const CHECK: Check = Check {
    code: "LF762",
    name: "leave-organization-allowed",
    severity: Severity::Warning,
    summary: "principals of member accounts can make their account leave the organization",
    source: include_str!("leave_organization_allowed.rs"),
    run,
};

fn run(cx: &mut Cx<'_>) {
    must_be_denied(
        cx,
        &CHECK,
        Who::Role,
        |_, _| {
            vec![(
                "`organizations:LeaveOrganization`".to_string(),
                Query::new("organizations:LeaveOrganization", "*"),
            )]
        },
        |class, moves| format!("in {class}, accounts can leave the organization, allowed: {moves}"),
        "attach `guardrails.deny_leave_organization` to `Root`",
    );
}
