//! Resources and broad grants: PL201, PL501–PL503.

use std::collections::HashMap;

use super::{Cx, Finding, FindingClass, PolicyKind, stmt_name};
use crate::catalog::{ActionId, catalog};
use crate::policy::ast::{Effect, Statement};

pub(super) fn check(cx: &mut Cx<'_>) {
    for s in &cx.policy.statements {
        mismatch(cx, s);
        broad_grants(cx, s);
    }
}

/// PL201: actions none of whose resource types can match any resource.
fn mismatch(cx: &mut Cx<'_>, s: &Statement) {
    let cat = catalog();
    let Some(res) = &s.resource else { return };
    if res.negated || s.action.negated || res.items.iter().any(|r| r.value == "*") {
        return;
    }
    let verb = match s.effect.value {
        Effect::Allow => "allows",
        Effect::Deny => "denies",
    };
    // (resource type, resource index) → may match
    let mut memo: HashMap<(&'static str, &'static str, usize), bool> = HashMap::new();
    let mut fits = |id: ActionId| -> bool {
        cat.resource_types_for_action(id).any(|(rt, _)| {
            res.items.iter().enumerate().any(|(i, r)| {
                *memo
                    .entry((rt.service, rt.name, i))
                    .or_insert_with(|| rt.may_match(&r.value))
            })
        })
    };
    for item in &s.action.items {
        let ids: Vec<ActionId> = cat.expand(&item.value).collect();
        if ids.is_empty() || ids.iter().any(|&id| fits(id)) {
            continue;
        }
        let message;
        let help;
        if let [only] = ids[..] {
            let Some(a) = cat.action_by_id(only) else {
                continue;
            };
            if a.resource_types.is_empty() {
                message = format!(
                    "`{a}` supports only `\"Resource\": \"*\"`, so {} never {verb} it",
                    stmt_name(s)
                );
                help = format!("move `{a}` to a statement with `\"Resource\": \"*\"`");
            } else {
                let types: Vec<String> = cat
                    .resource_types_for_action(only)
                    .map(|(rt, _)| format!("`{}` (`{}`)", rt.name, rt.arn()))
                    .collect();
                message = format!(
                    "`{a}` acts on {}; none of the resources of {} is one, so it never {verb} `{a}`",
                    types.join(", "),
                    stmt_name(s)
                );
                // the common slip: a bucket ARN where object ARNs are needed
                let below = res
                    .items
                    .iter()
                    .map(|r| format!("{}/*", r.value))
                    .find(|r| {
                        cat.resource_types_for_action(only)
                            .any(|(rt, _)| rt.may_match(r))
                    });
                help = match below {
                    Some(r) => format!("to cover what is below the resource, use `{r}`"),
                    None => "add a resource of the form the action needs, or move the action to a statement with matching resources".to_string(),
                };
            }
        } else {
            message = format!(
                "none of the {} actions `{}` matches can act on the resources of {}, so it never {verb} them",
                ids.len(),
                item.value,
                stmt_name(s)
            );
            help = "check the resource ARNs against the actions' resource types".to_string();
        }
        cx.push(Finding::new("PL201", FindingClass::Warning, item.range, message).help(help));
    }
}

/// Whether an `Allow` statement's actions include this action.
fn grants(s: &Statement, id: ActionId) -> bool {
    let cat = catalog();
    let listed = s
        .action
        .items
        .iter()
        .any(|a| cat.expand(&a.value).any(|x| x == id));
    listed != s.action.negated
}

/// PL501–PL503.
fn broad_grants(cx: &mut Cx<'_>, s: &Statement) {
    if s.effect.value != Effect::Allow {
        return;
    }
    let kind = cx.kind;
    let grant_kinds = matches!(kind, PolicyKind::Identity | PolicyKind::Resource);

    // PL501: iam:PassRole on every role
    if grant_kinds
        && let Some(pass_role) = catalog().action("iam:PassRole")
        && grants(s, pass_role)
        && !s
            .conditions
            .iter()
            .any(|c| c.key.value.eq_ignore_ascii_case("iam:PassedToService"))
        && let Some(res) = &s.resource
    {
        let how = if s.action.negated {
            "through `NotAction`"
        } else if s
            .action
            .items
            .iter()
            .any(|a| a.value.eq_ignore_ascii_case("iam:PassRole"))
        {
            ""
        } else {
            "through a wildcard action"
        };
        let on = if res.negated {
            Some(("every role not listed in `NotResource`", res.range))
        } else {
            res.items
                .iter()
                .find(|r| r.value == "*" || r.value.ends_with(":role/*") || r.value.ends_with(":*"))
                .map(|r| ("every role", r.range))
        };
        if let Some((on, range)) = on {
            let how = if how.is_empty() {
                String::new()
            } else {
                format!(" {how}")
            };
            cx.push(
                Finding::new(
                    "PL501",
                    FindingClass::SecurityWarning,
                    range,
                    format!(
                        "{} allows `iam:PassRole`{how} on {on} with no `iam:PassedToService` condition: a principal can hand any role, however privileged, to a service",
                        stmt_name(s)
                    ),
                )
                .help("scope `Resource` to the role ARNs (or path) that may be passed and add an `iam:PassedToService` condition"),
            );
        }
    }

    if !matches!(
        kind,
        PolicyKind::Identity | PolicyKind::Resource | PolicyKind::Trust
    ) {
        return;
    }

    // PL502: Allow + NotAction
    if s.action.negated {
        let everywhere = match &s.resource {
            None => true,
            Some(r) => r.negated || r.items.iter().any(|i| i.value == "*"),
        };
        let (class, scope) = if everywhere {
            (
                FindingClass::SecurityWarning,
                "on every resource, which is close to administrator access",
            )
        } else {
            (FindingClass::Warning, "on its resources")
        };
        cx.push(
            Finding::new(
                "PL502",
                class,
                s.action.range,
                format!(
                    "{} uses `NotAction` with `Allow`: it allows every action except the listed ones, including future actions, {scope}",
                    stmt_name(s)
                ),
            )
            .help("list the allowed actions in `Action`; keep `NotAction` for `Deny` statements"),
        );
    }

    // PL503: Allow + NotResource
    if let Some(r) = &s.resource
        && r.negated
    {
        cx.push(
            Finding::new(
                "PL503",
                FindingClass::Warning,
                r.range,
                format!(
                    "{} uses `NotResource` with `Allow`: it allows its actions on every resource except the listed ones, including resources created later and in other accounts",
                    stmt_name(s)
                ),
            )
            .help("list the resources in `Resource`, or pair a broad `Allow` with a `Deny` on the protected resources"),
        );
    }
}
