//! Files that are not healthy mailboxes: a clear error, never a panic, never a write.

use mapi::provider::{FolderKind, MessageStore, PropertyObject, SpecialFolder};
use mapi::{ErrorCode, PropTag, PropType, PropValue, TaggedValue};
use std::path::{Path, PathBuf};
use store::{CreateOptions, Mailbox, StoreError, check};

const SUBJECT: PropTag = PropTag::new(0x0037, PropType::String);

fn new_mailbox(dir: &Path) -> PathBuf {
    let path = dir.join("m.db");
    Mailbox::create(&path, &CreateOptions::default()).expect("create");
    path
}

/// The file's bytes, and the names of every file in its directory (WAL and SHM files would
/// show a write).
fn snapshot(path: &Path) -> (Vec<u8>, Vec<String>) {
    let bytes = std::fs::read(path).expect("read file");
    let mut names: Vec<String> = std::fs::read_dir(path.parent().expect("parent"))
        .expect("list dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    (bytes, names)
}

fn assert_untouched(path: &Path, before: &(Vec<u8>, Vec<String>)) {
    let after = snapshot(path);
    assert!(after.0 == before.0, "the file's bytes changed");
    assert_eq!(after.1, before.1, "files appeared or vanished beside it");
}

#[test]
fn a_text_file_is_not_a_mailbox_and_is_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.txt");
    std::fs::write(&path, "Dear diary, this is not SQLite.\n".repeat(200)).unwrap();
    let before = snapshot(&path);
    let err = Mailbox::open(&path).unwrap_err();
    assert!(matches!(err, StoreError::NotAMailbox { .. }), "{err}");
    assert!(err.to_string().contains("not an SQLite database"), "{err}");
    assert!(check(&path).is_err(), "check refuses it too");
    assert_untouched(&path, &before);
}

#[test]
fn an_empty_file_is_not_a_mailbox_and_stays_empty() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.db");
    std::fs::write(&path, b"").unwrap();
    let before = snapshot(&path);
    let err = Mailbox::open(&path).unwrap_err();
    assert!(matches!(err, StoreError::NotAMailbox { .. }), "{err}");
    assert_eq!(mapi::MapiError::from(err).code, ErrorCode::Unconfigured);
    assert_untouched(&path, &before);
}

#[test]
fn another_applications_sqlite_database_is_not_a_mailbox() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.sqlite");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE songs (title TEXT); INSERT INTO songs VALUES ('x');")
            .unwrap();
    }
    let before = snapshot(&path);
    let err = Mailbox::open(&path).unwrap_err();
    assert!(err.to_string().contains("application_id"), "{err}");
    assert_untouched(&path, &before);
}

#[test]
fn a_newer_schema_is_refused_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = new_mailbox(dir.path());
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", store::SCHEMA_VERSION + 1).unwrap();
        conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
    }
    let before = snapshot(&path);
    let err = Mailbox::open(&path).unwrap_err();
    assert!(
        matches!(err, StoreError::NewerSchema { found, .. } if found == store::SCHEMA_VERSION + 1),
        "{err}"
    );
    assert!(err.to_string().contains("upgrade Outpost"), "{err}");
    assert_eq!(mapi::MapiError::from(err).code, ErrorCode::Version);
    assert!(matches!(check(&path), Err(StoreError::NewerSchema { .. })));
    assert_untouched(&path, &before);
}

#[test]
fn a_truncated_mailbox_is_reported_damaged_without_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let path = new_mailbox(dir.path());
    {
        let mailbox = Mailbox::open(&path).unwrap();
        let inbox = mailbox
            .open_folder(&mailbox.special_folder_entry_id(SpecialFolder::Inbox).unwrap())
            .unwrap();
        for i in 0..300 {
            let message = inbox.create_message(false).unwrap();
            let body = "x".repeat(2048);
            message
                .set_props(&[
                    TaggedValue { tag: SUBJECT, value: PropValue::String(format!("m{i}")) },
                    TaggedValue {
                        tag: PropTag::new(0x1000, PropType::String),
                        value: PropValue::String(body),
                    },
                ])
                .unwrap();
            message.save_changes().unwrap();
        }
    }
    let full = std::fs::read(&path).unwrap();
    assert!(full.len() > 100_000, "the mailbox spans many pages");
    std::fs::write(&path, &full[..full.len() / 2]).unwrap();
    let report = check(&path).expect("check reads a truncated mailbox");
    assert!(!report.is_ok(), "a truncated mailbox is not healthy");
    assert!(!report.problems.is_empty());
    // Opening either fails with a clear error or opens; reading everything must not panic.
    if let Ok(mailbox) = Mailbox::open(&path) {
        let _ = mailbox.info();
    }
}

#[test]
fn a_read_only_file_opens_read_only_and_refuses_writes() {
    let dir = tempfile::tempdir().unwrap();
    let path = new_mailbox(dir.path());
    {
        let mailbox = Mailbox::open(&path).unwrap();
        let root = mailbox.root_folder().unwrap();
        root.create_folder("kept", FolderKind::Generic, false).unwrap();
    }
    let mut permissions = std::fs::metadata(&path).unwrap().permissions();
    permissions.set_readonly(true);
    std::fs::set_permissions(&path, permissions).unwrap();
    let before = snapshot(&path);
    let mailbox = Mailbox::open(&path).expect("a read-only file opens");
    assert!(mailbox.is_read_only());
    assert!(!mailbox.is_writable());
    let root = mailbox.root_folder().unwrap();
    let err = root.create_folder("new", FolderKind::Generic, false).unwrap_err();
    assert_eq!(err.code, ErrorCode::NoAccess);
    let err = mailbox
        .set_props(&[TaggedValue { tag: SUBJECT, value: PropValue::String("x".into()) }])
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::NoAccess);
    assert!(mailbox.info().unwrap().folders.iter().any(|f| f.path.ends_with("\\kept")));
    assert!(check(&path).unwrap().is_ok());
    drop((root, mailbox));
    assert_eq!(snapshot(&path).0, before.0, "the read-only file's bytes did not change");
}

#[test]
fn a_missing_file_is_an_io_error_naming_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nowhere.db");
    let err = Mailbox::open(&path).unwrap_err();
    assert!(matches!(err, StoreError::Io { .. }), "{err}");
    assert!(err.to_string().contains("nowhere.db"), "{err}");
    assert!(!path.exists(), "opening does not create a file");
}

#[test]
fn create_refuses_to_overwrite_an_existing_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("precious.db");
    std::fs::write(&path, b"keep me").unwrap();
    let err = Mailbox::create(&path, &CreateOptions::default()).unwrap_err();
    assert!(matches!(err, StoreError::AlreadyExists { .. }), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), b"keep me");
}

#[test]
fn a_new_mailbox_passes_its_check_and_names_its_owner() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dan.db");
    let options = CreateOptions {
        owner_address: Some("dan@example.com".into()),
        owner_name: Some("Dan Wilson".into()),
        ..Default::default()
    };
    let mailbox = Mailbox::create(&path, &options).unwrap();
    let info = mailbox.info().unwrap();
    assert_eq!(info.display_name, "Mailbox - Dan Wilson");
    assert_eq!(info.folder_count, SpecialFolder::ALL.len() as i64);
    let report = check(&path).unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
}
