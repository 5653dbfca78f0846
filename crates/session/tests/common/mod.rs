//! Helpers shared by the session tests: each test gets its own OUTPOST_HOME.

#![allow(dead_code)]

use session::{Application, NameSpace, OutpostPaths};
use tempfile::TempDir;

pub struct Fixture {
    pub home: TempDir,
    pub app: Application,
}

impl Fixture {
    pub fn new() -> Fixture {
        let home = tempfile::tempdir().unwrap();
        let app = Application::new(OutpostPaths::under(home.path()));
        Fixture { home, app }
    }

    /// The application's namespace, logged on to the default profile.
    pub fn logged_on(&self) -> NameSpace {
        let ns = self.app.session();
        ns.logon(None, None, false, false).unwrap();
        ns
    }

    /// A second embedded mailbox file, not yet mounted.
    pub fn extra_mailbox(&self, name: &str) -> std::path::PathBuf {
        let path = self.home.path().join(format!("{name}.mailbox"));
        let options = store::CreateOptions {
            display_name: Some(name.to_owned()),
            owner_address: None,
            owner_name: None,
        };
        store::Mailbox::create(&path, &options).unwrap();
        path
    }
}

/// Saves a new item with this subject in `folder`; returns its entry ID (hex).
pub fn saved_item(folder: &session::Folder, class: Option<&str>, subject: &str) -> String {
    let item = folder.create_item(class).unwrap();
    item.set_subject(subject).unwrap();
    item.save().unwrap();
    item.entry_id().unwrap()
}
