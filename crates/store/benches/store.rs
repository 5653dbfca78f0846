//! Embedded store benchmarks (issue 4 targets; results go to docs/PERFORMANCE.md).
//!
//! Sizes default to smoke sizes so `cargo bench` stays short on a shared machine; set
//! `OUTPOST_BENCH_MESSAGES` (for example 100000 or 1000000) for the sizes the targets name.
//! - insert: batches of 1,000 messages (8 properties, 2 KiB body) through `insert_messages`;
//! - open by entry ID in a mailbox of N messages, random IDs, warm cache;
//! - the first 50 rows of an N-message folder sorted by delivery time;
//! - the floor: a plain SQLite primary-key lookup of one property row in the same file.

mod common;

use common::message;
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use mapi::provider::{MessageStore, SpecialFolder};
use mapi::{PropTag, PropType, SortOrder, SortOrderSet};
use std::hint::black_box;
use store::{CreateOptions, Mailbox};

const BATCH: usize = 1_000;

fn messages() -> usize {
    std::env::var("OUTPOST_BENCH_MESSAGES").ok().and_then(|v| v.parse().ok()).unwrap_or(20_000)
}

fn filled_mailbox(dir: &std::path::Path, n: usize) -> (Mailbox, Vec<u8>, Vec<Vec<u8>>) {
    let mailbox =
        Mailbox::create(&dir.join("bench.db"), &CreateOptions::default()).expect("create");
    let inbox = mailbox.special_folder_entry_id(SpecialFolder::Inbox).expect("inbox");
    let mut ids = Vec::with_capacity(n);
    for start in (0..n).step_by(BATCH) {
        let batch: Vec<_> = (start..(start + BATCH).min(n)).map(message).collect();
        ids.extend(mailbox.insert_messages(&inbox, &batch, false).expect("insert"));
    }
    (mailbox, inbox, ids)
}

fn insert(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let mailbox =
        Mailbox::create(&dir.path().join("insert.db"), &CreateOptions::default()).expect("create");
    let inbox = mailbox.special_folder_entry_id(SpecialFolder::Inbox).expect("inbox");
    let mut group = c.benchmark_group("insert");
    group.throughput(Throughput::Elements(BATCH as u64));
    group.sample_size(10);
    let mut next = 0;
    group.bench_function("batch_of_1000_messages", |b| {
        b.iter_batched(
            || {
                next += BATCH;
                (next..next + BATCH).map(message).collect::<Vec<_>>()
            },
            |batch| mailbox.insert_messages(&inbox, &batch, false).expect("insert"),
            BatchSize::LargeInput,
        );
    });
    group.finish();
}

fn lookups(c: &mut Criterion) {
    let n = messages();
    let dir = tempfile::tempdir().expect("tempdir");
    let (mailbox, inbox, ids) = filled_mailbox(dir.path(), n);
    let mut group = c.benchmark_group(format!("mailbox_of_{n}"));
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut pick = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    group.bench_function("open_message_by_entry_id", |b| {
        b.iter(|| black_box(mailbox.open_message(&ids[pick()]).expect("open")));
    });
    let conn = rusqlite::Connection::open(dir.path().join("bench.db")).expect("raw connection");
    let first: i64 = conn.query_row("SELECT MIN(id) FROM messages", [], |r| r.get(0)).expect("min");
    let mut stmt = conn
        .prepare("SELECT value FROM properties WHERE object_id = ?1 AND tag = ?2")
        .expect("prepare");
    group.bench_function("sqlite_primary_key_lookup_floor", |b| {
        b.iter(|| {
            let id = first + pick() as i64;
            let v: String =
                stmt.query_row(rusqlite::params![id, 0x0037_001F_i64], |r| r.get(0)).expect("row");
            black_box(v)
        });
    });
    let folder = mailbox.open_folder(&inbox).expect("folder");
    let order =
        SortOrderSet::new(vec![SortOrder::descending(PropTag::new(0x0E06, PropType::Time))]);
    group.sample_size(10);
    group.bench_function("first_50_rows_sorted_by_delivery_time", |b| {
        b.iter(|| {
            let table = folder.contents_table(false).expect("table");
            table.sort(&order).expect("sort");
            black_box(table.query_rows(50).expect("rows"))
        });
    });
    group.finish();
}

criterion_group!(benches, insert, lookups);
criterion_main!(benches);
