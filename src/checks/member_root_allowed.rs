//! # LF761: the root user of member accounts is not denied
//!
//! ## What it does
//! In every group of member accounts, asks the engine whether the account's
//! root user can act (`iam:CreateAccessKey`, `iam:CreateUser`,
//! `s3:ListAllMyBuckets`, `ec2:RunInstances`). An SCP should deny it.
//!
//! ## Why is this bad?
//! Root bypasses IAM; a leaked member root password is total compromise of
//! that account. Member accounts never need their root user for daily work
//! — the management account resets it when needed — so an SCP denying root
//! is cheap defence in depth.
//!
//! ## Example
//! ```yaml
//! guardrails:
//!   deny_leave_organization: {attach: [Root]}
//!   # no deny_member_root
//! ```
//!
//! ## How to fix
//! Attach `guardrails.deny_member_root` to `Root`.
//!
//! ## Seeds
//! `000_…` root hardening checklist step 6 ("Add an SCP denying
//! member-account root use"), security note "SCP deny member-account root",
//! the deny-list SCP example (`DenyRootUser`).

use super::guarded::{Who, must_be_denied};
use super::{Check, Cx};
use crate::diagnostics::Severity;
use crate::principals::Query;

pub(crate) const CHECK: Check = Check {
    code: "LF761",
    name: "member-root-allowed",
    severity: Severity::Warning,
    summary: "the root user of member accounts is not denied by an SCP",
    source: include_str!("member_root_allowed.rs"),
    run,
};

fn run(cx: &mut Cx<'_>) {
    must_be_denied(
        cx,
        &CHECK,
        Who::Root,
        |acct, _| {
            vec![
                (
                    "`iam:CreateAccessKey`".to_string(),
                    Query::new("iam:CreateAccessKey", format!("arn:aws:iam::{acct}:root")),
                ),
                (
                    "`iam:CreateUser`".to_string(),
                    Query::new(
                        "iam:CreateUser",
                        format!("arn:aws:iam::{acct}:user/landform-probe"),
                    ),
                ),
                (
                    "`s3:ListAllMyBuckets`".to_string(),
                    Query::new("s3:ListAllMyBuckets", "*"),
                ),
                (
                    "`ec2:RunInstances`".to_string(),
                    Query::new("ec2:RunInstances", "*"),
                ),
            ]
        },
        |class, moves| format!("in {class}, the root user is not denied, allowed: {moves}"),
        "attach `guardrails.deny_member_root` to `Root`",
    );
}
