//! Reports of `landform check`: one [`Report`] (the diagnostics of every
//! stage, the blueprint's `tests:` results) behind four renderers —
//! [`human`] (miette-style, with source excerpts), [`json`] (stable,
//! documented in `docs/check-json.md`), [`sarif`] (SARIF 2.1.0 for code
//! scanning) and [`markdown`] (a pull-request comment).
//!
//! Every renderer is deterministic: the same report gives the same bytes.

pub mod rules;
mod sarif;

use std::fmt::Write as _;

use serde::Serialize;

use crate::checks::blueprint_tests::{TestResult, TestStatus};
use crate::diagnostics::render::{HumanOptions, JsonDiagnostic, human_all};
use crate::diagnostics::{Diagnostics, Severity, SourceMap};

pub use sarif::sarif;

/// How far `landform check` got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    /// The blueprint could not be loaded or validated without errors.
    Validate,
    /// The blueprint validated but did not compile.
    Compile,
    /// Every check and test ran.
    Complete,
}

/// Everything a check run produced.
#[derive(Debug, Clone)]
pub struct Report<'a> {
    /// The blueprint as given on the command line.
    pub blueprint: String,
    pub stage: Stage,
    pub diagnostics: &'a Diagnostics,
    pub sources: &'a SourceMap,
    pub tests: &'a [TestResult],
    /// The codes of the checks that ran.
    pub checks_run: Vec<&'static str>,
}

/// Counts of tests by status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct TestCounts {
    pub total: usize,
    pub passed: usize,
    pub failed: usize,
    pub undecided: usize,
}

impl Report<'_> {
    pub fn test_counts(&self) -> TestCounts {
        let count = |s: TestStatus| self.tests.iter().filter(|t| t.status == s).count();
        TestCounts {
            total: self.tests.len(),
            passed: count(TestStatus::Passed),
            failed: count(TestStatus::Failed),
            undecided: count(TestStatus::Undecided),
        }
    }

    fn stage_line(&self) -> Option<&'static str> {
        match self.stage {
            Stage::Validate => Some("the blueprint did not validate: checks and tests did not run"),
            Stage::Compile => Some("the blueprint did not compile: checks and tests did not run"),
            Stage::Complete => None,
        }
    }
}

/// The human report: every diagnostic with its source excerpt, then the
/// tests and a summary line.
pub fn human(r: &Report<'_>, color: bool) -> String {
    let mut out = human_all(r.diagnostics, r.sources, HumanOptions { color });
    if let Some(line) = r.stage_line() {
        let _ = writeln!(out, "{line}");
        return out;
    }
    let t = r.test_counts();
    if t.total > 0 {
        let _ = writeln!(out, "tests:");
        for test in r.tests {
            let mark = match test.status {
                TestStatus::Passed => "ok  ",
                TestStatus::Failed => "FAIL",
                TestStatus::Undecided => "??  ",
            };
            let _ = writeln!(out, "  {mark} {}", test.name);
        }
        let _ = writeln!(
            out,
            "tests: {} passed, {} failed, {} undecided",
            t.passed, t.failed, t.undecided
        );
    }
    let _ = writeln!(out, "checks: {} ran", r.checks_run.len());
    out
}

/// The JSON document's version (`docs/check-json.md`).
pub const JSON_FORMAT_VERSION: u32 = 1;

#[derive(Serialize)]
struct JsonSummary {
    errors: usize,
    warnings: usize,
    notes: usize,
    tests: TestCounts,
}

#[derive(Serialize)]
struct JsonTest<'a> {
    name: &'a str,
    #[serde(rename = "as")]
    principal: &'a str,
    action: &'a str,
    resource: &'a str,
    expect: crate::org::Expectation,
    decision: &'static str,
    status: TestStatus,
    reason: &'a str,
    unknown_policies: &'a [String],
    file: Option<String>,
    line: Option<u32>,
    column: Option<u32>,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    tool: JsonTool,
    blueprint: &'a str,
    stage: Stage,
    summary: JsonSummary,
    checks_run: &'a [&'static str],
    diagnostics: Vec<JsonDiagnostic>,
    tests: Vec<JsonTest<'a>>,
}

#[derive(Serialize)]
struct JsonTool {
    name: &'static str,
    version: &'static str,
}

fn decision_str(d: crate::policy::eval::Decision) -> &'static str {
    match d {
        crate::policy::eval::Decision::Allow => "allow",
        crate::policy::eval::Decision::ExplicitDeny => "explicit-deny",
        crate::policy::eval::Decision::ImplicitDeny => "implicit-deny",
    }
}

/// The JSON report (pretty-printed, one trailing newline).
pub fn json(r: &Report<'_>) -> String {
    let doc = JsonReport {
        version: JSON_FORMAT_VERSION,
        tool: JsonTool {
            name: "landform",
            version: env!("CARGO_PKG_VERSION"),
        },
        blueprint: &r.blueprint,
        stage: r.stage,
        summary: JsonSummary {
            errors: r.diagnostics.count(Severity::Error),
            warnings: r.diagnostics.count(Severity::Warning),
            notes: r.diagnostics.count(Severity::Note),
            tests: r.test_counts(),
        },
        checks_run: &r.checks_run,
        diagnostics: r
            .diagnostics
            .iter()
            .map(|d| JsonDiagnostic::from_diagnostic(d, r.sources))
            .collect(),
        tests: r
            .tests
            .iter()
            .map(|t| {
                let loc = t.origin.span.and_then(|s| r.sources.locate(s));
                JsonTest {
                    name: &t.name,
                    principal: &t.principal,
                    action: &t.action,
                    resource: &t.resource,
                    expect: t.expect,
                    decision: decision_str(t.decision),
                    status: t.status,
                    reason: &t.reason,
                    unknown_policies: &t.unknown_policies,
                    file: loc.as_ref().map(|l| l.file.clone()),
                    line: loc.as_ref().map(|l| l.line),
                    column: loc.as_ref().map(|l| l.column),
                }
            })
            .collect(),
    };
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".to_string());
    s.push('\n');
    s
}

/// Escapes text for a markdown table cell or list item.
fn md(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// The markdown report, for a pull-request comment: a summary table, then
/// the findings grouped by severity with their blueprint lines, then the tests.
pub fn markdown(r: &Report<'_>) -> String {
    let mut out = String::new();
    let errors = r.diagnostics.count(Severity::Error);
    let warnings = r.diagnostics.count(Severity::Warning);
    let notes = r.diagnostics.count(Severity::Note);
    let t = r.test_counts();
    let verdict = if errors > 0 || t.failed > 0 {
        "❌ **landform check failed**"
    } else if warnings > 0 || t.undecided > 0 {
        "⚠️ **landform check passed with warnings**"
    } else {
        "✅ **landform check passed**"
    };
    let _ = writeln!(out, "### landform check — `{}`\n", md(&r.blueprint));
    let _ = writeln!(out, "{verdict}\n");
    if let Some(line) = r.stage_line() {
        let _ = writeln!(out, "> {line}\n");
    }
    let _ = writeln!(out, "| | count |");
    let _ = writeln!(out, "|---|---:|");
    let _ = writeln!(out, "| errors | {errors} |");
    let _ = writeln!(out, "| warnings | {warnings} |");
    if notes > 0 {
        let _ = writeln!(out, "| notes | {notes} |");
    }
    if r.stage == Stage::Complete {
        let _ = writeln!(out, "| tests passed | {} of {} |", t.passed, t.total);
        if t.failed > 0 {
            let _ = writeln!(out, "| tests failed | {} |", t.failed);
        }
        if t.undecided > 0 {
            let _ = writeln!(out, "| tests undecided | {} |", t.undecided);
        }
        let _ = writeln!(out, "| checks run | {} |", r.checks_run.len());
    }
    out.push('\n');

    // by code
    if !r.diagnostics.is_empty() {
        let mut codes: Vec<(Severity, String, usize)> = Vec::new();
        for d in r.diagnostics {
            match codes
                .iter_mut()
                .find(|(s, c, _)| *s == d.severity && *c == d.code)
            {
                Some((_, _, n)) => *n += 1,
                None => codes.push((d.severity, d.code.clone(), 1)),
            }
        }
        codes.sort();
        let _ = writeln!(out, "| severity | code | findings | rule |");
        let _ = writeln!(out, "|---|---|---:|---|");
        for (s, code, n) in &codes {
            let rule = rules::rule(code);
            let _ = writeln!(
                out,
                "| {} | `{code}` | {n} | {} |",
                s.as_str(),
                md(&rule.short)
            );
        }
        out.push('\n');
    }

    for (severity, title) in [
        (Severity::Error, "Errors"),
        (Severity::Warning, "Warnings"),
        (Severity::Note, "Notes"),
    ] {
        let group: Vec<_> = r
            .diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .collect();
        if group.is_empty() {
            continue;
        }
        let _ = writeln!(out, "#### {title}\n");
        for d in group {
            let loc = d
                .primary_span()
                .and_then(|s| r.sources.locate(s))
                .map(|l| format!("`{}:{}`", l.file, l.line))
                .or_else(|| d.file.as_ref().map(|f| format!("`{f}`")))
                .unwrap_or_default();
            let _ = writeln!(out, "- **{}** {loc} — {}", d.code, md(&d.message));
            if let Some(span) = d.primary_span()
                && let Some(file) = r.sources.get(span.source)
                && let Some(l) = r.sources.locate(span)
            {
                let text = file.line_text(l.line).trim_end();
                if !text.trim().is_empty() {
                    let _ = writeln!(out, "  ```yaml\n  {}\n  ```", text.replace('`', "'"));
                }
            }
            if let Some(h) = &d.help {
                let _ = writeln!(out, "  - fix: {}", md(h));
            }
            let (traces, plain): (Vec<&String>, Vec<&String>) =
                d.notes.iter().partition(|n| n.contains('\n'));
            for n in plain {
                let _ = writeln!(out, "  - {}", md(n));
            }
            for n in traces {
                let _ = writeln!(
                    out,
                    "  <details><summary>engine trace</summary>\n\n  ```text\n{}\n  ```\n  </details>",
                    n.lines()
                        .map(|l| format!("  {l}"))
                        .collect::<Vec<_>>()
                        .join("\n")
                        .replace("```", "'''")
                );
            }
        }
        out.push('\n');
    }

    if !r.tests.is_empty() {
        let _ = writeln!(
            out,
            "<details><summary>tests: {} passed, {} failed, {} undecided</summary>\n",
            t.passed, t.failed, t.undecided
        );
        let _ = writeln!(out, "| | test | as | action | expected | got |");
        let _ = writeln!(out, "|---|---|---|---|---|---|");
        for test in r.tests {
            let mark = match test.status {
                TestStatus::Passed => "✅",
                TestStatus::Failed => "❌",
                TestStatus::Undecided => "❔",
            };
            let expect = serde_json::to_value(test.expect)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "| {mark} | {} | `{}` | `{}` | {expect} | {} |",
                md(&test.name),
                md(&test.principal),
                md(&test.action),
                decision_str(test.decision)
            );
        }
        let _ = writeln!(out, "\n</details>");
    }
    out
}

#[cfg(test)]
mod tests;
