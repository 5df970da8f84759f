//! `landform init`.

use super::CommandError;
use crate::cli::{Exit, InitArgs, Io};

pub fn run(_args: &InitArgs, _io: &mut Io<'_>) -> Result<Exit, CommandError> {
    Err(CommandError::NotYet("init"))
}
