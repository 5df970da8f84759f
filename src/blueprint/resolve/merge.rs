//! Merging the guardrails attached to one target into as few SCPs as fit.
//!
//! AWS allows five SCPs per root, OU or account, and the default
//! `FullAWSAccess` takes one of the slots; one SCP per guardrail would run out
//! after four (`000_…`, "Organizations limits": "Keep guardrails consolidated,
//! not sprawling"; AWS Control Tower consolidates its controls per OU the same
//! way). The guardrails of a target go into one document, in a fixed order, and
//! only when the minified document would pass 5,120 characters does the next
//! guardrail start a second document. A single guardrail is never split.

use serde_json::Value;

use super::doc::{Statement, counted_chars, document};
use crate::org::Origin;

/// The statements of one guardrail, with the blueprint construct that wrote it.
#[derive(Debug, Clone)]
pub struct GuardrailPart {
    pub origin: Origin,
    pub statements: Vec<Statement>,
}

/// One merged document and the guardrails in it, in statement order.
#[derive(Debug, Clone)]
pub struct MergedDocument {
    pub document: Value,
    pub parts: Vec<Origin>,
}

/// Renames a statement id that is already taken in the document
/// (`DenyRootUser` → `DenyRootUser2`); statement ids should be unique.
fn unique_sid(taken: &[String], sid: &str) -> String {
    if sid.is_empty() || !taken.iter().any(|t| t == sid) {
        return sid.to_string();
    }
    let mut n = 2;
    loop {
        let candidate = format!("{sid}{n}");
        if !taken.contains(&candidate) {
            return candidate;
        }
        n += 1;
    }
}

/// Packs `parts` (already in their fixed order) into documents of at most
/// `limit` counted characters each.
pub fn merge_parts(parts: &[GuardrailPart], limit: usize) -> Vec<MergedDocument> {
    let mut out: Vec<MergedDocument> = Vec::new();
    let mut current: Vec<Statement> = Vec::new();
    let mut current_parts: Vec<Origin> = Vec::new();
    for part in parts {
        if part.statements.is_empty() {
            continue;
        }
        let mut candidate = current.clone();
        let mut taken: Vec<String> = candidate.iter().map(|s| s.sid.clone()).collect();
        for s in &part.statements {
            let mut s = s.clone();
            s.sid = unique_sid(&taken, &s.sid);
            taken.push(s.sid.clone());
            candidate.push(s);
        }
        if !current.is_empty() && counted_chars(&document(&candidate)) > limit {
            out.push(MergedDocument {
                document: document(&current),
                parts: std::mem::take(&mut current_parts),
            });
            current = part.statements.clone();
        } else {
            current = candidate;
        }
        current_parts.push(part.origin.clone());
    }
    if !current.is_empty() {
        out.push(MergedDocument {
            document: document(&current),
            parts: current_parts,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::guardrails::{
        RegionLock, default_global_exemptions, deny_leave_organization, deny_member_root,
        protect_audit_trail, region_lock,
    };
    use super::*;

    fn part(construct: &str, statements: Vec<Statement>) -> GuardrailPart {
        GuardrailPart {
            origin: Origin::new(construct, None),
            statements,
        }
    }

    fn lock(extra: usize) -> Vec<Statement> {
        region_lock(&RegionLock {
            allowed_regions: vec!["ap-south-1".into()],
            global_services: default_global_exemptions(),
            exempt_actions: (0..extra)
                .map(|i| format!("svc{i}:DoSomething{i}"))
                .collect(),
            exempt_principals: vec![],
        })
    }

    #[test]
    fn small_guardrails_share_one_document() {
        let parts = vec![
            part(
                "guardrails.deny_leave_organization",
                deny_leave_organization(&[]),
            ),
            part("guardrails.deny_member_root", deny_member_root(&[])),
            part(
                "guardrails.protect_audit_trail",
                protect_audit_trail(&[], true),
            ),
            part("guardrails.region_lock", lock(0)),
        ];
        let merged = merge_parts(&parts, 5120);
        assert_eq!(merged.len(), 1);
        assert_eq!(merged[0].parts.len(), 4);
        assert_eq!(
            merged[0].document["Statement"].as_array().map(Vec::len),
            Some(5)
        );
        assert!(counted_chars(&merged[0].document) <= 5120);
    }

    #[test]
    fn a_guardrail_that_does_not_fit_starts_a_new_document() {
        let parts = vec![
            part(
                "guardrails.deny_leave_organization",
                deny_leave_organization(&[]),
            ),
            part("guardrails.region_lock", lock(200)),
            part("guardrails.deny_member_root", deny_member_root(&[])),
        ];
        let merged = merge_parts(&parts, 5120);
        let constructs: Vec<Vec<&str>> = merged
            .iter()
            .map(|m| m.parts.iter().map(|p| p.construct.as_str()).collect())
            .collect();
        assert_eq!(
            constructs,
            vec![
                vec!["guardrails.deny_leave_organization"],
                vec!["guardrails.region_lock"],
                vec!["guardrails.deny_member_root"],
            ]
        );
        // a single oversized guardrail stays whole (the size check reports it)
        assert!(counted_chars(&merged[1].document) > 5120);
        assert!(counted_chars(&merged[0].document) <= 5120);
    }

    #[test]
    fn duplicate_sids_are_renamed() {
        let parts = vec![
            part("a", deny_member_root(&[])),
            part("b", deny_member_root(&[])),
        ];
        let merged = merge_parts(&parts, 5120);
        let sids: Vec<_> = merged[0].document["Statement"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["Sid"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(sids, vec!["DenyRootUser", "DenyRootUser2"]);
    }
}
