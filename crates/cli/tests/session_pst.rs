//! Corpus PSTs through the CLI: `store add`, `default-folder inbox --store`, `items` of every
//! folder, and `item get` of every listed entry ID.

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn corpus(name: &str) -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/pst")).join(name)
}

/// (file, password) of every corpus PST the tests can open; MANIFEST.md lists the others as
/// password-protected with passwords the tests do not know.
const MOUNTABLE: &[(&str, Option<&str>)] = &[
    ("aspose-Outlook.pst", None),
    ("go-pst-support.pst", None),
    ("java-libpst-dist-list.pst", None),
    ("outlook-pst-Empty.pst", None),
    ("pst-extractor-enron.pst", None),
    ("pstsdk-submessage.pst", None),
    ("ruby-msg-attachAndInline.pst", None),
    ("pst2john-97_outlook_pass12345.pst", Some("pass12345")),
];

/// PSTs whose Inbox Outlook's lookup (receive folder for "IPM") finds.
const WITH_INBOX: &[&str] =
    &["aspose-Outlook.pst", "java-libpst-dist-list.pst", "pst2john-97_outlook_pass12345.pst"];

const LOCKED: &[&str] = &[
    "aspose-passwordprotectedPST.pst",
    "pst2john-2003_high-encryption_quickquick.pst",
    "pst2john-2003_no-encryption_quickquick.pst",
    "pstsdk-test_ansi.pst",
    "pstsdk-test_unicode.pst",
];

fn run(home: &Path, args: &[&str]) -> (i32, Value, String) {
    let output = Command::cargo_bin("outpost")
        .unwrap()
        .env("OUTPOST_HOME", home)
        // Through the instance (the default); it exits soon after the last command.
        .env("OUTPOST_INSTANCE_IDLE_SECONDS", "5")
        .args(args)
        .arg("--json")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let json = serde_json::from_str(&stdout).unwrap_or(Value::Null);
    (output.status.code().unwrap_or(-1), json, stderr)
}

fn ok(home: &Path, args: &[&str]) -> Value {
    let (code, json, stderr) = run(home, args);
    assert_eq!(code, 0, "{args:?}: {stderr}");
    json
}

fn folder_ids(node: &Value, out: &mut Vec<String>) {
    out.push(node["entry_id"].as_str().unwrap().to_owned());
    for child in node["folders"].as_array().unwrap() {
        folder_ids(child, out);
    }
}

#[test]
fn every_corpus_pst_mounts_lists_its_items_and_opens_each_by_entry_id() {
    for (name, password) in MOUNTABLE {
        let home = tempfile::tempdir().unwrap();
        let home = home.path();
        let path = corpus(name);
        let path = path.to_str().unwrap();
        let mut add = vec!["store", "add", path];
        if let Some(password) = password {
            add.extend(["--password", password]);
        }
        let store = ok(home, &add);
        assert_eq!(store["kind"], "pst", "{name}");
        assert_eq!(store["writable"], false, "{name}");
        let inbox = run(home, &["default-folder", "inbox", "--store", path]);
        if WITH_INBOX.contains(name) {
            assert_eq!(inbox.0, 0, "{name}: {}", inbox.2);
            assert_eq!(inbox.1["default_item_type"], "mail");
        } else {
            assert_eq!(inbox.0, 1, "{name}");
            assert!(inbox.2.contains("MAPI_E_NOT_FOUND"), "{name}: {}", inbox.2);
        }
        let tree = ok(home, &["folders", "--store", path]);
        let mut folders = Vec::new();
        folder_ids(&tree[0]["root"], &mut folders);
        let mut items = 0;
        for folder in &folders {
            let listed = ok(home, &["items", folder]);
            for item in listed["items"].as_array().unwrap() {
                let id = item["entry_id"].as_str().unwrap();
                let got = ok(home, &["item", "get", id]);
                assert_eq!(got["entry_id"], id, "{name}");
                assert_eq!(got["store_id"], store["store_id"], "{name}");
                assert_eq!(got["message_class"], item["message_class"], "{name}");
                if items == 0 {
                    // Also when the store is named (by its file path).
                    let named = ok(home, &["item", "get", id, "--store", path]);
                    assert_eq!(named["entry_id"], id, "{name}");
                }
                items += 1;
            }
            assert_eq!(
                listed["count"].as_u64().unwrap() as usize,
                listed["items"].as_array().unwrap().len()
            );
        }
        // The PST stays in the profile between runs.
        let stores = ok(home, &["stores"]);
        assert_eq!(stores["stores"].as_array().unwrap().len(), 2, "{name}");
        if items == 0 {
            assert!(
                ["outlook-pst-Empty.pst"].contains(name),
                "{name}: no item listed in any folder"
            );
        }
    }
}

#[test]
fn a_password_protected_pst_without_its_password_is_refused_clearly() {
    let home = tempfile::tempdir().unwrap();
    for name in LOCKED.iter().chain(&["pst2john-97_outlook_pass12345.pst"]) {
        // A missing password is missing input: exit 2, with Outlook's code.
        let (code, _, stderr) = run(home.path(), &["store", "add", corpus(name).to_str().unwrap()]);
        assert_eq!(code, 2, "{name}");
        let error: Value = serde_json::from_str(stderr.trim()).unwrap();
        assert_eq!(error["code"], "MAPI_E_LOGON_FAILED", "{name}");
        assert!(error["error"].as_str().unwrap().contains("password"), "{name}: {stderr}");
    }
    let (code, _, stderr) = run(
        home.path(),
        &[
            "store",
            "add",
            corpus("pst2john-97_outlook_pass12345.pst").to_str().unwrap(),
            "--password",
            "wrong",
        ],
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("password"), "{stderr}");
    let stores = ok(home.path(), &["stores"]);
    assert_eq!(stores["stores"].as_array().unwrap().len(), 1);
}

fn ost(name: &str) -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/ost")).join(name)
}

/// The names below the mailbox's IPM subtree in an OST's corpus dump (root → "Root - Mailbox"
/// → "IPM_SUBTREE"), as paths.
fn dump_ipm_paths(name: &str) -> Vec<String> {
    let path = ost(name).with_extension("expected.json");
    let dump: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let child = |folder: &Value, wanted: &str| -> Value {
        folder["subfolders"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == wanted)
            .unwrap_or_else(|| panic!("{name}: the dump has no {wanted:?}"))
            .clone()
    };
    fn walk(folder: &Value, prefix: &str, out: &mut Vec<String>) {
        for sub in folder["subfolders"].as_array().unwrap() {
            let path = format!("{prefix}\\{}", sub["name"].as_str().unwrap());
            out.push(path.clone());
            walk(sub, &path, out);
        }
    }
    let mut out = Vec::new();
    walk(&child(&child(&dump["root"], "Root - Mailbox"), "IPM_SUBTREE"), "", &mut out);
    out
}

/// `outpost default-folder KIND` and where the folder sits below the IPM subtree (Junk's name
/// depends on the Outlook version that made the file).
const OST_DEFAULT_FOLDERS: &[(&str, &[&str])] = &[
    ("inbox", &["\\Inbox"]),
    ("sent-mail", &["\\Sent Items"]),
    ("deleted-items", &["\\Deleted Items"]),
    ("outbox", &["\\Outbox"]),
    ("calendar", &["\\Calendar"]),
    ("contacts", &["\\Contacts"]),
    ("tasks", &["\\Tasks"]),
    ("drafts", &["\\Drafts"]),
    ("notes", &["\\Notes"]),
    ("journal", &["\\Journal"]),
    ("junk", &["\\Junk E-Mail", "\\Junk Email"]),
    ("sync-issues", &["\\Sync Issues"]),
    ("conflicts", &["\\Sync Issues\\Conflicts"]),
    ("local-failures", &["\\Sync Issues\\Local Failures"]),
    ("server-failures", &["\\Sync Issues\\Server Failures"]),
    ("rss-feeds", &["\\RSS Feeds"]),
];

#[test]
fn every_default_folder_a_corpus_ost_shows_opens_and_its_exchange_ids_resolve() {
    for name in ["aspose-SampleOstFile.ost", "pst-extractor-outlookcom-2013.ost"] {
        let home = tempfile::tempdir().unwrap();
        let home = home.path();
        let path = ost(name);
        let path = path.to_str().unwrap();
        let stem = name.trim_end_matches(".ost");
        let store = ok(home, &["store", "add", path]);
        assert_eq!(store["display_name"], stem, "an OST without a display name is named by file");

        // The top folder is the IPM subtree, so paths start at the store name.
        let folders = ok(home, &["folders", "--store", path]);
        let root = &folders[0]["root"];
        assert_eq!(root["folder_path"], format!("\\\\{stem}"));
        let shown: Vec<String> = root["folders"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["folder_path"].as_str().unwrap().to_owned())
            .collect();
        let dump = dump_ipm_paths(name);
        for (kind, candidates) in OST_DEFAULT_FOLDERS {
            let relative = candidates
                .iter()
                .find(|p| dump.iter().any(|d| d == *p))
                .unwrap_or_else(|| panic!("{name}: the dump has no {kind} folder"));
            let expected = format!("\\\\{stem}{relative}");
            if !relative[1..].contains('\\') {
                assert!(shown.contains(&expected), "{name}: folders does not show {expected}");
            }
            let folder = ok(home, &["default-folder", kind, "--store", path]);
            assert_eq!(folder["folder_path"], expected, "{name} {kind}");
        }

        // The Exchange entry IDs the Inbox holds (PidTagIpmAppointmentEntryId, ...) name the
        // same folders as the store's own IDs.
        let file = pst::PstFile::open(ost(name)).unwrap();
        let inbox_id = ok(home, &["default-folder", "inbox", "--store", path])["entry_id"]
            .as_str()
            .unwrap()
            .to_owned();
        let inbox_nid =
            u32::from_le_bytes(mapi::hex::decode(&inbox_id).unwrap()[20..24].try_into().unwrap());
        let inbox = file.folder(pst::NodeId(inbox_nid)).unwrap();
        let drafts = ok(home, &["default-folder", "drafts", "--store", path]);
        for (kind, prop) in [("calendar", 0x36D0), ("contacts", 0x36D1), ("tasks", 0x36D4)] {
            let Ok(Some(mapi::PropValue::Binary(exchange))) = inbox.properties().value(prop) else {
                panic!("{name}: the Inbox has no property {prop:#06x}")
            };
            let exchange = mapi::hex::encode(&exchange);
            let folder = ok(home, &["default-folder", kind, "--store", path]);
            let by_exchange_id = ok(home, &["folder", "get", &exchange]);
            assert_eq!(by_exchange_id["entry_id"], folder["entry_id"], "{name} {kind}");
            let own = folder["entry_id"].as_str().unwrap();
            assert_eq!(ok(home, &["compare-ids", &exchange, own])["equal"], true, "{name} {kind}");
            let other = drafts["entry_id"].as_str().unwrap();
            assert_eq!(ok(home, &["compare-ids", &exchange, other])["equal"], false);
        }
    }
}
