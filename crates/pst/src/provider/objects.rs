//! Folders, messages and attachments of a mounted PST, and their tables.

use super::{Shared, read_only};
use crate::error::PstError;
use crate::ltp::{PropertyContext, TableContext};
use crate::messaging::{self, Attachment as PstAttachmentNode, Message as PstMessageNode};
use crate::ndb::NodeId;
use mapi::catalog::tags as t;
use mapi::provider::{
    self, Attachment, DeleteFolderFlags, Folder, FolderKind, MemoryTable, Message, PropertyObject,
    RecipientChange, Table,
};
use mapi::{ErrorCode, MapiError, MapiResult, PropTag, PropType, PropValue, TaggedValue};
use std::collections::HashSet;
use std::io::Read;
use std::sync::Arc;

/// LTP columns every table context carries (MS-PST 2.3.4.1 `PidTagLtpRowId`,
/// `PidTagLtpRowVer`): bookkeeping of the file, not properties of the objects.
const LTP_ROW_ID: u16 = 0x67F2;
const LTP_ROW_VER: u16 = 0x67F3;

/// `PidTagObjectType` values (MS-OXCPRPT): MAPI_FOLDER, MAPI_MESSAGE, MAPI_ATTACH.
const MAPI_FOLDER: i32 = 3;
const MAPI_MESSAGE: i32 = 5;
const MAPI_ATTACH: i32 = 7;

/// How deep `hierarchy_table(true)` descends; a damaged file could otherwise loop.
const MAX_DEPTH: i32 = 256;

fn bin(tag: PropTag, bytes: Vec<u8>) -> TaggedValue {
    TaggedValue { tag, value: PropValue::Binary(bytes) }
}

fn int(tag: PropTag, value: i32) -> TaggedValue {
    TaggedValue { tag, value: PropValue::Integer32(value) }
}

fn count(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// A stored value as clients see it: subjects lose the PST's prefix-length marker
/// (U+0001 and one character, see [`messaging::strip_subject_prefix`]).
fn normalise(value: TaggedValue) -> TaggedValue {
    if value.tag.id() != t::PidTagSubject.id() {
        return value;
    }
    let value_out = match value.value {
        PropValue::String(s) => PropValue::String(messaging::strip_subject_prefix(&s).to_owned()),
        PropValue::String8(s) => PropValue::String8(messaging::strip_subject_prefix(&s).to_owned()),
        other => other,
    };
    TaggedValue { tag: value.tag, value: value_out }
}

/// The PT_ERROR answer for a value the file holds but cannot be decoded.
fn corrupt(tag: PropTag) -> TaggedValue {
    TaggedValue {
        tag: tag.with_type(PropType::ErrorCode),
        value: PropValue::Error(ErrorCode::CorruptData),
    }
}

/// `GetProps` over a property context plus computed values (which win), hiding `hidden` IDs.
/// The tags are read in one pass, so their reads from subnodes share one budget.
pub(crate) fn answer(
    pc: &PropertyContext,
    computed: &[TaggedValue],
    hidden: &[u16],
    tags: &[PropTag],
) -> MapiResult<Vec<TaggedValue>> {
    let mut pass = pc.pass();
    Ok(tags
        .iter()
        .map(|&tag| {
            if let Some(v) = provider::find_value(computed, tag) {
                return v;
            }
            if hidden.contains(&tag.id()) {
                return provider::missing(tag);
            }
            let Some(stored) = pc.tag_of(tag.id()) else { return provider::missing(tag) };
            match pass.value(tag.id()) {
                Ok(Some(value)) => {
                    let value = normalise(TaggedValue { tag: stored, value });
                    provider::requested_value(&value, tag).unwrap_or_else(|| provider::missing(tag))
                }
                Ok(None) => provider::missing(tag),
                Err(_) => corrupt(tag),
            }
        })
        .collect())
}

/// Every property: the stored ones (undecodable ones left out) and the computed ones, which
/// replace stored values with the same ID.
pub(crate) fn answer_all(
    pc: &PropertyContext,
    computed: Vec<TaggedValue>,
    hidden: &[u16],
) -> Vec<TaggedValue> {
    let replaced: HashSet<u16> = computed.iter().map(|v| v.tag.id()).collect();
    let mut all: Vec<TaggedValue> = pc
        .all()
        .0
        .into_iter()
        .filter(|v| !replaced.contains(&v.tag.id()) && !hidden.contains(&v.tag.id()))
        .map(normalise)
        .collect();
    all.extend(computed);
    all
}

/// A table context's rows as property lists (LTP bookkeeping columns dropped), each given its
/// computed values by `extra` (row index, row NID).
fn rows_of(
    table: &TableContext,
    mut extra: impl FnMut(usize, NodeId) -> Vec<TaggedValue>,
) -> MapiResult<Vec<Vec<TaggedValue>>> {
    let mut rows = Vec::with_capacity(table.capacity_hint());
    for (index, row) in table.rows().enumerate() {
        let row = row?;
        let nid = NodeId(row.row_id());
        let computed = extra(index, nid);
        let replaced: HashSet<u16> = computed.iter().map(|v| v.tag.id()).collect();
        let mut values: Vec<TaggedValue> = row
            .values()?
            .into_iter()
            .filter(|v| {
                let id = v.tag.id();
                id != LTP_ROW_ID && id != LTP_ROW_VER && !replaced.contains(&id)
            })
            .map(normalise)
            .collect();
        values.extend(computed);
        rows.push(values);
    }
    Ok(rows)
}

/// The default column set of a table: `first`, then the table context's own columns.
fn columns_of(table: Option<&TableContext>, first: &[PropTag]) -> Vec<PropTag> {
    let mut columns = first.to_vec();
    for column in table.map(|t| t.columns()).unwrap_or_default() {
        let id = column.tag.id();
        if id != LTP_ROW_ID && id != LTP_ROW_VER && !columns.iter().any(|c| c.id() == id) {
            columns.push(column.tag);
        }
    }
    columns
}

// ---------------------------------------------------------------------------------------------
// Folders

/// A folder (MS-PST 2.4.4).
#[derive(Debug)]
pub(crate) struct PstFolder {
    shared: Arc<Shared>,
    folder: messaging::Folder,
}

impl PstFolder {
    pub(crate) fn open(shared: Arc<Shared>, nid: NodeId) -> MapiResult<PstFolder> {
        if !matches!(nid.type_code(), 0x02 | 0x03) {
            return Err(MapiError::new(
                ErrorCode::InvalidEntryId,
                format!("{nid} is not a folder NID (type 0x02 or 0x03)"),
            ));
        }
        let folder = shared.file.folder(nid)?;
        Ok(PstFolder { shared, folder })
    }

    fn nid(&self) -> NodeId {
        self.folder.nid()
    }

    /// The folder's parent from the node B-tree (`nidParent`); the root is its own parent.
    fn parent(&self) -> NodeId {
        match self.shared.file.ndb().node(self.nid()) {
            Ok(entry) if entry.nid_parent.0 != 0 => entry.nid_parent,
            _ => self.nid(),
        }
    }

    fn kind(&self) -> FolderKind {
        if self.nid() == NodeId::ROOT_FOLDER {
            FolderKind::Root
        } else if self.nid().type_code() == 0x03 {
            FolderKind::Search
        } else {
            FolderKind::Generic
        }
    }

    fn computed(&self) -> Vec<TaggedValue> {
        let shared = &self.shared;
        let entry_id = shared.entry_id(self.nid());
        let mut values = vec![
            bin(t::PidTagEntryId, entry_id.clone()),
            bin(t::PidTagRecordKey, entry_id),
            bin(t::PidTagInstanceKey, self.nid().0.to_le_bytes().to_vec()),
            bin(t::PidTagParentEntryId, shared.entry_id(self.parent())),
            bin(t::PidTagStoreEntryId, shared.store_entry_id.clone()),
            bin(t::PidTagStoreRecordKey, shared.record_key.to_vec()),
            int(t::PidTagObjectType, MAPI_FOLDER),
            int(t::PidTagFolderType, self.kind().code()),
        ];
        if let Ok(table) = self.folder.associated_contents_table() {
            values.push(int(t::PidTagAssociatedContentCount, count(table.row_count())));
        }
        // MS-PST 2.4.4.1 requires these in the PC; a file that lacks them gets them counted.
        let pc = self.folder.properties();
        if !pc.contains(t::PidTagContentCount.id())
            && let Ok(table) = self.folder.contents_table()
        {
            values.push(int(t::PidTagContentCount, count(table.row_count())));
        }
        if !pc.contains(t::PidTagSubfolders.id()) {
            let children = self.folder.subfolder_nids().map(|n| !n.is_empty()).unwrap_or(false);
            values.push(TaggedValue {
                tag: t::PidTagSubfolders,
                value: PropValue::Boolean(children),
            });
        }
        values
    }

    fn hierarchy_rows(
        &self,
        nid: NodeId,
        depth: i32,
        recurse: bool,
        seen: &mut HashSet<NodeId>,
        rows: &mut Vec<Vec<TaggedValue>>,
    ) -> MapiResult<()> {
        // Search folders have no hierarchy table (MS-PST 2.4.8).
        let table = match self.shared.file.table_context(nid.with_type(0x0D)) {
            Ok(table) => table,
            Err(PstError::NodeNotFound { .. }) => return Ok(()),
            Err(err) => return Err(err.into()),
        };
        let shared = &self.shared;
        let level = rows_of(&table, |_, child| {
            vec![
                bin(t::PidTagEntryId, shared.entry_id(child)),
                bin(t::PidTagInstanceKey, child.0.to_le_bytes().to_vec()),
                bin(t::PidTagParentEntryId, shared.entry_id(nid)),
                int(t::PidTagDepth, depth),
            ]
        })?;
        let children: Vec<NodeId> =
            table.rows().filter_map(|r| r.ok().map(|r| NodeId(r.row_id()))).collect();
        for (row, child) in level.into_iter().zip(children) {
            // A deep table shows each folder once: hierarchy tables of a damaged file may name
            // a folder under its own descendant, and its rows would repeat at every level.
            if recurse && !seen.insert(child) {
                continue;
            }
            rows.push(row);
            if recurse && depth < MAX_DEPTH {
                self.hierarchy_rows(child, depth + 1, true, seen, rows)?;
            }
        }
        Ok(())
    }
}

impl PropertyObject for PstFolder {
    fn get_props(&self, tags: &[PropTag]) -> MapiResult<Vec<TaggedValue>> {
        answer(self.folder.properties(), &self.computed(), &[], tags)
    }

    fn get_all_props(&self) -> MapiResult<Vec<TaggedValue>> {
        Ok(answer_all(self.folder.properties(), self.computed(), &[]))
    }

    fn set_props(&self, _values: &[TaggedValue]) -> MapiResult<()> {
        Err(read_only("set folder properties"))
    }

    fn delete_props(&self, _tags: &[PropTag]) -> MapiResult<()> {
        Err(read_only("delete folder properties"))
    }
}

impl Folder for PstFolder {
    fn entry_id(&self) -> Vec<u8> {
        self.shared.entry_id(self.nid())
    }

    fn hierarchy_table(&self, depth: bool) -> MapiResult<Box<dyn Table>> {
        let mut rows = Vec::new();
        let mut seen = HashSet::from([self.nid()]);
        self.hierarchy_rows(self.nid(), 0, depth, &mut seen, &mut rows)?;
        let columns = vec![
            t::PidTagEntryId,
            t::PidTagDisplayName,
            t::PidTagContainerClass,
            t::PidTagContentCount,
            t::PidTagSubfolders,
            t::PidTagDepth,
        ];
        Ok(Box::new(MemoryTable::new(rows, columns)))
    }

    /// The rows are the contents table context's (MS-PST 2.4.4.5): only the columns it keeps,
    /// never each message's whole property context; a restriction on other properties reads
    /// them from the messages (see [`super::contents`]).
    fn contents_table(&self, associated: bool) -> MapiResult<Box<dyn Table>> {
        let table = if associated {
            self.folder.associated_contents_table()
        } else {
            self.folder.contents_table()
        };
        let table = match table {
            Ok(table) => Some(table),
            Err(PstError::NodeNotFound { .. }) => None,
            // Outlook leaves some search folders' contents node as a bare heap (see
            // `Folder::message_nids`): nothing to list.
            Err(PstError::Heap { .. }) if self.nid().type_code() == 0x03 => None,
            Err(err) => return Err(err.into()),
        };
        let shared = &self.shared;
        let folder_id = shared.entry_id(self.nid());
        let mut nids = Vec::new();
        let rows = match &table {
            Some(table) => rows_of(table, |_, nid| {
                nids.push(nid);
                vec![
                    bin(t::PidTagEntryId, shared.entry_id(nid)),
                    bin(t::PidTagInstanceKey, nid.0.to_le_bytes().to_vec()),
                    bin(t::PidTagParentEntryId, folder_id.clone()),
                ]
            })?,
            None => Vec::new(),
        };
        let columns = columns_of(table.as_ref(), &[t::PidTagEntryId, t::PidTagInstanceKey]);
        let rows = nids.into_iter().zip(rows).collect();
        Ok(Box::new(super::contents::PstContentsTable::new(Arc::clone(shared), rows, columns)))
    }

    fn create_folder(
        &self,
        _name: &str,
        _kind: FolderKind,
        _open_if_exists: bool,
    ) -> MapiResult<Box<dyn Folder>> {
        Err(read_only("create a folder"))
    }

    fn delete_folder(&self, _entry_id: &[u8], _flags: DeleteFolderFlags) -> MapiResult<()> {
        Err(read_only("delete a folder"))
    }

    fn copy_folder(
        &self,
        _entry_id: &[u8],
        _destination: &[u8],
        _new_name: Option<&str>,
        _subfolders: bool,
    ) -> MapiResult<Vec<u8>> {
        Err(read_only("copy a folder"))
    }

    fn move_folder(
        &self,
        _entry_id: &[u8],
        _destination: &[u8],
        _new_name: Option<&str>,
    ) -> MapiResult<()> {
        Err(read_only("move a folder"))
    }

    fn create_message(&self, _associated: bool) -> MapiResult<Box<dyn Message>> {
        Err(read_only("create a message"))
    }

    fn copy_messages(&self, _ids: &[Vec<u8>], _destination: &[u8]) -> MapiResult<Vec<Vec<u8>>> {
        Err(read_only("copy messages"))
    }

    fn move_messages(&self, _ids: &[Vec<u8>], _destination: &[u8]) -> MapiResult<Vec<Vec<u8>>> {
        Err(read_only("move messages"))
    }

    fn delete_messages(&self, _entry_ids: &[Vec<u8>]) -> MapiResult<()> {
        Err(read_only("delete messages"))
    }

    fn empty(&self, _associated: bool) -> MapiResult<()> {
        Err(read_only("empty a folder"))
    }
}

// ---------------------------------------------------------------------------------------------
// Messages

/// A message (MS-PST 2.4.5): top-level (with an entry ID) or embedded in an attachment.
#[derive(Debug)]
pub(crate) struct PstMessage {
    shared: Arc<Shared>,
    message: PstMessageNode,
    top_level: bool,
}

impl PstMessage {
    pub(crate) fn open_top_level(shared: Arc<Shared>, nid: NodeId) -> MapiResult<PstMessage> {
        let message = shared.file.message(nid)?;
        Ok(PstMessage { shared, message, top_level: true })
    }

    fn computed(&self) -> Vec<TaggedValue> {
        let shared = &self.shared;
        let nid = self.message.nid();
        let mut values = vec![
            bin(t::PidTagInstanceKey, nid.0.to_le_bytes().to_vec()),
            bin(t::PidTagStoreEntryId, shared.store_entry_id.clone()),
            bin(t::PidTagStoreRecordKey, shared.record_key.to_vec()),
            int(t::PidTagObjectType, MAPI_MESSAGE),
        ];
        if self.top_level {
            values.push(bin(t::PidTagEntryId, shared.entry_id(nid)));
            if let Ok(entry) = shared.file.ndb().node(nid) {
                values.push(bin(t::PidTagParentEntryId, shared.entry_id(entry.nid_parent)));
            }
        }
        values
    }

    /// The attachment table context and its rows' subnode NIDs, in table order.
    fn attachment_nids(&self) -> MapiResult<Vec<NodeId>> {
        let Some(table) = self.message.attachment_table()? else { return Ok(Vec::new()) };
        table.rows().map(|r| Ok(NodeId(r?.row_id()))).collect()
    }
}

impl PropertyObject for PstMessage {
    fn get_props(&self, tags: &[PropTag]) -> MapiResult<Vec<TaggedValue>> {
        answer(self.message.properties(), &self.computed(), &[], tags)
    }

    fn get_all_props(&self) -> MapiResult<Vec<TaggedValue>> {
        Ok(answer_all(self.message.properties(), self.computed(), &[]))
    }

    fn set_props(&self, _values: &[TaggedValue]) -> MapiResult<()> {
        Err(read_only("set message properties"))
    }

    fn delete_props(&self, _tags: &[PropTag]) -> MapiResult<()> {
        Err(read_only("delete message properties"))
    }

    /// Large bodies stream from their data blocks without being decoded first: the stored
    /// bytes are already what a stream of the stored type holds (UTF-16LE for `PtypString`).
    fn open_property_stream(&self, tag: PropTag) -> MapiResult<Box<dyn Read + Send>> {
        stream_stored(self.message.properties(), tag, self)
    }
}

/// Streams a stored binary or `PtypString` value from its blocks when its stored type is the
/// type asked for (or `PtypUnspecified`); otherwise (`PtypString8`, whose stream is the decoded
/// text, and anything small) the default of decoding and re-encoding the value.
fn stream_stored(
    pc: &PropertyContext,
    tag: PropTag,
    object: &dyn PropertyObject,
) -> MapiResult<Box<dyn Read + Send>> {
    let streamable = |ty: Option<PropType>| matches!(ty, Some(PropType::Binary | PropType::String));
    if let Some(stored) = pc.tag_of(tag.id())
        && streamable(stored.prop_type())
        && (stored == tag || tag.type_code() == PropType::Unspecified.code())
        && tag.id() != t::PidTagSubject.id()
        && let Some(reader) = messaging::value_reader(pc, tag.id())?
    {
        if stored.prop_type() == Some(PropType::String) {
            return Ok(Box::new(WithoutTerminator::new(reader)));
        }
        return Ok(Box::new(reader));
    }
    let value = object
        .get_prop(tag)?
        .ok_or_else(|| MapiError::not_found(format!("the object has no property {tag}")))?;
    let bytes = match value {
        PropValue::Binary(b) => b,
        PropValue::String(s) => s.encode_utf16().flat_map(u16::to_le_bytes).collect(),
        PropValue::String8(s) => s.into_bytes(),
        other => {
            return Err(MapiError::new(
                ErrorCode::NoSupport,
                format!("a {} value cannot be opened as a stream", other.prop_type()),
            ));
        }
    };
    Ok(Box::new(std::io::Cursor::new(bytes)))
}

impl Message for PstMessage {
    fn entry_id(&self) -> Option<Vec<u8>> {
        self.top_level.then(|| self.shared.entry_id(self.message.nid()))
    }

    /// The recipient table context (subnode 0x692), `PidTagRowid` numbering the rows in table
    /// order.
    fn recipient_table(&self) -> MapiResult<Box<dyn Table>> {
        let table = self.message.recipients()?;
        let rows = match &table {
            Some(table) => rows_of(table, |index, _| vec![int(t::PidTagRowid, count(index))])?,
            None => Vec::new(),
        };
        Ok(Box::new(MemoryTable::new(rows, columns_of(table.as_ref(), &[t::PidTagRowid]))))
    }

    fn modify_recipients(&self, _changes: &[RecipientChange]) -> MapiResult<()> {
        Err(read_only("modify recipients"))
    }

    /// The attachment table context (subnode 0x671). `PidTagAttachNumber` is the row's index
    /// in table order (the PST stores no attachment number), and `open_attachment` takes it.
    fn attachment_table(&self) -> MapiResult<Box<dyn Table>> {
        let table = self.message.attachment_table()?;
        let rows = match &table {
            Some(table) => rows_of(table, |index, _| {
                vec![
                    int(t::PidTagAttachNumber, count(index)),
                    int(t::PidTagObjectType, MAPI_ATTACH),
                ]
            })?,
            None => Vec::new(),
        };
        Ok(Box::new(MemoryTable::new(rows, columns_of(table.as_ref(), &[t::PidTagAttachNumber]))))
    }

    fn create_attachment(&self) -> MapiResult<Box<dyn Attachment>> {
        Err(read_only("create an attachment"))
    }

    fn open_attachment(&self, attach_number: u32) -> MapiResult<Box<dyn Attachment>> {
        let nids = self.attachment_nids()?;
        let nid = nids.get(attach_number as usize).copied().ok_or_else(|| {
            MapiError::not_found(format!(
                "the message has {} attachments, so no attachment number {attach_number}",
                nids.len()
            ))
        })?;
        let attachment = self.message.attachment(nid)?;
        Ok(Box::new(PstAttachment { shared: Arc::clone(&self.shared), attachment, attach_number }))
    }

    fn delete_attachment(&self, _attach_number: u32) -> MapiResult<()> {
        Err(read_only("delete an attachment"))
    }

    fn save_changes(&self) -> MapiResult<()> {
        Err(read_only("save a message"))
    }
}

// ---------------------------------------------------------------------------------------------
// Attachments

/// An attachment (MS-PST 2.4.6.2).
#[derive(Debug)]
pub(crate) struct PstAttachment {
    shared: Arc<Shared>,
    attachment: PstAttachmentNode,
    attach_number: u32,
}

impl PstAttachment {
    fn computed(&self) -> Vec<TaggedValue> {
        vec![
            int(t::PidTagAttachNumber, i32::try_from(self.attach_number).unwrap_or(i32::MAX)),
            int(t::PidTagObjectType, MAPI_ATTACH),
        ]
    }
}

impl PropertyObject for PstAttachment {
    fn get_props(&self, tags: &[PropTag]) -> MapiResult<Vec<TaggedValue>> {
        answer(self.attachment.properties(), &self.computed(), &[], tags)
    }

    fn get_all_props(&self) -> MapiResult<Vec<TaggedValue>> {
        Ok(answer_all(self.attachment.properties(), self.computed(), &[]))
    }

    fn set_props(&self, _values: &[TaggedValue]) -> MapiResult<()> {
        Err(read_only("set attachment properties"))
    }

    fn delete_props(&self, _tags: &[PropTag]) -> MapiResult<()> {
        Err(read_only("delete attachment properties"))
    }

    /// `PidTagAttachDataBinary` streams block by block from its subnode.
    fn open_property_stream(&self, tag: PropTag) -> MapiResult<Box<dyn Read + Send>> {
        stream_stored(self.attachment.properties(), tag, self)
    }
}

impl Attachment for PstAttachment {
    fn attach_number(&self) -> u32 {
        self.attach_number
    }

    fn open_embedded_message(&self, create: bool) -> MapiResult<Box<dyn Message>> {
        if create {
            return Err(read_only("create an embedded message"));
        }
        let message = self.attachment.embedded_message()?.ok_or_else(|| {
            MapiError::not_found(format!(
                "attachment {} is not an embedded message (PidTagAttachMethod {:?})",
                self.attach_number,
                self.attachment.method()
            ))
        })?;
        Ok(Box::new(PstMessage { shared: Arc::clone(&self.shared), message, top_level: false }))
    }

    fn save_changes(&self) -> MapiResult<()> {
        Err(read_only("save an attachment"))
    }
}

/// A UTF-16LE stream without the terminating NUL some writers store (the decoded value drops
/// it too): the last code unit is held back until the end shows whether it is the terminator.
struct WithoutTerminator<R> {
    inner: R,
    buffer: Vec<u8>,
    start: usize,
    done: bool,
}

impl<R: Read> WithoutTerminator<R> {
    fn new(inner: R) -> Self {
        WithoutTerminator { inner, buffer: Vec::new(), start: 0, done: false }
    }
}

impl<R: Read> Read for WithoutTerminator<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        loop {
            let ready =
                if self.done { self.buffer.len() } else { self.buffer.len().saturating_sub(2) };
            if ready > self.start {
                let n = out.len().min(ready - self.start);
                out[..n].copy_from_slice(&self.buffer[self.start..self.start + n]);
                self.start += n;
                return Ok(n);
            }
            if self.done {
                return Ok(0);
            }
            self.buffer.drain(..self.start);
            self.start = 0;
            let mut chunk = [0u8; 8192];
            let n = self.inner.read(&mut chunk)?;
            if n == 0 {
                self.done = true;
                if self.buffer.len() >= 2 && self.buffer[self.buffer.len() - 2..] == [0, 0] {
                    self.buffer.truncate(self.buffer.len() - 2);
                }
            } else {
                self.buffer.extend_from_slice(&chunk[..n]);
            }
        }
    }
}
