//! Compiling a blueprint into the organization IR ([`crate::org::Org`]).
//!
//! [`resolve`] walks a validated blueprint in a fixed order and builds the IR
//! with [`OrgBuilder`]: the OU tree (depth-first, sorted names), the accounts
//! (management first, then by name), the blueprint's own policies and their
//! attachments, the compiled guardrails (one SCP per target), boundaries and
//! ABAC policies, permission sets with their assignments expanded to
//! accounts, workload roles, delegated admin roles, break-glass users and the
//! `tests:`. Every element carries its [`Origin`] (blueprint construct and
//! span). Then the generated documents are checked against AWS's limits again
//! ([`limits`]).
//!
//! The compilation rules live in one module each, as pure functions from small
//! typed parameters to policy documents:
//!
//! | module | construct | seed section |
//! |---|---|---|
//! | [`guardrails`] | region lock, deny leave org, protect audit trail, deny member root, require boundary, tags on create, protect tags | `000_…` "The region-lock gotcha", the deny-list SCP; `002_…` "Step 2 — ABAC" |
//! | [`boundary`] | permissions boundaries | `002_…` "What the boundary must deny" |
//! | [`delegation`] | delegated IAM admin | `002_…` "Step 1 — Safe delegation" |
//! | [`abac`] | the tag-matched policy | `002_…` "Step 2 — ABAC" |
//! | [`trust`] | hardened trust policies, break-glass MFA guard | `000_…` "Conditions that harden a trust policy" |
//! | [`naming`] | generated names | — |
//! | [`merge`] | one SCP per target | `000_…` "Organizations limits" |
//! | [`limits`] | the size and count re-check | the limits tables |
//!
//! ## Diagnostics (LF5xx)
//!
//! | code | severity | meaning |
//! |---|---|---|
//! | LF501 | error | a compiled SCP/RCP is longer than 5,120 characters |
//! | LF502 | error | a compiled managed policy or boundary is longer than 6,144 characters |
//! | LF503 | error | a role's (or permission set's) inline policies exceed 10,240 characters |
//! | LF504 | warning / error | a trust policy exceeds the default 2,048 (warning) or the raised 4,096 characters (error) |
//! | LF505 | error | more than 5 SCPs (or RCPs) on one target after compilation, counting `FullAWSAccess` |
//! | LF506 | error | a group's inline policies exceed 5,120 characters |
//! | LF507 | error | two generated IAM or organization policies would get the same name |
//! | LF510 | error | a reference the compiler cannot resolve (validation normally reports it first) |
//! | LF511 | warning | a guardrail compiles to no statement |
//! | LF512 | error | break-glass users of one group disagree on `require_mfa` |
//! | LF513 | warning | a role the blueprint creates would be refused by its own `require_boundary_on_create_role` guardrail at deploy time |

mod access;
mod structure;

pub mod abac;
pub mod boundary;
pub mod delegation;
pub mod doc;
pub mod guardrails;
pub mod limits;
pub mod merge;
pub mod naming;
pub mod trust;

pub use access::{aws_managed_arn, iso_duration_seconds};

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::blueprint::Blueprint;
use crate::blueprint::span::NO_SPAN;
use crate::diagnostics::{Diagnostic, Diagnostics, Span};
use crate::org::builder::OrgBuilder;
use crate::org::{AccountId, Org, Origin, OuId, PermissionSetId, PolicyId, PolicyKind, RoleId};

/// The LF5xx codes.
pub mod codes {
    pub const LF501: &str = "LF501";
    pub const LF502: &str = "LF502";
    pub const LF503: &str = "LF503";
    pub const LF504: &str = "LF504";
    pub const LF505: &str = "LF505";
    pub const LF506: &str = "LF506";
    pub const LF507: &str = "LF507";
    pub const LF510: &str = "LF510";
    pub const LF511: &str = "LF511";
    pub const LF512: &str = "LF512";
    pub const LF513: &str = "LF513";
}

/// An origin; spans that point nowhere (values built by code) are dropped.
pub(crate) fn origin(construct: &str, span: Option<Span>) -> Origin {
    Origin::new(construct, span.filter(|s| *s != NO_SPAN))
}

/// The compiler's state while it builds one organization.
pub(crate) struct Resolver<'a> {
    bp: &'a Blueprint,
    b: OrgBuilder,
    diags: Diagnostics,
    ou_ids: HashMap<String, OuId>,
    account_ids: HashMap<String, AccountId>,
    /// Customer-managed policies (blueprint and ABAC): name → (id, path).
    managed_ids: HashMap<String, (PolicyId, String)>,
    /// Boundaries: name → (id, path).
    boundary_ids: HashMap<String, (PolicyId, String)>,
    ps_ids: HashMap<String, PermissionSetId>,
    /// (role name, account name) → role.
    role_ids: HashMap<(String, String), RoleId>,
    /// (team, account name) → the team's admin role.
    admin_role_ids: HashMap<(String, String), RoleId>,
    /// Accounts a customer-managed policy or boundary must exist in.
    used_in: BTreeMap<PolicyId, BTreeSet<AccountId>>,
}

impl Resolver<'_> {
    /// A reference validation should have caught.
    fn unresolved(&mut self, span: Span, message: &str) {
        let mut d = Diagnostic::error(codes::LF510, message.to_string())
            .with_help("run `landform validate`: it explains the reference and suggests a fix");
        if span != NO_SPAN {
            d = d.with_label(span, "cannot be compiled");
        }
        self.diags.push(d);
    }
}

/// Compiles a blueprint into the organization IR.
///
/// Call it on a blueprint that validated without errors; it never panics on
/// odd input either way. Returns the organization and the diagnostics of
/// compilation (LF5xx): the organization is `None` when one of them is an
/// error.
pub fn resolve(blueprint: &Blueprint, blueprint_file: &str) -> (Option<Org>, Diagnostics) {
    let mut r = Resolver {
        bp: blueprint,
        b: OrgBuilder::new(
            &blueprint.organization.name.value,
            blueprint_file,
            &blueprint.organization.home_region.value,
        ),
        diags: Diagnostics::new(),
        ou_ids: HashMap::new(),
        account_ids: HashMap::new(),
        managed_ids: HashMap::new(),
        boundary_ids: HashMap::new(),
        ps_ids: HashMap::new(),
        role_ids: HashMap::new(),
        admin_role_ids: HashMap::new(),
        used_in: BTreeMap::new(),
    };
    r.structure();
    r.organization_policies();
    r.guardrails();
    r.iam_policies();
    r.identity_center();
    r.roles();
    r.delegation();
    r.break_glass();
    r.placement();
    r.tests();
    let org = r.b.finish();
    let mut diags = r.diags;
    diags.extend(name_collisions(&org));
    diags.extend(boundary_guardrail_conflicts(blueprint, &org));
    diags.extend(limits::check(&org));
    if diags.has_errors() {
        (None, diags)
    } else {
        (Some(org), diags)
    }
}

/// Two generated policies that AWS would see under one name: organization
/// policies share one namespace; IAM managed policies and boundaries share one
/// per account (and path does not make a name unique in IAM).
fn name_collisions(org: &Org) -> Diagnostics {
    let mut diags = Diagnostics::new();
    let mut seen: HashMap<(Option<AccountId>, String), &crate::org::Policy> = HashMap::new();
    for p in &org.policies {
        let scopes: Vec<Option<AccountId>> = match p.kind {
            PolicyKind::Scp | PolicyKind::Rcp => vec![None],
            PolicyKind::Managed | PolicyKind::Boundary => {
                p.accounts.iter().copied().map(Some).collect()
            }
            _ => continue,
        };
        for scope in scopes {
            let key = (scope, p.name.to_ascii_lowercase());
            match seen.get(&key) {
                Some(first) if first.id != p.id => {
                    let mut d = Diagnostic::error(
                        codes::LF507,
                        format!(
                            "`{}` and `{}` would both be named `{}`{}",
                            first.origin.construct,
                            p.origin.construct,
                            p.name,
                            scope.map_or_else(String::new, |a| format!(
                                " in account `{}`",
                                org.account(a).name
                            ))
                        ),
                    )
                    .with_help("rename one of them");
                    if let Some(s) = p.origin.span {
                        d = d.with_label(s, "this one");
                    }
                    if let Some(s) = first.origin.span {
                        d = d.with_secondary(s, "clashes with this one");
                    }
                    diags.push(d);
                    break;
                }
                Some(_) => {}
                None => {
                    seen.insert(key, p);
                }
            }
        }
    }
    diags
}

/// The role the renderers deploy member-account IAM through.
const DEPLOY_ROLE: &str = "OrganizationAccountAccessRole";

/// Whether an exemption of a guardrail covers the deployment role.
fn exempts_deployer(exempt: &str) -> bool {
    let last = exempt.rsplit('/').next().unwrap_or(exempt);
    last == DEPLOY_ROLE || last == "*" || exempt == "*"
}

/// `require_boundary_on_create_role` denies `iam:CreateRole` without one of
/// its boundaries in every account below its targets — including for the
/// roles the blueprint itself creates there. A role that wears another
/// boundary, or none, cannot be deployed unless the deploying role is exempt.
fn boundary_guardrail_conflicts(bp: &Blueprint, org: &Org) -> Diagnostics {
    let mut diags = Diagnostics::new();
    let Some(g) = &bp.guardrails.require_boundary_on_create_role else {
        return diags;
    };
    if g.exempt_principals
        .iter()
        .any(|e| exempts_deployer(&e.value))
    {
        return diags;
    }
    let allowed: Vec<&str> = g.boundaries.iter().map(|b| b.value.as_str()).collect();
    let mut targets: Vec<crate::org::Target> = Vec::new();
    for a in &g.attach {
        let t = a.value.trim();
        let target = if t == "Root" || t == "root" {
            Some(crate::org::Target::Root)
        } else {
            let path = t.strip_prefix("ou:").unwrap_or(t).trim_matches('/');
            let name = t.strip_prefix("account:").unwrap_or(t);
            org.ou_by_path(path)
                .map(|o| crate::org::Target::Ou(o.id))
                .or_else(|| {
                    org.account_by_name(name)
                        .map(|x| crate::org::Target::Account(x.id))
                })
        };
        if let Some(target) = target {
            targets.push(target);
        }
    }
    // one finding per role (and boundary it wears), listing the accounts
    let mut found: Vec<(
        &crate::org::Role,
        Option<String>,
        Vec<&str>,
        crate::org::Target,
    )> = Vec::new();
    for role in &org.roles {
        let account = org.account(role.account);
        if account.is_management {
            continue;
        }
        let mut chain: Vec<crate::org::Target> = org
            .ou_chain(account.ou)
            .into_iter()
            .map(|ou| {
                if ou.index() == 0 {
                    crate::org::Target::Root
                } else {
                    crate::org::Target::Ou(ou)
                }
            })
            .collect();
        chain.push(crate::org::Target::Account(role.account));
        let Some(governing) = chain.into_iter().find(|t| targets.contains(t)) else {
            continue;
        };
        let wears = role.boundary.as_ref().map(|b| match b {
            crate::org::ManagedRef::Customer(c) => c.name.clone(),
            crate::org::ManagedRef::Aws { arn } => arn.clone(),
        });
        if wears.as_deref().is_some_and(|w| allowed.contains(&w)) {
            continue;
        }
        match found
            .iter_mut()
            .find(|(r, w, _, _)| r.name == role.name && r.path == role.path && *w == wears)
        {
            Some((_, _, accounts, _)) => accounts.push(&account.name),
            None => found.push((role, wears, vec![&account.name], governing)),
        }
    }
    for (role, wears, accounts, governing) in found {
        let mut d = Diagnostic::warning(
            codes::LF513,
            format!(
                "role `{}` {}, but `require_boundary_on_create_role` lets roles in {} be created only with {}",
                role.name,
                match &wears {
                    Some(w) => format!("wears the boundary `{w}`"),
                    None => "wears no boundary".to_string(),
                },
                match accounts.as_slice() {
                    [one] => format!("`{one}`"),
                    many => format!("{} accounts", many.len()),
                },
                allowed
                    .iter()
                    .map(|b| format!("`{b}`"))
                    .collect::<Vec<_>>()
                    .join(" or ")
            ),
        )
        .with_help(format!(
            "give the role one of these boundaries, or add the deploying role (`{DEPLOY_ROLE}`) to the guardrail's `exempt_principals`"
        ))
        .with_note(format!(
            "the guardrail is attached to `{}`; deploying the role there will be denied ({})",
            org.target_name(governing),
            accounts.join(", ")
        ));
        if let Some(s) = role.origin.span {
            d = d.with_label(s, "this role");
        }
        diags.push(d);
    }
    diags
}
