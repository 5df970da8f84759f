//! `landform check BLUEPRINT [--format human|json|sarif|markdown] [--deny-warnings]`:
//! validate, compile, run every engine-backed check and the blueprint's
//! `tests:`, and report.
//!
//! `landform validate` keeps its fast meaning (structure, references, limits
//! — no compilation, no engine); `check` is the full proof and the command
//! for CI. Exit codes as `validate`: 0 no errors (warnings allowed unless
//! `--deny-warnings`), 1 errors — a failing test is an error — (or warnings
//! with `--deny-warnings`), 2 when the blueprint cannot be read or parsed.

use super::CommandError;
use crate::checks::check_path;
use crate::cli::{CheckArgs, Exit, Io, ReportFormat};
use crate::diagnostics::Severity;
use crate::report::{self, Report};

pub fn run(args: &CheckArgs, io: &mut Io<'_>) -> Result<Exit, CommandError> {
    let checked = check_path(&args.blueprint);
    let r = Report {
        blueprint: args.blueprint.to_string_lossy().replace('\\', "/"),
        stage: checked.stage,
        diagnostics: &checked.diagnostics,
        sources: &checked.sources,
        tests: &checked.tests,
        checks_run: checked.checks_run.clone(),
    };
    let text = match args.format {
        ReportFormat::Human => report::human(&r, io.color),
        ReportFormat::Json => report::json(&r),
        ReportFormat::Sarif => report::sarif(&r),
        ReportFormat::Markdown => report::markdown(&r),
    };
    io.out.write_all(text.as_bytes())?;
    let d = &checked.diagnostics;
    Ok(
        if d.iter()
            .any(|x| x.is_error() && crate::blueprint::codes::is_input_code(&x.code))
        {
            Exit::BadInput
        } else if d.has_errors() || (args.deny_warnings && d.count(Severity::Warning) > 0) {
            Exit::Findings
        } else {
            Exit::Success
        },
    )
}
