//! Per-action facts and the service-specific rules AWS applies on top of the
//! generic evaluation logic, computed once per request.
//!
//! - Actions that support only `Resource: "*"` ("wildcard-only" in the
//!   Service Authorization Reference) compare the request resource `*` as the
//!   literal text `*`: a statement naming a specific ARN does not apply.
//! - Role trust policies: `sts:AssumeRole` and friends on a role require the
//!   trust policy to allow, even in the same account.
//! - KMS key policies: operations on a key require the key policy to allow,
//!   even in the same account.
//! - AWS-owned resources cannot be changed by anyone: AWS managed IAM policies
//!   (`arn:aws:iam::aws:policy/…`), IAM Identity Center's reserved roles
//!   (`role/aws-reserved/…`), AWS managed KMS aliases (`alias/aws/…`). Only
//!   read and list actions can be allowed on them.
//! - `sts:GetCallerIdentity` needs no permission and cannot be denied.
//! - Resource control policies only govern the services that support them.

use crate::catalog::{self, AccessLevel};
use crate::policy::fxhash::FxHasher;

/// Access level of an action (from the AWS catalogue).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Read,
    List,
    /// Write, permissions management or tagging.
    Change,
    Unknown,
}

/// What the evaluator needs to know about a request's action and resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ActionFacts {
    /// The action supports only `Resource: "*"`.
    pub wildcard_only: bool,
    /// The action's service is governed by resource control policies.
    pub rcp_service: bool,
    /// `sts:AssumeRole*` (and session tagging) on an IAM role: trust policy required.
    pub trust_required: bool,
    /// An operation on a KMS key: key policy required.
    pub key_policy_required: bool,
    /// A change to a resource AWS owns: never allowed.
    pub aws_owned_change: bool,
    /// `sts:GetCallerIdentity`: always allowed.
    pub always_allowed: bool,
}

const TRUST_ACTIONS: [&str; 6] = [
    "sts:assumerole",
    "sts:assumerolewithsaml",
    "sts:assumerolewithwebidentity",
    "sts:tagsession",
    "sts:setsourceidentity",
    "sts:setcontext",
];

/// Computes the facts for `action` on `resource`.
pub fn action_facts(action: &str, resource: &str) -> ActionFacts {
    let service = action.split(':').next().unwrap_or("");
    let mut parts = resource.splitn(6, ':');
    let (res_service, res_account, res_path) = match (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) {
        (Some("arn"), Some(_), Some(s), Some(_), Some(a), Some(r)) => (s, a, r),
        _ => ("", "", ""),
    };
    let cat = catalog_facts(action);
    let changes = cat.changes;
    let aws_owned = match res_service {
        "iam" => {
            (res_account == "aws" && res_path.starts_with("policy/"))
                || res_path.starts_with("role/aws-reserved/")
        }
        "kms" => res_path.starts_with("alias/aws/"),
        _ => false,
    };
    let is_kms = service.eq_ignore_ascii_case("kms");
    ActionFacts {
        wildcard_only: cat.wildcard_only,
        rcp_service: cat.rcp_service,
        trust_required: TRUST_ACTIONS.iter().any(|t| t.eq_ignore_ascii_case(action))
            && res_service == "iam"
            && res_path.starts_with("role/"),
        key_policy_required: is_kms && res_service == "kms" && res_path.starts_with("key/"),
        aws_owned_change: aws_owned && changes,
        always_allowed: action.eq_ignore_ascii_case("sts:getcalleridentity"),
    }
}

/// What the catalogue says about an action, as the evaluator uses it.
#[derive(Debug, Clone, Copy, Default)]
struct CatalogFacts {
    wildcard_only: bool,
    changes: bool,
    rcp_service: bool,
}

thread_local! {
    /// Catalogue answers per action text (a batch asks about the same few
    /// actions again and again). Bounded: cleared when it grows large.
    static CATALOG_FACTS: std::cell::RefCell<
        std::collections::HashMap<Box<str>, CatalogFacts, std::hash::BuildHasherDefault<FxHasher>>,
    > = std::cell::RefCell::default();
}

fn catalog_facts(action: &str) -> CatalogFacts {
    let cached = CATALOG_FACTS.with(|c| c.borrow().get(action).copied());
    if let Some(f) = cached {
        return f;
    }
    let info = info(action);
    let service = action.split(':').next().unwrap_or("");
    let facts = CatalogFacts {
        wildcard_only: info.is_some_and(|a| a.resource_types.is_empty()),
        changes: matches!(
            info.map(|a| a.access_level),
            Some(AccessLevel::Write | AccessLevel::PermissionsManagement | AccessLevel::Tagging)
        ),
        rcp_service: catalog::catalog().rcp_supported(service),
    };
    CATALOG_FACTS.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() > 4096 {
            c.clear();
        }
        c.insert(action.into(), facts);
    });
    facts
}

/// The action's catalogue entry, if the catalogue knows it.
fn info(action: &str) -> Option<catalog::ActionInfo<'static>> {
    let c = catalog::catalog();
    c.action_by_id(c.action(action)?)
}

/// The action's access level; `Unknown` for actions the catalogue lacks.
pub fn access_level(action: &str) -> Access {
    match info(action).map(|a| a.access_level) {
        Some(AccessLevel::Read) => Access::Read,
        Some(AccessLevel::List) => Access::List,
        Some(AccessLevel::Write | AccessLevel::PermissionsManagement | AccessLevel::Tagging) => {
            Access::Change
        }
        None => Access::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_rules() {
        let f = action_facts("sts:AssumeRole", "arn:aws:iam::111122223333:role/x");
        assert!(f.trust_required && !f.key_policy_required);
        let f = action_facts("kms:Decrypt", "arn:aws:kms:us-east-1:111122223333:key/1");
        assert!(f.key_policy_required);
        let f = action_facts("kms:ListKeys", "*");
        assert!(!f.key_policy_required);
        let f = action_facts("iam:DeletePolicy", "arn:aws:iam::aws:policy/ReadOnlyAccess");
        assert!(f.aws_owned_change);
        let f = action_facts("iam:GetPolicy", "arn:aws:iam::aws:policy/ReadOnlyAccess");
        assert!(!f.aws_owned_change);
        assert!(action_facts("sts:getcalleridentity", "*").always_allowed);
        // from the catalogue
        assert!(action_facts("s3:ListAllMyBuckets", "*").wildcard_only);
        assert!(action_facts("ec2:DescribeInstances", "*").wildcard_only);
        assert!(!action_facts("s3:GetObject", "*").wildcard_only);
        assert!(action_facts("s3:GetObject", "*").rcp_service);
        assert!(!action_facts("ec2:RunInstances", "*").rcp_service);
        assert_eq!(access_level("iam:TagPolicy"), Access::Change);
        assert_eq!(access_level("iam:ListPolicyTags"), Access::List);
        assert_eq!(access_level("nosuch:Thing"), Access::Unknown);
    }
}
