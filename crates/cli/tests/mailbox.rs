//! `outpost mailbox create|info|check` end to end.

use assert_cmd::Command;
use predicates::str::contains;

fn outpost() -> Command {
    Command::cargo_bin("outpost").expect("the outpost binary")
}

#[test]
fn a_created_mailbox_shows_the_standard_folders_and_checks_clean() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.db");
    outpost()
        .args(["mailbox", "create"])
        .arg(&path)
        .args(["--display-name", "Dan's mailbox", "--owner", "dan@example.com"])
        .assert()
        .success();
    let output = outpost().args(["--json", "mailbox", "info"]).arg(&path).output().unwrap();
    assert!(output.status.success());
    let info: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(info["display_name"], "Dan's mailbox");
    assert_eq!(info["schema_version"], store::SCHEMA_VERSION);
    let folders = info["folders"].as_array().unwrap();
    let specials: Vec<&str> = folders.iter().filter_map(|f| f["special"].as_str()).collect();
    for wanted in [
        "Inbox",
        "Outbox",
        "SentItems",
        "DeletedItems",
        "Calendar",
        "Contacts",
        "Drafts",
        "Journal",
        "Notes",
        "Tasks",
        "JunkEmail",
        "SyncIssues",
        "Conflicts",
        "RssFeeds",
        "QuickStepSettings",
    ] {
        assert!(specials.contains(&wanted), "{wanted} missing from {specials:?}");
    }
    let calendar = folders.iter().find(|f| f["special"] == "Calendar").unwrap();
    assert_eq!(calendar["container_class"], "IPF.Appointment");
    assert_eq!(calendar["path"], "\\Top of Information Store\\Calendar");
    outpost().args(["mailbox", "check"]).arg(&path).assert().success().stdout(contains("ok"));
}

#[test]
fn check_exits_1_naming_the_damage_of_a_truncated_copy() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.db");
    outpost().args(["mailbox", "create"]).arg(&path).assert().success();
    let bytes = std::fs::read(&path).unwrap();
    let truncated = dir.path().join("truncated.db");
    std::fs::write(&truncated, &bytes[..bytes.len() / 3]).unwrap();
    outpost()
        .args(["mailbox", "check"])
        .arg(&truncated)
        .assert()
        .code(1)
        .stdout(contains("damaged"))
        .stderr(contains("truncated.db is damaged"));
    let output = outpost().args(["--json", "mailbox", "check"]).arg(&truncated).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(!report["problems"].as_array().unwrap().is_empty());
}

#[test]
fn info_on_a_file_that_is_not_a_mailbox_is_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.txt");
    std::fs::write(&path, "hello").unwrap();
    outpost()
        .args(["mailbox", "info"])
        .arg(&path)
        .assert()
        .code(2)
        .stderr(contains("not an Outpost mailbox"));
    assert_eq!(std::fs::read(&path).unwrap(), b"hello");
}

#[test]
fn create_refuses_an_existing_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.db");
    std::fs::write(&path, "keep").unwrap();
    outpost()
        .args(["mailbox", "create"])
        .arg(&path)
        .assert()
        .code(1)
        .stderr(contains("already exists"));
    assert_eq!(std::fs::read(&path).unwrap(), b"keep");
}
