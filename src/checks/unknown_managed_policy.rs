//! # LF701: a managed policy the engine has no document for
//!
//! ## What it does
//! Reports managed policies a permission set, role or break-glass user
//! attaches but whose document landform does not have: a name that is not an
//! AWS-managed policy (with the closest real name), an AWS-managed policy
//! whose document landform does not ship, or a customer-managed policy the
//! blueprint references but does not define.
//!
//! ## Why is this bad?
//! An unknown AWS-managed policy name fails at deploy time (`NoSuchEntity`).
//! And the engine cannot know what the policy grants: the checks report only
//! what holds whatever it grants (a move is reported as allowed only if it is
//! allowed when the policy grants nothing, as denied only if it is denied when
//! the policy allows everything), and `tests:` report when their outcome
//! depends on it (LF802).
//!
//! ## Example
//! ```yaml
//! identity_center:
//!   permission_sets:
//!     Engineer:
//!       aws_managed: [AmazonCloudWatchReadOnlyAccess]   # the real name is CloudWatchReadOnlyAccess
//! ```
//!
//! ## How to fix
//! Use the real name (the finding suggests one), define the customer-managed
//! policy under `policies.managed`, or — for a real AWS-managed policy landform
//! does not ship — accept the warning: the engine treats it as stated above.
//!
//! ## Seeds
//! `002_…` "validate-policy finding types": an unknown name is an `ERROR` that
//! AWS rejects.

use super::{Check, Cx, at, list};
use crate::diagnostics::Severity;
use crate::principals::{IssueKind, aws_managed};

pub(crate) const CHECK: Check = Check {
    code: "LF701",
    name: "unknown-managed-policy",
    severity: Severity::Warning,
    summary: "a managed policy the engine has no document for",
    source: include_str!("unknown_managed_policy.rs"),
    run,
};

fn run(cx: &mut Cx<'_>) {
    for issue in cx.engine.issues() {
        let (message, help) = match &issue.kind {
            IssueKind::UnknownAwsManaged { arn, suggestion } => (
                format!("`{arn}` is not an AWS-managed policy"),
                match suggestion {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => "use the name of an AWS-managed policy".to_string(),
                },
            ),
            IssueKind::NotShipped { arn } => (
                format!("landform does not ship the document of the AWS-managed policy `{arn}`"),
                format!(
                    "the checks report only what holds whatever it grants; `tests:` say when their outcome depends on it (landform ships {} documents, from {} {})",
                    aws_managed::counts().1,
                    aws_managed::source().package,
                    aws_managed::source().version
                ),
            ),
            IssueKind::UndefinedCustomerManaged { name } => (
                format!("customer-managed policy `{name}` is not defined in the blueprint"),
                "define it under `policies.managed`, or the engine cannot know what it grants"
                    .to_string(),
            ),
            IssueKind::Unparseable { .. } => continue,
        };
        let Some(first) = issue.used_by.first() else {
            continue;
        };
        let users: Vec<String> = issue
            .used_by
            .iter()
            .map(|o| format!("`{}`", o.construct))
            .collect();
        let mut d = cx
            .diag(&CHECK, message, first)
            .with_help(help)
            .with_note(format!("used by {}", list(&users, 8)));
        for o in issue.used_by.iter().skip(1).take(8) {
            d = at(d, o, "also used here", &cx.org.blueprint);
        }
        cx.push(d);
    }
}
