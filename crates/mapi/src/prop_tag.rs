//! Property tags: a 16-bit property ID and a 16-bit type (MS-OXCDATA 2.9).

use crate::PropType;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Property IDs from 0x8000 up are named-property IDs, mapped per store (MS-OXPROPS 1.3.2).
pub const FIRST_NAMED_PROP_ID: u16 = 0x8000;

/// A property tag as MAPI writes it: `(id << 16) | type`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PropTag(pub u32);

impl PropTag {
    pub const fn new(id: u16, prop_type: PropType) -> PropTag {
        PropTag(((id as u32) << 16) | prop_type.code() as u32)
    }

    pub const fn id(self) -> u16 {
        (self.0 >> 16) as u16
    }

    pub const fn type_code(self) -> u16 {
        self.0 as u16
    }

    /// The type, or `None` if the low 16 bits are not a defined type.
    pub const fn prop_type(self) -> Option<PropType> {
        PropType::from_code(self.type_code())
    }

    /// The same ID with another type (e.g. `PtypString8` → `PtypString`).
    pub const fn with_type(self, prop_type: PropType) -> PropTag {
        PropTag::new(self.id(), prop_type)
    }

    /// True for IDs in the named-property range.
    pub const fn is_named(self) -> bool {
        self.id() >= FIRST_NAMED_PROP_ID
    }

    /// Parses `0x0037001F`, `0037001F` (8 hex digits, a whole tag).
    pub fn parse_hex(text: &str) -> Option<PropTag> {
        let digits = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")).unwrap_or(text);
        if digits.len() != 8 {
            return None;
        }
        u32::from_str_radix(digits, 16).ok().map(PropTag)
    }
}

impl fmt::Display for PropTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "0x{:08X}", self.0)
    }
}

impl fmt::Debug for PropTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.prop_type() {
            Some(t) => write!(f, "PropTag(0x{:04X}, {t})", self.id()),
            None => write!(f, "PropTag(0x{:08X})", self.0),
        }
    }
}

impl Serialize for PropTag {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PropTag {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        PropTag::parse_hex(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("not a property tag: {text:?}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subject_tag_splits_into_id_and_type() {
        let tag = PropTag::new(0x0037, PropType::String);
        assert_eq!(tag.0, 0x0037_001F);
        assert_eq!(tag.id(), 0x0037);
        assert_eq!(tag.prop_type(), Some(PropType::String));
        assert_eq!(tag.to_string(), "0x0037001F");
        assert_eq!(PropTag::parse_hex("0x0037001f"), Some(tag));
        assert_eq!(PropTag::parse_hex("0x37001F"), None);
    }

    #[test]
    fn named_range_starts_at_0x8000() {
        assert!(PropTag::new(0x8000, PropType::Integer32).is_named());
        assert!(!PropTag::new(0x7FFF, PropType::Integer32).is_named());
    }
}
