//! `landform validate`.

use super::CommandError;
use crate::cli::{Exit, Io, ValidateArgs};

pub fn run(_args: &ValidateArgs, _io: &mut Io<'_>) -> Result<Exit, CommandError> {
    Err(CommandError::NotYet("validate"))
}
