//! The CLI contract across subcommands: exit 2 for bad input and 1 for failed operations,
//! `--json` error documents also for usage errors, errors that name the file (and say when
//! it is truncated), and text output that shows what `--json` shows.

mod common;

use common::Home;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn corpus(name: &str) -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/pst")).join(name)
}

#[test]
fn bad_input_exits_2_in_every_subcommand_with_a_json_error_document() {
    let home = Home::new();
    let id = home.json(&["item", "create", "inbox", "--subject", "x"]).ok().json()["entry_id"]
        .as_str()
        .unwrap()
        .to_owned();
    // A well-formed message entry ID whose provider UID no mounted store has.
    let foreign = format!("00000000{}0700{}", "5A".repeat(16), "11".repeat(48));
    let missing = home.path().join("no-such-file.pst");
    let missing = missing.to_str().unwrap();
    let not_a_store = home.path().join("notes.txt");
    std::fs::write(&not_a_store, "not a store").unwrap();
    let not_a_store = not_a_store.to_str().unwrap();
    // A server data directory with one user, at the cheap test cost (stdin is empty here,
    // so an add that got as far as reading the password is refused for an empty one).
    let server_data = home.path().join("server");
    std::fs::create_dir_all(&server_data).unwrap();
    let mut config = server::ServerConfig::for_tests();
    config.mail_domain = "example.org".into();
    config.save(&server_data.join(server::CONFIG_FILE)).unwrap();
    server::ServerData::open_or_create(&server_data)
        .unwrap()
        .add_user("alice", None, None, "pw")
        .unwrap();
    let server_data = server_data.to_str().unwrap().to_owned();
    let cases: &[&[&str]] = &[
        // Entry IDs that are not hex, too short, or name nothing.
        &["item", "get", "XYZ"],
        &["item", "get", "000102"],
        &["item", "get", &foreign],
        &["item", "delete", "XYZ"],
        &["item", "body", "XYZ"],
        &["item", "body", &foreign],
        &["item", "delete", &foreign],
        &["folder", "get", "XYZ"],
        &["folder", "get", &foreign],
        &["compare-ids", "A", "XYZ"],
        &["compare-ids", &id, "XYZ"],
        &["compare-ids", &foreign, &foreign],
        &["entryid", "decode", "ZZ"],
        // Folder, store and profile names that name nothing.
        &["items", "bogus"],
        &["items", "\\\\No such store\\Inbox"],
        &["items", "inbox", "--store", "nosuch"],
        &["item", "get", &id, "--store", "nosuch"],
        &["item", "create", "nosuch", "--subject", "x"],
        &["default-folder", "bogus"],
        &["default-folder", "inbox", "--store", "nosuch"],
        &["folders", "--store", "nosuch"],
        &["store", "remove", "nosuch"],
        &["stores", "--profile", "nosuch"],
        &["items", "inbox", "--profile", "nosuch"],
        &["profile", "delete", "nosuch"],
        &["profile", "set-default", "nosuch"],
        &["profile", "create", ""],
        &["profile", "create", "Outlook"],
        &["watch", "nosuch"],
        // Bad filters, dates and sort fields.
        &["items", "inbox", "--filter", "[Subject] ="],
        &["items", "inbox", "--filter", "[ReceivedTime] > '31/12/2024'"],
        &["items", "inbox", "--sort", "Nonsense"],
        // Occurrence ranges: malformed dates, a start after the end, half a range.
        &["items", "calendar", "--start", "yesterday", "--end", "2024-01-01"],
        &["items", "calendar", "--start", "2024-01-01", "--end", "2024-13-01"],
        &["items", "calendar", "--start", "2024-02-01", "--end", "2024-01-01"],
        &["items", "calendar", "--start", "2024-01-01"],
        &["items", "calendar", "--start", "2024-01-01", "--end", "2024-02-01", "--sort", "Start"],
        &["search", "\"urn:schemas:httpmail:subject\" LIKE"],
        &["search", "%someday(\"urn:schemas:httpmail:datereceived\")%"],
        &["search", "[Subject] = 'x'"],
        &["search", "\"urn:schemas:httpmail:subject\" = 'x'", "--scope", "bogus"],
        &["search", "\"urn:schemas:httpmail:subject\" = 'x'", "--sort", "Nonsense"],
        // Empty or invalid values.
        &["item", "create", "inbox", "--subject", "x", "--class", ""],
        &["item", "create", "inbox", "--subject", "x", "--class", "IPM.Note."],
        &["store", "add", not_a_store, "--display-name", ""],
        &["mailbox", "create", &format!("{missing}.mailbox"), "--display-name", ""],
        // Files that do not exist or are not what they should be.
        &["store", "add", missing],
        &["store", "add", not_a_store],
        &["pst", "info", missing],
        &["pst", "info", not_a_store],
        &["mailbox", "info", missing],
        &["mailbox", "check", missing],
        &["prop", "PidTagNoSuchThing"],
        // Recipients, attachments and item updates.
        &["recipients", "XYZ"],
        &["recipients", &foreign],
        &["attachments", "XYZ"],
        &["attachments", &id, "--store", "nosuch"],
        &["attachment", "save", &id, "1", "--out", missing],
        &["attachment", "save", &id, "--out", missing],
        &["attachment", "save", &foreign, "--all", "--out", missing],
        &["item", "update", &id, "--set", "Importance=7"],
        &["item", "update", &id, "--set", "UnRead=maybe"],
        &["item", "update", &id, "--set", "NoSuchMember=1"],
        &["item", "update", &id, "--set", "no equals sign"],
        &["item", "update", &id, "--set", "DueDate=31/12/2024"],
        &["item", "update", "XYZ", "--set", "UnRead=true"],
        &["item", "create", "inbox", "--subject", "x", "--attach", missing],
        &["categories", "add", ""],
        &["categories", "add", "x", "--color", "99"],
        &["categories", "add", "x", "--shortcut", "12"],
        &["categories", "remove", "no such category"],
        // Copy and move: items, folders and names that name nothing, empty names.
        &["item", "copy", "XYZ", "inbox"],
        &["item", "copy", &foreign, "inbox"],
        &["item", "copy", &id, "nosuch"],
        &["item", "move", "XYZ", "inbox"],
        &["item", "move", &id, "\\\\No such store\\Inbox"],
        &["folder", "create", "nosuch", "X"],
        &["folder", "create", "inbox", ""],
        &["folder", "create", "inbox", "a\\b"],
        &["folder", "create", "inbox", "X", "--type", "bogus"],
        &["folder", "rename", "nosuch", "X"],
        &["folder", "rename", "inbox", " "],
        &["folder", "move", "nosuch", "--into", "inbox"],
        &["folder", "move", "inbox"],
        &["folder", "move", "inbox", "drafts", "--into", "drafts"],
        &["folder", "copy", "inbox", "--into", "nosuch"],
        &["folder", "copy", &foreign, "--into", "inbox"],
        &["folder", "delete", "nosuch"],
        // Server users: invalid names, a taken name, no --password-stdin, unknown users,
        // a data directory that does not exist (only `add` creates one).
        &["server", "user", "add", "a b", "--data", &server_data, "--password-stdin"],
        &["server", "user", "add", "Alice", "--data", &server_data, "--password-stdin"],
        &["server", "user", "add", "bob", "--data", &server_data],
        &["server", "user", "add", "bob", "--data", &server_data, "--password-stdin"],
        &["server", "user", "disable", "nobody", "--data", &server_data],
        &["server", "user", "enable", "nobody", "--data", &server_data],
        &["server", "user", "passwd", "nobody", "--data", &server_data, "--password-stdin"],
        &["server", "user", "list", "--data", missing],
        &["server", "user", "disable", "alice", "--data", missing],
        &["server", "user", "passwd", "alice", "--data", missing, "--password-stdin"],
    ];
    for args in cases {
        let run = home.json(args);
        assert_eq!(run.code, 2, "{args:?}: stderr {}", run.stderr);
        let error = run.error();
        assert_eq!(error["exit_code"], 2, "{args:?}");
        assert!(!error["error"].as_str().unwrap().is_empty(), "{args:?}");
    }
    // Nothing of the refused creations was stored.
    assert_eq!(home.json(&["items", "inbox"]).ok().json()["count"], 1);
    // A valid request the store cannot satisfy is a failed operation, not bad input.
    let absent = home.json(&["default-folder", "all-public-folders"]);
    assert_eq!(absent.code, 1, "{}", absent.stderr);
    assert_eq!(absent.error()["code"], "MAPI_E_NOT_FOUND");
    // So is a copy or move the store refuses: a name taken, a folder into itself.
    home.json(&["folder", "create", "inbox", "Taken"]).ok();
    for args in [
        &["folder", "create", "inbox", "Taken"][..],
        &["folder", "move", "inbox", "--into", "\\\\Mailbox - dana\\Inbox\\Taken"],
    ] {
        let run = home.json(args);
        assert_eq!(run.code, 1, "{args:?}: {}", run.stderr);
    }
}

#[test]
fn bad_input_keeps_its_mapi_code_and_names_what_was_wrong() {
    let home = Home::new();
    let run = home.json(&["item", "get", "XYZ"]);
    assert_eq!(run.code, 2);
    assert_eq!(run.error()["code"], "MAPI_E_INVALID_ENTRYID");
    let missing = home.path().join("no-such-file.pst");
    let run = home.json(&["store", "add", missing.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    let message = run.error()["error"].as_str().unwrap().to_owned();
    assert!(message.contains("no-such-file.pst"), "{message}");
    assert!(message.contains("does not exist"), "{message}");
    assert!(!message.contains("PST writer"), "{message}");
    // Without --json, one line on stderr and nothing on stdout.
    let run = home.raw(&["store", "add", missing.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(run.stdout.is_empty());
    assert!(run.stderr.starts_with("outpost: error: "), "{}", run.stderr);
}

#[test]
fn usage_errors_with_json_are_one_json_document_on_stderr() {
    let home = Home::new();
    let cases: &[&[&str]] = &[
        &["items", "--json"],
        &["--json", "bogus"],
        &["--json"],
        &["items", "inbox", "--limit", "many", "--json"],
        &["item", "get", "--json"],
        &["pst", "info", "--json"],
        &["items", "inbox", "--no-such-flag", "--json"],
    ];
    for args in cases {
        let run = home.raw(args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{args:?}: {}", run.stdout);
        let error = run.error();
        assert_eq!(error["exit_code"], 2, "{args:?}");
        assert!(error["code"].is_null(), "{args:?}");
        let message = error["error"].as_str().unwrap();
        assert!(!message.starts_with("error:"), "{args:?}: {message}");
        assert!(!message.is_empty(), "{args:?}");
    }
    let missing_argument = home.raw(&["items", "--json"]).error();
    assert!(missing_argument["error"].as_str().unwrap().contains("<FOLDER>"), "{missing_argument}");
    // Without --json, clap's own text.
    let run = home.raw(&["bogus"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.starts_with("error:"), "{}", run.stderr);
    // Help and version are not errors, with or without --json.
    for args in [&["--help"][..], &["--json", "--help"], &["--version"], &["items", "--help"]] {
        let run = home.raw(args);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        assert!(!run.stdout.is_empty(), "{args:?}");
        assert!(run.stderr.is_empty(), "{args:?}: {}", run.stderr);
    }
}

#[test]
fn help_says_what_outpost_does_today() {
    let home = Home::new();
    let help = home.raw(&["--help"]).ok().stdout;
    assert!(!help.contains("macOS and Windows"), "{help}");
    assert!(!help.contains(".msg/.eml"), "{help}");
    for promise in ["PST and OST", "read-only", "embedded", "instance", "Linux"] {
        assert!(help.contains(promise), "help does not mention {promise:?}: {help}");
    }
}

#[test]
fn a_truncated_pst_is_named_and_called_truncated() {
    let home = Home::new();
    let original = std::fs::read(corpus("aspose-Outlook.pst")).unwrap();
    let half = home.path().join("half.pst");
    std::fs::write(&half, &original[..original.len() / 2]).unwrap();
    let header_only = home.path().join("header-only.pst");
    std::fs::write(&header_only, &original[..100]).unwrap();
    for (file, expected) in [
        (
            &half,
            format!("the file is {} bytes, the header says {}", original.len() / 2, original.len()),
        ),
        (&header_only, "the file is 100 bytes".to_owned()),
    ] {
        let path = file.to_str().unwrap();
        for args in [&["store", "add", path][..], &["pst", "info", path]] {
            let run = home.json(args);
            assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
            let message = run.error()["error"].as_str().unwrap().to_owned();
            assert!(message.contains(path), "{args:?}: {message}");
            assert!(message.contains("truncated"), "{args:?}: {message}");
            assert!(message.contains(&expected), "{args:?}: {message}");
        }
    }
}

#[test]
fn item_get_text_shows_every_field_and_property_the_json_shows() {
    let home = Home::new();
    let created =
        home.json(&["item", "create", "inbox", "--subject", "parity", "--body", "the body"]);
    let id = created.ok().json()["entry_id"].as_str().unwrap().to_owned();
    let doc = home.json(&["item", "get", &id, "--properties"]).ok().json();
    let text = home.raw(&["item", "get", &id, "--properties"]).ok().stdout;
    let plain = home.raw(&["item", "get", &id]).ok().stdout;
    assert!(text.len() > plain.len(), "--properties adds nothing:\n{text}");
    let fields = doc.as_object().unwrap();
    let mut checked = 0;
    for (key, value) in fields {
        let shown = match value {
            Value::Null => continue,
            Value::String(s) => s.clone(),
            Value::Bool(_) | Value::Number(_) => value.to_string(),
            Value::Array(_) | Value::Object(_) => continue,
        };
        if key == "body" {
            assert!(text.contains(&shown), "body missing:\n{text}");
        } else if key == "message_class" || key == "type" {
            assert!(text.lines().next().unwrap().contains(&shown), "{key}:\n{text}");
        } else {
            assert!(text.contains(&format!("{key}: {shown}")), "{key}: {shown} missing:\n{text}");
        }
        checked += 1;
    }
    // The times a script sees are there too.
    for key in ["creation_time", "last_modification_time"] {
        assert!(fields[key].is_string(), "{key} is not set: {doc}");
    }
    assert!(checked > 10, "{doc}");
    let properties = doc["properties"].as_array().unwrap();
    assert!(!properties.is_empty());
    for p in properties {
        let tag = p["tag"].as_str().unwrap();
        assert!(text.contains(tag), "property {tag} missing:\n{text}");
    }
}

#[test]
fn a_filter_of_a_thousand_terms_runs_from_the_command_line() {
    let home = Home::new();
    for subject in ["alpha", "beta", "gamma"] {
        home.json(&["item", "create", "inbox", "--subject", subject]).ok();
    }
    let misses: Vec<String> = (0..998).map(|n| format!("[Subject] = 'none {n}'")).collect();
    let filter = format!("{} OR [Subject] = 'alpha' OR [Subject] = 'gamma'", misses.join(" OR "));
    let doc = home.json(&["items", "inbox", "--filter", &filter]).ok().json();
    assert_eq!(doc["count"], 2);
    let run = home.json(&["items", "inbox", "--filter", &filter, "--no-instance"]).ok();
    assert_eq!(run.json()["count"], 2);
    // Genuinely deep nesting is refused with the reason.
    let deep = format!("{}[Subject] = 'x'{}", "(".repeat(100), ")".repeat(100));
    let run = home.json(&["items", "inbox", "--filter", &deep]);
    assert_eq!(run.code, 2);
    assert!(run.error()["error"].as_str().unwrap().contains("nesting"), "{}", run.stderr);
}

/// Asserts that every scalar of `doc` shows in `text`: strings and numbers verbatim, booleans
/// labelled (`default: true`: the key without `is_`, underscores as spaces, then the value).
/// `volatile` keys change between two runs (an uptime) and are left out. Returns how many
/// values were checked.
fn assert_text_shows_json(what: &str, doc: &Value, text: &str, volatile: &[&str]) -> usize {
    fn walk(key: &str, value: &Value, check: &mut dyn FnMut(&str, &Value)) {
        match value {
            Value::Object(fields) => fields.iter().for_each(|(k, v)| walk(k, v, check)),
            Value::Array(items) => items.iter().for_each(|v| walk(key, v, check)),
            scalar => check(key, scalar),
        }
    }
    let labelled = |label: &str, shown: &str| {
        text.match_indices(&format!("{label}:"))
            .any(|(at, found)| text[at + found.len()..].trim_start().starts_with(shown))
    };
    let mut checked = 0;
    walk("", doc, &mut |key, value| {
        if volatile.contains(&key) {
            return;
        }
        match value {
            Value::Null => return,
            Value::String(s) => {
                assert!(text.contains(s.as_str()), "{what}: {key} {s:?} missing:\n{text}")
            }
            Value::Number(n) => {
                assert!(text.contains(&n.to_string()), "{what}: {key} {n} missing:\n{text}")
            }
            Value::Bool(b) => {
                let label = key.trim_start_matches("is_").replace('_', " ");
                assert!(labelled(&label, &b.to_string()), "{what}: {label}: {b} missing:\n{text}");
            }
            Value::Array(_) | Value::Object(_) => unreachable!("walk descends into these"),
        }
        checked += 1;
    });
    checked
}

#[test]
fn every_session_command_shows_in_text_every_value_its_json_shows() {
    let home = Home::new();
    let created = home.json(&["item", "create", "inbox", "--subject", "parity", "--body", "b"]);
    let id = created.ok().json()["entry_id"].as_str().unwrap().to_owned();
    let pst = corpus("java-libpst-dist-list.pst");
    home.json(&["store", "add", pst.to_str().unwrap()]).ok();
    let inbox = home.json(&["default-folder", "inbox"]).ok().json()["entry_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let file = home.path().join("notes.txt");
    std::fs::write(&file, "notes").unwrap();
    let with_parts = home
        .json(&[
            "item",
            "create",
            "drafts",
            "--subject",
            "parts",
            "--to",
            "Ann <a@b.c>",
            "--attach",
            file.to_str().unwrap(),
        ])
        .ok()
        .json()["entry_id"]
        .as_str()
        .unwrap()
        .to_owned();
    home.json(&["categories", "add", "parity"]).ok();
    let commands: &[&[&str]] = &[
        &["recipients", &with_parts],
        &["attachments", &with_parts],
        &["item", "update", &with_parts, "--set", "Importance=2", "--set", "Categories=a, b"],
        &["categories"],
        &["logon"],
        &["stores"],
        &["folders"],
        &["folders", "--store", "Personal Folders"],
        &["default-folder", "inbox"],
        &["folder", "get", &inbox],
        &["items", "inbox"],
        &["search", "\"urn:schemas:httpmail:subject\" ci_startswith 'par'"],
        &["item", "get", &id],
        &["compare-ids", &id, &id],
        &["compare-ids", &id, &inbox],
        &["profile", "list"],
        &["instance", "status"],
        &["logoff"],
    ];
    for args in commands {
        let what = args.join(" ");
        if args[0] == "logoff" {
            home.json(&["logon"]).ok();
        }
        let doc = home.json(args).ok().json();
        if args[0] == "logoff" {
            assert!(!doc["logged_off"].as_array().unwrap().is_empty(), "{doc}");
            home.json(&["logon"]).ok();
        }
        let text = home.raw(args).ok().stdout;
        // Two runs of `instance status` see different uptimes and connection counts; the
        // text labels them all the same.
        let volatile = ["uptime_seconds", "connections_total"];
        let checked = assert_text_shows_json(&what, &doc, &text, &volatile);
        assert!(checked > 0, "{what}: nothing checked in {doc}");
        if args[0] == "instance" {
            assert!(text.contains("since start") && text.contains(" up "), "{text}");
        }
    }
}
