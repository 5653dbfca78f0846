//! `item copy|move` and `folder create|rename|move|copy|delete` through the instance: the
//! printed entry IDs open the copies, moves across stores leave nothing behind, and text shows
//! what `--json` shows.

mod common;

use common::Home;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn corpus(name: &str) -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/pst")).join(name)
}

fn new_item(home: &Home, folder: &str, subject: &str) -> String {
    let doc = home.json(&["item", "create", folder, "--subject", subject]).ok().json();
    doc["entry_id"].as_str().unwrap().to_owned()
}

fn count(home: &Home, folder: &str) -> u64 {
    home.json(&["items", folder]).ok().json()["count"].as_u64().unwrap()
}

/// A second mailbox mounted in the profile; its display name.
fn second_mailbox(home: &Home) -> &'static str {
    let path = home.path().join("archive.mailbox");
    let path = path.to_str().unwrap();
    home.json(&["mailbox", "create", path, "--display-name", "Archive"]).ok();
    home.json(&["store", "add", path]).ok();
    "Archive"
}

#[test]
fn item_copy_and_move_print_the_new_entry_id_across_stores() {
    let home = Home::new();
    let archive = second_mailbox(&home);
    let id = new_item(&home, "inbox", "keep me");
    let target = format!("\\\\{archive}\\Inbox");
    let copied = home.json(&["item", "copy", &id, &target]).ok().json();
    let copy_id = copied["entry_id"].as_str().unwrap();
    assert_ne!(copy_id, id);
    assert_eq!(copied["operation"], "copied");
    assert_eq!(copied["subject"], "keep me");
    let shown = home.json(&["item", "get", copy_id]).ok().json();
    assert_eq!(shown["subject"], "keep me");
    assert_eq!(shown["store"], archive);
    assert_eq!(count(&home, "inbox"), 1);
    // Move: a new ID, the old one names nothing (exit 2), the source folder is empty.
    let moved = home.json(&["item", "move", &id, &target]).ok().json();
    let moved_id = moved["entry_id"].as_str().unwrap().to_owned();
    assert_ne!(moved_id, id);
    assert_eq!(home.json(&["item", "get", &id]).code, 2);
    assert_eq!(home.json(&["item", "get", &moved_id]).ok().json()["subject"], "keep me");
    assert_eq!(count(&home, "inbox"), 0);
    assert_eq!(count(&home, &target), 2);
    // Within the store, into a default folder by kind.
    let back = home.json(&["item", "move", &moved_id, "drafts"]).ok().json();
    assert_eq!(
        home.json(&["item", "get", back["entry_id"].as_str().unwrap()]).ok().json()["subject"],
        "keep me"
    );
    // Text shows every value of the JSON document.
    let id = new_item(&home, "inbox", "text");
    let text = home.raw(&["item", "copy", &id, "inbox"]).ok().stdout;
    for key in
        ["entry id:", "source entry id:", "operation: copied", "folder path:", "subject: text"]
    {
        assert!(text.contains(key), "{key} missing: {text}");
    }
}

#[test]
fn moving_an_item_out_of_a_pst_fails_and_copying_it_works() {
    let home = Home::new();
    let pst = corpus("aspose-Outlook.pst");
    home.json(&["store", "add", pst.to_str().unwrap(), "--display-name", "Old"]).ok();
    let items = home.json(&["items", "\\\\Old\\Inbox", "--limit", "1"]).ok().json();
    let id = items["items"][0]["entry_id"].as_str().unwrap().to_owned();
    let run = home.json(&["item", "move", &id, "inbox"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.error()["code"], "MAPI_E_NO_ACCESS");
    assert_eq!(count(&home, "inbox"), 0);
    let copied = home.json(&["item", "copy", &id, "inbox"]).ok().json();
    assert_eq!(count(&home, "inbox"), 1);
    assert_eq!(copied["subject"], items["items"][0]["subject"]);
}

#[test]
fn folders_are_created_renamed_copied_moved_and_deleted() {
    let home = Home::new();
    let archive = second_mailbox(&home);
    let created =
        home.json(&["folder", "create", "inbox", "Projects", "--type", "tasks"]).ok().json();
    assert_eq!(created["container_class"], "IPF.Task");
    let path = created["folder_path"].as_str().unwrap().to_owned();
    assert!(path.ends_with("\\Inbox\\Projects"), "{path}");
    // A sibling with the same name: the operation fails (exit 1).
    let again = home.json(&["folder", "create", "inbox", "Projects"]);
    assert_eq!(again.code, 1, "{}", again.stderr);
    assert_eq!(again.error()["code"], "MAPI_E_COLLISION");
    let renamed = home.json(&["folder", "rename", &path, "Plans"]).ok().json();
    assert_eq!(renamed["name"], "Plans");
    assert_eq!(renamed["entry_id"], created["entry_id"]);
    let plans = renamed["entry_id"].as_str().unwrap().to_owned();
    new_item(&home, &plans, "one");
    home.json(&["folder", "create", &plans, "Sub"]).ok();
    // Copy to another store: the copy has the items; the original stays.
    let archive_inbox = format!("\\\\{archive}\\Inbox");
    let copy = home.json(&["folder", "copy", &plans, "--into", &archive_inbox]).ok().json();
    assert_eq!(copy["item_count"], 1);
    assert_eq!(copy["store"], archive);
    assert_eq!(home.json(&["folder", "get", &plans]).ok().json()["item_count"], 1);
    // Move within the store (positional target): the entry ID survives.
    let moved = home.json(&["folder", "move", &plans, "drafts"]).ok().json();
    assert_eq!(moved["entry_id"], plans.as_str());
    assert!(moved["folder_path"].as_str().unwrap().ends_with("\\Drafts\\Plans"));
    // Move across stores: a new folder there, the old ID names nothing.
    let across =
        home.json(&["folder", "move", &plans, "--into", &format!("\\\\{archive}\\Drafts")]).ok();
    assert_eq!(across.json()["store"], archive);
    assert_eq!(home.json(&["folder", "get", &plans]).code, 2);
    // Delete: first to Deleted Items, from there for good.
    let doomed = home.json(&["folder", "create", "inbox", "Doomed"]).ok().json();
    let doomed_id = doomed["entry_id"].as_str().unwrap().to_owned();
    let first = home.json(&["folder", "delete", &doomed_id]).ok().json();
    assert_eq!(first["outcome"], "moved-to-deleted-items");
    let second = home.json(&["folder", "delete", &doomed_id]).ok().json();
    assert_eq!(second["outcome"], "deleted");
    assert_eq!(home.json(&["folder", "get", &doomed_id]).code, 2);
}

#[test]
fn folder_commands_show_in_text_what_json_shows() {
    let home = Home::new();
    let doc: Value = home.json(&["folder", "create", "inbox", "Text"]).ok().json();
    let text = home.raw(&["folder", "rename", doc["entry_id"].as_str().unwrap(), "Text2"]).ok();
    for key in ["Text2", doc["entry_id"].as_str().unwrap(), "IPF.Note"] {
        assert!(text.stdout.contains(key), "{key} missing: {}", text.stdout);
    }
    let deleted = home.raw(&["folder", "delete", doc["entry_id"].as_str().unwrap()]).ok();
    assert!(deleted.stdout.contains("outcome: moved-to-deleted-items"), "{}", deleted.stdout);
}
