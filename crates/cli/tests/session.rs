//! The session commands, each test in its own OUTPOST_HOME.

mod common;

use common::Home;
use std::path::Path;

/// A second mailbox file made through a profile of its own, so it can be mounted.
fn extra_mailbox(home: &Home, profile: &str) -> String {
    let created = home.json(&["profile", "create", profile]).ok().json();
    created["store"][0]["path"].as_str().unwrap().to_owned()
}

#[test]
fn logon_on_a_fresh_home_creates_profile_outlook_and_lists_every_default_folder() {
    let home = Home::new();
    let doc = home.json(&["logon"]).ok().json();
    assert_eq!(doc["profile"], "Outlook");
    assert_eq!(doc["current_user"]["name"], "dana");
    assert_eq!(doc["current_user"]["address"], "dana@localhost");
    let stores = doc["stores"].as_array().unwrap();
    assert_eq!(stores.len(), 1);
    assert_eq!(stores[0]["kind"], "embedded");
    assert_eq!(stores[0]["default"], true);
    assert_eq!(stores[0]["display_name"], "Mailbox - dana");
    let found: Vec<&str> = doc["default_folders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["kind"].as_str().unwrap())
        .collect();
    for kind in [
        "inbox",
        "outbox",
        "sent-mail",
        "deleted-items",
        "calendar",
        "contacts",
        "tasks",
        "notes",
        "journal",
        "drafts",
        "junk",
    ] {
        assert!(found.contains(&kind), "{kind} missing from {found:?}");
    }
    let inbox = doc["default_folders"].as_array().unwrap().iter().find(|f| f["kind"] == "inbox");
    let inbox = inbox.unwrap();
    assert_eq!(inbox["folder_path"], "\\\\Mailbox - dana\\Inbox");
    assert_eq!(inbox["value"], 6);
    let missing = doc["missing_default_folders"].as_array().unwrap();
    assert_eq!(found.len() + missing.len(), mapi::OlDefaultFolders::ALL.len());
    assert!(missing.iter().all(|m| m["code"] == "MAPI_E_NOT_FOUND"));
    assert!(home.path().join("config/profiles.toml").exists());
    // The next run logs on to the same profile and mailbox.
    let again = home.json(&["logon"]).ok().json();
    assert_eq!(again["stores"][0]["store_id"], stores[0]["store_id"]);
}

#[test]
fn profile_commands_create_list_set_default_and_delete() {
    let home = Home::new();
    home.json(&["profile", "create", "Home"]).ok();
    home.json(&["profile", "create", "Work"]).ok();
    let list = home.json(&["profile", "list"]).ok().json();
    assert_eq!(list["default_profile"], "Home");
    assert_eq!(list["profiles"].as_array().unwrap().len(), 2);
    home.json(&["profile", "set-default", "work"]).ok();
    assert_eq!(home.json(&["logon"]).ok().json()["profile"], "Work");
    assert_eq!(home.json(&["logon", "--profile", "Home"]).ok().json()["profile"], "Home");
    home.json(&["profile", "set-default", "Home"]).ok();
    home.json(&["profile", "delete", "Work"]).ok();
    let err = home.json(&["logon", "--profile", "Work"]);
    assert_eq!(err.code, 2);
    assert_eq!(err.error()["code"], "MAPI_E_LOGON_FAILED");
    assert!(err.error()["error"].as_str().unwrap().contains("Home"));
    let dup = home.json(&["profile", "create", "home"]);
    assert_eq!(dup.code, 2);
    assert_eq!(dup.error()["code"], "MAPI_E_COLLISION");
}

#[test]
fn default_folder_takes_a_name_or_a_number_and_refuses_unknown_kinds() {
    let home = Home::new();
    let by_name = home.json(&["default-folder", "sent-mail"]).ok().json();
    let by_number = home.json(&["default-folder", "5"]).ok().json();
    assert_eq!(by_name["entry_id"], by_number["entry_id"]);
    assert_eq!(by_name["name"], "Sent Items");
    assert_eq!(by_name["default_item_type"], "mail");
    let calendar = home.json(&["default-folder", "calendar"]).ok().json();
    assert_eq!(calendar["default_message_class"], "IPM.Appointment");
    assert_eq!(home.json(&["default-folder", "inbx"]).code, 2);
    let missing = home.json(&["default-folder", "all-public-folders"]);
    assert_eq!(missing.code, 1);
    assert_eq!(missing.error()["code"], "MAPI_E_NOT_FOUND");
    let folder = home.json(&["folder", "get", by_name["entry_id"].as_str().unwrap()]).ok().json();
    assert_eq!(folder["folder_path"], by_name["folder_path"]);
}

#[test]
fn items_can_be_created_listed_filtered_fetched_and_deleted() {
    let home = Home::new();
    for subject in ["alpha", "beta", "gamma"] {
        home.json(&["item", "create", "inbox", "--subject", subject, "--body", "text"]).ok();
    }
    let all = home.json(&["items", "inbox", "--sort", "Subject", "--descending"]).ok().json();
    assert_eq!(all["count"], 3);
    assert_eq!(all["items"][0]["subject"], "gamma");
    let limited = home.json(&["items", "inbox", "--limit", "2"]).ok().json();
    assert_eq!(limited["items"].as_array().unwrap().len(), 2);
    let jet = home.json(&["items", "inbox", "--filter", "[Subject] = 'BETA'"]).ok().json();
    assert_eq!(jet["count"], 1);
    let dasl = home
        .json(&["items", "inbox", "--filter", "@SQL=\"urn:schemas:httpmail:subject\" LIKE '%mm%'"])
        .ok()
        .json();
    assert_eq!(dasl["items"][0]["subject"], "gamma");
    let by_path = home.json(&["items", "\\\\Mailbox - dana\\Inbox"]).ok().json();
    assert_eq!(by_path["count"], 3);
    let by_id = home.json(&["items", all["folder_entry_id"].as_str().unwrap()]).ok().json();
    assert_eq!(by_id["count"], 3);
    let bad = home.json(&["items", "inbox", "--filter", "[Subject] = "]);
    assert_eq!(bad.code, 2);
    assert!(bad.error()["error"].as_str().unwrap().contains("position"));
    assert_eq!(home.json(&["items", "inbox", "--sort", "Nonsense"]).code, 2);
    assert_eq!(home.json(&["items", "not a folder"]).code, 2);

    let id = all["items"][0]["entry_id"].as_str().unwrap().to_owned();
    let item = home.json(&["item", "get", &id]).ok().json();
    assert_eq!(item["type"], "MailItem");
    assert_eq!(item["subject"], "gamma");
    assert_eq!(item["body"], "text");
    let with_props = home.json(&["item", "get", &id, "--properties"]).ok().json();
    assert!(
        with_props["properties"].as_array().unwrap().iter().any(|p| p["name"] == "PidTagSubject")
    );

    let deleted = home.json(&["item", "delete", &id]).ok().json();
    assert_eq!(deleted["outcome"], "moved-to-deleted-items");
    // The old entry ID names nothing any more: bad input, with the MAPI code.
    let gone = home.json(&["item", "get", &id]);
    assert_eq!(gone.code, 2);
    assert_eq!(gone.error()["code"], "MAPI_E_NOT_FOUND");
    let new_id = deleted["new_entry_id"].as_str().unwrap();
    let in_wastebasket = home.json(&["items", "deleted-items"]).ok().json();
    assert_eq!(in_wastebasket["items"][0]["entry_id"], new_id);
    let purged = home.json(&["item", "delete", new_id]).ok().json();
    assert_eq!(purged["outcome"], "deleted");
    assert_eq!(home.json(&["items", "deleted-items"]).ok().json()["count"], 0);
}

#[test]
fn bad_and_foreign_entry_ids_fail_with_exit_2_and_a_mapi_code() {
    let home = Home::new();
    let bad = home.json(&["item", "get", "zz"]);
    assert_eq!(bad.code, 2);
    assert_eq!(bad.error()["code"], "MAPI_E_INVALID_ENTRYID");
    let short = home.json(&["item", "get", "000102"]);
    assert_eq!(short.code, 2);
    assert_eq!(short.error()["code"], "MAPI_E_INVALID_ENTRYID");
    // A well-formed message entry ID whose provider UID no mounted store has.
    let foreign = format!("00000000{}0700{}", "5A".repeat(16), "11".repeat(48));
    let run = home.json(&["item", "get", &foreign]);
    assert_eq!(run.code, 2);
    assert_eq!(run.error()["code"], "MAPI_E_NOT_FOUND");
    let folder = home.json(&["folder", "get", &foreign]);
    assert_eq!(folder.code, 2);
}

#[test]
fn compare_ids_compares_by_meaning() {
    let home = Home::new();
    let a = home.json(&["item", "create", "inbox", "--subject", "a"]).ok().json();
    let b = home.json(&["item", "create", "inbox", "--subject", "b"]).ok().json();
    let a = a["entry_id"].as_str().unwrap().to_owned();
    let b = b["entry_id"].as_str().unwrap();
    let short_term = format!("FF{}", &a[2..]);
    assert_eq!(home.json(&["compare-ids", &a, &short_term]).ok().json()["equal"], true);
    assert_eq!(home.json(&["compare-ids", &a, b]).ok().json()["equal"], false);
    let foreign = format!("00000000{}0700{}", "5A".repeat(16), "11".repeat(48));
    let unknown = home.json(&["compare-ids", &foreign, &foreign]);
    assert_eq!(unknown.code, 2);
    assert_eq!(unknown.error()["code"], "MAPI_E_UNKNOWN_ENTRYID");
}

#[test]
fn stores_are_added_found_by_name_or_path_and_removed() {
    let home = Home::new();
    home.json(&["logon"]).ok();
    let archive = extra_mailbox(&home, "Archive");
    let added = home.json(&["store", "add", &archive, "--display-name", "Old mail"]).ok().json();
    assert_eq!(added["display_name"], "Old mail");
    let stores = home.json(&["stores"]).ok().json();
    assert_eq!(stores["stores"].as_array().unwrap().len(), 2);
    let item =
        home.json(&["item", "create", "\\\\Old mail\\Inbox", "--subject", "archived"]).ok().json();
    // Found without a store ID, and with the store named by display name.
    let id = item["entry_id"].as_str().unwrap();
    assert_eq!(home.json(&["item", "get", id]).ok().json()["store"], "Old mail");
    assert_eq!(
        home.json(&["item", "get", id, "--store", "old mail"]).ok().json()["subject"],
        "archived"
    );
    let inbox = home.json(&["default-folder", "inbox", "--store", &archive]).ok().json();
    assert_eq!(inbox["store"], "Old mail");
    let tree = home.json(&["folders", "--store", "Old mail", "--depth", "0"]).ok().json();
    assert_eq!(tree[0]["root"]["folders"].as_array().unwrap().len(), 0);
    home.json(&["store", "remove", "Old mail"]).ok();
    assert_eq!(home.json(&["stores"]).ok().json()["stores"].as_array().unwrap().len(), 1);
    assert!(Path::new(&archive).exists());
    let removing_default = home.json(&["store", "remove", "Mailbox - dana"]);
    assert_eq!(removing_default.code, 1);
    let nothing = home.json(&["store", "add", home.path().join("none.pst").to_str().unwrap()]);
    assert_eq!(nothing.code, 2);
}

#[test]
fn profiles_whose_names_used_to_collide_keep_their_items_apart() {
    let home = Home::new();
    let slash = home.json(&["profile", "create", "a/b"]).ok().json();
    let underscore = home.json(&["profile", "create", "a_b"]).ok().json();
    assert_ne!(slash["store"][0]["path"], underscore["store"][0]["path"]);
    home.json(&["item", "create", "inbox", "--subject", "for a/b", "--profile", "a/b"]).ok();
    let listed = home.json(&["items", "inbox", "--profile", "a_b"]).ok().json();
    assert_eq!(listed["count"], 0, "{listed}");
    let listed = home.json(&["items", "inbox", "--profile", "a/b"]).ok().json();
    assert_eq!(listed["count"], 1, "{listed}");
}

#[test]
fn an_empty_profile_name_is_refused_before_anything_is_written() {
    let home = Home::new();
    let refused = home.json(&["profile", "create", ""]);
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    let mailboxes = home.path().join("data/mailboxes");
    let left: Vec<_> = match std::fs::read_dir(&mailboxes) {
        Ok(entries) => entries.map(|e| e.unwrap().file_name()).collect(),
        Err(_) => Vec::new(),
    };
    assert!(left.is_empty(), "left behind in {}: {left:?}", mailboxes.display());
}

#[test]
fn deleting_the_default_profile_needs_force() {
    let home = Home::new();
    home.json(&["logon"]).ok();
    let refused = home.json(&["profile", "delete", "Outlook"]);
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    let message = refused.error()["error"].as_str().unwrap().to_owned();
    assert!(message.contains("default profile") && message.contains("--force"), "{message}");
    // Nothing changed: the next command still works on the same profile.
    assert_eq!(home.json(&["logon"]).ok().json()["profile"], "Outlook");
    home.json(&["profile", "delete", "Outlook", "--force"]).ok();
    let list = home.json(&["profile", "list"]).ok().json();
    assert_eq!(list["profiles"].as_array().unwrap().len(), 0, "{list}");
}

#[test]
fn a_store_whose_file_is_gone_can_be_removed_by_name_or_path() {
    let home = Home::new();
    home.json(&["logon"]).ok();
    let by_name = extra_mailbox(&home, "ByName");
    let by_path = extra_mailbox(&home, "ByPath");
    home.json(&["store", "add", &by_name, "--display-name", "Gone by name"]).ok();
    home.json(&["store", "add", &by_path, "--display-name", "Gone by path"]).ok();
    std::fs::remove_file(&by_name).unwrap();
    std::fs::remove_file(&by_path).unwrap();
    // The instance keeps stores open between commands: log off so the next logon sees it.
    home.json(&["logoff"]).ok();
    let stores = home.json(&["stores"]).ok().json();
    assert_eq!(stores["unavailable_stores"].as_array().unwrap().len(), 2, "{stores}");
    let removed = home.json(&["store", "remove", "gone by name"]).ok().json();
    assert_eq!(removed["removed"]["unavailable"], true);
    // By a path relative to the caller's directory (which is not the instance's).
    let relative = Path::new(&by_path).strip_prefix(home.path()).unwrap();
    let output = home
        .command(&["store", "remove", relative.to_str().unwrap(), "--json"])
        .current_dir(home.path())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let stores = home.json(&["stores"]).ok().json();
    assert_eq!(stores["unavailable_stores"].as_array().unwrap().len(), 0, "{stores}");
    // Once removed, the name names nothing: bad input, as for any unknown store.
    let missing = home.json(&["store", "remove", "gone by name"]);
    assert_eq!(missing.code, 2);
}
