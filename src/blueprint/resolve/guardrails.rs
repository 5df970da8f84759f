//! Guardrails: the deny-list SCP statements a blueprint's `guardrails:`
//! section compiles to (`000_…`, "Service control policies and resource
//! control policies", "The region-lock gotcha"; `002_…`, "Step 2 — ABAC").
//!
//! Each function returns the statements of one guardrail. The compiler merges
//! the guardrails attached to the same target into one SCP (see
//! [`super::merge`]) because AWS allows only five SCPs per target, counting the
//! default `FullAWSAccess` — the seeds' advice: "keep guardrails consolidated".

use super::doc::{Statement, sid_part, sorted_unique};
use crate::catalog::{AccessLevel, catalog};

/// The services and actions AWS Control Tower's Region deny control exempts
/// from the region lock: global services whose endpoints live in `us-east-1`
/// (IAM, STS, Organizations, Route 53, CloudFront, Support, billing, …) and the
/// account-wide read actions the console needs.
///
/// Source: AWS Control Tower Controls Reference, "Deny access to AWS based on
/// the requested AWS Region" (`GRREGIONDENY`, and the same list in
/// `CT.MULTISERVICE.PV.1`),
/// <https://docs.aws.amazon.com/controltower/latest/controlreference/primary-region-deny-policy.html>,
/// as published in December 2025; copied into landform on 2026-11-23.
/// AWS adds global services over time: a blueprint can replace this list
/// (`global_services:`) or extend it (`exempt_actions:`).
pub const CONTROL_TOWER_GLOBAL_EXEMPTIONS: &[&str] = &[
    "a4b:*",
    "access-analyzer:*",
    "account:*",
    "acm:*",
    "activate:*",
    "artifact:*",
    "aws-marketplace-management:*",
    "aws-marketplace:*",
    "aws-portal:*",
    "billing:*",
    "billingconductor:*",
    "budgets:*",
    "ce:*",
    "chatbot:*",
    "chime:*",
    "cloudfront:*",
    "cloudtrail:LookupEvents",
    "compute-optimizer:*",
    "config:*",
    "consoleapp:*",
    "consolidatedbilling:*",
    "cur:*",
    "datapipeline:GetAccountLimits",
    "devicefarm:*",
    "directconnect:*",
    "ec2:DescribeRegions",
    "ec2:DescribeTransitGateways",
    "ec2:DescribeVpnGateways",
    "ecr-public:*",
    "fms:*",
    "freetier:*",
    "globalaccelerator:*",
    "health:*",
    "iam:*",
    "importexport:*",
    "invoicing:*",
    "iq:*",
    "kms:*",
    "license-manager:ListReceivedLicenses",
    "lightsail:Get*",
    "mobileanalytics:*",
    "networkmanager:*",
    "notifications-contacts:*",
    "notifications:*",
    "organizations:*",
    "payments:*",
    "pricing:*",
    "quicksight:DescribeAccountSubscription",
    "resource-explorer-2:*",
    "route53-recovery-cluster:*",
    "route53-recovery-control-config:*",
    "route53-recovery-readiness:*",
    "route53:*",
    "route53domains:*",
    "s3:CreateMultiRegionAccessPoint",
    "s3:DeleteMultiRegionAccessPoint",
    "s3:DescribeMultiRegionAccessPointOperation",
    "s3:GetAccountPublicAccessBlock",
    "s3:GetBucketLocation",
    "s3:GetBucketPolicyStatus",
    "s3:GetBucketPublicAccessBlock",
    "s3:GetMultiRegionAccessPoint",
    "s3:GetMultiRegionAccessPointPolicy",
    "s3:GetMultiRegionAccessPointPolicyStatus",
    "s3:GetStorageLensConfiguration",
    "s3:GetStorageLensDashboard",
    "s3:ListAllMyBuckets",
    "s3:ListMultiRegionAccessPoints",
    "s3:ListStorageLensConfigurations",
    "s3:PutAccountPublicAccessBlock",
    "s3:PutMultiRegionAccessPointPolicy",
    "savingsplans:*",
    "shield:*",
    "sso:*",
    "sts:*",
    "support:*",
    "supportapp:*",
    "supportplans:*",
    "sustainability:*",
    "tag:GetResources",
    "tax:*",
    "trustedadvisor:*",
    "vendor-insights:ListEntitledSecurityProfiles",
    "waf-regional:*",
    "waf:*",
    "wafv2:*",
];

/// The global services the seeds name (`000_…`, "The region-lock gotcha" and
/// troubleshooting row 5); every default list must contain them.
pub const SEED_GLOBAL_SERVICES: &[&str] = &[
    "iam:*",
    "sts:*",
    "route53:*",
    "cloudfront:*",
    "support:*",
    "organizations:*",
];

/// The default exemption list, as owned strings.
pub fn default_global_exemptions() -> Vec<String> {
    CONTROL_TOWER_GLOBAL_EXEMPTIONS
        .iter()
        .map(|s| (*s).to_string())
        .collect()
}

/// A principal exempt from a guardrail, as an `aws:PrincipalArn` pattern: an
/// ARN (pattern) is kept; a bare name is a role in any account
/// (`AWSControlTowerExecution` → `arn:aws:iam::*:role/AWSControlTowerExecution`).
pub fn principal_pattern(name_or_arn: &str) -> String {
    if name_or_arn.starts_with("arn:") {
        name_or_arn.to_string()
    } else {
        let name = name_or_arn.trim_start_matches('/');
        format!("arn:aws:iam::*:role/{name}")
    }
}

fn exempt_patterns(principals: &[String]) -> Vec<String> {
    sorted_unique(principals.iter().map(|p| principal_pattern(p)))
}

/// Parameters of the region lock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionLock {
    /// Regions where regional services stay usable.
    pub allowed_regions: Vec<String>,
    /// The global services and actions to exempt (the default list, or the
    /// blueprint's replacement).
    pub global_services: Vec<String>,
    /// Extra actions the blueprint exempts on top.
    pub exempt_actions: Vec<String>,
    /// Principals the lock does not apply to (break-glass, Control Tower).
    pub exempt_principals: Vec<String>,
}

/// "The region-lock gotcha": deny everything outside the allowed regions
/// except the global services, which authenticate through `us-east-1`.
pub fn region_lock(spec: &RegionLock) -> Vec<Statement> {
    let not_actions = sorted_unique(
        spec.global_services
            .iter()
            .chain(spec.exempt_actions.iter())
            .cloned(),
    );
    let stmt = Statement::deny("DenyOutsideAllowedRegions")
        .not_actions(not_actions)
        .condition(
            "StringNotEquals",
            "aws:RequestedRegion",
            sorted_unique(spec.allowed_regions.iter().cloned()),
        )
        .condition_if_any(
            "ArnNotLike",
            "aws:PrincipalArn",
            exempt_patterns(&spec.exempt_principals),
        );
    vec![stmt]
}

/// Deny `organizations:LeaveOrganization` (the seeds' classic deny-list SCP).
pub fn deny_leave_organization(exempt_principals: &[String]) -> Vec<Statement> {
    vec![
        Statement::deny("DenyLeaveOrganization")
            .actions(["organizations:LeaveOrganization"])
            .condition_if_any(
                "ArnNotLike",
                "aws:PrincipalArn",
                exempt_patterns(exempt_principals),
            ),
    ]
}

/// The CloudTrail actions that stop, delete or blind a trail.
pub const CLOUDTRAIL_TAMPER_ACTIONS: &[&str] = &[
    "cloudtrail:DeleteTrail",
    "cloudtrail:PutEventSelectors",
    "cloudtrail:StopLogging",
    "cloudtrail:UpdateTrail",
];

/// The AWS Config actions that stop or delete the recorder or its delivery.
pub const CONFIG_TAMPER_ACTIONS: &[&str] = &[
    "config:DeleteConfigurationRecorder",
    "config:DeleteDeliveryChannel",
    "config:StopConfigurationRecorder",
];

/// Protect the audit trail: no principal below the target may stop, delete or
/// reconfigure CloudTrail trails or (with `include_config`) the AWS Config
/// recorder, except the exempt principals (the platform role that manages
/// them).
pub fn protect_audit_trail(exempt_principals: &[String], include_config: bool) -> Vec<Statement> {
    let exempt = exempt_patterns(exempt_principals);
    let mut out = vec![
        Statement::deny("ProtectCloudTrail")
            .actions(CLOUDTRAIL_TAMPER_ACTIONS.iter().copied())
            .condition_if_any("ArnNotLike", "aws:PrincipalArn", exempt.clone()),
    ];
    if include_config {
        out.push(
            Statement::deny("ProtectConfig")
                .actions(CONFIG_TAMPER_ACTIONS.iter().copied())
                .condition_if_any("ArnNotLike", "aws:PrincipalArn", exempt),
        );
    }
    out
}

/// Deny everything to the root user of member accounts (SCPs never apply to
/// the management account, so its root is unaffected). `exempt_principals`
/// is accepted for symmetry with the other guardrails.
pub fn deny_member_root(exempt_principals: &[String]) -> Vec<Statement> {
    vec![
        Statement::deny("DenyRootUser")
            .actions(["*"])
            .condition("StringLike", "aws:PrincipalArn", ["arn:aws:iam::*:root"])
            .condition_if_any(
                "ArnNotLike",
                "aws:PrincipalArn",
                exempt_patterns(exempt_principals),
            ),
    ]
}

/// "Require the boundary via SCP (Deny iam:CreateRole unless boundary set)" —
/// and the Put side a real-world SCP forgot: swapping a role's boundary for
/// another (`PutRolePermissionsBoundary`) and removing it
/// (`DeleteRolePermissionsBoundary`) are denied too.
///
/// `boundaries` are the exact ARNs of the allowed boundaries (with
/// `${aws:PrincipalAccount}`); `exempt_principals` may create roles without
/// one (the platform's deployment role).
pub fn require_boundary_on_create_role(
    boundaries: &[String],
    exempt_principals: &[String],
) -> Vec<Statement> {
    let exempt = exempt_patterns(exempt_principals);
    let boundaries = sorted_unique(boundaries.iter().cloned());
    vec![
        Statement::deny("DenyRoleWithoutBoundary")
            .actions(["iam:CreateRole", "iam:PutRolePermissionsBoundary"])
            .condition(
                "StringNotEquals",
                "iam:PermissionsBoundary",
                boundaries.clone(),
            )
            .condition_if_any("ArnNotLike", "aws:PrincipalArn", exempt.clone()),
        Statement::deny("DenyBoundaryRemoval")
            .actions(["iam:DeleteRolePermissionsBoundary"])
            .condition("StringEquals", "iam:PermissionsBoundary", boundaries)
            .condition_if_any("ArnNotLike", "aws:PrincipalArn", exempt),
    ]
}

/// Actions that create several kinds of resource in one request, mapped to
/// the ARN pattern of the resource they create. A tag-on-create deny must be
/// scoped to that resource: `aws:RequestTag` is absent when AWS authorizes the
/// *other* resources of the request (the subnet, security group and image of
/// `ec2:RunInstances`), so a deny on `"Resource": "*"` — as the seed writes it —
/// would block every launch. (AWS Organizations' own tag SCP example scopes
/// `RunInstances` to `instance/*` and `volume/*` for the same reason.)
pub const CREATED_RESOURCE: &[(&str, &str)] = &[
    (
        "ec2:CreateNetworkInterface",
        "arn:aws:ec2:*:*:network-interface/*",
    ),
    (
        "ec2:CreateSecurityGroup",
        "arn:aws:ec2:*:*:security-group/*",
    ),
    ("ec2:CreateSnapshot", "arn:aws:ec2:*:*:snapshot/*"),
    ("ec2:CreateSubnet", "arn:aws:ec2:*:*:subnet/*"),
    ("ec2:CreateVolume", "arn:aws:ec2:*:*:volume/*"),
    ("ec2:CreateVpc", "arn:aws:ec2:*:*:vpc/*"),
    ("ec2:RunInstances", "arn:aws:ec2:*:*:instance/*"),
];

fn created_resource(action: &str) -> &'static str {
    CREATED_RESOURCE
        .iter()
        .find(|(a, _)| a.eq_ignore_ascii_case(action))
        .map(|(_, r)| *r)
        .unwrap_or("*")
}

/// ABAC's enforcement ("Step 2"): deny the listed create actions when the
/// request does not carry each required tag key. One statement per key (and
/// per created-resource scope): a single `Null` block with two keys would only
/// deny when *both* tags are missing.
pub fn require_tags_on_create(
    tag_keys: &[String],
    actions: &[String],
    exempt_principals: &[String],
) -> Vec<Statement> {
    let exempt = exempt_patterns(exempt_principals);
    // group the actions by the resource they must be scoped to
    let mut groups: Vec<(&'static str, Vec<String>)> = Vec::new();
    for action in sorted_unique(actions.iter().cloned()) {
        let resource = created_resource(&action);
        match groups.iter_mut().find(|(r, _)| *r == resource) {
            Some((_, list)) => list.push(action),
            None => groups.push((resource, vec![action])),
        }
    }
    groups.sort_by(|a, b| a.0.cmp(b.0));
    let mut out = Vec::new();
    for key in tag_keys {
        for (i, (resource, actions)) in groups.iter().enumerate() {
            let suffix = if i == 0 {
                String::new()
            } else {
                (i + 1).to_string()
            };
            out.push(
                Statement::deny(&format!("DenyCreateWithout{}Tag{suffix}", sid_part(key)))
                    .actions(actions.iter().cloned())
                    .resources([*resource])
                    .condition("Null", &format!("aws:RequestTag/{key}"), ["true"])
                    .condition_if_any("ArnNotLike", "aws:PrincipalArn", exempt.clone()),
            );
        }
    }
    out
}

/// The tagging actions of `services` from the catalogue, split into those
/// that remove tags and those that add or overwrite them. AWS rejects a
/// wildcard service prefix (`*:Untag*`, as the seed writes it: "Action vendors
/// must not contain wildcards"), so the actions are listed per service.
pub fn tagging_actions(services: &[String]) -> (Vec<String>, Vec<String>) {
    let cat = catalog();
    let mut untag = Vec::new();
    let mut tag = Vec::new();
    for prefix in sorted_unique(services.iter().cloned()) {
        let Some(service) = cat.service(&prefix) else {
            continue;
        };
        for a in service.actions() {
            if a.access_level != AccessLevel::Tagging {
                continue;
            }
            let full = format!("{}:{}", service.prefix, a.name);
            let removes = a.name.starts_with("Untag")
                || a.name.starts_with("Delete")
                || a.name.starts_with("Remove");
            if removes {
                untag.push(full);
            } else {
                tag.push(full);
            }
        }
    }
    (sorted_unique(untag), sorted_unique(tag))
}

/// The service prefix of an action (`ec2:RunInstances` → `ec2`).
pub fn service_of(action: &str) -> Option<&str> {
    action
        .split_once(':')
        .map(|(s, _)| s)
        .filter(|s| !s.is_empty())
}

/// Protect governance tags ("deny `*:Untag*` and tag-overwrite on
/// `Project`/`DataClass`"): for every service in `services`, removing a
/// governance tag is denied, and so is writing one on a resource that already
/// carries it (an overwrite). Writing it at creation time stays allowed — the
/// resource has no tags yet — or the tag-on-create rule could never be met.
pub fn protect_tags(
    tag_keys: &[String],
    services: &[String],
    exempt_principals: &[String],
) -> Vec<Statement> {
    let exempt = exempt_patterns(exempt_principals);
    let keys = sorted_unique(tag_keys.iter().cloned());
    let (untag, tag) = tagging_actions(services);
    let mut out = Vec::new();
    if !untag.is_empty() {
        out.push(
            Statement::deny("DenyUntagGovernanceTags")
                .actions(untag)
                .condition("ForAnyValue:StringEquals", "aws:TagKeys", keys.clone())
                .condition_if_any("ArnNotLike", "aws:PrincipalArn", exempt.clone()),
        );
    }
    if !tag.is_empty() {
        for key in &keys {
            out.push(
                Statement::deny(&format!("DenyOverwrite{}Tag", sid_part(key)))
                    .actions(tag.iter().cloned())
                    .condition("ForAnyValue:StringEquals", "aws:TagKeys", [key.clone()])
                    .condition("Null", &format!("aws:ResourceTag/{key}"), ["false"])
                    .condition_if_any("ArnNotLike", "aws:PrincipalArn", exempt.clone()),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::doc::document;
    use super::*;
    use serde_json::json;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| (*s).to_string()).collect()
    }

    #[test]
    fn default_exemptions_cover_the_seeds_global_services() {
        for s in SEED_GLOBAL_SERVICES {
            assert!(
                CONTROL_TOWER_GLOBAL_EXEMPTIONS.contains(s),
                "{s} missing from the default list"
            );
        }
        for s in ["budgets:*", "health:*", "trustedadvisor:*", "sso:*"] {
            assert!(CONTROL_TOWER_GLOBAL_EXEMPTIONS.contains(&s));
        }
        let sorted = sorted_unique(default_global_exemptions());
        assert_eq!(
            sorted.len(),
            CONTROL_TOWER_GLOBAL_EXEMPTIONS.len(),
            "no duplicates"
        );
    }

    #[test]
    fn default_exemptions_name_real_actions() {
        // a typo in the list would silently leave a global service locked
        for p in CONTROL_TOWER_GLOBAL_EXEMPTIONS {
            assert!(
                catalog().matches_any(p),
                "`{p}` matches no catalogue action: a typo?"
            );
        }
    }

    #[test]
    fn region_lock_statement() {
        let stmts = region_lock(&RegionLock {
            allowed_regions: strings(&["ap-south-1"]),
            global_services: strings(SEED_GLOBAL_SERVICES),
            exempt_actions: strings(&["ec2:DescribeRegions"]),
            exempt_principals: strings(&[
                "AWSControlTowerExecution",
                "arn:aws:iam::*:role/breakglass",
            ]),
        });
        assert_eq!(
            document(&stmts),
            json!({"Version": "2012-10-17", "Statement": [{
                "Sid": "DenyOutsideAllowedRegions",
                "Effect": "Deny",
                "NotAction": ["cloudfront:*", "ec2:DescribeRegions", "iam:*", "organizations:*",
                              "route53:*", "sts:*", "support:*"],
                "Resource": "*",
                "Condition": {
                    "StringNotEquals": {"aws:RequestedRegion": "ap-south-1"},
                    "ArnNotLike": {"aws:PrincipalArn": [
                        "arn:aws:iam::*:role/AWSControlTowerExecution",
                        "arn:aws:iam::*:role/breakglass"]}
                }
            }]})
        );
    }

    #[test]
    fn region_lock_without_exemptions_has_no_principal_condition() {
        let stmts = region_lock(&RegionLock {
            allowed_regions: strings(&["eu-west-1", "eu-central-1"]),
            global_services: default_global_exemptions(),
            exempt_actions: vec![],
            exempt_principals: vec![],
        });
        let v = stmts[0].to_value();
        assert_eq!(
            v["Condition"],
            json!({"StringNotEquals": {"aws:RequestedRegion": ["eu-central-1", "eu-west-1"]}})
        );
        assert_eq!(
            v["NotAction"].as_array().map(Vec::len),
            Some(CONTROL_TOWER_GLOBAL_EXEMPTIONS.len())
        );
    }

    #[test]
    fn classic_deny_list_statements() {
        let mut stmts = deny_leave_organization(&[]);
        stmts.extend(protect_audit_trail(&[], true));
        stmts.extend(deny_member_root(&[]));
        assert_eq!(
            document(&stmts),
            json!({"Version": "2012-10-17", "Statement": [
                {"Sid": "DenyLeaveOrganization", "Effect": "Deny",
                 "Action": "organizations:LeaveOrganization", "Resource": "*"},
                {"Sid": "ProtectCloudTrail", "Effect": "Deny",
                 "Action": ["cloudtrail:DeleteTrail", "cloudtrail:PutEventSelectors",
                            "cloudtrail:StopLogging", "cloudtrail:UpdateTrail"],
                 "Resource": "*"},
                {"Sid": "ProtectConfig", "Effect": "Deny",
                 "Action": ["config:DeleteConfigurationRecorder", "config:DeleteDeliveryChannel",
                            "config:StopConfigurationRecorder"],
                 "Resource": "*"},
                {"Sid": "DenyRootUser", "Effect": "Deny", "Action": "*", "Resource": "*",
                 "Condition": {"StringLike": {"aws:PrincipalArn": "arn:aws:iam::*:root"}}}
            ]})
        );
    }

    #[test]
    fn audit_trail_exemption_names_the_platform_role() {
        let stmts = protect_audit_trail(&strings(&["platform-logging"]), true);
        assert_eq!(stmts.len(), 2);
        assert_eq!(protect_audit_trail(&[], false).len(), 1);
        for s in &stmts {
            assert_eq!(
                s.to_value()["Condition"],
                json!({"ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/platform-logging"}})
            );
        }
    }

    #[test]
    fn require_boundary_covers_create_put_and_delete() {
        let b = "arn:aws:iam::${aws:PrincipalAccount}:policy/team-boundary".to_string();
        let stmts = require_boundary_on_create_role(
            std::slice::from_ref(&b),
            &strings(&["OrganizationAccountAccessRole"]),
        );
        assert_eq!(
            document(&stmts),
            json!({"Version": "2012-10-17", "Statement": [
                {"Sid": "DenyRoleWithoutBoundary", "Effect": "Deny",
                 "Action": ["iam:CreateRole", "iam:PutRolePermissionsBoundary"], "Resource": "*",
                 "Condition": {
                    "StringNotEquals": {"iam:PermissionsBoundary": b},
                    "ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/OrganizationAccountAccessRole"}}},
                {"Sid": "DenyBoundaryRemoval", "Effect": "Deny",
                 "Action": "iam:DeleteRolePermissionsBoundary", "Resource": "*",
                 "Condition": {
                    "StringEquals": {"iam:PermissionsBoundary": b},
                    "ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/OrganizationAccountAccessRole"}}}
            ]})
        );
    }

    #[test]
    fn tag_on_create_is_one_statement_per_key_and_scoped_for_run_instances() {
        let stmts = require_tags_on_create(
            &strings(&["Project", "DataClass"]),
            &strings(&[
                "ec2:RunInstances",
                "s3:CreateBucket",
                "dynamodb:CreateTable",
            ]),
            &[],
        );
        assert_eq!(
            document(&stmts),
            json!({"Version": "2012-10-17", "Statement": [
                {"Sid": "DenyCreateWithoutProjectTag", "Effect": "Deny",
                 "Action": ["dynamodb:CreateTable", "s3:CreateBucket"], "Resource": "*",
                 "Condition": {"Null": {"aws:RequestTag/Project": "true"}}},
                {"Sid": "DenyCreateWithoutProjectTag2", "Effect": "Deny",
                 "Action": "ec2:RunInstances", "Resource": "arn:aws:ec2:*:*:instance/*",
                 "Condition": {"Null": {"aws:RequestTag/Project": "true"}}},
                {"Sid": "DenyCreateWithoutDataClassTag", "Effect": "Deny",
                 "Action": ["dynamodb:CreateTable", "s3:CreateBucket"], "Resource": "*",
                 "Condition": {"Null": {"aws:RequestTag/DataClass": "true"}}},
                {"Sid": "DenyCreateWithoutDataClassTag2", "Effect": "Deny",
                 "Action": "ec2:RunInstances", "Resource": "arn:aws:ec2:*:*:instance/*",
                 "Condition": {"Null": {"aws:RequestTag/DataClass": "true"}}}
            ]})
        );
    }

    #[test]
    fn tagging_actions_come_from_the_catalogue() {
        let (untag, tag) = tagging_actions(&strings(&["ec2", "dynamodb", "nosuchservice"]));
        assert_eq!(
            untag,
            strings(&["dynamodb:UntagResource", "ec2:DeleteTags"])
        );
        assert_eq!(tag, strings(&["dynamodb:TagResource", "ec2:CreateTags"]));
        assert!(untag.iter().chain(&tag).all(|a| !a.contains('*')));
    }

    #[test]
    fn protect_tags_denies_untag_and_overwrite_but_not_create() {
        let stmts = protect_tags(
            &strings(&["Project", "DataClass"]),
            &strings(&["dynamodb"]),
            &[],
        );
        assert_eq!(
            document(&stmts),
            json!({"Version": "2012-10-17", "Statement": [
                {"Sid": "DenyUntagGovernanceTags", "Effect": "Deny",
                 "Action": "dynamodb:UntagResource", "Resource": "*",
                 "Condition": {"ForAnyValue:StringEquals": {"aws:TagKeys": ["DataClass", "Project"]}}},
                {"Sid": "DenyOverwriteDataClassTag", "Effect": "Deny",
                 "Action": "dynamodb:TagResource", "Resource": "*",
                 "Condition": {"ForAnyValue:StringEquals": {"aws:TagKeys": "DataClass"},
                               "Null": {"aws:ResourceTag/DataClass": "false"}}},
                {"Sid": "DenyOverwriteProjectTag", "Effect": "Deny",
                 "Action": "dynamodb:TagResource", "Resource": "*",
                 "Condition": {"ForAnyValue:StringEquals": {"aws:TagKeys": "Project"},
                               "Null": {"aws:ResourceTag/Project": "false"}}}
            ]})
        );
    }

    #[test]
    fn principal_patterns() {
        assert_eq!(
            principal_pattern("breakglass"),
            "arn:aws:iam::*:role/breakglass"
        );
        assert_eq!(
            principal_pattern("arn:aws:iam::*:user/bg-*"),
            "arn:aws:iam::*:user/bg-*"
        );
        assert_eq!(service_of("ec2:RunInstances"), Some("ec2"));
        assert_eq!(service_of(":x"), None);
    }
}
