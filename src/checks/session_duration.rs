//! # LF771: a session is longer than the seeds' guidance for its kind
//!
//! ## What it does
//! Classifies every permission set by asking the engine about its own
//! policies, then compares its session duration with the seeds'
//! permission-set design table:
//!
//! | kind (decided by the engine) | guidance |
//! |---|---|
//! | administrator (allows every administrator-only probe action), assigned to a production or the management account | 1 hour |
//! | operator (may deploy or restart: `ecs:UpdateService`, `lambda:UpdateFunctionCode`, `ec2:RebootInstances`, …), assigned to production | 2 hours |
//! | read-only (allows none of a set of common writes: `s3:PutObject`, `ec2:RunInstances`, `dynamodb:PutItem`, `iam:CreateRole`, …) | 4 hours |
//! | anything else (non-production administrators and operators, data access) | 8 hours |
//!
//! ## Why is this bad?
//! A session is a bearer credential until it expires: the more a session can
//! do, the shorter it should live. Revoking a leaked session needs a deny on
//! `aws:TokenIssueTime`; a short session limits the window on its own.
//!
//! ## Example
//! ```yaml
//! identity_center:
//!   permission_sets:
//!     ProdReadOnly: {aws_managed: [ReadOnlyAccess], session: PT8H}   # guidance: 4 hours
//! ```
//!
//! ## How to fix
//! Shorten `session:` (the finding names the guidance), or split the set into
//! a short privileged one and a longer read-only one.
//!
//! ## Seeds
//! `000_…` permission-set design table (`OrgAdmin` 1h, `ProdReadOnly` 4h,
//! `ProdOperator` 2h, `NonProdAdmin`/`SandboxAdmin` 8h, `BillingViewer` 2h),
//! the IAM limits table ("Role max session duration … Lower is safer"),
//! "Real-world scenario" (ProdReadOnly 4 h, ProdOperator 2 h, NonProdAdmin
//! 8 h); `002_…` troubleshooting row 10 (sessions outlive a key rotation).

use std::collections::BTreeMap;

use super::probes::{is_admin, own_policies, principal_tag_keys};
use super::prod_admin_without_boundary::is_prod;
use super::{Check, Cx};
use crate::diagnostics::Severity;
use crate::org::{AccountId, PermissionSetId, PrincipalRef};
use crate::policy::eval::{Decision, decide};
use crate::principals::{Assume, Query};

pub(crate) const CHECK: Check = Check {
    code: "LF771",
    name: "session-duration",
    severity: Severity::Warning,
    summary: "a permission set's session is longer than the seeds' guidance for what it can do",
    source: include_str!("session_duration.rs"),
    run,
};

/// Writes of the common services: a set that allows none of them is read-only.
/// (AWS's own `ReadOnlyAccess` allows a few actions the catalogue files under
/// Write — `logs:StartQuery`, `xray:StartTraceRetrieval` — so "no Write-level
/// action at all" would make nothing read-only.)
const WRITE_PROBES: &[&str] = &[
    "s3:PutObject",
    "s3:DeleteObject",
    "s3:DeleteBucket",
    "s3:PutBucketPolicy",
    "ec2:RunInstances",
    "ec2:TerminateInstances",
    "ec2:ModifyInstanceAttribute",
    "dynamodb:PutItem",
    "dynamodb:DeleteTable",
    "lambda:CreateFunction",
    "iam:CreateRole",
    "iam:PutRolePolicy",
    "rds:DeleteDBInstance",
    "sqs:SendMessage",
    "sns:Publish",
    "cloudformation:CreateStack",
    "secretsmanager:PutSecretValue",
    "ssm:PutParameter",
    "kms:ScheduleKeyDeletion",
    "logs:DeleteLogGroup",
];

const OPERATOR_PROBES: &[&str] = &[
    "ecs:UpdateService",
    "ecs:StopTask",
    "lambda:UpdateFunctionCode",
    "ec2:RebootInstances",
    "ec2:StopInstances",
    "codedeploy:CreateDeployment",
    "cloudformation:UpdateStack",
    "autoscaling:UpdateAutoScalingGroup",
    "rds:RebootDBInstance",
];

/// `PT4H` → 14400 seconds (hours, minutes, seconds).
pub(crate) fn seconds(iso: &str) -> Option<u32> {
    let rest = iso.trim().strip_prefix("PT")?;
    let mut total: u32 = 0;
    let mut number = String::new();
    for c in rest.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let n: u32 = number.parse().ok()?;
        number.clear();
        total = total.checked_add(n.checked_mul(match c {
            'H' => 3600,
            'M' => 60,
            'S' => 1,
            _ => return None,
        })?)?;
    }
    number.is_empty().then_some(total)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Admin,
    Operator,
    ReadOnly,
    Other,
}

fn classify(cx: &Cx<'_>, p: &PrincipalRef) -> Kind {
    if is_admin(cx.engine, p) {
        return Kind::Admin;
    }
    let set = own_policies(cx.engine, p, Assume::Nothing);
    let who = cx.engine.describe(p);
    let (docs, boundary) = cx.engine.documents(p);
    let mut keys = std::collections::BTreeSet::new();
    for d in docs.iter().chain(boundary.iter()) {
        keys.extend(principal_tag_keys(d));
    }
    let allows = |action: &str| {
        let mut q = Query::new(action, "*");
        for k in &keys {
            q = q
                .with(&format!("aws:PrincipalTag/{k}"), "landform")
                .with(&format!("aws:ResourceTag/{k}"), "landform")
                .with(&format!("aws:RequestTag/{k}"), "landform");
        }
        decide(&set, &cx.engine.request(&who, &q)).decision == Decision::Allow
    };
    if OPERATOR_PROBES.iter().any(|a| allows(a)) {
        return Kind::Operator;
    }
    if WRITE_PROBES.iter().any(|a| allows(a)) {
        Kind::Other
    } else {
        Kind::ReadOnly
    }
}

fn hours(s: u32) -> String {
    if s.is_multiple_of(3600) {
        let h = s / 3600;
        if h == 1 {
            "1 hour".to_string()
        } else {
            format!("{h} hours")
        }
    } else {
        format!("{} minutes", s / 60)
    }
}

fn run(cx: &mut Cx<'_>) {
    let org = cx.org;
    let mut assigned: BTreeMap<PermissionSetId, Vec<AccountId>> = BTreeMap::new();
    for a in &org.assignments {
        assigned
            .entry(a.permission_set)
            .or_default()
            .push(a.account);
    }
    for (ps_id, accounts) in assigned {
        let ps = org.permission_set(ps_id);
        let Some(session) = seconds(&ps.session_duration) else {
            continue;
        };
        let p = PrincipalRef::PermissionSet {
            permission_set: ps_id,
            account: accounts[0],
        };
        let prod = accounts.iter().any(|a| is_prod(org, *a));
        let mgmt = accounts.iter().any(|a| org.account(*a).is_management);
        let kind = classify(cx, &p);
        let (limit, why) = match kind {
            Kind::Admin if prod || mgmt => (
                3600,
                "an administrator set assigned to production or the management account",
            ),
            Kind::Operator if prod => (
                7200,
                "an operator set (it can deploy or restart) assigned to production",
            ),
            Kind::ReadOnly => (14400, "a read-only set"),
            Kind::Admin => (28800, "an administrator set outside production"),
            Kind::Operator | Kind::Other => (28800, "a set that can change resources"),
        };
        if session <= limit {
            continue;
        }
        let d = cx
            .diag(
                &CHECK,
                format!(
                    "permission set `{}` has {}-long sessions; the guidance for {why} is {}",
                    ps.name,
                    hours(session),
                    hours(limit)
                ),
                &ps.origin,
            )
            .with_help(format!("set `session: PT{}H` or shorter", limit / 3600));
        cx.push(d);
    }
}
