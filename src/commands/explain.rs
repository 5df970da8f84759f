//! `landform explain`.

use super::CommandError;
use crate::cli::{Exit, ExplainArgs, Io};

pub fn run(_args: &ExplainArgs, _io: &mut Io<'_>) -> Result<Exit, CommandError> {
    Err(CommandError::NotYet("explain"))
}
