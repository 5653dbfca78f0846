//! Property values in SQLite. Scalars use SQLite's own types so that SQL can compare and sort
//! them (integers, booleans, times and error codes as INTEGER, floats as REAL, strings as TEXT,
//! binaries and GUIDs as BLOB); multi-valued values are one BLOB in the counted layout of
//! MS-OXCDATA 2.11.1 (count, then each element; variable-size elements with a u32 length).
//! The tag stored beside the value says how to read it back.

use mapi::{ErrorCode, FileTime, Guid, MapiError, MapiResult, PropTag, PropType, PropValue};
use rusqlite::types::{ToSqlOutput, Value, ValueRef};

/// The SQLite value for a property value.
pub fn to_sql(value: &PropValue) -> Value {
    match value {
        PropValue::Null | PropValue::Object => Value::Null,
        PropValue::Integer16(v) => Value::Integer(i64::from(*v)),
        PropValue::Integer32(v) => Value::Integer(i64::from(*v)),
        PropValue::Integer64(v) | PropValue::Currency(v) => Value::Integer(*v),
        PropValue::Boolean(v) => Value::Integer(i64::from(*v)),
        PropValue::Error(code) => Value::Integer(i64::from(code.value())),
        // FILETIME is unsigned; the bit pattern is kept so every value round-trips, and every
        // date before the year 30828 sorts correctly as a signed integer.
        PropValue::Time(t) => Value::Integer(t.0.cast_signed()),
        // SQLite stores NaN as NULL; a NaN keeps its bits in a BLOB (which sorts after every
        // number, as `compare_values` orders NaN).
        PropValue::Floating32(v) if v.is_nan() => Value::Blob(v.to_le_bytes().to_vec()),
        PropValue::Floating64(v) | PropValue::FloatingTime(v) if v.is_nan() => {
            Value::Blob(v.to_le_bytes().to_vec())
        }
        PropValue::Floating32(v) => Value::Real(f64::from(*v)),
        PropValue::Floating64(v) | PropValue::FloatingTime(v) => Value::Real(*v),
        PropValue::String(s) | PropValue::String8(s) => Value::Text(s.clone()),
        PropValue::Guid(g) => Value::Blob(g.to_le_bytes().to_vec()),
        PropValue::Binary(b)
        | PropValue::ServerId(b)
        | PropValue::Restriction(b)
        | PropValue::RuleAction(b) => Value::Blob(b.clone()),
        multi => Value::Blob(encode_multi(multi)),
    }
}

/// [`to_sql`] without copying strings and binaries: the value is bound where it lies, which
/// spares a bulk save one copy of every body.
pub fn to_sql_ref(value: &PropValue) -> ToSqlOutput<'_> {
    match value {
        PropValue::String(s) | PropValue::String8(s) => {
            ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes()))
        }
        PropValue::Binary(b)
        | PropValue::ServerId(b)
        | PropValue::Restriction(b)
        | PropValue::RuleAction(b) => ToSqlOutput::Borrowed(ValueRef::Blob(b)),
        other => ToSqlOutput::Owned(to_sql(other)),
    }
}

fn encode_multi(value: &PropValue) -> Vec<u8> {
    let mut out = Vec::new();
    let count = u32::try_from(value.value_count()).unwrap_or(u32::MAX);
    out.extend_from_slice(&count.to_le_bytes());
    let var = |out: &mut Vec<u8>, bytes: &[u8]| {
        out.extend_from_slice(&u32::try_from(bytes.len()).unwrap_or(u32::MAX).to_le_bytes());
        out.extend_from_slice(bytes);
    };
    match value {
        PropValue::MultipleInteger16(v) => v.iter().for_each(|x| out.extend(x.to_le_bytes())),
        PropValue::MultipleInteger32(v) => v.iter().for_each(|x| out.extend(x.to_le_bytes())),
        PropValue::MultipleFloating32(v) => v.iter().for_each(|x| out.extend(x.to_le_bytes())),
        PropValue::MultipleFloating64(v) | PropValue::MultipleFloatingTime(v) => {
            v.iter().for_each(|x| out.extend(x.to_le_bytes()));
        }
        PropValue::MultipleCurrency(v) | PropValue::MultipleInteger64(v) => {
            v.iter().for_each(|x| out.extend(x.to_le_bytes()));
        }
        PropValue::MultipleTime(v) => v.iter().for_each(|x| out.extend(x.0.to_le_bytes())),
        PropValue::MultipleGuid(v) => v.iter().for_each(|x| out.extend(x.to_le_bytes())),
        PropValue::MultipleString(v) | PropValue::MultipleString8(v) => {
            v.iter().for_each(|s| var(&mut out, s.as_bytes()));
        }
        PropValue::MultipleBinary(v) => v.iter().for_each(|b| var(&mut out, b)),
        _ => {}
    }
    out
}

fn corrupt(tag: PropTag, what: impl std::fmt::Display) -> MapiError {
    MapiError::new(ErrorCode::CorruptData, format!("stored value of property {tag}: {what}"))
}

/// Reads a stored value back as the type its tag names.
pub fn from_sql(tag: PropTag, value: ValueRef<'_>) -> MapiResult<PropValue> {
    let prop_type = tag
        .prop_type()
        .ok_or_else(|| corrupt(tag, format!("unknown property type 0x{:04X}", tag.type_code())))?;
    let int = || match value {
        ValueRef::Integer(i) => Ok(i),
        other => Err(corrupt(tag, format!("expected INTEGER, found {:?}", other.data_type()))),
    };
    let real = || match value {
        ValueRef::Real(r) => Ok(r),
        ValueRef::Integer(i) => Ok(i as f64),
        ValueRef::Blob(b) if b.len() == 8 => Ok(f64::from_le_bytes(b.try_into().unwrap_or([0; 8]))),
        ValueRef::Blob(b) if b.len() == 4 => {
            Ok(f64::from(f32::from_le_bytes(b.try_into().unwrap_or([0; 4]))))
        }
        other => Err(corrupt(tag, format!("expected REAL, found {:?}", other.data_type()))),
    };
    let text = || match value {
        ValueRef::Text(t) => String::from_utf8(t.to_vec()).map_err(|e| corrupt(tag, e)),
        other => Err(corrupt(tag, format!("expected TEXT, found {:?}", other.data_type()))),
    };
    let blob = || match value {
        ValueRef::Blob(b) => Ok(b.to_vec()),
        other => Err(corrupt(tag, format!("expected BLOB, found {:?}", other.data_type()))),
    };
    let narrow = |i: i64| i32::try_from(i).map_err(|_| corrupt(tag, format!("{i} out of range")));
    Ok(match prop_type {
        PropType::Null | PropType::Unspecified => PropValue::Null,
        PropType::Object => PropValue::Object,
        PropType::Integer16 => PropValue::Integer16(
            i16::try_from(int()?).map_err(|_| corrupt(tag, "out of the Integer16 range"))?,
        ),
        PropType::Integer32 => PropValue::Integer32(narrow(int()?)?),
        PropType::Integer64 => PropValue::Integer64(int()?),
        PropType::Currency => PropValue::Currency(int()?),
        PropType::Boolean => PropValue::Boolean(int()? != 0),
        PropType::ErrorCode => PropValue::Error(ErrorCode::from_value(int()? as u32)),
        PropType::Time => PropValue::Time(FileTime(int()?.cast_unsigned())),
        PropType::Floating32 => PropValue::Floating32(real()? as f32),
        PropType::Floating64 => PropValue::Floating64(real()?),
        PropType::FloatingTime => PropValue::FloatingTime(real()?),
        PropType::String => PropValue::String(text()?),
        PropType::String8 => PropValue::String8(text()?),
        PropType::Guid => {
            let bytes: [u8; 16] = blob()?
                .try_into()
                .map_err(|b: Vec<u8>| corrupt(tag, format!("GUID of {} bytes", b.len())))?;
            PropValue::Guid(Guid::from_le_bytes(bytes))
        }
        PropType::Binary => PropValue::Binary(blob()?),
        PropType::ServerId => PropValue::ServerId(blob()?),
        PropType::Restriction => PropValue::Restriction(blob()?),
        PropType::RuleAction => PropValue::RuleAction(blob()?),
        multi => decode_multi(tag, multi, &blob()?)?,
    })
}

struct Reader<'a> {
    tag: PropTag,
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> MapiResult<&'a [u8]> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.bytes.len()).ok_or_else(|| {
            corrupt(
                self.tag,
                format!(
                    "{n} bytes at offset {} run past the end ({} bytes)",
                    self.at,
                    self.bytes.len()
                ),
            )
        })?;
        let out = &self.bytes[self.at..end];
        self.at = end;
        Ok(out)
    }

    fn array<const N: usize>(&mut self) -> MapiResult<[u8; N]> {
        let mut out = [0; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    fn var(&mut self) -> MapiResult<&'a [u8]> {
        let len = u32::from_le_bytes(self.array()?) as usize;
        self.take(len)
    }
}

fn decode_multi(tag: PropTag, prop_type: PropType, bytes: &[u8]) -> MapiResult<PropValue> {
    let mut r = Reader { tag, bytes, at: 0 };
    let count = u32::from_le_bytes(r.array()?) as usize;
    // Every element takes at least one byte of the blob (or four for variable-size ones), so
    // the count cannot ask for more memory than the stored value justifies.
    let min = prop_type.element().fixed_size().unwrap_or(4).max(1);
    if count > bytes.len() / min {
        return Err(corrupt(tag, format!("count {count} does not fit in {} bytes", bytes.len())));
    }
    macro_rules! each {
        ($f:expr) => {{
            let mut v = Vec::with_capacity(count);
            for _ in 0..count {
                v.push($f(&mut r)?);
            }
            v
        }};
    }
    let string = |r: &mut Reader<'_>| -> MapiResult<String> {
        String::from_utf8(r.var()?.to_vec()).map_err(|e| corrupt(tag, e))
    };
    Ok(match prop_type {
        PropType::MultipleInteger16 => PropValue::MultipleInteger16(each!(|r: &mut Reader<'_>| r
            .array()
            .map(i16::from_le_bytes))),
        PropType::MultipleInteger32 => PropValue::MultipleInteger32(each!(|r: &mut Reader<'_>| r
            .array()
            .map(i32::from_le_bytes))),
        PropType::MultipleFloating32 => {
            PropValue::MultipleFloating32(each!(|r: &mut Reader<'_>| r
                .array()
                .map(f32::from_le_bytes)))
        }
        PropType::MultipleFloating64 => {
            PropValue::MultipleFloating64(each!(|r: &mut Reader<'_>| r
                .array()
                .map(f64::from_le_bytes)))
        }
        PropType::MultipleFloatingTime => {
            PropValue::MultipleFloatingTime(each!(|r: &mut Reader<'_>| r
                .array()
                .map(f64::from_le_bytes)))
        }
        PropType::MultipleCurrency => PropValue::MultipleCurrency(each!(|r: &mut Reader<'_>| r
            .array()
            .map(i64::from_le_bytes))),
        PropType::MultipleInteger64 => PropValue::MultipleInteger64(each!(|r: &mut Reader<'_>| r
            .array()
            .map(i64::from_le_bytes))),
        PropType::MultipleTime => PropValue::MultipleTime(each!(|r: &mut Reader<'_>| r
            .array()
            .map(|b| FileTime(u64::from_le_bytes(b))))),
        PropType::MultipleGuid => {
            PropValue::MultipleGuid(each!(|r: &mut Reader<'_>| r.array().map(Guid::from_le_bytes)))
        }
        PropType::MultipleString => PropValue::MultipleString(each!(string)),
        PropType::MultipleString8 => PropValue::MultipleString8(each!(string)),
        PropType::MultipleBinary => {
            PropValue::MultipleBinary(each!(|r: &mut Reader<'_>| r.var().map(<[u8]>::to_vec)))
        }
        other => return Err(corrupt(tag, format!("{other} is not multi-valued"))),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(value: PropValue) {
        let tag = PropTag::new(0x6600, value.prop_type());
        let sql = to_sql(&value);
        // The borrowed form binds exactly what the owned one stores.
        let borrowed = match to_sql_ref(&value) {
            ToSqlOutput::Borrowed(r) => Value::try_from(r).expect("a text or blob value"),
            ToSqlOutput::Owned(v) => v,
            other => panic!("unexpected binding {other:?}"),
        };
        assert_eq!(borrowed, sql, "{value:?}");
        let back = from_sql(tag, ValueRef::from(&sql)).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn every_type_round_trips() {
        round_trip(PropValue::Integer16(-5));
        round_trip(PropValue::Integer32(i32::MIN));
        round_trip(PropValue::Integer64(i64::MAX));
        round_trip(PropValue::Currency(-12_345));
        round_trip(PropValue::Boolean(true));
        round_trip(PropValue::Error(ErrorCode::NotFound));
        round_trip(PropValue::Time(FileTime(u64::MAX)));
        round_trip(PropValue::Floating32(1.25));
        round_trip(PropValue::Floating64(-0.5));
        round_trip(PropValue::FloatingTime(45_000.25));
        round_trip(PropValue::String("héllo".into()));
        round_trip(PropValue::String8("ansi".into()));
        round_trip(PropValue::Guid(Guid::new_random()));
        round_trip(PropValue::Binary(vec![0, 1, 255]));
        round_trip(PropValue::MultipleInteger16(vec![1, -1]));
        round_trip(PropValue::MultipleString(vec!["a".into(), String::new(), "ü".into()]));
        round_trip(PropValue::MultipleBinary(vec![vec![], vec![1, 2]]));
        round_trip(PropValue::MultipleTime(vec![FileTime(1), FileTime(2)]));
        round_trip(PropValue::MultipleGuid(vec![Guid::NIL]));
        round_trip(PropValue::MultipleCurrency(vec![7]));
        round_trip(PropValue::MultipleFloatingTime(vec![2.5]));
    }

    #[test]
    fn nan_survives_sqlite() {
        let tag = PropTag::new(0x6600, PropType::Floating64);
        let sql = to_sql(&PropValue::Floating64(f64::NAN));
        let back = from_sql(tag, ValueRef::from(&sql)).unwrap();
        assert!(back.as_f64().is_some_and(f64::is_nan));
    }

    #[test]
    fn a_multi_value_whose_count_exceeds_its_bytes_is_corrupt_not_allocated() {
        let tag = PropTag::new(0x6600, PropType::MultipleInteger64);
        let bytes = u32::MAX.to_le_bytes();
        let err = from_sql(tag, ValueRef::Blob(&bytes)).unwrap_err();
        assert_eq!(err.code, ErrorCode::CorruptData);
        assert!(err.message.contains("0x66001014"), "{}", err.message);
    }

    #[test]
    fn a_value_of_the_wrong_sqlite_type_is_corrupt() {
        let tag = PropTag::new(0x0037, PropType::String);
        let err = from_sql(tag, ValueRef::Integer(3)).unwrap_err();
        assert!(err.message.contains("expected TEXT"), "{}", err.message);
    }
}
