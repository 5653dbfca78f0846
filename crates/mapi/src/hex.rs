//! Hex text for binary values: entry IDs are shown to users as upper-case hex, as Outlook does.

use std::fmt::Write;

/// Upper-case hex without separators.
pub fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        // Writing to a String cannot fail.
        let _ = write!(out, "{byte:02X}");
    }
    out
}

/// Why hex text could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HexError {
    #[error("hex text has an odd number of digits ({0})")]
    OddLength(usize),
    #[error("character {character:?} at position {position} is not a hex digit")]
    BadDigit { position: usize, character: char },
}

/// Decodes hex text, either case; spaces, `-` and `:` between byte pairs are ignored, and so is
/// a leading `0x`.
pub fn decode(text: &str) -> Result<Vec<u8>, HexError> {
    let text = text.trim();
    let body = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")).unwrap_or(text);
    let offset = text.len() - body.len();
    let mut digits = Vec::with_capacity(body.len());
    for (index, character) in body.char_indices() {
        match character {
            ' ' | '-' | ':' | '\t' | '\n' | '\r' => continue,
            c => match c.to_digit(16) {
                Some(d) => digits.push(d as u8),
                None => return Err(HexError::BadDigit { position: offset + index, character: c }),
            },
        }
    }
    if digits.len() % 2 != 0 {
        return Err(HexError::OddLength(digits.len()));
    }
    Ok(digits.chunks_exact(2).map(|pair| (pair[0] << 4) | pair[1]).collect())
}

/// serde helper: a byte vector as a hex string.
pub mod serde_bytes_hex {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(d)?;
        super::decode(&text).map_err(serde::de::Error::custom)
    }
}

/// serde helper: a list of byte vectors as a list of hex strings.
pub mod serde_bytes_hex_list {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(values: &[Vec<u8>], s: S) -> Result<S::Ok, S::Error> {
        let texts: Vec<String> = values.iter().map(|v| super::encode(v)).collect();
        texts.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Vec<u8>>, D::Error> {
        let texts = Vec::<String>::deserialize(d)?;
        texts.iter().map(|t| super::decode(t).map_err(serde::de::Error::custom)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_separators() {
        assert_eq!(encode(&[0x00, 0xAB, 0x0f]), "00AB0F");
        assert_eq!(decode("00ab0F").unwrap(), vec![0x00, 0xAB, 0x0F]);
        assert_eq!(decode("0x00-AB:0f").unwrap(), vec![0x00, 0xAB, 0x0F]);
        assert_eq!(decode("").unwrap(), Vec::<u8>::new());
    }

    #[test]
    fn errors_say_where() {
        assert_eq!(decode("ABC"), Err(HexError::OddLength(3)));
        assert_eq!(decode("0xAZ"), Err(HexError::BadDigit { position: 3, character: 'Z' }));
    }
}
