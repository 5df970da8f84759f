//! Trust policies that are gates, not rubber stamps (`000_…`, "IAM roles and
//! trust policies", "Conditions that harden a trust policy"; `002_…`, OIDC
//! trust pinning), and the break-glass group's MFA guard.
//!
//! One statement per kind of principal, because the hardening conditions
//! differ by kind:
//!
//! | principals | action | conditions |
//! |---|---|---|
//! | AWS (exact role/user/account ARNs) | `sts:AssumeRole` | `sts:ExternalId`, `aws:PrincipalOrgID` (`org_only`), `aws:MultiFactorAuthPresent` (`require_mfa`) |
//! | services (`lambda.amazonaws.com`) | `sts:AssumeRole` | `aws:SourceAccount`, `aws:SourceArn` when given (service-side confused deputy) |
//! | OIDC provider | `sts:AssumeRoleWithWebIdentity` | `<host>:aud` and `<host>:sub` pinned |
//! | SAML provider | `sts:AssumeRoleWithSAML` | `SAML:aud` |
//!
//! `aws:PrincipalOrgID` and `aws:MultiFactorAuthPresent` are only present when
//! an IAM principal calls `AssumeRole`; on a service or federated statement
//! they would deny everything, so they go on the AWS statement only.

use serde_json::{Map, Value};

use super::doc::{Statement, document, sorted_unique};
use crate::org::Placeholder;

/// An OpenID Connect federation (GitHub Actions, EKS, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OidcTrust {
    /// The provider's ARN, or its host (`token.actions.githubusercontent.com`),
    /// which becomes `arn:aws:iam::<role account>:oidc-provider/<host>`.
    pub provider: String,
    /// The `aud` claim (`sts.amazonaws.com` for GitHub Actions).
    pub audience: String,
    /// The allowed `sub` claims (`repo:org/name:ref:refs/heads/main`).
    pub subjects: Vec<String>,
}

impl OidcTrust {
    /// The provider host as IAM names its condition keys.
    pub fn host(&self) -> String {
        match self.provider.split_once(":oidc-provider/") {
            Some((_, host)) => host.to_string(),
            None => self
                .provider
                .trim_start_matches("https://")
                .trim_end_matches('/')
                .to_string(),
        }
    }
}

/// A SAML 2.0 federation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SamlTrust {
    /// The provider's ARN, or its name (becomes
    /// `arn:aws:iam::<role account>:saml-provider/<name>`).
    pub provider: String,
    /// `SAML:aud`; AWS's sign-in endpoint by default.
    pub audience: Option<String>,
}

/// The AWS sign-in endpoint, the usual `SAML:aud`.
pub const SAML_SIGNIN_AUDIENCE: &str = "https://signin.aws.amazon.com/saml";

/// Who may assume a role, and under which conditions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustSpec {
    /// Exact principal ARNs (`arn:aws:iam::111122223333:role/ci`), or
    /// placeholders for accounts the blueprint creates.
    pub aws: Vec<String>,
    /// Service principals (`lambda.amazonaws.com`).
    pub services: Vec<String>,
    pub oidc: Option<OidcTrust>,
    pub saml: Option<SamlTrust>,
    pub external_id: Option<String>,
    pub org_only: bool,
    pub require_mfa: bool,
    /// `aws:SourceAccount` for service principals.
    pub source_account: Option<String>,
    /// `aws:SourceArn` patterns for service principals.
    pub source_arns: Vec<String>,
}

/// An account number or ARN as a trust principal: 12 digits become the
/// account's root ARN.
pub fn aws_principal(value: &str) -> String {
    if value.len() == 12 && value.bytes().all(|b| b.is_ascii_digit()) {
        format!("arn:aws:iam::{value}:root")
    } else {
        value.to_string()
    }
}

fn principal_value(kind: &str, values: Vec<String>) -> Value {
    let mut m = Map::new();
    m.insert(kind.to_string(), super::doc::one_or_many(&values));
    Value::Object(m)
}

/// The trust policy statements for a role living in `role_account` (an account
/// name, used for the federation provider ARNs as a placeholder).
pub fn trust_statements(spec: &TrustSpec, role_account: &str) -> Vec<Statement> {
    let mut out = Vec::new();
    let aws = sorted_unique(spec.aws.iter().map(|a| aws_principal(a)));
    if !aws.is_empty() {
        let mut s = Statement::allow("TrustedPrincipals")
            .principal(principal_value("AWS", aws))
            .actions(["sts:AssumeRole"])
            .without_resource();
        if let Some(id) = &spec.external_id {
            s = s.condition("StringEquals", "sts:ExternalId", [id.clone()]);
        }
        if spec.org_only {
            s = s.condition(
                "StringEquals",
                "aws:PrincipalOrgID",
                [Placeholder::OrgId.to_string()],
            );
        }
        if spec.require_mfa {
            s = s.condition("Bool", "aws:MultiFactorAuthPresent", ["true"]);
        }
        out.push(s);
    }
    let services = sorted_unique(spec.services.iter().cloned());
    if !services.is_empty() {
        let mut s = Statement::allow("TrustedServices")
            .principal(principal_value("Service", services))
            .actions(["sts:AssumeRole"])
            .without_resource();
        if let Some(acct) = &spec.source_account {
            s = s.condition("StringEquals", "aws:SourceAccount", [acct.clone()]);
        }
        s = s.condition_if_any(
            "ArnLike",
            "aws:SourceArn",
            sorted_unique(spec.source_arns.iter().cloned()),
        );
        out.push(s);
    }
    if let Some(oidc) = &spec.oidc {
        let host = oidc.host();
        let provider = if oidc.provider.starts_with("arn:") {
            oidc.provider.clone()
        } else {
            format!(
                "arn:aws:iam::{}:oidc-provider/{host}",
                Placeholder::AccountId(role_account.to_string())
            )
        };
        let subjects = sorted_unique(oidc.subjects.iter().cloned());
        // a subject with a wildcard needs StringLike; exact subjects stay exact
        let sub_op = if subjects.iter().any(|s| s.contains('*') || s.contains('?')) {
            "StringLike"
        } else {
            "StringEquals"
        };
        let mut s = Statement::allow("OidcFederation")
            .principal(principal_value("Federated", vec![provider]))
            .actions(["sts:AssumeRoleWithWebIdentity"])
            .without_resource()
            .condition(
                "StringEquals",
                &format!("{host}:aud"),
                [oidc.audience.clone()],
            );
        s = s.condition(sub_op, &format!("{host}:sub"), subjects);
        out.push(s);
    }
    if let Some(saml) = &spec.saml {
        let provider = if saml.provider.starts_with("arn:") {
            saml.provider.clone()
        } else {
            format!(
                "arn:aws:iam::{}:saml-provider/{}",
                Placeholder::AccountId(role_account.to_string()),
                saml.provider
            )
        };
        out.push(
            Statement::allow("SamlFederation")
                .principal(principal_value("Federated", vec![provider]))
                .actions(["sts:AssumeRoleWithSAML"])
                .without_resource()
                .condition(
                    "StringEquals",
                    "SAML:aud",
                    [saml
                        .audience
                        .clone()
                        .unwrap_or_else(|| SAML_SIGNIN_AUDIENCE.to_string())],
                ),
        );
    }
    out
}

/// The trust policy document.
pub fn trust_document(spec: &TrustSpec, role_account: &str) -> Value {
    document(&trust_statements(spec, role_account))
}

/// What an MFA-less break-glass session may still do: set up its own MFA
/// device and change its password, nothing else. (AWS's documented pattern
/// "allow MFA-authenticated IAM users to manage their own MFA device",
/// `DenyAllExceptListedIfNoMFA`.)
pub const MFA_SELF_SERVICE_ACTIONS: &[&str] = &[
    "iam:ChangePassword",
    "iam:CreateVirtualMFADevice",
    "iam:EnableMFADevice",
    "iam:GetAccountPasswordPolicy",
    "iam:GetMFADevice",
    "iam:GetUser",
    "iam:ListMFADevices",
    "iam:ListVirtualMFADevices",
    "iam:ResyncMFADevice",
    "sts:GetSessionToken",
];

/// The break-glass group's inline guard: deny everything except MFA
/// self-management unless the session was authenticated with MFA.
/// `BoolIfExists` also catches long-term access keys, whose requests carry no
/// `aws:MultiFactorAuthPresent` at all.
pub fn require_mfa_document() -> Value {
    document(&[Statement::deny("DenyAllExceptMfaSetupWithoutMfa")
        .not_actions(MFA_SELF_SERVICE_ACTIONS.iter().copied())
        .condition("BoolIfExists", "aws:MultiFactorAuthPresent", ["false"])])
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn cross_account_trust_with_external_id_org_and_mfa() {
        let spec = TrustSpec {
            aws: vec!["arn:aws:iam::111122223333:role/ci-deployer".into()],
            external_id: Some("kloudvin-deploy-7f3a".into()),
            org_only: true,
            require_mfa: true,
            ..TrustSpec::default()
        };
        assert_eq!(
            trust_document(&spec, "payments-prod"),
            json!({"Version": "2012-10-17", "Statement": [{
                "Sid": "TrustedPrincipals", "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::111122223333:role/ci-deployer"},
                "Action": "sts:AssumeRole",
                "Condition": {
                    "StringEquals": {"sts:ExternalId": "kloudvin-deploy-7f3a",
                                     "aws:PrincipalOrgID": "{{landform:org_id}}"},
                    "Bool": {"aws:MultiFactorAuthPresent": "true"}}}]})
        );
    }

    #[test]
    fn github_oidc_is_pinned_on_sub_and_aud() {
        let spec = TrustSpec {
            oidc: Some(OidcTrust {
                provider: "token.actions.githubusercontent.com".into(),
                audience: "sts.amazonaws.com".into(),
                subjects: vec!["repo:paywave/payments:ref:refs/heads/main".into()],
            }),
            ..TrustSpec::default()
        };
        assert_eq!(
            trust_document(&spec, "payments-prod")["Statement"][0],
            json!({"Sid": "OidcFederation", "Effect": "Allow",
                "Principal": {"Federated":
                    "arn:aws:iam::{{landform:account:payments-prod}}:oidc-provider/token.actions.githubusercontent.com"},
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": {"StringEquals": {
                    "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                    "token.actions.githubusercontent.com:sub": "repo:paywave/payments:ref:refs/heads/main"}}})
        );
    }

    #[test]
    fn wildcard_subjects_use_string_like() {
        let spec = TrustSpec {
            oidc: Some(OidcTrust {
                provider:
                    "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
                        .into(),
                audience: "sts.amazonaws.com".into(),
                subjects: vec!["repo:paywave/payments:environment:*".into()],
            }),
            ..TrustSpec::default()
        };
        let s = &trust_document(&spec, "x")["Statement"][0];
        assert_eq!(
            s["Condition"]["StringLike"]["token.actions.githubusercontent.com:sub"],
            "repo:paywave/payments:environment:*"
        );
        assert_eq!(
            s["Principal"]["Federated"],
            "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
        );
    }

    #[test]
    fn services_pair_with_source_conditions_and_saml_has_aud() {
        let spec = TrustSpec {
            services: vec!["lambda.amazonaws.com".into()],
            source_account: Some("{{landform:account:payments-prod}}".into()),
            source_arns: vec!["arn:aws:lambda:ap-south-1:*:function:pay-*".into()],
            saml: Some(SamlTrust {
                provider: "okta".into(),
                audience: None,
            }),
            org_only: true,
            ..TrustSpec::default()
        };
        let doc = trust_document(&spec, "payments-prod");
        assert_eq!(
            doc["Statement"][0],
            json!({"Sid": "TrustedServices", "Effect": "Allow",
                "Principal": {"Service": "lambda.amazonaws.com"},
                "Action": "sts:AssumeRole",
                "Condition": {
                    "StringEquals": {"aws:SourceAccount": "{{landform:account:payments-prod}}"},
                    "ArnLike": {"aws:SourceArn": "arn:aws:lambda:ap-south-1:*:function:pay-*"}}})
        );
        assert_eq!(
            doc["Statement"][1]["Condition"],
            json!({"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}})
        );
        assert_eq!(
            doc["Statement"][1]["Principal"]["Federated"],
            "arn:aws:iam::{{landform:account:payments-prod}}:saml-provider/okta"
        );
    }

    #[test]
    fn account_numbers_become_root_arns() {
        assert_eq!(
            aws_principal("111122223333"),
            "arn:aws:iam::111122223333:root"
        );
        assert_eq!(
            aws_principal("arn:aws:iam::1:role/x"),
            "arn:aws:iam::1:role/x"
        );
    }

    #[test]
    fn break_glass_guard() {
        let doc = require_mfa_document();
        assert_eq!(
            doc["Statement"][0]["Condition"],
            json!({"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}})
        );
        assert!(
            doc["Statement"][0]["NotAction"]
                .as_array()
                .unwrap()
                .contains(&json!("iam:EnableMFADevice"))
        );
    }
}
