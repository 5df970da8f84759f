//! # LF732: a delegated team can act outside its IAM path
//!
//! ## What it does
//! Asks the engine, as each delegated team's admin role, whether it can
//! create a role outside the team's path (with the right boundary), or
//! change roles and users that are not the team's: attach or put policies
//! on, update the trust of, or delete `OrganizationAccountAccessRole`, and
//! attach policies to or delete the break-glass users.
//!
//! ## Why is this bad?
//! Path scoping confines a team to its own namespace. Without it, the team
//! can create a bounded role and then use it — or its own admin role — on
//! platform or break-glass roles, and escalate through them.
//!
//! ## Example
//! ```yaml
//! # a delegation policy without the NotResource deny:
//! #   {"Effect": "Allow", "Action": "iam:*", "Resource": "*",
//! #    "Condition": {"StringEquals": {"iam:PermissionsBoundary": "…"}}}
//! ```
//!
//! ## How to fix
//! Allow IAM writes on `role/<path>*` only and deny them with `NotResource`
//! everywhere else (landform's `delegation:` does).
//!
//! ## Seeds
//! `002_…` "Step 1" ("Boundary + path scoping must travel together"), "The
//! IAM actions a delegated admin needs" (`iam:*` outside `role/team-app/*`:
//! deny via `NotResource`), best practice "Path-scope delegated admins",
//! security note "Break-glass roles live outside team paths".

use super::delegation::{probe, report, teams};
use super::{Check, Cx};
use crate::diagnostics::Severity;
use crate::principals::Query;

pub(crate) const CHECK: Check = Check {
    code: "LF732",
    name: "delegation-outside-path",
    severity: Severity::Error,
    summary: "a delegated team's admin role can create or change IAM roles and users outside its path",
    source: include_str!("delegation_outside_path.rs"),
    run,
};

fn run(cx: &mut Cx<'_>) {
    let users: Vec<(String, String)> = cx
        .org
        .break_glass
        .iter()
        .map(|u| (u.name.clone(), cx.engine.account_id(u.account).to_string()))
        .collect();
    for team in teams(cx) {
        let found = probe(cx, &team, false, |w| {
            let b = w.boundary_arn();
            let platform = w.platform_role();
            let mut moves = vec![
                (
                    "`iam:CreateRole` outside the path".to_string(),
                    Query::new("iam:CreateRole", w.outside_role())
                        .with("iam:PermissionsBoundary", b.clone()),
                ),
                (
                    "`iam:AttachRolePolicy` on `OrganizationAccountAccessRole`".to_string(),
                    Query::new("iam:AttachRolePolicy", platform.clone())
                        .with("iam:PermissionsBoundary", b.clone())
                        .with(
                            "iam:PolicyARN",
                            "arn:aws:iam::aws:policy/AdministratorAccess",
                        ),
                ),
                (
                    "`iam:PutRolePolicy` on `OrganizationAccountAccessRole`".to_string(),
                    Query::new("iam:PutRolePolicy", platform.clone())
                        .with("iam:PermissionsBoundary", b.clone()),
                ),
                (
                    "`iam:UpdateAssumeRolePolicy` on `OrganizationAccountAccessRole`".to_string(),
                    Query::new("iam:UpdateAssumeRolePolicy", platform.clone())
                        .with("iam:PermissionsBoundary", b.clone()),
                ),
                (
                    "`iam:DeleteRole` on `OrganizationAccountAccessRole`".to_string(),
                    Query::new("iam:DeleteRole", platform),
                ),
            ];
            for (name, account) in &users {
                if account == w.account {
                    let arn = format!("arn:aws:iam::{account}:user/{name}");
                    moves.push((
                        format!("`iam:AttachUserPolicy` on break-glass user `{name}`"),
                        Query::new("iam:AttachUserPolicy", arn.clone()).with(
                            "iam:PolicyARN",
                            "arn:aws:iam::aws:policy/AdministratorAccess",
                        ),
                    ));
                    moves.push((
                        format!("`iam:DeleteUser` on break-glass user `{name}`"),
                        Query::new("iam:DeleteUser", arn),
                    ));
                }
            }
            moves
        });
        let name = team.name.clone();
        let path = team.path.clone();
        report(
            cx,
            &CHECK,
            &team,
            found,
            |m| format!("delegated team `{name}` can act outside its path `{path}`, allowed: {m}"),
            "allow IAM writes only on `role/<path>*` and deny them with `NotResource` everywhere else",
        );
    }
}
