//! Building an [`Org`] element by element: the compiler uses this, and tests use
//! it to make small organizations without a blueprint.
//!
//! The builder hands out ids in insertion order, so callers add elements in a
//! deterministic order (sorted by name) and get deterministic ids.

use std::collections::BTreeMap;

use super::{
    Account, AccountId, Assignment, AssignmentPrincipal, Attachment, BreakGlassUser, Group,
    IdentityCenterUser, ManagedRef, Org, OrgPolicyType, Origin, Ou, OuId, PermissionSet,
    PermissionSetId, Policy, PolicyId, PolicyKind, Role, RoleId, RoleKind, Target, TestCase,
};

/// Turns a display name into a stable identifier fragment: lowercase ASCII
/// letters, digits and `_`; anything else becomes `_`; never starts with a digit.
/// (`Workloads/Prod` → `workloads_prod`, `payments-prod` → `payments_prod`).
pub fn key_of(name: &str) -> String {
    let mut key = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            key.push(c.to_ascii_lowercase());
        } else if !key.ends_with('_') {
            key.push('_');
        }
    }
    let key = key.trim_matches('_').to_string();
    if key.is_empty() {
        "x".to_string()
    } else if key.starts_with(|c: char| c.is_ascii_digit()) {
        format!("x_{key}")
    } else {
        key
    }
}

#[derive(Debug)]
pub struct OrgBuilder {
    org: Org,
}

/// The fields of a role that [`OrgBuilder::role`] needs besides its trust policy.
#[derive(Debug, Clone)]
pub struct RoleSpec {
    pub name: String,
    pub path: String,
    pub account: AccountId,
    pub kind: RoleKind,
    pub description: String,
    pub managed: Vec<ManagedRef>,
    pub inline: Vec<PolicyId>,
    pub boundary: Option<ManagedRef>,
    pub max_session_seconds: u32,
    pub tags: BTreeMap<String, String>,
    pub origin: Origin,
}

/// The fields of a permission set.
#[derive(Debug, Clone)]
pub struct PermissionSetSpec {
    pub name: String,
    pub description: String,
    pub session_duration: String,
    pub relay_state: Option<String>,
    pub managed: Vec<ManagedRef>,
    pub inline: Option<PolicyId>,
    pub boundary: Option<ManagedRef>,
    pub tags: BTreeMap<String, String>,
    pub origin: Origin,
}

impl OrgBuilder {
    /// A new organization with its root.
    pub fn new(name: &str, blueprint: &str, home_region: &str) -> Self {
        let root = Ou {
            id: OuId(0),
            name: "Root".to_string(),
            path: String::new(),
            parent: None,
            children: Vec::new(),
            accounts: Vec::new(),
            depth: 0,
            tags: BTreeMap::new(),
            key: "root".to_string(),
            origin: Origin::new("organization", None),
        };
        Self {
            org: Org {
                name: name.to_string(),
                blueprint: blueprint.to_string(),
                home_region: home_region.to_string(),
                policy_types: vec![OrgPolicyType::ServiceControlPolicy],
                keep_full_aws_access: true,
                keep_rcp_full_aws_access: true,
                full_aws_access_detached: Vec::new(),
                ous: vec![root],
                accounts: Vec::new(),
                policies: Vec::new(),
                attachments: Vec::new(),
                groups: Vec::new(),
                users: Vec::new(),
                access_control_attributes: BTreeMap::new(),
                permission_sets: Vec::new(),
                assignments: Vec::new(),
                roles: Vec::new(),
                break_glass: Vec::new(),
                tests: Vec::new(),
            },
        }
    }

    pub fn org(&self) -> &Org {
        &self.org
    }

    pub fn org_mut(&mut self) -> &mut Org {
        &mut self.org
    }

    pub fn root(&self) -> OuId {
        OuId(0)
    }

    pub fn policy_types(&mut self, types: Vec<OrgPolicyType>) -> &mut Self {
        self.org.policy_types = types;
        self
    }

    /// Adds an OU under `parent`.
    pub fn ou(&mut self, parent: OuId, name: &str, origin: Origin) -> OuId {
        let id = OuId(u32::try_from(self.org.ous.len()).unwrap_or(u32::MAX));
        let parent_ou = &self.org.ous[parent.index()];
        let path = if parent_ou.path.is_empty() {
            name.to_string()
        } else {
            format!("{}/{}", parent_ou.path, name)
        };
        let depth = parent_ou.depth + 1;
        self.org.ous.push(Ou {
            id,
            name: name.to_string(),
            key: key_of(&path),
            path,
            parent: Some(parent),
            children: Vec::new(),
            accounts: Vec::new(),
            depth,
            tags: BTreeMap::new(),
            origin,
        });
        self.org.ous[parent.index()].children.push(id);
        id
    }

    /// Adds an account in `ou` (the root for the management account).
    pub fn account(
        &mut self,
        name: &str,
        email: &str,
        ou: OuId,
        is_management: bool,
        origin: Origin,
    ) -> AccountId {
        let id = AccountId(u32::try_from(self.org.accounts.len()).unwrap_or(u32::MAX));
        self.org.accounts.push(Account {
            id,
            name: name.to_string(),
            email: email.to_string(),
            aws_account_id: None,
            ou,
            is_management,
            tags: BTreeMap::new(),
            key: key_of(name),
            origin,
        });
        self.org.ous[ou.index()].accounts.push(id);
        id
    }

    /// Adds a policy document.
    pub fn policy(
        &mut self,
        kind: PolicyKind,
        name: &str,
        document: serde_json::Value,
        origin: Origin,
    ) -> PolicyId {
        let id = PolicyId(u32::try_from(self.org.policies.len()).unwrap_or(u32::MAX));
        self.org.policies.push(Policy {
            id,
            kind,
            name: name.to_string(),
            description: String::new(),
            path: "/".to_string(),
            document,
            accounts: Vec::new(),
            origin,
            parts: Vec::new(),
        });
        id
    }

    pub fn policy_mut(&mut self, id: PolicyId) -> &mut Policy {
        &mut self.org.policies[id.index()]
    }

    pub fn attach(&mut self, policy: PolicyId, target: Target, origin: Origin) {
        self.org.attachments.push(Attachment {
            policy,
            target,
            origin,
        });
    }

    pub fn group(&mut self, name: &str, description: &str, origin: Origin) {
        self.org.groups.push(Group {
            name: name.to_string(),
            description: description.to_string(),
            origin,
        });
    }

    pub fn user(&mut self, user: IdentityCenterUser) {
        self.org.users.push(user);
    }

    pub fn permission_set(&mut self, spec: PermissionSetSpec) -> PermissionSetId {
        let id = PermissionSetId(u32::try_from(self.org.permission_sets.len()).unwrap_or(u32::MAX));
        self.org.permission_sets.push(PermissionSet {
            id,
            key: key_of(&spec.name),
            name: spec.name,
            description: spec.description,
            session_duration: spec.session_duration,
            relay_state: spec.relay_state,
            managed: spec.managed,
            inline: spec.inline,
            boundary: spec.boundary,
            tags: spec.tags,
            session_tags: BTreeMap::new(),
            origin: spec.origin,
        });
        id
    }

    pub fn assign(
        &mut self,
        principal: AssignmentPrincipal,
        permission_set: PermissionSetId,
        account: AccountId,
        via: Target,
        origin: Origin,
    ) {
        self.org.assignments.push(Assignment {
            principal,
            permission_set,
            account,
            via,
            origin,
        });
    }

    /// Adds a role with its trust policy document (created as a
    /// [`PolicyKind::Trust`] policy named after the role).
    pub fn role(&mut self, spec: RoleSpec, trust: serde_json::Value) -> RoleId {
        let account_key = self.org.accounts[spec.account.index()].key.clone();
        let trust_id = self.policy(
            PolicyKind::Trust,
            &format!("{}-trust", spec.name),
            trust,
            spec.origin.clone(),
        );
        let id = RoleId(u32::try_from(self.org.roles.len()).unwrap_or(u32::MAX));
        self.org.roles.push(Role {
            id,
            key: format!("{}_{}", account_key, key_of(&spec.name)),
            name: spec.name,
            path: spec.path,
            account: spec.account,
            kind: spec.kind,
            description: spec.description,
            trust: trust_id,
            managed: spec.managed,
            inline: spec.inline,
            boundary: spec.boundary,
            max_session_seconds: spec.max_session_seconds,
            tags: spec.tags,
            origin: spec.origin,
        });
        id
    }

    pub fn break_glass(&mut self, user: BreakGlassUser) {
        self.org.break_glass.push(user);
    }

    pub fn test(&mut self, case: TestCase) {
        self.org.tests.push(case);
    }

    pub fn finish(self) -> Org {
        self.org
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keys_are_identifier_safe() {
        assert_eq!(key_of("Workloads/Prod"), "workloads_prod");
        assert_eq!(key_of("payments-prod"), "payments_prod");
        assert_eq!(key_of("123 abc"), "x_123_abc");
        assert_eq!(key_of("$(touch pwned)"), "touch_pwned");
        assert_eq!(key_of("ü"), "x");
    }

    #[test]
    fn builder_links_ous_accounts_and_levels() {
        let mut b = OrgBuilder::new("acme", "acme.yaml", "eu-west-1");
        let root = b.root();
        let w = b.ou(root, "Workloads", Origin::new("ou", None));
        let prod = b.ou(w, "Prod", Origin::new("ou", None));
        let mgmt = b.account("management", "m@x.io", root, true, Origin::new("a", None));
        let acct = b.account(
            "payments-prod",
            "p@x.io",
            prod,
            false,
            Origin::new("a", None),
        );
        let scp = b.policy(
            PolicyKind::Scp,
            "deny-leave",
            json!({"Version": "2012-10-17", "Statement": []}),
            Origin::new("guardrails.deny_leave_organization", None),
        );
        b.attach(scp, Target::Root, Origin::new("g", None));
        b.attach(scp, Target::Ou(prod), Origin::new("g", None));
        let org = b.finish();
        assert_eq!(org.ou(prod).path, "Workloads/Prod");
        assert_eq!(org.ou(prod).depth, 2);
        assert_eq!(org.ou_chain(prod), vec![OuId(0), w, prod]);
        assert_eq!(org.management_account().map(|a| a.id), Some(mgmt));
        let levels = org.levels(acct, PolicyKind::Scp);
        assert_eq!(levels.len(), 4);
        assert_eq!(levels[0], (Target::Root, vec![scp]));
        assert_eq!(levels[1], (Target::Ou(w), vec![]));
        assert_eq!(levels[2], (Target::Ou(prod), vec![scp]));
        assert_eq!(levels[3], (Target::Account(acct), vec![]));
        assert_eq!(org.target_name(Target::Ou(prod)), "Workloads/Prod");
    }
}
