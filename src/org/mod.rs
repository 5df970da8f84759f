//! The organization IR: what a blueprint compiles to, and what the checks, the
//! renderers and the access matrix read.
//!
//! Everything here is concrete: every policy document is the exact JSON that
//! will be sent to AWS, every assignment is a (principal, permission set,
//! account) triple, every role lives in one account. Nothing refers back to the
//! blueprint model except [`Origin`]s, which point at the blueprint lines that
//! produced an element so diagnostics can name them.
//!
//! Collections are `Vec`s indexed by typed ids and kept in a deterministic
//! order (sorted by their stable keys), so iterating an `Org` always yields the
//! same sequence for the same blueprint.
//!
//! ## Identifiers that only exist after deployment
//! Account ids of accounts the blueprint creates, the organization id and the
//! management account id are unknown when landform compiles. Policy documents
//! refer to them with [`Placeholder`] tokens embedded in strings, e.g.
//! `{{landform:account:payments-prod}}` or `{{landform:org_id}}`. Each renderer
//! replaces them with what its target language offers (a Terraform reference, a
//! shell variable looked up at run time); the engine-backed checks replace them
//! with deterministic synthetic ids ([`Org::synthetic_ids`]). Where a document
//! can avoid an id altogether with an IAM policy variable
//! (`${aws:PrincipalAccount}`), the compiler prefers that.

pub mod builder;
pub mod sample;

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

use crate::diagnostics::Span;

macro_rules! id_type {
    ($(#[$m:meta])* $name:ident) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        #[serde(transparent)]
        pub struct $name(pub u32);

        impl $name {
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    };
}

id_type!(
    /// Index into [`Org::ous`]. `OuId(0)` is the root.
    OuId
);
id_type!(
    /// Index into [`Org::accounts`].
    AccountId
);
id_type!(
    /// Index into [`Org::policies`].
    PolicyId
);
id_type!(
    /// Index into [`Org::permission_sets`].
    PermissionSetId
);
id_type!(
    /// Index into [`Org::roles`].
    RoleId
);

/// Where an element came from: the blueprint construct and, when known, the
/// span of the blueprint text that produced it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Origin {
    /// The blueprint construct, as a dotted path: `guardrails.region_lock`,
    /// `policies.scp.deny-risky-prod`, `identity_center.assignments[3]`.
    pub construct: String,
    #[serde(skip)]
    pub span: Option<Span>,
}

impl Origin {
    pub fn new(construct: impl Into<String>, span: Option<Span>) -> Self {
        Self {
            construct: construct.into(),
            span,
        }
    }
}

/// The whole compiled organization.
#[derive(Debug, Clone, Serialize)]
pub struct Org {
    pub name: String,
    /// The blueprint file, as given on the command line (for generated headers).
    pub blueprint: String,
    pub home_region: String,
    /// `SERVICE_CONTROL_POLICY`, `RESOURCE_CONTROL_POLICY` — enabled on the root.
    pub policy_types: Vec<OrgPolicyType>,
    /// Whether the default `FullAWSAccess` SCP stays attached to every target
    /// (it does unless the blueprint opts into an allow-list strategy).
    pub keep_full_aws_access: bool,
    /// Whether the default `RCPFullAWSAccess` stays attached to every target.
    pub keep_rcp_full_aws_access: bool,
    /// Targets the blueprint detaches the default `FullAWSAccess` SCP from
    /// (`full_aws_access: false` on the organization, an OU or an account),
    /// in IR order. Use [`Org::has_full_aws_access`].
    pub full_aws_access_detached: Vec<Target>,
    /// `ous[0]` is the root; the rest in depth-first order of sorted names.
    pub ous: Vec<Ou>,
    /// The management account first, then member accounts sorted by name.
    pub accounts: Vec<Account>,
    pub policies: Vec<Policy>,
    /// SCP/RCP attachments to the root, OUs and accounts.
    pub attachments: Vec<Attachment>,
    pub groups: Vec<Group>,
    pub users: Vec<IdentityCenterUser>,
    /// Identity Center's attributes for access control: tag key → the user
    /// attribute it is read from (`Project` → `${path:enterprise.department}`).
    /// Every Identity Center session carries these as principal tags, which
    /// ABAC policies read as `aws:PrincipalTag/<key>`.
    pub access_control_attributes: BTreeMap<String, String>,
    pub permission_sets: Vec<PermissionSet>,
    /// Expanded: one entry per (principal, permission set, account).
    pub assignments: Vec<Assignment>,
    /// Every IAM role, one entry per (role, account).
    pub roles: Vec<Role>,
    /// Break-glass IAM users.
    pub break_glass: Vec<BreakGlassUser>,
    /// The blueprint's `tests:` with principal references resolved.
    pub tests: Vec<TestCase>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum OrgPolicyType {
    ServiceControlPolicy,
    ResourceControlPolicy,
}

impl OrgPolicyType {
    pub fn as_str(self) -> &'static str {
        match self {
            OrgPolicyType::ServiceControlPolicy => "SERVICE_CONTROL_POLICY",
            OrgPolicyType::ResourceControlPolicy => "RESOURCE_CONTROL_POLICY",
        }
    }
}

/// An organizational unit (or the root, `OuId(0)`).
#[derive(Debug, Clone, Serialize)]
pub struct Ou {
    pub id: OuId,
    /// The OU's own name (`Prod`); `Root` for the root.
    pub name: String,
    /// The full path (`Workloads/Prod`); empty for the root.
    pub path: String,
    pub parent: Option<OuId>,
    pub children: Vec<OuId>,
    pub accounts: Vec<AccountId>,
    /// 0 for the root, 1 for a top-level OU, … (AWS allows 5).
    pub depth: u32,
    pub tags: BTreeMap<String, String>,
    /// A stable identifier for generated addresses (`workloads_prod`).
    pub key: String,
    pub origin: Origin,
}

impl Ou {
    pub fn is_root(&self) -> bool {
        self.parent.is_none()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Account {
    pub id: AccountId,
    pub name: String,
    pub email: String,
    /// The 12-digit id when the blueprint names an existing account.
    pub aws_account_id: Option<String>,
    /// The OU the account sits in (the root for the management account).
    pub ou: OuId,
    pub is_management: bool,
    pub tags: BTreeMap<String, String>,
    pub key: String,
    pub origin: Origin,
}

/// What kind of document a [`Policy`] is; decides where it is deployed and
/// which limits apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PolicyKind {
    /// A service control policy (organization, management account).
    Scp,
    /// A resource control policy (organization, management account).
    Rcp,
    /// A customer-managed IAM policy, created in each account that uses it.
    Managed,
    /// A customer-managed IAM policy used as a permissions boundary.
    Boundary,
    /// An inline policy of a role (or of a break-glass group).
    RoleInline,
    /// A role's trust policy (`AssumeRolePolicyDocument`).
    Trust,
    /// The inline policy of an Identity Center permission set.
    PermissionSetInline,
}

/// A concrete policy document.
#[derive(Debug, Clone, Serialize)]
pub struct Policy {
    pub id: PolicyId,
    pub kind: PolicyKind,
    /// The AWS name (policy name, or for trust/inline documents the role's
    /// name plus a suffix). Valid for AWS and stable across unrelated edits.
    pub name: String,
    pub description: String,
    /// IAM path for managed policies and boundaries (`/` by default).
    pub path: String,
    /// The exact document, with [`Placeholder`] tokens where ids are unknown.
    pub document: serde_json::Value,
    /// Accounts the policy is created in (for `Managed`/`Boundary`); empty for
    /// organization policies and for documents embedded in a role/permission set.
    pub accounts: Vec<AccountId>,
    pub origin: Origin,
    /// For a document compiled from several blueprint constructs (the
    /// guardrails attached to one target, merged into one SCP): each
    /// construct's origin, in statement order. Empty otherwise.
    pub parts: Vec<Origin>,
}

impl Policy {
    /// The document as AWS receives it for this kind: minified JSON for SCPs and
    /// RCPs (they count characters), pretty JSON otherwise. Deterministic.
    pub fn text(&self) -> String {
        let text = match self.kind {
            PolicyKind::Scp | PolicyKind::Rcp => serde_json::to_string(&self.document),
            _ => serde_json::to_string_pretty(&self.document),
        };
        text.unwrap_or_default()
    }
}

/// Where an organization policy is attached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(tag = "type", content = "id", rename_all = "snake_case")]
pub enum Target {
    Root,
    Ou(OuId),
    Account(AccountId),
}

#[derive(Debug, Clone, Serialize)]
pub struct Attachment {
    pub policy: PolicyId,
    pub target: Target,
    pub origin: Origin,
}

#[derive(Debug, Clone, Serialize)]
pub struct Group {
    pub name: String,
    pub description: String,
    pub origin: Origin,
}

#[derive(Debug, Clone, Serialize)]
pub struct IdentityCenterUser {
    pub user_name: String,
    pub display_name: String,
    pub email: String,
    pub groups: Vec<String>,
    pub origin: Origin,
}

/// A customer-managed policy referenced by name (and path) from a permission
/// set or role; it must exist in the target account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CustomerManagedRef {
    pub name: String,
    pub path: String,
    /// The IR policy that defines it, when the blueprint does.
    pub policy: Option<PolicyId>,
}

/// A managed policy attached to a role or permission set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ManagedRef {
    /// An AWS-managed policy, by ARN (`arn:aws:iam::aws:policy/ReadOnlyAccess`).
    Aws { arn: String },
    /// A customer-managed policy of the blueprint.
    Customer(CustomerManagedRef),
}

#[derive(Debug, Clone, Serialize)]
pub struct PermissionSet {
    pub id: PermissionSetId,
    pub name: String,
    pub description: String,
    /// ISO-8601 duration, e.g. `PT4H`.
    pub session_duration: String,
    pub relay_state: Option<String>,
    pub managed: Vec<ManagedRef>,
    pub inline: Option<PolicyId>,
    pub boundary: Option<ManagedRef>,
    pub tags: BTreeMap<String, String>,
    /// Session tags for this permission set's sessions. The blueprint model
    /// has no per-permission-set session tags (Identity Center sets session
    /// tags for every session from user attributes: see
    /// [`Org::access_control_attributes`]), so the compiler leaves this empty.
    pub session_tags: BTreeMap<String, String>,
    pub key: String,
    pub origin: Origin,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(tag = "type", content = "name", rename_all = "snake_case")]
pub enum AssignmentPrincipal {
    Group(String),
    User(String),
}

#[derive(Debug, Clone, Serialize)]
pub struct Assignment {
    pub principal: AssignmentPrincipal,
    pub permission_set: PermissionSetId,
    pub account: AccountId,
    /// The target written in the blueprint that reached this account (an OU,
    /// or the account itself).
    pub via: Target,
    pub origin: Origin,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum RoleKind {
    /// A workload or cross-account role written in the blueprint's `roles:`.
    Workload,
    /// The admin role of a delegated team (`delegation:`).
    DelegatedAdmin { team: String },
}

/// An IAM role in one account.
#[derive(Debug, Clone, Serialize)]
pub struct Role {
    pub id: RoleId,
    pub name: String,
    /// IAM path, `/` by default, `/team-app/` for delegated roles.
    pub path: String,
    pub account: AccountId,
    pub kind: RoleKind,
    pub description: String,
    /// The trust policy (a [`PolicyKind::Trust`] document).
    pub trust: PolicyId,
    pub managed: Vec<ManagedRef>,
    /// Inline policies ([`PolicyKind::RoleInline`]), in name order.
    pub inline: Vec<PolicyId>,
    pub boundary: Option<ManagedRef>,
    /// Maximum session duration in seconds (3600–43200).
    pub max_session_seconds: u32,
    pub tags: BTreeMap<String, String>,
    pub key: String,
    pub origin: Origin,
}

/// A break-glass IAM user (MFA-protected, in a group with the admin policy).
#[derive(Debug, Clone, Serialize)]
pub struct BreakGlassUser {
    pub name: String,
    pub account: AccountId,
    pub group: String,
    pub managed: Vec<ManagedRef>,
    /// Inline policy of the group (e.g. deny everything without MFA).
    pub group_inline: Vec<PolicyId>,
    pub key: String,
    pub origin: Origin,
}

/// A resolved principal of the organization, as `tests:` and the CLI name them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum PrincipalRef {
    /// `permission_set:NAME@ACCOUNT` — the role Identity Center creates.
    PermissionSet {
        permission_set: PermissionSetId,
        account: AccountId,
    },
    /// `role:NAME@ACCOUNT`.
    Role { role: RoleId },
    /// `user:NAME` — a break-glass user.
    BreakGlass { index: usize },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Expectation {
    /// The request is allowed.
    Allow,
    /// The request is denied, explicitly or implicitly.
    Deny,
    ExplicitDeny,
    ImplicitDeny,
}

/// One assertion of the blueprint's `tests:` section.
#[derive(Debug, Clone, Serialize)]
pub struct TestCase {
    /// The principal reference as written (`permission_set:ProdReadOnly@payments-prod`).
    pub principal_text: String,
    pub principal: PrincipalRef,
    pub action: String,
    pub resource: String,
    pub context: BTreeMap<String, Vec<String>>,
    pub expect: Expectation,
    pub name: Option<String>,
    pub origin: Origin,
}

/// A token standing for an identifier that only exists after deployment.
/// Written inside policy strings as `{{landform:…}}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Placeholder {
    /// `{{landform:org_id}}` — the organization id (`o-…`).
    OrgId,
    /// `{{landform:account:NAME}}` — the 12-digit id of account NAME.
    AccountId(String),
}

impl fmt::Display for Placeholder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Placeholder::OrgId => f.write_str("{{landform:org_id}}"),
            Placeholder::AccountId(name) => write!(f, "{{{{landform:account:{name}}}}}"),
        }
    }
}

impl Placeholder {
    const OPEN: &'static str = "{{landform:";

    /// Splits `s` into literal text and placeholders, in order.
    pub fn split(s: &str) -> Vec<Segment<'_>> {
        let mut out = Vec::new();
        let mut rest = s;
        while let Some(start) = rest.find(Self::OPEN) {
            let after = &rest[start + Self::OPEN.len()..];
            let Some(end) = after.find("}}") else { break };
            let body = &after[..end];
            let ph = if body == "org_id" {
                Some(Placeholder::OrgId)
            } else {
                body.strip_prefix("account:")
                    .map(|n| Placeholder::AccountId(n.to_string()))
            };
            match ph {
                Some(ph) => {
                    if start > 0 {
                        out.push(Segment::Text(&rest[..start]));
                    }
                    out.push(Segment::Placeholder(ph));
                }
                None => out.push(Segment::Text(&rest[..start + Self::OPEN.len() + end + 2])),
            }
            rest = &after[end + 2..];
        }
        if !rest.is_empty() {
            out.push(Segment::Text(rest));
        }
        out
    }

    /// Replaces every placeholder in every string of `doc` using `f`.
    pub fn substitute(
        doc: &serde_json::Value,
        f: &mut dyn FnMut(&Placeholder) -> String,
    ) -> serde_json::Value {
        use serde_json::Value;
        match doc {
            Value::String(s) if s.contains(Self::OPEN) => {
                let mut out = String::with_capacity(s.len());
                for seg in Self::split(s) {
                    match seg {
                        Segment::Text(t) => out.push_str(t),
                        Segment::Placeholder(p) => out.push_str(&f(&p)),
                    }
                }
                Value::String(out)
            }
            Value::Array(items) => {
                Value::Array(items.iter().map(|v| Self::substitute(v, f)).collect())
            }
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), Self::substitute(v, f)))
                    .collect(),
            ),
            other => other.clone(),
        }
    }
}

/// A piece of a string that may contain placeholders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment<'a> {
    Text(&'a str),
    Placeholder(Placeholder),
}

/// Deterministic stand-ins for ids unknown before deployment, used when the
/// engine evaluates the compiled organization.
#[derive(Debug, Clone)]
pub struct SyntheticIds {
    pub org_id: String,
    /// By account index.
    pub accounts: Vec<String>,
}

impl Org {
    pub fn ou(&self, id: OuId) -> &Ou {
        &self.ous[id.index()]
    }

    pub fn account(&self, id: AccountId) -> &Account {
        &self.accounts[id.index()]
    }

    pub fn policy(&self, id: PolicyId) -> &Policy {
        &self.policies[id.index()]
    }

    pub fn permission_set(&self, id: PermissionSetId) -> &PermissionSet {
        &self.permission_sets[id.index()]
    }

    pub fn role(&self, id: RoleId) -> &Role {
        &self.roles[id.index()]
    }

    pub fn root(&self) -> &Ou {
        &self.ous[0]
    }

    pub fn management_account(&self) -> Option<&Account> {
        self.accounts.iter().find(|a| a.is_management)
    }

    pub fn account_by_name(&self, name: &str) -> Option<&Account> {
        self.accounts.iter().find(|a| a.name == name)
    }

    pub fn ou_by_path(&self, path: &str) -> Option<&Ou> {
        self.ous.iter().find(|o| o.path == path)
    }

    /// The OUs from the root down to `ou`, inclusive.
    pub fn ou_chain(&self, ou: OuId) -> Vec<OuId> {
        let mut chain = vec![ou];
        let mut cur = ou;
        while let Some(p) = self.ou(cur).parent {
            chain.push(p);
            cur = p;
        }
        chain.reverse();
        chain
    }

    /// The policies attached directly to `target`, of one organization type, in
    /// attachment order (not including the AWS default FullAWSAccess).
    pub fn attached(&self, target: Target, kind: PolicyKind) -> Vec<PolicyId> {
        self.attachments
            .iter()
            .filter(|a| a.target == target && self.policy(a.policy).kind == kind)
            .map(|a| a.policy)
            .collect()
    }

    /// The organization-policy levels that govern `account`: root, each OU
    /// down the path, then the account itself — each level the policies
    /// attached there. (The default FullAWSAccess is not included; callers add
    /// it when [`Org::keep_full_aws_access`] is set.)
    pub fn levels(&self, account: AccountId, kind: PolicyKind) -> Vec<(Target, Vec<PolicyId>)> {
        let acct = self.account(account);
        let mut levels = Vec::new();
        for ou in self.ou_chain(acct.ou) {
            let target = if ou.index() == 0 {
                Target::Root
            } else {
                Target::Ou(ou)
            };
            levels.push((target, self.attached(target, kind)));
        }
        levels.push((
            Target::Account(account),
            self.attached(Target::Account(account), kind),
        ));
        levels
    }

    /// Whether the default `FullAWSAccess` SCP is attached to `target`.
    pub fn has_full_aws_access(&self, target: Target) -> bool {
        self.keep_full_aws_access && !self.full_aws_access_detached.contains(&target)
    }

    /// A human name for a target: `Root`, `Workloads/Prod`, `account payments-prod`.
    pub fn target_name(&self, target: Target) -> String {
        match target {
            Target::Root => "Root".to_string(),
            Target::Ou(id) => self.ou(id).path.clone(),
            Target::Account(id) => format!("account {}", self.account(id).name),
        }
    }

    /// Deterministic ids for evaluation: an account's own id when the blueprint
    /// gives one, otherwise 12 digits derived from its name (stable when other
    /// accounts are added or removed).
    pub fn synthetic_ids(&self) -> SyntheticIds {
        let accounts = self
            .accounts
            .iter()
            .map(|a| {
                a.aws_account_id
                    .clone()
                    .unwrap_or_else(|| synthetic_account_id(&a.name))
            })
            .collect();
        SyntheticIds {
            org_id: format!("o-{}", &synthetic_hex(&self.name)[..10]),
            accounts,
        }
    }
}

/// FNV-1a, for stable synthetic ids (not for security).
fn fnv1a(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// 12 digits derived from `name`, never starting with 0.
pub fn synthetic_account_id(name: &str) -> String {
    let n = fnv1a(name) % 900_000_000_000 + 100_000_000_000;
    n.to_string()
}

fn synthetic_hex(name: &str) -> String {
    format!("{:016x}", fnv1a(name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn placeholders_split_and_substitute() {
        let s = "arn:aws:iam::{{landform:account:payments-prod}}:role/x in {{landform:org_id}}";
        let segs = Placeholder::split(s);
        assert_eq!(
            segs,
            vec![
                Segment::Text("arn:aws:iam::"),
                Segment::Placeholder(Placeholder::AccountId("payments-prod".into())),
                Segment::Text(":role/x in "),
                Segment::Placeholder(Placeholder::OrgId),
            ]
        );
        let doc = json!({"Resource": [s], "Other": "${aws:PrincipalTag/Project}"});
        let out = Placeholder::substitute(&doc, &mut |p| match p {
            Placeholder::OrgId => "o-123".into(),
            Placeholder::AccountId(n) => format!("<{n}>"),
        });
        assert_eq!(
            out,
            json!({"Resource": ["arn:aws:iam::<payments-prod>:role/x in o-123"], "Other": "${aws:PrincipalTag/Project}"})
        );
        assert_eq!(
            Placeholder::AccountId("a".into()).to_string(),
            "{{landform:account:a}}"
        );
    }

    #[test]
    fn unknown_placeholder_bodies_stay_literal() {
        let segs = Placeholder::split("x{{landform:nope}}y");
        let text: String = segs
            .iter()
            .map(|s| match s {
                Segment::Text(t) => *t,
                Segment::Placeholder(_) => "?",
            })
            .collect();
        assert_eq!(text, "x{{landform:nope}}y");
    }

    #[test]
    fn synthetic_ids_are_stable_and_twelve_digits() {
        let a = synthetic_account_id("payments-prod");
        assert_eq!(a.len(), 12);
        assert_eq!(a, synthetic_account_id("payments-prod"));
        assert_ne!(a, synthetic_account_id("payments-staging"));
    }
}
