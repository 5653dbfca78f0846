//! The same walk as `walk` with Microsoft's `outlook-pst` crate (single thread: it is `Rc`
//! based), for the benchmark. `walk_outlook_pst FILE` prints one JSON line.

use outlook_pst::messaging::store::Store;
use std::rc::Rc;
use std::time::Instant;

fn main() {
    let path = std::env::args().nth(1).expect("usage: walk_outlook_pst FILE");
    let start = Instant::now();
    let store: Rc<dyn Store> = outlook_pst::open_store(&path).expect("open");
    let ours = pst::PstFile::open(&path).expect("open");
    // Node IDs come from the same node B-tree; opening and reading is outlook-pst's own.
    let nids: Vec<u32> = ours
        .nodes()
        .expect("nodes")
        .into_iter()
        .filter(|n| n.nid.type_code() == 0x04)
        .map(|n| n.nid.0)
        .collect();
    let (mut messages, mut properties, mut refused) = (0u64, 0u64, 0u64);
    for nid in nids {
        let node = outlook_pst::ndb::node_id::NodeId::from(nid);
        let Ok(entry_id) = store.properties().make_entry_id(node) else { continue };
        let Ok(message) = store.open_message(&entry_id, None) else {
            refused += 1;
            continue;
        };
        messages += 1;
        properties += message.properties().iter().count() as u64;
        if let Some(table) = message.recipient_table() {
            properties += table.rows_matrix().count() as u64;
        }
        if let Some(table) = message.attachment_table() {
            properties += table.rows_matrix().count() as u64;
        }
    }
    let seconds = start.elapsed().as_secs_f64();
    let size_mb = std::fs::metadata(&path).map_or(0.0, |m| m.len() as f64 / 1e6);
    println!(
        "{{\"tool\":\"outlook-pst\",\"threads\":1,\"messages\":{messages},\"refused\":{refused},\
         \"properties\":{properties},\"seconds\":{seconds:.4},\"mb_per_s\":{:.1},\
         \"messages_per_s\":{:.0}}}",
        size_mb / seconds,
        messages as f64 / seconds
    );
}
