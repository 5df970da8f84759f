//! Diagnostics: what landform says about an input, where, and how to fix it.
//!
//! Every stage (loading, validation, compilation, checks) reports problems as
//! [`Diagnostic`]s. A diagnostic has a stable code, a severity, a one-line
//! message (lowercase, no final period, user input in backticks — the cedar
//! style), an optional help line with the fix, and labelled spans: the first
//! primary label is where the problem is; secondary labels point at related
//! places (the other half of a duplicate, the include that pulled a file in).
//!
//! Codes are `LF` + three digits, grouped by stage:
//!
//! | range  | stage |
//! |--------|-------|
//! | LF0xx  | reading and parsing input (files, YAML, JSON, includes) |
//! | LF1xx  | structure: unknown keys, wrong types, schema |
//! | LF2xx  | references and duplicates |
//! | LF3xx  | AWS limits and naming rules |
//! | LF4xx  | organization design warnings (management account, …) |
//! | LF5xx  | compilation of the blueprint into the organization IR |
//! | LF6xx  | policy lint findings surfaced on blueprint policies |
//! | LF7xx  | engine-backed invariant checks |
//! | LF8xx  | blueprint `tests:` assertions |
//! | LF9xx  | rendering |
//!
//! The policy engine's own lint uses `PL` codes (it knows nothing of blueprints).

pub mod render;
pub mod source;

pub use source::{Location, SourceFile, SourceId, SourceMap, Span};

use std::fmt;

/// How bad a finding is. `Error` means AWS would reject it at deploy time (or the
/// input cannot be used); `Warning` means the seeds call it a bad practice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Note,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A span with a short message shown under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub message: String,
    pub primary: bool,
}

/// One finding about an input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: String,
    pub severity: Severity,
    pub message: String,
    pub help: Option<String>,
    pub labels: Vec<Label>,
    /// Extra lines printed after the source excerpt (a decision trace, a list of
    /// generated statements, …).
    pub notes: Vec<String>,
    /// A file the diagnostic is about when there is no span into it (a file that
    /// could not be read, for instance).
    pub file: Option<String>,
}

impl Diagnostic {
    pub fn new(severity: Severity, code: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            severity,
            message: message.into(),
            help: None,
            labels: Vec::new(),
            notes: Vec::new(),
            file: None,
        }
    }

    pub fn error(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, message)
    }

    pub fn warning(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, code, message)
    }

    /// The primary location: what the diagnostic is about.
    pub fn with_label(mut self, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            span,
            message: message.into(),
            primary: true,
        });
        self
    }

    /// A related location (the first definition of a duplicate, …).
    pub fn with_secondary(mut self, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            span,
            message: message.into(),
            primary: false,
        });
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    pub fn with_file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }

    pub fn primary_span(&self) -> Option<Span> {
        self.labels
            .iter()
            .find(|l| l.primary)
            .or_else(|| self.labels.first())
            .map(|l| l.span)
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// A set of diagnostics from one run, with helpers for exit codes and ordering.
#[derive(Debug, Clone, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.items.iter()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.items.iter().filter(|d| d.severity == severity).count()
    }

    /// Sorts by file, position, severity and code so output is deterministic.
    pub fn sort(&mut self, sources: &SourceMap) {
        self.items.sort_by_cached_key(|d| {
            let loc = d.primary_span().and_then(|s| sources.locate(s));
            (
                loc.map(|l| (l.file, l.line, l.column)),
                d.severity,
                d.code.clone(),
                d.message.clone(),
            )
        });
        self.items.dedup();
    }

    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.items
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl<'a> IntoIterator for &'a Diagnostics {
    type Item = &'a Diagnostic;
    type IntoIter = std::slice::Iter<'a, Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

impl FromIterator<Diagnostic> for Diagnostics {
    fn from_iter<T: IntoIterator<Item = Diagnostic>>(iter: T) -> Self {
        Self {
            items: iter.into_iter().collect(),
        }
    }
}
