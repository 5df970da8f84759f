//! Explanations: the decision in words close to AWS's AccessDenied messages,
//! naming the policy type, the policy and the statement that decided, plus a
//! trace through every gate for the human "readable trace".

use std::fmt::Write as _;

use super::{
    CompiledPolicy, Decision, Eval, Grant, Level, PolicyRef, PolicySet, PolicyType, PrincipalMode,
    Reason, Request, Via, decide,
};
use crate::policy::ast::Effect;

/// A decision with its explanation and trace.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Evaluation {
    pub decision: Decision,
    pub explanation: Explanation,
    /// Every gate in evaluation order.
    pub trace: Vec<GateTrace>,
}

/// Why: the deciding policy and statement, and an AWS-style message.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Explanation {
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy_type: Option<PolicyType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statement: Option<String>,
}

/// What one gate said.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Verdict {
    Allow,
    ImplicitDeny,
    ExplicitDeny,
    /// The gate is present but does not govern this request.
    NotApplicable,
}

/// One gate of the chain: an SCP or RCP level, the endpoint policies, the
/// resource policy, the identity policies, the boundary, the session policy.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct GateTrace {
    pub gate: PolicyType,
    /// `service control policies, level scp_levels[1]`.
    pub name: String,
    pub verdict: Verdict,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The statements that applied to the request.
    pub statements: Vec<StatementHit>,
}

/// A statement that applied.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StatementHit {
    pub policy: String,
    pub statement: String,
    pub effect: &'static str,
    /// For resource-based policies: how the statement named the principal.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via: Option<Via>,
}

fn policy_label(p: &PolicyRef, positional: impl FnOnce() -> String) -> String {
    match (&p.label, &p.policy.id) {
        (Some(l), _) => l.to_string(),
        (None, Some(id)) if !id.is_empty() => id.clone(),
        _ => positional(),
    }
}

fn level_label(l: &Level, ty: PolicyType, i: usize) -> String {
    l.label
        .as_deref()
        .map_or_else(|| format!("{}[{i}]", ty.field()), str::to_string)
}

/// The label of a policy by its position in the set.
fn label_at(set: &PolicySet, ty: PolicyType, level: usize, policy: usize) -> String {
    let field = ty.field();
    let get =
        |p: Option<&PolicyRef>, pos: String| p.map_or(pos.clone(), |p| policy_label(p, || pos));
    match ty {
        PolicyType::ServiceControl | PolicyType::ResourceControl => {
            let levels = if ty == PolicyType::ServiceControl {
                &set.scp_levels
            } else {
                &set.rcp_levels
            };
            let p = levels
                .as_ref()
                .and_then(|l| l.get(level))
                .and_then(|l| l.policies.get(policy));
            get(p, format!("{field}[{level}][{policy}]"))
        }
        PolicyType::VpcEndpoint => get(
            set.vpc_endpoint.as_ref().and_then(|v| v.get(policy)),
            format!("{field}[{policy}]"),
        ),
        PolicyType::ResourceBased => get(set.resource.as_ref(), field.to_string()),
        PolicyType::IdentityBased => get(set.identity.get(policy), format!("{field}[{policy}]")),
        PolicyType::PermissionsBoundary => get(
            set.boundary.as_ref().and_then(|v| v.get(policy)),
            format!("{field}[{policy}]"),
        ),
        PolicyType::Session => get(set.session.as_ref(), field.to_string()),
    }
}

fn compiled_at(
    set: &PolicySet,
    ty: PolicyType,
    level: usize,
    policy: usize,
) -> Option<&CompiledPolicy> {
    let r = match ty {
        PolicyType::ServiceControl => set.scp_levels.as_ref()?.get(level)?.policies.get(policy),
        PolicyType::ResourceControl => set.rcp_levels.as_ref()?.get(level)?.policies.get(policy),
        PolicyType::VpcEndpoint => set.vpc_endpoint.as_ref()?.get(policy),
        PolicyType::ResourceBased => set.resource.as_ref(),
        PolicyType::IdentityBased => set.identity.get(policy),
        PolicyType::PermissionsBoundary => set.boundary.as_ref()?.get(policy),
        PolicyType::Session => set.session.as_ref(),
    }?;
    Some(&r.policy)
}

struct Tracer<'a> {
    set: &'a PolicySet,
    ev: Eval<'a>,
}

impl Tracer<'_> {
    fn gate(
        &self,
        ty: PolicyType,
        name: String,
        policies: &[(usize, usize)],
        mode: PrincipalMode,
    ) -> GateTrace {
        let mut statements = Vec::new();
        let (mut any_allow, mut any_deny) = (false, false);
        for &(level, pi) in policies {
            let Some(policy) = compiled_at(self.set, ty, level, pi) else {
                continue;
            };
            let label = label_at(self.set, ty, level, pi);
            for (si, effect, via) in self.ev.hits(policy, mode) {
                any_allow |= effect == Effect::Allow;
                any_deny |= effect == Effect::Deny;
                statements.push(StatementHit {
                    policy: label.clone(),
                    statement: policy.statement_label(si).to_string(),
                    effect: effect.as_str(),
                    via: (ty == PolicyType::ResourceBased).then_some(via),
                });
            }
        }
        let verdict = if any_deny {
            Verdict::ExplicitDeny
        } else if any_allow {
            Verdict::Allow
        } else {
            Verdict::ImplicitDeny
        };
        let note = (policies.is_empty()).then(|| "no policies at this level".to_string());
        GateTrace {
            gate: ty,
            name,
            verdict,
            note,
            statements,
        }
    }

    fn not_applicable(ty: PolicyType, name: String, why: &str) -> GateTrace {
        GateTrace {
            gate: ty,
            name,
            verdict: Verdict::NotApplicable,
            note: Some(why.to_string()),
            statements: Vec::new(),
        }
    }

    fn levels(
        &self,
        ty: PolicyType,
        levels: &[Level],
        governed: bool,
        why: &str,
        out: &mut Vec<GateTrace>,
    ) {
        let what = if ty == PolicyType::ServiceControl {
            "service control policies"
        } else {
            "resource control policies"
        };
        if levels.is_empty() {
            return;
        }
        for (li, level) in levels.iter().enumerate() {
            let name = format!("{what}, level {}", level_label(level, ty, li));
            if !governed {
                out.push(Self::not_applicable(ty, name, why));
                continue;
            }
            let idx: Vec<(usize, usize)> = (0..level.policies.len()).map(|pi| (li, pi)).collect();
            out.push(self.gate(ty, name, &idx, PrincipalMode::Optional));
        }
    }
}

/// Decides and explains. The decision is always [`decide`]'s.
pub fn explain(set: &PolicySet, req: &Request) -> Evaluation {
    let outcome = decide(set, req);
    let tracer = Tracer {
        set,
        ev: Eval {
            req,
            has_boundary: set.boundary().is_some(),
        },
    };
    let mut trace = Vec::new();
    let has_identity = req.principal.has_identity();

    if let Some(levels) = &set.scp_levels {
        let why = if req.principal.service_linked {
            "SCPs do not apply to service-linked roles"
        } else {
            "SCPs apply only to IAM users and roles of member accounts"
        };
        tracer.levels(
            PolicyType::ServiceControl,
            levels,
            set.scp_levels(req).is_some(),
            why,
            &mut trace,
        );
    }
    if let Some(levels) = &set.rcp_levels {
        let why = if req.principal.service_linked {
            "RCPs do not apply to service-linked roles"
        } else {
            "the action's service does not support resource control policies"
        };
        tracer.levels(
            PolicyType::ResourceControl,
            levels,
            set.rcp_levels(req).is_some(),
            why,
            &mut trace,
        );
    }
    if let Some(policies) = set.vpc_endpoint() {
        for pi in 0..policies.len() {
            let name = format!(
                "VPC endpoint policy {}",
                label_at(set, PolicyType::VpcEndpoint, 0, pi)
            );
            trace.push(tracer.gate(
                PolicyType::VpcEndpoint,
                name,
                &[(0, pi)],
                PrincipalMode::Optional,
            ));
        }
    }
    if set.resource.is_some() {
        let name = format!(
            "resource-based policy {}",
            label_at(set, PolicyType::ResourceBased, 0, 0)
        );
        trace.push(tracer.gate(
            PolicyType::ResourceBased,
            name,
            &[(0, 0)],
            PrincipalMode::Required,
        ));
    } else if req.facts.trust_required || req.facts.key_policy_required {
        trace.push(GateTrace {
            gate: PolicyType::ResourceBased,
            name: "resource-based policy".into(),
            verdict: Verdict::ImplicitDeny,
            note: Some(if req.facts.trust_required {
                "a role trust policy is required and none was given".into()
            } else {
                "a KMS key policy is required and none was given".into()
            }),
            statements: Vec::new(),
        });
    }
    if has_identity {
        let idx: Vec<(usize, usize)> = (0..set.identity.len()).map(|i| (0, i)).collect();
        let mut g = tracer.gate(
            PolicyType::IdentityBased,
            "identity-based policies".into(),
            &idx,
            PrincipalMode::Ignore,
        );
        if idx.is_empty() {
            g.note = Some("the principal has no identity-based policies".into());
        }
        trace.push(g);
        if let Some(b) = set.boundary() {
            let idx: Vec<(usize, usize)> = (0..b.len()).map(|i| (0, i)).collect();
            trace.push(tracer.gate(
                PolicyType::PermissionsBoundary,
                "permissions boundary".into(),
                &idx,
                PrincipalMode::Ignore,
            ));
        }
        if set.session.is_some() {
            trace.push(tracer.gate(
                PolicyType::Session,
                "session policy".into(),
                &[(0, 0)],
                PrincipalMode::Ignore,
            ));
        }
    }

    let explanation = explanation(set, req, outcome.reason, &trace);
    Evaluation {
        decision: outcome.decision,
        explanation,
        trace,
    }
}

fn explanation(set: &PolicySet, req: &Request, reason: Reason, trace: &[GateTrace]) -> Explanation {
    let who = req.principal.describe();
    let denied = format!(
        "{who} is not authorized to perform: {} on resource: {}",
        req.action, req.resource
    );
    let mut e = Explanation {
        message: String::new(),
        policy_type: None,
        level: None,
        policy: None,
        statement: None,
    };
    let first_allow = |ty: PolicyType| {
        trace
            .iter()
            .filter(|g| g.gate == ty)
            .flat_map(|g| &g.statements)
            .find(|s| s.effect == "Allow")
    };
    match reason {
        Reason::AlwaysAllowed => {
            e.message = format!(
                "{who} may perform {}: it needs no permission and AWS allows it even when a policy denies it",
                req.action
            );
        }
        Reason::ExplicitDeny {
            policy_type,
            level,
            policy,
            statement,
        } => {
            let (level, policy) = (level as usize, policy as usize);
            let label = label_at(set, policy_type, level, policy);
            let stmt = compiled_at(set, policy_type, level, policy)
                .map_or("?", |p| p.statement_label(statement as usize))
                .to_string();
            e.message = format!(
                "{denied} with an explicit deny in a {} (`{label}`, statement `{stmt}`)",
                policy_type.aws_name()
            );
            if matches!(
                policy_type,
                PolicyType::ServiceControl | PolicyType::ResourceControl
            ) {
                e.level = level_name(set, policy_type, level);
            }
            e.policy_type = Some(policy_type);
            e.policy = Some(label);
            e.statement = Some(stmt);
        }
        Reason::LevelDoesNotAllow { policy_type, level } => {
            let name = level_name(set, policy_type, level as usize).unwrap_or_default();
            e.message = format!(
                "{denied} because no {} allows the {} action (level `{name}`)",
                policy_type.aws_name(),
                req.action
            );
            e.policy_type = Some(policy_type);
            e.level = Some(name);
        }
        Reason::EndpointDoesNotAllow { policy } => {
            let label = label_at(set, PolicyType::VpcEndpoint, 0, policy as usize);
            e.message = format!(
                "{denied} because no VPC endpoint policy allows the {} action (`{label}`)",
                req.action
            );
            e.policy_type = Some(PolicyType::VpcEndpoint);
            e.policy = Some(label);
        }
        Reason::AwsOwnedResource => {
            e.message = format!(
                "{denied} because the resource is owned by AWS and only read and list actions can be allowed on it"
            );
        }
        Reason::NotAllowed { missing } => {
            let extra = match missing {
                PolicyType::ResourceBased if req.facts.trust_required => {
                    " (the role's trust policy must allow it)"
                }
                PolicyType::ResourceBased if req.facts.key_policy_required => {
                    " (the key policy must allow it, even in the same account)"
                }
                PolicyType::ResourceBased
                    if !req.same_account() && req.principal.has_identity() =>
                {
                    " (cross-account access needs both the identity-based and the resource-based policy)"
                }
                _ => "",
            };
            e.message = format!(
                "{denied} because no {} allows the {} action{extra}",
                missing.aws_name(),
                req.action
            );
            e.policy_type = Some(missing);
        }
        Reason::Allowed { by } => {
            let (ty, hit) = match by {
                Grant::Identity => (
                    PolicyType::IdentityBased,
                    first_allow(PolicyType::IdentityBased),
                ),
                Grant::AccountRoot => (PolicyType::IdentityBased, None),
                Grant::Resource { .. } | Grant::IdentityAndResource { .. } => (
                    PolicyType::ResourceBased,
                    first_allow(PolicyType::ResourceBased),
                ),
            };
            let mut m = format!(
                "{who} is allowed to perform {} on resource {}",
                req.action, req.resource
            );
            match by {
                Grant::AccountRoot => {
                    m.push_str(": the account root user has full access to its own account")
                }
                Grant::Identity => {
                    let _ = write!(m, ": allowed by an identity-based policy");
                }
                Grant::Resource { via, .. } => {
                    let _ = write!(
                        m,
                        ": allowed by the resource-based policy, which names the {}",
                        match via {
                            Via::Direct => "principal itself",
                            Via::Role => "role",
                            Via::Account => "account",
                        }
                    );
                }
                Grant::IdentityAndResource { .. } => {
                    m.push_str(
                        ": allowed by both an identity-based policy and the resource-based policy",
                    );
                }
            }
            if let Some(h) = hit {
                let _ = write!(m, " (`{}`, statement `{}`)", h.policy, h.statement);
                e.policy = Some(h.policy.clone());
                e.statement = Some(h.statement.clone());
            }
            e.policy_type = Some(ty);
            e.message = m;
        }
    }
    e
}

fn level_name(set: &PolicySet, ty: PolicyType, level: usize) -> Option<String> {
    let levels = if ty == PolicyType::ServiceControl {
        set.scp_levels.as_ref()
    } else {
        set.rcp_levels.as_ref()
    };
    levels?.get(level).map(|l| level_label(l, ty, level))
}

impl Evaluation {
    /// The readable trace for humans.
    pub fn to_human(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "decision: {}", self.decision.as_str());
        let _ = writeln!(out, "  {}", self.explanation.message);
        if !self.trace.is_empty() {
            let _ = writeln!(out, "trace:");
        }
        for g in &self.trace {
            let verdict = match g.verdict {
                Verdict::Allow => "allows",
                Verdict::ImplicitDeny => "does not allow",
                Verdict::ExplicitDeny => "denies",
                Verdict::NotApplicable => "not applicable",
            };
            let _ = writeln!(out, "  - {}: {verdict}", g.name);
            if let Some(n) = &g.note {
                let _ = writeln!(out, "      {n}");
            }
            for s in &g.statements {
                let via = match s.via {
                    Some(Via::Direct) => " (names the principal)",
                    Some(Via::Role) => " (names the role)",
                    Some(Via::Account) => " (names the account)",
                    None => "",
                };
                let _ = writeln!(
                    out,
                    "      {} `{}` statement `{}`{via}",
                    s.effect, s.policy, s.statement
                );
            }
        }
        out
    }
}
