//! Conversions that need no I/O policy: bytes in, bytes out.
//!
//! - [`rtf`]: compressed RTF (MS-OXRTFCP), the HTML and plain text encapsulated in RTF
//!   (MS-OXRTFEX), and a plain-text rendering of ordinary RTF.
//!
//! - [`html`]: HTML to plain text, for `Body` when `HTMLBody` is set.
//!
//! Every function here reads untrusted bytes: work and memory are bounded by the input, nesting
//! has a depth limit, and errors say where in the input and what was expected.

pub mod error;
pub mod html;
pub mod rtf;

pub use error::{ConvertError, ConvertResult};

/// Text stored in a Windows code page (`PidTagInternetCodepage`, `\ansicpg`), decoded; a
/// byte-order mark wins over the code page, and an unknown code page reads as windows-1252.
pub fn decode_code_page(bytes: &[u8], code_page: u32) -> String {
    let encoding = u16::try_from(code_page)
        .ok()
        .and_then(codepage::to_encoding)
        .unwrap_or(encoding_rs::WINDOWS_1252);
    encoding.decode(bytes).0.into_owned()
}
