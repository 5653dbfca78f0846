//! Folder events (FolderAdd/Change/Remove) and the BeforeItemMove/BeforeFolderMove vetoes of
//! in-process handlers.

mod common;

use common::Fixture;
use mapi::{ErrorCode, OlDefaultFolders};
use session::events::MoveRequest;
use session::{EventKind, OlItemType};
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn kinds(events: &[session::Event]) -> Vec<EventKind> {
    events.iter().map(|e| e.kind).collect()
}

#[test]
fn folder_changes_raise_folder_events_on_the_parent() {
    let fx = Fixture::new();
    let ns = fx.logged_on();
    let inbox = ns.get_default_folder(OlDefaultFolders::Inbox).unwrap();
    let drafts = ns.get_default_folder(OlDefaultFolders::Drafts).unwrap();
    let events = ns.subscribe(None, 64);

    let child = inbox.create_folder("Projects", Some(OlItemType::MailItem)).unwrap();
    child.set_name("Projects 2025").unwrap();
    let moved = child.move_to(&drafts).unwrap();
    moved.delete().unwrap();
    std::thread::sleep(Duration::from_millis(10));
    let got = events.drain();
    assert_eq!(
        kinds(&got),
        vec![
            EventKind::FolderAdd,
            EventKind::FolderChange,
            EventKind::BeforeFolderMove,
            EventKind::FolderRemove,
            EventKind::FolderAdd,
            EventKind::BeforeFolderMove,
            EventKind::FolderRemove,
            EventKind::FolderAdd,
        ]
    );
    let child_id = child.entry_id();
    let hex = |f: &session::Folder| f.entry_id();
    assert_eq!(got[0].folder_entry_id.as_deref(), Some(hex(&inbox).as_str()));
    assert_eq!(got[0].entry_ids, vec![child_id.clone()]);
    assert_eq!(got[1].folder_entry_id.as_deref(), Some(hex(&inbox).as_str()));
    assert_eq!(got[2].target_folder_entry_id.as_deref(), Some(hex(&drafts).as_str()));
    assert_eq!(got[3].folder_entry_id.as_deref(), Some(hex(&inbox).as_str()));
    assert_eq!(got[4].folder_entry_id.as_deref(), Some(hex(&drafts).as_str()));
    // Deleting moves it into Deleted Items.
    let wastebasket = ns.get_default_folder(OlDefaultFolders::DeletedItems).unwrap();
    assert_eq!(got[5].target_folder_entry_id.as_deref(), Some(hex(&wastebasket).as_str()));
    assert_eq!(got[7].folder_entry_id.as_deref(), Some(hex(&wastebasket).as_str()));
}

#[test]
fn an_in_process_handler_can_cancel_a_move_and_subscribers_never_hear_of_it() {
    let fx = Fixture::new();
    let ns = fx.logged_on();
    let inbox = ns.get_default_folder(OlDefaultFolders::Inbox).unwrap();
    let drafts = ns.get_default_folder(OlDefaultFolders::Drafts).unwrap();
    let keep = common::saved_item(&inbox, None, "keep me");
    let free = common::saved_item(&inbox, None, "let me go");

    let seen: Arc<Mutex<Vec<MoveRequest>>> = Arc::default();
    let handler_ns = ns.clone();
    let seen_by_handler = Arc::clone(&seen);
    let keep_id = keep.clone();
    let _registration = fx.app.events().on_before_move(Arc::new(move |request: &MoveRequest| {
        // Called with no store lock held: the handler can read the store itself.
        let item = handler_ns.get_item_from_id(&request.entry_id, None).unwrap();
        assert!(item.subject().unwrap().is_some());
        seen_by_handler.lock().unwrap().push(request.clone());
        request.entry_id == keep_id
    }));
    let events = ns.subscribe(None, 64);

    let err = ns.get_item_from_id(&keep, None).unwrap().move_to(&drafts).unwrap_err();
    assert_eq!(err.code(), ErrorCode::UserCancel, "{err}");
    // Still where it was, under its old ID.
    assert_eq!(
        ns.get_item_from_id(&keep, None).unwrap().parent().unwrap().entry_id(),
        inbox.entry_id()
    );
    let err = ns.get_item_from_id(&keep, None).unwrap().delete().unwrap_err();
    assert_eq!(err.code(), ErrorCode::UserCancel);

    let moved = ns.get_item_from_id(&free, None).unwrap().move_to(&drafts).unwrap();
    assert_eq!(moved.parent().unwrap().entry_id(), drafts.entry_id());
    let requests = seen.lock().unwrap().clone();
    assert_eq!(requests.len(), 3);
    assert!(requests.iter().all(|r| r.kind == EventKind::BeforeItemMove));
    assert_eq!(requests[2].target_folder_entry_id.as_deref(), Some(drafts.entry_id().as_str()));

    std::thread::sleep(Duration::from_millis(10));
    let got = events.drain();
    // Only the move that went ahead was announced: BeforeItemMove, ItemRemove, ItemAdd.
    assert_eq!(
        kinds(&got),
        vec![EventKind::BeforeItemMove, EventKind::ItemRemove, EventKind::ItemAdd]
    );
    assert_eq!(got[0].entry_ids, vec![free.clone()]);

    // A deletion for good asks with no target folder.
    let err = {
        let wastebasket = ns.get_default_folder(OlDefaultFolders::DeletedItems).unwrap();
        let in_bin = moved.move_to(&wastebasket).unwrap();
        in_bin.delete().map(|_| ())
    };
    err.unwrap();
    let last = seen.lock().unwrap().last().cloned().unwrap();
    assert_eq!(last.target_folder_entry_id, None);
}

#[test]
fn a_dropped_registration_stops_vetoing() {
    let fx = Fixture::new();
    let ns = fx.logged_on();
    let inbox = ns.get_default_folder(OlDefaultFolders::Inbox).unwrap();
    let drafts = ns.get_default_folder(OlDefaultFolders::Drafts).unwrap();
    let folder = inbox.create_folder("Locked", None).unwrap();
    let registration = fx
        .app
        .events()
        .on_before_move(Arc::new(|r: &MoveRequest| r.kind == EventKind::BeforeFolderMove));
    assert_eq!(folder.move_to(&drafts).unwrap_err().code(), ErrorCode::UserCancel);
    assert_eq!(folder.delete().unwrap_err().code(), ErrorCode::UserCancel);
    drop(registration);
    folder.move_to(&drafts).unwrap();
}
