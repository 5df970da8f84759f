//! Principal references: how blueprints (`tests:` `as:`, trust `principals:`)
//! and the command line (`landform explain --as`) name a principal of the
//! compiled organization.
//!
//! ```text
//! principal  := kind ":" name [ "@" account ]
//! kind       := "permission_set" | "role" | "delegation" | "user"
//!
//! permission_set:NAME@ACCOUNT   the role Identity Center creates for permission set NAME in ACCOUNT
//! role:NAME@ACCOUNT             the IAM role NAME (from `roles:`) in ACCOUNT
//! delegation:TEAM@ACCOUNT       the admin role of delegated team TEAM in ACCOUNT
//! user:NAME                     the break-glass IAM user NAME (in `break_glass.account`)
//! ```
//!
//! ACCOUNT is an account name of the blueprint (member or management account).
//! `permission_set`, `role` and `delegation` need `@ACCOUNT`; `user` takes none.

use std::fmt;

use crate::util::suggest;

/// What kind of principal a reference names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PrincipalKind {
    PermissionSet,
    Role,
    Delegation,
    User,
}

impl PrincipalKind {
    pub const ALL: [PrincipalKind; 4] = [
        PrincipalKind::PermissionSet,
        PrincipalKind::Role,
        PrincipalKind::Delegation,
        PrincipalKind::User,
    ];

    pub fn keyword(self) -> &'static str {
        match self {
            PrincipalKind::PermissionSet => "permission_set",
            PrincipalKind::Role => "role",
            PrincipalKind::Delegation => "delegation",
            PrincipalKind::User => "user",
        }
    }

    fn needs_account(self) -> bool {
        !matches!(self, PrincipalKind::User)
    }
}

/// A parsed principal reference.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PrincipalRef {
    pub kind: PrincipalKind,
    pub name: String,
    /// The account (absent for `user:`).
    pub account: Option<String>,
}

impl fmt::Display for PrincipalRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.kind.keyword(), self.name)?;
        if let Some(a) = &self.account {
            write!(f, "@{a}")?;
        }
        Ok(())
    }
}

/// Why a reference does not parse: a message and a fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub message: String,
    pub help: String,
}

const GRAMMAR: &str = "write `permission_set:NAME@ACCOUNT`, `role:NAME@ACCOUNT`, \
                       `delegation:TEAM@ACCOUNT` or `user:NAME`";

/// Parses `permission_set:ProdReadOnly@payments-prod` and friends.
pub fn parse(text: &str) -> Result<PrincipalRef, ParseError> {
    let err = |message: String, help: String| Err(ParseError { message, help });
    let Some((kind_text, rest)) = text.split_once(':') else {
        return err(
            format!("`{text}` is not a principal reference"),
            GRAMMAR.to_string(),
        );
    };
    let kind = match PrincipalKind::ALL.iter().find(|k| k.keyword() == kind_text) {
        Some(k) => *k,
        None => {
            let keywords: Vec<&str> = PrincipalKind::ALL.iter().map(|k| k.keyword()).collect();
            // typos, and abbreviations such as `permset` or `perm`
            let head: String = kind_text.chars().take(3).collect();
            let abbreviated = keywords.iter().copied().find(|k| {
                head.chars().count() == 3
                    && k.starts_with(&head)
                    && kind_text.chars().all(|c| k.contains(c))
            });
            let help = match suggest::closest(kind_text, &keywords).or(abbreviated) {
                Some(s) => format!("did you mean `{s}:{rest}`?"),
                None => GRAMMAR.to_string(),
            };
            return err(format!("unknown principal kind `{kind_text}`"), help);
        }
    };
    let (name, account) = match rest.split_once('@') {
        Some((n, a)) => (n, Some(a)),
        None => (rest, None),
    };
    if name.is_empty() {
        return err(
            format!("`{text}` has no name after `{}:`", kind.keyword()),
            GRAMMAR.to_string(),
        );
    }
    match (kind.needs_account(), account) {
        (true, None) => err(
            format!("`{text}` does not say in which account"),
            format!("add the account: `{}:{name}@ACCOUNT`", kind.keyword()),
        ),
        (true, Some(a)) if a.is_empty() || a.contains('@') => err(
            format!("`{text}` has no valid account after `@`"),
            format!(
                "write `{}:{name}@ACCOUNT` with an account name of this blueprint",
                kind.keyword()
            ),
        ),
        (false, Some(_)) => err(
            format!("`{text}`: break-glass users take no `@ACCOUNT`"),
            format!("write `user:{name}`; the account is `break_glass.account`"),
        ),
        (_, account) => Ok(PrincipalRef {
            kind,
            name: name.to_string(),
            account: account.map(str::to_string),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_kind() {
        let p = parse("permission_set:ProdReadOnly@payments-prod").unwrap();
        assert_eq!(p.kind, PrincipalKind::PermissionSet);
        assert_eq!(p.name, "ProdReadOnly");
        assert_eq!(p.account.as_deref(), Some("payments-prod"));
        assert_eq!(p.to_string(), "permission_set:ProdReadOnly@payments-prod");
        assert_eq!(parse("user:alice-breakglass").unwrap().account, None);
        assert_eq!(
            parse("delegation:team-app@orders-prod").unwrap().kind,
            PrincipalKind::Delegation
        );
        assert_eq!(parse("role:ci@a").unwrap().kind, PrincipalKind::Role);
    }

    #[test]
    fn explains_mistakes() {
        assert_eq!(
            parse("permset:X@a").unwrap_err().help,
            "did you mean `permission_set:X@a`?"
        );
        let e = parse("permision_set:X@a").unwrap_err();
        assert_eq!(e.message, "unknown principal kind `permision_set`");
        assert_eq!(e.help, "did you mean `permission_set:X@a`?");
        assert!(
            parse("role:ci")
                .unwrap_err()
                .help
                .contains("role:ci@ACCOUNT")
        );
        assert!(parse("user:a@b").is_err());
        assert!(parse("ProdReadOnly").is_err());
        assert!(parse("pé€:x@y").is_err());
        assert!(parse("role:@x").is_err());
        assert!(parse("role:x@").is_err());
    }
}
