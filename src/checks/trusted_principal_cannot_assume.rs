//! # LF724: a principal the trust policy names cannot assume the role
//!
//! ## What it does
//! For each role, finds the principals of the organization its trust policy
//! admits *by name* (a permission set's role, a role, a break-glass user —
//! not merely "anyone in the account", which an arbitrary role of the same
//! account would also pass), and asks the engine whether each of them can
//! actually assume the role: its identity policies must allow
//! `sts:AssumeRole` on the role's ARN and no SCP may deny it.
//!
//! ## Why is this bad?
//! The trust policy says "these principals may come in", but the other half
//! of the chain says no: the role is unreachable for the people it was made
//! for. It usually means an ARN in an identity policy does not match the
//! role's real ARN (a path, a name), or an SCP blocks `sts:AssumeRole`.
//!
//! ## Example
//! ```yaml
//! identity_center:
//!   permission_sets:
//!     TeamAdmin:
//!       inline:
//!         document:
//!           Version: "2012-10-17"
//!           Statement:
//!             - Effect: Allow
//!               Action: sts:AssumeRole
//!               Resource: arn:aws:iam::*:role/team-admin     # the role is named team-app-admin
//! delegation:
//!   app: {accounts: [orders], boundary: app-boundary, admin_role: team-app-admin,
//!         trust: {principals: ["permission_set:TeamAdmin@self"]}}
//! ```
//!
//! ## How to fix
//! Grant `sts:AssumeRole` on the role's exact ARN (the finding prints it and
//! the engine's trace), or lift the SCP that denies it.
//!
//! ## Seeds
//! `000_…` troubleshooting rows 1 and 2 ("AccessDenied on sts:AssumeRole",
//! "Role exists, perfect perms, still denied"), "Two policies, two jobs",
//! quiz Q4; `002_…` evaluation summary ("AssumeRole into a role").

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use super::probes::strings;
use super::trust::arn_of;
use super::{Check, Cx, principal_account, trace_note};
use crate::diagnostics::Severity;
use crate::org::{AccountId, PrincipalRef};
use crate::policy::eval::{Decision, PolicyRef, PolicySet, decide};
use crate::principals::{Assume, PrincipalInfo, Query, enumerate, role_arn};

pub(crate) const CHECK: Check = Check {
    code: "LF724",
    name: "trusted-principal-cannot-assume",
    severity: Severity::Warning,
    summary: "a principal the trust policy names cannot assume the role (identity policy or SCP)",
    source: include_str!("trusted_principal_cannot_assume.rs"),
    run,
};

fn run(cx: &mut Cx<'_>) {
    // the principals of each account, in `enumerate` order: each role only
    // looks at the accounts its trust policy names
    let mut by_account: BTreeMap<AccountId, Vec<PrincipalRef>> = BTreeMap::new();
    for p in enumerate(cx.org) {
        by_account
            .entry(principal_account(cx.org, &p))
            .or_default()
            .push(p);
    }
    for role in &cx.org.roles {
        let doc = cx.engine.document(role.trust);
        let mut texts = Vec::new();
        strings(&doc, &mut texts);
        let mentioned: BTreeSet<_> = texts
            .iter()
            .flat_map(|t| {
                t.split(|c: char| !c.is_ascii_digit())
                    .filter(|s| s.len() == 12)
                    .filter_map(|s| cx.engine.account_by_id(s))
                    .collect::<Vec<_>>()
            })
            .collect();
        if mentioned.is_empty() {
            continue;
        }
        let arn = arn_of(cx.engine, role);
        let q = Query::new("sts:AssumeRole", arn.clone());
        let trust_only = |who: &PrincipalInfo| {
            let mut set = PolicySet {
                identity: vec![PolicyRef::labelled(
                    Arc::clone(cx.engine.allow_all()),
                    "probe:allow-everything",
                )],
                ..PolicySet::default()
            };
            let req = cx.engine.request(who, &q);
            cx.engine.add_resource_side(&mut set, &req);
            decide(&set, &req).decision == Decision::Allow
        };
        let mut failing: Vec<(String, crate::policy::eval::Evaluation)> = Vec::new();
        for acct in &mentioned {
            let id = cx.engine.account_id(*acct).to_string();
            let control = PrincipalInfo {
                display: String::new(),
                account: *acct,
                arn: format!("arn:aws:sts::{id}:assumed-role/landform-any-role/landform"),
                principal_arn: role_arn(&id, "/", "landform-any-role"),
                tags: Default::default(),
            };
            if trust_only(&control) {
                // the whole account is trusted: nobody is named specifically
                continue;
            }
            for p in by_account.get(acct).map_or(&[][..], Vec::as_slice) {
                if *p == (PrincipalRef::Role { role: role.id }) {
                    continue;
                }
                let who = cx.engine.describe(p);
                if who.account != *acct || !trust_only(&who) {
                    continue;
                }
                let ev = cx.engine.explain(p, &q, Assume::Everything);
                if ev.decision != Decision::Allow {
                    failing.push((who.display, ev));
                }
            }
        }
        let Some((first, ev)) = failing.first() else {
            continue;
        };
        let more = if failing.len() > 1 {
            format!(" (and {} more)", failing.len() - 1)
        } else {
            String::new()
        };
        let d = cx
            .diag(
                &CHECK,
                format!(
                    "`{first}`{more} is trusted by role `{}` in account `{}` but cannot assume it",
                    role.name,
                    cx.org.account(role.account).name
                ),
                &role.origin,
            )
            .with_help(format!(
                "allow `sts:AssumeRole` on `{arn}` in its identity policy (or lift the SCP that denies it)"
            ))
            .with_note(format!("engine: {}", ev.explanation.message))
            .with_note(trace_note(ev));
        cx.push(d);
    }
}
