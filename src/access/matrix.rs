//! The effective-access matrix of a compiled organization.
//!
//! For every principal of the organization (each permission set in each
//! account it is assigned to, each role, each break-glass user: the
//! principals of [`crate::principals::enumerate`]) the matrix holds the
//! catalogue actions it may perform **on resources of its own account** (the
//! request the principals bridge builds for resource `*`), split four ways:
//!
//! - **allowed**: every gate of the evaluation chain allows the action
//!   unconditionally and no deny statement — conditional or not — names it;
//! - **conditional**: no gate refuses it outright and no unconditional deny
//!   names it, but some allow it needs, or some deny that names it, has a
//!   condition, a specific resource or a specific principal
//!   ([`ActionSets::conditions`] says which);
//! - **denied explicitly**: an unconditional `Deny` names it
//!   ([`ActionSets::explicit_denial`]);
//! - **denied implicitly**: some gate has no allow for it at all
//!   ([`ActionSets::implicit_denial`]: the first one, in the engine's order).
//!
//! The gates, in the engine's order: each SCP level from the root down to the
//! account (none for the management account or when SCPs are not enabled;
//! none for service-linked roles), each RCP level likewise (RCPs of the
//! principal's own account, for the services that support RCPs only), the
//! identity policies, the permissions boundary. `sts:GetCallerIdentity` is
//! always allowed. A policy landform has no document for grants nothing (the
//! engine's [`crate::principals::Assume::Nothing`]); [`Matrix::issues`] lists
//! them.
//!
//! Nothing here loops over requests: a statement is a set of actions, a gate
//! is the union of its policies' allow sets, the chain is the intersection of
//! its gates. Principals with the same policies in accounts with the same
//! organization-policy chain (same OU path, same attachments) form one
//! equivalence class, computed once and shared.

use std::collections::HashMap;
use std::sync::Arc;

use serde::Serialize;

use super::bitset::ActionSet;
use super::statement::{Compiler, Conditions, PolicyBits, PrincipalUse, always_allowed};
use crate::catalog::{ActionId, catalog};
use crate::org::{
    AccountId, ManagedRef, Org, OrgPolicyType, PolicyId, PolicyKind, PrincipalRef, Target,
};
use crate::principals::{aws_managed, display, enumerate};

/// A gate of the evaluation chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GateKind {
    /// One level of service control policies.
    Scp,
    /// One level of resource control policies.
    Rcp,
    /// The identity-based policies together.
    Identity,
    /// The permissions boundary.
    Boundary,
}

impl GateKind {
    pub fn as_str(self) -> &'static str {
        match self {
            GateKind::Scp => "scp",
            GateKind::Rcp => "rcp",
            GateKind::Identity => "identity",
            GateKind::Boundary => "boundary",
        }
    }
}

/// One gate: what it allows unconditionally and possibly.
#[derive(Debug)]
pub struct Gate {
    pub kind: GateKind,
    /// For SCP/RCP levels: `Root`, `Root → Workloads → Prod`, or `account`
    /// for the policies attached to the account itself. `None` otherwise.
    pub level: Option<Arc<str>>,
    allow: ActionSet,
    maybe: ActionSet,
    policies: Vec<Arc<PolicyBits>>,
}

impl Gate {
    fn new(kind: GateKind, level: Option<Arc<str>>, policies: Vec<Arc<PolicyBits>>) -> Self {
        let mut allow = ActionSet::empty();
        let mut maybe = ActionSet::empty();
        for p in &policies {
            allow.union_with(&p.allow);
            maybe.union_with(&p.allow_maybe);
        }
        Gate {
            kind,
            level,
            allow,
            maybe,
            policies,
        }
    }

    /// `SCP at Root → Workloads`, `no identity-based policy`, `permissions boundary`.
    pub fn describe(&self) -> String {
        match (self.kind, &self.level) {
            (GateKind::Scp, Some(l)) => format!("SCPs at {l}"),
            (GateKind::Rcp, Some(l)) => format!("RCPs at {l}"),
            (GateKind::Scp, None) => "SCPs".to_string(),
            (GateKind::Rcp, None) => "RCPs".to_string(),
            (GateKind::Identity, _) => "identity-based policies".to_string(),
            (GateKind::Boundary, _) => "permissions boundary".to_string(),
        }
    }
}

/// Why an action is denied explicitly: the first unconditional `Deny` in the
/// engine's order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Denial {
    pub gate: GateKind,
    /// The SCP/RCP level, if any.
    pub level: Option<String>,
    /// The policy label (`scp:landform-deny-leave-org`).
    pub policy: String,
    /// The statement (`Sid` or `#index`).
    pub statement: String,
}

impl Denial {
    /// `scp:deny-leave (statement DenyLeave) at Root → Workloads`.
    pub fn describe(&self) -> String {
        let at = self
            .level
            .as_deref()
            .map(|l| format!(" at {l}"))
            .unwrap_or_default();
        format!("{} (statement {}){at}", self.policy, self.statement)
    }
}

/// What a class of principals is evaluated against.
#[derive(Debug)]
struct Inputs {
    /// Gates in the engine's order.
    gates: Vec<Arc<Gate>>,
}

/// The four action sets of one principal in one account (shared by every
/// member of its equivalence class).
#[derive(Debug)]
pub struct ActionSets {
    allowed: ActionSet,
    conditional: ActionSet,
    denied_explicit: ActionSet,
    denied_implicit: ActionSet,
    /// Actions some conditional `Deny` names (and no unconditional one).
    deny_maybe: ActionSet,
    /// Conditional actions every gate allows unconditionally: only a
    /// conditional deny stands in the way.
    guarded: ActionSet,
    inputs: Arc<Inputs>,
}

/// The status of one action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Allowed,
    Conditional,
    DeniedExplicit,
    DeniedImplicit,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Allowed => "allowed",
            Status::Conditional => "conditional",
            Status::DeniedExplicit => "denied_explicit",
            Status::DeniedImplicit => "denied_implicit",
        }
    }
}

impl ActionSets {
    pub fn allowed(&self) -> &ActionSet {
        &self.allowed
    }

    pub fn conditional(&self) -> &ActionSet {
        &self.conditional
    }

    pub fn denied_explicit(&self) -> &ActionSet {
        &self.denied_explicit
    }

    pub fn denied_implicit(&self) -> &ActionSet {
        &self.denied_implicit
    }

    /// Actions a conditional `Deny` may refuse (never explicitly denied ones).
    pub fn deny_conditional(&self) -> &ActionSet {
        &self.deny_maybe
    }

    /// The conditional actions that every gate allows unconditionally, where
    /// only a conditional `Deny` stands in the way (a region lock, an MFA
    /// requirement): allowed *unless* a condition denies. The other
    /// conditional actions are allowed only *if* a conditional allow applies.
    pub fn guarded(&self) -> &ActionSet {
        &self.guarded
    }

    /// The status of `action`.
    pub fn status(&self, action: ActionId) -> Status {
        if self.allowed.contains(action) {
            Status::Allowed
        } else if self.conditional.contains(action) {
            Status::Conditional
        } else if self.denied_explicit.contains(action) {
            Status::DeniedExplicit
        } else {
            Status::DeniedImplicit
        }
    }

    /// What a conditional action depends on: the conditional allows of every
    /// gate that does not allow it unconditionally, and the conditional denies
    /// that name it. Empty for actions that are not conditional.
    pub fn conditions(&self, action: ActionId) -> Conditions {
        let mut out = Conditions::default();
        if !self.conditional.contains(action) {
            return out;
        }
        for gate in &self.inputs.gates {
            let needs_allow = !gate.allow.contains(action);
            for p in &gate.policies {
                for st in &p.conditional {
                    if !st.actions.contains(action) {
                        continue;
                    }
                    let relevant = match st.effect {
                        crate::policy::ast::Effect::Allow => needs_allow,
                        crate::policy::ast::Effect::Deny => true,
                    };
                    if relevant {
                        out.merge(&st.conditions);
                    }
                }
            }
        }
        out
    }

    /// The first unconditional `Deny` naming `action`, in the engine's order
    /// (SCPs from the root down, RCPs, identity policies, boundary).
    pub fn explicit_denial(&self, action: ActionId) -> Option<Denial> {
        if !self.denied_explicit.contains(action) {
            return None;
        }
        for gate in &self.inputs.gates {
            for p in &gate.policies {
                if !p.deny.contains(action) {
                    continue;
                }
                if let Some(st) = p.denies.iter().find(|d| d.actions.contains(action)) {
                    return Some(Denial {
                        gate: gate.kind,
                        level: gate.level.as_deref().map(str::to_string),
                        policy: p.label.to_string(),
                        statement: st.statement.clone(),
                    });
                }
            }
        }
        None
    }

    /// The first gate with no allow for `action` (for implicitly denied actions).
    pub fn implicit_denial(&self, action: ActionId) -> Option<&Gate> {
        if !self.denied_implicit.contains(action) {
            return None;
        }
        self.inputs
            .gates
            .iter()
            .find(|g| !g.maybe.contains(action))
            .map(|g| &**g)
    }

    /// A one-line reason for `action`'s status (empty for allowed actions).
    pub fn reason(&self, action: ActionId) -> String {
        match self.status(action) {
            Status::Allowed => String::new(),
            Status::Conditional => self.conditions(action).describe(),
            Status::DeniedExplicit => self
                .explicit_denial(action)
                .map(|d| d.describe())
                .unwrap_or_default(),
            Status::DeniedImplicit => self
                .implicit_denial(action)
                .map(|g| format!("no allow in the {}", g.describe()))
                .unwrap_or_default(),
        }
    }

    fn compute(inputs: Arc<Inputs>, rcp_mask: &ActionSet) -> ActionSets {
        let mut explicit = ActionSet::empty();
        let mut deny_maybe = ActionSet::empty();
        let mut possible = ActionSet::full();
        let mut sure = ActionSet::full();
        for gate in &inputs.gates {
            possible.intersect_with(&gate.maybe);
            sure.intersect_with(&gate.allow);
            for p in &gate.policies {
                if gate.kind == GateKind::Rcp {
                    let mut d = p.deny.clone();
                    d.intersect_with(rcp_mask);
                    explicit.union_with(&d);
                    let mut m = p.deny_maybe.clone();
                    m.intersect_with(rcp_mask);
                    deny_maybe.union_with(&m);
                } else {
                    explicit.union_with(&p.deny);
                    deny_maybe.union_with(&p.deny_maybe);
                }
            }
        }
        deny_maybe.subtract(&explicit);
        let mut implicit = possible.complement();
        implicit.subtract(&explicit);
        let mut guarded = sure.clone();
        guarded.intersect_with(&deny_maybe);
        let mut allowed = sure;
        allowed.subtract(&explicit);
        allowed.subtract(&deny_maybe);
        let mut conditional = possible;
        conditional.subtract(&explicit);
        conditional.subtract(&allowed);
        if let Some(id) = always_allowed() {
            allowed.insert(id);
            conditional.remove(id);
            explicit.remove(id);
            implicit.remove(id);
            deny_maybe.remove(id);
            guarded.remove(id);
        }
        ActionSets {
            allowed,
            conditional,
            denied_explicit: explicit,
            denied_implicit: implicit,
            deny_maybe,
            guarded,
            inputs,
        }
    }
}

/// One (principal, account) of the matrix.
#[derive(Debug, Clone)]
pub struct Entry {
    /// `permission_set:Admin@payments-prod`, `role:ci@payments-prod`, `user:alice-breakglass`.
    pub principal: String,
    pub principal_ref: PrincipalRef,
    pub account: AccountId,
    pub account_name: String,
    class: u32,
}

/// The effective-access matrix: one [`ActionSets`] per (principal, account).
#[derive(Debug)]
pub struct Matrix {
    entries: Vec<Entry>,
    classes: Vec<Arc<ActionSets>>,
    issues: Vec<String>,
}

impl Matrix {
    /// Every (principal, account) with its action sets, sorted by principal
    /// reference, then account name.
    pub fn entries(&self) -> impl ExactSizeIterator<Item = (&str, &str, &ActionSets)> + '_ {
        self.entries.iter().map(|e| {
            (
                e.principal.as_str(),
                e.account_name.as_str(),
                &*self.classes[e.class as usize],
            )
        })
    }

    /// The entries themselves (with the typed principal and account).
    pub fn entry_list(&self) -> &[Entry] {
        &self.entries
    }

    /// The action sets of an entry.
    pub fn sets(&self, entry: &Entry) -> &ActionSets {
        &self.classes[entry.class as usize]
    }

    /// The equivalence class of an entry (entries of one class share their sets).
    pub fn class_of(&self, entry: &Entry) -> usize {
        entry.class as usize
    }

    /// The action sets of `principal` (reference text) in `account` (name).
    pub fn get(&self, principal: &str, account: &str) -> Option<&ActionSets> {
        self.entries
            .binary_search_by(|e| {
                (e.principal.as_str(), e.account_name.as_str()).cmp(&(principal, account))
            })
            .ok()
            .map(|i| &*self.classes[self.entries[i].class as usize])
    }

    /// The number of distinct equivalence classes.
    pub fn class_count(&self) -> usize {
        self.classes.len()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Policies the matrix had no usable document for (they grant nothing),
    /// as `label: why`, sorted.
    pub fn issues(&self) -> &[String] {
        &self.issues
    }
}

/// Options for [`compute_with`].
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Worker threads for the classes (1: compute on the calling thread).
    pub threads: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options { threads: threads() }
    }
}

/// The number of threads `LANDFORM_THREADS` asks for (default: the cores, at most 2).
pub fn threads() -> usize {
    let wanted = std::env::var("LANDFORM_THREADS")
        .ok()
        .and_then(|v| v.parse::<usize>().ok());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    wanted.unwrap_or(cores.min(2)).max(1)
}

/// The matrix of `org`, with [`Options::default`].
pub fn compute(org: &Org) -> Matrix {
    compute_with(org, Options::default())
}

/// The actions of the services that support RCPs.
fn rcp_mask() -> ActionSet {
    let mut mask = ActionSet::empty();
    for s in catalog().services() {
        if s.rcp_supported {
            for id in s.action_ids() {
                mask.insert(id);
            }
        }
    }
    mask
}

/// Builds policy action sets with caching (by IR policy, by AWS-managed ARN,
/// by label and document text for identical documents under one name).
struct Builder<'o> {
    org: &'o Org,
    compiler: Compiler,
    by_policy: Vec<Option<Arc<PolicyBits>>>,
    by_text: HashMap<(Arc<str>, String), Arc<PolicyBits>>,
    managed: HashMap<String, Arc<PolicyBits>>,
    full_scp: Arc<PolicyBits>,
    full_rcp: Arc<PolicyBits>,
    rcp_mask: ActionSet,
    issues: Vec<String>,
    /// Interned gates (keyed by kind, level label and policy pointers).
    gates: HashMap<GateKey, Arc<Gate>>,
}

/// A gate's identity: kind, level label, policy pointers.
type GateKey = (GateKind, Option<Arc<str>>, Vec<usize>);

fn kind_prefix(kind: PolicyKind) -> &'static str {
    match kind {
        PolicyKind::Scp => "scp",
        PolicyKind::Rcp => "rcp",
        PolicyKind::Managed => "policy",
        PolicyKind::Boundary => "boundary",
        PolicyKind::RoleInline | PolicyKind::PermissionSetInline => "inline",
        PolicyKind::Trust => "trust",
    }
}

fn ptr(p: &Arc<PolicyBits>) -> usize {
    Arc::as_ptr(p) as usize
}

impl<'o> Builder<'o> {
    fn new(org: &'o Org) -> Self {
        let rcp_mask = rcp_mask();
        let mut full_rcp = PolicyBits::everything("rcp:RCPFullAWSAccess");
        full_rcp.allow.intersect_with(&rcp_mask);
        full_rcp.allow_maybe.intersect_with(&rcp_mask);
        Builder {
            org,
            compiler: Compiler::new(),
            by_policy: vec![None; org.policies.len()],
            by_text: HashMap::new(),
            managed: HashMap::new(),
            full_scp: Arc::new(PolicyBits::everything("scp:FullAWSAccess")),
            full_rcp: Arc::new(full_rcp),
            rcp_mask,
            issues: Vec::new(),
            gates: HashMap::new(),
        }
    }

    fn principals_use(kind: PolicyKind) -> PrincipalUse {
        match kind {
            PolicyKind::Scp | PolicyKind::Rcp => PrincipalUse::Optional,
            _ => PrincipalUse::Ignore,
        }
    }

    /// An IR policy's action sets (RCPs restricted to the RCP services).
    fn ir(&mut self, id: PolicyId) -> Arc<PolicyBits> {
        if let Some(Some(p)) = self.by_policy.get(id.index()) {
            return Arc::clone(p);
        }
        let policy = self.org.policy(id);
        let label: Arc<str> = format!("{}:{}", kind_prefix(policy.kind), policy.name).into();
        let text = serde_json::to_string(&policy.document).unwrap_or_default();
        let key = (Arc::clone(&label), text);
        let bits = if let Some(p) = self.by_text.get(&key) {
            Arc::clone(p)
        } else {
            let mut bits =
                self.compiler
                    .document(&policy.document, label, Self::principals_use(policy.kind));
            if bits.unparseable {
                self.issues.push(format!(
                    "{}: the document does not parse (it grants nothing here)",
                    key.0
                ));
            }
            if policy.kind == PolicyKind::Rcp {
                self.mask_rcp(&mut bits);
            }
            let bits = Arc::new(bits);
            self.by_text.insert(key, Arc::clone(&bits));
            bits
        };
        if let Some(slot) = self.by_policy.get_mut(id.index()) {
            *slot = Some(Arc::clone(&bits));
        }
        bits
    }

    fn mask_rcp(&self, bits: &mut PolicyBits) {
        let mask = &self.rcp_mask;
        bits.allow.intersect_with(mask);
        bits.allow_maybe.intersect_with(mask);
        bits.deny.intersect_with(mask);
        bits.deny_maybe.intersect_with(mask);
        for d in &mut bits.denies {
            let mut s = (*d.actions).clone();
            s.intersect_with(mask);
            d.actions = Arc::new(s);
        }
        for c in &mut bits.conditional {
            let mut s = (*c.actions).clone();
            s.intersect_with(mask);
            c.actions = Arc::new(s);
        }
    }

    /// A managed policy reference's action sets (grants nothing when landform
    /// has no document for it).
    fn managed_ref(&mut self, m: &ManagedRef) -> Arc<PolicyBits> {
        match m {
            ManagedRef::Customer(c) => match c.policy {
                Some(id) => self.ir(id),
                None => {
                    let key = format!("customer:{}{}", c.path, c.name);
                    if let Some(p) = self.managed.get(&key) {
                        return Arc::clone(p);
                    }
                    let label = format!("policy:{}", c.name);
                    self.issues.push(format!(
                        "{label}: the blueprint does not define this customer-managed policy (it grants nothing here)"
                    ));
                    let p = Arc::new(PolicyBits::nothing(label));
                    self.managed.insert(key, Arc::clone(&p));
                    p
                }
            },
            ManagedRef::Aws { arn } => {
                if let Some(p) = self.managed.get(arn) {
                    return Arc::clone(p);
                }
                let name = arn.rsplit('/').next().unwrap_or(arn);
                let label = match aws_managed::split_arn(arn) {
                    Some(("/", n)) => format!("aws-managed:{n}"),
                    Some((p, n)) => format!("aws-managed:{}{n}", p.trim_start_matches('/')),
                    None => format!("aws-managed:{name}"),
                };
                let p = match aws_managed::lookup(arn) {
                    aws_managed::Lookup::Shipped { policy, .. } => {
                        let bits = self.compiler.document(
                            &policy.document,
                            label.clone(),
                            PrincipalUse::Ignore,
                        );
                        if bits.unparseable {
                            self.issues.push(format!(
                                "{label}: the shipped document does not parse (it grants nothing here)"
                            ));
                        }
                        bits
                    }
                    aws_managed::Lookup::NotShipped { .. } => {
                        self.issues.push(format!(
                            "{label}: landform does not ship this AWS-managed policy's document (it grants nothing here)"
                        ));
                        PolicyBits::nothing(label)
                    }
                    aws_managed::Lookup::Unknown { .. } => {
                        self.issues.push(format!(
                            "{label}: not an AWS-managed policy landform knows (it grants nothing here)"
                        ));
                        PolicyBits::nothing(label)
                    }
                };
                let p = Arc::new(p);
                self.managed.insert(arn.clone(), Arc::clone(&p));
                p
            }
        }
    }

    fn gate(
        &mut self,
        kind: GateKind,
        level: Option<Arc<str>>,
        policies: Vec<Arc<PolicyBits>>,
    ) -> Arc<Gate> {
        let key = (
            kind,
            level.clone(),
            policies.iter().map(ptr).collect::<Vec<_>>(),
        );
        if let Some(g) = self.gates.get(&key) {
            return Arc::clone(g);
        }
        let mut gate = Gate::new(kind, level, policies);
        if kind == GateKind::Rcp {
            // RCPs do not govern the other services: the level lets them through
            let others = self.rcp_mask.complement();
            gate.allow.union_with(&others);
            gate.maybe.union_with(&others);
        }
        let gate = Arc::new(gate);
        self.gates.insert(key, Arc::clone(&gate));
        gate
    }

    /// The SCP or RCP gates of principals of `account` (empty when the
    /// organization policies do not apply there).
    fn org_gates(&mut self, account: AccountId, kind: PolicyKind) -> Vec<Arc<Gate>> {
        let org = self.org;
        let acct = org.account(account);
        let (ty, gate_kind) = match kind {
            PolicyKind::Scp => (OrgPolicyType::ServiceControlPolicy, GateKind::Scp),
            _ => (OrgPolicyType::ResourceControlPolicy, GateKind::Rcp),
        };
        if acct.is_management || !org.policy_types.contains(&ty) {
            return Vec::new();
        }
        let mut out = Vec::new();
        let mut chain = String::new();
        for (target, ids) in org.levels(account, kind) {
            let label: Arc<str> = match target {
                Target::Root => {
                    chain = "Root".to_string();
                    "Root".into()
                }
                Target::Ou(id) => {
                    chain = format!("{chain} → {}", org.ou(id).name);
                    chain.as_str().into()
                }
                Target::Account(_) => "account".into(),
            };
            let mut policies = Vec::new();
            let default = match kind {
                PolicyKind::Scp => org.has_full_aws_access(target),
                _ => org.keep_rcp_full_aws_access,
            };
            if default {
                policies.push(match kind {
                    PolicyKind::Scp => Arc::clone(&self.full_scp),
                    _ => Arc::clone(&self.full_rcp),
                });
            }
            for id in ids {
                policies.push(self.ir(id));
            }
            out.push(self.gate(gate_kind, Some(label), policies));
        }
        out
    }

    /// The identity policies and the boundary of a principal.
    fn principal_policies(
        &mut self,
        p: &PrincipalRef,
    ) -> (Vec<Arc<PolicyBits>>, Option<Arc<PolicyBits>>) {
        let org = self.org;
        let (managed, inline, boundary): (&[ManagedRef], Vec<PolicyId>, Option<&ManagedRef>) =
            match p {
                PrincipalRef::PermissionSet { permission_set, .. } => {
                    let ps = org.permission_set(*permission_set);
                    (
                        &ps.managed,
                        ps.inline.into_iter().collect(),
                        ps.boundary.as_ref(),
                    )
                }
                PrincipalRef::Role { role } => {
                    let r = org.role(*role);
                    (&r.managed, r.inline.clone(), r.boundary.as_ref())
                }
                PrincipalRef::BreakGlass { index } => match org.break_glass.get(*index) {
                    Some(u) => (&u.managed, u.group_inline.clone(), None),
                    None => (&[], Vec::new(), None),
                },
            };
        let mut identity: Vec<Arc<PolicyBits>> =
            managed.iter().map(|m| self.managed_ref(m)).collect();
        identity.extend(inline.into_iter().map(|id| self.ir(id)));
        let boundary = boundary.map(|b| self.managed_ref(b));
        (identity, boundary)
    }
}

/// The account a principal acts in, and whether it is a service-linked role
/// (which SCPs and RCPs do not govern): a name starting with
/// `AWSServiceRoleFor`, as the engine reads the role's session ARN (which
/// carries no path).
fn account_of(org: &Org, p: &PrincipalRef) -> (AccountId, bool) {
    match p {
        PrincipalRef::PermissionSet { account, .. } => (*account, false),
        PrincipalRef::Role { role } => {
            let r = org.role(*role);
            (r.account, r.name.starts_with("AWSServiceRoleFor"))
        }
        PrincipalRef::BreakGlass { index } => (
            org.break_glass
                .get(*index)
                .map_or(AccountId(0), |u| u.account),
            false,
        ),
    }
}

/// The matrix of `org`.
pub fn compute_with(org: &Org, options: Options) -> Matrix {
    let mut b = Builder::new(org);
    let principals = enumerate(org);

    // per account: the SCP and RCP gates, one shared list per distinct chain
    // (gates are interned: equal pointers, equal gates)
    let mut chains: Vec<Option<Arc<Vec<Arc<Gate>>>>> = vec![None; org.accounts.len()];
    let mut chain_index: HashMap<Vec<usize>, Arc<Vec<Arc<Gate>>>> = HashMap::new();
    let no_chain: Arc<Vec<Arc<Gate>>> = Arc::new(Vec::new());
    // per permission set: its identity and boundary gates (the same in every account)
    let mut ps_gates: HashMap<u32, (Arc<Gate>, Option<Arc<Gate>>)> = HashMap::new();

    // class key: (chain, identity gate, boundary gate) pointers
    let mut class_index: HashMap<(usize, usize, usize), u32> = HashMap::new();
    let mut class_inputs: Vec<Arc<Inputs>> = Vec::new();
    let mut entries = Vec::with_capacity(principals.len());

    for p in principals {
        let (account, service_linked) = account_of(org, &p);
        let chain = if service_linked {
            Arc::clone(&no_chain)
        } else {
            let i = account.index();
            match &chains[i] {
                Some(c) => Arc::clone(c),
                None => {
                    let mut gates = b.org_gates(account, PolicyKind::Scp);
                    gates.extend(b.org_gates(account, PolicyKind::Rcp));
                    let c = if gates.is_empty() {
                        Arc::clone(&no_chain)
                    } else {
                        let key: Vec<usize> =
                            gates.iter().map(|g| Arc::as_ptr(g) as usize).collect();
                        Arc::clone(chain_index.entry(key).or_insert_with(|| Arc::new(gates)))
                    };
                    chains[i] = Some(Arc::clone(&c));
                    c
                }
            }
        };
        let cached = match &p {
            PrincipalRef::PermissionSet { permission_set, .. } => {
                ps_gates.get(&permission_set.0).cloned()
            }
            _ => None,
        };
        let (identity, boundary) = match cached {
            Some(g) => g,
            None => {
                let (identity, boundary) = b.principal_policies(&p);
                let g = (
                    b.gate(GateKind::Identity, None, identity),
                    boundary.map(|bd| b.gate(GateKind::Boundary, None, vec![bd])),
                );
                if let PrincipalRef::PermissionSet { permission_set, .. } = &p {
                    ps_gates.insert(permission_set.0, g.clone());
                }
                g
            }
        };
        let key = (
            Arc::as_ptr(&chain) as usize,
            Arc::as_ptr(&identity) as usize,
            boundary.as_ref().map_or(0, |g| Arc::as_ptr(g) as usize),
        );
        let next = u32::try_from(class_inputs.len()).unwrap_or(u32::MAX);
        let class = *class_index.entry(key).or_insert_with(|| {
            let mut gates: Vec<Arc<Gate>> = chain.iter().cloned().collect();
            gates.push(identity);
            gates.extend(boundary);
            class_inputs.push(Arc::new(Inputs { gates }));
            next
        });
        entries.push(Entry {
            principal: display(org, &p),
            principal_ref: p,
            account,
            account_name: org.account(account).name.clone(),
            class,
        });
    }
    entries.sort_by(|a, c| {
        (a.principal.as_str(), a.account_name.as_str())
            .cmp(&(c.principal.as_str(), c.account_name.as_str()))
    });

    let mask = &b.rcp_mask;
    let classes = compute_classes(class_inputs, mask, options.threads);
    let mut issues = b.issues;
    issues.sort();
    issues.dedup();
    Matrix {
        entries,
        classes,
        issues,
    }
}

fn compute_classes(
    inputs: Vec<Arc<Inputs>>,
    mask: &ActionSet,
    threads: usize,
) -> Vec<Arc<ActionSets>> {
    let threads = threads.max(1).min(inputs.len().max(1));
    if threads == 1 {
        return inputs
            .into_iter()
            .map(|i| Arc::new(ActionSets::compute(i, mask)))
            .collect();
    }
    let chunk = inputs.len().div_ceil(threads);
    std::thread::scope(|s| {
        let handles: Vec<_> = inputs
            .chunks(chunk)
            .map(|part| {
                s.spawn(move || {
                    part.iter()
                        .map(|i| Arc::new(ActionSets::compute(Arc::clone(i), mask)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let mut out = Vec::with_capacity(inputs.len());
        for (h, part) in handles.into_iter().zip(inputs.chunks(chunk)) {
            match h.join() {
                Ok(done) => out.extend(done),
                // a worker that died: do its share here (keeps indices right)
                Err(_) => out.extend(
                    part.iter()
                        .map(|i| Arc::new(ActionSets::compute(Arc::clone(i), mask))),
                ),
            }
        }
        out
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde_json::json;

    use super::*;
    use crate::org::builder::{OrgBuilder, PermissionSetSpec};
    use crate::org::{AssignmentPrincipal, Origin};

    fn origin() -> Origin {
        Origin::new("test", None)
    }

    fn id(name: &str) -> ActionId {
        catalog().action(name).unwrap()
    }

    /// Root denies leaving the organization; OU `B`'s account `b1` also has
    /// its own SCP denying `s3:*`. One admin permission set everywhere.
    fn org() -> Org {
        let mut b = OrgBuilder::new("t", "t.yaml", "us-east-1");
        let root = b.root();
        let ou_a = b.ou(root, "A", origin());
        let ou_b = b.ou(root, "B", origin());
        let mgmt = b.account("management", "m@x.example", root, true, origin());
        let a1 = b.account("a1", "a1@x.example", ou_a, false, origin());
        let a2 = b.account("a2", "a2@x.example", ou_a, false, origin());
        let b1 = b.account("b1", "b1@x.example", ou_b, false, origin());
        let deny_leave = b.policy(
            PolicyKind::Scp,
            "deny-leave",
            json!({"Version": "2012-10-17", "Statement": [{"Sid": "NoLeave", "Effect": "Deny",
                "Action": "organizations:LeaveOrganization", "Resource": "*"}]}),
            origin(),
        );
        b.attach(deny_leave, Target::Root, origin());
        let deny_s3 = b.policy(
            PolicyKind::Scp,
            "deny-s3",
            json!({"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*"}]}),
            origin(),
        );
        b.attach(deny_s3, Target::Account(b1), origin());
        let inline = b.policy(
            PolicyKind::PermissionSetInline,
            "admin",
            json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}),
            origin(),
        );
        let ps = b.permission_set(PermissionSetSpec {
            name: "Admin".into(),
            description: String::new(),
            session_duration: "PT1H".into(),
            relay_state: None,
            managed: Vec::new(),
            inline: Some(inline),
            boundary: None,
            tags: BTreeMap::new(),
            origin: origin(),
        });
        for a in [mgmt, a1, a2, b1] {
            b.assign(
                AssignmentPrincipal::Group("admins".into()),
                ps,
                a,
                Target::Account(a),
                origin(),
            );
        }
        b.finish()
    }

    #[test]
    fn accounts_with_the_same_chain_share_a_class() {
        let org = org();
        let m = compute_with(&org, Options { threads: 1 });
        let class = |acct: &str| {
            let e = m
                .entry_list()
                .iter()
                .find(|e| e.account_name == acct)
                .unwrap();
            m.class_of(e)
        };
        assert_eq!(m.len(), 4);
        assert_eq!(class("a1"), class("a2"));
        assert_ne!(class("a1"), class("b1"));
        assert_ne!(class("a1"), class("management"));
        assert_eq!(m.class_count(), 3);
        // the same answers with two threads
        let m2 = compute_with(&org, Options { threads: 2 });
        for ((p1, a1, s1), (p2, a2, s2)) in m.entries().zip(m2.entries()) {
            assert_eq!((p1, a1), (p2, a2));
            assert_eq!(s1.allowed(), s2.allowed());
            assert_eq!(s1.denied_explicit(), s2.denied_explicit());
        }
    }

    #[test]
    fn denials_name_the_level_and_the_management_account_is_exempt() {
        let org = org();
        let m = compute(&org);
        let leave = id("organizations:LeaveOrganization");
        let get = id("s3:GetObject");
        let a1 = m.get("permission_set:Admin@a1", "a1").unwrap();
        assert_eq!(a1.status(leave), Status::DeniedExplicit);
        let d = a1.explicit_denial(leave).unwrap();
        assert_eq!(
            (
                d.gate,
                d.level.as_deref(),
                d.policy.as_str(),
                d.statement.as_str()
            ),
            (GateKind::Scp, Some("Root"), "scp:deny-leave", "NoLeave")
        );
        assert_eq!(a1.status(get), Status::Allowed);
        let b1 = m.get("permission_set:Admin@b1", "b1").unwrap();
        let d = b1.explicit_denial(get).unwrap();
        assert_eq!(d.level.as_deref(), Some("account"));
        assert_eq!(
            b1.denied_explicit().count(),
            1 + catalog().service("s3").unwrap().action_count()
        );
        let mgmt = m
            .get("permission_set:Admin@management", "management")
            .unwrap();
        assert_eq!(mgmt.allowed().count(), catalog().action_count());
        assert!(m.get("permission_set:Admin@nowhere", "nowhere").is_none());
    }
}
