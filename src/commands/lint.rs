//! `landform lint FILE.json`: the policy lint (see [`crate::policy::lint`]).
//!
//! Exit codes: 0 when there is no error (warnings and suggestions allowed),
//! 1 when a finding is at error level — including a document that is JSON but
//! not a valid policy, reported as `PL000` — or, with `--deny-warnings`, when
//! there is any warning; 2 when the file cannot be read or is not JSON.

use super::CommandError;
use crate::cli::{DiagFormat, Exit, Io, LintArgs, LintPolicyType};
use crate::diagnostics::render::{HumanOptions, human_all, json_all};
use crate::diagnostics::{Diagnostic, Diagnostics, Severity, SourceId, SourceMap, Span};
use crate::policy::json;
use crate::policy::lint::{PolicyKind, lint_parsed};
use crate::policy::parse::{PolicyError, policy_from_tree_with_warnings};

fn kind_of(t: LintPolicyType) -> PolicyKind {
    match t {
        LintPolicyType::Identity => PolicyKind::Identity,
        LintPolicyType::Resource => PolicyKind::Resource,
        LintPolicyType::Trust => PolicyKind::Trust,
        LintPolicyType::Scp => PolicyKind::Scp,
        LintPolicyType::Rcp => PolicyKind::Rcp,
        LintPolicyType::Boundary => PolicyKind::Boundary,
    }
}

fn parse_error(e: &PolicyError, id: SourceId) -> Diagnostic {
    let span = Span::new(id, e.range.start as usize, e.range.end as usize);
    let label = if e.path.is_empty() {
        "here".to_string()
    } else {
        format!("in `{}`", e.path)
    };
    let mut d = Diagnostic::error("PL000", e.message.clone()).with_label(span, label);
    if let Some(h) = &e.help {
        d = d.with_help(h.clone());
    }
    d
}

pub fn run(args: &LintArgs, io: &mut Io<'_>) -> Result<Exit, CommandError> {
    let path = &args.policy;
    let text = std::fs::read_to_string(path).map_err(|source| CommandError::Read {
        path: path.clone(),
        source,
    })?;
    let mut sources = SourceMap::new();
    let id = sources.add(path.display().to_string(), text.as_str());
    let mut diags = Diagnostics::new();
    let mut unreadable = false;

    match json::parse(&text) {
        Err(e) => {
            unreadable = true;
            diags.push(
                Diagnostic::error("PL000", format!("not valid JSON: {}", e.message))
                    .with_label(Span::point(id, e.offset), "here"),
            );
        }
        Ok(tree) => match policy_from_tree_with_warnings(&tree) {
            Err(errors) => {
                for e in &errors.errors {
                    diags.push(parse_error(e, id));
                }
            }
            Ok(parsed) => {
                for f in lint_parsed(&parsed, kind_of(args.policy_type)) {
                    diags.push(f.to_diagnostic(id));
                }
            }
        },
    }
    diags.sort(&sources);

    let out = match args.format {
        DiagFormat::Human => human_all(&diags, &sources, HumanOptions { color: io.color }),
        DiagFormat::Json => json_all(&diags, &sources),
    };
    io.out.write_all(out.as_bytes())?;

    Ok(if unreadable {
        Exit::BadInput
    } else if diags.has_errors() || (args.deny_warnings && diags.count(Severity::Warning) > 0) {
        Exit::Findings
    } else {
        Exit::Success
    })
}
