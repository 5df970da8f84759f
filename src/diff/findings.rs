//! Findings that appeared or disappeared between base and head.
//!
//! Both sides run every check of `landform check` (and the blueprint's
//! `tests:`). A finding is matched across sides by a key that survives
//! lines moving up or down:
//!
//! - its code and severity,
//! - its message,
//! - the file it points at, relative to the blueprint's directory (so
//!   `origin/main:examples/org.yaml` and `examples/org.yaml` match; the
//!   root blueprints of the two sides match whatever their names),
//! - an anchor: the text under its primary label (whitespace collapsed) —
//!   not its line or column; for a finding without a label, the construct
//!   it names (its `from \`…\`` note).
//!
//! Keys are compared as multisets: two identical findings in base and
//! one in head is one disappeared finding.

use std::collections::HashMap;

use serde::Serialize;

use super::Side;
use crate::diagnostics::render::{JsonDiagnostic, one_line};
use crate::diagnostics::{Diagnostic, Severity, SourceMap};

/// One finding, as reported.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    #[serde(flatten)]
    pub diagnostic: JsonDiagnostic,
    /// `file:line:col: severity[code]: message`.
    #[serde(skip)]
    pub line: String,
}

/// The findings that changed.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FindingsDiff {
    /// In head, not in base (head's locations).
    pub appeared: Vec<Finding>,
    /// In base, not in head (base's locations).
    pub disappeared: Vec<Finding>,
    /// Findings in both.
    pub unchanged: usize,
}

impl FindingsDiff {
    pub fn is_empty(&self) -> bool {
        self.appeared.is_empty() && self.disappeared.is_empty()
    }

    pub fn count(list: &[Finding], severity: Severity) -> usize {
        list.iter()
            .filter(|f| f.diagnostic.severity == severity)
            .count()
    }
}

fn collapse(s: &str) -> String {
    let mut out = String::new();
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
        if out.len() > 200 {
            break;
        }
    }
    out
}

/// The matching key of a diagnostic (see the module documentation).
pub fn key(d: &Diagnostic, sources: &SourceMap, dir_prefix: &str, root_name: &str) -> String {
    let rel = |name: &str| {
        if name == root_name {
            "(blueprint)".to_string()
        } else {
            name.strip_prefix(dir_prefix).unwrap_or(name).to_string()
        }
    };
    let (file, anchor) = match d.primary_span().and_then(|s| {
        let f = sources.get(s.source)?;
        let text = f.text.get(s.start as usize..s.end as usize).unwrap_or("");
        Some((rel(&f.name), collapse(text)))
    }) {
        Some(x) => x,
        None => (
            d.file.as_deref().map(rel).unwrap_or_default(),
            d.notes
                .iter()
                .find(|n| n.starts_with("from `"))
                .cloned()
                .unwrap_or_default(),
        ),
    };
    format!(
        "{}\u{1f}{}\u{1f}{}\u{1f}{file}\u{1f}{anchor}",
        d.code, d.severity, d.message
    )
}

fn finding(d: &Diagnostic, sources: &SourceMap) -> Finding {
    Finding {
        diagnostic: JsonDiagnostic::from_diagnostic(d, sources),
        line: one_line(d, sources),
    }
}

/// Compares the findings of two sides.
pub fn compare(base: &Side, head: &Side) -> FindingsDiff {
    let based: Vec<&Diagnostic> = base.findings.iter().collect();
    let mut by_key: HashMap<String, std::collections::VecDeque<usize>> = HashMap::new();
    for (i, d) in based.iter().enumerate() {
        by_key
            .entry(key(d, &base.sources, &base.dir_prefix, &base.root_name))
            .or_default()
            .push_back(i);
    }
    let mut out = FindingsDiff::default();
    let mut matched = vec![false; based.len()];
    for d in head.findings.iter() {
        let k = key(d, &head.sources, &head.dir_prefix, &head.root_name);
        match by_key.get_mut(&k).and_then(|q| q.pop_front()) {
            Some(i) => {
                matched[i] = true;
                out.unchanged += 1;
            }
            None => out.appeared.push(finding(d, &head.sources)),
        }
    }
    for (i, d) in based.iter().enumerate() {
        if !matched[i] {
            out.disappeared.push(finding(d, &base.sources));
        }
    }
    out
}
