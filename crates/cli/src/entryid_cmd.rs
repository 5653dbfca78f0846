//! `outpost entryid decode HEX`: what an entry ID is, field by field.

use crate::output::{CliError, Output};
use clap::Subcommand;
use mapi::EntryId;

#[derive(Debug, Subcommand)]
pub enum EntryIdCommand {
    /// Decode an entry ID given as hex (as Outlook shows EntryID/StoreID): kind, flags,
    /// provider UID and the fields of its kind. Malformed input exits 2 and says where.
    Decode {
        /// The entry ID in hex; spaces, '-' and ':' between bytes are ignored.
        hex: String,
    },
}

pub fn run(command: EntryIdCommand, out: Output) -> Result<(), CliError> {
    match command {
        EntryIdCommand::Decode { hex } => {
            let entry_id =
                EntryId::from_hex(&hex).map_err(|err| CliError::bad_input(err.to_string()))?;
            let view = serde_json::to_value(&entry_id)
                .map_err(|err| CliError::failed(format!("cannot describe the entry ID: {err}")))?;
            out.emit(&view, |w| {
                writeln!(w, "kind: {}", entry_id.kind_name())?;
                if let serde_json::Value::Object(fields) = &view {
                    for (name, value) in fields.iter().filter(|(name, _)| name.as_str() != "kind") {
                        match value {
                            serde_json::Value::String(text) => writeln!(w, "{name}: {text}")?,
                            other => writeln!(w, "{name}: {other}")?,
                        }
                    }
                }
                Ok(())
            })
        }
    }
}
