//! # LF751: governance tags can be removed or overwritten
//!
//! ## What it does
//! In every group of accounts where a principal holds an ABAC policy, asks
//! the engine whether a role that may do everything can remove a governance
//! tag (the `Untag…`/`Delete…Tags` action of each service the ABAC policies
//! and the tag-on-create rule cover, with `aws:TagKeys` naming the key) or
//! overwrite it on a resource that already carries it. Both should be denied
//! by an SCP.
//!
//! ## Why is this bad?
//! ABAC's safety depends on tags being unforgeable by the principals they
//! govern: whoever can retag a resource to their own `Project` reads it.
//!
//! ## Example
//! ```yaml
//! abac:
//!   tag_keys: [Project]
//!   policies: {project-data: {match_keys: [Project], actions: ["dynamodb:GetItem"]}}
//! guardrails:
//!   require_tags_on_create: {attach: [Workloads]}
//!   # no protect_governance_tags
//! ```
//!
//! ## How to fix
//! Attach `guardrails.protect_governance_tags` wherever the ABAC policies are
//! used.
//!
//! ## Seeds
//! `002_…` "Step 2 — ABAC" ("deny `*:Untag*` on governance tags"), best
//! practice "Enforce tags before you rely on ABAC", security note "Protect
//! governance tags", the security-controls table ("ABAC on enforced tags").

use std::collections::BTreeSet;

use super::abac::{abac_accounts, abac_policies, tag_keys};
use super::abac_untagged_create::DEFAULT_CREATE_ACTIONS;
use super::probes::{allowed_actions, probe_explain};
use super::{Check, Cx, at, list, trace_note};
use crate::catalog::{AccessLevel, catalog};
use crate::diagnostics::Severity;
use crate::policy::eval::Decision;
use crate::principals::Query;

pub(crate) const CHECK: Check = Check {
    code: "LF751",
    name: "abac-tags-unprotected",
    severity: Severity::Warning,
    summary: "where ABAC policies are used, governance tags can be removed or overwritten",
    source: include_str!("abac_untag.rs"),
    run,
};

/// A service's tag-removing and tag-writing actions.
fn tagging(service: &str) -> (Option<String>, Option<String>) {
    let Some(s) = catalog().service(service) else {
        return (None, None);
    };
    let mut untag = None;
    let mut tag = None;
    for a in s.actions() {
        if a.access_level != AccessLevel::Tagging {
            continue;
        }
        let full = format!("{}:{}", s.prefix, a.name);
        if untag.is_none() && (a.name.starts_with("Untag") || a.name == "DeleteTags") {
            untag = Some(full);
        } else if tag.is_none() && (a.name == "TagResource" || a.name == "CreateTags") {
            tag = Some(full);
        }
    }
    (untag, tag)
}

fn run(cx: &mut Cx<'_>) {
    let abac = abac_policies(cx);
    if abac.is_empty() {
        return;
    }
    let accounts = abac_accounts(cx, &abac);
    let keys = tag_keys(cx, &abac);
    let docs: Vec<_> = abac.iter().map(|id| cx.engine.document(*id)).collect();
    let mut services: BTreeSet<String> = BTreeSet::new();
    for a in allowed_actions(&docs).unwrap_or_default() {
        if let Some((s, _)) = a.split_once(':') {
            services.insert(s.to_ascii_lowercase());
        }
    }
    let creates: Vec<String> = if cx.intent.require_on_create.is_empty() {
        DEFAULT_CREATE_ACTIONS
            .iter()
            .map(|s| (*s).to_string())
            .collect()
    } else {
        cx.intent.require_on_create.clone()
    };
    for a in &creates {
        if let Some((s, _)) = a.split_once(':') {
            services.insert(s.to_ascii_lowercase());
        }
    }
    for class in cx.classes() {
        if !class.accounts.iter().any(|a| accounts.contains(a)) {
            continue;
        }
        let account = class.representative;
        let mut open = Vec::new();
        let mut first = None;
        for service in &services {
            let (untag, tag) = tagging(service);
            for key in &keys {
                let mut probes = Vec::new();
                if let Some(u) = &untag {
                    probes.push((format!("`{u}` of `{key}`"), u.clone()));
                }
                if let Some(t) = &tag {
                    probes.push((format!("`{t}` overwriting `{key}`"), t.clone()));
                }
                for (what, action) in probes {
                    let q = Query::new(action, "*")
                        .with_all("aws:TagKeys", &[key.as_str()])
                        .with(&format!("aws:ResourceTag/{key}"), "landform")
                        .with(&format!("aws:RequestTag/{key}"), "landform-other");
                    let ev = probe_explain(cx.engine, account, &q);
                    if ev.decision == Decision::Allow {
                        open.push(what);
                        if first.is_none() {
                            first = Some(ev);
                        }
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
                    "in {}, where ABAC policies are used, governance tags are not protected, allowed: {}",
                    class.name,
                    list(&open, 4)
                ),
                &class.origin,
            )
            .with_help("attach `guardrails.protect_governance_tags` to these accounts");
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
