//! The size and count re-check on the compiled organization.
//!
//! Validation checks the documents a blueprint writes; compilation writes more
//! (a region lock with a long exemption list, a delegation policy, merged
//! guardrails), so the limits of the seeds' tables ("Organizations limits",
//! "IAM entity limits", "IAM limits that shape how you write policies") are
//! checked again on every generated document. Each finding points at the
//! blueprint construct that made the document.
//!
//! | code | limit |
//! |---|---|
//! | LF501 | SCP / RCP document: 5,120 characters (minified, as AWS counts) |
//! | LF502 | managed policy or boundary: 6,144 characters (whitespace not counted) |
//! | LF503 | inline policies of one role: 10,240 characters in total (a permission set's inline policy becomes a role inline policy) |
//! | LF504 | trust policy: 2,048 characters by default (warning), 4,096 with a raised quota (error) |
//! | LF505 | SCPs (or RCPs) attached to one target: 5, counting the default `FullAWSAccess` |
//! | LF506 | inline policies of an IAM group: 5,120 characters in total |

use std::collections::BTreeMap;

use super::doc::counted_chars;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::org::{Org, Origin, Policy, PolicyKind, Target};

pub const SCP_MAX_CHARS: usize = 5_120;
pub const MANAGED_MAX_CHARS: usize = 6_144;
pub const ROLE_INLINE_TOTAL_MAX_CHARS: usize = 10_240;
pub const GROUP_INLINE_TOTAL_MAX_CHARS: usize = 5_120;
pub const TRUST_DEFAULT_MAX_CHARS: usize = 2_048;
pub const TRUST_RAISED_MAX_CHARS: usize = 4_096;
pub const ORG_POLICIES_PER_TARGET: usize = 5;

/// `5120` → `5,120`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn kind_name(kind: PolicyKind) -> &'static str {
    match kind {
        PolicyKind::Scp => "service control policy",
        PolicyKind::Rcp => "resource control policy",
        PolicyKind::Managed => "managed policy",
        PolicyKind::Boundary => "permissions boundary",
        PolicyKind::RoleInline => "inline policy",
        PolicyKind::Trust => "trust policy",
        PolicyKind::PermissionSetInline => "permission set inline policy",
    }
}

/// Adds the policy's blueprint locations to a diagnostic: the primary label on
/// its origin, secondary labels on the constructs merged into it.
fn locate(mut d: Diagnostic, origin: &Origin, parts: &[Origin], what: &str) -> Diagnostic {
    if let Some(span) = origin.span {
        d = d.with_label(span, what.to_string());
    }
    for p in parts {
        if let Some(span) = p.span
            && Some(span) != origin.span
        {
            d = d.with_secondary(span, format!("`{}` is part of it", p.construct));
        }
    }
    let constructs: Vec<&str> = if parts.is_empty() {
        vec![origin.construct.as_str()]
    } else {
        parts.iter().map(|p| p.construct.as_str()).collect()
    };
    d.with_note(format!("compiled from {}", constructs.join(", ")))
}

fn policy_size_finding(p: &Policy, limit: usize, code: &str) -> Option<Diagnostic> {
    let size = counted_chars(&p.document);
    if size <= limit {
        return None;
    }
    let help = match p.kind {
        PolicyKind::Scp | PolicyKind::Rcp if !p.parts.is_empty() => {
            "attach some of these guardrails at another level, or shorten the longest list (a region lock's exemptions, a tag rule's actions)"
        }
        PolicyKind::Scp | PolicyKind::Rcp => {
            "split the statements over two policies, or use wildcards to shorten the action lists"
        }
        _ => "split the statements over two managed policies",
    };
    let d = Diagnostic::error(
        code,
        format!(
            "{} `{}` is {} characters, more than the {} AWS accepts",
            kind_name(p.kind),
            p.name,
            thousands(size),
            thousands(limit)
        ),
    )
    .with_help(help);
    Some(locate(
        d,
        &p.origin,
        &p.parts,
        "this compiles to the oversized document",
    ))
}

/// Checks every generated document and attachment count of `org`.
pub fn check(org: &Org) -> Diagnostics {
    let mut diags = Diagnostics::new();
    for p in &org.policies {
        let found = match p.kind {
            PolicyKind::Scp | PolicyKind::Rcp => policy_size_finding(p, SCP_MAX_CHARS, "LF501"),
            PolicyKind::Managed | PolicyKind::Boundary => {
                policy_size_finding(p, MANAGED_MAX_CHARS, "LF502")
            }
            PolicyKind::PermissionSetInline => {
                policy_size_finding(p, ROLE_INLINE_TOTAL_MAX_CHARS, "LF503")
            }
            PolicyKind::Trust => {
                let size = counted_chars(&p.document);
                if size > TRUST_RAISED_MAX_CHARS {
                    policy_size_finding(p, TRUST_RAISED_MAX_CHARS, "LF504")
                } else if size > TRUST_DEFAULT_MAX_CHARS {
                    let d = Diagnostic::warning(
                        "LF504",
                        format!(
                            "trust policy `{}` is {} characters, more than the default quota of {}",
                            p.name,
                            thousands(size),
                            thousands(TRUST_DEFAULT_MAX_CHARS)
                        ),
                    )
                    .with_help("request a quota increase (up to 4,096) before deploying, or trust fewer principals — `aws:PrincipalOrgID` instead of a list of accounts");
                    Some(locate(d, &p.origin, &p.parts, "this trust policy"))
                } else {
                    None
                }
            }
            PolicyKind::RoleInline => None,
        };
        diags.extend(found);
    }
    // inline total per role
    for role in &org.roles {
        let total: usize = role
            .inline
            .iter()
            .map(|id| counted_chars(&org.policy(*id).document))
            .sum();
        if total > ROLE_INLINE_TOTAL_MAX_CHARS {
            let d = Diagnostic::error(
                "LF503",
                format!(
                    "the inline policies of role `{}` in account `{}` total {} characters, more than the {} AWS accepts",
                    role.name,
                    org.account(role.account).name,
                    thousands(total),
                    thousands(ROLE_INLINE_TOTAL_MAX_CHARS)
                ),
            )
            .with_help("move some statements into a managed policy");
            diags.push(locate(d, &role.origin, &[], "this role"));
        }
    }
    // inline total per break-glass group
    let mut groups: BTreeMap<(u32, &str), (&Origin, usize)> = BTreeMap::new();
    for u in &org.break_glass {
        let total: usize = u
            .group_inline
            .iter()
            .map(|id| counted_chars(&org.policy(*id).document))
            .sum();
        groups
            .entry((u.account.0, &u.group))
            .or_insert((&u.origin, total));
    }
    for ((_, group), (origin, total)) in groups {
        if total > GROUP_INLINE_TOTAL_MAX_CHARS {
            let d = Diagnostic::error(
                "LF506",
                format!(
                    "the inline policies of group `{group}` total {} characters, more than the {} AWS accepts",
                    thousands(total),
                    thousands(GROUP_INLINE_TOTAL_MAX_CHARS)
                ),
            );
            diags.push(locate(d, origin, &[], "this break-glass group"));
        }
    }
    // attachments per target, counting AWS's default policy
    for (kind, default_name) in [
        (PolicyKind::Scp, "FullAWSAccess"),
        (PolicyKind::Rcp, "RCPFullAWSAccess"),
    ] {
        let mut per_target: BTreeMap<Target, Vec<usize>> = BTreeMap::new();
        for (i, a) in org.attachments.iter().enumerate() {
            if org.policy(a.policy).kind == kind {
                per_target.entry(a.target).or_default().push(i);
            }
        }
        for (target, attachments) in per_target {
            let keeps_default = match kind {
                PolicyKind::Scp => org.has_full_aws_access(target),
                _ => org.keep_rcp_full_aws_access,
            };
            let count = attachments.len() + usize::from(keeps_default);
            if count <= ORG_POLICIES_PER_TARGET {
                continue;
            }
            let names: Vec<String> = attachments
                .iter()
                .map(|i| format!("`{}`", org.policy(org.attachments[*i].policy).name))
                .collect();
            let mut d = Diagnostic::error(
                "LF505",
                format!(
                    "{} {}s are attached to `{}`, more than the {} AWS allows{}",
                    count,
                    if kind == PolicyKind::Scp {
                        "SCP"
                    } else {
                        "RCP"
                    },
                    org.target_name(target),
                    ORG_POLICIES_PER_TARGET,
                    if keeps_default {
                        format!(" (counting the default `{default_name}`)")
                    } else {
                        String::new()
                    }
                ),
            )
            .with_help("combine policies, or attach some of them one level higher or lower")
            .with_note(format!("attached: {}", names.join(", ")));
            let mut primary = true;
            for i in &attachments {
                let a = &org.attachments[*i];
                if let Some(span) = a.origin.span {
                    let msg = format!("attaches `{}`", org.policy(a.policy).name);
                    d = if primary {
                        d.with_label(span, msg)
                    } else {
                        d.with_secondary(span, msg)
                    };
                    primary = false;
                }
            }
            diags.push(d);
        }
    }
    diags
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::{SourceId, Span};
    use crate::org::builder::OrgBuilder;
    use serde_json::json;

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(5120), "5,120");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000_000), "1,000,000");
    }

    fn big_scp(n: usize) -> serde_json::Value {
        let actions: Vec<String> = (0..n).map(|i| format!("svc:Action{i:04}")).collect();
        json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Deny", "NotAction": actions, "Resource": "*"}]})
    }

    #[test]
    fn an_oversized_scp_points_at_its_guardrails() {
        let mut b = OrgBuilder::new("x", "x.yaml", "eu-west-1");
        let span = Span::new(SourceId(0), 10, 20);
        let other = Span::new(SourceId(0), 30, 40);
        let id = b.policy(
            PolicyKind::Scp,
            "landform-guardrails-root",
            big_scp(400),
            Origin::new("guardrails.region_lock", Some(span)),
        );
        b.policy_mut(id).parts = vec![
            Origin::new("guardrails.region_lock", Some(span)),
            Origin::new("guardrails.deny_member_root", Some(other)),
        ];
        let small = b.policy(
            PolicyKind::Scp,
            "small",
            big_scp(10),
            Origin::new("policies.scp.small", None),
        );
        b.attach(id, Target::Root, Origin::new("g", None));
        b.attach(small, Target::Root, Origin::new("g", None));
        let diags = check(&b.finish());
        let found: Vec<_> = diags.iter().collect();
        assert_eq!(found.len(), 1, "{found:?}");
        let d = found[0];
        assert_eq!(d.code, "LF501");
        assert!(d.message.contains("`landform-guardrails-root`"));
        assert!(d.message.contains("5,120"));
        assert_eq!(d.primary_span(), Some(span));
        assert_eq!(d.labels.len(), 2);
        assert!(d.notes[0].contains("guardrails.deny_member_root"));
    }

    #[test]
    fn attachment_counts_include_full_aws_access() {
        let mut b = OrgBuilder::new("x", "x.yaml", "eu-west-1");
        let ou = b.ou(b.root(), "Prod", Origin::new("ou", None));
        for i in 0..5 {
            let id = b.policy(
                PolicyKind::Scp,
                &format!("p{i}"),
                big_scp(1),
                Origin::new("p", None),
            );
            b.attach(id, Target::Ou(ou), Origin::new("a", None));
        }
        let org = b.finish();
        let diags = check(&org);
        let d: Vec<_> = diags.iter().filter(|d| d.code == "LF505").collect();
        assert_eq!(d.len(), 1);
        assert!(
            d[0].message.starts_with("6 SCPs are attached to `Prod`"),
            "{}",
            d[0].message
        );
        let mut org = org;
        org.keep_full_aws_access = false;
        assert!(check(&org).is_empty(), "five without FullAWSAccess fit");
    }

    #[test]
    fn trust_policy_over_the_default_quota_is_a_warning() {
        let mut b = OrgBuilder::new("x", "x.yaml", "eu-west-1");
        let principals: Vec<String> = (0..60)
            .map(|i| format!("arn:aws:iam::{:012}:root", i))
            .collect();
        let doc = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Principal": {"AWS": principals}, "Action": "sts:AssumeRole"}]});
        b.policy(
            PolicyKind::Trust,
            "r-trust",
            doc,
            Origin::new("roles.r", None),
        );
        let diags = check(&b.finish());
        let d: Vec<_> = diags.iter().collect();
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code, "LF504");
        assert!(!d[0].is_error());
    }
}
