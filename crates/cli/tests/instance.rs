//! The per-user instance with real processes: get-or-start races, crash recovery, idle exit,
//! hostile clients, and who may connect.

use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

fn outpost() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_outpost"))
}

/// An isolated OUTPOST_HOME whose instance is stopped when the test ends.
struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    fn new() -> Home {
        Home { dir: tempfile::tempdir().unwrap() }
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(outpost());
        command
            .args(args)
            .env("OUTPOST_HOME", self.dir.path())
            .env_remove("OUTPOST_INSTANCE_IDLE_SECONDS");
        command
    }

    fn json(&self, args: &[&str]) -> serde_json::Value {
        let output = self.run(args);
        assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
        serde_json::from_slice(&output.stdout).unwrap()
    }

    /// `instance start` with one setting of the daemon (a time limit in seconds), which must
    /// succeed.
    fn start_with(&self, setting: &str, seconds: &str) -> Output {
        let output =
            self.command(&["instance", "start", "--json"]).env(setting, seconds).output().unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        output
    }

    fn socket(&self) -> PathBuf {
        self.dir.path().join("run/instance.sock")
    }

    fn running_pid(&self) -> Option<u64> {
        let status = self.json(&["instance", "status", "--json"]);
        status["pid"].as_u64()
    }
}

impl Drop for Home {
    fn drop(&mut self) {
        let _ = self.run(&["instance", "stop"]);
    }
}

fn process_alive(pid: u64) -> bool {
    Path::new(&format!("/proc/{pid}")).exists()
        && !std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .unwrap_or_default()
            .contains(") Z ")
}

fn wait_until(limit: Duration, mut condition: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if condition() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    condition()
}

#[test]
fn twenty_clients_racing_at_a_cold_start_end_on_one_daemon() {
    let home = Home::new();
    let children: Vec<_> = (0..20)
        .map(|_| {
            home.command(&["instance", "start", "--json"])
                .stdout(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut pids = std::collections::BTreeSet::new();
    for child in children {
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        let status: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        pids.insert(status["pid"].as_u64().unwrap());
    }
    assert_eq!(pids.len(), 1, "clients ended on different daemons: {pids:?}");
    assert_eq!(home.running_pid(), pids.first().copied());
}

#[test]
fn a_stale_socket_from_a_dead_daemon_is_replaced() {
    let home = Home::new();
    std::fs::create_dir_all(home.dir.path().join("run")).unwrap();
    // A bound-then-closed listener leaves a socket file that refuses connections.
    drop(std::os::unix::net::UnixListener::bind(home.socket()).unwrap());
    assert!(home.socket().exists());
    let status = home.json(&["instance", "start", "--json"]);
    assert_eq!(status["running"], true);
}

#[test]
fn after_kill_9_the_next_client_starts_a_fresh_daemon() {
    let home = Home::new();
    let first = home.json(&["instance", "start", "--json"])["pid"].as_u64().unwrap();
    Command::new("kill").args(["-9", &first.to_string()]).status().unwrap();
    assert!(wait_until(Duration::from_secs(5), || !process_alive(first)));
    let second = home.json(&["instance", "start", "--json"])["pid"].as_u64().unwrap();
    assert_ne!(first, second);
    assert!(process_alive(second));
}

#[test]
fn the_daemon_exits_after_its_idle_timeout() {
    let home = Home::new();
    let output = home.start_with("OUTPOST_INSTANCE_IDLE_SECONDS", "1");
    let status: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(status["idle_timeout_seconds"], 1);
    let pid = status["pid"].as_u64().unwrap();
    assert!(
        wait_until(Duration::from_secs(10), || !process_alive(pid)),
        "daemon {pid} still running"
    );
    assert!(!home.socket().exists(), "socket left behind");
    assert_eq!(home.json(&["instance", "status", "--json"])["running"], false);
}

#[test]
fn garbage_oversized_and_abandoned_clients_do_not_disturb_the_daemon() {
    let home = Home::new();
    let pid = home.json(&["instance", "start", "--json"])["pid"].as_u64().unwrap();

    // Oversized frame length: the daemon drops this connection without allocating.
    let mut oversized = UnixStream::connect(home.socket()).unwrap();
    oversized.write_all(&[0xFF, 0xFF, 0xFF, 0xFF]).unwrap();
    // Not JSON at all, framed correctly.
    let mut garbage = UnixStream::connect(home.socket()).unwrap();
    garbage.write_all(&[4, 0, 0, 0, 0xDE, 0xAD, 0xBE, 0xEF]).unwrap();
    garbage.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut reply = Vec::new();
    let _ = garbage.read_to_end(&mut reply);
    let text = String::from_utf8_lossy(&reply);
    assert!(text.contains("MAPI_E_INVALID_PARAMETER"), "reply to garbage: {text}");
    // Half a frame, then gone.
    let mut abandoned = UnixStream::connect(home.socket()).unwrap();
    abandoned.write_all(&[100, 0, 0, 0, b'{']).unwrap();
    drop(abandoned);

    let status = home.json(&["instance", "status", "--json"]);
    assert_eq!(status["pid"].as_u64(), Some(pid), "the daemon was replaced");
}

#[test]
fn an_unknown_method_is_a_mapi_error_not_a_crash() {
    let home = Home::new();
    home.json(&["instance", "start", "--json"]);
    let mut stream = UnixStream::connect(home.socket()).unwrap();
    let send = |stream: &mut UnixStream, json: &str| {
        stream.write_all(&(json.len() as u32).to_le_bytes()).unwrap();
        stream.write_all(json.as_bytes()).unwrap();
    };
    let receive = |stream: &mut UnixStream| -> serde_json::Value {
        let mut header = [0u8; 4];
        stream.read_exact(&mut header).unwrap();
        let mut payload = vec![0u8; u32::from_le_bytes(header) as usize];
        stream.read_exact(&mut payload).unwrap();
        serde_json::from_slice(&payload).unwrap()
    };
    send(&mut stream, r#"{"type":"hello","protocol_version":1,"client_version":"test","pid":1}"#);
    assert_eq!(receive(&mut stream)["type"], "welcome");
    send(&mut stream, r#"{"type":"request","id":9,"method":"no_such_method","params":{}}"#);
    let reply = receive(&mut stream);
    assert_eq!(reply["type"], "error");
    assert_eq!(reply["id"], 9);
    assert_eq!(reply["error"]["name"], "MAPI_E_NO_SUPPORT");
}

#[test]
fn a_client_of_another_protocol_version_is_told_so() {
    let home = Home::new();
    home.json(&["instance", "start", "--json"]);
    let mut stream = UnixStream::connect(home.socket()).unwrap();
    let hello = r#"{"type":"hello","protocol_version":999,"client_version":"future","pid":1}"#;
    stream.write_all(&(hello.len() as u32).to_le_bytes()).unwrap();
    stream.write_all(hello.as_bytes()).unwrap();
    let mut reply = Vec::new();
    stream.read_to_end(&mut reply).unwrap();
    let text = String::from_utf8_lossy(&reply);
    assert!(text.contains("MAPI_E_VERSION") && text.contains("999"), "{text}");
}

#[test]
fn only_the_owner_can_reach_the_socket() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let home = Home::new();
    home.json(&["instance", "start", "--json"]);
    let dir = std::fs::metadata(home.dir.path().join("run")).unwrap();
    assert_eq!(dir.permissions().mode() & 0o777, 0o700);
    let socket = std::fs::metadata(home.socket()).unwrap();
    assert_eq!(socket.permissions().mode() & 0o777, 0o600);
    // As root, try for real as an unprivileged user: the connection must be refused.
    if dir.uid() == 0 {
        std::fs::set_permissions(home.dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let attempt = Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(outpost())
            .args(["instance", "status", "--json"])
            .env("OUTPOST_HOME", home.dir.path())
            .output()
            .expect("setpriv (util-linux) runs the attempt as another user");
        let stderr = String::from_utf8_lossy(&attempt.stderr);
        assert_eq!(attempt.status.code(), Some(1), "another user's client: {stderr}");
        assert!(
            stderr.contains("Permission denied") && stderr.contains("MAPI_E_NO_ACCESS"),
            "{stderr}"
        );
        assert!(
            attempt.stdout.is_empty(),
            "another user saw: {}",
            String::from_utf8_lossy(&attempt.stdout)
        );
    }
}

fn send_frame(stream: &mut UnixStream, json: &str) {
    stream.write_all(&(json.len() as u32).to_le_bytes()).unwrap();
    stream.write_all(json.as_bytes()).unwrap();
}

fn receive_frame(stream: &mut UnixStream) -> serde_json::Value {
    let mut header = [0u8; 4];
    stream.read_exact(&mut header).unwrap();
    let mut payload = vec![0u8; u32::from_le_bytes(header) as usize];
    stream.read_exact(&mut payload).unwrap();
    serde_json::from_slice(&payload).unwrap()
}

/// A raw connection past its handshake.
fn greeted(socket: &Path) -> UnixStream {
    let mut stream = UnixStream::connect(socket).unwrap();
    send_frame(
        &mut stream,
        r#"{"type":"hello","protocol_version":1,"client_version":"t","pid":1}"#,
    );
    assert_eq!(receive_frame(&mut stream)["type"], "welcome");
    stream
}

/// Whether the daemon closes `stream` (end of file) rather than leaving it open, waiting at
/// most `limit` for the answer.
fn closed_by_daemon(stream: &mut UnixStream, limit: Duration) -> bool {
    stream.set_read_timeout(Some(limit)).unwrap();
    let mut byte = [0u8; 1];
    match stream.read(&mut byte) {
        Ok(0) => true,
        Err(e) => e.kind() == std::io::ErrorKind::ConnectionReset,
        Ok(_) => false,
    }
}

fn memory_kib(pid: u64, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|l| l.starts_with(field)).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

#[test]
fn clients_that_declare_16_mib_and_send_nothing_do_not_make_the_daemon_allocate_it() {
    let home = Home::new();
    let pid = home.json(&["instance", "start", "--json"])["pid"].as_u64().unwrap();
    let before = memory_kib(pid, "VmSize:");
    // A hello may not be that long (it is refused at once); requests may.
    let mut hello = UnixStream::connect(home.socket()).unwrap();
    let _ = hello.write_all(&[0, 0, 0, 1, b'{']);
    assert!(closed_by_daemon(&mut hello, Duration::from_secs(20)), "16 MiB hello kept");
    let mut clients = Vec::new();
    for _ in 0..120 {
        let mut stream = greeted(&home.socket());
        stream.write_all(&[0, 0, 0, 1, b'{']).unwrap();
        clients.push(stream);
    }
    // Every declaration has been read once the daemon answers a later client.
    assert_eq!(home.json(&["instance", "status", "--json"])["pid"].as_u64(), Some(pid));
    // Allocating the declared lengths would add 16 MiB a client (mapped, so counted in
    // VmSize even before it is touched): 1.9 GiB for 120 clients.
    let grew =
        wait_until(Duration::from_secs(2), || memory_kib(pid, "VmSize:") > before + 256 * 1024);
    assert!(!grew, "VmSize went from {before} KiB to {} KiB", memory_kib(pid, "VmSize:"));
    assert!(memory_kib(pid, "VmRSS:") < 512 * 1024);
    drop(clients);
}

#[test]
fn a_client_that_does_not_finish_its_handshake_is_closed() {
    let home = Home::new();
    home.start_with("OUTPOST_INSTANCE_HANDSHAKE_SECONDS", "0.3");
    let mut silent = UnixStream::connect(home.socket()).unwrap();
    assert!(closed_by_daemon(&mut silent, Duration::from_secs(20)), "silent client kept");
    // Half a hello, then nothing: closed as well.
    let mut half = UnixStream::connect(home.socket()).unwrap();
    half.write_all(&[60, 0, 0, 0, b'{']).unwrap();
    assert!(closed_by_daemon(&mut half, Duration::from_secs(20)), "half hello kept");
}

#[test]
fn a_client_that_stalls_in_the_middle_of_a_frame_is_closed() {
    let home = Home::new();
    home.start_with("OUTPOST_INSTANCE_STALL_SECONDS", "0.3");
    let mut stalled = greeted(&home.socket());
    stalled.write_all(&[100, 0, 0, 0]).unwrap();
    stalled.write_all(br#"{"type":"req"#).unwrap();
    assert!(closed_by_daemon(&mut stalled, Duration::from_secs(20)), "stalled client kept");
}

#[test]
fn a_silent_connection_is_closed_unless_it_holds_a_subscription() {
    let home = Home::new();
    home.start_with("OUTPOST_INSTANCE_SILENCE_SECONDS", "0.5");
    let mut watcher = greeted(&home.socket());
    send_frame(
        &mut watcher,
        r#"{"type":"request","id":1,"method":"subscribe","params":{"folder":"inbox"}}"#,
    );
    let subscribed = receive_frame(&mut watcher);
    assert_eq!(subscribed["type"], "response", "{subscribed}");
    let mut idle = greeted(&home.socket());
    assert!(closed_by_daemon(&mut idle, Duration::from_secs(20)), "silent client kept");
    // The watcher was just as silent, for longer: it is still served.
    std::thread::sleep(Duration::from_secs(1));
    send_frame(&mut watcher, r#"{"type":"request","id":2,"method":"ping","params":null}"#);
    watcher.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let pong = receive_frame(&mut watcher);
    assert_eq!((pong["type"].as_str(), pong["id"].as_u64()), (Some("response"), Some(2)));
}

#[test]
fn a_silent_connection_without_subscription_does_not_keep_the_daemon_alive() {
    let home = Home::new();
    let output = home.start_with("OUTPOST_INSTANCE_IDLE_SECONDS", "2");
    let status: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let pid = status["pid"].as_u64().unwrap();
    let _silent = greeted(&home.socket());
    assert!(
        wait_until(Duration::from_secs(15), || !process_alive(pid)),
        "a silent client kept daemon {pid} running"
    );
}

#[test]
fn a_watching_connection_keeps_the_daemon_alive() {
    let home = Home::new();
    let output = home.start_with("OUTPOST_INSTANCE_IDLE_SECONDS", "2");
    let status: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let pid = status["pid"].as_u64().unwrap();
    let mut watcher = greeted(&home.socket());
    send_frame(
        &mut watcher,
        r#"{"type":"request","id":1,"method":"subscribe","params":{"folder":"inbox"}}"#,
    );
    assert_eq!(receive_frame(&mut watcher)["type"], "response");
    // Twice the idle timeout.
    let died = wait_until(Duration::from_secs(4), || !process_alive(pid));
    assert!(!died, "the daemon exited under a watcher");
    drop(watcher);
    assert!(wait_until(Duration::from_secs(15), || !process_alive(pid)));
}

#[test]
fn stop_returns_once_the_daemon_is_gone_and_the_next_command_gets_a_new_one() {
    let home = Home::new();
    let first = home.json(&["instance", "start", "--json"])["pid"].as_u64().unwrap();
    // Keep the daemon busy with a logged-on session, as a user's would be.
    home.json(&["logon", "--json"]);
    let stopped = home.json(&["instance", "stop", "--json"]);
    assert_eq!(stopped["stopped"], true);
    // Its lock is free: no part of it is left to answer.
    let lock = std::fs::OpenOptions::new()
        .write(true)
        .open(home.dir.path().join("run/instance.lock"))
        .unwrap();
    assert!(lock.try_lock().is_ok(), "instance.lock still held after stop");
    drop(lock);
    assert!(!home.socket().exists());
    let second = home.json(&["instance", "start", "--json"])["pid"].as_u64().unwrap();
    assert_ne!(first, second);
}

/// Stands in for an instance that dies in the middle of each call: it greets the client,
/// reads its request, and goes away (socket removed) without answering. Returns the
/// requests it saw.
fn dying_instance(home: &Home) -> std::thread::JoinHandle<Vec<serde_json::Value>> {
    let run = home.dir.path().join("run");
    std::fs::create_dir_all(&run).unwrap();
    let listener = std::os::unix::net::UnixListener::bind(home.socket()).unwrap();
    let socket = home.socket();
    std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let hello = receive_frame(&mut stream);
        assert_eq!(hello["type"], "hello");
        send_frame(
            &mut stream,
            r#"{"type":"welcome","protocol_version":1,"server_version":"dying","pid":1}"#,
        );
        let request = receive_frame(&mut stream);
        std::fs::remove_file(&socket).unwrap();
        drop(listener);
        drop(stream);
        vec![request]
    })
}

#[test]
fn a_read_only_command_is_retried_on_a_fresh_instance_when_the_daemon_dies() {
    let home = Home::new();
    let dying = dying_instance(&home);
    let output = home.run(&["stores", "--json"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let stores: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(stores["profile"], "Outlook");
    let seen = dying.join().unwrap();
    assert_eq!(seen[0]["params"]["argv"][0], "stores");
    assert!(home.running_pid().is_some(), "no fresh instance answered");
}

#[test]
fn a_write_whose_daemon_dies_says_its_outcome_is_unknown() {
    let home = Home::new();
    let dying = dying_instance(&home);
    let output = home.run(&["item", "create", "inbox", "--subject", "maybe"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("unknown") && stderr.contains("outpost items"), "{stderr}");
    assert!(!stderr.contains("Broken pipe"), "{stderr}");
    assert_eq!(dying.join().unwrap().len(), 1);
    // Not sent again: no instance was started for a second try.
    assert!(!home.socket().exists(), "the write was retried");
}
