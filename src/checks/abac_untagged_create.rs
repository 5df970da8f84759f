//! # LF750: resources can be created without the governance tags
//!
//! ## What it does
//! In every group of accounts where a principal holds an ABAC policy (one
//! that grants when `aws:ResourceTag/K` equals `${aws:PrincipalTag/K}`), asks
//! the engine whether a role that may do everything can create a resource
//! (`abac.require_on_create`, by default `ec2:RunInstances`,
//! `s3:CreateBucket`, `dynamodb:CreateTable`) while leaving out one of the
//! governance tags. It should be denied by an SCP.
//!
//! ## Why is this bad?
//! ABAC only works on tagged resources. An untagged resource matches no
//! principal's tag, so the ABAC policy silently grants nothing on it — and
//! whoever created it keeps access through other means, outside the model.
//!
//! ## Example
//! ```yaml
//! abac:
//!   tag_keys: [Project]
//!   policies: {project-data: {match_keys: [Project], actions: ["s3:GetObject"]}}
//! guardrails: {}          # no require_tags_on_create: buckets can be created untagged
//! ```
//!
//! ## How to fix
//! Attach `guardrails.require_tags_on_create` wherever the ABAC policies are
//! used.
//!
//! ## Seeds
//! `002_…` "Step 2 — ABAC" ("ABAC only works if tagging is enforced, not
//! requested", the `Null` SCP), best practice "Enforce tags before you rely
//! on ABAC", troubleshooting row 4 (resource untagged), RBAC vs ABAC ("Risk
//! if tagging is weak").

use super::abac::{abac_accounts, abac_policies, tag_keys};
use super::probes::probe_explain;
use super::{Check, Cx, at, list, trace_note};
use crate::diagnostics::Severity;
use crate::policy::eval::Decision;
use crate::principals::Query;

pub(crate) const CHECK: Check = Check {
    code: "LF750",
    name: "abac-untagged-create",
    severity: Severity::Warning,
    summary: "where ABAC policies are used, resources can be created without a governance tag",
    source: include_str!("abac_untagged_create.rs"),
    run,
};

pub(crate) const DEFAULT_CREATE_ACTIONS: &[&str] = &[
    "ec2:RunInstances",
    "s3:CreateBucket",
    "dynamodb:CreateTable",
];

/// The resource a create action creates, for the probe.
pub(crate) fn created(action: &str, region: &str, account: &str) -> String {
    match action.to_ascii_lowercase().as_str() {
        "ec2:runinstances" => format!("arn:aws:ec2:{region}:{account}:instance/i-0landformprobe"),
        "ec2:createvolume" => format!("arn:aws:ec2:{region}:{account}:volume/vol-0landformprobe"),
        "s3:createbucket" => "arn:aws:s3:::landform-probe-bucket".to_string(),
        "dynamodb:createtable" => {
            format!("arn:aws:dynamodb:{region}:{account}:table/landform-probe")
        }
        "sqs:createqueue" => format!("arn:aws:sqs:{region}:{account}:landform-probe"),
        "lambda:createfunction" => {
            format!("arn:aws:lambda:{region}:{account}:function:landform-probe")
        }
        _ => "*".to_string(),
    }
}

fn run(cx: &mut Cx<'_>) {
    let abac = abac_policies(cx);
    if abac.is_empty() {
        return;
    }
    let accounts = abac_accounts(cx, &abac);
    let keys = tag_keys(cx, &abac);
    let actions: Vec<String> = if cx.intent.require_on_create.is_empty() {
        DEFAULT_CREATE_ACTIONS
            .iter()
            .map(|s| (*s).to_string())
            .collect()
    } else {
        cx.intent.require_on_create.clone()
    };
    let region = cx.org.home_region.clone();
    for class in cx.classes() {
        if !class.accounts.iter().any(|a| accounts.contains(a)) {
            continue;
        }
        let account = class.representative;
        let acct = cx.engine.account_id(account).to_string();
        let mut open = Vec::new();
        let mut first = None;
        for action in &actions {
            for key in &keys {
                let others: Vec<&str> = keys
                    .iter()
                    .filter(|k| *k != key)
                    .map(String::as_str)
                    .collect();
                let mut q = Query::new(action.clone(), created(action, &region, &acct));
                for o in &others {
                    q = q.with(&format!("aws:RequestTag/{o}"), "landform");
                }
                if !others.is_empty() {
                    q = q.with_all("aws:TagKeys", &others);
                }
                let ev = probe_explain(cx.engine, account, &q);
                if ev.decision == Decision::Allow {
                    open.push(format!("`{action}` without `{key}`"));
                    if first.is_none() {
                        first = Some(ev);
                    }
                }
            }
        }
        if open.is_empty() {
            continue;
        }
        let mut d = cx
            .diag(
                &CHECK,
                format!(
                    "in {}, where ABAC policies are used, resources can be created untagged: {}",
                    class.name,
                    list(&open, 4)
                ),
                &class.origin,
            )
            .with_help("attach `guardrails.require_tags_on_create` to these accounts");
        d = at(
            d,
            &cx.org.policy(abac[0]).origin,
            "the ABAC policy",
            &cx.org.blueprint,
        );
        if let Some(ev) = first {
            d = d.with_note(trace_note(&ev));
        }
        cx.push(d);
    }
}
