//! RTF as Outlook stores it: compressed (MS-OXRTFCP) in `PidTagRtfCompressed`, and possibly
//! encapsulating an HTML or plain-text original (MS-OXRTFEX).

mod compressed;
mod reader;

pub use compressed::{compress, crc32, decompress};
pub use reader::{
    Encapsulation, MAX_GROUP_DEPTH, encapsulation, extract_html, extract_text, to_plain_text,
};
