//! The message both store benchmarks insert: 8 properties and a 2 KiB body (issue 4's
//! shape), so their numbers describe the same data.

use mapi::{FileTime, PropTag, PropType, PropValue, TaggedValue};

pub fn message(i: usize) -> Vec<TaggedValue> {
    let t =
        |id: u16, ty: PropType, value: PropValue| TaggedValue { tag: PropTag::new(id, ty), value };
    vec![
        t(0x001A, PropType::String, PropValue::String("IPM.Note".into())),
        t(0x0037, PropType::String, PropValue::String(format!("benchmark message {i}"))),
        t(0x0C1A, PropType::String, PropValue::String("Sender Name".into())),
        t(0x0C1F, PropType::String, PropValue::String("sender@example.com".into())),
        t(
            0x0E06,
            PropType::Time,
            PropValue::Time(FileTime(
                133_000_000_000_000_000 + (i as u64 * 7919 % 1_000_003) * 10_000_000,
            )),
        ),
        t(0x0E07, PropType::Integer32, PropValue::Integer32(1)),
        t(0x0017, PropType::Integer32, PropValue::Integer32((i % 3) as i32)),
        t(0x1000, PropType::String, PropValue::String("b".repeat(2048))),
    ]
}
