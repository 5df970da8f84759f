//! `landform validate`: load a blueprint, check its structure, references,
//! AWS limits and naming rules, and print the diagnostics.
//!
//! Exit codes: 0 clean (warnings allowed unless `--deny-warnings`), 1 errors
//! (or warnings with `--deny-warnings`), 2 when an input file cannot be read
//! or parsed (any LF0xx error).

use super::CommandError;
use crate::blueprint;
use crate::cli::{DiagFormat, Exit, Io, ValidateArgs};
use crate::diagnostics::render::{self, HumanOptions};
use crate::diagnostics::{Diagnostics, Severity, SourceMap};

pub fn run(args: &ValidateArgs, io: &mut Io<'_>) -> Result<Exit, CommandError> {
    let (diags, sources) = match blueprint::load(&args.blueprint) {
        Ok(loaded) => (blueprint::validate(&loaded), loaded.sources),
        Err(failure) => (failure.diagnostics, failure.sources),
    };
    report(&diags, &sources, args.format, io)?;
    Ok(exit_code(&diags, args.deny_warnings))
}

/// Prints diagnostics in the chosen format on stdout.
pub(crate) fn report(
    diags: &Diagnostics,
    sources: &SourceMap,
    format: DiagFormat,
    io: &mut Io<'_>,
) -> Result<(), CommandError> {
    let text = match format {
        DiagFormat::Human => render::human_all(diags, sources, HumanOptions { color: io.color }),
        DiagFormat::Json => render::json_all(diags, sources),
    };
    io.out.write_all(text.as_bytes())?;
    Ok(())
}

/// The exit code for a set of blueprint diagnostics.
pub(crate) fn exit_code(diags: &Diagnostics, deny_warnings: bool) -> Exit {
    if diags
        .iter()
        .any(|d| d.is_error() && blueprint::codes::is_input_code(&d.code))
    {
        Exit::BadInput
    } else if diags.has_errors() || (deny_warnings && diags.count(Severity::Warning) > 0) {
        Exit::Findings
    } else {
        Exit::Success
    }
}
