//! Duplicates: account names, emails and ids across the OU tree; names AWS
//! compares without case; IAM policy names shared by two definitions; and the
//! same entry listed twice (which AWS rejects, e.g. an SCP attached twice).
//!
//! Keys repeated inside one mapping are caught while parsing (LF006) and keys
//! defined in two included files while merging (LF011).

use std::collections::HashMap;

use super::Ctx;
use crate::blueprint::codes;
use crate::blueprint::span::Sp;
use crate::diagnostics::{Diagnostic, Span};

pub(super) fn check(ctx: &mut Ctx<'_>) {
    accounts(ctx);
    case_insensitive(ctx);
    iam_policy_names(ctx);
    lists(ctx);
    roles_per_account(ctx);
}

/// `roles:` and the admin roles of delegated teams land in accounts; one
/// account cannot hold two roles with one name (IAM compares without case).
fn roles_per_account(ctx: &mut Ctx<'_>) {
    use crate::blueprint::tree::Target;
    let bp = ctx.bp;
    // (role name, where it is named, its accounts, what defines it)
    type RoleDef<'b> = (String, &'b Sp<String>, &'b [Sp<String>], String);
    let mut defs: Vec<RoleDef<'_>> = Vec::new();
    for (name, role) in bp.roles.iter() {
        defs.push((
            name.value.clone(),
            name,
            &role.accounts,
            format!("role `{}`", name.value),
        ));
    }
    for (team, d) in bp.delegation.iter() {
        let role = d
            .admin_role
            .as_ref()
            .map_or_else(|| format!("{}-admin", team.value), |r| r.value.clone());
        let span = d.admin_role.as_ref().unwrap_or(team);
        defs.push((
            role,
            span,
            &d.accounts,
            format!("the admin role of team `{}`", team.value),
        ));
    }
    let mut seen: HashMap<(Target, String), (Span, String)> = HashMap::new();
    let mut reported: std::collections::HashSet<(String, String)> =
        std::collections::HashSet::new();
    let mut found = Vec::new();
    for (role, span, targets, what) in defs {
        let mut accounts = Vec::new();
        for t in targets {
            match ctx.idx.resolve_target(&t.value) {
                Ok(Target::Management) => accounts.push(Target::Management),
                Ok(target) => accounts.extend(
                    ctx.idx
                        .accounts_of(target, true)
                        .into_iter()
                        .map(Target::Account),
                ),
                Err(_) => {}
            }
        }
        for account in accounts {
            let key = (account, role.to_lowercase());
            match seen.get(&key) {
                Some((first, first_what)) if first_what != &what => {
                    if reported.insert((first_what.clone(), what.clone())) {
                        let account_name = match account {
                            Target::Account(a) => ctx.idx.accounts[a].name.value.clone(),
                            _ => ctx.idx.management_name().to_string(),
                        };
                        found.push(
                            Diagnostic::error(
                                codes::LF217,
                                format!("{what} and {first_what} both create role `{role}` in account `{account_name}`"),
                            )
                            .with_label(span.span, "second definition")
                            .with_secondary(*first, "first definition")
                            .with_help("rename one of the roles, or keep their `accounts:` apart"),
                        );
                    }
                }
                Some(_) => {}
                None => {
                    seen.insert(key, (span.span, what.clone()));
                }
            }
        }
    }
    ctx.out.extend(found);
}

fn accounts(ctx: &mut Ctx<'_>) {
    let bp = ctx.bp;
    let mgmt = &bp.organization.management_account;
    let mut names: HashMap<&str, (Span, String)> = HashMap::new();
    let mut emails: HashMap<String, Span> = HashMap::new();
    let mut ids: HashMap<&str, Span> = HashMap::new();
    names.insert(
        mgmt.name.as_str(),
        (mgmt.name.span, "the management account".to_string()),
    );
    emails.insert(mgmt.email.value.to_ascii_lowercase(), mgmt.email.span);
    if let Some(id) = &mgmt.id {
        ids.insert(id.as_str(), id.span);
    }
    let mut found = Vec::new();
    for a in &ctx.idx.accounts {
        let path = ctx.idx.ous[a.ou].path.clone();
        if let Some((first, where_)) = names.get(a.name.as_str()) {
            found.push(
                Diagnostic::error(codes::LF210, format!("account `{}` is defined twice", a.name.value))
                    .with_label(a.name.span, format!("again in OU `{path}`"))
                    .with_secondary(*first, format!("first defined in {where_}"))
                    .with_help("account names are how the blueprint refers to accounts; give each a unique name"),
            );
        } else {
            names.insert(a.name.as_str(), (a.name.span, format!("OU `{path}`")));
        }
        let email = &a.account.email;
        let key = email.value.to_ascii_lowercase();
        if let Some(first) = emails.get(&key) {
            found.push(
                Diagnostic::error(codes::LF211, format!("email `{}` is used by two accounts", email.value))
                    .with_label(email.span, "used again here")
                    .with_secondary(*first, "first used here")
                    .with_help("every AWS account needs its own root email address (plus-addressing such as `aws+prod@…` works)"),
            );
        } else {
            emails.insert(key, email.span);
        }
        if let Some(id) = &a.account.id {
            if let Some(first) = ids.get(id.as_str()) {
                found.push(
                    Diagnostic::error(
                        codes::LF212,
                        format!("account id `{}` is used twice", id.value),
                    )
                    .with_label(id.span, "used again here")
                    .with_secondary(*first, "first used here"),
                );
            } else {
                ids.insert(id.as_str(), id.span);
            }
        }
    }
    ctx.out.extend(found);
}

/// Names AWS compares case-insensitively: permission sets, IAM roles,
/// IAM policies and IAM users.
fn case_insensitive(ctx: &mut Ctx<'_>) {
    let bp = ctx.bp;
    let mut groups: Vec<(&str, Vec<&Sp<String>>)> = vec![
        (
            "permission set",
            bp.identity_center.permission_sets.keys().collect(),
        ),
        ("role", bp.roles.keys().collect()),
        (
            "IAM policy",
            bp.policies
                .managed
                .keys()
                .chain(bp.boundaries.keys())
                .chain(bp.abac.iter().flat_map(|a| a.policies.keys()))
                .collect(),
        ),
    ];
    if let Some(bg) = &bp.break_glass {
        groups.push(("break-glass user", bg.users.keys().collect()));
    }
    for (what, names) in groups {
        let mut seen: HashMap<String, &Sp<String>> = HashMap::new();
        for n in names {
            let key = n.value.to_lowercase();
            match seen.get(&key) {
                Some(first) if first.value != n.value => ctx.push(
                    Diagnostic::error(
                        codes::LF213,
                        format!(
                            "{what} names `{}` and `{}` differ only in case",
                            first.value, n.value
                        ),
                    )
                    .with_label(n.span, "this name")
                    .with_secondary(first.span, "clashes with this one")
                    .with_help(format!(
                        "AWS treats {what} names case-insensitively; rename one"
                    )),
                ),
                Some(_) => {}
                None => {
                    seen.insert(key, n);
                }
            }
        }
    }
}

/// `policies.managed`, `boundaries` and `abac.policies` all become IAM managed
/// policies in the accounts that use them: one name, one policy.
fn iam_policy_names(ctx: &mut Ctx<'_>) {
    let bp = ctx.bp;
    let mut seen: HashMap<&str, (&Sp<String>, &str)> = HashMap::new();
    let sections: Vec<(&str, Vec<&Sp<String>>)> = vec![
        ("policies.managed", bp.policies.managed.keys().collect()),
        ("boundaries", bp.boundaries.keys().collect()),
        (
            "abac.policies",
            bp.abac.iter().flat_map(|a| a.policies.keys()).collect(),
        ),
    ];
    for (section, names) in sections {
        for n in names {
            match seen.get(n.as_str()) {
                Some((first, first_section)) if *first_section != section => ctx.push(
                    Diagnostic::error(
                        codes::LF215,
                        format!(
                            "`{}` names both a policy in `{first_section}` and one in `{section}`",
                            n.value
                        ),
                    )
                    .with_label(n.span, "second definition")
                    .with_secondary(first.span, "first definition")
                    .with_help("both become IAM managed policies in the same accounts; rename one"),
                ),
                _ => {
                    seen.insert(n.as_str(), (n, section));
                }
            }
        }
    }
}

/// Whose list it is, described only when a duplicate is found.
enum Owner<'a> {
    Root(&'static str),
    Ou(usize, &'static str),
    Account(usize, &'static str),
    Named(&'static str, &'a str, &'static str),
    Assignment(usize, &'static str),
}

fn describe(ctx: &Ctx<'_>, owner: &Owner<'_>) -> String {
    match owner {
        Owner::Root(f) => format!("the root's `{f}`"),
        Owner::Ou(o, f) => format!("the `{f}` of OU `{}`", ctx.idx.ous[*o].path),
        Owner::Account(a, f) => {
            format!("the `{f}` of account `{}`", ctx.idx.accounts[*a].name.value)
        }
        Owner::Named(kind, name, f) => format!("the `{f}` of {kind} `{name}`"),
        Owner::Assignment(i, f) => format!("the `{f}` of assignment #{}", i + 1),
    }
}

fn dup_in(ctx: &Ctx<'_>, list: &[Sp<String>], owner: &Owner<'_>, found: &mut Vec<Diagnostic>) {
    if list.len() < 2 {
        return;
    }
    let mut seen: HashMap<&str, Span> = HashMap::new();
    for item in list {
        if let Some(first) = seen.get(item.as_str()) {
            found.push(
                Diagnostic::error(
                    codes::LF214,
                    format!(
                        "`{}` is listed twice in {}",
                        item.value,
                        describe(ctx, owner)
                    ),
                )
                .with_label(item.span, "listed again here")
                .with_secondary(*first, "first listed here")
                .with_help("remove the second entry"),
            );
        } else {
            seen.insert(item.as_str(), item.span);
        }
    }
}

fn lists(ctx: &mut Ctx<'_>) {
    let bp = ctx.bp;
    let mut todo: Vec<(&[Sp<String>], Owner<'_>)> = vec![
        (&bp.organization.scps, Owner::Root("scps")),
        (&bp.organization.rcps, Owner::Root("rcps")),
    ];
    for (i, o) in ctx.idx.ous.iter().enumerate() {
        todo.push((&o.ou.scps, Owner::Ou(i, "scps")));
        todo.push((&o.ou.rcps, Owner::Ou(i, "rcps")));
    }
    for (i, a) in ctx.idx.accounts.iter().enumerate() {
        todo.push((&a.account.scps, Owner::Account(i, "scps")));
        todo.push((&a.account.rcps, Owner::Account(i, "rcps")));
    }
    for (name, attach) in super::references::guardrail_attach_lists(bp) {
        todo.push((attach, Owner::Named("guardrail", name, "attach")));
    }
    for (i, a) in bp.identity_center.assignments.iter().enumerate() {
        todo.push((&a.targets, Owner::Assignment(i, "targets")));
        todo.push((&a.exclude, Owner::Assignment(i, "exclude")));
    }
    for (name, ps) in bp.identity_center.permission_sets.iter() {
        todo.push((
            &ps.aws_managed,
            Owner::Named("permission set", name.as_str(), "aws_managed"),
        ));
        todo.push((
            &ps.customer_managed,
            Owner::Named("permission set", name.as_str(), "customer_managed"),
        ));
    }
    for (name, role) in bp.roles.iter() {
        todo.push((
            &role.accounts,
            Owner::Named("role", name.as_str(), "accounts"),
        ));
        todo.push((
            &role.aws_managed,
            Owner::Named("role", name.as_str(), "aws_managed"),
        ));
        todo.push((
            &role.customer_managed,
            Owner::Named("role", name.as_str(), "customer_managed"),
        ));
    }
    for (name, team) in bp.delegation.iter() {
        todo.push((
            &team.accounts,
            Owner::Named("team", name.as_str(), "accounts"),
        ));
    }
    let mut found = Vec::new();
    for (list, owner) in &todo {
        dup_in(ctx, list, owner, &mut found);
    }
    ctx.out.extend(found);
}
