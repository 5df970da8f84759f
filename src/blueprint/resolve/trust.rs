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

use super::doc::{Statement, document, sid_part, sorted_unique};
use crate::org::Placeholder;

/// An OpenID Connect federation (GitHub Actions, EKS, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OidcTrust {
    /// The provider's ARN, or its host (`token.actions.githubusercontent.com`),
    /// which becomes `arn:aws:iam::<role account>:oidc-provider/<host>`.
    pub provider: String,
    /// The allowed `aud` claims (`sts.amazonaws.com` for GitHub Actions).
    pub audiences: Vec<String>,
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

/// The default `aud` of an OIDC trust: what GitHub Actions (and AWS's own
/// documentation) use for `sts:AssumeRoleWithWebIdentity`.
pub const GITHUB_AUDIENCE: &str = "sts.amazonaws.com";

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

/// An AWS service principal, optionally pinned to the account or resource
/// acting for it (the service-side confused deputy).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ServicePrincipal {
    /// `lambda.amazonaws.com`.
    pub service: String,
    /// `aws:SourceAccount`.
    pub source_account: Option<String>,
    /// `aws:SourceArn` (a pattern).
    pub source_arn: Option<String>,
}

/// The role an IAM Identity Center permission set creates in an account. Its
/// name ends in a random suffix (`AWSReservedSSO_<set>_<hash>`), and a trust
/// policy's `Principal` cannot hold a wildcard, so it is trusted as the
/// account with an `aws:PrincipalArn` condition — AWS's documented pattern.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SsoPrincipal {
    /// The account id (or its placeholder).
    pub account: String,
    /// The permission set's name.
    pub permission_set: String,
}

impl SsoPrincipal {
    /// `arn:aws:iam::<account>:role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_<set>_*`
    /// (the region segment of the path is optional, hence `*` before the name).
    pub fn role_pattern(&self) -> String {
        format!(
            "arn:aws:iam::{}:role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_{}_*",
            self.account, self.permission_set
        )
    }
}

/// Who may assume a role, and under which conditions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustSpec {
    /// Exact principal ARNs (`arn:aws:iam::111122223333:role/ci`), 12-digit
    /// account ids, or ARNs with placeholders for accounts the blueprint creates.
    pub aws: Vec<String>,
    /// Identity Center permission sets, trusted by their role-name pattern.
    pub sso: Vec<SsoPrincipal>,
    /// Service principals.
    pub services: Vec<ServicePrincipal>,
    pub oidc: Option<OidcTrust>,
    pub saml: Option<SamlTrust>,
    pub external_id: Option<String>,
    pub org_only: bool,
    pub require_mfa: bool,
}

impl TrustSpec {
    /// The hardening conditions for IAM principals.
    fn harden(&self, mut s: Statement) -> Statement {
        if let Some(id) = &self.external_id {
            s = s.condition("StringEquals", "sts:ExternalId", [id.clone()]);
        }
        if self.org_only {
            s = s.condition(
                "StringEquals",
                "aws:PrincipalOrgID",
                [Placeholder::OrgId.to_string()],
            );
        }
        if self.require_mfa {
            s = s.condition("Bool", "aws:MultiFactorAuthPresent", ["true"]);
        }
        s
    }
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

/// `aws:SourceAccount` and `aws:SourceArn` of a service statement.
type SourceKey = (Option<String>, Option<String>);

/// The trust policy statements for a role living in `role_account` (an account
/// name, used for the federation provider ARNs as a placeholder).
pub fn trust_statements(spec: &TrustSpec, role_account: &str) -> Vec<Statement> {
    let mut out = Vec::new();
    let aws = sorted_unique(spec.aws.iter().map(|a| aws_principal(a)));
    if !aws.is_empty() {
        out.push(
            spec.harden(
                Statement::allow("TrustedPrincipals")
                    .principal(principal_value("AWS", aws))
                    .actions(["sts:AssumeRole"])
                    .without_resource(),
            ),
        );
    }
    let mut sso = spec.sso.clone();
    sso.sort();
    sso.dedup();
    for p in &sso {
        out.push(
            spec.harden(
                Statement::allow(&format!(
                    "TrustPermissionSet{}",
                    sid_part(&p.permission_set)
                ))
                .principal(principal_value(
                    "AWS",
                    vec![format!("arn:aws:iam::{}:root", p.account)],
                ))
                .actions(["sts:AssumeRole"])
                .without_resource()
                .condition("ArnLike", "aws:PrincipalArn", [p.role_pattern()]),
            ),
        );
    }
    // services with the same source conditions share a statement
    let mut groups: Vec<(SourceKey, Vec<String>)> = Vec::new();
    let mut services = spec.services.clone();
    services.sort();
    for svc in services {
        let key = (svc.source_account.clone(), svc.source_arn.clone());
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, list)) => list.push(svc.service),
            None => groups.push((key, vec![svc.service])),
        }
    }
    let many = groups.len() > 1;
    for (i, ((account, arn), list)) in groups.into_iter().enumerate() {
        let sid = if many && i > 0 {
            format!("TrustedServices{}", i + 1)
        } else {
            "TrustedServices".to_string()
        };
        let mut s = Statement::allow(&sid)
            .principal(principal_value("Service", sorted_unique(list)))
            .actions(["sts:AssumeRole"])
            .without_resource();
        if let Some(acct) = account {
            s = s.condition("StringEquals", "aws:SourceAccount", [acct]);
        }
        if let Some(arn) = arn {
            s = s.condition("ArnLike", "aws:SourceArn", [arn]);
        }
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
                if oidc.audiences.is_empty() {
                    vec![GITHUB_AUDIENCE.to_string()]
                } else {
                    sorted_unique(oidc.audiences.iter().cloned())
                },
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
                audiences: vec![],
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
                audiences: vec!["sts.amazonaws.com".into()],
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
            services: vec![ServicePrincipal {
                service: "lambda.amazonaws.com".into(),
                source_account: Some("{{landform:account:payments-prod}}".into()),
                source_arn: Some("arn:aws:lambda:ap-south-1:*:function:pay-*".into()),
            }],
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
    fn services_with_different_sources_get_their_own_statements() {
        let spec = TrustSpec {
            services: vec![
                ServicePrincipal {
                    service: "lambda.amazonaws.com".into(),
                    source_account: Some("111122223333".into()),
                    source_arn: None,
                },
                ServicePrincipal {
                    service: "ec2.amazonaws.com".into(),
                    source_account: None,
                    source_arn: None,
                },
                ServicePrincipal {
                    service: "ecs-tasks.amazonaws.com".into(),
                    source_account: None,
                    source_arn: None,
                },
            ],
            ..TrustSpec::default()
        };
        let doc = trust_document(&spec, "x");
        assert_eq!(
            doc["Statement"],
            json!([
                {"Sid": "TrustedServices", "Effect": "Allow",
                 "Principal": {"Service": ["ec2.amazonaws.com", "ecs-tasks.amazonaws.com"]},
                 "Action": "sts:AssumeRole"},
                {"Sid": "TrustedServices2", "Effect": "Allow",
                 "Principal": {"Service": "lambda.amazonaws.com"},
                 "Action": "sts:AssumeRole",
                 "Condition": {"StringEquals": {"aws:SourceAccount": "111122223333"}}}
            ])
        );
    }

    #[test]
    fn permission_sets_are_trusted_by_role_pattern() {
        let spec = TrustSpec {
            sso: vec![SsoPrincipal {
                account: "{{landform:account:shared}}".into(),
                permission_set: "PlatformAdmin".into(),
            }],
            require_mfa: false,
            org_only: true,
            ..TrustSpec::default()
        };
        assert_eq!(
            trust_document(&spec, "x")["Statement"][0],
            json!({"Sid": "TrustPermissionSetPlatformAdmin", "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::{{landform:account:shared}}:root"},
                "Action": "sts:AssumeRole",
                "Condition": {
                    "ArnLike": {"aws:PrincipalArn":
                        "arn:aws:iam::{{landform:account:shared}}:role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_PlatformAdmin_*"},
                    "StringEquals": {"aws:PrincipalOrgID": "{{landform:org_id}}"}}})
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
