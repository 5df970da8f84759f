//! The documentation of each check, read from the leading `//!` comment of
//! its source file (one place to write it: rustdoc shows it, reports and
//! `docs/checks.md` print it).
//!
//! The comment has a title line (`# LF710: …`) and the sections `## What it
//! does`, `## Why is this bad?`, `## Example`, `## How to fix` and `## Seeds`.

use std::sync::OnceLock;

use super::{Check, checks};

/// A check's documentation, section by section (markdown).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckDocs {
    pub code: &'static str,
    pub name: &'static str,
    pub summary: &'static str,
    pub severity: &'static str,
    pub what: String,
    pub why: String,
    pub example: String,
    pub fix: String,
    pub seeds: String,
}

impl CheckDocs {
    /// The whole documentation as markdown, with a level-`depth` heading.
    pub fn markdown(&self, depth: usize) -> String {
        let h = "#".repeat(depth);
        let sub = "#".repeat(depth + 1);
        let mut out = format!(
            "{h} {} `{}`\n\n{} (default severity: {})\n\n",
            self.code, self.name, self.summary, self.severity
        );
        for (title, body) in [
            ("What it does", &self.what),
            ("Why is this bad?", &self.why),
            ("Example", &self.example),
            ("How to fix", &self.fix),
            ("Seeds", &self.seeds),
        ] {
            if !body.is_empty() {
                out.push_str(&format!("{sub} {title}\n\n{body}\n\n"));
            }
        }
        out
    }
}

/// The leading `//!` lines of a source file, without the markers.
fn module_doc(source: &str) -> String {
    let mut out = String::new();
    for line in source.lines() {
        let Some(rest) = line.strip_prefix("//!") else {
            break;
        };
        out.push_str(rest.strip_prefix(' ').unwrap_or(rest));
        out.push('\n');
    }
    out
}

fn sections(doc: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut in_code = false;
    for line in doc.lines() {
        if line.starts_with("```") {
            in_code = !in_code;
        }
        if !in_code && let Some(title) = line.strip_prefix("## ") {
            out.push((title.trim().to_string(), String::new()));
            continue;
        }
        if let Some((_, body)) = out.last_mut() {
            body.push_str(line);
            body.push('\n');
        }
    }
    for (_, body) in &mut out {
        *body = body.trim().to_string();
    }
    out
}

fn parse(c: &Check) -> CheckDocs {
    let doc = module_doc(c.source);
    let secs = sections(&doc);
    let get = |name: &str| {
        secs.iter()
            .find(|(t, _)| t == name)
            .map(|(_, b)| b.clone())
            .unwrap_or_default()
    };
    CheckDocs {
        code: c.code,
        name: c.name,
        summary: c.summary,
        severity: c.severity.as_str(),
        what: get("What it does"),
        why: get("Why is this bad?"),
        example: get("Example"),
        fix: get("How to fix"),
        seeds: get("Seeds"),
    }
}

/// The documentation of every check, in code order.
pub fn docs() -> &'static [CheckDocs] {
    static DOCS: OnceLock<Vec<CheckDocs>> = OnceLock::new();
    DOCS.get_or_init(|| checks().iter().map(parse).collect())
}

/// `docs/checks.md`: every check's documentation and what the checks cover
/// in the seed articles (generated; a test keeps the file in sync).
pub fn reference_markdown() -> String {
    let mut out = String::from(
        "# landform checks\n\n\
         <!-- generated from the checks' doc comments (src/checks/*.rs) and src/checks/coverage.md; \
         regenerate with `LANDFORM_BLESS=1 cargo test --test check_docs` -->\n\n\
         `landform check BLUEPRINT` validates and compiles the blueprint, then asks the policy engine the \
         questions below about the compiled organization and runs the blueprint's `tests:`. Every finding \
         points at the blueprint lines that caused it; findings the engine decided carry its decision trace.\n\n\
         Besides these checks, `check` lints every policy of the organization with the engine's policy lint \
         and reports its findings under their `PL` codes (`landform lint`); and the blueprint's `tests:` \
         report LF801 (a test fails: expected one decision, the engine made another, with the trace) and \
         LF802 (a test's outcome depends on a policy landform has no document for).\n\n\
         A policy without a document (an AWS-managed policy landform does not ship, LF701) never makes a \
         check report: a move is reported as allowed only if it is allowed when such policies grant nothing, \
         and as denied only if it is denied when they allow everything.\n\n\
         | code | name | severity | finding |\n|---|---|---|---|\n",
    );
    for d in docs() {
        out.push_str(&format!(
            "| [{}](#{}-{}) | `{}` | {} | {} |\n",
            d.code,
            d.code.to_ascii_lowercase(),
            d.name,
            d.name,
            d.severity,
            d.summary.replace('|', "\\|")
        ));
    }
    out.push('\n');
    for d in docs() {
        out.push_str(&d.markdown(2));
    }
    out.push_str(include_str!("coverage.md"));
    out
}
