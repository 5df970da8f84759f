//! Who gets what: boundaries, the ABAC policies, permission sets and their
//! expanded assignments, roles, delegated admin roles, break-glass users and
//! the blueprint's `tests:`.

use std::collections::{BTreeMap, BTreeSet};

use super::abac::{AbacPolicySpec, abac_document};
use super::boundary::{BoundarySpec, boundary_statements};
use super::delegation::{DelegationSpec, delegation_document};
use super::doc::{Statement, document, iam_arn_any_account, iam_path, sorted_unique};
use super::naming::{
    BREAK_GLASS_MFA_POLICY_NAME, DELEGATION_POLICY_NAME, GROUP_NAME_MAX, POLICY_NAME_MAX,
    ROLE_NAME_MAX, delegation_admin_role, iam_name, trust_policy_name,
};
use super::structure::tags;
use super::trust::{
    OidcTrust, SamlTrust, ServicePrincipal, SsoPrincipal, TrustSpec, require_mfa_document,
    trust_document,
};
use super::{Resolver, codes, origin};
use crate::blueprint::principal::{self, PrincipalKind};
use crate::blueprint::{Boundary, Expect, PolicyDef, Sp, Trust};
use crate::diagnostics::{Diagnostic, Span};
use crate::org::builder::{PermissionSetSpec, RoleSpec};
use crate::org::{
    AccountId, AssignmentPrincipal, BreakGlassUser, CustomerManagedRef, Expectation,
    IdentityCenterUser, ManagedRef, Placeholder, PolicyKind, PrincipalRef, RoleKind, Target,
    TestCase,
};

/// `ReadOnlyAccess` → `arn:aws:iam::aws:policy/ReadOnlyAccess`; ARNs are kept.
pub fn aws_managed_arn(name: &str) -> String {
    if name.starts_with("arn:") {
        name.to_string()
    } else {
        format!("arn:aws:iam::aws:policy/{}", name.trim_start_matches('/'))
    }
}

/// `PT4H` → 14400. Hours, minutes and seconds; nothing else.
pub fn iso_duration_seconds(text: &str) -> Option<u32> {
    let rest = text.trim().strip_prefix("PT")?;
    if rest.is_empty() {
        return None;
    }
    let mut total: u32 = 0;
    let mut number = String::new();
    let mut last_unit = 0u8;
    for c in rest.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let (unit, rank) = match c {
            'H' => (3600, 1u8),
            'M' => (60, 2),
            'S' => (1, 3),
            _ => return None,
        };
        if number.is_empty() || rank <= last_unit {
            return None;
        }
        let n: u32 = number.parse().ok()?;
        total = total.checked_add(n.checked_mul(unit)?)?;
        number.clear();
        last_unit = rank;
    }
    if number.is_empty() { Some(total) } else { None }
}

/// The account word of a trust principal that means "the account this role is
/// created in" (`permission_set:TeamAdmin@self`).
const SELF_ACCOUNT: &str = "self";

/// (permission set name, principal, account name): one assignment each.
type TripleKey = (String, AssignmentPrincipal, String);
/// The account, the target that reached it, the assignment's index and span.
type Reached = (AccountId, Target, usize, Span);

fn strings(v: &[Sp<String>]) -> Vec<String> {
    v.iter().map(|s| s.value.clone()).collect()
}

impl Resolver<'_> {
    /// The team path of a delegation (`/<team>/` by default).
    pub(super) fn team_path(team: &str, path: Option<&Sp<String>>) -> String {
        iam_path(path.map_or(team, |p| p.value.as_str()))
    }

    /// The compile parameters of a boundary, with the paths of the teams that wear it.
    pub(super) fn boundary_spec(&self, name: &str, b: &Boundary) -> BoundarySpec {
        let delegated_paths = self
            .bp
            .delegation
            .iter()
            .filter(|(_, d)| d.boundary.value == name)
            .map(|(team, d)| Self::team_path(&team.value, d.path.as_ref()))
            .collect();
        BoundarySpec {
            name: name.to_string(),
            path: iam_path(b.path.as_ref().map_or("/", |p| p.value.as_str())),
            allow: strings(&b.allow),
            protect_itself: b.protect_itself.value,
            delegated_paths,
        }
    }

    /// Boundaries and the ABAC policies: IAM managed policies, created in every
    /// account that uses them (filled in at the end).
    pub(super) fn iam_policies(&mut self) {
        let bp = self.bp;
        let mut boundaries: Vec<_> = bp.boundaries.iter().collect();
        boundaries.sort_by(|a, b| a.0.value.cmp(&b.0.value));
        for (name, b) in boundaries {
            let spec = self.boundary_spec(&name.value, b);
            let mut stmts = boundary_statements(&spec);
            let deny = sorted_unique(strings(&b.deny));
            if !deny.is_empty() {
                stmts.push(Statement::deny("DenyListed").actions(deny));
            }
            let id = self.b.policy(
                PolicyKind::Boundary,
                &name.value,
                document(&stmts),
                origin(&format!("boundaries.{}", name.value), Some(name.span)),
            );
            let p = self.b.policy_mut(id);
            p.path = spec.path.clone();
            p.description = b
                .description
                .as_ref()
                .map(|d| d.value.clone())
                .unwrap_or_else(|| format!("permissions boundary {}", name.value));
            self.boundary_ids
                .insert(name.value.clone(), (id, spec.path.clone()));
        }
        if let Some(abac) = &bp.abac {
            let mut policies: Vec<_> = abac.policies.iter().collect();
            policies.sort_by(|a, b| a.0.value.cmp(&b.0.value));
            for (name, p) in policies {
                let doc = abac_document(&AbacPolicySpec {
                    tag_keys: strings(&p.match_keys),
                    actions: strings(&p.actions),
                    resources: strings(&p.resources),
                    tag_on_create_actions: Vec::new(),
                });
                let id = self.b.policy(
                    PolicyKind::Managed,
                    &name.value,
                    doc,
                    origin(&format!("abac.policies.{}", name.value), Some(name.span)),
                );
                self.b.policy_mut(id).description = format!(
                    "ABAC: access where the caller's {} tags match the resource's",
                    strings(&p.match_keys).join(", ")
                );
                self.managed_ids
                    .insert(name.value.clone(), (id, "/".to_string()));
            }
        }
    }

    fn customer_ref(&mut self, name: &Sp<String>) -> Option<ManagedRef> {
        match self.managed_ids.get(&name.value) {
            Some((id, path)) => Some(ManagedRef::Customer(CustomerManagedRef {
                name: name.value.clone(),
                path: path.clone(),
                policy: Some(*id),
            })),
            None => {
                self.unresolved(
                    name.span,
                    &format!("unknown customer-managed policy `{}`", name.value),
                );
                None
            }
        }
    }

    fn boundary_ref(&mut self, name: &Sp<String>) -> Option<ManagedRef> {
        match self.boundary_ids.get(&name.value) {
            Some((id, path)) => Some(ManagedRef::Customer(CustomerManagedRef {
                name: name.value.clone(),
                path: path.clone(),
                policy: Some(*id),
            })),
            None => {
                self.unresolved(name.span, &format!("unknown boundary `{}`", name.value));
                None
            }
        }
    }

    fn managed_refs(&mut self, aws: &[Sp<String>], customer: &[Sp<String>]) -> Vec<ManagedRef> {
        let mut out: Vec<ManagedRef> = aws
            .iter()
            .map(|a| ManagedRef::Aws {
                arn: aws_managed_arn(&a.value),
            })
            .collect();
        for c in customer {
            if let Some(r) = self.customer_ref(c) {
                out.push(r);
            }
        }
        out
    }

    /// Records that the customer-managed policies and boundary of a role or
    /// permission set must exist in `account`.
    fn used_in(&mut self, refs: &[ManagedRef], boundary: Option<&ManagedRef>, account: AccountId) {
        for r in refs.iter().chain(boundary) {
            if let ManagedRef::Customer(CustomerManagedRef {
                policy: Some(id), ..
            }) = r
            {
                self.used_in.entry(*id).or_default().insert(account);
            }
        }
    }

    /// Identity Center: groups, users, permission sets, and the assignments
    /// expanded to (principal, permission set, account) triples.
    pub(super) fn identity_center(&mut self) {
        let ic = &self.bp.identity_center;
        self.b.org_mut().access_control_attributes = tags(&ic.access_control_attributes);
        let mut groups: Vec<_> = ic.groups.iter().collect();
        groups.sort_by(|a, b| a.0.value.cmp(&b.0.value));
        for (name, g) in groups {
            self.b.group(
                &name.value,
                g.description.as_ref().map_or("", |d| d.value.as_str()),
                origin(
                    &format!("identity_center.groups.{}", name.value),
                    Some(name.span),
                ),
            );
        }
        let mut users: Vec<_> = ic.users.iter().collect();
        users.sort_by(|a, b| a.0.value.cmp(&b.0.value));
        for (name, u) in users {
            let mut groups = strings(&u.groups);
            groups.sort();
            groups.dedup();
            self.b.user(IdentityCenterUser {
                user_name: name.value.clone(),
                display_name: u
                    .display_name
                    .as_ref()
                    .map_or_else(|| name.value.clone(), |d| d.value.clone()),
                email: u.email.value.clone(),
                groups,
                origin: origin(
                    &format!("identity_center.users.{}", name.value),
                    Some(name.span),
                ),
            });
        }

        let mut sets: Vec<_> = ic.permission_sets.iter().collect();
        sets.sort_by(|a, b| a.0.value.cmp(&b.0.value));
        for (name, ps) in sets {
            let construct = format!("identity_center.permission_sets.{}", name.value);
            let managed = self.managed_refs(&ps.aws_managed, &ps.customer_managed);
            let inline = ps.inline.as_ref().map(|def| {
                let doc = self.document_of(def, name.span);
                self.b.policy(
                    PolicyKind::PermissionSetInline,
                    &iam_name(&format!("{}-inline", name.value), POLICY_NAME_MAX),
                    doc,
                    origin(&format!("{construct}.inline"), Some(name.span)),
                )
            });
            let boundary = ps.boundary.as_ref().and_then(|b| self.boundary_ref(b));
            let id = self.b.permission_set(PermissionSetSpec {
                name: name.value.clone(),
                description: ps
                    .description
                    .as_ref()
                    .map(|d| d.value.clone())
                    .unwrap_or_default(),
                session_duration: ps
                    .session
                    .as_ref()
                    .map_or_else(|| "PT1H".to_string(), |s| s.value.clone()),
                relay_state: ps.relay_state.as_ref().map(|r| r.value.clone()),
                managed,
                inline,
                boundary,
                tags: tags(&ps.tags),
                origin: origin(&construct, Some(name.span)),
            });
            self.ps_ids.insert(name.value.clone(), id);
        }

        // assignments
        let mut triples: BTreeMap<TripleKey, Reached> = BTreeMap::new();
        for (i, a) in ic.assignments.iter().enumerate() {
            let principal = match (&a.group, &a.user) {
                (Some(g), _) => AssignmentPrincipal::Group(g.value.clone()),
                (None, Some(u)) => AssignmentPrincipal::User(u.value.clone()),
                (None, None) => {
                    self.unresolved(
                        a.permission_set.span,
                        "the assignment names no group or user",
                    );
                    continue;
                }
            };
            let Some(&ps) = self.ps_ids.get(&a.permission_set.value) else {
                self.unresolved(
                    a.permission_set.span,
                    &format!("unknown permission set `{}`", a.permission_set.value),
                );
                continue;
            };
            let mut excluded: BTreeSet<AccountId> = BTreeSet::new();
            for e in &a.exclude {
                if let Some(t) = self.target(e) {
                    // an excluded OU leaves out everything below it, always
                    let below = match t {
                        Target::Root => self.b.org().accounts.iter().map(|x| x.id).collect(),
                        _ => self.accounts_of(t, true),
                    };
                    excluded.extend(below);
                }
            }
            for t in &a.targets {
                let Some(target) = self.target(t) else {
                    continue;
                };
                for account in self.accounts_of(target, a.recursive.value) {
                    if excluded.contains(&account) {
                        continue;
                    }
                    let key = (
                        a.permission_set.value.clone(),
                        principal.clone(),
                        self.b.org().account(account).name.clone(),
                    );
                    // the first assignment (and target) that reaches an account names it
                    triples.entry(key).or_insert((account, target, i, t.span));
                }
            }
            let _ = ps;
        }
        for ((ps_name, principal, _), (account, via, i, span)) in triples {
            let Some(&ps) = self.ps_ids.get(&ps_name) else {
                continue;
            };
            self.b.assign(
                principal,
                ps,
                account,
                via,
                origin(&format!("identity_center.assignments[{i}]"), Some(span)),
            );
            let set = self.b.org().permission_set(ps);
            let refs: Vec<ManagedRef> = set.managed.iter().chain(&set.boundary).cloned().collect();
            self.used_in(&refs, None, account);
        }
    }

    /// The ARN (or pattern) of a principal reference used in the trust policy
    /// of a role in `role_account` (`@self` names that account).
    fn trust_principal(
        &mut self,
        text: &Sp<String>,
        role_account: AccountId,
        spec: &mut TrustSpec,
    ) {
        let p = match principal::parse(&text.value) {
            Ok(p) => p,
            Err(e) => {
                self.unresolved(text.span, &e.message);
                return;
            }
        };
        let account = match p.account.as_deref() {
            Some(SELF_ACCOUNT) => Some(role_account),
            Some(a) => self.account_ids.get(a).copied(),
            None => None,
        };
        let name = p.name.as_str();
        match (p.kind, account) {
            (PrincipalKind::Role, Some(acct)) => {
                let path = self
                    .bp
                    .roles
                    .get(name)
                    .map(|r| iam_path(r.path.as_ref().map_or("/", |p| p.value.as_str())))
                    .unwrap_or_else(|| "/".to_string());
                spec.aws.push(format!(
                    "arn:aws:iam::{}:role{path}{name}",
                    self.account_id_text(acct)
                ));
            }
            (PrincipalKind::Delegation, Some(acct)) => {
                let role = self
                    .bp
                    .delegation
                    .get(name)
                    .and_then(|d| d.admin_role.as_ref().map(|r| r.value.clone()))
                    .unwrap_or_else(|| delegation_admin_role(name));
                spec.aws.push(format!(
                    "arn:aws:iam::{}:role/{role}",
                    self.account_id_text(acct)
                ));
            }
            (PrincipalKind::PermissionSet, Some(acct)) => spec.sso.push(SsoPrincipal {
                account: self.account_id_text(acct),
                permission_set: name.to_string(),
            }),
            (PrincipalKind::User, _) => match self.break_glass_account() {
                Some(acct) => spec.aws.push(format!(
                    "arn:aws:iam::{}:user/{name}",
                    self.account_id_text(acct)
                )),
                None => self.unresolved(text.span, "there is no break-glass account"),
            },
            _ => self.unresolved(
                text.span,
                &format!("cannot resolve principal `{}`", text.value),
            ),
        }
    }

    /// An account's 12-digit id when the blueprint gives it, else its placeholder.
    pub(super) fn account_id_text(&self, id: AccountId) -> String {
        let a = self.b.org().account(id);
        a.aws_account_id
            .clone()
            .unwrap_or_else(|| Placeholder::AccountId(a.name.clone()).to_string())
    }

    fn break_glass_account(&self) -> Option<AccountId> {
        let bg = self.bp.break_glass.as_ref()?;
        match &bg.account {
            Some(a) => self.account_ids.get(&a.value).copied(),
            None => self.b.org().management_account().map(|a| a.id),
        }
    }

    fn trust_spec(&mut self, trust: &Trust, role_account: AccountId) -> TrustSpec {
        let mut spec = TrustSpec {
            aws: strings(&trust.aws),
            external_id: trust.external_id.as_ref().map(|e| e.value.clone()),
            org_only: trust.org_only.value,
            require_mfa: trust.require_mfa.value,
            ..TrustSpec::default()
        };
        for p in &trust.principals {
            self.trust_principal(p, role_account, &mut spec);
        }
        for s in &trust.services {
            let source_account =
                s.source_account
                    .as_ref()
                    .map(|a| match self.account_ids.get(&a.value) {
                        Some(id) => self.account_id_text(*id),
                        None => a.value.clone(),
                    });
            spec.services.push(ServicePrincipal {
                service: s.service.value.clone(),
                source_account,
                source_arn: s.source_arn.as_ref().map(|a| a.value.clone()),
            });
        }
        spec.oidc = trust.oidc.as_ref().map(|o| OidcTrust {
            provider: o.provider.value.clone(),
            audiences: strings(&o.audiences),
            subjects: strings(&o.subjects),
        });
        spec.saml = trust.saml.as_ref().map(|s| SamlTrust {
            provider: s.provider.value.clone(),
            audience: None,
        });
        spec
    }

    fn role_accounts(&mut self, list: &[Sp<String>]) -> Vec<AccountId> {
        let mut out = Vec::new();
        for a in list {
            if let Some(t) = self.target(a) {
                out.extend(self.accounts_of(t, true));
            }
        }
        out.sort();
        out.dedup();
        out
    }

    fn session_seconds(&mut self, text: Option<&Sp<String>>) -> u32 {
        match text {
            None => 3600,
            Some(t) => match iso_duration_seconds(&t.value) {
                Some(s) => s,
                None => {
                    self.unresolved(t.span, &format!("cannot read the duration `{}`", t.value));
                    3600
                }
            },
        }
    }

    /// Workload roles, one per (role, account), sorted by role name then account.
    pub(super) fn roles(&mut self) {
        let bp = self.bp;
        let mut roles: Vec<_> = bp.roles.iter().collect();
        roles.sort_by(|a, b| a.0.value.cmp(&b.0.value));
        for (name, role) in roles {
            let construct = format!("roles.{}", name.value);
            let accounts = self.role_accounts(&role.accounts);
            let managed = self.managed_refs(&role.aws_managed, &role.customer_managed);
            let boundary = role.boundary.as_ref().and_then(|b| self.boundary_ref(b));
            let mut inline_defs: Vec<(&Sp<String>, &PolicyDef)> = role.inline.iter().collect();
            inline_defs.sort_by(|a, b| a.0.value.cmp(&b.0.value));
            let mut inline = Vec::new();
            for (key, def) in inline_defs {
                let doc = self.document_of(def, key.span);
                inline.push(self.b.policy(
                    PolicyKind::RoleInline,
                    &iam_name(&key.value, POLICY_NAME_MAX),
                    doc,
                    origin(&format!("{construct}.inline.{}", key.value), Some(key.span)),
                ));
            }
            let max_session = self.session_seconds(role.max_session.as_ref());
            let path = iam_path(role.path.as_ref().map_or("/", |p| p.value.as_str()));
            for account in accounts {
                let account_name = self.b.org().account(account).name.clone();
                let spec = self.trust_spec(&role.trust, account);
                let trust = trust_document(&spec, &account_name);
                let id = self.b.role(
                    RoleSpec {
                        name: iam_name(&name.value, ROLE_NAME_MAX),
                        path: path.clone(),
                        account,
                        kind: RoleKind::Workload,
                        description: role
                            .description
                            .as_ref()
                            .map(|d| d.value.clone())
                            .unwrap_or_default(),
                        managed: managed.clone(),
                        inline: inline.clone(),
                        boundary: boundary.clone(),
                        max_session_seconds: max_session,
                        tags: tags(&role.tags),
                        origin: origin(&construct, Some(name.span)),
                    },
                    trust,
                );
                self.fix_trust_name(id);
                self.role_ids.insert((name.value.clone(), account_name), id);
                self.used_in(&managed, boundary.as_ref(), account);
            }
        }
    }

    fn fix_trust_name(&mut self, role: crate::org::RoleId) {
        let r = self.b.org().role(role).clone();
        let p = self.b.policy_mut(r.trust);
        p.name = trust_policy_name(&r.name);
        p.origin = crate::org::Origin::new(format!("{}.trust", r.origin.construct), r.origin.span);
    }

    /// The delegated admin roles: per team and account, wearing the team's
    /// boundary, with the delegation policy inline.
    pub(super) fn delegation(&mut self) {
        let bp = self.bp;
        let mut teams: Vec<_> = bp.delegation.iter().collect();
        teams.sort_by(|a, b| a.0.value.cmp(&b.0.value));
        for (team, d) in teams {
            let construct = format!("delegation.{}", team.value);
            let Some(b) = bp.boundaries.get(&d.boundary.value) else {
                self.unresolved(
                    d.boundary.span,
                    &format!("unknown boundary `{}`", d.boundary.value),
                );
                continue;
            };
            let bspec = self.boundary_spec(&d.boundary.value, b);
            let boundary = self.boundary_ref(&d.boundary);
            let path = Self::team_path(&team.value, d.path.as_ref());
            // the team may attach these, so the customer-managed ones must exist
            // in every account of the team
            let mut attachable_refs: Vec<ManagedRef> = Vec::new();
            let attachable: Vec<String> = d
                .attachable_policies
                .iter()
                .map(|p| match self.managed_ids.get(&p.value) {
                    Some((id, ppath)) => {
                        attachable_refs.push(ManagedRef::Customer(CustomerManagedRef {
                            name: p.value.clone(),
                            path: ppath.clone(),
                            policy: Some(*id),
                        }));
                        iam_arn_any_account("policy", ppath, &p.value)
                    }
                    None => aws_managed_arn(&p.value),
                })
                .collect();
            let policy = self.b.policy(
                PolicyKind::RoleInline,
                DELEGATION_POLICY_NAME,
                delegation_document(&DelegationSpec {
                    path: path.clone(),
                    boundary_exact_arn: bspec.exact_arn(),
                    boundary_resource_arn: bspec.resource_arn(),
                    attachable_policies: attachable,
                }),
                origin(&construct, Some(team.span)),
            );
            self.b.policy_mut(policy).description = format!(
                "delegated IAM administration for {}: roles under {path} with the boundary {}",
                team.value, d.boundary.value
            );
            let role_name = d.admin_role.as_ref().map_or_else(
                || delegation_admin_role(&team.value),
                |r| iam_name(&r.value, ROLE_NAME_MAX),
            );
            let accounts = self.role_accounts(&d.accounts);
            for account in accounts {
                let account_name = self.b.org().account(account).name.clone();
                // default: principals of the same account (with the permission to
                // assume it), inside the organization
                let spec = match &d.trust {
                    Some(t) => self.trust_spec(t, account),
                    None => TrustSpec {
                        aws: vec![format!(
                            "arn:aws:iam::{}:root",
                            self.account_id_text(account)
                        )],
                        org_only: true,
                        ..TrustSpec::default()
                    },
                };
                let id = self.b.role(
                    RoleSpec {
                        name: role_name.clone(),
                        path: "/".to_string(),
                        account,
                        kind: RoleKind::DelegatedAdmin {
                            team: team.value.clone(),
                        },
                        description: d.description.as_ref().map_or_else(
                            || format!("delegated IAM admin of {}", team.value),
                            |x| x.value.clone(),
                        ),
                        managed: Vec::new(),
                        inline: vec![policy],
                        boundary: boundary.clone(),
                        max_session_seconds: 3600,
                        tags: BTreeMap::new(),
                        origin: origin(&construct, Some(team.span)),
                    },
                    trust_document(&spec, &account_name),
                );
                self.fix_trust_name(id);
                self.admin_role_ids
                    .insert((team.value.clone(), account_name), id);
                self.used_in(&attachable_refs, boundary.as_ref(), account);
            }
        }
    }

    /// Break-glass users in their group, with the group's admin policy and the
    /// MFA guard.
    pub(super) fn break_glass(&mut self) {
        let Some(bg) = &self.bp.break_glass else {
            return;
        };
        let Some(account) = self.break_glass_account() else {
            if let Some(a) = &bg.account {
                self.unresolved(a.span, &format!("unknown account `{}`", a.value));
            }
            return;
        };
        let group = iam_name(
            bg.group
                .as_ref()
                .map_or("BreakGlassAdmins", |g| g.value.as_str()),
            GROUP_NAME_MAX,
        );
        let managed: Vec<ManagedRef> = if bg.aws_managed.is_empty() {
            vec![ManagedRef::Aws {
                arn: aws_managed_arn("AdministratorAccess"),
            }]
        } else {
            bg.aws_managed
                .iter()
                .map(|a| ManagedRef::Aws {
                    arn: aws_managed_arn(&a.value),
                })
                .collect()
        };
        let mut users: Vec<_> = bg.users.iter().collect();
        users.sort_by(|a, b| a.0.value.cmp(&b.0.value));
        let with_mfa = users.iter().filter(|(_, u)| u.require_mfa.value).count();
        if with_mfa != 0 && with_mfa != users.len() {
            let mut d = Diagnostic::error(
                codes::LF512,
                format!(
                    "break-glass users of group `{group}` disagree on `require_mfa`, but the MFA guard is a policy of the group"
                ),
            )
            .with_help("set `require_mfa` the same way for every break-glass user (MFA is the seeds' advice)");
            for (name, u) in &users {
                if !u.require_mfa.value {
                    d = d.with_label(name.span, "this user has `require_mfa: false`");
                }
            }
            self.diags.push(d);
        }
        let guard = (with_mfa > 0).then(|| {
            let id = self.b.policy(
                PolicyKind::RoleInline,
                BREAK_GLASS_MFA_POLICY_NAME,
                require_mfa_document(),
                origin("break_glass", users.first().map(|(n, _)| n.span)),
            );
            self.b.policy_mut(id).description =
                "deny everything but MFA self-management unless the session used MFA".into();
            id
        });
        for (name, u) in users {
            self.b.break_glass(BreakGlassUser {
                name: name.value.clone(),
                account,
                group: group.clone(),
                managed: managed.clone(),
                group_inline: if u.require_mfa.value {
                    guard.into_iter().collect()
                } else {
                    Vec::new()
                },
                key: crate::org::builder::key_of(&name.value),
                origin: origin(
                    &format!("break_glass.users.{}", name.value),
                    Some(name.span),
                ),
            });
        }
    }

    /// The accounts each customer-managed policy and boundary is created in.
    pub(super) fn placement(&mut self) {
        let used = std::mem::take(&mut self.used_in);
        for (id, accounts) in used {
            self.b.policy_mut(id).accounts = accounts.into_iter().collect();
        }
    }

    /// The blueprint's `tests:`, with principal references resolved.
    pub(super) fn tests(&mut self) {
        let bp = self.bp;
        for (i, t) in bp.tests.iter().enumerate() {
            let Some(principal) = self.principal_ref(&t.principal) else {
                continue;
            };
            let mut context = BTreeMap::new();
            for (k, v) in t.context.iter() {
                context.insert(
                    k.value.clone(),
                    v.value.values().iter().map(|s| (*s).to_string()).collect(),
                );
            }
            self.b.test(TestCase {
                principal_text: t.principal.value.clone(),
                principal,
                action: t.action.value.clone(),
                resource: t
                    .resource
                    .as_ref()
                    .map_or_else(|| "*".to_string(), |r| r.value.clone()),
                context,
                expect: match t.expect.value {
                    Expect::Allow => Expectation::Allow,
                    Expect::Deny => Expectation::Deny,
                    Expect::ExplicitDeny => Expectation::ExplicitDeny,
                    Expect::ImplicitDeny => Expectation::ImplicitDeny,
                },
                name: t.name.as_ref().map(|n| n.value.clone()),
                origin: origin(&format!("tests[{i}]"), Some(t.principal.span)),
            });
        }
    }

    /// `permission_set:NAME@ACCOUNT`, `role:NAME@ACCOUNT`,
    /// `delegation:TEAM@ACCOUNT`, `user:NAME`.
    fn principal_ref(&mut self, text: &Sp<String>) -> Option<PrincipalRef> {
        let found = principal::parse(&text.value).ok().and_then(|p| {
            let name = p.name.as_str();
            if p.kind == PrincipalKind::User {
                let index = self
                    .b
                    .org()
                    .break_glass
                    .iter()
                    .position(|u| u.name == name)?;
                return Some(PrincipalRef::BreakGlass { index });
            }
            let account = p.account.as_deref()?;
            let key = (name.to_string(), account.to_string());
            match p.kind {
                PrincipalKind::PermissionSet => Some(PrincipalRef::PermissionSet {
                    permission_set: *self.ps_ids.get(name)?,
                    account: *self.account_ids.get(account)?,
                }),
                PrincipalKind::Role => Some(PrincipalRef::Role {
                    role: *self.role_ids.get(&key)?,
                }),
                PrincipalKind::Delegation => Some(PrincipalRef::Role {
                    role: *self.admin_role_ids.get(&key)?,
                }),
                PrincipalKind::User => None,
            }
        });
        if found.is_none() {
            self.unresolved(
                text.span,
                &format!("cannot resolve the principal `{}`", text.value),
            );
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(iso_duration_seconds("PT4H"), Some(14_400));
        assert_eq!(iso_duration_seconds("PT1H30M"), Some(5_400));
        assert_eq!(iso_duration_seconds("PT90M"), Some(5_400));
        assert_eq!(iso_duration_seconds("PT12H"), Some(43_200));
        assert_eq!(iso_duration_seconds("PT"), None);
        assert_eq!(iso_duration_seconds("P1D"), None);
        assert_eq!(iso_duration_seconds("PT30M1H"), None);
        assert_eq!(iso_duration_seconds("PT4"), None);
        assert_eq!(iso_duration_seconds("PT99999999999H"), None);
    }

    #[test]
    fn aws_managed_names() {
        assert_eq!(
            aws_managed_arn("ReadOnlyAccess"),
            "arn:aws:iam::aws:policy/ReadOnlyAccess"
        );
        assert_eq!(
            aws_managed_arn("job-function/Billing"),
            "arn:aws:iam::aws:policy/job-function/Billing"
        );
        assert_eq!(
            aws_managed_arn("arn:aws:iam::aws:policy/X"),
            "arn:aws:iam::aws:policy/X"
        );
    }
}
