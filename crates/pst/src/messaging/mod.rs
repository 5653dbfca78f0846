//! The messaging layer (MS-PST 2.4): the message store, folders, messages, recipients,
//! attachments and the named-property map, on top of the LTP layer.

pub mod named;
pub mod props;

pub use named::NameToIdMap;

use crate::error::{PstError, PstResult};
use crate::io::{ReadAt, Source, u32_at};
use crate::ltp::{LtpNode, PropertyContext, TableContext, ValueLocation};
use crate::ndb::{BlockId, Header, Ndb, NodeEntry, NodeId, OpenOptions, Problem};
use mapi::{PropValue, TaggedValue};
use props::*;
use std::path::Path;
use std::sync::Arc;

/// An open PST or OST file. Cloning is cheap; clones share the file.
#[derive(Debug, Clone)]
pub struct PstFile {
    ndb: Arc<Ndb>,
}

impl PstFile {
    /// Opens a file strictly: the first integrity error fails the read that met it.
    pub fn open(path: impl AsRef<Path>) -> PstResult<PstFile> {
        Self::open_with(path, OpenOptions::default())
    }

    pub fn open_with(path: impl AsRef<Path>, options: OpenOptions) -> PstResult<PstFile> {
        let file = std::fs::File::open(path.as_ref()).map_err(|source| PstError::Io {
            offset: 0,
            len: 0,
            source,
        })?;
        Self::from_reader(Box::new(file), options)
    }

    /// Opens any positional byte source (a file, bytes in memory, a test double).
    pub fn from_reader(reader: Box<dyn ReadAt>, options: OpenOptions) -> PstResult<PstFile> {
        let source = Source::new(reader)?;
        Ok(PstFile { ndb: Arc::new(Ndb::open(source, options)?) })
    }

    pub fn header(&self) -> &Header {
        self.ndb.header()
    }

    /// The NDB layer, for tools that walk B-trees and blocks.
    pub fn ndb(&self) -> &Arc<Ndb> {
        &self.ndb
    }

    pub fn file_size(&self) -> u64 {
        self.ndb.file_size()
    }

    /// Problems stepped over in lenient mode.
    pub fn problems(&self) -> Vec<Problem> {
        self.ndb.problems()
    }

    /// Records a problem met above the NDB layer (e.g. an item a walker had to skip).
    pub fn record_problem(&self, location: String, err: &PstError) {
        self.ndb.record(location, err);
    }

    pub fn is_lenient(&self) -> bool {
        self.ndb.options.lenient
    }

    /// The property context of any top-level node.
    pub fn property_context(&self, nid: NodeId) -> PstResult<PropertyContext> {
        PropertyContext::open(LtpNode::open(&self.ndb, nid)?)
    }

    /// The table context of any top-level node.
    pub fn table_context(&self, nid: NodeId) -> PstResult<TableContext> {
        TableContext::open(LtpNode::open(&self.ndb, nid)?)
    }

    /// The message store object (NID 0x21, MS-PST 2.4.3).
    pub fn message_store(&self) -> PstResult<MessageStore> {
        Ok(MessageStore {
            pc: self.property_context(NodeId::MESSAGE_STORE)?,
            is_ost: self.header().is_ost(),
        })
    }

    /// The name-to-ID map (NID 0x61).
    pub fn named_properties(&self) -> PstResult<NameToIdMap> {
        NameToIdMap::read(&self.property_context(NodeId::NAME_TO_ID_MAP)?)
    }

    /// The root folder (NID 0x122).
    pub fn root_folder(&self) -> PstResult<Folder> {
        self.folder(NodeId::ROOT_FOLDER)
    }

    pub fn folder(&self, nid: NodeId) -> PstResult<Folder> {
        Ok(Folder { file: self.clone(), nid, pc: self.property_context(nid)? })
    }

    /// A message (or associated message) by NID.
    pub fn message(&self, nid: NodeId) -> PstResult<Message> {
        Message::open(LtpNode::open(&self.ndb, nid)?)
    }

    /// Every node of the node B-tree (for walkers and counters).
    pub fn nodes(&self) -> PstResult<Vec<NodeEntry>> {
        let mut out = Vec::new();
        self.ndb.for_each_node(|e| out.push(e))?;
        Ok(out)
    }
}

/// The message store (MS-PST 2.4.3).
#[derive(Debug, Clone)]
pub struct MessageStore {
    pc: PropertyContext,
    is_ost: bool,
}

impl MessageStore {
    pub fn properties(&self) -> &PropertyContext {
        &self.pc
    }

    pub fn display_name(&self) -> Option<String> {
        self.pc.string(PID_TAG_DISPLAY_NAME)
    }

    /// PidTagRecordKey: the provider UID of entry IDs into this store.
    pub fn record_key(&self) -> Option<Vec<u8>> {
        match self.pc.value(PID_TAG_RECORD_KEY) {
            Ok(Some(PropValue::Binary(b))) => Some(b),
            _ => None,
        }
    }

    /// PidTagPstPassword as stored: a CRC of the password, 0 or absent when there is none. OSTs
    /// keep 0xFFFFFFFF there, which is no password (see [`MessageStore::is_password_protected`]).
    pub fn password_crc(&self) -> u32 {
        self.pc.i32(PID_TAG_PST_PASSWORD).map_or(0, |v| v as u32)
    }

    /// Whether opening the store takes a password: a PST with a non-zero PidTagPstPassword.
    /// Never an OST: Outlook opens an OST with its Exchange profile and never asks for a
    /// password, and MS-PST defines none for it; OSTs keep 0xFFFFFFFF in the property.
    pub fn is_password_protected(&self) -> bool {
        !self.is_ost && self.password_crc() != 0
    }

    /// Whether `password` is the store's password: PidTagPstPassword holds the MS-PST 5.3
    /// CRC of the password's 8-bit bytes (windows-1252). A store without one (and an OST)
    /// accepts any.
    pub fn password_matches(&self, password: &str) -> bool {
        if !self.is_password_protected() {
            return true;
        }
        let crc = self.password_crc();
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(password);
        crate::ndb::crc::compute_crc(&bytes) == crc
    }

    /// A password this store accepts: four bytes whose CRC is the stored one (see
    /// [`password_with_crc`]). For tools and tests that must open a protected file whose
    /// password is lost, which libpff and readpst read without asking.
    pub fn equivalent_password(&self) -> Option<String> {
        self.is_password_protected().then(|| password_with_crc(self.password_crc()))
    }

    /// The entry ID of an object in this store (MS-PST 2.4.3.2): `rgbFlags` 0, the store's
    /// record key as provider UID, then the NID.
    pub fn entry_id(&self, nid: NodeId) -> Option<Vec<u8>> {
        let uid = self.record_key().filter(|k| k.len() == 16)?;
        let mut id = Vec::with_capacity(24);
        id.extend_from_slice(&[0; 4]);
        id.extend_from_slice(&uid);
        id.extend_from_slice(&nid.0.to_le_bytes());
        Some(id)
    }

    /// The NID an entry ID names, if the ID belongs to this store.
    pub fn nid_from_entry_id(&self, entry_id: &[u8]) -> Option<NodeId> {
        let uid = self.record_key()?;
        (entry_id.len() == 24 && entry_id[4..20] == uid[..]).then(|| NodeId(u32_at(entry_id, 20)))
    }

    /// NID of a folder named by an entry-ID property (IPM subtree, Deleted Items, search root).
    pub fn folder_nid(&self, prop_id: u16) -> Option<NodeId> {
        match self.pc.value(prop_id) {
            // An entry ID: rgbFlags (4), the store's record key (16), then the NID (4).
            Ok(Some(PropValue::Binary(b))) if b.len() >= 24 => Some(NodeId(u32_at(&b, 20))),
            _ => None,
        }
    }

    pub fn ipm_subtree(&self) -> Option<NodeId> {
        self.folder_nid(PID_TAG_IPM_SUBTREE_ENTRY_ID)
    }
}

/// A folder (MS-PST 2.4.4).
#[derive(Debug, Clone)]
pub struct Folder {
    file: PstFile,
    nid: NodeId,
    pc: PropertyContext,
}

impl Folder {
    pub fn nid(&self) -> NodeId {
        self.nid
    }

    pub fn properties(&self) -> &PropertyContext {
        &self.pc
    }

    pub fn display_name(&self) -> Option<String> {
        self.pc.string(PID_TAG_DISPLAY_NAME)
    }

    /// PidTagContentCount as stored in the folder's PC.
    pub fn content_count(&self) -> Option<i32> {
        self.pc.i32(PID_TAG_CONTENT_COUNT)
    }

    fn table(&self, node_type: u8) -> PstResult<TableContext> {
        self.file.table_context(self.nid.with_type(node_type))
    }

    /// The hierarchy table (NID type 0x0D): one row per subfolder.
    pub fn hierarchy_table(&self) -> PstResult<TableContext> {
        self.table(0x0D)
    }

    /// The contents table (0x0E), or for a search folder its search contents table (0x10).
    pub fn contents_table(&self) -> PstResult<TableContext> {
        if self.nid.type_code() == 0x03 { self.table(0x10) } else { self.table(0x0E) }
    }

    /// The associated (FAI) contents table (0x0F).
    pub fn associated_contents_table(&self) -> PstResult<TableContext> {
        self.table(0x0F)
    }

    /// NIDs of the subfolders, in hierarchy-table order.
    pub fn subfolder_nids(&self) -> PstResult<Vec<NodeId>> {
        // Search folders have no hierarchy table: no subfolders.
        match self.hierarchy_table() {
            Ok(t) => row_ids(&t),
            Err(PstError::NodeNotFound { .. }) => Ok(Vec::new()),
            Err(e) => Err(e),
        }
    }

    /// NIDs of the messages, in contents-table order.
    pub fn message_nids(&self) -> PstResult<Vec<NodeId>> {
        match self.contents_table() {
            Ok(t) => row_ids(&t),
            Err(PstError::NodeNotFound { .. }) => Ok(Vec::new()),
            // Outlook leaves some search folders' 0x10 node as a heap with MS-PST's reserved
            // bClientSig 0xAC instead of a table context: nothing to list.
            Err(PstError::Heap { .. }) if self.nid.type_code() == 0x03 => Ok(Vec::new()),
            Err(e) => Err(e),
        }
    }

    /// The subfolders in hierarchy-table order. A row whose folder node is missing is
    /// skipped (and recorded as a problem) rather than failing the whole list.
    pub fn subfolders(&self) -> PstResult<Vec<Folder>> {
        let mut out = Vec::new();
        for nid in self.subfolder_nids()? {
            match self.file.folder(nid) {
                Ok(folder) => out.push(folder),
                Err(err @ PstError::NodeNotFound { .. }) => {
                    self.file.record_problem(format!("hierarchy table of {}", self.nid), &err);
                }
                Err(err) => return Err(err),
            }
        }
        Ok(out)
    }

    pub fn file(&self) -> &PstFile {
        &self.file
    }
}

/// The row IDs of a table, each once: a table that names one object in many rows would have
/// every walker open (and read) that object again per row, work quadratic in the file.
fn row_ids(table: &TableContext) -> PstResult<Vec<NodeId>> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for row in table.rows() {
        let nid = NodeId(row?.row_id());
        if seen.insert(nid) {
            out.push(nid);
        }
    }
    Ok(out)
}

/// A message, top-level or embedded (MS-PST 2.4.5).
#[derive(Debug, Clone)]
pub struct Message {
    node: LtpNode,
    pc: PropertyContext,
}

impl Message {
    fn open(node: LtpNode) -> PstResult<Message> {
        let mut pc = PropertyContext::open(node.clone())?;
        pc.set_codepage(message_codepage(&pc));
        Ok(Message { node, pc })
    }

    pub fn nid(&self) -> NodeId {
        self.node.nid
    }

    pub fn properties(&self) -> &PropertyContext {
        &self.pc
    }

    /// The BID of the message's property context data (identifies the stored object).
    pub fn data_bid(&self) -> BlockId {
        self.node.bid_data
    }

    /// Every property, decoded (undecodable ones skipped).
    pub fn all_properties(&self) -> Vec<TaggedValue> {
        self.pc.all().0
    }

    pub fn message_class(&self) -> Option<String> {
        self.pc.string(PID_TAG_MESSAGE_CLASS)
    }

    /// PidTagBody, decoded.
    pub fn body(&self) -> Option<String> {
        self.pc.string(PID_TAG_BODY)
    }

    /// PidTagHtml as stored (bytes in the message's HTML charset), or a string value encoded
    /// as UTF-8.
    pub fn html(&self) -> Option<Vec<u8>> {
        match self.pc.value(PID_TAG_HTML).ok()?? {
            PropValue::Binary(b) => Some(b),
            PropValue::String(s) | PropValue::String8(s) => Some(s.into_bytes()),
            _ => None,
        }
    }

    /// PidTagRtfCompressed as stored (MS-OXRTFCP compressed RTF).
    pub fn rtf_compressed(&self) -> Option<Vec<u8>> {
        self.pc.bytes(PID_TAG_RTF_COMPRESSED).ok().flatten()
    }

    /// The RTF body: PidTagRtfCompressed decompressed (MS-OXRTFCP) with the `compressed-rtf`
    /// crate. The header is checked first, since that crate trusts its sizes.
    pub fn rtf(&self) -> PstResult<Option<String>> {
        let Some(data) = self.rtf_compressed() else { return Ok(None) };
        let bad = |problem: String| PstError::Property {
            nid: self.node.nid,
            prop_id: PID_TAG_RTF_COMPRESSED,
            problem,
        };
        decompress_rtf(&data).map(Some).map_err(bad)
    }

    pub fn subject(&self) -> Option<String> {
        self.pc.string(PID_TAG_SUBJECT).map(|s| strip_subject_prefix(&s).to_owned())
    }

    fn table(&self, nid: NodeId) -> PstResult<Option<TableContext>> {
        if !self.node.has_subnode(nid) {
            return Ok(None);
        }
        let mut tc = TableContext::open(self.node.subnode(nid)?)?;
        tc.set_codepage(message_codepage(&self.pc));
        Ok(Some(tc))
    }

    /// The recipient table (subnode 0x692), if the message has one.
    pub fn recipients(&self) -> PstResult<Option<TableContext>> {
        self.table(NodeId::RECIPIENT_TABLE)
    }

    /// The attachment table (subnode 0x671), if the message has one.
    pub fn attachment_table(&self) -> PstResult<Option<TableContext>> {
        self.table(NodeId::ATTACHMENT_TABLE)
    }

    pub fn attachment_count(&self) -> PstResult<usize> {
        Ok(self.attachment_table()?.map_or(0, |t| t.row_count()))
    }

    pub fn recipient_count(&self) -> PstResult<usize> {
        Ok(self.recipients()?.map_or(0, |t| t.row_count()))
    }

    /// The attachments, in attachment-table order.
    pub fn attachments(&self) -> PstResult<Vec<Attachment>> {
        let Some(table) = self.attachment_table()? else { return Ok(Vec::new()) };
        row_ids(&table)?.into_iter().map(|nid| self.attachment(nid)).collect()
    }

    /// One attachment object by the subnode NID its table row names.
    pub fn attachment(&self, nid: NodeId) -> PstResult<Attachment> {
        let node = self.node.subnode(nid)?;
        let mut pc = PropertyContext::open(node.clone())?;
        pc.set_codepage(message_codepage(&self.pc));
        Ok(Attachment { node, pc })
    }
}

/// The code page for a message's 8-bit strings: PidTagMessageCodepage (MS-OXPROPS: "the code
/// page used to encode the non-Unicode string properties"), else PidTagInternetCodepage (the
/// body's code page); `None` means windows-1252.
fn message_codepage(pc: &PropertyContext) -> Option<u32> {
    [PID_TAG_MESSAGE_CODEPAGE, PID_TAG_INTERNET_CODEPAGE]
        .into_iter()
        .find_map(|id| pc.i32(id))
        .map(|cp| cp as u32)
}

/// Decompresses an MS-OXRTFCP stream (PidTagRtfCompressed) to RTF text. The header is checked
/// here before the `compressed-rtf` crate sees it, since that crate trusts its sizes.
pub fn decompress_rtf(data: &[u8]) -> Result<String, String> {
    if data.len() < 16 {
        return Err(format!("{} bytes cannot hold the 16-byte header", data.len()));
    }
    let comp_size = u32_at(data, 0) as usize;
    let raw_size = u32_at(data, 4) as usize;
    if u32_at(data, 8) == 0x414C_454D {
        // "MELA": stored uncompressed. Writers put COMPSIZE into RAWSIZE here, so the
        // text is what follows the header, up to RAWSIZE.
        let text = &data[16..data.len().min(16 + raw_size)];
        let text = text.split(|&b| b == 0).next().unwrap_or_default();
        return Ok(text.iter().map(|&b| char::from(b)).collect());
    }
    // A 2-byte reference expands to at most 17 bytes (MS-OXRTFCP 2.2.1.2.2).
    let max_raw = (data.len() - 16) * 9 + 4096;
    if comp_size + 4 != data.len() || raw_size > max_raw {
        return Err(format!(
            "COMPSIZE {comp_size} / RAWSIZE {raw_size} do not fit {} bytes",
            data.len()
        ));
    }
    compressed_rtf::decompress_rtf(data).map_err(|e| e.to_string())
}

/// Subjects stored by some writers start with U+0001 and one character giving the length of the
/// subject prefix (`RE: `...); that marker is not part of the text (libpff strips it too).
pub fn strip_subject_prefix(subject: &str) -> &str {
    let mut chars = subject.chars();
    if chars.next() == Some('\u{1}') {
        chars.next();
        return chars.as_str();
    }
    subject
}

/// An attachment (MS-PST 2.4.6.2).
#[derive(Debug, Clone)]
pub struct Attachment {
    node: LtpNode,
    pc: PropertyContext,
}

/// `PidTagAttachMethod` values (MS-OXCMSG 2.2.2.9).
pub const ATTACH_BY_VALUE: i32 = 1;
pub const ATTACH_EMBEDDED_MESSAGE: i32 = 5;
pub const ATTACH_OLE: i32 = 6;

impl Attachment {
    pub fn nid(&self) -> NodeId {
        self.node.nid
    }

    pub fn properties(&self) -> &PropertyContext {
        &self.pc
    }

    pub fn method(&self) -> Option<i32> {
        self.pc.i32(PID_TAG_ATTACH_METHOD)
    }

    pub fn filename(&self) -> Option<String> {
        self.pc
            .string(PID_TAG_ATTACH_LONG_FILENAME)
            .or_else(|| self.pc.string(PID_TAG_ATTACH_FILENAME))
    }

    /// The attachment data as a stream (PidTagAttachDataBinary, or for OLE attachments the
    /// compound file of PidTagAttachDataObject): large values are read block by block from the
    /// subnode, never all at once.
    pub fn data_reader(&self) -> PstResult<Option<ValueReader>> {
        let location = self.pc.value_location(PID_TAG_ATTACH_DATA)?;
        let is_object = self.pc.tag_of(PID_TAG_ATTACH_DATA).and_then(|t| t.prop_type())
            == Some(mapi::PropType::Object);
        let location = match location {
            Some(ValueLocation::Heap(_)) if is_object => {
                let bytes = self.pc.bytes(PID_TAG_ATTACH_DATA)?.unwrap_or_default();
                Some(ValueLocation::Subnode(NodeId(u32_at(&bytes, 0))))
            }
            other => other,
        };
        match location {
            None => Ok(None),
            Some(ValueLocation::Subnode(nid)) => {
                let tree = self.node.subnode_tree(nid)?;
                Ok(Some(ValueReader::blocks(self.node.ndb.clone(), tree.blocks)))
            }
            Some(_) => {
                let bytes = self.pc.bytes(PID_TAG_ATTACH_DATA)?.unwrap_or_default();
                Ok(Some(ValueReader::memory(bytes)))
            }
        }
    }

    /// The embedded message of an `ATTACH_EMBEDDED_MESSAGE` attachment (PidTagAttachDataObject).
    pub fn embedded_message(&self) -> PstResult<Option<Message>> {
        // OLE attachments (method 6) also keep a PtypObject there, holding a compound file.
        if self.method() != Some(ATTACH_EMBEDDED_MESSAGE) {
            return Ok(None);
        }
        let nid = match self.pc.value_location(PID_TAG_ATTACH_DATA)? {
            Some(ValueLocation::Subnode(nid)) => nid,
            // A heap item holding the subnode NID and size (MS-PST 2.3.3.5 PtypObject).
            Some(ValueLocation::Heap(_)) => {
                let bytes = self.pc.bytes(PID_TAG_ATTACH_DATA)?.unwrap_or_default();
                NodeId(u32_at(&bytes, 0))
            }
            _ => return Ok(None),
        };
        if self.pc.tag_of(PID_TAG_ATTACH_DATA).and_then(|t| t.prop_type())
            != Some(mapi::PropType::Object)
        {
            return Ok(None);
        }
        Message::open(self.node.subnode(nid)?).map(Some)
    }
}

/// A property of `pc` as a stream of its stored bytes (UTF-16LE for `PtypString`, the code-page
/// bytes for `PtypString8`): a value kept in a subnode (MS-PST 2.3.3.3, values over the heap's
/// limit) is read block by block, a smaller one comes from the heap at once.
pub fn value_reader(pc: &PropertyContext, id: u16) -> PstResult<Option<ValueReader>> {
    match pc.value_location(id)? {
        None => Ok(None),
        Some(ValueLocation::Subnode(nid)) => {
            let tree = pc.node().subnode_tree(nid)?;
            Ok(Some(ValueReader::blocks(pc.node().ndb.clone(), tree.blocks)))
        }
        Some(_) => Ok(pc.bytes(id)?.map(ValueReader::memory)),
    }
}

/// A value streamed from its data blocks (or from memory when it was small).
#[derive(Debug)]
pub struct ValueReader {
    ndb: Option<Arc<Ndb>>,
    blocks: Vec<BlockId>,
    next_block: usize,
    buffer: Vec<u8>,
    pos: usize,
}

impl ValueReader {
    fn memory(bytes: Vec<u8>) -> ValueReader {
        ValueReader { ndb: None, blocks: Vec::new(), next_block: 0, buffer: bytes, pos: 0 }
    }

    fn blocks(ndb: Arc<Ndb>, blocks: Vec<BlockId>) -> ValueReader {
        ValueReader { ndb: Some(ndb), blocks, next_block: 0, buffer: Vec::new(), pos: 0 }
    }
}

impl std::io::Read for ValueReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.pos >= self.buffer.len() {
            let (Some(ndb), Some(&bid)) = (&self.ndb, self.blocks.get(self.next_block)) else {
                return Ok(0);
            };
            self.next_block += 1;
            self.buffer = ndb.read_block(bid).map_err(std::io::Error::other)?;
            self.pos = 0;
        }
        let n = buf.len().min(self.buffer.len() - self.pos);
        buf[..n].copy_from_slice(&self.buffer[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

/// A password whose PST CRC (MS-PST 5.3: CRC-32 from a zero register, over the password in
/// Windows-1252, as [`MessageStore::password_matches`] computes it) is `crc`. PST passwords are
/// a CRC check, not encryption: the CRC of four bytes from a zero register is linear over
/// GF(2) and one-to-one, so the four bytes solve a 32×32 system, and every Windows-1252 byte
/// decodes to a character that encodes back to it.
pub fn password_with_crc(crc: u32) -> String {
    use crate::ndb::crc::compute_crc;
    // Reduced row echelon form over the CRCs of the 32 one-bit inputs: each row is (a CRC
    // value, the input that gives it); once reduced, every row's CRC is a single bit.
    let mut pending: Vec<(u32, u32)> =
        (0..32).map(|bit| (compute_crc(&(1u32 << bit).to_le_bytes()), 1u32 << bit)).collect();
    let mut rows: Vec<(u32, u32)> = Vec::with_capacity(32);
    for pivot in (0..32).rev() {
        let mask = 1u32 << pivot;
        let Some(at) = pending.iter().position(|(value, _)| value & mask != 0) else { continue };
        let row = pending.swap_remove(at);
        for other in pending.iter_mut().chain(rows.iter_mut()) {
            if other.0 & mask != 0 {
                other.0 ^= row.0;
                other.1 ^= row.1;
            }
        }
        rows.push(row);
    }
    let input = rows
        .iter()
        .filter(|(value, _)| crc & value != 0)
        .fold(0u32, |input, (_, row_input)| input ^ row_input);
    let bytes = input.to_le_bytes();
    let (text, _, _) = encoding_rs::WINDOWS_1252.decode(&bytes);
    text.into_owned()
}

#[cfg(test)]
mod password_tests {
    use super::password_with_crc;
    use crate::ndb::crc::compute_crc;

    #[test]
    fn the_password_made_for_a_crc_has_that_crc() {
        for crc in [0xF93B_A110u32, 0xFF93_9387, 0x11A8_9DA7, 0xB103_1B28, 1, u32::MAX, 0] {
            let password = password_with_crc(crc);
            let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&password);
            assert_eq!(compute_crc(&bytes), crc, "{crc:#x}");
        }
    }
}
