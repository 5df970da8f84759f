//! # LF752: a policy reads a principal tag nobody provides
//!
//! ## What it does
//! For every permission set, role and break-glass user, finds the tag keys
//! its identity policies and boundary read as `aws:PrincipalTag/K` (a
//! condition key or a `${aws:PrincipalTag/K}` variable) and checks that the
//! blueprint provides the tag: a role's `tags:`, a permission set's session
//! tags (`identity_center.access_control_attributes`, which Identity Center
//! sets on every session).
//!
//! ## Why is this bad?
//! A missing principal tag makes `${aws:PrincipalTag/K}` unresolvable: the
//! ABAC condition never matches and the policy silently grants nothing to a
//! perfectly valid user.
//!
//! ## Example
//! ```yaml
//! identity_center:
//!   permission_sets:
//!     Engineer: {customer_managed: [project-data-access]}   # matches on Project
//!   # no access_control_attributes for Project
//! ```
//!
//! ## How to fix
//! Provide the tag: `identity_center.access_control_attributes` for
//! permission sets, `tags:` for roles (or a session tag set by your IdP —
//! then this warning can be accepted).
//!
//! ## Seeds
//! `002_…` troubleshooting row 4 ("ABAC policy grants nothing to a valid
//! user — principal missing the session tag"), "The tag-condition keys"
//! (`aws:PrincipalTag/<k>`: "Untagged callers match nothing"), "Step 2"
//! ("set these as session tags in the Identity Center permission set").

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::probes::principal_tag_keys;
use super::{Check, Cx, list};
use crate::diagnostics::Severity;
use crate::org::{ManagedRef, PolicyId, PrincipalRef};
use crate::principals::{aws_managed, enumerate};

pub(crate) const CHECK: Check = Check {
    code: "LF752",
    name: "abac-missing-principal-tag",
    severity: Severity::Warning,
    summary: "a policy reads aws:PrincipalTag/K but the principal has no tag K",
    source: include_str!("abac_missing_principal_tag.rs"),
    run,
};

/// Where a document of a principal comes from.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Source {
    /// An AWS-managed policy, by ARN.
    Aws(String),
    /// A policy of the IR (customer-managed, boundary, inline).
    Policy(PolicyId),
    /// A customer-managed policy the IR does not define.
    Missing,
}

/// The identity policies and the boundary of `p`, in the order
/// [`crate::principals::OrgEngine::documents`] reads them.
fn policy_sources(cx: &Cx<'_>, p: &PrincipalRef) -> Vec<Source> {
    let org = cx.org;
    let of = |m: &ManagedRef| match m {
        ManagedRef::Aws { arn } => Source::Aws(arn.clone()),
        ManagedRef::Customer(c) => c.policy.map_or(Source::Missing, Source::Policy),
    };
    let (managed, inline, boundary): (&[ManagedRef], Vec<PolicyId>, Option<&ManagedRef>) = match p {
        PrincipalRef::PermissionSet { permission_set, .. } => {
            let ps = org.permission_set(*permission_set);
            (
                &ps.managed,
                ps.inline.into_iter().collect(),
                ps.boundary.as_ref(),
            )
        }
        PrincipalRef::Role { role } => {
            let r = org.role(*role);
            (&r.managed, r.inline.clone(), r.boundary.as_ref())
        }
        PrincipalRef::BreakGlass { index } => match org.break_glass.get(*index) {
            Some(u) => (&u.managed, u.group_inline.clone(), None),
            None => (&[], Vec::new(), None),
        },
    };
    let mut out: Vec<Source> = managed.iter().map(of).collect();
    out.extend(inline.into_iter().map(Source::Policy));
    out.extend(boundary.map(of));
    out
}

/// The document of a source, as the engine reads it.
fn source_document(cx: &Cx<'_>, s: &Source) -> Option<Value> {
    match s {
        Source::Aws(arn) => match aws_managed::lookup(arn) {
            aws_managed::Lookup::Shipped { policy, .. } => Some(policy.document.clone()),
            _ => None,
        },
        Source::Policy(id) => Some(cx.engine.document(*id)),
        Source::Missing => None,
    }
}

fn run(cx: &mut Cx<'_>) {
    let mut seen_sets = BTreeSet::new();
    let mut cache: BTreeMap<Source, BTreeSet<String>> = BTreeMap::new();
    for p in enumerate(cx.org) {
        let (origin, what, provided): (_, String, BTreeSet<String>) = match &p {
            PrincipalRef::PermissionSet { permission_set, .. } => {
                if !seen_sets.insert(*permission_set) {
                    continue;
                }
                let ps = cx.org.permission_set(*permission_set);
                (
                    ps.origin.clone(),
                    format!("permission set `{}`", ps.name),
                    ps.session_tags
                        .keys()
                        .chain(cx.org.access_control_attributes.keys())
                        .cloned()
                        .collect(),
                )
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
                    r.tags.keys().cloned().collect(),
                )
            }
            PrincipalRef::BreakGlass { index } => {
                let Some(u) = cx.org.break_glass.get(*index) else {
                    continue;
                };
                (
                    u.origin.clone(),
                    format!("break-glass user `{}`", u.name),
                    BTreeSet::new(),
                )
            }
        };
        // the documents of `OrgEngine::documents`, each scanned once: the
        // same policies are worn by a role in every account it is created in
        let mut used = BTreeSet::new();
        for source in policy_sources(cx, &p) {
            let keys = cache.entry(source.clone()).or_insert_with(|| {
                source_document(cx, &source).map_or_else(BTreeSet::new, |d| principal_tag_keys(&d))
            });
            used.extend(keys.iter().cloned());
        }
        let missing: Vec<String> = used
            .iter()
            .filter(|k| !provided.iter().any(|p| p.eq_ignore_ascii_case(k)))
            .map(|k| format!("`{k}`"))
            .collect();
        if missing.is_empty() {
            continue;
        }
        let d = cx
            .diag(
                &CHECK,
                format!(
                    "{what} has policies that read `aws:PrincipalTag/…` for {}, but no such tag is provided",
                    list(&missing, 4)
                ),
                &origin,
            )
            .with_help("provide the tag (Identity Center attributes for access control, or the role's `tags:`); without it the condition never matches");
        cx.push(d);
    }
}
