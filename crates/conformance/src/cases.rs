//! The cases. Each takes a [`Backend`] and panics, saying what went wrong, when the backend
//! does not behave as the provider traits promise. Read cases come first; the write cases
//! follow.

use crate::Backend;
use crate::support::*;
use mapi::provider::{
    AttachMethod, BookmarkOrigin, DeleteFolderFlags, FolderKind, Message, OpenedEntry,
    RecipientChange, SpecialFolder,
};
use mapi::restriction::{FuzzyLevel, FuzzyMatch, RelOp, Restriction, SubObject};
use mapi::{
    ErrorCode, FileTime, Guid, NamedProperty, PropTag, PropType, PropValue, SortOrder,
    SortOrderSet, TaggedValue,
};
use std::io::Read;
use std::sync::atomic::{AtomicBool, Ordering};

// ---------------------------------------------------------------------------------------------
// Read cases
// ---------------------------------------------------------------------------------------------

pub fn root_folder_opens_by_its_entry_id(backend: &dyn Backend) {
    let store = backend.create_empty();
    let root = ok(store.root_folder(), "opening the root folder");
    let id = root.entry_id();
    let again = ok(store.open_folder(&id), "opening the root by its entry ID");
    assert_eq!(again.entry_id(), id);
    assert!(ok(store.compare_entry_ids(&id, &again.entry_id()), "comparing entry IDs"));
    let stored = prop(root.as_ref(), ENTRY_ID).expect("the root has PidTagEntryId");
    assert_eq!(stored.as_binary(), Some(&id[..]), "PidTagEntryId equals entry_id()");
}

pub fn folder_entry_ids_are_stable_across_reopen(backend: &dyn Backend) {
    let store = backend.create_empty();
    let root = ok(store.root_folder(), "opening the root folder");
    let table = ok(root.hierarchy_table(true), "opening the hierarchy table");
    ok(table.set_columns(&[ENTRY_ID, DISPLAY_NAME]), "setting columns");
    let before = all_rows(table.as_ref(), 7);
    let root_id = root.entry_id();
    drop((table, root));
    let store = backend.reopen(store);
    assert_eq!(ok(store.root_folder(), "root after reopen").entry_id(), root_id);
    for row in before {
        let id = column(&row, ENTRY_ID).and_then(|v| v.as_binary()).expect("row has an entry ID");
        let folder = ok(store.open_folder(id), "opening a folder after reopen");
        assert_eq!(prop(folder.as_ref(), DISPLAY_NAME).as_ref(), column(&row, DISPLAY_NAME));
    }
}

pub fn a_malformed_entry_id_is_invalid_and_a_foreign_one_unknown(backend: &dyn Backend) {
    let store = backend.create_empty();
    expect_error(store.open_entry(&[0, 0, 0]), ErrorCode::InvalidEntryId, "a 3-byte entry ID");
    let mut foreign = ok(store.root_folder(), "root").entry_id();
    foreign[4..20].copy_from_slice(&Guid::new_random().to_le_bytes());
    expect_error(store.open_entry(&foreign), ErrorCode::UnknownEntryId, "another store's ID");
}

pub fn a_missing_property_comes_back_as_not_found(backend: &dyn Backend) {
    let store = backend.create_empty();
    let root = ok(store.root_folder(), "root");
    let absent = PropTag::new(0x6789, PropType::Integer32);
    let values = ok(root.get_props(&[absent, ENTRY_ID]), "get_props");
    assert_eq!(values.len(), 2, "one value per requested tag");
    assert_eq!(values[0].tag, absent.with_type(PropType::ErrorCode));
    assert_eq!(values[0].value, PropValue::Error(ErrorCode::NotFound));
    assert_eq!(values[1].tag, ENTRY_ID);
    assert_eq!(ok(root.get_prop(absent), "get_prop"), None);
}

pub fn hierarchy_table_rows_open_as_folders(backend: &dyn Backend) {
    let store = backend.create_empty();
    let root = ok(store.root_folder(), "root");
    let table = ok(root.hierarchy_table(false), "hierarchy table");
    ok(table.set_columns(&[ENTRY_ID, DISPLAY_NAME]), "columns");
    let rows = all_rows(table.as_ref(), 3);
    assert_eq!(rows.len() as u32, ok(table.row_count(), "row count"));
    for row in rows {
        let id = column(&row, ENTRY_ID).and_then(|v| v.as_binary()).expect("row entry ID");
        match ok(store.open_entry(id), "opening a hierarchy row") {
            OpenedEntry::Folder(folder) => {
                assert_eq!(
                    prop(folder.as_ref(), DISPLAY_NAME).as_ref(),
                    column(&row, DISPLAY_NAME)
                );
            }
            OpenedEntry::Message(_) => panic!("a hierarchy row opened as a message"),
        }
    }
}

pub fn special_folders_are_found_the_standard_way(backend: &dyn Backend) {
    let store = backend.create_empty();
    for &which in SpecialFolder::ALL {
        let standard = mapi::provider::locate(store.as_ref(), which);
        let backend_answer = store.special_folder_entry_id(which);
        if let (Ok(standard), Ok(answer)) = (&standard, &backend_answer) {
            assert!(
                ok(store.compare_entry_ids(standard, answer), "comparing"),
                "{which:?}: the standard lookup and the backend disagree"
            );
            let folder = ok(store.open_folder(answer), "opening a special folder");
            if let Some(class) = which.container_class() {
                let got = prop(folder.as_ref(), PropTag::new(0x3613, PropType::String));
                assert_eq!(got.as_ref().and_then(|v| v.as_str()), Some(class), "{which:?} class");
            }
        }
        if backend_answer.is_ok()
            && which.location() != mapi::provider::SpecialFolderLocation::BackendOnly
        {
            assert!(standard.is_ok(), "{which:?} exists but the standard lookup misses it");
        }
    }
}

pub fn writes_are_refused_with_no_access(backend: &dyn Backend) {
    let store = backend.create_empty();
    assert!(!store.is_writable(), "a read-only backend says it is not writable");
    let root = ok(store.root_folder(), "root");
    expect_error(
        root.set_props(&[text(DISPLAY_NAME, "x")]),
        ErrorCode::NoAccess,
        "setting a folder property",
    );
    expect_error(
        root.create_folder("new", FolderKind::Generic, false),
        ErrorCode::NoAccess,
        "creating a folder",
    );
    expect_error(root.create_message(false), ErrorCode::NoAccess, "creating a message");
}

// ---------------------------------------------------------------------------------------------
// Write cases
// ---------------------------------------------------------------------------------------------

/// One value of every storable type (PtypNull, PtypObject and PtypErrorCode are not values a
/// client stores).
fn every_type_sample() -> Vec<TaggedValue> {
    let guid = Guid::from_fields(0x0002_0329, 0, 0, [0xC0, 0, 0, 0, 0, 0, 0, 0x46]);
    let values = vec![
        PropValue::Integer16(-12),
        PropValue::Integer32(-123_456),
        PropValue::Floating32(1.5),
        PropValue::Floating64(-2.25e100),
        PropValue::Currency(123_456_789),
        PropValue::FloatingTime(45_000.75),
        PropValue::Boolean(true),
        PropValue::Integer64(i64::MIN + 1),
        PropValue::String8("plain".into()),
        PropValue::String("Grüße, 世界 😀".into()),
        PropValue::Time(FileTime(133_000_000_000_000_000)),
        PropValue::Guid(guid),
        PropValue::ServerId(vec![1, 0, 5, 6]),
        PropValue::Restriction(vec![0x08, 0x1F, 0, 0x37, 0]),
        PropValue::RuleAction(vec![1, 0, 0, 0]),
        PropValue::Binary(vec![0, 0xFF, 0x10]),
        PropValue::MultipleInteger16(vec![1, -2, 3]),
        PropValue::MultipleInteger32(vec![i32::MAX, 0]),
        PropValue::MultipleFloating32(vec![0.5, -0.25]),
        PropValue::MultipleFloating64(vec![1e-300]),
        PropValue::MultipleCurrency(vec![-1, 2]),
        PropValue::MultipleFloatingTime(vec![1.0, 2.0]),
        PropValue::MultipleInteger64(vec![i64::MAX]),
        PropValue::MultipleString8(vec!["a".into(), "".into()]),
        PropValue::MultipleString(vec!["ß".into(), "é".into(), "".into()]),
        PropValue::MultipleTime(vec![FileTime(1), FileTime(u64::MAX >> 1)]),
        PropValue::MultipleGuid(vec![guid, Guid::NIL]),
        PropValue::MultipleBinary(vec![vec![], vec![1, 2, 3]]),
        PropValue::MultipleInteger32(vec![]),
    ];
    values
        .into_iter()
        .enumerate()
        .map(|(i, value)| TaggedValue {
            tag: PropTag::new(0x6700 + i as u16, value.prop_type()),
            value,
        })
        .collect()
}

pub fn every_property_type_round_trips_through_save_and_reopen(backend: &dyn Backend) {
    let store = backend.create_empty();
    let folder = scratch_folder(store.as_ref(), "types");
    let samples = every_type_sample();
    let id = save_message(folder.as_ref(), &samples);
    ok(folder.set_props(&samples), "setting every type on a folder");
    let folder_id = folder.entry_id();
    drop(folder);
    let store = backend.reopen(store);
    let message = ok(store.open_message(&id), "reopening the message");
    let folder = ok(store.open_folder(&folder_id), "reopening the folder");
    for sample in &samples {
        assert_eq!(
            prop(message.as_ref(), sample.tag).as_ref(),
            Some(&sample.value),
            "message {}",
            sample.tag
        );
        assert_eq!(
            prop(folder.as_ref(), sample.tag).as_ref(),
            Some(&sample.value),
            "folder {}",
            sample.tag
        );
    }
    // Unspecified type asks by ID; a string asked in the other width converts.
    let string = &samples[9];
    let any =
        ok(message.get_props(&[string.tag.with_type(PropType::Unspecified)]), "PT_UNSPECIFIED");
    assert_eq!(any[0], *string);
    let narrow = prop(message.as_ref(), string.tag.with_type(PropType::String8));
    assert_eq!(narrow.as_ref().and_then(|v| v.as_str()), string.value.as_str());
}

pub fn values_over_one_mebibyte_round_trip_and_stream(backend: &dyn Backend) {
    let store = backend.create_empty();
    let folder = scratch_folder(store.as_ref(), "large");
    let big_binary: Vec<u8> = (0..(1 << 20) + 4097).map(|i: u32| (i * 31 % 251) as u8).collect();
    let big_text: String = "Große Nachricht. ".repeat(70_000);
    assert!(big_text.len() > 1 << 20);
    let big = PropTag::new(0x6600, PropType::Binary);
    let id = save_message(
        folder.as_ref(),
        &[tv(big, PropValue::Binary(big_binary.clone())), text(BODY, &big_text)],
    );
    let store = backend.reopen(store);
    let message = ok(store.open_message(&id), "reopen");
    assert_eq!(prop(message.as_ref(), big), Some(PropValue::Binary(big_binary.clone())));
    assert_eq!(prop(message.as_ref(), BODY).as_ref().and_then(|v| v.as_str()), Some(&big_text[..]));
    let mut streamed = Vec::new();
    ok(message.open_property_stream(big), "opening a stream")
        .read_to_end(&mut streamed)
        .expect("reading the stream");
    assert_eq!(streamed, big_binary);
    let mut body = Vec::new();
    ok(message.open_property_stream(BODY), "opening the body stream")
        .read_to_end(&mut body)
        .expect("reading the body");
    let expected: Vec<u8> = big_text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    assert_eq!(body, expected, "PtypString streams as UTF-16LE");
}

pub fn named_properties_map_to_stable_ids_and_back(backend: &dyn Backend) {
    let store = backend.create_empty();
    let set = Guid::from_fields(0x0006_2008, 0, 0, [0xC0, 0, 0, 0, 0, 0, 0, 0x46]);
    let names = vec![
        NamedProperty::lid(set, 0x8503),
        NamedProperty::name(set, "X-Custom"),
        NamedProperty::name(set, "x-custom"),
    ];
    let missing = ok(store.get_ids_from_names(&names, false), "lookup without create");
    assert_eq!(missing, vec![None, None, None], "unmapped names are not created without create");
    let ids = ok(store.get_ids_from_names(&names, true), "create");
    let ids: Vec<u16> = ids.into_iter().map(|id| id.expect("created")).collect();
    assert!(ids.iter().all(|&id| id >= 0x8000 && id != 0xFFFF));
    assert_ne!(ids[1], ids[2], "names are case-sensitive");
    let again = ok(store.get_ids_from_names(&names[..1], true), "same name again");
    assert_eq!(again, vec![Some(ids[0])]);
    let folder = scratch_folder(store.as_ref(), "named");
    let tag = PropTag::new(ids[0], PropType::Boolean);
    let entry = save_message(folder.as_ref(), &[tv(tag, PropValue::Boolean(true))]);
    let store = backend.reopen(store);
    let names_back = ok(store.get_names_from_ids(&[ids[0], ids[1], 0xFFFE]), "names from IDs");
    assert_eq!(names_back, vec![Some(names[0].clone()), Some(names[1].clone()), None]);
    assert_eq!(
        ok(store.get_ids_from_names(&names, false), "after reopen"),
        ids.iter().map(|&i| Some(i)).collect::<Vec<_>>()
    );
    let message = ok(store.open_message(&entry), "message with a named property");
    assert_eq!(prop(message.as_ref(), tag), Some(PropValue::Boolean(true)));
}

pub fn recipients_are_added_modified_and_removed(backend: &dyn Backend) {
    let store = backend.create_empty();
    let folder = scratch_folder(store.as_ref(), "recipients");
    let message = ok(folder.create_message(false), "create");
    let recipient = |name: &str, kind: i32| {
        vec![
            text(DISPLAY_NAME, name),
            text(EMAIL_ADDRESS, &format!("{name}@example.com")),
            tv(RECIPIENT_TYPE, PropValue::Integer32(kind)),
        ]
    };
    ok(
        message.modify_recipients(&[
            RecipientChange::Add(recipient("ann", 1)),
            RecipientChange::Add(recipient("bob", 2)),
            RecipientChange::Add(recipient("cy", 3)),
        ]),
        "adding recipients",
    );
    let table = ok(message.recipient_table(), "recipient table");
    ok(table.set_columns(&[ROW_ID, DISPLAY_NAME]), "columns");
    let rows = all_rows(table.as_ref(), 10);
    assert_eq!(rows.len(), 3);
    let row_of = |name: &str| {
        rows.iter()
            .find(|r| column(r, DISPLAY_NAME).and_then(|v| v.as_str()) == Some(name))
            .and_then(|r| column(r, ROW_ID).and_then(|v| v.as_i32()))
            .expect("row with a PidTagRowid") as u32
    };
    let (bob, cy) = (row_of("bob"), row_of("cy"));
    ok(
        message.modify_recipients(&[
            RecipientChange::Modify { row_id: bob, properties: recipient("bobby", 2) },
            RecipientChange::Remove { row_id: cy },
        ]),
        "modifying and removing",
    );
    ok(message.save_changes(), "save");
    let id = message.entry_id().expect("saved");
    let store = backend.reopen(store);
    let message = ok(store.open_message(&id), "reopen");
    let table = ok(message.recipient_table(), "recipient table");
    ok(table.set_columns(&[DISPLAY_NAME, EMAIL_ADDRESS, RECIPIENT_TYPE]), "columns");
    let mut got: Vec<(String, String, i32)> = all_rows(table.as_ref(), 10)
        .iter()
        .map(|r| {
            (
                column(r, DISPLAY_NAME).and_then(|v| v.as_str()).unwrap_or_default().to_owned(),
                column(r, EMAIL_ADDRESS).and_then(|v| v.as_str()).unwrap_or_default().to_owned(),
                column(r, RECIPIENT_TYPE).and_then(|v| v.as_i32()).unwrap_or_default(),
            )
        })
        .collect();
    got.sort();
    assert_eq!(
        got,
        vec![
            ("ann".into(), "ann@example.com".into(), 1),
            ("bobby".into(), "bobby@example.com".into(), 2)
        ]
    );
}

pub fn attachments_by_value_and_by_reference_round_trip(backend: &dyn Backend) {
    let store = backend.create_empty();
    let folder = scratch_folder(store.as_ref(), "attachments");
    let message = ok(folder.create_message(false), "create");
    let data: Vec<u8> = (0..50_000u32).map(|i| (i % 256) as u8).collect();
    let by_value = ok(message.create_attachment(), "create attachment");
    ok(
        by_value.set_props(&[
            tv(ATTACH_METHOD, PropValue::Integer32(AttachMethod::ByValue.code())),
            text(ATTACH_LONG_FILENAME, "data.bin"),
            tv(ATTACH_DATA_BINARY, PropValue::Binary(data.clone())),
        ]),
        "attachment props",
    );
    ok(by_value.save_changes(), "save attachment");
    let by_ref = ok(message.create_attachment(), "create attachment");
    assert_ne!(by_ref.attach_number(), by_value.attach_number(), "attachment numbers differ");
    ok(
        by_ref.set_props(&[
            tv(ATTACH_METHOD, PropValue::Integer32(AttachMethod::ByReference.code())),
            text(ATTACH_LONG_PATHNAME, r"\\server\share\report.pdf"),
        ]),
        "reference props",
    );
    ok(by_ref.save_changes(), "save attachment");
    let doomed = ok(message.create_attachment(), "create a third");
    ok(doomed.save_changes(), "save the third");
    ok(message.delete_attachment(doomed.attach_number()), "delete the third");
    ok(message.save_changes(), "save message");
    let id = message.entry_id().expect("saved");
    let (value_num, ref_num) = (by_value.attach_number(), by_ref.attach_number());
    let store = backend.reopen(store);
    let message = ok(store.open_message(&id), "reopen");
    assert_eq!(
        prop(message.as_ref(), PropTag::new(0x0E1B, PropType::Boolean)),
        Some(PropValue::Boolean(true)),
        "PidTagHasAttachments"
    );
    let table = ok(message.attachment_table(), "attachment table");
    ok(table.set_columns(&[ATTACH_NUMBER, ATTACH_METHOD]), "columns");
    assert_eq!(ok(table.row_count(), "count"), 2);
    let value = ok(message.open_attachment(value_num), "open by-value");
    assert_eq!(prop(value.as_ref(), ATTACH_DATA_BINARY), Some(PropValue::Binary(data.clone())));
    let mut streamed = Vec::new();
    ok(value.open_property_stream(ATTACH_DATA_BINARY), "stream")
        .read_to_end(&mut streamed)
        .expect("read");
    assert_eq!(streamed, data);
    let reference = ok(message.open_attachment(ref_num), "open by-reference");
    assert_eq!(
        prop(reference.as_ref(), ATTACH_LONG_PATHNAME).as_ref().and_then(|v| v.as_str()),
        Some(r"\\server\share\report.pdf")
    );
    expect_error(
        message.open_attachment(doomed.attach_number()),
        ErrorCode::NotFound,
        "deleted attachment",
    );
}

pub fn embedded_messages_nest_three_deep(backend: &dyn Backend) {
    let store = backend.create_empty();
    let folder = scratch_folder(store.as_ref(), "embedded");
    let top = ok(folder.create_message(false), "create");
    ok(top.set_props(&[text(SUBJECT, "level 0")]), "subject");
    // Build top -> 1 -> 2 -> 3, saving from the inside out as MAPI requires.
    fn nest(parent: &dyn Message, level: u32, max: u32) {
        if level > max {
            return;
        }
        let attachment = ok(parent.create_attachment(), "create attachment");
        ok(
            attachment.set_props(&[text(ATTACH_LONG_FILENAME, &format!("level {level}.msg"))]),
            "name",
        );
        let inner = ok(attachment.open_embedded_message(true), "create embedded message");
        ok(inner.set_props(&[text(SUBJECT, &format!("level {level}"))]), "subject");
        ok(
            inner.modify_recipients(&[RecipientChange::Add(vec![text(
                DISPLAY_NAME,
                &format!("r{level}"),
            )])]),
            "recipient",
        );
        nest(inner.as_ref(), level + 1, max);
        ok(inner.save_changes(), "save embedded");
        assert_eq!(inner.entry_id(), None, "embedded messages have no entry ID");
        ok(attachment.save_changes(), "save attachment");
    }
    nest(top.as_ref(), 1, 3);
    ok(top.save_changes(), "save top");
    let id = top.entry_id().expect("saved");
    let store = backend.reopen(store);
    let mut current = ok(store.open_message(&id), "reopen");
    for level in 1..=3 {
        let attachment = ok(current.open_attachment(0), "open attachment");
        assert_eq!(
            prop(attachment.as_ref(), ATTACH_METHOD),
            Some(PropValue::Integer32(AttachMethod::EmbeddedMessage.code())),
            "level {level} attach method"
        );
        let inner = ok(attachment.open_embedded_message(false), "open embedded");
        assert_eq!(subject_of(inner.as_ref()).as_deref(), Some(&format!("level {level}")[..]));
        assert_eq!(ok(ok(inner.recipient_table(), "recipients").row_count(), "count"), 1);
        current = inner;
    }
    assert_eq!(
        ok(ok(current.attachment_table(), "table").row_count(), "count"),
        0,
        "level 3 has no attachment"
    );
}

pub fn unsaved_changes_are_invisible_to_other_handles(backend: &dyn Backend) {
    let store = backend.create_empty();
    let other = backend.open_another(store.as_ref());
    let folder = scratch_folder(store.as_ref(), "isolation");
    let id = save_message(folder.as_ref(), &[text(SUBJECT, "saved")]);
    let editing = ok(store.open_message(&id), "open for editing");
    ok(editing.set_props(&[text(SUBJECT, "unsaved")]), "edit");
    ok(
        editing.modify_recipients(&[RecipientChange::Add(vec![text(DISPLAY_NAME, "nobody")])]),
        "recipient",
    );
    let same_store = ok(store.open_message(&id), "second handle, same store");
    let other_store = ok(other.open_message(&id), "handle in another store object");
    for reader in [&same_store, &other_store] {
        assert_eq!(subject_of(reader.as_ref()).as_deref(), Some("saved"));
        assert_eq!(ok(ok(reader.recipient_table(), "recipients").row_count(), "count"), 0);
    }
    let fresh = ok(folder.create_message(false), "an unsaved new message");
    ok(fresh.set_props(&[text(SUBJECT, "never saved")]), "subject");
    assert_eq!(
        entry_ids_of(folder.as_ref(), false).len(),
        1,
        "an unsaved new message is not in the table"
    );
    ok(editing.save_changes(), "save");
    let after = ok(other.open_message(&id), "reopen in the other store");
    assert_eq!(subject_of(after.as_ref()).as_deref(), Some("unsaved"));
    assert_eq!(
        subject_of(same_store.as_ref()).as_deref(),
        Some("saved"),
        "an open handle keeps its copy"
    );
}

pub fn an_unsaved_attachment_never_reaches_the_message(backend: &dyn Backend) {
    let store = backend.create_empty();
    let folder = scratch_folder(store.as_ref(), "unsaved attachment");
    let message = ok(folder.create_message(false), "create");
    let attachment = ok(message.create_attachment(), "attachment");
    ok(attachment.set_props(&[text(ATTACH_LONG_FILENAME, "lost.txt")]), "props");
    ok(message.save_changes(), "save without saving the attachment");
    let reopened = ok(store.open_message(&message.entry_id().expect("saved")), "reopen");
    assert_eq!(ok(ok(reopened.attachment_table(), "table").row_count(), "count"), 0);
}

pub fn contents_table_restricts_and_sorts_ten_thousand_rows(backend: &dyn Backend) {
    const N: i32 = 10_000;
    let store = backend.create_empty();
    let folder = scratch_folder(store.as_ref(), "big table");
    // Keys chosen so that each sort key alone leaves ties for the next one to break.
    let importance = |i: i32| (i * 7) % 3;
    let subject =
        |i: i32| format!("{} item", ["alpha", "Beta", "gamma", "delta"][((i * 13) % 4) as usize]);
    let time = |i: i32| FileTime(130_000_000_000_000_000 + ((i * 7919) % N) as u64 * 10_000_000);
    for i in 0..N {
        let mut props =
            vec![text(SUBJECT, &subject(i)), tv(DELIVERY_TIME, PropValue::Time(time(i)))];
        if i % 10 != 0 {
            props.push(tv(IMPORTANCE, PropValue::Integer32(importance(i))));
        }
        save_message(folder.as_ref(), &props);
    }
    let table = ok(folder.contents_table(false), "contents table");
    assert_eq!(ok(table.row_count(), "count"), N as u32);
    ok(table.set_columns(&[IMPORTANCE, SUBJECT, DELIVERY_TIME]), "columns");

    // Importance descending (missing last), subject ascending case-insensitively, time ascending.
    let order = SortOrderSet::new(vec![
        SortOrder::descending(IMPORTANCE),
        SortOrder::ascending(SUBJECT),
        SortOrder::ascending(DELIVERY_TIME),
    ]);
    ok(table.sort(&order), "sort");
    let rows = all_rows(table.as_ref(), 997);
    assert_eq!(rows.len(), N as usize);
    let mut model: Vec<(Option<i32>, String, FileTime)> =
        (0..N).map(|i| ((i % 10 != 0).then(|| importance(i)), subject(i), time(i))).collect();
    model.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then_with(|| a.1.to_lowercase().cmp(&b.1.to_lowercase()))
            .then_with(|| a.2.cmp(&b.2))
    });
    for (k, (row, expected)) in rows.iter().zip(&model).enumerate() {
        assert_eq!(
            column(row, IMPORTANCE).and_then(|v| v.as_i32()),
            expected.0,
            "row {k} importance"
        );
        assert_eq!(
            column(row, SUBJECT).and_then(|v| v.as_str()),
            Some(&expected.1[..]),
            "row {k} subject"
        );
        assert_eq!(
            column(row, DELIVERY_TIME).and_then(|v| v.as_time()),
            Some(expected.2),
            "row {k} time"
        );
    }

    // The inbox view: delivery time alone, newest first.
    ok(table.sort(&SortOrderSet::new(vec![SortOrder::descending(DELIVERY_TIME)])), "sort by time");
    let newest = ok(table.query_rows(50), "first 50 by time");
    let mut times: Vec<FileTime> = (0..N).map(time).collect();
    times.sort_by(|a, b| b.cmp(a));
    let got: Vec<_> =
        newest.iter().map(|r| column(r, DELIVERY_TIME).and_then(|v| v.as_time())).collect();
    assert_eq!(got, times[..50].iter().copied().map(Some).collect::<Vec<_>>());
    let rest = all_rows(table.as_ref(), 333);
    let all: Vec<_> = newest
        .iter()
        .chain(&rest)
        .map(|r| column(r, DELIVERY_TIME).and_then(|v| v.as_time()))
        .collect();
    assert_eq!(all, times.iter().copied().map(Some).collect::<Vec<_>>(), "every row in time order");
    assert_eq!(ok(table.row_count(), "count"), N as u32);
    ok(table.sort(&order), "back to the three-key sort");

    // importance = 2 AND subject contains "ta" (case-insensitive): Beta and delta.
    let restriction = Restriction::And(vec![
        Restriction::property(RelOp::Equal, tv(IMPORTANCE, PropValue::Integer32(2))),
        Restriction::content(
            FuzzyLevel::new(FuzzyMatch::Substring).ignoring_case(),
            text(SUBJECT, "TA"),
        ),
    ]);
    ok(table.restrict(Some(&restriction)), "restrict");
    let filtered = all_rows(table.as_ref(), 500);
    let expected: Vec<_> =
        model.iter().filter(|m| m.0 == Some(2) && m.1.to_lowercase().contains("ta")).collect();
    assert_eq!(filtered.len(), expected.len());
    assert_eq!(ok(table.row_count(), "restricted count"), expected.len() as u32);
    for (row, m) in filtered.iter().zip(&expected) {
        assert_eq!(
            column(row, DELIVERY_TIME).and_then(|v| v.as_time()),
            Some(m.2),
            "restricted rows keep the sort"
        );
    }
    // Messages without the property: NOT EXIST.
    ok(
        table.restrict(Some(&Restriction::Not(Box::new(Restriction::Exist { tag: IMPORTANCE })))),
        "restrict",
    );
    assert_eq!(ok(table.row_count(), "count"), (N / 10) as u32);
    ok(table.restrict(None), "clear the restriction");
    assert_eq!(ok(table.row_count(), "count"), N as u32);
}

pub fn tables_read_in_batches_seek_and_keep_bookmarks(backend: &dyn Backend) {
    let store = backend.create_empty();
    let folder = scratch_folder(store.as_ref(), "seek");
    for i in 0..25 {
        save_message(folder.as_ref(), &[tv(IMPORTANCE, PropValue::Integer32(i))]);
    }
    let table = ok(folder.contents_table(false), "table");
    ok(table.set_columns(&[IMPORTANCE]), "columns");
    ok(table.sort(&SortOrderSet::new(vec![SortOrder::ascending(IMPORTANCE)])), "sort");
    let value = |row: &Vec<TaggedValue>| column(row, IMPORTANCE).and_then(|v| v.as_i32());
    let first = ok(table.query_rows(10), "first batch");
    assert_eq!(first.iter().map(value).collect::<Vec<_>>(), (0..10).map(Some).collect::<Vec<_>>());
    assert_eq!(ok(table.position(), "position"), 10);
    let mark = ok(table.create_bookmark(), "bookmark");
    assert_eq!(ok(table.seek(BookmarkOrigin::End, -3), "seek from end"), -3);
    assert_eq!(
        ok(table.query_rows(10), "tail").iter().map(value).collect::<Vec<_>>(),
        vec![Some(22), Some(23), Some(24)]
    );
    assert!(ok(table.query_rows(10), "past the end").is_empty());
    assert_eq!(ok(table.seek(BookmarkOrigin::Bookmark(mark), 0), "back to the bookmark"), 0);
    assert_eq!(ok(table.query_rows(1), "row at bookmark").first().and_then(value), Some(10));
    assert_eq!(ok(table.seek(BookmarkOrigin::Current, -100), "clamped"), -11);
    assert_eq!(ok(table.position(), "position"), 0);
    ok(table.free_bookmark(mark), "free");
    expect_error(
        table.seek(BookmarkOrigin::Bookmark(mark), 0),
        ErrorCode::InvalidBookmark,
        "freed bookmark",
    );
    let twenty =
        Restriction::property(RelOp::GreaterThanOrEqual, tv(IMPORTANCE, PropValue::Integer32(20)));
    assert!(ok(table.find_row(&twenty), "find_row"));
    assert_eq!(ok(table.position(), "found position"), 20);
}

pub fn associated_messages_have_their_own_contents_table(backend: &dyn Backend) {
    let store = backend.create_empty();
    let folder = scratch_folder(store.as_ref(), "fai");
    save_message(folder.as_ref(), &[text(SUBJECT, "normal")]);
    let fai = ok(folder.create_message(true), "create FAI");
    ok(fai.set_props(&[text(MESSAGE_CLASS, "IPM.Configuration.Test")]), "props");
    ok(fai.save_changes(), "save FAI");
    assert_eq!(entry_ids_of(folder.as_ref(), false).len(), 1);
    let associated = entry_ids_of(folder.as_ref(), true);
    assert_eq!(associated, vec![fai.entry_id().expect("saved")]);
    let count = prop(folder.as_ref(), PropTag::new(0x3617, PropType::Integer32));
    assert_eq!(count, Some(PropValue::Integer32(1)), "PidTagAssociatedContentCount");
}

pub fn copied_messages_are_independent_of_the_original(backend: &dyn Backend) {
    let store = backend.create_empty();
    let source = scratch_folder(store.as_ref(), "copy source");
    let dest = scratch_folder(store.as_ref(), "copy dest");
    let message = ok(source.create_message(false), "create");
    ok(message.set_props(&[text(SUBJECT, "original")]), "subject");
    let attachment = ok(message.create_attachment(), "attachment");
    ok(attachment.set_props(&[tv(ATTACH_DATA_BINARY, PropValue::Binary(vec![1, 2, 3]))]), "data");
    ok(attachment.save_changes(), "save attachment");
    ok(message.save_changes(), "save");
    let id = message.entry_id().expect("saved");
    let copies = ok(source.copy_messages(std::slice::from_ref(&id), &dest.entry_id()), "copy");
    assert_eq!(copies.len(), 1);
    assert!(!ok(store.compare_entry_ids(&copies[0], &id), "compare"), "a copy has its own ID");
    let copy = ok(store.open_message(&copies[0]), "open copy");
    ok(copy.set_props(&[text(SUBJECT, "changed copy")]), "edit copy");
    ok(copy.save_changes(), "save copy");
    let original = ok(store.open_message(&id), "original");
    assert_eq!(subject_of(original.as_ref()).as_deref(), Some("original"));
    let copied_attachment = ok(copy.open_attachment(0), "copied attachment");
    assert_eq!(
        prop(copied_attachment.as_ref(), ATTACH_DATA_BINARY),
        Some(PropValue::Binary(vec![1, 2, 3]))
    );
    assert_eq!(entry_ids_of(source.as_ref(), false), vec![id]);
}

pub fn a_moved_message_gets_a_new_id_and_the_old_is_not_found(backend: &dyn Backend) {
    let store = backend.create_empty();
    let source = scratch_folder(store.as_ref(), "move source");
    let dest = scratch_folder(store.as_ref(), "move dest");
    let id = save_message(source.as_ref(), &[text(SUBJECT, "traveller")]);
    let moved = ok(source.move_messages(std::slice::from_ref(&id), &dest.entry_id()), "move");
    expect_error(store.open_message(&id), ErrorCode::NotFound, "the old ID after a move");
    let message = ok(store.open_message(&moved[0]), "the new ID");
    assert_eq!(subject_of(message.as_ref()).as_deref(), Some("traveller"));
    assert!(entry_ids_of(source.as_ref(), false).is_empty());
    assert_eq!(entry_ids_of(dest.as_ref(), false), moved);
    let parent = prop(message.as_ref(), PropTag::new(0x0E09, PropType::Binary));
    assert_eq!(
        parent.as_ref().and_then(|v| v.as_binary()),
        Some(&dest.entry_id()[..]),
        "PidTagParentEntryId"
    );
}

pub fn a_deleted_message_is_not_found(backend: &dyn Backend) {
    let store = backend.create_empty();
    let folder = scratch_folder(store.as_ref(), "delete");
    let keep = save_message(folder.as_ref(), &[text(SUBJECT, "keep")]);
    let doomed = save_message(folder.as_ref(), &[text(SUBJECT, "doomed")]);
    ok(folder.delete_messages(std::slice::from_ref(&doomed)), "delete");
    expect_error(store.open_message(&doomed), ErrorCode::NotFound, "deleted message");
    expect_error(
        folder.delete_messages(std::slice::from_ref(&doomed)),
        ErrorCode::NotFound,
        "deleting twice",
    );
    assert_eq!(entry_ids_of(folder.as_ref(), false), vec![keep]);
    let store = backend.reopen(store);
    expect_error(store.open_message(&doomed), ErrorCode::NotFound, "deleted message after reopen");
}

pub fn saving_a_deleted_message_fails(backend: &dyn Backend) {
    let store = backend.create_empty();
    let folder = scratch_folder(store.as_ref(), "save deleted");
    let id = save_message(folder.as_ref(), &[text(SUBJECT, "x")]);
    let open = ok(store.open_message(&id), "open");
    ok(folder.delete_messages(std::slice::from_ref(&id)), "delete");
    ok(open.set_props(&[text(SUBJECT, "y")]), "edit the stale copy");
    expect_error(open.save_changes(), ErrorCode::ObjectDeleted, "saving a deleted message");
    assert!(entry_ids_of(folder.as_ref(), false).is_empty(), "the delete stands");
}

pub fn folder_trees_copy_with_their_messages(backend: &dyn Backend) {
    let store = backend.create_empty();
    let top = scratch_folder(store.as_ref(), "copy tree");
    let a = ok(top.create_folder("a", FolderKind::Generic, false), "a");
    let b = ok(a.create_folder("b", FolderKind::Generic, false), "b");
    save_message(a.as_ref(), &[text(SUBJECT, "in a")]);
    save_message(b.as_ref(), &[text(SUBJECT, "in b")]);
    let dest = scratch_folder(store.as_ref(), "copy tree dest");
    let copy_id =
        ok(top.copy_folder(&a.entry_id(), &dest.entry_id(), Some("a copy"), true), "copy folder");
    let copy = ok(store.open_folder(&copy_id), "open copy");
    assert_eq!(prop(copy.as_ref(), DISPLAY_NAME).as_ref().and_then(|v| v.as_str()), Some("a copy"));
    assert_eq!(entry_ids_of(copy.as_ref(), false).len(), 1);
    let b_copy = ok(store.open_folder(&child_folder_id(copy.as_ref(), "b")), "copied b");
    let messages = entry_ids_of(b_copy.as_ref(), false);
    assert_eq!(messages.len(), 1);
    assert_eq!(
        subject_of(ok(store.open_message(&messages[0]), "open").as_ref()).as_deref(),
        Some("in b")
    );
    assert_eq!(entry_ids_of(b.as_ref(), false).len(), 1, "the source keeps its messages");
    let shallow = ok(
        top.copy_folder(&a.entry_id(), &dest.entry_id(), Some("shallow"), false),
        "copy without subfolders",
    );
    assert!(child_folder_names(ok(store.open_folder(&shallow), "open").as_ref()).is_empty());
}

pub fn folders_move_with_their_subtree_and_keep_their_ids(backend: &dyn Backend) {
    let store = backend.create_empty();
    let top = scratch_folder(store.as_ref(), "move tree");
    let a = ok(top.create_folder("a", FolderKind::Generic, false), "a");
    let b = ok(a.create_folder("b", FolderKind::Generic, false), "b");
    let message = save_message(b.as_ref(), &[text(SUBJECT, "deep")]);
    let dest = scratch_folder(store.as_ref(), "move tree dest");
    ok(top.move_folder(&a.entry_id(), &dest.entry_id(), Some("renamed")), "move");
    assert!(child_folder_names(top.as_ref()).is_empty());
    assert_eq!(child_folder_names(dest.as_ref()), vec!["renamed".to_owned()]);
    let moved = ok(store.open_folder(&a.entry_id()), "a folder keeps its ID across a move");
    assert_eq!(
        prop(moved.as_ref(), DISPLAY_NAME).as_ref().and_then(|v| v.as_str()),
        Some("renamed")
    );
    ok(store.open_folder(&b.entry_id()), "subfolders keep theirs");
    assert_eq!(
        subject_of(ok(store.open_message(&message), "message in the moved tree").as_ref())
            .as_deref(),
        Some("deep")
    );
}

pub fn moving_a_folder_into_its_own_subtree_is_refused(backend: &dyn Backend) {
    let store = backend.create_empty();
    let top = scratch_folder(store.as_ref(), "cycle");
    let a = ok(top.create_folder("a", FolderKind::Generic, false), "a");
    let b = ok(a.create_folder("b", FolderKind::Generic, false), "b");
    expect_error(
        top.move_folder(&a.entry_id(), &b.entry_id(), None),
        ErrorCode::FolderCycle,
        "into a child",
    );
    expect_error(
        top.move_folder(&a.entry_id(), &a.entry_id(), None),
        ErrorCode::FolderCycle,
        "into itself",
    );
    assert_eq!(child_folder_names(top.as_ref()), vec!["a".to_owned()]);
}

pub fn deleting_a_folder_tree_makes_every_id_not_found(backend: &dyn Backend) {
    let store = backend.create_empty();
    let top = scratch_folder(store.as_ref(), "delete tree");
    let a = ok(top.create_folder("a", FolderKind::Generic, false), "a");
    let b = ok(a.create_folder("b", FolderKind::Generic, false), "b");
    let in_a = save_message(a.as_ref(), &[text(SUBJECT, "a")]);
    let in_b = save_message(b.as_ref(), &[text(SUBJECT, "b")]);
    ok(top.delete_folder(&a.entry_id(), DeleteFolderFlags::ALL), "delete tree");
    for (id, what) in [
        (a.entry_id(), "folder a"),
        (b.entry_id(), "folder b"),
        (in_a.clone(), "message in a"),
        (in_b.clone(), "message in b"),
    ] {
        expect_error(store.open_entry(&id), ErrorCode::NotFound, what);
    }
    let store = backend.reopen(store);
    expect_error(store.open_entry(&in_b), ErrorCode::NotFound, "message in b after reopen");
}

pub fn a_folder_with_content_is_not_deleted_without_flags(backend: &dyn Backend) {
    let store = backend.create_empty();
    let top = scratch_folder(store.as_ref(), "guarded delete");
    let a = ok(top.create_folder("a", FolderKind::Generic, false), "a");
    ok(a.create_folder("b", FolderKind::Generic, false), "b");
    save_message(a.as_ref(), &[text(SUBJECT, "x")]);
    expect_error(
        top.delete_folder(&a.entry_id(), DeleteFolderFlags::default()),
        ErrorCode::HasFolders,
        "with subfolders",
    );
    let only_messages = DeleteFolderFlags { messages: false, subfolders: true };
    expect_error(
        top.delete_folder(&a.entry_id(), only_messages),
        ErrorCode::HasMessages,
        "with messages",
    );
    ok(store.open_folder(&a.entry_id()), "still there");
}

pub fn sibling_folder_names_collide(backend: &dyn Backend) {
    let store = backend.create_empty();
    let top = scratch_folder(store.as_ref(), "names");
    let first = ok(top.create_folder("Projects", FolderKind::Generic, false), "first");
    expect_error(
        top.create_folder("Projects", FolderKind::Generic, false),
        ErrorCode::Collision,
        "same name",
    );
    let opened = ok(top.create_folder("Projects", FolderKind::Generic, true), "open if exists");
    assert_eq!(opened.entry_id(), first.entry_id());
    let other = ok(top.create_folder("Other", FolderKind::Generic, false), "other");
    expect_error(
        other.set_props(&[text(DISPLAY_NAME, "Projects")]),
        ErrorCode::Collision,
        "rename onto a sibling",
    );
}

pub fn emptying_a_folder_removes_messages_and_subfolders(backend: &dyn Backend) {
    let store = backend.create_empty();
    let folder = scratch_folder(store.as_ref(), "empty me");
    let message = save_message(folder.as_ref(), &[text(SUBJECT, "x")]);
    let sub = ok(folder.create_folder("sub", FolderKind::Generic, false), "sub");
    let fai = ok(folder.create_message(true), "FAI");
    ok(fai.save_changes(), "save FAI");
    ok(folder.empty(false), "empty");
    assert!(entry_ids_of(folder.as_ref(), false).is_empty());
    assert!(child_folder_names(folder.as_ref()).is_empty());
    expect_error(store.open_message(&message), ErrorCode::NotFound, "emptied message");
    expect_error(store.open_folder(&sub.entry_id()), ErrorCode::NotFound, "emptied subfolder");
    assert_eq!(entry_ids_of(folder.as_ref(), true).len(), 1, "FAI messages stay unless asked");
}

pub fn entry_ids_are_stable_across_close_and_reopen(backend: &dyn Backend) {
    let store = backend.create_empty();
    let folder = scratch_folder(store.as_ref(), "stable");
    let folder_id = folder.entry_id();
    let ids: Vec<Vec<u8>> = (0..5)
        .map(|i| save_message(folder.as_ref(), &[tv(IMPORTANCE, PropValue::Integer32(i))]))
        .collect();
    let edited = ok(store.open_message(&ids[2]), "open");
    ok(edited.set_props(&[text(SUBJECT, "edited")]), "edit");
    ok(edited.save_changes(), "save");
    assert_eq!(edited.entry_id().as_ref(), Some(&ids[2]), "saving keeps the ID");
    drop((edited, folder));
    let store = backend.reopen(store);
    let folder = ok(store.open_folder(&folder_id), "folder after reopen");
    let mut listed = entry_ids_of(folder.as_ref(), false);
    let mut expected = ids.clone();
    listed.sort();
    expected.sort();
    assert_eq!(listed, expected);
    for (i, id) in ids.iter().enumerate() {
        let message = ok(store.open_message(id), "message after reopen");
        assert_eq!(prop(message.as_ref(), IMPORTANCE), Some(PropValue::Integer32(i as i32)));
        let entry = prop(message.as_ref(), ENTRY_ID);
        assert_eq!(entry.as_ref().and_then(|v| v.as_binary()), Some(&id[..]));
    }
}

pub fn receive_folders_match_the_longest_class_prefix(backend: &dyn Backend) {
    let store = backend.create_empty();
    let folder = scratch_folder(store.as_ref(), "receive");
    let default_folder = ok(store.get_receive_folder(""), "default receive folder").entry_id;
    ok(store.set_receive_folder("IPM.Note.Custom", Some(&folder.entry_id())), "register");
    let hit = ok(store.get_receive_folder("ipm.note.custom.sub"), "subclass");
    assert_eq!(hit.entry_id, folder.entry_id());
    assert_eq!(hit.explicit_class.to_lowercase(), "ipm.note.custom");
    let miss = ok(store.get_receive_folder("IPM.Note.CustomX"), "not a subclass");
    assert_ne!(miss.entry_id, folder.entry_id());
    ok(store.set_receive_folder("IPM.Note.Custom", None), "unregister");
    let back = ok(store.get_receive_folder("IPM.Note.Custom"), "after unregistering");
    assert!(back.explicit_class.len() < "IPM.Note.Custom".len());
    assert!(
        ok(store.receive_folder_table(), "table")
            .iter()
            .any(|(class, id)| class.is_empty() && *id == default_folder)
    );
}

pub fn readers_see_whole_messages_while_a_writer_saves(backend: &dyn Backend) {
    let store = backend.create_empty();
    let reader_store = backend.open_another(store.as_ref());
    let folder = scratch_folder(store.as_ref(), "concurrent");
    let folder_id = folder.entry_id();
    let done = AtomicBool::new(false);
    const WRITES: i32 = 150;
    std::thread::scope(|scope| {
        let writer = scope.spawn(|| {
            for i in 0..WRITES {
                let message = ok(folder.create_message(false), "create");
                // Two properties that must always be seen together.
                ok(
                    message.set_props(&[
                        tv(IMPORTANCE, PropValue::Integer32(i)),
                        text(SUBJECT, &format!("m{i}")),
                    ]),
                    "props",
                );
                ok(message.save_changes(), "save");
            }
            done.store(true, Ordering::SeqCst);
        });
        let mut readers = Vec::new();
        for store in [store.as_ref(), reader_store.as_ref()] {
            let done = &done;
            let folder_id = &folder_id;
            readers.push(scope.spawn(move || {
                let folder = ok(store.open_folder(folder_id), "reader folder");
                let mut last = 0;
                loop {
                    // Read once more after the writer finished, so the last round sees all.
                    let finished = done.load(Ordering::SeqCst);
                    let table = ok(folder.contents_table(false), "reader table");
                    ok(table.set_columns(&[IMPORTANCE, SUBJECT]), "columns");
                    let rows = all_rows(table.as_ref(), 64);
                    assert!(rows.len() >= last, "a reader saw saved messages disappear");
                    last = rows.len();
                    for row in &rows {
                        let i =
                            column(row, IMPORTANCE).and_then(|v| v.as_i32()).expect("importance");
                        let subject = column(row, SUBJECT).and_then(|v| v.as_str());
                        assert_eq!(subject, Some(&format!("m{i}")[..]), "a half-written message");
                    }
                    if finished {
                        break;
                    }
                }
                last
            }));
        }
        writer.join().expect("writer thread");
        for reader in readers {
            assert_eq!(
                reader.join().expect("reader thread"),
                WRITES as usize,
                "readers finally see every message"
            );
        }
    });
}

pub fn computed_properties_cannot_be_set(backend: &dyn Backend) {
    let store = backend.create_empty();
    let folder = scratch_folder(store.as_ref(), "computed");
    let message = ok(folder.create_message(false), "create");
    expect_error(
        message.set_props(&[tv(ENTRY_ID, PropValue::Binary(vec![1]))]),
        ErrorCode::Computed,
        "PidTagEntryId",
    );
    let count = PropTag::new(0x3602, PropType::Integer32);
    expect_error(
        folder.set_props(&[tv(count, PropValue::Integer32(5))]),
        ErrorCode::Computed,
        "PidTagContentCount",
    );
}

pub fn sub_restrictions_look_into_recipients(backend: &dyn Backend) {
    let store = backend.create_empty();
    let folder = scratch_folder(store.as_ref(), "subrestriction");
    for (subject, recipients) in
        [("one", &["ann", "bob"][..]), ("two", &["cy"][..]), ("three", &[][..])]
    {
        let message = ok(folder.create_message(false), "create");
        ok(message.set_props(&[text(SUBJECT, subject)]), "subject");
        let adds: Vec<_> =
            recipients.iter().map(|r| RecipientChange::Add(vec![text(DISPLAY_NAME, r)])).collect();
        ok(message.modify_recipients(&adds), "recipients");
        ok(message.save_changes(), "save");
    }
    let table = ok(folder.contents_table(false), "table");
    ok(table.set_columns(&[SUBJECT]), "columns");
    let to_bob = Restriction::SubObject {
        subobject: SubObject::Recipients,
        restriction: Box::new(Restriction::content(
            FuzzyLevel::new(FuzzyMatch::FullString).ignoring_case(),
            text(DISPLAY_NAME, "BOB"),
        )),
    };
    ok(table.restrict(Some(&to_bob)), "restrict on recipients");
    let rows = all_rows(table.as_ref(), 10);
    assert_eq!(rows.len(), 1);
    assert_eq!(column(&rows[0], SUBJECT).and_then(|v| v.as_str()), Some("one"));
}

pub fn computed_columns_sort_and_restrict(backend: &dyn Backend) {
    let store = backend.create_empty();
    let folder = scratch_folder(store.as_ref(), "computed columns");
    let size = PropTag::new(0x0E08, PropType::Integer32);
    for length in [300, 10, 2000] {
        save_message(
            folder.as_ref(),
            &[text(SUBJECT, &format!("{length}")), text(BODY, &"x".repeat(length))],
        );
    }
    let table = ok(folder.contents_table(false), "table");
    ok(table.set_columns(&[SUBJECT, size]), "columns");
    ok(
        table.sort(&SortOrderSet::new(vec![SortOrder::ascending(size)])),
        "sort by PidTagMessageSize",
    );
    let subjects: Vec<String> = all_rows(table.as_ref(), 10)
        .iter()
        .filter_map(|r| column(r, SUBJECT).and_then(|v| v.as_str()).map(str::to_owned))
        .collect();
    assert_eq!(subjects, ["10", "300", "2000"], "sorted by computed size");
    let big = Restriction::property(RelOp::GreaterThan, tv(size, PropValue::Integer32(500)));
    ok(table.restrict(Some(&big)), "restrict on PidTagMessageSize");
    assert_eq!(ok(table.row_count(), "count"), 2);

    // The table and the message agree on the size, attachments included.
    let message = ok(folder.create_message(false), "create");
    ok(message.set_props(&[text(SUBJECT, "with attachment")]), "subject");
    let attachment = ok(message.create_attachment(), "attachment");
    ok(attachment.set_props(&[tv(ATTACH_DATA_BINARY, PropValue::Binary(vec![7; 5000]))]), "data");
    ok(attachment.save_changes(), "save attachment");
    ok(message.save_changes(), "save");
    let id = message.entry_id().expect("saved");
    let from_message = prop(ok(store.open_message(&id), "open").as_ref(), size);
    let only = Restriction::content(
        FuzzyLevel::new(FuzzyMatch::FullString),
        text(SUBJECT, "with attachment"),
    );
    ok(table.restrict(Some(&only)), "restrict to it");
    let rows = all_rows(table.as_ref(), 10);
    assert_eq!(rows.len(), 1);
    assert_eq!(column(&rows[0], size), from_message.as_ref(), "table size = message size");
    assert!(from_message.and_then(|v| v.as_i32()).is_some_and(|s| s >= 5000), "attachments count");
}
