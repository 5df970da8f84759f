//! # LF764: an SCP allow can never take effect
//!
//! ## What it does
//! For every `Allow` statement of an SCP attached below the root, asks the
//! engine — as a role that may do everything, with only the SCP levels
//! *above* the statement's level — whether the actions it allows (a sample
//! of each action pattern, from the AWS catalogue) can pass those levels. If
//! none can, the statement is shadowed: an allow-list (or a deny) higher up
//! makes it unreachable.
//!
//! ## Why is this bad?
//! SCPs intersect level by level: an action must be allowed at the root, at
//! every OU and at the account. An allow-list at `Workloads` that leaves out
//! `dynamodb:*` makes a `dynamodb:*` allow at `Workloads/Prod` dead text —
//! and the team that asked for DynamoDB in production is denied with no
//! obvious reason.
//!
//! ## Example
//! ```yaml
//! organizational_units:
//!   Workloads:
//!     full_aws_access: false
//!     scps: [allow-compute]              # allows ec2:*, s3:*
//!     children:
//!       Prod: {scps: [allow-dynamodb]}   # allows dynamodb:* — unreachable
//! ```
//!
//! ## How to fix
//! Add the actions to the allow-list above (or remove the dead statement);
//! read the trace for the level that stops them.
//!
//! ## Seeds
//! `002_…` troubleshooting rows 12 and 14 ("SCP change silently breaks every
//! role in an OU", "an explicit Deny upstream wins"), the gate table ("SCPs
//! are allow-lists per-OU; one restrictive SCP caps everything"); `000_…`
//! "What SCPs/RCPs do not do" ("Effective permissions are the intersection of
//! all SCPs along the OU path"), SCP strategies (allow list: "easy to break
//! legitimate work").

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use super::probes::{PROBE_ROLE, list_of, statements};
use super::{Check, Cx, trace_note};
use crate::catalog::catalog;
use crate::diagnostics::Severity;
use crate::org::{AccountId, PolicyKind, Target};
use crate::policy::eval::{Decision, PolicyRef, PolicySet, explain};
use crate::principals::Query;

pub(crate) const CHECK: Check = Check {
    code: "LF764",
    name: "scp-shadowed-allow",
    severity: Severity::Warning,
    summary: "an SCP Allow statement is unreachable: a level above never lets its actions through",
    source: include_str!("scp_shadowing.rs"),
    run,
};

fn sample(pattern: &str) -> Vec<String> {
    if !pattern.contains(['*', '?']) {
        return vec![pattern.to_string()];
    }
    let cat = catalog();
    cat.expand(pattern)
        .filter_map(|id| cat.action_by_id(id))
        .take(12)
        .map(|a| a.full_name())
        .collect()
}

fn run(cx: &mut Cx<'_>) {
    let mut done: BTreeSet<(u32, String)> = BTreeSet::new();
    let attachments: Vec<_> = cx
        .org
        .attachments
        .iter()
        .filter(|a| a.target != Target::Root && cx.org.policy(a.policy).kind == PolicyKind::Scp)
        .cloned()
        .collect();
    // the first member account under each target (its levels name the
    // target): the root, each OU on its path, the account itself
    let mut first_under: BTreeMap<Target, AccountId> = BTreeMap::new();
    for a in cx.org.accounts.iter().filter(|a| !a.is_management) {
        for ou in cx.org.ou_chain(a.ou) {
            let t = if ou.index() == 0 {
                Target::Root
            } else {
                Target::Ou(ou)
            };
            first_under.entry(t).or_insert(a.id);
        }
        first_under.entry(Target::Account(a.id)).or_insert(a.id);
    }
    for att in attachments {
        // an account under the target
        let Some(&account) = first_under.get(&att.target) else {
            continue;
        };
        let targets: Vec<Target> = cx
            .org
            .levels(account, PolicyKind::Scp)
            .into_iter()
            .map(|(t, _)| t)
            .collect();
        let Some(idx) = targets.iter().position(|t| *t == att.target) else {
            continue;
        };
        let Some(levels) = cx.engine.scp_levels(account) else {
            continue;
        };
        let above = levels[..idx.min(levels.len())].to_vec();
        if above.is_empty() {
            continue;
        }
        let (who, _) = cx.engine.probe(account, PROBE_ROLE);
        let set = PolicySet {
            identity: vec![PolicyRef::labelled(
                Arc::clone(cx.engine.allow_all()),
                "probe:allow-everything",
            )],
            scp_levels: Some(above),
            ..PolicySet::default()
        };
        let doc = cx.engine.document(att.policy);
        for (i, st) in statements(&doc).into_iter().enumerate() {
            if st.get("Effect").and_then(|e| e.as_str()) != Some("Allow")
                || st.get("NotAction").is_some()
            {
                continue;
            }
            let sid = st
                .get("Sid")
                .and_then(|s| s.as_str())
                .map_or_else(|| format!("#{i}"), str::to_string);
            if !done.insert((att.policy.0, format!("{:?}/{sid}", att.target))) {
                continue;
            }
            let actions: Vec<String> = list_of(st, "Action")
                .iter()
                .flat_map(|p| sample(p))
                .collect();
            if actions.is_empty() {
                continue;
            }
            let mut first = None;
            let mut reachable = false;
            for a in &actions {
                let req = cx.engine.request(&who, &Query::new(a.clone(), "*"));
                let ev = explain(&set, &req);
                if ev.decision == Decision::Allow {
                    reachable = true;
                    break;
                }
                if first.is_none() {
                    first = Some(ev);
                }
            }
            if reachable {
                continue;
            }
            let p = cx.org.policy(att.policy);
            let mut d = cx
                .diag(
                    &CHECK,
                    format!(
                        "statement `{sid}` of SCP `{}` at `{}` can never allow anything: the levels above deny every action it allows",
                        p.name,
                        cx.org.target_name(att.target)
                    ),
                    &att.origin,
                )
                .with_help("add its actions to the allow-list above, or remove the statement");
            if let Some(ev) = first {
                d = d.with_note(trace_note(&ev));
            }
            cx.push(d);
        }
    }
}
