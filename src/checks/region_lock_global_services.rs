//! # LF710: the region lock blocks global services
//!
//! ## What it does
//! For every group of member accounts under an SCP that restricts
//! `aws:RequestedRegion`, asks the engine whether the global services — IAM,
//! STS, Organizations, Route 53, CloudFront, Support, which are served from
//! `us-east-1` — still work in `us-east-1`: each probe action is made by a
//! role that may do everything, once in `us-east-1` and once in an allowed
//! region. An action that works in the allowed region but is denied in
//! `us-east-1` is reported with the engine's trace.
//!
//! ## Why is this bad?
//! IAM, STS and the other global services authenticate through `us-east-1`.
//! A region lock that does not exempt them denies `iam:CreateRole`,
//! `sts:AssumeRole` and `organizations:Describe*` everywhere: the console
//! breaks and nobody in the OU can manage IAM.
//!
//! ## Example
//! ```yaml
//! policies:
//!   scp:
//!     region-lock:            # a hand-written lock without NotAction
//!       document:
//!         Version: "2012-10-17"
//!         Statement:
//!           - Effect: Deny
//!             Action: "*"
//!             Resource: "*"
//!             Condition: {StringNotEquals: {aws:RequestedRegion: [ap-south-1]}}
//! ```
//!
//! ## How to fix
//! Use `guardrails.region_lock`, which exempts the global services, or add
//! `NotAction: [iam:*, sts:*, organizations:*, route53:*, cloudfront:*, support:*]`
//! to the deny statement.
//!
//! ## Seeds
//! `000_…` troubleshooting row 5 ("IAM/STS/Route 53 calls denied after a
//! region SCP"), "The region-lock gotcha", best practice "Exempt global
//! services in any region-lock SCP", quick-check question 5.

use super::probes::{PROBE_ROLE, probe_decide, probe_explain, region_locks};
use super::{Check, Cx, at, list, trace_note};
use crate::diagnostics::Severity;
use crate::policy::eval::Decision;
use crate::principals::{Query, role_arn};

pub(crate) const CHECK: Check = Check {
    code: "LF710",
    name: "region-lock-blocks-global-services",
    severity: Severity::Error,
    summary: "a region restriction denies global services (IAM, STS, Organizations, …) in us-east-1",
    source: include_str!("region_lock_global_services.rs"),
    run,
};

/// Global-service actions and whether the resource is a role of the account.
const GLOBAL_PROBES: &[(&str, bool)] = &[
    ("iam:CreateRole", true),
    ("iam:ListRoles", false),
    ("sts:GetSessionToken", false),
    ("sts:AssumeRole", true),
    ("organizations:DescribeOrganization", false),
    ("route53:ListHostedZones", false),
    ("cloudfront:ListDistributions", false),
    ("support:DescribeCases", false),
];

fn run(cx: &mut Cx<'_>) {
    let locks = region_locks(cx.org, cx.engine);
    if locks.is_empty() {
        return;
    }
    for class in cx.classes() {
        let account = class.representative;
        let on_path = cx.scps_on_path(account);
        let Some(lock) = locks.iter().find(|l| on_path.contains(&l.policy)) else {
            continue;
        };
        if lock.allowed.iter().any(|r| r == "us-east-1") {
            continue;
        }
        let allowed_region = lock
            .allowed
            .iter()
            .find(|r| !r.contains(['*', '?']))
            .cloned()
            .unwrap_or_else(|| cx.org.home_region.clone());
        let acct = cx.engine.account_id(account).to_string();
        let mut broken = Vec::new();
        let mut first_trace = None;
        for (action, on_role) in GLOBAL_PROBES {
            let resource = if *on_role {
                role_arn(&acct, "/", PROBE_ROLE)
            } else {
                "*".to_string()
            };
            let q = |region: &str| {
                Query::new(*action, resource.clone()).with("aws:RequestedRegion", region)
            };
            // sts:AssumeRole needs a trust policy: only the SCP gates matter,
            // so compare the decisions in both regions
            let home = probe_decide(cx.engine, account, &q(&allowed_region));
            let east = probe_explain(cx.engine, account, &q("us-east-1"));
            if east.decision != home && home == Decision::Allow
                || (*action == "sts:AssumeRole" && east.decision == Decision::ExplicitDeny)
            {
                broken.push(format!("`{action}`"));
                if first_trace.is_none() {
                    first_trace = Some(east);
                }
            }
        }
        if broken.is_empty() {
            continue;
        }
        let policy = cx.org.policy(lock.policy);
        let mut d = cx
            .diag(
                &CHECK,
                format!(
                    "in {}, SCP `{}` denies global services in `us-east-1`: {}",
                    class.name,
                    policy.name,
                    list(&broken, 6)
                ),
                &cx.policy_origin(lock.policy, "region"),
            )
            .with_help(
                "exempt the global services with `NotAction: [iam:*, sts:*, organizations:*, route53:*, cloudfront:*, support:*]` \
                 (`guardrails.region_lock` does this by default)",
            );
        d = at(d, &class.origin, "accounts affected", &cx.org.blueprint);
        if let Some(ev) = first_trace {
            d = d.with_note(trace_note(&ev));
        }
        cx.push(d);
    }
}
