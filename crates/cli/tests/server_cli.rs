//! `outpost server user ...`: the users of a server data directory, from the command line.

use assert_cmd::Command;
use serde_json::Value;
use std::net::{IpAddr, Ipv4Addr};
use std::path::Path;

const PEER: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("{e}: {} / {}", self.stdout, self.stderr))
    }
    fn error(&self) -> Value {
        serde_json::from_str(self.stderr.trim()).unwrap_or_else(|e| panic!("{e}: {}", self.stderr))
    }
}

fn outpost(args: &[&str], stdin: Option<&str>) -> Run {
    let mut command = Command::cargo_bin("outpost").unwrap();
    command.args(args).env("OUTPOST_NO_INSTANCE", "1");
    command.write_stdin(stdin.unwrap_or(""));
    let output = command.output().unwrap();
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// A data directory whose server.toml has the cheap test cost.
fn data_dir(root: &Path) -> String {
    let dir = root.join("srv");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("server.toml"),
        "mail_domain = \"example.org\"\n[argon2]\nmemory_kib = 64\niterations = 1\nparallelism = 1\n",
    )
    .unwrap();
    dir.to_str().unwrap().to_owned()
}

#[test]
fn add_list_disable_enable_and_passwd_work_and_passwd_ends_sessions() {
    let temp = tempfile::tempdir().unwrap();
    let data = data_dir(temp.path());
    let added = outpost(
        &[
            "server",
            "user",
            "add",
            "Alice",
            "--data",
            &data,
            "--display-name",
            "Alice L",
            "--password-stdin",
            "--json",
        ],
        Some("rabbit hole\n"),
    );
    assert_eq!(added.code, 0, "{}", added.stderr);
    let alice = added.json();
    assert_eq!(alice["name"], "Alice");
    assert_eq!(alice["display_name"], "Alice L");
    assert_eq!(alice["address"], "alice@example.org");
    assert_eq!(alice["disabled"], false);
    assert!(!added.stdout.contains("rabbit"));
    store::Mailbox::open(Path::new(alice["mailbox"].as_str().unwrap())).unwrap();
    let bob = outpost(
        &[
            "server",
            "user",
            "add",
            "bob",
            "--data",
            &data,
            "--address",
            "bob@example.net",
            "--password-stdin",
        ],
        Some("builder"),
    );
    assert_eq!(bob.code, 0, "{}", bob.stderr);
    // Text shows what JSON shows.
    for value in ["bob", "bob@example.net", "false", "bob.mailbox"] {
        assert!(bob.stdout.contains(value), "{value}: {}", bob.stdout);
    }

    let list = outpost(&["server", "user", "list", "--data", &data, "--json"], None).json();
    assert_eq!(list["count"], 2);
    assert_eq!(list["users"][0]["name"], "Alice");
    assert_eq!(list["users"][1]["address"], "bob@example.net");
    let text = outpost(&["server", "user", "list", "--data", &data], None);
    for user in list["users"].as_array().unwrap() {
        for value in user.as_object().unwrap().values() {
            let shown = value.as_str().map(str::to_owned).unwrap_or_else(|| value.to_string());
            assert!(text.stdout.contains(&shown), "{shown}: {}", text.stdout);
        }
    }

    // A live session (as the server will hold it) ends when the CLI changes the password.
    let server = server::ServerData::open(Path::new(&data)).unwrap();
    let token = server.authenticate("alice", "rabbit hole", PEER).unwrap();
    let passwd = outpost(
        &["server", "user", "passwd", "alice", "--data", &data, "--password-stdin"],
        Some("new one\r\n"),
    );
    assert_eq!(passwd.code, 0, "{}", passwd.stderr);
    assert!(server.validate(token.as_str()).is_err());
    assert!(server.authenticate("alice", "rabbit hole", PEER).is_err());
    let token = server.authenticate("alice", "new one", PEER).unwrap();

    let disabled =
        outpost(&["server", "user", "disable", "ALICE", "--data", &data, "--json"], None);
    assert_eq!(disabled.code, 0, "{}", disabled.stderr);
    assert_eq!(disabled.json()["disabled"], true);
    assert!(server.validate(token.as_str()).is_err());
    assert!(server.authenticate("alice", "new one", PEER).is_err());
    let enabled = outpost(&["server", "user", "enable", "alice", "--data", &data, "--json"], None);
    assert_eq!(enabled.json()["disabled"], false);
    assert!(server.authenticate("alice", "new one", PEER).is_ok());
}

#[test]
fn bad_input_exits_2_with_its_mapi_code_and_failures_name_the_directory() {
    let temp = tempfile::tempdir().unwrap();
    let data = data_dir(temp.path());
    let missing = temp.path().join("nowhere");
    let missing = missing.to_str().unwrap();
    assert_eq!(
        outpost(
            &["server", "user", "add", "alice", "--data", &data, "--password-stdin"],
            Some("pw")
        )
        .code,
        0
    );
    let cases: &[(&[&str], Option<&str>, &str)] = &[
        (
            &["server", "user", "add", "alice", "--data", &data, "--password-stdin"],
            Some("pw"),
            "MAPI_E_COLLISION",
        ),
        (
            &["server", "user", "add", "ALICE", "--data", &data, "--password-stdin"],
            Some("pw"),
            "MAPI_E_COLLISION",
        ),
        (
            &["server", "user", "add", "a b", "--data", &data, "--password-stdin"],
            Some("pw"),
            "MAPI_E_INVALID_PARAMETER",
        ),
        (&["server", "user", "add", "bob", "--data", &data, "--password-stdin"], Some(""), ""),
        (&["server", "user", "add", "bob", "--data", &data, "--password-stdin"], Some("\n"), ""),
        (&["server", "user", "add", "bob", "--data", &data], Some("pw"), ""),
        (
            &[
                "server",
                "user",
                "add",
                "bob",
                "--data",
                &data,
                "--address",
                "x",
                "--password-stdin",
            ],
            Some("pw"),
            "MAPI_E_INVALID_PARAMETER",
        ),
        (
            &[
                "server",
                "user",
                "add",
                "bob",
                "--data",
                &data,
                "--address",
                "alice@example.org",
                "--password-stdin",
            ],
            Some("pw"),
            "MAPI_E_COLLISION",
        ),
        (&["server", "user", "disable", "nobody", "--data", &data], None, "MAPI_E_NOT_FOUND"),
        (&["server", "user", "enable", "nobody", "--data", &data], None, "MAPI_E_NOT_FOUND"),
        (
            &["server", "user", "passwd", "nobody", "--data", &data, "--password-stdin"],
            Some("pw"),
            "MAPI_E_NOT_FOUND",
        ),
        (&["server", "user", "passwd", "alice", "--data", &data, "--password-stdin"], Some(""), ""),
        (&["server", "user", "list", "--data", missing], None, "MAPI_E_NOT_FOUND"),
        (&["server", "user", "disable", "alice", "--data", missing], None, "MAPI_E_NOT_FOUND"),
        // Passwords are never taken from the command line.
        (&["server", "user", "add", "bob", "--data", &data, "--password", "pw"], None, ""),
    ];
    for (args, stdin, code) in cases {
        let mut args = args.to_vec();
        args.push("--json");
        let run = outpost(&args, *stdin);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        let error = run.error();
        assert_eq!(error["exit_code"], 2);
        if !code.is_empty() {
            assert_eq!(error["code"], *code, "{args:?}");
        }
    }
    let run = outpost(&["server", "user", "list", "--data", missing, "--json"], None);
    assert!(run.error()["error"].as_str().unwrap().contains("nowhere"), "{}", run.stderr);
    // Nothing of the refusals was stored.
    let list = outpost(&["server", "user", "list", "--data", &data, "--json"], None).json();
    assert_eq!(list["count"], 1);
    // A damaged directory is a failed operation (exit 1), not bad input.
    std::fs::write(Path::new(&data).join("directory.sqlite"), b"garbage that is not sqlite")
        .unwrap();
    let run = outpost(&["server", "user", "list", "--data", &data, "--json"], None);
    assert_eq!(run.code, 1, "{}", run.stderr);
}

#[test]
fn concurrent_adds_from_separate_processes_leave_every_user_and_mailbox() {
    let temp = tempfile::tempdir().unwrap();
    let data = data_dir(temp.path());
    let children: Vec<_> = (0..6)
        .map(|i| {
            let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("outpost"))
                .args([
                    "server",
                    "user",
                    "add",
                    &format!("user{i}"),
                    "--data",
                    &data,
                    "--password-stdin",
                ])
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap();
            use std::io::Write;
            child.stdin.take().unwrap().write_all(b"pw\n").unwrap();
            child
        })
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }
    let list = outpost(&["server", "user", "list", "--data", &data, "--json"], None).json();
    assert_eq!(list["count"], 6);
    for user in list["users"].as_array().unwrap() {
        store::Mailbox::open(Path::new(user["mailbox"].as_str().unwrap())).unwrap();
    }
}
