//! Property types, MS-OXCDATA 2.11.1 (and 2.11.1.1 for the COUNT/multi-valued forms).

use serde::{Deserialize, Serialize};
use std::fmt;

/// Flag that turns a single-valued type into its multi-valued form (MS-OXCDATA 2.11.1).
pub const MULTI_VALUE_FLAG: u16 = 0x1000;

macro_rules! prop_types {
    ($( $variant:ident = $value:literal, $spec:literal, $fixed:expr; )*) => {
        /// A property type. Names are the `Ptyp*` names of MS-OXCDATA 2.11.1.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(u16)]
        pub enum PropType {
            $( #[doc = concat!("`", $spec, "` (0x", stringify!($value), ")")] $variant = $value, )*
        }

        impl PropType {
            /// Every type this crate knows, in MS-OXCDATA order.
            pub const ALL: &'static [PropType] = &[$(PropType::$variant),*];

            /// The numeric type code (the low 16 bits of a property tag).
            pub const fn code(self) -> u16 { self as u16 }

            /// Type for a code; `None` for codes MS-OXCDATA does not define.
            pub const fn from_code(code: u16) -> Option<PropType> {
                match code { $( $value => Some(PropType::$variant), )* _ => None }
            }

            /// The spec name, e.g. `PtypString`.
            pub const fn spec_name(self) -> &'static str {
                match self { $( PropType::$variant => $spec, )* }
            }

            /// Size in bytes of a fixed-size single value, `None` for variable-size types.
            pub const fn fixed_size(self) -> Option<usize> {
                match self { $( PropType::$variant => $fixed, )* }
            }

            /// Type for a spec name such as `PtypString` (case-insensitive, `Ptyp` optional).
            pub fn from_spec_name(name: &str) -> Option<PropType> {
                let trimmed = name.strip_prefix("Ptyp").or_else(|| name.strip_prefix("ptyp")).unwrap_or(name);
                PropType::ALL.iter().copied().find(|t| t.spec_name()[4..].eq_ignore_ascii_case(trimmed))
            }
        }
    };
}

prop_types! {
    Unspecified = 0x0000, "PtypUnspecified", None;
    Null = 0x0001, "PtypNull", Some(0);
    Integer16 = 0x0002, "PtypInteger16", Some(2);
    Integer32 = 0x0003, "PtypInteger32", Some(4);
    Floating32 = 0x0004, "PtypFloating32", Some(4);
    Floating64 = 0x0005, "PtypFloating64", Some(8);
    Currency = 0x0006, "PtypCurrency", Some(8);
    FloatingTime = 0x0007, "PtypFloatingTime", Some(8);
    ErrorCode = 0x000A, "PtypErrorCode", Some(4);
    Boolean = 0x000B, "PtypBoolean", Some(1);
    Object = 0x000D, "PtypObject", None;
    Integer64 = 0x0014, "PtypInteger64", Some(8);
    String8 = 0x001E, "PtypString8", None;
    String = 0x001F, "PtypString", None;
    Time = 0x0040, "PtypTime", Some(8);
    Guid = 0x0048, "PtypGuid", Some(16);
    ServerId = 0x00FB, "PtypServerId", None;
    Restriction = 0x00FD, "PtypRestriction", None;
    RuleAction = 0x00FE, "PtypRuleAction", None;
    Binary = 0x0102, "PtypBinary", None;
    MultipleInteger16 = 0x1002, "PtypMultipleInteger16", None;
    MultipleInteger32 = 0x1003, "PtypMultipleInteger32", None;
    MultipleFloating32 = 0x1004, "PtypMultipleFloating32", None;
    MultipleFloating64 = 0x1005, "PtypMultipleFloating64", None;
    MultipleCurrency = 0x1006, "PtypMultipleCurrency", None;
    MultipleFloatingTime = 0x1007, "PtypMultipleFloatingTime", None;
    MultipleInteger64 = 0x1014, "PtypMultipleInteger64", None;
    MultipleString8 = 0x101E, "PtypMultipleString8", None;
    MultipleString = 0x101F, "PtypMultipleString", None;
    MultipleTime = 0x1040, "PtypMultipleTime", None;
    MultipleGuid = 0x1048, "PtypMultipleGuid", None;
    MultipleBinary = 0x1102, "PtypMultipleBinary", None;
}

impl PropType {
    /// True for the `PtypMultiple*` types.
    pub const fn is_multi_valued(self) -> bool {
        self.code() & MULTI_VALUE_FLAG != 0
    }

    /// The multi-valued form of a single-valued type, where MS-OXCDATA defines one.
    pub const fn to_multi(self) -> Option<PropType> {
        if self.is_multi_valued() {
            return None;
        }
        PropType::from_code(self.code() | MULTI_VALUE_FLAG)
    }

    /// The element type of a multi-valued type; a single-valued type is its own element.
    pub const fn element(self) -> PropType {
        match PropType::from_code(self.code() & !MULTI_VALUE_FLAG) {
            Some(t) => t,
            None => self,
        }
    }

    /// String types, either width.
    pub const fn is_string(self) -> bool {
        matches!(self, PropType::String | PropType::String8)
    }
}

impl fmt::Display for PropType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.spec_name())
    }
}

impl Serialize for PropType {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.spec_name())
    }
}

impl<'de> Deserialize<'de> for PropType {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        PropType::from_spec_name(&name)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown property type {name:?}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_round_trips_through_its_code_and_name() {
        for &t in PropType::ALL {
            assert_eq!(PropType::from_code(t.code()), Some(t));
            assert_eq!(PropType::from_spec_name(t.spec_name()), Some(t));
        }
        assert_eq!(PropType::ALL.len(), 32);
    }

    #[test]
    fn multi_valued_forms_pair_with_their_element() {
        assert_eq!(PropType::String.to_multi(), Some(PropType::MultipleString));
        assert_eq!(PropType::MultipleBinary.element(), PropType::Binary);
        assert_eq!(PropType::Boolean.to_multi(), None);
        assert!(PropType::MultipleTime.is_multi_valued());
        assert!(!PropType::Time.is_multi_valued());
    }

    #[test]
    fn unknown_codes_are_rejected() {
        assert_eq!(PropType::from_code(0x0008), None);
        assert_eq!(PropType::from_spec_name("PtypNothing"), None);
    }
}
