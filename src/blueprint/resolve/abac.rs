//! Attribute-based access control (`002_…`, "Step 2 — ABAC with tags to
//! replace policy sprawl").
//!
//! One identity policy for every team: access is granted when each
//! governance tag on the principal equals the same tag on the resource
//! (`aws:ResourceTag/<k>` = `${aws:PrincipalTag/<k>}`), and new resources may be
//! tagged only with the caller's own values (`aws:RequestTag/<k>` =
//! `${aws:PrincipalTag/<k>}`). Policy variables stay literal text in the IR;
//! the renderers keep them literal on the way to AWS.
//!
//! The SCPs that make ABAC safe — tags required on create, governance tags
//! protected — are guardrails ([`super::guardrails::require_tags_on_create`],
//! [`super::guardrails::protect_tags`]).

use super::doc::{Statement, document, sid_part, sorted_unique};

/// What the ABAC policy compiles from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AbacPolicySpec {
    /// Governance tag keys (`Project`, `DataClass`); all must match.
    pub tag_keys: Vec<String>,
    /// Actions granted on same-tag resources.
    pub actions: Vec<String>,
    /// Resources those actions apply to (`*` by default).
    pub resources: Vec<String>,
    /// Actions that create or tag resources, allowed only with the caller's
    /// own tag values (the seed's `RequireProjectTagOnCreate`).
    pub tag_on_create_actions: Vec<String>,
}

fn joined_sid(prefix: &str, keys: &[String]) -> String {
    let mut sid = prefix.to_string();
    for k in keys {
        sid.push_str(&sid_part(k));
    }
    sid
}

/// The ABAC policy's statements.
pub fn abac_statements(spec: &AbacPolicySpec) -> Vec<Statement> {
    let keys: Vec<String> = {
        // keep the blueprint's order (it is the order a reader expects), minus duplicates
        let mut seen: Vec<String> = Vec::new();
        for k in &spec.tag_keys {
            if !seen.iter().any(|s| s == k) {
                seen.push(k.clone());
            }
        }
        seen
    };
    let mut out = Vec::new();
    let actions = sorted_unique(spec.actions.iter().cloned());
    if !actions.is_empty() {
        let resources = if spec.resources.is_empty() {
            vec!["*".to_string()]
        } else {
            sorted_unique(spec.resources.iter().cloned())
        };
        let mut s = Statement::allow(&joined_sid("ABACSame", &keys))
            .actions(actions)
            .resources(resources);
        for k in &keys {
            s = s.condition(
                "StringEquals",
                &format!("aws:ResourceTag/{k}"),
                [format!("${{aws:PrincipalTag/{k}}}")],
            );
        }
        out.push(s);
    }
    let create = sorted_unique(spec.tag_on_create_actions.iter().cloned());
    if !create.is_empty() {
        let mut s = Statement::allow(&joined_sid("RequireOwn", &keys)).actions(create);
        for k in &keys {
            s = s.condition(
                "StringEquals",
                &format!("aws:RequestTag/{k}"),
                [format!("${{aws:PrincipalTag/{k}}}")],
            );
        }
        out.push(s);
    }
    out
}

/// The ABAC policy document.
pub fn abac_document(spec: &AbacPolicySpec) -> serde_json::Value {
    document(&abac_statements(spec))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn project_matched_policy_like_the_seed() {
        let spec = AbacPolicySpec {
            tag_keys: vec!["Project".into()],
            actions: vec!["s3:PutObject".into(), "s3:GetObject".into()],
            resources: vec!["arn:aws:s3:::shared-data/*".into()],
            tag_on_create_actions: vec!["ec2:CreateTags".into()],
        };
        assert_eq!(
            abac_document(&spec),
            json!({"Version": "2012-10-17", "Statement": [
                {"Sid": "ABACSameProject", "Effect": "Allow",
                 "Action": ["s3:GetObject", "s3:PutObject"],
                 "Resource": "arn:aws:s3:::shared-data/*",
                 "Condition": {"StringEquals": {"aws:ResourceTag/Project": "${aws:PrincipalTag/Project}"}}},
                {"Sid": "RequireOwnProject", "Effect": "Allow",
                 "Action": "ec2:CreateTags", "Resource": "*",
                 "Condition": {"StringEquals": {"aws:RequestTag/Project": "${aws:PrincipalTag/Project}"}}}
            ]})
        );
    }

    #[test]
    fn every_key_must_match() {
        let spec = AbacPolicySpec {
            tag_keys: vec!["Project".into(), "DataClass".into(), "Project".into()],
            actions: vec!["dynamodb:GetItem".into()],
            resources: vec![],
            tag_on_create_actions: vec![],
        };
        let doc = abac_document(&spec);
        assert_eq!(doc["Statement"].as_array().map(Vec::len), Some(1));
        assert_eq!(doc["Statement"][0]["Sid"], "ABACSameProjectDataClass");
        assert_eq!(
            doc["Statement"][0]["Condition"],
            json!({"StringEquals": {
                "aws:ResourceTag/Project": "${aws:PrincipalTag/Project}",
                "aws:ResourceTag/DataClass": "${aws:PrincipalTag/DataClass}"}})
        );
        assert_eq!(doc["Statement"][0]["Resource"], "*");
    }
}
