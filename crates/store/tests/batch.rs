//! Bulk insertion: one transaction for many messages.

use mapi::provider::{MessageStore, SpecialFolder};
use mapi::{ErrorCode, PropTag, PropType, PropValue, TaggedValue};
use store::{CreateOptions, Mailbox, StoreError};

const SUBJECT: PropTag = PropTag::new(0x0037, PropType::String);

fn subject(i: usize) -> Vec<TaggedValue> {
    vec![TaggedValue { tag: SUBJECT, value: PropValue::String(format!("bulk {i}")) }]
}

#[test]
fn a_batch_of_messages_lands_whole_and_each_opens_by_its_id() {
    let dir = tempfile::tempdir().unwrap();
    let mailbox = Mailbox::create(&dir.path().join("m.db"), &CreateOptions::default()).unwrap();
    let inbox = mailbox.special_folder_entry_id(SpecialFolder::Inbox).unwrap();
    let batch: Vec<_> = (0..1000).map(subject).collect();
    let ids = mailbox.insert_messages(&inbox, &batch, false).unwrap();
    assert_eq!(ids.len(), 1000);
    let folder = mailbox.open_folder(&inbox).unwrap();
    assert_eq!(folder.contents_table(false).unwrap().row_count().unwrap(), 1000);
    let message = mailbox.open_message(&ids[737]).unwrap();
    let got = message.get_prop(SUBJECT).unwrap();
    assert_eq!(got.as_ref().and_then(|v| v.as_str()), Some("bulk 737"));
}

#[test]
fn a_batch_with_a_bad_message_inserts_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mailbox = Mailbox::create(&dir.path().join("m.db"), &CreateOptions::default()).unwrap();
    let inbox = mailbox.special_folder_entry_id(SpecialFolder::Inbox).unwrap();
    let mut batch: Vec<_> = (0..10).map(subject).collect();
    batch[7].push(TaggedValue {
        tag: PropTag::new(0x0FFF, PropType::Binary),
        value: PropValue::Binary(vec![1]),
    });
    let err = mailbox.insert_messages(&inbox, &batch, false).unwrap_err();
    assert!(matches!(&err, StoreError::Mapi(e) if e.code == ErrorCode::Computed), "{err}");
    let mismatched = vec![vec![TaggedValue { tag: SUBJECT, value: PropValue::Integer32(3) }]];
    assert!(mailbox.insert_messages(&inbox, &mismatched, false).is_err());
    let folder = mailbox.open_folder(&inbox).unwrap();
    assert_eq!(folder.contents_table(false).unwrap().row_count().unwrap(), 0);
}

#[test]
fn the_file_stays_within_one_and_a_half_times_the_property_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.db");
    let mailbox = Mailbox::create(&path, &CreateOptions::default()).unwrap();
    let inbox = mailbox.special_folder_entry_id(SpecialFolder::Inbox).unwrap();
    let body = PropTag::new(0x1000, PropType::String);
    let mut stored = 0;
    for batch_number in 0..5 {
        let batch: Vec<Vec<TaggedValue>> = (0..1000)
            .map(|i| {
                let mut props = subject(batch_number * 1000 + i);
                props.push(TaggedValue { tag: body, value: PropValue::String("b".repeat(2048)) });
                props
            })
            .collect();
        stored +=
            batch.iter().flatten().filter_map(|v| v.value.as_str()).map(str::len).sum::<usize>();
        mailbox.insert_messages(&inbox, &batch, false).unwrap();
    }
    drop(mailbox);
    let size = std::fs::metadata(&path).unwrap().len() as f64;
    assert!(size <= 1.5 * stored as f64, "file {size} bytes for {stored} bytes of values");
}

#[test]
fn a_batch_message_giving_one_property_twice_keeps_the_last_value_and_sorts_by_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.db");
    let mailbox = Mailbox::create(&path, &CreateOptions::default()).unwrap();
    let inbox = mailbox.special_folder_entry_id(SpecialFolder::Inbox).unwrap();
    let delivery = PropTag::new(0x0E06, PropType::Time);
    let at = |t: u64| TaggedValue { tag: delivery, value: PropValue::Time(mapi::FileTime(t)) };
    let batch = vec![
        vec![at(500), at(100), TaggedValue { tag: SUBJECT, value: PropValue::String("a".into()) }],
        vec![at(200), TaggedValue { tag: SUBJECT, value: PropValue::String("b".into()) }],
        // The later value of 0x0E06 is not a time: the message has no delivery time at all.
        vec![
            at(300),
            TaggedValue {
                tag: PropTag::new(0x0E06, PropType::Integer64),
                value: PropValue::Integer64(7),
            },
            TaggedValue { tag: SUBJECT, value: PropValue::String("c".into()) },
        ],
    ];
    let ids = mailbox.insert_messages(&inbox, &batch, false).unwrap();
    let first = mailbox.open_message(&ids[0]).unwrap();
    assert_eq!(first.get_prop(delivery).unwrap(), Some(PropValue::Time(mapi::FileTime(100))));
    let third = mailbox.open_message(&ids[2]).unwrap();
    assert_eq!(third.get_prop(delivery).unwrap(), None);
    let folder = mailbox.open_folder(&inbox).unwrap();
    let table = folder.contents_table(false).unwrap();
    table.set_columns(&[SUBJECT]).unwrap();
    table.sort(&mapi::SortOrderSet::new(vec![mapi::SortOrder::ascending(delivery)])).unwrap();
    let subjects: Vec<String> = table
        .query_rows(10)
        .unwrap()
        .iter()
        .map(|row| row[0].value.as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(subjects.len(), 3);
    let dated: Vec<&String> = subjects.iter().filter(|s| *s != "c").collect();
    assert_eq!(dated, ["a", "b"], "a (delivered at 100) sorts before b (200), not at 500");
    drop(mailbox);
    assert!(store::check(&path).unwrap().problems.is_empty(), "the sort column is not stale");
}
