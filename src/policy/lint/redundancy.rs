//! Redundancy: PL104 (an action entry another entry covers) and PL504 (a
//! statement another statement covers).
//!
//! "Covers" is decided two ways, either suffices: wildcard containment of the
//! patterns as written (`iam:Get*` covers `iam:GetRole`, whatever the catalogue
//! says), or — for actions — the catalogue's current actions (the entry's
//! actions are all among the others'; the entry must match at least one
//! action, so a misspelt entry is never called redundant this way).

use std::collections::BTreeSet;

use super::patterns::{ActionSet, glob_contains};
use super::{Cx, Finding, FindingClass, stmt_name};
use crate::catalog::catalog;
use crate::policy::ast::{Located, PrincipalSpec, Statement};

pub(super) fn check(cx: &mut Cx<'_>) {
    for s in &cx.policy.statements {
        redundant_actions(cx, s);
    }
    redundant_statements(cx);
}

fn redundant_actions(cx: &mut Cx<'_>, s: &Statement) {
    let cat = catalog();
    let items = &s.action.items;
    if items.len() < 2 {
        return;
    }
    let sets: Vec<ActionSet> = items
        .iter()
        .map(|i| ActionSet::of_pattern(cat, &i.value))
        .collect();
    let mut redundant = vec![false; items.len()];
    // later entries first, so of two equal entries the later one is reported;
    // an entry that matches no action is left to PL101–PL103
    for i in (0..items.len()).rev() {
        if sets[i].is_empty() {
            continue;
        }
        let mut by: Option<usize> = None;
        for j in (0..items.len()).filter(|&j| j != i && !redundant[j]) {
            if glob_contains(&items[j].value, &items[i].value, true) {
                by = Some(j);
                break;
            }
        }
        let covered_by_union = by.is_none() && {
            let mut union = ActionSet::empty(cat);
            for j in (0..items.len()).filter(|&j| j != i && !redundant[j]) {
                union.union_with(&sets[j]);
            }
            sets[i].is_subset_of(&union)
        };
        if by.is_none() && !covered_by_union {
            continue;
        }
        redundant[i] = true;
        let element = if s.action.negated {
            "NotAction"
        } else {
            "Action"
        };
        let mut f = match by {
            Some(j) => Finding::new(
                "PL104",
                FindingClass::Suggestion,
                items[i].range,
                format!(
                    "`{}` is redundant: `{}` in the same `{element}` already covers it",
                    items[i].value, items[j].value
                ),
            )
            .related(items[j].range, "covered by this entry"),
            None => Finding::new(
                "PL104",
                FindingClass::Suggestion,
                items[i].range,
                format!(
                    "`{}` is redundant: the other entries of the same `{element}` already cover all its actions",
                    items[i].value
                ),
            ),
        };
        f = f.help(format!("remove `{}`", items[i].value));
        cx.push(f);
    }
}

/// A condition as a comparable value: operator, lowercase key, sorted values.
fn condition_keys(s: &Statement) -> BTreeSet<(String, String, Vec<String>)> {
    s.conditions
        .iter()
        .map(|c| {
            let mut values: Vec<String> = c.values.iter().map(|v| v.value.clone()).collect();
            values.sort();
            (
                c.operator.value.to_string(),
                c.key.value.to_ascii_lowercase(),
                values,
            )
        })
        .collect()
}

/// A principal as a comparable value: negated, then (kind, sorted values).
type PrincipalKey = (bool, Vec<(String, Vec<String>)>);

/// A principal as a comparable value (`None`: no principal element).
fn principal_key(s: &Statement) -> Option<PrincipalKey> {
    s.principal.as_ref().map(|p| {
        let entries = match &p.spec {
            PrincipalSpec::Wildcard => vec![("*".to_string(), Vec::new())],
            PrincipalSpec::Map(es) => {
                let mut v: Vec<(String, Vec<String>)> = es
                    .iter()
                    .map(|e| {
                        let mut vals: Vec<String> =
                            e.values.iter().map(|x| x.value.clone()).collect();
                        vals.sort();
                        vals.dedup();
                        (e.kind.as_str().to_string(), vals)
                    })
                    .collect();
                v.sort();
                v
            }
        };
        (p.negated, entries)
    })
}

fn items_covered(inner: &[Located<String>], outer: &[Located<String>], ignore_case: bool) -> bool {
    inner.iter().all(|i| {
        outer
            .iter()
            .any(|o| glob_contains(&o.value, &i.value, ignore_case))
    })
}

/// Whether statement `a` grants or denies nothing that `b` does not.
fn covered(a: &Statement, b: &Statement, sets: &[Option<ActionSet>]) -> bool {
    if a.effect.value != b.effect.value
        || a.action.negated
        || b.action.negated
        || principal_key(a) != principal_key(b)
    {
        return false;
    }
    // b's conditions must all be among a's (b applies at least as often)
    if !condition_keys(b).is_subset(&condition_keys(a)) {
        return false;
    }
    let resources_ok = match (&a.resource, &b.resource) {
        (None, None) => true,
        (Some(ra), Some(rb)) if !ra.negated && !rb.negated => {
            items_covered(&ra.items, &rb.items, false)
        }
        _ => false,
    };
    if !resources_ok {
        return false;
    }
    if items_covered(&a.action.items, &b.action.items, true) {
        return true;
    }
    let cat = catalog();
    match (&sets[a.index], &sets[b.index]) {
        (Some(sa), Some(sb)) => {
            // every entry of `a` must name at least one action
            a.action.items.iter().all(|i| cat.matches_any(&i.value)) && sa.is_subset_of(sb)
        }
        _ => false,
    }
}

fn redundant_statements(cx: &mut Cx<'_>) {
    let statements = &cx.policy.statements;
    if statements.len() < 2 {
        return;
    }
    let cat = catalog();
    // action sets by statement index (indexes are positions in the array)
    let max_index = statements.iter().map(|s| s.index).max().unwrap_or(0);
    let mut sets: Vec<Option<ActionSet>> = vec![None; max_index + 1];
    for s in statements {
        if !s.action.negated {
            let mut set = ActionSet::empty(cat);
            for i in &s.action.items {
                set.add_pattern(cat, &i.value);
            }
            sets[s.index] = Some(set);
        }
    }
    let mut reported: Vec<usize> = Vec::new();
    for a in statements {
        for b in statements {
            if a.index == b.index || reported.contains(&b.index) || !covered(a, b, &sets) {
                continue;
            }
            // two statements covering each other: report the later one
            if covered(b, a, &sets) && a.index < b.index {
                continue;
            }
            reported.push(a.index);
            cx.push(
                Finding::new(
                    "PL504",
                    FindingClass::Suggestion,
                    a.range,
                    format!(
                        "{} is redundant: {} already covers its actions, resources and conditions",
                        stmt_name(a),
                        stmt_name(b)
                    ),
                )
                .help(format!("remove {} (or merge the two)", stmt_name(a)))
                .related(b.range, "covering statement"),
            );
            break;
        }
    }
}
