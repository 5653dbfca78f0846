//! Connections the instance closes (silence) are reopened by `RemoteSession` for the next
//! call, so a program that pauses for longer than the silence limit keeps working.

use mapi::MapiError;
use serde_json::{Value, json};
use service::{
    Client, Connection, DaemonConfig, Handler, InstancePaths, OutlookSession, RemoteSession,
    ServiceError,
};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Answers `session` as the CLI would for `stores` and `item create`, counting creations.
#[derive(Debug, Default)]
struct FakeSession {
    created: AtomicUsize,
}

impl Handler for FakeSession {
    fn handle(&self, method: &str, params: Value, _: &Connection) -> Result<Value, MapiError> {
        let output = match params["argv"][0].as_str() {
            Some("stores") if method == "session" => json!({ "stores": [] }),
            Some("item") if method == "session" => {
                let n = self.created.fetch_add(1, Ordering::SeqCst) + 1;
                json!({ "entry_id": format!("{n:02x}") })
            }
            _ => return Err(MapiError::not_found(method.to_owned())),
        };
        Ok(json!({ "output": output.to_string(), "error": null }))
    }
}

fn start(config: DaemonConfig, handler: Arc<FakeSession>) -> std::thread::JoinHandle<()> {
    let paths = config.paths.clone();
    let daemon = std::thread::spawn(move || service::daemon::run(config, handler).unwrap());
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        match Client::connect(&paths) {
            Ok(_) => return daemon,
            Err(ServiceError::NotRunning) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(10));
            }
            Err(err) => panic!("cannot connect: {err}"),
        }
    }
}

#[test]
fn a_connection_closed_for_silence_is_reopened_for_reads_and_writes() {
    let dir = tempfile::tempdir().unwrap();
    let paths = InstancePaths::new(&dir.path().join("run"));
    let mut config = DaemonConfig::new(paths.clone());
    config.silence_timeout = Duration::from_millis(200);
    let handler = Arc::new(FakeSession::default());
    let daemon = start(config, Arc::clone(&handler));

    let remote = RemoteSession::connect(&paths).unwrap();
    assert!(remote.stores().unwrap().is_empty());
    // Silent for longer than the limit: the instance closes the connection.
    let mut probe = Client::connect(&paths).unwrap();
    std::thread::sleep(Duration::from_secs(1));
    let closed = probe.call("status", Value::Null).unwrap_err();
    assert!(closed.is_connection_lost(), "{closed:?}");
    assert!(remote.stores().unwrap().is_empty(), "a read after a pause");
    std::thread::sleep(Duration::from_secs(1));
    assert_eq!(remote.create_item("inbox", "after a pause", None).unwrap(), "01");
    assert_eq!(handler.created.load(Ordering::SeqCst), 1, "the write ran once");

    let mut client = Client::connect(&paths).unwrap();
    client.call("stop", Value::Null).unwrap();
    daemon.join().unwrap();
}
