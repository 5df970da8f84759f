//! The evaluation chain: AWS's documented enforcement logic, deciding
//! `Allow`, `ImplicitDeny` or `ExplicitDeny` for one request against every
//! policy that applies to it, and saying why.
//!
//! The order (see "Policy evaluation logic" in the IAM User Guide):
//! 1. an explicit `Deny` in any applicable policy wins (SCPs, RCPs, VPC
//!    endpoint policies, the resource-based policy, identity-based policies,
//!    the permissions boundary, the session policy);
//! 2. every SCP level from the root to the account must allow (SCPs govern
//!    principals of member accounts; not service-linked roles, service
//!    principals or anonymous callers);
//! 3. every RCP level must allow (RCPs govern resources of the services that
//!    support them; not service-linked roles);
//! 4. every VPC endpoint policy on the path must allow;
//! 5. the grant: same account, an identity-based policy (capped by the
//!    boundary and the session policy) *or* the resource-based policy allows —
//!    with the documented nuances: a resource policy naming the account only
//!    delegates to IAM; naming the role (for a session) is capped by the
//!    boundary and the session policy; naming the user or the session itself
//!    is not; role trust policies and KMS key policies must allow even in the
//!    same account. Cross-account, both sides must allow.
//!
//! Not modelled (the caller supplies what it knows): the management account's
//! exemption from SCPs (pass no SCP levels), ACLs and S3 Object Ownership,
//! S3 Block Public Access, forward access sessions and `aws:CalledVia`,
//! unique-ID principal matching (a re-created role matching old policies),
//! the RCP exemption of AWS managed KMS keys, context keys AWS sets from the
//! transport (`aws:SourceIp`, `aws:SecureTransport`, `aws:CurrentTime`, …:
//! give them in the context), and the documented advice that a `Deny` with
//! `NotPrincipal` must also list the session and the account (here the
//! `NotPrincipal` list is matched like a `Principal` list: a role ARN covers
//! its sessions, an account covers its principals).
//!
//! Policies are compiled once ([`CompiledPolicy`], shared with `Arc`) and
//! evaluated many times: [`decide`] allocates nothing; [`explain()`] builds the
//! explanation and a trace of every gate, and always agrees with [`decide`]
//! (it calls it).

pub mod explain;
pub mod request;
pub mod service;

use std::sync::Arc;

use super::ast::{Effect, Policy, PrincipalKind, PrincipalSpec, Statement, Version};
use super::condition::CompiledCondition;
use super::pattern::Pattern;

pub use explain::{Evaluation, Explanation, GateTrace, StatementHit, Verdict, explain};
pub use request::{Context, ContextEntry, Principal, PrincipalType, Request};

/// The answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Decision {
    Allow,
    ImplicitDeny,
    ExplicitDeny,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Allow => "Allow",
            Decision::ImplicitDeny => "ImplicitDeny",
            Decision::ExplicitDeny => "ExplicitDeny",
        }
    }
}

/// The kinds of policy that take part in a decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PolicyType {
    ServiceControl,
    ResourceControl,
    VpcEndpoint,
    ResourceBased,
    IdentityBased,
    PermissionsBoundary,
    Session,
}

impl PolicyType {
    /// AWS's wording in AccessDenied messages.
    pub fn aws_name(self) -> &'static str {
        match self {
            PolicyType::ServiceControl => "service control policy",
            PolicyType::ResourceControl => "resource control policy",
            PolicyType::VpcEndpoint => "VPC endpoint policy",
            PolicyType::ResourceBased => "resource-based policy",
            PolicyType::IdentityBased => "identity-based policy",
            PolicyType::PermissionsBoundary => "permissions boundary",
            PolicyType::Session => "session policy",
        }
    }

    /// The request field that carries this kind of policy.
    pub fn field(self) -> &'static str {
        match self {
            PolicyType::ServiceControl => "scp_levels",
            PolicyType::ResourceControl => "rcp_levels",
            PolicyType::VpcEndpoint => "vpc_endpoint_policies",
            PolicyType::ResourceBased => "resource_policy",
            PolicyType::IdentityBased => "identity_policies",
            PolicyType::PermissionsBoundary => "permission_boundaries",
            PolicyType::Session => "session_policy",
        }
    }
}

/// A policy compiled for evaluation: patterns precompiled, conditions parsed.
#[derive(Debug, Clone)]
pub struct CompiledPolicy {
    /// The document's `Id`, if any (used as its label when none is given).
    pub id: Option<String>,
    statements: Vec<CStatement>,
    index: ActionIndex,
}

/// Which statements can apply to an action of a given service: statements
/// whose action patterns all name a literal service are filed under it;
/// the others (`*`, `*:Get*`, `NotAction`) apply to every service. Skipping
/// the rest is what makes large policies cheap.
/// One service's statements.
type Bucket = (Box<str>, Box<[u32]>);

#[derive(Debug, Clone, Default)]
struct ActionIndex {
    /// Lowercase service prefix → statement indices (ascending), including `any`.
    buckets: Box<[Bucket]>,
    /// Statements that may apply to any service.
    any: Box<[u32]>,
}

impl ActionIndex {
    fn build(statements: &[CStatement]) -> Self {
        let mut buckets: Vec<(Box<str>, Vec<u32>)> = Vec::new();
        let mut any = Vec::new();
        for (i, st) in statements.iter().enumerate() {
            let i = u32::try_from(i).unwrap_or(u32::MAX);
            let services: Option<Vec<String>> = if st.actions.negated {
                None
            } else {
                st.actions
                    .patterns
                    .iter()
                    .map(|p| {
                        let text = p.as_str();
                        let svc = text.split(':').next().unwrap_or(text);
                        (!svc.contains(['*', '?'])).then(|| svc.to_ascii_lowercase())
                    })
                    .collect()
            };
            match services {
                None => any.push(i),
                Some(list) => {
                    for svc in list {
                        match buckets.iter_mut().find(|(k, _)| **k == *svc) {
                            Some((_, v)) => {
                                if v.last() != Some(&i) {
                                    v.push(i);
                                }
                            }
                            None => buckets.push((svc.into_boxed_str(), vec![i])),
                        }
                    }
                }
            }
        }
        let buckets = buckets
            .into_iter()
            .map(|(k, mut v)| {
                v.extend_from_slice(&any);
                v.sort_unstable();
                v.dedup();
                (k, v.into_boxed_slice())
            })
            .collect();
        ActionIndex {
            buckets,
            any: any.into_boxed_slice(),
        }
    }

    /// The statements that may apply to `action`, in document order.
    fn candidates(&self, action: &str) -> &[u32] {
        let svc = action.split(':').next().unwrap_or(action);
        self.buckets
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(svc))
            .map_or(&self.any, |(_, v)| v)
    }
}

#[derive(Debug, Clone)]
struct CStatement {
    label: Box<str>,
    effect: Effect,
    principal: Option<CPrincipal>,
    actions: CMatch,
    resources: Option<CMatch>,
    conditions: Box<[CompiledCondition]>,
}

#[derive(Debug, Clone)]
struct CMatch {
    negated: bool,
    patterns: Box<[Pattern]>,
}

#[derive(Debug, Clone)]
struct CPrincipal {
    negated: bool,
    wildcard: bool,
    entries: Box<[(PrincipalKind, Box<str>)]>,
}

impl CompiledPolicy {
    /// The label of statement `i` (`Sid` or `#i`).
    pub fn statement_label(&self, i: usize) -> &str {
        self.statements.get(i).map_or("?", |s| &s.label)
    }

    /// Compiles a parsed policy. Policy variables are substituted only in
    /// 2012-10-17 documents.
    pub fn compile(policy: &Policy) -> Self {
        let variables = policy.effective_version() == Version::V2012_10_17;
        let statements: Vec<CStatement> = policy
            .statements
            .iter()
            .map(|s| compile_statement(s, variables))
            .collect();
        CompiledPolicy {
            id: policy.id.as_ref().map(|i| i.value.clone()),
            index: ActionIndex::build(&statements),
            statements,
        }
    }

    /// Number of statements.
    pub fn len(&self) -> usize {
        self.statements.len()
    }

    pub fn is_empty(&self) -> bool {
        self.statements.is_empty()
    }
}

fn compile_statement(s: &Statement, variables: bool) -> CStatement {
    CStatement {
        label: s.label().into_boxed_str(),
        effect: s.effect.value,
        principal: s.principal.as_ref().map(|p| match &p.spec {
            PrincipalSpec::Wildcard => CPrincipal {
                negated: p.negated,
                wildcard: true,
                entries: Box::new([]),
            },
            PrincipalSpec::Map(entries) => CPrincipal {
                negated: p.negated,
                wildcard: false,
                entries: entries
                    .iter()
                    .flat_map(|e| {
                        e.values
                            .iter()
                            .map(move |v| (e.kind, v.value.as_str().into()))
                    })
                    .collect(),
            },
        }),
        actions: CMatch {
            negated: s.action.negated,
            patterns: s
                .action
                .items
                .iter()
                .map(|a| Pattern::action(&a.value))
                .collect(),
        },
        resources: s.resource.as_ref().map(|r| CMatch {
            negated: r.negated,
            patterns: r
                .items
                .iter()
                .map(|i| Pattern::resource(&i.value, variables))
                .collect(),
        }),
        conditions: s
            .conditions
            .iter()
            .map(|c| CompiledCondition::compile(c, variables))
            .collect(),
    }
}

/// A policy taking part in a decision, with an optional human label
/// (`scp:deny-leave-org`); without one, its `Id` or its position is used.
#[derive(Debug, Clone)]
pub struct PolicyRef {
    pub policy: Arc<CompiledPolicy>,
    pub label: Option<Arc<str>>,
}

impl PolicyRef {
    pub fn new(policy: Arc<CompiledPolicy>) -> Self {
        Self {
            policy,
            label: None,
        }
    }

    pub fn labelled(policy: Arc<CompiledPolicy>, label: impl Into<Arc<str>>) -> Self {
        Self {
            policy,
            label: Some(label.into()),
        }
    }
}

/// One level of SCPs or RCPs (the root, an OU, the account), with an optional
/// label (`Root → Workloads → Prod`).
#[derive(Debug, Clone, Default)]
pub struct Level {
    pub label: Option<Arc<str>>,
    pub policies: Vec<PolicyRef>,
}

/// Every policy that may apply to a request.
#[derive(Debug, Clone, Default)]
pub struct PolicySet {
    /// The principal's identity-based policies (managed and inline).
    pub identity: Vec<PolicyRef>,
    pub session: Option<PolicyRef>,
    /// `None`: no boundary. An empty list also means no boundary.
    pub boundary: Option<Vec<PolicyRef>>,
    /// `None` (or empty): the principal's account is not governed by SCPs.
    pub scp_levels: Option<Vec<Level>>,
    /// `None` (or empty): the resource's account is not governed by RCPs.
    pub rcp_levels: Option<Vec<Level>>,
    pub resource: Option<PolicyRef>,
    /// `None`: the request does not pass through a VPC endpoint.
    pub vpc_endpoint: Option<Vec<PolicyRef>>,
}

impl PolicySet {
    pub(crate) fn boundary(&self) -> Option<&[PolicyRef]> {
        self.boundary.as_deref().filter(|b| !b.is_empty())
    }

    pub(crate) fn scp_levels(&self, req: &Request) -> Option<&[Level]> {
        let p = &req.principal;
        let governed = !matches!(
            p.kind,
            PrincipalType::Anonymous | PrincipalType::Service | PrincipalType::Other
        ) && !p.service_linked;
        self.scp_levels
            .as_deref()
            .filter(|l| governed && !l.is_empty())
    }

    pub(crate) fn rcp_levels(&self, req: &Request) -> Option<&[Level]> {
        let governed = req.facts.rcp_service && !req.principal.service_linked;
        self.rcp_levels
            .as_deref()
            .filter(|l| governed && !l.is_empty())
    }

    pub(crate) fn vpc_endpoint(&self) -> Option<&[PolicyRef]> {
        self.vpc_endpoint.as_deref().filter(|v| !v.is_empty())
    }
}

/// How a resource-based policy statement named the principal. Ordered from
/// the weakest to the strongest grant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Via {
    /// The principal's account (`111122223333` or `…:root`): delegates the
    /// decision to the account's IAM policies.
    Account,
    /// The role, for a session of it (or for the role itself): capped by the
    /// boundary and the session policy.
    Role,
    /// The principal itself (user, session, service, `*`).
    Direct,
}

/// How [`Principal`] elements are treated for a kind of policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PrincipalMode {
    /// Identity-based policies, boundaries, session policies: no `Principal`.
    Ignore,
    /// SCPs, RCPs, endpoint policies: a `Principal`, if present, must match.
    Optional,
    /// Resource-based policies: a statement without `Principal` applies to no one.
    Required,
}

/// What one policy says about the request.
#[derive(Debug, Clone, Copy, Default)]
struct Scan {
    allow: Option<(u32, Via)>,
    deny: Option<u32>,
}

pub(crate) struct Eval<'a> {
    pub(crate) req: &'a Request,
    pub(crate) has_boundary: bool,
}

impl Eval<'_> {
    fn actions_match(&self, m: &CMatch) -> bool {
        let hit = m
            .patterns
            .iter()
            .any(|p| p.matches(&self.req.action, self.req));
        hit != m.negated
    }

    fn resources_match(&self, m: &CMatch, effect: Effect) -> bool {
        let ctx = self.req;
        match &self.req.form {
            request::ResourceForm::Concrete => {
                let hit = m
                    .patterns
                    .iter()
                    .any(|p| p.matches(&self.req.resource, ctx));
                hit != m.negated
            }
            request::ResourceForm::Pattern(rp) => match (effect, m.negated) {
                // an Allow applies if some resource of the request is allowed
                (Effect::Allow, false) => m.patterns.iter().any(|p| p.intersects(rp, ctx)),
                (Effect::Allow, true) => !m.patterns.iter().any(|p| p.contains(rp, ctx)),
                // a Deny applies only if it covers every resource of the request
                (Effect::Deny, false) => m.patterns.iter().any(|p| p.contains(rp, ctx)),
                (Effect::Deny, true) => !m.patterns.iter().any(|p| p.intersects(rp, ctx)),
            },
        }
    }

    fn principal_entry(&self, kind: PrincipalKind, value: &str) -> Option<Via> {
        let p = &self.req.principal;
        if kind == PrincipalKind::Aws && value == "*" {
            return Some(Via::Direct);
        }
        match kind {
            PrincipalKind::Aws => {
                if p.kind == PrincipalType::Anonymous {
                    return None;
                }
                if let Some(acct) = p.account.as_deref() {
                    if value == acct {
                        return Some(Via::Account);
                    }
                    if let Some(root_acct) = root_account(value) {
                        return (root_acct == acct).then_some(
                            if p.kind == PrincipalType::AccountRoot {
                                Via::Direct
                            } else {
                                Via::Account
                            },
                        );
                    }
                }
                if value == p.arn {
                    return Some(match p.kind {
                        PrincipalType::Role => Via::Role,
                        _ => Via::Direct,
                    });
                }
                match (&p.role_arn, role_without_path(value)) {
                    (Some(role), Some(named)) if named.as_ref() == role.as_str() => Some(Via::Role),
                    _ => None,
                }
            }
            PrincipalKind::Service => (p.kind == PrincipalType::Service
                && p.arn.eq_ignore_ascii_case(value))
            .then_some(Via::Direct),
            PrincipalKind::Federated | PrincipalKind::CanonicalUser => {
                (p.kind != PrincipalType::Anonymous && p.arn == value).then_some(Via::Direct)
            }
        }
    }

    fn principal_match(&self, cp: &CPrincipal, effect: Effect) -> Option<Via> {
        let found = if cp.wildcard {
            Some(Via::Direct)
        } else {
            cp.entries
                .iter()
                .filter_map(|(k, v)| self.principal_entry(*k, v))
                .max()
        };
        if !cp.negated {
            return found;
        }
        // `NotPrincipal`: everyone but the listed principals. In a Deny, an IAM
        // user or role with a permissions boundary is denied whatever the list
        // says (IAM User Guide, "NotPrincipal": principals with boundaries).
        let bounded = self.has_boundary
            && matches!(
                self.req.principal.kind,
                PrincipalType::User | PrincipalType::Role | PrincipalType::RoleSession
            );
        if effect == Effect::Deny && bounded {
            return Some(Via::Direct);
        }
        found.is_none().then_some(Via::Direct)
    }

    /// Whether a statement applies to the request (and how the principal was named).
    fn statement(&self, st: &CStatement, mode: PrincipalMode) -> Option<Via> {
        if !self.actions_match(&st.actions) {
            return None;
        }
        if let Some(r) = &st.resources
            && !self.resources_match(r, st.effect)
        {
            return None;
        }
        let via = match (mode, &st.principal) {
            (PrincipalMode::Ignore, _) | (PrincipalMode::Optional, None) => Via::Direct,
            (PrincipalMode::Required, None) => return None,
            (_, Some(p)) => self.principal_match(p, st.effect)?,
        };
        st.conditions
            .iter()
            .all(|c| c.eval(self.req))
            .then_some(via)
    }

    /// Every statement of `policy` that applies (for traces).
    pub(crate) fn hits(
        &self,
        policy: &CompiledPolicy,
        mode: PrincipalMode,
    ) -> Vec<(usize, Effect, Via)> {
        policy
            .statements
            .iter()
            .enumerate()
            .filter_map(|(i, st)| self.statement(st, mode).map(|via| (i, st.effect, via)))
            .collect()
    }

    fn scan(&self, policy: &CompiledPolicy, mode: PrincipalMode) -> Scan {
        let mut out = Scan::default();
        for &i in policy.index.candidates(&self.req.action) {
            let Some(st) = policy.statements.get(i as usize) else {
                continue;
            };
            let Some(via) = self.statement(st, mode) else {
                continue;
            };
            match st.effect {
                Effect::Deny => {
                    out.deny = Some(i);
                    return out;
                }
                Effect::Allow => {
                    if out.allow.is_none_or(|(_, v)| via > v) {
                        out.allow = Some((i, via));
                    }
                }
            }
        }
        out
    }
}

fn root_account(value: &str) -> Option<&str> {
    let rest = value.strip_prefix("arn:")?;
    let mut parts = rest.splitn(5, ':');
    let _partition = parts.next()?;
    let svc = parts.next()?;
    let _region = parts.next()?;
    let account = parts.next()?;
    let resource = parts.next()?;
    (svc == "iam" && resource == "root").then_some(account)
}

/// `arn:aws:iam::1:role/path/name` → `arn:aws:iam::1:role/name`.
fn role_without_path(value: &str) -> Option<std::borrow::Cow<'_, str>> {
    let idx = value.find(":role/")?;
    let (head, tail) = value.split_at(idx + ":role/".len());
    if !value.starts_with("arn:") || !value[..idx].ends_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    match tail.rsplit_once('/') {
        Some((_, name)) => Some(std::borrow::Cow::Owned(format!("{head}{name}"))),
        None => Some(std::borrow::Cow::Borrowed(value)),
    }
}

/// Why the decision came out as it did (indices into the [`PolicySet`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// `sts:GetCallerIdentity` needs no permission.
    AlwaysAllowed,
    /// A `Deny` statement applied. `level` is the SCP/RCP level (else 0).
    ExplicitDeny {
        policy_type: PolicyType,
        level: u32,
        policy: u32,
        statement: u32,
    },
    /// An SCP or RCP level has no applicable `Allow`.
    LevelDoesNotAllow { policy_type: PolicyType, level: u32 },
    /// A VPC endpoint policy has no applicable `Allow`.
    EndpointDoesNotAllow { policy: u32 },
    /// A change to a resource AWS owns.
    AwsOwnedResource,
    /// Nothing allowed it; `missing` names the layer that did not allow.
    NotAllowed { missing: PolicyType },
    /// Allowed; `by` says which grant.
    Allowed { by: Grant },
}

/// Which grant allowed a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Grant {
    /// Same account: identity-based policies (within boundary and session policy).
    Identity,
    /// The account root user in its own account.
    AccountRoot,
    /// The resource-based policy alone (statement index).
    Resource { statement: u32, via: Via },
    /// Both sides (cross-account, or a required resource policy naming the account).
    IdentityAndResource { statement: u32 },
}

/// The decision and its reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    pub decision: Decision,
    pub reason: Reason,
}

fn deny(policy_type: PolicyType, level: usize, policy: usize, statement: u32) -> Outcome {
    Outcome {
        decision: Decision::ExplicitDeny,
        reason: Reason::ExplicitDeny {
            policy_type,
            level: u32::try_from(level).unwrap_or(u32::MAX),
            policy: u32::try_from(policy).unwrap_or(u32::MAX),
            statement,
        },
    }
}

fn implicit(reason: Reason) -> Outcome {
    Outcome {
        decision: Decision::ImplicitDeny,
        reason,
    }
}

/// The decision alone (no allocation).
pub fn evaluate(set: &PolicySet, req: &Request) -> Decision {
    decide(set, req).decision
}

/// The decision and its reason (no allocation).
pub fn decide(set: &PolicySet, req: &Request) -> Outcome {
    if req.facts.always_allowed {
        return Outcome {
            decision: Decision::Allow,
            reason: Reason::AlwaysAllowed,
        };
    }
    let boundary = set.boundary();
    let ev = Eval {
        req,
        has_boundary: boundary.is_some(),
    };
    let scps = set.scp_levels(req);
    let rcps = set.rcp_levels(req);
    let endpoints = set.vpc_endpoint();
    let has_identity = req.principal.has_identity();

    // 1. explicit deny anywhere; remember the allows on the way
    let mut scp_ok: Option<usize> = None; // first level without an allow
    if let Some(levels) = scps {
        for (li, level) in levels.iter().enumerate() {
            let mut allowed = false;
            for (pi, p) in level.policies.iter().enumerate() {
                let s = ev.scan(&p.policy, PrincipalMode::Optional);
                if let Some(st) = s.deny {
                    return deny(PolicyType::ServiceControl, li, pi, st);
                }
                allowed |= s.allow.is_some();
            }
            if !allowed && scp_ok.is_none() {
                scp_ok = Some(li);
            }
        }
    }
    let mut rcp_ok: Option<usize> = None;
    if let Some(levels) = rcps {
        for (li, level) in levels.iter().enumerate() {
            let mut allowed = false;
            for (pi, p) in level.policies.iter().enumerate() {
                let s = ev.scan(&p.policy, PrincipalMode::Optional);
                if let Some(st) = s.deny {
                    return deny(PolicyType::ResourceControl, li, pi, st);
                }
                allowed |= s.allow.is_some();
            }
            if !allowed && rcp_ok.is_none() {
                rcp_ok = Some(li);
            }
        }
    }
    let mut endpoint_ok: Option<usize> = None;
    if let Some(policies) = endpoints {
        for (pi, p) in policies.iter().enumerate() {
            let s = ev.scan(&p.policy, PrincipalMode::Optional);
            if let Some(st) = s.deny {
                return deny(PolicyType::VpcEndpoint, 0, pi, st);
            }
            if s.allow.is_none() && endpoint_ok.is_none() {
                endpoint_ok = Some(pi);
            }
        }
    }
    let mut resource_allow: Option<(u32, Via)> = None;
    if let Some(p) = &set.resource {
        let s = ev.scan(&p.policy, PrincipalMode::Required);
        if let Some(st) = s.deny {
            return deny(PolicyType::ResourceBased, 0, 0, st);
        }
        resource_allow = s.allow;
    }
    let mut identity_allow = false;
    if has_identity {
        for (pi, p) in set.identity.iter().enumerate() {
            let s = ev.scan(&p.policy, PrincipalMode::Ignore);
            if let Some(st) = s.deny {
                return deny(PolicyType::IdentityBased, 0, pi, st);
            }
            identity_allow |= s.allow.is_some();
        }
    }
    let mut boundary_ok = true;
    if let (Some(policies), true) = (boundary, has_identity) {
        boundary_ok = false;
        for (pi, p) in policies.iter().enumerate() {
            let s = ev.scan(&p.policy, PrincipalMode::Ignore);
            if let Some(st) = s.deny {
                return deny(PolicyType::PermissionsBoundary, 0, pi, st);
            }
            boundary_ok |= s.allow.is_some();
        }
    }
    let mut session_ok = true;
    if let (Some(p), true) = (&set.session, has_identity) {
        let s = ev.scan(&p.policy, PrincipalMode::Ignore);
        if let Some(st) = s.deny {
            return deny(PolicyType::Session, 0, 0, st);
        }
        session_ok = s.allow.is_some();
    }

    // 2.–4. the guardrails must allow
    if let Some(level) = scp_ok {
        return implicit(Reason::LevelDoesNotAllow {
            policy_type: PolicyType::ServiceControl,
            level: u32::try_from(level).unwrap_or(u32::MAX),
        });
    }
    if let Some(level) = rcp_ok {
        return implicit(Reason::LevelDoesNotAllow {
            policy_type: PolicyType::ResourceControl,
            level: u32::try_from(level).unwrap_or(u32::MAX),
        });
    }
    if let Some(policy) = endpoint_ok {
        return implicit(Reason::EndpointDoesNotAllow {
            policy: u32::try_from(policy).unwrap_or(u32::MAX),
        });
    }
    if req.facts.aws_owned_change {
        return implicit(Reason::AwsOwnedResource);
    }

    // 5. the grant
    let allowed = |by| Outcome {
        decision: Decision::Allow,
        reason: Reason::Allowed { by },
    };
    let not_allowed = |missing| implicit(Reason::NotAllowed { missing });
    let root = req.principal.kind == PrincipalType::AccountRoot;
    let identity_side = (identity_allow || root) && boundary_ok && session_ok;
    let identity_missing = if !(identity_allow || root) {
        PolicyType::IdentityBased
    } else if !boundary_ok {
        PolicyType::PermissionsBoundary
    } else {
        PolicyType::Session
    };

    if !has_identity {
        // anonymous callers and service principals: the resource policy alone
        return match resource_allow {
            Some((statement, via)) => allowed(Grant::Resource { statement, via }),
            None => not_allowed(PolicyType::ResourceBased),
        };
    }
    let resource_required = req.facts.trust_required || req.facts.key_policy_required;
    if req.same_account() {
        if !resource_required && identity_side {
            return allowed(if root && !identity_allow {
                Grant::AccountRoot
            } else {
                Grant::Identity
            });
        }
        return match resource_allow {
            Some((statement, Via::Direct)) => allowed(Grant::Resource {
                statement,
                via: Via::Direct,
            }),
            Some((statement, Via::Role)) if boundary_ok && session_ok => allowed(Grant::Resource {
                statement,
                via: Via::Role,
            }),
            Some((statement, Via::Account)) if identity_side => {
                allowed(Grant::IdentityAndResource { statement })
            }
            Some((_, Via::Role)) => not_allowed(if boundary_ok {
                PolicyType::Session
            } else {
                PolicyType::PermissionsBoundary
            }),
            Some((_, Via::Account)) => not_allowed(identity_missing),
            None if resource_required || identity_side => not_allowed(PolicyType::ResourceBased),
            None => not_allowed(identity_missing),
        };
    }
    // cross-account: both sides
    match (identity_side, resource_allow) {
        (true, Some((statement, _))) => allowed(Grant::IdentityAndResource { statement }),
        (false, _) => not_allowed(identity_missing),
        (true, None) => not_allowed(PolicyType::ResourceBased),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::parse::parse_policy;

    fn pol(text: &str) -> PolicyRef {
        PolicyRef::new(Arc::new(CompiledPolicy::compile(
            &parse_policy(text).unwrap(),
        )))
    }

    fn req(principal: &str, action: &str, resource: &str, account: &str) -> Request {
        Request::new(
            Principal::parse(principal),
            action,
            resource,
            Some(account.to_string()),
            Context::new(),
        )
    }

    const USER: &str = "arn:aws:iam::111111111111:user/alice";
    const ALLOW_S3: &str =
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}"#;

    #[test]
    fn identity_alone_same_account() {
        let set = PolicySet {
            identity: vec![pol(ALLOW_S3)],
            ..Default::default()
        };
        let r = req(USER, "s3:GetObject", "arn:aws:s3:::b/k", "111111111111");
        assert_eq!(evaluate(&set, &r), Decision::Allow);
        let r = req(USER, "ec2:RunInstances", "*", "111111111111");
        assert_eq!(
            decide(&set, &r).reason,
            Reason::NotAllowed {
                missing: PolicyType::IdentityBased
            }
        );
    }

    #[test]
    fn labels_name_policies_and_levels_in_explanations() {
        let compiled = |t: &str| Arc::new(CompiledPolicy::compile(&parse_policy(t).unwrap()));
        let full = compiled(r#"{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#);
        let deny = compiled(
            r#"{"Statement":{"Sid":"DenyLeave","Effect":"Deny","Action":"organizations:LeaveOrganization","Resource":"*"}}"#,
        );
        let set = PolicySet {
            identity: vec![PolicyRef::labelled(Arc::clone(&full), "role:admin")],
            scp_levels: Some(vec![
                Level {
                    label: Some("Root".into()),
                    policies: vec![PolicyRef::labelled(Arc::clone(&full), "FullAWSAccess")],
                },
                Level {
                    label: Some("Root → Workloads → Prod".into()),
                    policies: vec![
                        PolicyRef::labelled(Arc::clone(&full), "FullAWSAccess"),
                        PolicyRef::labelled(deny, "scp:deny-leave-org"),
                    ],
                },
            ]),
            ..Default::default()
        };
        let r = req(USER, "organizations:LeaveOrganization", "*", "111111111111");
        let e = explain(&set, &r);
        assert_eq!(e.decision, Decision::ExplicitDeny);
        assert_eq!(e.explanation.policy.as_deref(), Some("scp:deny-leave-org"));
        assert_eq!(e.explanation.statement.as_deref(), Some("DenyLeave"));
        assert_eq!(
            e.explanation.level.as_deref(),
            Some("Root → Workloads → Prod")
        );
        assert!(
            e.explanation
                .message
                .ends_with("with an explicit deny in a service control policy (`scp:deny-leave-org`, statement `DenyLeave`)"),
            "{}",
            e.explanation.message
        );
        let human = e.to_human();
        assert!(
            human.contains("service control policies, level Root → Workloads → Prod: denies"),
            "{human}"
        );
        assert!(
            human.contains("Allow `role:admin` statement `#0`"),
            "{human}"
        );
        // service-linked roles: SCP levels are shown as not applicable
        let slr = req(
            "arn:aws:iam::111111111111:role/aws-service-role/x.amazonaws.com/AWSServiceRoleForX",
            "organizations:LeaveOrganization",
            "*",
            "111111111111",
        );
        let e = explain(&set, &slr);
        assert_eq!(e.decision, Decision::Allow);
        assert!(e.trace.iter().any(|g| g.verdict == Verdict::NotApplicable));
    }

    #[test]
    fn action_index_files_statements_by_service() {
        let p = CompiledPolicy::compile(
            &parse_policy(
                r#"{"Statement":[
                {"Effect":"Allow","Action":"s3:Get*","Resource":"*"},
                {"Effect":"Allow","Action":["ec2:*","S3:Put*"],"Resource":"*"},
                {"Effect":"Allow","Action":"*","Resource":"*"},
                {"Effect":"Allow","NotAction":"iam:*","Resource":"*"},
                {"Effect":"Allow","Action":"s?:x","Resource":"*"}]}"#,
            )
            .unwrap(),
        );
        assert_eq!(p.index.candidates("s3:GetObject"), &[0, 1, 2, 3, 4]);
        assert_eq!(p.index.candidates("EC2:RunInstances"), &[1, 2, 3, 4]);
        assert_eq!(p.index.candidates("kms:Decrypt"), &[2, 3, 4]);
    }

    #[test]
    fn role_arn_without_path() {
        assert_eq!(role_without_path("role/a/b/name").as_deref(), None);
        assert_eq!(
            role_without_path("arn:aws:iam::111111111111:role/a/b/name").as_deref(),
            Some("arn:aws:iam::111111111111:role/name")
        );
        assert_eq!(
            root_account("arn:aws:iam::111111111111:root"),
            Some("111111111111")
        );
    }
}
