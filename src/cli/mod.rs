//! The command line: argument definitions (clap), the dispatcher, exit codes.
//!
//! Exit codes are part of landform's contract:
//! `0` success, `1` findings at error level (or warnings with `--deny-warnings`),
//! `2` usage errors and input that cannot be read or parsed.

use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::commands;

/// What a command reports back to `main`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// 0: success.
    Success,
    /// 1: findings at error level (or warnings under `--deny-warnings`).
    Findings,
    /// 2: usage error, or input that cannot be read or parsed.
    BadInput,
}

impl Exit {
    pub fn code(self) -> u8 {
        match self {
            Exit::Success => 0,
            Exit::Findings => 1,
            Exit::BadInput => 2,
        }
    }
}

/// The writers a command prints to. The library never touches the process's
/// stdout/stderr itself; `main` hands these in (tests hand in buffers).
pub struct Io<'a> {
    pub out: &'a mut dyn Write,
    pub err: &'a mut dyn Write,
    /// Whether human output may use ANSI colours.
    pub color: bool,
}

#[derive(Debug, Parser)]
#[command(
    name = "landform",
    version,
    about = "Validate an AWS organization blueprint against an offline IAM evaluation engine, then render Terraform and AWS CLI scripts",
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check a blueprint's structure, references and AWS limits (fast; no engine)
    Validate(ValidateArgs),
    /// Print the JSON Schema of the blueprint format
    Schema(SchemaArgs),
    /// Scaffold a new blueprint from a starter template
    Init(InitArgs),
    /// Evaluate self-contained IAM requests with the policy engine
    Simulate(SimulateArgs),
    /// Prove properties of policies (no new access, access not granted)
    Prove(ProveArgs),
    /// Lint an IAM policy document like IAM Access Analyzer's validate-policy
    Lint(LintArgs),
    /// Print the compiled organization: OU tree, policies, assignments, roles
    Show(ShowArgs),
    /// Render Terraform and/or AWS CLI scripts from a blueprint
    Render(RenderArgs),
    /// Validate, compile and prove a blueprint with the engine (all checks and tests)
    Check(CheckArgs),
    /// Explain the decision for one request made by a principal of the blueprint
    Explain(ExplainArgs),
    /// Effective access: what each principal can do, per account
    Access(AccessArgs),
    /// Compare two blueprints: structure, effective access and findings
    Diff(DiffArgs),
}

/// Output format of diagnostics-only commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum DiagFormat {
    #[default]
    Human,
    Json,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// The blueprint file
    pub blueprint: PathBuf,
    #[arg(long, value_enum, default_value_t)]
    pub format: DiagFormat,
    /// Exit 1 when there are warnings, not only errors
    #[arg(long)]
    pub deny_warnings: bool,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Directory to create the blueprint in
    pub dir: PathBuf,
    /// Starter template (see `blueprints/`)
    #[arg(long, default_value = "baseline")]
    pub template: String,
    /// Overwrite existing files
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum SimFormat {
    #[default]
    Human,
    Json,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("input").required(true).args(["request", "batch"])))]
pub struct SimulateArgs {
    /// A JSON file with one request (see contracts/simulate-request.md)
    #[arg(long)]
    pub request: Option<PathBuf>,
    /// A JSON-lines file with one request per line (`-` for stdin)
    #[arg(long)]
    pub batch: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t)]
    pub format: SimFormat,
}

#[derive(Debug, Args)]
pub struct ProveArgs {
    #[command(subcommand)]
    pub what: ProveCommand,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum PolicyTypeArg {
    #[default]
    Identity,
    Resource,
}

#[derive(Debug, Subcommand)]
pub enum ProveCommand {
    /// Decide whether the candidate policy grants anything the existing one does not
    ///
    /// Prints PASS, or FAIL with a request the candidate allows and the existing policy
    /// does not. Exit code: 0 PASS, 1 FAIL, 2 when a policy cannot be read or parsed.
    NoNewAccess {
        #[arg(long)]
        existing: PathBuf,
        #[arg(long)]
        candidate: PathBuf,
        #[arg(long, value_enum, default_value_t)]
        policy_type: PolicyTypeArg,
        #[arg(long, value_enum, default_value_t)]
        format: SimFormat,
    },
    /// Decide whether a policy can ever allow the given actions (and resources)
    ///
    /// Prints PASS, or FAIL with a request the policy allows. Exit code: 0 PASS,
    /// 1 FAIL, 2 when the policy cannot be read or parsed.
    AccessNotGranted {
        #[arg(long)]
        policy: PathBuf,
        /// Actions that must never be allowed (repeatable)
        #[arg(long = "action", required = true)]
        actions: Vec<String>,
        /// Restrict the question to these resources (repeatable; default any)
        #[arg(long = "resource")]
        resources: Vec<String>,
        #[arg(long, value_enum, default_value_t)]
        policy_type: PolicyTypeArg,
        #[arg(long, value_enum, default_value_t)]
        format: SimFormat,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum LintPolicyType {
    #[default]
    Identity,
    Resource,
    Trust,
    Scp,
    Rcp,
    Boundary,
}

#[derive(Debug, Args)]
pub struct LintArgs {
    /// The policy JSON file
    pub policy: PathBuf,
    #[arg(long, value_enum, default_value_t)]
    pub policy_type: LintPolicyType,
    #[arg(long, value_enum, default_value_t)]
    pub format: DiagFormat,
    #[arg(long)]
    pub deny_warnings: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ShowWhat {
    #[default]
    Tree,
    Policies,
    Assignments,
    Roles,
    All,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ShowFormat {
    #[default]
    Human,
    Json,
    Yaml,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    pub blueprint: PathBuf,
    #[arg(long, value_enum, default_value_t)]
    pub what: ShowWhat,
    #[arg(long, value_enum, default_value_t)]
    pub format: ShowFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum RenderTarget {
    Terraform,
    Cli,
    #[default]
    All,
}

#[derive(Debug, Args)]
pub struct RenderArgs {
    pub blueprint: PathBuf,
    #[arg(long, value_enum, default_value_t)]
    pub target: RenderTarget,
    /// Output directory
    #[arg(long)]
    pub out: PathBuf,
    /// Replace an output directory landform did not generate
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ReportFormat {
    #[default]
    Human,
    Json,
    Sarif,
    Markdown,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    pub blueprint: PathBuf,
    #[arg(long, value_enum, default_value_t)]
    pub format: ReportFormat,
    #[arg(long)]
    pub deny_warnings: bool,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    pub blueprint: PathBuf,
    /// The principal, e.g. `permission_set:ProdReadOnly@payments-prod`
    #[arg(long = "as")]
    pub principal: String,
    #[arg(long)]
    pub action: String,
    #[arg(long, default_value = "*")]
    pub resource: String,
    /// Request context `key=value` (repeatable; repeat a key for a list)
    #[arg(long = "context")]
    pub context: Vec<String>,
    #[arg(long, value_enum, default_value_t)]
    pub format: SimFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum AccessFormat {
    #[default]
    Human,
    Json,
    Markdown,
    Csv,
}

#[derive(Debug, Args)]
pub struct AccessArgs {
    /// The blueprint file
    pub blueprint: PathBuf,
    /// Show this principal by service and access level: `permission_set:NAME@ACCOUNT`,
    /// `role:NAME@ACCOUNT`, `delegation:TEAM@ACCOUNT`, `user:NAME`, or `kind:NAME` / `NAME`
    /// for every account it exists in
    #[arg(long = "as")]
    pub principal: Option<String>,
    /// Only the principals acting in this account
    #[arg(long)]
    pub account: Option<String>,
    /// List every action of this service (`s3`, `iam`) with its status and why
    #[arg(long)]
    pub service: Option<String>,
    /// Output format (json: see docs/access-json.md)
    #[arg(long, value_enum, default_value_t)]
    pub format: AccessFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum DiffFormat {
    #[default]
    Human,
    Json,
    Markdown,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The base blueprint (or, with `--git`, the blueprint to compare)
    pub base: PathBuf,
    /// The head blueprint
    pub head: Option<PathBuf>,
    /// Compare BASE as committed at this git revision with BASE in the working tree
    #[arg(long, value_name = "REV")]
    pub git: Option<String>,
    #[arg(long, value_enum, default_value_t)]
    pub format: DiffFormat,
    /// Exit 1 when anything changed (like `git diff --exit-code`); the default is 0
    #[arg(long)]
    pub exit_code: bool,
    /// Do not run the checks on both sides (no findings section; faster)
    #[arg(long)]
    pub no_checks: bool,
}

/// Parses arguments and runs a command. Returns the process exit code.
pub fn run<I, T>(args: I, io: &mut Io<'_>) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let text = if io.color {
                e.render().ansi().to_string()
            } else {
                e.render().to_string()
            };
            let is_help = matches!(
                e.kind(),
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion
            );
            let w: &mut dyn Write = if is_help { io.out } else { io.err };
            let _ = w.write_all(text.as_bytes());
            return ExitCode::from(if is_help { 0 } else { Exit::BadInput.code() });
        }
    };
    let exit = commands::dispatch(&cli.command, io);
    let _ = io.out.flush();
    let _ = io.err.flush();
    ExitCode::from(exit.code())
}
