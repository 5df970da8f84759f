//! `landform schema`: print the JSON Schema of the blueprint format (the same
//! text as `schema/blueprint.schema.json`).

use super::CommandError;
use crate::blueprint::schema;
use crate::cli::{Exit, Io, SchemaArgs};

pub fn run(_args: &SchemaArgs, io: &mut Io<'_>) -> Result<Exit, CommandError> {
    io.out.write_all(schema::schema_text().as_bytes())?;
    Ok(Exit::Success)
}
