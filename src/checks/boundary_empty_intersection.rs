//! # LF742: identity policy ∩ boundary is empty
//!
//! ## What it does
//! For every role and permission set that wears a permissions boundary,
//! asks the engine, for each action its identity policies allow (expanded
//! through the AWS catalogue), whether the identity policies *and* the
//! boundary allow it on some resource. If no action survives both, the
//! principal can do nothing at all.
//!
//! ## Why is this bad?
//! Effective permissions are the intersection of the identity policy and the
//! boundary; the boundary never grants. A role whose identity policy and
//! boundary do not overlap — or that has a boundary but no identity policy —
//! is dead weight, and usually a sign that one of the two was written for
//! another role.
//!
//! ## Example
//! ```yaml
//! roles:
//!   reporter:
//!     accounts: [analytics]
//!     trust: {services: [{service: lambda.amazonaws.com}]}
//!     aws_managed: [AmazonS3ReadOnlyAccess]
//!     boundary: dynamo-only            # allows dynamodb:* only
//! ```
//!
//! ## How to fix
//! Make the identity policy grant something the boundary allows (or widen
//! the boundary to what the role is for).
//!
//! ## Seeds
//! `002_…` troubleshooting row 3 ("A bounded role can do nothing"), the
//! boundary truth table (row "`s3:GetObject` / `dynamodb:*` → nothing"),
//! "A permission boundary grants nothing"; `000_…` "Boundary mechanics"
//! ("Effective perms = identity policy ∩ boundary").

use std::collections::BTreeMap;

use super::probes::{allowed_actions, catalogue_actions, own_policies, principal_tag_keys};
use super::{Check, Cx};
use crate::diagnostics::Severity;
use crate::org::PrincipalRef;
use crate::policy::eval::{Decision, decide};
use crate::principals::{Assume, Query, enumerate};

pub(crate) const CHECK: Check = Check {
    code: "LF742",
    name: "boundary-empty-intersection",
    severity: Severity::Warning,
    summary: "a principal's identity policies and its boundary allow no action in common",
    source: include_str!("boundary_empty_intersection.rs"),
    run,
};

fn run(cx: &mut Cx<'_>) {
    // principals with the same policies give the same answer
    let mut cache: BTreeMap<Vec<String>, bool> = BTreeMap::new();
    let mut seen_sets = std::collections::BTreeSet::new();
    for p in enumerate(cx.org) {
        let (origin, what) = match &p {
            PrincipalRef::PermissionSet { permission_set, .. } => {
                if !seen_sets.insert(*permission_set) {
                    continue;
                }
                let ps = cx.org.permission_set(*permission_set);
                (ps.origin.clone(), format!("permission set `{}`", ps.name))
            }
            PrincipalRef::Role { role } => {
                let r = cx.org.role(*role);
                (
                    r.origin.clone(),
                    format!(
                        "role `{}` in account `{}`",
                        r.name,
                        cx.org.account(r.account).name
                    ),
                )
            }
            PrincipalRef::BreakGlass { .. } => continue,
        };
        let set = own_policies(cx.engine, &p, Assume::Everything);
        let Some(boundary) = set.boundary.as_ref().and_then(|b| b.first()) else {
            continue;
        };
        let mut key: Vec<String> = set
            .identity
            .iter()
            .map(|r| r.label.as_deref().unwrap_or("").to_string())
            .collect();
        key.push(format!(
            "boundary {}",
            boundary.label.as_deref().unwrap_or("")
        ));
        let empty = match cache.get(&key) {
            Some(e) => *e,
            None => {
                let e = intersection_is_empty(cx, &p);
                cache.insert(key, e);
                e
            }
        };
        if !empty {
            continue;
        }
        let boundary_name = boundary
            .label
            .as_deref()
            .unwrap_or("its boundary")
            .to_string();
        let message = if set.identity.is_empty() {
            format!(
                "{what} has boundary `{boundary_name}` but no identity policy: it can do nothing"
            )
        } else {
            format!(
                "{what} can do nothing: no action allowed by its identity policies is allowed by `{boundary_name}`"
            )
        };
        let d = cx
            .diag(&CHECK, message, &origin)
            .with_help("make the identity policy grant something the boundary allows; a boundary never grants on its own");
        cx.push(d);
    }
}

fn intersection_is_empty(cx: &Cx<'_>, p: &PrincipalRef) -> bool {
    let set = own_policies(cx.engine, p, Assume::Everything);
    if set.identity.is_empty() {
        return true;
    }
    let (docs, boundary) = cx.engine.documents(p);
    let candidates = allowed_actions(&docs).unwrap_or_else(|| catalogue_actions(None));
    let who = cx.engine.describe(p);
    // satisfy tag-matching (ABAC) conditions: same value on both sides
    let mut keys = std::collections::BTreeSet::new();
    for d in docs.iter().chain(boundary.iter()) {
        keys.extend(principal_tag_keys(d));
    }
    for action in candidates {
        let mut q = Query::new(action, "*");
        for k in &keys {
            q = q
                .with(&format!("aws:PrincipalTag/{k}"), "landform")
                .with(&format!("aws:ResourceTag/{k}"), "landform")
                .with(&format!("aws:RequestTag/{k}"), "landform");
        }
        let req = cx.engine.request(&who, &q);
        if decide(&set, &req).decision == Decision::Allow {
            return false;
        }
    }
    true
}
