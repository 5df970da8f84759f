//! Structural rules the schema cannot express: the format version, exactly
//! one of `document:`/`file:`, exactly one of `group:`/`user:`, a trust that
//! trusts someone, and policy types that are used but not enabled.

use super::Ctx;
use crate::blueprint::codes;
use crate::blueprint::model::{PolicyDef, PolicyType, Trust};
use crate::blueprint::span::Sp;
use crate::diagnostics::{Diagnostic, Span};

pub(super) fn check(ctx: &mut Ctx<'_>) {
    let bp = ctx.bp;
    if bp.version.value != 1 {
        ctx.push(
            Diagnostic::error(
                codes::LF108,
                format!("blueprint version `{}` is not supported", bp.version.value),
            )
            .with_label(bp.version.span, "unsupported version")
            .with_help("this landform reads `version: 1`"),
        );
    }

    // every policy needs a document
    let mut defs: Vec<(String, Span, &PolicyDef)> = Vec::new();
    for (kind, map) in [
        ("policies.scp", &bp.policies.scp),
        ("policies.rcp", &bp.policies.rcp),
        ("policies.managed", &bp.policies.managed),
    ] {
        for (name, def) in map.iter() {
            defs.push((format!("{kind}.{}", name.value), name.span, def));
        }
    }
    for (name, ps) in bp.identity_center.permission_sets.iter() {
        if let Some(inline) = &ps.inline {
            defs.push((
                format!("the inline policy of permission set `{}`", name.value),
                name.span,
                inline,
            ));
        }
    }
    for (role, r) in bp.roles.iter() {
        for (name, def) in r.inline.iter() {
            defs.push((
                format!("inline policy `{}` of role `{}`", name.value, role.value),
                name.span,
                def,
            ));
        }
    }
    for (what, span, def) in defs {
        if def.document.is_none() && def.file.is_none() {
            ctx.push(
                Diagnostic::error(codes::LF107, format!("{what} has no policy document"))
                    .with_label(span, "neither `document:` nor `file:`")
                    .with_help(
                        "add `document:` with the policy, or `file:` with the path of a JSON file",
                    ),
            );
        }
    }

    for (i, a) in bp.identity_center.assignments.iter().enumerate() {
        match (&a.group, &a.user) {
            (Some(g), Some(u)) => ctx.push(
                Diagnostic::error(
                    codes::LF109,
                    format!("assignment #{} names both a group and a user", i + 1),
                )
                .with_label(u.span, "the user")
                .with_secondary(g.span, "the group")
                .with_help("write one assignment per group or user"),
            ),
            (None, None) => ctx.push(
                Diagnostic::error(
                    codes::LF109,
                    format!("assignment #{} names no group and no user", i + 1),
                )
                .with_label(a.permission_set.span, "who gets this permission set?")
                .with_help("add `group: NAME` (or `user: NAME`)"),
            ),
            _ => {}
        }
    }

    for (name, role) in bp.roles.iter() {
        check_trust(ctx, &role.trust, name, "role");
    }

    // policy types used but not enabled
    let enabled = |t: PolicyType| bp.organization.policy_types.iter().any(|p| p.value == t);
    let types_span = bp
        .organization
        .policy_types
        .first()
        .map(|p| p.span)
        .unwrap_or(bp.organization.name.span);
    if !enabled(PolicyType::ResourceControlPolicy) {
        let first_use = first_rcp_use(ctx);
        if let Some(span) = first_use {
            ctx.push(
                Diagnostic::error(
                    codes::LF216,
                    "RCPs are attached but `RESOURCE_CONTROL_POLICY` is not enabled",
                )
                .with_label(span, "an RCP is attached here")
                .with_secondary(types_span, "enabled policy types")
                .with_help("add `RESOURCE_CONTROL_POLICY` to `organization.policy_types`"),
            );
        }
    }
    if !enabled(PolicyType::ServiceControlPolicy)
        && let Some(span) = first_scp_use(ctx)
    {
        ctx.push(
            Diagnostic::error(
                codes::LF216,
                "SCPs are attached but `SERVICE_CONTROL_POLICY` is not enabled",
            )
            .with_label(span, "an SCP is attached here")
            .with_secondary(types_span, "enabled policy types")
            .with_help("add `SERVICE_CONTROL_POLICY` to `organization.policy_types`"),
        );
    }
}

fn check_trust(ctx: &mut Ctx<'_>, trust: &Trust, name: &Sp<String>, what: &str) {
    if trust.aws.is_empty()
        && trust.principals.is_empty()
        && trust.services.is_empty()
        && trust.oidc.is_none()
        && trust.saml.is_none()
    {
        ctx.push(
            Diagnostic::error(
                codes::LF109,
                format!("{what} `{}` trusts nobody", name.value),
            )
            .with_label(name.span, "its trust names no principal")
            .with_help("add `aws:`, `principals:`, `services:`, `oidc:` or `saml:` under `trust:`"),
        );
    }
}

fn first_rcp_use(ctx: &Ctx<'_>) -> Option<Span> {
    let bp = ctx.bp;
    bp.organization
        .rcps
        .first()
        .map(|r| r.span)
        .or_else(|| {
            ctx.idx
                .ous
                .iter()
                .find_map(|o| o.ou.rcps.first().map(|r| r.span))
        })
        .or_else(|| {
            ctx.idx
                .accounts
                .iter()
                .find_map(|a| a.account.rcps.first().map(|r| r.span))
        })
}

fn first_scp_use(ctx: &Ctx<'_>) -> Option<Span> {
    let bp = ctx.bp;
    bp.organization
        .scps
        .first()
        .map(|r| r.span)
        .or_else(|| {
            ctx.idx
                .ous
                .iter()
                .find_map(|o| o.ou.scps.first().map(|r| r.span))
        })
        .or_else(|| {
            ctx.idx
                .accounts
                .iter()
                .find_map(|a| a.account.scps.first().map(|r| r.span))
        })
        .or_else(|| {
            super::references::guardrail_attach_lists(bp)
                .first()
                .and_then(|(_, l)| l.first().map(|t| t.span))
        })
}
