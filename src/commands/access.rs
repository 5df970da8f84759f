//! `landform access`.

use super::CommandError;
use crate::cli::{AccessArgs, Exit, Io};

pub fn run(_args: &AccessArgs, _io: &mut Io<'_>) -> Result<Exit, CommandError> {
    Err(CommandError::NotYet("access"))
}
