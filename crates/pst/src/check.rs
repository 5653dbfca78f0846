//! A full walk of a file: every node of the node B-tree opened as what its NID type says it
//! is, every message with its recipients, attachments (data read to the end) and embedded
//! messages, then every block of the block B-tree (trailer and CRC). Problems are listed, not
//! fatal: each once, with the object it belongs to and whether that object could be read.

use crate::error::PstError;
use crate::messaging::{Message, PstFile};
use crate::ndb::{NodeEntry, NodeId, Severity, WalkBudget};
use serde::Serialize;
use std::collections::HashMap;
use std::io::Read;

/// Embedded messages nested deeper than this are reported rather than followed.
const MAX_EMBEDDING_DEPTH: usize = 32;
/// Folder paths are built from `nidParent` links; deeper chains are cycles in a damaged file.
const MAX_FOLDER_DEPTH: usize = 64;

/// One problem, reported once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckProblem {
    /// `error` when data may be lost or wrong, `warning` when everything still reads.
    pub severity: Severity,
    /// What it belongs to: a folder path, a message (subject, NID, folder), a table, a block.
    pub object: String,
    pub message: String,
    /// Whether the object could not be read because of it.
    pub unreadable: bool,
}

/// What a walk saw.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CheckReport {
    pub blocks: u64,
    pub nodes: u64,
    pub folders: u64,
    pub messages: u64,
    pub attachments: u64,
    pub attachment_bytes: u64,
    pub errors: u64,
    pub warnings: u64,
    /// Objects (folders, messages, tables, ...) that could not be read.
    pub unreadable: u64,
    pub problems: Vec<CheckProblem>,
    #[serde(skip)]
    embedded_seen: std::collections::HashSet<u64>,
    #[serde(skip)]
    by_message: HashMap<String, usize>,
}

impl CheckReport {
    /// Whether any data is lost or may be wrong (warnings alone do not count).
    pub fn is_damaged(&self) -> bool {
        self.errors > 0
    }

    /// Adds a problem unless the same one is already listed; a repeat that made an object
    /// unreadable marks the listed one so.
    fn add(&mut self, severity: Severity, object: &str, message: String, unreadable: bool) {
        if let Some(&i) = self.by_message.get(&message) {
            let listed = &mut self.problems[i];
            if unreadable && !listed.unreadable {
                listed.unreadable = true;
                self.unreadable += 1;
            }
            if severity == Severity::Error && listed.severity == Severity::Warning {
                listed.severity = Severity::Error;
                self.warnings -= 1;
                self.errors += 1;
            }
            return;
        }
        match severity {
            Severity::Error => self.errors += 1,
            Severity::Warning => self.warnings += 1,
        }
        if unreadable {
            self.unreadable += 1;
        }
        self.by_message.insert(message.clone(), self.problems.len());
        self.problems.push(CheckProblem {
            severity,
            object: object.to_owned(),
            message,
            unreadable,
        });
    }

    /// Takes the problems the reader recorded since `start` as belonging to `object`.
    fn absorb(&mut self, file: &PstFile, start: usize, object: &str) {
        for p in file.ndb().problems_from(start) {
            let object = if p.location.is_empty() || object.contains(&p.location) {
                object.to_owned()
            } else {
                format!("{object}: {}", p.location)
            };
            self.add(p.severity, &object, p.message, false);
        }
    }
}

/// Walks everything. Open the file with `OpenOptions { lenient: true }` to have B-tree and CRC
/// problems listed too rather than stopping the B-tree walks at the first one.
pub fn check(file: &PstFile) -> CheckReport {
    let mut report = CheckReport::default();
    let ndb = file.ndb();
    let start = ndb.problem_count();
    let mut nodes = Vec::new();
    if let Err(err) = ndb.for_each_node(|e| nodes.push(e)) {
        file.record_problem(String::new(), &err);
    }
    report.absorb(file, start, "node B-tree");
    // Nodes may share data (thousands of messages naming one): the walk reads at most its
    // budget, then lists the nodes it did not open as one problem.
    let budget = WalkBudget::start(ndb);
    let names = Names::read(file, &nodes, &budget);
    let mut not_opened: Option<(PstError, u64)> = None;
    for entry in &nodes {
        report.nodes += 1;
        if let Err(err) = budget.check(ndb) {
            not_opened.get_or_insert((err, 0)).1 += 1;
            continue;
        }
        let nid = entry.nid;
        let start = ndb.problem_count();
        let mut object = names.describe(entry, None);
        let result = match nid.type_code() {
            0x02 | 0x03 => {
                report.folders += 1;
                file.folder(nid).map(drop)
            }
            0x04 | 0x08 => {
                report.messages += 1;
                file.message(nid).and_then(|m| {
                    object = names.describe(entry, m.subject());
                    walk_message(&m, &object, 0, (file, &budget), &mut report)
                })
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
        report.absorb(file, start, &object);
        if let Err(err) = result {
            report.add(Severity::Error, &object, err.to_string(), true);
        }
    }
    if let Some((err, count)) = not_opened {
        let message = format!("{count} of {} nodes {err}", nodes.len());
        report.add(Severity::Error, "node B-tree", message, true);
    }
    drop(nodes);
    // Blocks last: a damaged block a node uses is already listed under that node.
    let start = ndb.problem_count();
    let mut blocks = Vec::new();
    if let Err(err) = ndb.for_each_block(|e| blocks.push(e)) {
        file.record_problem(String::new(), &err);
    }
    report.absorb(file, start, "block B-tree");
    for entry in &blocks {
        report.blocks += 1;
        let start = ndb.problem_count();
        let object = format!("{} at offset {:#x}", entry.bref.bid, entry.bref.ib);
        let result = ndb.read_block_at(entry.bref.bid, *entry);
        report.absorb(file, start, &object);
        if let Err(err) = result {
            report.add(Severity::Error, &object, err.to_string(), true);
        }
    }
    report
}

/// Folder paths and message subjects, to name the objects problems belong to.
struct Names {
    /// Folder NID to (display name, parent NID).
    folders: HashMap<u32, (String, NodeId)>,
}

impl Names {
    fn read(file: &PstFile, nodes: &[NodeEntry], budget: &WalkBudget) -> Names {
        let folders = nodes
            .iter()
            .filter(|e| matches!(e.nid.type_code(), 0x02 | 0x03))
            .map(|e| {
                let name = budget.check(file.ndb()).ok().and_then(|()| file.folder(e.nid).ok());
                let name = name.and_then(|f| f.display_name());
                (e.nid.0, (name.unwrap_or_default(), e.nid_parent))
            })
            .collect();
        Names { folders }
    }

    /// `/Top of Personal Folders/Inbox`; the root folder is `/`.
    fn path(&self, nid: NodeId) -> String {
        let mut parts = Vec::new();
        let mut at = nid;
        for _ in 0..MAX_FOLDER_DEPTH {
            if at == NodeId::ROOT_FOLDER {
                break;
            }
            let Some((name, parent)) = self.folders.get(&at.0) else {
                parts.push(format!("({at})"));
                break;
            };
            parts.push(name.clone());
            if *parent == at {
                break;
            }
            at = *parent;
        }
        parts.reverse();
        format!("/{}", parts.join("/"))
    }

    fn describe(&self, entry: &NodeEntry, subject: Option<String>) -> String {
        let nid = entry.nid;
        let folder_of = |t: u8| self.path(nid.with_type(t));
        match nid.type_code() {
            0x02 | 0x03 => format!("folder {} ({nid})", self.path(nid)),
            0x04 | 0x08 => {
                let kind = if nid.type_code() == 0x08 { "associated message" } else { "message" };
                let in_folder = self.path(entry.nid_parent);
                match subject {
                    Some(s) => format!("{kind} {s:?} ({nid}) in {in_folder}"),
                    None => format!("{kind} {nid} in {in_folder}"),
                }
            }
            0x0D => format!("hierarchy table of {} ({nid})", folder_of(0x02)),
            0x0E => format!("contents table of {} ({nid})", folder_of(0x02)),
            0x0F => format!("associated contents table of {} ({nid})", folder_of(0x02)),
            0x10 => format!("search contents table of {} ({nid})", folder_of(0x03)),
            _ if nid == NodeId::MESSAGE_STORE => format!("message store ({nid})"),
            _ if nid == NodeId::NAME_TO_ID_MAP => format!("named-property map ({nid})"),
            _ => format!("node {nid}"),
        }
    }
}

fn walk_message(
    message: &Message,
    object: &str,
    depth: usize,
    (file, budget): (&PstFile, &WalkBudget),
    report: &mut CheckReport,
) -> Result<(), PstError> {
    let (_, errors) = message.properties().all();
    if let Some(err) = errors.into_iter().next() {
        return Err(err);
    }
    if let Err(err) = message.rtf() {
        report.add(Severity::Error, &format!("{object}: RTF body"), err.to_string(), true);
    }
    if let Some(recipients) = message.recipients()? {
        recipients.rows().try_for_each(|row| row.and_then(|r| r.values()).map(drop))?;
    }
    for attachment in message.attachments()? {
        // Attachments may share data too (a table of thousands naming one).
        budget.check(file.ndb())?;
        report.attachments += 1;
        let here = format!("{object}: attachment {}", attachment.nid());
        let (_, errors) = attachment.properties().all();
        if let Some(err) = errors.into_iter().next() {
            report.add(Severity::Error, &here, err.to_string(), true);
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
            let inner = format!("{here}: embedded message");
            walk_message(&embedded, &inner, depth + 1, (file, budget), report)?;
        } else if let Some(mut reader) = attachment.data_reader()? {
            let mut buf = [0u8; 16 * 1024];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => report.attachment_bytes += n as u64,
                    Err(err) => {
                        let err = PstError::Io { offset: 0, len: 0, source: err };
                        report.add(Severity::Error, &here, err.to_string(), true);
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
