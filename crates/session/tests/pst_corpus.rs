//! Corpus PSTs mounted through the session: every default folder, every folder's item count
//! against the corpus's expected dump, every item by entry ID, and password handling.

mod common;

use common::Fixture;
use mapi::ErrorCode;
use serde_json::Value;
use session::{AddStoreOptions, Folder, NameSpace, OlDefaultFolders, Store, StoreKind};
use std::path::{Path, PathBuf};

fn corpus(name: &str) -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/pst")).join(name)
}

/// Corpus PSTs without a password (MANIFEST.md), and the one whose password is known.
const OPEN_PSTS: &[&str] = &[
    "aspose-Outlook.pst",
    "go-pst-support.pst",
    "java-libpst-dist-list.pst",
    "outlook-pst-Empty.pst",
    "pst-extractor-enron.pst",
    "pstsdk-submessage.pst",
    "ruby-msg-attachAndInline.pst",
];
const KNOWN_PASSWORD: (&str, &str) = ("pst2john-97_outlook_pass12345.pst", "pass12345");
/// Password-protected corpus PSTs whose password the tests do not know.
const LOCKED_PSTS: &[&str] = &[
    "aspose-passwordprotectedPST.pst",
    "pst2john-2003_high-encryption_quickquick.pst",
    "pst2john-2003_no-encryption_quickquick.pst",
    "pstsdk-test_ansi.pst",
    "pstsdk-test_unicode.pst",
];

fn mount(ns: &NameSpace, name: &str) -> Store {
    let password = (name == KNOWN_PASSWORD.0).then(|| KNOWN_PASSWORD.1.to_owned());
    let options = AddStoreOptions { display_name: Some(name.to_owned()), password };
    ns.add_store_with(&corpus(name), &options).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn every_mountable() -> Vec<&'static str> {
    OPEN_PSTS.iter().copied().chain([KNOWN_PASSWORD.0]).collect()
}

#[test]
fn every_corpus_pst_mounts_read_only_and_every_default_folder_is_found_or_not_found() {
    let fx = Fixture::new();
    let ns = fx.logged_on();
    for name in every_mountable() {
        let store = mount(&ns, name);
        assert_eq!(store.kind(), StoreKind::Pst);
        assert!(!store.is_writable(), "{name}");
        assert!(store.is_data_file_store());
        for &kind in OlDefaultFolders::ALL {
            match store.get_default_folder(kind) {
                Ok(folder) => {
                    let path = folder.folder_path().unwrap();
                    assert!(path.starts_with(&format!("\\\\{name}")), "{name} {kind}: {path}");
                    assert_eq!(folder.store_id(), store.store_id());
                }
                Err(err) => {
                    assert_eq!(err.code(), ErrorCode::NotFound, "{name} {kind}: {err}");
                    assert!(err.to_string().contains(name), "{err}");
                }
            }
        }
        // A store ID routes back to the store.
        assert_eq!(ns.get_store_from_id(&store.store_id()).unwrap().display_name(), name);
    }
    assert_eq!(ns.stores().unwrap().len(), every_mountable().len() + 1);
}

#[test]
fn a_pst_written_by_outlook_has_its_standard_folders_where_outlook_looks() {
    let fx = Fixture::new();
    let ns = fx.logged_on();
    let store = mount(&ns, "aspose-Outlook.pst");
    for (kind, name) in [
        (OlDefaultFolders::Inbox, "Inbox"),
        (OlDefaultFolders::SentMail, "Sent Items"),
        (OlDefaultFolders::DeletedItems, "Deleted Items"),
        (OlDefaultFolders::Calendar, "Calendar"),
        (OlDefaultFolders::Contacts, "Contacts"),
    ] {
        let folder = store.get_default_folder(kind).unwrap_or_else(|e| panic!("{kind}: {e}"));
        assert_eq!(folder.name().unwrap(), name);
    }
}

fn expected_root(name: &str) -> Value {
    let path = corpus(name).with_extension("expected.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Compares each folder's item count with the dump, recursively; returns the items checked.
fn compare_tree(ns: &NameSpace, folder: &Folder, expected: &Value, context: &str) -> usize {
    let count = folder.items().count().unwrap() as usize;
    let messages = expected["messages"].as_array().unwrap().len();
    assert_eq!(count, messages, "{context}: {}", folder.folder_path().unwrap());
    let mut checked = 0;
    for item in folder.items().iter().unwrap() {
        let item = item.unwrap_or_else(|e| panic!("{context}: {e}"));
        let id = item.entry_id().unwrap();
        // Found again by entry ID alone, in whichever store owns it.
        let again = ns.get_item_from_id(&id, None).unwrap();
        assert_eq!(again.store().store_id(), folder.store_id());
        assert_eq!(again.subject().unwrap(), item.subject().unwrap());
        checked += 1;
    }
    for sub in expected["subfolders"].as_array().unwrap() {
        let Some(name) = sub["name"].as_str() else { continue };
        let child = folder.folder_named(name).unwrap().unwrap_or_else(|| {
            panic!("{context}: no folder {name:?} under {}", folder.folder_path().unwrap())
        });
        checked += compare_tree(ns, &child, sub, context);
    }
    checked
}

#[test]
fn item_counts_match_the_corpus_dump_and_every_item_opens_by_entry_id() {
    let fx = Fixture::new();
    let ns = fx.logged_on();
    for name in every_mountable() {
        let store = mount(&ns, name);
        let top = store.root_folder().unwrap();
        let top_name = top.name().unwrap();
        let root = expected_root(name);
        let expected = root["root"]["subfolders"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"].as_str() == Some(top_name.as_str()))
            .unwrap_or_else(|| panic!("{name}: the dump has no IPM subtree {top_name:?}"));
        compare_tree(&ns, &top, expected, name);
    }
}

#[test]
fn a_password_protected_pst_needs_its_password() {
    let fx = Fixture::new();
    let ns = fx.logged_on();
    for name in LOCKED_PSTS.iter().chain([&KNOWN_PASSWORD.0]) {
        let err = ns.add_store(&corpus(name)).unwrap_err();
        assert_ne!(err.code(), ErrorCode::NoSupport, "{name}: {err}");
        assert!(err.to_string().to_lowercase().contains("password"), "{name}: {err}");
    }
    let wrong = AddStoreOptions { display_name: None, password: Some("wrong".into()) };
    let err = ns.add_store_with(&corpus(KNOWN_PASSWORD.0), &wrong).unwrap_err();
    assert!(err.to_string().to_lowercase().contains("password"), "{err}");
    // Nothing was mounted or written to the profile.
    assert_eq!(ns.stores().unwrap().len(), 1);
    let again = fx.app.new_session();
    assert_eq!(again.stores().unwrap().len(), 1);
}

#[test]
fn a_mounted_pst_refuses_writes_with_no_access() {
    let fx = Fixture::new();
    let ns = fx.logged_on();
    let store = mount(&ns, "aspose-Outlook.pst");
    let inbox = store.get_default_folder(OlDefaultFolders::Inbox).unwrap();
    let err = inbox.create_item(None).unwrap_err();
    assert_eq!(err.code(), ErrorCode::NoAccess);
    assert!(err.to_string().contains("read-only"), "{err}");
    let item = inbox.items().iter().unwrap().next().unwrap().unwrap();
    assert_eq!(item.delete().unwrap_err().code(), ErrorCode::NoAccess);
}

#[test]
fn a_mounted_pst_stays_in_the_profile_with_its_password() {
    let fx = Fixture::new();
    let ns = fx.logged_on();
    mount(&ns, KNOWN_PASSWORD.0);
    let later = fx.app.new_session();
    let store = later.find_store(KNOWN_PASSWORD.0).unwrap();
    assert!(
        store.get_default_folder(OlDefaultFolders::Inbox).is_ok() || store.root_folder().is_ok()
    );
    assert!(later.unavailable_stores().is_empty());
}

#[test]
fn pst_entry_ids_compare_by_meaning_and_never_equal_another_stores() {
    let fx = Fixture::new();
    let ns = fx.logged_on();
    let store = mount(&ns, "aspose-Outlook.pst");
    let inbox = store.get_default_folder(OlDefaultFolders::Inbox).unwrap();
    let mut ids = inbox.items().iter().unwrap().map(|i| i.unwrap().entry_id().unwrap());
    let (a, b) = (ids.next().unwrap(), ids.next().unwrap());
    assert!(ns.compare_entry_ids(&a, &a).unwrap());
    assert!(!ns.compare_entry_ids(&a, &b).unwrap());
    let short_term = format!("FF{}", &a[2..]);
    assert!(ns.compare_entry_ids(&a, &short_term).unwrap());
    let embedded = ns.get_default_folder(OlDefaultFolders::Inbox).unwrap().entry_id();
    assert!(!ns.compare_entry_ids(&inbox.entry_id(), &embedded).unwrap());
    // The short-term form opens the same item.
    let item = ns.get_item_from_id(&short_term, None).unwrap();
    assert_eq!(item.store().store_id(), store.store_id());
}

// ---------------------------------------------------------------------------------------------
// Cached-mode OSTs

const OSTS: &[&str] = &["aspose-SampleOstFile.ost", "pst-extractor-outlookcom-2013.ost"];

fn ost_path(name: &str) -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/ost")).join(name)
}

/// Mounted without a display name, so the store names itself.
fn mount_ost(ns: &NameSpace, name: &str) -> Store {
    ns.add_store_with(&ost_path(name), &AddStoreOptions::default())
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The mailbox's IPM subtree in the corpus dump: root → "Root - Mailbox" → "IPM_SUBTREE".
fn expected_ost_ipm_subtree(name: &str) -> Value {
    let path = ost_path(name).with_extension("expected.json");
    let dump: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let child = |folder: &Value, wanted: &str| -> Value {
        folder["subfolders"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"].as_str() == Some(wanted))
            .unwrap_or_else(|| panic!("{name}: the dump has no folder {wanted:?}"))
            .clone()
    };
    child(&child(&dump["root"], "Root - Mailbox"), "IPM_SUBTREE")
}

/// The dump's folder at `path` (names below the IPM subtree), if it has one.
fn dump_folder<'a>(ipm: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(ipm, |folder, name| {
        folder["subfolders"].as_array()?.iter().find(|f| f["name"].as_str() == Some(name))
    })
}

/// The default folders of a mailbox, by the paths Outlook gives them under the IPM subtree
/// (Junk's name depends on the Outlook version that made the file).
const MAILBOX_DEFAULT_FOLDERS: &[(OlDefaultFolders, &[&[&str]])] = &[
    (OlDefaultFolders::Inbox, &[&["Inbox"]]),
    (OlDefaultFolders::SentMail, &[&["Sent Items"]]),
    (OlDefaultFolders::DeletedItems, &[&["Deleted Items"]]),
    (OlDefaultFolders::Outbox, &[&["Outbox"]]),
    (OlDefaultFolders::Calendar, &[&["Calendar"]]),
    (OlDefaultFolders::Contacts, &[&["Contacts"]]),
    (OlDefaultFolders::Tasks, &[&["Tasks"]]),
    (OlDefaultFolders::Drafts, &[&["Drafts"]]),
    (OlDefaultFolders::Notes, &[&["Notes"]]),
    (OlDefaultFolders::Journal, &[&["Journal"]]),
    (OlDefaultFolders::Junk, &[&["Junk E-Mail"], &["Junk Email"]]),
    (OlDefaultFolders::SyncIssues, &[&["Sync Issues"]]),
    (OlDefaultFolders::Conflicts, &[&["Sync Issues", "Conflicts"]]),
    (OlDefaultFolders::LocalFailures, &[&["Sync Issues", "Local Failures"]]),
    (OlDefaultFolders::ServerFailures, &[&["Sync Issues", "Server Failures"]]),
    (OlDefaultFolders::RssFeeds, &[&["RSS Feeds"]]),
];

#[test]
fn an_ost_is_named_after_its_file_and_shows_its_ipm_subtree_as_top_folder() {
    let fx = Fixture::new();
    let ns = fx.logged_on();
    for name in OSTS {
        let store = mount_ost(&ns, name);
        let stem = name.trim_end_matches(".ost");
        assert_eq!(store.display_name(), stem);
        let top = store.root_folder().unwrap();
        assert_eq!(top.name().unwrap(), "IPM_SUBTREE", "{name}");
        assert_eq!(top.folder_path().unwrap(), format!("\\\\{stem}"));
        let inbox = top.folder_named("Inbox").unwrap().unwrap();
        assert_eq!(inbox.folder_path().unwrap(), format!("\\\\{stem}\\Inbox"));
        // Every folder and item count of the cached mailbox, as the corpus dump has them.
        compare_tree(&ns, &top, &expected_ost_ipm_subtree(name), name);
    }
}

#[test]
fn every_default_folder_an_ost_caches_opens_by_get_default_folder() {
    let fx = Fixture::new();
    let ns = fx.logged_on();
    for name in OSTS {
        let store = mount_ost(&ns, name);
        let stem = name.trim_end_matches(".ost");
        let ipm = expected_ost_ipm_subtree(name);
        for (kind, paths) in MAILBOX_DEFAULT_FOLDERS {
            let (path, expected) = paths
                .iter()
                .find_map(|p| dump_folder(&ipm, p).map(|f| (p, f)))
                .unwrap_or_else(|| panic!("{name}: the dump has no {kind} folder"));
            let folder = store.get_default_folder(*kind).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(folder.folder_path().unwrap(), format!("\\\\{stem}\\{}", path.join("\\")));
            let items = expected["messages"].as_array().unwrap().len();
            assert_eq!(folder.items().count().unwrap() as usize, items, "{name} {kind}");
            // The ID the store answers is the one its folder listing carries.
            let again = ns.get_folder_from_id(&folder.entry_id(), None).unwrap();
            assert_eq!(again.folder_path().unwrap(), folder.folder_path().unwrap());
        }
    }
}

/// `PidTagIpmAppointmentEntryId` and its siblings (MS-OXOSFLD 2.2.3) on the Inbox.
const INBOX_FOLDER_ID_PROPS: &[(OlDefaultFolders, u16)] = &[
    (OlDefaultFolders::Calendar, 0x36D0),
    (OlDefaultFolders::Contacts, 0x36D1),
    (OlDefaultFolders::Journal, 0x36D2),
    (OlDefaultFolders::Notes, 0x36D3),
    (OlDefaultFolders::Tasks, 0x36D4),
    (OlDefaultFolders::Drafts, 0x36D7),
];

/// A cached object's own FID/MID (property 0x67F4, see the PST provider's `ost` module).
const OBJECT_ID: mapi::PropTag = mapi::PropTag::new(0x67F4, mapi::PropType::Integer64);

#[test]
fn exchange_entry_ids_in_an_ost_open_the_cached_objects_and_compare_equal_to_pst_ids() {
    use mapi::entry_id::{EntryId, ExchangeMessageType, Gid, MessageEntryId};
    let fx = Fixture::new();
    let ns = fx.logged_on();
    for name in OSTS {
        let store = mount_ost(&ns, name);
        let inbox = store.get_default_folder(OlDefaultFolders::Inbox).unwrap();
        let drafts = store.get_default_folder(OlDefaultFolders::Drafts).unwrap();
        for (kind, prop) in INBOX_FOLDER_ID_PROPS {
            let tag = mapi::PropTag::new(*prop, mapi::PropType::Binary);
            let Some(mapi::PropValue::Binary(exchange)) = inbox.get_prop(tag).unwrap() else {
                panic!("{name}: the Inbox has no {tag}")
            };
            let EntryId::Folder(exchange_id) = EntryId::decode(&exchange).unwrap() else {
                panic!("{name} {kind}: not an Exchange folder entry ID")
            };
            let exchange = mapi::hex::encode(&exchange);
            let pst_form = store.get_default_folder(*kind).unwrap();
            let opened = ns
                .get_folder_from_id(&exchange, None)
                .unwrap_or_else(|e| panic!("{name} {kind}: GetFolderFromID({exchange}): {e}"));
            assert_eq!(opened.entry_id(), pst_form.entry_id(), "{name} {kind}");
            assert!(ns.compare_entry_ids(&exchange, &pst_form.entry_id()).unwrap());
            assert!(ns.compare_entry_ids(&pst_form.entry_id(), &exchange).unwrap());
            if *kind != OlDefaultFolders::Drafts {
                assert!(!ns.compare_entry_ids(&exchange, &drafts.entry_id()).unwrap());
            }

            // The folder's items by Exchange message IDs (MS-OXCDATA 2.2.4.2): the folder's
            // GID, then the item's replica GUID and global counter; every cached item here
            // belongs to the folder's replica.
            let folder_replica = match pst_form.get_prop(OBJECT_ID).unwrap() {
                Some(mapi::PropValue::Integer64(fid)) => fid.to_le_bytes()[..2].to_vec(),
                other => panic!("{name} {kind}: folder FID {other:?}"),
            };
            let columns = [mapi::catalog::tags::PidTagEntryId, OBJECT_ID];
            for row in pst_form.items().rows(&columns).unwrap() {
                let row = row.unwrap();
                let value = |id: u16| row.iter().find(|v| v.tag.id() == id).map(|v| &v.value);
                let Some(mapi::PropValue::Binary(pst_id)) = value(0x0FFF) else { panic!() };
                let Some(mapi::PropValue::Integer64(mid)) = value(0x67F4) else {
                    panic!("{name} {kind}: an item without a MID")
                };
                let mid = mid.to_le_bytes();
                assert_eq!(mid[..2], folder_replica[..], "{name} {kind}: item of another replica");
                let mut counter = [0u8; 8];
                counter[2..].copy_from_slice(&mid[2..]);
                let message =
                    Gid::new(exchange_id.folder.database_guid, u64::from_be_bytes(counter))
                        .unwrap();
                let exchange_item = EntryId::Message(MessageEntryId::new(
                    exchange_id.provider_uid,
                    ExchangeMessageType::Private,
                    exchange_id.folder,
                    message,
                ))
                .encode();
                let (exchange_item, pst_id) =
                    (mapi::hex::encode(&exchange_item), mapi::hex::encode(pst_id));
                let item = ns.get_item_from_id(&exchange_item, None).unwrap_or_else(|e| {
                    panic!("{name} {kind}: GetItemFromID({exchange_item}): {e}")
                });
                assert_eq!(item.entry_id().unwrap(), pst_id);
                assert!(ns.compare_entry_ids(&exchange_item, &pst_id).unwrap());
            }
        }
    }
}

#[test]
fn an_exchange_id_of_a_folder_the_ost_does_not_cache_is_not_found() {
    let fx = Fixture::new();
    let ns = fx.logged_on();
    let store = mount_ost(&ns, "pst-extractor-outlookcom-2013.ost");
    let calendar = store.get_default_folder(OlDefaultFolders::Calendar).unwrap();
    let inbox = store.get_default_folder(OlDefaultFolders::Inbox).unwrap();
    let tag = mapi::PropTag::new(0x36D0, mapi::PropType::Binary);
    let Some(mapi::PropValue::Binary(mut exchange)) = inbox.get_prop(tag).unwrap() else {
        panic!("no PidTagIpmAppointmentEntryId")
    };
    // The same mailbox and replica, a global counter no cached folder has.
    exchange[38..44].copy_from_slice(&[0, 0, 0x7F, 0xFF, 0xFF, 0xFF]);
    let exchange = mapi::hex::encode(&exchange);
    let err = ns.get_folder_from_id(&exchange, None).unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound, "{err}");
    assert!(!ns.compare_entry_ids(&exchange, &calendar.entry_id()).unwrap());
}

#[test]
fn filters_of_a_thousand_terms_run_on_a_pst() {
    let fx = Fixture::new();
    let ns = fx.logged_on();
    let store = mount(&ns, "aspose-Outlook.pst");
    let inbox = store.get_default_folder(OlDefaultFolders::Inbox).unwrap();
    let items = inbox.items();
    let total = items.count().unwrap();
    let subjects: Vec<String> =
        items.iter().unwrap().map(|i| i.unwrap().subject().unwrap().unwrap_or_default()).collect();
    let wanted = &subjects[0];
    let with_wanted = subjects.iter().filter(|s| s.eq_ignore_ascii_case(wanted)).count() as u32;
    assert!(with_wanted < total, "the test needs an item with another subject");
    let quoted = wanted.replace('\'', "''");
    let misses: Vec<String> = (0..999).map(|n| format!("[Subject] = 'none {n}'")).collect();
    let any = format!("{} OR [Subject] = '{quoted}'", misses.join(" OR "));
    assert_eq!(items.restrict(&any).unwrap().count().unwrap(), with_wanted);
    let others: Vec<String> = (0..999).map(|n| format!("[Subject] <> 'none {n}'")).collect();
    let all = format!("{} AND [Subject] <> '{quoted}'", others.join(" AND "));
    assert_eq!(items.restrict(&all).unwrap().count().unwrap(), total - with_wanted);
}
