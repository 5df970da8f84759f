//! The organization's structure: OUs, accounts, targets, and the organization
//! policies (the blueprint's own SCPs/RCPs and the compiled guardrails).

use std::collections::{BTreeMap, HashMap};

use super::doc::iam_path;
use super::guardrails::{self, RegionLock};
use super::merge::{GuardrailPart, merge_parts};
use super::naming::{TargetName, guardrail_scp_name};
use super::{Resolver, codes, origin};
use crate::blueprint::{Ou, PolicyDef, Sp};
use crate::diagnostics::{Diagnostic, Span};
use crate::org::{AccountId, OrgPolicyType, Origin, OuId, PolicyId, PolicyKind, Target};

/// A target with the SCPs and RCPs the blueprint attaches to it, whether it
/// keeps `FullAWSAccess`, and the construct path.
type AttachRefs<'a> = (Target, &'a [Sp<String>], &'a [Sp<String>], bool, String);

/// An account met while walking the OU tree.
struct Found<'a> {
    name: &'a Sp<String>,
    account: &'a crate::blueprint::Account,
    ou: OuId,
}

impl<'a> Resolver<'a> {
    /// OUs depth-first in sorted name order, then the management account and
    /// the member accounts sorted by name.
    pub(super) fn structure(&mut self) {
        let bp = self.bp;
        let types: Vec<OrgPolicyType> = bp
            .organization
            .policy_types
            .iter()
            .map(|t| match t.value {
                crate::blueprint::PolicyType::ServiceControlPolicy => {
                    OrgPolicyType::ServiceControlPolicy
                }
                crate::blueprint::PolicyType::ResourceControlPolicy => {
                    OrgPolicyType::ResourceControlPolicy
                }
            })
            .collect();
        let mut types = types;
        types.sort();
        types.dedup();
        self.b.policy_types(types);

        let mut found: Vec<Found<'a>> = Vec::new();
        let root = self.b.root();
        self.ous(&bp.organizational_units, root, "", &mut found);

        let mgmt = &bp.organization.management_account;
        let mgmt_id = self.b.account(
            &mgmt.name.value,
            &mgmt.email.value,
            root,
            true,
            origin("organization.management_account", Some(mgmt.name.span)),
        );
        {
            let a = &mut self.b.org_mut().accounts[mgmt_id.index()];
            a.aws_account_id = mgmt.id.as_ref().map(|i| i.value.clone());
            a.tags = tags(&mgmt.tags);
        }
        self.account_ids.insert(mgmt.name.value.clone(), mgmt_id);

        found.sort_by(|a, b| a.name.value.cmp(&b.name.value));
        for f in found {
            let id = self.b.account(
                &f.name.value,
                &f.account.email.value,
                f.ou,
                false,
                origin(&format!("accounts.{}", f.name.value), Some(f.name.span)),
            );
            let a = &mut self.b.org_mut().accounts[id.index()];
            a.aws_account_id = f.account.id.as_ref().map(|i| i.value.clone());
            a.tags = tags(&f.account.tags);
            self.account_ids.insert(f.name.value.clone(), id);
        }
        // the OU's account lists follow the accounts' order (sorted by name)
        for ou in &mut self.b.org_mut().ous {
            ou.accounts.sort();
        }
    }

    fn ous(
        &mut self,
        map: &'a crate::blueprint::NameMap<Ou>,
        parent: OuId,
        parent_path: &str,
        found: &mut Vec<Found<'a>>,
    ) {
        let mut entries: Vec<(&'a Sp<String>, &'a Ou)> = map.iter().collect();
        entries.sort_by(|a, b| a.0.value.cmp(&b.0.value));
        for (name, ou) in entries {
            let path = if parent_path.is_empty() {
                name.value.clone()
            } else {
                format!("{parent_path}/{}", name.value)
            };
            let construct = format!("organizational_units.{}", path.replace('/', "."));
            let id = self
                .b
                .ou(parent, &name.value, origin(&construct, Some(name.span)));
            self.b.org_mut().ous[id.index()].tags = tags(&ou.tags);
            self.ou_ids.insert(path.clone(), id);
            for (acct_name, account) in ou.accounts.iter() {
                found.push(Found {
                    name: acct_name,
                    account,
                    ou: id,
                });
            }
            self.ous(&ou.children, id, &path, found);
        }
    }

    /// A target as the blueprint writes it: `Root`, an OU path, an account
    /// name, or `ou:PATH` / `account:NAME`.
    pub(super) fn target(&mut self, text: &Sp<String>) -> Option<Target> {
        let t = text.value.trim();
        let found = if t == "Root" || t == "root" {
            Some(Target::Root)
        } else if let Some(path) = t.strip_prefix("ou:") {
            self.ou_ids
                .get(path.trim_matches('/'))
                .map(|id| Target::Ou(*id))
        } else if let Some(name) = t.strip_prefix("account:") {
            self.account_ids.get(name).map(|id| Target::Account(*id))
        } else if let Some(id) = self.ou_ids.get(t.trim_matches('/')) {
            Some(Target::Ou(*id))
        } else {
            self.account_ids.get(t).map(|id| Target::Account(*id))
        };
        if found.is_none() {
            self.unresolved(text.span, &format!("unknown target `{t}`"));
        }
        found
    }

    /// The accounts a target reaches: an OU's accounts (and, when `recursive`,
    /// those of every OU below it); `Root` reaches every member account. The
    /// management account is reached only when named as an account.
    pub(super) fn accounts_of(&self, target: Target, recursive: bool) -> Vec<AccountId> {
        let org = self.b.org();
        let mut out = Vec::new();
        match target {
            Target::Account(id) => out.push(id),
            Target::Root | Target::Ou(_) => {
                let start = match target {
                    Target::Ou(id) => id,
                    _ => OuId(0),
                };
                let mut stack = vec![start];
                while let Some(ou) = stack.pop() {
                    for a in &org.ou(ou).accounts {
                        if !org.account(*a).is_management {
                            out.push(*a);
                        }
                    }
                    if recursive {
                        stack.extend(org.ou(ou).children.iter().copied());
                    }
                }
            }
        }
        out.sort();
        out.dedup();
        out
    }

    /// The document of a blueprint policy: as loaded from `file:`, or as written.
    pub(super) fn document_of(&mut self, def: &PolicyDef, span: Span) -> serde_json::Value {
        if let Some(r) = &def.resolved {
            return r.value.clone();
        }
        if let Some(d) = &def.document {
            return d.value.0.clone();
        }
        self.unresolved(span, "the policy has no document that could be read");
        serde_json::json!({"Version": "2012-10-17", "Statement": []})
    }

    /// The blueprint's own SCPs, RCPs and customer-managed policies, sorted by
    /// name within each kind, and the SCP/RCP attachments the OUs and accounts
    /// name.
    pub(super) fn organization_policies(&mut self) {
        let bp = self.bp;
        let mut by_name: HashMap<(PolicyKind, String), PolicyId> = HashMap::new();
        for (kind, map, section) in [
            (PolicyKind::Scp, &bp.policies.scp, "policies.scp"),
            (PolicyKind::Rcp, &bp.policies.rcp, "policies.rcp"),
            (
                PolicyKind::Managed,
                &bp.policies.managed,
                "policies.managed",
            ),
        ] {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_by(|a, b| a.0.value.cmp(&b.0.value));
            for (name, def) in entries {
                let doc = self.document_of(def, name.span);
                let id = self.b.policy(
                    kind,
                    &name.value,
                    doc,
                    origin(&format!("{section}.{}", name.value), Some(name.span)),
                );
                let p = self.b.policy_mut(id);
                p.description = def
                    .description
                    .as_ref()
                    .map(|d| d.value.clone())
                    .unwrap_or_default();
                if kind == PolicyKind::Managed {
                    p.path = iam_path(def.path.as_ref().map_or("/", |p| p.value.as_str()));
                    self.managed_ids
                        .insert(name.value.clone(), (id, p.path.clone()));
                }
                by_name.insert((kind, name.value.clone()), id);
            }
        }

        // attachments: root, OUs (in IR order), accounts (in IR order)
        let mut refs: Vec<AttachRefs<'a>> = Vec::new();
        refs.push((
            Target::Root,
            &bp.organization.scps,
            &bp.organization.rcps,
            bp.organization.full_aws_access.value,
            "organization".to_string(),
        ));
        let mut ou_refs: Vec<(OuId, &'a Ou, String)> = Vec::new();
        collect_ous(&bp.organizational_units, "", &mut ou_refs, &self.ou_ids);
        ou_refs.sort_by_key(|(id, _, _)| *id);
        let mut acct_refs: Vec<(AccountId, &'a crate::blueprint::Account, String)> = Vec::new();
        for (_, ou, path) in &ou_refs {
            for (name, account) in ou.accounts.iter() {
                if let Some(id) = self.account_ids.get(&name.value) {
                    acct_refs.push((*id, account, format!("{path}.accounts.{}", name.value)));
                }
            }
        }
        acct_refs.sort_by_key(|(id, _, _)| *id);
        for (id, ou, construct) in &ou_refs {
            refs.push((
                Target::Ou(*id),
                &ou.scps,
                &ou.rcps,
                ou.full_aws_access.value,
                construct.clone(),
            ));
        }
        for (id, account, construct) in &acct_refs {
            refs.push((
                Target::Account(*id),
                &account.scps,
                &account.rcps,
                account.full_aws_access.value,
                construct.clone(),
            ));
        }
        for (target, scps, rcps, full_access, construct) in refs {
            if !full_access {
                self.b.org_mut().full_aws_access_detached.push(target);
            }
            for (kind, list, field) in [
                (PolicyKind::Scp, scps, "scps"),
                (PolicyKind::Rcp, rcps, "rcps"),
            ] {
                for r in list {
                    match by_name.get(&(kind, r.value.clone())) {
                        Some(id) => self.b.attach(
                            *id,
                            target,
                            origin(&format!("{construct}.{field}"), Some(r.span)),
                        ),
                        None => self.unresolved(
                            r.span,
                            &format!(
                                "unknown {} `{}`",
                                if kind == PolicyKind::Scp {
                                    "SCP"
                                } else {
                                    "RCP"
                                },
                                r.value
                            ),
                        ),
                    }
                }
            }
        }
    }

    /// Compiles the guardrails and attaches them: every guardrail attached to
    /// a target becomes part of that target's guardrail SCP (see
    /// [`super::merge`]), in a fixed order.
    pub(super) fn guardrails(&mut self) {
        let bp = self.bp;
        let g = &bp.guardrails;
        // (target, part, span of the attach entry)
        let mut per_target: BTreeMap<Target, Vec<(GuardrailPart, Span)>> = BTreeMap::new();
        let mut add = |this: &mut Self,
                       construct: &str,
                       attach: &[Sp<String>],
                       stmts: Vec<super::doc::Statement>| {
            if stmts.is_empty() {
                if let Some(first) = attach.first() {
                    this.diags.push(
                        Diagnostic::warning(
                            codes::LF511,
                            format!("guardrail `{construct}` compiles to no statement"),
                        )
                        .with_label(first.span, "attached here")
                        .with_help(
                            "list the actions (or the `abac` create actions) whose services it should protect",
                        ),
                    );
                }
                return;
            }
            let span = attach.first().map(|a| a.span);
            for a in attach {
                if let Some(t) = this.target(a) {
                    let list = per_target.entry(t).or_default();
                    if list.iter().any(|(p, _)| p.origin.construct == construct) {
                        continue;
                    }
                    list.push((
                        GuardrailPart {
                            origin: origin(construct, span),
                            statements: stmts.clone(),
                        },
                        a.span,
                    ));
                }
            }
        };
        let strings = |v: &[Sp<String>]| v.iter().map(|s| s.value.clone()).collect::<Vec<_>>();

        if let Some(x) = &g.deny_leave_organization {
            let stmts = guardrails::deny_leave_organization(&strings(&x.exempt_principals));
            add(self, "guardrails.deny_leave_organization", &x.attach, stmts);
        }
        if let Some(x) = &g.deny_member_root {
            let stmts = guardrails::deny_member_root(&strings(&x.exempt_principals));
            add(self, "guardrails.deny_member_root", &x.attach, stmts);
        }
        if let Some(x) = &g.protect_audit_trail {
            let stmts = guardrails::protect_audit_trail(
                &strings(&x.exempt_principals),
                x.include_config.value,
            );
            add(self, "guardrails.protect_audit_trail", &x.attach, stmts);
        }
        if let Some(x) = &g.region_lock {
            let allowed = if x.allowed.is_empty() {
                strings(&bp.organization.allowed_regions)
            } else {
                strings(&x.allowed)
            };
            let stmts = if allowed.is_empty() {
                if let Some(first) = x.attach.first() {
                    self.unresolved(first.span, "the region lock names no allowed region");
                }
                Vec::new()
            } else {
                guardrails::region_lock(&RegionLock {
                    allowed_regions: allowed,
                    global_services: if x.exempt_global_services.value {
                        guardrails::default_global_exemptions()
                    } else {
                        Vec::new()
                    },
                    exempt_actions: strings(&x.exempt_actions),
                    exempt_principals: strings(&x.exempt_principals),
                })
            };
            add(self, "guardrails.region_lock", &x.attach, stmts);
        }
        if let Some(x) = &g.require_boundary_on_create_role {
            let mut arns = Vec::new();
            for name in &x.boundaries {
                match bp.boundaries.get(&name.value) {
                    Some(b) => arns.push(self.boundary_spec(&name.value, b).exact_arn()),
                    None => {
                        self.unresolved(name.span, &format!("unknown boundary `{}`", name.value));
                    }
                }
            }
            let stmts = if arns.is_empty() {
                Vec::new()
            } else {
                guardrails::require_boundary_on_create_role(&arns, &strings(&x.exempt_principals))
            };
            add(
                self,
                "guardrails.require_boundary_on_create_role",
                &x.attach,
                stmts,
            );
        }
        let abac_keys = bp
            .abac
            .as_ref()
            .map(|a| strings(&a.tag_keys))
            .unwrap_or_default();
        let abac_create = bp
            .abac
            .as_ref()
            .map(|a| strings(&a.require_on_create))
            .unwrap_or_default();
        let mut tag_actions = abac_create.clone();
        if let Some(x) = &g.require_tags_on_create {
            let keys = if x.tag_keys.is_empty() {
                abac_keys.clone()
            } else {
                strings(&x.tag_keys)
            };
            let actions = if x.actions.is_empty() {
                abac_create.clone()
            } else {
                strings(&x.actions)
            };
            tag_actions.extend(actions.iter().cloned());
            let stmts = guardrails::require_tags_on_create(&keys, &actions, &[]);
            add(self, "guardrails.require_tags_on_create", &x.attach, stmts);
        }
        if let Some(x) = &g.protect_governance_tags {
            let keys = if x.tag_keys.is_empty() {
                abac_keys.clone()
            } else {
                strings(&x.tag_keys)
            };
            // the services whose tags ABAC relies on
            let mut services: Vec<String> = tag_actions
                .iter()
                .filter_map(|a| guardrails::service_of(a).map(str::to_string))
                .collect();
            if let Some(abac) = &bp.abac {
                for (_, p) in abac.policies.iter() {
                    services.extend(
                        p.actions
                            .iter()
                            .filter_map(|a| guardrails::service_of(a).map(str::to_string)),
                    );
                }
            }
            let stmts = guardrails::protect_tags(&keys, &services, &strings(&x.exempt_principals));
            add(self, "guardrails.protect_governance_tags", &x.attach, stmts);
        }

        for (target, parts) in per_target {
            let label = match target {
                Target::Root => String::new(),
                Target::Ou(id) => self.b.org().ou(id).path.clone(),
                Target::Account(id) => self.b.org().account(id).name.clone(),
            };
            let name_target = match target {
                Target::Root => TargetName::Root,
                Target::Ou(_) => TargetName::Ou(&label),
                Target::Account(_) => TargetName::Account(&label),
            };
            let attach_span = parts.first().map(|(_, s)| *s);
            let only: Vec<GuardrailPart> = parts.into_iter().map(|(p, _)| p).collect();
            for (i, merged) in merge_parts(&only, super::limits::SCP_MAX_CHARS)
                .into_iter()
                .enumerate()
            {
                let name = guardrail_scp_name(name_target, i);
                let first = merged
                    .parts
                    .first()
                    .cloned()
                    .unwrap_or_else(|| origin("guardrails", None));
                let id = self
                    .b
                    .policy(PolicyKind::Scp, &name, merged.document, first.clone());
                let description = {
                    let org = self.b.org();
                    format!(
                        "landform guardrails for {}: {}",
                        org.target_name(target),
                        merged
                            .parts
                            .iter()
                            .map(|p| p.construct.trim_start_matches("guardrails."))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                };
                let p = self.b.policy_mut(id);
                p.description = description;
                p.parts = merged.parts;
                self.b.attach(
                    id,
                    target,
                    Origin::new(first.construct.clone(), attach_span.or(first.span)),
                );
            }
        }
    }
}

fn collect_ous<'a>(
    map: &'a crate::blueprint::NameMap<Ou>,
    parent_path: &str,
    out: &mut Vec<(OuId, &'a Ou, String)>,
    ids: &HashMap<String, OuId>,
) {
    for (name, ou) in map.iter() {
        let path = if parent_path.is_empty() {
            name.value.clone()
        } else {
            format!("{parent_path}/{}", name.value)
        };
        if let Some(id) = ids.get(&path) {
            out.push((
                *id,
                ou,
                format!("organizational_units.{}", path.replace('/', ".")),
            ));
        }
        collect_ous(&ou.children, &path, out, ids);
    }
}

/// Tags as a sorted map.
pub(super) fn tags(map: &crate::blueprint::NameMap<Sp<String>>) -> BTreeMap<String, String> {
    map.iter()
        .map(|(k, v)| (k.value.clone(), v.value.clone()))
        .collect()
}
