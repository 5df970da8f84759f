//! # LF702: a policy names the organization id literally
//!
//! ## What it does
//! Reports policy documents that compare an organization-id condition key
//! (`aws:PrincipalOrgID`, `aws:ResourceOrgID`, `aws:SourceOrgID`) with a
//! literal `o-…` id instead of the placeholder `{{landform:org_id}}`.
//!
//! ## Why is this bad?
//! The organization id exists only after the organization is created. A
//! literal is either copied from another organization or guessed; if it is
//! wrong, a data-perimeter RCP denies every request of the organization's own
//! principals, and a trust condition admits nobody. landform's engine
//! evaluates with a synthetic id, so every check and test involving the
//! policy sees the literal as "another organization".
//!
//! ## Example
//! ```yaml
//! policies:
//!   rcp:
//!     data-perimeter:
//!       document:
//!         Statement:
//!           - Effect: Deny
//!             Principal: "*"
//!             Action: "s3:*"
//!             Resource: "*"
//!             Condition: {StringNotEqualsIfExists: {aws:PrincipalOrgID: o-northwind1}}
//! ```
//!
//! ## How to fix
//! Write `{{landform:org_id}}`: the Terraform and CLI renderers fill in the
//! real id at deploy time, and the engine uses the same id everywhere.
//!
//! ## Seeds
//! `000_…` "Conditions that harden a trust policy" (`aws:PrincipalOrgID`:
//! "Caller must be in your org"); `002_…` security note "Encrypt and
//! perimeter the data the roles reach".

use super::probes::{conditions, statements};
use super::{Check, Cx};
use crate::diagnostics::Severity;

pub(crate) const CHECK: Check = Check {
    code: "LF702",
    name: "hardcoded-organization-id",
    severity: Severity::Warning,
    summary: "a policy compares an organization-id key with a literal id instead of {{landform:org_id}}",
    source: include_str!("hardcoded_org_id.rs"),
    run,
};

const KEYS: &[&str] = &["aws:principalorgid", "aws:resourceorgid", "aws:sourceorgid"];

fn run(cx: &mut Cx<'_>) {
    let mut seen = std::collections::BTreeSet::new();
    for p in &cx.org.policies {
        let doc = &p.document;
        let mut literals = Vec::new();
        for st in statements(doc) {
            for (_, key, values) in conditions(st) {
                if !KEYS.contains(&key.to_ascii_lowercase().as_str()) {
                    continue;
                }
                for v in values {
                    if v.starts_with("o-")
                        && !v.contains("{{landform:")
                        && !literals.contains(&(key.clone(), v.clone()))
                    {
                        literals.push((key.clone(), v));
                    }
                }
            }
        }
        for (key, value) in literals {
            if !seen.insert((p.origin.construct.clone(), value.clone())) {
                continue;
            }
            let d = cx
                .diag(
                    &CHECK,
                    format!(
                        "policy `{}` compares `{key}` with the literal organization id `{value}`",
                        p.name
                    ),
                    &p.origin,
                )
                .with_help("write `{{landform:org_id}}`: the renderers fill in the real id, and the engine evaluates with the same id everywhere")
                .with_note(format!(
                    "the engine evaluates the organization as `{}`, so this condition treats the organization's own principals as outsiders",
                    cx.engine.ids().org_id
                ));
            cx.push(d);
        }
    }
}
