//! `outpost item body ID [--format plain|html|rtf] [--out FILE]`: an item's body in one
//! format, printed or written to a file (RTF as its bytes, HTML and text as UTF-8).

use crate::output::{CliError, Output};
use session::{Item, OlBodyFormat};
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum BodyFormatArg {
    Plain,
    Html,
    Rtf,
}

impl BodyFormatArg {
    fn name(self) -> &'static str {
        match self {
            BodyFormatArg::Plain => "plain",
            BodyFormatArg::Html => "html",
            BodyFormatArg::Rtf => "rtf",
        }
    }
}

/// The item's body in `format` (default: its `BodyFormat`; plain text when it has none).
pub fn item_body(
    item: &Item,
    entry_id: &str,
    format: Option<BodyFormatArg>,
    out_path: Option<&Path>,
    out: Output,
) -> Result<(), CliError> {
    let failed = |err: session::SessionError| CliError::from(err.to_mapi());
    let body_format = item.body_format().map_err(failed)?;
    let format = format.unwrap_or(match body_format {
        OlBodyFormat::Html => BodyFormatArg::Html,
        OlBodyFormat::RichText => BodyFormatArg::Rtf,
        OlBodyFormat::Plain | OlBodyFormat::Unspecified => BodyFormatArg::Plain,
    });
    let bytes = match format {
        BodyFormatArg::Plain => item.body().map_err(failed)?.map(String::into_bytes),
        BodyFormatArg::Html => item.html_body().map_err(failed)?.map(String::into_bytes),
        BodyFormatArg::Rtf => item.rtf_body().map_err(failed)?,
    };
    let Some(bytes) = bytes else {
        return Err(CliError::failed(format!(
            "item {entry_id} has no {} body (its BodyFormat is {})",
            format.name(),
            body_format.name()
        )));
    };
    let mut doc = serde_json::json!({
        "entry_id": entry_id,
        "body_format": body_format.name(),
        "format": format.name(),
        "bytes": bytes.len(),
    });
    match out_path {
        Some(path) => {
            std::fs::write(path, &bytes)
                .map_err(|e| CliError::failed(format!("cannot write {}: {e}", path.display())))?;
            doc["out"] = path.display().to_string().into();
            out.emit(&doc, |w| {
                writeln!(
                    w,
                    "{} body ({} bytes) written to {}",
                    format.name(),
                    bytes.len(),
                    path.display()
                )
            })
        }
        None => {
            // RTF is 7-bit text by the RTF spec; anything else in it shows as U+FFFD in JSON.
            doc["content"] = String::from_utf8_lossy(&bytes).into_owned().into();
            out.emit(&doc, |w| {
                w.write_all(&bytes)?;
                if !bytes.ends_with(b"\n") {
                    writeln!(w)?;
                }
                Ok(())
            })
        }
    }
}
