//! # LF763: an SCP or RCP is attached to the management account
//!
//! ## What it does
//! Reports organization policies the blueprint attaches directly to the
//! management account (guardrails attached there are reported by validation,
//! LF405).
//!
//! ## Why is this bad?
//! SCPs and RCPs do not apply to the management account: the policy has no
//! effect, and reviewers believe the account is guarded when it is not.
//!
//! ## Example
//! ```yaml
//! organization:
//!   management_account:
//!     name: management
//!     scps: [deny-risky]
//! ```
//!
//! ## How to fix
//! Remove the attachment; keep the management account empty of workloads
//! instead, with a tiny set of administrators.
//!
//! ## Seeds
//! `000_…` troubleshooting row 12 ("Management account ignores your SCP"),
//! "What SCPs/RCPs do not do" ("SCPs restrict the management account": no),
//! quiz Q10.

use super::{Check, Cx};
use crate::diagnostics::Severity;
use crate::org::{PolicyKind, Target};

pub(crate) const CHECK: Check = Check {
    code: "LF763",
    name: "scp-on-management-account",
    severity: Severity::Warning,
    summary: "an SCP or RCP attached to the management account has no effect",
    source: include_str!("scp_on_management_account.rs"),
    run,
};

fn run(cx: &mut Cx<'_>) {
    let Some(mgmt) = cx.org.management_account().map(|a| a.id) else {
        return;
    };
    let found: Vec<_> = cx
        .org
        .attachments
        .iter()
        .filter(|a| a.target == Target::Account(mgmt))
        .filter(|a| !a.origin.construct.starts_with("guardrails."))
        .filter(|a| {
            matches!(
                cx.org.policy(a.policy).kind,
                PolicyKind::Scp | PolicyKind::Rcp
            )
        })
        .cloned()
        .collect();
    for a in found {
        let p = cx.org.policy(a.policy);
        let kind = if p.kind == PolicyKind::Scp {
            "SCP"
        } else {
            "RCP"
        };
        let d = cx
            .diag(
                &CHECK,
                format!(
                    "{kind} `{}` is attached to the management account `{}`, where it has no effect",
                    p.name,
                    cx.org.account(mgmt).name
                ),
                &a.origin,
            )
            .with_help("remove the attachment; organization policies never restrict the management account, so keep it empty instead");
        cx.push(d);
    }
}
