//! Search folders: criteria kept by SetSearchCriteria, and a contents table that evaluates
//! them over the scope (recursively or not) each time it is read.

use mapi::provider::{DeleteFolderFlags, FolderKind, MessageStore, SearchCriteria, SpecialFolder};
use mapi::restriction::{FuzzyLevel, FuzzyMatch, Restriction};
use mapi::{ErrorCode, PropTag, PropType, PropValue, TaggedValue};
use std::collections::BTreeSet;
use store::{CreateOptions, Mailbox};

const SUBJECT: PropTag = PropTag::new(0x0037, PropType::String);

fn subject(text: &str) -> Vec<TaggedValue> {
    vec![TaggedValue { tag: SUBJECT, value: PropValue::String(text.to_owned()) }]
}

fn subjects(folder: &dyn mapi::provider::Folder) -> BTreeSet<String> {
    let table = folder.contents_table(false).unwrap();
    table.set_columns(&[SUBJECT]).unwrap();
    let rows = table.query_rows(1000).unwrap();
    rows.iter().filter_map(|r| r[0].value.as_str().map(str::to_owned)).collect()
}

#[test]
fn a_search_folder_shows_the_matching_messages_of_its_scope_as_they_change() {
    let dir = tempfile::tempdir().unwrap();
    let mailbox = Mailbox::create(&dir.path().join("m.db"), &CreateOptions::default()).unwrap();
    let inbox_id = mailbox.special_folder_entry_id(SpecialFolder::Inbox).unwrap();
    let inbox = mailbox.open_folder(&inbox_id).unwrap();
    let child = inbox.create_folder("child", FolderKind::Generic, false).unwrap();
    mailbox.insert_messages(&inbox_id, &[subject("alpha one"), subject("beta")], false).unwrap();
    mailbox.insert_messages(&child.entry_id(), &[subject("ALPHA two")], false).unwrap();
    let finder = mailbox
        .open_folder(&mailbox.special_folder_entry_id(SpecialFolder::Finder).unwrap())
        .unwrap();
    let search = finder.create_folder("alphas", FolderKind::Search, false).unwrap();
    assert_eq!(search.search_criteria().unwrap_err().code, ErrorCode::NotInitialized);
    assert!(subjects(search.as_ref()).is_empty(), "no criteria, no rows");
    let criteria = SearchCriteria {
        restriction: Restriction::content(
            FuzzyLevel::new(FuzzyMatch::Prefix).ignoring_case(),
            TaggedValue { tag: SUBJECT, value: PropValue::String("alpha".into()) },
        ),
        folders: vec![inbox_id.clone()],
        recursive: false,
    };
    search.set_search_criteria(&criteria).unwrap();
    assert_eq!(search.search_criteria().unwrap(), criteria);
    assert_eq!(subjects(search.as_ref()), BTreeSet::from(["alpha one".to_owned()]));
    // Recursive: the child folder counts too; rows carry the messages' own entry IDs.
    search.set_search_criteria(&SearchCriteria { recursive: true, ..criteria.clone() }).unwrap();
    assert_eq!(
        subjects(search.as_ref()),
        BTreeSet::from(["alpha one".to_owned(), "ALPHA two".to_owned()])
    );
    let table = search.contents_table(false).unwrap();
    assert_eq!(table.row_count().unwrap(), 2);
    table.set_columns(&[PropTag::new(0x0FFF, PropType::Binary)]).unwrap();
    for row in table.query_rows(10).unwrap() {
        let id = row[0].value.as_binary().unwrap().to_vec();
        assert!(mailbox.open_message(&id).is_ok(), "a search row opens as its message");
    }
    // A new matching message shows in the next table; a further restriction narrows.
    mailbox.insert_messages(&child.entry_id(), &[subject("alpha three")], false).unwrap();
    assert_eq!(subjects(search.as_ref()).len(), 3);
    let table = search.contents_table(false).unwrap();
    table
        .restrict(Some(&Restriction::content(
            FuzzyLevel::new(FuzzyMatch::Substring),
            TaggedValue { tag: SUBJECT, value: PropValue::String("three".into()) },
        )))
        .unwrap();
    assert_eq!(table.row_count().unwrap(), 1);
    // A deleted scope folder contributes nothing, and nothing fails.
    inbox.delete_folder(&child.entry_id(), DeleteFolderFlags::ALL).unwrap();
    assert_eq!(subjects(search.as_ref()), BTreeSet::from(["alpha one".to_owned()]));
}

#[test]
fn only_search_folders_take_criteria_and_scopes_must_be_folders_of_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let mailbox = Mailbox::create(&dir.path().join("m.db"), &CreateOptions::default()).unwrap();
    let inbox_id = mailbox.special_folder_entry_id(SpecialFolder::Inbox).unwrap();
    let inbox = mailbox.open_folder(&inbox_id).unwrap();
    let criteria = SearchCriteria {
        restriction: Restriction::Exist { tag: SUBJECT },
        folders: vec![inbox_id.clone()],
        recursive: true,
    };
    assert_eq!(inbox.set_search_criteria(&criteria).unwrap_err().code, ErrorCode::NoSupport);
    assert_eq!(inbox.search_criteria().unwrap_err().code, ErrorCode::NoSupport);
    let finder = mailbox
        .open_folder(&mailbox.special_folder_entry_id(SpecialFolder::Finder).unwrap())
        .unwrap();
    let search = finder.create_folder("s", FolderKind::Search, false).unwrap();
    let message = mailbox.insert_messages(&inbox_id, &[subject("m")], false).unwrap().remove(0);
    let bad = SearchCriteria { folders: vec![message], ..criteria.clone() };
    assert_eq!(search.set_search_criteria(&bad).unwrap_err().code, ErrorCode::InvalidParameter);
    let garbage = SearchCriteria { folders: vec![vec![1, 2, 3]], ..criteria };
    assert!(search.set_search_criteria(&garbage).is_err());
}
