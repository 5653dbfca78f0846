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
use serde_json::{Value, json};
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

/// Dumps the whole file from the root folder (NID 0x122).
pub fn dump(file: &PstFile) -> PstResult<Value> {
    let root = file.root_folder()?;
    let children = Children::read(file)?;
    Ok(json!({ "root": dump_folder(&root, &children, true, 0) }))
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

fn dump_folder(folder: &Folder, children: &Children, is_root: bool, depth: usize) -> Value {
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
                Err(err) => json!({
                    "name": null, "error": err.to_string(), "subfolders": [], "messages": []
                }),
            });
        }
    }
    let mut messages = Vec::new();
    {
        for nid in children.of(folder.nid(), &[0x04]) {
            messages.push(match dump_message(folder.file(), nid) {
                Ok(m) => m,
                Err(err) => json!({ "error": err.to_string() }),
            });
        }
    }
    json!({ "name": name, "subfolders": subfolders, "messages": messages })
}

fn dump_message(file: &PstFile, nid: NodeId) -> PstResult<Value> {
    let message = file.message(nid)?;
    let pc = message.properties();
    let class = pc.string(PID_TAG_MESSAGE_CLASS).filter(|s| !s.is_empty());
    let is_message = class
        .as_deref()
        .is_some_and(|c| LIBPFF_MESSAGE_CLASS_PREFIXES.iter().any(|p| c.starts_with(p)));
    // libpff reports an empty string value as absent.
    let non_empty = |id| pc.string(id).filter(|s| !s.is_empty());
    let subject = non_empty(PID_TAG_SUBJECT);
    let sender = non_empty(PID_TAG_SENDER_NAME);
    if !is_message {
        return Ok(json!({
            "subject": subject,
            "sender_name": sender,
            "message_class": class,
            "creation_time": null,
            "delivery_time": null,
            "plain_text_body_sha256": null,
            "html_body_sha256": null,
            "attachment_count": null,
            "recipient_count": null,
        }));
    }
    Ok(json!({
        "subject": subject.as_deref().map(strip_subject_prefix),
        "sender_name": sender,
        "message_class": class,
        "creation_time": iso_time(pc, PID_TAG_CREATION_TIME),
        "delivery_time": iso_time(pc, PID_TAG_MESSAGE_DELIVERY_TIME),
        "plain_text_body_sha256": body_sha256(pc, PID_TAG_BODY),
        "html_body_sha256": body_sha256(pc, PID_TAG_HTML),
        "attachment_count": message.attachment_count().ok(),
        "recipient_count": message.recipient_count().ok(),
    }))
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
