//! Finding the external tools the end-to-end tests run.
//!
//! Each location comes from the environment first (`scripts/test` exports the
//! contents of `.tools/env`), then from `.tools/env` in the repository (written
//! by `scripts/setup-tools`), so a plain `cargo test` after
//! `scripts/setup-tools` finds them too.
//!
//! A missing tool never passes silently: outside CI the test prints a loud
//! `SKIPPED` banner straight to the terminal (not captured by the test
//! harness) and returns; with `CI` set it fails.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

/// The locations found; `None` when a tool is not available.
#[derive(Debug, Clone, Default)]
pub struct Tools {
    /// `LANDFORM_TERRAFORM`: the terraform binary.
    pub terraform: Option<PathBuf>,
    /// `LANDFORM_TF_CLI_CONFIG`: a CLI configuration that installs providers
    /// from the local mirror (set it as `TF_CLI_CONFIG_FILE`).
    pub tf_cli_config: Option<PathBuf>,
    /// `LANDFORM_AWS_CLI`: the aws CLI.
    pub aws_cli: Option<PathBuf>,
    /// `LANDFORM_MOTO_SERVER`: moto's `moto_server` script.
    pub moto_server: Option<PathBuf>,
    /// `LANDFORM_MOTO_URL`: an emulator that is already running (set by
    /// `scripts/test`), e.g. `http://127.0.0.1:43123`.
    pub moto_url: Option<String>,
}

/// The repository root (where `Cargo.toml` is).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Whether we run in CI (env `CI` set to anything but empty/`0`/`false`):
/// then a missing tool is a failure, not a skip.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "0" && v != "false")
}

/// The tool locations, read once per process.
pub fn tools() -> &'static Tools {
    static TOOLS: OnceLock<Tools> = OnceLock::new();
    TOOLS.get_or_init(|| {
        let file = read_env_file(&repo_root().join(".tools/env"));
        let get = |key: &str| -> Option<String> {
            std::env::var(key)
                .ok()
                .filter(|v| !v.is_empty())
                .or_else(|| file.get(key).cloned().filter(|v| !v.is_empty()))
        };
        let path = |key: &str| get(key).map(PathBuf::from).filter(|p| p.exists());
        Tools {
            terraform: path("LANDFORM_TERRAFORM"),
            tf_cli_config: path("LANDFORM_TF_CLI_CONFIG"),
            aws_cli: path("LANDFORM_AWS_CLI"),
            moto_server: path("LANDFORM_MOTO_SERVER"),
            // only from the environment: a URL in a file would be stale
            moto_url: std::env::var("LANDFORM_MOTO_URL")
                .ok()
                .filter(|v| !v.is_empty()),
        }
    })
}

/// `KEY=VALUE` lines (no quoting: `scripts/setup-tools` writes plain paths).
fn read_env_file(path: &Path) -> BTreeMap<String, String> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return BTreeMap::new();
    };
    text.lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect()
}

/// Writes `text` to the real stderr, bypassing the test harness's output
/// capture (which only hooks the `print!` family), so it shows in a normal
/// `cargo test` run.
pub fn shout(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.as_bytes());
    let _ = err.flush();
}

/// Reports that `test` cannot run because `what` is missing: fails under CI,
/// otherwise prints a loud banner (once per reason and process) and returns so
/// the caller can `return` early.
#[track_caller]
pub fn skip(test: &str, what: &str) {
    if in_ci() {
        panic!(
            "{test}: {what}; CI is set, so this is a failure (run scripts/setup-tools, or scripts/test)"
        );
    }
    static SEEN: Mutex<Vec<String>> = Mutex::new(Vec::new());
    let mut seen = SEEN.lock().unwrap_or_else(|e| e.into_inner());
    let first = !seen.iter().any(|s| s == what);
    if first {
        seen.push(what.to_string());
    }
    let detail = if first {
        "\n    run `scripts/setup-tools` once (or use `scripts/test`) to install the tools;\n    with CI set this would fail"
    } else {
        ""
    };
    shout(&format!("\n!!!!! SKIPPED {test}: {what}{detail}\n\n"));
}

fn require(test: &str, value: Option<&PathBuf>, what: &str) -> Option<PathBuf> {
    match value {
        Some(p) => Some(p.clone()),
        None => {
            skip(test, what);
            None
        }
    }
}

/// The aws CLI, or `None` after a loud skip (a panic under CI).
pub fn aws_cli(test: &str) -> Option<PathBuf> {
    require(
        test,
        tools().aws_cli.as_ref(),
        "the aws CLI is not available (LANDFORM_AWS_CLI)",
    )
}

/// The terraform binary, or `None` after a loud skip (a panic under CI).
pub fn terraform(test: &str) -> Option<PathBuf> {
    require(
        test,
        tools().terraform.as_ref(),
        "terraform is not available (LANDFORM_TERRAFORM)",
    )
}

/// The terraform CLI configuration for the local provider mirror, or `None`
/// after a loud skip (a panic under CI).
pub fn tf_cli_config(test: &str) -> Option<PathBuf> {
    require(
        test,
        tools().tf_cli_config.as_ref(),
        "no terraform provider mirror configuration (LANDFORM_TF_CLI_CONFIG)",
    )
}

/// A program found on `PATH` (e.g. `shellcheck`), or `None`.
pub fn on_path(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(program))
        .find(|p| p.is_file())
}
