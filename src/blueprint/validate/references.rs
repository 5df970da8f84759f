//! References between sections: policies, targets, accounts, boundaries,
//! permission sets, groups, users, and the principal references of `tests:`
//! and trust policies. Each unknown name gets the nearest existing one.

use std::collections::{HashMap, HashSet};

use super::Ctx;
use crate::blueprint::codes;
use crate::blueprint::model::{Blueprint, Trust};
use crate::blueprint::principal::{self, PrincipalKind};
use crate::blueprint::span::{NameMap, Sp};
use crate::blueprint::tree::Target;
use crate::diagnostics::Diagnostic;

/// Every guardrail's name and `attach:` list.
pub(crate) fn guardrail_attach_lists(bp: &Blueprint) -> Vec<(&'static str, &Vec<Sp<String>>)> {
    let g = &bp.guardrails;
    let mut out = Vec::new();
    if let Some(x) = &g.region_lock {
        out.push(("region_lock", &x.attach));
    }
    if let Some(x) = &g.deny_leave_organization {
        out.push(("deny_leave_organization", &x.attach));
    }
    if let Some(x) = &g.protect_audit_trail {
        out.push(("protect_audit_trail", &x.attach));
    }
    if let Some(x) = &g.deny_member_root {
        out.push(("deny_member_root", &x.attach));
    }
    if let Some(x) = &g.require_boundary_on_create_role {
        out.push(("require_boundary_on_create_role", &x.attach));
    }
    if let Some(x) = &g.require_tags_on_create {
        out.push(("require_tags_on_create", &x.attach));
    }
    if let Some(x) = &g.protect_governance_tags {
        out.push(("protect_governance_tags", &x.attach));
    }
    out
}

pub(super) fn check(ctx: &mut Ctx<'_>) {
    let bp = ctx.bp;
    org_policies(ctx);

    // guardrails
    for (_, attach) in guardrail_attach_lists(bp) {
        for t in attach {
            ctx.target(t);
        }
    }
    let g = &bp.guardrails;
    if let Some(r) = &g.require_boundary_on_create_role {
        for b in &r.boundaries {
            boundary(ctx, b);
        }
    }
    let abac_keys = bp.abac.as_ref().is_some_and(|a| !a.tag_keys.is_empty());
    if let Some(r) = &g.require_tags_on_create {
        if r.tag_keys.is_empty() && !abac_keys {
            no_tag_keys(ctx, "require_tags_on_create", &r.attach);
        }
        let abac_actions = bp
            .abac
            .as_ref()
            .is_some_and(|a| !a.require_on_create.is_empty());
        if r.actions.is_empty() && !abac_actions {
            ctx.push(
                Diagnostic::error(
                    codes::LF109,
                    "`guardrails.require_tags_on_create` has no actions to guard",
                )
                .with_label(
                    attach_span(&r.attach, bp),
                    "which create actions need the tags?",
                )
                .with_help("add `actions:` (e.g. `ec2:RunInstances`) or `abac.require_on_create`"),
            );
        }
    }
    if let Some(r) = &g.protect_governance_tags
        && r.tag_keys.is_empty()
        && !abac_keys
    {
        no_tag_keys(ctx, "protect_governance_tags", &r.attach);
    }

    // delegation
    for (_, team) in bp.delegation.iter() {
        for t in &team.accounts {
            ctx.target(t);
        }
        boundary(ctx, &team.boundary);
        if let Some(trust) = &team.trust {
            trust_refs(ctx, trust);
        }
    }

    identity_center(ctx);

    // roles
    for (_, role) in bp.roles.iter() {
        for t in &role.accounts {
            ctx.target(t);
        }
        for p in &role.customer_managed {
            customer_managed(ctx, p);
        }
        if let Some(b) = &role.boundary {
            boundary(ctx, b);
        }
        trust_refs(ctx, &role.trust);
    }

    if let Some(bg) = &bp.break_glass
        && let Some(account) = &bg.account
    {
        ctx.account(account);
    }

    let mut cache = Reach::default();
    for test in &bp.tests {
        principal_ref(ctx, &test.principal, &mut cache, false);
    }
}

fn attach_span(attach: &[Sp<String>], bp: &Blueprint) -> crate::diagnostics::Span {
    attach.first().map_or(bp.organization.name.span, |t| t.span)
}

fn no_tag_keys(ctx: &mut Ctx<'_>, which: &str, attach: &[Sp<String>]) {
    let span = attach_span(attach, ctx.bp);
    ctx.push(
        Diagnostic::error(
            codes::LF109,
            format!("`guardrails.{which}` has no tag keys"),
        )
        .with_label(span, "which tags?")
        .with_help("add `tag_keys:` to the guardrail, or define `abac.tag_keys`"),
    );
}

fn org_policies(ctx: &mut Ctx<'_>) {
    let bp = ctx.bp;
    let mut lists: Vec<(&Vec<Sp<String>>, bool)> = vec![
        (&bp.organization.scps, true),
        (&bp.organization.rcps, false),
    ];
    for o in &ctx.idx.ous {
        lists.push((&o.ou.scps, true));
        lists.push((&o.ou.rcps, false));
    }
    for a in &ctx.idx.accounts {
        lists.push((&a.account.scps, true));
        lists.push((&a.account.rcps, false));
    }
    for (list, is_scp) in lists {
        for name in list {
            let (own, other, own_word, other_word, section) = if is_scp {
                (
                    &bp.policies.scp,
                    &bp.policies.rcp,
                    "SCP",
                    "RCP",
                    "policies.scp",
                )
            } else {
                (
                    &bp.policies.rcp,
                    &bp.policies.scp,
                    "RCP",
                    "SCP",
                    "policies.rcp",
                )
            };
            if own.contains_key(&name.value) {
                continue;
            }
            if other.contains_key(&name.value) {
                let (field_own, field_other) = if is_scp {
                    ("scps", "rcps")
                } else {
                    ("rcps", "scps")
                };
                ctx.push(
                    Diagnostic::error(
                        codes::LF203,
                        format!("`{}` is an {other_word}, not an {own_word}", name.value),
                    )
                    .with_label(name.span, format!("listed under `{field_own}`"))
                    .with_help(format!("move it to `{field_other}`")),
                );
                continue;
            }
            let candidates: Vec<&str> = own.keys().map(Sp::as_str).collect();
            ctx.unknown(codes::LF203, own_word, name, candidates, section);
        }
    }
}

fn boundary(ctx: &mut Ctx<'_>, name: &Sp<String>) {
    if ctx.bp.boundaries.contains_key(&name.value) {
        return;
    }
    let candidates: Vec<&str> = ctx.bp.boundaries.keys().map(Sp::as_str).collect();
    ctx.unknown(codes::LF206, "boundary", name, candidates, "boundaries");
}

fn customer_managed(ctx: &mut Ctx<'_>, name: &Sp<String>) {
    let bp = ctx.bp;
    let abac = bp.abac.as_ref().map(|a| &a.policies);
    if bp.policies.managed.contains_key(&name.value)
        || abac.is_some_and(|p| p.contains_key(&name.value))
    {
        return;
    }
    for (map, word) in [(&bp.policies.scp, "an SCP"), (&bp.policies.rcp, "an RCP")] {
        if map.contains_key(&name.value) {
            ctx.push(
                Diagnostic::error(
                    codes::LF203,
                    format!(
                        "`{}` is {word}, not a customer-managed IAM policy",
                        name.value
                    ),
                )
                .with_label(name.span, "not an IAM policy")
                .with_help("define the IAM policy under `policies.managed`"),
            );
            return;
        }
    }
    let mut candidates: Vec<&str> = bp.policies.managed.keys().map(Sp::as_str).collect();
    if let Some(p) = abac {
        candidates.extend(p.keys().map(Sp::as_str));
    }
    ctx.unknown(
        codes::LF203,
        "customer-managed policy",
        name,
        candidates,
        "policies.managed",
    );
}

fn identity_center(ctx: &mut Ctx<'_>) {
    let ic = &ctx.bp.identity_center;
    for (_, user) in ic.users.iter() {
        for g in &user.groups {
            named(
                ctx,
                &ic.groups,
                g,
                codes::LF205,
                "group",
                "identity_center.groups",
            );
        }
    }
    for (_, ps) in ic.permission_sets.iter() {
        for p in &ps.customer_managed {
            customer_managed(ctx, p);
        }
        if let Some(b) = &ps.boundary {
            boundary(ctx, b);
        }
    }
    for a in &ic.assignments {
        if let Some(g) = &a.group {
            named(
                ctx,
                &ic.groups,
                g,
                codes::LF205,
                "group",
                "identity_center.groups",
            );
        }
        if let Some(u) = &a.user {
            named(
                ctx,
                &ic.users,
                u,
                codes::LF205,
                "user",
                "identity_center.users",
            );
        }
        named(
            ctx,
            &ic.permission_sets,
            &a.permission_set,
            codes::LF204,
            "permission set",
            "identity_center.permission_sets",
        );
        for t in a.targets.iter().chain(&a.exclude) {
            ctx.target(t);
        }
    }
}

fn named<T>(
    ctx: &mut Ctx<'_>,
    map: &NameMap<T>,
    name: &Sp<String>,
    code: &str,
    noun: &str,
    section: &str,
) -> bool {
    if map.contains_key(&name.value) {
        return true;
    }
    let candidates: Vec<&str> = map.keys().map(Sp::as_str).collect();
    ctx.unknown(code, noun, name, candidates, section);
    false
}

fn trust_refs(ctx: &mut Ctx<'_>, trust: &Trust) {
    let mut cache = Reach::default();
    for p in &trust.principals {
        principal_ref(ctx, p, &mut cache, true);
    }
    for s in &trust.services {
        if let Some(account) = &s.source_account
            && !is_account_id(&account.value)
        {
            ctx.account(account);
        }
    }
}

pub(crate) fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// Where permission sets, roles and teams exist (computed on demand).
#[derive(Default)]
struct Reach {
    permission_sets: HashMap<String, HashSet<Target>>,
}

/// The accounts a list of targets reaches (silently skipping unknown ones,
/// which are reported elsewhere).
fn reached(
    ctx: &Ctx<'_>,
    targets: &[Sp<String>],
    excludes: &[Sp<String>],
    recursive: bool,
) -> HashSet<Target> {
    let mut out = HashSet::new();
    for t in targets {
        match ctx.idx.resolve_target(&t.value) {
            Ok(Target::Management) => {
                out.insert(Target::Management);
            }
            Ok(target) => {
                out.extend(
                    ctx.idx
                        .accounts_of(target, recursive)
                        .into_iter()
                        .map(Target::Account),
                );
            }
            Err(_) => {}
        }
    }
    for t in excludes {
        match ctx.idx.resolve_target(&t.value) {
            Ok(Target::Management) => {
                out.remove(&Target::Management);
            }
            Ok(target) => {
                for a in ctx.idx.accounts_of(target, true) {
                    out.remove(&Target::Account(a));
                }
            }
            Err(_) => {}
        }
    }
    out
}

/// The account word that means "the account this role is created in".
pub(crate) const SELF_ACCOUNT: &str = "self";

fn principal_ref(ctx: &mut Ctx<'_>, text: &Sp<String>, reach: &mut Reach, in_trust: bool) {
    let p = match principal::parse(&text.value) {
        Ok(p) => p,
        Err(e) => {
            ctx.push(
                Diagnostic::error(codes::LF207, e.message)
                    .with_label(text.span, "not a principal reference")
                    .with_help(e.help),
            );
            return;
        }
    };
    let bp = ctx.bp;
    let account = match &p.account {
        Some(a) if a == SELF_ACCOUNT => {
            if !in_trust {
                ctx.push(
                    Diagnostic::error(
                        codes::LF207,
                        format!("`{}`: `@self` only works in trust policies", text.value),
                    )
                    .with_label(text.span, "which account?")
                    .with_help("a test names a concrete account, e.g. `@payments-prod`"),
                );
                return;
            }
            None
        }
        Some(a) => {
            let found = ctx.idx.account(a);
            if found.is_none() {
                let candidates = ctx.idx.account_candidates();
                let mut d = Diagnostic::error(
                    codes::LF202,
                    format!("unknown account `{a}` in `{}`", text.value),
                )
                .with_label(text.span, "no account has this name");
                if let Some(s) = crate::util::suggest::closest(a, &candidates) {
                    d = d.with_help(format!("did you mean `{s}`?"));
                }
                ctx.push(d);
                return;
            }
            found
        }
        None => None,
    };
    let fail = |ctx: &mut Ctx<'_>, message: String, help: String| {
        ctx.push(
            Diagnostic::error(codes::LF208, message)
                .with_label(text.span, "this principal does not exist")
                .with_help(help),
        );
    };
    let account_name = p.account.clone().unwrap_or_default();
    match p.kind {
        PrincipalKind::PermissionSet => {
            if !bp.identity_center.permission_sets.contains_key(&p.name) {
                let candidates: Vec<&str> = bp
                    .identity_center
                    .permission_sets
                    .keys()
                    .map(Sp::as_str)
                    .collect();
                let help = did_you_mean(&p.name, &candidates)
                    .unwrap_or_else(|| "define it under `identity_center.permission_sets`".into());
                fail(ctx, format!("unknown permission set `{}`", p.name), help);
                return;
            }
            let targets = reach
                .permission_sets
                .entry(p.name.clone())
                .or_insert_with(|| {
                    let mut out = HashSet::new();
                    for a in bp
                        .identity_center
                        .assignments
                        .iter()
                        .filter(|a| a.permission_set.value == p.name)
                    {
                        out.extend(reached(ctx, &a.targets, &a.exclude, a.recursive.value));
                    }
                    out
                });
            if let Some(acct) = account
                && !targets.contains(&acct)
            {
                fail(
                    ctx,
                    format!(
                        "permission set `{}` is not assigned in account `{account_name}`",
                        p.name
                    ),
                    format!(
                        "add an assignment of `{}` that targets `{account_name}` (or its OU), or test another account",
                        p.name
                    ),
                );
            }
        }
        PrincipalKind::Role => {
            let Some(role) = bp.roles.get(&p.name) else {
                let candidates: Vec<&str> = bp.roles.keys().map(Sp::as_str).collect();
                let help = did_you_mean(&p.name, &candidates)
                    .unwrap_or_else(|| "define it under `roles`".into());
                fail(ctx, format!("unknown role `{}`", p.name), help);
                return;
            };
            let targets = reached(ctx, &role.accounts, &[], true);
            if let Some(acct) = account
                && !targets.contains(&acct)
            {
                fail(
                    ctx,
                    format!(
                        "role `{}` is not created in account `{account_name}`",
                        p.name
                    ),
                    format!("add `{account_name}` (or its OU) to the role's `accounts:`"),
                );
            }
        }
        PrincipalKind::Delegation => {
            let Some(team) = bp.delegation.get(&p.name) else {
                let candidates: Vec<&str> = bp.delegation.keys().map(Sp::as_str).collect();
                let help = did_you_mean(&p.name, &candidates)
                    .unwrap_or_else(|| "define the team under `delegation`".into());
                fail(ctx, format!("unknown delegated team `{}`", p.name), help);
                return;
            };
            let targets = reached(ctx, &team.accounts, &[], true);
            if let Some(acct) = account
                && !targets.contains(&acct)
            {
                fail(
                    ctx,
                    format!(
                        "team `{}` has no admin role in account `{account_name}`",
                        p.name
                    ),
                    format!("add `{account_name}` (or its OU) to the team's `accounts:`"),
                );
            }
        }
        PrincipalKind::User => {
            let users = bp.break_glass.as_ref().map(|b| &b.users);
            if !users.is_some_and(|u| u.contains_key(&p.name)) {
                let candidates: Vec<&str> = users
                    .map(|u| u.keys().map(Sp::as_str).collect())
                    .unwrap_or_default();
                let help = did_you_mean(&p.name, &candidates).unwrap_or_else(|| {
                    "`user:` names a break-glass user from `break_glass.users`".into()
                });
                fail(ctx, format!("unknown break-glass user `{}`", p.name), help);
            }
        }
    }
}

fn did_you_mean(name: &str, candidates: &[&str]) -> Option<String> {
    crate::util::suggest::did_you_mean(name, candidates)
}
