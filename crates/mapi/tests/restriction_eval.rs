//! Hand-worked examples of restriction evaluation, one group per restriction type.

use mapi::restriction::{
    BitmaskRelOp, FuzzyLevel, FuzzyMatch, PropertyBag, RelOp, Restriction, RestrictionError,
    RowFilter, SubObject, evaluate, filter_rows,
};
use mapi::{ErrorCode, FileTime, MapiError, PropTag, PropType, PropValue, TaggedValue};

const SUBJECT: u16 = 0x0037;
const IMPORTANCE: u16 = 0x0017;
const MESSAGE_FLAGS: u16 = 0x0E07;
const MESSAGE_SIZE: u16 = 0x0E08;
const CLIENT_SUBMIT_TIME: u16 = 0x0039;
const MESSAGE_DELIVERY_TIME: u16 = 0x0E06;
const SEARCH_KEY: u16 = 0x300B;
const DISPLAY_NAME: u16 = 0x3001;
const RECIPIENT_TYPE: u16 = 0x0C15;
const ATTACH_LONG_FILENAME: u16 = 0x3707;
/// A named-property ID standing in for the Keywords (categories) property.
const KEYWORDS: u16 = 0x8001;

const MSGFLAG_READ: u32 = 0x0001;
const MAPI_CC: i32 = 2;

fn tag(id: u16, t: PropType) -> PropTag {
    PropTag::new(id, t)
}

fn text(s: &str) -> PropValue {
    PropValue::String(s.into())
}

fn subject_is(relop: RelOp, s: &str) -> Restriction {
    Restriction::property(relop, TaggedValue::new(SUBJECT, text(s)))
}

fn size_is(relop: RelOp, n: i32) -> Restriction {
    Restriction::property(relop, TaggedValue::new(MESSAGE_SIZE, PropValue::Integer32(n)))
}

fn content(mode: FuzzyMatch, flags: fn(FuzzyLevel) -> FuzzyLevel, s: &str) -> Restriction {
    Restriction::content(flags(FuzzyLevel::new(mode)), TaggedValue::new(SUBJECT, text(s)))
}

fn exact(level: FuzzyLevel) -> FuzzyLevel {
    level
}

fn message() -> PropertyBag {
    PropertyBag::new()
        .with(SUBJECT, text("Quarterly Résumé review"))
        .with(IMPORTANCE, PropValue::Integer32(2))
        .with(MESSAGE_FLAGS, PropValue::Integer32(0x0009))
        .with(MESSAGE_SIZE, PropValue::Integer32(4096))
        .with(CLIENT_SUBMIT_TIME, PropValue::Time(FileTime(1_000)))
        .with(MESSAGE_DELIVERY_TIME, PropValue::Time(FileTime(2_000)))
        .with(SEARCH_KEY, PropValue::Binary(vec![0xCA, 0xFE, 0xBA, 0xBE]))
        .with(KEYWORDS, PropValue::MultipleString(vec!["Red".into(), "Project X".into()]))
}

fn is_true(r: &Restriction, row: &PropertyBag) -> bool {
    evaluate(r, row).expect("restriction is supported")
}

// --- And / Or / Not ---

#[test]
fn and_needs_every_child_and_is_true_when_empty() {
    let row = message();
    let both =
        Restriction::And(vec![size_is(RelOp::GreaterThan, 1000), size_is(RelOp::LessThan, 5000)]);
    let one =
        Restriction::And(vec![size_is(RelOp::GreaterThan, 1000), size_is(RelOp::LessThan, 10)]);
    assert!(is_true(&both, &row));
    assert!(!is_true(&one, &row));
    assert!(is_true(&Restriction::And(vec![]), &row));
}

#[test]
fn or_needs_one_child_and_is_false_when_empty() {
    let row = message();
    let one = Restriction::Or(vec![size_is(RelOp::LessThan, 10), size_is(RelOp::Equal, 4096)]);
    let none = Restriction::Or(vec![size_is(RelOp::LessThan, 10), size_is(RelOp::Equal, 1)]);
    assert!(is_true(&one, &row));
    assert!(!is_true(&none, &row));
    assert!(!is_true(&Restriction::Or(vec![]), &row));
}

#[test]
fn nested_and_or_not_combine_as_boolean_logic() {
    let row = message();
    // (size > 1000 AND NOT importance == 0) OR subject == "nothing"
    let r = Restriction::Or(vec![
        Restriction::And(vec![
            size_is(RelOp::GreaterThan, 1000),
            Restriction::property(
                RelOp::Equal,
                TaggedValue::new(IMPORTANCE, PropValue::Integer32(0)),
            )
            .negate(),
        ]),
        subject_is(RelOp::Equal, "nothing"),
    ]);
    assert!(is_true(&r, &row));
    assert!(!is_true(&r.clone().negate(), &row));
    assert!(is_true(&r.negate().negate(), &row));
}

// --- Content ---

#[test]
fn content_full_string_substring_and_prefix() {
    let row = message();
    assert!(is_true(&content(FuzzyMatch::FullString, exact, "Quarterly Résumé review"), &row));
    assert!(!is_true(&content(FuzzyMatch::FullString, exact, "Quarterly"), &row));
    assert!(is_true(&content(FuzzyMatch::Substring, exact, "Résumé"), &row));
    assert!(!is_true(&content(FuzzyMatch::Substring, exact, "résumé"), &row));
    assert!(is_true(&content(FuzzyMatch::Prefix, exact, "Quarter"), &row));
    assert!(!is_true(&content(FuzzyMatch::Prefix, exact, "review"), &row));
}

#[test]
fn content_phrase_match_needs_consecutive_whole_words() {
    let row = message(); // "Quarterly Résumé review"
    let phrase = |p: &str| content(FuzzyMatch::PhraseMatch, FuzzyLevel::ignoring_case, p);
    assert!(is_true(&phrase("résumé"), &row));
    assert!(is_true(&phrase("QUARTERLY résumé"), &row));
    assert!(is_true(&phrase("résumé, review!"), &row), "punctuation separates words");
    assert!(!is_true(&phrase("quarter"), &row), "a word prefix is not a word");
    assert!(!is_true(&phrase("quarterly review"), &row), "the words must be consecutive");
    assert!(!is_true(&phrase("review résumé"), &row), "and in order");
    assert!(!is_true(&content(FuzzyMatch::PhraseMatch, exact, "RÉSUMÉ"), &row));
    assert_eq!(
        FuzzyMatch::from_code(FuzzyMatch::PhraseMatch.code()),
        Some(FuzzyMatch::PhraseMatch)
    );
}

#[test]
fn content_ignore_case_nonspace_and_loose() {
    let row = message();
    assert!(is_true(&content(FuzzyMatch::Substring, FuzzyLevel::ignoring_case, "RÉSUMÉ"), &row));
    assert!(!is_true(&content(FuzzyMatch::Substring, FuzzyLevel::ignoring_case, "resume"), &row));
    assert!(is_true(
        &content(FuzzyMatch::Substring, FuzzyLevel::ignoring_nonspace, "Resume"),
        &row
    ));
    assert!(!is_true(
        &content(FuzzyMatch::Substring, FuzzyLevel::ignoring_nonspace, "RESUME"),
        &row
    ));
    assert!(is_true(&content(FuzzyMatch::Substring, FuzzyLevel::loosely, "RESUME"), &row));
    // A decomposed pattern (e + combining acute) matches the precomposed text when nonspacing
    // marks are ignored.
    assert!(is_true(
        &content(FuzzyMatch::Prefix, FuzzyLevel::loosely, "quarterly re\u{301}s"),
        &row
    ));
}

#[test]
fn content_on_a_missing_property_is_false() {
    let row = PropertyBag::new().with(IMPORTANCE, PropValue::Integer32(1));
    let r = content(FuzzyMatch::Substring, exact, "");
    assert!(!is_true(&r, &row));
    assert!(is_true(&r.negate(), &row));
}

#[test]
fn content_matches_string8_with_a_unicode_pattern_and_the_reverse() {
    let ansi_row = PropertyBag::new().with(SUBJECT, PropValue::String8("Hello world".into()));
    assert!(is_true(&content(FuzzyMatch::Prefix, exact, "Hello"), &ansi_row));
    let r = Restriction::content(
        FuzzyLevel::new(FuzzyMatch::Substring),
        TaggedValue::new(SUBJECT, PropValue::String8("Résumé".into())),
    );
    assert!(is_true(&r, &message()));
}

#[test]
fn content_on_a_multi_valued_string_matches_any_element() {
    let row = message();
    let keywords = |s: &str| Restriction::Content {
        fuzzy_level: FuzzyLevel::new(FuzzyMatch::FullString).ignoring_case(),
        tag: tag(KEYWORDS, PropType::MultipleString),
        value: TaggedValue::new(KEYWORDS, text(s)),
    };
    assert!(is_true(&keywords("project x"), &row));
    assert!(is_true(&keywords("red"), &row));
    assert!(!is_true(&keywords("blue"), &row));
}

#[test]
fn content_on_binary_compares_bytes() {
    let row = message();
    let key = |mode, bytes: &[u8]| {
        Restriction::content(
            FuzzyLevel::new(mode),
            TaggedValue::new(SEARCH_KEY, PropValue::Binary(bytes.to_vec())),
        )
    };
    assert!(is_true(&key(FuzzyMatch::Prefix, &[0xCA, 0xFE]), &row));
    assert!(is_true(&key(FuzzyMatch::Substring, &[0xFE, 0xBA]), &row));
    assert!(!is_true(&key(FuzzyMatch::FullString, &[0xFE, 0xBA]), &row));
}

// --- Property ---

#[test]
fn property_relops_on_an_integer() {
    let row = message();
    let cases = [
        (RelOp::LessThan, 4097, true),
        (RelOp::LessThan, 4096, false),
        (RelOp::LessThanOrEqual, 4096, true),
        (RelOp::GreaterThan, 4096, false),
        (RelOp::GreaterThanOrEqual, 4096, true),
        (RelOp::Equal, 4096, true),
        (RelOp::NotEqual, 4096, false),
        (RelOp::NotEqual, 1, true),
    ];
    for (relop, n, expected) in cases {
        assert_eq!(is_true(&size_is(relop, n), &row), expected, "{} {n}", relop.name());
    }
}

#[test]
fn property_on_a_missing_property_is_false_even_for_not_equal() {
    let row = PropertyBag::new().with(SUBJECT, text("x"));
    assert!(!is_true(&size_is(RelOp::Equal, 0), &row));
    assert!(!is_true(&size_is(RelOp::NotEqual, 0), &row));
    assert!(is_true(&size_is(RelOp::Equal, 0).negate(), &row));
}

#[test]
fn an_error_value_counts_as_missing() {
    let row = PropertyBag::new().with(MESSAGE_SIZE, PropValue::Error(ErrorCode::NotEnoughMemory));
    let mut bag = PropertyBag::new();
    bag.set(tag(MESSAGE_SIZE, PropType::Integer32), PropValue::Error(ErrorCode::NotFound));
    for row in [row, bag] {
        assert!(!is_true(&size_is(RelOp::NotEqual, 0), &row));
        assert!(!is_true(
            &Restriction::Exist { tag: tag(MESSAGE_SIZE, PropType::Integer32) },
            &row
        ));
    }
}

#[test]
fn property_compares_integers_across_widths() {
    let row = message();
    let r = Restriction::Property {
        relop: RelOp::Equal,
        tag: tag(MESSAGE_SIZE, PropType::Integer32),
        value: TaggedValue::new(MESSAGE_SIZE, PropValue::Integer64(4096)),
    };
    assert!(is_true(&r, &row));
}

#[test]
fn property_compares_strings_without_case_and_across_widths() {
    let row = message();
    assert!(is_true(&subject_is(RelOp::Equal, "QUARTERLY RÉSUMÉ REVIEW"), &row));
    assert!(is_true(&subject_is(RelOp::GreaterThan, "m"), &row));
    assert!(!is_true(&subject_is(RelOp::Equal, "Quarterly"), &row));
    let ansi_row = PropertyBag::new().with(SUBJECT, PropValue::String8("Budget".into()));
    assert!(is_true(&subject_is(RelOp::Equal, "budget"), &ansi_row));
    let ansi_constant = Restriction::property(
        RelOp::Equal,
        TaggedValue::new(SUBJECT, PropValue::String8("budget".into())),
    );
    assert!(is_true(&ansi_constant, &PropertyBag::new().with(SUBJECT, text("Budget"))));
}

#[test]
fn property_on_a_multi_valued_column_matches_if_any_value_does() {
    let row = message();
    let keyword = |relop, s: &str| Restriction::Property {
        relop,
        tag: tag(KEYWORDS, PropType::MultipleString),
        value: TaggedValue::new(KEYWORDS, text(s)),
    };
    assert!(is_true(&keyword(RelOp::Equal, "red"), &row));
    assert!(!is_true(&keyword(RelOp::Equal, "blue"), &row));
    // "Project X" differs from "Red", so some value is not equal.
    assert!(is_true(&keyword(RelOp::NotEqual, "red"), &row));
    // A multi-value instance tag (type | 0x2000) reads the same column.
    let instance = Restriction::Property {
        relop: RelOp::Equal,
        tag: PropTag(tag(KEYWORDS, PropType::MultipleString).0 | 0x2000),
        value: TaggedValue {
            tag: PropTag(tag(KEYWORDS, PropType::MultipleString).0 | 0x2000),
            value: text("Project x"),
        },
    };
    assert!(is_true(&instance, &row));
}

#[test]
fn property_of_another_kind_does_not_match() {
    let row = message();
    let r = Restriction::Property {
        relop: RelOp::NotEqual,
        tag: tag(MESSAGE_SIZE, PropType::Integer32),
        value: TaggedValue::new(MESSAGE_SIZE, text("4096")),
    };
    assert!(!is_true(&r, &row));
}

// --- CompareProps ---

#[test]
fn compare_props_relates_two_columns_of_the_row() {
    let row = message();
    let submitted_before_delivery = Restriction::CompareProps {
        relop: RelOp::LessThanOrEqual,
        tag1: tag(CLIENT_SUBMIT_TIME, PropType::Time),
        tag2: tag(MESSAGE_DELIVERY_TIME, PropType::Time),
    };
    assert!(is_true(&submitted_before_delivery, &row));
    let after = Restriction::CompareProps {
        relop: RelOp::GreaterThan,
        tag1: tag(CLIENT_SUBMIT_TIME, PropType::Time),
        tag2: tag(MESSAGE_DELIVERY_TIME, PropType::Time),
    };
    assert!(!is_true(&after, &row));
}

#[test]
fn compare_props_with_a_missing_side_is_false() {
    let row = PropertyBag::new().with(CLIENT_SUBMIT_TIME, PropValue::Time(FileTime(5)));
    let r = Restriction::CompareProps {
        relop: RelOp::NotEqual,
        tag1: tag(CLIENT_SUBMIT_TIME, PropType::Time),
        tag2: tag(MESSAGE_DELIVERY_TIME, PropType::Time),
    };
    assert!(!is_true(&r, &row));
}

// --- Bitmask ---

#[test]
fn bitmask_tests_masked_bits_against_zero() {
    let row = message(); // flags 0x9: read + unsent bits
    let read = |relop| Restriction::Bitmask {
        relop,
        tag: tag(MESSAGE_FLAGS, PropType::Integer32),
        mask: MSGFLAG_READ,
    };
    assert!(is_true(&read(BitmaskRelOp::NotEqualToZero), &row));
    assert!(!is_true(&read(BitmaskRelOp::EqualToZero), &row));
    let unread = PropertyBag::new().with(MESSAGE_FLAGS, PropValue::Integer32(0x0008));
    assert!(is_true(&read(BitmaskRelOp::EqualToZero), &unread));
}

#[test]
fn bitmask_on_a_missing_or_non_integer_property_is_false() {
    let r = |relop| Restriction::Bitmask { relop, tag: tag(SUBJECT, PropType::String), mask: 1 };
    let row = message();
    assert!(!is_true(&r(BitmaskRelOp::EqualToZero), &row));
    assert!(!is_true(&r(BitmaskRelOp::NotEqualToZero), &row));
    let missing = Restriction::Bitmask {
        relop: BitmaskRelOp::EqualToZero,
        tag: tag(MESSAGE_FLAGS, PropType::Integer32),
        mask: 1,
    };
    assert!(!is_true(&missing, &PropertyBag::new()));
}

// --- Size ---

#[test]
fn size_compares_the_value_size_in_bytes() {
    // "Hello" is 10 bytes as PtypString (UTF-16), 5 as PtypString8.
    let wide = PropertyBag::new().with(SUBJECT, text("Hello"));
    let ansi = PropertyBag::new().with(SUBJECT, PropValue::String8("Hello".into()));
    let size = |relop, size| Restriction::Size { relop, tag: tag(SUBJECT, PropType::String), size };
    assert!(is_true(&size(RelOp::Equal, 10), &wide));
    assert!(is_true(&size(RelOp::Equal, 5), &ansi));
    assert!(is_true(&size(RelOp::GreaterThan, 8), &wide));
    assert!(!is_true(&size(RelOp::GreaterThan, 8), &ansi));
    assert!(!is_true(&size(RelOp::GreaterThanOrEqual, 0), &PropertyBag::new()));
}

// --- Exist ---

#[test]
fn exist_is_true_only_for_present_properties() {
    let row = message();
    assert!(is_true(&Restriction::Exist { tag: tag(SUBJECT, PropType::String) }, &row));
    assert!(!is_true(&Restriction::Exist { tag: tag(0x1000, PropType::String) }, &row));
    // A PtypString8 tag finds the PtypString value of the same ID.
    assert!(is_true(&Restriction::Exist { tag: tag(SUBJECT, PropType::String8) }, &row));
}

// --- SubObject ---

fn message_with_recipients() -> PropertyBag {
    let recipient = |name: &str, kind: i32| {
        PropertyBag::new()
            .with(DISPLAY_NAME, text(name))
            .with(RECIPIENT_TYPE, PropValue::Integer32(kind))
    };
    message()
        .with_sub_objects(
            SubObject::Recipients,
            vec![recipient("Alice", 1), recipient("Bob", MAPI_CC)],
        )
        .with_sub_objects(
            SubObject::Attachments,
            vec![PropertyBag::new().with(ATTACH_LONG_FILENAME, text("budget.xlsx"))],
        )
}

fn any_recipient(r: Restriction) -> Restriction {
    Restriction::SubObject { subobject: SubObject::Recipients, restriction: Box::new(r) }
}

#[test]
fn sub_object_matches_if_any_recipient_matches() {
    let row = message_with_recipients();
    let name_is =
        |s: &str| Restriction::property(RelOp::Equal, TaggedValue::new(DISPLAY_NAME, text(s)));
    let cc = Restriction::property(
        RelOp::Equal,
        TaggedValue::new(RECIPIENT_TYPE, PropValue::Integer32(MAPI_CC)),
    );
    assert!(is_true(&any_recipient(name_is("bob")), &row));
    assert!(!is_true(&any_recipient(name_is("Carol")), &row));
    // Both conditions must hold for the same recipient.
    assert!(is_true(&any_recipient(Restriction::And(vec![name_is("Bob"), cc.clone()])), &row));
    assert!(!is_true(&any_recipient(Restriction::And(vec![name_is("Alice"), cc.clone()])), &row));
    // "Some recipient is not CC" differs from "no recipient is CC".
    assert!(is_true(&any_recipient(cc.clone().negate()), &row));
    assert!(!is_true(&any_recipient(cc).negate(), &row));
}

#[test]
fn sub_object_looks_only_at_the_named_table() {
    let row = message_with_recipients();
    let xlsx = Restriction::content(
        FuzzyLevel::new(FuzzyMatch::Substring).ignoring_case(),
        TaggedValue::new(ATTACH_LONG_FILENAME, text(".XLSX")),
    );
    let in_attachments = Restriction::SubObject {
        subobject: SubObject::Attachments,
        restriction: Box::new(xlsx.clone()),
    };
    assert!(is_true(&in_attachments, &row));
    assert!(!is_true(&any_recipient(xlsx), &row));
    // A message without recipients has no recipient to match, even for an always-true test.
    assert!(!is_true(&any_recipient(Restriction::And(vec![])), &message()));
}

// --- Comment ---

#[test]
fn comment_is_transparent_and_its_props_are_not_evaluated() {
    let row = message();
    let note = vec![TaggedValue::new(0x6700, text("saved by a client"))];
    let wraps = |inner: Option<Restriction>| Restriction::Comment {
        props: note.clone(),
        restriction: inner.map(Box::new),
    };
    assert!(is_true(&wraps(None), &row));
    assert!(is_true(&wraps(Some(size_is(RelOp::Equal, 4096))), &row));
    assert!(!is_true(&wraps(Some(size_is(RelOp::Equal, 1))), &row));
}

// --- Count ---

#[test]
fn count_lets_only_the_first_matching_rows_through() {
    let rows: Vec<PropertyBag> = [10, 5000, 20, 6000, 7000, 30]
        .iter()
        .map(|&n| PropertyBag::new().with(MESSAGE_SIZE, PropValue::Integer32(n)))
        .collect();
    let big =
        Restriction::Count { count: 2, restriction: Box::new(size_is(RelOp::GreaterThan, 1000)) };
    let matched: Vec<i64> = filter_rows(&rows, &big)
        .unwrap()
        .iter()
        .filter_map(|row| row.props.values().next().and_then(PropValue::as_i64))
        .collect();
    assert_eq!(matched, [5000, 6000]);
}

#[test]
fn count_of_zero_matches_nothing_and_a_single_evaluation_uses_a_fresh_limit() {
    let row = message();
    let zero = Restriction::Count { count: 0, restriction: Box::new(Restriction::And(vec![])) };
    assert!(!is_true(&zero, &row));
    let one = Restriction::Count { count: 1, restriction: Box::new(Restriction::And(vec![])) };
    assert!(is_true(&one, &row));
    assert!(is_true(&one, &row));
    let mut filter = RowFilter::new(&one).unwrap();
    assert!(filter.matches(&row));
    assert!(!filter.matches(&row));
}

// --- Unsupported ---

#[test]
fn regular_expressions_and_distribution_lists_are_refused_even_when_unreached() {
    let row = message();
    for relop in [RelOp::RegularExpression, RelOp::MemberOfDl] {
        let r = Restriction::Or(vec![Restriction::And(vec![]), subject_is(relop, ".*")]);
        let err = evaluate(&r, &row).unwrap_err();
        assert!(matches!(err, RestrictionError::Unsupported { .. }), "{err}");
        assert_eq!(MapiError::from(err).code, ErrorCode::TooComplex);
    }
}

#[test]
fn plain_maps_and_tagged_value_lists_are_rows_too() {
    let list = vec![TaggedValue::new(SUBJECT, PropValue::String8("Hi".into()))];
    assert!(evaluate(&subject_is(RelOp::Equal, "hi"), &list).unwrap());
    let map: std::collections::HashMap<PropTag, PropValue> =
        [(tag(MESSAGE_SIZE, PropType::Integer32), PropValue::Integer16(3))].into_iter().collect();
    // The map holds a PtypInteger16 under a PtypInteger32 tag; the value still compares.
    assert!(evaluate(&size_is(RelOp::Equal, 3), &map).unwrap());
}
