//! Principal references against a compiled organization: resolving
//! `permission_set:ProdReadOnly@payments-prod` to a [`PrincipalRef`] (with
//! "did you mean" on every part), and printing a [`PrincipalRef`] back.
//!
//! ```text
//! permission_set:NAME@ACCOUNT   the role Identity Center creates for permission set NAME in ACCOUNT
//! role:NAME@ACCOUNT             the IAM role NAME (from `roles:`) in ACCOUNT
//! delegation:TEAM@ACCOUNT       the admin role of delegated team TEAM in ACCOUNT
//! user:NAME                     the break-glass IAM user NAME
//! ```

use std::fmt;

use crate::blueprint::principal::{self, PrincipalKind};
use crate::org::{AccountId, Org, PrincipalRef, RoleKind};
use crate::util::suggest;

/// Why a reference does not name a principal of the organization.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefError {
    /// What is wrong (lowercase, no final period, input in backticks).
    pub message: String,
    /// How to fix it.
    pub help: String,
}

impl fmt::Display for RefError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.message, self.help)
    }
}

impl std::error::Error for RefError {}

fn err<T>(message: String, help: impl Into<String>) -> Result<T, RefError> {
    Err(RefError {
        message,
        help: help.into(),
    })
}

/// The reference as text: `permission_set:ProdReadOnly@payments-prod`,
/// `role:ci-deployer@payments-prod`, `delegation:orders@orders-api-prod`,
/// `user:alice-breakglass`.
pub fn display(org: &Org, p: &PrincipalRef) -> String {
    match p {
        PrincipalRef::PermissionSet {
            permission_set,
            account,
        } => format!(
            "permission_set:{}@{}",
            org.permission_set(*permission_set).name,
            org.account(*account).name
        ),
        PrincipalRef::Role { role } => {
            let r = org.role(*role);
            let account = &org.account(r.account).name;
            match &r.kind {
                RoleKind::DelegatedAdmin { team } => format!("delegation:{team}@{account}"),
                RoleKind::Workload => format!("role:{}@{account}", r.name),
            }
        }
        PrincipalRef::BreakGlass { index } => match org.break_glass.get(*index) {
            Some(u) => format!("user:{}", u.name),
            None => format!("user:#{index}"),
        },
    }
}

/// Every principal of the organization, in a stable order: each permission
/// set in each account it is assigned to (by permission set, then account),
/// each role (IR order), each break-glass user.
pub fn enumerate(org: &Org) -> Vec<PrincipalRef> {
    let mut out: Vec<PrincipalRef> = org
        .assignments
        .iter()
        .map(|a| PrincipalRef::PermissionSet {
            permission_set: a.permission_set,
            account: a.account,
        })
        .collect();
    out.sort();
    out.dedup();
    out.extend(org.roles.iter().map(|r| PrincipalRef::Role { role: r.id }));
    out.extend((0..org.break_glass.len()).map(|index| PrincipalRef::BreakGlass { index }));
    out
}

fn account(org: &Org, name: &str, whole: &str) -> Result<AccountId, RefError> {
    if let Some(a) = org.accounts.iter().find(|a| a.name == name) {
        return Ok(a.id);
    }
    let names: Vec<&str> = org.accounts.iter().map(|a| a.name.as_str()).collect();
    let help = suggest::closest(name, &names).map_or_else(
        || "use the name of an account of this blueprint".to_string(),
        |s| {
            format!(
                "did you mean `{}`?",
                whole.replacen(&format!("@{name}"), &format!("@{s}"), 1)
            )
        },
    );
    err(format!("there is no account `{name}`"), help)
}

/// Resolves a reference against the organization. The syntax is the
/// blueprint's ([`crate::blueprint::principal`]).
pub fn resolve(org: &Org, text: &str) -> Result<PrincipalRef, RefError> {
    let text = text.trim();
    let parsed = principal::parse(text).map_err(|e| RefError {
        message: e.message,
        help: e.help,
    })?;
    let kind = parsed.kind.keyword();
    let name = parsed.name.as_str();
    if parsed.kind == PrincipalKind::User {
        if let Some(index) = org.break_glass.iter().position(|u| u.name == name) {
            return Ok(PrincipalRef::BreakGlass { index });
        }
        let names: Vec<&str> = org.break_glass.iter().map(|u| u.name.as_str()).collect();
        let help = match suggest::closest(name, &names) {
            Some(s) => format!("did you mean `user:{s}`?"),
            None if names.is_empty() => "the blueprint defines no break-glass users".to_string(),
            None => format!(
                "break-glass users: {}",
                names
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        return err(format!("there is no break-glass user `{name}`"), help);
    }
    let Some(acct) = parsed.account.as_deref() else {
        return err(
            format!("`{text}` does not say in which account"),
            format!("add the account: `{kind}:{name}@ACCOUNT`"),
        );
    };
    let account_id = account(org, acct, text)?;
    let account_name = &org.account(account_id).name;
    match kind {
        "permission_set" => {
            let Some(ps) = org.permission_sets.iter().find(|p| p.name == name) else {
                let names: Vec<&str> = org
                    .permission_sets
                    .iter()
                    .map(|p| p.name.as_str())
                    .collect();
                let help = suggest::closest(name, &names).map_or_else(
                    || "use the name of a permission set of this blueprint".to_string(),
                    |s| format!("did you mean `permission_set:{s}@{acct}`?"),
                );
                return err(format!("there is no permission set `{name}`"), help);
            };
            if org
                .assignments
                .iter()
                .any(|a| a.permission_set == ps.id && a.account == account_id)
            {
                return Ok(PrincipalRef::PermissionSet {
                    permission_set: ps.id,
                    account: account_id,
                });
            }
            let mut assigned: Vec<&str> = org
                .assignments
                .iter()
                .filter(|a| a.permission_set == ps.id)
                .map(|a| org.account(a.account).name.as_str())
                .collect();
            assigned.sort_unstable();
            assigned.dedup();
            let help = match assigned.as_slice() {
                [] => format!("permission set `{name}` is assigned to no account"),
                [one] => format!("it is assigned to `{one}` only"),
                many => {
                    let shown: Vec<String> =
                        many.iter().take(5).map(|a| format!("`{a}`")).collect();
                    let more = if many.len() > 5 {
                        format!(" and {} more", many.len() - 5)
                    } else {
                        String::new()
                    };
                    format!("it is assigned to {}{more}", shown.join(", "))
                }
            };
            err(
                format!(
                    "permission set `{name}` is not assigned to account `{account_name}`, so its role does not exist there"
                ),
                help,
            )
        }
        "role" | "delegation" => {
            let delegated = kind == "delegation";
            let matches_name = |r: &crate::org::Role| match (&r.kind, delegated) {
                (RoleKind::DelegatedAdmin { team }, true) => team == name,
                (RoleKind::Workload, false) => r.name == name,
                // a delegated team's admin role is also an IAM role by name
                (RoleKind::DelegatedAdmin { .. }, false) => r.name == name,
                (RoleKind::Workload, true) => false,
            };
            if let Some(r) = org
                .roles
                .iter()
                .find(|r| r.account == account_id && matches_name(r))
            {
                return Ok(PrincipalRef::Role { role: r.id });
            }
            let candidates: Vec<&str> = org
                .roles
                .iter()
                .filter_map(|r| match (&r.kind, delegated) {
                    (RoleKind::DelegatedAdmin { team }, true) => Some(team.as_str()),
                    (_, false) => Some(r.name.as_str()),
                    _ => None,
                })
                .collect();
            let what = if delegated { "delegated team" } else { "role" };
            if candidates.contains(&name) {
                let mut accounts: Vec<&str> = org
                    .roles
                    .iter()
                    .filter(|r| matches_name(r))
                    .map(|r| org.account(r.account).name.as_str())
                    .collect();
                accounts.sort_unstable();
                accounts.dedup();
                let shown: Vec<String> =
                    accounts.iter().take(5).map(|a| format!("`{a}`")).collect();
                return err(
                    format!("{what} `{name}` does not exist in account `{account_name}`"),
                    format!("it exists in {}", shown.join(", ")),
                );
            }
            let help = suggest::closest(name, &candidates).map_or_else(
                || format!("use the name of a {what} of this blueprint"),
                |s| format!("did you mean `{kind}:{s}@{acct}`?"),
            );
            err(format!("there is no {what} `{name}`"), help)
        }
        _ => err(
            format!("unknown principal kind `{kind}`"),
            "write `permission_set:NAME@ACCOUNT`, `role:NAME@ACCOUNT`, `delegation:TEAM@ACCOUNT` or `user:NAME`",
        ),
    }
}
