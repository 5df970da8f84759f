//! Containment proofs over IAM policies, like IAM Access Analyzer's custom
//! policy checks:
//!
//! - [`no_new_access`]: does a candidate policy allow any request that an
//!   existing (reference) policy does not?
//! - [`access_not_granted`]: can a policy ever allow one of some actions (on
//!   some resources)?
//!
//! A request is an action, a resource, a principal and a context of condition
//! keys, all free: actions and resources are any strings (wildcard patterns
//! are regular languages, so containment is decidable), not only the ones AWS
//! has today. A policy allows a request when one of its Allow statements
//! matches it and none of its Deny statements does. So B grants new access
//! exactly when some request `r` has `allowed_B(r) ∧ ¬allowed_A(r)`; the
//! prover searches for one per Allow statement of B (see [`solve`]), over the
//! logical form of the statements (see [`model`]), and checks every request it
//! finds on the concrete policies before reporting it (see [`concrete`]).
//!
//! Soundness: the search only ever over-approximates what is satisfiable
//! (policy variables, values it cannot compare, its work bound), so a `PASS`
//! is a proof. When an over-approximation is what produced a witness, the
//! concrete check fails and the answer is still `FAIL`, with a reason that
//! says what could not be proved and why.

pub mod automaton;
pub mod concrete;
pub mod glob;
pub mod interval;
pub mod model;
pub mod solve;
pub mod theory;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use self::concrete::Request;
use self::glob::{Pattern, Syntax};
use self::model::{ACTION, Clause, Encoder, Lang, PRINCIPAL, RESOURCE};
use self::solve::{Model, Outcome, Requirement, Solver};
use self::theory::Value;
use crate::policy::ast::{Effect, Policy};

/// Which kind of policy is compared: identity policies have no `Principal`;
/// for resource policies (bucket, key, role trust…) the principal is part of
/// the request and is reported in witnesses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PolicyKind {
    #[default]
    Identity,
    Resource,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum ProofResult {
    Pass,
    Fail,
}

/// The answer of a check: `PASS` with no reasons, or `FAIL` with at least one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Proof {
    pub result: ProofResult,
    pub reasons: Vec<Reason>,
}

impl Proof {
    fn from_reasons(reasons: Vec<Reason>) -> Self {
        Proof {
            result: if reasons.is_empty() {
                ProofResult::Pass
            } else {
                ProofResult::Fail
            },
            reasons,
        }
    }

    pub fn passed(&self) -> bool {
        self.result == ProofResult::Pass
    }
}

/// Why a check failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReasonKind {
    /// A concrete request the candidate allows and the existing policy does not.
    NewAccess,
    /// A concrete request that the policy allows with a forbidden action.
    AccessGranted,
    /// The prover could not show the statement safe (policy variables,
    /// values it cannot compare, its limits); the request shown, if any, is
    /// one it could not rule out.
    CannotProve,
}

/// A principal in a witness: `{"type": "AWS", "id": "arn:…"}`,
/// `{"type": "Anonymous"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrincipalWitness {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

/// One reason for a `FAIL`, with the request that shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reason {
    pub kind: ReasonKind,
    pub description: String,
    /// The statement that allows the request: its `Sid`, or `#index`.
    pub statement: String,
    pub statement_index: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub principal: Option<PrincipalWitness>,
    /// Condition keys of the request, as AWS would see them (a string, or a
    /// list for multi-valued keys).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub context: BTreeMap<String, serde_json::Value>,
    /// Condition keys that must be absent from the request.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub absent_keys: Vec<String>,
    /// What the existing policy does with the request (no-new-access only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub existing: Option<String>,
}

/// The statements of a policy in logical form.
struct Encoded {
    allows: Vec<(usize, Vec<Clause>)>,
    denies: Vec<Vec<Clause>>,
}

fn encode(enc: &mut Encoder, policy: &Policy) -> Encoded {
    let mut allows = Vec::new();
    let mut denies = Vec::new();
    for (i, s) in policy.statements.iter().enumerate() {
        let clauses = enc.statement(policy, s);
        match s.effect.value {
            Effect::Allow => allows.push((i, clauses)),
            Effect::Deny => denies.push(clauses),
        }
    }
    Encoded { allows, denies }
}

/// Requirements for "statement `clauses` matches and no Deny of `denies` does".
fn allowed_by(
    base: &[Requirement],
    clauses: &[Clause],
    denies: &[Vec<Clause>],
) -> Vec<Requirement> {
    let mut reqs = base.to_vec();
    reqs.extend(clauses.iter().map(Requirement::clause));
    reqs.extend(denies.iter().map(|d| Requirement::not_all(d)));
    reqs
}

/// Decides whether `candidate` allows any request that `existing` does not.
pub fn no_new_access(existing: &Policy, candidate: &Policy, kind: PolicyKind) -> Proof {
    no_new_access_within(existing, candidate, kind, solve::DEFAULT_BUDGET)
}

/// [`no_new_access`] with a bound on the search's work (theory checks).
fn no_new_access_within(
    existing: &Policy,
    candidate: &Policy,
    kind: PolicyKind,
    budget: usize,
) -> Proof {
    let mut enc = Encoder::new(&[existing, candidate]);
    let a = encode(&mut enc, existing);
    let b = encode(&mut enc, candidate);
    let base = vec![Requirement::unit(enc.principal_universe)];
    let mut solver = Solver::new(&enc).with_budget(budget);
    let mut reasons = Vec::new();
    for (bi, b_clauses) in &b.allows {
        let allowed_b = allowed_by(&base, b_clauses, &b.denies);
        // ¬allowed_A: no Allow of A matches, or some Deny of A does
        let mut attempts = Vec::new();
        let mut none_allows = allowed_b.clone();
        none_allows.extend(a.allows.iter().map(|(_, c)| Requirement::not_all(c)));
        attempts.push(none_allows);
        for d in &a.denies {
            let mut denied = allowed_b.clone();
            denied.extend(d.iter().map(Requirement::clause));
            attempts.push(denied);
        }
        let check = |req: &Request| {
            let db = concrete::evaluate(candidate, req);
            let da = concrete::evaluate(existing, req);
            (db.allowed && !da.allowed).then(|| existing_decision(existing, &da))
        };
        let stmt = &candidate.statements[*bi];
        if let Some(r) = search(&mut solver, &enc, &attempts, kind, stmt.label(), *bi, check) {
            reasons.push(r);
        }
    }
    Proof::from_reasons(reasons)
}

/// Decides whether `policy` can allow any of `actions` (patterns allowed) on
/// any of `resources` (any resource when empty).
pub fn access_not_granted(
    policy: &Policy,
    actions: &[String],
    resources: &[String],
    kind: PolicyKind,
) -> Proof {
    let mut enc = Encoder::new(&[policy]);
    let p = encode(&mut enc, policy);
    let action_pats: Vec<Pattern> = actions
        .iter()
        .map(|a| Pattern::new(a, Syntax::Glob, true, false))
        .collect();
    let resource_pats: Vec<Pattern> = resources
        .iter()
        .map(|r| Pattern::new(r, Syntax::Arn, false, false))
        .collect();
    let mut base = vec![
        Requirement::unit(enc.principal_universe),
        Requirement::unit(enc.in_lang(ACTION, Lang::Str(action_pats.clone()))),
    ];
    if !resources.is_empty() {
        base.push(Requirement::unit(
            enc.in_lang(RESOURCE, Lang::Str(resource_pats.clone())),
        ));
    }
    let mut solver = Solver::new(&enc);
    let mut reasons = Vec::new();
    for (i, clauses) in &p.allows {
        let attempts = vec![allowed_by(&base, clauses, &p.denies)];
        let check = |req: &Request| {
            let d = concrete::evaluate(policy, req);
            let wanted = action_pats.iter().any(|p| p.matches(&req.action))
                && (resource_pats.is_empty()
                    || resource_pats.iter().any(|p| p.matches(&req.resource)));
            (d.allowed && wanted).then_some(None)
        };
        let stmt = &policy.statements[*i];
        if let Some(mut r) = search(&mut solver, &enc, &attempts, kind, stmt.label(), *i, check) {
            if r.kind == ReasonKind::NewAccess {
                r.kind = ReasonKind::AccessGranted;
                r.description = describe_granted(&r);
            }
            reasons.push(r);
        }
    }
    Proof::from_reasons(reasons)
}

/// Runs the attempts in order; returns a certain reason for the first model
/// that `check` confirms (`Some(existing-policy words)`), else a
/// "cannot prove" reason if any attempt was inconclusive, else nothing.
fn search(
    solver: &mut Solver<'_>,
    enc: &Encoder,
    attempts: &[Vec<Requirement>],
    kind: PolicyKind,
    label: String,
    index: usize,
    check: impl Fn(&Request) -> Option<Option<String>>,
) -> Option<Reason> {
    let mut fallback: Option<Reason> = None;
    for reqs in attempts {
        match solver.solve(reqs) {
            Outcome::Unsat => {}
            Outcome::Sat(model) => {
                let mut req = request_of(enc, &model);
                // a resource with wildcards is not a concrete request: when the
                // policies leave the resource open, use an ARN of a type the
                // action works on, if the request still shows what it should
                if req.resource.contains(['*', '?']) {
                    for arn in sample_arns(&req.action) {
                        let better = Request {
                            resource: arn,
                            ..req.clone()
                        };
                        if check(&better).is_some() {
                            req = better;
                            break;
                        }
                    }
                }
                let mut r = witness_reason(enc, &model, &req, kind, &label, index);
                // policy variables were read as `*` and filled with `example`:
                // give the variables that value, and the request may be real
                if check(&req).is_none() && !enc.variable_keys.is_empty() {
                    let mut bound = req.clone();
                    let mut added = Vec::new();
                    for (lower, written) in &enc.variable_keys {
                        if !bound.context.contains_key(lower) {
                            bound
                                .context
                                .insert(lower.clone(), vec!["example".to_string()]);
                            added.push(written.clone());
                        }
                    }
                    if check(&bound).is_some() {
                        req = bound;
                        for k in added {
                            r.context
                                .insert(k, serde_json::Value::String("example".to_string()));
                        }
                    }
                }
                if let Some(existing) = check(&req) {
                    r.description = describe_new(&r, existing.as_deref());
                    r.existing = existing;
                    return Some(r);
                }
                if fallback.is_none() {
                    let why = if model.approx.is_empty() {
                        "the request the prover found does not hold when evaluated concretely"
                            .to_string()
                    } else {
                        model.approx.join("; ")
                    };
                    r.kind = ReasonKind::CannotProve;
                    r.description = format!(
                        "cannot prove that `{label}` grants no new access: {why}; it may allow {}",
                        request_words(&r)
                    );
                    fallback = Some(r);
                }
            }
            Outcome::Limit => {
                if fallback.is_none() {
                    fallback = Some(Reason {
                        kind: ReasonKind::CannotProve,
                        description: format!(
                            "cannot prove that `{label}` grants no new access: the policies are too large for the prover's search limits"
                        ),
                        statement: label.clone(),
                        statement_index: index,
                        action: None,
                        resource: None,
                        principal: None,
                        context: BTreeMap::new(),
                        absent_keys: Vec::new(),
                        existing: None,
                    });
                }
            }
        }
    }
    fallback
}

/// ARNs of the resource types `action` works on, from the catalogue's ARN
/// templates (`arn:${Partition}:s3:::${BucketName}` → `arn:aws:s3:::example`).
/// For actions the catalogue does not know, a generic ARN of the action's
/// service; for actions that only work on `*`, nothing (`*` is their resource).
fn sample_arns(action: &str) -> Vec<String> {
    let cat = crate::catalog::catalog();
    let Some(id) = cat.action(action) else {
        let service = action.split_once(':').map_or("example", |(s, _)| s);
        let service = if service.is_empty() || service.contains(['*', '?']) {
            "example"
        } else {
            service
        };
        return vec![format!("arn:aws:{service}:us-east-1:123456789012:example")];
    };
    let mut out: Vec<String> = Vec::new();
    for (rt, _) in cat.resource_types_for_action(id) {
        let template = rt.arn();
        let mut arn = String::new();
        let mut rest = template;
        while let Some(start) = rest.find("${") {
            arn.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let Some(end) = after.find('}') else {
                break;
            };
            arn.push_str(match &after[..end] {
                "Partition" => "aws",
                "Region" => "us-east-1",
                "Account" => "123456789012",
                _ => "example",
            });
            rest = &after[end + 1..];
        }
        arn.push_str(rest);
        if !arn.is_empty() && !out.contains(&arn) {
            out.push(arn);
        }
    }
    out
}

/// The concrete request a model describes.
fn request_of(enc: &Encoder, model: &Model) -> Request {
    let one = |v: usize| match model.values.get(&v) {
        Some(Value::One(s)) => s.clone(),
        _ => String::new(),
    };
    let mut context = BTreeMap::new();
    for (&var, value) in &model.values {
        if var <= PRINCIPAL {
            continue;
        }
        let key = enc.vars[var].name.to_ascii_lowercase();
        match value {
            Value::Absent => {}
            Value::One(s) => {
                context.insert(key, vec![s.clone()]);
            }
            Value::Many(vs) => {
                context.insert(key, vs.clone());
            }
        }
    }
    Request {
        action: one(ACTION),
        resource: one(RESOURCE),
        principal: one(PRINCIPAL),
        context,
    }
}

fn witness_reason(
    enc: &Encoder,
    model: &Model,
    req: &Request,
    kind: PolicyKind,
    label: &str,
    index: usize,
) -> Reason {
    let mut context = BTreeMap::new();
    let mut absent_keys = Vec::new();
    for (&var, value) in &model.values {
        if var <= PRINCIPAL {
            continue;
        }
        let name = enc.vars[var].name.clone();
        match value {
            Value::Absent => absent_keys.push(name),
            Value::One(s) => {
                context.insert(name, serde_json::Value::String(s.clone()));
            }
            Value::Many(vs) => {
                context.insert(
                    name,
                    serde_json::Value::Array(
                        vs.iter().cloned().map(serde_json::Value::String).collect(),
                    ),
                );
            }
        }
    }
    absent_keys.sort();
    let principal = (kind == PolicyKind::Resource).then(|| {
        let (k, id) = req.principal.split_once('|').unwrap_or(("AWS", ""));
        PrincipalWitness {
            kind: k.to_string(),
            id: (!id.is_empty()).then(|| id.to_string()),
        }
    });
    Reason {
        kind: ReasonKind::NewAccess,
        description: String::new(),
        statement: label.to_string(),
        statement_index: index,
        action: Some(req.action.clone()),
        // trust policies name no resource: leave it out rather than invent one
        resource: enc
            .vocabulary
            .contains_key(&RESOURCE)
            .then(|| req.resource.clone()),
        principal,
        context,
        absent_keys,
        existing: None,
    }
}

fn existing_decision(existing: &Policy, d: &concrete::Decision) -> Option<String> {
    Some(match d.deny {
        Some(i) => format!(
            "explicitly denied by statement `{}` of the existing policy",
            existing.statements[i].label()
        ),
        None => "not allowed by any statement of the existing policy".to_string(),
    })
}

/// `` `s3:GetObject` on `arn:…` by `AWS arn:…` when `k` is `v` ``
fn request_words(r: &Reason) -> String {
    let mut s = format!("`{}`", r.action.as_deref().unwrap_or(""));
    if let Some(res) = &r.resource {
        let _ = write!(s, " on `{res}`");
    }
    if let Some(p) = &r.principal {
        match &p.id {
            Some(id) => {
                let _ = write!(s, " by {} principal `{id}`", p.kind);
            }
            None => {
                let _ = write!(s, " by an {} principal", p.kind.to_lowercase());
            }
        }
    }
    let mut conds: Vec<String> = r
        .context
        .iter()
        .map(|(k, v)| match v {
            serde_json::Value::String(s) => format!("`{k}` is `{s}`"),
            other => format!("`{k}` is `{other}`"),
        })
        .collect();
    conds.extend(r.absent_keys.iter().map(|k| format!("`{k}` is absent")));
    if !conds.is_empty() {
        let _ = write!(s, " when {}", conds.join(" and "));
    }
    s
}

fn describe_new(r: &Reason, existing: Option<&str>) -> String {
    format!(
        "`{}` allows {}, which is {}",
        r.statement,
        request_words(r),
        existing.unwrap_or("not allowed by the existing policy")
    )
}

fn describe_granted(r: &Reason) -> String {
    format!("`{}` allows {}", r.statement, request_words(r))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::parse::parse_policy;

    #[test]
    fn exhausted_search_fails_safe() {
        let a = parse_policy(
            r#"{"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalTag/a": "x"}}},
                {"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalTag/b": "x"}}}]}"#,
        )
        .unwrap();
        let b = parse_policy(
            r#"{"Version": "2012-10-17", "Statement": [{"Sid": "Get", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#,
        )
        .unwrap();
        let full = no_new_access(&a, &b, PolicyKind::Identity);
        assert_eq!(full.reasons[0].kind, ReasonKind::NewAccess);
        let limited = no_new_access_within(&a, &b, PolicyKind::Identity, 0);
        assert_eq!(limited.result, ProofResult::Fail);
        let r = &limited.reasons[0];
        assert_eq!(r.kind, ReasonKind::CannotProve);
        assert_eq!(r.statement, "Get");
        assert!(r.description.contains("search limits"), "{}", r.description);
    }
}
