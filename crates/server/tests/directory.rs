//! The server's user directory and authentication, through the public API.

use server::{ManualClock, ServerConfig, ServerData, ServerError};
use std::net::IpAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

const HOME: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(192, 0, 2, 1));
const AWAY: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(198, 51, 100, 7));

/// A data directory whose server.toml has the cheap test cost (argon2 m=64 KiB, t=1) and the
/// given limits, opened with a hand-moved clock.
fn server(dir: &Path, tweak: impl FnOnce(&mut ServerConfig)) -> (ServerData, Arc<ManualClock>) {
    std::fs::create_dir_all(dir).unwrap();
    let mut config = ServerConfig::for_tests();
    tweak(&mut config);
    config.save(&dir.join(server::CONFIG_FILE)).unwrap();
    let clock =
        Arc::new(ManualClock::new(SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000)));
    let data = ServerData::open_or_create(dir).unwrap().with_clock(clock.clone());
    (data, clock)
}

fn stored_hash(dir: &Path, name: &str) -> String {
    let conn = rusqlite::Connection::open(dir.join(server::DIRECTORY_FILE)).unwrap();
    conn.query_row("SELECT password_hash FROM users WHERE name = ?1", [name], |r| r.get(0)).unwrap()
}

#[test]
fn a_new_directory_gets_production_defaults_and_an_existing_config_is_kept() {
    let temp = tempfile::tempdir().unwrap();
    let fresh = temp.path().join("fresh");
    let data = ServerData::open_or_create(&fresh).unwrap();
    assert_eq!(data.config().argon2.memory_kib, 19 * 1024);
    assert_eq!(data.config().argon2.iterations, 2);
    assert_eq!(data.config().argon2.parallelism, 1);
    assert!(fresh.join("mailboxes").is_dir());
    let (data, _) = server(&temp.path().join("cheap"), |_| {});
    assert_eq!(data.config().argon2.memory_kib, 64);
    // Opening an absent directory without creating it names it.
    let err = ServerData::open(&temp.path().join("nothing")).unwrap_err();
    assert!(matches!(err, ServerError::NoServerData { .. }), "{err}");
    assert_eq!(err.to_mapi().code, mapi::ErrorCode::NotFound);
    // A config out of bounds is refused with the file's name.
    std::fs::write(fresh.join("server.toml"), "[argon2]\nmemory_kib = 1\n").unwrap();
    let err = ServerData::open(&fresh).unwrap_err();
    assert!(
        err.to_string().contains("server.toml") && err.to_string().contains("memory_kib"),
        "{err}"
    );
}

#[test]
fn users_are_added_with_a_phc_hash_and_a_mailbox_that_opens_as_a_store() {
    let temp = tempfile::tempdir().unwrap();
    let (data, _) = server(temp.path(), |c| c.mail_domain = "example.org".into());
    let alice = data.add_user("Alice", Some("Alice Liddell"), None, "rabbit hole").unwrap();
    assert_eq!(alice.address, "alice@example.org");
    assert_eq!(alice.display_name, "Alice Liddell");
    assert!(!alice.disabled);
    assert!(alice.created.starts_with("2023-11-14T"), "{}", alice.created);
    let bob = data.add_user("bob", None, Some("Bob@Example.net"), "builder").unwrap();
    assert_eq!(bob.display_name, "bob");

    let hash = stored_hash(temp.path(), "Alice");
    assert!(hash.starts_with("$argon2id$v=19$m=64,t=1,p=1$"), "{hash}");
    assert!(!hash.contains("rabbit"));
    assert!(server::password::verify_password(&hash, "rabbit hole").unwrap());

    let store = store::Mailbox::open(&alice.mailbox).unwrap();
    assert!(alice.mailbox.starts_with(temp.path().join("mailboxes")));
    let info = store.info().unwrap();
    assert!(info.display_name.contains("Alice Liddell"), "{}", info.display_name);
    assert!(info.folder_count > 5);

    let names: Vec<_> = data.list_users().unwrap().into_iter().map(|u| u.name).collect();
    assert_eq!(names, ["Alice", "bob"]);
    // A second handle (another process, later) sees the same users.
    let again = ServerData::open(temp.path()).unwrap();
    assert_eq!(again.user("ALICE").unwrap(), alice);
}

#[test]
fn duplicate_names_in_any_case_and_taken_addresses_are_collisions() {
    let temp = tempfile::tempdir().unwrap();
    let (data, _) = server(temp.path(), |_| {});
    data.add_user("alice", None, None, "pw").unwrap();
    let err = data.add_user("ALICE", None, None, "pw").unwrap_err();
    assert!(matches!(err, ServerError::UserExists { .. }), "{err}");
    assert_eq!(err.to_mapi().code, mapi::ErrorCode::Collision);
    let err = data.add_user("alice2", None, Some("ALICE@localhost"), "pw").unwrap_err();
    assert!(matches!(err, ServerError::AddressTaken { .. }), "{err}");
    for (name, display, address, password) in [
        ("bad name", None, None, "pw"),
        ("ok", Some(""), None, "pw"),
        ("ok", None, Some("no-at-sign"), "pw"),
        ("ok", None, None, ""),
    ] {
        let err = data.add_user(name, display, address, password).unwrap_err();
        assert!(err.is_bad_input(), "{err}");
        assert_eq!(err.to_mapi().code, mapi::ErrorCode::InvalidParameter, "{err}");
    }
    // Nothing of the refused adds is left behind.
    assert_eq!(data.list_users().unwrap().len(), 1);
    let mailboxes = std::fs::read_dir(temp.path().join("mailboxes"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().ends_with(".mailbox"))
        .count();
    assert_eq!(mailboxes, 1);
    for op in
        [data.disable_user("nobody"), data.enable_user("nobody"), data.set_password("nobody", "x")]
    {
        assert!(matches!(op, Err(ServerError::UserNotFound { .. })));
    }
}

#[test]
fn logon_issues_a_token_that_validates_and_logout_ends_it() {
    let temp = tempfile::tempdir().unwrap();
    let (data, _) = server(temp.path(), |_| {});
    data.add_user("Alice", None, None, "rabbit hole").unwrap();
    let token = data.authenticate("alice", "rabbit hole", HOME).unwrap();
    assert_eq!(data.validate(token.as_str()).unwrap().as_str(), "Alice");
    // The server holds the token's SHA-256, not the token.
    let sessions = data.sessions();
    assert_eq!(sessions.len(), 1);
    let raw: Vec<u8> = (0..32)
        .map(|i| u8::from_str_radix(&token.as_str()[i * 2..i * 2 + 2], 16).unwrap())
        .collect();
    use sha2::Digest;
    let expected: String = sha2::Sha256::digest(&raw).iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(sessions[0].token_sha256, expected);
    assert!(!format!("{sessions:?}").contains(token.as_str()));
    assert!(!format!("{data:?}").contains(token.as_str()));
    assert!(data.logout(token.as_str()));
    assert!(matches!(data.validate(token.as_str()), Err(ServerError::UnknownToken)));
    assert!(matches!(data.validate("not a token"), Err(ServerError::UnknownToken)));
}

#[test]
fn unknown_user_disabled_user_and_wrong_password_get_the_same_answer() {
    let temp = tempfile::tempdir().unwrap();
    let (data, _) = server(temp.path(), |_| {});
    data.add_user("alice", None, None, "rabbit hole").unwrap();
    data.add_user("carol", None, None, "secret").unwrap();
    data.disable_user("carol").unwrap();
    let answers: Vec<_> =
        [("alice", "wrong"), ("nobody", "rabbit hole"), ("carol", "secret"), ("alice", "")]
            .into_iter()
            .map(|(name, password)| data.authenticate(name, password, HOME).unwrap_err())
            .collect();
    for err in &answers {
        assert!(matches!(err, ServerError::LogonFailed), "{err}");
        assert_eq!(err.to_mapi(), answers[0].to_mapi());
        assert_eq!(err.to_mapi().code, mapi::ErrorCode::LogonFailed);
    }
    // Enabling again lets carol in.
    data.enable_user("carol").unwrap();
    assert!(data.authenticate("carol", "secret", HOME).is_ok());
}

#[test]
fn failures_per_user_block_that_user_until_the_window_passes() {
    let temp = tempfile::tempdir().unwrap();
    let (data, clock) = server(temp.path(), |c| {
        c.rate_limit.window_secs = 60;
        c.rate_limit.max_failures_per_user = 3;
        c.rate_limit.max_failures_per_address = 100;
    });
    data.add_user("alice", None, None, "rabbit hole").unwrap();
    data.add_user("bob", None, None, "builder").unwrap();
    for _ in 0..3 {
        assert!(matches!(data.authenticate("alice", "guess", HOME), Err(ServerError::LogonFailed)));
    }
    // Now even the right password is refused, from any address, without being checked.
    let err = data.authenticate("ALICE", "rabbit hole", AWAY).unwrap_err();
    assert!(matches!(err, ServerError::TooManyAttempts { .. }), "{err}");
    assert_eq!(err.to_mapi().code, mapi::ErrorCode::LogonFailed);
    assert!(err.to_string().contains("too many attempts, retry after 60 s"), "{err}");
    // Other users are not affected.
    assert!(data.authenticate("bob", "builder", HOME).is_ok());
    // Unknown names are limited the same way (the limiter does not reveal who exists).
    for _ in 0..3 {
        let _ = data.authenticate("ghost", "guess", HOME);
    }
    assert!(matches!(
        data.authenticate("ghost", "guess", HOME),
        Err(ServerError::TooManyAttempts { .. })
    ));
    clock.advance(Duration::from_secs(45));
    let err = data.authenticate("alice", "rabbit hole", HOME).unwrap_err();
    assert!(err.to_string().contains("retry after 15 s"), "{err}");
    clock.advance(Duration::from_secs(15));
    assert!(data.authenticate("alice", "rabbit hole", HOME).is_ok());
}

#[test]
fn failures_per_address_block_that_address_for_every_user() {
    let temp = tempfile::tempdir().unwrap();
    let (data, clock) = server(temp.path(), |c| {
        c.rate_limit.window_secs = 300;
        c.rate_limit.max_failures_per_user = 100;
        c.rate_limit.max_failures_per_address = 4;
    });
    data.add_user("alice", None, None, "rabbit hole").unwrap();
    // A success between failures does not reset the address's count.
    for name in ["u1", "u2"] {
        let _ = data.authenticate(name, "guess", AWAY);
    }
    assert!(data.authenticate("alice", "rabbit hole", AWAY).is_ok());
    for name in ["u3", "u4"] {
        let _ = data.authenticate(name, "guess", AWAY);
    }
    let err = data.authenticate("alice", "rabbit hole", AWAY).unwrap_err();
    assert!(matches!(err, ServerError::TooManyAttempts { .. }), "{err}");
    // Another address is served.
    assert!(data.authenticate("alice", "rabbit hole", HOME).is_ok());
    clock.advance(Duration::from_secs(300));
    assert!(data.authenticate("alice", "rabbit hole", AWAY).is_ok());
}

#[test]
fn tokens_expire_with_the_configured_lifetime() {
    let temp = tempfile::tempdir().unwrap();
    let (data, clock) = server(temp.path(), |c| c.token_lifetime_secs = 3600);
    data.add_user("alice", None, None, "rabbit hole").unwrap();
    let token = data.authenticate("alice", "rabbit hole", HOME).unwrap();
    clock.advance(Duration::from_secs(3599));
    assert!(data.validate(token.as_str()).is_ok());
    clock.advance(Duration::from_secs(1));
    let err = data.validate(token.as_str()).unwrap_err();
    assert!(matches!(err, ServerError::TokenExpired), "{err}");
    assert_eq!(err.to_mapi().code, mapi::ErrorCode::LogonFailed);
    assert!(data.sessions().is_empty(), "an expired session is forgotten");
}

#[test]
fn changing_the_password_or_disabling_ends_live_sessions_even_from_another_handle() {
    let temp = tempfile::tempdir().unwrap();
    let (data, _) = server(temp.path(), |_| {});
    data.add_user("alice", None, None, "old password").unwrap();
    data.add_user("bob", None, None, "builder").unwrap();
    let first = data.authenticate("alice", "old password", HOME).unwrap();
    let second = data.authenticate("alice", "old password", HOME).unwrap();
    let bobs = data.authenticate("bob", "builder", HOME).unwrap();
    // What `outpost server user passwd` does from another process.
    let admin = ServerData::open(temp.path()).unwrap();
    admin.set_password("alice", "new password").unwrap();
    for token in [&first, &second] {
        assert!(matches!(data.validate(token.as_str()), Err(ServerError::SessionEnded)));
    }
    assert!(data.validate(bobs.as_str()).is_ok(), "other users keep their sessions");
    assert!(matches!(
        data.authenticate("alice", "old password", HOME),
        Err(ServerError::LogonFailed)
    ));
    let third = data.authenticate("alice", "new password", HOME).unwrap();
    assert!(data.validate(third.as_str()).is_ok());
    admin.disable_user("alice").unwrap();
    assert!(matches!(data.validate(third.as_str()), Err(ServerError::SessionEnded)));
    // Enabling does not bring old sessions back.
    admin.enable_user("alice").unwrap();
    assert!(data.validate(third.as_str()).is_err());
}

#[test]
fn concurrent_adds_through_separate_handles_leave_a_consistent_directory() {
    let temp = tempfile::tempdir().unwrap();
    let (_, _) = server(temp.path(), |_| {});
    let dir = temp.path().to_owned();
    let threads: Vec<_> = (0..4)
        .map(|t| {
            let dir = dir.clone();
            std::thread::spawn(move || {
                let data = ServerData::open(&dir).unwrap();
                let mut added = 0;
                for i in 0..5 {
                    // Everyone also races for the shared name "common".
                    let name = if i == 0 { "common".to_owned() } else { format!("user{t}-{i}") };
                    match data.add_user(&name, None, None, "pw") {
                        Ok(_) => added += 1,
                        Err(ServerError::UserExists { .. }) if name == "common" => {}
                        Err(err) => panic!("{name}: {err}"),
                    }
                }
                added
            })
        })
        .collect();
    let added: usize = threads.into_iter().map(|t| t.join().unwrap()).sum();
    assert_eq!(added, 4 * 4 + 1);
    let data = ServerData::open(&dir).unwrap();
    let users = data.list_users().unwrap();
    assert_eq!(users.len(), added);
    let mut files: Vec<_> = std::fs::read_dir(dir.join("mailboxes"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".mailbox"))
        .collect();
    files.sort();
    assert_eq!(files.len(), users.len());
    for user in &users {
        store::Mailbox::open(&user.mailbox).unwrap();
    }
    let integrity: String = rusqlite::Connection::open(dir.join(server::DIRECTORY_FILE))
        .unwrap()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
}

#[test]
fn simultaneous_wrong_passwords_never_get_past_the_limit() {
    let temp = tempfile::tempdir().unwrap();
    let (data, _) = server(temp.path(), |c| {
        c.rate_limit.max_failures_per_user = 3;
        c.rate_limit.max_failures_per_address = 100;
    });
    data.add_user("carol", None, None, "right").unwrap();
    let data = Arc::new(data);
    let start = Arc::new(std::sync::Barrier::new(12));
    let outcomes: Vec<ServerError> = (0..12)
        .map(|_| {
            let (data, start) = (Arc::clone(&data), Arc::clone(&start));
            std::thread::spawn(move || {
                start.wait();
                data.authenticate("carol", "wrong", HOME).unwrap_err()
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|t| t.join().unwrap())
        .collect();
    // Only as many attempts as the limit got to have their password checked.
    let checked = outcomes.iter().filter(|e| matches!(e, ServerError::LogonFailed)).count();
    let refused =
        outcomes.iter().filter(|e| matches!(e, ServerError::TooManyAttempts { .. })).count();
    assert_eq!((checked, refused), (3, 9), "{outcomes:?}");
    // A right password is refused too until the window passes.
    assert!(matches!(
        data.authenticate("carol", "right", AWAY).unwrap_err(),
        ServerError::TooManyAttempts { .. }
    ));
}

#[test]
fn a_successful_logon_takes_back_its_own_count_against_the_address() {
    let temp = tempfile::tempdir().unwrap();
    let (data, _) = server(temp.path(), |c| {
        c.rate_limit.max_failures_per_user = 100;
        c.rate_limit.max_failures_per_address = 3;
    });
    data.add_user("dave", None, None, "right").unwrap();
    // Any number of good logons from one address never block it.
    for _ in 0..10 {
        data.authenticate("dave", "right", HOME).unwrap();
    }
    // Failures still count: the third blocks the address.
    for _ in 0..3 {
        assert!(matches!(
            data.authenticate("dave", "wrong", HOME).unwrap_err(),
            ServerError::LogonFailed
        ));
    }
    assert!(matches!(
        data.authenticate("dave", "right", HOME).unwrap_err(),
        ServerError::TooManyAttempts { .. }
    ));
}
