//! A PST/OST mounted as a `mapi::provider::MessageStore`: the corpus walked through the traits
//! only, compared with the libpff dumps, plus the read-only conformance cases on fixtures.

mod common;

use mapi::catalog::tags as t;
use mapi::provider::{Folder, MessageStore, OpenedEntry, PropertyObject, SpecialFolder, Table};
use mapi::restriction::RelOp;
use mapi::{
    ErrorCode, Guid, MapiResult, NamedProperty, PropTag, PropValue, Restriction, SortOrder,
    SortOrderSet, TaggedValue,
};
use pst::provider::PstStore;
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The files whose message store has a non-zero PidTagPstPassword (MANIFEST.md).
const PROTECTED: &[&str] = &[
    "aspose-passwordprotectedPST.pst",
    "pst2john-2003_high-encryption_quickquick.pst",
    "pst2john-2003_no-encryption_quickquick.pst",
    "pst2john-97_outlook_pass12345.pst",
    "pstsdk-test_ansi.pst",
    "pstsdk-test_unicode.pst",
];

/// The only protected file whose password is known (its file name says it).
const KNOWN_PASSWORD: (&str, &str) = ("pst2john-97_outlook_pass12345.pst", "pass12345");

fn name_of(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

fn password_for(path: &Path) -> Option<&'static str> {
    (name_of(path) == KNOWN_PASSWORD.0).then_some(KNOWN_PASSWORD.1)
}

/// Every corpus file that can be mounted here, with its password.
fn mountable() -> Vec<PathBuf> {
    common::corpus_files()
        .into_iter()
        .filter(|p| !PROTECTED.contains(&name_of(p).as_str()) || password_for(p).is_some())
        .collect()
}

fn mount(path: &Path) -> PstStore {
    PstStore::open(path, password_for(path))
        .unwrap_or_else(|e| panic!("mounting {}: {e}", path.display()))
}

fn ok<T>(result: MapiResult<T>, what: &str) -> T {
    result.unwrap_or_else(|e| panic!("{what}: {e}"))
}

fn rows(table: &dyn Table, columns: &[PropTag]) -> Vec<Vec<TaggedValue>> {
    ok(table.set_columns(columns), "set_columns");
    let mut out = Vec::new();
    loop {
        let batch = ok(table.query_rows(37), "query_rows");
        if batch.is_empty() {
            return out;
        }
        out.extend(batch);
    }
}

fn text(row: &[TaggedValue], tag: PropTag) -> Option<String> {
    row.iter().find(|v| v.tag == tag).and_then(|v| v.value.as_str()).map(str::to_owned)
}

fn binary(row: &[TaggedValue], tag: PropTag) -> Vec<u8> {
    row.iter()
        .find(|v| v.tag == tag)
        .and_then(|v| v.value.as_binary())
        .unwrap_or_else(|| panic!("row without {tag}: {row:?}"))
        .to_vec()
}

fn prop_text(object: &dyn PropertyObject, tag: PropTag) -> Option<String> {
    ok(object.get_prop(tag), "get_prop").and_then(|v| v.as_str().map(str::to_owned))
}

/// A folder as the libpff dump sees it, order-free: the dump lists children in NID order
/// (see `pst::dump`), the traits in table order.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Tree {
    name: Option<String>,
    subfolders: Vec<Tree>,
    /// (subject, message class) per item, sorted.
    messages: Vec<(Option<String>, Option<String>)>,
}

fn non_empty(s: Option<String>) -> Option<String> {
    s.filter(|s| !s.is_empty())
}

fn expected_tree(folder: &Value) -> Tree {
    // Empty and absent strings are the same here: libpff writes either for an empty subject.
    let string = |v: &Value| non_empty(v.as_str().map(str::to_owned));
    let mut subfolders: Vec<Tree> =
        folder["subfolders"].as_array().unwrap().iter().map(expected_tree).collect();
    subfolders.sort();
    let mut messages: Vec<_> = folder["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (string(&m["subject"]), string(&m["message_class"])))
        .collect();
    messages.sort();
    Tree { name: string(&folder["name"]), subfolders, messages }
}

/// Walks a folder through the traits: hierarchy rows open as folders, contents rows open as
/// messages by their entry IDs, and the opened objects agree with their rows.
fn walked_tree(store: &dyn MessageStore, folder: &dyn Folder, opened: &mut usize) -> Tree {
    let hierarchy = ok(folder.hierarchy_table(false), "hierarchy_table");
    let mut subfolders = Vec::new();
    for row in rows(hierarchy.as_ref(), &[t::PidTagEntryId, t::PidTagDisplayName]) {
        let child = ok(store.open_folder(&binary(&row, t::PidTagEntryId)), "open_folder");
        assert_eq!(
            prop_text(child.as_ref(), t::PidTagDisplayName),
            text(&row, t::PidTagDisplayName)
        );
        subfolders.push(walked_tree(store, child.as_ref(), opened));
    }
    subfolders.sort();
    let contents = ok(folder.contents_table(false), "contents_table");
    let columns = [t::PidTagEntryId, t::PidTagSubject, t::PidTagMessageClass];
    // A search folder's contents table lists its search results, messages that live in other
    // folders; libpff lists the folder's own items (none), so only they are compared.
    let search =
        ok(folder.get_prop(t::PidTagFolderType), "folder type") == Some(PropValue::Integer32(2));
    let mut messages = Vec::new();
    for row in rows(contents.as_ref(), &columns) {
        let id = binary(&row, t::PidTagEntryId);
        let message = ok(store.open_message(&id), "open_message by its contents-table ID");
        *opened += 1;
        assert_eq!(message.entry_id().as_deref(), Some(&id[..]));
        let subject = prop_text(message.as_ref(), t::PidTagSubject);
        let class = prop_text(message.as_ref(), t::PidTagMessageClass);
        if let Some(row_subject) = text(&row, t::PidTagSubject) {
            assert_eq!(Some(row_subject), subject, "row and message subjects");
        }
        if !search {
            messages.push((non_empty(subject), non_empty(class)));
        }
    }
    messages.sort();
    let name = non_empty(prop_text(folder, t::PidTagDisplayName));
    Tree { name, subfolders, messages }
}

#[test]
fn every_mountable_corpus_file_walks_like_the_libpff_dump() {
    let files = mountable();
    assert!(files.len() >= 10, "corpus files: {files:?}");
    for path in files {
        let expected: Value = serde_json::from_str(
            &std::fs::read_to_string(path.with_extension("expected.json")).unwrap(),
        )
        .unwrap();
        let store = mount(&path);
        let root = ok(store.root_folder(), "root");
        let mut opened = 0;
        let got = walked_tree(&store, root.as_ref(), &mut opened);
        assert_eq!(got, expected_tree(&expected["root"]), "{}", path.display());
    }
}

#[test]
fn protected_psts_refuse_a_mount_without_their_password() {
    for name in PROTECTED {
        let path = common::corpus_file(name);
        let err = PstStore::open(&path, None).expect_err(name);
        assert!(matches!(err, pst::PstError::Password { .. }), "{name}: {err}");
        assert_eq!(mapi::MapiError::from(err).code, ErrorCode::LogonFailed, "{name}");
    }
}

#[test]
fn a_wrong_password_is_a_logon_failure_and_the_right_one_mounts() {
    let path = common::corpus_file(KNOWN_PASSWORD.0);
    let err = PstStore::open(&path, Some("pass1234")).expect_err("a wrong password");
    let err = mapi::MapiError::from(err);
    assert_eq!(err.code, ErrorCode::LogonFailed);
    assert!(err.message.contains("password"), "{}", err.message);
    let store = PstStore::open(&path, Some(KNOWN_PASSWORD.1)).expect("the right password");
    assert!(!store.is_writable());
}

#[test]
fn the_password_crc_is_not_exposed_as_a_store_property() {
    let store = mount(&common::corpus_file(KNOWN_PASSWORD.0));
    let crc = PropTag::new(0x67FF, mapi::PropType::Integer32);
    assert_eq!(ok(store.get_prop(crc), "get_prop"), None);
    assert!(ok(store.get_all_props(), "all").iter().all(|v| v.tag.id() != 0x67FF));
}

#[test]
fn osts_mount_without_a_password_despite_their_all_ones_password_field() {
    for name in ["aspose-SampleOstFile.ost", "pst-extractor-outlookcom-2013.ost"] {
        let path = common::corpus_file(name);
        let file = pst::PstFile::open(&path).unwrap();
        assert_eq!(file.message_store().unwrap().password_crc(), 0xFFFF_FFFF, "{name}");
        let store = PstStore::open(&path, None).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(ok(store.root_folder(), "root").entry_id().len() == 24);
    }
}

#[test]
fn store_properties_carry_the_record_key_and_a_wrapped_store_entry_id() {
    for path in mountable() {
        let store = mount(&path);
        let record_key = ok(store.get_prop(t::PidTagRecordKey), "record key").unwrap();
        assert_eq!(record_key.as_binary().unwrap(), &store.provider_uid().to_le_bytes());
        let entry_id = ok(store.get_prop(t::PidTagEntryId), "store entry ID").unwrap();
        let decoded = mapi::entry_id::EntryId::decode(entry_id.as_binary().unwrap()).unwrap();
        let mapi::entry_id::EntryId::StoreObject(wrapped) = decoded else {
            panic!("{}: the store entry ID is not a wrapped store ID", path.display())
        };
        assert_eq!(wrapped.dll_name, "mspst.dll");
        let expected_path = std::path::absolute(&path).unwrap();
        assert_eq!(wrapped.pst_path().as_deref(), Some(expected_path.to_str().unwrap()));
        let root = ok(store.root_folder(), "root");
        let root_id = root.entry_id();
        assert_eq!(&root_id[..4], &[0; 4]);
        assert_eq!(&root_id[4..20], record_key.as_binary().unwrap());
        assert_eq!(&root_id[20..], &0x122u32.to_le_bytes());
    }
}

#[test]
fn default_folders_are_found_the_standard_way_and_open() {
    // (file, folders it must have, by MS-OXOSFLD lookup, with their display names).
    let cases: &[(&str, &[(SpecialFolder, &str)])] = &[
        (
            "java-libpst-dist-list.pst",
            &[
                (SpecialFolder::IpmSubtree, "Top of Personal Folders"),
                (SpecialFolder::Inbox, "Inbox"),
                (SpecialFolder::Outbox, "Outbox"),
                (SpecialFolder::SentItems, "Sent Items"),
                (SpecialFolder::DeletedItems, "Deleted Items"),
                (SpecialFolder::Calendar, "Calendar"),
                (SpecialFolder::Contacts, "Contacts"),
                (SpecialFolder::Drafts, "Drafts"),
                (SpecialFolder::Journal, "Journal"),
                (SpecialFolder::Notes, "Notes"),
                (SpecialFolder::Tasks, "Tasks"),
                (SpecialFolder::JunkEmail, "Junk E-mail"),
                (SpecialFolder::Finder, "Search Root"),
                (SpecialFolder::Views, "IPM_VIEWS"),
                (SpecialFolder::CommonViews, "IPM_COMMON_VIEWS"),
            ],
        ),
        (
            "pst2john-97_outlook_pass12345.pst",
            &[
                (SpecialFolder::Inbox, "Inbox"),
                (SpecialFolder::DeletedItems, "Deleted Items"),
                (SpecialFolder::SentItems, "Sent Items"),
                (SpecialFolder::Calendar, "Calendar"),
            ],
        ),
        ("outlook-pst-Empty.pst", &[(SpecialFolder::IpmSubtree, "Top of Outlook data file")]),
    ];
    for (file, folders) in cases {
        let store = mount(&common::corpus_file(file));
        for (which, name) in *folders {
            let id = ok(store.special_folder_entry_id(*which), &format!("{file}: {which:?}"));
            let folder = ok(store.open_folder(&id), &format!("{file}: opening {which:?}"));
            assert_eq!(prop_text(folder.as_ref(), t::PidTagDisplayName).as_deref(), Some(*name));
        }
    }
    // Every file: whatever the lookup finds opens as a folder.
    for path in mountable() {
        let store = mount(&path);
        for &which in SpecialFolder::ALL {
            if let Ok(id) = store.special_folder_entry_id(which) {
                ok(store.open_folder(&id), &format!("{}: {which:?}", path.display()));
            }
        }
    }
}

#[test]
fn a_pst_without_an_inbox_has_none_but_still_answers_the_receive_folder() {
    let store = mount(&common::corpus_file("outlook-pst-Empty.pst"));
    let err = store.special_folder_entry_id(SpecialFolder::Inbox).unwrap_err();
    assert_eq!(err.code, ErrorCode::NotFound);
    let received = ok(store.get_receive_folder(""), "receive folder");
    assert_eq!(received.entry_id, ok(store.root_folder(), "root").entry_id());
}

#[test]
fn the_receive_folder_of_ipm_notes_is_the_inbox() {
    let store = mount(&common::corpus_file("aspose-Outlook.pst"));
    let received = ok(store.get_receive_folder("IPM.Note.Custom"), "receive folder");
    assert_eq!(received.explicit_class, "IPM");
    let inbox = ok(store.open_folder(&received.entry_id), "inbox");
    assert_eq!(prop_text(inbox.as_ref(), t::PidTagDisplayName).as_deref(), Some("Inbox"));
    let default = ok(store.get_receive_folder(""), "default receive folder");
    assert_eq!(default.explicit_class, "");
    assert!(ok(store.compare_entry_ids(&default.entry_id, &received.entry_id), "compare"));
    let report = ok(store.get_receive_folder("report.ipm.note.ndr"), "report class");
    assert_eq!(report.explicit_class, "Report.IPM");
}

/// The entry ID of the first message found in the store.
fn first_message_id(store: &dyn MessageStore, folder: &dyn Folder) -> Option<Vec<u8>> {
    let contents = ok(folder.contents_table(false), "contents");
    if let Some(row) = rows(contents.as_ref(), &[t::PidTagEntryId]).first() {
        return Some(binary(row, t::PidTagEntryId));
    }
    let hierarchy = ok(folder.hierarchy_table(false), "hierarchy");
    rows(hierarchy.as_ref(), &[t::PidTagEntryId]).iter().find_map(|row| {
        let child = ok(store.open_folder(&binary(row, t::PidTagEntryId)), "child");
        first_message_id(store, child.as_ref())
    })
}

#[test]
fn stale_malformed_and_foreign_entry_ids_get_the_right_errors() {
    let store = mount(&common::corpus_file("aspose-Outlook.pst"));
    let root = ok(store.root_folder(), "root");
    let message_id = first_message_id(&store, root.as_ref()).expect("a message");

    let mut absent = message_id.clone();
    absent[20..].copy_from_slice(&0x7FFF_FFE4u32.to_le_bytes());
    assert_eq!(store.open_entry(&absent).unwrap_err().code, ErrorCode::NotFound);

    let mut short_term = message_id.clone();
    short_term[..4].copy_from_slice(&[0x80, 0, 0, 0]);
    assert!(matches!(ok(store.open_entry(&short_term), "flags ignored"), OpenedEntry::Message(_)));
    assert!(ok(store.compare_entry_ids(&short_term, &message_id), "compare"));
    assert!(!ok(store.compare_entry_ids(&root.entry_id(), &message_id), "compare"));

    assert_eq!(store.open_entry(&message_id[..23]).unwrap_err().code, ErrorCode::InvalidEntryId);
    assert_eq!(store.open_entry(&[1, 2, 3]).unwrap_err().code, ErrorCode::InvalidEntryId);
    let mut internal = message_id.clone();
    internal[20..].copy_from_slice(&0x61u32.to_le_bytes()); // the name-to-ID map
    assert_eq!(store.open_entry(&internal).unwrap_err().code, ErrorCode::InvalidEntryId);

    let other = mount(&common::corpus_file("go-pst-support.pst"));
    let err = other.open_entry(&message_id).unwrap_err();
    assert_eq!(err.code, ErrorCode::UnknownEntryId, "{}", err.message);
    let mut foreign = message_id;
    foreign[4..20].copy_from_slice(&Guid::new_random().to_le_bytes());
    assert_eq!(store.open_entry(&foreign).unwrap_err().code, ErrorCode::UnknownEntryId);
}

fn largest_folder(store: &dyn MessageStore, folder: Box<dyn Folder>) -> (usize, Box<dyn Folder>) {
    let contents = ok(folder.contents_table(false), "contents");
    let mut best = (ok(contents.row_count(), "count") as usize, folder);
    let hierarchy = ok(best.1.hierarchy_table(false), "hierarchy");
    for row in rows(hierarchy.as_ref(), &[t::PidTagEntryId]) {
        let child = ok(store.open_folder(&binary(&row, t::PidTagEntryId)), "child");
        let candidate = largest_folder(store, child);
        if candidate.0 > best.0 {
            best = candidate;
        }
    }
    best
}

#[test]
fn a_contents_table_restricts_and_sorts_over_its_table_context_rows() {
    let store = mount(&common::corpus_file(KNOWN_PASSWORD.0));
    let (count, folder) = largest_folder(&store, ok(store.root_folder(), "root"));
    assert!(count > 20, "the largest folder has {count} messages");
    let table = ok(folder.contents_table(false), "contents");
    let all = rows(table.as_ref(), &[t::PidTagSubject, t::PidTagMessageDeliveryTime]);
    let pivot = all[all.len() / 2].clone();
    let pivot_time = pivot[1].clone();
    let time = |v: &TaggedValue| match v.value {
        PropValue::Time(t) => t.0,
        _ => 0,
    };
    let later = all.iter().filter(|r| time(&r[1]) > time(&pivot_time)).count();

    let restriction = Restriction::property(RelOp::GreaterThan, pivot_time);
    ok(table.restrict(Some(&restriction)), "restrict");
    ok(table.sort(&SortOrderSet::new(vec![SortOrder::ascending(t::PidTagSubject)])), "sort");
    assert_eq!(ok(table.row_count(), "count") as usize, later);
    let got = rows(table.as_ref(), &[t::PidTagSubject, t::PidTagMessageDeliveryTime]);
    assert_eq!(got.len(), later);
    let subjects: Vec<String> =
        got.iter().map(|r| text(r, t::PidTagSubject).unwrap_or_default()).collect();
    let mut sorted = subjects.clone();
    sorted.sort_by_key(|s| s.to_lowercase());
    assert_eq!(
        subjects.iter().map(|s| s.to_lowercase()).collect::<Vec<_>>(),
        sorted.iter().map(|s| s.to_lowercase()).collect::<Vec<_>>()
    );
    assert!(got.iter().all(|r| time(&r[1]) > time(&pivot[1])));
}

/// Every top-level message of a store, opened through the traits.
fn all_messages(store: &dyn MessageStore) -> Vec<Box<dyn mapi::provider::Message>> {
    fn visit(
        store: &dyn MessageStore,
        folder: &dyn Folder,
        out: &mut Vec<Box<dyn mapi::provider::Message>>,
    ) {
        let contents = ok(folder.contents_table(false), "contents");
        for row in rows(contents.as_ref(), &[t::PidTagEntryId]) {
            out.push(ok(store.open_message(&binary(&row, t::PidTagEntryId)), "message"));
        }
        let hierarchy = ok(folder.hierarchy_table(false), "hierarchy");
        for row in rows(hierarchy.as_ref(), &[t::PidTagEntryId]) {
            let child = ok(store.open_folder(&binary(&row, t::PidTagEntryId)), "child");
            visit(store, child.as_ref(), out);
        }
    }
    let mut out = Vec::new();
    visit(store, ok(store.root_folder(), "root").as_ref(), &mut out);
    out
}

/// How deep embedded messages nest under `message`, reading every by-value attachment's data
/// as a stream on the way and checking it equals the property value.
fn embedded_depth(message: &dyn mapi::provider::Message, streamed: &mut usize) -> usize {
    let table = ok(message.attachment_table(), "attachment table");
    let mut deepest = 0;
    for row in rows(table.as_ref(), &[t::PidTagAttachNumber, t::PidTagAttachMethod]) {
        let number = row[0].value.as_i32().expect("PidTagAttachNumber") as u32;
        let attachment = ok(message.open_attachment(number), "open_attachment");
        assert_eq!(attachment.attach_number(), number);
        match row[1].value.as_i32() {
            Some(1) => {
                let mut stream = ok(
                    attachment.open_property_stream(t::PidTagAttachDataBinary),
                    "attachment data stream",
                );
                let mut bytes = Vec::new();
                stream.read_to_end(&mut bytes).unwrap();
                let value = ok(attachment.get_prop(t::PidTagAttachDataBinary), "data").unwrap();
                assert_eq!(value.as_binary(), Some(&bytes[..]));
                *streamed += 1;
            }
            Some(5) => {
                let inner = ok(attachment.open_embedded_message(false), "embedded message");
                assert_eq!(inner.entry_id(), None);
                assert!(prop_text(inner.as_ref(), t::PidTagMessageClass).is_some());
                deepest = deepest.max(1 + embedded_depth(inner.as_ref(), streamed));
            }
            _ => {
                let err = attachment.open_embedded_message(false).unwrap_err();
                assert_eq!(err.code, ErrorCode::NotFound);
            }
        }
    }
    deepest
}

#[test]
fn attachments_stream_their_data_and_embedded_messages_open_at_every_depth() {
    let mut depths = BTreeMap::new();
    let mut streamed = 0;
    for path in mountable() {
        let store = mount(&path);
        let deepest = all_messages(&store)
            .iter()
            .map(|m| embedded_depth(m.as_ref(), &mut streamed))
            .max()
            .unwrap_or(0);
        depths.insert(name_of(&path), deepest);
    }
    assert!(streamed >= 100, "streamed {streamed} attachments");
    assert_eq!(depths["pstsdk-submessage.pst"], 1, "{depths:?}");
    assert!(depths["aspose-Outlook.pst"] >= 1, "{depths:?}");
    // No corpus file nests an embedded message inside an embedded message; these are the
    // depths it has (every level opens through the same `Attachment::open_embedded_message`).
    for (file, depth) in [
        ("java-libpst-dist-list.pst", 1),
        ("aspose-SampleOstFile.ost", 1),
        ("pst-extractor-enron.pst", 0),
    ] {
        assert_eq!(depths[file], depth, "{file}: {depths:?}");
    }
}

#[test]
fn large_bodies_stream_to_the_same_bytes_as_the_property() {
    let store = mount(&common::corpus_file("pst-extractor-enron.pst"));
    let mut checked = 0;
    for message in all_messages(&store) {
        let Some(body) = prop_text(message.as_ref(), t::PidTagBody) else { continue };
        let mut bytes = Vec::new();
        ok(message.open_property_stream(t::PidTagBody), "body stream")
            .read_to_end(&mut bytes)
            .unwrap();
        let expected: Vec<u8> = body.encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(bytes, expected);
        checked += 1;
    }
    assert!(checked >= 50, "checked {checked} bodies");
}

#[test]
fn recipient_tables_number_their_rows() {
    let store = mount(&common::corpus_file("go-pst-support.pst"));
    let most = all_messages(&store)
        .iter()
        .map(|m| {
            let table = ok(m.recipient_table(), "recipients");
            let got = rows(table.as_ref(), &[t::PidTagRowid, t::PidTagDisplayName]);
            for (i, row) in got.iter().enumerate() {
                assert_eq!(row[0].value, PropValue::Integer32(i as i32));
            }
            got.len()
        })
        .max()
        .unwrap();
    assert_eq!(most, 106, "the message with 106 recipients");
}

#[test]
fn named_properties_map_both_ways_and_creating_one_is_refused() {
    let store = mount(&common::corpus_file("aspose-Outlook.pst"));
    let ids: Vec<u16> = (0x8000..0x8010).collect();
    let names = ok(store.get_names_from_ids(&ids), "names");
    let known: Vec<(u16, NamedProperty)> =
        ids.iter().zip(names).filter_map(|(&id, n)| n.map(|n| (id, n))).collect();
    assert!(!known.is_empty());
    let asked: Vec<NamedProperty> = known.iter().map(|(_, n)| n.clone()).collect();
    let back = ok(store.get_ids_from_names(&asked, false), "ids");
    assert_eq!(back, known.iter().map(|(id, _)| Some(*id)).collect::<Vec<_>>());
    let new = NamedProperty { set: Guid::new_random(), id: mapi::NamedId::Name("x".into()) };
    assert_eq!(
        ok(store.get_ids_from_names(std::slice::from_ref(&new), false), "unmapped"),
        vec![None]
    );
    assert_eq!(store.get_ids_from_names(&[new], true).unwrap_err().code, ErrorCode::NoAccess);
}

#[test]
fn writes_say_the_pst_is_read_only() {
    let store = mount(&common::corpus_file("aspose-Outlook.pst"));
    let root = ok(store.root_folder(), "root");
    let err = root.create_message(false).unwrap_err();
    assert_eq!(err.code, ErrorCode::NoAccess);
    assert!(err.message.contains("read-only"), "{}", err.message);
    let message = &all_messages(&store)[0];
    assert_eq!(message.save_changes().unwrap_err().code, ErrorCode::NoAccess);
    assert_eq!(store.set_receive_folder("IPM", None).unwrap_err().code, ErrorCode::NoAccess);
}

#[test]
fn two_threads_read_one_mounted_store_at_once() {
    let store = Arc::new(mount(&common::corpus_file(KNOWN_PASSWORD.0)));
    let subjects = |store: &PstStore| -> Vec<Option<String>> {
        all_messages(store).iter().map(|m| prop_text(m.as_ref(), t::PidTagSubject)).collect()
    };
    let alone = subjects(&store);
    assert_eq!(alone.len(), 294);
    let handles: Vec<_> = (0..2)
        .map(|_| {
            let store = Arc::clone(&store);
            std::thread::spawn(move || subjects(&store))
        })
        .collect();
    for handle in handles {
        assert_eq!(handle.join().unwrap(), alone);
    }
}

/// Walks everything the traits reach, ignoring errors: used on damaged files, where only
/// panics and runaway work are failures.
fn walk_ignoring_errors(store: &dyn MessageStore) -> usize {
    fn message(m: &dyn mapi::provider::Message, depth: usize) -> usize {
        let mut seen = 1;
        let _ = m.get_all_props();
        if let Ok(table) = m.recipient_table() {
            let _ = table.query_rows(1000);
        }
        let Ok(table) = m.attachment_table() else { return seen };
        let count = table.row_count().unwrap_or(0).min(100);
        for number in 0..count {
            let Ok(attachment) = m.open_attachment(number) else { continue };
            if let Ok(mut stream) = attachment.open_property_stream(t::PidTagAttachDataBinary) {
                let _ = std::io::copy(&mut stream, &mut std::io::sink());
            }
            if depth < 8
                && let Ok(inner) = attachment.open_embedded_message(false)
            {
                seen += message(inner.as_ref(), depth + 1);
            }
        }
        seen
    }
    fn folder(store: &dyn MessageStore, f: &dyn Folder, depth: usize) -> usize {
        let mut seen = 1;
        let _ = f.get_all_props();
        for associated in [false, true] {
            let Ok(table) = f.contents_table(associated) else { continue };
            let _ = table.set_columns(&[t::PidTagEntryId]);
            for row in table.query_rows(10_000).unwrap_or_default() {
                let Some(id) = row[0].value.as_binary() else { continue };
                if let Ok(m) = store.open_message(id) {
                    seen += message(m.as_ref(), 0);
                }
            }
        }
        if depth < 32
            && let Ok(table) = f.hierarchy_table(false)
        {
            let _ = table.set_columns(&[t::PidTagEntryId]);
            for row in table.query_rows(10_000).unwrap_or_default() {
                let Some(id) = row[0].value.as_binary() else { continue };
                if let Ok(child) = store.open_folder(id) {
                    seen += folder(store, child.as_ref(), depth + 1);
                }
            }
        }
        seen
    }
    for &which in SpecialFolder::ALL {
        let _ = store.special_folder_entry_id(which);
    }
    match store.root_folder() {
        Ok(root) => folder(store, root.as_ref(), 0),
        Err(_) => 0,
    }
}

#[test]
fn damaged_files_mount_and_walk_through_the_traits_without_panicking() {
    let name = "pstsdk-submessage.pst";
    let original = std::fs::read(common::corpus_file(name)).unwrap();
    let intact = PstStore::from_file(
        pst::PstFile::from_reader(Box::new(original.clone()), pst::OpenOptions::default()).unwrap(),
        Path::new(name),
        None,
    )
    .unwrap();
    assert!(walk_ignoring_errors(&intact) >= 8, "the intact file walks");
    // The blocks the file uses, so the flips hit structure rather than free space.
    let mut regions = Vec::new();
    intact
        .file()
        .ndb()
        .for_each_block(|e| regions.push((e.bref.ib as usize, usize::from(e.cb).max(1))))
        .unwrap();
    // Flip 1-4 bits inside used blocks (xorshift, fixed seed) in 300 variants.
    let mut mounted = 0;
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for _ in 0..300 {
        let mut bytes = original.clone();
        for _ in 0..=(next() % 4) {
            let (start, len) = regions[(next() % regions.len() as u64) as usize];
            let at = (start + (next() % len as u64) as usize).min(bytes.len() - 1);
            bytes[at] ^= 1 << (next() % 8);
        }
        for lenient in [false, true] {
            let options = pst::OpenOptions { lenient };
            let Ok(file) = pst::PstFile::from_reader(Box::new(bytes.clone()), options) else {
                continue;
            };
            if let Ok(store) = PstStore::from_file(file, Path::new(name), None) {
                mounted += 1;
                walk_ignoring_errors(&store);
            }
        }
    }
    // Most flips land in message data, so most variants still mount and get walked.
    assert!(mounted >= 300, "only {mounted} of 600 damaged variants mounted");
}

/// The read-only conformance cases, run on fixtures.
struct Fixture(&'static str);

impl conformance::Backend for Fixture {
    fn create_empty(&self) -> Box<dyn MessageStore> {
        Box::new(mount(&common::corpus_file(self.0)))
    }

    fn reopen(&self, store: Box<dyn MessageStore>) -> Box<dyn MessageStore> {
        drop(store);
        self.create_empty()
    }

    fn open_another(&self, _store: &dyn MessageStore) -> Box<dyn MessageStore> {
        self.create_empty()
    }
}

/// The read cases for PST fixtures. `special_folders_are_found_the_standard_way` is left out
/// for PSTs: it asks every special folder for the PidTagContainerClass of MS-OXOSFLD 2.2.8, and
/// no corpus PST stores one on its Inbox or Deleted Items (Outlook treats a folder without a
/// class as a mail folder). [`special_folders_have_the_standard_class_when_they_have_one`]
/// checks the rest of that case on every file; the OSTs run the whole suite.
macro_rules! pst_read_cases {
    ($file:literal) => {
        conformance::__stamp_cases!(super::Fixture($file);
            root_folder_opens_by_its_entry_id,
            folder_entry_ids_are_stable_across_reopen,
            a_malformed_entry_id_is_invalid_and_a_foreign_one_unknown,
            a_missing_property_comes_back_as_not_found,
            hierarchy_table_rows_open_as_folders,
            writes_are_refused_with_no_access,
        );
    };
}

#[test]
fn special_folders_have_the_standard_class_when_they_have_one() {
    for path in mountable() {
        let store = mount(&path);
        for &which in SpecialFolder::ALL {
            let standard = mapi::provider::locate(&store, which);
            let Ok(answer) = store.special_folder_entry_id(which) else { continue };
            if which.location() != mapi::provider::SpecialFolderLocation::BackendOnly {
                let standard = standard.unwrap_or_else(|e| panic!("{which:?}: {e}"));
                assert!(ok(store.compare_entry_ids(&standard, &answer), "compare"), "{which:?}");
            }
            let folder = ok(store.open_folder(&answer), "open special folder");
            if let (Some(expected), Some(got)) =
                (which.container_class(), prop_text(folder.as_ref(), t::PidTagContainerClass))
            {
                assert_eq!(got, expected, "{}: {which:?}", path.display());
            }
        }
    }
}

mod conformance_aspose_outlook {
    pst_read_cases!("aspose-Outlook.pst");
}

mod conformance_dist_list {
    pst_read_cases!("java-libpst-dist-list.pst");
}

mod conformance_go_pst_support {
    pst_read_cases!("go-pst-support.pst");
}

mod conformance_empty {
    pst_read_cases!("outlook-pst-Empty.pst");
}

mod conformance_enron {
    pst_read_cases!("pst-extractor-enron.pst");
}

mod conformance_outlook_97 {
    pst_read_cases!("pst2john-97_outlook_pass12345.pst");
}

mod conformance_submessage {
    pst_read_cases!("pstsdk-submessage.pst");
}

mod conformance_ruby_msg {
    pst_read_cases!("ruby-msg-attachAndInline.pst");
}

mod conformance_aspose_ost {
    conformance::read_only_conformance_tests!(super::Fixture("aspose-SampleOstFile.ost"));
}

mod conformance_outlookcom_ost {
    conformance::read_only_conformance_tests!(super::Fixture("pst-extractor-outlookcom-2013.ost"));
}
