//! `item create --to/--cc/--attach`, `recipients`, `attachments`, `attachment save` and `item
//! update`, through the instance: relative paths are the caller's, text shows what --json shows.

mod common;

use common::Home;
use std::path::{Path, PathBuf};

fn corpus(name: &str) -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/pst")).join(name)
}

/// Runs `outpost ARGS --json` from `cwd`.
fn json_in(home: &Home, cwd: &Path, args: &[&str]) -> serde_json::Value {
    let mut command = home.command(args);
    let output = command.arg("--json").current_dir(cwd).output().unwrap();
    assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn an_item_created_with_recipients_and_attachments_lists_and_saves_them() {
    let home = Home::new();
    let work = home.path().join("work");
    std::fs::create_dir(&work).unwrap();
    std::fs::write(work.join("notes.txt"), b"some notes").unwrap();
    // A file name that would climb out of a directory if it were used as a path.
    std::fs::write(work.join("..\\..\\evil.txt"), b"evil").unwrap();
    std::fs::write(work.join("body.html"), "<p>Hello <b>there</b></p>").unwrap();
    let created = json_in(
        &home,
        &work,
        &[
            "item",
            "create",
            "drafts",
            "--subject",
            "with parts",
            "--to",
            "alice@example.com; Bob <bob@example.com>",
            "--cc",
            "carol@example.com",
            "--attach",
            "notes.txt",
            "--attach",
            "..\\..\\evil.txt",
            "--html",
            "body.html",
        ],
    );
    let id = created["entry_id"].as_str().unwrap().to_owned();
    // The HTML body came from the caller's relative path; the plain body follows it.
    let html = json_in(&home, &work, &["item", "body", &id, "--format", "html"]);
    assert_eq!(html["content"], "<p>Hello <b>there</b></p>");
    assert_eq!(html["body_format"], "olFormatHTML");
    let plain = json_in(&home, &work, &["item", "body", &id, "--format", "plain"]);
    assert!(plain["content"].as_str().unwrap().starts_with("Hello there"), "{plain}");

    let recipients = json_in(&home, &work, &["recipients", &id]);
    assert_eq!(recipients["count"], 3);
    let rows = recipients["recipients"].as_array().unwrap();
    assert_eq!(rows[0]["address"], "alice@example.com");
    assert_eq!(rows[1]["name"], "Bob");
    assert_eq!(rows[1]["smtp_address"], "bob@example.com");
    assert_eq!(rows[2]["type"], 2);
    assert_eq!(rows[2]["resolved"], true);
    // The text output shows the same values.
    let text = home.raw(&["recipients", &id]);
    assert_eq!(text.code, 0, "{}", text.stderr);
    for row in rows {
        for field in ["name", "address", "smtp_address", "entry_id"] {
            let value = row[field].as_str().unwrap();
            assert!(text.stdout.contains(value), "{field} {value} missing from:\n{}", text.stdout);
        }
    }

    let attachments = json_in(&home, &work, &["attachments", &id]);
    assert_eq!(attachments["count"], 2);
    let list = attachments["attachments"].as_array().unwrap();
    assert_eq!(list[0]["file_name"], "notes.txt");
    assert_eq!(list[0]["type"], "by-value");
    assert_eq!(list[0]["mime_tag"], "text/plain");
    assert_eq!(list[1]["file_name"], "..\\..\\evil.txt");
    let text = home.raw(&["attachments", &id]);
    for a in list {
        for field in ["file_name", "display_name", "mime_tag", "type"] {
            let value = a[field].as_str().unwrap();
            assert!(text.stdout.contains(value), "{field} {value} missing from:\n{}", text.stdout);
        }
    }

    // Saved relative to the caller's directory, with safe names, never outside --out.
    let saved = json_in(&home, &work, &["attachment", "save", &id, "--all", "--out", "out"]);
    let files = saved["saved"].as_array().unwrap();
    assert_eq!(files.len(), 2);
    assert_eq!(std::fs::read(work.join("out/notes.txt")).unwrap(), b"some notes");
    let evil = PathBuf::from(files[1]["path"].as_str().unwrap());
    assert_eq!(evil.parent().unwrap(), work.join("out"));
    assert_eq!(std::fs::read(&evil).unwrap(), b"evil");
    assert_eq!(std::fs::read_dir(work.join("out")).unwrap().count(), 2);
    // Saving one again numbers it instead of overwriting.
    let again = json_in(&home, &work, &["attachment", "save", &id, "1", "--out", "out"]);
    assert!(again["saved"][0]["path"].as_str().unwrap().ends_with("notes (2).txt"), "{again}");
}

#[test]
fn item_update_sets_outlook_members_by_name_and_shows_them() {
    let home = Home::new();
    let id = home.json(&["item", "create", "inbox", "--subject", "old"]).ok().json()["entry_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let updated = home
        .json(&[
            "item",
            "update",
            &id,
            "--set",
            "UnRead=false",
            "--set",
            "Importance=2",
            "--set",
            "Categories=Red, Blue",
            "--set",
            "Subject=new",
            "--set",
            "ReminderTime=2025-01-15T08:00:00Z",
            "--set",
            "http://schemas.microsoft.com/mapi/proptag/0x0E070003=1",
        ])
        .ok()
        .json();
    let values = updated["values"].as_array().unwrap();
    assert_eq!(values[0]["value"], false);
    assert_eq!(values[1]["value"], 2);
    assert_eq!(values[2]["value"], serde_json::json!(["Red", "Blue"]));
    assert_eq!(values[4]["value"], "2025-01-15T08:00:00Z");
    let item = home.json(&["item", "get", &id]).ok().json();
    assert_eq!(item["subject"], "new");
    assert_eq!(item["importance"], 2);
    // A refused update changes nothing, not even the valid assignments before it.
    let refused =
        home.json(&["item", "update", &id, "--set", "Subject=x", "--set", "Sensitivity=9"]);
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    assert!(refused.error()["error"].as_str().unwrap().contains("Sensitivity"));
    assert_eq!(home.json(&["item", "get", &id]).ok().json()["subject"], "new");
}

#[test]
fn items_of_a_read_only_pst_show_their_parts_but_refuse_updates() {
    let home = Home::new();
    let pst = corpus("ruby-msg-attachAndInline.pst");
    home.json(&["store", "add", pst.to_str().unwrap()]).ok();
    let folders = home.json(&["folders", "--store", pst.to_str().unwrap()]).ok().json();
    let root = folders[0]["root"]["entry_id"].as_str().unwrap().to_owned();
    let items = home.json(&["items", &root]).ok().json();
    let id = items["items"][0]["entry_id"].as_str().unwrap().to_owned();
    let attachments = home.json(&["attachments", &id]).ok().json();
    assert_eq!(attachments["count"], 2);
    let out = home.path().join("saved");
    let saved = home
        .json(&["attachment", "save", &id, "--all", "--out", out.to_str().unwrap()])
        .ok()
        .json();
    assert_eq!(saved["saved"].as_array().unwrap().len(), 2);
    let refused = home.json(&["item", "update", &id, "--set", "UnRead=true"]);
    assert_eq!(refused.code, 1, "{}", refused.stderr);
    assert_eq!(refused.error()["code"], "MAPI_E_NO_ACCESS");
}
