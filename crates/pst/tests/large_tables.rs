//! Table contexts whose row matrix spans several blocks of a data tree, with row sizes that do
//! not divide the block size (MS-PST 2.3.4.4.1): every reader of tables must see every row,
//! at the right place, and agree with `pst dump`. The files come from the test-only builder.

mod common;

use common::builder::{self, LargeFolder};
use mapi::catalog::tags as t;
use mapi::provider::{MessageStore, OpenedEntry, Table};
use mapi::{PropTag, PropValue, TaggedValue};
use pst::provider::PstStore;
use pst::{NodeId, OpenOptions, PstFile};
use std::path::Path;
use std::sync::OnceLock;

#[path = "../examples/walk.rs"]
mod walk_example;

const MESSAGES: usize = 700;
const RECIPIENTS: usize = 500;
const ATTACHMENTS: usize = 500;

fn built() -> &'static LargeFolder {
    static BUILT: OnceLock<LargeFolder> = OnceLock::new();
    BUILT.get_or_init(|| builder::large_folder_pst(MESSAGES, RECIPIENTS, ATTACHMENTS))
}

fn open(lenient: bool) -> PstFile {
    PstFile::from_reader(Box::new(built().bytes.clone()), OpenOptions { lenient }).unwrap()
}

/// Rows a data tree holds by the formula the spec rules out: `lcbTotal / row size`.
fn rows_by_total_size(table: &pst::TableContext, rows: usize) -> (usize, usize) {
    let columns = table.columns();
    let cells_end = columns.iter().map(|c| c.ib_data + c.cb_data).max().unwrap();
    let row_size = cells_end + columns.len().div_ceil(8);
    let per_block = 8176 / row_size;
    let full_blocks = (rows - 1) / per_block;
    let lcb_total = full_blocks * 8176 + (rows - full_blocks * per_block) * row_size;
    (row_size, lcb_total / row_size)
}

#[test]
fn the_built_tables_really_span_several_blocks_with_padding() {
    let b = built();
    let file = open(false);
    let contents = file.folder(NodeId(b.folder_nid)).unwrap().contents_table().unwrap();
    let message = file.message(NodeId(b.rich_message_nid)).unwrap();
    let recipients = message.recipients().unwrap().unwrap();
    let attachments = message.attachment_table().unwrap().unwrap();
    // Each table's blocks carry padding adding up to more than a row, so reading
    // `lcbTotal / row size` rows would run past the last one.
    for (table, rows) in
        [(&contents, MESSAGES), (&recipients, RECIPIENTS), (&attachments, ATTACHMENTS)]
    {
        let (row_size, wrong) = rows_by_total_size(table, rows);
        assert_ne!(8176 % row_size, 0);
        assert!(rows > 8176 / row_size * 2, "{rows} rows of {row_size} bytes fit two blocks");
        assert!(wrong > rows, "{rows} rows of {row_size} bytes");
    }
}

#[test]
fn table_context_api_reads_every_row_of_a_multi_block_contents_table() {
    let b = built();
    let file = open(false);
    let folder = file.folder(NodeId(b.folder_nid)).unwrap();
    let table = folder.contents_table().unwrap();
    assert_eq!(table.row_count(), MESSAGES);
    let mut seen = 0;
    for (i, row) in table.rows().enumerate() {
        let row = row.unwrap();
        assert_eq!(row.row_id(), b.message_nids[i], "row {i}");
        assert_eq!(
            row.value(0x0E06).unwrap(),
            Some(PropValue::Time(mapi::FileTime(builder::delivery_time(i))))
        );
        assert_eq!(
            row.value(0x0E08).unwrap(),
            Some(PropValue::Integer32(builder::message_size(i)))
        );
        seen += 1;
    }
    assert_eq!(seen, MESSAGES);
    let nids: Vec<u32> = folder.message_nids().unwrap().into_iter().map(|n| n.0).collect();
    assert_eq!(nids, b.message_nids);
}

#[test]
fn table_context_api_reads_multi_block_recipient_and_attachment_tables() {
    let b = built();
    let file = open(false);
    let message = file.message(NodeId(b.rich_message_nid)).unwrap();
    let recipients = message.recipients().unwrap().unwrap();
    assert_eq!(recipients.row_count(), RECIPIENTS);
    assert_eq!(message.recipient_count().unwrap(), RECIPIENTS);
    for (i, row) in recipients.rows().enumerate() {
        let row = row.unwrap();
        assert_eq!(row.row_id() as usize, i);
        assert_eq!(
            row.value(0x5FFD).unwrap(),
            Some(PropValue::Integer32(builder::recipient_flags(i)))
        );
    }
    assert_eq!(recipients.rows().count(), RECIPIENTS);
    assert_eq!(message.attachment_count().unwrap(), ATTACHMENTS);
    let attachments = message.attachments().unwrap();
    assert_eq!(attachments.len(), ATTACHMENTS);
    for (i, attachment) in attachments.iter().enumerate() {
        assert_eq!(attachment.nid().0, builder::attachment_nid(i));
        assert_eq!(attachment.filename(), Some(format!("file{i}.txt")));
    }
}

#[test]
fn check_walks_every_row_and_finds_no_problem() {
    let file = open(true);
    let report = pst::check::check(&file);
    assert!(report.problems.is_empty(), "{:#?}", &report.problems[..report.problems.len().min(5)]);
    assert_eq!(report.messages as usize, MESSAGES);
    assert_eq!(report.attachments as usize, ATTACHMENTS);
    assert_eq!(report.folders, 3);
}

#[test]
fn dump_agrees_with_the_contents_table_and_counts_every_recipient_and_attachment() {
    let b = built();
    let file = open(false);
    let dump = pst::dump::dump(&file).unwrap();
    let top = &dump.root.subfolders[0];
    assert_eq!(top.name.as_deref(), Some(builder::TOP_NAME));
    let folder = &top.subfolders[0];
    assert_eq!(folder.name.as_deref(), Some(builder::FOLDER_NAME));
    let table = file.folder(NodeId(b.folder_nid)).unwrap().contents_table().unwrap();
    assert_eq!(folder.messages.len(), table.row_count());
    let subjects: Vec<String> = folder
        .messages
        .iter()
        .map(|m| match m {
            pst::dump::DumpItem::Message(m) => m.subject.clone().unwrap(),
            pst::dump::DumpItem::Error { error } => panic!("{error}"),
        })
        .collect();
    let expected: Vec<String> = (0..MESSAGES).map(builder::subject).collect();
    assert_eq!(subjects, expected);
    let pst::dump::DumpItem::Message(rich) = &folder.messages[0] else { unreachable!() };
    assert_eq!(rich.attachment_count, Some(ATTACHMENTS));
    assert_eq!(rich.recipient_count, Some(RECIPIENTS));
}

#[test]
fn the_benchmark_walker_reads_every_message() {
    let file = open(false);
    let totals = walk_example::walk_file(&file, 2);
    assert_eq!(totals.errors, 0);
    assert_eq!(totals.folders, 3);
    assert_eq!(totals.messages as usize, MESSAGES);
    let data: u64 = (0..ATTACHMENTS).map(|i| builder::attachment_size(i) as u64).sum();
    assert_eq!(totals.attachment_bytes, data);
}

fn all_rows(table: &dyn Table, columns: &[PropTag]) -> Vec<Vec<TaggedValue>> {
    table.set_columns(columns).unwrap();
    let mut out = Vec::new();
    loop {
        let batch = table.query_rows(97).unwrap();
        if batch.is_empty() {
            return out;
        }
        out.extend(batch);
    }
}

fn int(row: &[TaggedValue], tag: PropTag) -> i32 {
    row.iter().find(|v| v.tag == tag).and_then(|v| v.value.as_i32()).unwrap()
}

#[test]
fn a_mounted_store_lists_every_item_of_the_large_folder() {
    let b = built();
    let store = PstStore::from_file(open(false), Path::new("/large.pst"), None).unwrap();
    let mut entry_id = vec![0; 4];
    entry_id.extend_from_slice(&builder::RECORD_KEY);
    entry_id.extend_from_slice(&b.folder_nid.to_le_bytes());
    let OpenedEntry::Folder(folder) = store.open_entry(&entry_id).unwrap() else {
        panic!("not a folder")
    };
    let contents = folder.contents_table(false).unwrap();
    assert_eq!(contents.row_count().unwrap() as usize, MESSAGES);
    let rows = all_rows(contents.as_ref(), &[t::PidTagInstanceKey, t::PidTagMessageSize]);
    assert_eq!(rows.len(), MESSAGES);
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(int(row, t::PidTagMessageSize), builder::message_size(i), "row {i}");
    }
    assert_eq!(folder.get_prop(t::PidTagContentCount).unwrap(), Some(PropValue::Integer32(700)));

    let mut message_id = entry_id[..20].to_vec();
    message_id.extend_from_slice(&b.rich_message_nid.to_le_bytes());
    let OpenedEntry::Message(message) = store.open_entry(&message_id).unwrap() else {
        panic!("not a message")
    };
    let recipients = all_rows(
        message.recipient_table().unwrap().as_ref(),
        &[t::PidTagRowid, PropTag(0x5FFD_0003)],
    );
    assert_eq!(recipients.len(), RECIPIENTS);
    for (i, row) in recipients.iter().enumerate() {
        assert_eq!(int(row, t::PidTagRowid) as usize, i);
        assert_eq!(int(row, PropTag(0x5FFD_0003)), builder::recipient_flags(i));
    }
    let attachments = all_rows(
        message.attachment_table().unwrap().as_ref(),
        &[t::PidTagAttachNumber, t::PidTagAttachSize],
    );
    assert_eq!(attachments.len(), ATTACHMENTS);
    for (i, row) in attachments.iter().enumerate() {
        assert_eq!(int(row, t::PidTagAttachSize), builder::attachment_size(i));
    }
    let last = message.open_attachment((ATTACHMENTS - 1) as u32).unwrap();
    assert_eq!(
        last.get_prop(t::PidTagAttachSize).unwrap(),
        Some(PropValue::Integer32(builder::attachment_size(ATTACHMENTS - 1)))
    );
}
