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
