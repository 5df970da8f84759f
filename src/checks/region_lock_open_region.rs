//! # LF711: the region lock leaves a regional action open outside the allowed regions
//!
//! ## What it does
//! For every group of member accounts under an SCP that restricts
//! `aws:RequestedRegion`, picks a region outside the allowed ones and asks
//! the engine whether common regional actions (`ec2:RunInstances`,
//! `s3:CreateBucket`, `dynamodb:CreateTable`, `lambda:CreateFunction`,
//! `rds:CreateDBInstance`, …) are denied there for a role that may do
//! everything.
//!
//! ## Why is this bad?
//! A region lock that exempts too much (an `exempt_actions` entry like
//! `ec2:*`, a `NotAction` that lists a regional service, an exempted
//! principal pattern that matches every role) silently lets workloads run in
//! regions nobody watches — the lock exists on paper only.
//!
//! ## Example
//! ```yaml
//! guardrails:
//!   region_lock:
//!     allowed: [ap-south-1]
//!     exempt_actions: ["ec2:*"]     # every EC2 action works in every region
//!     attach: [Root]
//! ```
//!
//! ## How to fix
//! Exempt only global services and the few actions that must work
//! everywhere; keep regional services pinned.
//!
//! ## Seeds
//! `000_…` "The region-lock gotcha" ("Global services keep working, regional
//! ones are pinned"), `000_…` troubleshooting row 11 ("a guardrail you
//! assumed exists doesn't block").

use super::probes::{probe_explain, region_locks, region_outside};
use super::{Check, Cx, at, list, trace_note};
use crate::diagnostics::Severity;
use crate::policy::eval::Decision;
use crate::principals::Query;

pub(crate) const CHECK: Check = Check {
    code: "LF711",
    name: "region-lock-open-region",
    severity: Severity::Error,
    summary: "a regional action is allowed outside the regions a region lock allows",
    source: include_str!("region_lock_open_region.rs"),
    run,
};

const REGIONAL_PROBES: &[&str] = &[
    "ec2:RunInstances",
    "ec2:DescribeInstances",
    "s3:CreateBucket",
    "dynamodb:CreateTable",
    "lambda:CreateFunction",
    "rds:CreateDBInstance",
    "sqs:CreateQueue",
    "ecs:CreateCluster",
];

fn run(cx: &mut Cx<'_>) {
    let locks = region_locks(cx.org, cx.engine);
    for class in cx.classes() {
        let account = class.representative;
        let on_path = cx.scps_on_path(account);
        let path_locks: Vec<_> = locks
            .iter()
            .filter(|l| on_path.contains(&l.policy))
            .collect();
        let Some(lock) = path_locks.first() else {
            continue;
        };
        // a region every lock on the path rejects
        let mut allowed: Vec<String> = Vec::new();
        for l in &path_locks {
            allowed.extend(l.allowed.iter().cloned());
        }
        let Some(region) = region_outside(&allowed) else {
            continue;
        };
        let mut open = Vec::new();
        let mut first = None;
        for action in REGIONAL_PROBES {
            let ev = probe_explain(
                cx.engine,
                account,
                &Query::new(*action, "*").with("aws:RequestedRegion", region),
            );
            if ev.decision == Decision::Allow {
                open.push(format!("`{action}`"));
                if first.is_none() {
                    first = Some(ev);
                }
            }
        }
        if open.is_empty() {
            continue;
        }
        let policy = cx.org.policy(lock.policy);
        let mut d = cx
            .diag(
                &CHECK,
                format!(
                    "in {}, {} work in `{region}` although SCP `{}` allows only {}",
                    class.name,
                    list(&open, 5),
                    policy.name,
                    list(&lock.allowed.iter().map(|r| format!("`{r}`")).collect::<Vec<_>>(), 5)
                ),
                &cx.policy_origin(lock.policy, "region"),
            )
            .with_help("exempt only global services and the actions that must work everywhere; keep regional services pinned");
        d = at(d, &class.origin, "accounts affected", &cx.org.blueprint);
        if let Some(ev) = first {
            d = d.with_note(trace_note(&ev));
        }
        cx.push(d);
    }
}
