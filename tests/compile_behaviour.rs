//! The generated documents behave as the seeds say they must: each rule is
//! evaluated with landform's engine on the seeds' own examples (region lock
//! and global services, the delegation pattern's FAIL/PASS cases, ABAC and the
//! tag guardrails, hardened trust, the break-glass MFA guard).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use landform::blueprint::resolve::abac::{AbacPolicySpec, abac_document};
use landform::blueprint::resolve::boundary::{BoundarySpec, boundary_document};
use landform::blueprint::resolve::delegation::{DelegationSpec, delegation_document};
use landform::blueprint::resolve::doc::document;
use landform::blueprint::resolve::guardrails::{
    RegionLock, default_global_exemptions, deny_leave_organization, deny_member_root,
    protect_audit_trail, protect_tags, region_lock, require_boundary_on_create_role,
    require_tags_on_create,
};
use landform::blueprint::resolve::trust::{
    ServicePrincipal, TrustSpec, require_mfa_document, trust_document,
};
use landform::org::Placeholder;
use landform::policy::eval::{Decision, decide};
use landform::policy::simulate::Simulator;
use serde_json::{Value, json};

const ACCT: &str = "111122223333";

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| (*x).to_string()).collect()
}

fn full_aws_access() -> Value {
    json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})
}

fn admin() -> Value {
    full_aws_access()
}

/// Replaces landform placeholders with the ids the tests use.
fn concrete(doc: &Value) -> Value {
    Placeholder::substitute(doc, &mut |p| match p {
        Placeholder::OrgId => "o-abcd1234ef".to_string(),
        Placeholder::AccountId(_) => ACCT.to_string(),
    })
}

#[derive(Default)]
struct Case {
    principal: String,
    action: String,
    resource: String,
    context: Value,
    identity: Vec<Value>,
    boundary: Option<Value>,
    scps: Option<Vec<Value>>,
    resource_policy: Option<Value>,
    resource_account: Option<String>,
}

impl Case {
    fn new(principal: &str, action: &str, resource: &str) -> Self {
        Self {
            principal: principal.to_string(),
            action: action.to_string(),
            resource: resource.to_string(),
            context: json!({}),
            ..Self::default()
        }
    }
    fn ctx(mut self, context: Value) -> Self {
        self.context = context;
        self
    }
    fn identity(mut self, docs: Vec<Value>) -> Self {
        self.identity = docs;
        self
    }
    fn boundary(mut self, doc: Value) -> Self {
        self.boundary = Some(doc);
        self
    }
    /// One SCP level below the root holding FullAWSAccess and `doc`.
    fn scp(mut self, doc: Value) -> Self {
        self.scps = Some(vec![doc]);
        self
    }
    fn trust(mut self, doc: Value, account: &str) -> Self {
        self.resource_policy = Some(doc);
        self.resource_account = Some(account.to_string());
        self
    }
    fn decide(&self) -> Decision {
        let mut input = json!({
            "request": {
                "principal": self.principal,
                "action": self.action,
                "resource": self.resource,
                "context": self.context,
            },
            "identity_policies": self.identity.iter().map(concrete).collect::<Vec<_>>(),
        });
        if let Some(a) = &self.resource_account {
            input["request"]["resource_account"] = json!(a);
        }
        if let Some(b) = &self.boundary {
            input["permission_boundaries"] = json!([concrete(b)]);
        }
        if let Some(scps) = &self.scps {
            let mut level = vec![full_aws_access()];
            level.extend(scps.iter().map(concrete));
            input["scp_levels"] = json!([[full_aws_access()], level]);
        }
        if let Some(r) = &self.resource_policy {
            input["resource_policy"] = concrete(r);
        }
        let loaded = Simulator::new()
            .load(&input.to_string())
            .unwrap_or_else(|e| panic!("bad request: {e}\n{input:#}"));
        decide(&loaded.policies, &loaded.request).decision
    }
}

fn role(name: &str) -> String {
    format!("arn:aws:iam::{ACCT}:role/{name}")
}

// ---------------------------------------------------------------- region lock

fn paywave_lock() -> Value {
    document(&region_lock(&RegionLock {
        allowed_regions: s(&["ap-south-1"]),
        global_services: default_global_exemptions(),
        exempt_actions: vec![],
        exempt_principals: s(&["AWSControlTowerExecution", "breakglass"]),
    }))
}

#[test]
fn region_lock_leaves_global_services_working_in_us_east_1() {
    let us_east = json!({"aws:RequestedRegion": "us-east-1"});
    for (action, resource) in [
        ("iam:CreateRole", role("x")),
        ("sts:GetCallerIdentity", "*".to_string()),
        ("organizations:DescribeOrganization", "*".to_string()),
        ("route53:ListHostedZones", "*".to_string()),
        ("cloudfront:ListDistributions", "*".to_string()),
        ("support:DescribeCases", "*".to_string()),
        ("budgets:ViewBudget", "*".to_string()),
    ] {
        let d = Case::new(&role("dev"), action, &resource)
            .ctx(us_east.clone())
            .identity(vec![admin()])
            .scp(paywave_lock())
            .decide();
        assert_eq!(d, Decision::Allow, "{action} in us-east-1");
    }
    // AssumeRole also needs the role's trust policy: with one, the lock lets it through
    let trust = trust_document(
        &TrustSpec {
            aws: s(&[ACCT]),
            ..TrustSpec::default()
        },
        "x",
    );
    let d = Case::new(&role("dev"), "sts:AssumeRole", &role("x"))
        .ctx(us_east)
        .identity(vec![admin()])
        .scp(paywave_lock())
        .trust(trust, ACCT)
        .decide();
    assert_eq!(d, Decision::Allow, "sts:AssumeRole in us-east-1");
}

#[test]
fn region_lock_pins_regional_services() {
    let run = |region: &str, principal: &str| {
        Case::new(principal, "ec2:RunInstances", "*")
            .ctx(json!({"aws:RequestedRegion": region}))
            .identity(vec![admin()])
            .scp(paywave_lock())
            .decide()
    };
    assert_eq!(run("us-east-1", &role("dev")), Decision::ExplicitDeny);
    assert_eq!(run("eu-west-1", &role("dev")), Decision::ExplicitDeny);
    assert_eq!(run("ap-south-1", &role("dev")), Decision::Allow);
    // the exempt principals
    assert_eq!(
        run("us-east-1", &role("AWSControlTowerExecution")),
        Decision::Allow
    );
    assert_eq!(run("us-east-1", &role("breakglass")), Decision::Allow);
}

/// `000_…`, "Worked example: who wins?", with the generated region lock as
/// the SCP and a boundary limited to `s3:*` and `ec2:*`.
#[test]
fn the_seeds_worked_example() {
    let boundary = boundary_document(&BoundarySpec {
        name: "b".into(),
        path: "/".into(),
        allow: s(&["s3:*", "ec2:*"]),
        protect_itself: true,
        delegated_paths: vec![],
    });
    let case = |action: &str, region: &str| {
        Case::new(&role("app"), action, "*")
            .ctx(json!({"aws:RequestedRegion": region}))
            .identity(vec![admin()])
            .boundary(boundary.clone())
            .scp(paywave_lock())
            .decide()
    };
    assert_eq!(case("s3:GetObject", "ap-south-1"), Decision::Allow);
    assert_eq!(case("s3:DeleteBucket", "us-east-1"), Decision::ExplicitDeny);
    // "not in boundary": our boundary also denies it explicitly
    assert_eq!(case("iam:CreateUser", "ap-south-1"), Decision::ExplicitDeny);
    assert_eq!(
        case("rds:CreateDBInstance", "ap-south-1"),
        Decision::ImplicitDeny
    );
    assert_eq!(case("ec2:RunInstances", "ap-south-1"), Decision::Allow);
}

// ---------------------------------------------------------------- deny list

#[test]
fn classic_deny_list_blocks_what_it_names() {
    let mut stmts = deny_leave_organization(&[]);
    stmts.extend(protect_audit_trail(&s(&["platform-logging"]), true));
    stmts.extend(deny_member_root(&[]));
    let scp = document(&stmts);
    let case = |principal: &str, action: &str| {
        Case::new(principal, action, "*")
            .identity(vec![admin()])
            .scp(scp.clone())
            .decide()
    };
    let dev = role("dev");
    assert_eq!(
        case(&dev, "organizations:LeaveOrganization"),
        Decision::ExplicitDeny
    );
    assert_eq!(case(&dev, "cloudtrail:StopLogging"), Decision::ExplicitDeny);
    assert_eq!(case(&dev, "cloudtrail:DeleteTrail"), Decision::ExplicitDeny);
    assert_eq!(
        case(&dev, "config:StopConfigurationRecorder"),
        Decision::ExplicitDeny
    );
    assert_eq!(case(&dev, "cloudtrail:LookupEvents"), Decision::Allow);
    assert_eq!(
        case(&role("platform-logging"), "cloudtrail:UpdateTrail"),
        Decision::Allow
    );
    let root = format!("arn:aws:iam::{ACCT}:root");
    assert_eq!(case(&root, "s3:ListAllMyBuckets"), Decision::ExplicitDeny);
    assert_eq!(case(&dev, "s3:ListAllMyBuckets"), Decision::Allow);
}

// ---------------------------------------------------------------- delegation

fn team_boundary() -> BoundarySpec {
    BoundarySpec {
        name: "team-boundary".into(),
        path: "/".into(),
        allow: s(&["s3:*", "dynamodb:*", "logs:*", "sqs:*", "lambda:*"]),
        protect_itself: true,
        delegated_paths: s(&["/team-app/"]),
    }
}

fn delegation() -> Value {
    let b = team_boundary();
    delegation_document(&DelegationSpec {
        path: "/team-app/".into(),
        boundary_exact_arn: b.exact_arn(),
        boundary_resource_arn: b.resource_arn(),
        attachable_policies: s(&["arn:aws:iam::aws:policy/ReadOnlyAccess"]),
    })
}

const BOUNDARY_ARN: &str = "arn:aws:iam::111122223333:policy/team-boundary";

fn as_team_admin(action: &str, resource: &str, context: Value) -> Decision {
    Case::new(&role("team-app-admin"), action, resource)
        .ctx(context)
        .identity(vec![delegation()])
        .boundary(boundary_document(&team_boundary()))
        .decide()
}

#[test]
fn delegated_admin_creates_only_bounded_roles_in_its_path() {
    let in_path = role("team-app/orders-service");
    assert_eq!(
        as_team_admin(
            "iam:CreateRole",
            &in_path,
            json!({"iam:PermissionsBoundary": BOUNDARY_ARN})
        ),
        Decision::Allow
    );
    // "aws iam create-role without the boundary returned AccessDenied"
    assert_eq!(
        as_team_admin("iam:CreateRole", &in_path, json!({})),
        Decision::ExplicitDeny
    );
    // troubleshooting row 1: a different boundary (or account)
    assert_eq!(
        as_team_admin(
            "iam:CreateRole",
            &in_path,
            json!({"iam:PermissionsBoundary": "arn:aws:iam::999999999999:policy/team-boundary"})
        ),
        Decision::ExplicitDeny
    );
    assert_eq!(
        as_team_admin(
            "iam:CreateRole",
            &role("platform/x"),
            json!({"iam:PermissionsBoundary": BOUNDARY_ARN})
        ),
        Decision::ExplicitDeny
    );
}

#[test]
fn delegated_admin_cannot_lift_the_ceiling() {
    let in_path = role("team-app/orders-service");
    let bounded = json!({"iam:PermissionsBoundary": BOUNDARY_ARN});
    for action in [
        "iam:DeleteRolePermissionsBoundary",
        "iam:DeleteUserPermissionsBoundary",
    ] {
        assert_eq!(
            as_team_admin(action, &in_path, bounded.clone()),
            Decision::ExplicitDeny,
            "{action}"
        );
    }
    // the Put side: swap to another boundary denied, re-applying the same allowed
    assert_eq!(
        as_team_admin(
            "iam:PutRolePermissionsBoundary",
            &in_path,
            json!({"iam:PermissionsBoundary": "arn:aws:iam::111122223333:policy/wide-open"})
        ),
        Decision::ExplicitDeny
    );
    assert_eq!(
        as_team_admin("iam:PutRolePermissionsBoundary", &in_path, bounded.clone()),
        Decision::Allow
    );
    for action in [
        "iam:CreatePolicyVersion",
        "iam:SetDefaultPolicyVersion",
        "iam:DeletePolicy",
        "iam:DeletePolicyVersion",
    ] {
        assert_eq!(
            as_team_admin(action, BOUNDARY_ARN, json!({})),
            Decision::ExplicitDeny,
            "{action} on the boundary"
        );
    }
    assert_eq!(
        as_team_admin(
            "iam:CreateUser",
            &format!("arn:aws:iam::{ACCT}:user/x"),
            json!({})
        ),
        Decision::ExplicitDeny
    );
    assert_eq!(
        as_team_admin(
            "iam:CreateAccessKey",
            &format!("arn:aws:iam::{ACCT}:user/x"),
            json!({})
        ),
        Decision::ExplicitDeny
    );
    assert_eq!(
        as_team_admin("organizations:LeaveOrganization", "*", json!({})),
        Decision::ExplicitDeny
    );
}

#[test]
fn delegated_admin_passes_attaches_and_trusts_only_inside_the_rules() {
    let in_path = role("team-app/orders-service");
    assert_eq!(
        as_team_admin("iam:PassRole", &in_path, json!({})),
        Decision::Allow
    );
    assert_eq!(
        as_team_admin(
            "iam:PassRole",
            &role("OrganizationAccountAccessRole"),
            json!({})
        ),
        Decision::ExplicitDeny
    );
    let attach = |policy: &str| {
        as_team_admin(
            "iam:AttachRolePolicy",
            &in_path,
            json!({"iam:PermissionsBoundary": BOUNDARY_ARN, "iam:PolicyARN": policy}),
        )
    };
    assert_eq!(
        attach("arn:aws:iam::aws:policy/AdministratorAccess"),
        Decision::ExplicitDeny
    );
    assert_eq!(
        attach("arn:aws:iam::aws:policy/ReadOnlyAccess"),
        Decision::Allow
    );
    assert_eq!(
        attach(&format!("arn:aws:iam::{ACCT}:policy/team-app/orders-data")),
        Decision::Allow
    );
    assert_eq!(
        as_team_admin("iam:UpdateAssumeRolePolicy", &role("breakglass"), json!({})),
        Decision::ExplicitDeny
    );
    assert_eq!(
        as_team_admin(
            "iam:UpdateAssumeRolePolicy",
            &in_path,
            json!({"iam:PermissionsBoundary": BOUNDARY_ARN})
        ),
        Decision::Allow
    );
    // the team can still read what it needs outside its path
    assert_eq!(
        as_team_admin("iam:GetPolicy", BOUNDARY_ARN, json!({})),
        Decision::Allow
    );
    assert_eq!(
        as_team_admin("iam:ListRoles", "*", json!({})),
        Decision::Allow
    );
    // and manage its own managed policies and instance profiles
    assert_eq!(
        as_team_admin(
            "iam:CreatePolicy",
            &format!("arn:aws:iam::{ACCT}:policy/team-app/orders-data"),
            json!({})
        ),
        Decision::Allow
    );
    assert_eq!(
        as_team_admin(
            "iam:CreateInstanceProfile",
            &format!("arn:aws:iam::{ACCT}:instance-profile/team-app/orders"),
            json!({})
        ),
        Decision::Allow
    );
}

/// The boundary is hereditary: a role the team created, wearing the boundary,
/// cannot escape it even with `AdministratorAccess` as its identity policy.
#[test]
fn a_team_role_with_admin_rights_stays_inside_the_boundary() {
    let b = boundary_document(&team_boundary());
    let case = |action: &str, resource: &str, context: Value| {
        Case::new(&role("team-app/orders-service"), action, resource)
            .ctx(context)
            .identity(vec![admin()])
            .boundary(b.clone())
            .decide()
    };
    assert_eq!(
        case("iam:CreateRole", &role("team-app/sneaky"), json!({})),
        Decision::ExplicitDeny
    );
    assert_eq!(
        case(
            "iam:CreateRole",
            &role("platform/sneaky"),
            json!({"iam:PermissionsBoundary": BOUNDARY_ARN})
        ),
        Decision::ImplicitDeny
    );
    assert_eq!(
        case("iam:UpdateAssumeRolePolicy", &role("breakglass"), json!({})),
        Decision::ImplicitDeny
    );
    assert_eq!(
        case(
            "iam:PassRole",
            &role("OrganizationAccountAccessRole"),
            json!({})
        ),
        Decision::ImplicitDeny
    );
    assert_eq!(
        case("s3:GetObject", "arn:aws:s3:::orders/x", json!({})),
        Decision::Allow
    );
    assert_eq!(
        case("ec2:RunInstances", "*", json!({})),
        Decision::ImplicitDeny
    );
}

#[test]
fn scp_requires_the_boundary_on_role_creation() {
    let b = team_boundary();
    let scp = document(&require_boundary_on_create_role(
        &[b.exact_arn()],
        &s(&["OrganizationAccountAccessRole"]),
    ));
    let case = |principal: &str, action: &str, context: Value| {
        Case::new(principal, action, &role("app/x"))
            .ctx(context)
            .identity(vec![admin()])
            .scp(scp.clone())
            .decide()
    };
    let bounded = json!({"iam:PermissionsBoundary": BOUNDARY_ARN});
    let other = json!({"iam:PermissionsBoundary": "arn:aws:iam::111122223333:policy/other"});
    let dev = role("dev");
    assert_eq!(
        case(&dev, "iam:CreateRole", json!({})),
        Decision::ExplicitDeny
    );
    assert_eq!(
        case(&dev, "iam:CreateRole", bounded.clone()),
        Decision::Allow
    );
    assert_eq!(
        case(&dev, "iam:PutRolePermissionsBoundary", other),
        Decision::ExplicitDeny
    );
    assert_eq!(
        case(&dev, "iam:DeleteRolePermissionsBoundary", bounded),
        Decision::ExplicitDeny
    );
    assert_eq!(
        case(
            &role("OrganizationAccountAccessRole"),
            "iam:CreateRole",
            json!({})
        ),
        Decision::Allow
    );
}

// ---------------------------------------------------------------- ABAC

#[test]
fn abac_grants_only_on_matching_tags() {
    let policy = abac_document(&AbacPolicySpec {
        tag_keys: s(&["Project"]),
        actions: s(&["s3:GetObject", "s3:PutObject"]),
        resources: s(&["arn:aws:s3:::shared-data/*"]),
        tag_on_create_actions: vec![],
    });
    let case = |principal_tag: &str, resource_tag: &str| {
        Case::new(
            &role("ledger"),
            "s3:GetObject",
            "arn:aws:s3:::shared-data/x",
        )
        .ctx(json!({"aws:PrincipalTag/Project": principal_tag,
                        "aws:ResourceTag/Project": resource_tag}))
        .identity(vec![policy.clone()])
        .decide()
    };
    assert_eq!(case("ledger", "ledger"), Decision::Allow);
    assert_eq!(case("ledger", "fraud"), Decision::ImplicitDeny);
}

#[test]
fn tag_guardrails_force_tags_on_create_and_protect_them() {
    let mut stmts = require_tags_on_create(
        &s(&["Project", "DataClass"]),
        &s(&["ec2:RunInstances", "dynamodb:CreateTable"]),
        &[],
    );
    stmts.extend(protect_tags(
        &s(&["Project", "DataClass"]),
        &s(&["dynamodb", "ec2"]),
        &[],
    ));
    let scp = document(&stmts);
    let case = |action: &str, resource: &str, context: Value| {
        Case::new(&role("dev"), action, resource)
            .ctx(context)
            .identity(vec![admin()])
            .scp(scp.clone())
            .decide()
    };
    let table = format!("arn:aws:dynamodb:ap-south-1:{ACCT}:table/orders");
    assert_eq!(
        case("dynamodb:CreateTable", &table, json!({})),
        Decision::ExplicitDeny
    );
    assert_eq!(
        case(
            "dynamodb:CreateTable",
            &table,
            json!({"aws:RequestTag/Project": "ledger"})
        ),
        Decision::ExplicitDeny,
        "one tag missing is enough to deny"
    );
    assert_eq!(
        case(
            "dynamodb:CreateTable",
            &table,
            json!({"aws:RequestTag/Project": "ledger", "aws:RequestTag/DataClass": "pci",
                   "aws:TagKeys": ["Project", "DataClass"]})
        ),
        Decision::Allow
    );
    // RunInstances also authorizes the subnet, which carries no request tags
    let subnet = format!("arn:aws:ec2:ap-south-1:{ACCT}:subnet/subnet-1");
    let instance = format!("arn:aws:ec2:ap-south-1:{ACCT}:instance/*");
    assert_eq!(
        case("ec2:RunInstances", &subnet, json!({})),
        Decision::Allow
    );
    assert_eq!(
        case("ec2:RunInstances", &instance, json!({})),
        Decision::ExplicitDeny
    );
    // untag a governance key: denied; an ordinary key: allowed
    assert_eq!(
        case(
            "dynamodb:UntagResource",
            &table,
            json!({"aws:TagKeys": ["Project"]})
        ),
        Decision::ExplicitDeny
    );
    assert_eq!(
        case(
            "dynamodb:UntagResource",
            &table,
            json!({"aws:TagKeys": ["Owner"]})
        ),
        Decision::Allow
    );
    // overwrite an existing governance tag: denied; tag a fresh resource: allowed
    assert_eq!(
        case(
            "dynamodb:TagResource",
            &table,
            json!({"aws:TagKeys": ["Project"], "aws:ResourceTag/Project": "ledger"})
        ),
        Decision::ExplicitDeny
    );
    assert_eq!(
        case(
            "ec2:CreateTags",
            &instance,
            json!({"aws:TagKeys": ["Project"], "aws:RequestTag/Project": "ledger"})
        ),
        Decision::Allow
    );
}

// ---------------------------------------------------------------- trust

#[test]
fn hardened_trust_requires_every_condition() {
    let trust = trust_document(
        &TrustSpec {
            aws: s(&["arn:aws:iam::444455556666:role/ci-deployer"]),
            external_id: Some("kloudvin-deploy-7f3a".into()),
            org_only: true,
            ..TrustSpec::default()
        },
        "payments-prod",
    );
    let assume = |principal: &str, context: Value| {
        Case::new(principal, "sts:AssumeRole", &role("deployer"))
            .ctx(context)
            .identity(vec![admin()])
            .trust(trust.clone(), ACCT)
            .decide()
    };
    let ci = "arn:aws:iam::444455556666:role/ci-deployer";
    let good =
        json!({"sts:ExternalId": "kloudvin-deploy-7f3a", "aws:PrincipalOrgID": "o-abcd1234ef"});
    assert_eq!(assume(ci, good.clone()), Decision::Allow);
    assert_eq!(
        assume(ci, json!({"aws:PrincipalOrgID": "o-abcd1234ef"})),
        Decision::ImplicitDeny,
        "no ExternalId: the confused-deputy gate"
    );
    assert_eq!(
        assume(
            ci,
            json!({"sts:ExternalId": "kloudvin-deploy-7f3a", "aws:PrincipalOrgID": "o-other"})
        ),
        Decision::ImplicitDeny
    );
    assert_eq!(
        assume("arn:aws:iam::444455556666:role/someone-else", good),
        Decision::ImplicitDeny
    );
}

#[test]
fn service_trust_is_scoped_by_source_account() {
    let trust = trust_document(
        &TrustSpec {
            services: vec![ServicePrincipal {
                service: "lambda.amazonaws.com".into(),
                source_account: Some(ACCT.into()),
                source_arn: None,
            }],
            ..TrustSpec::default()
        },
        "payments-prod",
    );
    let assume = |source: &str| {
        Case::new("lambda.amazonaws.com", "sts:AssumeRole", &role("exec"))
            .ctx(json!({"aws:SourceAccount": source}))
            .trust(trust.clone(), ACCT)
            .decide()
    };
    assert_eq!(assume(ACCT), Decision::Allow);
    assert_eq!(assume("999999999999"), Decision::ImplicitDeny);
}

// ---------------------------------------------------------------- break-glass

#[test]
fn break_glass_needs_mfa_for_everything_but_mfa_setup() {
    let guard = require_mfa_document();
    let user = format!("arn:aws:iam::{ACCT}:user/breakglass-1");
    let case = |action: &str, context: Value| {
        Case::new(&user, action, "*")
            .ctx(context)
            .identity(vec![admin(), guard.clone()])
            .decide()
    };
    assert_eq!(
        case("s3:ListAllMyBuckets", json!({})),
        Decision::ExplicitDeny
    );
    assert_eq!(
        case(
            "s3:ListAllMyBuckets",
            json!({"aws:MultiFactorAuthPresent": "false"})
        ),
        Decision::ExplicitDeny
    );
    assert_eq!(
        case(
            "s3:ListAllMyBuckets",
            json!({"aws:MultiFactorAuthPresent": "true"})
        ),
        Decision::Allow
    );
    assert_eq!(case("iam:EnableMFADevice", json!({})), Decision::Allow);
    assert_eq!(case("sts:GetSessionToken", json!({})), Decision::Allow);
}

/// Why the generated delegation policy differs from the seed's: the seed's
/// `NotResource` deny of `iam:*` also blocks reading the very boundary the
/// team must name, and any work on the team's own managed policies.
#[test]
fn the_seeds_delegation_policy_blocks_reads_and_team_policies() {
    let seed = json!({"Version": "2012-10-17", "Statement": [
        {"Sid": "CreateRolesWithBoundary", "Effect": "Allow",
         "Action": ["iam:CreateRole", "iam:PutRolePolicy", "iam:AttachRolePolicy",
                    "iam:DeleteRolePolicy", "iam:DetachRolePolicy"],
         "Resource": "arn:aws:iam::*:role/team-app/*",
         "Condition": {"StringEquals": {"iam:PermissionsBoundary": BOUNDARY_ARN}}},
        {"Sid": "ProtectTheBoundaryItself", "Effect": "Deny",
         "Action": ["iam:DeleteRolePermissionsBoundary", "iam:DeletePolicy",
                    "iam:DeletePolicyVersion", "iam:CreatePolicyVersion",
                    "iam:SetDefaultPolicyVersion"],
         "Resource": BOUNDARY_ARN},
        {"Sid": "ScopeAndProtectByPath", "Effect": "Deny", "Action": "iam:*",
         "NotResource": "arn:aws:iam::*:role/team-app/*"}]});
    let with = |policy: &Value, action: &str, resource: &str| {
        Case::new(&role("team-app-admin"), action, resource)
            .identity(vec![policy.clone(), json!({"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": ["iam:Get*", "iam:List*", "iam:CreatePolicy"], "Resource": "*"}]})])
            .decide()
    };
    let team_policy = format!("arn:aws:iam::{ACCT}:policy/team-app/orders-data");
    assert_eq!(
        with(&seed, "iam:GetPolicy", BOUNDARY_ARN),
        Decision::ExplicitDeny
    );
    assert_eq!(
        with(&seed, "iam:CreatePolicy", &team_policy),
        Decision::ExplicitDeny
    );
    let ours = delegation();
    assert_eq!(with(&ours, "iam:GetPolicy", BOUNDARY_ARN), Decision::Allow);
    assert_eq!(
        with(&ours, "iam:CreatePolicy", &team_policy),
        Decision::Allow
    );
}
