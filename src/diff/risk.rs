//! How risky a change of access is, so reviewers read the dangerous gains
//! first.
//!
//! | risk | when |
//! |---|---|
//! | **high** | a *Permissions management* or *Write* action of `iam`, `organizations`, `kms`, `cloudtrail` or `sts` (who can change who can do what, the keys, the audit trail, the organization itself, who can become whom) — in any account; or any *Permissions management* or *Write* action in a production account |
//! | **medium** | any other *Permissions management* or *Write* action; any action in a production account |
//! | **low** | *List*, *Read* and *Tagging* actions outside production |
//!
//! A production account is one whose OU path has a segment that is, or
//! contains the word, `prod` or `production` (case-insensitive, words split
//! at `-`, `_`, `.` and spaces): `Workloads/Prod`, `prod-eu`, `Production`
//! — but not `NonProd`.
//!
//! Within a risk level, changes in production come first, then sensitive
//! services, then by access level (Permissions management, Write, Tagging,
//! Read, List), then by action name.

use serde::Serialize;

use crate::catalog::AccessLevel;

/// The services whose write and permissions-management actions are high risk anywhere.
pub const SENSITIVE_SERVICES: [&str; 5] = ["iam", "organizations", "kms", "cloudtrail", "sts"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Risk {
    Low,
    Medium,
    High,
}

impl Risk {
    pub fn as_str(self) -> &'static str {
        match self {
            Risk::Low => "low",
            Risk::Medium => "medium",
            Risk::High => "high",
        }
    }
}

/// Whether an OU path is production (see the module documentation).
pub fn is_prod_path(path: &str) -> bool {
    path.split('/').any(|seg| {
        seg.to_ascii_lowercase()
            .split(['-', '_', '.', ' '])
            .any(|w| w == "prod" || w == "production")
    })
}

pub fn is_sensitive(service: &str) -> bool {
    SENSITIVE_SERVICES.contains(&service)
}

fn writes(level: AccessLevel) -> bool {
    matches!(
        level,
        AccessLevel::Write | AccessLevel::PermissionsManagement
    )
}

/// The risk of a change to one action of `service` at `level`, in a
/// production account or not.
pub fn risk(service: &str, level: AccessLevel, prod: bool) -> Risk {
    if writes(level) && (is_sensitive(service) || prod) {
        Risk::High
    } else if writes(level) || prod {
        Risk::Medium
    } else {
        Risk::Low
    }
}

/// Access levels from the most to the least dangerous (sort key, smaller first).
pub fn level_rank(level: AccessLevel) -> u8 {
    match level {
        AccessLevel::PermissionsManagement => 0,
        AccessLevel::Write => 1,
        AccessLevel::Tagging => 2,
        AccessLevel::Read => 3,
        AccessLevel::List => 4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prod_paths() {
        assert!(is_prod_path("Workloads/Prod"));
        assert!(is_prod_path("prod-eu"));
        assert!(is_prod_path("Production/Payments"));
        assert!(is_prod_path("Eu_PROD"));
        assert!(!is_prod_path("Workloads/NonProd"));
        assert!(!is_prod_path("Products"));
        assert!(!is_prod_path(""));
    }

    #[test]
    fn ranking() {
        use AccessLevel::*;
        assert_eq!(risk("iam", PermissionsManagement, false), Risk::High);
        assert_eq!(risk("kms", Write, false), Risk::High);
        assert_eq!(risk("iam", Read, false), Risk::Low);
        assert_eq!(risk("s3", Write, true), Risk::High);
        assert_eq!(risk("s3", Write, false), Risk::Medium);
        assert_eq!(risk("s3", Read, true), Risk::Medium);
        assert_eq!(risk("s3", List, false), Risk::Low);
        assert_eq!(risk("s3", Tagging, false), Risk::Low);
    }
}
