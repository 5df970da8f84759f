//! `landform render`.

use super::CommandError;
use crate::cli::{Exit, Io, RenderArgs};

pub fn run(_args: &RenderArgs, _io: &mut Io<'_>) -> Result<Exit, CommandError> {
    Err(CommandError::NotYet("render"))
}
