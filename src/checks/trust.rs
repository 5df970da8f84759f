//! Shared by the trust checks: reading who a trust policy names (to choose
//! the probes) and asking the engine whether a probe may assume the role.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::Value;

use super::probes::{STRANGER_ACCOUNT, STRANGER_ORG, statements};
use crate::org::{AccountId, Role, RoleId};
use crate::policy::eval::{Evaluation, PolicyRef, PolicySet, explain};
use crate::principals::{OrgEngine, PrincipalInfo, Query, SESSION_NAME, role_arn};

/// The ARN of a role of the organization.
pub(crate) fn arn_of(engine: &OrgEngine<'_>, role: &Role) -> String {
    role_arn(engine.account_id(role.account), &role.path, &role.name)
}

/// The `AWS` principals the trust policy's `Allow` statements name.
pub(crate) fn aws_principals(doc: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for st in statements(doc) {
        if st.get("Effect").and_then(Value::as_str) != Some("Allow") {
            continue;
        }
        match st.get("Principal") {
            Some(Value::String(s)) if s == "*" => out.push("*".to_string()),
            Some(Value::Object(m)) => {
                if let Some(v) = m.get("AWS") {
                    let mut vals = Vec::new();
                    super::probes::strings(v, &mut vals);
                    out.extend(vals);
                }
            }
            _ => {}
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The account a principal entry names (`111122223333`, `…:root`, a role ARN).
pub(crate) fn account_of(entry: &str) -> Option<&str> {
    if entry.len() == 12 && entry.bytes().all(|b| b.is_ascii_digit()) {
        return Some(entry);
    }
    let acct = entry.split(':').nth(4)?;
    (acct.len() == 12 && acct.bytes().all(|b| b.is_ascii_digit())).then_some(acct)
}

/// Whether an entry names a whole account.
pub(crate) fn is_whole_account(entry: &str) -> bool {
    account_of(entry).is_some() && (!entry.starts_with("arn:") || entry.ends_with(":root"))
}

/// The principal a probe acts as for an entry: the named role's session, the
/// named user, or an arbitrary role of the named account.
pub(crate) fn probe_principal(entry: &str, account: &str) -> PrincipalInfo {
    let mut parts = entry.splitn(6, ':');
    let resource = parts.nth(5).unwrap_or("");
    let (arn, principal_arn) = if let Some(rest) = resource.strip_prefix("role/") {
        let name = rest.rsplit('/').next().unwrap_or(rest);
        (
            format!("arn:aws:sts::{account}:assumed-role/{name}/{SESSION_NAME}"),
            entry.to_string(),
        )
    } else if resource.starts_with("user/") {
        (entry.to_string(), entry.to_string())
    } else {
        (
            format!("arn:aws:sts::{account}:assumed-role/landform-any-role/{SESSION_NAME}"),
            role_arn(account, "/", "landform-any-role"),
        )
    };
    PrincipalInfo {
        display: arn.clone(),
        account: AccountId(0),
        arn,
        principal_arn,
        tags: BTreeMap::new(),
    }
}

/// A stranger: a role in an account outside the organization.
pub(crate) fn stranger() -> PrincipalInfo {
    PrincipalInfo {
        display: format!("a role in account {STRANGER_ACCOUNT}, outside the organization"),
        account: AccountId(0),
        arn: format!("arn:aws:sts::{STRANGER_ACCOUNT}:assumed-role/stranger/{SESSION_NAME}"),
        principal_arn: role_arn(STRANGER_ACCOUNT, "/", "stranger"),
        tags: BTreeMap::new(),
    }
}

/// Asks whether `who` (whose own policies allow everything, with no
/// organization policy above it) may assume `role` with `q`'s context and
/// no `sts:ExternalId`, MFA or organization of ours unless `q` says so.
pub(crate) fn can_assume(
    engine: &OrgEngine<'_>,
    role: RoleId,
    who: &PrincipalInfo,
    action: &str,
    context: &[(&str, &str)],
) -> Evaluation {
    let r = engine.org().role(role);
    let mut q = Query::new(action, arn_of(engine, r)).with("aws:PrincipalOrgID", STRANGER_ORG);
    for (k, v) in context {
        q = q.with(k, *v);
    }
    let mut set = PolicySet {
        identity: vec![PolicyRef::labelled(
            Arc::clone(engine.allow_all()),
            "probe:allow-everything",
        )],
        ..PolicySet::default()
    };
    let req = engine.request(who, &q);
    engine.add_resource_side(&mut set, &req);
    explain(&set, &req)
}

/// The federated (OIDC) providers a trust policy's `Allow` statements name,
/// with the statement.
pub(crate) fn oidc_statements(doc: &Value) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for st in statements(doc) {
        if st.get("Effect").and_then(Value::as_str) != Some("Allow") {
            continue;
        }
        let Some(Value::Object(p)) = st.get("Principal") else {
            continue;
        };
        let Some(fed) = p.get("Federated") else {
            continue;
        };
        let mut vals = Vec::new();
        super::probes::strings(fed, &mut vals);
        for v in vals {
            if v.contains(":oidc-provider/") {
                out.push((v, (*st).clone()));
            }
        }
    }
    out
}

/// Condition values of `key` in a statement (any operator).
pub(crate) fn condition_values(st: &Value, key: &str) -> Vec<String> {
    super::probes::conditions(st)
        .into_iter()
        .filter(|(_, k, _)| k.eq_ignore_ascii_case(key))
        .flat_map(|(_, _, v)| v)
        .collect()
}
