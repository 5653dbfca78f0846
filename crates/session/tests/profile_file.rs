//! profiles.toml on disk: persistence, concurrent writers, refusal of newer formats.

use session::profile::{Profile, ProfileRegistry, StoreConfig, StoreKind, UserIdentity};
use session::{OutpostPaths, SessionError};
use std::sync::Arc;

fn profile(name: &str) -> Profile {
    Profile {
        name: name.to_owned(),
        user: UserIdentity { display_name: name.into(), address: format!("{name}@example.org") },
        default_store: Some("main".into()),
        stores: vec![StoreConfig {
            key: "main".into(),
            kind: StoreKind::Embedded,
            display_name: format!("{name} mailbox"),
            path: Some(format!("/data/{name}.db").into()),
            url: None,
            password: None,
        }],
    }
}

#[test]
fn profiles_persist_across_registry_instances() {
    let home = tempfile::tempdir().unwrap();
    let paths = OutpostPaths::under(home.path());
    ProfileRegistry::new(&paths).update(|set| set.add(profile("Outlook"))).unwrap();
    let reloaded = ProfileRegistry::new(&paths).load().unwrap();
    assert_eq!(reloaded.profiles, vec![profile("Outlook")]);
    assert_eq!(reloaded.default_profile.as_deref(), Some("Outlook"));
    assert_eq!(
        reloaded.resolve(None).unwrap().default_store().unwrap().display_name,
        "Outlook mailbox"
    );
}

#[test]
fn concurrent_writers_all_land() {
    let home = tempfile::tempdir().unwrap();
    let registry = Arc::new(ProfileRegistry::new(&OutpostPaths::under(home.path())));
    let writers: Vec<_> = (0..16)
        .map(|i| {
            let registry = Arc::clone(&registry);
            std::thread::spawn(move || {
                registry.update(|set| set.add(profile(&format!("p{i}")))).unwrap()
            })
        })
        .collect();
    for writer in writers {
        writer.join().unwrap();
    }
    let mut names = registry.load().unwrap().names();
    names.sort();
    let mut expected: Vec<String> = (0..16).map(|i| format!("p{i}")).collect();
    expected.sort();
    assert_eq!(names, expected);
}

#[test]
fn a_failed_change_writes_nothing() {
    let home = tempfile::tempdir().unwrap();
    let registry = ProfileRegistry::new(&OutpostPaths::under(home.path()));
    registry.update(|set| set.add(profile("Outlook"))).unwrap();
    let before = std::fs::read(registry.path()).unwrap();
    let err = registry.update(|set| set.add(profile("outlook"))).unwrap_err();
    assert!(matches!(err, SessionError::ProfileExists(_)));
    assert_eq!(std::fs::read(registry.path()).unwrap(), before);
}

#[test]
fn a_newer_format_is_refused_and_left_alone() {
    let home = tempfile::tempdir().unwrap();
    let registry = ProfileRegistry::new(&OutpostPaths::under(home.path()));
    std::fs::create_dir_all(registry.path().parent().unwrap()).unwrap();
    std::fs::write(registry.path(), "version = 99\n").unwrap();
    let err = registry.update(|set| set.add(profile("Outlook"))).unwrap_err();
    assert!(err.to_string().contains("newer"), "{err}");
    assert_eq!(std::fs::read_to_string(registry.path()).unwrap(), "version = 99\n");
}

#[test]
fn a_garbled_file_is_reported_with_its_path() {
    let home = tempfile::tempdir().unwrap();
    let registry = ProfileRegistry::new(&OutpostPaths::under(home.path()));
    std::fs::create_dir_all(registry.path().parent().unwrap()).unwrap();
    std::fs::write(registry.path(), "this is [not toml").unwrap();
    let err = registry.load().unwrap_err();
    assert!(err.to_string().contains("profiles.toml"), "{err}");
    assert_eq!(err.to_mapi().code, mapi::ErrorCode::CorruptData);
}
