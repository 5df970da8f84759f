//! The request being decided: principal, action, resource and context, with
//! the facts the evaluator needs precomputed once (so evaluating the same
//! request against many policy sets does no lookups and no allocation).

use crate::policy::condition::{ContextLookup, Values};
use crate::policy::pattern::{Pattern, VarSource};

use super::service::{self, ActionFacts};

/// Who makes the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PrincipalType {
    /// `arn:aws:iam::111122223333:user/path/name`
    User,
    /// `arn:aws:iam::111122223333:role/path/name` (evaluated as the role itself)
    Role,
    /// `arn:aws:sts::111122223333:assumed-role/name/session`
    RoleSession,
    /// `arn:aws:sts::111122223333:federated-user/name`
    FederatedUser,
    /// `arn:aws:iam::111122223333:root`
    AccountRoot,
    /// `lambda.amazonaws.com`
    Service,
    /// No credentials at all.
    Anonymous,
    /// Anything else (a web-identity or SAML principal, a canonical user).
    Other,
}

/// A principal with the parts of its ARN the evaluator uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub kind: PrincipalType,
    /// The ARN (or service name) as given; empty for anonymous.
    pub arn: String,
    /// The account, when the ARN has one.
    pub account: Option<String>,
    /// For role sessions and roles: `arn:<partition>:iam::<account>:role/<name>`
    /// (without path, which a session ARN does not carry).
    pub role_arn: Option<String>,
    /// Role name (roles and sessions) or user name (users).
    pub name: Option<String>,
    /// Whether the role is service-linked (path `/aws-service-role/` or a
    /// name starting with `AWSServiceRoleFor`).
    pub service_linked: bool,
}

impl Principal {
    pub fn anonymous() -> Self {
        Principal {
            kind: PrincipalType::Anonymous,
            arn: String::new(),
            account: None,
            role_arn: None,
            name: None,
            service_linked: false,
        }
    }

    /// Reads a principal from an ARN or a service principal name.
    pub fn parse(text: &str) -> Self {
        let mut p = Principal {
            kind: PrincipalType::Other,
            arn: text.to_string(),
            account: None,
            role_arn: None,
            name: None,
            service_linked: false,
        };
        let parts: Vec<&str> = text.splitn(6, ':').collect();
        let [arn, partition, svc, _region, account, resource] = parts.as_slice() else {
            if !text.contains(':') && text.ends_with(".amazonaws.com")
                || text.ends_with(".amazonaws.com.cn")
            {
                p.kind = PrincipalType::Service;
            }
            return p;
        };
        if *arn != "arn" {
            return p;
        }
        if !account.is_empty() {
            p.account = Some((*account).to_string());
        }
        match (*svc, resource.split_once('/')) {
            ("iam", None) if *resource == "root" => p.kind = PrincipalType::AccountRoot,
            ("iam", Some(("user", rest))) => {
                p.kind = PrincipalType::User;
                p.name = rest.rsplit('/').next().map(str::to_string);
            }
            ("iam", Some(("role", rest))) => {
                p.kind = PrincipalType::Role;
                let name = rest.rsplit('/').next().unwrap_or(rest);
                p.service_linked =
                    rest.starts_with("aws-service-role/") || name.starts_with("AWSServiceRoleFor");
                p.role_arn = Some(format!("arn:{partition}:iam::{account}:role/{name}"));
                p.name = Some(name.to_string());
            }
            ("sts", Some(("assumed-role", rest))) => {
                p.kind = PrincipalType::RoleSession;
                let name = rest.split('/').next().unwrap_or(rest);
                p.service_linked = name.starts_with("AWSServiceRoleFor");
                p.role_arn = Some(format!("arn:{partition}:iam::{account}:role/{name}"));
                p.name = Some(name.to_string());
            }
            ("sts", Some(("federated-user", rest))) => {
                p.kind = PrincipalType::FederatedUser;
                p.name = Some(rest.to_string());
            }
            _ => {}
        }
        p
    }

    /// The ARN `aws:PrincipalArn` carries: the role ARN for sessions.
    pub fn principal_arn(&self) -> Option<&str> {
        match self.kind {
            PrincipalType::RoleSession => self.role_arn.as_deref(),
            PrincipalType::Anonymous | PrincipalType::Service => None,
            _ => Some(&self.arn),
        }
    }

    /// Human description used in AccessDenied-style messages.
    pub fn describe(&self) -> &str {
        match self.kind {
            PrincipalType::Anonymous => "anonymous",
            _ => &self.arn,
        }
    }

    /// Whether this principal has identity-based policies at all.
    pub fn has_identity(&self) -> bool {
        !matches!(
            self.kind,
            PrincipalType::Anonymous | PrincipalType::Service | PrincipalType::Other
        )
    }
}

/// One context key and its values (a single-valued key has one value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContextEntry {
    pub key: String,
    pub values: Vec<String>,
}

/// The request context. Key names compare case-insensitively.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Context {
    entries: Vec<ContextEntry>,
}

impl Context {
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets a key (replacing an existing value of the same name, any case).
    pub fn insert(&mut self, key: impl Into<String>, values: Vec<String>) {
        let key = key.into();
        match self
            .entries
            .iter_mut()
            .find(|e| e.key.eq_ignore_ascii_case(&key))
        {
            Some(e) => e.values = values,
            None => self.entries.push(ContextEntry { key, values }),
        }
    }

    /// Sets a key only when it is not already present.
    pub fn insert_default(&mut self, key: &str, value: &str) {
        if !self.contains(key) {
            self.entries.push(ContextEntry {
                key: key.to_string(),
                values: vec![value.to_string()],
            });
        }
    }

    pub fn contains(&self, key: &str) -> bool {
        self.entries.iter().any(|e| e.key.eq_ignore_ascii_case(key))
    }

    pub fn entries(&self) -> &[ContextEntry] {
        &self.entries
    }
}

impl VarSource for Context {
    fn var(&self, key: &str) -> Option<&str> {
        self.values(key).and_then(Values::single)
    }
}

impl ContextLookup for Context {
    fn values(&self, key: &str) -> Option<Values<'_>> {
        self.entries
            .iter()
            .find(|e| e.key.eq_ignore_ascii_case(key))
            .map(|e| Values::Many(e.values.as_slice()))
    }
}

/// The request's context: the keys the caller gave, then the keys AWS derives
/// from the request itself (`aws:PrincipalArn`, `aws:PrincipalAccount`,
/// `aws:PrincipalType`, `aws:username` for IAM users,
/// `aws:PrincipalIsAWSService`, `aws:ResourceAccount`). A key the caller gave
/// wins over a derived one. Derived keys are computed on lookup (nothing is
/// allocated per request for them).
impl ContextLookup for Request {
    fn values(&self, key: &str) -> Option<Values<'_>> {
        if let Some(v) = self.context.values(key) {
            return Some(v);
        }
        let (prefix, name) = key.split_at_checked(4)?;
        if !prefix.eq_ignore_ascii_case("aws:") {
            return None;
        }
        let p = &self.principal;
        let is = |n: &str| name.eq_ignore_ascii_case(n);
        let v: &str = if is("PrincipalArn") {
            p.principal_arn()?
        } else if is("PrincipalAccount") {
            p.account.as_deref()?
        } else if is("PrincipalType") {
            match p.kind {
                PrincipalType::User => "User",
                PrincipalType::Role | PrincipalType::RoleSession => "AssumedRole",
                PrincipalType::FederatedUser => "FederatedUser",
                PrincipalType::AccountRoot => "Account",
                PrincipalType::Anonymous => "Anonymous",
                PrincipalType::Service | PrincipalType::Other => return None,
            }
        } else if is("username") {
            if p.kind != PrincipalType::User {
                return None;
            }
            p.name.as_deref()?
        } else if is("PrincipalIsAWSService") {
            match p.kind {
                PrincipalType::Anonymous => return None,
                PrincipalType::Service => "true",
                _ => "false",
            }
        } else if is("ResourceAccount") {
            self.resource_account.as_deref()?
        } else {
            return None;
        };
        Some(Values::One(v))
    }
}

impl VarSource for Request {
    fn var(&self, key: &str) -> Option<&str> {
        self.values(key).and_then(Values::single)
    }
}

/// How the request's resource is compared with policy resources.
#[derive(Debug, Clone)]
pub enum ResourceForm {
    /// A concrete resource (also `*` for actions that only support `*`, which
    /// AWS compares as the literal text `*`).
    Concrete,
    /// The request's resource itself contains wildcards: an Allow applies when
    /// its pattern overlaps the request's, a Deny when it covers it.
    Pattern(Pattern),
}

/// A request ready to evaluate.
#[derive(Debug, Clone)]
pub struct Request {
    pub principal: Principal,
    pub action: String,
    pub resource: String,
    /// The account that owns the resource (from the request, else from the
    /// resource ARN, else the principal's account).
    pub resource_account: Option<String>,
    pub context: Context,
    pub(crate) form: ResourceForm,
    pub(crate) facts: ActionFacts,
}

impl Request {
    /// Builds a request, deriving the context keys AWS sets itself
    /// (`aws:PrincipalArn`, `aws:PrincipalAccount`, `aws:PrincipalType`,
    /// `aws:username`, `aws:PrincipalIsAWSService`, `aws:ResourceAccount`)
    /// unless the caller gave them.
    pub fn new(
        principal: Principal,
        action: impl Into<String>,
        resource: impl Into<String>,
        resource_account: Option<String>,
        context: Context,
    ) -> Self {
        let action = action.into();
        let resource = resource.into();
        let resource_account = resource_account
            .filter(|a| !a.is_empty())
            .or_else(|| {
                resource
                    .split(':')
                    .nth(4)
                    .filter(|a| !a.is_empty() && a.bytes().all(|b| b.is_ascii_digit()))
                    .map(str::to_string)
            })
            .or_else(|| principal.account.clone());
        let facts = service::action_facts(&action, &resource);
        let form = if !facts.wildcard_only && resource.contains(['*', '?']) {
            ResourceForm::Pattern(Pattern::resource(&resource, false))
        } else {
            ResourceForm::Concrete
        };
        Request {
            principal,
            action,
            resource,
            resource_account,
            context,
            form,
            facts,
        }
    }

    /// Whether the principal and the resource are in the same account.
    pub fn same_account(&self) -> bool {
        match (&self.principal.account, &self.resource_account) {
            (Some(a), Some(b)) => a == b,
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn principals_parse() {
        let p = Principal::parse("arn:aws:sts::123456789012:assumed-role/app/s1");
        assert_eq!(p.kind, PrincipalType::RoleSession);
        assert_eq!(p.account.as_deref(), Some("123456789012"));
        assert_eq!(
            p.role_arn.as_deref(),
            Some("arn:aws:iam::123456789012:role/app")
        );
        let p = Principal::parse(
            "arn:aws:iam::123456789012:role/aws-service-role/x/AWSServiceRoleForX",
        );
        assert!(p.service_linked);
        assert_eq!(p.name.as_deref(), Some("AWSServiceRoleForX"));
        let p = Principal::parse("arn:aws:iam::123456789012:user/a/b/bob");
        assert_eq!(
            (p.kind, p.name.as_deref()),
            (PrincipalType::User, Some("bob"))
        );
        assert_eq!(
            Principal::parse("arn:aws:iam::123456789012:root").kind,
            PrincipalType::AccountRoot
        );
        assert_eq!(
            Principal::parse("lambda.amazonaws.com").kind,
            PrincipalType::Service
        );
        assert_eq!(Principal::parse("garbage").kind, PrincipalType::Other);
    }

    #[test]
    fn derived_context_keys_do_not_override() {
        let mut ctx = Context::new();
        ctx.insert("AWS:PrincipalArn", vec!["given".into()]);
        let r = Request::new(
            Principal::parse("arn:aws:iam::123456789012:user/bob"),
            "s3:GetObject",
            "arn:aws:s3:::b/k",
            None,
            ctx,
        );
        assert_eq!(r.var("aws:principalarn"), Some("given"));
        assert_eq!(r.var("aws:username"), Some("bob"));
        assert_eq!(r.var("AWS:PrincipalType"), Some("User"));
        assert_eq!(r.var("aws:ResourceAccount"), Some("123456789012"));
        assert_eq!(r.var("aws:PrincipalIsAWSService"), Some("false"));
        assert_eq!(r.var("aws:nope"), None);
        assert!(
            r.context.var("aws:username").is_none(),
            "derived keys are not stored"
        );
        assert_eq!(r.resource_account.as_deref(), Some("123456789012"));
        assert!(r.same_account());
    }
}
