#![no_main]
//! A whole file mounted as a `mapi` message store and walked through the provider traits:
//! folders, contents and hierarchy tables, messages, recipients, attachments (data streams and
//! embedded messages), special folders. Seed with corpus files.
use mapi::catalog::tags as t;
use mapi::provider::{Folder, Message, MessageStore, SpecialFolder};
use std::path::Path;

fn message(m: &dyn Message, depth: usize) {
    let _ = m.get_all_props();
    if let Ok(table) = m.recipient_table() {
        let _ = table.query_rows(1000);
    }
    let Ok(table) = m.attachment_table() else { return };
    for number in 0..table.row_count().unwrap_or(0).min(64) {
        let Ok(attachment) = m.open_attachment(number) else { continue };
        if let Ok(mut stream) = attachment.open_property_stream(t::PidTagAttachDataBinary) {
            let _ = std::io::copy(&mut stream, &mut std::io::sink());
        }
        if depth < 8
            && let Ok(inner) = attachment.open_embedded_message(false)
        {
            message(inner.as_ref(), depth + 1);
        }
    }
}

/// `seen` holds the entry IDs of folders already walked: a damaged file's hierarchy tables may
/// form a cycle, and a walk without it would be exponential in the depth (as it would be for
/// any client; `outpost folders` keeps one too).
fn folder(
    store: &dyn MessageStore,
    f: &dyn Folder,
    depth: usize,
    seen: &mut std::collections::HashSet<Vec<u8>>,
) {
    let _ = f.get_all_props();
    for associated in [false, true] {
        let Ok(table) = f.contents_table(associated) else { continue };
        let _ = table.set_columns(&[t::PidTagEntryId]);
        // Each open is one request, bounded by itself (64 × the file size at most); a file
        // whose thousands of message nodes share one property context makes N opens cost N
        // times that, which is the number of requests, not a request without a bound
        // (docs/RELIABILITY.md). 64 messages a folder keep every code path in reach.
        for row in table.query_rows(64).unwrap_or_default() {
            if let Some(id) = row[0].value.as_binary()
                && let Ok(m) = store.open_message(id)
            {
                message(m.as_ref(), 0);
            }
        }
    }
    if depth < 16
        && let Ok(table) = f.hierarchy_table(false)
    {
        let _ = table.set_columns(&[t::PidTagEntryId]);
        for row in table.query_rows(1000).unwrap_or_default() {
            if let Some(id) = row[0].value.as_binary()
                && seen.insert(id.to_vec())
                && let Ok(child) = store.open_folder(id)
            {
                folder(store, child.as_ref(), depth + 1, seen);
            }
        }
    }
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let options = pst::OpenOptions { lenient: true };
    let Ok(file) = pst::PstFile::from_reader(Box::new(data.to_vec()), options) else { return };
    let Ok(store) = pst::provider::PstStore::from_file(file, Path::new("fuzz.pst"), None) else {
        return;
    };
    for &which in SpecialFolder::ALL {
        let _ = store.special_folder_entry_id(which);
    }
    if let Ok(root) = store.root_folder() {
        folder(&store, root.as_ref(), 0, &mut Default::default());
    }
});
