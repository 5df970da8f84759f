//! Statements and policies compiled to action sets.
//!
//! A statement's `Action`/`NotAction` compiles to the set of catalogue actions
//! it names (each pattern expanded once through the catalogue and cached).
//! The statement is **unconditional** when it applies to every request for
//! those actions on resource `*`: no `Condition`, a `Resource` that is `*`
//! (or absent), and — in organization policies — no `Principal` other than
//! `"*"`. Anything else is **conditional** and keeps what it depends on
//! ([`Conditions`]: the condition keys, resource scoping, principal scoping);
//! the matrix never drops it.
//!
//! A policy compiles to four sets ([`PolicyBits`]): unconditional allow,
//! possible allow (unconditional or conditional), unconditional deny and
//! conditional deny, plus its deny and conditional statements for
//! explanations.

use std::collections::HashMap;
use std::sync::Arc;

use serde::Serialize;

use super::bitset::ActionSet;
use crate::catalog::{ActionId, catalog};
use crate::policy::ast::{Effect, Policy, PrincipalSpec, Statement, Version};
use crate::policy::pattern::Pattern;

/// How a policy kind treats `Principal`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PrincipalUse {
    /// Identity policies and boundaries: `Principal` is ignored.
    Ignore,
    /// SCPs and RCPs: a `Principal` other than `"*"` restricts the statement.
    Optional,
}

/// What a conditional statement depends on.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Conditions {
    /// Condition keys, sorted case-insensitively, each once (first spelling kept).
    pub keys: Vec<String>,
    /// The statement names specific resources (`Resource` other than `*`, or
    /// `NotResource`): it applies to some resources only.
    pub resource_scoped: bool,
    /// The statement names specific principals (`Principal`/`NotPrincipal`
    /// in an organization policy).
    pub principal_scoped: bool,
}

impl Conditions {
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty() && !self.resource_scoped && !self.principal_scoped
    }

    /// Adds what `other` depends on.
    pub fn merge(&mut self, other: &Conditions) {
        for k in &other.keys {
            if !self.keys.iter().any(|x| x.eq_ignore_ascii_case(k)) {
                self.keys.push(k.clone());
            }
        }
        self.keys.sort_by_key(|a| a.to_ascii_lowercase());
        self.resource_scoped |= other.resource_scoped;
        self.principal_scoped |= other.principal_scoped;
    }

    /// `aws:RequestedRegion, resource-scoped`.
    pub fn describe(&self) -> String {
        let mut parts: Vec<String> = self.keys.clone();
        if self.resource_scoped {
            parts.push("resource-scoped".to_string());
        }
        if self.principal_scoped {
            parts.push("principal-scoped".to_string());
        }
        parts.join(", ")
    }
}

/// A conditional statement of a policy.
#[derive(Debug, Clone)]
pub struct ConditionalStatement {
    pub effect: Effect,
    pub actions: Arc<ActionSet>,
    pub conditions: Conditions,
    /// `Sid`, or `#index`.
    pub statement: String,
}

/// An unconditional `Deny` statement of a policy.
#[derive(Debug, Clone)]
pub struct DenyStatement {
    pub actions: Arc<ActionSet>,
    pub statement: String,
}

/// A policy as action sets.
#[derive(Debug, Clone)]
pub struct PolicyBits {
    /// `scp:landform-region-lock`, `aws-managed:ReadOnlyAccess`.
    pub label: Arc<str>,
    /// Allowed unconditionally.
    pub allow: ActionSet,
    /// Allowed by some statement, with or without conditions.
    pub allow_maybe: ActionSet,
    /// Denied unconditionally.
    pub deny: ActionSet,
    /// Denied by a conditional statement (and not unconditionally).
    pub deny_maybe: ActionSet,
    pub denies: Vec<DenyStatement>,
    pub conditional: Vec<ConditionalStatement>,
    /// The document did not parse (it contributes nothing, as in the engine).
    pub unparseable: bool,
}

impl PolicyBits {
    /// A policy that grants nothing (a document landform does not have).
    pub fn nothing(label: impl Into<Arc<str>>) -> Self {
        PolicyBits {
            label: label.into(),
            allow: ActionSet::empty(),
            allow_maybe: ActionSet::empty(),
            deny: ActionSet::empty(),
            deny_maybe: ActionSet::empty(),
            denies: Vec::new(),
            conditional: Vec::new(),
            unparseable: false,
        }
    }

    /// AWS's `FullAWSAccess` (and `RCPFullAWSAccess`): allows everything.
    pub fn everything(label: impl Into<Arc<str>>) -> Self {
        let mut p = Self::nothing(label);
        p.allow.fill();
        p.allow_maybe.fill();
        p
    }
}

/// Compiles statements, caching action patterns.
#[derive(Debug, Default)]
pub struct Compiler {
    patterns: HashMap<String, Arc<ActionSet>>,
}

impl Compiler {
    pub fn new() -> Self {
        Self::default()
    }

    /// The actions an action pattern names (ASCII case ignored), cached.
    pub fn pattern(&mut self, pattern: &str) -> Arc<ActionSet> {
        let key = pattern.to_ascii_lowercase();
        if let Some(s) = self.patterns.get(&key) {
            return Arc::clone(s);
        }
        let set: ActionSet = catalog().expand(&key).collect();
        let set = Arc::new(set);
        self.patterns.insert(key, Arc::clone(&set));
        set
    }

    /// The actions of an `Action`/`NotAction` block.
    pub fn actions(&mut self, st: &Statement) -> Arc<ActionSet> {
        let items = &st.action.items;
        let mut set = match items.as_slice() {
            [one] => Arc::clone(&self.pattern(&one.value)),
            _ => {
                let mut s = ActionSet::empty();
                for item in items {
                    s.union_with(&self.pattern(&item.value));
                }
                Arc::new(s)
            }
        };
        if st.action.negated {
            set = Arc::new(set.complement());
        }
        set
    }

    /// What a statement depends on; `None` when it is unconditional on `*`.
    pub fn conditions(
        st: &Statement,
        variables: bool,
        principals: PrincipalUse,
    ) -> Option<Conditions> {
        let mut c = Conditions::default();
        for cond in &st.conditions {
            let k = &cond.key.value;
            if !c.keys.iter().any(|x| x.eq_ignore_ascii_case(k)) {
                c.keys.push(k.clone());
            }
        }
        c.keys.sort_by_key(|a| a.to_ascii_lowercase());
        if let Some(r) = &st.resource {
            let all = r
                .items
                .iter()
                .any(|i| Pattern::resource(&i.value, variables).is_all());
            c.resource_scoped = r.negated || !all;
        }
        if principals == PrincipalUse::Optional
            && let Some(p) = &st.principal
        {
            c.principal_scoped = p.negated || !matches!(p.spec, PrincipalSpec::Wildcard);
        }
        (!c.is_empty()).then_some(c)
    }

    /// Compiles a parsed policy.
    pub fn policy(
        &mut self,
        policy: &Policy,
        label: impl Into<Arc<str>>,
        principals: PrincipalUse,
    ) -> PolicyBits {
        let variables = policy.effective_version() == Version::V2012_10_17;
        let mut out = PolicyBits::nothing(label);
        for st in &policy.statements {
            let actions = self.actions(st);
            if actions.is_empty() {
                continue;
            }
            let conditions = Self::conditions(st, variables, principals);
            let effect = st.effect.value;
            match (effect, conditions) {
                (Effect::Allow, None) => {
                    out.allow.union_with(&actions);
                    out.allow_maybe.union_with(&actions);
                }
                (Effect::Deny, None) => {
                    out.deny.union_with(&actions);
                    out.denies.push(DenyStatement {
                        actions,
                        statement: st.label(),
                    });
                }
                (_, Some(conditions)) => {
                    if effect == Effect::Allow {
                        out.allow_maybe.union_with(&actions);
                    } else {
                        out.deny_maybe.union_with(&actions);
                    }
                    out.conditional.push(ConditionalStatement {
                        effect,
                        actions,
                        conditions,
                        statement: st.label(),
                    });
                }
            }
        }
        let deny = out.deny.clone();
        out.deny_maybe.subtract(&deny);
        out
    }

    /// Compiles a policy document (JSON). A document that does not parse
    /// grants nothing, as in the engine.
    pub fn document(
        &mut self,
        doc: &serde_json::Value,
        label: impl Into<Arc<str>>,
        principals: PrincipalUse,
    ) -> PolicyBits {
        let label = label.into();
        match crate::policy::parse::policy_from_json_value(doc) {
            Ok(p) => self.policy(&p, label, principals),
            Err(_) => {
                let mut p = PolicyBits::nothing(label);
                p.unparseable = true;
                p
            }
        }
    }
}

/// The id of `sts:GetCallerIdentity`, which needs no permission.
pub fn always_allowed() -> Option<ActionId> {
    catalog().action("sts:GetCallerIdentity")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::parse::parse_policy;

    fn compile(text: &str, principals: PrincipalUse) -> PolicyBits {
        let p = parse_policy(text).unwrap();
        Compiler::new().policy(&p, "test", principals)
    }

    fn id(name: &str) -> ActionId {
        catalog().action(name).unwrap()
    }

    #[test]
    fn patterns_expand_through_the_catalogue() {
        let mut c = Compiler::new();
        let s3_get = c.pattern("s3:Get*");
        assert!(s3_get.contains(id("s3:GetObject")));
        assert!(!s3_get.contains(id("s3:PutObject")));
        assert_eq!(s3_get.count(), catalog().expand("s3:get*").count());
        // cached, case-insensitively
        assert!(Arc::ptr_eq(&s3_get, &c.pattern("S3:GET*")));
        assert_eq!(c.pattern("*").count(), catalog().action_count());
        assert!(c.pattern("nosuchservice:*").is_empty());
    }

    #[test]
    fn unconditional_allow_and_deny() {
        let b = compile(
            r#"{"Version":"2012-10-17","Statement":[
                {"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"*"},
                {"Sid":"NoDelete","Effect":"Deny","Action":"s3:DeleteBucket","Resource":["arn:aws:s3:::x","*"]}]}"#,
            PrincipalUse::Ignore,
        );
        assert_eq!(b.allow.count(), 2);
        assert!(b.allow.contains(id("s3:PutObject")));
        assert_eq!(b.allow, b.allow_maybe);
        assert_eq!(
            b.deny.iter().collect::<Vec<_>>(),
            vec![id("s3:DeleteBucket")]
        );
        assert!(b.deny_maybe.is_empty() && b.conditional.is_empty());
        assert_eq!(b.denies[0].statement, "NoDelete");
    }

    #[test]
    fn not_action_is_the_complement() {
        let b = compile(
            r#"{"Statement":{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}}"#,
            PrincipalUse::Ignore,
        );
        let iam = catalog().service("iam").unwrap().action_count();
        assert_eq!(b.allow.count(), catalog().action_count() - iam);
        assert!(!b.allow.contains(id("iam:CreateUser")));
        assert!(b.allow.contains(id("s3:GetObject")));
    }

    #[test]
    fn conditions_and_resource_scoping_make_a_statement_conditional() {
        let b = compile(
            r#"{"Version":"2012-10-17","Statement":[
                {"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*"},
                {"Sid":"Region","Effect":"Deny","NotAction":"iam:*","Resource":"*",
                 "Condition":{"StringNotEquals":{"aws:RequestedRegion":"eu-west-1"},
                              "Bool":{"aws:SecureTransport":"false","AWS:requestedregion":"x"}}},
                {"Effect":"Allow","Action":"ec2:*","NotResource":"*"}]}"#,
            PrincipalUse::Ignore,
        );
        assert!(b.allow.is_empty());
        assert!(b.allow_maybe.contains(id("s3:GetObject")));
        assert!(b.allow_maybe.contains(id("ec2:RunInstances")));
        assert!(b.deny.is_empty());
        assert!(b.deny_maybe.contains(id("s3:GetObject")));
        assert!(!b.deny_maybe.contains(id("iam:CreateUser")));
        let region = b
            .conditional
            .iter()
            .find(|c| c.statement == "Region")
            .unwrap();
        assert_eq!(
            region.conditions.keys,
            vec!["aws:RequestedRegion", "aws:SecureTransport"]
        );
        assert!(!region.conditions.resource_scoped);
        assert!(b.conditional[0].conditions.resource_scoped);
        assert!(b.conditional[2].conditions.resource_scoped);
        assert_eq!(b.conditional[0].conditions.describe(), "resource-scoped");
    }

    #[test]
    fn principals_matter_only_in_organization_policies() {
        let text = r#"{"Statement":[
            {"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"},
            {"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}]}"#;
        let org = compile(text, PrincipalUse::Optional);
        assert!(org.deny.contains(id("s3:GetObject")));
        assert!(!org.deny.contains(id("kms:Decrypt")));
        assert!(org.deny_maybe.contains(id("kms:Decrypt")));
        assert!(org.conditional[0].conditions.principal_scoped);
        let identity = compile(text, PrincipalUse::Ignore);
        assert!(identity.deny.contains(id("kms:Decrypt")));
    }

    #[test]
    fn an_unconditional_deny_wins_over_a_conditional_one() {
        let b = compile(
            r#"{"Statement":[
                {"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"false"}}},
                {"Effect":"Deny","Action":"s3:GetObject","Resource":"*"}]}"#,
            PrincipalUse::Ignore,
        );
        assert!(b.deny.contains(id("s3:GetObject")));
        assert!(!b.deny_maybe.contains(id("s3:GetObject")));
        assert!(b.deny_maybe.contains(id("s3:PutObject")));
    }

    #[test]
    fn unparseable_documents_grant_nothing() {
        let mut c = Compiler::new();
        let b = c.document(
            &serde_json::json!({"Statement": 3}),
            "bad",
            PrincipalUse::Ignore,
        );
        assert!(b.unparseable && b.allow_maybe.is_empty() && b.deny.is_empty());
    }
}
