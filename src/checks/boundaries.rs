//! Shared by the boundary checks: each permissions boundary of the
//! organization with the accounts it is used in, and the probe that wears it.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::Cx;
use crate::org::{AccountId, ManagedRef, PolicyId, PolicyKind};
use crate::policy::eval::{Evaluation, PolicyRef, PolicySet, explain};
use crate::principals::{PrincipalInfo, Query, SESSION_NAME, role_arn};

/// A boundary and the accounts it is created or worn in.
pub(crate) struct Worn {
    pub policy: PolicyId,
    pub accounts: Vec<AccountId>,
}

pub(crate) fn boundaries(cx: &Cx<'_>) -> Vec<Worn> {
    let org = cx.org;
    let mut out = Vec::new();
    for p in org
        .policies
        .iter()
        .filter(|p| p.kind == PolicyKind::Boundary)
    {
        let mut accounts: BTreeSet<AccountId> = p.accounts.iter().copied().collect();
        let wears = |b: &Option<ManagedRef>| matches!(b, Some(ManagedRef::Customer(c)) if c.policy == Some(p.id));
        for r in org.roles.iter().filter(|r| wears(&r.boundary)) {
            accounts.insert(r.account);
        }
        for a in &org.assignments {
            if wears(&org.permission_set(a.permission_set).boundary) {
                accounts.insert(a.account);
            }
        }
        out.push(Worn {
            policy: p.id,
            accounts: accounts.into_iter().collect(),
        });
    }
    out
}

/// The ARN of the boundary policy in an account.
pub(crate) fn boundary_arn(cx: &Cx<'_>, policy: PolicyId, account: &str) -> String {
    let p = cx.org.policy(policy);
    let path = crate::blueprint::resolve::doc::iam_path(&p.path);
    format!("arn:aws:iam::{account}:policy{path}{}", p.name)
}

/// A role `landform-probe` in `account` whose identity allows everything and
/// whose boundary is `policy`, under the account's SCPs.
pub(crate) fn wearer(
    cx: &Cx<'_>,
    policy: PolicyId,
    account: AccountId,
) -> (PrincipalInfo, PolicySet) {
    let acct = cx.engine.account_id(account);
    let who = PrincipalInfo {
        display: format!(
            "a role wearing the boundary in account {}",
            cx.org.account(account).name
        ),
        account,
        arn: format!("arn:aws:sts::{acct}:assumed-role/landform-probe/{SESSION_NAME}"),
        principal_arn: role_arn(acct, "/", "landform-probe"),
        tags: Default::default(),
    };
    let boundary = cx
        .engine
        .compiled(policy)
        .map(|c| PolicyRef::labelled(Arc::clone(c), cx.engine.label(policy)));
    let set = PolicySet {
        identity: vec![PolicyRef::labelled(
            Arc::clone(cx.engine.allow_all()),
            "probe:allow-everything",
        )],
        boundary: boundary.map(|b| vec![b]),
        scp_levels: cx.engine.scp_levels(account).map(<[_]>::to_vec),
        ..PolicySet::default()
    };
    (who, set)
}

/// Evaluates `q` as the wearer.
pub(crate) fn ask(cx: &Cx<'_>, who: &PrincipalInfo, set: &PolicySet, q: &Query) -> Evaluation {
    let req = cx.engine.request(who, q);
    let mut set = set.clone();
    cx.engine.add_resource_side(&mut set, &req);
    explain(&set, &req)
}
