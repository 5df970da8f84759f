//! # LF721: a whole account is trusted without a hardening condition
//!
//! ## What it does
//! For each role whose trust policy names a whole account of the
//! organization (`arn:aws:iam::ACCOUNT:root` or the 12-digit id), asks the
//! engine whether an arbitrary role of that account may assume it with no
//! `sts:ExternalId`, no MFA and no `aws:PrincipalOrgID` of ours. If it may,
//! nothing narrows "the account" down to the principals meant.
//!
//! ## Why is this bad?
//! Trusting an account's root trusts every principal in it that has
//! `sts:AssumeRole` — including roles created later by people who never
//! meant to reach this one. Without an `aws:PrincipalArn`, `aws:PrincipalOrgID`,
//! external-id or MFA condition, a compromise of any role there reaches this
//! role too.
//!
//! ## Example
//! ```yaml
//! roles:
//!   deployer:
//!     accounts: [payments-prod]
//!     trust:
//!       aws: ["222233334444"]     # the whole shared-services account, no condition
//! ```
//!
//! ## How to fix
//! Name the exact role (`trust.principals: [role:ci@shared-services]`), or
//! add `org_only: true`, `require_mfa: true` or an `external_id`.
//!
//! ## Seeds
//! `000_…` "Trust-policy principal types" (AWS account: "Trusts the whole
//! account"), "Conditions that harden a trust policy", troubleshooting row 3
//! ("a `:root` wildcard in trust"); `002_…` "Constrain trust policies, not
//! just grants".

use super::trust::{account_of, can_assume, is_whole_account, probe_principal};
use super::{Check, Cx, trace_note};
use crate::diagnostics::Severity;
use crate::policy::eval::Decision;

pub(crate) const CHECK: Check = Check {
    code: "LF721",
    name: "trust-whole-account",
    severity: Severity::Warning,
    summary: "a trust policy trusts a whole account with no ExternalId, PrincipalOrgID, MFA or principal condition",
    source: include_str!("trust_whole_account.rs"),
    run,
};

fn run(cx: &mut Cx<'_>) {
    for role in &cx.org.roles {
        let doc = cx.engine.document(role.trust);
        for entry in super::trust::aws_principals(&doc) {
            if !is_whole_account(&entry) {
                continue;
            }
            let Some(acct) = account_of(&entry) else {
                continue;
            };
            let Some(trusted) = cx.engine.account_by_id(acct) else {
                // outside the organization: LF722
                continue;
            };
            let who = probe_principal(&entry, acct);
            let ev = can_assume(cx.engine, role.id, &who, "sts:AssumeRole", &[]);
            if ev.decision != Decision::Allow {
                continue;
            }
            let d = cx
                .diag(
                    &CHECK,
                    format!(
                        "role `{}` in account `{}` trusts every principal of account `{}` with no condition",
                        role.name,
                        cx.org.account(role.account).name,
                        cx.org.account(trusted).name
                    ),
                    &role.origin,
                )
                .with_help("name the exact principal (`trust.principals: [role:NAME@ACCOUNT]`), or add `org_only: true`, `require_mfa: true` or an `external_id`")
                .with_note(trace_note(&ev));
            cx.push(d);
        }
    }
}
