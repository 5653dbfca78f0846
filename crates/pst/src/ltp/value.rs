//! Decoding property bytes into [`PropValue`] (MS-PST 2.3.3.4 for variable-size and
//! multi-valued layouts; MS-OXCDATA 2.11.1 for the types).

use crate::io::{u16_at, u32_at, u64_at};
use encoding_rs::Encoding;
use mapi::{ErrorCode, FileTime, Guid, PropType, PropValue};

/// The encoding for an 8-bit string code page; windows-1252 where unknown.
pub fn encoding_for_codepage(codepage: Option<u32>) -> &'static Encoding {
    codepage
        .and_then(|cp| u16::try_from(cp).ok())
        .and_then(codepage::to_encoding)
        .unwrap_or(encoding_rs::WINDOWS_1252)
}

/// UTF-16LE to a string; unpaired surrogates become U+FFFD. One trailing NUL is dropped.
/// An odd last byte is not a code unit and is ignored. `encoding_rs` decodes without the
/// intermediate `Vec<u16>` and replaces unpaired surrogates the same way, one U+FFFD each.
pub fn decode_utf16(bytes: &[u8]) -> String {
    let bytes = &bytes[..bytes.len() & !1];
    let bytes = bytes.strip_suffix(&[0, 0]).unwrap_or(bytes);
    encoding_rs::UTF_16LE.decode_without_bom_handling(bytes).0.into_owned()
}

/// 8-bit string in the given encoding; one trailing NUL is dropped.
pub fn decode_string8(bytes: &[u8], encoding: &'static Encoding) -> String {
    let bytes = bytes.strip_suffix(&[0]).unwrap_or(bytes);
    encoding.decode_without_bom_handling(bytes).0.into_owned()
}

fn f32_at(b: &[u8], at: usize) -> f32 {
    f32::from_bits(u32_at(b, at))
}

fn f64_at(b: &[u8], at: usize) -> f64 {
    f64::from_bits(u64_at(b, at))
}

fn guid_at(b: &[u8], at: usize) -> Guid {
    let mut g = [0u8; 16];
    if let Some(s) = b.get(at..at + 16) {
        g.copy_from_slice(s);
    }
    Guid::from_le_bytes(g)
}

/// Splits a variable-size multi-valued property: `ulCount`, `rgulDataOffsets`, then the data.
fn split_multi(b: &[u8]) -> Option<Vec<&[u8]>> {
    let count = u32_at(b, 0) as usize;
    if b.len() < 4 || count > (b.len() - 4) / 4 {
        return None;
    }
    let offsets: Vec<usize> = (0..count).map(|i| u32_at(b, 4 + 4 * i) as usize).collect();
    let mut out = Vec::with_capacity(count);
    for i in 0..count {
        let start = offsets[i];
        let end = offsets.get(i + 1).copied().unwrap_or(b.len());
        out.push(b.get(start..end)?);
    }
    Some(out)
}

/// Decodes a value of `prop_type` from its bytes. `None` when the bytes cannot hold that type.
pub fn decode_value(
    prop_type: PropType,
    b: &[u8],
    encoding: &'static Encoding,
) -> Option<PropValue> {
    let need = prop_type.fixed_size().unwrap_or(0);
    if b.len() < need {
        return None;
    }
    let fixed = |size: usize| b.chunks_exact(size);
    Some(match prop_type {
        PropType::Unspecified | PropType::Null => PropValue::Null,
        PropType::Integer16 => PropValue::Integer16(u16_at(b, 0) as i16),
        PropType::Integer32 => PropValue::Integer32(u32_at(b, 0) as i32),
        PropType::Floating32 => PropValue::Floating32(f32_at(b, 0)),
        PropType::Floating64 => PropValue::Floating64(f64_at(b, 0)),
        PropType::Currency => PropValue::Currency(u64_at(b, 0) as i64),
        PropType::FloatingTime => PropValue::FloatingTime(f64_at(b, 0)),
        PropType::ErrorCode => PropValue::Error(ErrorCode::from_value(u32_at(b, 0))),
        PropType::Boolean => PropValue::Boolean(b[0] != 0),
        PropType::Object => PropValue::Object,
        PropType::Integer64 => PropValue::Integer64(u64_at(b, 0) as i64),
        PropType::String8 => PropValue::String8(decode_string8(b, encoding)),
        PropType::String => PropValue::String(decode_utf16(b)),
        PropType::Time => PropValue::Time(FileTime(u64_at(b, 0))),
        PropType::Guid => PropValue::Guid(guid_at(b, 0)),
        PropType::ServerId => PropValue::ServerId(b.to_vec()),
        PropType::Restriction => PropValue::Restriction(b.to_vec()),
        PropType::RuleAction => PropValue::RuleAction(b.to_vec()),
        PropType::Binary => PropValue::Binary(b.to_vec()),
        PropType::MultipleInteger16 => {
            PropValue::MultipleInteger16(fixed(2).map(|c| u16_at(c, 0) as i16).collect())
        }
        PropType::MultipleInteger32 => {
            PropValue::MultipleInteger32(fixed(4).map(|c| u32_at(c, 0) as i32).collect())
        }
        PropType::MultipleFloating32 => {
            PropValue::MultipleFloating32(fixed(4).map(|c| f32_at(c, 0)).collect())
        }
        PropType::MultipleFloating64 => {
            PropValue::MultipleFloating64(fixed(8).map(|c| f64_at(c, 0)).collect())
        }
        PropType::MultipleCurrency => {
            PropValue::MultipleCurrency(fixed(8).map(|c| u64_at(c, 0) as i64).collect())
        }
        PropType::MultipleFloatingTime => {
            PropValue::MultipleFloatingTime(fixed(8).map(|c| f64_at(c, 0)).collect())
        }
        PropType::MultipleInteger64 => {
            PropValue::MultipleInteger64(fixed(8).map(|c| u64_at(c, 0) as i64).collect())
        }
        PropType::MultipleTime => {
            PropValue::MultipleTime(fixed(8).map(|c| FileTime(u64_at(c, 0))).collect())
        }
        PropType::MultipleGuid => {
            PropValue::MultipleGuid(fixed(16).map(|c| guid_at(c, 0)).collect())
        }
        PropType::MultipleString8 => PropValue::MultipleString8(
            split_multi(b)?.into_iter().map(|s| decode_string8(s, encoding)).collect(),
        ),
        PropType::MultipleString => {
            PropValue::MultipleString(split_multi(b)?.into_iter().map(decode_utf16).collect())
        }
        PropType::MultipleBinary => {
            PropValue::MultipleBinary(split_multi(b)?.into_iter().map(<[u8]>::to_vec).collect())
        }
    })
}

/// Whether a value of this type sits inline in a PC entry's `dwValueHnid` (MS-PST 2.3.3.3):
/// fixed-size types of at most 4 bytes.
pub fn is_inline_in_pc(prop_type: PropType) -> bool {
    prop_type.fixed_size().is_some_and(|s| s <= 4)
}

/// Whether a value of this type sits inline in a TC row (MS-PST 2.3.4.4.1): fixed-size types
/// of at most 8 bytes.
pub fn is_inline_in_tc(prop_type: PropType) -> bool {
    prop_type.fixed_size().is_some_and(|s| s <= 8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_decoding_replaces_unpaired_surrogates_like_the_standard_library() {
        let cases: [&[u16]; 7] = [
            &[0x41, 0xD83D, 0xDE00, 0x42],
            &[0xD800],
            &[0xDC00, 0x41],
            &[0xD800, 0xD800, 0xDC00],
            &[0x41, 0xD800, 0x42, 0],
            &[0xDBFF, 0xDFFF, 0xFFFF, 0xFEFF, 0],
            &[0, 0],
        ];
        for units in cases {
            let bytes: Vec<u8> = units.iter().flat_map(|u| u.to_le_bytes()).collect();
            let expected = String::from_utf16_lossy(units.strip_suffix(&[0]).unwrap_or(units));
            assert_eq!(decode_utf16(&bytes), expected, "units {units:x?}");
        }
    }

    #[test]
    fn an_odd_trailing_byte_of_utf16_is_ignored() {
        assert_eq!(decode_utf16(&[0x41, 0, 0x42, 0, 0x43]), "AB");
    }

    #[test]
    fn multi_valued_strings_split_at_their_offsets() {
        // ulCount 2, offsets 12 and 16, then "ab" and "c" in UTF-16LE.
        let mut b = vec![2, 0, 0, 0, 12, 0, 0, 0, 16, 0, 0, 0];
        b.extend_from_slice(&[b'a', 0, b'b', 0, b'c', 0]);
        let v = decode_value(PropType::MultipleString, &b, encoding_rs::WINDOWS_1252).unwrap();
        assert_eq!(v, PropValue::MultipleString(vec!["ab".into(), "c".into()]));
    }

    #[test]
    fn a_multi_valued_count_larger_than_the_data_is_refused() {
        let b = [0xFF, 0xFF, 0xFF, 0x7F, 0, 0, 0, 0];
        assert_eq!(decode_value(PropType::MultipleBinary, &b, encoding_rs::WINDOWS_1252), None);
    }

    #[test]
    fn string8_uses_the_code_page() {
        let cp1251 = encoding_for_codepage(Some(1251));
        assert_eq!(decode_string8(&[0xCF, 0xF0, 0x00], cp1251), "Пр");
        assert_eq!(decode_string8(&[0xE9], encoding_for_codepage(None)), "é");
    }
}
