//! `landform init [--template NAME] [--force] DIR`: write a starter blueprint.
//!
//! Writes `DIR/blueprint.yaml` (from `blueprints/NAME.yaml`, embedded in the
//! binary) and `DIR/blueprint.schema.json`, which the blueprint's
//! `yaml-language-server` modeline points at so editors complete and check it
//! without network access. Existing files are kept unless `--force`.

use std::path::Path;

use super::CommandError;
use crate::blueprint::schema;
use crate::cli::{Exit, InitArgs, Io};
use crate::util::suggest;

/// The starter blueprints: name, one-line description, text.
pub const TEMPLATES: &[(&str, &str, &str)] = &[
    (
        "baseline",
        "the seeds' OU layout (Security, Infrastructure, Workloads/Prod, Workloads/NonProd, Sandbox, Suspended, PolicyStaging), Log Archive and Audit accounts, core guardrails, Identity Center",
        include_str!("../../blueprints/baseline.yaml"),
    ),
    (
        "minimal",
        "an organization with one OU and one account",
        include_str!("../../blueprints/minimal.yaml"),
    ),
];

pub const BLUEPRINT_FILE: &str = "blueprint.yaml";
pub const SCHEMA_FILE: &str = "blueprint.schema.json";
const MODELINE_PREFIX: &str = "# yaml-language-server: $schema=";

/// The template text with its modeline pointing at the schema written next to it.
pub fn render_template(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.lines().enumerate() {
        if i == 0 && line.starts_with(MODELINE_PREFIX) {
            out.push_str(MODELINE_PREFIX);
            out.push_str("./");
            out.push_str(SCHEMA_FILE);
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

pub fn run(args: &InitArgs, io: &mut Io<'_>) -> Result<Exit, CommandError> {
    let Some((_, _, text)) = TEMPLATES.iter().find(|(n, _, _)| *n == args.template) else {
        let names: Vec<&str> = TEMPLATES.iter().map(|t| t.0).collect();
        let hint = suggest::did_you_mean(&args.template, &names)
            .map(|s| format!("; {s}"))
            .unwrap_or_default();
        return Err(CommandError::Usage(format!(
            "unknown template `{}`{hint} (templates: {})",
            args.template,
            names.join(", ")
        )));
    };
    let dir = &args.dir;
    let blueprint = dir.join(BLUEPRINT_FILE);
    let schema_path = dir.join(SCHEMA_FILE);
    if !args.force {
        for p in [&blueprint, &schema_path] {
            if p.exists() {
                return Err(CommandError::Usage(format!(
                    "`{}` already exists; use --force to overwrite it",
                    p.display()
                )));
            }
        }
    }
    std::fs::create_dir_all(dir).map_err(|source| CommandError::Write {
        path: dir.clone(),
        source,
    })?;
    write(&blueprint, &render_template(text))?;
    write(&schema_path, &schema::schema_text())?;
    writeln!(
        io.out,
        "wrote {} and {} (template `{}`)\nnext: landform validate {}",
        blueprint.display(),
        schema_path.display(),
        args.template,
        blueprint.display()
    )?;
    Ok(Exit::Success)
}

fn write(path: &Path, text: &str) -> Result<(), CommandError> {
    std::fs::write(path, text).map_err(|source| CommandError::Write {
        path: path.to_path_buf(),
        source,
    })
}
