//! `landform diff`.

use super::CommandError;
use crate::cli::{DiffArgs, Exit, Io};

pub fn run(_args: &DiffArgs, _io: &mut Io<'_>) -> Result<Exit, CommandError> {
    Err(CommandError::NotYet("diff"))
}
