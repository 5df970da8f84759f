//! AWS naming rules: account names, emails and ids; OU names; tags; IAM names
//! and paths; permission set fields; organization policy names; regions; the
//! syntax of actions and ARNs. The rules are those of the AWS APIs that will
//! receive the values (CreateAccount, CreateOrganizationalUnit, CreateRole,
//! CreatePolicy, CreatePermissionSet, TagResource, …).

use super::Ctx;
use crate::blueprint::codes;
use crate::blueprint::defaults;
use crate::blueprint::span::{NameMap, Sp};
use crate::blueprint::tree::ROOT;
use crate::diagnostics::Diagnostic;
use crate::util::suggest;

pub(super) fn check(ctx: &mut Ctx<'_>) {
    let bp = ctx.bp;
    let mgmt = &bp.organization.management_account;
    account_name(ctx, &mgmt.name);
    email(ctx, &mgmt.email);
    if let Some(id) = &mgmt.id {
        account_id(ctx, id);
    }
    tags(ctx, &mgmt.tags);
    for i in 0..ctx.idx.accounts.len() {
        let a = &ctx.idx.accounts[i];
        let (name, account) = (a.name, a.account);
        account_name(ctx, name);
        email(ctx, &account.email);
        if let Some(id) = &account.id {
            account_id(ctx, id);
        }
        tags(ctx, &account.tags);
    }
    for i in 0..ctx.idx.ous.len() {
        let o = &ctx.idx.ous[i];
        let (name, ou) = (o.name, o.ou);
        ou_name(ctx, name);
        tags(ctx, &ou.tags);
    }

    // regions
    region(ctx, &bp.organization.home_region);
    for r in &bp.organization.allowed_regions {
        region(ctx, r);
    }
    if let Some(lock) = &bp.guardrails.region_lock {
        for r in &lock.allowed {
            region(ctx, r);
        }
        for a in &lock.exempt_actions {
            action(ctx, a, true);
        }
    }

    // organization policies
    for map in [&bp.policies.scp, &bp.policies.rcp] {
        for (name, def) in map.iter() {
            if name.value.is_empty() || name.value.chars().count() > 128 {
                ctx.push(
                    Diagnostic::error(
                        codes::LF319,
                        format!("policy name `{}` must be 1 to 128 characters", name.value),
                    )
                    .with_label(
                        name.span,
                        format!("{} characters", name.value.chars().count()),
                    ),
                );
            }
            if let Some(d) = &def.description
                && d.value.chars().count() > 512
            {
                ctx.push(
                    Diagnostic::error(
                        codes::LF319,
                        "an organization policy description is longer than 512 characters",
                    )
                    .with_label(d.span, format!("{} characters", d.value.chars().count()))
                    .with_help("shorten the description"),
                );
            }
            tags(ctx, &def.tags);
        }
    }
    // IAM policies
    for (name, def) in bp.policies.managed.iter() {
        iam_name(ctx, name, "policy", 128);
        if let Some(p) = &def.path {
            iam_path(ctx, p);
        }
        tags(ctx, &def.tags);
    }
    for (name, b) in bp.boundaries.iter() {
        iam_name(ctx, name, "boundary policy", 128);
        if let Some(p) = &b.path {
            iam_path(ctx, p);
        }
        for a in b.allow.iter().chain(&b.deny) {
            action(ctx, a, true);
        }
    }
    if let Some(abac) = &bp.abac {
        for k in &abac.tag_keys {
            tag_key(ctx, k);
        }
        for a in &abac.require_on_create {
            action(ctx, a, true);
        }
        for (name, p) in abac.policies.iter() {
            iam_name(ctx, name, "policy", 128);
            for a in &p.actions {
                action(ctx, a, true);
            }
            for r in &p.resources {
                if r.value != "*" {
                    arn(ctx, r, "resource");
                }
            }
            for k in &p.match_keys {
                tag_key(ctx, k);
            }
        }
    }
    let g = &bp.guardrails;
    if let Some(r) = &g.require_tags_on_create {
        for k in &r.tag_keys {
            tag_key(ctx, k);
        }
        for a in &r.actions {
            action(ctx, a, true);
        }
    }
    if let Some(r) = &g.protect_governance_tags {
        for k in &r.tag_keys {
            tag_key(ctx, k);
        }
    }
    let mut exempt: Vec<&Sp<String>> = Vec::new();
    if let Some(x) = &g.region_lock {
        exempt.extend(&x.exempt_principals);
    }
    for x in [&g.deny_leave_organization, &g.deny_member_root]
        .into_iter()
        .flatten()
    {
        exempt.extend(&x.exempt_principals);
    }
    if let Some(x) = &g.protect_audit_trail {
        exempt.extend(&x.exempt_principals);
    }
    if let Some(x) = &g.require_boundary_on_create_role {
        exempt.extend(&x.exempt_principals);
    }
    if let Some(x) = &g.protect_governance_tags {
        exempt.extend(&x.exempt_principals);
    }
    for p in exempt {
        if p.value.starts_with("arn:") {
            arn(ctx, p, "principal");
        } else {
            iam_name_pattern(ctx, p);
        }
    }

    // delegation
    for (team, d) in bp.delegation.iter() {
        match &d.admin_role {
            Some(r) => iam_name(ctx, r, "role", 64),
            None => {
                let default = Sp::new(format!("{}-admin", team.value), team.span);
                iam_name(
                    ctx,
                    &default,
                    "role (the team's default admin role `<team>-admin`)",
                    64,
                );
            }
        }
        match &d.path {
            Some(p) => iam_path(ctx, p),
            None => {
                let default = Sp::new(format!("/{}/", team.value), team.span);
                iam_path(ctx, &default);
            }
        }
        for p in &d.attachable_policies {
            aws_managed(ctx, p);
        }
    }

    // Identity Center
    for (name, ps) in bp.identity_center.permission_sets.iter() {
        permission_set(ctx, name, ps.description.as_ref(), ps.relay_state.as_ref());
        for p in &ps.aws_managed {
            aws_managed(ctx, p);
        }
        tags(ctx, &ps.tags);
    }
    for (key, _) in bp.identity_center.access_control_attributes.iter() {
        tag_key(ctx, key);
    }

    // roles
    for (name, role) in bp.roles.iter() {
        iam_name(ctx, name, "role", 64);
        if let Some(p) = &role.path {
            iam_path(ctx, p);
        }
        if let Some(d) = &role.description {
            iam_description(ctx, d, 1000);
        }
        for (inline, _) in role.inline.iter() {
            iam_name(ctx, inline, "inline policy", 128);
        }
        for p in &role.aws_managed {
            aws_managed(ctx, p);
        }
        tags(ctx, &role.tags);
        let t = &role.trust;
        for p in &t.aws {
            if !super::references::is_account_id(&p.value) {
                arn(ctx, p, "principal");
            }
        }
        for s in &t.services {
            let svc = &s.service;
            if !svc.value.ends_with(".amazonaws.com") || svc.value.contains(char::is_whitespace) {
                ctx.push(
                    Diagnostic::error(
                        codes::LF322,
                        format!("`{}` is not an AWS service principal", svc.value),
                    )
                    .with_label(svc.span, "expected `SERVICE.amazonaws.com`")
                    .with_help("service principals look like `lambda.amazonaws.com`"),
                );
            }
            if let Some(a) = &s.source_arn {
                arn(ctx, a, "source");
            }
        }
        if let Some(o) = &t.oidc {
            let p = &o.provider;
            if p.value.starts_with("arn:") {
                arn(ctx, p, "OIDC provider");
            } else if p.value.contains("://")
                || p.value.contains(char::is_whitespace)
                || p.value.is_empty()
            {
                ctx.push(
                    Diagnostic::error(codes::LF322, format!("`{}` is not an OIDC provider", p.value))
                        .with_label(p.span, "expected a host name or an IAM ARN")
                        .with_help("write the host without `https://`, e.g. `token.actions.githubusercontent.com`"),
                );
            }
        }
        if let Some(s) = &t.saml
            && s.provider.value.starts_with("arn:")
        {
            arn(ctx, &s.provider, "SAML provider");
        }
    }

    if let Some(bg) = &bp.break_glass {
        for (user, _) in bg.users.iter() {
            iam_name(ctx, user, "user", 64);
        }
        if let Some(g) = &bg.group {
            iam_name(ctx, g, "group", 128);
        }
        for p in &bg.aws_managed {
            aws_managed(ctx, p);
        }
    }

    for test in &bp.tests {
        action(ctx, &test.action, false);
        if let Some(r) = &test.resource
            && r.value != "*"
        {
            arn(ctx, r, "resource");
        }
    }
}

fn region(ctx: &mut Ctx<'_>, r: &Sp<String>) {
    if defaults::is_region(&r.value) {
        return;
    }
    let mut d = Diagnostic::error(codes::LF314, format!("`{}` is not an AWS region", r.value))
        .with_label(r.span, "unknown region");
    d = match suggest::closest(&r.value, defaults::REGIONS) {
        Some(s) => d.with_help(format!("did you mean `{s}`?")),
        None => d.with_help("regions look like `ap-south-1` or `eu-west-1`"),
    };
    ctx.push(d);
}

fn account_name(ctx: &mut Ctx<'_>, name: &Sp<String>) {
    let n = name.value.chars().count();
    let bad = name.value.chars().find(|c| !(' '..='~').contains(c));
    if n == 0 || n > 50 || bad.is_some() {
        let why = match bad {
            Some(c) => format!("`{c}` is not allowed"),
            None => format!("{n} characters"),
        };
        ctx.push(
            Diagnostic::error(
                codes::LF311,
                format!("account name `{}` is not valid for AWS", name.value),
            )
            .with_label(name.span, why)
            .with_help("account names are 1 to 50 printable ASCII characters"),
        );
    }
}

/// Why an email address would be refused by CreateAccount, if it would.
pub(crate) fn email_problem(e: &str) -> Option<String> {
    let n = e.chars().count();
    if !(6..=64).contains(&n) {
        return Some(format!("it is {n} characters long; AWS accepts 6 to 64"));
    }
    if !e.is_ascii() {
        return Some("it contains non-ASCII characters".into());
    }
    let mut parts = e.split('@');
    let (Some(local), Some(domain), None) = (parts.next(), parts.next(), parts.next()) else {
        return Some("it must contain exactly one `@`".into());
    };
    if local.is_empty() {
        return Some("nothing comes before the `@`".into());
    }
    if local.starts_with('.') {
        return Some("the part before `@` cannot start with a dot".into());
    }
    if let Some(c) = local
        .chars()
        .find(|c| c.is_whitespace() || "\"'()<>[]:;,\\|%&".contains(*c))
    {
        return Some(format!("`{c}` is not allowed before the `@`"));
    }
    if let Some(c) = domain
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '.'))
    {
        return Some(format!("`{c}` is not allowed in the domain"));
    }
    if domain.starts_with(['-', '.']) || domain.ends_with(['-', '.']) {
        return Some("the domain cannot start or end with `-` or `.`".into());
    }
    if !domain.contains('.') {
        return Some("the domain needs a dot (`example.com`)".into());
    }
    None
}

fn email(ctx: &mut Ctx<'_>, e: &Sp<String>) {
    if let Some(why) = email_problem(&e.value) {
        ctx.push(
            Diagnostic::error(
                codes::LF310,
                format!("`{}` is not a valid account email", e.value),
            )
            .with_label(e.span, why)
            .with_help("use an address like `aws+prod@example.com` (6 to 64 ASCII characters)"),
        );
    }
}

fn account_id(ctx: &mut Ctx<'_>, id: &Sp<String>) {
    if !super::references::is_account_id(&id.value) {
        ctx.push(
            Diagnostic::error(
                codes::LF315,
                format!("`{}` is not an AWS account id", id.value),
            )
            .with_label(id.span, "expected 12 digits")
            .with_help("account ids are exactly 12 digits, written in quotes"),
        );
    }
}

fn ou_name(ctx: &mut Ctx<'_>, name: &Sp<String>) {
    let n = name.value.chars().count();
    let problem = if n == 0 || n > 128 {
        Some(format!("{n} characters; AWS accepts 1 to 128"))
    } else if name.value.contains('/') {
        Some("`/` separates OU paths in landform".to_string())
    } else if name.value == ROOT {
        Some("`Root` is the name of the organization root in targets".to_string())
    } else if name.value.starts_with("ou:") || name.value.starts_with("account:") {
        Some("`ou:` and `account:` are target prefixes".to_string())
    } else {
        None
    };
    if let Some(why) = problem {
        ctx.push(
            Diagnostic::error(
                codes::LF316,
                format!("OU name `{}` is not valid", name.value),
            )
            .with_label(name.span, why)
            .with_help("rename the OU"),
        );
    }
}

fn tag_char_ok(c: char) -> bool {
    c.is_alphanumeric() || c.is_whitespace() || "_.:/=+-@".contains(c)
}

fn tag_key(ctx: &mut Ctx<'_>, key: &Sp<String>) {
    let n = key.value.chars().count();
    let problem = if n == 0 || n > 128 {
        Some(format!("{n} characters; tag keys are 1 to 128"))
    } else if key.value.to_ascii_lowercase().starts_with("aws:") {
        Some("the `aws:` prefix is reserved for AWS".to_string())
    } else {
        key.value
            .chars()
            .find(|c| !tag_char_ok(*c))
            .map(|c| format!("`{c}` is not allowed in tags"))
    };
    if let Some(why) = problem {
        ctx.push(
            Diagnostic::error(
                codes::LF317,
                format!("tag key `{}` is not valid", key.value),
            )
            .with_label(key.span, why)
            .with_help("tag keys use letters, digits, spaces and `_ . : / = + - @`"),
        );
    }
}

fn tags(ctx: &mut Ctx<'_>, tags: &NameMap<Sp<String>>) {
    for (k, v) in tags.iter() {
        tag_key(ctx, k);
        let n = v.value.chars().count();
        let problem = if n > 256 {
            Some(format!("{n} characters; tag values are at most 256"))
        } else {
            v.value
                .chars()
                .find(|c| !tag_char_ok(*c))
                .map(|c| format!("`{c}` is not allowed in tags"))
        };
        if let Some(why) = problem {
            ctx.push(
                Diagnostic::error(
                    codes::LF317,
                    format!("the value of tag `{}` is not valid", k.value),
                )
                .with_label(v.span, why)
                .with_help("tag values use letters, digits, spaces and `_ . : / = + - @`"),
            );
        }
    }
}

fn iam_char_ok(c: char) -> bool {
    c.is_ascii_alphanumeric() || "_+=,.@-".contains(c)
}

fn iam_name(ctx: &mut Ctx<'_>, name: &Sp<String>, what: &str, max: usize) {
    let n = name.value.chars().count();
    let problem = if n == 0 || n > max {
        Some(format!("{n} characters; at most {max}"))
    } else {
        name.value
            .chars()
            .find(|c| !iam_char_ok(*c))
            .map(|c| format!("`{c}` is not allowed"))
    };
    if let Some(why) = problem {
        ctx.push(
            Diagnostic::error(
                codes::LF312,
                format!("`{}` is not a valid IAM {what} name", name.value),
            )
            .with_label(name.span, why)
            .with_help(format!(
                "IAM {what} names are 1 to {max} characters: letters, digits and `_+=,.@-`"
            )),
        );
    }
}

/// A role name that may contain `*` wildcards (exempt principals).
fn iam_name_pattern(ctx: &mut Ctx<'_>, name: &Sp<String>) {
    if name.value.is_empty()
        || name.value.chars().count() > 64
        || name.value.chars().any(|c| !(iam_char_ok(c) || c == '*'))
    {
        ctx.push(
            Diagnostic::error(codes::LF312, format!("`{}` is neither a role name nor an ARN", name.value))
                .with_label(name.span, "not a role name")
                .with_help("write a role name (`BreakGlassAdmin`, wildcards allowed) or an ARN (`arn:aws:iam::*:role/x`)"),
        );
    }
}

fn iam_path(ctx: &mut Ctx<'_>, p: &Sp<String>) {
    let v = &p.value;
    let ok = v.len() <= 512
        && v.starts_with('/')
        && v.ends_with('/')
        && !v.contains("//")
        && v.chars().all(|c| ('!'..='~').contains(&c));
    if !ok {
        ctx.push(
            Diagnostic::error(codes::LF313, format!("`{v}` is not a valid IAM path"))
                .with_label(p.span, "invalid path")
                .with_help("IAM paths are `/` or start and end with `/`, like `/team-app/` (printable ASCII, no spaces, at most 512 characters)"),
        );
    }
}

fn iam_description(ctx: &mut Ctx<'_>, d: &Sp<String>, max: usize) {
    let n = d.value.chars().count();
    let bad = d
        .value
        .chars()
        .find(|c| !matches!(*c, '\t' | '\n' | '\r' | ' '..='~' | '\u{A1}'..='\u{FF}'));
    if n > max || bad.is_some() {
        let why = match bad {
            Some(c) => format!("`{c}` is not allowed"),
            None => format!("{n} characters; at most {max}"),
        };
        ctx.push(
            Diagnostic::error(codes::LF312, "this description is not valid for IAM")
                .with_label(d.span, why)
                .with_help("use Latin-1 text"),
        );
    }
}

/// `ReadOnlyAccess`, `job-function/Billing` or `arn:aws:iam::aws:policy/…`.
fn aws_managed(ctx: &mut Ctx<'_>, p: &Sp<String>) {
    let v = &p.value;
    if v.starts_with("arn:") {
        arn(ctx, p, "policy");
        return;
    }
    let ok = !v.is_empty()
        && v.len() <= 128
        && !v.starts_with('/')
        && v.chars().all(|c| iam_char_ok(c) || c == '/');
    if !ok {
        ctx.push(
            Diagnostic::error(codes::LF312, format!("`{v}` is not a valid managed policy name"))
                .with_label(p.span, "invalid policy name")
                .with_help("write the AWS-managed policy's name (`ReadOnlyAccess`, `job-function/Billing`) or its ARN"),
        );
    }
}

fn permission_set(
    ctx: &mut Ctx<'_>,
    name: &Sp<String>,
    description: Option<&Sp<String>>,
    relay: Option<&Sp<String>>,
) {
    let n = name.value.chars().count();
    let problem = if n == 0 || n > 32 {
        Some(format!("{n} characters; at most 32"))
    } else {
        name.value
            .chars()
            .find(|c| !iam_char_ok(*c))
            .map(|c| format!("`{c}` is not allowed"))
    };
    if let Some(why) = problem {
        ctx.push(
            Diagnostic::error(
                codes::LF318,
                format!("`{}` is not a valid permission set name", name.value),
            )
            .with_label(name.span, why)
            .with_help(
                "permission set names are 1 to 32 characters: letters, digits and `_+=,.@-`",
            ),
        );
    }
    if let Some(d) = description {
        let n = d.value.chars().count();
        let bad = d
            .value
            .chars()
            .find(|c| !matches!(*c, '\t' | '\n' | '\r' | ' '..='~' | '\u{A1}'..='\u{FF}'));
        if n == 0 || n > 700 || bad.is_some() {
            let why = match bad {
                Some(c) => format!("`{c}` is not allowed"),
                None => format!("{n} characters; 1 to 700"),
            };
            ctx.push(
                Diagnostic::error(codes::LF318, "this permission set description is not valid")
                    .with_label(d.span, why)
                    .with_help("descriptions are 1 to 700 characters of Latin-1 text"),
            );
        }
    }
    if let Some(r) = relay {
        let n = r.value.chars().count();
        let bad = r.value.chars().find(|c| {
            !(c.is_ascii_alphanumeric() || "&$@#\\/%?=~-_'\"|!:,.;*+[] (){}".contains(*c))
        });
        if n == 0 || n > 240 || bad.is_some() {
            ctx.push(
                Diagnostic::error(codes::LF318, "this relay state is not valid")
                    .with_label(
                        r.span,
                        bad.map_or(format!("{n} characters; 1 to 240"), |c| {
                            format!("`{c}` is not allowed")
                        }),
                    )
                    .with_help("the relay state is a URL of at most 240 characters"),
            );
        }
    }
}

/// `*`, `s3:GetObject`, `ec2:Describe*`. `wildcards: false` for test requests.
fn action(ctx: &mut Ctx<'_>, a: &Sp<String>, wildcards: bool) {
    let v = &a.value;
    let problem = if v == "*" {
        (!wildcards).then(|| "a test request needs one concrete action".to_string())
    } else {
        match v.split_once(':') {
            None => Some("expected `service:Action`".to_string()),
            Some((svc, act)) => {
                if svc.is_empty()
                    || !svc
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                {
                    Some(format!("`{svc}` is not a service prefix"))
                } else if act.is_empty()
                    || !act
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '*' || c == '?')
                {
                    Some(format!("`{act}` is not an action name"))
                } else if !wildcards && act.contains(['*', '?']) {
                    Some("a test request needs one concrete action, without wildcards".to_string())
                } else {
                    None
                }
            }
        }
    };
    if let Some(why) = problem {
        ctx.push(
            Diagnostic::error(codes::LF321, format!("`{v}` is not a valid IAM action"))
                .with_label(a.span, why)
                .with_help("actions look like `s3:GetObject` (service prefix in lower case, then the action)"),
        );
    }
}

fn arn(ctx: &mut Ctx<'_>, a: &Sp<String>, what: &str) {
    let v = &a.value;
    let parts: Vec<&str> = v.splitn(6, ':').collect();
    let ok = parts.len() == 6
        && parts[0] == "arn"
        && !parts[1].is_empty()
        && parts[1]
            .chars()
            .all(|c| c.is_ascii_lowercase() || c == '-' || c == '*')
        && !parts[2].is_empty()
        && !parts[5].is_empty()
        && !v.contains(char::is_whitespace);
    if !ok {
        ctx.push(
            Diagnostic::error(codes::LF322, format!("`{v}` is not a valid {what} ARN"))
                .with_label(a.span, "malformed ARN")
                .with_help("ARNs look like `arn:aws:SERVICE:REGION:ACCOUNT:RESOURCE`, e.g. `arn:aws:iam::111122223333:role/ci`"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::email_problem;

    #[test]
    fn email_rules() {
        assert_eq!(email_problem("aws+prod@paywave.example"), None);
        assert!(email_problem("a@b.c").is_some()); // 5 characters
        assert!(email_problem("no-at-sign.example").is_some());
        assert!(email_problem("a@b@c.example").is_some());
        assert!(email_problem(".x@example.com").is_some());
        assert!(email_problem("a b@example.com").is_some());
        assert!(email_problem("ab@example").is_some());
        assert!(email_problem("ab@-example.com").is_some());
        assert!(email_problem(&format!("{}@example.com", "a".repeat(60))).is_some());
    }
}
