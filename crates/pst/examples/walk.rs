//! Full walk for benchmarks: every folder, every message's properties, bodies, recipients and
//! attachment data (embedded messages followed). `walk FILE [THREADS]` prints one JSON line.

use pst::{Message, NodeId, PstFile};
use std::io::Read;
use std::time::Instant;

#[derive(Default)]
struct Totals {
    /// Embedded messages already walked (by data BID): a damaged file's attachments may name
    /// one message again and again, which would make the walk exponential in the depth.
    embedded_seen: std::collections::HashSet<u64>,
    messages: u64,
    properties: u64,
    attachment_bytes: u64,
}

fn walk_message(message: &Message, totals: &mut Totals, depth: usize) {
    totals.messages += 1;
    totals.properties += message.properties().all().0.len() as u64;
    let _ = message.body();
    let _ = message.html();
    if let Ok(Some(recipients)) = message.recipients() {
        for row in recipients.rows().flatten() {
            totals.properties += row.values().map_or(0, |v| v.len() as u64);
        }
    }
    for attachment in message.attachments().unwrap_or_default() {
        // Every property but the data, which is streamed below rather than loaded whole.
        let pc = attachment.properties();
        let tags: Vec<_> = pc.tags().filter(|t| t.id() != 0x3701).collect();
        totals.properties += tags.iter().filter(|t| pc.value(t.id()).is_ok()).count() as u64;
        if depth < 16
            && let Ok(Some(embedded)) = attachment.embedded_message()
        {
            if totals.embedded_seen.insert(embedded.data_bid().0) {
                walk_message(&embedded, totals, depth + 1);
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

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: walk FILE [THREADS]");
    let threads: usize = args.next().map_or(1, |t| t.parse().expect("THREADS"));
    let start = Instant::now();
    let file = PstFile::open(&path).expect("open");
    // Every folder by hierarchy tables, then the messages of each, split across threads.
    let mut folders = Vec::new();
    let mut stack = vec![file.root_folder().expect("root folder")];
    // Each folder once: hierarchy tables of a damaged file may form a cycle.
    let mut seen = std::collections::HashSet::from([NodeId::ROOT_FOLDER]);
    while let Some(folder) = stack.pop() {
        stack.extend(
            folder.subfolders().unwrap_or_default().into_iter().filter(|f| seen.insert(f.nid())),
        );
        folders.push(folder);
    }
    let nids: Vec<NodeId> =
        folders.iter().flat_map(|f| f.message_nids().unwrap_or_default()).collect();
    let totals: Vec<Totals> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let file = &file;
                let nids = &nids;
                s.spawn(move || {
                    let mut totals = Totals::default();
                    for nid in nids.iter().skip(t).step_by(threads) {
                        if let Ok(message) = file.message(*nid) {
                            walk_message(&message, &mut totals, 0);
                        }
                    }
                    totals
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("walker thread")).collect()
    });
    let seconds = start.elapsed().as_secs_f64();
    let messages: u64 = totals.iter().map(|t| t.messages).sum();
    let properties: u64 = totals.iter().map(|t| t.properties).sum();
    let bytes: u64 = totals.iter().map(|t| t.attachment_bytes).sum();
    let size_mb = file.file_size() as f64 / 1e6;
    println!(
        "{{\"tool\":\"outpost\",\"threads\":{threads},\"folders\":{},\"messages\":{messages},\
         \"properties\":{properties},\"attachment_bytes\":{bytes},\"seconds\":{seconds:.4},\
         \"mb_per_s\":{:.1},\"messages_per_s\":{:.0}}}",
        folders.len(),
        size_mb / seconds,
        messages as f64 / seconds
    );
}
