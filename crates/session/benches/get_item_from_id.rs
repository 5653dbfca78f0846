//! `NameSpace::get_item_from_id` (hex parsing, routing by provider UID, typing the item) against
//! the raw `MessageStore::open_message` it ends in, on an embedded mailbox of a few items.
//!
//! Run: `cargo bench -p outpost-session --bench get_item_from_id`.

use criterion::{Criterion, criterion_group, criterion_main};
use session::{Application, OlDefaultFolders, OutpostPaths};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let home = tempfile::tempdir().unwrap();
    let app = Application::new(OutpostPaths::under(home.path()));
    let ns = app.session();
    ns.logon(None, None, false, false).unwrap();
    let inbox = ns.get_default_folder(OlDefaultFolders::Inbox).unwrap();
    let mut ids = Vec::new();
    for n in 0..16 {
        let item = inbox.create_item(None).unwrap();
        item.set_subject(&format!("item {n}")).unwrap();
        item.save().unwrap();
        ids.push(item.entry_id_bytes().unwrap());
    }
    let hex: Vec<String> = ids.iter().map(|id| mapi::hex::encode(id)).collect();
    let backend = ns.default_store().unwrap().backend().clone();

    let mut group = c.benchmark_group("get_item_from_id");
    group.bench_function("raw store open_message", |b| {
        let mut n = 0;
        b.iter(|| {
            n = (n + 1) % ids.len();
            black_box(backend.open_message(&ids[n]).unwrap())
        })
    });
    group.bench_function("session get_item_from_id_bytes", |b| {
        let mut n = 0;
        b.iter(|| {
            n = (n + 1) % ids.len();
            black_box(ns.get_item_from_id_bytes(&ids[n], None).unwrap())
        })
    });
    group.bench_function("session get_item_from_id (hex)", |b| {
        let mut n = 0;
        b.iter(|| {
            n = (n + 1) % hex.len();
            black_box(ns.get_item_from_id(&hex[n], None).unwrap())
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
