//! Policy documents built in code, with a deliberate and stable key order.
//!
//! Every document landform generates goes through [`Statement`] and
//! [`document`], so the JSON always reads the same way: `Version`, `Statement`;
//! inside a statement `Sid`, `Effect`, `Principal`, `Action`/`NotAction`,
//! `Resource`/`NotResource`, `Condition`. A list of one value is written as a
//! plain string (as the seeds write `"Action": "iam:*"`), longer lists as
//! arrays. Condition operators and keys keep the order the compiler adds them
//! in, which each rule chooses on purpose.

use serde_json::{Map, Value};

/// The policy language version of every generated document.
pub const POLICY_VERSION: &str = "2012-10-17";

/// The AWS partition of every generated ARN.
pub const PARTITION: &str = "aws";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    Allow,
    Deny,
}

impl Effect {
    pub fn as_str(self) -> &'static str {
        match self {
            Effect::Allow => "Allow",
            Effect::Deny => "Deny",
        }
    }
}

/// A condition block: operator → (key → values), in insertion order.
pub type Conditions = Vec<(String, Vec<(String, Vec<String>)>)>;

/// One policy statement under construction.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    pub sid: String,
    pub effect: Effect,
    pub principal: Option<Value>,
    pub actions: Vec<String>,
    /// `NotAction` instead of `Action`.
    pub not_action: bool,
    pub resources: Vec<String>,
    /// `NotResource` instead of `Resource`.
    pub not_resource: bool,
    /// Operator → (key → values), in insertion order.
    pub conditions: Conditions,
}

impl Statement {
    fn new(sid: &str, effect: Effect) -> Self {
        Self {
            sid: sid.to_string(),
            effect,
            principal: None,
            actions: Vec::new(),
            not_action: false,
            resources: vec!["*".to_string()],
            not_resource: false,
            conditions: Vec::new(),
        }
    }

    pub fn allow(sid: &str) -> Self {
        Self::new(sid, Effect::Allow)
    }

    pub fn deny(sid: &str) -> Self {
        Self::new(sid, Effect::Deny)
    }

    /// `Action`, in the order given.
    pub fn actions<I, S>(mut self, actions: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.actions = actions.into_iter().map(Into::into).collect();
        self.not_action = false;
        self
    }

    /// `NotAction`, in the order given.
    pub fn not_actions<I, S>(mut self, actions: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.actions = actions.into_iter().map(Into::into).collect();
        self.not_action = true;
        self
    }

    /// `Resource` (the default is `"*"`).
    pub fn resources<I, S>(mut self, resources: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.resources = resources.into_iter().map(Into::into).collect();
        self.not_resource = false;
        self
    }

    /// `NotResource`.
    pub fn not_resources<I, S>(mut self, resources: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.resources = resources.into_iter().map(Into::into).collect();
        self.not_resource = true;
        self
    }

    /// No `Resource` element at all: trust policies (a role's resource policy)
    /// must not have one ("Has prohibited field Resource").
    pub fn without_resource(mut self) -> Self {
        self.resources.clear();
        self.not_resource = false;
        self
    }

    pub fn principal(mut self, principal: Value) -> Self {
        self.principal = Some(principal);
        self
    }

    /// Adds `key: values` under `operator` (creating the operator block the
    /// first time it is used).
    pub fn condition<I, S>(mut self, operator: &str, key: &str, values: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let values: Vec<String> = values.into_iter().map(Into::into).collect();
        match self.conditions.iter_mut().find(|(op, _)| op == operator) {
            Some((_, keys)) => keys.push((key.to_string(), values)),
            None => self
                .conditions
                .push((operator.to_string(), vec![(key.to_string(), values)])),
        }
        self
    }

    /// Adds the condition only when `values` is not empty.
    pub fn condition_if_any<I, S>(self, operator: &str, key: &str, values: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let values: Vec<String> = values.into_iter().map(Into::into).collect();
        if values.is_empty() {
            self
        } else {
            self.condition(operator, key, values)
        }
    }

    /// The statement as JSON, keys in the documented order.
    pub fn to_value(&self) -> Value {
        let mut m = Map::new();
        if !self.sid.is_empty() {
            m.insert("Sid".into(), Value::String(self.sid.clone()));
        }
        m.insert("Effect".into(), Value::String(self.effect.as_str().into()));
        if let Some(p) = &self.principal {
            m.insert("Principal".into(), p.clone());
        }
        let action_key = if self.not_action {
            "NotAction"
        } else {
            "Action"
        };
        m.insert(action_key.into(), one_or_many(&self.actions));
        let resource_key = if self.not_resource {
            "NotResource"
        } else {
            "Resource"
        };
        if !self.resources.is_empty() || self.not_resource {
            m.insert(resource_key.into(), one_or_many(&self.resources));
        }
        if !self.conditions.is_empty() {
            let mut c = Map::new();
            for (op, keys) in &self.conditions {
                let mut k = Map::new();
                for (key, values) in keys {
                    k.insert(key.clone(), one_or_many(values));
                }
                c.insert(op.clone(), Value::Object(k));
            }
            m.insert("Condition".into(), Value::Object(c));
        }
        Value::Object(m)
    }
}

/// A single value as a string, several as an array.
pub fn one_or_many(values: &[String]) -> Value {
    match values {
        [one] => Value::String(one.clone()),
        many => Value::Array(many.iter().cloned().map(Value::String).collect()),
    }
}

/// `{"Version": "2012-10-17", "Statement": [...]}`.
pub fn document(statements: &[Statement]) -> Value {
    let mut m = Map::new();
    m.insert("Version".into(), Value::String(POLICY_VERSION.into()));
    m.insert(
        "Statement".into(),
        Value::Array(statements.iter().map(Statement::to_value).collect()),
    );
    Value::Object(m)
}

/// Values sorted (ASCII case ignored, then exact) with case-insensitive
/// duplicates removed — the first spelling wins. Action names and condition
/// values compare this way in AWS, and sorted lists keep diffs small.
pub fn sorted_unique<I, S>(values: I) -> Vec<String>
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    let mut out: Vec<String> = Vec::new();
    for v in values {
        let v: String = v.into();
        if !out.iter().any(|o| o.eq_ignore_ascii_case(&v)) {
            out.push(v);
        }
    }
    out.sort_by(|a, b| {
        a.to_ascii_lowercase()
            .cmp(&b.to_ascii_lowercase())
            .then_with(|| a.cmp(b))
    });
    out
}

/// A statement id from free text: ASCII letters and digits only (what IAM
/// accepts in a `Sid`), each word capitalised: `data-class` → `DataClass`.
pub fn sid_part(text: &str) -> String {
    let mut out = String::new();
    let mut upper = true;
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            if upper {
                out.push(c.to_ascii_uppercase());
            } else {
                out.push(c);
            }
            upper = false;
        } else {
            upper = true;
        }
    }
    out
}

/// The number of characters AWS counts for a document: the minified JSON
/// (whitespace outside strings removed), in characters, not bytes.
pub fn counted_chars(document: &Value) -> usize {
    serde_json::to_string(document)
        .map(|s| s.chars().count())
        .unwrap_or(0)
}

/// An IAM ARN in any account: `arn:aws:iam::*:{kind}{path}{name}` (IAM
/// resources an identity policy acts on are always in the caller's account,
/// so `*` is exact and does not depend on a policy variable).
pub fn iam_arn_any_account(kind: &str, path: &str, name: &str) -> String {
    format!("arn:{PARTITION}:iam::*:{kind}{path}{name}")
}

/// An IAM ARN in the calling principal's own account, written with the IAM
/// policy variable `${aws:PrincipalAccount}` so one document works in every
/// account; used where a condition compares an ARN exactly
/// (`iam:PermissionsBoundary`).
pub fn iam_arn_own_account(kind: &str, path: &str, name: &str) -> String {
    format!("arn:{PARTITION}:iam::${{aws:PrincipalAccount}}:{kind}{path}{name}")
}

/// Normalises an IAM path: starts and ends with `/` (`team-app` → `/team-app/`).
pub fn iam_path(path: &str) -> String {
    let trimmed = path.trim_matches('/');
    if trimmed.is_empty() {
        "/".to_string()
    } else {
        format!("/{trimmed}/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn statement_keys_come_out_in_the_documented_order() {
        let s = Statement::deny("X")
            .condition("StringNotEquals", "aws:RequestedRegion", ["eu-west-1"])
            .not_actions(["iam:*", "sts:*"])
            .principal(json!({"AWS": "arn:aws:iam::111122223333:root"}))
            .not_resources(["arn:aws:iam::*:role/a/*"])
            .condition("ArnNotLike", "aws:PrincipalArn", ["a", "b"])
            .condition("StringNotEquals", "aws:SourceVpc", ["vpc-1"]);
        let text = serde_json::to_string(&s.to_value()).unwrap();
        assert_eq!(
            text,
            r#"{"Sid":"X","Effect":"Deny","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"NotAction":["iam:*","sts:*"],"NotResource":"arn:aws:iam::*:role/a/*","Condition":{"StringNotEquals":{"aws:RequestedRegion":"eu-west-1","aws:SourceVpc":"vpc-1"},"ArnNotLike":{"aws:PrincipalArn":["a","b"]}}}"#
        );
        let doc = document(&[Statement::allow("").actions(["s3:GetObject"])]);
        assert_eq!(
            serde_json::to_string(&doc).unwrap(),
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#
        );
    }

    #[test]
    fn sorted_unique_ignores_case_and_keeps_first_spelling() {
        assert_eq!(
            sorted_unique(["sts:*", "IAM:*", "iam:*", "cloudfront:*", "Sts:*"]),
            vec!["cloudfront:*", "IAM:*", "sts:*"]
        );
    }

    #[test]
    fn sid_parts_are_alphanumeric() {
        assert_eq!(sid_part("data-class"), "DataClass");
        assert_eq!(sid_part("Project"), "Project");
        assert_eq!(sid_part("cost center/2"), "CostCenter2");
        assert_eq!(sid_part("ü"), "");
    }

    #[test]
    fn counted_chars_is_minified_and_counts_characters() {
        let doc = json!({"Version": "2012-10-17", "Statement": [{"Sid": "é"}]});
        let minified = r#"{"Version":"2012-10-17","Statement":[{"Sid":"é"}]}"#;
        assert_eq!(counted_chars(&doc), minified.chars().count());
        assert!(minified.len() > counted_chars(&doc), "é is two bytes");
    }

    #[test]
    fn iam_paths_and_arns() {
        assert_eq!(iam_path("team-app"), "/team-app/");
        assert_eq!(iam_path("/a/b/"), "/a/b/");
        assert_eq!(iam_path(""), "/");
        assert_eq!(
            iam_arn_own_account("policy", "/", "team-boundary"),
            "arn:aws:iam::${aws:PrincipalAccount}:policy/team-boundary"
        );
        assert_eq!(
            iam_arn_any_account("role", "/team-app/", "*"),
            "arn:aws:iam::*:role/team-app/*"
        );
    }
}
