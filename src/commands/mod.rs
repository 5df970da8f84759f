//! One module per subcommand. Each takes its parsed arguments and the output
//! writers, and returns an [`Exit`]; problems that stop a command before it can
//! report findings are [`CommandError`]s (exit 2).

use std::path::PathBuf;

use crate::cli::{Command, Exit, Io};

mod access;
mod check;
mod diff;
mod explain;
mod init;
mod lint;
pub(crate) mod pipeline;
mod prove;
mod render;
mod schema;
mod show;
mod simulate;
mod validate;

/// A failure that prevents a command from running at all.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum CommandError {
    #[error("cannot read `{path}`: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write `{path}`: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The arguments make no sense together.
    #[error("{0}")]
    Usage(String),
    /// The input is unusable; the message says why and where.
    #[error("{0}")]
    Input(String),
    #[error("`landform {0}` is not available in this build yet")]
    NotYet(&'static str),
    #[error("cannot write output: {0}")]
    Output(#[from] std::io::Error),
}

/// Runs one command and turns errors into exit code 2 with a message on stderr.
pub fn dispatch(command: &Command, io: &mut Io<'_>) -> Exit {
    let result = match command {
        Command::Validate(a) => validate::run(a, io),
        Command::Schema(a) => schema::run(a, io),
        Command::Init(a) => init::run(a, io),
        Command::Simulate(a) => simulate::run(a, io),
        Command::Prove(a) => prove::run(a, io),
        Command::Lint(a) => lint::run(a, io),
        Command::Show(a) => show::run(a, io),
        Command::Render(a) => render::run(a, io),
        Command::Check(a) => check::run(a, io),
        Command::Explain(a) => explain::run(a, io),
        Command::Access(a) => access::run(a, io),
        Command::Diff(a) => diff::run(a, io),
    };
    match result {
        Ok(exit) => exit,
        Err(CommandError::Output(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => Exit::Success,
        Err(e) => {
            let _ = writeln!(io.err, "error: {e}");
            Exit::BadInput
        }
    }
}
