//! `landform simulate`.

use super::CommandError;
use crate::cli::{Exit, Io, SimulateArgs};

pub fn run(_args: &SimulateArgs, _io: &mut Io<'_>) -> Result<Exit, CommandError> {
    Err(CommandError::NotYet("simulate"))
}
