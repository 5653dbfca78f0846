//! A PST or OST file mounted as a read-only message store: the [`mapi::provider`] traits over
//! the messaging layer, so folders, tables, messages and attachments open through the same API
//! as the embedded store.
//!
//! - Entry IDs are MS-PST 2.4.3.2's: 4 flag bytes (0 when we make them), the store's record key
//!   (`PidTagRecordKey` of NID 0x21) as provider UID, then the NID (u32 LE). `open_entry`
//!   ignores the flag bytes; a folder NID type (normal 0x02, search 0x03) opens a folder, a
//!   message type (normal 0x04, associated 0x08) a message.
//! - The store's own entry ID is MAPI's wrapped form (MS-OXCDATA 2.2.4.3, provider DLL
//!   `mspst.dll`), see [`store_entry_id`].
//! - Passwords: a PST whose `PidTagPstPassword` is non-zero mounts only with the password whose
//!   CRC (MS-PST 5.3) matches, as Outlook asks for it; otherwise `PstError::Password`, which
//!   maps to `MAPI_E_LOGON_FAILED`. OSTs keep 0xFFFFFFFF there: Outlook never asks for a
//!   password to open an OST (it belongs to an Exchange profile), and MS-PST defines no
//!   password for it, so an OST mounts without one and a given password is ignored.
//! - OSTs also open the Exchange entry IDs their special-folder properties hold (the
//!   mailbox's provider UID, [`MessageStore::alias_provider_uids`]), resolved to the cached
//!   folders and messages as [`ost`] describes; the IDs this store hands out stay PST IDs.
//! - Everything is read-only: every write answers `MAPI_E_NO_ACCESS`.

mod contents;
mod objects;
mod ost;

use crate::error::{PstError, PstResult};
use crate::ltp::PropertyContext;
use crate::messaging::{MessageStore as PstMessageStore, NameToIdMap, PstFile};
use crate::ndb::NodeId;
use mapi::TaggedValue;
use mapi::catalog::tags as t;
use mapi::entry_id::StoreObjectEntryId;
use mapi::provider::{
    self, Folder, MessageStore, OpenedEntry, PropertyObject, ReceiveFolder, SpecialFolder,
    SpecialFolderLocation,
};
use mapi::{ErrorCode, Guid, MapiError, MapiResult, NamedProperty, PropTag, PropValue};
use objects::{PstFolder, PstMessage, answer, answer_all};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// `PidTagPstPassword` (MS-PST 2.4.3.1): hidden from clients, as the password CRC is a secret.
const PST_PASSWORD_ID: u16 = 0x67FF;

/// The receive folder table's column holding the folder NID. MS-PST reserves the node type
/// (`NID_TYPE_RECEIVE_FOLDER_TABLE`, 0x0B) without a layout; every corpus file has NID 0x62B
/// with `PidTagMessageClass` and this column.
const RECEIVE_FOLDER_NID_ID: u16 = 0x6605;
const RECEIVE_FOLDER_TABLE: NodeId = NodeId(0x62B);

/// The PST provider's MAPIUID that Outlook puts in the wrapped part of a PST store entry ID.
const MSPST_UID: [u8; 16] = [
    0x4E, 0x49, 0x54, 0x41, 0xF9, 0xBF, 0xB8, 0x01, 0x00, 0xAA, 0x00, 0x37, 0xD9, 0x6E, 0x00, 0x00,
];

/// `PidTagStoreSupportMask` bits (MS-OXPROPS): STORE_ENTRYID_UNIQUE, STORE_READONLY,
/// STORE_UNICODE_OK.
const STORE_ENTRYID_UNIQUE: i32 = 0x0000_0001;
const STORE_READONLY: i32 = 0x0000_0002;
const STORE_UNICODE_OK: i32 = 0x0004_0000;

/// A PST or OST file mounted as a read-only [`MessageStore`]. Cheap to share between threads:
/// everything read at mount time is immutable and reads are positional.
#[derive(Debug, Clone)]
pub struct PstStore {
    shared: Arc<Shared>,
}

#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) file: PstFile,
    path: PathBuf,
    store: PstMessageStore,
    pub(crate) record_key: [u8; 16],
    store_entry_id: Vec<u8>,
    names: NameToIdMap,
    receive_folders: Vec<(String, NodeId)>,
    /// The Exchange side of an OST (`None` for PSTs).
    ost: Option<ost::OstIds>,
}

/// The store entry ID of a mounted file (MS-OXCDATA 2.2.4.3 wrapper, `mspst.dll`): the wrapped
/// data is 4 zero flag bytes, the PST provider UID, 4 zero bytes, then the file's path as
/// UTF-16LE with a terminating NUL — the layout `StoreObjectEntryId::pst_path` reads back.
pub fn store_entry_id(path: &Path) -> Vec<u8> {
    let mut data = Vec::with_capacity(24 + 2 * path.as_os_str().len() + 2);
    data.extend_from_slice(&[0; 4]);
    data.extend_from_slice(&MSPST_UID);
    data.extend_from_slice(&[0; 4]);
    for unit in path.to_string_lossy().encode_utf16().chain([0]) {
        data.extend_from_slice(&unit.to_le_bytes());
    }
    StoreObjectEntryId::wrap(StoreObjectEntryId::PST_DLL, data).encode()
}

impl PstStore {
    /// Mounts `path`. A password-protected PST needs `password` (checked against the CRC in
    /// `PidTagPstPassword`); a missing or wrong one is [`PstError::Password`]
    /// (`MAPI_E_LOGON_FAILED`). OSTs need none (see the module docs).
    pub fn open(path: &Path, password: Option<&str>) -> PstResult<PstStore> {
        let path_abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        PstStore::from_file(PstFile::open(path)?, &path_abs, password)
    }

    /// Mounts an already open file (e.g. one read from memory with `PstFile::from_reader`);
    /// `path` is what the store entry ID names. Passwords are checked as by [`PstStore::open`].
    pub fn from_file(file: PstFile, path: &Path, password: Option<&str>) -> PstResult<PstStore> {
        let store = file.message_store()?;
        let denied = |problem: &str| PstError::Password {
            path: path.display().to_string(),
            problem: problem.to_owned(),
        };
        if store.is_password_protected() {
            match password {
                None => {
                    return Err(denied("the PST is password-protected and no password was given"));
                }
                Some(pw) if !store.password_matches(pw) => {
                    return Err(denied("the password does not match the PST's password CRC"));
                }
                Some(_) => {}
            }
        }
        let record_key: [u8; 16] =
            store.record_key().and_then(|k| k.try_into().ok()).ok_or_else(|| {
                PstError::Property {
                    nid: NodeId::MESSAGE_STORE,
                    prop_id: 0x0FF9,
                    problem: "PidTagRecordKey must be 16 bytes (MS-PST 2.4.3.1)".to_owned(),
                }
            })?;
        let names = file.named_properties()?;
        let receive_folders = read_receive_folders(&file)?;
        let ost = ost::OstIds::read(&file, store.properties());
        let path = path.to_path_buf();
        let store_entry_id = store_entry_id(&path);
        Ok(PstStore {
            shared: Arc::new(Shared {
                file,
                path,
                store,
                record_key,
                store_entry_id,
                names,
                receive_folders,
                ost,
            }),
        })
    }

    /// The mounted file.
    pub fn path(&self) -> &Path {
        &self.shared.path
    }

    /// The reader underneath, for tools that need more than the traits.
    pub fn file(&self) -> &PstFile {
        &self.shared.file
    }
}

/// The receive folder table (NID 0x62B): (message class, folder NID) rows. A file without it
/// has no receive folders; a damaged one is recorded as a problem and left out, since the rest
/// of the store does not depend on it.
fn read_receive_folders(file: &PstFile) -> PstResult<Vec<(String, NodeId)>> {
    let read = || -> PstResult<Vec<(String, NodeId)>> {
        let table = file.table_context(RECEIVE_FOLDER_TABLE)?;
        let mut out = Vec::with_capacity(table.capacity_hint());
        for row in table.rows() {
            let row = row?;
            let class = row.string(t::PidTagMessageClass.id()).unwrap_or_default();
            if let Some(PropValue::Integer32(nid)) = row.value(RECEIVE_FOLDER_NID_ID)? {
                out.push((class, NodeId(nid as u32)));
            }
        }
        Ok(out)
    };
    match read() {
        Ok(rows) => Ok(rows),
        Err(PstError::NodeNotFound { .. }) => Ok(Vec::new()),
        Err(err @ PstError::Io { .. }) => Err(err),
        Err(err) => {
            file.record_problem("receive folder table (NID 0x62B)".to_owned(), &err);
            Ok(Vec::new())
        }
    }
}

/// The refusal every write gets.
pub(crate) fn read_only(what: &str) -> MapiError {
    MapiError::new(ErrorCode::NoAccess, format!("cannot {what}: the PST is mounted read-only"))
}

impl Shared {
    /// The entry ID of an object of this store (MS-PST 2.4.3.2).
    pub(crate) fn entry_id(&self, nid: NodeId) -> Vec<u8> {
        let mut id = Vec::with_capacity(24);
        id.extend_from_slice(&[0; 4]);
        id.extend_from_slice(&self.record_key);
        id.extend_from_slice(&nid.0.to_le_bytes());
        id
    }

    /// The NID an entry ID names. Shorter than a header or the wrong size for a PST ID is
    /// `MAPI_E_INVALID_ENTRYID`; another provider UID is `MAPI_E_UNKNOWN_ENTRYID`. An OST
    /// also resolves the Exchange IDs of its mailbox (`MAPI_E_NOT_FOUND` for an object it
    /// does not cache).
    pub(crate) fn nid_of(&self, entry_id: &[u8]) -> MapiResult<NodeId> {
        let invalid = |why: String| MapiError::new(ErrorCode::InvalidEntryId, why);
        if entry_id.len() < 20 {
            return Err(invalid(format!(
                "an entry ID of {} bytes is shorter than its 20-byte header",
                entry_id.len()
            )));
        }
        if let Some(ost) = &self.ost
            && entry_id[4..20] == ost.mailbox_uid()
        {
            return ost.resolve(&self.file, entry_id);
        }
        if entry_id[4..20] != self.record_key {
            return Err(MapiError::new(
                ErrorCode::UnknownEntryId,
                format!(
                    "the entry ID's provider UID {} is not this PST's record key {}",
                    mapi::hex::encode(&entry_id[4..20]),
                    mapi::hex::encode(&self.record_key)
                ),
            ));
        }
        if entry_id.len() != 24 {
            return Err(invalid(format!(
                "a PST entry ID is 24 bytes (flags, record key, NID), this one has {}",
                entry_id.len()
            )));
        }
        Ok(NodeId(u32::from_le_bytes([entry_id[20], entry_id[21], entry_id[22], entry_id[23]])))
    }

    pub(crate) fn store_computed(&self) -> Vec<TaggedValue> {
        let bin =
            |tag: PropTag, bytes: Vec<u8>| TaggedValue { tag, value: PropValue::Binary(bytes) };
        let unicode = !self.file.header().format.is_ansi();
        let mask =
            STORE_ENTRYID_UNIQUE | STORE_READONLY | if unicode { STORE_UNICODE_OK } else { 0 };
        vec![
            bin(t::PidTagEntryId, self.store_entry_id.clone()),
            bin(t::PidTagStoreEntryId, self.store_entry_id.clone()),
            bin(t::PidTagStoreRecordKey, self.record_key.to_vec()),
            bin(t::PidTagRecordKey, self.record_key.to_vec()),
            TaggedValue { tag: t::PidTagObjectType, value: PropValue::Integer32(1) },
            TaggedValue { tag: t::PidTagStoreSupportMask, value: PropValue::Integer32(mask) },
        ]
    }

    /// Opens a folder by NID (a folder NID type whose node exists).
    pub(crate) fn folder(self: &Arc<Self>, nid: NodeId) -> MapiResult<PstFolder> {
        PstFolder::open(Arc::clone(self), nid)
    }

    fn store_pc(&self) -> &PropertyContext {
        self.store.properties()
    }

    /// An OST's store object lacks the MS-OXOSFLD 2.2.2 properties naming the folders Exchange
    /// names at logon (IPM subtree, Sent Items, ...); they are answered from where the OST
    /// keeps those folders, as the cached-mode store does. Only tags in `wanted` (all when
    /// `None`) are looked up, since the first lookup reads every folder's FID.
    fn logon_folder_props(&self, wanted: Option<&[PropTag]>) -> Vec<TaggedValue> {
        let Some(ost) = &self.ost else { return Vec::new() };
        let mut values = Vec::new();
        for &which in SpecialFolder::ALL {
            let SpecialFolderLocation::StoreProperty(tag) = which.location() else { continue };
            let asked = wanted.is_none_or(|tags| tags.iter().any(|t| t.id() == tag.id()));
            if asked
                && !self.store_pc().contains(tag.id())
                && let Some(nid) = ost.logon_folder(&self.file, which)
            {
                values.push(TaggedValue { tag, value: PropValue::Binary(self.entry_id(nid)) });
            }
        }
        values
    }
}

impl PropertyObject for PstStore {
    fn get_props(&self, tags: &[PropTag]) -> MapiResult<Vec<TaggedValue>> {
        let mut computed = self.shared.store_computed();
        computed.extend(self.shared.logon_folder_props(Some(tags)));
        answer(self.shared.store_pc(), &computed, &[PST_PASSWORD_ID], tags)
    }

    fn get_all_props(&self) -> MapiResult<Vec<TaggedValue>> {
        let mut computed = self.shared.store_computed();
        computed.extend(self.shared.logon_folder_props(None));
        Ok(answer_all(self.shared.store_pc(), computed, &[PST_PASSWORD_ID]))
    }

    fn set_props(&self, _values: &[TaggedValue]) -> MapiResult<()> {
        Err(read_only("set store properties"))
    }

    fn delete_props(&self, _tags: &[PropTag]) -> MapiResult<()> {
        Err(read_only("delete store properties"))
    }
}

impl MessageStore for PstStore {
    fn provider_uid(&self) -> Guid {
        Guid::from_le_bytes(self.shared.record_key)
    }

    fn alias_provider_uids(&self) -> Vec<Guid> {
        self.shared.ost.iter().map(|ost| Guid::from_le_bytes(ost.mailbox_uid())).collect()
    }

    fn is_writable(&self) -> bool {
        false
    }

    fn root_folder(&self) -> MapiResult<Box<dyn Folder>> {
        Ok(Box::new(self.shared.folder(NodeId::ROOT_FOLDER)?))
    }

    fn open_entry(&self, entry_id: &[u8]) -> MapiResult<OpenedEntry> {
        let nid = self.shared.nid_of(entry_id)?;
        match nid.type_code() {
            0x02 | 0x03 => Ok(OpenedEntry::Folder(Box::new(self.shared.folder(nid)?))),
            0x04 | 0x08 => Ok(OpenedEntry::Message(Box::new(PstMessage::open_top_level(
                Arc::clone(&self.shared),
                nid,
            )?))),
            other => Err(MapiError::new(
                ErrorCode::InvalidEntryId,
                format!(
                    "{nid} has NID type {other:#04x}, which names neither a folder nor a message"
                ),
            )),
        }
    }

    fn compare_entry_ids(&self, a: &[u8], b: &[u8]) -> MapiResult<bool> {
        match (self.shared.nid_of(a), self.shared.nid_of(b)) {
            (Ok(x), Ok(y)) => Ok(x == y),
            // One is ours and the other is not: never the same object.
            (Ok(_), Err(_)) | (Err(_), Ok(_)) => Ok(false),
            // Neither is ours (the store's own ID, or another provider's): by meaning.
            (Err(_), Err(_)) => {
                let decode =
                    |id: &[u8]| mapi::entry_id::EntryId::decode(id).map_err(MapiError::from);
                Ok(mapi::entry_id::EntryId::same_object(&decode(a)?, &decode(b)?))
            }
        }
    }

    fn get_receive_folder(&self, message_class: &str) -> MapiResult<ReceiveFolder> {
        // The longest registered class that is the class itself or a dot-separated prefix of
        // it, compared without case (MS-OXCSTOR 3.2.5.2); "" matches everything.
        let matches = |registered: &str| {
            registered.is_empty()
                || message_class.eq_ignore_ascii_case(registered)
                || (message_class.len() > registered.len()
                    && message_class.is_char_boundary(registered.len())
                    && message_class[..registered.len()].eq_ignore_ascii_case(registered)
                    && message_class.as_bytes()[registered.len()] == b'.')
        };
        self.shared
            .receive_folders
            .iter()
            .filter(|(class, _)| matches(class))
            .max_by_key(|(class, _)| class.len())
            .map(|(class, nid)| ReceiveFolder {
                entry_id: self.shared.entry_id(*nid),
                explicit_class: class.clone(),
            })
            .ok_or_else(|| {
                MapiError::not_found(format!(
                    "the PST registers no receive folder for {message_class:?}"
                ))
            })
    }

    fn set_receive_folder(&self, _message_class: &str, _entry_id: Option<&[u8]>) -> MapiResult<()> {
        Err(read_only("register a receive folder"))
    }

    fn receive_folder_table(&self) -> MapiResult<Vec<(String, Vec<u8>)>> {
        Ok(self
            .shared
            .receive_folders
            .iter()
            .map(|(class, nid)| (class.clone(), self.shared.entry_id(*nid)))
            .collect())
    }

    fn get_ids_from_names(
        &self,
        names: &[NamedProperty],
        create: bool,
    ) -> MapiResult<Vec<Option<u16>>> {
        let ids: Vec<Option<u16>> = names.iter().map(|n| self.shared.names.id_of(n)).collect();
        if create && ids.iter().any(Option::is_none) {
            return Err(read_only("map a new named property"));
        }
        Ok(ids)
    }

    fn get_names_from_ids(&self, ids: &[u16]) -> MapiResult<Vec<Option<NamedProperty>>> {
        Ok(ids.iter().map(|&id| self.shared.names.name_of(id).cloned()).collect())
    }

    fn special_folder_entry_id(&self, which: SpecialFolder) -> MapiResult<Vec<u8>> {
        // A PST without an Inbox registers its root folder as the receive folder of every
        // class; that root is not an Inbox, so the Inbox is then absent. Everything else is
        // the standard lookup.
        if which == SpecialFolder::Inbox {
            let inbox = self.get_receive_folder("IPM")?;
            if self.shared.nid_of(&inbox.entry_id)? == NodeId::ROOT_FOLDER {
                return Err(MapiError::not_found(
                    "the PST has no Inbox (IPM is received in the root)",
                ));
            }
            return Ok(inbox.entry_id);
        }
        // OSTs keep Exchange entry IDs (MS-OXCDATA 2.2.4.1, the mailbox's provider UID) in
        // the special-folder properties: they are answered as the PST ID of the cached folder,
        // the form every other ID of this store has.
        let entry_id = provider::locate(self, which)?;
        match self.shared.nid_of(&entry_id) {
            Ok(nid) if entry_id[4..20] != self.shared.record_key => Ok(self.shared.entry_id(nid)),
            Ok(_) => Ok(entry_id),
            Err(err) if err.code == ErrorCode::UnknownEntryId => {
                Err(MapiError::not_found(format!(
                    "the store names its {} folder by an entry ID of another provider: {}",
                    which.english_name(),
                    err.message
                )))
            }
            Err(err) => Err(err),
        }
    }
}

// Several threads read one mounted store at once.
const _: () = {
    const fn shared_between_threads<T: Send + Sync>() {}
    shared_between_threads::<PstStore>();
};
