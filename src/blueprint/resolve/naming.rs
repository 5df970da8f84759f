//! Names of generated policies and roles.
//!
//! Every name is derived from the blueprint construct and its target — never
//! from a position in a list — so adding, removing or reordering unrelated
//! parts of a blueprint changes no generated name, and a diff of the rendered
//! output stays small. Names are valid for AWS: IAM names use
//! `[A-Za-z0-9+=,.@_-]`, at most 64 characters for roles and 128 for
//! policies; a name that would be longer keeps a readable prefix and ends in
//! a short hash of the full name, so it stays unique and stable.

/// The maximum length of an IAM role name.
pub const ROLE_NAME_MAX: usize = 64;
/// The maximum length of an IAM or Organizations policy name.
pub const POLICY_NAME_MAX: usize = 128;
/// The maximum length of an IAM user or group name.
pub const USER_NAME_MAX: usize = 64;
/// The maximum length of an IAM group name.
pub const GROUP_NAME_MAX: usize = 128;

/// The prefix of every organization policy landform generates.
pub const PREFIX: &str = "landform";

/// FNV-1a (stable across runs and platforms; not for security).
fn fnv1a(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Eight hex digits derived from `s`.
pub fn short_hash(s: &str) -> String {
    format!("{:08x}", fnv1a(s) & 0xffff_ffff)
}

fn iam_char_ok(c: char) -> bool {
    c.is_ascii_alphanumeric() || "+=,.@_-".contains(c)
}

/// A valid IAM name of at most `max` characters made from `base`: characters
/// IAM does not accept become `-`; when that changed the text or the result
/// is too long, the name ends in `-` + a hash of `base` so that distinct
/// inputs keep distinct names.
pub fn iam_name(base: &str, max: usize) -> String {
    let cleaned: String = base
        .chars()
        .map(|c| if iam_char_ok(c) { c } else { '-' })
        .collect();
    let lossy = cleaned != base;
    let cleaned = if cleaned.is_empty() {
        "x".to_string()
    } else {
        cleaned
    };
    if !lossy && cleaned.chars().count() <= max {
        return cleaned;
    }
    let hash = short_hash(base);
    let keep = max.saturating_sub(hash.len() + 1);
    let prefix: String = cleaned.chars().take(keep).collect();
    let prefix = prefix.trim_end_matches('-');
    if prefix.is_empty() {
        hash
    } else {
        format!("{prefix}-{hash}")
    }
}

/// A lowercase slug of an OU path or name (`Workloads/Prod` → `workloads-prod`).
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-').to_string();
    if out.is_empty() { "x".to_string() } else { out }
}

/// What a generated organization policy is attached to, for its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetName<'a> {
    Root,
    /// An OU by its full path.
    Ou(&'a str),
    /// An account by its blueprint name.
    Account(&'a str),
}

impl TargetName<'_> {
    /// `root`, `ou-workloads.prod` (path segments joined by `.`),
    /// `account-payments-prod`. When a segment's slug loses information
    /// (spaces, punctuation), a hash of the exact path keeps two similar OUs
    /// apart. (Two sibling OUs that differ only in case share a name; the
    /// compiler reports such a collision.)
    pub fn slug(&self) -> String {
        match self {
            TargetName::Root => "root".to_string(),
            TargetName::Ou(path) => {
                let segments: Vec<&str> = path.split('/').collect();
                let s = segments
                    .iter()
                    .map(|seg| slug(seg))
                    .collect::<Vec<_>>()
                    .join(".");
                let reversible = segments.iter().all(|seg| {
                    !seg.is_empty()
                        && seg.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                        && !seg.starts_with('-')
                        && !seg.ends_with('-')
                        && !seg.contains("--")
                });
                if reversible {
                    format!("ou-{s}")
                } else {
                    format!("ou-{s}-{}", short_hash(path))
                }
            }
            TargetName::Account(name) => format!("account-{}", slug(name)),
        }
    }
}

/// The name of the `part`-th (0-based) guardrail SCP of a target:
/// `landform-guardrails-ou-workloads.prod`, then `…-2`, `…-3` when the
/// guardrails of one target do not fit in one document.
pub fn guardrail_scp_name(target: TargetName<'_>, part: usize) -> String {
    let base = format!("{PREFIX}-guardrails-{}", target.slug());
    let name = if part == 0 {
        base
    } else {
        format!("{base}-{}", part + 1)
    };
    iam_name(&name, POLICY_NAME_MAX)
}

/// The delegated admin role of a team: `<team>-admin`.
pub fn delegation_admin_role(team: &str) -> String {
    iam_name(&format!("{team}-admin"), ROLE_NAME_MAX)
}

/// The name of the delegation policy (inline on the admin role).
pub const DELEGATION_POLICY_NAME: &str = "landform-delegation";

/// The name of the break-glass group's MFA guard (inline on the group).
pub const BREAK_GLASS_MFA_POLICY_NAME: &str = "landform-require-mfa";

/// The trust policy's name for a role (it is not a separate AWS object; the
/// name identifies the document in reports).
pub fn trust_policy_name(role: &str) -> String {
    iam_name(&format!("{role}-trust"), POLICY_NAME_MAX)
}

/// The name of a role's inline policy written in the blueprint.
pub fn inline_policy_name(name: &str) -> String {
    iam_name(name, POLICY_NAME_MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_names_pass_through() {
        assert_eq!(iam_name("team-app-admin", ROLE_NAME_MAX), "team-app-admin");
        assert_eq!(iam_name("a+b=c,d.e@f_g-h", 64), "a+b=c,d.e@f_g-h");
    }

    #[test]
    fn invalid_characters_are_replaced_and_hashed() {
        let n = iam_name("team app/admin", ROLE_NAME_MAX);
        assert!(n.starts_with("team-app-admin-"), "{n}");
        assert_ne!(n, iam_name("team-app-admin", ROLE_NAME_MAX));
        assert_ne!(n, iam_name("team:app/admin", ROLE_NAME_MAX));
        assert!(n.chars().all(iam_char_ok));
    }

    #[test]
    fn long_names_are_truncated_with_a_stable_hash() {
        let long = "x".repeat(200);
        let n = iam_name(&long, ROLE_NAME_MAX);
        assert_eq!(n.len(), ROLE_NAME_MAX);
        assert_eq!(n, iam_name(&long, ROLE_NAME_MAX));
        let other = format!("{}y", "x".repeat(199));
        assert_ne!(n, iam_name(&other, ROLE_NAME_MAX));
        assert!(iam_name(&"é".repeat(300), POLICY_NAME_MAX).len() <= POLICY_NAME_MAX);
        assert!(!iam_name("", 64).is_empty());
    }

    #[test]
    fn guardrail_names_follow_the_target_not_a_position() {
        assert_eq!(
            guardrail_scp_name(TargetName::Root, 0),
            "landform-guardrails-root"
        );
        assert_eq!(
            guardrail_scp_name(TargetName::Ou("Workloads/Prod"), 0),
            "landform-guardrails-ou-workloads.prod"
        );
        assert_eq!(
            guardrail_scp_name(TargetName::Ou("Workloads/Prod"), 1),
            "landform-guardrails-ou-workloads.prod-2"
        );
        assert_eq!(
            guardrail_scp_name(TargetName::Account("payments-prod"), 0),
            "landform-guardrails-account-payments-prod"
        );
        // similar paths stay apart
        let a = guardrail_scp_name(TargetName::Ou("Work loads/Prod"), 0);
        let b = guardrail_scp_name(TargetName::Ou("Work_loads/Prod"), 0);
        assert_ne!(a, b);
        assert_ne!(a, guardrail_scp_name(TargetName::Ou("Work-loads/Prod"), 0));
        assert_ne!(
            guardrail_scp_name(TargetName::Ou("Work-loads/Prod"), 0),
            guardrail_scp_name(TargetName::Ou("Work/loads/Prod"), 0)
        );
        assert_eq!(
            guardrail_scp_name(TargetName::Ou("Workloads/Non-Prod"), 0),
            "landform-guardrails-ou-workloads.non-prod"
        );
    }

    #[test]
    fn role_names() {
        assert_eq!(delegation_admin_role("team-app"), "team-app-admin");
        assert!(delegation_admin_role(&"t".repeat(70)).len() <= ROLE_NAME_MAX);
        assert_eq!(trust_policy_name("ci-deployer"), "ci-deployer-trust");
    }
}
