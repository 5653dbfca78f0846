//! Application and NameSpace: logon rules, first use, profiles, stores in the profile.

mod common;

use common::Fixture;
use mapi::ErrorCode;
use session::{OlDefaultFolders, OlExchangeStoreType, StoreKind};

#[test]
fn first_logon_creates_profile_outlook_with_one_embedded_mailbox_and_nothing_else() {
    let fx = Fixture::new();
    assert_eq!(fx.app.default_profile_name().unwrap(), "");
    let ns = fx.logged_on();
    assert_eq!(ns.current_profile_name(), "Outlook");
    assert_eq!(fx.app.default_profile_name().unwrap(), "Outlook");
    let stores = ns.stores().unwrap();
    assert_eq!(stores.len(), 1);
    let store = &stores[0];
    assert_eq!(store.kind(), StoreKind::Embedded);
    assert!(store.is_data_file_store());
    assert_eq!(store.exchange_store_type(), OlExchangeStoreType::NotExchange);
    let mailbox = store.file_path().unwrap().to_owned();
    assert!(mailbox.starts_with(fx.home.path().join("data")), "{}", mailbox.display());
    // The mailbox file is the only thing written to the data directory.
    let mut data_files = Vec::new();
    for entry in walk(&fx.home.path().join("data")) {
        data_files.push(entry);
    }
    data_files.retain(|p| {
        !p.to_string_lossy().ends_with("-wal") && !p.to_string_lossy().ends_with("-shm")
    });
    assert_eq!(data_files, vec![mailbox]);
    let user = ns.current_user().unwrap();
    assert!(user.resolved);
    assert!(user.address.as_deref().unwrap().ends_with("@localhost"));
    let entry_id = mapi::EntryId::from_hex(user.entry_id.as_deref().unwrap()).unwrap();
    assert!(matches!(entry_id, mapi::EntryId::OneOff(_)));
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() { out.extend(walk(&path)) } else { out.push(path) }
    }
    out
}

#[test]
fn get_namespace_accepts_only_mapi() {
    let fx = Fixture::new();
    assert!(fx.app.get_namespace("mapi").is_ok());
    let err = fx.app.get_namespace("LDAP").unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidParameter);
    assert!(err.to_string().contains("\"MAPI\""), "{err}");
    assert_eq!(fx.app.session().namespace_type(), "MAPI");
    assert!(fx.app.version().starts_with("16."));
}

#[test]
fn an_unknown_profile_is_logon_failed_naming_the_existing_ones() {
    let fx = Fixture::new();
    fx.logged_on().logoff();
    let err = fx.app.session().logon(Some("Work"), None, false, false).unwrap_err();
    assert_eq!(err.code(), ErrorCode::LogonFailed);
    let text = err.to_string();
    assert!(text.contains("Work") && text.contains("Outlook"), "{text}");
}

#[test]
fn a_second_logon_keeps_the_session_unless_a_new_session_is_asked_for() {
    let fx = Fixture::new();
    fx.app.create_profile("Outlook").unwrap();
    fx.app.create_profile("Work").unwrap();
    let ns = fx.logged_on();
    ns.logon(Some("Work"), None, true, false).unwrap();
    assert_eq!(ns.current_profile_name(), "Outlook");
    ns.logon(Some("Work"), Some("ignored"), false, true).unwrap();
    assert_eq!(ns.current_profile_name(), "Work");
    // Several sessions side by side.
    let other = fx.app.new_session();
    other.logon(Some("Outlook"), None, false, false).unwrap();
    assert_eq!(other.current_profile_name(), "Outlook");
    assert_eq!(ns.current_profile_name(), "Work");
    fx.app.quit();
    assert!(!ns.is_logged_on() && !other.is_logged_on());
}

#[test]
fn touching_a_default_folder_logs_on_to_the_default_profile() {
    let fx = Fixture::new();
    let ns = fx.app.session();
    let inbox = ns.get_default_folder(OlDefaultFolders::Inbox).unwrap();
    assert_eq!(inbox.name().unwrap(), "Inbox");
    assert_eq!(ns.current_profile_name(), "Outlook");
}

#[test]
fn profiles_are_created_listed_deleted_and_defaulted() {
    let fx = Fixture::new();
    fx.app.create_profile("Home").unwrap();
    fx.app.create_profile("Work").unwrap();
    assert_eq!(fx.app.default_profile_name().unwrap(), "Home");
    fx.app.set_default_profile("work").unwrap();
    assert_eq!(fx.app.default_profile_name().unwrap(), "Work");
    let err = fx.app.create_profile("home").unwrap_err();
    assert_eq!(err.code(), ErrorCode::Collision);
    let refused = fx.app.delete_profile("work").unwrap_err();
    assert_eq!(refused.code(), ErrorCode::InvalidParameter);
    assert!(refused.to_string().contains("--force") && refused.to_string().contains("Home"));
    let removed = fx.app.force_delete_profile("Work").unwrap();
    let file = removed.stores[0].path.clone().unwrap();
    assert!(file.exists(), "deleting a profile keeps its mailbox file");
    assert_eq!(fx.app.default_profile_name().unwrap(), "");
    assert_eq!(fx.app.profiles().unwrap().names(), ["Home"]);
}

#[test]
fn added_stores_stay_in_the_profile_and_removal_keeps_the_file() {
    let fx = Fixture::new();
    let ns = fx.logged_on();
    let path = fx.extra_mailbox("Archive");
    let store = ns.add_store(&path).unwrap();
    assert_eq!(store.display_name(), "Archive");
    // Adding it again returns the same store.
    assert_eq!(ns.add_store(&path).unwrap().store_id(), store.store_id());
    assert_eq!(ns.stores().unwrap().len(), 2);

    let later = fx.app.new_session();
    later.logon(None, None, false, false).unwrap();
    let names: Vec<String> =
        later.stores().unwrap().iter().map(|s| s.display_name().to_owned()).collect();
    assert_eq!(names.len(), 2);
    assert!(names.contains(&"Archive".to_owned()));
    assert!(later.stores().unwrap()[0].display_name().starts_with("Mailbox - "));

    let root = later.find_store("archive").unwrap().root_folder().unwrap();
    later.remove_store(&root).unwrap();
    assert_eq!(later.stores().unwrap().len(), 1);
    assert!(path.exists());
    let again = fx.app.new_session();
    assert_eq!(again.stores().unwrap().len(), 1);

    let default = again.default_store().unwrap();
    let err = again.remove_store_by(&default).unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidParameter);
}

#[test]
fn a_store_is_found_by_name_store_id_or_path() {
    let fx = Fixture::new();
    let ns = fx.logged_on();
    let path = fx.extra_mailbox("Archive");
    let store = ns.add_store(&path).unwrap();
    assert_eq!(ns.find_store("ARCHIVE").unwrap().store_id(), store.store_id());
    assert_eq!(ns.find_store(&store.store_id()).unwrap().display_name(), "Archive");
    assert_eq!(ns.find_store(path.to_str().unwrap()).unwrap().display_name(), "Archive");
    assert_eq!(ns.get_store_from_id(&store.store_id()).unwrap().display_name(), "Archive");
    let err = ns.find_store("Nowhere").unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound);
    // The store ID is a wrapped store entry ID that names the file.
    let parsed = mapi::EntryId::from_hex(&store.store_id()).unwrap();
    let mapi::EntryId::StoreObject(wrapped) = parsed else { panic!("not a store ID") };
    assert_eq!(wrapped.dll_name, session::store::EMBEDDED_STORE_DLL);
    assert_eq!(wrapped.wrapped_provider_uid(), Some(store.provider_uid()));
}

#[test]
fn a_file_that_is_no_store_is_refused_and_a_missing_pst_cannot_be_created_yet() {
    let fx = Fixture::new();
    let ns = fx.logged_on();
    let junk = fx.home.path().join("junk.pst");
    std::fs::write(&junk, b"not a pst at all").unwrap();
    let err = ns.add_store(&junk).unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidParameter);
    assert!(err.to_string().contains("!BDN"), "{err}");
    let err = ns.add_store(&fx.home.path().join("new.pst")).unwrap_err();
    assert_eq!(err.code(), ErrorCode::NoSupport);
    assert_eq!(ns.stores().unwrap().len(), 1);
}

#[test]
fn accounts_are_one_per_mailbox() {
    let fx = Fixture::new();
    assert!(fx.app.session().accounts().is_empty());
    let ns = fx.logged_on();
    let accounts = ns.accounts();
    assert_eq!(accounts.len(), 1);
    assert!(accounts[0].smtp_address.ends_with("@localhost"));
    assert_eq!(accounts[0].delivery_store, ns.default_store().unwrap().display_name());
}

#[test]
fn recipients_resolve_against_contacts_and_smtp_addresses() {
    let fx = Fixture::new();
    let ns = fx.logged_on();
    let contacts = ns.get_default_folder(OlDefaultFolders::Contacts).unwrap();
    let contact = contacts.create_item(None).unwrap();
    assert_eq!(contact.message_class(), "IPM.Contact");
    contact
        .set(mapi::catalog::tags::PidTagDisplayName, mapi::PropValue::String("Jane Doe".into()))
        .unwrap();
    let session::TypedItem::Contact(typed) = contact.clone().typed() else {
        panic!("not a contact")
    };
    typed.set_email1_address("jane@example.org").unwrap();
    contact.save().unwrap();

    let mut jane = ns.create_recipient("jane doe").unwrap();
    assert!(!jane.resolved);
    assert!(ns.resolve(&mut jane).unwrap());
    assert_eq!(jane.name, "Jane Doe");
    assert_eq!(jane.address.as_deref(), Some("jane@example.org"));
    assert!(jane.entry_id.is_some());

    let mut nobody = ns.create_recipient("Nobody Known").unwrap();
    assert!(!ns.resolve(&mut nobody).unwrap());
    let mut smtp = ns.create_recipient("bob@example.net").unwrap();
    assert!(ns.resolve(&mut smtp).unwrap());
    assert_eq!(smtp.address_type.as_deref(), Some("SMTP"));
    assert_eq!(ns.create_recipient("  ").unwrap_err().code(), ErrorCode::InvalidParameter);
}

#[test]
fn session_handles_are_send_and_sync() {
    fn assert_send_sync<T: Send + Sync + std::fmt::Debug>() {}
    assert_send_sync::<session::Application>();
    assert_send_sync::<session::NameSpace>();
    assert_send_sync::<session::Store>();
    assert_send_sync::<session::Folder>();
    assert_send_sync::<session::Items>();
    assert_send_sync::<session::Item>();
    assert_send_sync::<session::TypedItem>();
    assert_send_sync::<session::SessionError>();
}

#[test]
fn a_namespace_is_shared_across_threads() {
    let fx = Fixture::new();
    let ns = fx.logged_on();
    let inbox = ns.get_default_folder(OlDefaultFolders::Inbox).unwrap();
    let id = common::saved_item(&inbox, None, "shared");
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let ns = ns.clone();
            let id = id.clone();
            std::thread::spawn(move || ns.get_item_from_id(&id, None).unwrap().subject().unwrap())
        })
        .collect();
    for handle in handles {
        assert_eq!(handle.join().unwrap().as_deref(), Some("shared"));
    }
}

#[test]
fn a_missing_extra_store_is_listed_as_unavailable_but_a_missing_default_store_fails_logon() {
    let fx = Fixture::new();
    let ns = fx.logged_on();
    let path = fx.extra_mailbox("Gone");
    ns.add_store(&path).unwrap();
    ns.logoff();
    std::fs::remove_file(&path).unwrap();
    ns.logon(None, None, false, false).unwrap();
    assert_eq!(ns.stores().unwrap().len(), 1);
    let unavailable = ns.unavailable_stores();
    assert_eq!(unavailable.len(), 1);
    assert_eq!(unavailable[0].config.display_name, "Gone");
    assert!(unavailable[0].error.message.contains("Gone.mailbox"), "{}", unavailable[0].error);

    let default = ns.default_store().unwrap().file_path().unwrap().to_owned();
    ns.logoff();
    std::fs::remove_file(&default).unwrap();
    let err = ns.logon(None, None, false, false).unwrap_err();
    assert_eq!(err.code(), ErrorCode::LogonFailed);
    assert!(err.to_string().contains("default store"), "{err}");
}

#[test]
fn names_that_used_to_share_a_mailbox_file_get_one_each() {
    let fx = Fixture::new();
    let mailbox = |name: &str| {
        let profile = fx.app.create_profile(name).unwrap();
        profile.stores[0].path.clone().unwrap()
    };
    let names = ["a/b", "a_b", "a b", "a%2Fb", ".hidden", "Ünïcode", "a:b"];
    let files: Vec<_> = names.iter().map(|name| mailbox(name)).collect();
    let distinct: std::collections::BTreeSet<_> = files.iter().collect();
    assert_eq!(distinct.len(), names.len(), "{files:?}");
    let dir = fx.home.path().join("data/mailboxes");
    for file in &files {
        assert_eq!(file.parent(), Some(dir.as_path()), "{}", file.display());
        let name = file.file_name().unwrap().to_string_lossy();
        assert!(!name.starts_with('.'), "hidden mailbox file {name}");
    }
    assert_eq!(files[1], dir.join("a_b.mailbox"), "plain names keep their plain file name");

    // An item saved in one profile is not seen in the other.
    let first = fx.app.new_session();
    first.logon(Some("a/b"), None, false, false).unwrap();
    let inbox = first.get_default_folder(session::OlDefaultFolders::Inbox).unwrap();
    common::saved_item(&inbox, None, "only in a/b");
    let second = fx.app.new_session();
    second.logon(Some("a_b"), None, false, false).unwrap();
    let other = second.get_default_folder(session::OlDefaultFolders::Inbox).unwrap();
    assert_eq!(other.items().count().unwrap(), 0);

    // A very long name still makes a file name the file system takes, and stays distinct.
    let long_a = "x".repeat(250) + "a";
    let long_b = "x".repeat(250) + "b";
    assert_ne!(mailbox(&long_a), mailbox(&long_b));
}

#[test]
fn a_mailbox_file_an_existing_profile_uses_is_never_handed_to_a_new_one() {
    // Older versions mapped "a/b" to a_b.mailbox; that profile must keep its file alone.
    let fx = Fixture::new();
    let legacy = fx.app.create_profile("a/b").unwrap().stores[0].path.clone().unwrap();
    let old_name = legacy.with_file_name("a_b.mailbox");
    std::fs::rename(&legacy, &old_name).unwrap();
    let registry = session::ProfileRegistry::new(&session::OutpostPaths::under(fx.home.path()));
    registry
        .update(|set| {
            set.get_mut("a/b").unwrap().stores[0].path = Some(old_name.clone());
            Ok(())
        })
        .unwrap();
    let new = fx.app.create_profile("a_b").unwrap().stores[0].path.clone().unwrap();
    assert_ne!(new, old_name);
    assert!(new.exists());
}

#[test]
fn a_refused_profile_name_leaves_nothing_on_disk() {
    let fx = Fixture::new();
    for bad in ["", "   ", "tab\there"] {
        let err = fx.app.create_profile(bad).unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidParameter, "{bad:?}: {err}");
    }
    let data = fx.home.path().join("data");
    let left: Vec<_> = if data.exists() { walk(&data) } else { Vec::new() };
    assert!(left.is_empty(), "left behind: {left:?}");
    assert!(fx.app.profiles().unwrap().profiles.is_empty());
}

#[test]
fn the_default_profile_is_deleted_only_with_force() {
    let fx = Fixture::new();
    fx.logged_on();
    let err = fx.app.delete_profile("Outlook").unwrap_err();
    assert!(
        err.to_string().contains("only profile") && err.to_string().contains("--force"),
        "{err}"
    );
    assert_eq!(fx.app.profiles().unwrap().names(), ["Outlook"]);
    fx.app.force_delete_profile("outlook").unwrap();
    assert!(fx.app.profiles().unwrap().profiles.is_empty());
    // A profile that is not the default goes without --force.
    fx.app.create_profile("Home").unwrap();
    fx.app.create_profile("Work").unwrap();
    fx.app.delete_profile("Work").unwrap();
}

#[test]
fn an_unavailable_store_is_removed_by_name_or_path() {
    let fx = Fixture::new();
    let ns = fx.logged_on();
    let by_name = fx.extra_mailbox("GoneByName");
    let by_path = fx.extra_mailbox("GoneByPath");
    ns.add_store(&by_name).unwrap();
    ns.add_store(&by_path).unwrap();
    ns.logoff();
    std::fs::remove_file(&by_name).unwrap();
    std::fs::remove_file(&by_path).unwrap();
    ns.logon(None, None, false, false).unwrap();
    assert_eq!(ns.unavailable_stores().len(), 2);
    ns.remove_unavailable_store("gonebyname").unwrap();
    ns.remove_unavailable_store(by_path.to_str().unwrap()).unwrap();
    assert!(ns.unavailable_stores().is_empty());
    let err = ns.remove_unavailable_store("GoneByName").unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound);
    // Gone from the profile too: the next logon does not list them.
    ns.logoff();
    ns.logon(None, None, false, false).unwrap();
    assert!(ns.unavailable_stores().is_empty());
    let profile = fx.app.profiles().unwrap();
    assert_eq!(profile.get("Outlook").unwrap().stores.len(), 1);
}
