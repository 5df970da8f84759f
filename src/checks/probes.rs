//! What the checks ask the engine with: probe requests, region lists, and
//! small readers of the IR's JSON documents that find *which* questions to
//! ask (which OUs are region-locked, which tag keys a policy reads). The
//! answers always come from the engine.

use serde_json::Value;
use std::collections::BTreeSet;

use crate::catalog::{AccessLevel, catalog};
use crate::org::{AccountId, Org, PolicyId, PolicyKind, PrincipalRef};
use crate::policy::eval::{Decision, Evaluation, PolicySet, PolicyType, Request, decide, explain};
use crate::principals::{Assume, OrgEngine, PrincipalInfo, Query};

/// The commercial AWS regions, in a fixed order (for "a region outside the
/// allowed ones" and "the regions where an action works").
pub(crate) const REGIONS: &[&str] = &[
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "ca-central-1",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "ap-south-1",
    "ap-south-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-east-1",
    "sa-east-1",
    "me-south-1",
    "me-central-1",
    "af-south-1",
    "il-central-1",
];

/// The name of the probe role the checks ask as.
pub(crate) const PROBE_ROLE: &str = "landform-probe";

/// A stranger: an account outside the organization.
pub(crate) const STRANGER_ACCOUNT: &str = "999988887777";
pub(crate) const STRANGER_ORG: &str = "o-landformstranger";

/// The strings of a JSON value, recursively.
pub(crate) fn strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        Value::Object(m) => m.values().for_each(|x| strings(x, out)),
        _ => {}
    }
}

/// A statement's list element (`Action`, `Resource`, …) as strings.
pub(crate) fn list_of(st: &Value, key: &str) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(v) = st.get(key) {
        strings(v, &mut out);
    }
    out
}

/// The statements of a policy document.
pub(crate) fn statements(doc: &Value) -> Vec<&Value> {
    match doc.get("Statement") {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(v @ Value::Object(_)) => vec![v],
        _ => Vec::new(),
    }
}

/// The condition blocks of a statement as (operator, key, values).
pub(crate) fn conditions(st: &Value) -> Vec<(String, String, Vec<String>)> {
    let mut out = Vec::new();
    if let Some(Value::Object(ops)) = st.get("Condition") {
        for (op, block) in ops {
            if let Value::Object(keys) = block {
                for (k, v) in keys {
                    let mut vals = Vec::new();
                    strings(v, &mut vals);
                    out.push((op.clone(), k.clone(), vals));
                }
            }
        }
    }
    out
}

/// A region restriction in an SCP: a `Deny` statement conditioned on
/// `aws:RequestedRegion` not being one of `allowed`.
#[derive(Debug, Clone)]
pub(crate) struct RegionLock {
    pub policy: PolicyId,
    pub allowed: Vec<String>,
}

/// The region restrictions among the SCPs of the organization.
pub(crate) fn region_locks(org: &Org, engine: &OrgEngine<'_>) -> Vec<RegionLock> {
    let mut out = Vec::new();
    for p in org.policies.iter().filter(|p| p.kind == PolicyKind::Scp) {
        let doc = engine.document(p.id);
        let mut allowed: BTreeSet<String> = BTreeSet::new();
        let mut found = false;
        for st in statements(&doc) {
            if st.get("Effect").and_then(Value::as_str) != Some("Deny") {
                continue;
            }
            for (op, key, vals) in conditions(st) {
                let op = op.to_ascii_lowercase();
                if key.eq_ignore_ascii_case("aws:RequestedRegion")
                    && (op.starts_with("stringnotequals") || op.starts_with("stringnotlike"))
                {
                    found = true;
                    allowed.extend(vals);
                }
            }
        }
        if found {
            out.push(RegionLock {
                policy: p.id,
                allowed: allowed.into_iter().collect(),
            });
        }
    }
    out
}

/// A region none of the `allowed` patterns match.
pub(crate) fn region_outside(allowed: &[String]) -> Option<&'static str> {
    REGIONS
        .iter()
        .copied()
        .find(|r| !allowed.iter().any(|a| glob(&a.to_ascii_lowercase(), r)))
}

/// IAM's `*`/`?` wildcard match (the caller lowercases).
pub(crate) fn glob(pattern: &str, text: &str) -> bool {
    let (p, t) = (pattern.as_bytes(), text.as_bytes());
    let (mut i, mut j) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while j < t.len() {
        match p.get(i) {
            Some(b'*') => {
                star = Some((i, j));
                i += 1;
            }
            Some(&c) if c == b'?' || c == t[j] => {
                i += 1;
                j += 1;
            }
            _ => match star {
                Some((si, sj)) => {
                    i = si + 1;
                    j = sj + 1;
                    star = Some((si, sj + 1));
                }
                None => return false,
            },
        }
    }
    p[i..].iter().all(|&c| c == b'*')
}

/// `aws:PrincipalTag/K` keys a document reads (as a condition key or a
/// policy variable).
pub(crate) fn principal_tag_keys(doc: &Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for st in statements(doc) {
        let mut all = Vec::new();
        strings(st, &mut all);
        for (_, key, _) in conditions(st) {
            all.push(key);
        }
        for s in all {
            let mut rest = s.as_str();
            while let Some(i) = find_ascii_ci(rest, "aws:principaltag/") {
                let tail = &rest[i + "aws:principaltag/".len()..];
                let key: String = tail
                    .chars()
                    .take_while(|c| !matches!(c, '}' | '"' | ' ' | '$'))
                    .collect();
                if !key.is_empty() {
                    out.insert(key);
                }
                rest = &tail[tail.len().min(1)..];
            }
        }
    }
    out
}

/// Where `needle` (lowercase ASCII) first occurs in `hay`, ignoring ASCII
/// case: the byte offset `hay.to_ascii_lowercase().find(needle)` gives,
/// without allocating.
fn find_ascii_ci(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    if n.is_empty() {
        return Some(0);
    }
    h.windows(n.len())
        .position(|w| w.iter().zip(n).all(|(a, b)| a.to_ascii_lowercase() == *b))
}

/// Whether a document grants by matching a principal tag against the
/// resource or the request (`${aws:PrincipalTag/K}` in a condition value).
pub(crate) fn is_abac(doc: &Value) -> bool {
    statements(doc).iter().any(|st| {
        st.get("Effect").and_then(Value::as_str) == Some("Allow")
            && conditions(st)
                .iter()
                .any(|(_, _, vals)| vals.iter().any(|v| v.contains("${aws:PrincipalTag/")))
    })
}

/// The actions an `Allow` statement of `docs` names, expanded through the
/// catalogue; `None` when a statement uses `NotAction` (anything).
pub(crate) fn allowed_actions(docs: &[Value]) -> Option<Vec<String>> {
    let cat = catalog();
    let mut out: BTreeSet<String> = BTreeSet::new();
    for doc in docs {
        for st in statements(doc) {
            if st.get("Effect").and_then(Value::as_str) != Some("Allow") {
                continue;
            }
            if st.get("NotAction").is_some() {
                return None;
            }
            for pattern in list_of(st, "Action") {
                if pattern == "*" {
                    return None;
                }
                if pattern.contains(['*', '?']) {
                    for id in cat.expand(&pattern) {
                        if let Some(a) = cat.action_by_id(id) {
                            out.insert(a.full_name());
                        }
                    }
                } else {
                    out.insert(pattern);
                }
            }
        }
    }
    Some(out.into_iter().collect())
}

/// Every catalogue action (`service:Action`), optionally only those with one
/// of `levels`.
pub(crate) fn catalogue_actions(levels: Option<&[AccessLevel]>) -> Vec<String> {
    catalog()
        .actions()
        .filter(|a| levels.is_none_or(|l| l.contains(&a.access_level)))
        .map(|a| a.full_name())
        .collect()
}

/// A probe role's request, with `q`'s context.
pub(crate) fn probe_request(
    engine: &OrgEngine<'_>,
    account: AccountId,
    q: &Query,
) -> (PolicySet, Request, PrincipalInfo) {
    let (who, mut set) = engine.probe(account, PROBE_ROLE);
    let req = engine.request(&who, q);
    engine.add_resource_side(&mut set, &req);
    (set, req, who)
}

/// The decision for the probe role.
pub(crate) fn probe_decide(engine: &OrgEngine<'_>, account: AccountId, q: &Query) -> Decision {
    let (set, req, _) = probe_request(engine, account, q);
    decide(&set, &req).decision
}

/// The evaluation for the probe role.
pub(crate) fn probe_explain(engine: &OrgEngine<'_>, account: AccountId, q: &Query) -> Evaluation {
    let (set, req, _) = probe_request(engine, account, q);
    explain(&set, &req)
}

/// Whether an evaluation's deny was decided by an organization policy.
pub(crate) fn denied_by_scp(ev: &Evaluation) -> bool {
    ev.decision != Decision::Allow
        && matches!(
            ev.explanation.policy_type,
            Some(PolicyType::ServiceControl | PolicyType::ResourceControl)
        )
}

/// The principal's identity policies and boundary only (no organization
/// policies): what the principal's own policies allow.
pub(crate) fn own_policies(engine: &OrgEngine<'_>, p: &PrincipalRef, assume: Assume) -> PolicySet {
    PolicySet {
        identity: engine.identity_policies(p, assume),
        boundary: engine.boundary(p, assume).map(|b| vec![b]),
        ..PolicySet::default()
    }
}

/// Actions only an administrator holds: if a principal's own policies allow
/// every one of them on `*`, it is administrator-equivalent.
pub(crate) const ADMIN_PROBES: &[&str] = &[
    "iam:CreateUser",
    "iam:AttachRolePolicy",
    "iam:PutRolePolicy",
    "iam:CreateAccessKey",
    "ec2:RunInstances",
    "ec2:TerminateInstances",
    "s3:DeleteBucket",
    "kms:ScheduleKeyDeletion",
    "rds:DeleteDBInstance",
    "cloudtrail:DeleteTrail",
    "lambda:CreateFunction",
    "dynamodb:DeleteTable",
];

/// Whether a principal's own policies make it an administrator.
pub(crate) fn is_admin(engine: &OrgEngine<'_>, p: &PrincipalRef) -> bool {
    let set = own_policies(engine, p, Assume::Nothing);
    let who = engine.describe(p);
    ADMIN_PROBES.iter().all(|a| {
        let req = engine.request(&who, &Query::new(*a, "*"));
        decide(&set, &req).decision == Decision::Allow
    })
}
