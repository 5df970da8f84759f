//! Every policy of the compiled organization — user-written and generated —
//! through the engine's policy lint (`landform lint`, Access Analyzer's
//! `validate-policy` offline), reported under the lint's own `PL` codes.
//!
//! A document read from a file is linted as written, and findings point into
//! the file; an inline or generated document is linted as compiled, and
//! findings point at the blueprint lines that produced it, with the element
//! quoted. Lint errors fail the check (exit 1); security warnings and
//! warnings are warnings; suggestions are notes, and are reported for
//! user-written policies only. Findings repeated across the copies of one
//! generated policy (a trust policy per account) are reported once.

use std::collections::BTreeSet;

use super::{Intent, at};
use crate::diagnostics::{Diagnostic, Severity, SourceMap};
use crate::org::{Org, PolicyKind};
use crate::policy::lint::{self, PolicyKind as LintKind};
use crate::principals::OrgEngine;

fn lint_kind(k: PolicyKind) -> LintKind {
    match k {
        PolicyKind::Scp => LintKind::Scp,
        PolicyKind::Rcp => LintKind::Rcp,
        PolicyKind::Boundary => LintKind::Boundary,
        PolicyKind::Trust => LintKind::Trust,
        PolicyKind::Managed | PolicyKind::RoleInline | PolicyKind::PermissionSetInline => {
            LintKind::Identity
        }
    }
}

/// Whether the blueprint's author wrote the document (rather than landform).
fn user_written(construct: &str) -> bool {
    construct.starts_with("policies.") || construct.contains(".inline")
}

/// Lints every policy; returns the diagnostics.
pub fn run(org: &Org, intent: &Intent, sources: &SourceMap) -> Vec<Diagnostic> {
    let engine = OrgEngine::new(org);
    let mut out = Vec::new();
    let mut seen: BTreeSet<(String, String, String)> = BTreeSet::new();
    for p in &org.policies {
        let kind = lint_kind(p.kind);
        let mine = user_written(&p.origin.construct);
        // a document read from a file: lint the file as written
        if let Some(source) = intent.policy_files.get(&p.origin.construct)
            && let Some(file) = sources.get(*source)
        {
            let Ok(findings) = lint::lint_text(&file.text, kind) else {
                continue;
            };
            for f in findings {
                if !mine && f.class.severity() == Severity::Note {
                    continue;
                }
                let d = f.to_diagnostic(*source).with_note(format!(
                    "in policy `{}` ({})",
                    p.name,
                    kind.describe()
                ));
                let key = (
                    d.code.clone(),
                    d.message.clone(),
                    p.origin.construct.clone(),
                );
                if seen.insert(key) {
                    out.push(d);
                }
            }
            continue;
        }
        let doc = engine.document(p.id);
        let text = serde_json::to_string_pretty(&doc).unwrap_or_default();
        let Ok(findings) = lint::lint_text(&text, kind) else {
            // reported by LF700
            continue;
        };
        for f in findings {
            let severity = f.class.severity();
            if !mine && severity == Severity::Note {
                continue;
            }
            let key = (
                f.code.to_string(),
                f.message.clone(),
                p.origin.construct.clone(),
            );
            if !seen.insert(key) {
                continue;
            }
            let excerpt: String = text
                .get(f.range.start as usize..f.range.end as usize)
                .unwrap_or("")
                .chars()
                .take(160)
                .collect();
            let mut d = Diagnostic::new(
                severity,
                f.code,
                format!("policy `{}`: {}", p.name, f.message),
            )
            .with_note(format!("Access Analyzer class: {}", f.class.as_str()));
            if let Some(h) = &f.help {
                d = d.with_help(h.clone());
            }
            if !excerpt.is_empty() {
                d = d.with_note(format!(
                    "in the compiled {}: {}",
                    kind.describe(),
                    excerpt.replace('\n', " ")
                ));
            }
            out.push(at(d, &p.origin, "this policy", &org.blueprint));
        }
    }
    out
}
