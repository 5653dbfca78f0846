//! A result far larger than one frame reaches the client whole (chunked on the wire).

use mapi::MapiError;
use serde_json::{Value, json};
use service::{Client, Connection, DaemonConfig, Handler, InstancePaths, ServiceError};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Debug)]
struct BigAnswers;

impl Handler for BigAnswers {
    fn handle(&self, method: &str, params: Value, _: &Connection) -> Result<Value, MapiError> {
        match method {
            "big" => {
                let lines = params["lines"].as_u64().unwrap_or(0) as usize;
                let output: String = (0..lines).map(|i| format!("line {i}: écrit €\n")).collect();
                Ok(json!({ "output": output }))
            }
            _ => Err(MapiError::not_found(method.to_owned())),
        }
    }
}

#[test]
fn a_result_of_40_mib_arrives_whole_over_one_connection() {
    let dir = tempfile::tempdir().unwrap();
    let paths = InstancePaths::new(&dir.path().join("run"));
    let mut config = DaemonConfig::new(paths.clone());
    config.idle_timeout = Duration::from_secs(30);
    let daemon = std::thread::spawn(move || service::daemon::run(config, Arc::new(BigAnswers)));

    let deadline = Instant::now() + Duration::from_secs(10);
    let mut client = loop {
        match Client::connect(&paths) {
            Ok(client) => break client,
            Err(ServiceError::NotRunning) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(10));
            }
            Err(err) => panic!("cannot connect: {err}"),
        }
    };
    let lines = 2_000_000u64;
    let result = client.call("big", json!({ "lines": lines })).unwrap();
    let output = result["output"].as_str().unwrap();
    assert!(output.len() > 40 * 1024 * 1024, "{} bytes", output.len());
    assert_eq!(output.lines().count() as u64, lines);
    assert!(output.ends_with(&format!("line {}: écrit €\n", lines - 1)));
    // The connection is still in step: the next call gets its own answer.
    let small = client.call("big", json!({ "lines": 1 })).unwrap();
    assert_eq!(small["output"], "line 0: écrit €\n");

    client.call("stop", Value::Null).unwrap();
    daemon.join().unwrap().unwrap();
}
