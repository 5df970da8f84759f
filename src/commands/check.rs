//! `landform check`.

use super::CommandError;
use crate::cli::{CheckArgs, Exit, Io};

pub fn run(_args: &CheckArgs, _io: &mut Io<'_>) -> Result<Exit, CommandError> {
    Err(CommandError::NotYet("check"))
}
