//! `landform prove`: containment proofs over IAM policies.
//!
//! - `prove no-new-access --existing A --candidate B`: `PASS` when B allows no
//!   request that A does not allow, `FAIL` with concrete requests otherwise.
//! - `prove access-not-granted --policy P --action X…`: `PASS` when P can never
//!   allow any of the actions (on the given resources, or any resource).
//!
//! Output: `--format json` prints `{"result": "PASS"|"FAIL", "reasons": […]}`;
//! `--format human` a readable summary. Exit codes: `0` PASS, `1` FAIL (so the
//! command can gate a CI pipeline), `2` when a policy cannot be read or parsed.

use std::fmt::Write as _;
use std::path::Path;

use super::CommandError;
use crate::cli::{Exit, Io, PolicyTypeArg, ProveArgs, ProveCommand, SimFormat};
use crate::diagnostics::render::{self, HumanOptions};
use crate::diagnostics::{Diagnostic, SourceMap, Span};
use crate::policy::ast::Policy;
use crate::policy::parse::parse_policy;
use crate::policy::prove::{self, PolicyKind, Proof, ProofResult, Reason};

pub fn run(args: &ProveArgs, io: &mut Io<'_>) -> Result<Exit, CommandError> {
    let mut sources = SourceMap::new();
    match &args.what {
        ProveCommand::NoNewAccess {
            existing,
            candidate,
            policy_type,
            format,
        } => {
            let a = load(existing, &mut sources, io);
            let b = load(candidate, &mut sources, io);
            let (Some(a), Some(b)) = (a, b) else {
                return Ok(Exit::BadInput);
            };
            let proof = prove::no_new_access(&a, &b, kind(*policy_type));
            let headline = match proof.result {
                ProofResult::Pass => format!(
                    "PASS: `{}` grants no access beyond `{}`",
                    candidate.display(),
                    existing.display()
                ),
                ProofResult::Fail => format!(
                    "FAIL: `{}` grants access that `{}` does not",
                    candidate.display(),
                    existing.display()
                ),
            };
            report(&proof, *format, &headline, io)
        }
        ProveCommand::AccessNotGranted {
            policy,
            actions,
            resources,
            policy_type,
            format,
        } => {
            let Some(p) = load(policy, &mut sources, io) else {
                return Ok(Exit::BadInput);
            };
            let proof = prove::access_not_granted(&p, actions, resources, kind(*policy_type));
            let what = quoted_list(actions);
            let on = if resources.is_empty() {
                String::new()
            } else {
                format!(" on {}", quoted_list(resources))
            };
            let headline = match proof.result {
                ProofResult::Pass => {
                    format!("PASS: `{}` never allows {what}{on}", policy.display())
                }
                ProofResult::Fail => format!("FAIL: `{}` can allow {what}{on}", policy.display()),
            };
            report(&proof, *format, &headline, io)
        }
    }
}

fn kind(t: PolicyTypeArg) -> PolicyKind {
    match t {
        PolicyTypeArg::Identity => PolicyKind::Identity,
        PolicyTypeArg::Resource => PolicyKind::Resource,
    }
}

fn quoted_list(items: &[String]) -> String {
    items
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Reads and parses a policy; on failure prints located diagnostics to
/// stderr and returns `None`.
fn load(path: &Path, sources: &mut SourceMap, io: &mut Io<'_>) -> Option<Policy> {
    let name = path.display().to_string();
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            let d = Diagnostic::error("LF001", format!("cannot read `{name}`: {e}"))
                .with_file(name.clone());
            let _ = writeln!(io.err, "{}", render::one_line(&d, sources));
            return None;
        }
    };
    let id = sources.add(name.clone(), text.as_str());
    match parse_policy(&text) {
        Ok(p) => Some(p),
        Err(errors) => {
            for e in &errors.errors {
                let span = Span::new(id, e.range.start as usize, e.range.end as usize);
                let message = if e.path.is_empty() {
                    e.message.clone()
                } else {
                    format!("`{}`: {}", e.path, e.message)
                };
                let mut d = Diagnostic::error("LF010", format!("invalid policy: {message}"))
                    .with_label(span, "here")
                    .with_file(name.clone());
                if let Some(h) = &e.help {
                    d = d.with_help(h.clone());
                }
                let opts = HumanOptions { color: io.color };
                let _ = write!(io.err, "{}", render::human(&d, sources, opts));
            }
            None
        }
    }
}

fn report(
    proof: &Proof,
    format: SimFormat,
    headline: &str,
    io: &mut Io<'_>,
) -> Result<Exit, CommandError> {
    match format {
        SimFormat::Json => {
            let text = serde_json::to_string_pretty(proof)
                .map_err(|e| CommandError::Output(std::io::Error::other(e)))?;
            writeln!(io.out, "{text}")?;
        }
        SimFormat::Human => {
            writeln!(io.out, "{headline}")?;
            for r in &proof.reasons {
                write!(io.out, "{}", human_reason(r))?;
            }
        }
    }
    Ok(match proof.result {
        ProofResult::Pass => Exit::Success,
        ProofResult::Fail => Exit::Findings,
    })
}

fn human_reason(r: &Reason) -> String {
    let mut s = format!("\n  - {}\n", r.description);
    let mut field = |name: &str, value: &str| {
        let _ = writeln!(s, "      {name:<10} {value}");
    };
    field("statement", &r.statement);
    if let Some(a) = &r.action {
        field("action", a);
    }
    if let Some(res) = &r.resource {
        field("resource", res);
    }
    if let Some(p) = &r.principal {
        match &p.id {
            Some(id) => field("principal", &format!("{} {id}", p.kind)),
            None => field("principal", &p.kind),
        }
    }
    for (k, v) in &r.context {
        let v = match v {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        field("context", &format!("{k} = {v}"));
    }
    for k in &r.absent_keys {
        field("context", &format!("{k} absent"));
    }
    s
}
