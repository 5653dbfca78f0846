//! Schema upgrades: a version 1 mailbox (no delivery-time and size columns) opens writable as
//! the current version, and read-only it asks to be upgraded instead of misreading.

use mapi::provider::{MessageStore, SpecialFolder};
use mapi::{FileTime, PropTag, PropType, PropValue, SortOrder, SortOrderSet, TaggedValue};
use std::path::Path;
use store::{CreateOptions, Mailbox, StoreError, check};

const SUBJECT: PropTag = PropTag::new(0x0037, PropType::String);
const DELIVERY_TIME: PropTag = PropTag::new(0x0E06, PropType::Time);
const MESSAGE_SIZE: PropTag = PropTag::new(0x0E08, PropType::Integer32);

/// Rewrites a current mailbox into the version 1 layout.
fn downgrade_to_v1(path: &Path) {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch(
        "DROP INDEX messages_by_folder;
         ALTER TABLE messages DROP COLUMN delivery_time;
         ALTER TABLE messages DROP COLUMN size;
         CREATE INDEX messages_by_folder ON messages(folder_id, associated);
         PRAGMA user_version = 1;",
    )
    .unwrap();
}

#[test]
fn a_version_1_mailbox_upgrades_when_opened_writable() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    let inbox_id;
    {
        let mailbox = Mailbox::create(&path, &CreateOptions::default()).unwrap();
        inbox_id = mailbox.special_folder_entry_id(SpecialFolder::Inbox).unwrap();
        let batch: Vec<Vec<TaggedValue>> = [3u64, 1, 2]
            .iter()
            .map(|&minutes| {
                vec![
                    TaggedValue { tag: SUBJECT, value: PropValue::String(format!("{minutes}")) },
                    TaggedValue {
                        tag: DELIVERY_TIME,
                        value: PropValue::Time(FileTime(
                            133_000_000_000_000_000 + minutes * 600_000_000,
                        )),
                    },
                ]
            })
            .collect();
        mailbox.insert_messages(&inbox_id, &batch, false).unwrap();
    }
    downgrade_to_v1(&path);

    let before = std::fs::read(&path).unwrap();
    let err = Mailbox::open_read_only(&path).unwrap_err();
    assert!(matches!(err, StoreError::NeedsUpgrade { found: 1, .. }), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), before, "a read-only open does not upgrade");

    let mailbox = Mailbox::open(&path).unwrap();
    assert_eq!(mailbox.info().unwrap().schema_version, store::SCHEMA_VERSION);
    let inbox = mailbox.open_folder(&inbox_id).unwrap();
    let table = inbox.contents_table(false).unwrap();
    table.set_columns(&[SUBJECT, MESSAGE_SIZE]).unwrap();
    table.sort(&SortOrderSet::new(vec![SortOrder::descending(DELIVERY_TIME)])).unwrap();
    let rows = table.query_rows(10).unwrap();
    let subjects: Vec<&str> = rows.iter().filter_map(|r| r[0].value.as_str()).collect();
    assert_eq!(subjects, ["3", "2", "1"], "the upgraded delivery-time column orders the view");
    assert!(rows.iter().all(|r| r[1].value.as_i32().is_some_and(|size| size > 0)), "sizes filled");
    drop((table, inbox, mailbox));
    let report = check(&path).unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
}
