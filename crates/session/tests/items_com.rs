//! Items as COM users know it: Item(i), the GetFirst/GetNext cursor, Remove, SetColumns,
//! Count after Restrict, and Application.CreateItem.

mod common;

use common::{Fixture, saved_item};
use mapi::catalog::tags;
use mapi::{ErrorCode, OlDefaultFolders, OlItemType, PropValue};
use session::{Item, Items};

fn subject(item: Option<Item>) -> Option<String> {
    item.map(|i| i.subject().unwrap().unwrap_or_default())
}

/// An Inbox with items "m1".."m5", sorted by subject.
fn five(fixture: &Fixture) -> Items {
    let ns = fixture.logged_on();
    let inbox = ns.get_default_folder(OlDefaultFolders::Inbox).unwrap();
    // Saved out of order, so the sort (not the save order) decides.
    for n in [3, 1, 5, 2, 4] {
        saved_item(&inbox, None, &format!("m{n}"));
    }
    let mut items = inbox.items();
    items.sort("Subject", false).unwrap();
    items
}

#[test]
fn item_is_one_based_and_out_of_range_names_the_index_and_the_count() {
    let fixture = Fixture::new();
    let items = five(&fixture);
    let walked: Vec<String> =
        items.iter().unwrap().map(|i| i.unwrap().subject().unwrap().unwrap()).collect();
    for (k, want) in walked.iter().enumerate() {
        assert_eq!(&items.item(k + 1).unwrap().subject().unwrap().unwrap(), want);
    }
    assert_eq!(walked, ["m1", "m2", "m3", "m4", "m5"]);
    for bad in [0, 6] {
        let err = items.item(bad).unwrap_err();
        assert_eq!(err.code(), ErrorCode::NotFound);
        let text = err.to_string();
        assert!(text.contains(&format!("Item({bad})")) && text.contains("5 item"), "{text}");
    }
    assert_eq!(subject(items.item_by_subject("M4").unwrap()).as_deref(), Some("m4"));
    assert!(items.item_by_subject("nothing").unwrap().is_none());
}

#[test]
fn the_cursor_walks_both_ways_and_returns_none_off_the_ends() {
    let fixture = Fixture::new();
    let items = five(&fixture);
    // GetNext with no GetFirst starts at the first item.
    assert_eq!(subject(items.get_next().unwrap()).as_deref(), Some("m1"));
    assert_eq!(subject(items.get_first().unwrap()).as_deref(), Some("m1"));
    let mut forward = vec!["m1".to_owned()];
    while let Some(item) = items.get_next().unwrap() {
        forward.push(item.subject().unwrap().unwrap());
    }
    assert_eq!(forward, ["m1", "m2", "m3", "m4", "m5"]);
    assert!(items.get_next().unwrap().is_none(), "stays at the end");
    assert_eq!(subject(items.get_previous().unwrap()).as_deref(), Some("m5"));
    assert_eq!(subject(items.get_last().unwrap()).as_deref(), Some("m5"));
    let mut backward = vec!["m5".to_owned()];
    while let Some(item) = items.get_previous().unwrap() {
        backward.push(item.subject().unwrap().unwrap());
    }
    assert_eq!(backward, ["m5", "m4", "m3", "m2", "m1"]);
    assert!(items.get_previous().unwrap().is_none(), "stays before the start");
    assert_eq!(subject(items.get_next().unwrap()).as_deref(), Some("m1"));
}

#[test]
fn sort_and_restrict_start_the_cursor_over() {
    let fixture = Fixture::new();
    let mut items = five(&fixture);
    assert_eq!(subject(items.get_first().unwrap()).as_deref(), Some("m1"));
    assert_eq!(subject(items.get_next().unwrap()).as_deref(), Some("m2"));
    items.sort("Subject", true).unwrap();
    assert_eq!(subject(items.get_next().unwrap()).as_deref(), Some("m5"), "after Sort");
    assert_eq!(subject(items.get_next().unwrap()).as_deref(), Some("m4"));

    let restricted = items.restrict("[Subject] <> 'm3' And [Subject] <> 'm5'").unwrap();
    assert_eq!(restricted.count().unwrap(), 3);
    assert_eq!(items.count().unwrap(), 5, "Restrict leaves the original collection alone");
    assert_eq!(subject(restricted.get_next().unwrap()).as_deref(), Some("m4"));
    assert_eq!(subject(restricted.get_last().unwrap()).as_deref(), Some("m1"));
    assert!(restricted.get_next().unwrap().is_none());
    assert_eq!(subject(restricted.item(2).unwrap().into()).as_deref(), Some("m2"));
    assert!(restricted.item(4).is_err());
    // Stacked restrictions count what both keep.
    let narrower = restricted.restrict("@SQL=\"urn:schemas:httpmail:subject\" LIKE 'm1%'").unwrap();
    assert_eq!(narrower.count().unwrap(), 1);
    let empty = items.restrict("[Subject] = 'none'").unwrap();
    assert_eq!(empty.count().unwrap(), 0);
    assert!(empty.get_first().unwrap().is_none());
    assert!(empty.get_last().unwrap().is_none());
    assert!(empty.get_next().unwrap().is_none());
}

#[test]
fn remove_deletes_the_item_at_the_index_for_good() {
    let fixture = Fixture::new();
    let items = five(&fixture);
    let ns = fixture.app.session();
    let doomed = items.item(2).unwrap().entry_id().unwrap();
    assert_eq!(subject(items.get_first().unwrap()).as_deref(), Some("m1"));
    items.remove(2).unwrap();
    assert_eq!(items.count().unwrap(), 4);
    assert_eq!(ns.get_item_from_id(&doomed, None).unwrap_err().code(), ErrorCode::NotFound);
    let deleted = ns.get_default_folder(OlDefaultFolders::DeletedItems).unwrap();
    assert_eq!(deleted.items().count().unwrap(), 0, "Remove does not go through Deleted Items");
    // The cursor started over.
    assert_eq!(subject(items.get_next().unwrap()).as_deref(), Some("m1"));
    assert_eq!(subject(items.get_next().unwrap()).as_deref(), Some("m3"));
    assert_eq!(items.remove(9).unwrap_err().code(), ErrorCode::NotFound);
}

#[test]
fn set_columns_chooses_what_column_rows_read() {
    let fixture = Fixture::new();
    let items = five(&fixture);
    items.set_columns("Subject, ReceivedTime, urn:schemas:httpmail:importance").unwrap();
    let chosen = items.columns().unwrap();
    assert_eq!(
        chosen,
        [tags::PidTagSubject, tags::PidTagMessageDeliveryTime, tags::PidTagImportance]
    );
    let rows: Vec<_> = items.column_rows().unwrap().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 5);
    for row in &rows {
        let got: Vec<_> = row.iter().map(|v| v.tag.id()).collect();
        assert_eq!(got, [0x0FFF, 0x0037, 0x0E06, 0x0017]);
    }
    assert_eq!(rows[0][1].value, PropValue::String("m1".into()));
    // Columns survive Restrict; an unknown name is refused and keeps the list.
    let restricted = items.restrict("[Subject] = 'm2'").unwrap();
    assert_eq!(restricted.columns(), Some(chosen.clone()));
    let err = items.set_columns("Subject, NoSuchThing").unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidParameter);
    assert_eq!(items.columns(), Some(chosen));
    items.reset_columns();
    assert_eq!(items.columns(), None);
}

#[test]
fn create_item_makes_an_unsaved_item_of_the_type_in_its_default_folder() {
    let fixture = Fixture::new();
    let ns = fixture.logged_on();
    let cases = [
        (OlItemType::MailItem, "IPM.Note", OlDefaultFolders::Drafts),
        (OlItemType::AppointmentItem, "IPM.Appointment", OlDefaultFolders::Calendar),
        (OlItemType::ContactItem, "IPM.Contact", OlDefaultFolders::Contacts),
        (OlItemType::TaskItem, "IPM.Task", OlDefaultFolders::Tasks),
        (OlItemType::JournalItem, "IPM.Activity", OlDefaultFolders::Journal),
        (OlItemType::NoteItem, "IPM.StickyNote", OlDefaultFolders::Notes),
        (OlItemType::PostItem, "IPM.Post", OlDefaultFolders::Drafts),
        (OlItemType::DistributionListItem, "IPM.DistList", OlDefaultFolders::Contacts),
    ];
    for (item_type, class, folder_kind) in cases {
        let folder = ns.get_default_folder(folder_kind).unwrap();
        let before = folder.items().count().unwrap();
        let item = fixture.app.create_item(item_type).unwrap();
        assert_eq!(item.message_class(), class);
        assert!(item.entry_id().is_none(), "{class}: unsaved");
        assert_eq!(folder.items().count().unwrap(), before, "{class}: nothing stored yet");
        item.set_subject(class).unwrap();
        item.save().unwrap();
        assert_eq!(folder.items().count().unwrap(), before + 1, "{class}");
        assert_eq!(item.parent().unwrap().entry_id(), folder.entry_id());
        let reopened = ns.get_item_from_id(&item.entry_id().unwrap(), None).unwrap();
        assert_eq!(reopened.subject().unwrap().as_deref(), Some(class));
    }
}
