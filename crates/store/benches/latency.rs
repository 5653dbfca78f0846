//! Latency percentiles for the embedded store targets of issue 4 (criterion gives medians only).
//!
//! `cargo bench -p outpost-store --bench latency` (release profile). It builds a mailbox of
//! `OUTPOST_LATENCY_MESSAGES` messages (default 1,000,000: ten folders of 100,000, the Inbox
//! one of them) once and reuses it: the file lives at `OUTPOST_LATENCY_MAILBOX` (default
//! `target/bench-mailboxes/mailbox-N.db` beside the workspace). Then it prints:
//! - insert: 100,000 messages (8 properties, 2 KiB body) in batches of 1,000 into a fresh
//!   mailbox (`OUTPOST_LATENCY_INSERT=0` skips it);
//! - open a message by entry ID: `OUTPOST_LATENCY_SAMPLES` random messages (default 20,000),
//!   each opened once to warm the caches, then opened again in another random order and timed
//!   one by one: p50/p90/p99/max;
//! - the floor in the same run, on a plain rusqlite connection to the same file and the same
//!   messages: one primary-key lookup of one property row, and the read of all property rows of
//!   the message;
//! - the first 50 rows of the Inbox (100,000 messages) sorted by delivery time, 200 times;
//! - file size ÷ bytes of the stored property values.

mod common;

use common::message;
use mapi::entry_id::{ExchangeMessageType, Gid, MessageEntryId, ProviderUid};
use mapi::provider::{Folder, FolderKind, MessageStore, SpecialFolder};
use mapi::{Guid, PropTag, PropType, SortOrder, SortOrderSet};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use store::{CreateOptions, Mailbox};

const FOLDER_SIZE: usize = 100_000;
const BATCH: usize = 1_000;
const BUILD_BATCH: usize = 10_000;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }
}

fn percentiles(label: &str, mut samples: Vec<Duration>) {
    samples.sort_unstable();
    let at = |q: f64| samples[((samples.len() as f64 * q) as usize).min(samples.len() - 1)];
    let micros = |d: Duration| d.as_secs_f64() * 1e6;
    println!(
        "{label:<58} n={:<6} p50 {:>9.1} µs  p90 {:>9.1} µs  p99 {:>9.1} µs  max {:>9.1} µs",
        samples.len(),
        micros(at(0.50)),
        micros(at(0.90)),
        micros(at(0.99)),
        micros(samples[samples.len() - 1]),
    );
}

fn insert_rate() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mailbox =
        Mailbox::create(&dir.path().join("insert.db"), &CreateOptions::default()).expect("create");
    let inbox = mailbox.special_folder_entry_id(SpecialFolder::Inbox).expect("inbox");
    let total = 100_000;
    let started = Instant::now();
    for start in (0..total).step_by(BATCH) {
        let batch: Vec<_> = (start..start + BATCH).map(message).collect();
        mailbox.insert_messages(&inbox, &batch, false).expect("insert");
    }
    let elapsed = started.elapsed();
    println!(
        "insert {total} messages in batches of {BATCH}: {:.1} s, {:.0} msg/s",
        elapsed.as_secs_f64(),
        total as f64 / elapsed.as_secs_f64()
    );
}

/// Builds the mailbox at `path` (ten folders of 100,000 messages, the Inbox first) unless it
/// is there already; returns whether it was built now.
fn build(path: &Path, total: usize) -> bool {
    if path.exists() {
        return false;
    }
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mailbox directory");
    let building = path.with_extension("building");
    let _ = std::fs::remove_file(&building);
    let mailbox = Mailbox::create(&building, &CreateOptions::default()).expect("create");
    let inbox_id = mailbox.special_folder_entry_id(SpecialFolder::Inbox).expect("inbox");
    let inbox = mailbox.open_folder(&inbox_id).expect("inbox");
    let started = Instant::now();
    let mut done = 0;
    let mut folder_number = 0;
    while done < total {
        let folder = if folder_number == 0 {
            inbox_id.clone()
        } else {
            inbox
                .create_folder(&format!("Archive {folder_number}"), FolderKind::Generic, false)
                .expect("folder")
                .entry_id()
        };
        let end = (done + FOLDER_SIZE).min(total);
        for start in (done..end).step_by(BUILD_BATCH) {
            let batch: Vec<_> = (start..(start + BUILD_BATCH).min(end)).map(message).collect();
            mailbox.insert_messages(&folder, &batch, false).expect("insert");
        }
        done = end;
        folder_number += 1;
        eprintln!("built {done} of {total} messages ({:.0} s)", started.elapsed().as_secs_f64());
    }
    let elapsed = started.elapsed();
    drop(inbox);
    drop(mailbox);
    std::fs::rename(&building, path).expect("rename");
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", building.display()));
    }
    println!(
        "built the {total}-message mailbox in batches of {BUILD_BATCH}: {:.0} s, {:.0} msg/s",
        elapsed.as_secs_f64(),
        total as f64 / elapsed.as_secs_f64()
    );
    true
}

fn default_path(total: usize) -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../target/bench-mailboxes"))
        .join(format!("mailbox-{total}.db"))
}

fn main() {
    // `cargo bench` passes `--bench`; nothing here takes arguments.
    let total = env_usize("OUTPOST_LATENCY_MESSAGES", 1_000_000);
    let samples = env_usize("OUTPOST_LATENCY_SAMPLES", 20_000);
    let path = std::env::var_os("OUTPOST_LATENCY_MAILBOX")
        .map(PathBuf::from)
        .unwrap_or_else(|| default_path(total));
    if env_usize("OUTPOST_LATENCY_INSERT", 1) != 0 {
        insert_rate();
    }
    if !build(&path, total) {
        println!("reusing {}", path.display());
    }

    let raw =
        rusqlite::Connection::open_with_flags(&path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("raw connection");
    let meta_guid = |key: &str| -> Guid {
        let bytes: Vec<u8> = raw
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .expect("meta");
        Guid::from_le_bytes(bytes.try_into().expect("16-byte GUID"))
    };
    let (mailbox_guid, database_guid) = (meta_guid("mailbox_guid"), meta_guid("database_guid"));
    let messages: Vec<(i64, i64)> = raw
        .prepare("SELECT id, folder_id FROM messages WHERE folder_id IS NOT NULL ORDER BY id")
        .expect("prepare")
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("ids");
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut picked: Vec<(i64, i64)> =
        (0..samples).map(|_| messages[rng.below(messages.len())]).collect();
    let gid = |counter: i64| Gid::new(database_guid, counter as u64).expect("48-bit counter");
    let entry_id = |(message, folder): (i64, i64)| {
        MessageEntryId::new(
            ProviderUid::from_guid(mailbox_guid),
            ExchangeMessageType::Private,
            gid(folder),
            gid(message),
        )
        .encode()
    };

    let mailbox = Mailbox::open(&path).expect("open");
    println!(
        "mailbox of {} messages, {samples} random messages, warm cache (each opened once before)",
        messages.len()
    );
    let ids: Vec<Vec<u8>> = picked.iter().map(|&m| entry_id(m)).collect();
    for id in &ids {
        black_box(mailbox.open_message(id).expect("open"));
    }
    let mut order: Vec<usize> = (0..ids.len()).collect();
    rng.shuffle(&mut order);
    let mut timings = Vec::with_capacity(ids.len());
    for &i in &order {
        let started = Instant::now();
        let message = mailbox.open_message(&ids[i]).expect("open");
        timings.push(started.elapsed());
        black_box(message);
    }
    percentiles("open a message by entry ID", timings);
    let subject = PropTag::new(0x0037, PropType::String);
    let mut timings = Vec::with_capacity(ids.len());
    for &i in &order {
        let started = Instant::now();
        let message = mailbox.open_message(&ids[i]).expect("open");
        let props = message.get_props(&[subject]).expect("subject");
        timings.push(started.elapsed());
        black_box(props);
    }
    percentiles("open by entry ID and read the subject", timings);

    // The floor twice: on a plain connection (SQLite defaults) and with the memory-mapped
    // reads the store's reader connections use; each query runs once over the sample to warm
    // the caches, then timed over it in another order.
    let tag = i64::from(subject.0);
    for (setting, mmap) in [("plain", 0), ("mmap", 0x7FFF_0000_i64)] {
        let conn = rusqlite::Connection::open_with_flags(
            &path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        )
        .expect("floor connection");
        conn.pragma_update(None, "mmap_size", mmap).expect("mmap_size");
        let mut one = conn
            .prepare("SELECT value FROM properties WHERE object_id = ?1 AND tag = ?2")
            .expect("prepare");
        let mut all = conn
            .prepare("SELECT tag, value FROM properties WHERE object_id = ?1")
            .expect("prepare");
        let mut read_all = |id: i64| -> Vec<(i64, rusqlite::types::Value)> {
            all.query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))
                .expect("query")
                .collect::<Result<_, _>>()
                .expect("rows")
        };
        for &(id, _) in &picked {
            black_box(read_all(id));
        }
        rng.shuffle(&mut picked);
        let mut timings = Vec::with_capacity(picked.len());
        for &(id, _) in &picked {
            let started = Instant::now();
            let value: String =
                one.query_row(rusqlite::params![id, tag], |r| r.get(0)).expect("row");
            timings.push(started.elapsed());
            black_box(value);
        }
        percentiles(
            &format!("floor ({setting}): SQLite primary-key lookup of one property"),
            timings,
        );
        rng.shuffle(&mut picked);
        let mut timings = Vec::with_capacity(picked.len());
        for &(id, _) in &picked {
            let started = Instant::now();
            let rows = read_all(id);
            timings.push(started.elapsed());
            black_box(rows);
        }
        percentiles(&format!("floor ({setting}): SQLite read of all property rows"), timings);
    }

    let inbox_id = mailbox.special_folder_entry_id(SpecialFolder::Inbox).expect("inbox");
    let inbox = mailbox.open_folder(&inbox_id).expect("inbox");
    let order =
        SortOrderSet::new(vec![SortOrder::descending(PropTag::new(0x0E06, PropType::Time))]);
    let first_50 = |inbox: &dyn Folder| {
        let table = inbox.contents_table(false).expect("table");
        table.sort(&order).expect("sort");
        table.query_rows(50).expect("rows")
    };
    let rows = first_50(inbox.as_ref());
    assert_eq!(rows.len(), 50, "the Inbox holds at least 50 messages");
    let in_inbox = messages.iter().filter(|(_, f)| Some(*f) == messages.first().map(|m| m.1));
    let label =
        format!("contents table of {} messages by delivery time, 50 rows", in_inbox.count());
    let mut timings = Vec::with_capacity(200);
    for _ in 0..200 {
        let started = Instant::now();
        black_box(first_50(inbox.as_ref()));
        timings.push(started.elapsed());
    }
    percentiles(&label, timings);

    // Two counts of the stored values: as the file holds them (strings in UTF-8, the measure
    // `tests/batch.rs` pins) and as MAPI counts them (`byte_size`, strings in UTF-16).
    let (mut utf8, mut mapi_count) = (0usize, 0usize);
    for i in 0..messages.len() {
        for value in message(i) {
            utf8 += value.value.as_str().map_or_else(|| value.value.byte_size(), str::len);
            mapi_count += value.value.byte_size();
        }
    }
    let file = std::fs::metadata(&path).expect("file").len();
    let wal = std::fs::metadata(format!("{}-wal", path.display())).map_or(0, |m| m.len());
    let mib = |bytes: f64| bytes / 1_048_576.0;
    println!(
        "storage: file {:.1} MiB (+ WAL {:.1} MiB); values {:.1} MiB as stored (UTF-8): {:.2}×; \
         {:.1} MiB as MAPI counts them (UTF-16): {:.2}×",
        mib(file as f64),
        mib(wal as f64),
        mib(utf8 as f64),
        file as f64 / utf8 as f64,
        mib(mapi_count as f64),
        file as f64 / mapi_count as f64
    );
}
