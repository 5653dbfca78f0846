//! A full walk of a file: every block of the block B-tree (trailer and CRC), every node of the
//! node B-tree opened as what its NID type says it is, every message with its recipients,
//! attachments (data read to the end) and embedded messages. Problems are listed, not fatal.

use crate::error::PstError;
use crate::messaging::{Message, PstFile};
use crate::ndb::{NodeId, Problem};
use serde::Serialize;
use std::io::Read;

/// Embedded messages nested deeper than this are reported rather than followed.
const MAX_EMBEDDING_DEPTH: usize = 32;

/// What a walk saw.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CheckReport {
    pub blocks: u64,
    pub nodes: u64,
    pub folders: u64,
    pub messages: u64,
    pub attachments: u64,
    pub attachment_bytes: u64,
    pub problems: Vec<Problem>,
    #[serde(skip)]
    embedded_seen: std::collections::HashSet<u64>,
}

impl CheckReport {
    pub fn is_damaged(&self) -> bool {
        !self.problems.is_empty()
    }
}

/// Walks everything. Open the file with `OpenOptions { lenient: true }` to have B-tree and CRC
/// problems listed too rather than stopping the B-tree walks at the first one.
pub fn check(file: &PstFile) -> CheckReport {
    let mut report = CheckReport::default();
    let ndb = file.ndb();
    let mut blocks = Vec::new();
    if let Err(err) = ndb.for_each_block(|e| blocks.push(e)) {
        file.record_problem("block B-tree".into(), &err);
    }
    for entry in &blocks {
        report.blocks += 1;
        if let Err(err) = ndb.read_block_at(entry.bref.bid, *entry) {
            file.record_problem(format!("{}", entry.bref.bid), &err);
        }
    }
    drop(blocks);
    let mut nodes = Vec::new();
    if let Err(err) = ndb.for_each_node(|e| nodes.push(e)) {
        file.record_problem("node B-tree".into(), &err);
    }
    for entry in &nodes {
        report.nodes += 1;
        let nid = entry.nid;
        let result = match nid.type_code() {
            0x02 | 0x03 => {
                report.folders += 1;
                file.folder(nid).map(drop)
            }
            0x04 | 0x08 => {
                report.messages += 1;
                file.message(nid).and_then(|m| walk_message(file, &m, 0, &mut report))
            }
            // Some 0x10 nodes carry heaps with MS-PST's reserved bClientSig 0xAC (seen in
            // Outlook-written files); only real table contexts are walked.
            0x10 if !is_table_context(file, nid) => Ok(()),
            0x0D..=0x10 => file
                .table_context(nid)
                .and_then(|t| t.rows().try_for_each(|row| row.and_then(|r| r.values()).map(drop))),
            _ if nid == NodeId::MESSAGE_STORE => file.message_store().map(drop),
            _ if nid == NodeId::NAME_TO_ID_MAP => file.named_properties().map(drop),
            _ => Ok(()),
        };
        if let Err(err) = result {
            file.record_problem(format!("{nid}"), &err);
        }
    }
    report.problems = file.problems();
    report
}

fn walk_message(
    file: &PstFile,
    message: &Message,
    depth: usize,
    report: &mut CheckReport,
) -> Result<(), PstError> {
    let (_, errors) = message.properties().all();
    if let Some(err) = errors.into_iter().next() {
        return Err(err);
    }
    if let Err(err) = message.rtf() {
        file.record_problem(format!("{} RTF body", message.nid()), &err);
    }
    if let Some(recipients) = message.recipients()? {
        recipients.rows().try_for_each(|row| row.and_then(|r| r.values()).map(drop))?;
    }
    for attachment in message.attachments()? {
        report.attachments += 1;
        let (_, errors) = attachment.properties().all();
        if let Some(err) = errors.into_iter().next() {
            file.record_problem(format!("{} attachment {}", message.nid(), attachment.nid()), &err);
        }
        if let Some(embedded) = attachment.embedded_message()? {
            // The same subnode data embedded twice is a loop in a damaged file.
            if !report.embedded_seen.insert(embedded.data_bid().0) {
                continue;
            }
            if depth >= MAX_EMBEDDING_DEPTH {
                return Err(PstError::Property {
                    nid: attachment.nid(),
                    prop_id: 0x3701,
                    problem: format!("embedded messages nest deeper than {MAX_EMBEDDING_DEPTH}"),
                });
            }
            walk_message(file, &embedded, depth + 1, report)?;
        } else if let Some(mut reader) = attachment.data_reader()? {
            let mut buf = [0u8; 16 * 1024];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => report.attachment_bytes += n as u64,
                    Err(err) => {
                        let err = PstError::Io { offset: 0, len: 0, source: err };
                        file.record_problem(
                            format!("{} attachment {}", message.nid(), attachment.nid()),
                            &err,
                        );
                        break;
                    }
                }
            }
        }
    }
    Ok(())
}

fn is_table_context(file: &PstFile, nid: NodeId) -> bool {
    crate::ltp::LtpNode::open(file.ndb(), nid)
        .and_then(|node| crate::ltp::HeapNode::open(&node))
        .is_ok_and(|heap| heap.client_sig == crate::ltp::heap::CLIENT_SIG_TC)
}
