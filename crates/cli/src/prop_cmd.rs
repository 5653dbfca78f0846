//! `outpost prop NAME|0xTAG|0xID`: look a property up in the catalog.

use crate::output::{CliError, Output};
use mapi::catalog::{self, PropertyInfo};

pub fn run(query: &str, out: Output) -> Result<(), CliError> {
    let matches = catalog::lookup(query).map_err(|err| CliError::bad_input(err.to_string()))?;
    let print_text = |w: &mut dyn std::io::Write, info: &PropertyInfo| -> std::io::Result<()> {
        writeln!(w, "{}", info.name)?;
        match info.tag() {
            Some(tag) => {
                writeln!(w, "  tag:  {tag}")?;
                writeln!(w, "  id:   0x{:04X}", tag.id())?;
            }
            None => {
                if let Some(set) = info.property_set() {
                    writeln!(w, "  property set: {} {{{}}}", set.name, set.guid)?;
                }
                if let Some(lid) = info.lid() {
                    writeln!(w, "  lid:  0x{lid:04X}")?;
                }
                if let Some(name) = info.string_name() {
                    writeln!(w, "  name: {name:?}")?;
                }
            }
        }
        writeln!(w, "  type: {}", info.prop_type)
    };
    // One match is one object (the common case scripts rely on); an ID shared by several
    // named properties prints a list.
    if let [single] = matches.as_slice() {
        out.emit(single, |w| print_text(w, single))
    } else {
        out.emit(&matches, |w| matches.iter().try_for_each(|info| print_text(w, info)))
    }
}
