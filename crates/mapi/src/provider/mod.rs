//! Message store provider traits: the one interface through which the session layer sees every
//! data source (embedded mailbox, PST, remote store), in the shape of MAPI's `IMsgStore`,
//! `IMAPIFolder`, `IMessage`, `IAttach` and `IMAPITable` (and the ROPs of MS-OXCSTOR, MS-OXCFOLD,
//! MS-OXCMSG, MS-OXCTABL that mirror them).
//!
//! The traits are object-safe and synchronous; every handle is `Send + Sync` and takes `&self`
//! (backends use interior mutability), so one handle can be shared by threads the way a MAPI
//! object is shared by apartments. Errors are [`MapiError`]s with MAPI codes.
//!
//! Transactions follow MAPI: folder operations (create, delete, copy, move, set properties) take
//! effect when they return; a message, its recipients and its attachments are edited in memory
//! and become visible to other handles only when [`Message::save_changes`] returns. Attachment and
//! embedded-message saves commit into their parent, so a change inside an attachment reaches the
//! store only with the top-level message's save.
//!
//! A read-only backend (a PST opened for reading) implements the same traits and answers writes
//! with `MAPI_E_NO_ACCESS`.

mod content;
mod props;
mod special;
mod table;

pub use content::{AttachmentContent, MessageContent, create_messages_one_by_one, write_content};
pub use props::{find_value, missing, requested_value};
pub use special::{
    AdditionalRenEntryIdsEx, PersistId, SpecialFolder, SpecialFolderLocation, locate,
    ren_entry_ids_ex_decode, ren_entry_ids_ex_encode,
};
pub use table::{BookmarkOrigin, MemoryTable, Row, Table, project_column, seek_from};

use crate::{ErrorCode, MapiError, MapiResult, NamedProperty, PropTag, PropValue, TaggedValue};
use std::fmt;
use std::io::Read;

/// Anything with MAPI properties (`IMAPIProp`): the store, folders, messages, attachments.
pub trait PropertyObject: Send + Sync + fmt::Debug {
    /// Values for `tags`, in order. A property the object lacks comes back as a PT_ERROR value
    /// with `MAPI_E_NOT_FOUND` (MS-OXCPRPT 3.2.5.1); a tag of type `PtypUnspecified` matches the
    /// ID whatever its type; `PtypString8` and `PtypString` are interchangeable on request.
    fn get_props(&self, tags: &[PropTag]) -> MapiResult<Vec<TaggedValue>>;

    /// Every property the object has, computed ones included.
    fn get_all_props(&self) -> MapiResult<Vec<TaggedValue>>;

    /// Sets (adds or replaces) properties. Computed properties answer `MAPI_E_COMPUTED`.
    fn set_props(&self, values: &[TaggedValue]) -> MapiResult<()>;

    /// Deletes properties; deleting one that is absent is not an error.
    fn delete_props(&self, tags: &[PropTag]) -> MapiResult<()>;

    /// The tags of every property (`GetPropList`).
    fn get_prop_list(&self) -> MapiResult<Vec<PropTag>> {
        Ok(self.get_all_props()?.into_iter().map(|v| v.tag).collect())
    }

    /// One property, or `None` if the object lacks it.
    fn get_prop(&self, tag: PropTag) -> MapiResult<Option<PropValue>> {
        let value = self.get_props(&[tag])?.pop();
        Ok(value.filter(|v| !props::is_missing_marker(tag, v)).map(|v| v.value))
    }

    /// A large value as a byte stream (`OpenProperty` with `IID_IStream`): binary values as they
    /// are, `PtypString` as UTF-16LE and `PtypString8` as its bytes, without a terminator.
    fn open_property_stream(&self, tag: PropTag) -> MapiResult<Box<dyn Read + Send>> {
        let value = self
            .get_prop(tag)?
            .ok_or_else(|| MapiError::not_found(format!("the object has no property {tag}")))?;
        let bytes = match value {
            PropValue::Binary(b)
            | PropValue::ServerId(b)
            | PropValue::Restriction(b)
            | PropValue::RuleAction(b) => b,
            PropValue::String(s) => s.encode_utf16().flat_map(u16::to_le_bytes).collect(),
            PropValue::String8(s) => s.into_bytes(),
            other => {
                return Err(MapiError::new(
                    crate::ErrorCode::NoSupport,
                    format!("a {} value cannot be opened as a stream", other.prop_type()),
                ));
            }
        };
        Ok(Box::new(std::io::Cursor::new(bytes)))
    }
}

/// What an entry ID opened as (`IMsgStore::OpenEntry`).
#[derive(Debug)]
pub enum OpenedEntry {
    Folder(Box<dyn Folder>),
    Message(Box<dyn Message>),
}

/// A folder's kind (`PidTagFolderType`, MS-OXCFOLD 2.2.1.1.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FolderKind {
    /// FOLDER_ROOT (0): the root of the store's hierarchy.
    Root,
    /// FOLDER_GENERIC (1).
    Generic,
    /// FOLDER_SEARCH (2).
    Search,
}

impl FolderKind {
    pub const fn code(self) -> i32 {
        match self {
            FolderKind::Root => 0,
            FolderKind::Generic => 1,
            FolderKind::Search => 2,
        }
    }

    pub const fn from_code(code: i32) -> Option<FolderKind> {
        match code {
            0 => Some(FolderKind::Root),
            1 => Some(FolderKind::Generic),
            2 => Some(FolderKind::Search),
            _ => None,
        }
    }
}

/// The answer of `GetReceiveFolder` (MS-OXCSTOR 2.2.1.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiveFolder {
    /// Entry ID of the folder that receives the class.
    pub entry_id: Vec<u8>,
    /// The registered class that matched (the longest prefix of the asked class; "" for the
    /// default).
    pub explicit_class: String,
}

/// A message store (`IMsgStore`).
pub trait MessageStore: PropertyObject {
    /// The provider UID that starts every entry ID of this store (MS-OXCDATA 2.2.4.1).
    fn provider_uid(&self) -> crate::Guid;

    /// Other provider UIDs whose entry IDs this store also opens: an OST answers for the
    /// Exchange mailbox it caches (its special-folder properties hold the server's entry IDs,
    /// MS-OXCDATA 2.2.4.1). Empty for most stores.
    fn alias_provider_uids(&self) -> Vec<crate::Guid> {
        Vec::new()
    }

    /// False when the store refuses every write with `MAPI_E_NO_ACCESS`.
    fn is_writable(&self) -> bool;

    /// The root of the folder hierarchy.
    fn root_folder(&self) -> MapiResult<Box<dyn Folder>>;

    /// Opens a folder or a message by its entry ID. A well-formed ID of an object that no longer
    /// exists is `MAPI_E_NOT_FOUND`; an ID this store cannot parse is `MAPI_E_INVALID_ENTRYID`,
    /// one of another store `MAPI_E_UNKNOWN_ENTRYID`.
    fn open_entry(&self, entry_id: &[u8]) -> MapiResult<OpenedEntry>;

    /// Opens a folder by entry ID (`MAPI_E_NOT_FOUND` if the ID names a message).
    fn open_folder(&self, entry_id: &[u8]) -> MapiResult<Box<dyn Folder>> {
        match self.open_entry(entry_id)? {
            OpenedEntry::Folder(folder) => Ok(folder),
            OpenedEntry::Message(_) => Err(MapiError::not_found("the entry ID names a message")),
        }
    }

    /// Opens a message by entry ID (`MAPI_E_NOT_FOUND` if the ID names a folder).
    fn open_message(&self, entry_id: &[u8]) -> MapiResult<Box<dyn Message>> {
        match self.open_entry(entry_id)? {
            OpenedEntry::Message(message) => Ok(message),
            OpenedEntry::Folder(_) => Err(MapiError::not_found("the entry ID names a folder")),
        }
    }

    /// True when both IDs name the same object of this store, whatever their flag bytes
    /// (`CompareEntryIDs`).
    fn compare_entry_ids(&self, a: &[u8], b: &[u8]) -> MapiResult<bool>;

    /// The folder that receives `message_class`: the registered class that is the longest
    /// prefix of it (classes compare case-insensitively, MS-OXCSTOR 3.2.5.2), else the default
    /// entry "".
    fn get_receive_folder(&self, message_class: &str) -> MapiResult<ReceiveFolder>;

    /// Registers (`Some`) or removes (`None`) the receive folder of a message class.
    fn set_receive_folder(&self, message_class: &str, entry_id: Option<&[u8]>) -> MapiResult<()>;

    /// The whole receive folder table: (message class, folder entry ID).
    fn receive_folder_table(&self) -> MapiResult<Vec<(String, Vec<u8>)>>;

    /// Property IDs (0x8000..=0xFFFE) for named properties (`GetIDsFromNames`). With `create`
    /// an unmapped name gets a new ID; without it an unmapped name is `None`.
    fn get_ids_from_names(
        &self,
        names: &[NamedProperty],
        create: bool,
    ) -> MapiResult<Vec<Option<u16>>>;

    /// Names for property IDs (`GetNamesFromIDs`); `None` where the ID is not mapped.
    fn get_names_from_ids(&self, ids: &[u16]) -> MapiResult<Vec<Option<NamedProperty>>>;

    /// Entry ID of a special folder, found the standard way of MS-OXOSFLD 2.2: store properties,
    /// the receive folder for "IPM", then the Inbox and root properties. Backends only override
    /// this when they know a faster way to the same answer.
    fn special_folder_entry_id(&self, which: SpecialFolder) -> MapiResult<Vec<u8>> {
        special::locate(self, which)
    }
}

/// What a search folder shows (`IMAPIContainer::SetSearchCriteria` / `GetSearchCriteria`):
/// the messages of the scope folders (and, if `recursive`, their subfolders) that match the
/// restriction.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchCriteria {
    pub restriction: crate::restriction::Restriction,
    /// Entry IDs of the folders searched.
    pub folders: Vec<Vec<u8>>,
    /// RECURSIVE_SEARCH: the scope folders' subfolders too.
    pub recursive: bool,
}

/// How `Folder::delete_folder` treats a folder that is not empty (`DEL_MESSAGES`,
/// `DEL_FOLDERS` of `IMAPIFolder::DeleteFolder`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DeleteFolderFlags {
    pub messages: bool,
    pub subfolders: bool,
}

impl DeleteFolderFlags {
    /// Delete everything under the folder.
    pub const ALL: DeleteFolderFlags = DeleteFolderFlags { messages: true, subfolders: true };
}

/// A folder (`IMAPIFolder`). Every operation is committed when it returns.
pub trait Folder: PropertyObject {
    /// The folder's long-term entry ID.
    fn entry_id(&self) -> Vec<u8>;

    /// The child folders (`GetHierarchyTable`); `depth` lists the whole subtree
    /// (`CONVENIENT_DEPTH`) with `PidTagDepth`.
    fn hierarchy_table(&self, depth: bool) -> MapiResult<Box<dyn Table>>;

    /// The messages (`GetContentsTable`); `associated` lists the folder-associated information
    /// (FAI) messages instead of the normal ones.
    fn contents_table(&self, associated: bool) -> MapiResult<Box<dyn Table>>;

    /// Creates a child folder. A sibling with the same display name is `MAPI_E_COLLISION`
    /// unless `open_if_exists`, which opens it.
    fn create_folder(
        &self,
        name: &str,
        kind: FolderKind,
        open_if_exists: bool,
    ) -> MapiResult<Box<dyn Folder>>;

    /// Deletes a child folder (by entry ID). Without the flags a folder with messages is
    /// `MAPI_E_HAS_MESSAGES`, one with subfolders `MAPI_E_HAS_FOLDERS`.
    fn delete_folder(&self, entry_id: &[u8], flags: DeleteFolderFlags) -> MapiResult<()>;

    /// Copies a child folder into `destination` (a folder entry ID of the same store), with its
    /// messages and, if `subfolders`, its whole subtree. Returns the copy's entry ID.
    fn copy_folder(
        &self,
        entry_id: &[u8],
        destination: &[u8],
        new_name: Option<&str>,
        subfolders: bool,
    ) -> MapiResult<Vec<u8>>;

    /// Moves a child folder with its subtree into `destination`. Folder entry IDs survive a
    /// move. Moving a folder into itself or its subtree is `MAPI_E_FOLDER_CYCLE`.
    fn move_folder(
        &self,
        entry_id: &[u8],
        destination: &[u8],
        new_name: Option<&str>,
    ) -> MapiResult<()>;

    /// A new message in this folder; it exists only after its first `save_changes`.
    fn create_message(&self, associated: bool) -> MapiResult<Box<dyn Message>>;

    /// Copies messages of this folder into `destination`; returns the copies' entry IDs.
    fn copy_messages(&self, entry_ids: &[Vec<u8>], destination: &[u8]) -> MapiResult<Vec<Vec<u8>>>;

    /// Moves messages of this folder into `destination`; returns their new entry IDs (a move
    /// gives a message a new ID, as Exchange does; the old one is then `MAPI_E_NOT_FOUND`).
    fn move_messages(&self, entry_ids: &[Vec<u8>], destination: &[u8]) -> MapiResult<Vec<Vec<u8>>>;

    /// Saves new messages into this folder, committed in one go where the backend can: all of
    /// them or (on error) none, never part of one. Returns their entry IDs in order. The default
    /// creates and saves them one by one (each whole; an error leaves the ones before it).
    fn create_messages(
        &self,
        messages: &[MessageContent],
        associated: bool,
    ) -> MapiResult<Vec<Vec<u8>>> {
        create_messages_one_by_one(self, messages, associated)
    }

    /// Deletes messages of this folder.
    fn delete_messages(&self, entry_ids: &[Vec<u8>]) -> MapiResult<()>;

    /// Deletes every message and subfolder (`EmptyFolder`); FAI messages too if `associated`.
    fn empty(&self, associated: bool) -> MapiResult<()>;

    /// Sets what a search folder shows (`SetSearchCriteria`); its contents table then lists
    /// the matching messages of the scope. A folder that is not a search folder, or a store
    /// without search folders, answers `MAPI_E_NO_SUPPORT`.
    fn set_search_criteria(&self, criteria: &SearchCriteria) -> MapiResult<()> {
        let _ = criteria;
        Err(MapiError::new(ErrorCode::NoSupport, "this store has no search folders"))
    }

    /// The criteria of a search folder (`GetSearchCriteria`); `MAPI_E_NOT_INITIALIZED` for a
    /// search folder that has none yet, `MAPI_E_NO_SUPPORT` elsewhere.
    fn search_criteria(&self) -> MapiResult<SearchCriteria> {
        Err(MapiError::new(ErrorCode::NoSupport, "this store has no search folders"))
    }
}

/// A change to a message's recipients (`ModifyRecipients` with `MODRECIP_ADD`,
/// `MODRECIP_MODIFY`, `MODRECIP_REMOVE`). Rows are keyed by `PidTagRowid`.
#[derive(Debug, Clone, PartialEq)]
pub enum RecipientChange {
    /// A new row; the message assigns its `PidTagRowid`.
    Add(Vec<TaggedValue>),
    /// Replaces every property of the row.
    Modify {
        row_id: u32,
        properties: Vec<TaggedValue>,
    },
    Remove {
        row_id: u32,
    },
}

/// A message (`IMessage`): edited in memory, made visible by `save_changes`.
pub trait Message: PropertyObject {
    /// The long-term entry ID; `None` before the first save and for embedded messages.
    fn entry_id(&self) -> Option<Vec<u8>>;

    /// The recipients as a table (`GetRecipientTable`), `PidTagRowid` in every row.
    fn recipient_table(&self) -> MapiResult<Box<dyn Table>>;

    fn modify_recipients(&self, changes: &[RecipientChange]) -> MapiResult<()>;

    /// The attachments as a table (`GetAttachmentTable`), `PidTagAttachNumber` in every row.
    fn attachment_table(&self) -> MapiResult<Box<dyn Table>>;

    /// A new attachment; it belongs to the message after its own `save_changes`.
    fn create_attachment(&self) -> MapiResult<Box<dyn Attachment>>;

    fn open_attachment(&self, attach_number: u32) -> MapiResult<Box<dyn Attachment>>;

    fn delete_attachment(&self, attach_number: u32) -> MapiResult<()>;

    /// Commits the message: a top-level message to the store (durable when this returns), an
    /// embedded one into its attachment. Other handles see nothing of the edit before.
    fn save_changes(&self) -> MapiResult<()>;
}

/// How an attachment holds its data (`PidTagAttachMethod`, MS-OXCMSG 2.2.2.9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AttachMethod {
    None,
    /// afByValue: the bytes in `PidTagAttachDataBinary`.
    ByValue,
    /// afByReference: a path in `PidTagAttachLongPathname`.
    ByReference,
    ByReferenceOnly,
    /// afEmbeddedMessage: a message in `PidTagAttachDataObject`.
    EmbeddedMessage,
    /// afStorage: an OLE storage in `PidTagAttachDataObject`.
    Storage,
}

impl AttachMethod {
    pub const fn code(self) -> i32 {
        match self {
            AttachMethod::None => 0,
            AttachMethod::ByValue => 1,
            AttachMethod::ByReference => 2,
            AttachMethod::ByReferenceOnly => 4,
            AttachMethod::EmbeddedMessage => 5,
            AttachMethod::Storage => 6,
        }
    }

    pub const fn from_code(code: i32) -> Option<AttachMethod> {
        match code {
            0 => Some(AttachMethod::None),
            1 => Some(AttachMethod::ByValue),
            2 => Some(AttachMethod::ByReference),
            4 => Some(AttachMethod::ByReferenceOnly),
            5 => Some(AttachMethod::EmbeddedMessage),
            6 => Some(AttachMethod::Storage),
            _ => None,
        }
    }
}

/// An attachment (`IAttach`). By-value and by-reference attachments are plain properties; an
/// embedded message opens as a [`Message`].
pub trait Attachment: PropertyObject {
    /// `PidTagAttachNumber`, unique within the message.
    fn attach_number(&self) -> u32;

    /// Opens the embedded message (`OpenProperty(PidTagAttachDataObject, IID_IMessage)`); with
    /// `create` a missing one is created and the method becomes afEmbeddedMessage.
    fn open_embedded_message(&self, create: bool) -> MapiResult<Box<dyn Message>>;

    /// Commits the attachment into its message (which still needs its own save).
    fn save_changes(&self) -> MapiResult<()>;
}
