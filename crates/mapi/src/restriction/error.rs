//! The one error type of the restriction module: bad bytes when decoding, values that have no
//! wire form when encoding, and restrictions the evaluator cannot honour.

use crate::{ErrorCode, MapiError};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RestrictionError {
    /// The input ended inside a field.
    #[error("{what} at offset {offset} needs {needed} bytes but only {available} remain")]
    Truncated { what: &'static str, offset: usize, needed: usize, available: usize },
    /// A field holds a value the spec does not allow.
    #[error("{what} at offset {offset} is {found}; expected {expected}")]
    Invalid { what: &'static str, offset: usize, found: String, expected: &'static str },
    /// Nesting deeper than the decoder (or encoder, or evaluator) accepts.
    #[error("restriction nested deeper than {limit} levels at offset {offset}")]
    TooDeep { offset: usize, limit: usize },
    /// Bytes left over after a structure that should have filled the buffer.
    #[error("{count} unexpected bytes after the {what} ending at offset {offset}")]
    TrailingBytes { what: &'static str, offset: usize, count: usize },
    /// A value or structure that has no wire form.
    #[error("cannot encode {what}: {reason}")]
    Unencodable { what: String, reason: String },
    /// A restriction the evaluator does not implement (MAPI_E_TOO_COMPLEX).
    #[error("{what} is not supported: {reason}")]
    Unsupported { what: &'static str, reason: &'static str },
}

impl From<RestrictionError> for MapiError {
    fn from(err: RestrictionError) -> MapiError {
        // Providers answer MAPI_E_TOO_COMPLEX for restrictions they cannot evaluate (MAPI
        // IMAPITable::Restrict); malformed bytes are corrupt data.
        let code = match err {
            RestrictionError::Unsupported { .. } | RestrictionError::TooDeep { .. } => {
                ErrorCode::TooComplex
            }
            RestrictionError::Unencodable { .. } => ErrorCode::InvalidParameter,
            _ => ErrorCode::CorruptData,
        };
        MapiError::new(code, err.to_string())
    }
}
