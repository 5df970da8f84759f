//! # LF737: a delegated team cannot create even a bounded role
//!
//! ## What it does
//! The positive control of the delegation checks: asks the engine, as each
//! delegated team's admin role, whether `iam:CreateRole` in the team's path
//! *with* the team's boundary is allowed. It should be.
//!
//! ## Why is this bad?
//! The delegation does not work: the team is blocked and will ask for a
//! broader grant. Usual causes: the boundary ARN in the condition differs
//! from the one the team attaches (another account, a path), the admin
//! role's own boundary does not allow IAM actions in the team's path, or an
//! SCP denies `iam:CreateRole` for the admin role.
//!
//! ## Example
//! ```yaml
//! guardrails:
//!   require_boundary_on_create_role:
//!     boundaries: [other-boundary]    # not the team's boundary
//!     attach: [Workloads]
//! ```
//!
//! ## How to fix
//! Read the trace: it names the gate that denies. Make the condition, the
//! boundary and the SCP agree on the team's boundary ARN, and let the boundary
//! allow IAM in the team's path.
//!
//! ## Seeds
//! `002_…` troubleshooting row 1 ("Team's `CreateRole` returns AccessDenied
//! even with the boundary"); `000_…` "Boundary mechanics" ("The boundary must
//! allow `iam:*` actions too — or the delegated admin can't manage their own
//! roles").

use super::delegation::{probe, report, teams};
use super::{Check, Cx};
use crate::diagnostics::Severity;
use crate::principals::Query;

pub(crate) const CHECK: Check = Check {
    code: "LF737",
    name: "delegation-cannot-create",
    severity: Severity::Warning,
    summary: "a delegated team's admin role cannot create a role in its path even with its boundary",
    source: include_str!("delegation_cannot_create.rs"),
    run,
};

fn run(cx: &mut Cx<'_>) {
    for team in teams(cx) {
        let found = probe(cx, &team, true, |w| {
            vec![(
                "`iam:CreateRole` with the team's boundary".to_string(),
                Query::new("iam:CreateRole", w.team_role())
                    .with("iam:PermissionsBoundary", w.boundary_arn()),
            )]
        });
        let name = team.name.clone();
        report(
            cx,
            &CHECK,
            &team,
            found,
            |m| format!("delegated team `{name}` cannot do its job, denied: {m}"),
            "make the delegation condition, the boundary and the SCPs agree on the team's boundary ARN, and let the boundary allow IAM in the team's path",
        );
    }
}
