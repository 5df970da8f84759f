//! `landform render BLUEPRINT [--target terraform|cli|all] --out DIR [--force]`.
//!
//! Loads, validates and compiles the blueprint (refusing, exit 1, when any
//! of that finds an error), renders the chosen targets and writes them to
//! `DIR` atomically: a temporary sibling directory is filled and then
//! swapped in. A `DIR` that exists, is not empty and was not made by
//! landform (no `.landform-render` marker) is left alone unless `--force`.
//! The same blueprint always renders to the same bytes.

use super::CommandError;
use super::pipeline::compile;
use crate::cli::{Exit, Io, RenderArgs, RenderTarget};
use crate::diagnostics::{Severity, SourceMap};
use crate::org::Org;
use crate::render::{self, OutputFile, WriteError};

/// The files of `target` for `org`, sorted by path. With `sources`, the
/// CLI scripts' comments also name the blueprint line of each element.
pub fn files(
    org: &Org,
    sources: Option<&SourceMap>,
    target: RenderTarget,
) -> Result<Vec<OutputFile>, CommandError> {
    let mut files = Vec::new();
    if matches!(target, RenderTarget::Terraform | RenderTarget::All) {
        files.extend(render::terraform::render(org));
    }
    if matches!(target, RenderTarget::Cli | RenderTarget::All) {
        files.extend(render::cli::render_with_sources(org, sources));
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

pub fn run(args: &RenderArgs, io: &mut Io<'_>) -> Result<Exit, CommandError> {
    let compiled = match compile(&args.blueprint, io)? {
        Ok(c) => c,
        Err(exit) => {
            writeln!(
                io.err,
                "error: not rendering `{}`: fix the errors above first",
                args.blueprint.display()
            )?;
            return Ok(exit);
        }
    };
    let files = files(&compiled.org, Some(&compiled.sources), args.target)?;
    let note = format!("blueprint: {}\n", compiled.org.blueprint);
    match render::write_tree(&args.out, &files, &note, args.force) {
        Ok(()) => {}
        Err(e @ WriteError::NotOurs(_)) => {
            return Err(CommandError::Usage(format!(
                "{e}; choose another --out, empty it, or pass --force to replace it"
            )));
        }
        Err(e) => return Err(CommandError::Input(e.to_string())),
    }
    let mut tops: Vec<&str> = files
        .iter()
        .filter_map(|f| f.path.split('/').next())
        .collect();
    tops.dedup();
    let warnings = compiled.diagnostics.count(Severity::Warning);
    let warned = match warnings {
        0 => String::new(),
        1 => " with 1 warning (above)".to_string(),
        n => format!(" with {n} warnings (above)"),
    };
    writeln!(
        io.out,
        "rendered {} files to {} ({}){warned}; see the README.md in each folder for the apply order",
        files.len(),
        args.out.display(),
        tops.join(", ")
    )?;
    Ok(Exit::Success)
}
