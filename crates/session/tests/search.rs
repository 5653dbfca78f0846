//! AdvancedSearch across stores, ci_startswith / ci_phrasematch over the corpus (checked
//! against a brute-force scan of every item), the AdvancedSearchComplete event, and saved
//! search folders.

mod common;

use common::{Fixture, saved_item};
use mapi::ErrorCode;
use session::{
    AddStoreOptions, EventFilter, EventKind, Folder, NameSpace, OlDefaultFolders, Store,
};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::Duration;

const ENRON: &str = "pst-extractor-enron.pst";

fn mount_enron(ns: &NameSpace) -> Store {
    let path =
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/pst")).join(ENRON);
    let options = AddStoreOptions { display_name: Some("enron".to_owned()), password: None };
    ns.add_store_with(&path, &options).unwrap()
}

/// A folder and every folder below it.
fn subtree(folder: &Folder) -> Vec<Folder> {
    let mut out = vec![folder.clone()];
    let mut at = 0;
    while at < out.len() {
        let children = out[at].folders().unwrap();
        out.extend(children);
        at += 1;
    }
    out
}

/// Entry IDs of the items a DASL filter keeps in each of these folders (`Items.Restrict`).
fn restrict_union(folders: &[Folder], filter: &str) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for folder in folders {
        for item in folder.items().restrict(&format!("@SQL={filter}")).unwrap().iter().unwrap() {
            ids.insert(item.unwrap().entry_id().unwrap());
        }
    }
    ids
}

/// Words as the test reads them: maximal runs of letters and digits, lower-cased.
fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() {
            word.extend(c.to_lowercase());
        } else if !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

fn contains_phrase(text: &str, phrase: &str) -> bool {
    let (text, phrase) = (words(text), words(phrase));
    (0..text.len()).any(|start| text[start..].starts_with(&phrase))
}

/// Every item of the store with its subject and body, read one by one.
fn every_item(store: &Store) -> Vec<(Folder, String, String, String)> {
    let mut out = Vec::new();
    for folder in subtree(&store.root_folder().unwrap()) {
        for item in folder.items().iter().unwrap() {
            let item = item.unwrap();
            let subject = item.subject().unwrap().unwrap_or_default();
            let body = item.body().unwrap().unwrap_or_default();
            out.push((folder.clone(), item.entry_id().unwrap(), subject, body));
        }
    }
    out
}

#[test]
fn ci_startswith_and_ci_phrasematch_over_the_corpus_equal_a_brute_force_scan() {
    let fx = Fixture::new();
    let ns = fx.logged_on();
    let store = mount_enron(&ns);
    let all = every_item(&store);
    assert_eq!(all.len(), 71, "MANIFEST: 71 items");
    let folders = subtree(&store.root_folder().unwrap());
    // Words and phrases taken from the corpus itself: the most frequent subject word of four
    // letters or more, a two-word phrase from a subject, and subject prefixes.
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for (_, _, subject, _) in &all {
        for w in words(subject).into_iter().filter(|w| w.chars().count() >= 4) {
            *counts.entry(w).or_default() += 1;
        }
    }
    let common = counts
        .iter()
        .max_by_key(|(w, n)| (**n, std::cmp::Reverse((*w).clone())))
        .unwrap()
        .0
        .clone();
    let two_words = all
        .iter()
        .map(|(_, _, s, _)| words(s))
        .find(|w| w.len() >= 3)
        .map(|w| format!("{} {}", w[1].to_uppercase(), w[2]))
        .unwrap();
    // A body word that is in some bodies but not most: the median of the frequent ones.
    let mut body_counts: BTreeMap<String, usize> = BTreeMap::new();
    for (_, _, _, body) in &all {
        for w in words(body).into_iter().collect::<BTreeSet<_>>() {
            if w.chars().count() >= 6 {
                *body_counts.entry(w).or_default() += 1;
            }
        }
    }
    let mut frequent: Vec<(&String, &usize)> =
        body_counts.iter().filter(|(_, n)| **n >= 3).collect();
    frequent.sort_by_key(|(w, n)| (**n, (*w).clone()));
    let body_word = frequent[frequent.len() / 2].0.as_str();
    let mut checked = 0;
    for phrase in [common.as_str(), two_words.as_str()] {
        let filter = format!("\"urn:schemas:httpmail:subject\" ci_phrasematch '{phrase}'");
        let expected: BTreeSet<String> = all
            .iter()
            .filter(|(_, _, s, _)| contains_phrase(s, phrase))
            .map(|(_, id, _, _)| id.clone())
            .collect();
        assert!(!expected.is_empty(), "{filter} should find something in the corpus");
        assert_eq!(restrict_union(&folders, &filter), expected, "{filter}");
        checked += expected.len();
    }
    // A PST's contents table holds no bodies (MS-PST 2.4.4.5): the provider reads them from
    // the messages for a body filter.
    let filter = format!("\"urn:schemas:httpmail:textdescription\" ci_phrasematch '{body_word}'");
    let expected: BTreeSet<String> = all
        .iter()
        .filter(|(_, _, _, body)| contains_phrase(body, body_word))
        .map(|(_, id, _, _)| id.clone())
        .collect();
    assert!(!expected.is_empty() && expected.len() < all.len(), "{filter}");
    assert_eq!(restrict_union(&folders, &filter), expected, "{filter} in the PST");
    // The same bodies saved into the embedded mailbox give the same answer there.
    let inbox = ns.get_default_folder(OlDefaultFolders::Inbox).unwrap();
    let mut copies = Vec::new();
    for (_, _, subject, body) in &all {
        let item = inbox.create_item(None).unwrap();
        item.set_subject(subject).unwrap();
        item.set_body(body).unwrap();
        item.save().unwrap();
        copies.push((item.entry_id().unwrap(), body.clone()));
    }
    let expected: BTreeSet<String> = copies
        .iter()
        .filter(|(_, body)| contains_phrase(body, body_word))
        .map(|(id, _)| id.clone())
        .collect();
    assert!(!expected.is_empty() && expected.len() < copies.len(), "{filter}");
    assert_eq!(restrict_union(std::slice::from_ref(&inbox), &filter), expected, "{filter}");
    checked += expected.len();
    let prefixes: BTreeSet<String> =
        all.iter().filter_map(|(_, _, s, _)| s.get(..3).map(str::to_owned)).take(5).collect();
    for prefix in prefixes {
        let filter = format!(
            "\"urn:schemas:httpmail:subject\" ci_startswith '{}'",
            prefix.to_lowercase().replace('\'', "''")
        );
        let expected: BTreeSet<String> = all
            .iter()
            .filter(|(_, _, s, _)| s.to_lowercase().starts_with(&prefix.to_lowercase()))
            .map(|(_, id, _, _)| id.clone())
            .collect();
        assert_eq!(restrict_union(&folders, &filter), expected, "{filter}");
        checked += expected.len();
    }
    assert!(checked > 5, "the filters matched too little to mean anything");
}

#[test]
fn advanced_search_over_a_mailbox_and_a_pst_is_the_union_of_restricts_and_raises_the_event_once() {
    let fx = Fixture::new();
    let ns = fx.logged_on();
    let enron = mount_enron(&ns);
    let all = every_item(&enron);
    let word = words(&all[0].2).into_iter().max_by_key(|w| w.len()).unwrap();
    let inbox = ns.get_default_folder(OlDefaultFolders::Inbox).unwrap();
    let sub = inbox.create_folder("Projects", None).unwrap();
    saved_item(&inbox, None, &format!("About {word} again"));
    saved_item(&sub, None, &format!("{} in a subfolder", word.to_uppercase()));
    saved_item(&inbox, None, "nothing to see");
    let filter = format!("\"urn:schemas:httpmail:subject\" ci_phrasematch '{word}'");
    let pst_top = enron.root_folder().unwrap();
    let scope = format!(
        "'{}', '{}'",
        inbox.folder_path().unwrap(),
        pst_top.folder_path().unwrap().replace('\'', "''")
    );
    let events = fx.app.events().subscribe_channel(EventFilter::default(), 16);
    let search = fx.app.advanced_search(&scope, &filter, true, "my-tag").unwrap();
    assert_eq!(search.tag(), "my-tag");
    let mut results = search.results().unwrap();
    let found: BTreeSet<String> = results.rows().iter().map(|r| r.entry_id_hex()).collect();
    let mut folders = subtree(&inbox);
    folders.extend(subtree(&pst_top));
    let expected = restrict_union(&folders, &filter);
    assert_eq!(found, expected);
    let stores: BTreeSet<String> =
        results.rows().iter().map(|r| r.store.display_name().to_owned()).collect();
    assert_eq!(stores.len(), 2, "both stores contribute: {stores:?}");
    assert_eq!(results.count(), expected.len(), "each item once");

    // The event arrives once, with the tag.
    let first = events.recv_timeout(Duration::from_secs(30)).expect("AdvancedSearchComplete");
    assert_eq!(first.kind, EventKind::AdvancedSearchComplete);
    assert_eq!(first.tag.as_deref(), Some("my-tag"));
    assert!(events.drain().iter().all(|e| e.kind != EventKind::AdvancedSearchComplete));

    // Without subfolders the Projects item is left out.
    let shallow = fx.app.advanced_search("'Inbox'", &filter, false, "shallow").unwrap();
    let shallow = shallow.results().unwrap();
    assert_eq!(shallow.count(), 1);
    assert_eq!(shallow.item(1).unwrap().subject().unwrap().unwrap(), format!("About {word} again"));
    assert_eq!(shallow.item(2).unwrap_err().code(), ErrorCode::NotFound);

    // Results sort and open as items.
    results.sort("Subject", true).unwrap();
    let subjects: Vec<String> = results
        .rows()
        .iter()
        .map(|r| r.subject.clone().unwrap_or_default().to_lowercase())
        .collect();
    let mut sorted = subjects.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(subjects, sorted);
    assert_eq!(results.item(1).unwrap().entry_id().unwrap(), results.rows()[0].entry_id_hex());
    assert_eq!(results.sort("Nonsense", false).unwrap_err().code(), ErrorCode::InvalidParameter);
    search.stop(); // stopping a finished search changes nothing
    assert_eq!(search.results().unwrap().count(), expected.len());

    // A search stopped at once keeps what it found (a subset) and still raises its event once.
    let stopped = fx.app.advanced_search(&scope, &filter, true, "stopped").unwrap();
    stopped.stop();
    let partial: BTreeSet<String> =
        stopped.results().unwrap().rows().iter().map(|r| r.entry_id_hex()).collect();
    assert!(partial.is_subset(&expected));
    assert!(stopped.is_complete());
    // Each search's event once, in the order they finished: the shallow search's, then this.
    let mut tags = Vec::new();
    while tags.last().map(String::as_str) != Some("stopped") {
        let event = events.recv_timeout(Duration::from_secs(30)).expect("a search event");
        assert_eq!(event.kind, EventKind::AdvancedSearchComplete);
        tags.push(event.tag.unwrap());
    }
    assert_eq!(tags, ["shallow", "stopped"]);
    assert!(events.drain().is_empty(), "one event per search");
}

#[test]
fn advanced_search_refuses_bad_filters_and_scopes_before_running() {
    let fx = Fixture::new();
    let _ns = fx.logged_on();
    let err = fx
        .app
        .advanced_search("'Inbox'", "\"urn:schemas:httpmail:subject\" LIKE", false, "t")
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidParameter);
    assert!(err.to_string().contains("position 36"), "{err}");
    let err = fx.app.advanced_search("'Inbox'", "[Subject] = 'x'", false, "t").unwrap_err();
    assert!(err.to_string().contains("position 1"), "Jet is refused: {err}");
    let err = fx
        .app
        .advanced_search("'No Such Folder'", "\"urn:schemas:httpmail:subject\" = 'x'", false, "t")
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound);
    assert!(err.to_string().contains("No Such Folder"), "{err}");
    let err = fx
        .app
        .advanced_search("'Inbox", "\"urn:schemas:httpmail:subject\" = 'x'", false, "t")
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidParameter);
    let err = fx.app.advanced_search(" , ", "\"urn:schemas:httpmail:subject\" = 'x'", false, "t");
    assert_eq!(err.unwrap_err().code(), ErrorCode::InvalidParameter);
}

#[test]
fn a_saved_search_folder_is_listed_and_follows_new_items() {
    let fx = Fixture::new();
    let ns = fx.logged_on();
    let store = ns.default_store().unwrap();
    let inbox = ns.get_default_folder(OlDefaultFolders::Inbox).unwrap();
    let sub = inbox.create_folder("Deep", None).unwrap();
    saved_item(&inbox, None, "Budget review");
    saved_item(&sub, None, "budget review, second round");
    saved_item(&inbox, None, "lunch");
    let filter = "\"urn:schemas:httpmail:subject\" ci_phrasematch 'budget review'";
    let search = fx.app.advanced_search("'Inbox'", filter, true, "save").unwrap();
    assert_eq!(search.results().unwrap().count(), 2);
    let before = store.get_search_folders().unwrap().len();
    let saved = search.save("Budget reviews").unwrap();
    let listed = store.get_search_folders().unwrap();
    assert_eq!(listed.len(), before + 1);
    assert!(listed.iter().any(|f| f.name().unwrap() == "Budget reviews"));
    let subjects = |folder: &Folder| -> BTreeSet<String> {
        folder.items().iter().unwrap().map(|i| i.unwrap().subject().unwrap().unwrap()).collect()
    };
    assert_eq!(
        subjects(&saved),
        BTreeSet::from(["Budget review".to_owned(), "budget review, second round".to_owned()])
    );
    // A matching item saved later shows up; a non-matching one does not.
    saved_item(&sub, None, "The BUDGET REVIEW is done");
    saved_item(&inbox, None, "budgetreview without a space");
    assert_eq!(saved.items().count().unwrap(), 3);
    assert!(subjects(&saved).contains("The BUDGET REVIEW is done"));
    // Items opened from the search folder are the originals, in their own folders.
    let first = saved.items().get_first().unwrap().unwrap();
    let home = first.parent().unwrap().entry_id();
    assert!(home == inbox.entry_id() || home == sub.entry_id());
    // Reopened by entry ID (after the search object is gone), it still evaluates.
    let again = ns.get_folder_from_id(&saved.entry_id(), None).unwrap();
    assert_eq!(again.items().restrict("[Subject] = 'Budget review'").unwrap().count().unwrap(), 1);
    // The same name again is a collision.
    assert_eq!(search.save("Budget reviews").unwrap_err().code(), ErrorCode::Collision);
}

#[test]
fn saving_a_search_needs_one_writable_store() {
    let fx = Fixture::new();
    let ns = fx.logged_on();
    let enron = mount_enron(&ns);
    let top = enron.root_folder().unwrap().folder_path().unwrap();
    let filter = "\"urn:schemas:httpmail:subject\" ci_startswith 'a'";
    let pst_only = fx.app.advanced_search(&format!("'{top}'"), filter, true, "pst").unwrap();
    pst_only.wait().unwrap();
    assert_eq!(pst_only.save("x").unwrap_err().code(), ErrorCode::NoAccess);
    let both = fx.app.advanced_search(&format!("'Inbox', '{top}'"), filter, true, "both").unwrap();
    assert_eq!(both.save("x").unwrap_err().code(), ErrorCode::NoSupport);
}
