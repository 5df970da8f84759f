//! Policy lint: what IAM Access Analyzer's `validate-policy` reports, offline.
//!
//! [`lint`] inspects one parsed policy of a given [`PolicyKind`] against the
//! AWS catalogue ([`crate::catalog`]) and returns [`Finding`]s. Each finding
//! has a stable code (`PL` + three digits), a class named as Access Analyzer
//! names them ([`FindingClass`]: `ERROR`, `SECURITY_WARNING`, `WARNING`,
//! `SUGGESTION`), a message, the byte range of the element it is about, and
//! a fix hint. Every code documents itself: [`docs`] returns what it flags,
//! why it matters, an example and the fix, for reports (SARIF rule metadata)
//! and for `landform lint`.
//!
//! Code ranges:
//!
//! | range | about |
//! |-------|-------|
//! | PL0xx | document structure and what the policy type allows |
//! | PL1xx | actions |
//! | PL2xx | resources |
//! | PL3xx | principals and trust |
//! | PL4xx | conditions |
//! | PL5xx | over-broad or redundant grants |
//!
//! The lint reads the policy only; it never evaluates requests.

mod actions;
mod conditions;
mod patterns;
mod principals;
mod redundancy;
mod resources;
mod rules;
mod structure;
mod values;

use std::fmt;

pub use rules::{RuleDoc, docs, rules};

use super::ast::{Policy, Statement, TextRange};
use super::parse::{Parsed, PolicyErrors, WarningKind, parse_policy_with_warnings};
use crate::diagnostics::{Diagnostic, Severity, SourceId, Span};

/// What kind of policy a document is: the lint's rules depend on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PolicyKind {
    /// Attached to a user, group or role (or a permission set's inline policy).
    Identity,
    /// Attached to a resource (bucket policy, key policy, queue policy…).
    Resource,
    /// A role's trust policy (`AssumeRolePolicyDocument`).
    Trust,
    /// A service control policy.
    Scp,
    /// A resource control policy.
    Rcp,
    /// A permissions boundary (an identity policy used as a ceiling).
    Boundary,
}

impl PolicyKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PolicyKind::Identity => "identity",
            PolicyKind::Resource => "resource",
            PolicyKind::Trust => "trust",
            PolicyKind::Scp => "scp",
            PolicyKind::Rcp => "rcp",
            PolicyKind::Boundary => "boundary",
        }
    }

    /// How the kind is named in messages.
    pub fn describe(self) -> &'static str {
        match self {
            PolicyKind::Identity => "an identity-based policy",
            PolicyKind::Resource => "a resource-based policy",
            PolicyKind::Trust => "a role trust policy",
            PolicyKind::Scp => "a service control policy",
            PolicyKind::Rcp => "a resource control policy",
            PolicyKind::Boundary => "a permissions boundary",
        }
    }

    /// Whether statements of this kind name a principal.
    pub fn has_principals(self) -> bool {
        matches!(
            self,
            PolicyKind::Resource | PolicyKind::Trust | PolicyKind::Rcp
        )
    }
}

impl fmt::Display for PolicyKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Access Analyzer's finding types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FindingClass {
    /// AWS rejects the policy, or it cannot work as written.
    Error,
    /// The policy grants more than it seems to, or more than is safe.
    SecurityWarning,
    /// The policy works, but not as well as it should (bad practice, no effect).
    Warning,
    /// The policy can be simplified.
    Suggestion,
}

impl FindingClass {
    /// `ERROR`, `SECURITY_WARNING`, `WARNING`, `SUGGESTION`.
    pub fn as_str(self) -> &'static str {
        match self {
            FindingClass::Error => "ERROR",
            FindingClass::SecurityWarning => "SECURITY_WARNING",
            FindingClass::Warning => "WARNING",
            FindingClass::Suggestion => "SUGGESTION",
        }
    }

    /// The diagnostic severity: errors fail a run; security warnings and
    /// warnings are warnings; suggestions are notes.
    pub fn severity(self) -> Severity {
        match self {
            FindingClass::Error => Severity::Error,
            FindingClass::SecurityWarning | FindingClass::Warning => Severity::Warning,
            FindingClass::Suggestion => Severity::Note,
        }
    }
}

impl fmt::Display for FindingClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One lint finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// `PL102`; see [`docs`].
    pub code: &'static str,
    pub class: FindingClass,
    /// What is wrong: lowercase, no final period, policy text in backticks.
    pub message: String,
    /// The element the finding is about (byte range in the policy text).
    pub range: TextRange,
    /// How to fix it.
    pub help: Option<String>,
    /// Related places (the statement that makes this one redundant, …).
    pub related: Vec<(TextRange, String)>,
}

impl Finding {
    pub(crate) fn new(
        code: &'static str,
        class: FindingClass,
        range: TextRange,
        message: impl Into<String>,
    ) -> Self {
        Self {
            code,
            class,
            message: message.into(),
            range,
            help: None,
            related: Vec::new(),
        }
    }

    pub(crate) fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub(crate) fn maybe_help(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }

    pub(crate) fn related(mut self, range: TextRange, message: impl Into<String>) -> Self {
        self.related.push((range, message.into()));
        self
    }

    /// This finding as a diagnostic pointing into `source` (the file the
    /// policy was read from, ranges being offsets into it). The class goes
    /// into a note, since diagnostics know only error / warning / note.
    pub fn to_diagnostic(&self, source: SourceId) -> Diagnostic {
        let span = |r: TextRange| Span::new(source, r.start as usize, r.end as usize);
        let label = docs(self.code).map_or("", |d| d.title);
        let mut d = Diagnostic::new(self.class.severity(), self.code, self.message.clone())
            .with_label(span(self.range), label.to_lowercase());
        for (r, m) in &self.related {
            d = d.with_secondary(span(*r), m.clone());
        }
        if let Some(h) = &self.help {
            d = d.with_help(h.clone());
        }
        d.with_note(format!("Access Analyzer class: {}", self.class.as_str()))
    }
}

/// Everything a check needs to know.
pub(crate) struct Cx<'p> {
    pub policy: &'p Policy,
    pub kind: PolicyKind,
    pub out: Vec<Finding>,
}

impl Cx<'_> {
    pub fn push(&mut self, f: Finding) {
        self.out.push(f);
    }
}

/// `statement `Sid`` or `statement #2`, for messages.
pub(crate) fn stmt_name(s: &Statement) -> String {
    match &s.sid {
        Some(sid) if !sid.value.is_empty() => format!("statement `{}`", sid.value),
        _ => format!("statement #{}", s.index),
    }
}

/// Lints a parsed policy of the given kind. Findings come sorted by position,
/// then code.
pub fn lint(policy: &Policy, kind: PolicyKind) -> Vec<Finding> {
    let mut cx = Cx {
        policy,
        kind,
        out: Vec::new(),
    };
    structure::check(&mut cx);
    principals::check(&mut cx);
    actions::check(&mut cx);
    resources::check(&mut cx);
    conditions::check(&mut cx);
    redundancy::check(&mut cx);
    let mut out = cx.out;
    out.sort_by(|a, b| {
        (a.range.start, a.code, &a.message).cmp(&(b.range.start, b.code, &b.message))
    });
    out.dedup();
    out
}

/// Lints a policy together with what the parser noticed but accepted (a
/// bare-string `Principal`, which AWS rejects).
pub fn lint_parsed(parsed: &Parsed, kind: PolicyKind) -> Vec<Finding> {
    let mut out = lint(&parsed.policy, kind);
    for w in &parsed.warnings {
        match w.kind {
            WarningKind::BarePrincipalString => out.push(
                Finding::new("PL007", FindingClass::Error, w.range, w.message.clone())
                    .help("write `{\"AWS\": \"…\"}` (or `\"*\"` for everyone)"),
            ),
        }
    }
    out.sort_by(|a, b| {
        (a.range.start, a.code, &a.message).cmp(&(b.range.start, b.code, &b.message))
    });
    out
}

/// Parses and lints policy JSON text.
pub fn lint_text(text: &str, kind: PolicyKind) -> Result<Vec<Finding>, PolicyErrors> {
    parse_policy_with_warnings(text).map(|p| lint_parsed(&p, kind))
}

#[cfg(test)]
mod tests;
