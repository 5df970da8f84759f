//! Shared by the guardrail checks: ask, in every group of member accounts,
//! whether actions that a guardrail should deny are denied.

use super::probes::{PROBE_ROLE, probe_request};
use super::{Check, Cx, list, trace_note};
use crate::policy::eval::{Decision, PolicySet, explain};
use crate::principals::Query;

/// Who makes the probe requests.
#[derive(Clone, Copy)]
pub(crate) enum Who {
    /// A role whose identity policy allows everything.
    Role,
    /// The account's root user.
    Root,
}

/// For every class of member accounts, the `moves` (built from the account's
/// id and the home region) that are allowed; one finding per class.
pub(crate) fn must_be_denied(
    cx: &mut Cx<'_>,
    check: &Check,
    who: Who,
    moves: impl Fn(&str, &str) -> Vec<(String, Query)>,
    message: impl Fn(&str, &str) -> String,
    help: &str,
) {
    let region = cx.org.home_region.clone();
    for class in cx.classes() {
        let account = class.representative;
        let acct = cx.engine.account_id(account).to_string();
        let mut open = Vec::new();
        let mut first = None;
        for (what, q) in moves(&acct, &region) {
            let ev = match who {
                Who::Role => {
                    let (set, req, _) = probe_request(cx.engine, account, &q);
                    explain(&set, &req)
                }
                Who::Root => {
                    let root = cx.engine.root_user(account);
                    let req = cx.engine.request(&root, &q);
                    let mut set = PolicySet {
                        scp_levels: cx.engine.scp_levels(account).map(<[_]>::to_vec),
                        ..PolicySet::default()
                    };
                    cx.engine.add_resource_side(&mut set, &req);
                    explain(&set, &req)
                }
            };
            if ev.decision == Decision::Allow {
                open.push(what);
                if first.is_none() {
                    first = Some(ev);
                }
            }
        }
        if open.is_empty() {
            continue;
        }
        let mut d = cx
            .diag(check, message(&class.name, &list(&open, 4)), &class.origin)
            .with_help(help.to_string());
        if let Some(ev) = first {
            let by = match who {
                Who::Role => {
                    format!("asked as a role `{PROBE_ROLE}` allowed everything by its own policies")
                }
                Who::Root => "asked as the account's root user".to_string(),
            };
            d = d.with_note(by).with_note(trace_note(&ev));
        }
        cx.push(d);
    }
}
