//! `landform schema`.

use super::CommandError;
use crate::cli::{Exit, Io, SchemaArgs};

pub fn run(_args: &SchemaArgs, _io: &mut Io<'_>) -> Result<Exit, CommandError> {
    Err(CommandError::NotYet("schema"))
}
