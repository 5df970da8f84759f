//! # LF765: SCPs lock everybody out, break-glass included
//!
//! ## What it does
//! Asks the engine two questions. As each break-glass user that lives in a
//! member account (with MFA): can it still administer IAM
//! (`iam:CreateRole`, `iam:AttachRolePolicy`, `iam:PutRolePolicy`) and read
//! (`iam:ListRoles`, `ec2:DescribeInstances`), in the home region and in
//! `us-east-1`? And as `OrganizationAccountAccessRole` — the management
//! account's way into every member — is every probed action denied by an SCP
//! attached to the root?
//!
//! ## Why is this bad?
//! An SCP that denies `*` to everyone, break-glass included, leaves nobody
//! able to repair the account: the emergency path is gone exactly when it is
//! needed, and only detaching the SCP from the management account helps.
//!
//! ## Example
//! ```yaml
//! organization:
//!   scps: [deny-all]        # meant for Suspended, attached to the root
//! ```
//!
//! ## How to fix
//! Attach deny-everything SCPs only to quarantine OUs (`Suspended`), and
//! exempt the break-glass principals from broad denies
//! (`exempt_principals:`).
//!
//! ## Seeds
//! `000_…` SCP strategies (deny list "hard to lock yourself out"), the
//! advantages table ("A too-broad SCP silently breaks legitimate work"),
//! "Choosing the right principal type" (break-glass: "A path in if SSO/IdP is
//! down"); `002_…` troubleshooting row 12, security note "Keep break-glass
//! minimal, separate, and monitored".

use super::probes::denied_by_scp;
use super::{Check, Cx, trace_note};
use crate::diagnostics::Severity;
use crate::org::PrincipalRef;
use crate::policy::eval::Decision;
use crate::principals::{Assume, Query};

pub(crate) const CHECK: Check = Check {
    code: "LF765",
    name: "scp-lockout",
    severity: Severity::Error,
    summary: "SCPs deny break-glass (or every principal of every member account) what it needs to repair an account",
    source: include_str!("scp_lockout.rs"),
    run,
};

const RECOVERY: &[&str] = &[
    "iam:CreateRole",
    "iam:AttachRolePolicy",
    "iam:PutRolePolicy",
    "iam:ListRoles",
    "ec2:DescribeInstances",
];

fn run(cx: &mut Cx<'_>) {
    let org = cx.org;
    let home = org.home_region.clone();
    for (index, u) in org.break_glass.iter().enumerate() {
        if org.account(u.account).is_management {
            continue;
        }
        let p = PrincipalRef::BreakGlass { index };
        let mut denied = Vec::new();
        let mut first = None;
        for region in [home.as_str(), "us-east-1"] {
            for action in RECOVERY {
                let q = Query::new(*action, "*")
                    .with("aws:RequestedRegion", region)
                    .with("aws:MultiFactorAuthPresent", "true");
                let ev = cx.engine.explain(&p, &q, Assume::Everything);
                if denied_by_scp(&ev) {
                    let what = format!("`{action}` in `{region}`");
                    if !denied.contains(&what) {
                        denied.push(what);
                    }
                    if first.is_none() {
                        first = Some(ev);
                    }
                }
            }
        }
        if denied.is_empty() {
            continue;
        }
        let mut d = cx
            .diag(
                &CHECK,
                format!(
                    "break-glass user `{}` is locked out by an SCP: {}",
                    u.name,
                    super::list(&denied, 4)
                ),
                &u.origin,
            )
            .with_help("exempt the break-glass principals from the SCP (`exempt_principals:`), or keep break-glass users in the management account");
        if let Some(ev) = first {
            d = d.with_note(trace_note(&ev));
        }
        cx.push(d);
    }
    // the whole organization: OrganizationAccountAccessRole denied everything at the root
    let Some(class) = cx.classes().into_iter().next() else {
        return;
    };
    let mut evs = Vec::new();
    for region in [home.as_str(), "us-east-1"] {
        for action in RECOVERY {
            let (who, mut set) = cx
                .engine
                .probe(class.representative, "OrganizationAccountAccessRole");
            let q = Query::new(*action, "*").with("aws:RequestedRegion", region);
            let req = cx.engine.request(&who, &q);
            cx.engine.add_resource_side(&mut set, &req);
            evs.push(crate::policy::eval::explain(&set, &req));
        }
    }
    let all_denied_at_root = evs.iter().all(|ev| {
        ev.decision != Decision::Allow
            && denied_by_scp(ev)
            && ev.explanation.level.as_deref() == Some("Root")
    });
    if !all_denied_at_root {
        return;
    }
    let ev = &evs[0];
    let origin = ev
        .explanation
        .policy
        .as_deref()
        .and_then(|l| cx.policy_by_label(l))
        .map_or_else(
            || org.root().origin.clone(),
            |id| cx.org.policy(id).origin.clone(),
        );
    let d = cx
        .diag(
            &CHECK,
            "the SCPs at the root deny every probed action to every principal of every member account, `OrganizationAccountAccessRole` included",
            &origin,
        )
        .with_help("attach deny-everything SCPs only to quarantine OUs, and exempt the principals that must repair accounts")
        .with_note(trace_note(ev));
    cx.push(d);
}
