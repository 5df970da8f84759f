//! Document structure and what each policy type allows: PL001–PL004,
//! PL008–PL010, PL012, PL014.

use std::collections::HashMap;

use super::patterns::variables;
use super::{Cx, Finding, FindingClass, PolicyKind, stmt_name};
use crate::policy::ast::{Effect, PrincipalSpec, TextRange, Version};

pub(super) fn check(cx: &mut Cx<'_>) {
    let policy = cx.policy;
    let kind = cx.kind;
    let doc_start = TextRange {
        start: policy.range.start,
        end: policy.range.start.saturating_add(1).min(policy.range.end),
    };

    if policy.statements.is_empty() && !policy.single_statement {
        cx.push(
            Finding::new(
                "PL001",
                FindingClass::Error,
                doc_start,
                "the policy has no statements; AWS requires at least one",
            )
            .help("add a statement, or do not create an empty policy"),
        );
    }

    // PL003: version
    match &policy.version {
        None => {
            let class = if kind == PolicyKind::Rcp {
                FindingClass::Error
            } else {
                FindingClass::Warning
            };
            let why = if kind == PolicyKind::Rcp {
                "AWS Organizations requires `\"Version\": \"2012-10-17\"` in every RCP"
            } else {
                "AWS then reads it as version `2008-10-17`, without policy variables"
            };
            cx.push(
                Finding::new(
                    "PL003",
                    class,
                    doc_start,
                    format!("the policy has no `Version`; {why}"),
                )
                .help("add `\"Version\": \"2012-10-17\"`"),
            );
        }
        Some(v) if v.value == Version::V2008_10_17 && kind == PolicyKind::Rcp => {
            cx.push(
                Finding::new(
                    "PL003",
                    FindingClass::Error,
                    v.range,
                    "an RCP must use version `2012-10-17`; AWS Organizations rejects `2008-10-17`",
                )
                .help("write `\"Version\": \"2012-10-17\"`"),
            );
        }
        Some(_) => {}
    }

    // PL004: variables in the 2008 language
    if policy.effective_version() == Version::V2008_10_17 {
        let written = policy.version.is_some();
        for s in &policy.statements {
            let resources = s.resource.iter().flat_map(|r| r.items.iter());
            let values = s.conditions.iter().flat_map(|c| c.values.iter());
            for item in resources.chain(values) {
                if let Some((_, _, name)) = variables(&item.value).first() {
                    let because = if written {
                        "the policy declares version `2008-10-17`"
                    } else {
                        "the policy has no `Version`, so it is read as `2008-10-17`"
                    };
                    cx.push(
                        Finding::new(
                            "PL004",
                            FindingClass::Error,
                            item.range,
                            format!(
                                "policy variable `${{{name}}}` is literal text here: {because}, which has no variables"
                            ),
                        )
                        .help("use `\"Version\": \"2012-10-17\"`"),
                    );
                }
            }
        }
    }

    // PL002: duplicate Sids
    let mut seen: HashMap<&str, TextRange> = HashMap::new();
    for s in &policy.statements {
        let Some(sid) = &s.sid else { continue };
        if sid.value.is_empty() {
            continue;
        }
        match seen.get(sid.value.as_str()) {
            Some(&first) => {
                let (class, why) = match kind {
                    PolicyKind::Identity | PolicyKind::Boundary | PolicyKind::Trust => (
                        FindingClass::Error,
                        "IAM requires statement IDs to be unique within a policy",
                    ),
                    _ => (
                        FindingClass::Warning,
                        "statement IDs should be unique so explanations name one statement",
                    ),
                };
                cx.push(
                    Finding::new(
                        "PL002",
                        class,
                        sid.range,
                        format!("duplicate Sid `{}`; {why}", sid.value),
                    )
                    .help("give every statement its own `Sid`")
                    .related(first, "first statement with this Sid"),
                );
            }
            None => {
                seen.insert(&sid.value, sid.range);
            }
        }
    }

    for s in &policy.statements {
        // PL014: Sid characters in IAM-stored policies
        if matches!(
            kind,
            PolicyKind::Identity | PolicyKind::Boundary | PolicyKind::Trust
        ) && let Some(sid) = &s.sid
            && !sid.value.bytes().all(|b| b.is_ascii_alphanumeric())
        {
            cx.push(
                Finding::new(
                    "PL014",
                    FindingClass::Error,
                    sid.range,
                    format!(
                        "Sid `{}` has characters IAM does not accept; only ASCII letters and digits are allowed",
                        sid.value
                    ),
                )
                .help(format!(
                    "use `{}`",
                    sid.value
                        .chars()
                        .filter(char::is_ascii_alphanumeric)
                        .collect::<String>()
                )),
            );
        }

        // PL008 / PL009: Resource where it must / must not be
        match (&s.resource, kind) {
            (
                None,
                PolicyKind::Identity | PolicyKind::Boundary | PolicyKind::Scp | PolicyKind::Rcp,
            ) => cx.push(
                Finding::new(
                    "PL008",
                    FindingClass::Error,
                    s.range,
                    format!(
                        "{} has no `Resource` or `NotResource`; AWS requires one in {}",
                        stmt_name(s),
                        kind.describe()
                    ),
                )
                .help("add `\"Resource\"` with the ARNs the statement covers (or `\"*\"`)"),
            ),
            (Some(r), PolicyKind::Trust) => {
                let el = if r.negated { "NotResource" } else { "Resource" };
                cx.push(
                    Finding::new(
                        "PL009",
                        FindingClass::Error,
                        r.range,
                        format!(
                            "a role trust policy cannot have `{el}`; IAM rejects it (the resource is the role itself)"
                        ),
                    )
                    .help(format!("remove `{el}`")),
                );
            }
            _ => {}
        }

        if kind == PolicyKind::Rcp {
            // PL010: the only Allow an RCP may have is RCPFullAWSAccess
            let full_access = s
                .principal
                .as_ref()
                .is_some_and(|p| !p.negated && matches!(p.spec, PrincipalSpec::Wildcard))
                && !s.action.negated
                && s.action.items.iter().all(|a| a.value == "*")
                && s.resource
                    .as_ref()
                    .is_some_and(|r| !r.negated && r.items.iter().all(|i| i.value == "*"))
                && s.conditions.is_empty();
            if s.effect.value == Effect::Allow && !full_access {
                cx.push(
                    Finding::new(
                        "PL010",
                        FindingClass::Error,
                        s.effect.range,
                        format!(
                            "{} is an `Allow` in an RCP; AWS Organizations accepts `Allow` only in `RCPFullAWSAccess` (everything to `*`)",
                            stmt_name(s)
                        ),
                    )
                    .help("write the restriction as a `Deny` with a negated condition"),
                );
            }
            // PL012: no NotAction in RCPs
            if s.action.negated {
                cx.push(
                    Finding::new(
                        "PL012",
                        FindingClass::Error,
                        s.action.range,
                        "RCPs do not support `NotAction`; AWS Organizations rejects it",
                    )
                    .help("list the actions to deny in `Action`"),
                );
            }
        }
    }
}
