//! Restrictions on properties a PST contents table context does not keep (the body) are
//! evaluated on the messages; restrictions on its own columns still run over the rows.

use mapi::catalog::tags as t;
use mapi::provider::{Folder, MessageStore};
use mapi::restriction::{FuzzyLevel, FuzzyMatch, Restriction, SortOrder, SortOrderSet};
use mapi::{PropValue, TaggedValue};
use pst::provider::PstStore;
use std::path::Path;

fn content(tag: mapi::PropTag, text: &str) -> Restriction {
    Restriction::content(
        FuzzyLevel::new(FuzzyMatch::Substring).ignoring_case(),
        TaggedValue { tag, value: PropValue::String(text.into()) },
    )
}

/// Every folder of the store with messages, breadth first.
fn folders(store: &PstStore) -> Vec<Box<dyn Folder>> {
    let mut out = vec![store.root_folder().unwrap()];
    let mut at = 0;
    while at < out.len() {
        let table = out[at].hierarchy_table(false).unwrap();
        table.set_columns(&[t::PidTagEntryId]).unwrap();
        for row in table.query_rows(1000).unwrap() {
            out.push(store.open_folder(row[0].value.as_binary().unwrap()).unwrap());
        }
        at += 1;
    }
    out
}

#[test]
fn a_body_restriction_reads_the_messages_and_clearing_it_restores_every_row() {
    let path = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/pst"))
        .join("pst-extractor-enron.pst");
    let store = PstStore::open(&path, None).unwrap();
    let (mut with_word, mut total, mut checked_folders) = (0, 0, 0);
    for folder in folders(&store) {
        let table = folder.contents_table(false).unwrap();
        let all = table.row_count().unwrap() as usize;
        if all == 0 {
            continue;
        }
        checked_folders += 1;
        table.set_columns(&[t::PidTagEntryId]).unwrap();
        let ids: Vec<Vec<u8>> = table
            .query_rows(10_000)
            .unwrap()
            .iter()
            .map(|r| r[0].value.as_binary().unwrap().to_vec())
            .collect();
        // Brute force: open each message and look at its body.
        let expected: Vec<Vec<u8>> = ids
            .iter()
            .filter(|id| {
                let message = store.open_message(id).unwrap();
                let body = message.get_props(&[t::PidTagBody]).unwrap();
                body[0].value.as_str().is_some_and(|b| b.to_lowercase().contains("contract"))
            })
            .cloned()
            .collect();
        table.restrict(Some(&content(t::PidTagBody, "CONTRACT"))).unwrap();
        assert_eq!(table.row_count().unwrap() as usize, expected.len());
        let mut got: Vec<Vec<u8>> = table
            .query_rows(10_000)
            .unwrap()
            .iter()
            .map(|r| r[0].value.as_binary().unwrap().to_vec())
            .collect();
        let mut want = expected.clone();
        got.sort();
        want.sort();
        assert_eq!(got, want);
        // Sorting keeps the restriction; clearing it brings every row back.
        table.sort(&SortOrderSet::new(vec![SortOrder::ascending(t::PidTagSubject)])).unwrap();
        assert_eq!(table.row_count().unwrap() as usize, expected.len());
        table.restrict(None).unwrap();
        assert_eq!(table.row_count().unwrap() as usize, all);
        with_word += expected.len();
        total += all;
    }
    assert!(checked_folders > 0);
    assert!(
        with_word > 0 && with_word < total,
        "{with_word} of {total}: the word must split the corpus"
    );
}
