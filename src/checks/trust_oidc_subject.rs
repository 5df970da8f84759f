//! # LF723: an OIDC trust does not pin the subject
//!
//! ## What it does
//! For each role trusted through an OIDC provider (GitHub Actions, EKS, …),
//! asks the engine whether `sts:AssumeRoleWithWebIdentity` succeeds with a
//! token whose `sub` claim names somebody else: another organization's
//! repository, another repository of the same owner, another branch or a
//! pull request of the pinned repository.
//!
//! ## Why is this bad?
//! Every GitHub repository can get a token from
//! `token.actions.githubusercontent.com`. A trust that checks only the `aud`
//! claim — or matches `sub` with a wildcard — lets any repository (or any
//! branch, or any pull request) assume the deploy role: a cross-tenant hole.
//!
//! ## Example
//! ```yaml
//! roles:
//!   deployer:
//!     accounts: [ci-cd]
//!     trust:
//!       oidc:
//!         provider: token.actions.githubusercontent.com
//!         subjects: ["repo:northwind/*"]     # every repository, branch and PR
//! ```
//!
//! ## How to fix
//! Pin the exact subject: `repo:OWNER/NAME:ref:refs/heads/main` (or an
//! environment, `repo:OWNER/NAME:environment:prod`).
//!
//! ## Seeds
//! `002_…` troubleshooting row 11 ("OIDC deploy role assumable by another
//! repo"), best practice "Lock OIDC trust policies to the exact subject",
//! security note "Constrain trust policies".

use super::trust::{condition_values, oidc_statements};
use super::{Check, Cx, trace_note};
use crate::diagnostics::Severity;
use crate::policy::eval::{Decision, PolicySet, explain};
use crate::principals::{PrincipalInfo, Query};

pub(crate) const CHECK: Check = Check {
    code: "LF723",
    name: "trust-oidc-subject-not-pinned",
    severity: Severity::Error,
    summary: "an OIDC trust lets tokens of other repositories, branches or pull requests assume the role",
    source: include_str!("trust_oidc_subject.rs"),
    run,
};

/// `sub` values that belong to somebody else, given the pinned ones.
fn foreign_subjects(host: &str, pinned: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    if host.contains("githubusercontent.com") {
        out.push("repo:landform-probe/not-yours:ref:refs/heads/main".to_string());
        if let Some(first) = pinned.iter().find(|s| s.starts_with("repo:")) {
            let repo = first.trim_start_matches("repo:");
            let (full, _) = repo.split_once(':').unwrap_or((repo, ""));
            if let Some((owner, name)) = full.split_once('/') {
                if !owner.contains('*') {
                    out.push(format!("repo:{owner}/landform-probe:ref:refs/heads/main"));
                }
                if !owner.contains('*') && !name.contains('*') {
                    out.push(format!("repo:{owner}/{name}:pull_request"));
                    out.push(format!("repo:{owner}/{name}:ref:refs/heads/landform-probe"));
                }
            }
        }
    } else {
        out.push("system:serviceaccount:landform-probe:not-yours".to_string());
        out.push("landform-probe".to_string());
    }
    out.retain(|s| !pinned.contains(s));
    out
}

fn run(cx: &mut Cx<'_>) {
    for role in &cx.org.roles {
        let doc = cx.engine.document(role.trust);
        for (provider, st) in oidc_statements(&doc) {
            let host = provider
                .split_once(":oidc-provider/")
                .map_or(provider.as_str(), |(_, h)| h)
                .to_string();
            let aud = condition_values(&st, &format!("{host}:aud"))
                .into_iter()
                .next()
                .unwrap_or_else(|| "sts.amazonaws.com".to_string());
            let pinned = condition_values(&st, &format!("{host}:sub"));
            let who = PrincipalInfo {
                display: provider.clone(),
                account: role.account,
                arn: provider.clone(),
                principal_arn: provider.clone(),
                tags: Default::default(),
            };
            let arn = super::trust::arn_of(cx.engine, role);
            for sub in foreign_subjects(&host, &pinned) {
                let q = Query::new("sts:AssumeRoleWithWebIdentity", arn.clone())
                    .with(&format!("{host}:aud"), aud.clone())
                    .with(&format!("{host}:sub"), sub.clone());
                let mut set = PolicySet::default();
                let req = cx.engine.request(&who, &q);
                cx.engine.add_resource_side(&mut set, &req);
                let ev = explain(&set, &req);
                if ev.decision != Decision::Allow {
                    continue;
                }
                let d = cx
                    .diag(
                        &CHECK,
                        format!(
                            "role `{}` in account `{}` can be assumed with an OIDC token for `{sub}`",
                            role.name,
                            cx.org.account(role.account).name
                        ),
                        &role.origin,
                    )
                    .with_help("pin the exact subject, e.g. `repo:OWNER/NAME:ref:refs/heads/main`")
                    .with_note(trace_note(&ev));
                cx.push(d);
                break;
            }
        }
    }
}
