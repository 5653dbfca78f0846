//! Property tests of the restriction and sort order codecs (MS-OXCDATA 2.12, 2.13).

use mapi::restriction::{
    BitmaskRelOp, CountWidth, FuzzyLevel, FuzzyMatch, RelOp, Restriction, RestrictionError,
    SortDirection, SortOrder, SortOrderSet, SubObject, decode_restriction, decode_sort_order_set,
    encode_restriction, read_restriction,
};
use mapi::{ErrorCode, FileTime, Guid, PropTag, PropType, PropValue, TaggedValue};
use proptest::collection::vec;
use proptest::prelude::*;

fn width() -> impl Strategy<Value = CountWidth> {
    prop_oneof![Just(CountWidth::Bits16), Just(CountWidth::Bits32)]
}

fn unicode() -> impl Strategy<Value = String> {
    "\\PC{0,8}"
}

fn ansi() -> impl Strategy<Value = String> {
    "[\u{1}-\u{ff}]{0,8}"
}

fn finite() -> impl Strategy<Value = f64> {
    -1.0e12f64..1.0e12
}

fn guid() -> impl Strategy<Value = Guid> {
    any::<[u8; 16]>().prop_map(Guid::from_le_bytes)
}

/// Values of every type a restriction can carry, except PtypRestriction (added per width).
fn plain_value() -> impl Strategy<Value = PropValue> {
    prop_oneof![
        Just(PropValue::Null),
        any::<i16>().prop_map(PropValue::Integer16),
        any::<i32>().prop_map(PropValue::Integer32),
        (-1.0e6f32..1.0e6).prop_map(PropValue::Floating32),
        finite().prop_map(PropValue::Floating64),
        any::<i64>().prop_map(PropValue::Currency),
        finite().prop_map(PropValue::FloatingTime),
        any::<u32>().prop_map(|v| PropValue::Error(ErrorCode::from_value(v))),
        any::<bool>().prop_map(PropValue::Boolean),
        any::<i64>().prop_map(PropValue::Integer64),
        ansi().prop_map(PropValue::String8),
        unicode().prop_map(PropValue::String),
        any::<u64>().prop_map(|v| PropValue::Time(FileTime(v))),
        guid().prop_map(PropValue::Guid),
        vec(any::<u8>(), 0..6).prop_map(PropValue::ServerId),
        vec(any::<u8>(), 0..6).prop_map(PropValue::Binary),
        vec(any::<i16>(), 0..4).prop_map(PropValue::MultipleInteger16),
        vec(any::<i32>(), 0..4).prop_map(PropValue::MultipleInteger32),
        vec(-1.0e6f32..1.0e6, 0..4).prop_map(PropValue::MultipleFloating32),
        vec(finite(), 0..4).prop_map(PropValue::MultipleFloating64),
        vec(any::<i64>(), 0..4).prop_map(PropValue::MultipleCurrency),
        vec(finite(), 0..4).prop_map(PropValue::MultipleFloatingTime),
        vec(any::<i64>(), 0..4).prop_map(PropValue::MultipleInteger64),
        vec(ansi(), 0..4).prop_map(PropValue::MultipleString8),
        vec(unicode(), 0..4).prop_map(PropValue::MultipleString),
        vec(any::<u64>().prop_map(FileTime), 0..4).prop_map(PropValue::MultipleTime),
        vec(guid(), 0..4).prop_map(PropValue::MultipleGuid),
        vec(vec(any::<u8>(), 0..4), 0..4).prop_map(PropValue::MultipleBinary),
    ]
}

fn tagged(width: CountWidth) -> impl Strategy<Value = TaggedValue> {
    // An encoded Exist restriction stands in for PtypRestriction values inside restrictions.
    let nested = any::<u32>().prop_map(move |tag| {
        let bytes = encode_restriction(&Restriction::Exist { tag: PropTag(tag) }, width)
            .expect("an exist restriction always encodes");
        PropValue::Restriction(bytes)
    });
    let value = prop_oneof![9 => plain_value(), 1 => nested];
    prop_oneof![
        5 => (any::<u16>(), value).prop_map(|(id, v)| TaggedValue::new(id, v)),
        // A multi-value instance tag carries a single element.
        1 => (any::<u16>(), unicode()).prop_map(|(id, s)| TaggedValue {
            tag: PropTag((u32::from(id) << 16) | 0x301F),
            value: PropValue::String(s),
        }),
    ]
}

fn relop() -> impl Strategy<Value = RelOp> {
    proptest::sample::select(RelOp::ALL.to_vec())
}

fn fuzzy_level() -> impl Strategy<Value = FuzzyLevel> {
    let mode = prop_oneof![
        Just(FuzzyMatch::FullString),
        Just(FuzzyMatch::Substring),
        Just(FuzzyMatch::Prefix),
        Just(FuzzyMatch::PhraseMatch)
    ];
    (mode, any::<bool>(), any::<bool>(), any::<bool>()).prop_map(
        |(mode, ignore_case, ignore_nonspace, loose)| FuzzyLevel {
            mode,
            ignore_case,
            ignore_nonspace,
            loose,
        },
    )
}

fn tag() -> impl Strategy<Value = PropTag> {
    any::<u32>().prop_map(PropTag)
}

fn restriction(width: CountWidth) -> impl Strategy<Value = Restriction> {
    let leaf = prop_oneof![
        (fuzzy_level(), tag(), tagged(width)).prop_map(|(fuzzy_level, tag, value)| {
            Restriction::Content { fuzzy_level, tag, value }
        }),
        (relop(), tag(), tagged(width)).prop_map(|(relop, tag, value)| Restriction::Property {
            relop,
            tag,
            value
        }),
        (relop(), tag(), tag()).prop_map(|(relop, tag1, tag2)| Restriction::CompareProps {
            relop,
            tag1,
            tag2
        }),
        (any::<bool>(), tag(), any::<u32>()).prop_map(|(nez, tag, mask)| {
            let relop = if nez { BitmaskRelOp::NotEqualToZero } else { BitmaskRelOp::EqualToZero };
            Restriction::Bitmask { relop, tag, mask }
        }),
        (relop(), tag(), any::<u32>()).prop_map(|(relop, tag, size)| Restriction::Size {
            relop,
            tag,
            size
        }),
        tag().prop_map(|tag| Restriction::Exist { tag }),
    ];
    leaf.prop_recursive(5, 48, 4, move |inner| {
        prop_oneof![
            vec(inner.clone(), 0..4).prop_map(Restriction::And),
            vec(inner.clone(), 0..4).prop_map(Restriction::Or),
            inner.clone().prop_map(Restriction::negate),
            (tag(), inner.clone()).prop_map(|(t, r)| Restriction::SubObject {
                subobject: SubObject::from_tag(t),
                restriction: Box::new(r),
            }),
            (vec(tagged(width), 0..3), proptest::option::of(inner.clone())).prop_map(
                |(props, r)| Restriction::Comment { props, restriction: r.map(Box::new) }
            ),
            (any::<u32>(), inner)
                .prop_map(|(count, r)| Restriction::Count { count, restriction: Box::new(r) }),
        ]
    })
}

fn width_and_restriction() -> impl Strategy<Value = (CountWidth, Restriction)> {
    width().prop_flat_map(|w| (Just(w), restriction(w)))
}

fn sort_order_set() -> impl Strategy<Value = SortOrderSet> {
    let direction = proptest::sample::select(vec![
        SortDirection::Ascending,
        SortDirection::Descending,
        SortDirection::MaxCategory,
        SortDirection::MinCategory,
    ]);
    vec((tag(), direction), 0..6)
        .prop_flat_map(|sorts| {
            let n = sorts.len() as u16;
            (Just(sorts), 0..=n)
        })
        .prop_flat_map(|(sorts, categories)| (Just(sorts), Just(categories), 0..=categories))
        .prop_map(|(sorts, category_count, expanded_count)| SortOrderSet {
            sorts: sorts.into_iter().map(|(tag, direction)| SortOrder { tag, direction }).collect(),
            category_count,
            expanded_count,
        })
}

proptest! {
    #[test]
    fn every_restriction_round_trips((width, r) in width_and_restriction()) {
        let bytes = encode_restriction(&r, width).unwrap();
        prop_assert_eq!(decode_restriction(&bytes, width).unwrap(), r.clone());
        let (prefix, used) = read_restriction(&bytes, width).unwrap();
        prop_assert_eq!(prefix, r);
        prop_assert_eq!(used, bytes.len());
    }

    #[test]
    fn every_sort_order_set_round_trips(set in sort_order_set()) {
        let bytes = set.encode().unwrap();
        prop_assert_eq!(bytes.len(), 6 + 5 * set.sorts.len());
        prop_assert_eq!(decode_sort_order_set(&bytes).unwrap(), set);
    }

    #[test]
    fn random_bytes_decode_to_a_value_or_an_error(
        bytes in vec(any::<u8>(), 0..256),
        width in width(),
    ) {
        // Whatever decodes must encode again and decode to the same restriction.
        if let Ok(r) = decode_restriction(&bytes, width) {
            let again = encode_restriction(&r, width).unwrap();
            prop_assert_eq!(decode_restriction(&again, width).unwrap(), r);
        }
        let _ = decode_sort_order_set(&bytes);
    }

    #[test]
    fn plausible_prefixes_decode_without_panicking(
        kind in 0u8..0x0C,
        rest in vec(any::<u8>(), 0..128),
        width in width(),
    ) {
        // Random bytes rarely start with a valid RestrictType; force one so the field
        // parsers behind each type see garbage too.
        let mut bytes = vec![kind];
        bytes.extend(rest);
        match decode_restriction(&bytes, width) {
            Ok(r) => prop_assert_eq!(r.restrict_type().code(), kind),
            Err(err) => prop_assert!(!err.to_string().is_empty()),
        }
    }

    #[test]
    fn every_truncation_of_a_valid_restriction_is_an_error(
        (width, r) in width_and_restriction(),
        cut in any::<proptest::sample::Index>(),
    ) {
        let bytes = encode_restriction(&r, width).unwrap();
        let at = cut.index(bytes.len());
        let err = decode_restriction(&bytes[..at], width).unwrap_err();
        let expected_kind = matches!(
            err,
            RestrictionError::Truncated { .. } | RestrictionError::Invalid { .. }
        );
        prop_assert!(expected_kind, "unexpected error {err}");
    }
}

#[test]
fn a_restriction_value_nested_in_a_restriction_counts_towards_the_depth_cap() {
    // Not(Property(EQ, tag of type PtypRestriction, value = Not(Not(...)))) nests through the
    // value; the cap must still apply.
    let mut bytes = vec![0x02, 0x04, 0x04];
    bytes.extend_from_slice(&PropTag::new(0x0001, PropType::Restriction).0.to_le_bytes());
    bytes.extend_from_slice(&PropTag::new(0x0001, PropType::Restriction).0.to_le_bytes());
    bytes.extend(std::iter::repeat_n(0x02, 100));
    let err = decode_restriction(&bytes, CountWidth::Bits16).unwrap_err();
    assert!(matches!(err, RestrictionError::TooDeep { limit: 64, .. }), "unexpected {err}");
}

#[test]
fn an_empty_comment_is_the_smallest_restriction_even_with_32_bit_counts() {
    // And([Comment{}]) with a 32-bit count: 5 bytes of header, then a 3-byte child.
    let r = Restriction::And(vec![Restriction::Comment { props: vec![], restriction: None }]);
    let bytes = encode_restriction(&r, CountWidth::Bits32).unwrap();
    assert_eq!(bytes, [0x00, 0x01, 0x00, 0x00, 0x00, 0x0A, 0x00, 0x00]);
    assert_eq!(decode_restriction(&bytes, CountWidth::Bits32).unwrap(), r);
}

#[test]
fn a_comment_count_that_the_input_cannot_hold_is_refused_before_allocating() {
    // CommentRestriction with TaggedValuesCount 255 and 3 bytes of input left.
    let bytes = [0x0A, 0xFF, 0x00, 0x00, 0x00];
    let err = decode_restriction(&bytes, CountWidth::Bits16).unwrap_err();
    assert_eq!(
        err,
        RestrictionError::Invalid {
            what: "TaggedValuesCount",
            offset: 1,
            found: "255".into(),
            expected: "a count that fits in the remaining input",
        }
    );
}

#[test]
fn errors_name_the_field_and_offset() {
    // PropertyRestriction with RelOp 0x07.
    let bytes = [0x04, 0x07, 0, 0, 0, 0];
    let err = decode_restriction(&bytes, CountWidth::Bits16).unwrap_err();
    assert_eq!(
        err.to_string(),
        "RelOp of PropertyRestriction at offset 1 is 0x07; expected a RELOP_* value (0x00..=0x06 or 0x64)"
    );
}
