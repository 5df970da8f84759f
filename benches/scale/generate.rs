//! Synthetic blueprints of N accounts for the scale benchmark
//! (`cargo bench --bench scale`), deterministic for a given size and seed.
//!
//! Shape (independent of N, as issue 7 asks): 100 OUs over 5 levels, 40 SCPs
//! (region locks per business unit, deny lists with conditions), an RCP, 40
//! customer-managed policies, 200 permission sets, 100 groups, 2,000
//! assignments to OUs, 20 delegated teams with their boundaries, every
//! guardrail, ABAC, roles, break-glass users and a few `tests:`. The accounts
//! (N in total, the management account included) fill the OU tree: 9
//! platform accounts, 1% suspended, 2% sandbox, the rest spread evenly over
//! the 60 environment OUs of the workloads.
//!
//! [`Variant::Head`] is the same blueprint with one word changed in one SCP
//! (`prod-change-control` denies `rds:DeleteDBCluster` instead of
//! `rds:DeleteDBClusterSnapshot`), for `landform diff`.
//!
//! Included by `benches/scale/main.rs` and by `tests/scale_generator.rs`.

use std::collections::BTreeSet;
use std::fmt::Write as _;

/// Which of the two blueprints of a diff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    Base,
    Head,
}

/// The line that differs between [`Variant::Base`] and [`Variant::Head`].
pub const BASE_LINE: &str = "              - rds:DeleteDBClusterSnapshot";
pub const HEAD_LINE: &str = "              - rds:DeleteDBCluster";

/// What was generated.
#[derive(Debug, Clone)]
pub struct Generated {
    pub yaml: String,
    pub stats: Stats,
}

/// Counts of the generated constructs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    /// Accounts, the management account included.
    pub accounts: usize,
    pub ous: usize,
    pub max_depth: usize,
    pub scps: usize,
    pub permission_sets: usize,
    pub groups: usize,
    /// Assignment entries in the blueprint (each to one OU).
    pub assignments: usize,
    /// (principal, permission set, account) triples once the assignments are
    /// expanded to the accounts below their OU.
    pub account_assignments: usize,
    pub delegated_teams: usize,
}

/// splitmix64: small, seedable, the same on every platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    /// `k` distinct items, in the order of `items`.
    fn some<T: Clone>(&mut self, items: &[T], k: usize) -> Vec<T> {
        let mut idx = BTreeSet::new();
        while idx.len() < k.min(items.len()) {
            idx.insert(self.below(items.len()));
        }
        idx.into_iter().map(|i| items[i].clone()).collect()
    }
    /// `min` to `min + spread - 1` distinct items.
    fn some_n<T: Clone>(&mut self, items: &[T], min: usize, spread: usize) -> Vec<T> {
        let k = min + self.below(spread);
        self.some(items, k)
    }
}

const BUS: [&str; 8] = [
    "Payments",
    "Lending",
    "Cards",
    "Wealth",
    "Insurance",
    "Retail",
    "Treasury",
    "Analytics",
];
const TEAM_SUFFIXES: [&str; 3] = ["Api", "Core", "Data"];
const REGIONS: [&str; 4] = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1"];

/// AWS-managed policies whose documents landform ships (see
/// `src/principals/aws_managed.json`).
const AWS_MANAGED: [&str; 24] = [
    "ReadOnlyAccess",
    "job-function/ViewOnlyAccess",
    "SecurityAudit",
    "AmazonS3ReadOnlyAccess",
    "AmazonDynamoDBReadOnlyAccess",
    "AmazonEC2ReadOnlyAccess",
    "CloudWatchReadOnlyAccess",
    "CloudWatchLogsReadOnlyAccess",
    "AmazonRDSReadOnlyAccess",
    "AmazonSSMReadOnlyAccess",
    "AWSCloudFormationReadOnlyAccess",
    "AmazonVPCReadOnlyAccess",
    "AmazonKinesisReadOnlyAccess",
    "AWSLambda_ReadOnlyAccess",
    "AmazonSQSFullAccess",
    "AmazonSNSFullAccess",
    "AWSLambda_FullAccess",
    "AmazonDynamoDBFullAccess",
    "AmazonECS_FullAccess",
    "AWSCodeDeployFullAccess",
    "CloudWatchFullAccess",
    "SecretsManagerReadWrite",
    "job-function/SupportUser",
    "AmazonAthenaFullAccess",
];
const PLATFORM_MANAGED: [&str; 8] = [
    "SecurityAudit",
    "job-function/NetworkAdministrator",
    "job-function/Billing",
    "AdministratorAccess",
    "job-function/ViewOnlyAccess",
    "job-function/SystemAdministrator",
    "job-function/DatabaseAdministrator",
    "PowerUserAccess",
];

/// Actions the managed policies and boundaries are drawn from, by service.
const SERVICE_ACTIONS: [(&str, [&str; 6]); 10] = [
    (
        "s3",
        [
            "GetObject",
            "PutObject",
            "DeleteObject",
            "ListBucket",
            "GetBucketPolicy",
            "PutBucketTagging",
        ],
    ),
    (
        "dynamodb",
        [
            "GetItem",
            "PutItem",
            "Query",
            "Scan",
            "UpdateItem",
            "DescribeTable",
        ],
    ),
    (
        "sqs",
        [
            "SendMessage",
            "ReceiveMessage",
            "DeleteMessage",
            "GetQueueAttributes",
            "ListQueues",
            "PurgeQueue",
        ],
    ),
    (
        "lambda",
        [
            "InvokeFunction",
            "GetFunction",
            "UpdateFunctionCode",
            "ListFunctions",
            "PublishVersion",
            "PutFunctionConcurrency",
        ],
    ),
    (
        "ecs",
        [
            "UpdateService",
            "DescribeServices",
            "ListServices",
            "StopTask",
            "RunTask",
            "DescribeTasks",
        ],
    ),
    (
        "logs",
        [
            "StartQuery",
            "GetQueryResults",
            "FilterLogEvents",
            "DescribeLogGroups",
            "CreateLogGroup",
            "PutRetentionPolicy",
        ],
    ),
    (
        "kinesis",
        [
            "PutRecord",
            "PutRecords",
            "GetRecords",
            "GetShardIterator",
            "DescribeStream",
            "ListStreams",
        ],
    ),
    (
        "sns",
        [
            "Publish",
            "Subscribe",
            "ListTopics",
            "CreateTopic",
            "GetTopicAttributes",
            "SetTopicAttributes",
        ],
    ),
    (
        "ec2",
        [
            "DescribeInstances",
            "StartInstances",
            "StopInstances",
            "RebootInstances",
            "DescribeVolumes",
            "CreateSnapshot",
        ],
    ),
    (
        "kms",
        [
            "Decrypt",
            "Encrypt",
            "GenerateDataKey",
            "DescribeKey",
            "ListKeys",
            "ReEncryptFrom",
        ],
    ),
];

/// Destructive actions the deny-list SCPs pick from.
const DESTRUCTIVE: [&str; 16] = [
    "ec2:TerminateInstances",
    "ec2:DeleteVolume",
    "ec2:DeleteSnapshot",
    "rds:DeleteDBInstance",
    "rds:DeleteDBCluster",
    "rds:ModifyDBInstance",
    "s3:DeleteBucket",
    "s3:PutBucketPolicy",
    "s3:PutLifecycleConfiguration",
    "dynamodb:DeleteTable",
    "dynamodb:DeleteBackup",
    "kms:ScheduleKeyDeletion",
    "kms:DisableKey",
    "lambda:DeleteFunction",
    "sqs:DeleteQueue",
    "sns:DeleteTopic",
];

struct Team {
    /// `Payments/Api`
    bu: usize,
    suffix: &'static str,
    /// `PaymentsApi` (permission sets), `payments-api` (groups, roles, tags).
    camel: String,
    kebab: String,
}

impl Team {
    fn path(&self) -> String {
        format!("Workloads/{}/{}", BUS[self.bu], self.suffix)
    }
}

/// An environment OU that holds workload accounts.
struct Env {
    path: String,
    /// Index in `teams`.
    team: usize,
    /// `prod`, `nonprod`, `dev`
    env: &'static str,
    accounts: Vec<String>,
}

/// Generates the blueprint of `n` accounts (at least 20).
pub fn blueprint(n: usize, seed: u64, variant: Variant) -> Generated {
    let n = n.max(20);
    let mut rng = Rng(seed ^ 0x6C61_6E64_666F_726D);
    let mut stats = Stats::default();

    let teams: Vec<Team> = (0..BUS.len())
        .flat_map(|bu| {
            TEAM_SUFFIXES.iter().map(move |s| Team {
                bu,
                suffix: s,
                camel: format!("{}{s}", BUS[bu]),
                kebab: format!("{}-{}", BUS[bu].to_lowercase(), s.to_lowercase()),
            })
        })
        .collect();
    // 24 teams × (Prod, NonProd) + NonProd/Dev for the first 12 teams = 60
    let mut envs: Vec<Env> = Vec::new();
    for (t, team) in teams.iter().enumerate() {
        envs.push(Env {
            path: format!("{}/Prod", team.path()),
            team: t,
            env: "prod",
            accounts: Vec::new(),
        });
        envs.push(Env {
            path: format!("{}/NonProd", team.path()),
            team: t,
            env: "nonprod",
            accounts: Vec::new(),
        });
        if t < 12 {
            envs.push(Env {
                path: format!("{}/NonProd/Dev", team.path()),
                team: t,
                env: "dev",
                accounts: Vec::new(),
            });
        }
    }

    // accounts: the management account, 9 platform accounts, then the rest
    let platform_accounts = 9;
    let suspended = n / 100;
    let sandbox = (n / 50).max(1);
    let workload = n - 1 - platform_accounts - suspended - sandbox;
    let mut next_id = 0u64;
    let mut id = || {
        next_id += 1;
        format!("{:012}", 200_000_000_000u64 + next_id)
    };
    let management_id = id();
    for i in 0..workload {
        let e = i % envs.len();
        let name = format!("{}-{}-{i:05}", teams[envs[e].team].kebab, envs[e].env);
        envs[e].accounts.push(name);
    }
    stats.accounts = n;

    let mut y = String::with_capacity(200 * n + 400_000);
    let w = &mut y;
    w.push_str("# yaml-language-server: $schema=../schema/blueprint.schema.json\n");
    let _ = writeln!(
        w,
        "# Synthetic blueprint of {n} accounts generated by benches/scale/generate.rs \
         (seed {seed}, {variant:?}). Do not edit: regenerate."
    );
    w.push_str("version: 1\n\norganization:\n  name: scale\n");
    let _ = writeln!(
        w,
        "  management_account: {{name: management, email: aws+management@scale.example, id: \"{management_id}\"}}"
    );
    let _ = writeln!(
        w,
        "  home_region: us-east-1\n  allowed_regions: [{}]\n  policy_types: [SERVICE_CONTROL_POLICY, RESOURCE_CONTROL_POLICY]\n  rcps: [enforce-tls]",
        REGIONS.join(", ")
    );

    // ---------------------------------------------------------------- OUs
    let account = |w: &mut String, indent: usize, name: &str, id: String, tags: &str| {
        let _ = writeln!(
            w,
            "{:indent$}{name}: {{email: aws+{name}@scale.example, id: \"{id}\"{tags}}}",
            ""
        );
    };
    w.push_str("\norganizational_units:\n");
    w.push_str("  Security:\n    description: Central audit and security tooling\n    scps: [protect-security-tooling]\n    accounts:\n");
    for a in ["log-archive", "audit", "security-tooling"] {
        account(w, 6, a, id(), "");
    }
    w.push_str("  Infrastructure:\n    description: Network and shared services\n    children:\n");
    w.push_str("      Network:\n        accounts:\n");
    for a in ["network-hub", "dns"] {
        account(w, 10, a, id(), "");
    }
    w.push_str("      Shared:\n        accounts:\n");
    for a in ["ci-cd", "shared-services", "artifacts"] {
        account(w, 10, a, id(), "");
    }
    w.push_str(
        "  PolicyStaging:\n    description: New SCPs are attached here first\n    accounts:\n",
    );
    account(w, 6, "policy-staging", id(), "");
    w.push_str("  Sandbox:\n    description: Experiments, with a spend guardrail\n    scps: [sandbox-spend]\n    accounts:\n");
    for i in 0..sandbox {
        account(w, 6, &format!("sandbox-{i:05}"), id(), "");
    }
    w.push_str("  Suspended:\n    description: Quarantine for accounts being closed\n    scps: [deny-all]\n");
    if suspended > 0 {
        w.push_str("    accounts:\n");
        for i in 0..suspended {
            account(w, 6, &format!("suspended-{i:05}"), id(), "");
        }
    }
    w.push_str("  Workloads:\n    description: Every business unit's workloads\n    scps: [protect-network, deny-iam-users]\n    children:\n");
    let mut ous = 5 + 1 + 2; // level 1, Network, Shared
    let mut max_depth = 2;
    for (b, bu) in BUS.iter().enumerate() {
        ous += 1;
        let _ = writeln!(
            w,
            "      {bu}:\n        tags: {{BusinessUnit: {}}}\n        scps: [region-lock-{}]\n        children:",
            bu.to_lowercase(),
            bu.to_lowercase()
        );
        for (t, team) in teams.iter().enumerate().filter(|(_, t)| t.bu == b) {
            ous += 1;
            let _ = writeln!(
                w,
                "          {}:\n            description: The {} team\n            tags: {{Team: {}}}\n            scps: [guard-{}]\n            children:",
                team.suffix, team.kebab, team.kebab, team.kebab
            );
            for e in envs.iter().filter(|e| e.team == t) {
                let depth = e.path.matches('/').count() + 1;
                max_depth = max_depth.max(depth);
                ous += 1;
                let indent = if e.env == "dev" { 18 } else { 14 };
                let leaf = e.path.rsplit('/').next().unwrap_or_default();
                let scp = match e.env {
                    "prod" => "prod-change-control",
                    "nonprod" => "deny-nonprod-expensive",
                    _ => "deny-data-exfiltration",
                };
                let _ = writeln!(w, "{:indent$}{leaf}:\n{:indent$}  scps: [{scp}]", "", "");
                if !e.accounts.is_empty() {
                    let _ = writeln!(w, "{:indent$}  accounts:", "");
                    let data_class = if e.env == "prod" {
                        "confidential"
                    } else {
                        "internal"
                    };
                    for a in &e.accounts {
                        let tags = format!(
                            ", tags: {{Project: {}, Environment: {}, DataClass: {data_class}}}",
                            team.kebab, e.env
                        );
                        account(w, indent + 4, a, id(), &tags);
                    }
                }
                if e.env == "nonprod" && t < 12 {
                    let _ = writeln!(w, "{:indent$}  children:", "");
                }
            }
        }
    }
    stats.ous = ous;
    stats.max_depth = max_depth;

    // ------------------------------------------------------------ policies
    w.push_str("\npolicies:\n  scp:\n");
    let mut scps = 0;
    let doc = |w: &mut String, statements: &str| {
        let _ = write!(
            w,
            "      document:\n        Version: \"2012-10-17\"\n        Statement:\n{statements}"
        );
    };
    let list = |items: &[&str], indent: usize| -> String {
        items
            .iter()
            .map(|i| format!("{:indent$}- {i}\n", ""))
            .collect()
    };
    w.push_str("    deny-all:\n      description: Quarantine - deny every action\n");
    doc(
        w,
        "          - {Sid: DenyAll, Effect: Deny, Action: \"*\", Resource: \"*\"}\n",
    );
    scps += 1;
    for (b, bu) in BUS.iter().enumerate() {
        let regions: Vec<&str> = REGIONS.iter().take(1 + b % 3).copied().collect();
        let _ = writeln!(
            w,
            "    region-lock-{}:\n      description: {bu} runs only in {}",
            bu.to_lowercase(),
            regions.join(" and ")
        );
        let st = format!(
            "          - Sid: DenyOtherRegions\n            Effect: Deny\n            NotAction: [\"iam:*\", \"sts:*\", \"organizations:*\", \"route53:*\", \"cloudfront:*\", \"support:*\", \"budgets:*\", \"kms:*\"]\n            Resource: \"*\"\n            Condition:\n              StringNotEquals: {{aws:RequestedRegion: [{}]}}\n              ArnNotLike: {{aws:PrincipalArn: \"arn:aws:iam::*:role/AWSControlTowerExecution\"}}\n",
            regions.join(", ")
        );
        doc(w, &st);
        scps += 1;
    }
    for team in &teams {
        let actions = rng.some_n(&DESTRUCTIVE, 4, 5);
        let condition = match rng.below(3) {
            0 => format!(
                "              ArnNotLike: {{aws:PrincipalArn: \"arn:aws:iam::*:role/team-app/{}-deployer\"}}\n",
                team.kebab
            ),
            1 => {
                "              BoolIfExists: {aws:MultiFactorAuthPresent: \"false\"}\n".to_string()
            }
            _ => format!(
                "              StringNotEquals: {{aws:PrincipalTag/Team: {}}}\n",
                team.kebab
            ),
        };
        let _ = writeln!(
            w,
            "    guard-{}:\n      description: What the {} team's accounts never do without the right principal",
            team.kebab, team.kebab
        );
        let st = format!(
            "          - Sid: DenyDestructive\n            Effect: Deny\n            Action:\n{}            Resource: \"*\"\n            Condition:\n{condition}",
            list(&actions, 14)
        );
        doc(w, &st);
        scps += 1;
    }
    // the SCP the head variant changes (one word on one line)
    w.push_str(
        "    prod-change-control:\n      description: Production changes need a change ticket\n",
    );
    let changed = match variant {
        Variant::Base => BASE_LINE,
        Variant::Head => HEAD_LINE,
    };
    let st = format!(
        "          - Sid: DenyWithoutTicket\n            Effect: Deny\n            Action:\n              - ec2:TerminateInstances\n              - rds:DeleteDBInstance\n{changed}\n              - dynamodb:DeleteTable\n              - s3:DeleteBucket\n            Resource: \"*\"\n            Condition:\n              \"Null\": {{aws:PrincipalTag/ChangeTicket: \"true\"}}\n"
    );
    doc(w, &st);
    scps += 1;
    w.push_str(
        "    deny-nonprod-expensive:\n      description: Small instances only outside production\n",
    );
    doc(
        w,
        "          - Sid: DenyLargeInstances\n            Effect: Deny\n            Action: ec2:RunInstances\n            Resource: \"arn:aws:ec2:*:*:instance/*\"\n            Condition:\n              StringNotLike: {ec2:InstanceType: [\"t3.*\", \"t4g.*\", m5.large]}\n",
    );
    scps += 1;
    w.push_str("    sandbox-spend:\n      description: No big-ticket services in the sandbox\n");
    doc(
        w,
        "          - Sid: DenyBigTicket\n            Effect: Deny\n            Action: [\"redshift:*\", \"sagemaker:CreateTrainingJob\", \"ec2:PurchaseReservedInstancesOffering\", \"rds:PurchaseReservedDBInstancesOffering\"]\n            Resource: \"*\"\n",
    );
    scps += 1;
    w.push_str("    protect-network:\n      description: Only network administrators change VPC plumbing\n");
    doc(
        w,
        "          - Sid: DenyNetworkChanges\n            Effect: Deny\n            Action: [ec2:CreateVpc, ec2:DeleteVpc, ec2:CreateInternetGateway, ec2:AttachInternetGateway, ec2:CreateVpcPeeringConnection, ec2:AcceptVpcPeeringConnection]\n            Resource: \"*\"\n            Condition:\n              ArnNotLike: {aws:PrincipalArn: \"arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_P01NetworkAdministrator_*\"}\n",
    );
    scps += 1;
    w.push_str(
        "    deny-iam-users:\n      description: No long-lived IAM users in workload accounts\n",
    );
    doc(
        w,
        "          - Sid: DenyUsersAndKeys\n            Effect: Deny\n            Action: [iam:CreateUser, iam:CreateAccessKey, iam:CreateLoginProfile]\n            Resource: \"*\"\n",
    );
    scps += 1;
    w.push_str("    protect-security-tooling:\n      description: Security tooling cannot be switched off\n");
    doc(
        w,
        "          - Sid: DenyDisable\n            Effect: Deny\n            Action: [guardduty:DeleteDetector, guardduty:DisassociateFromMasterAccount, securityhub:DisableSecurityHub, config:StopConfigurationRecorder, config:DeleteConfigurationRecorder]\n            Resource: \"*\"\n            Condition:\n              ArnNotLike: {aws:PrincipalArn: \"arn:aws:iam::*:role/AWSControlTowerExecution\"}\n",
    );
    scps += 1;
    w.push_str("    deny-data-exfiltration:\n      description: Development data stays private\n");
    doc(
        w,
        "          - Sid: DenyPublicData\n            Effect: Deny\n            Action: [s3:PutBucketAcl, s3:PutObjectAcl, s3:PutBucketPublicAccessBlock]\n            Resource: \"*\"\n            Condition:\n              StringNotEqualsIfExists: {aws:PrincipalTag/DataClass: public}\n",
    );
    scps += 1;
    stats.scps = scps;

    w.push_str("  rcp:\n    enforce-tls:\n      description: Data is reached over TLS only\n");
    doc(
        w,
        "          - Sid: DenyInsecureTransport\n            Effect: Deny\n            Principal: \"*\"\n            Action: [\"s3:*\", \"sqs:*\"]\n            Resource: \"*\"\n            Condition:\n              BoolIfExists: {aws:SecureTransport: \"false\"}\n",
    );

    // customer-managed policies
    w.push_str("  managed:\n");
    let mut managed = Vec::new();
    for k in 0..40 {
        let (svc, actions) = SERVICE_ACTIONS[k % SERVICE_ACTIONS.len()];
        let (svc2, actions2) = SERVICE_ACTIONS[(k * 7 + 3) % SERVICE_ACTIONS.len()];
        let name = format!("mp-{svc}-{k:02}");
        let mut allow: Vec<String> = rng
            .some_n(&actions, 3, 3)
            .into_iter()
            .map(|a| format!("{svc}:{a}"))
            .collect();
        allow.extend(
            rng.some(&actions2, 2)
                .into_iter()
                .map(|a| format!("{svc2}:{a}")),
        );
        let allow: Vec<&str> = allow.iter().map(|s| s.as_str()).collect();
        let _ = writeln!(
            w,
            "    {name}:\n      description: Operate {svc} (generated policy {k})"
        );
        let mut st = format!(
            "          - Sid: Operate\n            Effect: Allow\n            Action:\n{}            Resource: \"*\"\n",
            list(&allow, 14)
        );
        if k % 3 == 0 {
            st.push_str("            Condition:\n              StringEquals: {aws:RequestedRegion: [us-east-1, eu-west-1]}\n");
        }
        if k % 4 == 1 {
            let _ = write!(
                st,
                "          - Sid: ReadTeamBuckets\n            Effect: Allow\n            Action: [s3:GetObject, s3:ListBucket]\n            Resource: [\"arn:aws:s3:::scale-data-{k:02}\", \"arn:aws:s3:::scale-data-{k:02}/*\"]\n"
            );
        }
        doc(w, &st);
        managed.push(name);
    }

    // -------------------------------------------------------- guardrails
    let team_boundaries: Vec<String> = teams
        .iter()
        .take(20)
        .map(|t| format!("{}-boundary", t.kebab))
        .collect();
    w.push_str("\nguardrails:\n");
    let _ = writeln!(
        w,
        "  region_lock:\n    allowed: [{}]\n    attach: [{}, Sandbox]\n    exempt_principals: [AWSControlTowerExecution]",
        REGIONS.join(", "),
        BUS.iter()
            .map(|b| format!("Workloads/{b}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    w.push_str("  deny_leave_organization:\n    attach: [Root]\n");
    w.push_str("  protect_audit_trail:\n    attach: [Root]\n    exempt_principals: [AWSControlTowerExecution]\n");
    w.push_str("  deny_member_root:\n    attach: [Root]\n");
    let _ = writeln!(
        w,
        "  require_boundary_on_create_role:\n    boundaries: [app-team-boundary, {}]\n    attach: [Workloads]\n    exempt_principals: [AWSControlTowerExecution, OrganizationAccountAccessRole]",
        team_boundaries.join(", ")
    );
    w.push_str("  require_tags_on_create:\n    attach: [Workloads]\n");
    w.push_str("  protect_governance_tags:\n    attach: [Workloads]\n    exempt_principals: [AWSControlTowerExecution]\n");

    // -------------------------------------------------------- boundaries
    w.push_str("\nboundaries:\n  app-team-boundary:\n    description: The most a role created by an app team can ever do\n    allow: [\"s3:*\", \"dynamodb:*\", \"logs:*\", \"cloudwatch:*\"]\n");
    for (t, b) in team_boundaries.iter().enumerate() {
        let services: Vec<String> = rng
            .some(&SERVICE_ACTIONS, 3 + t % 3)
            .into_iter()
            .map(|(s, _)| format!("\"{s}:*\""))
            .collect();
        let _ = writeln!(
            w,
            "  {b}:\n    description: The most any role of the {} team can do\n    allow: [{}, \"logs:*\"]",
            teams[t].kebab,
            services
                .iter()
                .filter(|s| s.as_str() != "\"logs:*\"")
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        );
    }

    // -------------------------------------------------------- delegation
    w.push_str("\ndelegation:\n");
    for (t, team) in teams.iter().take(20).enumerate() {
        let _ = writeln!(
            w,
            "  {}:\n    accounts: [{}]\n    boundary: {}\n    trust: {{principals: [\"permission_set:{}Admin@self\"]}}\n    attachable_policies: [{}, project-data-access]",
            team.kebab,
            team.path(),
            team_boundaries[t],
            team.camel,
            managed[t % managed.len()]
        );
    }
    stats.delegated_teams = 20;

    // -------------------------------------------------------------- ABAC
    w.push_str("\nabac:\n  tag_keys: [Project, DataClass]\n  require_on_create: [ec2:RunInstances, s3:CreateBucket, dynamodb:CreateTable]\n  policies:\n");
    w.push_str("    project-data-access:\n      match_keys: [Project]\n      actions: [s3:GetObject, s3:PutObject, dynamodb:GetItem, dynamodb:Query, dynamodb:PutItem]\n      resources: [\"*\"]\n");
    w.push_str("    project-compute:\n      match_keys: [Project]\n      actions: [ec2:StartInstances, ec2:StopInstances, ec2:RebootInstances]\n      resources: [\"*\"]\n");

    // -------------------------------------------------- Identity Center
    w.push_str("\nidentity_center:\n  access_control_attributes:\n    Project: ${path:enterprise.department}\n  groups:\n");
    let mut team_groups: Vec<[String; 3]> = Vec::new();
    for team in &teams {
        let g = [
            format!("{}-engineers", team.kebab),
            format!("{}-leads", team.kebab),
            format!("{}-oncall", team.kebab),
        ];
        for name in &g {
            let _ = writeln!(
                w,
                "    {name}: {{description: Synchronised from the directory}}"
            );
        }
        team_groups.push(g);
    }
    let platform_groups: Vec<String> = (0..28).map(|k| format!("platform-{k:02}")).collect();
    for g in &platform_groups {
        let _ = writeln!(w, "    {g}: {{description: A platform team}}");
    }
    stats.groups = team_groups.len() * 3 + platform_groups.len();

    w.push_str("  permission_sets:\n");
    let mut team_ps: Vec<Vec<String>> = Vec::new();
    let mut ps_count = 0;
    for team in &teams {
        let c = &team.camel;
        let mut names = Vec::new();
        let _ = writeln!(
            w,
            "    {c}Read: {{description: Read-only, aws_managed: [ReadOnlyAccess], session: PT1H}}"
        );
        names.push(format!("{c}Read"));
        let _ = writeln!(
            w,
            "    {c}Admin:\n      description: Team leads; may assume the team's admin role\n      aws_managed: [ReadOnlyAccess]\n      inline:\n        document:\n          Version: \"2012-10-17\"\n          Statement:\n            - {{Sid: AssumeTeamAdmin, Effect: Allow, Action: sts:AssumeRole, Resource: \"arn:aws:iam::*:role/{}-admin\"}}\n      session: PT1H",
            team.kebab
        );
        names.push(format!("{c}Admin"));
        for role in ["Dev", "Ops", "Data", "Deploy"] {
            let aws: Vec<&str> = rng.some_n(&AWS_MANAGED, 1, 3);
            let cm = rng.some_n(&managed, 0, 3);
            let mut cm: Vec<String> = cm;
            if role == "Data" {
                cm.push("project-data-access".to_string());
            }
            let _ = write!(
                w,
                "    {c}{role}:\n      description: {role} for the {} team\n      aws_managed: [{}]\n",
                team.kebab,
                aws.join(", ")
            );
            if !cm.is_empty() {
                let _ = writeln!(w, "      customer_managed: [{}]", cm.join(", "));
            }
            w.push_str("      session: PT1H\n");
            names.push(format!("{c}{role}"));
        }
        ps_count += names.len();
        team_ps.push(names);
    }
    let mut platform_ps = Vec::new();
    while ps_count < 200 {
        let k = platform_ps.len();
        let base = PLATFORM_MANAGED[k % PLATFORM_MANAGED.len()];
        let short = base.rsplit('/').next().unwrap_or(base);
        let name = format!("P{k:02}{}", &short[..short.len().min(24)]);
        let extra = rng.some_n(&AWS_MANAGED, 0, 2);
        let mut aws = vec![base];
        aws.extend(extra.iter().filter(|e| **e != base));
        let _ = write!(
            w,
            "    {name}:\n      description: Platform role {k}\n      aws_managed: [{}]\n      session: PT1H\n",
            aws.join(", ")
        );
        if k % 5 == 2 {
            let _ = writeln!(
                w,
                "      inline:\n        document:\n          Version: \"2012-10-17\"\n          Statement:\n            - Sid: DenyOutsideBusinessHours\n              Effect: Deny\n              Action: [\"iam:Delete*\", \"iam:Detach*\"]\n              Resource: \"*\"\n              Condition:\n                BoolIfExists: {{aws:MultiFactorAuthPresent: \"false\"}}"
            );
        }
        platform_ps.push(name);
        ps_count += 1;
    }
    stats.permission_sets = ps_count;

    // assignments: fixed ones first (the delegation trust and the tests need
    // them), then random (group, permission set, OU) triples, all distinct
    w.push_str("  assignments:\n");
    let mut seen: BTreeSet<(String, String, String)> = BTreeSet::new();
    let mut assignments: Vec<(String, String, String)> = Vec::new();
    for (t, team) in teams.iter().enumerate() {
        for (g, ps) in [(1, 1), (0, 0)] {
            let a = (
                team_groups[t][g].clone(),
                team_ps[t][ps].clone(),
                team.path(),
            );
            seen.insert(a.clone());
            assignments.push(a);
        }
    }
    let platform_read: Vec<String> = platform_ps
        .iter()
        .filter(|p| p.contains("SecurityAudit") || p.contains("ViewOnly") || p.contains("Billing"))
        .cloned()
        .collect();
    let platform_ous = [
        "Security",
        "Infrastructure",
        "Infrastructure/Network",
        "Infrastructure/Shared",
        "PolicyStaging",
    ];
    while assignments.len() < 2000 {
        let r = rng.below(100);
        let a = if r < 55 {
            (
                rng.pick(&platform_groups).clone(),
                rng.pick(&platform_ps).clone(),
                rng.pick(&platform_ous).to_string(),
            )
        } else {
            let (t, target) = if r < 90 {
                let e = rng.pick(&envs);
                (e.team, e.path.clone())
            } else if r < 98 {
                let t = rng.below(teams.len());
                (t, teams[t].path())
            } else {
                let t = rng.below(teams.len());
                (t, format!("Workloads/{}", BUS[teams[t].bu]))
            };
            let group = if rng.below(5) == 0 {
                rng.pick(&platform_groups).clone()
            } else {
                rng.pick(&team_groups[t]).clone()
            };
            let ps = if rng.below(5) == 0 {
                // read-only platform sets: administrators stay out of workloads
                rng.pick(&platform_read).clone()
            } else {
                rng.pick(&team_ps[t]).clone()
            };
            (group, ps, target)
        };
        if seen.insert(a.clone()) {
            assignments.push(a);
        }
    }
    for (g, ps, target) in &assignments {
        let _ = writeln!(
            w,
            "    - {{group: {g}, permission_set: {ps}, targets: [{target}]}}"
        );
    }
    stats.assignments = assignments.len();

    // expanded: accounts below each target, (group, ps, account) distinct
    let accounts_below = |target: &str| -> Vec<String> {
        let fixed: &[&str] = match target {
            "Security" => &["log-archive", "audit", "security-tooling"],
            "Infrastructure" => &[
                "network-hub",
                "dns",
                "ci-cd",
                "shared-services",
                "artifacts",
            ],
            "Infrastructure/Network" => &["network-hub", "dns"],
            "Infrastructure/Shared" => &["ci-cd", "shared-services", "artifacts"],
            "PolicyStaging" => &["policy-staging"],
            _ => &[],
        };
        let prefix = format!("{target}/");
        fixed
            .iter()
            .map(|s| s.to_string())
            .chain(
                envs.iter()
                    .filter(|e| e.path == target || e.path.starts_with(&prefix))
                    .flat_map(|e| e.accounts.iter().cloned()),
            )
            .collect()
    };
    let mut expanded: BTreeSet<(&str, &str, String)> = BTreeSet::new();
    for (g, ps, target) in &assignments {
        for a in accounts_below(target) {
            expanded.insert((g, ps, a));
        }
    }
    stats.account_assignments = expanded.len();

    // ------------------------------------------------------------- roles
    w.push_str("\nroles:\n");
    w.push_str("  cspm-scanner:\n    description: The third-party posture scanner, read-only behind an external id\n    accounts: [Workloads, Infrastructure, Security]\n    trust:\n      aws: [\"arn:aws:iam::999988887777:role/cspm-scanner\"]\n      external_id: scale-cspm-7f3a\n    aws_managed: [SecurityAudit]\n    max_session: PT1H\n");
    w.push_str("  github-deployer:\n    description: CI deploys from the main branch\n    accounts: [ci-cd]\n    trust:\n      oidc:\n        provider: token.actions.githubusercontent.com\n        subjects: [\"repo:scale/platform:ref:refs/heads/main\"]\n    customer_managed: [mp-ecs-04]\n    max_session: PT1H\n");

    // --------------------------------------------------------- break-glass
    w.push_str("\nbreak_glass:\n  users:\n    breakglass-platform: {description: Platform lead; hardware MFA in the safe}\n    breakglass-security: {description: Security lead; hardware MFA in the safe}\n");

    // -------------------------------------------------------------- tests
    let first_prod = envs
        .iter()
        .find(|e| e.env == "prod" && e.team == 0)
        .and_then(|e| e.accounts.first())
        .cloned()
        .unwrap_or_default();
    let c0 = &teams[0].camel;
    let _ = write!(
        w,
        "\ntests:\n  - name: the region lock pins workloads to the allowed regions\n    as: permission_set:{c0}Read@{first_prod}\n    action: ec2:DescribeInstances\n    context: {{aws:RequestedRegion: ap-southeast-2}}\n    expect: explicit-deny\n  - name: nobody in a workload account stops the org trail\n    as: permission_set:{c0}Read@{first_prod}\n    action: cloudtrail:StopLogging\n    context: {{aws:RequestedRegion: us-east-1}}\n    expect: deny\n  - name: break-glass admins keep full access\n    as: user:breakglass-platform\n    action: iam:CreateRole\n    context: {{aws:RequestedRegion: us-east-1, aws:MultiFactorAuthPresent: \"true\"}}\n    expect: allow\n"
    );

    Generated { yaml: y, stats }
}
