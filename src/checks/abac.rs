//! Shared by the ABAC checks: which policies grant by tag matching, where
//! they are used, which tag keys they match on.

use std::collections::BTreeSet;

use super::Cx;
use super::probes::{is_abac, principal_tag_keys};
use crate::org::{AccountId, ManagedRef, PolicyId, PolicyKind, PrincipalRef};
use crate::principals::enumerate;

/// The IR policies that grant by matching a principal tag.
pub(crate) fn abac_policies(cx: &Cx<'_>) -> Vec<PolicyId> {
    cx.org
        .policies
        .iter()
        .filter(|p| {
            matches!(
                p.kind,
                PolicyKind::Managed | PolicyKind::RoleInline | PolicyKind::PermissionSetInline
            )
        })
        .filter(|p| is_abac(&cx.engine.document(p.id)))
        .map(|p| p.id)
        .collect()
}

/// The IR policies a principal's identity consists of.
pub(crate) fn identity_ids(cx: &Cx<'_>, p: &PrincipalRef) -> Vec<PolicyId> {
    let org = cx.org;
    let customer = |m: &ManagedRef| match m {
        ManagedRef::Customer(c) => c.policy,
        ManagedRef::Aws { .. } => None,
    };
    match p {
        PrincipalRef::PermissionSet { permission_set, .. } => {
            let ps = org.permission_set(*permission_set);
            ps.managed
                .iter()
                .filter_map(customer)
                .chain(ps.inline)
                .collect()
        }
        PrincipalRef::Role { role } => {
            let r = org.role(*role);
            r.managed
                .iter()
                .filter_map(customer)
                .chain(r.inline.iter().copied())
                .collect()
        }
        PrincipalRef::BreakGlass { index } => org
            .break_glass
            .get(*index)
            .map(|u| {
                u.managed
                    .iter()
                    .filter_map(customer)
                    .chain(u.group_inline.iter().copied())
                    .collect()
            })
            .unwrap_or_default(),
    }
}

/// The accounts where a principal holding an ABAC policy acts.
pub(crate) fn abac_accounts(cx: &Cx<'_>, abac: &[PolicyId]) -> BTreeSet<AccountId> {
    enumerate(cx.org)
        .iter()
        .filter(|p| identity_ids(cx, p).iter().any(|id| abac.contains(id)))
        .map(|p| cx.engine.describe(p).account)
        .collect()
}

/// The governance tag keys: the blueprint's `abac.tag_keys`, else the keys
/// the ABAC policies match on.
pub(crate) fn tag_keys(cx: &Cx<'_>, abac: &[PolicyId]) -> Vec<String> {
    if !cx.intent.abac_tag_keys.is_empty() {
        return cx.intent.abac_tag_keys.clone();
    }
    let mut keys = BTreeSet::new();
    for id in abac {
        keys.extend(principal_tag_keys(&cx.engine.document(*id)));
    }
    keys.into_iter().collect()
}
