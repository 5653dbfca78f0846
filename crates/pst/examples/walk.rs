//! Full walk for benchmarks: every folder, every message's properties, bodies, recipients and
//! attachment data (embedded messages followed). `walk FILE [THREADS]` prints one JSON line.

use pst::{Message, NodeId, PstFile, WalkBudget};
use std::io::Read;
use std::time::Instant;

#[derive(Debug, Default)]
pub struct Totals {
    pub folders: u64,
    pub messages: u64,
    pub properties: u64,
    pub attachment_bytes: u64,
    /// Folders, tables and messages that could not be read: a benchmark that skips them
    /// silently would time less work than it claims.
    pub errors: u64,
    /// Embedded messages already walked (by data BID): a damaged file's attachments may name
    /// one message again and again, which would make the walk exponential in the depth.
    embedded_seen: std::collections::HashSet<u64>,
}

/// What one walk may still read: messages may share data (thousands naming one), so the walk
/// stops opening messages and attachments once it has read 64 × the file size.
#[derive(Clone, Copy)]
struct Walk<'f> {
    file: &'f PstFile,
    budget: WalkBudget,
}

fn walk_message(message: &Message, totals: &mut Totals, depth: usize, walk: Walk<'_>) {
    totals.messages += 1;
    totals.properties += message.properties().all().0.len() as u64;
    let _ = message.body();
    let _ = message.html();
    match message.recipients() {
        Ok(Some(recipients)) => {
            for row in recipients.rows() {
                match row.and_then(|r| r.values()) {
                    Ok(values) => totals.properties += values.len() as u64,
                    Err(_) => totals.errors += 1,
                }
            }
        }
        Ok(None) => {}
        Err(_) => totals.errors += 1,
    }
    let attachments = message.attachments().unwrap_or_else(|_| {
        totals.errors += 1;
        Vec::new()
    });
    for attachment in attachments {
        if walk.budget.check(walk.file.ndb()).is_err() {
            totals.errors += 1;
            continue;
        }
        // Every property but the data, which is streamed below rather than loaded whole.
        let pc = attachment.properties();
        let tags: Vec<_> = pc.tags().filter(|t| t.id() != 0x3701).collect();
        totals.properties += tags.iter().filter(|t| pc.value(t.id()).is_ok()).count() as u64;
        if depth < 16
            && let Ok(Some(embedded)) = attachment.embedded_message()
        {
            if totals.embedded_seen.insert(embedded.data_bid().0) {
                walk_message(&embedded, totals, depth + 1, walk);
            }
        } else if let Ok(Some(mut reader)) = attachment.data_reader() {
            let mut buf = vec![0u8; 64 * 1024];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                totals.attachment_bytes += n as u64;
            }
        }
    }
}

/// Walks every folder (by hierarchy tables) and every message of each (by contents tables),
/// split across `threads` threads.
pub fn walk_file(file: &PstFile, threads: usize) -> Totals {
    let threads = threads.max(1);
    let mut errors = 0;
    let mut folders = Vec::new();
    let mut stack = match file.root_folder() {
        Ok(root) => vec![root],
        Err(_) => {
            errors += 1;
            Vec::new()
        }
    };
    // Each folder once: hierarchy tables of a damaged file may form a cycle.
    let mut seen = std::collections::HashSet::from([NodeId::ROOT_FOLDER]);
    while let Some(folder) = stack.pop() {
        match folder.subfolders() {
            Ok(subs) => stack.extend(subs.into_iter().filter(|f| seen.insert(f.nid()))),
            Err(_) => errors += 1,
        }
        folders.push(folder);
    }
    let mut nids: Vec<NodeId> = Vec::new();
    for folder in &folders {
        match folder.message_nids() {
            Ok(found) => nids.extend(found),
            Err(_) => errors += 1,
        }
    }
    let walk = Walk { file, budget: WalkBudget::start(file.ndb()) };
    let totals: Vec<Totals> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let nids = &nids;
                s.spawn(move || {
                    let mut totals = Totals::default();
                    for nid in nids.iter().skip(t).step_by(threads) {
                        match walk.budget.check(file.ndb()).and_then(|()| file.message(*nid)) {
                            Ok(message) => walk_message(&message, &mut totals, 0, walk),
                            Err(_) => totals.errors += 1,
                        }
                    }
                    totals
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("walker thread")).collect()
    });
    let mut sum = Totals { folders: folders.len() as u64, errors, ..Totals::default() };
    for t in totals {
        sum.messages += t.messages;
        sum.properties += t.properties;
        sum.attachment_bytes += t.attachment_bytes;
        sum.errors += t.errors;
    }
    sum
}

#[allow(dead_code)] // Tests include this file for `walk_file` and never call `main`.
fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: walk FILE [THREADS]");
    let threads: usize = args.next().map_or(1, |t| t.parse().expect("THREADS"));
    let start = Instant::now();
    let file = PstFile::open(&path).expect("open");
    let totals = walk_file(&file, threads);
    let seconds = start.elapsed().as_secs_f64();
    let size_mb = file.file_size() as f64 / 1e6;
    println!(
        "{{\"tool\":\"outpost\",\"threads\":{threads},\"folders\":{},\"messages\":{},\
         \"properties\":{},\"attachment_bytes\":{},\"errors\":{},\"seconds\":{seconds:.4},\
         \"mb_per_s\":{:.1},\"messages_per_s\":{:.0}}}",
        totals.folders,
        totals.messages,
        totals.properties,
        totals.attachment_bytes,
        totals.errors,
        size_mb / seconds,
        totals.messages as f64 / seconds
    );
}
