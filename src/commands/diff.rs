//! `landform diff BASE [HEAD] [--git REV] [--format human|json|markdown]
//! [--exit-code] [--no-checks]`: what a change to a blueprint changes —
//! structure, effective access and findings (see [`crate::diff`]).
//!
//! Two files: `landform diff old.yaml new.yaml`. With `--git REV`, BASE is
//! one blueprint path, compared as committed at REV (base) with the working
//! tree (head): `landform diff --git origin/main org.yaml`.
//!
//! Exit codes: 0 when both sides compile and the diff is printed, whether
//! or not anything changed (with `--exit-code`: 1 when something changed);
//! 1 when a side does not compile (its errors on stderr, with the side
//! named); 2 when a side cannot be read or parsed, the arguments are wrong,
//! or git cannot provide the revision.

use super::CommandError;
use crate::blueprint::codes::is_input_code;
use crate::cli::{DiffArgs, DiffFormat, Exit, Io};
use crate::diagnostics::render::{HumanOptions, human_all};
use crate::diff::{self, Side, SideOptions, Stopped};

fn stopped(which: &str, label: &str, s: &Stopped, io: &mut Io<'_>) -> Result<Exit, CommandError> {
    writeln!(
        io.err,
        "landform diff: the {which} blueprint `{label}` does not compile:"
    )?;
    let text = human_all(&s.diagnostics, &s.sources, HumanOptions { color: io.color });
    io.err.write_all(text.as_bytes())?;
    Ok(
        if s.diagnostics
            .iter()
            .any(|d| d.is_error() && is_input_code(&d.code))
        {
            Exit::BadInput
        } else {
            Exit::Findings
        },
    )
}

/// Worker threads (`LANDFORM_THREADS`, default: the cores, at most 2).
fn threads() -> usize {
    let wanted = std::env::var("LANDFORM_THREADS")
        .ok()
        .and_then(|v| v.parse::<usize>().ok());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    wanted.unwrap_or(cores.min(2)).max(1)
}

pub fn run(args: &DiffArgs, io: &mut Io<'_>) -> Result<Exit, CommandError> {
    let opts = SideOptions {
        skip_checks: args.no_checks,
        ..SideOptions::default()
    };
    // keep the export alive until both sides are compiled
    let mut _export = None;
    let (base_path, base_opts, head_path) = match (&args.git, &args.head) {
        (Some(rev), None) => {
            let export = diff::git::export(rev, &args.base)
                .map_err(|e| CommandError::Input(format!("--git {rev}: {e}")))?;
            let o = SideOptions {
                rename: Some(export.rename.clone()),
                label: Some(export.label.clone()),
                ..opts.clone()
            };
            let p = export.blueprint.clone();
            _export = Some(export);
            (p, o, args.base.clone())
        }
        (Some(_), Some(_)) => {
            return Err(CommandError::Usage(
                "with --git REV give one blueprint: `landform diff --git REV BLUEPRINT` compares \
                 BLUEPRINT as committed at REV with the working tree"
                    .into(),
            ));
        }
        (None, Some(head)) => (args.base.clone(), opts.clone(), head.clone()),
        (None, None) => {
            return Err(CommandError::Usage(
                "give two blueprints (`landform diff BASE HEAD`) or one with a revision \
                 (`landform diff --git origin/main BLUEPRINT`)"
                    .into(),
            ));
        }
    };
    // the two sides are independent: compile and check them side by side
    // (unless LANDFORM_THREADS=1)
    let (base, head) = if threads() > 1 {
        std::thread::scope(|scope| {
            let b = scope.spawn(|| diff::compile_side(&base_path, &base_opts));
            let h = diff::compile_side(&head_path, &opts);
            (b.join(), h)
        })
    } else {
        (
            Ok(diff::compile_side(&base_path, &base_opts)),
            diff::compile_side(&head_path, &opts),
        )
    };
    let base =
        base.map_err(|_| CommandError::Input("the base blueprint could not be compiled".into()))?;
    let base: Side = match base {
        Ok(s) => s,
        Err(s) => {
            let label = base_opts
                .label
                .clone()
                .unwrap_or_else(|| base_path.display().to_string());
            return stopped("base", &label, &s, io);
        }
    };
    let head: Side = match head {
        Ok(s) => s,
        Err(s) => return stopped("head", &head_path.display().to_string(), &s, io),
    };
    drop(_export);
    let d = diff::compare(&base, &head, !args.no_checks);
    let text = match args.format {
        DiffFormat::Human => diff::render::human(&d),
        DiffFormat::Json => diff::render::json(&d),
        DiffFormat::Markdown => diff::render::markdown(&d),
    };
    io.out.write_all(text.as_bytes())?;
    Ok(if args.exit_code && !d.is_empty() {
        Exit::Findings
    } else {
        Exit::Success
    })
}
