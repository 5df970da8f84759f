//! `landform show`.

use super::CommandError;
use crate::cli::{Exit, Io, ShowArgs};

pub fn run(_args: &ShowArgs, _io: &mut Io<'_>) -> Result<Exit, CommandError> {
    Err(CommandError::NotYet("show"))
}
