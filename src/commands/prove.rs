//! `landform prove`.

use super::CommandError;
use crate::cli::{Exit, Io, ProveArgs};

pub fn run(_args: &ProveArgs, _io: &mut Io<'_>) -> Result<Exit, CommandError> {
    Err(CommandError::NotYet("prove"))
}
