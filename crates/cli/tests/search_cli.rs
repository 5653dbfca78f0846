//! `outpost search`: AdvancedSearch from the command line, through the instance.

mod common;

use common::Home;
use std::path::{Path, PathBuf};

fn corpus(name: &str) -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/pst")).join(name)
}

fn subjects(doc: &serde_json::Value) -> Vec<String> {
    doc["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["subject"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn search_finds_across_stores_sorts_limits_and_reports_bad_filters_with_their_position() {
    let home = Home::new();
    // The local date when the items are made, for the %today% check below.
    let created_on = jiff::Zoned::now().date();
    for subject in ["Budget review", "budget REVIEW two", "lunch", "budgetreview"] {
        home.json(&["item", "create", "inbox", "--subject", subject]).ok();
    }
    let phrase = "\"urn:schemas:httpmail:subject\" ci_phrasematch 'budget review'";
    let doc = home.json(&["search", phrase, "--scope", "inbox", "--sort", "Subject"]).ok().json();
    assert_eq!(doc["count"], 2);
    assert_eq!(subjects(&doc), ["Budget review", "budget REVIEW two"]);
    assert_eq!(doc["subfolders"], false);
    let doc = home
        .json(&[
            "search",
            phrase,
            "--scope",
            "inbox",
            "--sort",
            "Subject",
            "--descending",
            "--limit",
            "1",
        ])
        .ok()
        .json();
    assert_eq!(doc["count"], 2, "the count is of everything found");
    assert_eq!(subjects(&doc), ["budget REVIEW two"]);

    // The default scope is every store, subfolders included: a PST's items are found too.
    let pst = corpus("pst-extractor-enron.pst");
    home.json(&["store", "add", pst.to_str().unwrap(), "--display-name", "enron"]).ok();
    let every =
        home.json(&["search", "@SQL=\"urn:schemas:httpmail:subject\" LIKE '%'"]).ok().json();
    assert_eq!(every["subfolders"], true);
    let stores: std::collections::BTreeSet<&str> =
        every["items"].as_array().unwrap().iter().map(|i| i["store"].as_str().unwrap()).collect();
    assert!(stores.contains("enron") && stores.len() == 2, "{stores:?}");
    assert_eq!(every["count"], 4 + 71);

    // A malformed macro: exit 2, and the message gives the position.
    let bad = home.json(&["search", "%today(\"urn:schemas:httpmail:datereceived\""]);
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    let message = bad.error()["error"].as_str().unwrap().to_owned();
    assert!(message.contains("position 43"), "{message}");
    // A date macro runs in the local zone: every item here was created today (unless the
    // test ran across local midnight: then not all of them were).
    let today = home.json(&["search", "%today(\"dav:creationdate\")%", "--scope", "inbox"]).ok();
    let count = today.json()["count"].as_u64().unwrap();
    if jiff::Zoned::now().date() == created_on {
        assert_eq!(count, 4);
    } else {
        assert!(count < 4, "{count}");
    }
}
