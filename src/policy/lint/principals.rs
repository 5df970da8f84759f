//! Principals and trust: PL005, PL006, PL011, PL301–PL305.

use super::{Cx, Finding, FindingClass, PolicyKind, stmt_name};
use crate::catalog::catalog;
use crate::policy::ast::{Effect, PrincipalKind, PrincipalSpec, Statement};

/// Condition keys that pin down who may use a whole-account trust.
const ACCOUNT_TRUST_GUARDS: [&str; 8] = [
    "sts:externalid",
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:principalarn",
    "aws:multifactorauthpresent",
    "aws:multifactorauthage",
    "aws:userid",
    "aws:username",
];

/// Web-identity providers AWS names by host rather than by provider ARN.
const WEB_IDENTITY_HOSTS: [&str; 4] = [
    "cognito-identity.amazonaws.com",
    "accounts.google.com",
    "graph.facebook.com",
    "www.amazon.com",
];

fn has_condition_key(s: &Statement, lower_key: &str) -> bool {
    s.conditions
        .iter()
        .any(|c| c.key.value.eq_ignore_ascii_case(lower_key))
}

fn has_condition_key_prefix(s: &Statement, lower_prefix: &str) -> bool {
    s.conditions.iter().any(|c| {
        c.key
            .value
            .get(..lower_prefix.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(lower_prefix))
    })
}

/// Whether the statement's actions include `sts:AssumeRole` (the action a
/// whole-account trust hands out).
fn allows_assume_role(s: &Statement) -> bool {
    let cat = catalog();
    let Some(id) = cat.action("sts:AssumeRole") else {
        return false;
    };
    let listed = s
        .action
        .items
        .iter()
        .any(|a| cat.expand(&a.value).any(|x| x == id));
    listed != s.action.negated
}

/// `111122223333` or `arn:aws:iam::111122223333:root`.
fn is_whole_account(v: &str) -> bool {
    let is_account = |a: &str| a.len() == 12 && a.bytes().all(|b| b.is_ascii_digit());
    if is_account(v) {
        return true;
    }
    let parts: Vec<&str> = v.split(':').collect();
    parts.len() == 6
        && parts[0] == "arn"
        && parts[2] == "iam"
        && is_account(parts[4])
        && parts[5] == "root"
}

pub(super) fn check(cx: &mut Cx<'_>) {
    let kind = cx.kind;
    for s in &cx.policy.statements {
        let allow = s.effect.value == Effect::Allow;
        let Some(p) = &s.principal else {
            // PL006
            if kind.has_principals() {
                let example = if kind == PolicyKind::Rcp {
                    "`\"Principal\": \"*\"`"
                } else {
                    "`\"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:role/name\"}`"
                };
                cx.push(
                    Finding::new(
                        "PL006",
                        FindingClass::Error,
                        s.range,
                        format!(
                            "{} has no `Principal`; AWS requires one in {}",
                            stmt_name(s),
                            kind.describe()
                        ),
                    )
                    .help(format!("add {example}")),
                );
            }
            continue;
        };
        let element = if p.negated {
            "NotPrincipal"
        } else {
            "Principal"
        };

        // PL005: principals where the policy type has none
        let unsupported = match kind {
            PolicyKind::Identity | PolicyKind::Boundary | PolicyKind::Scp => true,
            PolicyKind::Trust => p.negated,
            PolicyKind::Resource | PolicyKind::Rcp => false,
        };
        if unsupported {
            let help = if kind == PolicyKind::Trust {
                "name the principals that may assume the role in `Principal`"
            } else {
                "remove it; to restrict by principal use a condition on `aws:PrincipalArn`"
            };
            cx.push(
                Finding::new(
                    "PL005",
                    FindingClass::Error,
                    p.range,
                    format!(
                        "`{element}` is not supported in {}; AWS rejects the policy",
                        kind.describe()
                    ),
                )
                .help(help),
            );
            continue;
        }

        // PL011: RCPs apply to `*`
        if kind == PolicyKind::Rcp {
            if p.negated || !matches!(p.spec, PrincipalSpec::Wildcard) {
                cx.push(
                    Finding::new(
                        "PL011",
                        FindingClass::Error,
                        p.range,
                        format!(
                            "an RCP must use `\"Principal\": \"*\"`; AWS Organizations rejects this `{element}`"
                        ),
                    )
                    .help("use `\"Principal\": \"*\"` and narrow with a condition such as `aws:PrincipalAccount`"),
                );
            }
            continue;
        }

        // PL302: Allow + NotPrincipal
        if p.negated {
            if allow {
                cx.push(
                    Finding::new(
                        "PL302",
                        FindingClass::SecurityWarning,
                        p.range,
                        format!(
                            "{} allows every principal except the listed ones, anonymous callers included",
                            stmt_name(s)
                        ),
                    )
                    .help("name the principals that need access in `Principal`"),
                );
            }
            continue;
        }

        let entries = match &p.spec {
            PrincipalSpec::Wildcard => &[][..],
            PrincipalSpec::Map(e) => &e[..],
        };

        // PL304: partial wildcards
        for e in entries {
            for v in &e.values {
                if v.value != "*" && (v.value.contains('*') || v.value.contains('?')) {
                    cx.push(
                        Finding::new(
                            "PL304",
                            FindingClass::Error,
                            v.range,
                            format!(
                                "principal `{}` has a wildcard; principals do not match wildcards and AWS rejects it",
                                v.value
                            ),
                        )
                        .help("list the principals, or use `\"*\"` with `ArnLike` on `aws:PrincipalArn`"),
                    );
                }
            }
        }

        // PL301: everyone, unconditionally
        let everyone = matches!(p.spec, PrincipalSpec::Wildcard)
            || entries
                .iter()
                .any(|e| e.kind == PrincipalKind::Aws && e.values.iter().any(|v| v.value == "*"));
        if allow && everyone && s.conditions.is_empty() {
            let what = if kind == PolicyKind::Trust {
                "lets anyone assume the role"
            } else {
                "grants its actions to everyone, including anonymous callers"
            };
            cx.push(
                Finding::new(
                    "PL301",
                    FindingClass::SecurityWarning,
                    p.range,
                    format!("{} {what}: the principal is `*` and there is no condition", stmt_name(s)),
                )
                .help("name the principals, or add a condition such as `aws:PrincipalOrgID` or `aws:SourceArn`"),
            );
        }

        if kind != PolicyKind::Trust || !allow {
            continue;
        }

        // PL303: a whole account without a guard
        let guarded = ACCOUNT_TRUST_GUARDS.iter().any(|k| has_condition_key(s, k))
            || has_condition_key_prefix(s, "aws:principaltag/");
        if !guarded && allows_assume_role(s) {
            for e in entries.iter().filter(|e| e.kind == PrincipalKind::Aws) {
                for v in e.values.iter().filter(|v| is_whole_account(&v.value)) {
                    cx.push(
                        Finding::new(
                            "PL303",
                            FindingClass::Warning,
                            v.range,
                            format!(
                                "the whole account `{}` may assume the role: any of its principals allowed `sts:AssumeRole` can, with no condition on `sts:ExternalId`, `aws:PrincipalOrgID`, `aws:PrincipalArn` or MFA",
                                v.value
                            ),
                        )
                        .help("name the role that should assume it, or add `sts:ExternalId` (third parties), `aws:PrincipalOrgID` (your organization) or an MFA condition"),
                    );
                }
            }
        }

        // PL305: web identity without subject/audience
        for e in entries
            .iter()
            .filter(|e| e.kind == PrincipalKind::Federated)
        {
            for v in &e.values {
                let host = match v.value.split_once(":oidc-provider/") {
                    Some((_, host)) => host,
                    None if WEB_IDENTITY_HOSTS
                        .iter()
                        .any(|h| h.eq_ignore_ascii_case(&v.value)) =>
                    {
                        v.value.as_str()
                    }
                    None => continue,
                };
                let host_lower = host.to_ascii_lowercase();
                let sub = has_condition_key(s, &format!("{host_lower}:sub"));
                let aud = has_condition_key(s, &format!("{host_lower}:aud"))
                    || has_condition_key(s, &format!("{host_lower}:oaud"));
                let github = host_lower.starts_with("token.actions.githubusercontent.com");
                let ok = if github { sub } else { sub || aud };
                if !ok {
                    let needed = if github {
                        format!("`{host}:sub`")
                    } else {
                        format!("`{host}:aud` or `{host}:sub`")
                    };
                    let who = if github {
                        "any GitHub Actions workflow, in any repository,"
                    } else {
                        "any identity the provider issues tokens for"
                    };
                    cx.push(
                        Finding::new(
                            "PL305",
                            FindingClass::SecurityWarning,
                            v.range,
                            format!(
                                "{who} can assume the role: {} has no condition on {needed}",
                                stmt_name(s)
                            ),
                        )
                        .help(if github {
                            format!(
                                "add `\"StringLike\": {{\"{host}:sub\": \"repo:ORG/REPO:ref:refs/heads/main\"}}`"
                            )
                        } else {
                            format!("add a `StringEquals` condition on `{host}:aud` naming your application")
                        }),
                    );
                }
            }
        }
    }
}
