//! Organization design warnings: what the seeds call bad practice but AWS
//! would accept (the management account holding workloads, assignments that
//! reach it by accident, break-glass users without MFA, a region lock without
//! the global-service exemption, guardrails that guard nothing).

use super::Ctx;
use crate::blueprint::codes;
use crate::blueprint::span::Sp;
use crate::blueprint::tree::Target;
use crate::diagnostics::Diagnostic;

const WORKLOAD_WORDS: &[&str] = &[
    "prod",
    "production",
    "staging",
    "stage",
    "stg",
    "dev",
    "development",
    "test",
    "qa",
    "uat",
    "sandbox",
    "workload",
    "workloads",
    "app",
    "payments",
];

pub(super) fn check(ctx: &mut Ctx<'_>) {
    management(ctx);
    assignments(ctx);
    break_glass(ctx);
    guardrails(ctx);
}

fn looks_like_workload(s: &str) -> bool {
    s.split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| WORKLOAD_WORDS.contains(&w.to_ascii_lowercase().as_str()))
}

fn management(ctx: &mut Ctx<'_>) {
    let bp = ctx.bp;
    let m = &bp.organization.management_account;
    let env_tag = m.tags.iter().find(|(k, v)| {
        matches!(
            k.value.to_ascii_lowercase().as_str(),
            "environment" | "env" | "stage" | "workload"
        ) && looks_like_workload(&v.value)
    });
    if looks_like_workload(&m.name.value) || env_tag.is_some() {
        let (span, why) = match env_tag {
            Some((k, v)) if !looks_like_workload(&m.name.value) => {
                (v.span, format!("tagged `{}: {}`", k.value, v.value))
            }
            _ => (
                m.name.span,
                "the name suggests a workload account".to_string(),
            ),
        };
        ctx.push(
            Diagnostic::warning(
                codes::LF401,
                format!("the management account `{}` looks like a workload account", m.name.value),
            )
            .with_label(span, why)
            .with_help(
                "keep the management account empty: SCPs do not restrict it, so a workload there has no guardrail; \
                 move the workload into a member account under `Workloads` and keep this one for the organization only",
            ),
        );
    }
    // roles and delegated teams placed explicitly in the management account
    let mut hits: Vec<(String, &Sp<String>)> = Vec::new();
    for (name, role) in bp.roles.iter() {
        for t in &role.accounts {
            if ctx.idx.resolve_target(&t.value) == Ok(Target::Management) {
                hits.push((format!("role `{}`", name.value), t));
            }
        }
    }
    for (name, team) in bp.delegation.iter() {
        for t in &team.accounts {
            if ctx.idx.resolve_target(&t.value) == Ok(Target::Management) {
                hits.push((format!("delegated team `{}`", name.value), t));
            }
        }
    }
    for (what, t) in hits {
        ctx.push(
            Diagnostic::warning(codes::LF402, format!("{what} is placed in the management account"))
                .with_label(t.span, "the management account")
                .with_help("the management account should hold no workloads (SCPs do not apply there); create it in a member account instead"),
        );
    }
}

fn assignments(ctx: &mut Ctx<'_>) {
    let bp = ctx.bp;
    let mgmt = ctx.idx.management_name().to_string();
    for a in &bp.identity_center.assignments {
        let named = a
            .targets
            .iter()
            .chain(&a.exclude)
            .any(|t| ctx.idx.resolve_target(&t.value) == Ok(Target::Management));
        if named {
            continue;
        }
        if let Some(root) = a
            .targets
            .iter()
            .find(|t| ctx.idx.resolve_target(&t.value) == Ok(Target::Root))
        {
            ctx.push(
                Diagnostic::warning(
                    codes::LF403,
                    format!(
                        "assigning `{}` to `Root` would reach the management account `{mgmt}` in tools that expand the root",
                        a.permission_set.value
                    ),
                )
                .with_label(root.span, "the whole organization")
                .with_help(format!(
                    "landform leaves the management account out; say so explicitly with `exclude: [{mgmt}]`, \
                     or add `{mgmt}` to `targets` if it really needs this access"
                )),
            );
        }
    }
}

fn break_glass(ctx: &mut Ctx<'_>) {
    let Some(bg) = &ctx.bp.break_glass else {
        return;
    };
    let mut found = Vec::new();
    for (name, user) in bg.users.iter() {
        if !user.require_mfa.value {
            found.push(
                Diagnostic::warning(codes::LF404, format!("break-glass user `{}` does not require MFA", name.value))
                    .with_label(user.require_mfa.span, "MFA off")
                    .with_help("break-glass users are long-lived IAM users with admin rights; require MFA (`require_mfa: true`)"),
            );
        }
    }
    if bg.users.len() > 3 {
        let span = bg.users.keys().nth(3).map(|k| k.span);
        if let Some(span) = span {
            found.push(
                Diagnostic::warning(codes::LF404, format!("{} break-glass users; keep a few (two is typical)", bg.users.len()))
                    .with_label(span, "more than three")
                    .with_help("humans use Identity Center; only a couple of MFA-protected break-glass users should exist"),
            );
        }
    }
    ctx.out.extend(found);
}

fn guardrails(ctx: &mut Ctx<'_>) {
    let bp = ctx.bp;
    let mut found = Vec::new();
    for (name, attach) in super::references::guardrail_attach_lists(bp) {
        if attach.is_empty() {
            found.push(
                Diagnostic::warning(codes::LF407, format!("guardrail `{name}` is attached to nothing"))
                    .with_label(bp.organization.name.span, "no `attach:` targets")
                    .with_help(format!("add targets to `guardrails.{name}.attach` (e.g. `[Root]`), or remove the guardrail")),
            );
        }
        for t in attach {
            if ctx.idx.resolve_target(&t.value) == Ok(Target::Management) {
                found.push(
                    Diagnostic::warning(codes::LF405, format!("guardrail `{name}` is attached to the management account"))
                        .with_label(t.span, "SCPs do not apply here")
                        .with_help("SCPs never restrict the management account; keep it empty instead and remove this target"),
                );
            }
        }
    }
    if let Some(lock) = &bp.guardrails.region_lock {
        if !lock.exempt_global_services.value {
            found.push(
                Diagnostic::warning(codes::LF406, "the region lock does not exempt global services")
                    .with_label(lock.exempt_global_services.span, "global services will be denied")
                    .with_help(
                        "IAM, STS, Organizations, Route 53, CloudFront and Support are served from us-east-1; \
                         without the exemption the console and IAM break outside the allowed regions \
                         (remove `exempt_global_services: false`)",
                    ),
            );
        }
        let allowed: Vec<&Sp<String>> = if lock.allowed.is_empty() {
            bp.organization.allowed_regions.iter().collect()
        } else {
            lock.allowed.iter().collect()
        };
        if allowed.is_empty() {
            let span = lock
                .attach
                .first()
                .map_or(bp.organization.name.span, |t| t.span);
            found.push(
                Diagnostic::error(codes::LF109, "the region lock allows no region")
                    .with_label(span, "every regional action would be denied")
                    .with_help("add `allowed: [REGION]` to the region lock, or `organization.allowed_regions`"),
            );
        } else {
            let home = &bp.organization.home_region;
            if !allowed.iter().any(|r| r.value == home.value) {
                found.push(
                    Diagnostic::warning(
                        codes::LF408,
                        format!(
                            "the home region `{}` is outside the region lock",
                            home.value
                        ),
                    )
                    .with_label(home.span, "not an allowed region")
                    .with_secondary(allowed[0].span, "allowed regions")
                    .with_help(
                        "add the home region to the allowed regions, or move the home region",
                    ),
                );
            }
        }
    }
    ctx.out.extend(found);
}
