//! Session events: ItemAdd / NewMail / ItemChange / ItemRemove / StoreAdd / StoreRemove for
//! writes through the session, folder filters, and subscribers that do not keep up.

mod common;

use common::{Fixture, saved_item};
use session::{Delivery, Event, EventFilter, EventKind, EventSink, OlDefaultFolders, Subscription};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

fn assert_send_sync<T: Send + Sync>() {}

#[test]
fn event_types_can_be_shared_between_threads() {
    assert_send_sync::<session::EventBus>();
    assert_send_sync::<session::EventReceiver>();
    assert_send_sync::<Subscription>();
    assert_send_sync::<Event>();
}

fn kinds(events: &[Event]) -> Vec<EventKind> {
    events.iter().map(|e| e.kind).collect()
}

#[test]
fn saving_a_new_item_in_the_inbox_raises_item_add_and_new_mail_naming_it() {
    let fx = Fixture::new();
    let ns = fx.logged_on();
    let events = ns.subscribe(None, 16);
    let inbox = ns.get_default_folder(OlDefaultFolders::Inbox).unwrap();
    let id = saved_item(&inbox, None, "hello");
    let got = events.drain();
    assert_eq!(kinds(&got), [EventKind::ItemAdd, EventKind::NewMail]);
    let store = ns.default_store().unwrap();
    for event in &got {
        assert_eq!(event.entry_ids, std::slice::from_ref(&id));
        assert_eq!(event.folder_entry_id.as_deref(), Some(inbox.entry_id().as_str()));
        assert_eq!(event.store_id, store.store_id());
        assert_eq!(event.store, store.display_name());
        assert_eq!(event.profile, ns.current_profile_name());
    }
}

#[test]
fn a_new_item_outside_the_inbox_is_item_add_without_new_mail() {
    let fx = Fixture::new();
    let ns = fx.logged_on();
    let events = ns.subscribe(None, 16);
    let drafts = ns.get_default_folder(OlDefaultFolders::Drafts).unwrap();
    saved_item(&drafts, None, "draft");
    assert_eq!(kinds(&events.drain()), [EventKind::ItemAdd]);
}

#[test]
fn saving_an_item_again_is_item_change() {
    let fx = Fixture::new();
    let ns = fx.logged_on();
    let inbox = ns.get_default_folder(OlDefaultFolders::Inbox).unwrap();
    let item = inbox.create_item(None).unwrap();
    item.set_subject("first").unwrap();
    item.save().unwrap();
    let events = ns.subscribe(None, 16);
    item.set_subject("second").unwrap();
    item.save().unwrap();
    let got = events.drain();
    assert_eq!(kinds(&got), [EventKind::ItemChange]);
    assert_eq!(got[0].entry_ids, [item.entry_id().unwrap()]);
}

#[test]
fn moving_an_item_removes_it_from_the_source_and_adds_it_to_the_target() {
    let fx = Fixture::new();
    let ns = fx.logged_on();
    let inbox = ns.get_default_folder(OlDefaultFolders::Inbox).unwrap();
    let drafts = ns.get_default_folder(OlDefaultFolders::Drafts).unwrap();
    let id = saved_item(&inbox, None, "to move");
    let events = ns.subscribe(None, 16);
    let moved = ns.get_item_from_id(&id, None).unwrap().move_to(&drafts).unwrap();
    let got = events.drain();
    assert_eq!(kinds(&got), [EventKind::BeforeItemMove, EventKind::ItemRemove, EventKind::ItemAdd]);
    assert_eq!(got[0].target_folder_entry_id.as_deref(), Some(drafts.entry_id().as_str()));
    assert_eq!(got[1].folder_entry_id.as_deref(), Some(inbox.entry_id().as_str()));
    assert_eq!(got[1].entry_ids, [id]);
    assert_eq!(got[2].folder_entry_id.as_deref(), Some(drafts.entry_id().as_str()));
    assert_eq!(got[2].entry_ids, [moved.entry_id().unwrap()]);
}

#[test]
fn deleting_moves_to_deleted_items_then_deleting_there_is_a_plain_remove() {
    let fx = Fixture::new();
    let ns = fx.logged_on();
    let inbox = ns.get_default_folder(OlDefaultFolders::Inbox).unwrap();
    let wastebasket = ns.get_default_folder(OlDefaultFolders::DeletedItems).unwrap();
    let id = saved_item(&inbox, None, "doomed");
    let events = ns.subscribe(None, 16);
    let outcome = ns.get_item_from_id(&id, None).unwrap().delete().unwrap();
    let session::DeleteOutcome::MovedToDeletedItems { entry_id } = outcome else {
        panic!("expected a move to Deleted Items, got {outcome:?}")
    };
    let new_id = mapi::hex::encode(&entry_id);
    let got = events.drain();
    assert_eq!(kinds(&got), [EventKind::BeforeItemMove, EventKind::ItemRemove, EventKind::ItemAdd]);
    assert_eq!(got[0].target_folder_entry_id.as_deref(), Some(wastebasket.entry_id().as_str()));
    assert_eq!(got[2].folder_entry_id.as_deref(), Some(wastebasket.entry_id().as_str()));
    assert_eq!(got[2].entry_ids, std::slice::from_ref(&new_id));

    // Deleting for good: BeforeItemMove with no target, then the removal.
    ns.get_item_from_id(&new_id, None).unwrap().delete().unwrap();
    let got = events.drain();
    assert_eq!(kinds(&got), [EventKind::BeforeItemMove, EventKind::ItemRemove]);
    assert_eq!(got[0].target_folder_entry_id, None);
    assert_eq!(got[1].folder_entry_id.as_deref(), Some(wastebasket.entry_id().as_str()));
    assert_eq!(got[1].entry_ids, [new_id]);
}

#[test]
fn a_folder_subscription_sees_only_that_folder() {
    let fx = Fixture::new();
    let ns = fx.logged_on();
    let inbox = ns.get_default_folder(OlDefaultFolders::Inbox).unwrap();
    let drafts = ns.get_default_folder(OlDefaultFolders::Drafts).unwrap();
    let inbox_events = ns.subscribe(Some(&inbox), 16);
    saved_item(&drafts, None, "elsewhere");
    let id = saved_item(&inbox, None, "here");
    let got = inbox_events.drain();
    assert_eq!(kinds(&got), [EventKind::ItemAdd, EventKind::NewMail]);
    assert!(got.iter().all(|e| e.entry_ids == [id.clone()]));
}

#[test]
fn mounting_and_unmounting_a_store_raises_store_add_and_store_remove() {
    let fx = Fixture::new();
    let ns = fx.logged_on();
    let events = ns.subscribe(None, 16);
    let archive = ns.add_store(&fx.extra_mailbox("Archive")).unwrap();
    ns.remove_store_by(&archive).unwrap();
    let got = events.drain();
    assert_eq!(kinds(&got), [EventKind::StoreAdd, EventKind::StoreRemove]);
    for event in &got {
        assert_eq!(event.store, "Archive");
        assert_eq!(event.store_id, archive.store_id());
        assert_eq!(event.folder_entry_id, None);
    }
}

#[test]
fn another_session_of_the_same_application_raises_events_on_the_same_bus() {
    let fx = Fixture::new();
    let ns = fx.logged_on();
    let events = ns.subscribe(None, 16);
    let other = fx.app.new_session();
    other.logon(None, None, false, false).unwrap();
    let inbox = other.get_default_folder(OlDefaultFolders::Inbox).unwrap();
    let id = saved_item(&inbox, None, "from the other session");
    let got = events.recv_timeout(Duration::from_secs(1)).expect("an event");
    assert_eq!(got.kind, EventKind::ItemAdd);
    assert_eq!(got.entry_ids, [id]);
}

#[test]
fn a_subscriber_that_does_not_read_loses_events_and_the_writer_goes_on() {
    let fx = Fixture::new();
    let ns = fx.logged_on();
    let slow = ns.subscribe(None, 2);
    let inbox = ns.get_default_folder(OlDefaultFolders::Drafts).unwrap();
    for n in 0..5 {
        saved_item(&inbox, None, &format!("item {n}"));
    }
    // Room for two; the other three were dropped and counted, and every save returned.
    assert_eq!(slow.drain().len(), 2);
    assert_eq!(slow.dropped(), 3);
    assert_eq!(inbox.items().count().unwrap(), 5);
}

#[test]
fn dropping_the_subscription_unsubscribes() {
    let fx = Fixture::new();
    let ns = fx.logged_on();
    let events = ns.subscribe(None, 4);
    assert_eq!(ns.events().subscriber_count(), 1);
    drop(events);
    assert_eq!(ns.events().subscriber_count(), 0);
}

struct Counting(AtomicUsize, Delivery);

impl EventSink for Counting {
    fn deliver(&self, _event: &Event) -> Delivery {
        self.0.fetch_add(1, Ordering::SeqCst);
        self.1
    }
}

#[test]
fn a_sink_that_reports_closed_is_removed_and_a_full_one_is_counted() {
    let fx = Fixture::new();
    let ns = fx.logged_on();
    let closed = Arc::new(Counting(AtomicUsize::new(0), Delivery::Closed));
    let full = Arc::new(Counting(AtomicUsize::new(0), Delivery::Full));
    let _closed_sub: Subscription = ns.events().subscribe(EventFilter::default(), closed.clone());
    let full_sub = ns.events().subscribe(EventFilter::default(), full.clone());
    let drafts = ns.get_default_folder(OlDefaultFolders::Drafts).unwrap();
    saved_item(&drafts, None, "one");
    saved_item(&drafts, None, "two");
    assert_eq!(closed.0.load(Ordering::SeqCst), 1, "a closed sink gets nothing more");
    assert_eq!(full.0.load(Ordering::SeqCst), 2);
    assert_eq!(full_sub.dropped(), 2);
    assert_eq!(ns.events().subscriber_count(), 1);
}

#[test]
fn a_profile_filter_leaves_out_other_profiles() {
    let fx = Fixture::new();
    let ns = fx.logged_on();
    fx.app.create_profile("Work").unwrap();
    let events = ns.subscribe(None, 16);
    let work = fx.app.new_session();
    work.logon(Some("Work"), None, false, false).unwrap();
    let drafts = work.get_default_folder(OlDefaultFolders::Drafts).unwrap();
    saved_item(&drafts, None, "work item");
    assert!(events.drain().is_empty());
    let mine = ns.get_default_folder(OlDefaultFolders::Drafts).unwrap();
    saved_item(&mine, None, "my item");
    assert_eq!(kinds(&events.drain()), [EventKind::ItemAdd]);
}
