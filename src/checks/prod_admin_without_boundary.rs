//! # LF770: administrator access in production without a boundary
//!
//! ## What it does
//! For every permission set assigned to a production account (an account in
//! an OU named `Prod`/`Production`, or tagged `Environment: prod`), asks the
//! engine whether its own policies make it an administrator (they allow
//! every action of a set that only administrators hold: creating users and
//! keys, attaching policies, terminating instances, deleting buckets,
//! scheduling key deletion, …) and reports those that carry no permissions
//! boundary.
//!
//! ## Why is this bad?
//! Standing administrator access in production is the largest blast radius
//! an engineer's session can have. The seeds' permission-set design gives
//! `AdministratorAccess` only together with a boundary (`OrgAdmin`), and
//! prod access to everybody else as read-only or a scoped operator set.
//!
//! ## Example
//! ```yaml
//! identity_center:
//!   permission_sets:
//!     Admin: {aws_managed: [AdministratorAccess], session: PT1H}
//!   assignments:
//!     - {group: engineers, permission_set: Admin, targets: [Workloads/Prod]}
//! ```
//!
//! ## How to fix
//! Give production a read-only and a scoped operator set; keep
//! administrator access for a small group, with `boundary:` and a short
//! session.
//!
//! ## Seeds
//! `000_…` permission-set design table (`OrgAdmin`: `AdministratorAccess` +
//! boundary; `ProdReadOnly`, `ProdOperator`), best practice "Least privilege
//! … Avoid blanket `AdministratorAccess`", quiz Q3; `002_…` "What problem
//! this solves" (`Action: *` policies).

use std::collections::BTreeMap;

use super::probes::is_admin;
use super::{Check, Cx, at, list};
use crate::diagnostics::Severity;
use crate::org::{AccountId, Org, PermissionSetId, PrincipalRef};

pub(crate) const CHECK: Check = Check {
    code: "LF770",
    name: "prod-admin-without-boundary",
    severity: Severity::Error,
    summary: "an administrator permission set without a boundary is assigned to a production account",
    source: include_str!("prod_admin_without_boundary.rs"),
    run,
};

fn is_prod_word(s: &str) -> bool {
    s.split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| w.eq_ignore_ascii_case("prod") || w.eq_ignore_ascii_case("production"))
}

/// Whether an account is a production account: in an OU named `Prod` or
/// `Production` (at any depth), or tagged `Environment`/`Env` = prod.
pub(crate) fn is_prod(org: &Org, account: AccountId) -> bool {
    let a = org.account(account);
    let tagged = a.tags.iter().any(|(k, v)| {
        matches!(
            k.to_ascii_lowercase().as_str(),
            "environment" | "env" | "stage"
        ) && (v.eq_ignore_ascii_case("prod") || v.eq_ignore_ascii_case("production"))
    });
    tagged
        || org
            .ou_chain(a.ou)
            .iter()
            .any(|ou| !org.ou(*ou).is_root() && is_prod_word(&org.ou(*ou).name))
}

fn run(cx: &mut Cx<'_>) {
    let org = cx.org;
    let mut by_set: BTreeMap<PermissionSetId, Vec<(AccountId, crate::org::Origin)>> =
        BTreeMap::new();
    for a in &org.assignments {
        if is_prod(org, a.account) && org.permission_set(a.permission_set).boundary.is_none() {
            by_set
                .entry(a.permission_set)
                .or_default()
                .push((a.account, a.origin.clone()));
        }
    }
    for (ps, assigned) in by_set {
        let p = PrincipalRef::PermissionSet {
            permission_set: ps,
            account: assigned[0].0,
        };
        if !is_admin(cx.engine, &p) {
            continue;
        }
        let set = org.permission_set(ps);
        let mut accounts: Vec<String> = assigned
            .iter()
            .map(|(a, _)| format!("`{}`", org.account(*a).name))
            .collect();
        accounts.sort();
        accounts.dedup();
        let mut d = cx
            .diag(
                &CHECK,
                format!(
                    "permission set `{}` is an administrator without a boundary in production: {}",
                    set.name,
                    list(&accounts, 5)
                ),
                &assigned[0].1,
            )
            .with_help("give production read-only and scoped operator sets; if administrators must exist there, add `boundary:` and a short session");
        d = at(d, &set.origin, "the permission set", &org.blueprint);
        cx.push(d);
    }
}
