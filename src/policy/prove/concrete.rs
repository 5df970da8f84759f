//! Evaluating one policy on one concrete request, with the prover's own
//! matching rules. Every witness is run through this before it is reported
//! as certain, which catches the relaxations of the symbolic search (policy
//! variables, values it could not compare).

use std::collections::BTreeMap;

use super::interval;
use super::model::{self, Domain, Lang};
use crate::policy::ast::{
    Condition, Effect, OperatorBase, OperatorFamily, Policy, SetQualifier, Statement, Version,
};

/// A request: the principal is `KIND|id` (see [`model`]); context keys are
/// lowercase, each with its values (an absent key has no entry).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Request {
    pub action: String,
    pub resource: String,
    pub principal: String,
    pub context: BTreeMap<String, Vec<String>>,
}

impl Request {
    /// The values of a key, with the keys derived from the principal taking
    /// their value from it.
    pub fn values(&self, key: &str) -> Vec<String> {
        let key = key.to_ascii_lowercase();
        let (kind, id) = self.principal.split_once('|').unwrap_or(("", ""));
        match key.as_str() {
            "aws:principalarn" => {
                return if kind == "AWS" {
                    vec![id.to_string()]
                } else {
                    vec![]
                };
            }
            "aws:principalaccount" => {
                return match (kind, id.split(':').nth(4)) {
                    ("AWS", Some(acct)) => vec![acct.to_string()],
                    _ => vec![],
                };
            }
            "aws:principalservicename" => {
                return if kind == "Service" {
                    vec![id.to_string()]
                } else {
                    vec![]
                };
            }
            _ => {}
        }
        self.context.get(&key).cloned().unwrap_or_default()
    }

    fn lookup(&self, key: &str) -> Option<String> {
        self.values(key).into_iter().next()
    }
}

/// The outcome of evaluating one policy: allowed, and the statements that
/// decided (the first matching Allow, the first matching Deny).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub allowed: bool,
    pub allow: Option<usize>,
    pub deny: Option<usize>,
}

pub fn evaluate(policy: &Policy, req: &Request) -> Decision {
    let mut allow = None;
    let mut deny = None;
    for (i, s) in policy.statements.iter().enumerate() {
        if !statement_matches(policy, s, req) {
            continue;
        }
        match s.effect.value {
            Effect::Allow => {
                allow.get_or_insert(i);
            }
            Effect::Deny => {
                deny.get_or_insert(i);
            }
        }
    }
    Decision {
        allowed: allow.is_some() && deny.is_none(),
        allow,
        deny,
    }
}

pub fn statement_matches(policy: &Policy, s: &Statement, req: &Request) -> bool {
    let vars = policy.effective_version() == Version::V2012_10_17;
    let lookup = |k: &str| req.lookup(k);
    let action = model::action_patterns(s)
        .iter()
        .any(|p| p.matches(&req.action));
    if action == s.action.negated {
        return false;
    }
    if let Some(r) = &s.resource {
        let hit = model::resource_patterns(&r.items, vars)
            .iter()
            .any(|p| p.matches_with(&req.resource, &lookup));
        if hit == r.negated {
            return false;
        }
    }
    if let Some(p) = &s.principal {
        let hit = match model::principal_patterns(p) {
            None => true,
            Some(pats) => pats.iter().any(|p| p.matches(&req.principal)),
        };
        if hit == p.negated {
            return false;
        }
    }
    s.conditions.iter().all(|c| condition_holds(c, vars, req))
}

/// One condition, evaluated the way AWS documents it: values of the key are
/// tested against the policy values (ORed); negated operators hold when no
/// value matches; `ForAllValues:` holds when every value matches (and on an
/// absent key), `ForAnyValue:` when some value does; `…IfExists` holds on an
/// absent key; `Null` tests presence.
pub fn condition_holds(c: &Condition, vars: bool, req: &Request) -> bool {
    let op = c.operator.value;
    let values = req.values(&c.key.value);
    if op.base == OperatorBase::Null {
        return c
            .values
            .iter()
            .any(|v| match v.value.to_ascii_lowercase().as_str() {
                "true" => values.is_empty(),
                "false" => !values.is_empty(),
                _ => false,
            });
    }
    let negated = op.base.is_negated();
    if values.is_empty() {
        return match op.set {
            Some(SetQualifier::ForAllValues) => true,
            Some(SetQualifier::ForAnyValue) => op.if_exists,
            None => op.if_exists || negated,
        };
    }
    let domain = match op.base.family() {
        OperatorFamily::Numeric => Domain::Number,
        OperatorFamily::Date => Domain::Date,
        OperatorFamily::Ip => Domain::Ip,
        _ => Domain::Str,
    };
    let (lang, _) = model::condition_lang(c, domain, vars);
    let lookup = |k: &str| req.lookup(k);
    let matches = |v: &String| -> bool {
        match &lang {
            Lang::Str(pats) => pats.iter().any(|p| p.matches_with(v, &lookup)),
            Lang::Real(set) => {
                let x = if domain == Domain::Date {
                    interval::parse_date(v)
                } else {
                    v.trim().parse::<f64>().ok()
                };
                x.is_some_and(|x| set.contains(x))
            }
            Lang::Ip(set) => interval::parse_cidr(v.trim())
                .is_some_and(|(lo, hi)| set.contains(lo) && set.contains(hi)),
            Lang::Opaque(_) => false,
        }
    };
    match (op.set, negated) {
        (None, false) | (Some(SetQualifier::ForAnyValue), false) => values.iter().any(matches),
        (None, true) | (Some(SetQualifier::ForAllValues), true) => !values.iter().any(matches),
        (Some(SetQualifier::ForAnyValue), true) => values.iter().any(|v| !matches(v)),
        (Some(SetQualifier::ForAllValues), false) => values.iter().all(matches),
    }
}
