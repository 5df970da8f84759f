//! `landform lint`.

use super::CommandError;
use crate::cli::{Exit, Io, LintArgs};

pub fn run(_args: &LintArgs, _io: &mut Io<'_>) -> Result<Exit, CommandError> {
    Err(CommandError::NotYet("lint"))
}
