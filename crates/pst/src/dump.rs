//! The canonical dump: the JSON that `shared/tools/pst_dump.py` writes with libpff, rebuilt
//! from MAPI facts so the two can be compared value for value.
//!
//! Shape: `{"root": folder}`, folder = `{name, subfolders, messages}`, message = `{subject,
//! sender_name, message_class, creation_time, delivery_time, plain_text_body_sha256,
//! html_body_sha256, attachment_count, recipient_count}`, in table order.

use crate::error::{PstError, PstResult};
use crate::ltp::PropertyContext;
use crate::messaging::props::*;
use crate::messaging::{Folder, PstFile, strip_subject_prefix};
use crate::ndb::{NodeId, WalkBudget};
use mapi::{FileTime, PropValue};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// Message classes libpff opens as messages; other items (e.g.
/// `IPM.Microsoft.ScheduleData.FreeBusy`) come back as generic items, which the dump shows
/// with subject/sender/class only. Observed from libpff-python 20260926 on the corpus.
const LIBPFF_MESSAGE_CLASS_PREFIXES: &[&str] = &[
    "IPM.Activity",
    "IPM.Appointment",
    "IPM.Contact",
    "IPM.DistList",
    "IPM.Document",
    "IPM.Note",
    "IPM.OLE.CLASS",
    "IPM.Post",
    "IPM.Schedule.Meeting",
    "IPM.StickyNote",
    "IPM.Task",
    "IPM.Conflict",
    "REPORT.IPM",
];

/// The dump document: `{"root": folder}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dump {
    pub root: DumpFolder,
}

/// A folder; `error` only when libpff-style reading of the folder failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DumpFolder {
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    pub subfolders: Vec<DumpFolder>,
    pub messages: Vec<DumpItem>,
}

/// An item of a folder, or the error that kept it from opening.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum DumpItem {
    Message(DumpMessage),
    Error { error: String },
}

/// One item, fields in pst_dump.py's order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DumpMessage {
    pub subject: Option<String>,
    pub sender_name: Option<String>,
    pub message_class: Option<String>,
    pub creation_time: Option<String>,
    pub delivery_time: Option<String>,
    pub plain_text_body_sha256: Option<String>,
    pub html_body_sha256: Option<String>,
    pub attachment_count: Option<usize>,
    pub recipient_count: Option<usize>,
}

/// One step of a dump walk, in document order: a folder is entered, its subfolders follow
/// (each entered and left), then its items, then it is left.
#[derive(Debug)]
pub enum DumpEvent<'a> {
    /// A folder begins; `error` when it could not be opened (it then has no children).
    EnterFolder {
        name: Option<&'a str>,
        error: Option<&'a str>,
    },
    Item(&'a DumpItem),
    LeaveFolder,
}

/// Walks the file as the dump sees it, one event at a time, so a caller can write or count
/// without holding the whole tree: memory stays at one item plus the node index, whatever
/// the size of the file. `visit` may stop the walk by returning an error.
pub fn walk<E: From<PstError>>(
    file: &PstFile,
    visit: &mut dyn FnMut(DumpEvent<'_>) -> Result<(), E>,
) -> Result<(), E> {
    let root = file.root_folder()?;
    let children = Children::read(file)?;
    walk_folder(&root, &children, true, 0, visit)
}

/// Dumps the whole file from the root folder (NID 0x122) into memory (tests, small files;
/// `write_json` streams).
pub fn dump(file: &PstFile) -> PstResult<Dump> {
    let mut stack: Vec<DumpFolder> = Vec::new();
    let mut root = None;
    walk::<PstError>(file, &mut |event| {
        match event {
            DumpEvent::EnterFolder { name, error } => stack.push(DumpFolder {
                name: name.map(str::to_owned),
                error: error.map(str::to_owned),
                subfolders: Vec::new(),
                messages: Vec::new(),
            }),
            DumpEvent::Item(item) => {
                if let Some(folder) = stack.last_mut() {
                    folder.messages.push(item.clone());
                }
            }
            DumpEvent::LeaveFolder => {
                let done = stack.pop();
                match stack.last_mut() {
                    Some(parent) => parent.subfolders.extend(done),
                    None => root = done,
                }
            }
        }
        Ok(())
    })?;
    Ok(Dump {
        root: root.unwrap_or(DumpFolder {
            name: None,
            error: None,
            subfolders: Vec::new(),
            messages: Vec::new(),
        }),
    })
}

/// The dump as pst_dump.py writes it (`json.dumps(indent=1, ensure_ascii=False)` plus a
/// newline), so the two outputs compare byte for byte.
pub fn to_json_text(dump: &Dump) -> String {
    let mut out = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b" ");
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, formatter);
    // Serialising plain structs of strings and integers cannot fail.
    let _ = dump.serialize(&mut serializer);
    out.push(b'\n');
    String::from_utf8(out).unwrap_or_default()
}

/// Streams the dump to `out`, byte for byte what `to_json_text(&dump(file)?)` returns, item
/// by item: peak memory does not grow with the number of items.
pub fn write_json(file: &PstFile, out: &mut dyn std::io::Write) -> PstResult<()> {
    let mut writer = JsonDumpWriter { out, frames: Vec::new() };
    walk::<PstError>(file, &mut |event| writer.event(event).map_err(PstError::Write))
}

/// Where a folder's JSON object is: still listing subfolders, or listing items; and whether
/// an element was written to the open array yet.
#[derive(Debug)]
struct JsonFrame {
    in_items: bool,
    empty: bool,
}

/// Writes the pretty JSON of `to_json_text` (indent one space) as events arrive.
struct JsonDumpWriter<'w> {
    out: &'w mut dyn std::io::Write,
    frames: Vec<JsonFrame>,
}

impl JsonDumpWriter<'_> {
    /// The indent of the keys of the innermost open folder: the root's keys sit at 2.
    fn key_indent(&self) -> usize {
        2 * self.frames.len()
    }

    fn newline(&mut self, indent: usize) -> std::io::Result<()> {
        write!(self.out, "\n{:indent$}", "")
    }

    /// Starts the next element of the innermost open array.
    fn next_element(&mut self) -> std::io::Result<()> {
        let indent = self.key_indent() + 1;
        if let Some(frame) = self.frames.last_mut() {
            if !std::mem::replace(&mut frame.empty, false) {
                self.out.write_all(b",")?;
            }
            self.newline(indent)?;
        }
        Ok(())
    }

    fn close_array(&mut self) -> std::io::Result<()> {
        let indent = self.key_indent();
        if self.frames.last().is_some_and(|f| !f.empty) {
            self.newline(indent)?;
        }
        self.out.write_all(b"]")
    }

    /// Closes the subfolder array and opens the item array, once per folder.
    fn begin_items(&mut self) -> std::io::Result<()> {
        if self.frames.last().is_none_or(|f| f.in_items) {
            return Ok(());
        }
        self.close_array()?;
        self.out.write_all(b",")?;
        self.newline(self.key_indent())?;
        self.out.write_all(b"\"messages\": [")?;
        if let Some(frame) = self.frames.last_mut() {
            *frame = JsonFrame { in_items: true, empty: true };
        }
        Ok(())
    }

    fn event(&mut self, event: DumpEvent<'_>) -> std::io::Result<()> {
        match event {
            DumpEvent::EnterFolder { name, error } => {
                if self.frames.is_empty() {
                    self.out.write_all(b"{\n \"root\": ")?;
                } else {
                    self.next_element()?;
                }
                self.out.write_all(b"{")?;
                self.frames.push(JsonFrame { in_items: false, empty: true });
                let indent = self.key_indent();
                self.newline(indent)?;
                write!(self.out, "\"name\": {}", json_string(name))?;
                if let Some(error) = error {
                    self.out.write_all(b",")?;
                    self.newline(indent)?;
                    write!(self.out, "\"error\": {}", json_string(Some(error)))?;
                }
                self.out.write_all(b",")?;
                self.newline(indent)?;
                self.out.write_all(b"\"subfolders\": [")
            }
            DumpEvent::Item(item) => {
                self.begin_items()?;
                self.next_element()?;
                let indent = self.key_indent() + 1;
                let text = pretty_json(item);
                // serde_json escapes control characters, so every newline is a line break of
                // the layout and the element only needs its lines shifted to its depth.
                for (i, line) in text.split('\n').enumerate() {
                    if i > 0 {
                        self.newline(indent)?;
                    }
                    self.out.write_all(line.as_bytes())?;
                }
                Ok(())
            }
            DumpEvent::LeaveFolder => {
                self.begin_items()?;
                self.close_array()?;
                let indent = self.key_indent().saturating_sub(1);
                self.frames.pop();
                self.newline(indent)?;
                self.out.write_all(b"}")?;
                if self.frames.is_empty() {
                    self.out.write_all(b"\n}\n")?;
                }
                Ok(())
            }
        }
    }
}

fn pretty_json(value: &impl Serialize) -> String {
    let mut out = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b" ");
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, formatter);
    // Plain structs of strings and integers always serialise.
    let _ = value.serialize(&mut serializer);
    String::from_utf8(out).unwrap_or_default()
}

fn json_string(value: Option<&str>) -> String {
    serde_json::to_string(&value).unwrap_or_else(|_| "null".into())
}

/// libpff lists a folder's subfolders and messages from the node B-tree (nodes whose
/// `nidParent` is the folder), in NID order, not from the hierarchy/contents tables.
struct Children {
    /// `(nidParent, nid)` of every node but the self-parented ones, sorted: eight bytes a
    /// node, where a map of vectors cost several times that on files of many items.
    by_parent: Vec<(u32, u32)>,
    /// Folders already dumped: a `nidParent` cycle in a damaged file must not loop.
    visited: std::cell::RefCell<std::collections::HashSet<u32>>,
    /// Nodes may share data (thousands of messages naming one): the whole walk reads at most
    /// its budget, and the folders and items after it are listed with its error.
    budget: WalkBudget,
}

impl Children {
    fn read(file: &PstFile) -> PstResult<Children> {
        let mut by_parent = Vec::new();
        file.ndb().for_each_node(|e| {
            if e.nid != e.nid_parent {
                by_parent.push((e.nid_parent.0, e.nid.0));
            }
        })?;
        // Stable: children keep node B-tree (NID) order, as libpff lists them.
        by_parent.sort_by_key(|&(parent, _)| parent);
        let budget = WalkBudget::start(file.ndb());
        Ok(Children { by_parent, visited: Default::default(), budget })
    }

    fn of(&self, parent: NodeId, types: &[u8]) -> Vec<NodeId> {
        let start = self.by_parent.partition_point(|&(p, _)| p < parent.0);
        self.by_parent[start..]
            .iter()
            .take_while(|&&(p, _)| p == parent.0)
            .map(|&(_, nid)| NodeId(nid))
            .filter(|n| types.contains(&n.type_code()))
            .collect()
    }
}

fn walk_folder<E: From<PstError>>(
    folder: &Folder,
    children: &Children,
    is_root: bool,
    depth: usize,
    visit: &mut dyn FnMut(DumpEvent<'_>) -> Result<(), E>,
) -> Result<(), E> {
    let name = if is_root { None } else { folder.display_name() };
    visit(DumpEvent::EnterFolder { name: name.as_deref(), error: None })?;
    // A folder tree deeper than this is a cycle in a damaged file.
    if depth < 64 {
        for nid in children.of(folder.nid(), &[0x02, 0x03]) {
            if !children.visited.borrow_mut().insert(nid.0) {
                continue;
            }
            let file = folder.file();
            match children.budget.check(file.ndb()).and_then(|()| file.folder(nid)) {
                Ok(sub) => walk_folder(&sub, children, false, depth + 1, visit)?,
                Err(err) => {
                    let error = err.to_string();
                    visit(DumpEvent::EnterFolder { name: None, error: Some(&error) })?;
                    visit(DumpEvent::LeaveFolder)?;
                }
            }
        }
    }
    for nid in children.of(folder.nid(), &[0x04]) {
        let file = folder.file();
        let item = match children.budget.check(file.ndb()).and_then(|()| dump_message(file, nid)) {
            Ok(m) => DumpItem::Message(m),
            Err(err) => DumpItem::Error { error: err.to_string() },
        };
        visit(DumpEvent::Item(&item))?;
    }
    visit(DumpEvent::LeaveFolder)
}

fn dump_message(file: &PstFile, nid: NodeId) -> PstResult<DumpMessage> {
    let message = file.message(nid)?;
    let pc = message.properties();
    let class = pc.string(PID_TAG_MESSAGE_CLASS).filter(|s| !s.is_empty());
    let is_message = class
        .as_deref()
        .is_some_and(|c| LIBPFF_MESSAGE_CLASS_PREFIXES.iter().any(|p| c.starts_with(p)));
    // libpff reports an empty string value as absent.
    let non_empty = |id| pc.string(id).filter(|s| !s.is_empty());
    let subject = non_empty(PID_TAG_SUBJECT);
    let sender_name = non_empty(PID_TAG_SENDER_NAME);
    if !is_message {
        // A generic item: libpff gives only what the property context holds, verbatim.
        return Ok(DumpMessage {
            subject,
            sender_name,
            message_class: class,
            creation_time: None,
            delivery_time: None,
            plain_text_body_sha256: None,
            html_body_sha256: None,
            attachment_count: None,
            recipient_count: None,
        });
    }
    Ok(DumpMessage {
        subject: subject.as_deref().map(|s| strip_subject_prefix(s).to_owned()),
        sender_name,
        message_class: class,
        creation_time: iso_time(pc, PID_TAG_CREATION_TIME),
        delivery_time: iso_time(pc, PID_TAG_MESSAGE_DELIVERY_TIME),
        plain_text_body_sha256: body_sha256(pc, PID_TAG_BODY),
        html_body_sha256: body_sha256(pc, PID_TAG_HTML),
        attachment_count: message.attachment_count().ok(),
        recipient_count: message.recipient_count().ok(),
    })
}

/// SHA-256 of a body as UTF-8 (strings) or as stored (binary).
fn body_sha256(pc: &PropertyContext, id: u16) -> Option<String> {
    let bytes = match pc.value(id).ok()?? {
        PropValue::String(s) | PropValue::String8(s) => s.into_bytes(),
        PropValue::Binary(b) => b,
        _ => return None,
    };
    // libpff reports an empty body as absent.
    if bytes.is_empty() {
        return None;
    }
    Some(hex_lower(&Sha256::digest(&bytes)))
}

fn hex_lower(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn iso_time(pc: &PropertyContext, id: u16) -> Option<String> {
    match pc.value(id).ok()?? {
        PropValue::Time(t) => python_isoformat(t),
        _ => None,
    }
}

/// A FILETIME as Python's naive `datetime.isoformat()`: microseconds truncated, and the
/// `.ffffff` part left out when they are zero.
pub fn python_isoformat(time: FileTime) -> Option<String> {
    let ts = time.to_timestamp()?;
    let dt = ts.to_zoned(jiff::tz::TimeZone::UTC).datetime();
    let micros = dt.subsec_nanosecond() / 1000;
    let base = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        dt.year(),
        dt.month(),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second()
    );
    Some(if micros == 0 { base } else { format!("{base}.{micros:06}") })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn isoformat_omits_zero_microseconds_and_truncates_ticks() {
        // 2010-03-17T23:02:11 UTC plus 1664019 ticks (0.1664019 s).
        let whole = FileTime::from_timestamp("2010-03-17T23:02:11Z".parse().unwrap()).unwrap();
        assert_eq!(python_isoformat(whole).unwrap(), "2010-03-17T23:02:11");
        let frac = FileTime(whole.0 + 1_664_019);
        assert_eq!(python_isoformat(frac).unwrap(), "2010-03-17T23:02:11.166401");
    }
}
