//! From the compiled organization to engine inputs.
//!
//! [`OrgEngine`] compiles every policy of an [`Org`] once (placeholders
//! replaced with [`Org::synthetic_ids`], shared with `Arc`) and answers, for a
//! principal of the organization ([`PrincipalRef`]) and a request (action,
//! resource, context), with the [`PolicySet`] and [`Request`] AWS would
//! evaluate:
//!
//! - **who**: a permission set in an account is the role Identity Center
//!   creates there, `arn:aws:iam::ACCT:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_<Name>_<hex>`,
//!   acting as the session `arn:aws:sts::ACCT:assumed-role/AWSReservedSSO_<Name>_<hex>/landform`
//!   (the 16 hex digits are derived from the organization and permission set
//!   names: AWS picks them at random); a role acts as its session
//!   `arn:aws:sts::ACCT:assumed-role/NAME/landform`; a break-glass user as
//!   `arn:aws:iam::ACCT:user/NAME`;
//! - **identity policies**: the managed policies (customer-managed from the
//!   IR, AWS-managed from [`aws_managed`]) and inline policies; a break-glass
//!   user gets its group's; **boundary**: the permission set's or role's;
//! - **SCP levels**: root → each OU → the account, each level the SCPs
//!   attached there plus AWS's default `FullAWSAccess` where the organization
//!   keeps it; none for the management account (SCPs do not apply to it) nor
//!   when SCPs are not enabled; **RCP levels** likewise for the resource's
//!   account, with `RCPFullAWSAccess`;
//! - **resource policy**: for `sts:AssumeRole` (and the other trust actions)
//!   on a role of the organization, that role's trust policy;
//! - **context** derived as AWS derives it, unless the caller gives the key:
//!   `aws:PrincipalArn` (the role ARN with its path), `aws:PrincipalAccount`,
//!   `aws:PrincipalOrgID`, `aws:PrincipalTag/*` (role tags; a permission
//!   set's session tags), `aws:RequestedRegion` (the home region) and
//!   `aws:SecureTransport` (`true`: SDKs and the CLI use TLS).
//!
//! Every policy and level carries a label (`scp:landform-region-lock`,
//! `aws-managed:ReadOnlyAccess`, `Root → Workloads → Prod`), so traces read
//! like the blueprint.
//!
//! Policies the engine has no document for (an AWS-managed policy landform
//! does not ship or does not know, a customer-managed policy the blueprint
//! does not define) and documents that do not parse are listed in
//! [`OrgEngine::issues`]; what they stand for in a question is the caller's
//! choice ([`Assume`]).

pub mod aws_managed;
pub mod reference;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use crate::org::{
    AccountId, ManagedRef, Org, OrgPolicyType, Origin, Placeholder, PolicyId, PolicyKind,
    PrincipalRef, RoleId, SyntheticIds, Target,
};
use crate::policy::ast::Policy;
use crate::policy::eval::{
    CompiledPolicy, Context, Decision, Evaluation, Level, PolicyRef, PolicySet, Principal, Request,
    decide, explain,
};
use crate::policy::parse::policy_from_json_value;

pub use reference::{RefError, display, enumerate, resolve};

/// The session name landform uses for roles and permission sets.
pub const SESSION_NAME: &str = "landform";

/// What a policy the engine has no document for stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Assume {
    /// It grants nothing (an unknown boundary then allows nothing).
    Nothing,
    /// It allows everything (the worst case when asking whether something is denied).
    Everything,
}

/// A request: action, resource and context (values may hold placeholders).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    pub action: String,
    pub resource: String,
    pub context: BTreeMap<String, Vec<String>>,
}

impl Query {
    pub fn new(action: impl Into<String>, resource: impl Into<String>) -> Self {
        Self {
            action: action.into(),
            resource: resource.into(),
            context: BTreeMap::new(),
        }
    }

    /// Adds a single-valued context key.
    pub fn with(mut self, key: &str, value: impl Into<String>) -> Self {
        self.context.insert(key.to_string(), vec![value.into()]);
        self
    }

    /// Adds a multi-valued context key.
    pub fn with_all(mut self, key: &str, values: &[&str]) -> Self {
        self.context.insert(
            key.to_string(),
            values.iter().map(|v| (*v).to_string()).collect(),
        );
        self
    }
}

/// A principal as the engine sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrincipalInfo {
    /// `permission_set:ProdReadOnly@payments-prod`.
    pub display: String,
    /// The account it acts in.
    pub account: AccountId,
    /// The ARN that makes requests (a session for roles and permission sets).
    pub arn: String,
    /// `aws:PrincipalArn`: the role ARN with its path, or the user ARN.
    pub principal_arn: String,
    /// Principal tags with known values.
    pub tags: BTreeMap<String, String>,
}

/// A policy the engine cannot use as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IssueKind {
    /// A document of the IR does not parse as an IAM policy.
    Unparseable { policy: PolicyId, error: String },
    /// An ARN that is not an AWS-managed policy landform knows.
    UnknownAwsManaged {
        arn: String,
        suggestion: Option<String>,
    },
    /// A real AWS-managed policy whose document landform does not ship.
    NotShipped { arn: String },
    /// A customer-managed policy referenced by name that the blueprint does not define.
    UndefinedCustomerManaged { name: String },
}

/// One [`IssueKind`] and the elements that use the policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub kind: IssueKind,
    /// Where it is referenced (permission sets, roles, break-glass users), in IR order.
    pub used_by: Vec<Origin>,
}

/// A managed policy reference, resolved.
#[derive(Debug, Clone)]
enum Resolved {
    Known(PolicyRef),
    /// No document; the label to use for a stand-in.
    Missing(Arc<str>),
}

/// The organization, compiled for the engine.
pub struct OrgEngine<'o> {
    org: &'o Org,
    ids: SyntheticIds,
    /// By policy id; `None` when the document does not parse.
    compiled: Vec<Option<Arc<CompiledPolicy>>>,
    /// Managed references → resolved policy, keyed by ARN or customer name.
    managed: HashMap<String, Resolved>,
    /// Per account: the SCP levels (`None`: SCPs do not apply there).
    scp_levels: Vec<Option<Vec<Level>>>,
    rcp_levels: Vec<Option<Vec<Level>>>,
    /// Synthetic account id → account.
    by_id: HashMap<String, AccountId>,
    /// (account, role name) → the roles of that name there, in IR order.
    roles_by_name: HashMap<(AccountId, String), Vec<RoleId>>,
    allow_all: Arc<CompiledPolicy>,
    empty: Arc<CompiledPolicy>,
    issues: Vec<Issue>,
}

fn empty_policy() -> Policy {
    Policy {
        version: None,
        id: None,
        statements: Vec::new(),
        single_statement: false,
        range: Default::default(),
    }
}

fn compile_value(doc: &serde_json::Value) -> Result<Arc<CompiledPolicy>, String> {
    policy_from_json_value(doc)
        .map(|p| Arc::new(CompiledPolicy::compile(&p)))
        .map_err(|e| e.to_string())
}

fn allow_all_policy() -> Arc<CompiledPolicy> {
    let doc = serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{"Sid": "AllowAll", "Effect": "Allow", "Action": "*", "Resource": "*"}]
    });
    compile_value(&doc).unwrap_or_else(|_| Arc::new(CompiledPolicy::compile(&empty_policy())))
}

/// FNV-1a (for stable synthetic names, not for security).
fn fnv1a(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The name of the role Identity Center creates for a permission set:
/// `AWSReservedSSO_<Name>_<16 hex digits>`.
pub fn sso_role_name(org: &Org, permission_set: &str) -> String {
    let h = fnv1a(&format!("{}/{permission_set}", org.name));
    format!("AWSReservedSSO_{permission_set}_{h:016x}")
}

/// `arn:aws:iam::ACCT:role` + path + name (path `/` or `/a/b/`).
pub fn role_arn(account: &str, path: &str, name: &str) -> String {
    let path = if path.is_empty() { "/" } else { path };
    let path = if path.starts_with('/') {
        path.to_string()
    } else {
        format!("/{path}")
    };
    let path = if path.ends_with('/') {
        path
    } else {
        format!("{path}/")
    };
    format!("arn:aws:iam::{account}:role{path}{name}")
}

/// `Root → Workloads → Prod`.
fn level_label(org: &Org, target: Target, chain: &str) -> String {
    match target {
        Target::Root => "Root".to_string(),
        Target::Ou(id) => format!("{chain} → {}", org.ou(id).name),
        Target::Account(id) => format!("account {}", org.account(id).name),
    }
}

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

impl<'o> OrgEngine<'o> {
    /// Compiles every policy of `org`.
    pub fn new(org: &'o Org) -> Self {
        let ids = org.synthetic_ids();
        let by_name: HashMap<&str, &str> = org
            .accounts
            .iter()
            .zip(&ids.accounts)
            .map(|(a, id)| (a.name.as_str(), id.as_str()))
            .collect();
        let mut issues: Vec<Issue> = Vec::new();
        let compiled = org
            .policies
            .iter()
            .map(|p| {
                let doc = Placeholder::substitute(&p.document, &mut |ph| match ph {
                    Placeholder::OrgId => ids.org_id.clone(),
                    Placeholder::AccountId(name) => by_name
                        .get(name.as_str())
                        .map_or_else(|| ph.to_string(), |id| (*id).to_string()),
                });
                match compile_value(&doc) {
                    Ok(c) => Some(c),
                    Err(error) => {
                        issues.push(Issue {
                            kind: IssueKind::Unparseable {
                                policy: p.id,
                                error,
                            },
                            used_by: vec![p.origin.clone()],
                        });
                        None
                    }
                }
            })
            .collect();
        let by_id = ids
            .accounts
            .iter()
            .enumerate()
            .map(|(i, id)| (id.clone(), AccountId(u32::try_from(i).unwrap_or(u32::MAX))))
            .collect();
        let mut engine = OrgEngine {
            org,
            ids,
            compiled,
            managed: HashMap::new(),
            scp_levels: Vec::new(),
            rcp_levels: Vec::new(),
            by_id,
            roles_by_name: {
                let mut m: HashMap<(AccountId, String), Vec<RoleId>> = HashMap::new();
                for r in &org.roles {
                    m.entry((r.account, r.name.clone())).or_default().push(r.id);
                }
                m
            },
            allow_all: allow_all_policy(),
            empty: Arc::new(CompiledPolicy::compile(&empty_policy())),
            issues,
        };
        engine.resolve_managed();
        engine.scp_levels = (0..org.accounts.len())
            .map(|i| {
                engine.build_levels(
                    AccountId(u32::try_from(i).unwrap_or(u32::MAX)),
                    PolicyKind::Scp,
                )
            })
            .collect();
        engine.rcp_levels = (0..org.accounts.len())
            .map(|i| {
                engine.build_levels(
                    AccountId(u32::try_from(i).unwrap_or(u32::MAX)),
                    PolicyKind::Rcp,
                )
            })
            .collect();
        engine
    }

    pub fn org(&self) -> &'o Org {
        self.org
    }

    pub fn ids(&self) -> &SyntheticIds {
        &self.ids
    }

    /// The policies the engine cannot use as written.
    pub fn issues(&self) -> &[Issue] {
        &self.issues
    }

    /// The policy that allows every action on every resource (AWS's
    /// `FullAWSAccess` has this document; probes use it as their identity).
    pub fn allow_all(&self) -> &Arc<CompiledPolicy> {
        &self.allow_all
    }

    /// The compiled document of an IR policy (`None` if it does not parse).
    pub fn compiled(&self, id: PolicyId) -> Option<&Arc<CompiledPolicy>> {
        self.compiled.get(id.index()).and_then(Option::as_ref)
    }

    /// The document of an IR policy with placeholders replaced by the
    /// synthetic ids (what the engine evaluates).
    pub fn document(&self, id: PolicyId) -> serde_json::Value {
        let doc = &self.org.policy(id).document;
        Placeholder::substitute(doc, &mut |ph| match ph {
            Placeholder::OrgId => self.ids.org_id.clone(),
            Placeholder::AccountId(name) => self
                .org
                .account_by_name(name)
                .map_or_else(|| ph.to_string(), |a| self.account_id(a.id).to_string()),
        })
    }

    /// The JSON documents of a principal's identity policies and boundary
    /// (AWS-managed ones from [`aws_managed`]; unknown ones are left out).
    pub fn documents(
        &self,
        p: &PrincipalRef,
    ) -> (Vec<serde_json::Value>, Option<serde_json::Value>) {
        let org = self.org;
        let managed_doc = |m: &ManagedRef| -> Option<serde_json::Value> {
            match m {
                ManagedRef::Aws { arn } => match aws_managed::lookup(arn) {
                    aws_managed::Lookup::Shipped { policy, .. } => Some(policy.document.clone()),
                    _ => None,
                },
                ManagedRef::Customer(c) => c.policy.map(|id| self.document(id)),
            }
        };
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
        let mut docs: Vec<serde_json::Value> = managed.iter().filter_map(managed_doc).collect();
        docs.extend(inline.into_iter().map(|id| self.document(id)));
        (docs, boundary.and_then(managed_doc))
    }

    /// A label for an IR policy: `scp:landform-region-lock`.
    pub fn label(&self, id: PolicyId) -> String {
        let p = self.org.policy(id);
        format!("{}:{}", kind_prefix(p.kind), p.name)
    }

    fn policy_ref(&self, id: PolicyId) -> Option<PolicyRef> {
        self.compiled(id)
            .map(|c| PolicyRef::labelled(Arc::clone(c), self.label(id)))
    }

    /// The synthetic 12-digit id of an account.
    pub fn account_id(&self, account: AccountId) -> &str {
        self.ids
            .accounts
            .get(account.index())
            .map_or("000000000000", String::as_str)
    }

    /// The account with this (synthetic or given) 12-digit id.
    pub fn account_by_id(&self, id: &str) -> Option<AccountId> {
        self.by_id.get(id).copied()
    }

    /// Replaces placeholders in a string (account names → synthetic ids).
    pub fn substitute(&self, s: &str) -> String {
        let v =
            Placeholder::substitute(
                &serde_json::Value::String(s.to_string()),
                &mut |ph| match ph {
                    Placeholder::OrgId => self.ids.org_id.clone(),
                    Placeholder::AccountId(name) => self
                        .org
                        .account_by_name(name)
                        .map_or_else(|| ph.to_string(), |a| self.account_id(a.id).to_string()),
                },
            );
        match v {
            serde_json::Value::String(s) => s,
            _ => s.to_string(),
        }
    }

    fn managed_key(r: &ManagedRef) -> String {
        match r {
            ManagedRef::Aws { arn } => arn.clone(),
            ManagedRef::Customer(c) => format!("customer:{}{}", c.path, c.name),
        }
    }

    fn resolve_managed(&mut self) {
        let org = self.org;
        let mut uses: Vec<(&ManagedRef, &Origin)> = Vec::new();
        for ps in &org.permission_sets {
            uses.extend(
                ps.managed
                    .iter()
                    .chain(&ps.boundary)
                    .map(|m| (m, &ps.origin)),
            );
        }
        for r in &org.roles {
            uses.extend(r.managed.iter().chain(&r.boundary).map(|m| (m, &r.origin)));
        }
        for u in &org.break_glass {
            uses.extend(u.managed.iter().map(|m| (m, &u.origin)));
        }
        for (m, origin) in uses {
            let key = Self::managed_key(m);
            if let Some(resolved) = self.managed.get(&key) {
                if matches!(resolved, Resolved::Missing(_))
                    && let Some(issue) = self.issues.iter_mut().find(|i| match (&i.kind, m) {
                        (IssueKind::UnknownAwsManaged { arn, .. }, ManagedRef::Aws { arn: a })
                        | (IssueKind::NotShipped { arn }, ManagedRef::Aws { arn: a }) => arn == a,
                        (IssueKind::UndefinedCustomerManaged { name }, ManagedRef::Customer(c)) => {
                            *name == c.name
                        }
                        _ => false,
                    })
                    && !issue.used_by.contains(origin)
                {
                    issue.used_by.push(origin.clone());
                }
                continue;
            }
            let resolved = match m {
                ManagedRef::Customer(c) => match c.policy {
                    Some(id) => match self.policy_ref(id) {
                        Some(p) => Resolved::Known(p),
                        None => Resolved::Missing(format!("policy:{}", c.name).into()),
                    },
                    None => {
                        self.issues.push(Issue {
                            kind: IssueKind::UndefinedCustomerManaged {
                                name: c.name.clone(),
                            },
                            used_by: vec![origin.clone()],
                        });
                        Resolved::Missing(format!("policy:{}", c.name).into())
                    }
                },
                ManagedRef::Aws { arn } => match aws_managed::lookup(arn) {
                    aws_managed::Lookup::Shipped { name, policy } => {
                        match compile_value(&policy.document) {
                            Ok(c) => {
                                let label = match aws_managed::split_arn(arn) {
                                    Some(("/", n)) => format!("aws-managed:{n}"),
                                    Some((p, n)) => {
                                        format!("aws-managed:{}{n}", p.trim_start_matches('/'))
                                    }
                                    None => format!("aws-managed:{name}"),
                                };
                                Resolved::Known(PolicyRef::labelled(c, label))
                            }
                            Err(_) => Resolved::Missing(format!("aws-managed:{name}").into()),
                        }
                    }
                    aws_managed::Lookup::NotShipped { name } => {
                        self.issues.push(Issue {
                            kind: IssueKind::NotShipped { arn: arn.clone() },
                            used_by: vec![origin.clone()],
                        });
                        Resolved::Missing(format!("aws-managed:{name}").into())
                    }
                    aws_managed::Lookup::Unknown { suggestion } => {
                        self.issues.push(Issue {
                            kind: IssueKind::UnknownAwsManaged {
                                arn: arn.clone(),
                                suggestion: suggestion.map(str::to_string),
                            },
                            used_by: vec![origin.clone()],
                        });
                        let name = arn.rsplit('/').next().unwrap_or(arn);
                        Resolved::Missing(format!("aws-managed:{name}").into())
                    }
                },
            };
            self.managed.insert(key, resolved);
        }
    }

    /// Whether a principal uses a policy the engine has no document for.
    pub fn unknown_policies(&self, p: &PrincipalRef) -> Vec<String> {
        let mut out: Vec<String> = self
            .managed_refs(p)
            .into_iter()
            .filter_map(|m| match self.managed.get(&Self::managed_key(m)) {
                Some(Resolved::Missing(label)) => Some(label.to_string()),
                _ => None,
            })
            .collect();
        out.sort();
        out.dedup();
        out
    }

    fn managed_refs(&self, p: &PrincipalRef) -> Vec<&'o ManagedRef> {
        let org = self.org;
        match p {
            PrincipalRef::PermissionSet { permission_set, .. } => {
                let ps = org.permission_set(*permission_set);
                ps.managed.iter().chain(&ps.boundary).collect()
            }
            PrincipalRef::Role { role } => {
                let r = org.role(*role);
                r.managed.iter().chain(&r.boundary).collect()
            }
            PrincipalRef::BreakGlass { index } => org
                .break_glass
                .get(*index)
                .map(|u| u.managed.iter().collect())
                .unwrap_or_default(),
        }
    }

    fn managed_ref(&self, m: &ManagedRef, assume: Assume) -> PolicyRef {
        match self.managed.get(&Self::managed_key(m)) {
            Some(Resolved::Known(p)) => p.clone(),
            Some(Resolved::Missing(label)) => self.stand_in(label, assume),
            None => self.stand_in(&Arc::from("unknown"), assume),
        }
    }

    fn stand_in(&self, label: &Arc<str>, assume: Assume) -> PolicyRef {
        match assume {
            Assume::Nothing => PolicyRef::labelled(
                Arc::clone(&self.empty),
                format!("{label} (no document: assumed to grant nothing)"),
            ),
            Assume::Everything => PolicyRef::labelled(
                Arc::clone(&self.allow_all),
                format!("{label} (no document: assumed to allow everything)"),
            ),
        }
    }

    fn build_levels(&self, account: AccountId, kind: PolicyKind) -> Option<Vec<Level>> {
        let org = self.org;
        let acct = org.account(account);
        let (ty, default_kept, default_label) = match kind {
            PolicyKind::Scp => (
                OrgPolicyType::ServiceControlPolicy,
                org.keep_full_aws_access,
                "scp:FullAWSAccess",
            ),
            _ => (
                OrgPolicyType::ResourceControlPolicy,
                org.keep_rcp_full_aws_access,
                "rcp:RCPFullAWSAccess",
            ),
        };
        if acct.is_management || !org.policy_types.contains(&ty) {
            return None;
        }
        let mut chain = String::new();
        let mut out = Vec::new();
        for (target, ids) in org.levels(account, kind) {
            let label = level_label(org, target, &chain);
            if !matches!(target, Target::Account(_)) {
                chain.clone_from(&label);
            }
            let mut policies = Vec::new();
            let has_default = match kind {
                PolicyKind::Scp => org.has_full_aws_access(target),
                _ => default_kept,
            };
            if has_default {
                policies.push(PolicyRef::labelled(
                    Arc::clone(&self.allow_all),
                    default_label,
                ));
            }
            for id in ids {
                match self.policy_ref(id) {
                    Some(p) => policies.push(p),
                    // an unparseable organization policy: reported as an issue;
                    // it contributes nothing
                    None => policies.push(PolicyRef::labelled(
                        Arc::clone(&self.empty),
                        format!("{} (does not parse)", self.label(id)),
                    )),
                }
            }
            out.push(Level {
                label: Some(label.into()),
                policies,
            });
        }
        Some(out)
    }

    /// The SCP levels that govern principals of `account` (`None` for the
    /// management account, or when SCPs are not enabled).
    pub fn scp_levels(&self, account: AccountId) -> Option<&[Level]> {
        self.scp_levels
            .get(account.index())
            .and_then(|l| l.as_deref())
    }

    /// The RCP levels that govern resources of `account`.
    pub fn rcp_levels(&self, account: AccountId) -> Option<&[Level]> {
        self.rcp_levels
            .get(account.index())
            .and_then(|l| l.as_deref())
    }

    /// Who a principal is.
    pub fn describe(&self, p: &PrincipalRef) -> PrincipalInfo {
        let org = self.org;
        let display = display(org, p);
        match p {
            PrincipalRef::PermissionSet {
                permission_set,
                account,
            } => {
                let ps = org.permission_set(*permission_set);
                let acct = self.account_id(*account);
                let role = sso_role_name(org, &ps.name);
                PrincipalInfo {
                    display,
                    account: *account,
                    arn: format!("arn:aws:sts::{acct}:assumed-role/{role}/{SESSION_NAME}"),
                    principal_arn: role_arn(acct, "/aws-reserved/sso.amazonaws.com/", &role),
                    tags: ps.session_tags.clone(),
                }
            }
            PrincipalRef::Role { role } => {
                let r = org.role(*role);
                let acct = self.account_id(r.account);
                PrincipalInfo {
                    display,
                    account: r.account,
                    arn: format!("arn:aws:sts::{acct}:assumed-role/{}/{SESSION_NAME}", r.name),
                    principal_arn: role_arn(acct, &r.path, &r.name),
                    tags: r.tags.clone(),
                }
            }
            PrincipalRef::BreakGlass { index } => {
                let (account, name) = org
                    .break_glass
                    .get(*index)
                    .map_or((AccountId(0), "unknown"), |u| (u.account, u.name.as_str()));
                let acct = self.account_id(account);
                let arn = format!("arn:aws:iam::{acct}:user/{name}");
                PrincipalInfo {
                    display,
                    account,
                    arn: arn.clone(),
                    principal_arn: arn,
                    tags: BTreeMap::new(),
                }
            }
        }
    }

    /// A probe: a role named `name` in `account` whose identity policy allows
    /// everything, with no boundary. Asking the engine as the probe isolates
    /// what the organization policies (SCPs, RCPs) decide.
    pub fn probe(&self, account: AccountId, name: &str) -> (PrincipalInfo, PolicySet) {
        let acct = self.account_id(account);
        let who = PrincipalInfo {
            display: format!(
                "a role `{name}` in account {}",
                self.org.account(account).name
            ),
            account,
            arn: format!("arn:aws:sts::{acct}:assumed-role/{name}/{SESSION_NAME}"),
            principal_arn: role_arn(acct, "/", name),
            tags: BTreeMap::new(),
        };
        let set = PolicySet {
            identity: vec![PolicyRef::labelled(
                Arc::clone(&self.allow_all),
                "probe:allow-everything",
            )],
            scp_levels: self.scp_levels(account).map(<[Level]>::to_vec),
            ..PolicySet::default()
        };
        (who, set)
    }

    /// The account root user of `account`.
    pub fn root_user(&self, account: AccountId) -> PrincipalInfo {
        let acct = self.account_id(account);
        let arn = format!("arn:aws:iam::{acct}:root");
        PrincipalInfo {
            display: format!(
                "the root user of account {}",
                self.org.account(account).name
            ),
            account,
            arn: arn.clone(),
            principal_arn: arn,
            tags: BTreeMap::new(),
        }
    }

    /// The identity policies of a principal.
    pub fn identity_policies(&self, p: &PrincipalRef, assume: Assume) -> Vec<PolicyRef> {
        let org = self.org;
        let mut out = Vec::new();
        let (managed, inline): (&[ManagedRef], Vec<PolicyId>) = match p {
            PrincipalRef::PermissionSet { permission_set, .. } => {
                let ps = org.permission_set(*permission_set);
                (&ps.managed, ps.inline.into_iter().collect())
            }
            PrincipalRef::Role { role } => {
                let r = org.role(*role);
                (&r.managed, r.inline.clone())
            }
            PrincipalRef::BreakGlass { index } => match org.break_glass.get(*index) {
                Some(u) => (&u.managed, u.group_inline.clone()),
                None => (&[], Vec::new()),
            },
        };
        for m in managed {
            out.push(self.managed_ref(m, assume));
        }
        for id in inline {
            match self.policy_ref(id) {
                Some(p) => out.push(p),
                None => out.push(self.stand_in(&Arc::from(self.label(id)), assume)),
            }
        }
        out
    }

    /// The permissions boundary of a principal, if it has one.
    pub fn boundary(&self, p: &PrincipalRef, assume: Assume) -> Option<PolicyRef> {
        let org = self.org;
        let b = match p {
            PrincipalRef::PermissionSet { permission_set, .. } => {
                org.permission_set(*permission_set).boundary.as_ref()
            }
            PrincipalRef::Role { role } => org.role(*role).boundary.as_ref(),
            PrincipalRef::BreakGlass { .. } => None,
        }?;
        Some(self.managed_ref(b, assume))
    }

    /// Every policy on the principal's side: identity, boundary, SCP levels.
    pub fn policy_set(&self, p: &PrincipalRef, assume: Assume) -> PolicySet {
        let who = self.describe(p);
        PolicySet {
            identity: self.identity_policies(p, assume),
            boundary: self.boundary(p, assume).map(|b| vec![b]),
            scp_levels: self.scp_levels(who.account).map(<[Level]>::to_vec),
            ..PolicySet::default()
        }
    }

    /// The request `who` makes, with the derived context.
    pub fn request(&self, who: &PrincipalInfo, q: &Query) -> Request {
        let mut ctx = Context::new();
        for (k, v) in &q.context {
            ctx.insert(k.clone(), v.iter().map(|s| self.substitute(s)).collect());
        }
        ctx.insert_default("aws:PrincipalArn", &who.principal_arn);
        ctx.insert_default("aws:PrincipalOrgID", &self.ids.org_id);
        for (k, v) in &who.tags {
            ctx.insert_default(&format!("aws:PrincipalTag/{k}"), v);
        }
        ctx.insert_default("aws:RequestedRegion", &self.org.home_region);
        ctx.insert_default("aws:SecureTransport", "true");
        let resource = if q.resource.is_empty() {
            "*".to_string()
        } else {
            self.substitute(&q.resource)
        };
        let resource_account = q
            .context
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("aws:ResourceAccount"))
            .and_then(|(_, v)| v.first())
            .map(|v| self.substitute(v));
        Request::new(
            Principal::parse(&who.arn),
            q.action.clone(),
            resource,
            resource_account,
            ctx,
        )
    }

    /// The role of the organization a resource ARN names, if any.
    pub fn role_at(&self, resource: &str) -> Option<RoleId> {
        let mut parts = resource.splitn(6, ':');
        let (Some("arn"), Some(_), Some("iam"), Some(_), Some(acct), Some(res)) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            return None;
        };
        let account = self.account_by_id(acct)?;
        let path_name = res.strip_prefix("role/")?;
        let name = path_name.rsplit('/').next().unwrap_or(path_name);
        let path = &path_name[..path_name.len() - name.len()];
        let path = format!("/{path}");
        self.roles_by_name
            .get(&(account, name.to_string()))?
            .iter()
            .map(|id| self.org.role(*id))
            .find(|r| r.path == path || path == "/" && r.path.is_empty())
            .map(|r| r.id)
    }

    /// Adds the resource side of `req` to `set`: the trust policy when the
    /// request assumes a role of the organization, and the RCP levels of the
    /// resource's account when it is an account of the organization.
    pub fn add_resource_side(&self, set: &mut PolicySet, req: &Request) {
        if let Some(acct) = req
            .resource_account
            .as_deref()
            .and_then(|a| self.account_by_id(a))
        {
            set.rcp_levels = self.rcp_levels(acct).map(<[Level]>::to_vec);
        }
        let action = req.action.to_ascii_lowercase();
        let trust_action = matches!(
            action.as_str(),
            "sts:assumerole"
                | "sts:assumerolewithsaml"
                | "sts:assumerolewithwebidentity"
                | "sts:tagsession"
                | "sts:setsourceidentity"
                | "sts:setcontext"
        );
        if trust_action
            && set.resource.is_none()
            && let Some(role) = self.role_at(&req.resource)
        {
            let r = self.org.role(role);
            set.resource = Some(match self.compiled(r.trust) {
                Some(c) => PolicyRef::labelled(Arc::clone(c), format!("trust:{}", r.name)),
                None => PolicyRef::labelled(
                    Arc::clone(&self.empty),
                    format!("trust:{} (does not parse)", r.name),
                ),
            });
        }
    }

    /// Everything the engine needs for `p` making `q`.
    pub fn prepare(&self, p: &PrincipalRef, q: &Query, assume: Assume) -> (PolicySet, Request) {
        let who = self.describe(p);
        let mut set = self.policy_set(p, assume);
        let req = self.request(&who, q);
        self.add_resource_side(&mut set, &req);
        (set, req)
    }

    /// The decision, explanation and trace for `p` making `q`.
    pub fn explain(&self, p: &PrincipalRef, q: &Query, assume: Assume) -> Evaluation {
        let (set, req) = self.prepare(p, q, assume);
        explain(&set, &req)
    }

    /// The decision alone.
    pub fn decide(&self, p: &PrincipalRef, q: &Query, assume: Assume) -> Decision {
        let (set, req) = self.prepare(p, q, assume);
        decide(&set, &req).decision
    }
}

#[cfg(test)]
pub(crate) mod testorg;
#[cfg(test)]
mod tests;
