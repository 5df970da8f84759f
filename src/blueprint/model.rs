//! The blueprint model: what a blueprint file says, typed, with spans.
//!
//! Every struct denies unknown fields; doc comments become the descriptions
//! of `schema/blueprint.schema.json` (what editors show on hover), so they are
//! written for the person editing a blueprint.
//!
//! Names (accounts, OUs, policies, …) are the keys of [`NameMap`]s; values a
//! diagnostic may point at are [`Sp`]s. References between sections are plain
//! names, resolved and checked by [`super::validate`].

use std::borrow::Cow;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Serialize};

use super::span::{NameMap, Sp};

/// A landform blueprint: the declarative description of an AWS organization
/// (OUs, accounts, guardrails, IAM Identity Center, roles) and the assertions it
/// must satisfy. See the README's "Blueprints" section.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "landform blueprint")]
pub struct Blueprint {
    /// Version of the blueprint format. This landform reads version `1`.
    pub version: Sp<u32>,

    /// Other YAML files merged into this one, relative to this file (they must
    /// stay inside the blueprint's directory). Mappings merge key by key, lists
    /// are appended; the same setting in two files is an error naming both.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub include: Vec<Sp<String>>,

    /// The organization: its management account, home region and enabled policy types.
    pub organization: Organization,

    /// The OU tree below the organization root. Each key is an OU name; nested OUs
    /// go under `children`. OUs are referred to by path, e.g. `Workloads/Prod`.
    /// Names may repeat under different parents.
    #[serde(default)]
    pub organizational_units: NameMap<Ou>,

    /// Raw policy documents: SCPs, RCPs and customer-managed IAM policies.
    #[serde(default)]
    pub policies: Policies,

    /// High-level guardrails that landform compiles into SCPs, each attached to
    /// the targets listed in its `attach:`.
    #[serde(default)]
    pub guardrails: Guardrails,

    /// Permissions boundaries: the ceiling a delegated team's roles must wear.
    /// Each key is the boundary's IAM policy name.
    #[serde(default)]
    pub boundaries: NameMap<Boundary>,

    /// Delegated IAM administration: each key is a team; the team gets an admin
    /// role that may create roles only under its IAM path and only with its boundary.
    #[serde(default)]
    pub delegation: NameMap<Delegation>,

    /// Attribute-based access control: governance tag keys and the tag-matched
    /// access policy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub abac: Option<Abac>,

    /// IAM Identity Center: groups, users, permission sets and assignments.
    #[serde(default)]
    pub identity_center: IdentityCenter,

    /// IAM roles created in member accounts (workload, CI, cross-account roles).
    /// Each key is the role name.
    #[serde(default)]
    pub roles: NameMap<Role>,

    /// Break-glass IAM users: the few MFA-protected admins who get in when SSO is down.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub break_glass: Option<BreakGlass>,

    /// Assertions about access that `landform check` proves with the policy engine.
    #[serde(default)]
    pub tests: Vec<TestCase>,
}

// ---------------------------------------------------------------------------
// organization, OUs, accounts

/// The organization and its management account.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Organization {
    /// A short name for the organization (used in generated names and headers).
    pub name: Sp<String>,

    /// The management (payer) account. It stays at the root, holds no workloads,
    /// and is never reached by an assignment unless named explicitly.
    pub management_account: ManagementAccount,

    /// The region landform operates from (Identity Center, the org trail), e.g. `ap-south-1`.
    pub home_region: Sp<String>,

    /// Organization policy types to enable. Default: both.
    #[serde(default = "default_policy_types")]
    pub policy_types: Vec<Sp<PolicyType>>,

    /// Regions the organization may use; the default for `guardrails.region_lock.allowed`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowed_regions: Vec<Sp<String>>,

    /// Keep AWS's default `FullAWSAccess` SCP attached to the root (the default).
    /// It counts toward the limit of 5 SCPs per target. Set to `false` only for an
    /// allow-list strategy, with your own allow SCP attached to the root.
    #[serde(default = "yes")]
    pub full_aws_access: Sp<bool>,

    /// Names of SCPs (from `policies.scp`) attached to the root.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scps: Vec<Sp<String>>,

    /// Names of RCPs (from `policies.rcp`) attached to the root.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rcps: Vec<Sp<String>>,
}

/// The management account of the organization.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ManagementAccount {
    /// The account's name in landform (used in references such as `@management`).
    pub name: Sp<String>,
    /// The root user's email address.
    pub email: Sp<String>,
    /// The existing 12-digit account id, written as a quoted string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Sp<String>>,
    /// Tags on the account.
    #[serde(default, skip_serializing_if = "NameMap::is_empty")]
    pub tags: NameMap<Sp<String>>,
}

/// An organization policy type: `SERVICE_CONTROL_POLICY` (caps on what
/// principals may do) or `RESOURCE_CONTROL_POLICY` (caps on how resources may be
/// accessed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum PolicyType {
    #[serde(rename = "SERVICE_CONTROL_POLICY")]
    ServiceControlPolicy,
    #[serde(rename = "RESOURCE_CONTROL_POLICY")]
    ResourceControlPolicy,
}

fn default_policy_types() -> Vec<Sp<PolicyType>> {
    vec![
        Sp::unspanned(PolicyType::ServiceControlPolicy),
        Sp::unspanned(PolicyType::ResourceControlPolicy),
    ]
}

fn yes() -> Sp<bool> {
    Sp::unspanned(true)
}

fn default_recursive() -> Sp<bool> {
    Sp::unspanned(true)
}

/// An organizational unit. An empty OU may be written `Name: {}` or just `Name:`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("type" = ["object", "null"]))]
pub struct Ou {
    /// What the OU is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Sp<String>>,
    /// Member accounts placed directly in this OU; each key is the account name.
    #[serde(default, skip_serializing_if = "NameMap::is_empty")]
    pub accounts: NameMap<Account>,
    /// Nested OUs; each key is the child OU's name (its path is `Parent/Child`).
    #[serde(default, skip_serializing_if = "NameMap::is_empty")]
    pub children: NameMap<Ou>,
    /// Names of SCPs (from `policies.scp`) attached to this OU.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scps: Vec<Sp<String>>,
    /// Names of RCPs (from `policies.rcp`) attached to this OU.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rcps: Vec<Sp<String>>,
    /// Keep the default `FullAWSAccess` SCP attached (default `true`; it counts
    /// toward the limit of 5 SCPs per target).
    #[serde(default = "yes")]
    pub full_aws_access: Sp<bool>,
    /// Tags on the OU.
    #[serde(default, skip_serializing_if = "NameMap::is_empty")]
    pub tags: NameMap<Sp<String>>,
}

/// A member account.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Account {
    /// The root user's email address (unique across the organization, at most 64 characters).
    pub email: Sp<String>,
    /// The existing 12-digit account id when the account already exists, as a quoted string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Sp<String>>,
    /// What the account is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Sp<String>>,
    /// Names of SCPs (from `policies.scp`) attached directly to this account.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scps: Vec<Sp<String>>,
    /// Names of RCPs (from `policies.rcp`) attached directly to this account.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rcps: Vec<Sp<String>>,
    /// Keep the default `FullAWSAccess` SCP attached (default `true`).
    #[serde(default = "yes")]
    pub full_aws_access: Sp<bool>,
    /// Tags on the account.
    #[serde(default, skip_serializing_if = "NameMap::is_empty")]
    pub tags: NameMap<Sp<String>>,
}

// ---------------------------------------------------------------------------
// policies

/// Raw policy documents, by kind. Each key is the policy's name.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Policies {
    /// Service control policies, attached with `scps:` on the root, OUs and accounts.
    #[serde(default, skip_serializing_if = "NameMap::is_empty")]
    pub scp: NameMap<PolicyDef>,
    /// Resource control policies, attached with `rcps:` on the root, OUs and accounts.
    #[serde(default, skip_serializing_if = "NameMap::is_empty")]
    pub rcp: NameMap<PolicyDef>,
    /// Customer-managed IAM policies, referenced from roles and permission sets
    /// (`customer_managed:`) and created in every account that uses them.
    #[serde(default, skip_serializing_if = "NameMap::is_empty")]
    pub managed: NameMap<PolicyDef>,
}

/// A policy document given inline (`document:`) or read from a JSON file (`file:`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyDef {
    /// What the policy is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Sp<String>>,
    /// The policy document written in YAML (or JSON) right here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<Sp<PolicyDocument>>,
    /// A JSON file holding the policy document, relative to the file that names
    /// it; it must stay inside the blueprint's directory.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<Sp<String>>,
    /// IAM path of a customer-managed policy (default `/`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<Sp<String>>,
    /// Tags on the policy.
    #[serde(default, skip_serializing_if = "NameMap::is_empty")]
    pub tags: NameMap<Sp<String>>,
    /// The document as loaded (filled in by the loader; not part of the file format).
    #[serde(skip)]
    #[schemars(skip)]
    pub resolved: Option<super::ResolvedDocument>,
}

/// An IAM policy document (`Version`, `Statement`) as a JSON value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PolicyDocument(pub serde_json::Value);

impl JsonSchema for PolicyDocument {
    fn schema_name() -> Cow<'static, str> {
        "PolicyDocument".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "An IAM policy document: `Version` (use \"2012-10-17\") and one or more `Statement`s with `Effect`, `Action`/`NotAction`, `Resource`/`NotResource` and an optional `Condition`.",
            "type": "object",
            "required": ["Statement"],
            "properties": {
                "Version": { "description": "The policy language version; use \"2012-10-17\".", "type": "string" },
                "Id": { "description": "An optional identifier for the policy.", "type": "string" },
                "Statement": {
                    "description": "One statement or a list of statements.",
                    "type": ["object", "array"]
                }
            }
        })
    }
}

// ---------------------------------------------------------------------------
// guardrails

/// Guardrails compiled into SCPs. Attach targets are `Root`, OU paths
/// (`Workloads/Prod`) or account names; write `ou:NAME` or `account:NAME` when a
/// name is both.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Guardrails {
    /// Deny regional actions outside the allowed regions, exempting global services.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region_lock: Option<RegionLock>,
    /// Deny `organizations:LeaveOrganization`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deny_leave_organization: Option<SimpleGuardrail>,
    /// Deny stopping, deleting or changing CloudTrail trails (and, by default, AWS Config recorders).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protect_audit_trail: Option<AuditTrailGuardrail>,
    /// Deny every action by the root user of member accounts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deny_member_root: Option<SimpleGuardrail>,
    /// Deny `iam:CreateRole` unless the request attaches the named permissions boundary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub require_boundary_on_create_role: Option<RequireBoundaryGuardrail>,
    /// Deny resource creation without the governance tags.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub require_tags_on_create: Option<RequireTagsGuardrail>,
    /// Deny removing or overwriting the governance tags.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protect_governance_tags: Option<ProtectTagsGuardrail>,
}

/// The region lock (see the "region-lock gotcha" in the seeds).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RegionLock {
    /// Regions where regional actions stay allowed. Default: `organization.allowed_regions`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowed: Vec<Sp<String>>,
    /// Exempt the global services (IAM, STS, Organizations, Route 53, CloudFront,
    /// Support, billing, …) that are served from `us-east-1`. Default `true`;
    /// turning it off breaks IAM and the console outside the allowed regions.
    #[serde(default = "yes")]
    pub exempt_global_services: Sp<bool>,
    /// More actions to exempt, e.g. `logs:DescribeLogGroups` or `s3:ListAllMyBuckets`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exempt_actions: Vec<Sp<String>>,
    /// Principals the lock does not apply to: role names (e.g. break-glass or
    /// `AWSControlTowerExecution`) or IAM ARN patterns.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exempt_principals: Vec<Sp<String>>,
    /// Where to attach: `Root`, OU paths or account names.
    pub attach: Vec<Sp<String>>,
}

/// A guardrail with nothing to configure but its targets.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SimpleGuardrail {
    /// Where to attach: `Root`, OU paths or account names.
    pub attach: Vec<Sp<String>>,
    /// Principals exempted: role names or IAM ARN patterns.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exempt_principals: Vec<Sp<String>>,
}

/// Protection of the audit trail.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AuditTrailGuardrail {
    /// Where to attach: `Root`, OU paths or account names.
    pub attach: Vec<Sp<String>>,
    /// Also deny stopping or deleting AWS Config recorders and delivery channels. Default `true`.
    #[serde(default = "yes")]
    pub include_config: Sp<bool>,
    /// Principals exempted: role names or IAM ARN patterns.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exempt_principals: Vec<Sp<String>>,
}

/// Require a permissions boundary on every role created.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RequireBoundaryGuardrail {
    /// The boundaries (names from `boundaries`) a new role may carry; creating a
    /// role without one of them is denied.
    pub boundaries: Vec<Sp<String>>,
    /// Where to attach: `Root`, OU paths or account names.
    pub attach: Vec<Sp<String>>,
    /// Principals exempted (the platform's own pipeline, break-glass): role names or IAM ARN patterns.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exempt_principals: Vec<Sp<String>>,
}

/// Require tags when resources are created.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RequireTagsGuardrail {
    /// Tag keys every new resource must carry. Default: `abac.tag_keys`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tag_keys: Vec<Sp<String>>,
    /// Create actions that must carry the tags. Default: `abac.require_on_create`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<Sp<String>>,
    /// Where to attach: `Root`, OU paths or account names.
    pub attach: Vec<Sp<String>>,
}

/// Protect governance tags from removal and overwrite.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProtectTagsGuardrail {
    /// The protected tag keys. Default: `abac.tag_keys`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tag_keys: Vec<Sp<String>>,
    /// Where to attach: `Root`, OU paths or account names.
    pub attach: Vec<Sp<String>>,
    /// Principals allowed to change the tags (e.g. the tagging pipeline): role names or IAM ARN patterns.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exempt_principals: Vec<Sp<String>>,
}

// ---------------------------------------------------------------------------
// boundaries, delegation, ABAC

/// A permissions boundary: the most a principal wearing it can ever do.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Boundary {
    /// What the boundary is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Sp<String>>,
    /// Actions the boundary allows, e.g. `s3:*`, `dynamodb:*`, `logs:*`.
    pub allow: Vec<Sp<String>>,
    /// More actions to deny explicitly.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deny: Vec<Sp<String>>,
    /// Add the denies that close the escalation moves (editing or detaching the
    /// boundary itself, creating users and access keys, `organizations:*`,
    /// `account:*`). Default `true`.
    #[serde(default = "yes")]
    pub protect_itself: Sp<bool>,
    /// IAM path of the boundary policy (default `/`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<Sp<String>>,
}

/// A delegated team: an admin role that can manage roles only under its own
/// path and only with its boundary attached.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Delegation {
    /// What the team does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Sp<String>>,
    /// Accounts where the team gets its admin role: account names or OU paths
    /// (every account below the OU).
    pub accounts: Vec<Sp<String>>,
    /// IAM path the team owns, e.g. `/team-app/`. Default `/<team>/`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<Sp<String>>,
    /// The boundary (a name from `boundaries`) every role of the team must carry;
    /// the admin role wears it too.
    pub boundary: Sp<String>,
    /// Name of the team's admin role. Default `<team>-admin`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin_role: Option<Sp<String>>,
    /// Who may assume the admin role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trust: Option<Trust>,
    /// Managed policies the team may attach to its roles (the `iam:PolicyARN`
    /// allow-list): names from `policies.managed` or AWS-managed policy names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachable_policies: Vec<Sp<String>>,
}

/// Attribute-based access control.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Abac {
    /// Governance tag keys, e.g. `Project`, `DataClass`. The default keys of the
    /// tag guardrails.
    pub tag_keys: Vec<Sp<String>>,
    /// Create actions that must carry the tags, e.g. `ec2:RunInstances`,
    /// `s3:CreateBucket`. The default actions of `guardrails.require_tags_on_create`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub require_on_create: Vec<Sp<String>>,
    /// Tag-matched access policies: each key is the managed policy's name.
    #[serde(default, skip_serializing_if = "NameMap::is_empty")]
    pub policies: NameMap<AbacPolicy>,
}

/// A managed policy granting actions only where the principal's tag equals the resource's tag.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AbacPolicy {
    /// Tag keys that must match between principal and resource (`aws:PrincipalTag/K` = `aws:ResourceTag/K`).
    pub match_keys: Vec<Sp<String>>,
    /// Actions granted.
    pub actions: Vec<Sp<String>>,
    /// Resources the grant applies to (ARN patterns). Default `*`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resources: Vec<Sp<String>>,
}

// ---------------------------------------------------------------------------
// IAM Identity Center

/// IAM Identity Center configuration.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IdentityCenter {
    /// Groups; each key is the group's display name. `{}` or nothing for a group
    /// synchronised from your identity provider.
    #[serde(default, skip_serializing_if = "NameMap::is_empty")]
    pub groups: NameMap<Group>,
    /// Users of the Identity Center directory (leave empty when an external IdP
    /// provisions them with SCIM); each key is the user name.
    #[serde(default, skip_serializing_if = "NameMap::is_empty")]
    pub users: NameMap<User>,
    /// Permission sets; each key is the permission set's name (at most 32 characters).
    #[serde(default, skip_serializing_if = "NameMap::is_empty")]
    pub permission_sets: NameMap<PermissionSet>,
    /// Who gets which permission set in which accounts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assignments: Vec<Assignment>,
    /// Attributes for access control: session tags Identity Center sets on every
    /// session from user attributes (the principal tags ABAC policies match). Each
    /// key is the tag key, the value the attribute, e.g. `${path:enterprise.department}`.
    #[serde(default, skip_serializing_if = "NameMap::is_empty")]
    pub access_control_attributes: NameMap<Sp<String>>,
}

/// An Identity Center group.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("type" = ["object", "null"]))]
pub struct Group {
    /// What the group is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Sp<String>>,
}

/// An Identity Center user.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct User {
    /// The user's email address.
    pub email: Sp<String>,
    /// The name shown in the access portal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<Sp<String>>,
    /// Groups (from `identity_center.groups`) the user belongs to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<Sp<String>>,
}

/// A permission set: a role template that Identity Center creates in every assigned account.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PermissionSet {
    /// What the permission set is for (shown in the access portal).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Sp<String>>,
    /// Session length as ISO-8601, between `PT1H` and `PT12H`. Default `PT1H`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<Sp<String>>,
    /// AWS-managed policies by name (`ReadOnlyAccess`, `job-function/Billing`) or ARN.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aws_managed: Vec<Sp<String>>,
    /// Customer-managed policies (names from `policies.managed` or `abac.policies`);
    /// landform creates them in every account the permission set reaches.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub customer_managed: Vec<Sp<String>>,
    /// An inline policy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inline: Option<PolicyDef>,
    /// A permissions boundary: a name from `boundaries`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub boundary: Option<Sp<String>>,
    /// URL the access portal opens after sign-in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relay_state: Option<Sp<String>>,
    /// Tags on the permission set.
    #[serde(default, skip_serializing_if = "NameMap::is_empty")]
    pub tags: NameMap<Sp<String>>,
}

/// An account assignment: a group or user gets a permission set in accounts.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Assignment {
    /// The group (from `identity_center.groups`) that gets access. Give `group` or `user`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<Sp<String>>,
    /// The user (from `identity_center.users`) that gets access. Give `group` or `user`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<Sp<String>>,
    /// The permission set (from `identity_center.permission_sets`).
    pub permission_set: Sp<String>,
    /// Accounts and OUs: account names, OU paths (every account below them) or
    /// `Root`. The management account is reached only when named here.
    pub targets: Vec<Sp<String>>,
    /// Accounts or OU paths to leave out.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude: Vec<Sp<String>>,
    /// Whether an OU target includes the accounts of the OUs nested below it. Default `true`.
    #[serde(default = "default_recursive")]
    pub recursive: Sp<bool>,
}

// ---------------------------------------------------------------------------
// roles and break-glass

/// An IAM role created in member accounts.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Role {
    /// What the role is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Sp<String>>,
    /// Accounts where the role is created: account names or OU paths (every account below them).
    pub accounts: Vec<Sp<String>>,
    /// IAM path of the role (default `/`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<Sp<String>>,
    /// Who may assume the role (its trust policy).
    pub trust: Trust,
    /// AWS-managed policies by name or ARN.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aws_managed: Vec<Sp<String>>,
    /// Customer-managed policies: names from `policies.managed` or `abac.policies`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub customer_managed: Vec<Sp<String>>,
    /// Inline policies; each key is the inline policy's name.
    #[serde(default, skip_serializing_if = "NameMap::is_empty")]
    pub inline: NameMap<PolicyDef>,
    /// A permissions boundary: a name from `boundaries`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub boundary: Option<Sp<String>>,
    /// Maximum session length as ISO-8601, between `PT1H` and `PT12H`. Default `PT1H`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_session: Option<Sp<String>>,
    /// Tags on the role.
    #[serde(default, skip_serializing_if = "NameMap::is_empty")]
    pub tags: NameMap<Sp<String>>,
}

/// A trust policy: who may assume a role, and under which conditions.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Trust {
    /// AWS principals: IAM role or user ARNs, or 12-digit account ids (a whole
    /// account: pair it with `external_id`, `org_only` or `require_mfa`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aws: Vec<Sp<String>>,
    /// Principals of this blueprint, e.g. `role:ci-deployer@shared-services` or
    /// `permission_set:TeamAdmin@self` (`@self`: the account the role is created in).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub principals: Vec<Sp<String>>,
    /// AWS services that may assume the role.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<ServiceTrust>,
    /// Web-identity (OIDC) federation, e.g. GitHub Actions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oidc: Option<OidcTrust>,
    /// SAML federation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub saml: Option<SamlTrust>,
    /// Require this `sts:ExternalId` (third parties; blocks the confused deputy).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<Sp<String>>,
    /// Only principals of this organization (`aws:PrincipalOrgID`). Default `false`.
    #[serde(default)]
    pub org_only: Sp<bool>,
    /// Only MFA-authenticated sessions (`aws:MultiFactorAuthPresent`). Default `false`.
    #[serde(default)]
    pub require_mfa: Sp<bool>,
}

/// An AWS service principal, optionally pinned to the resource acting for it.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceTrust {
    /// The service principal, e.g. `lambda.amazonaws.com`.
    pub service: Sp<String>,
    /// Require `aws:SourceAccount` (an account name of this blueprint or a 12-digit id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_account: Option<Sp<String>>,
    /// Require `aws:SourceArn` (an ARN pattern).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_arn: Option<Sp<String>>,
}

/// OIDC federation, pinned on its claims.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OidcTrust {
    /// The provider host (e.g. `token.actions.githubusercontent.com`) or its IAM ARN.
    pub provider: Sp<String>,
    /// Allowed `aud` claim values. Default `sts.amazonaws.com`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub audiences: Vec<Sp<String>>,
    /// Allowed `sub` claim values, e.g. `repo:northwind/orders:ref:refs/heads/main`.
    pub subjects: Vec<Sp<String>>,
}

/// SAML federation.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SamlTrust {
    /// The SAML provider's IAM ARN, or its name in the account.
    pub provider: Sp<String>,
}

/// Break-glass IAM users: the few MFA-protected admins for when SSO is down.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BreakGlass {
    /// The account holding the users. Default: the management account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<Sp<String>>,
    /// The IAM group the users belong to. Default `BreakGlassAdmins`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<Sp<String>>,
    /// AWS-managed policies of the group. Default `AdministratorAccess`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aws_managed: Vec<Sp<String>>,
    /// The users; each key is the IAM user name.
    pub users: NameMap<BreakGlassUser>,
}

/// A break-glass user.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("type" = ["object", "null"]))]
pub struct BreakGlassUser {
    /// Who holds the credentials.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Sp<String>>,
    /// Deny everything unless the session is MFA-authenticated. Default `true`.
    #[serde(default = "yes")]
    pub require_mfa: Sp<bool>,
}

// ---------------------------------------------------------------------------
// tests

/// An access assertion, proven by `landform check` with the policy engine.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TestCase {
    /// A short name shown in reports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<Sp<String>>,
    /// Who makes the request: `permission_set:NAME@ACCOUNT`, `role:NAME@ACCOUNT`,
    /// `delegation:TEAM@ACCOUNT` (the team's admin role) or `user:NAME` (a break-glass user).
    #[serde(rename = "as")]
    pub principal: Sp<String>,
    /// The action, e.g. `s3:DeleteBucket`.
    pub action: Sp<String>,
    /// The resource ARN. Default `*`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<Sp<String>>,
    /// Request context keys and values, e.g. `aws:RequestedRegion: us-east-1`.
    #[serde(default, skip_serializing_if = "NameMap::is_empty")]
    pub context: NameMap<Sp<ContextValue>>,
    /// The expected decision: `allow`, `deny` (either kind), `explicit-deny` or `implicit-deny`.
    pub expect: Sp<Expect>,
}

/// The decision a test expects: `allow`; `deny` (explicitly or implicitly);
/// `explicit-deny` (a `Deny` statement decides); `implicit-deny` (nothing allows it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Expect {
    Allow,
    Deny,
    ExplicitDeny,
    ImplicitDeny,
}

impl Expect {
    pub fn as_str(self) -> &'static str {
        match self {
            Expect::Allow => "allow",
            Expect::Deny => "deny",
            Expect::ExplicitDeny => "explicit-deny",
            Expect::ImplicitDeny => "implicit-deny",
        }
    }
}

impl fmt::Display for Expect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A request context value: one value or a list (booleans and numbers become strings).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum ContextValue {
    One(String),
    Many(Vec<String>),
}

impl ContextValue {
    pub fn values(&self) -> Vec<&str> {
        match self {
            ContextValue::One(v) => vec![v.as_str()],
            ContextValue::Many(vs) => vs.iter().map(String::as_str).collect(),
        }
    }
}

impl<'de> Deserialize<'de> for ContextValue {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = ContextValue;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string, a number, a boolean or a list of them")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<ContextValue, E> {
                Ok(ContextValue::One(v.to_string()))
            }
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<ContextValue, E> {
                Ok(ContextValue::One(v.to_string()))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<ContextValue, E> {
                Ok(ContextValue::One(v.to_string()))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<ContextValue, E> {
                Ok(ContextValue::One(v.to_string()))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<ContextValue, E> {
                Ok(ContextValue::One(v.to_string()))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<ContextValue, A::Error> {
                let mut out = Vec::new();
                while let Some(ContextValue::One(v)) = seq.next_element::<ContextValue>()? {
                    out.push(v);
                }
                Ok(ContextValue::Many(out))
            }
        }
        deserializer.deserialize_any(V)
    }
}

impl JsonSchema for ContextValue {
    fn schema_name() -> Cow<'static, str> {
        "ContextValue".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A context value, or a list of values for multivalued keys such as `aws:TagKeys`.",
            "type": ["string", "boolean", "number", "array"],
            "items": { "type": ["string", "boolean", "number"] }
        })
    }
}
