//! # LF700: a policy document the engine cannot read
//!
//! ## What it does
//! Reports a compiled policy document (user-written or generated) that does
//! not parse as an IAM policy, so the engine cannot evaluate it.
//!
//! ## Why is this bad?
//! AWS rejects such a document at deploy time, and every other check and
//! `tests:` assertion that involves it is answered as if the policy were
//! empty: an SCP that does not parse denies nothing, an identity policy that
//! does not parse grants nothing.
//!
//! ## Example
//! ```yaml
//! policies:
//!   scp:
//!     broken:
//!       document:
//!         Version: "2012-10-17"
//!         Statement:
//!           - Effect: Deny
//!             Action: 42
//! ```
//!
//! ## How to fix
//! Fix the document; `landform lint FILE` shows every problem with its
//! position.
//!
//! ## Seeds
//! `002_…` "validate-policy finding types": `ERROR` — an invalid policy that
//! will not work fails the build.

use super::{Check, Cx};
use crate::diagnostics::Severity;
use crate::principals::IssueKind;

pub(crate) const CHECK: Check = Check {
    code: "LF700",
    name: "unevaluable-policy",
    severity: Severity::Error,
    summary: "a policy document does not parse, so the engine cannot evaluate it",
    source: include_str!("unevaluable_policy.rs"),
    run,
};

fn run(cx: &mut Cx<'_>) {
    for issue in cx.engine.issues() {
        let IssueKind::Unparseable { policy, error } = &issue.kind else {
            continue;
        };
        let p = cx.org.policy(*policy);
        let d = cx
            .diag(
                &CHECK,
                format!("the engine cannot read policy `{}`: {error}", p.name),
                &p.origin,
            )
            .with_help("fix the document; `landform lint` shows every problem with its position");
        cx.push(d);
    }
}
