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

use std::collections::BTreeSet;

use super::probes::principal_tag_keys;
use super::{Check, Cx, list};
use crate::diagnostics::Severity;
use crate::org::PrincipalRef;
use crate::principals::enumerate;

pub(crate) const CHECK: Check = Check {
    code: "LF752",
    name: "abac-missing-principal-tag",
    severity: Severity::Warning,
    summary: "a policy reads aws:PrincipalTag/K but the principal has no tag K",
    source: include_str!("abac_missing_principal_tag.rs"),
    run,
};

fn run(cx: &mut Cx<'_>) {
    let mut seen_sets = BTreeSet::new();
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
        let (docs, boundary) = cx.engine.documents(&p);
        let mut used = BTreeSet::new();
        for d in docs.iter().chain(boundary.iter()) {
            used.extend(principal_tag_keys(d));
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
