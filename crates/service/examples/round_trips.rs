//! Round trips over one connection to the running instance, timed from Rust (no Python in the
//! loop): `cargo run --release -p outpost-service --example round_trips -- RUNTIME_DIR ENTRY_ID [CALLS]`.
//! Used by scripts/bench/instance; prints one JSON line.

use serde_json::json;
use service::{Client, InstancePaths, OutlookSession, RemoteSession};
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn percentile(samples: &mut [Duration], q: usize) -> f64 {
    samples.sort();
    let index = (samples.len() * q / 100).min(samples.len().saturating_sub(1));
    samples.get(index).map_or(0.0, |d| (d.as_secs_f64() * 1e7).round() / 10.0)
}

fn time(calls: usize, mut call: impl FnMut()) -> (f64, f64) {
    for _ in 0..50 {
        call();
    }
    let mut samples: Vec<Duration> = (0..calls)
        .map(|_| {
            let start = Instant::now();
            call();
            start.elapsed()
        })
        .collect();
    (percentile(&mut samples, 50), percentile(&mut samples, 99))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: round_trips RUNTIME_DIR ENTRY_ID [CALLS]";
    let dir = PathBuf::from(args.next().ok_or(usage)?);
    let entry_id = args.next().ok_or(usage)?;
    let calls: usize = args.next().map(|n| n.parse()).transpose()?.unwrap_or(1000);
    let paths = InstancePaths::new(&dir);
    let mut client = Client::connect(&paths)?;
    let ping = time(calls, || {
        client.call("ping", serde_json::Value::Null).expect("ping");
    });
    let item_get = time(calls, || {
        client.call("item_get", json!({ "entry_id": entry_id })).expect("item_get");
    });
    let remote = RemoteSession::connect(&paths)?;
    let trait_call = time(calls, || {
        remote.get_item_from_id(&entry_id).expect("get_item_from_id");
    });
    println!(
        "{}",
        json!({
            "calls": calls,
            "ping_us": { "p50": ping.0, "p99": ping.1 },
            "item_get_us": { "p50": item_get.0, "p99": item_get.1 },
            "remote_session_get_item_from_id_us": { "p50": trait_call.0, "p99": trait_call.1 },
        })
    );
    Ok(())
}
