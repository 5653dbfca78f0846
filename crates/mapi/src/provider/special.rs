//! Special folders and where a client finds their entry IDs (MS-OXOSFLD 2.2).

use super::MessageStore;
use crate::catalog::tags as t;
use crate::{ErrorCode, MapiError, MapiResult, PropTag, PropValue};

/// The special folders of MS-OXOSFLD 2.2.1 that Outpost knows how to find.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SpecialFolder {
    Root,
    /// Top of Information Store / Top of Personal Folders.
    IpmSubtree,
    Inbox,
    Outbox,
    SentItems,
    DeletedItems,
    Calendar,
    Contacts,
    Drafts,
    Journal,
    Notes,
    Tasks,
    JunkEmail,
    SyncIssues,
    Conflicts,
    LocalFailures,
    ServerFailures,
    RssFeeds,
    ConversationActionSettings,
    QuickStepSettings,
    /// The search root (Finder).
    Finder,
    Reminders,
    ToDoSearch,
    Views,
    CommonViews,
}

/// Where MS-OXOSFLD says a client finds a special folder's entry ID.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpecialFolderLocation {
    /// `IMsgStore::OpenEntry(NULL)`: the store's root.
    RootFolder,
    /// A binary property of the store object (MS-OXOSFLD 2.2.2).
    StoreProperty(PropTag),
    /// The receive folder of message class "IPM" (MS-OXOSFLD 2.2.5).
    ReceiveFolder,
    /// A binary property on the Inbox, else the root folder (MS-OXOSFLD 2.2.3).
    InboxOrRootProperty(PropTag),
    /// An index of `PidTagAdditionalRenEntryIds` on the Inbox, else the root (MS-OXOSFLD 2.2.4).
    AdditionalRenEntryIds(usize),
    /// A block of `PidTagAdditionalRenEntryIdsEx` on the Inbox, else the root (MS-OXOSFLD 2.2.4).
    AdditionalRenEntryIdsEx(PersistId),
    /// No standard location: only the backend knows it.
    BackendOnly,
}

impl SpecialFolder {
    pub const ALL: &'static [SpecialFolder] = &[
        SpecialFolder::Root,
        SpecialFolder::IpmSubtree,
        SpecialFolder::Inbox,
        SpecialFolder::Outbox,
        SpecialFolder::SentItems,
        SpecialFolder::DeletedItems,
        SpecialFolder::Calendar,
        SpecialFolder::Contacts,
        SpecialFolder::Drafts,
        SpecialFolder::Journal,
        SpecialFolder::Notes,
        SpecialFolder::Tasks,
        SpecialFolder::JunkEmail,
        SpecialFolder::SyncIssues,
        SpecialFolder::Conflicts,
        SpecialFolder::LocalFailures,
        SpecialFolder::ServerFailures,
        SpecialFolder::RssFeeds,
        SpecialFolder::ConversationActionSettings,
        SpecialFolder::QuickStepSettings,
        SpecialFolder::Finder,
        SpecialFolder::Reminders,
        SpecialFolder::ToDoSearch,
        SpecialFolder::Views,
        SpecialFolder::CommonViews,
    ];

    /// The English default display name (real names are localised; never look a folder up by
    /// name).
    pub const fn english_name(self) -> &'static str {
        match self {
            SpecialFolder::Root => "",
            SpecialFolder::IpmSubtree => "Top of Information Store",
            SpecialFolder::Inbox => "Inbox",
            SpecialFolder::Outbox => "Outbox",
            SpecialFolder::SentItems => "Sent Items",
            SpecialFolder::DeletedItems => "Deleted Items",
            SpecialFolder::Calendar => "Calendar",
            SpecialFolder::Contacts => "Contacts",
            SpecialFolder::Drafts => "Drafts",
            SpecialFolder::Journal => "Journal",
            SpecialFolder::Notes => "Notes",
            SpecialFolder::Tasks => "Tasks",
            SpecialFolder::JunkEmail => "Junk Email",
            SpecialFolder::SyncIssues => "Sync Issues",
            SpecialFolder::Conflicts => "Conflicts",
            SpecialFolder::LocalFailures => "Local Failures",
            SpecialFolder::ServerFailures => "Server Failures",
            SpecialFolder::RssFeeds => "RSS Feeds",
            SpecialFolder::ConversationActionSettings => "Conversation Action Settings",
            SpecialFolder::QuickStepSettings => "Quick Step Settings",
            SpecialFolder::Finder => "Finder",
            SpecialFolder::Reminders => "Reminders",
            SpecialFolder::ToDoSearch => "To-Do Search",
            SpecialFolder::Views => "Views",
            SpecialFolder::CommonViews => "Common Views",
        }
    }

    /// `PidTagContainerClass` of the folder (MS-OXOSFLD 2.2.1); `None` for folders without one.
    pub const fn container_class(self) -> Option<&'static str> {
        match self {
            SpecialFolder::Root
            | SpecialFolder::IpmSubtree
            | SpecialFolder::Finder
            | SpecialFolder::Views
            | SpecialFolder::CommonViews => None,
            SpecialFolder::Inbox
            | SpecialFolder::Outbox
            | SpecialFolder::SentItems
            | SpecialFolder::DeletedItems
            | SpecialFolder::Drafts
            | SpecialFolder::JunkEmail
            | SpecialFolder::SyncIssues
            | SpecialFolder::Conflicts
            | SpecialFolder::LocalFailures
            | SpecialFolder::ServerFailures => Some("IPF.Note"),
            SpecialFolder::Calendar => Some("IPF.Appointment"),
            SpecialFolder::Contacts => Some("IPF.Contact"),
            SpecialFolder::Journal => Some("IPF.Journal"),
            SpecialFolder::Notes => Some("IPF.StickyNote"),
            SpecialFolder::Tasks | SpecialFolder::ToDoSearch => Some("IPF.Task"),
            SpecialFolder::RssFeeds => Some("IPF.Note.OutlookHomepage"),
            SpecialFolder::ConversationActionSettings | SpecialFolder::QuickStepSettings => {
                Some("IPF.Configuration")
            }
            SpecialFolder::Reminders => Some("Outlook.Reminder"),
        }
    }

    /// The folder's parent in a standard mailbox (`None` for the root).
    pub const fn parent(self) -> Option<SpecialFolder> {
        match self {
            SpecialFolder::Root => None,
            SpecialFolder::IpmSubtree
            | SpecialFolder::Finder
            | SpecialFolder::Views
            | SpecialFolder::CommonViews
            | SpecialFolder::Reminders
            | SpecialFolder::ToDoSearch => Some(SpecialFolder::Root),
            SpecialFolder::Conflicts
            | SpecialFolder::LocalFailures
            | SpecialFolder::ServerFailures => Some(SpecialFolder::SyncIssues),
            _ => Some(SpecialFolder::IpmSubtree),
        }
    }

    /// True for search folders (FOLDER_SEARCH).
    pub const fn is_search_folder(self) -> bool {
        matches!(self, SpecialFolder::Reminders | SpecialFolder::ToDoSearch)
    }

    /// Where a client looks the folder up.
    pub const fn location(self) -> SpecialFolderLocation {
        use SpecialFolderLocation as L;
        match self {
            SpecialFolder::Root => L::RootFolder,
            SpecialFolder::IpmSubtree => L::StoreProperty(t::PidTagIpmSubtreeEntryId),
            SpecialFolder::Outbox => L::StoreProperty(t::PidTagIpmOutboxEntryId),
            SpecialFolder::DeletedItems => L::StoreProperty(t::PidTagIpmWastebasketEntryId),
            SpecialFolder::SentItems => L::StoreProperty(t::PidTagIpmSentMailEntryId),
            SpecialFolder::Views => L::StoreProperty(t::PidTagViewsEntryId),
            SpecialFolder::CommonViews => L::StoreProperty(t::PidTagCommonViewsEntryId),
            SpecialFolder::Finder => L::StoreProperty(t::PidTagFinderEntryId),
            SpecialFolder::Inbox => L::ReceiveFolder,
            SpecialFolder::Calendar => L::InboxOrRootProperty(t::PidTagIpmAppointmentEntryId),
            SpecialFolder::Contacts => L::InboxOrRootProperty(t::PidTagIpmContactEntryId),
            SpecialFolder::Journal => L::InboxOrRootProperty(t::PidTagIpmJournalEntryId),
            SpecialFolder::Notes => L::InboxOrRootProperty(t::PidTagIpmNoteEntryId),
            SpecialFolder::Tasks => L::InboxOrRootProperty(t::PidTagIpmTaskEntryId),
            SpecialFolder::Reminders => L::InboxOrRootProperty(t::PidTagRemindersOnlineEntryId),
            SpecialFolder::Drafts => L::InboxOrRootProperty(t::PidTagIpmDraftsEntryId),
            SpecialFolder::Conflicts => L::AdditionalRenEntryIds(0),
            SpecialFolder::SyncIssues => L::AdditionalRenEntryIds(1),
            SpecialFolder::LocalFailures => L::AdditionalRenEntryIds(2),
            SpecialFolder::ServerFailures => L::AdditionalRenEntryIds(3),
            SpecialFolder::JunkEmail => L::AdditionalRenEntryIds(4),
            SpecialFolder::RssFeeds => L::AdditionalRenEntryIdsEx(PersistId::RssSubscriptions),
            SpecialFolder::ToDoSearch => L::AdditionalRenEntryIdsEx(PersistId::ToDoSearch),
            SpecialFolder::ConversationActionSettings => {
                L::AdditionalRenEntryIdsEx(PersistId::ConversationActions)
            }
            // MS-OXOSFLD gives Quick Step Settings no lookup property.
            SpecialFolder::QuickStepSettings => L::BackendOnly,
        }
    }
}

/// `PersistID` values of `PidTagAdditionalRenEntryIdsEx` (MS-OXOSFLD 2.2.4.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PersistId {
    RssSubscriptions,
    SendAndTrack,
    ToDoSearch,
    ConversationActions,
    SuggestedContacts,
    ContactSearch,
    BuddyListPdls,
    BuddyListContacts,
    /// A value this list does not name; kept so a rewrite preserves it.
    Other(u16),
}

impl PersistId {
    pub const fn code(self) -> u16 {
        match self {
            PersistId::RssSubscriptions => 0x8001,
            PersistId::SendAndTrack => 0x8002,
            PersistId::ToDoSearch => 0x8004,
            PersistId::ConversationActions => 0x8006,
            PersistId::SuggestedContacts => 0x8008,
            PersistId::ContactSearch => 0x8009,
            PersistId::BuddyListPdls => 0x800A,
            PersistId::BuddyListContacts => 0x800B,
            PersistId::Other(code) => code,
        }
    }

    pub const fn from_code(code: u16) -> PersistId {
        match code {
            0x8001 => PersistId::RssSubscriptions,
            0x8002 => PersistId::SendAndTrack,
            0x8004 => PersistId::ToDoSearch,
            0x8006 => PersistId::ConversationActions,
            0x8008 => PersistId::SuggestedContacts,
            0x8009 => PersistId::ContactSearch,
            0x800A => PersistId::BuddyListPdls,
            0x800B => PersistId::BuddyListContacts,
            other => PersistId::Other(other),
        }
    }
}

/// The decoded `PidTagAdditionalRenEntryIdsEx`: (PersistID, entry ID) per block that has an
/// `RSF_ELID_ENTRYID` element.
pub type AdditionalRenEntryIdsEx = Vec<(PersistId, Vec<u8>)>;

const PERSIST_SENTINEL: u16 = 0x0000;
const ELEMENT_SENTINEL: u16 = 0x0000;
const RSF_ELID_ENTRYID: u16 = 0x0001;

/// Encodes blocks as MS-OXOSFLD 2.2.4.2 lays them out: each `PersistData` holds one
/// `RSF_ELID_ENTRYID` element and an element sentinel; a `PERSIST_SENTINEL` block ends the
/// stream.
pub fn ren_entry_ids_ex_encode(blocks: &[(PersistId, Vec<u8>)]) -> MapiResult<Vec<u8>> {
    let mut out = Vec::new();
    for (persist_id, entry_id) in blocks {
        let id_len = u16::try_from(entry_id.len())
            .map_err(|_| MapiError::new(ErrorCode::TooBig, "entry ID longer than 65535 bytes"))?;
        let elements_size = id_len
            .checked_add(8)
            .ok_or_else(|| MapiError::new(ErrorCode::TooBig, "PersistData block too long"))?;
        out.extend_from_slice(&persist_id.code().to_le_bytes());
        out.extend_from_slice(&elements_size.to_le_bytes());
        out.extend_from_slice(&RSF_ELID_ENTRYID.to_le_bytes());
        out.extend_from_slice(&id_len.to_le_bytes());
        out.extend_from_slice(entry_id);
        out.extend_from_slice(&ELEMENT_SENTINEL.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
    }
    out.extend_from_slice(&PERSIST_SENTINEL.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    Ok(out)
}

fn read_u16(bytes: &[u8], at: usize, what: &str) -> MapiResult<u16> {
    bytes.get(at..at + 2).map(|b| u16::from_le_bytes([b[0], b[1]])).ok_or_else(|| {
        MapiError::corrupt(format!(
            "PidTagAdditionalRenEntryIdsEx: {what} at offset {at} runs past the end ({} bytes)",
            bytes.len()
        ))
    })
}

/// Decodes `PidTagAdditionalRenEntryIdsEx`; blocks without an entry ID element are skipped, and
/// the end of the stream counts as a sentinel (MS-OXOSFLD 2.2.4.2).
pub fn ren_entry_ids_ex_decode(bytes: &[u8]) -> MapiResult<AdditionalRenEntryIdsEx> {
    let mut blocks = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let persist_id = read_u16(bytes, at, "PersistID")?;
        if persist_id == PERSIST_SENTINEL {
            break;
        }
        let size = usize::from(read_u16(bytes, at + 2, "DataElementsSize")?);
        let start = at + 4;
        let end = start + size;
        if end > bytes.len() {
            return Err(MapiError::corrupt(format!(
                "PidTagAdditionalRenEntryIdsEx: DataElementsSize {size} at offset {} runs past \
                 the end ({} bytes)",
                at + 2,
                bytes.len()
            )));
        }
        let elements = &bytes[start..end];
        let mut el = 0;
        while el + 4 <= elements.len() {
            let element_id = read_u16(elements, el, "ElementID")?;
            let element_size = usize::from(read_u16(elements, el + 2, "ElementDataSize")?);
            if element_id == ELEMENT_SENTINEL {
                break;
            }
            let data = elements.get(el + 4..el + 4 + element_size).ok_or_else(|| {
                MapiError::corrupt(format!(
                    "PidTagAdditionalRenEntryIdsEx: ElementDataSize {element_size} at offset {} \
                     runs past its block",
                    start + el + 2
                ))
            })?;
            if element_id == RSF_ELID_ENTRYID {
                blocks.push((PersistId::from_code(persist_id), data.to_vec()));
            }
            el += 4 + element_size;
        }
        at = end;
    }
    Ok(blocks)
}

fn binary_prop(object: &dyn super::PropertyObject, tag: PropTag) -> MapiResult<Option<PropValue>> {
    object.get_prop(tag)
}

fn non_empty(bytes: Vec<u8>) -> Option<Vec<u8>> {
    (!bytes.is_empty()).then_some(bytes)
}

/// The standard lookup of MS-OXOSFLD 2.2: store properties, receive folder, then Inbox and root
/// properties. `MAPI_E_NOT_FOUND` when the store does not say where the folder is.
pub fn locate<S: MessageStore + ?Sized>(store: &S, which: SpecialFolder) -> MapiResult<Vec<u8>> {
    let not_found = || {
        MapiError::not_found(format!(
            "the store does not record where its {} folder is",
            which.english_name()
        ))
    };
    let inbox_then_root = |tag: PropTag| -> MapiResult<Option<PropValue>> {
        if let Ok(inbox_id) = store.get_receive_folder("IPM").map(|r| r.entry_id)
            && let Ok(inbox) = store.open_folder(&inbox_id)
            && let Some(value) = binary_prop(inbox.as_ref(), tag)?
        {
            return Ok(Some(value));
        }
        let root = store.root_folder()?;
        binary_prop(root.as_ref(), tag)
    };
    match which.location() {
        SpecialFolderLocation::RootFolder => Ok(store.root_folder()?.entry_id()),
        SpecialFolderLocation::StoreProperty(tag) => match store.get_prop(tag)? {
            Some(PropValue::Binary(id)) => non_empty(id).ok_or_else(not_found),
            _ => Err(not_found()),
        },
        SpecialFolderLocation::ReceiveFolder => Ok(store.get_receive_folder("IPM")?.entry_id),
        SpecialFolderLocation::InboxOrRootProperty(tag) => match inbox_then_root(tag)? {
            Some(PropValue::Binary(id)) => non_empty(id).ok_or_else(not_found),
            _ => Err(not_found()),
        },
        SpecialFolderLocation::AdditionalRenEntryIds(index) => {
            match inbox_then_root(t::PidTagAdditionalRenEntryIds)? {
                Some(PropValue::MultipleBinary(ids)) => {
                    ids.into_iter().nth(index).and_then(non_empty).ok_or_else(not_found)
                }
                _ => Err(not_found()),
            }
        }
        SpecialFolderLocation::AdditionalRenEntryIdsEx(persist_id) => {
            match inbox_then_root(t::PidTagAdditionalRenEntryIdsEx)? {
                Some(PropValue::Binary(bytes)) => ren_entry_ids_ex_decode(&bytes)?
                    .into_iter()
                    .find(|(id, _)| *id == persist_id)
                    .and_then(|(_, entry_id)| non_empty(entry_id))
                    .ok_or_else(not_found),
                _ => Err(not_found()),
            }
        }
        SpecialFolderLocation::BackendOnly => Err(not_found()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ren_entry_ids_ex_round_trips_and_ends_with_a_sentinel() {
        let blocks = vec![
            (PersistId::RssSubscriptions, vec![1, 2, 3]),
            (PersistId::ConversationActions, vec![9; 46]),
        ];
        let bytes = ren_entry_ids_ex_encode(&blocks).unwrap();
        assert_eq!(&bytes[bytes.len() - 4..], &[0, 0, 0, 0]);
        assert_eq!(&bytes[..4], &[0x01, 0x80, 11, 0]);
        assert_eq!(ren_entry_ids_ex_decode(&bytes).unwrap(), blocks);
    }

    #[test]
    fn unknown_persist_blocks_are_kept_and_unknown_elements_skipped() {
        // A block 0x8123 with an RSF_ELID_HEADER element (4-byte DWORD 0) before the entry ID.
        let mut bytes = vec![0x23, 0x81, 14, 0, 0x02, 0, 4, 0, 0, 0, 0, 0, 0x01, 0, 2, 0, 7, 8];
        bytes.extend_from_slice(&[0, 0, 0, 0]);
        let decoded = ren_entry_ids_ex_decode(&bytes).unwrap();
        assert_eq!(decoded, vec![(PersistId::Other(0x8123), vec![7, 8])]);
    }

    #[test]
    fn a_block_running_past_the_end_is_corrupt_with_its_offset() {
        let err = ren_entry_ids_ex_decode(&[0x01, 0x80, 50, 0, 1, 0]).unwrap_err();
        assert_eq!(err.code, ErrorCode::CorruptData);
        assert!(err.message.contains("offset 2"), "{}", err.message);
    }
}
