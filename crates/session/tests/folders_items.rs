//! Default folders, folders and items through the session, entry ID routing and comparison,
//! writes, filters.

mod common;

use common::{Fixture, saved_item};
use mapi::ErrorCode;
use session::{DeleteOutcome, OlDefaultFolders, OlItemType, TypedItem};

/// Default folders a fresh embedded mailbox does not have, with why.
const ABSENT_ON_EMBEDDED: &[OlDefaultFolders] = &[
    // Exchange public folders and managed folders.
    OlDefaultFolders::AllPublicFolders,
    OlDefaultFolders::ManagedEmail,
    // The store writes no PersistID 0x8008 block.
    OlDefaultFolders::SuggestedContacts,
];

#[test]
fn every_default_folder_of_the_embedded_store_is_found_or_not_found_with_a_reason() {
    let fx = Fixture::new();
    let ns = fx.logged_on();
    let store = ns.default_store().unwrap();
    for &kind in OlDefaultFolders::ALL {
        match ns.get_default_folder(kind) {
            Ok(folder) => {
                assert!(!ABSENT_ON_EMBEDDED.contains(&kind), "{kind} should be absent");
                assert_eq!(folder.store_id(), store.store_id());
                if let Some(class) = kind.container_class() {
                    assert_eq!(folder.container_class().unwrap().as_deref(), Some(class), "{kind}");
                }
                let path = folder.folder_path().unwrap();
                assert!(path.starts_with(&format!("\\\\{}\\", store.display_name())), "{path}");
                // The store-level call agrees.
                assert_eq!(store.get_default_folder(kind).unwrap().entry_id(), folder.entry_id());
            }
            Err(err) => {
                assert!(ABSENT_ON_EMBEDDED.contains(&kind), "{kind}: {err}");
                assert_eq!(err.code(), ErrorCode::NotFound, "{kind}");
                let text = err.to_string();
                assert!(text.contains(store.display_name()), "{text}");
                assert!(text.contains(kind.constant_name()), "{text}");
            }
        }
    }
}

#[test]
fn looking_up_default_folders_never_creates_any() {
    let fx = Fixture::new();
    let ns = fx.logged_on();
    let count = || ns.default_store().unwrap().mapi_root_folder().unwrap().folders().unwrap().len();
    let before = count();
    for &kind in OlDefaultFolders::ALL {
        let _ = ns.get_default_folder(kind);
    }
    assert_eq!(count(), before);
}

#[test]
fn folders_know_their_path_parent_type_and_children() {
    let fx = Fixture::new();
    let ns = fx.logged_on();
    let store = ns.default_store().unwrap();
    let inbox = ns.get_default_folder(OlDefaultFolders::Inbox).unwrap();
    assert_eq!(inbox.folder_path().unwrap(), format!("\\\\{}\\Inbox", store.display_name()));
    assert_eq!(inbox.default_item_type().unwrap(), OlItemType::MailItem);
    assert_eq!(inbox.default_message_class().unwrap(), "IPM.Note");
    let calendar = ns.get_default_folder(OlDefaultFolders::Calendar).unwrap();
    assert_eq!(calendar.default_item_type().unwrap(), OlItemType::AppointmentItem);
    let top = inbox.parent().unwrap().unwrap();
    assert_eq!(top.entry_id(), store.root_folder().unwrap().entry_id());
    assert!(top.parent().unwrap().is_none());
    assert_eq!(top.folder_path().unwrap(), format!("\\\\{}", store.display_name()));
    let names: Vec<String> = top.folders().unwrap().iter().map(|f| f.name().unwrap()).collect();
    assert!(names.contains(&"Inbox".to_owned()) && names.contains(&"Calendar".to_owned()));
    assert_eq!(ns.folders().unwrap().len(), 1);

    let sub = inbox.create_folder("Customers", None).unwrap();
    let path = format!("\\\\{}\\Inbox\\Customers", store.display_name());
    assert_eq!(sub.folder_path().unwrap(), path);
    assert_eq!(ns.folder_from_path(&path.to_lowercase()).unwrap().entry_id(), sub.entry_id());
    assert_eq!(ns.get_folder_from_id(&sub.entry_id(), None).unwrap().name().unwrap(), "Customers");
    assert!(store.get_search_folders().is_ok());
}

#[test]
fn get_item_from_id_without_a_store_id_finds_items_in_every_mounted_store() {
    let fx = Fixture::new();
    let ns = fx.logged_on();
    let archive = ns.add_store(&fx.extra_mailbox("Archive")).unwrap();
    let inbox = ns.get_default_folder(OlDefaultFolders::Inbox).unwrap();
    let archived = archive.get_default_folder(OlDefaultFolders::Inbox).unwrap();
    let here = saved_item(&inbox, None, "in the default store");
    let there = saved_item(&archived, None, "in the archive");

    let item = ns.get_item_from_id(&there, None).unwrap();
    assert_eq!(item.subject().unwrap().as_deref(), Some("in the archive"));
    assert_eq!(item.store().display_name(), "Archive");
    let item = ns.get_item_from_id(&here, None).unwrap();
    assert_eq!(item.subject().unwrap().as_deref(), Some("in the default store"));
    // With a store ID, only that store is asked.
    let item = ns.get_item_from_id(&there, Some(&archive.store_id())).unwrap();
    assert_eq!(item.store().store_id(), archive.store_id());
    let err = ns.get_item_from_id(&here, Some(&archive.store_id())).unwrap_err();
    assert!(
        matches!(
            err.code(),
            ErrorCode::NotFound | ErrorCode::UnknownEntryId | ErrorCode::InvalidEntryId
        ),
        "{err}"
    );
}

#[test]
fn malformed_and_foreign_entry_ids_are_errors_not_panics() {
    let fx = Fixture::new();
    let ns = fx.logged_on();
    assert_eq!(ns.get_item_from_id("not hex", None).unwrap_err().code(), ErrorCode::InvalidEntryId);
    assert_eq!(ns.get_item_from_id("000102", None).unwrap_err().code(), ErrorCode::InvalidEntryId);
    let inbox = ns.get_default_folder(OlDefaultFolders::Inbox).unwrap();
    let id = saved_item(&inbox, None, "x");
    // The same ID under another provider UID belongs to no mounted store.
    let mut foreign = mapi::hex::decode(&id).unwrap();
    foreign[4..20].copy_from_slice(&[0x5A; 16]);
    let err = ns.get_item_from_id(&mapi::hex::encode(&foreign), None).unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound);
    assert!(err.to_string().contains("provider UID"), "{err}");
    let err = ns.get_folder_from_id(&inbox.entry_id(), Some("00000000")).unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidEntryId);
    // A folder ID asked for as an item.
    assert_eq!(
        ns.get_item_from_id(&inbox.entry_id(), None).unwrap_err().code(),
        ErrorCode::NotFound
    );
}

#[test]
fn compare_entry_ids_compares_by_meaning() {
    let fx = Fixture::new();
    let ns = fx.logged_on();
    let archive = ns.add_store(&fx.extra_mailbox("Archive")).unwrap();
    let inbox = ns.get_default_folder(OlDefaultFolders::Inbox).unwrap();
    let a = saved_item(&inbox, None, "a");
    let b = saved_item(&inbox, None, "b");
    assert!(ns.compare_entry_ids(&a, &a).unwrap());
    assert!(!ns.compare_entry_ids(&a, &b).unwrap());
    // A short-term form of the same ID (abFlags[0] = 0xFF) names the same item.
    let mut short_term = mapi::hex::decode(&a).unwrap();
    short_term[0] = 0xFF;
    assert!(ns.compare_entry_ids(&a, &mapi::hex::encode(&short_term)).unwrap());
    // Different stores are never the same object.
    let other = archive.get_default_folder(OlDefaultFolders::Inbox).unwrap().entry_id();
    assert!(!ns.compare_entry_ids(&inbox.entry_id(), &other).unwrap());
    // IDs of a provider no mounted store answers for.
    let mut foreign = mapi::hex::decode(&a).unwrap();
    foreign[4..20].copy_from_slice(&[0x5A; 16]);
    let foreign = mapi::hex::encode(&foreign);
    assert_eq!(
        ns.compare_entry_ids(&foreign, &foreign).unwrap_err().code(),
        ErrorCode::UnknownEntryId
    );
    assert_eq!(ns.compare_entry_ids("zz", &a).unwrap_err().code(), ErrorCode::InvalidEntryId);
    // Store IDs and one-off IDs compare by what they name.
    let store_id = archive.store_id();
    assert!(ns.compare_entry_ids(&store_id, &store_id.to_lowercase()).unwrap());
    let one_off =
        |address: &str| mapi::hex::encode(&mapi::OneOffEntryId::new("X", "SMTP", address).encode());
    assert!(ns.compare_entry_ids(&one_off("a@b.org"), &one_off("A@B.org")).unwrap());
}

#[test]
fn delete_moves_to_deleted_items_and_deleting_there_is_for_good() {
    let fx = Fixture::new();
    let ns = fx.logged_on();
    let inbox = ns.get_default_folder(OlDefaultFolders::Inbox).unwrap();
    let deleted = ns.get_default_folder(OlDefaultFolders::DeletedItems).unwrap();
    let id = saved_item(&inbox, None, "doomed");
    let item = ns.get_item_from_id(&id, None).unwrap();
    let DeleteOutcome::MovedToDeletedItems { entry_id } = item.delete().unwrap() else {
        panic!("not moved to Deleted Items");
    };
    assert_eq!(ns.get_item_from_id(&id, None).unwrap_err().code(), ErrorCode::NotFound);
    assert_eq!(inbox.items().count().unwrap(), 0);
    assert_eq!(deleted.items().count().unwrap(), 1);
    let in_wastebasket = ns.get_item_from_id(&mapi::hex::encode(&entry_id), None).unwrap();
    assert_eq!(in_wastebasket.parent().unwrap().entry_id(), deleted.entry_id());
    assert_eq!(in_wastebasket.delete().unwrap(), DeleteOutcome::DeletedPermanently);
    assert_eq!(deleted.items().count().unwrap(), 0);
}

#[test]
fn folders_delete_into_deleted_items_and_move_between_folders() {
    let fx = Fixture::new();
    let ns = fx.logged_on();
    let inbox = ns.get_default_folder(OlDefaultFolders::Inbox).unwrap();
    let drafts = ns.get_default_folder(OlDefaultFolders::Drafts).unwrap();
    let deleted = ns.get_default_folder(OlDefaultFolders::DeletedItems).unwrap();
    let folder = inbox.create_folder("Projects", None).unwrap();
    let moved = folder.move_to(&drafts).unwrap();
    assert_eq!(moved.entry_id(), folder.entry_id());
    assert!(moved.folder_path().unwrap().ends_with("\\Drafts\\Projects"));
    moved.delete().unwrap();
    let in_wastebasket = ns.get_folder_from_id(&folder.entry_id(), None).unwrap();
    assert_eq!(in_wastebasket.parent().unwrap().unwrap().entry_id(), deleted.entry_id());
    in_wastebasket.delete().unwrap();
    assert_eq!(
        ns.get_folder_from_id(&folder.entry_id(), None).unwrap_err().code(),
        ErrorCode::NotFound
    );
}

#[test]
fn items_move_and_keep_their_properties() {
    let fx = Fixture::new();
    let ns = fx.logged_on();
    let inbox = ns.get_default_folder(OlDefaultFolders::Inbox).unwrap();
    let sub = inbox.create_folder("Later", None).unwrap();
    let id = saved_item(&inbox, None, "move me");
    let moved = ns.get_item_from_id(&id, None).unwrap().move_to(&sub).unwrap();
    assert_eq!(moved.subject().unwrap().as_deref(), Some("move me"));
    assert_eq!(moved.parent().unwrap().entry_id(), sub.entry_id());
}

#[test]
fn read_only_stores_refuse_writes_with_no_access() {
    let fx = Fixture::new();
    let ns = fx.logged_on();
    let path = fx.extra_mailbox("Frozen");
    let mut permissions = std::fs::metadata(&path).unwrap().permissions();
    permissions.set_readonly(true);
    std::fs::set_permissions(&path, permissions).unwrap();
    let frozen = ns.add_store(&path).unwrap();
    assert!(!frozen.is_writable());
    let inbox = frozen.get_default_folder(OlDefaultFolders::Inbox).unwrap();
    let err = inbox.create_item(None).unwrap_err();
    assert_eq!(err.code(), ErrorCode::NoAccess);
    assert!(err.to_string().contains("read-only") && err.to_string().contains("Frozen"), "{err}");
    assert_eq!(inbox.create_folder("x", None).unwrap_err().code(), ErrorCode::NoAccess);
}

#[test]
fn restrict_find_and_sort_accept_jet_and_dasl() {
    let fx = Fixture::new();
    let ns = fx.logged_on();
    let inbox = ns.get_default_folder(OlDefaultFolders::Inbox).unwrap();
    for subject in ["alpha", "beta", "gamma", "Beta"] {
        saved_item(&inbox, None, subject);
    }
    let items = inbox.items();
    assert_eq!(items.count().unwrap(), 4);
    assert_eq!(items.restrict("[Subject] = 'beta'").unwrap().count().unwrap(), 2);
    let dasl = items.restrict("@SQL=\"urn:schemas:httpmail:subject\" LIKE '%mm%'").unwrap();
    assert_eq!(dasl.count().unwrap(), 1);
    let proptag = "@SQL=\"http://schemas.microsoft.com/mapi/proptag/0x0037001F\" = 'alpha'";
    assert_eq!(items.restrict(proptag).unwrap().count().unwrap(), 1);
    // Restrictions stack.
    let narrowed =
        items.restrict("[Subject] >= 'b'").unwrap().restrict("Not [Subject] = 'gamma'").unwrap();
    assert_eq!(narrowed.count().unwrap(), 2);
    let err = items.restrict("[Subject] = ").unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidParameter);
    assert!(err.to_string().contains("position") || err.to_string().contains("offset"), "{err}");

    let mut sorted = inbox.items();
    sorted.sort("Subject", true).unwrap();
    let subjects: Vec<String> =
        sorted.iter().unwrap().map(|i| i.unwrap().subject().unwrap().unwrap()).collect();
    assert_eq!(subjects[0], "gamma");
    assert_eq!(subjects[3], "alpha");
    assert!(sorted.sort("NoSuchField", false).is_err());

    let first = sorted.find("[Subject] = 'BETA'").unwrap().unwrap();
    assert!(first.subject().unwrap().unwrap().eq_ignore_ascii_case("beta"));
    assert!(sorted.find_next().unwrap().is_some());
    assert!(sorted.find_next().unwrap().is_none());
    assert_eq!(inbox.items().find_next().unwrap_err().code(), ErrorCode::CallFailed);
}

#[test]
fn iteration_streams_through_more_than_one_batch() {
    let fx = Fixture::new();
    let ns = fx.logged_on();
    let notes = ns.get_default_folder(OlDefaultFolders::Notes).unwrap();
    let total = session::items::BATCH_SIZE * 2 + 5;
    for n in 0..total {
        saved_item(&notes, None, &format!("note {n}"));
    }
    let items = notes.items();
    assert_eq!(items.count().unwrap() as usize, total);
    let mut seen = 0;
    for item in items.iter().unwrap() {
        let item = item.unwrap();
        assert!(matches!(item.clone().typed(), TypedItem::Note(_)));
        seen += 1;
    }
    assert_eq!(seen, total);
}

#[test]
fn items_open_as_their_typed_item_with_common_and_raw_properties() {
    let fx = Fixture::new();
    let ns = fx.logged_on();
    let calendar = ns.get_default_folder(OlDefaultFolders::Calendar).unwrap();
    let item = calendar.create_item(None).unwrap();
    assert_eq!(item.message_class(), "IPM.Appointment");
    let TypedItem::Appointment(appointment) = item.clone().typed() else { panic!("not typed") };
    let start: jiff::Timestamp = "2024-05-01T08:00:00Z".parse().unwrap();
    appointment.set_start(start).unwrap();
    appointment.set_location("Room 4").unwrap();
    appointment.set_subject("Planning").unwrap();
    appointment.save().unwrap();

    let opened = ns.get_item_from_id(&item.entry_id().unwrap(), None).unwrap();
    assert_eq!(opened.class(), mapi::OlObjectClass::Appointment);
    let TypedItem::Appointment(opened) = opened.typed() else { panic!("not an appointment") };
    assert_eq!(opened.start().unwrap(), Some(start));
    assert_eq!(opened.location().unwrap().as_deref(), Some("Room 4"));
    // The same values through the property accessor paths.
    let subject =
        opened.get_property("http://schemas.microsoft.com/mapi/proptag/0x0037001F").unwrap();
    assert_eq!(subject.and_then(|v| v.as_str().map(str::to_owned)).as_deref(), Some("Planning"));
    let location = opened
        .get_property(
            "http://schemas.microsoft.com/mapi/id/{00062002-0000-0000-C000-000000000046}/8208001F",
        )
        .unwrap();
    assert_eq!(location.and_then(|v| v.as_str().map(str::to_owned)).as_deref(), Some("Room 4"));
    assert!(opened.get_property("PidLidLocation").unwrap().is_some());
    assert!(opened.get_property("http://example.org/x").is_err());

    let inbox = ns.get_default_folder(OlDefaultFolders::Inbox).unwrap();
    let report = inbox.create_item(Some("REPORT.IPM.Note.NDR")).unwrap();
    assert!(matches!(report.typed(), TypedItem::Report(_)));
    let custom = inbox.create_item(None).unwrap();
    custom
        .set_property(
            "http://schemas.microsoft.com/mapi/string/{00020329-0000-0000-C000-000000000046}/My%20Field",
            mapi::PropValue::String("custom".into()),
        )
        .unwrap();
    custom.save().unwrap();
    let reopened = ns.get_item_from_id(&custom.entry_id().unwrap(), None).unwrap();
    let value = reopened
        .get_property("http://schemas.microsoft.com/mapi/string/{00020329-0000-0000-C000-000000000046}/My%20Field")
        .unwrap();
    assert_eq!(value, Some(mapi::PropValue::String("custom".into())));
    assert!(reopened.unread().unwrap());
}

/// `[Subject] = 'none 0' <op> … ` with `count` terms that match nothing.
fn chain(count: usize, template: &str, joiner: &str) -> String {
    (0..count).map(|n| template.replace("{n}", &n.to_string())).collect::<Vec<_>>().join(joiner)
}

#[test]
fn filters_of_a_thousand_terms_run_on_the_embedded_store() {
    let fx = Fixture::new();
    let ns = fx.logged_on();
    let inbox = ns.get_default_folder(OlDefaultFolders::Inbox).unwrap();
    for subject in ["alpha", "beta", "gamma"] {
        saved_item(&inbox, None, subject);
    }
    let items = inbox.items();
    let misses = chain(998, "[Subject] = 'none {n}'", " OR ");
    let any = format!("{misses} OR [Subject] = 'alpha' OR [Subject] = 'GAMMA'");
    assert_eq!(items.restrict(&any).unwrap().count().unwrap(), 2);
    let all = format!("{} AND [Subject] <> 'beta'", chain(999, "[Subject] <> 'none {n}'", " AND "));
    assert_eq!(items.restrict(&all).unwrap().count().unwrap(), 2);
    // And binds tighter than Or: alpha, plus (beta and not beta) = nothing.
    let mixed =
        format!("{misses} OR [Subject] = 'alpha' OR [Subject] = 'beta' AND [Subject] <> 'beta'");
    assert_eq!(items.restrict(&mixed).unwrap().count().unwrap(), 1);
    // Restricting a restricted collection again and again stays shallow too.
    let mut narrowed = items.clone();
    for n in 0..100 {
        narrowed = narrowed.restrict(&format!("[Subject] <> 'none {n}'")).unwrap();
    }
    assert_eq!(narrowed.count().unwrap(), 3);
    assert_eq!(
        narrowed.find("[Subject] = 'beta'").unwrap().unwrap().subject().unwrap().unwrap(),
        "beta"
    );
}

#[test]
fn items_are_not_created_with_a_message_class_ms_oxcmsg_forbids() {
    let fx = Fixture::new();
    let ns = fx.logged_on();
    let inbox = ns.get_default_folder(OlDefaultFolders::Inbox).unwrap();
    let too_long = "I".repeat(256);
    for class in ["", "IPM.Note.", "IPM.Noté", "IPM\u{7}", too_long.as_str()] {
        let err = inbox.create_item(Some(class)).err().unwrap_or_else(|| panic!("{class:?}"));
        assert_eq!(err.code(), ErrorCode::InvalidParameter, "{class:?}");
        assert!(err.to_string().contains("message class"), "{err}");
    }
    assert_eq!(inbox.items().count().unwrap(), 0);
    let custom = inbox.create_item(Some("IPM.Note.Custom Form")).unwrap();
    custom.save().unwrap();
    assert_eq!(custom.message_class(), "IPM.Note.Custom Form");
}
