//! Session commands through the per-user instance (the default) behave exactly as in-process.

mod common;

use common::Home;
use std::path::Path;

/// The standard output of a command that must succeed.
fn stdout(home: &Home, args: &[&str]) -> String {
    let output = home.command(args).output().unwrap();
    assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn the_instance_prints_exactly_what_the_command_prints_in_process() {
    let home = Home::new();
    let created = stdout(&home, &["item", "create", "inbox", "--subject", "Hello", "--json"]);
    let created: serde_json::Value = serde_json::from_str(&created).unwrap();
    let entry_id = created["entry_id"].as_str().expect("created item has an entry ID").to_owned();
    let commands: Vec<Vec<&str>> = vec![
        vec!["logon"],
        vec!["stores"],
        vec!["folders", "--depth", "1"],
        vec!["default-folder", "inbox"],
        vec!["items", "inbox"],
        vec!["item", "get", &entry_id],
        vec!["compare-ids", &entry_id, &entry_id],
    ];
    for command in commands {
        for json in [true, false] {
            let mut args = command.clone();
            if json {
                args.push("--json");
            }
            let through_instance = stdout(&home, &args);
            args.push("--no-instance");
            let in_process = stdout(&home, &args);
            assert_eq!(through_instance, in_process, "{args:?}");
        }
    }
    let status: serde_json::Value =
        serde_json::from_str(&stdout(&home, &["instance", "status", "--json"])).unwrap();
    assert_eq!(status["session"]["sessions"][0]["profile"], "Outlook");
}

#[test]
fn errors_through_the_instance_keep_their_code_and_exit_status() {
    let home = Home::new();
    let output = home.command(&["item", "get", "00", "--json"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let error: serde_json::Value = serde_json::from_slice(&output.stderr).unwrap();
    assert_eq!(error["code"], "MAPI_E_INVALID_ENTRYID");
    let output = home.command(&["items", "no-such-folder"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
}

#[test]
fn a_relative_path_means_the_callers_directory_not_the_instances() {
    let home = Home::new();
    stdout(&home, &["logon"]);
    let work = tempfile::tempdir().unwrap();
    let corpus =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/pst/aspose-Outlook.pst");
    std::fs::copy(&corpus, work.path().join("mine.pst")).unwrap();
    let output = home
        .command(&["store", "add", "mine.pst", "--json"])
        .current_dir(work.path())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let items = home
        .command(&["items", "inbox", "--store", "mine.pst", "--json"])
        .current_dir(work.path())
        .output()
        .unwrap();
    assert!(items.status.success(), "{}", String::from_utf8_lossy(&items.stderr));
    let stores = stdout(&home, &["stores", "--json"]);
    let expected = work.path().join("mine.pst").display().to_string();
    assert!(stores.contains(&expected), "{stores}");
}

#[test]
fn logoff_ends_the_instances_session_and_status_shows_who_is_logged_on() {
    let home = Home::new();
    stdout(&home, &["logon"]);
    stdout(&home, &["profile", "create", "Work"]);
    stdout(&home, &["logon"]);
    stdout(&home, &["logon", "--profile", "work"]);
    let status: serde_json::Value =
        serde_json::from_str(&stdout(&home, &["instance", "status", "--json"])).unwrap();
    assert_eq!(status["logged_on"], serde_json::json!(["Outlook", "Work"]), "{status}");
    let text = stdout(&home, &["instance", "status"]);
    assert!(text.contains("logged on: Outlook, Work"), "{text}");

    let off: serde_json::Value =
        serde_json::from_str(&stdout(&home, &["logoff", "--profile", "WORK", "--json"])).unwrap();
    assert_eq!(off["logged_off"], serde_json::json!(["Work"]), "{off}");
    let status: serde_json::Value =
        serde_json::from_str(&stdout(&home, &["instance", "status", "--json"])).unwrap();
    assert_eq!(status["logged_on"], serde_json::json!(["Outlook"]), "{status}");
    assert!(stdout(&home, &["logoff"]).contains("logged off Outlook"));
    assert!(stdout(&home, &["logoff"]).contains("not logged on"));
    let status: serde_json::Value =
        serde_json::from_str(&stdout(&home, &["instance", "status", "--json"])).unwrap();
    assert_eq!(status["logged_on"], serde_json::json!([]), "{status}");
    // The next command logs on again.
    assert!(stdout(&home, &["logon", "--json"]).contains("\"Outlook\""));

    let in_process = stdout(&home, &["--no-instance", "logoff"]);
    assert!(in_process.contains("nothing to do"), "{in_process}");
}
