//! PropertyValue and TaggedPropertyValue (MS-OXCDATA 2.11.2, 2.11.4): the wire form of the
//! constants inside restrictions.
//!
//! Each value is laid out by its type (MS-OXCDATA 2.11.1): fixed-size types little-endian,
//! `PtypString` as UTF-16LE with a NUL terminator, `PtypString8` as 8-bit characters with a NUL
//! terminator, `PtypBinary` as a COUNT and the bytes, multi-valued types as a COUNT and the
//! elements. COUNT is 16 or 32 bits per [`CountWidth`].
//!
//! `PtypString8` has no code page here: it is read and written as ISO-8859-1 (one byte, one
//! character), which round-trips every byte; a caller that knows the code page re-decodes.
//! `PtypObject` and `PtypRuleAction` values have no place in a restriction and are refused.

use super::codec::read_restriction_at_depth;
use super::wire::{CountWidth, Reader, Writer};
use super::{MULTIVALUE_INSTANCE_FLAG, RestrictionError};
use crate::{ErrorCode, FileTime, Guid, PropTag, PropType, PropValue, TaggedValue};

/// The type of the value that follows a tag in a TaggedPropertyValue. A multi-value instance
/// tag (type | 0x2000, MS-OXCDATA 2.11.1.1) carries one element, not the whole array.
pub fn value_type_of(tag: PropTag) -> Option<PropType> {
    let code = tag.type_code();
    if code & MULTIVALUE_INSTANCE_FLAG != 0 {
        return PropType::from_code(code & !MULTIVALUE_INSTANCE_FLAG).map(PropType::element);
    }
    PropType::from_code(code)
}

/// Encodes one PropertyValue (no tag).
pub fn encode_property_value(
    value: &PropValue,
    width: CountWidth,
) -> Result<Vec<u8>, RestrictionError> {
    let mut w = Writer::new(width);
    write_value(&mut w, value)?;
    Ok(w.out)
}

/// Decodes one PropertyValue of a known type that fills `bytes`.
pub fn decode_property_value(
    bytes: &[u8],
    prop_type: PropType,
    width: CountWidth,
) -> Result<PropValue, RestrictionError> {
    let mut r = Reader::new(bytes, width);
    let value = read_value(&mut r, prop_type, 0)?;
    expect_end(&r, "PropertyValue")?;
    Ok(value)
}

/// Encodes a TaggedPropertyValue: the tag, then the value.
pub fn encode_tagged_value(
    value: &TaggedValue,
    width: CountWidth,
) -> Result<Vec<u8>, RestrictionError> {
    let mut w = Writer::new(width);
    write_tagged(&mut w, value)?;
    Ok(w.out)
}

/// Decodes a TaggedPropertyValue that fills `bytes`.
pub fn decode_tagged_value(
    bytes: &[u8],
    width: CountWidth,
) -> Result<TaggedValue, RestrictionError> {
    let mut r = Reader::new(bytes, width);
    let value = read_tagged(&mut r, 0)?;
    expect_end(&r, "TaggedPropertyValue")?;
    Ok(value)
}

pub(crate) fn expect_end(r: &Reader<'_>, what: &'static str) -> Result<(), RestrictionError> {
    if r.remaining() != 0 {
        return Err(RestrictionError::TrailingBytes {
            what,
            offset: r.offset(),
            count: r.remaining(),
        });
    }
    Ok(())
}

pub(crate) fn write_tagged(w: &mut Writer, value: &TaggedValue) -> Result<(), RestrictionError> {
    let expected = value_type_of(value.tag);
    if expected != Some(value.value.prop_type()) {
        return Err(RestrictionError::Unencodable {
            what: format!("TaggedPropertyValue with tag {}", value.tag),
            reason: format!(
                "the value is {}, which the tag's type does not carry",
                value.value.prop_type()
            ),
        });
    }
    w.u32(value.tag.0);
    write_value(w, &value.value)
}

pub(crate) fn read_tagged(
    r: &mut Reader<'_>,
    depth: usize,
) -> Result<TaggedValue, RestrictionError> {
    let offset = r.offset();
    let tag = PropTag(r.u32("PropertyTag of TaggedPropertyValue")?);
    let Some(prop_type) = value_type_of(tag) else {
        return Err(RestrictionError::Invalid {
            what: "PropertyType of TaggedPropertyValue",
            offset,
            found: format!("0x{:04X}", tag.type_code()),
            expected: "a property type of MS-OXCDATA 2.11.1",
        });
    };
    let value = read_value(r, prop_type, depth)?;
    Ok(TaggedValue { tag, value })
}

fn unencodable(value: &PropValue, reason: &str) -> RestrictionError {
    RestrictionError::Unencodable {
        what: format!("a {} value", value.prop_type()),
        reason: reason.to_owned(),
    }
}

fn write_unicode(w: &mut Writer, s: &str, value: &PropValue) -> Result<(), RestrictionError> {
    if s.contains('\0') {
        return Err(unencodable(value, "the string contains NUL, which ends it on the wire"));
    }
    for unit in s.encode_utf16() {
        w.u16(unit);
    }
    w.u16(0);
    Ok(())
}

fn write_string8(w: &mut Writer, s: &str, value: &PropValue) -> Result<(), RestrictionError> {
    for c in s.chars() {
        match u8::try_from(u32::from(c)) {
            Ok(0) => {
                return Err(unencodable(
                    value,
                    "the string contains NUL, which ends it on the wire",
                ));
            }
            Ok(byte) => w.u8(byte),
            Err(_) => {
                return Err(unencodable(
                    value,
                    "PtypString8 is written as ISO-8859-1 and this character is outside it",
                ));
            }
        }
    }
    w.u8(0);
    Ok(())
}

fn write_binary(w: &mut Writer, bytes: &[u8], what: &str) -> Result<(), RestrictionError> {
    w.count(bytes.len(), what)?;
    w.bytes(bytes);
    Ok(())
}

pub(crate) fn write_value(w: &mut Writer, value: &PropValue) -> Result<(), RestrictionError> {
    match value {
        PropValue::Null => {}
        PropValue::Integer16(v) => w.u16(*v as u16),
        PropValue::Integer32(v) => w.u32(*v as u32),
        PropValue::Floating32(v) => w.u32(v.to_bits()),
        PropValue::Floating64(v) | PropValue::FloatingTime(v) => w.u64(v.to_bits()),
        PropValue::Currency(v) | PropValue::Integer64(v) => w.u64(*v as u64),
        PropValue::Error(code) => w.u32(code.value()),
        PropValue::Boolean(v) => w.u8(u8::from(*v)),
        PropValue::Object => {
            return Err(unencodable(value, "objects are opened, not carried in a restriction"));
        }
        PropValue::String8(s) => write_string8(w, s, value)?,
        PropValue::String(s) => write_unicode(w, s, value)?,
        PropValue::Time(t) => w.u64(t.0),
        PropValue::Guid(g) => w.bytes(&g.to_le_bytes()),
        PropValue::ServerId(b) => {
            // MS-OXCDATA 2.11.1: PtypServerId is always a 16-bit COUNT and the bytes.
            let len = u16::try_from(b.len())
                .map_err(|_| unencodable(value, "longer than a 16-bit COUNT allows"))?;
            w.u16(len);
            w.bytes(b);
        }
        // Already an encoded restriction; written as it is.
        PropValue::Restriction(b) => w.bytes(b),
        PropValue::RuleAction(_) => {
            return Err(unencodable(value, "rule actions are not supported in restrictions"));
        }
        PropValue::Binary(b) => write_binary(w, b, "PtypBinary value")?,
        PropValue::MultipleInteger16(v) => {
            w.count(v.len(), "PtypMultipleInteger16 value")?;
            v.iter().for_each(|x| w.u16(*x as u16));
        }
        PropValue::MultipleInteger32(v) => {
            w.count(v.len(), "PtypMultipleInteger32 value")?;
            v.iter().for_each(|x| w.u32(*x as u32));
        }
        PropValue::MultipleFloating32(v) => {
            w.count(v.len(), "PtypMultipleFloating32 value")?;
            v.iter().for_each(|x| w.u32(x.to_bits()));
        }
        PropValue::MultipleFloating64(v) | PropValue::MultipleFloatingTime(v) => {
            w.count(v.len(), "PtypMultipleFloating64 value")?;
            v.iter().for_each(|x| w.u64(x.to_bits()));
        }
        PropValue::MultipleCurrency(v) | PropValue::MultipleInteger64(v) => {
            w.count(v.len(), "PtypMultipleInteger64 value")?;
            v.iter().for_each(|x| w.u64(*x as u64));
        }
        PropValue::MultipleString8(v) => {
            w.count(v.len(), "PtypMultipleString8 value")?;
            for s in v {
                write_string8(w, s, value)?;
            }
        }
        PropValue::MultipleString(v) => {
            w.count(v.len(), "PtypMultipleString value")?;
            for s in v {
                write_unicode(w, s, value)?;
            }
        }
        PropValue::MultipleTime(v) => {
            w.count(v.len(), "PtypMultipleTime value")?;
            v.iter().for_each(|t| w.u64(t.0));
        }
        PropValue::MultipleGuid(v) => {
            w.count(v.len(), "PtypMultipleGuid value")?;
            v.iter().for_each(|g| w.bytes(&g.to_le_bytes()));
        }
        PropValue::MultipleBinary(v) => {
            w.count(v.len(), "PtypMultipleBinary value")?;
            for b in v {
                write_binary(w, b, "PtypMultipleBinary element")?;
            }
        }
    }
    Ok(())
}

fn read_unicode(r: &mut Reader<'_>) -> Result<String, RestrictionError> {
    let start = r.offset();
    let mut units = Vec::new();
    loop {
        let unit = r.u16("PtypString character (no NUL terminator before the end)")?;
        if unit == 0 {
            break;
        }
        units.push(unit);
    }
    String::from_utf16(&units).map_err(|_| RestrictionError::Invalid {
        what: "PtypString value",
        offset: start,
        found: "an unpaired UTF-16 surrogate".to_owned(),
        expected: "well-formed UTF-16LE",
    })
}

fn read_string8(r: &mut Reader<'_>) -> Result<String, RestrictionError> {
    let mut s = String::new();
    loop {
        let byte = r.u8("PtypString8 character (no NUL terminator before the end)")?;
        if byte == 0 {
            return Ok(s);
        }
        s.push(char::from(byte));
    }
}

fn read_binary(r: &mut Reader<'_>, what: &'static str) -> Result<Vec<u8>, RestrictionError> {
    let len = r.count(what, 1)?;
    Ok(r.take(len, what)?.to_vec())
}

fn read_array<T>(
    r: &mut Reader<'_>,
    what: &'static str,
    min_size: usize,
    mut item: impl FnMut(&mut Reader<'_>) -> Result<T, RestrictionError>,
) -> Result<Vec<T>, RestrictionError> {
    let count = r.count(what, min_size)?;
    let mut out = Vec::with_capacity(count);
    for _ in 0..count {
        out.push(item(r)?);
    }
    Ok(out)
}

pub(crate) fn read_value(
    r: &mut Reader<'_>,
    prop_type: PropType,
    depth: usize,
) -> Result<PropValue, RestrictionError> {
    let offset = r.offset();
    let count_size = r.width.bytes();
    Ok(match prop_type {
        PropType::Null => PropValue::Null,
        PropType::Integer16 => PropValue::Integer16(r.u16("PtypInteger16 value")? as i16),
        PropType::Integer32 => PropValue::Integer32(r.u32("PtypInteger32 value")? as i32),
        PropType::Floating32 => {
            PropValue::Floating32(f32::from_bits(r.u32("PtypFloating32 value")?))
        }
        PropType::Floating64 => {
            PropValue::Floating64(f64::from_bits(r.u64("PtypFloating64 value")?))
        }
        PropType::Currency => PropValue::Currency(r.u64("PtypCurrency value")? as i64),
        PropType::FloatingTime => {
            PropValue::FloatingTime(f64::from_bits(r.u64("PtypFloatingTime value")?))
        }
        PropType::ErrorCode => {
            PropValue::Error(ErrorCode::from_value(r.u32("PtypErrorCode value")?))
        }
        PropType::Boolean => PropValue::Boolean(r.u8("PtypBoolean value")? != 0),
        PropType::Integer64 => PropValue::Integer64(r.u64("PtypInteger64 value")? as i64),
        PropType::String8 => PropValue::String8(read_string8(r)?),
        PropType::String => PropValue::String(read_unicode(r)?),
        PropType::Time => PropValue::Time(FileTime(r.u64("PtypTime value")?)),
        PropType::Guid => PropValue::Guid(Guid::from_le_bytes(r.bytes16("PtypGuid value")?)),
        PropType::ServerId => {
            let len = usize::from(r.u16("COUNT of PtypServerId value")?);
            PropValue::ServerId(r.take(len, "PtypServerId value")?.to_vec())
        }
        PropType::Restriction => {
            let start = r.offset();
            read_restriction_at_depth(r, depth + 1)?;
            PropValue::Restriction(r.bytes_since(start).to_vec())
        }
        PropType::Binary => PropValue::Binary(read_binary(r, "PtypBinary value")?),
        PropType::MultipleInteger16 => PropValue::MultipleInteger16(read_array(
            r,
            "COUNT of PtypMultipleInteger16 value",
            2,
            |r| Ok(r.u16("PtypMultipleInteger16 element")? as i16),
        )?),
        PropType::MultipleInteger32 => PropValue::MultipleInteger32(read_array(
            r,
            "COUNT of PtypMultipleInteger32 value",
            4,
            |r| Ok(r.u32("PtypMultipleInteger32 element")? as i32),
        )?),
        PropType::MultipleFloating32 => PropValue::MultipleFloating32(read_array(
            r,
            "COUNT of PtypMultipleFloating32 value",
            4,
            |r| Ok(f32::from_bits(r.u32("PtypMultipleFloating32 element")?)),
        )?),
        PropType::MultipleFloating64 => PropValue::MultipleFloating64(read_array(
            r,
            "COUNT of PtypMultipleFloating64 value",
            8,
            |r| Ok(f64::from_bits(r.u64("PtypMultipleFloating64 element")?)),
        )?),
        PropType::MultipleFloatingTime => PropValue::MultipleFloatingTime(read_array(
            r,
            "COUNT of PtypMultipleFloatingTime value",
            8,
            |r| Ok(f64::from_bits(r.u64("PtypMultipleFloatingTime element")?)),
        )?),
        PropType::MultipleCurrency => PropValue::MultipleCurrency(read_array(
            r,
            "COUNT of PtypMultipleCurrency value",
            8,
            |r| Ok(r.u64("PtypMultipleCurrency element")? as i64),
        )?),
        PropType::MultipleInteger64 => PropValue::MultipleInteger64(read_array(
            r,
            "COUNT of PtypMultipleInteger64 value",
            8,
            |r| Ok(r.u64("PtypMultipleInteger64 element")? as i64),
        )?),
        PropType::MultipleString8 => PropValue::MultipleString8(read_array(
            r,
            "COUNT of PtypMultipleString8 value",
            1,
            read_string8,
        )?),
        PropType::MultipleString => PropValue::MultipleString(read_array(
            r,
            "COUNT of PtypMultipleString value",
            2,
            read_unicode,
        )?),
        PropType::MultipleTime => {
            PropValue::MultipleTime(read_array(r, "COUNT of PtypMultipleTime value", 8, |r| {
                Ok(FileTime(r.u64("PtypMultipleTime element")?))
            })?)
        }
        PropType::MultipleGuid => {
            PropValue::MultipleGuid(read_array(r, "COUNT of PtypMultipleGuid value", 16, |r| {
                Ok(Guid::from_le_bytes(r.bytes16("PtypMultipleGuid element")?))
            })?)
        }
        PropType::MultipleBinary => PropValue::MultipleBinary(read_array(
            r,
            "COUNT of PtypMultipleBinary value",
            count_size,
            |r| read_binary(r, "PtypMultipleBinary element"),
        )?),
        PropType::Unspecified | PropType::Object | PropType::RuleAction => {
            return Err(RestrictionError::Invalid {
                what: "PropertyType of a restriction value",
                offset,
                found: prop_type.spec_name().to_owned(),
                expected: "a type whose value can be carried in a restriction",
            });
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unicode_string_is_utf16le_with_terminator() {
        let bytes =
            encode_property_value(&PropValue::String("Hé".into()), CountWidth::Bits16).unwrap();
        assert_eq!(bytes, [0x48, 0x00, 0xE9, 0x00, 0x00, 0x00]);
        let back = decode_property_value(&bytes, PropType::String, CountWidth::Bits16).unwrap();
        assert_eq!(back, PropValue::String("Hé".into()));
    }

    #[test]
    fn string8_is_one_byte_per_character_with_terminator() {
        let bytes =
            encode_property_value(&PropValue::String8("Hé".into()), CountWidth::Bits16).unwrap();
        assert_eq!(bytes, [0x48, 0xE9, 0x00]);
        let err = encode_property_value(&PropValue::String8("€".into()), CountWidth::Bits16);
        assert!(matches!(err, Err(RestrictionError::Unencodable { .. })));
    }

    #[test]
    fn binary_count_follows_the_width() {
        let value = PropValue::Binary(vec![0xAB]);
        assert_eq!(encode_property_value(&value, CountWidth::Bits16).unwrap(), [1, 0, 0xAB]);
        assert_eq!(encode_property_value(&value, CountWidth::Bits32).unwrap(), [1, 0, 0, 0, 0xAB]);
    }

    #[test]
    fn a_string_without_terminator_is_truncated_at_its_end() {
        let err = decode_property_value(&[0x41, 0x00, 0x42], PropType::String, CountWidth::Bits16)
            .unwrap_err();
        assert!(
            matches!(err, RestrictionError::Truncated { offset: 2, .. }),
            "unexpected error {err}"
        );
    }

    #[test]
    fn a_huge_count_is_refused_before_allocating() {
        let err = decode_property_value(
            &[0xFF, 0xFF, 0xFF, 0xFF, 0],
            PropType::MultipleGuid,
            CountWidth::Bits32,
        )
        .unwrap_err();
        assert!(matches!(err, RestrictionError::Invalid { offset: 0, .. }), "unexpected {err}");
    }

    #[test]
    fn tag_and_value_type_must_agree() {
        let wrong = TaggedValue { tag: PropTag(0x0037_001F), value: PropValue::Integer32(1) };
        assert!(encode_tagged_value(&wrong, CountWidth::Bits16).is_err());
    }

    #[test]
    fn a_multivalue_instance_tag_carries_one_element() {
        let tag = PropTag(0x8001_301F);
        assert_eq!(value_type_of(tag), Some(PropType::String));
        let value = TaggedValue { tag, value: PropValue::String("x".into()) };
        let bytes = encode_tagged_value(&value, CountWidth::Bits16).unwrap();
        assert_eq!(decode_tagged_value(&bytes, CountWidth::Bits16).unwrap(), value);
    }
}
