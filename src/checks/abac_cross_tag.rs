//! # LF753: an ABAC policy grants across tag values
//!
//! ## What it does
//! For every policy that grants by matching a principal tag, asks the engine
//! — with that policy alone — whether a principal tagged `Project =
//! landform-a` may act on a resource tagged `Project = landform-b` (for each
//! key the policy matches on and a few of the actions it grants). It should
//! not.
//!
//! ## Why is this bad?
//! A condition that matches everything (a typo'd key, `ForAllValues:` on a
//! single-valued key, `StringLike` with a wildcard, an `…IfExists`) turns
//! "same project only" into "every project": the seed's "ABAC suddenly grants
//! far too much".
//!
//! ## Example
//! ```yaml
//! policies:
//!   managed:
//!     project-data:
//!       document:
//!         Version: "2012-10-17"
//!         Statement:
//!           - Effect: Allow
//!             Action: s3:GetObject
//!             Resource: "*"
//!             Condition:
//!               StringLikeIfExists: {aws:ResourceTag/Project: "${aws:PrincipalTag/Project}*"}
//! ```
//!
//! ## How to fix
//! Compare with `StringEquals` on `aws:ResourceTag/K` against
//! `${aws:PrincipalTag/K}` (what `abac.policies` generates).
//!
//! ## Seeds
//! `002_…` troubleshooting row 5 ("ABAC suddenly grants far too much"),
//! "Step 2" ("a fat-fingered condition can grant everything"), the
//! disadvantages table ("with a typo, everything").

use std::sync::Arc;

use super::abac::abac_policies;
use super::probes::{PROBE_ROLE, conditions, list_of, principal_tag_keys, statements};
use super::{Check, Cx, trace_note};
use crate::catalog::catalog;
use crate::diagnostics::Severity;
use crate::policy::eval::{Decision, PolicyRef, PolicySet, explain};
use crate::principals::Query;

pub(crate) const CHECK: Check = Check {
    code: "LF753",
    name: "abac-cross-tag",
    severity: Severity::Error,
    summary: "an ABAC policy grants on resources whose tag differs from the principal's",
    source: include_str!("abac_cross_tag.rs"),
    run,
};

fn run(cx: &mut Cx<'_>) {
    let Some(account) = cx
        .org
        .accounts
        .iter()
        .find(|a| !a.is_management)
        .map(|a| a.id)
    else {
        return;
    };
    for id in abac_policies(cx) {
        let Some(compiled) = cx.engine.compiled(id) else {
            continue;
        };
        let doc = cx.engine.document(id);
        let keys = principal_tag_keys(&doc);
        let mut actions = Vec::new();
        for st in statements(&doc) {
            if !conditions(st)
                .iter()
                .any(|(_, _, v)| v.iter().any(|s| s.contains("${aws:PrincipalTag/")))
            {
                continue;
            }
            for a in list_of(st, "Action").into_iter().take(3) {
                if a.contains(['*', '?']) {
                    if let Some(first) = catalog()
                        .expand(&a)
                        .next()
                        .and_then(|i| catalog().action_by_id(i))
                    {
                        actions.push(first.full_name());
                    }
                } else {
                    actions.push(a);
                }
            }
        }
        let (who, _) = cx.engine.probe(account, PROBE_ROLE);
        let set = PolicySet {
            identity: vec![PolicyRef::labelled(
                Arc::clone(compiled),
                cx.engine.label(id),
            )],
            ..PolicySet::default()
        };
        for action in actions {
            // with and without a request tag: reads carry none
            let mut found = None;
            for with_request_tag in [false, true] {
                let mut q = Query::new(action.clone(), "*");
                for k in &keys {
                    q = q
                        .with(&format!("aws:PrincipalTag/{k}"), "landform-a")
                        .with(&format!("aws:ResourceTag/{k}"), "landform-b");
                    if with_request_tag {
                        q = q.with(&format!("aws:RequestTag/{k}"), "landform-b");
                    }
                }
                let req = cx.engine.request(&who, &q);
                let ev = explain(&set, &req);
                if ev.decision == Decision::Allow {
                    found = Some(ev);
                    break;
                }
            }
            let Some(ev) = found else {
                continue;
            };
            let p = cx.org.policy(id);
            let d = cx
                .diag(
                    &CHECK,
                    format!(
                        "ABAC policy `{}` grants `{action}` on resources of another project: the principal's tag `landform-a` does not match the resource's `landform-b`",
                        p.name
                    ),
                    &p.origin,
                )
                .with_help("compare with `StringEquals` on `aws:ResourceTag/K` against `${aws:PrincipalTag/K}`")
                .with_note(trace_note(&ev));
            cx.push(d);
            break;
        }
    }
}
