//! Property values: one variant per property type of MS-OXCDATA 2.11.1.

use crate::hex::{serde_bytes_hex, serde_bytes_hex_list};
use crate::{ErrorCode, FileTime, Guid, PropTag, PropType};
use serde::{Deserialize, Serialize};

/// A property value. Strings are held as Rust strings whatever their width on disk; the
/// `String8` variant remembers that the source was 8-bit (already decoded by its code page).
/// `Restriction` and `RuleAction` values stay in their MS-OXCDATA binary encoding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value")]
pub enum PropValue {
    #[serde(rename = "PtypNull")]
    Null,
    #[serde(rename = "PtypInteger16")]
    Integer16(i16),
    #[serde(rename = "PtypInteger32")]
    Integer32(i32),
    #[serde(rename = "PtypFloating32")]
    Floating32(f32),
    #[serde(rename = "PtypFloating64")]
    Floating64(f64),
    /// Fixed-point, 4 decimal places, scaled by 10,000 (MS-OXCDATA 2.11.1).
    #[serde(rename = "PtypCurrency")]
    Currency(i64),
    /// OLE Automation date: days since 1899-12-30.
    #[serde(rename = "PtypFloatingTime")]
    FloatingTime(f64),
    /// A PT_ERROR value: the property exists but could not be returned.
    #[serde(rename = "PtypErrorCode")]
    Error(ErrorCode),
    #[serde(rename = "PtypBoolean")]
    Boolean(bool),
    /// An object (attachment data object, embedded message); the value itself is opened apart.
    #[serde(rename = "PtypObject")]
    Object,
    #[serde(rename = "PtypInteger64")]
    Integer64(i64),
    #[serde(rename = "PtypString8")]
    String8(String),
    #[serde(rename = "PtypString")]
    String(String),
    #[serde(rename = "PtypTime")]
    Time(FileTime),
    #[serde(rename = "PtypGuid")]
    Guid(Guid),
    #[serde(rename = "PtypServerId", with = "serde_bytes_hex")]
    ServerId(Vec<u8>),
    #[serde(rename = "PtypRestriction", with = "serde_bytes_hex")]
    Restriction(Vec<u8>),
    #[serde(rename = "PtypRuleAction", with = "serde_bytes_hex")]
    RuleAction(Vec<u8>),
    #[serde(rename = "PtypBinary", with = "serde_bytes_hex")]
    Binary(Vec<u8>),
    #[serde(rename = "PtypMultipleInteger16")]
    MultipleInteger16(Vec<i16>),
    #[serde(rename = "PtypMultipleInteger32")]
    MultipleInteger32(Vec<i32>),
    #[serde(rename = "PtypMultipleFloating32")]
    MultipleFloating32(Vec<f32>),
    #[serde(rename = "PtypMultipleFloating64")]
    MultipleFloating64(Vec<f64>),
    #[serde(rename = "PtypMultipleCurrency")]
    MultipleCurrency(Vec<i64>),
    #[serde(rename = "PtypMultipleFloatingTime")]
    MultipleFloatingTime(Vec<f64>),
    #[serde(rename = "PtypMultipleInteger64")]
    MultipleInteger64(Vec<i64>),
    #[serde(rename = "PtypMultipleString8")]
    MultipleString8(Vec<String>),
    #[serde(rename = "PtypMultipleString")]
    MultipleString(Vec<String>),
    #[serde(rename = "PtypMultipleTime")]
    MultipleTime(Vec<FileTime>),
    #[serde(rename = "PtypMultipleGuid")]
    MultipleGuid(Vec<Guid>),
    #[serde(rename = "PtypMultipleBinary", with = "serde_bytes_hex_list")]
    MultipleBinary(Vec<Vec<u8>>),
}

impl PropValue {
    /// The property type of this value.
    pub fn prop_type(&self) -> PropType {
        match self {
            PropValue::Null => PropType::Null,
            PropValue::Integer16(_) => PropType::Integer16,
            PropValue::Integer32(_) => PropType::Integer32,
            PropValue::Floating32(_) => PropType::Floating32,
            PropValue::Floating64(_) => PropType::Floating64,
            PropValue::Currency(_) => PropType::Currency,
            PropValue::FloatingTime(_) => PropType::FloatingTime,
            PropValue::Error(_) => PropType::ErrorCode,
            PropValue::Boolean(_) => PropType::Boolean,
            PropValue::Object => PropType::Object,
            PropValue::Integer64(_) => PropType::Integer64,
            PropValue::String8(_) => PropType::String8,
            PropValue::String(_) => PropType::String,
            PropValue::Time(_) => PropType::Time,
            PropValue::Guid(_) => PropType::Guid,
            PropValue::ServerId(_) => PropType::ServerId,
            PropValue::Restriction(_) => PropType::Restriction,
            PropValue::RuleAction(_) => PropType::RuleAction,
            PropValue::Binary(_) => PropType::Binary,
            PropValue::MultipleInteger16(_) => PropType::MultipleInteger16,
            PropValue::MultipleInteger32(_) => PropType::MultipleInteger32,
            PropValue::MultipleFloating32(_) => PropType::MultipleFloating32,
            PropValue::MultipleFloating64(_) => PropType::MultipleFloating64,
            PropValue::MultipleCurrency(_) => PropType::MultipleCurrency,
            PropValue::MultipleFloatingTime(_) => PropType::MultipleFloatingTime,
            PropValue::MultipleInteger64(_) => PropType::MultipleInteger64,
            PropValue::MultipleString8(_) => PropType::MultipleString8,
            PropValue::MultipleString(_) => PropType::MultipleString,
            PropValue::MultipleTime(_) => PropType::MultipleTime,
            PropValue::MultipleGuid(_) => PropType::MultipleGuid,
            PropValue::MultipleBinary(_) => PropType::MultipleBinary,
        }
    }

    /// Either string width.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            PropValue::String(s) | PropValue::String8(s) => Some(s),
            _ => None,
        }
    }

    /// Any integer type widened to i64 (booleans are not integers here).
    pub fn as_i64(&self) -> Option<i64> {
        match *self {
            PropValue::Integer16(v) => Some(i64::from(v)),
            PropValue::Integer32(v) => Some(i64::from(v)),
            PropValue::Integer64(v) | PropValue::Currency(v) => Some(v),
            _ => None,
        }
    }

    pub fn as_i32(&self) -> Option<i32> {
        match *self {
            PropValue::Integer16(v) => Some(i32::from(v)),
            PropValue::Integer32(v) => Some(v),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match *self {
            PropValue::Boolean(v) => Some(v),
            _ => None,
        }
    }

    pub fn as_time(&self) -> Option<FileTime> {
        match *self {
            PropValue::Time(v) => Some(v),
            _ => None,
        }
    }

    pub fn as_binary(&self) -> Option<&[u8]> {
        match self {
            PropValue::Binary(v) | PropValue::ServerId(v) => Some(v),
            _ => None,
        }
    }

    pub fn as_guid(&self) -> Option<Guid> {
        match *self {
            PropValue::Guid(v) => Some(v),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match *self {
            PropValue::Floating32(v) => Some(f64::from(v)),
            PropValue::Floating64(v) | PropValue::FloatingTime(v) => Some(v),
            _ => None,
        }
    }

    /// The error code of a PT_ERROR value.
    pub fn as_error(&self) -> Option<ErrorCode> {
        match *self {
            PropValue::Error(code) => Some(code),
            _ => None,
        }
    }

    /// Number of values: 1 for single-valued types, the element count for multi-valued ones.
    pub fn value_count(&self) -> usize {
        match self {
            PropValue::MultipleInteger16(v) => v.len(),
            PropValue::MultipleInteger32(v) => v.len(),
            PropValue::MultipleFloating32(v) => v.len(),
            PropValue::MultipleFloating64(v) | PropValue::MultipleFloatingTime(v) => v.len(),
            PropValue::MultipleCurrency(v) | PropValue::MultipleInteger64(v) => v.len(),
            PropValue::MultipleString8(v) | PropValue::MultipleString(v) => v.len(),
            PropValue::MultipleTime(v) => v.len(),
            PropValue::MultipleGuid(v) => v.len(),
            PropValue::MultipleBinary(v) => v.len(),
            _ => 1,
        }
    }

    /// Approximate size of the value in bytes as MAPI counts it (strings in UTF-16 for
    /// `PtypString`), used for `PidTagMessageSize`-style accounting and size restrictions.
    pub fn byte_size(&self) -> usize {
        match self {
            PropValue::String(s) => s.encode_utf16().count() * 2,
            PropValue::String8(s) => s.len(),
            PropValue::Binary(b)
            | PropValue::ServerId(b)
            | PropValue::Restriction(b)
            | PropValue::RuleAction(b) => b.len(),
            PropValue::MultipleString(v) => v.iter().map(|s| s.encode_utf16().count() * 2).sum(),
            PropValue::MultipleString8(v) => v.iter().map(String::len).sum(),
            PropValue::MultipleBinary(v) => v.iter().map(Vec::len).sum(),
            other => {
                let element = other.prop_type().element().fixed_size().unwrap_or(0);
                element * other.value_count()
            }
        }
    }
}

/// A tag with its value, the unit of `GetProps`/`SetProps` (MS-OXCDATA 2.11.4 TaggedPropertyValue).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaggedValue {
    pub tag: PropTag,
    pub value: PropValue,
}

impl TaggedValue {
    /// Pairs a value with an ID; the tag takes the value's type.
    pub fn new(id: u16, value: PropValue) -> TaggedValue {
        TaggedValue { tag: PropTag::new(id, value.prop_type()), value }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variant_reports_its_type_and_serialises_by_spec_name() {
        let samples = vec![
            PropValue::Null,
            PropValue::Integer16(-2),
            PropValue::Integer32(7),
            PropValue::Floating32(1.5),
            PropValue::Floating64(2.25),
            PropValue::Currency(10_000),
            PropValue::FloatingTime(45000.5),
            PropValue::Error(ErrorCode::NotFound),
            PropValue::Boolean(true),
            PropValue::Object,
            PropValue::Integer64(-1),
            PropValue::String8("ansi".into()),
            PropValue::String("wide".into()),
            PropValue::Time(FileTime(116_444_736_000_000_000)),
            PropValue::Guid(Guid::from_fields(0x0002_0329, 0, 0, [0xC0, 0, 0, 0, 0, 0, 0, 0x46])),
            PropValue::ServerId(vec![1, 2]),
            PropValue::Restriction(vec![0]),
            PropValue::RuleAction(vec![0]),
            PropValue::Binary(vec![0xDE, 0xAD]),
            PropValue::MultipleInteger16(vec![1, 2]),
            PropValue::MultipleInteger32(vec![1, 2]),
            PropValue::MultipleFloating32(vec![1.0]),
            PropValue::MultipleFloating64(vec![1.0]),
            PropValue::MultipleCurrency(vec![1]),
            PropValue::MultipleFloatingTime(vec![1.0]),
            PropValue::MultipleInteger64(vec![1]),
            PropValue::MultipleString8(vec!["a".into()]),
            PropValue::MultipleString(vec!["a".into(), "b".into()]),
            PropValue::MultipleTime(vec![FileTime(0)]),
            PropValue::MultipleGuid(vec![Guid::NIL]),
            PropValue::MultipleBinary(vec![vec![1], vec![]]),
        ];
        let mut seen = std::collections::HashSet::new();
        for value in &samples {
            let t = value.prop_type();
            assert!(seen.insert(t));
            let json = serde_json::to_value(value).unwrap();
            assert_eq!(json["type"], t.spec_name());
            let back: PropValue = serde_json::from_value(json).unwrap();
            assert_eq!(&back, value);
        }
        // Every type except PtypUnspecified has a value variant.
        assert_eq!(seen.len(), PropType::ALL.len() - 1);
    }

    #[test]
    fn binary_serialises_as_hex() {
        let json = serde_json::to_string(&PropValue::Binary(vec![0xDE, 0xAD])).unwrap();
        assert_eq!(json, r#"{"type":"PtypBinary","value":"DEAD"}"#);
    }

    #[test]
    fn accessors_widen_and_refuse() {
        assert_eq!(PropValue::Integer16(-3).as_i64(), Some(-3));
        assert_eq!(PropValue::Boolean(true).as_i64(), None);
        assert_eq!(PropValue::String8("x".into()).as_str(), Some("x"));
        assert_eq!(PropValue::String("héllo".into()).byte_size(), 10);
        assert_eq!(PropValue::MultipleInteger32(vec![1, 2, 3]).byte_size(), 12);
    }
}
