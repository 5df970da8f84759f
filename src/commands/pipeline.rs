//! The front half every compiling command shares: load the blueprint,
//! validate it, compile it into the organization IR, and print the
//! diagnostics (errors and warnings) to stderr on the way.

use super::CommandError;
use crate::blueprint::codes::is_input_code;
use crate::blueprint::{load, resolve, validate};
use crate::cli::{Exit, Io};
use crate::diagnostics::render::{HumanOptions, human_all};
use crate::diagnostics::{Diagnostics, SourceMap};
use crate::org::Org;
use std::path::Path;

/// A blueprint that compiled: the organization, its sources (for locating
/// origins) and the warnings found on the way (already printed).
pub struct Compiled {
    pub org: Org,
    pub sources: SourceMap,
    pub diagnostics: Diagnostics,
}

/// Prints diagnostics, human-readable, to the error stream.
pub fn print_diagnostics(
    diags: &Diagnostics,
    sources: &SourceMap,
    io: &mut Io<'_>,
) -> Result<(), CommandError> {
    if diags.is_empty() {
        return Ok(());
    }
    let text = human_all(diags, sources, HumanOptions { color: io.color });
    io.err.write_all(text.as_bytes())?;
    Ok(())
}

/// The exit code for diagnostics that stop a command: 2 when the input could
/// not be read or parsed, 1 otherwise.
pub fn exit_for(diags: &Diagnostics) -> Exit {
    if diags.iter().any(|d| d.is_error() && is_input_code(&d.code)) {
        Exit::BadInput
    } else {
        Exit::Findings
    }
}

/// Loads, validates and compiles `path`. Diagnostics are printed to stderr;
/// when any is an error, the command must stop with the returned exit code.
pub fn compile(path: &Path, io: &mut Io<'_>) -> Result<Result<Compiled, Exit>, CommandError> {
    let loaded = match load(path) {
        Ok(l) => l,
        Err(failure) => {
            let mut diags = failure.diagnostics;
            diags.sort(&failure.sources);
            print_diagnostics(&diags, &failure.sources, io)?;
            return Ok(Err(exit_for(&diags)));
        }
    };
    let mut diags = validate(&loaded);
    if diags.has_errors() {
        diags.sort(&loaded.sources);
        print_diagnostics(&diags, &loaded.sources, io)?;
        return Ok(Err(exit_for(&diags)));
    }
    let file = path.display().to_string();
    let (org, compile_diags) = resolve::resolve(&loaded.blueprint, &file);
    diags.extend(compile_diags);
    diags.sort(&loaded.sources);
    print_diagnostics(&diags, &loaded.sources, io)?;
    match org {
        Some(org) if !diags.has_errors() => Ok(Ok(Compiled {
            org,
            sources: loaded.sources,
            diagnostics: diags,
        })),
        _ => Ok(Err(exit_for(&diags))),
    }
}
