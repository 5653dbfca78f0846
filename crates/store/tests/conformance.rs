//! The shared conformance suite, run against the embedded mailbox store.

use mapi::provider::MessageStore;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;
use store::{CreateOptions, Mailbox};

/// Mailboxes in a temporary directory, found again by their provider UID.
struct Embedded {
    dir: tempfile::TempDir,
    paths: Mutex<HashMap<mapi::Guid, PathBuf>>,
}

impl Embedded {
    fn new() -> Embedded {
        Embedded {
            dir: tempfile::tempdir().expect("a temporary directory"),
            paths: Mutex::new(HashMap::new()),
        }
    }

    fn path_of(&self, store: &dyn MessageStore) -> PathBuf {
        self.paths.lock().expect("paths")[&store.provider_uid()].clone()
    }
}

impl conformance::Backend for Embedded {
    fn create_empty(&self) -> Box<dyn MessageStore> {
        let mut paths = self.paths.lock().expect("paths");
        let path = self.dir.path().join(format!("mailbox-{}.db", paths.len()));
        let options =
            CreateOptions { display_name: Some("Conformance".into()), ..Default::default() };
        let mailbox = Mailbox::create(&path, &options).expect("creating a mailbox");
        paths.insert(mailbox.mailbox_guid(), path);
        Box::new(mailbox)
    }

    fn reopen(&self, store: Box<dyn MessageStore>) -> Box<dyn MessageStore> {
        let path = self.path_of(store.as_ref());
        drop(store);
        Box::new(Mailbox::open(&path).expect("reopening the mailbox"))
    }

    fn open_another(&self, store: &dyn MessageStore) -> Box<dyn MessageStore> {
        Box::new(Mailbox::open(&self.path_of(store)).expect("opening a second handle"))
    }
}

conformance::conformance_tests!(Embedded::new());
