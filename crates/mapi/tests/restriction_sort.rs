//! Sorting rows by a sort order set (MS-OXCDATA 2.13) in MAPI value order.

use mapi::restriction::{PropertyBag, SortDirection, SortOrder, SortOrderSet, sort_rows};
use mapi::{FileTime, PropTag, PropType, PropValue};
use proptest::prelude::*;

const SUBJECT: u16 = 0x0037;
const IMPORTANCE: u16 = 0x0017;
const SENDER_NAME: u16 = 0x0C1A;
const DELIVERY_TIME: u16 = 0x0E06;
const CONVERSATION_TOPIC: u16 = 0x0070;
/// Identifies each row in the assertions; never a sort key.
const ROW_ID: u16 = 0x6001;

fn tag(id: u16, t: PropType) -> PropTag {
    PropTag::new(id, t)
}

fn row(id: i32) -> PropertyBag {
    PropertyBag::new().with(ROW_ID, PropValue::Integer32(id))
}

fn ids(rows: &[PropertyBag]) -> Vec<i32> {
    rows.iter()
        .map(|r| match r.props.get(&tag(ROW_ID, PropType::Integer32)) {
            Some(PropValue::Integer32(id)) => *id,
            other => panic!("row without an id: {other:?}"),
        })
        .collect()
}

fn sender(name: &str) -> PropValue {
    PropValue::String(name.into())
}

#[test]
fn several_columns_mixed_ascending_and_descending() {
    let mut rows = vec![
        row(1).with(SENDER_NAME, sender("bob")).with(DELIVERY_TIME, PropValue::Time(FileTime(10))),
        row(2).with(SENDER_NAME, sender("Alice")).with(DELIVERY_TIME, PropValue::Time(FileTime(5))),
        row(3).with(SENDER_NAME, sender("Bob")).with(DELIVERY_TIME, PropValue::Time(FileTime(30))),
        row(4)
            .with(SENDER_NAME, sender("alice"))
            .with(DELIVERY_TIME, PropValue::Time(FileTime(50))),
        row(5).with(SENDER_NAME, sender("Carol")).with(DELIVERY_TIME, PropValue::Time(FileTime(1))),
    ];
    let sorts = SortOrderSet::new(vec![
        SortOrder::ascending(tag(SENDER_NAME, PropType::String)),
        SortOrder::descending(tag(DELIVERY_TIME, PropType::Time)),
    ]);
    sort_rows(&mut rows, &sorts);
    // Sender names compare without case; within a sender, newest first.
    assert_eq!(ids(&rows), [4, 2, 3, 1, 5]);
}

#[test]
fn equal_keys_keep_their_input_order() {
    let mut rows = vec![
        row(1).with(SUBJECT, sender("same")),
        row(2).with(SUBJECT, sender("SAME")),
        row(3).with(SUBJECT, sender("Same")),
        row(4).with(SUBJECT, sender("earlier")),
    ];
    sort_rows(
        &mut rows,
        &SortOrderSet::new(vec![SortOrder::ascending(tag(SUBJECT, PropType::String))]),
    );
    assert_eq!(ids(&rows), [4, 1, 2, 3]);
}

#[test]
fn missing_values_sort_first_ascending_and_last_descending() {
    let make = || {
        vec![
            row(1).with(IMPORTANCE, PropValue::Integer32(2)),
            row(2),
            row(3).with(IMPORTANCE, PropValue::Integer32(0)),
        ]
    };
    let key = tag(IMPORTANCE, PropType::Integer32);
    let mut up = make();
    sort_rows(&mut up, &SortOrderSet::new(vec![SortOrder::ascending(key)]));
    assert_eq!(ids(&up), [2, 3, 1]);
    let mut down = make();
    sort_rows(&mut down, &SortOrderSet::new(vec![SortOrder::descending(key)]));
    assert_eq!(ids(&down), [1, 3, 2]);
}

#[test]
fn string8_and_unicode_values_sort_together() {
    let mut rows = vec![
        row(1).with(SUBJECT, PropValue::String8("beta".into())),
        row(2).with(SUBJECT, sender("Alpha")),
        row(3).with(SUBJECT, PropValue::String8("Gamma".into())),
    ];
    sort_rows(
        &mut rows,
        &SortOrderSet::new(vec![SortOrder::ascending(tag(SUBJECT, PropType::String))]),
    );
    assert_eq!(ids(&rows), [2, 1, 3]);
}

#[test]
fn max_category_orders_conversations_by_their_latest_message() {
    let message = |id, topic: &str, time| {
        row(id)
            .with(CONVERSATION_TOPIC, sender(topic))
            .with(DELIVERY_TIME, PropValue::Time(FileTime(time)))
    };
    let mut rows = vec![
        message(1, "lunch", 10),
        message(2, "budget", 20),
        message(3, "lunch", 90),
        message(4, "budget", 30),
        message(5, "anniversary", 40),
    ];
    let time = tag(DELIVERY_TIME, PropType::Time);
    let sorts = SortOrderSet {
        sorts: vec![
            SortOrder::descending(tag(CONVERSATION_TOPIC, PropType::String)),
            SortOrder { tag: time, direction: SortDirection::MaxCategory },
            SortOrder::descending(time),
        ],
        category_count: 1,
        expanded_count: 1,
    };
    sort_rows(&mut rows, &sorts);
    // Categories by latest delivery, newest first: lunch (90), anniversary (40), budget (30);
    // inside each, messages newest first.
    assert_eq!(ids(&rows), [3, 1, 5, 4, 2]);
}

#[test]
fn min_category_orders_categories_by_their_earliest_row() {
    let message = |id, topic: &str, time| {
        row(id)
            .with(CONVERSATION_TOPIC, sender(topic))
            .with(DELIVERY_TIME, PropValue::Time(FileTime(time)))
    };
    let mut rows =
        vec![message(1, "a", 50), message(2, "b", 5), message(3, "a", 60), message(4, "b", 70)];
    let time = tag(DELIVERY_TIME, PropType::Time);
    let sorts = SortOrderSet {
        sorts: vec![
            SortOrder::ascending(tag(CONVERSATION_TOPIC, PropType::String)),
            SortOrder { tag: time, direction: SortDirection::MinCategory },
            SortOrder::ascending(time),
        ],
        category_count: 1,
        expanded_count: 0,
    };
    sort_rows(&mut rows, &sorts);
    // "b" starts at 5, before "a" at 50.
    assert_eq!(ids(&rows), [2, 4, 1, 3]);
}

proptest! {
    #[test]
    fn sorting_integers_agrees_with_the_standard_order(
        values in proptest::collection::vec(proptest::option::of(any::<i32>()), 0..40),
        descending in any::<bool>(),
    ) {
        let mut rows: Vec<PropertyBag> = values
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let r = row(i32::try_from(i).unwrap());
                match v {
                    Some(v) => r.with(IMPORTANCE, PropValue::Integer32(*v)),
                    None => r,
                }
            })
            .collect();
        let key = tag(IMPORTANCE, PropType::Integer32);
        let order = if descending { SortOrder::descending(key) } else { SortOrder::ascending(key) };
        sort_rows(&mut rows, &SortOrderSet::new(vec![order]));

        // Option<i32> orders None first, like a missing property; a stable sort on it is the
        // expected row order.
        let mut expected: Vec<(Option<i32>, usize)> =
            values.iter().copied().zip(0..).collect();
        if descending {
            expected.sort_by_key(|e| std::cmp::Reverse(e.0));
        } else {
            expected.sort_by_key(|e| e.0);
        }
        let expected_ids: Vec<i32> =
            expected.iter().map(|(_, i)| i32::try_from(*i).unwrap()).collect();
        prop_assert_eq!(ids(&rows), expected_ids);
    }
}
