//! Shared by the delegation checks (LF730–LF737): the delegated teams of the
//! organization, and asking the engine, as each team's admin role in each of
//! its accounts, whether a move is allowed.

use std::collections::BTreeMap;

use super::{Check, Cx, list, trace_note};
use crate::blueprint::resolve::doc::iam_path;
use crate::org::{ManagedRef, Origin, PrincipalRef, RoleId, RoleKind};
use crate::policy::eval::{Decision, Evaluation};
use crate::principals::{Assume, Query, role_arn};

/// One delegated team.
pub(crate) struct Team {
    pub name: String,
    /// The IAM path the team owns (`/team-app/`).
    pub path: String,
    /// The team's admin role in each account.
    pub roles: Vec<RoleId>,
    pub origin: Origin,
}

/// The delegated teams, by name.
pub(crate) fn teams(cx: &Cx<'_>) -> Vec<Team> {
    let mut by_team: BTreeMap<String, Team> = BTreeMap::new();
    for r in &cx.org.roles {
        let RoleKind::DelegatedAdmin { team } = &r.kind else {
            continue;
        };
        let path = cx
            .intent
            .delegation_paths
            .get(team)
            .cloned()
            .unwrap_or_else(|| iam_path(team));
        by_team
            .entry(team.clone())
            .or_insert_with(|| Team {
                name: team.clone(),
                path,
                roles: Vec::new(),
                origin: r.origin.clone(),
            })
            .roles
            .push(r.id);
    }
    by_team.into_values().collect()
}

/// What a probe needs to know about the account it runs in.
pub(crate) struct Where<'a> {
    /// The account's 12-digit id.
    pub account: &'a str,
    /// The team's path.
    pub path: &'a str,
    /// The exact ARN of the boundary the team must attach, if the admin role wears one.
    pub boundary: Option<String>,
}

impl Where<'_> {
    /// A role in the team's path.
    pub fn team_role(&self) -> String {
        role_arn(self.account, self.path, "landform-probe")
    }

    /// A role outside the team's path.
    pub fn outside_role(&self) -> String {
        role_arn(self.account, "/landform-outside/", "landform-probe")
    }

    /// The role the management account administers members with.
    pub fn platform_role(&self) -> String {
        role_arn(self.account, "/", "OrganizationAccountAccessRole")
    }

    /// The boundary the team must attach (or a stand-in when the admin role wears none).
    pub fn boundary_arn(&self) -> String {
        self.boundary
            .clone()
            .unwrap_or_else(|| format!("arn:aws:iam::{}:policy/landform-no-boundary", self.account))
    }
}

fn boundary_arn(account: &str, b: &ManagedRef) -> String {
    match b {
        ManagedRef::Aws { arn } => arn.clone(),
        ManagedRef::Customer(c) => {
            format!(
                "arn:aws:iam::{account}:policy{}{}",
                iam_path(&c.path),
                c.name
            )
        }
    }
}

/// A move a probe makes: what it is, in words, and the request.
pub(crate) type Move = (String, Query);

/// Runs `moves` as each of the team's admin roles; returns the moves whose
/// decision is (`want_allowed`) not Allow / (`!want_allowed`) Allow, with the
/// accounts where it happened and the first trace.
pub(crate) fn probe(
    cx: &Cx<'_>,
    team: &Team,
    want_allowed: bool,
    moves: impl Fn(&Where<'_>) -> Vec<Move>,
) -> Vec<(String, Vec<String>, Evaluation)> {
    let mut out: Vec<(String, Vec<String>, Evaluation)> = Vec::new();
    for role in &team.roles {
        let r = cx.org.role(*role);
        let account = cx.engine.account_id(r.account).to_string();
        let w = Where {
            account: &account,
            path: &team.path,
            boundary: r.boundary.as_ref().map(|b| boundary_arn(&account, b)),
        };
        let p = PrincipalRef::Role { role: *role };
        // report only what holds whatever a policy without a document grants
        // (LF701 reports those): a move is surely allowed if it is allowed when
        // they grant nothing, surely denied if denied when they allow everything
        let assume = if want_allowed {
            Assume::Everything
        } else {
            Assume::Nothing
        };
        for (what, q) in moves(&w) {
            let d = cx.engine.decide(&p, &q, assume);
            let bad = (d == Decision::Allow) != want_allowed;
            if !bad {
                continue;
            }
            let account_name = cx.org.account(r.account).name.clone();
            match out.iter_mut().find(|(w, _, _)| *w == what) {
                Some((_, accounts, _)) => accounts.push(account_name),
                None => {
                    let ev = cx.engine.explain(&p, &q, assume);
                    out.push((what, vec![account_name], ev));
                }
            }
        }
    }
    out
}

/// One finding per team for the moves that went wrong.
pub(crate) fn report(
    cx: &mut Cx<'_>,
    check: &Check,
    team: &Team,
    found: Vec<(String, Vec<String>, Evaluation)>,
    message: impl Fn(&str) -> String,
    help: &str,
) {
    if found.is_empty() {
        return;
    }
    let moves: Vec<String> = found.iter().map(|(w, _, _)| w.clone()).collect();
    let mut accounts: Vec<String> = found
        .iter()
        .flat_map(|(_, a, _)| a.iter().map(|a| format!("`{a}`")))
        .collect();
    accounts.sort();
    accounts.dedup();
    let admin = cx.org.role(team.roles[0]).name.clone();
    let mut d = cx
        .diag(check, message(&list(&moves, 4)), &team.origin)
        .with_help(help.to_string())
        .with_note(format!(
            "asked as the team's admin role `{admin}` in {}",
            list(&accounts, 6)
        ));
    if let Some((_, _, ev)) = found.first() {
        d = d.with_note(trace_note(ev));
    }
    cx.push(d);
}
