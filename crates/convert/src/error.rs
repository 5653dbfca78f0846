//! The crate's one error type.

use thiserror::Error;

pub type ConvertResult<T> = Result<T, ConvertError>;

/// What went wrong, where in the input (a byte offset), and what was expected there.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum ConvertError {
    #[error("compressed RTF is truncated at offset {offset}: expected {expected}")]
    Truncated { offset: usize, expected: &'static str },

    #[error(
        "compressed RTF header at offset 8: COMPTYPE {found:#010x} is neither LZFu (0x75465a4c) nor MELA (0x414c454d)"
    )]
    UnknownCompression { found: u32 },

    #[error(
        "compressed RTF header at offset 0: COMPSIZE {comp_size} is below 12 (the header bytes it counts)"
    )]
    CompressedSizeTooSmall { comp_size: u32 },

    #[error(
        "compressed RTF header at offset 0: COMPSIZE {comp_size} needs {needed} bytes but the data has {available}"
    )]
    CompressedSizeBeyondData { comp_size: u32, needed: u64, available: usize },

    #[error(
        "compressed RTF header at offset 4: RAWSIZE {raw_size} is more than the {max} bytes that {contents} bytes of {kind} data can produce"
    )]
    RawSizeBeyondData { raw_size: u32, max: u64, contents: usize, kind: &'static str },

    #[error(
        "compressed RTF header at offset 12: CRC {stored:#010x} does not match the CRC of the contents, {computed:#010x}"
    )]
    CrcMismatch { stored: u32, computed: u32 },

    #[error(
        "compressed RTF at offset {offset}: the stream produced {produced} bytes without an end marker; expected RAWSIZE {raw_size}"
    )]
    MissingEndMarker { offset: usize, produced: usize, raw_size: u32 },

    #[error(
        "compressed RTF at offset {offset}: the end marker came after {produced} bytes; expected RAWSIZE {raw_size}"
    )]
    RawSizeMismatch { offset: usize, produced: usize, raw_size: u32 },

    #[error("RTF of {len} bytes is too large to compress (RAWSIZE is a 32-bit count)")]
    TooLargeToCompress { len: usize },

    #[error("RTF at offset {offset}: groups nested deeper than {limit}")]
    GroupTooDeep { offset: usize, limit: usize },

    #[error("RTF at offset {offset}: expected {expected}")]
    Malformed { offset: usize, expected: &'static str },
}
