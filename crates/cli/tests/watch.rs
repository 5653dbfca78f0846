//! `outpost watch`: events reach a watcher when another process writes, a watcher that does
//! not read holds nobody up, and it ends cleanly on a signal or when the instance goes away.

use serde_json::{Value, json};
use service::{Client, InstancePaths};
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, ChildStdout, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

fn outpost() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_outpost"))
}

struct Home(tempfile::TempDir);

impl Home {
    fn new() -> Home {
        Home(tempfile::tempdir().unwrap())
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(outpost());
        command
            .env("OUTPOST_HOME", self.0.path())
            .env("USER", "robin")
            .env("OUTPOST_INSTANCE_IDLE_SECONDS", "5")
            .env_remove("OUTPOST_NO_INSTANCE")
            .args(args);
        command
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }

    fn json(&self, args: &[&str]) -> Value {
        let output = self.run(args);
        assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
        serde_json::from_slice(&output.stdout).unwrap()
    }

    fn instance_paths(&self) -> InstancePaths {
        InstancePaths::new(&self.0.path().join("run"))
    }
}

impl Drop for Home {
    fn drop(&mut self) {
        let _ = self.run(&["instance", "stop"]);
    }
}

/// A running `outpost watch`, its output read line by line on a thread (so a test can wait
/// for a line with a time limit instead of hanging).
struct Watcher {
    child: Child,
    lines: mpsc::Receiver<String>,
}

impl Watcher {
    fn start(home: &Home, args: &[&str]) -> Watcher {
        let mut child =
            home.command(args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        let stdout: ChildStdout = child.stdout.take().unwrap();
        let (sender, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        Watcher { child, lines }
    }

    fn next_json(&self) -> Value {
        let line =
            self.lines.recv_timeout(Duration::from_secs(20)).expect("a line from the watcher");
        serde_json::from_str(&line).unwrap_or_else(|err| panic!("{line:?}: {err}"))
    }

    fn signal(&self, name: &str) {
        let status =
            Command::new("kill").args([&format!("-{name}"), &self.child.id().to_string()]).status();
        assert!(status.unwrap().success());
    }

    fn wait(mut self) -> (std::process::ExitStatus, String) {
        for _ in 0..200 {
            if let Some(status) = self.child.try_wait().unwrap() {
                let mut stderr = String::new();
                use std::io::Read;
                let _ = self.child.stderr.take().unwrap().read_to_string(&mut stderr);
                return (status, stderr);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        panic!("the watcher did not exit within 10 s");
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn a_watcher_of_the_inbox_sees_an_item_another_process_creates() {
    let home = Home::new();
    let watcher = Watcher::start(&home, &["watch", "inbox", "--json"]);
    let subscribed = watcher.next_json();
    let inbox = home.json(&["default-folder", "inbox", "--json"]);
    assert_eq!(subscribed["subscribed"]["folder"]["entry_id"], inbox["entry_id"]);

    let created = home.json(&["item", "create", "inbox", "--subject", "X", "--json"]);
    let first = watcher.next_json();
    let second = watcher.next_json();
    assert_eq!(first["event"], "item_add");
    assert_eq!(second["event"], "new_mail");
    for event in [&first, &second] {
        assert_eq!(event["entry_ids"], json!([created["entry_id"]]));
        assert_eq!(event["folder_entry_id"], inbox["entry_id"]);
        assert_eq!(event["store_id"], created["store_id"]);
    }

    // Deleting it removes it from the Inbox (it moves to Deleted Items, not watched here):
    // first BeforeItemMove, naming where it goes, then ItemRemove.
    let entry_id = created["entry_id"].as_str().unwrap();
    home.json(&["item", "delete", entry_id, "--json"]);
    let before = watcher.next_json();
    assert_eq!(before["event"], "before_item_move");
    assert_eq!(before["entry_ids"], json!([entry_id]));
    let wastebasket = home.json(&["default-folder", "deleted-items", "--json"]);
    assert_eq!(before["target_folder_entry_id"], wastebasket["entry_id"]);
    let removed = watcher.next_json();
    assert_eq!(removed["event"], "item_remove");
    assert_eq!(removed["entry_ids"], json!([entry_id]));

    watcher.signal("INT");
    let (status, stderr) = watcher.wait();
    assert!(status.success(), "SIGINT ends the watch with status 0: {status} {stderr}");
}

#[test]
fn sigterm_ends_the_watch_with_status_zero() {
    let home = Home::new();
    let watcher = Watcher::start(&home, &["watch", "drafts", "--json"]);
    watcher.next_json();
    watcher.signal("TERM");
    let (status, stderr) = watcher.wait();
    assert!(status.success(), "{status} {stderr}");
}

#[test]
fn the_watch_ends_with_status_one_when_the_instance_goes_away() {
    let home = Home::new();
    let watcher = Watcher::start(&home, &["watch", "inbox"]);
    let first = watcher.lines.recv_timeout(Duration::from_secs(20)).unwrap();
    assert!(first.starts_with("watching "), "{first}");
    home.json(&["instance", "stop", "--json"]);
    let (status, stderr) = watcher.wait();
    assert_eq!(status.code(), Some(1));
    assert!(stderr.contains("instance went away"), "{stderr}");
}

#[test]
fn a_watcher_that_never_reads_does_not_hold_up_writers() {
    let home = Home::new();
    let mut watcher =
        home.command(&["watch", "inbox", "--json"]).stdout(Stdio::piped()).spawn().unwrap();
    // Read the first line only (it is subscribed), then never again: its pipe, its socket and
    // its outbox in the instance fill up.
    let mut stdout = BufReader::new(watcher.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    assert!(first.contains("\"subscribed\""), "{first}");

    let mut client = Client::connect(&home.instance_paths()).unwrap();
    client.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let cwd = std::env::current_dir().unwrap();
    // Each item raises two events of ~1 KiB: far more than the pipe, the socket buffers and
    // the outbox hold together.
    let count = 600;
    let long = "s".repeat(200);
    for n in 0..count {
        let subject = format!("{long} {n}");
        let reply = client
            .call(
                "session",
                json!({ "argv": ["item", "create", "inbox", "--subject", subject], "cwd": cwd }),
            )
            .unwrap_or_else(|err| panic!("item {n}: the writer was held up: {err}"));
        assert_eq!(reply["error"], Value::Null, "item {n}");
    }
    let items = home.json(&["items", "inbox", "--json"]);
    assert_eq!(items["count"], count);
    let status = home.json(&["instance", "status", "--json"]);
    assert_eq!(status["running"], true);
    // The instance dropped the watcher's notifications rather than wait, and said so.
    let log = std::fs::read_to_string(home.instance_paths().log).unwrap_or_default();
    assert!(log.contains("dropping notifications"), "instance log: {log}");
    let _ = watcher.kill();
    let _ = watcher.wait();
}

#[test]
fn watch_without_the_instance_is_refused_with_a_reason() {
    let home = Home::new();
    for (args, env) in [
        (&["--no-instance", "watch", "inbox"][..], None),
        (&["watch", "inbox", "--json"][..], Some("1")),
    ] {
        let mut command = home.command(args);
        if let Some(value) = env {
            command.env("OUTPOST_NO_INSTANCE", value);
        }
        let output = command.output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("watch needs the instance"), "{stderr}");
        assert!(output.stdout.is_empty());
    }
    // It did not start an instance behind the user's back.
    assert!(!home.instance_paths().socket.exists());
}
