//! The same code runs against the in-process `NameSpace` and against `RemoteSession`, the
//! instance's session over the socket (`service::OutlookSession`).

use mapi::{ErrorCode, OlDefaultFolders};
use service::{InstancePaths, OutlookSession, RemoteSession};
use session::{Application, OutpostPaths};
use std::path::{Path, PathBuf};
use std::process::Command;

fn outpost(home: &Path, args: &[&str]) -> std::process::Output {
    Command::new(PathBuf::from(env!("CARGO_BIN_EXE_outpost")))
        .env("OUTPOST_HOME", home)
        .env("USER", "robin")
        .env("OUTPOST_INSTANCE_IDLE_SECONDS", "5")
        .args(args)
        .output()
        .unwrap()
}

/// What a program might do; it only knows the trait.
fn create_find_and_delete(session: &dyn OutlookSession) -> Vec<String> {
    let mut seen = Vec::new();
    seen.push(session.logon(None).unwrap());
    let stores = session.stores().unwrap();
    assert!(stores[0].default, "the default store comes first: {stores:?}");
    seen.push(stores[0].display_name.clone());
    let inbox = session.default_folder(OlDefaultFolders::Inbox).unwrap();
    seen.push(inbox.name.clone());
    let id =
        session.create_item("inbox", "-- dashes are a subject, not an option", Some("b")).unwrap();
    let item = session.get_item_from_id(&id).unwrap();
    assert_eq!(item.entry_id, id);
    seen.push(item.subject.clone().unwrap());
    seen.push(item.message_class.clone().unwrap());
    let listed = session.items(&inbox.folder_path).unwrap();
    assert!(listed.iter().any(|i| i.entry_id == id), "{listed:?}");
    let moved = session.delete_item(&id).unwrap().expect("moved to Deleted Items");
    assert_eq!(session.get_item_from_id(&moved).unwrap().subject, item.subject);
    let gone = session.get_item_from_id(&id).unwrap_err();
    seen.push(gone.code.name());
    let bad = session.get_item_from_id("not hex").unwrap_err();
    assert_eq!(bad.code, ErrorCode::InvalidEntryId, "{bad}");
    seen
}

#[test]
fn the_same_code_gives_the_same_answers_in_process_and_attached_to_the_instance() {
    let local_home = tempfile::tempdir().unwrap();
    let app = Application::new(OutpostPaths::under(local_home.path()));
    let in_process = create_find_and_delete(&app.session());

    let remote_home = tempfile::tempdir().unwrap();
    let started = outpost(remote_home.path(), &["instance", "start", "--json"]);
    assert!(started.status.success(), "{}", String::from_utf8_lossy(&started.stderr));
    let remote =
        RemoteSession::connect(&InstancePaths::new(&remote_home.path().join("run"))).unwrap();
    let attached = create_find_and_delete(&remote);
    let _ = outpost(remote_home.path(), &["instance", "stop"]);

    // The OS user name differs (USER=robin for the instance), so the store name is compared
    // by its shape.
    assert_eq!(in_process.len(), attached.len());
    assert!(attached[1].starts_with("Mailbox - "), "{attached:?}");
    for index in [0, 2, 3, 4, 5] {
        assert_eq!(in_process[index], attached[index], "step {index}");
    }
}
