//! AWS limits from the seeds' tables ("Organizations limits that shape your
//! design", "IAM entity limits per account", "IAM limits that shape how you
//! write policies"):
//!
//! | limit | value | code |
//! |---|---|---|
//! | OU nesting below the root | 5 levels | LF301 |
//! | OUs under one parent | 1,000 | LF323 |
//! | SCPs attached to one root/OU/account, `FullAWSAccess` included | 5 | LF302 |
//! | RCPs attached to one root/OU/account, `RCPFullAWSAccess` included (it cannot be detached) | 5 | LF303 |
//! | at least one SCP on every root/OU/account | 1 | LF320 |
//! | SCP/RCP document size, whitespace outside strings removed | 5,120 characters | LF304 |
//! | managed policy document size | 6,144 characters | LF305 |
//! | inline policies of one role (and of a permission set, which becomes a role) | 10,240 characters | LF306 |
//! | managed policies per role / permission set | 10 (warning), 20 with a quota raise (error) | LF307, LF308 |
//! | session duration (permission sets, role maximum) | 1 to 12 hours | LF309 |
//!
//! Counting SCPs: landform compiles all guardrails attached to one target into
//! one SCP for that target (the seeds: "keep guardrails consolidated"), so a
//! target's count is `FullAWSAccess` (unless `full_aws_access: false`) + the
//! raw SCPs listed in its `scps:` + 1 if any guardrail is attached to it.

use std::collections::HashSet;

use super::Ctx;
use crate::blueprint::model::{Blueprint, PolicyDef};
use crate::blueprint::span::Sp;
use crate::blueprint::tree::{OrgIndex, Target};
use crate::blueprint::{DocumentOrigin, codes};
use crate::diagnostics::{Diagnostic, SourceMap, Span};

/// The numbers the checks use.
pub struct Limits {
    pub ou_depth: usize,
    pub ous_per_parent: usize,
    pub scps_per_target: usize,
    pub rcps_per_target: usize,
    pub org_policy_chars: usize,
    pub managed_policy_chars: usize,
    pub role_inline_chars: usize,
    pub managed_per_role: usize,
    pub managed_per_role_raised: usize,
    pub min_session_seconds: u64,
    pub max_session_seconds: u64,
}

pub const LIMITS: Limits = Limits {
    ou_depth: 5,
    ous_per_parent: 1000,
    scps_per_target: 5,
    rcps_per_target: 5,
    org_policy_chars: 5120,
    managed_policy_chars: 6144,
    role_inline_chars: 10_240,
    managed_per_role: 10,
    managed_per_role_raised: 20,
    min_session_seconds: 3600,
    max_session_seconds: 43_200,
};

/// The size AWS counts for a policy document: its characters once whitespace
/// outside strings is removed.
pub fn minified_len(value: &serde_json::Value) -> usize {
    serde_json::to_string(value).map_or(0, |s| s.chars().count())
}

/// The same, on the original JSON text (keeps the file's own escapes).
pub fn minified_text_len(text: &str) -> usize {
    let mut n = 0;
    let mut in_string = false;
    let mut escaped = false;
    for c in text.chars() {
        if in_string {
            n += 1;
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
            n += 1;
        } else if !c.is_whitespace() {
            n += 1;
        }
    }
    n
}

fn document_len(def: &PolicyDef, sources: &SourceMap) -> Option<(usize, Span)> {
    let r = def.resolved.as_ref()?;
    Some(match &r.origin {
        DocumentOrigin::Inline { span } => (minified_len(&r.value), *span),
        DocumentOrigin::File { source, reference } => {
            let text = sources.get(*source).map(|f| f.text.clone())?;
            (minified_text_len(&text), *reference)
        }
    })
}

/// Targets with at least one guardrail attached.
pub(crate) fn guardrail_targets(bp: &Blueprint, idx: &OrgIndex<'_>) -> HashSet<Target> {
    let mut out = HashSet::new();
    for (_, attach) in super::references::guardrail_attach_lists(bp) {
        for t in attach {
            if let Ok(target) = idx.resolve_target(&t.value) {
                out.insert(target);
            }
        }
    }
    out
}

fn attached<'a>(
    bp: &'a Blueprint,
    idx: &OrgIndex<'a>,
    target: Target,
) -> (bool, &'a [Sp<String>], &'a [Sp<String>]) {
    match target {
        Target::Root => (
            bp.organization.full_aws_access.value,
            &bp.organization.scps,
            &bp.organization.rcps,
        ),
        Target::Ou(o) => {
            let ou = idx.ous[o].ou;
            (ou.full_aws_access.value, &ou.scps, &ou.rcps)
        }
        Target::Account(a) => {
            let acc = idx.accounts[a].account;
            (acc.full_aws_access.value, &acc.scps, &acc.rcps)
        }
        Target::Management => (true, &[], &[]),
    }
}

/// SCPs attached to `target` as AWS counts them (see the module docs).
pub fn scp_count(
    bp: &Blueprint,
    idx: &OrgIndex<'_>,
    target: Target,
    guardrails: &HashSet<Target>,
) -> usize {
    let (full, scps, _) = attached(bp, idx, target);
    usize::from(full) + scps.len() + usize::from(guardrails.contains(&target))
}

/// RCPs attached to `target`, `RCPFullAWSAccess` included.
pub fn rcp_count(bp: &Blueprint, idx: &OrgIndex<'_>, target: Target) -> usize {
    let (_, _, rcps) = attached(bp, idx, target);
    1 + rcps.len()
}

pub(super) fn check(ctx: &mut Ctx<'_>) {
    tree(ctx);
    attachments(ctx);
    documents(ctx);
    principals(ctx);
}

fn tree(ctx: &mut Ctx<'_>) {
    let mut found = Vec::new();
    for o in &ctx.idx.ous {
        let parent_ok = o
            .parent
            .is_none_or(|p| ctx.idx.ous[p].depth <= LIMITS.ou_depth);
        if o.depth > LIMITS.ou_depth && parent_ok {
            found.push(
                Diagnostic::error(
                    codes::LF301,
                    format!("OU `{}` is nested {} levels below the root", o.path, o.depth),
                )
                .with_label(o.name.span, "too deep")
                .with_help("AWS allows at most 5 levels of OUs below the root; flatten the tree (don't model the org chart as OUs)"),
            );
        }
        if o.children.len() > LIMITS.ous_per_parent {
            found.push(
                Diagnostic::error(
                    codes::LF323,
                    format!("OU `{}` has {} child OUs", o.path, o.children.len()),
                )
                .with_label(o.name.span, "more than 1,000 child OUs")
                .with_help("AWS allows at most 1,000 OUs under one parent"),
            );
        }
    }
    if ctx.idx.top.len() > LIMITS.ous_per_parent {
        found.push(
            Diagnostic::error(
                codes::LF323,
                format!("the root has {} OUs", ctx.idx.top.len()),
            )
            .with_label(
                ctx.bp.organization.name.span,
                "more than 1,000 OUs below the root",
            )
            .with_help("AWS allows at most 1,000 OUs under one parent"),
        );
    }
    ctx.out.extend(found);
}

fn attachments(ctx: &mut Ctx<'_>) {
    let bp = ctx.bp;
    let guardrails = guardrail_targets(bp, &ctx.idx);
    let mut targets: Vec<(Target, String, Span)> =
        vec![(Target::Root, "the root".to_string(), root_span(bp))];
    for (i, o) in ctx.idx.ous.iter().enumerate() {
        targets.push((Target::Ou(i), format!("OU `{}`", o.path), o.name.span));
    }
    for (i, a) in ctx.idx.accounts.iter().enumerate() {
        targets.push((
            Target::Account(i),
            format!("account `{}`", a.name.value),
            a.name.span,
        ));
    }
    let mut found = Vec::new();
    for (target, what, span) in targets {
        let (full, scps, rcps) = attached(bp, &ctx.idx, target);
        let has_guardrails = guardrails.contains(&target);
        let n = scp_count(bp, &ctx.idx, target, &guardrails);
        if n > LIMITS.scps_per_target {
            let mut parts = Vec::new();
            if full {
                parts.push("`FullAWSAccess` (the AWS default)".to_string());
            }
            parts.extend(scps.iter().map(|s| format!("`{}`", s.value)));
            if has_guardrails {
                parts.push("the guardrails SCP".to_string());
            }
            let mut d = Diagnostic::error(
                codes::LF302,
                format!("{what} would have {n} SCPs attached; AWS allows 5"),
            )
            .with_label(span, format!("{n} SCPs"))
            .with_note(format!("attached: {}", parts.join(", ")))
            .with_help(if full {
                "merge SCPs into fewer documents; `FullAWSAccess` stays attached and counts unless you set `full_aws_access: false` (allow-list strategy)"
            } else {
                "merge SCPs into fewer documents"
            });
            for s in scps {
                d = d.with_secondary(s.span, "");
            }
            found.push(d);
        }
        if n == 0 {
            found.push(
                Diagnostic::error(codes::LF320, format!("{what} would have no SCP attached"))
                    .with_label(span, "`full_aws_access: false` and no SCP")
                    .with_help("AWS requires at least one SCP on every root, OU and account; attach an allow SCP or keep `FullAWSAccess`"),
            );
        }
        let r = rcp_count(bp, &ctx.idx, target);
        if r > LIMITS.rcps_per_target {
            let mut d = Diagnostic::error(
                codes::LF303,
                format!("{what} would have {r} RCPs attached; AWS allows 5"),
            )
            .with_label(span, format!("{r} RCPs"))
            .with_note(format!(
                "attached: `RCPFullAWSAccess` (the AWS default, which cannot be detached), {}",
                rcps.iter().map(|s| format!("`{}`", s.value)).collect::<Vec<_>>().join(", ")
            ))
            .with_help("merge RCPs into fewer documents; at most 4 of your own fit next to `RCPFullAWSAccess`");
            for s in rcps {
                d = d.with_secondary(s.span, "");
            }
            found.push(d);
        }
    }
    ctx.out.extend(found);
}

fn root_span(bp: &Blueprint) -> Span {
    bp.organization
        .scps
        .first()
        .map_or(bp.organization.name.span, |s| s.span)
}

fn documents(ctx: &mut Ctx<'_>) {
    let bp = ctx.bp;
    let mut found = Vec::new();
    for (kind, map) in [("SCP", &bp.policies.scp), ("RCP", &bp.policies.rcp)] {
        for (name, def) in map.iter() {
            if let Some((n, span)) = document_len(def, ctx.sources)
                && n > LIMITS.org_policy_chars
            {
                found.push(
                    Diagnostic::error(
                        codes::LF304,
                        format!("{kind} `{}` is {n} characters long; AWS allows 5,120", name.value),
                    )
                    .with_label(span, format!("{n} characters without whitespace"))
                    .with_secondary(name.span, "the policy")
                    .with_help("split it into two policies or shorten it (AWS counts characters after removing whitespace outside strings)"),
                );
            }
        }
    }
    for (name, def) in bp.policies.managed.iter() {
        if let Some((n, span)) = document_len(def, ctx.sources)
            && n > LIMITS.managed_policy_chars
        {
            found.push(
                Diagnostic::error(
                    codes::LF305,
                    format!(
                        "managed policy `{}` is {n} characters long; AWS allows 6,144",
                        name.value
                    ),
                )
                .with_label(span, format!("{n} characters without whitespace"))
                .with_secondary(name.span, "the policy")
                .with_help("split it into several managed policies"),
            );
        }
    }
    for (name, role) in bp.roles.iter() {
        let mut total = 0;
        let mut first = None;
        for (_, def) in role.inline.iter() {
            if let Some((n, span)) = document_len(def, ctx.sources) {
                total += n;
                first.get_or_insert(span);
            }
        }
        if total > LIMITS.role_inline_chars {
            found.push(
                Diagnostic::error(
                    codes::LF306,
                    format!("the inline policies of role `{}` total {total} characters; AWS allows 10,240", name.value),
                )
                .with_label(name.span, format!("{total} characters"))
                .with_help("move statements into customer-managed policies (`policies.managed`)"),
            );
        }
    }
    for (name, ps) in bp.identity_center.permission_sets.iter() {
        if let Some(def) = &ps.inline
            && let Some((n, span)) = document_len(def, ctx.sources)
            && n > LIMITS.role_inline_chars
        {
            found.push(
                Diagnostic::error(
                    codes::LF306,
                    format!("the inline policy of permission set `{}` is {n} characters; the role it becomes allows 10,240", name.value),
                )
                .with_label(span, format!("{n} characters"))
                .with_help("move statements into customer-managed policies (`customer_managed:`)"),
            );
        }
    }
    ctx.out.extend(found);
}

fn principals(ctx: &mut Ctx<'_>) {
    let bp = ctx.bp;
    let mut found = Vec::new();
    let mut managed = |what: String, span: Span, n: usize| {
        if n > LIMITS.managed_per_role_raised {
            found.push(
                Diagnostic::error(
                    codes::LF308,
                    format!("{what} has {n} managed policies; AWS allows at most 20"),
                )
                .with_label(span, format!("{n} managed policies"))
                .with_help("consolidate them into fewer customer-managed policies"),
            );
        } else if n > LIMITS.managed_per_role {
            found.push(
                Diagnostic::warning(codes::LF307, format!("{what} has {n} managed policies; the default quota is 10"))
                    .with_label(span, format!("{n} managed policies"))
                    .with_help("request a quota increase (up to 20) before deploying, or consolidate the policies"),
            );
        }
    };
    for (name, role) in bp.roles.iter() {
        managed(
            format!("role `{}`", name.value),
            name.span,
            role.aws_managed.len() + role.customer_managed.len(),
        );
    }
    for (name, ps) in bp.identity_center.permission_sets.iter() {
        managed(
            format!("permission set `{}`", name.value),
            name.span,
            ps.aws_managed.len() + ps.customer_managed.len(),
        );
    }
    for (name, ps) in bp.identity_center.permission_sets.iter() {
        if let Some(s) = &ps.session {
            duration(
                &mut found,
                s,
                &format!("the session of permission set `{}`", name.value),
            );
        }
    }
    for (name, role) in bp.roles.iter() {
        if let Some(s) = &role.max_session {
            duration(
                &mut found,
                s,
                &format!("the maximum session of role `{}`", name.value),
            );
        }
    }
    ctx.out.extend(found);
}

/// Seconds in an ISO-8601 duration such as `PT4H`, `PT90M`, `P1DT2H`.
pub fn parse_duration(s: &str) -> Option<u64> {
    let rest = s.strip_prefix('P')?;
    let (date, time) = match rest.split_once('T') {
        Some((d, t)) => (d, Some(t)),
        None => (rest, None),
    };
    if date.is_empty() && time.is_none_or(str::is_empty) {
        return None;
    }
    let mut total = 0u64;
    let mut parse = |part: &str, units: &[(char, u64)]| -> Option<()> {
        let mut num = String::new();
        let mut next_unit = 0;
        for c in part.chars() {
            if c.is_ascii_digit() {
                num.push(c);
            } else {
                let pos = units.iter().position(|(u, _)| *u == c)?;
                if pos < next_unit || num.is_empty() {
                    return None;
                }
                next_unit = pos + 1;
                total = total.checked_add(num.parse::<u64>().ok()?.checked_mul(units[pos].1)?)?;
                num.clear();
            }
        }
        num.is_empty().then_some(())
    };
    parse(date, &[('W', 604_800), ('D', 86_400)])?;
    if let Some(t) = time {
        if t.is_empty() {
            return None;
        }
        parse(t, &[('H', 3600), ('M', 60), ('S', 1)])?;
    }
    Some(total)
}

fn duration(found: &mut Vec<Diagnostic>, s: &Sp<String>, what: &str) {
    match parse_duration(&s.value) {
        None => found.push(
            Diagnostic::error(
                codes::LF309,
                format!("`{}` is not an ISO-8601 duration", s.value),
            )
            .with_label(s.span, "expected a duration like `PT4H`")
            .with_help(format!(
                "write {what} as `PT<hours>H` (e.g. `PT1H`, `PT8H`) or `PT<minutes>M`"
            )),
        ),
        Some(secs)
            if !(LIMITS.min_session_seconds..=LIMITS.max_session_seconds).contains(&secs) =>
        {
            found.push(
                Diagnostic::error(
                    codes::LF309,
                    format!("{what} is {}; AWS allows 1 to 12 hours", human(secs)),
                )
                .with_label(s.span, "out of range")
                .with_help("use a duration between `PT1H` and `PT12H`"),
            )
        }
        Some(_) => {}
    }
}

fn human(secs: u64) -> String {
    if secs.is_multiple_of(3600) {
        format!("{} hours", secs / 3600)
    } else if secs.is_multiple_of(60) {
        format!("{} minutes", secs / 60)
    } else {
        format!("{secs} seconds")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("PT4H"), Some(4 * 3600));
        assert_eq!(parse_duration("PT1H30M"), Some(5400));
        assert_eq!(parse_duration("PT90M"), Some(5400));
        assert_eq!(parse_duration("P1D"), Some(86_400));
        assert_eq!(parse_duration("PT3600S"), Some(3600));
        assert_eq!(parse_duration("4h"), None);
        assert_eq!(parse_duration("PT"), None);
        assert_eq!(parse_duration("P"), None);
        assert_eq!(parse_duration("PT4M2H"), None);
    }

    #[test]
    fn minified_length_ignores_whitespace_outside_strings() {
        let text =
            "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [ { \"Sid\": \"a b\" } ]\n}";
        let v: serde_json::Value = serde_json::from_str(text).unwrap();
        assert_eq!(minified_text_len(text), minified_len(&v));
        assert_eq!(
            minified_len(&v),
            r#"{"Version":"2012-10-17","Statement":[{"Sid":"a b"}]}"#.len()
        );
        assert_eq!(
            minified_text_len(r#"{"a":"x\"  y"}"#),
            r#"{"a":"x\"  y"}"#.len()
        );
    }
}
