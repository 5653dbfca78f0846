//! The canonical dump: the JSON that `shared/tools/pst_dump.py` writes with libpff, rebuilt
//! from MAPI facts so the two can be compared value for value.
//!
//! Shape: `{"root": folder}`, folder = `{name, subfolders, messages}`, message = `{subject,
//! sender_name, message_class, creation_time, delivery_time, plain_text_body_sha256,
//! html_body_sha256, attachment_count, recipient_count}`, in table order.

use crate::error::PstResult;
use crate::ltp::PropertyContext;
use crate::messaging::props::*;
use crate::messaging::{Folder, PstFile, strip_subject_prefix};
use crate::ndb::NodeId;
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

/// Dumps the whole file from the root folder (NID 0x122).
pub fn dump(file: &PstFile) -> PstResult<Dump> {
    let root = file.root_folder()?;
    let children = Children::read(file)?;
    Ok(Dump { root: dump_folder(&root, &children, true, 0) })
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

/// libpff lists a folder's subfolders and messages from the node B-tree (nodes whose
/// `nidParent` is the folder), in NID order, not from the hierarchy/contents tables.
struct Children {
    by_parent: std::collections::HashMap<u32, Vec<NodeId>>,
    /// Folders already dumped: a `nidParent` cycle in a damaged file must not loop.
    visited: std::cell::RefCell<std::collections::HashSet<u32>>,
}

impl Children {
    fn read(file: &PstFile) -> PstResult<Children> {
        let mut by_parent: std::collections::HashMap<u32, Vec<NodeId>> = Default::default();
        file.ndb().for_each_node(|e| {
            if e.nid != e.nid_parent {
                by_parent.entry(e.nid_parent.0).or_default().push(e.nid);
            }
        })?;
        Ok(Children { by_parent, visited: Default::default() })
    }

    fn of(&self, parent: NodeId, types: &[u8]) -> Vec<NodeId> {
        self.by_parent.get(&parent.0).map_or_else(Vec::new, |v| {
            v.iter().copied().filter(|n| types.contains(&n.type_code())).collect()
        })
    }
}

fn dump_folder(folder: &Folder, children: &Children, is_root: bool, depth: usize) -> DumpFolder {
    let name = if is_root { None } else { folder.display_name() };
    let mut subfolders = Vec::new();
    // A folder tree deeper than this is a cycle in a damaged file.
    if depth < 64 {
        for nid in children.of(folder.nid(), &[0x02, 0x03]) {
            if !children.visited.borrow_mut().insert(nid.0) {
                continue;
            }
            subfolders.push(match folder.file().folder(nid) {
                Ok(sub) => dump_folder(&sub, children, false, depth + 1),
                Err(err) => DumpFolder {
                    name: None,
                    error: Some(err.to_string()),
                    subfolders: Vec::new(),
                    messages: Vec::new(),
                },
            });
        }
    }
    let messages = children
        .of(folder.nid(), &[0x04])
        .into_iter()
        .map(|nid| match dump_message(folder.file(), nid) {
            Ok(m) => DumpItem::Message(m),
            Err(err) => DumpItem::Error { error: err.to_string() },
        })
        .collect();
    DumpFolder { name, error: None, subfolders, messages }
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
