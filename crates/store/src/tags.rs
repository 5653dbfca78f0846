//! Property tags the store reads, writes or computes, by their MS-OXPROPS names in the
//! `mapi` catalog.

use mapi::PropTag;
use mapi::catalog::tags as t;

pub const MESSAGE_CLASS: PropTag = t::PidTagMessageClass;
pub const SUBJECT: PropTag = t::PidTagSubject;
pub const MESSAGE_DELIVERY_TIME: PropTag = t::PidTagMessageDeliveryTime;
pub const MESSAGE_FLAGS: PropTag = t::PidTagMessageFlags;
pub const MESSAGE_SIZE: PropTag = t::PidTagMessageSize;
pub const PARENT_ENTRY_ID: PropTag = t::PidTagParentEntryId;
pub const HAS_ATTACHMENTS: PropTag = t::PidTagHasAttachments;
pub const ATTACH_NUMBER: PropTag = t::PidTagAttachNumber;
pub const ATTACH_METHOD: PropTag = t::PidTagAttachMethod;
pub const INSTANCE_KEY: PropTag = t::PidTagInstanceKey;
pub const RECORD_KEY: PropTag = t::PidTagRecordKey;
pub const STORE_RECORD_KEY: PropTag = t::PidTagStoreRecordKey;
pub const OBJECT_TYPE: PropTag = t::PidTagObjectType;
pub const ENTRY_ID: PropTag = t::PidTagEntryId;
pub const ROW_ID: PropTag = t::PidTagRowid;
pub const DISPLAY_NAME: PropTag = t::PidTagDisplayName;
pub const CREATION_TIME: PropTag = t::PidTagCreationTime;
pub const LAST_MODIFICATION_TIME: PropTag = t::PidTagLastModificationTime;
pub const STORE_SUPPORT_MASK: PropTag = t::PidTagStoreSupportMask;
pub const MAILBOX_OWNER_NAME: PropTag = t::PidTagMailboxOwnerName;
pub const MAILBOX_OWNER_ENTRY_ID: PropTag = t::PidTagMailboxOwnerEntryId;
pub const FOLDER_TYPE: PropTag = t::PidTagFolderType;
pub const CONTENT_COUNT: PropTag = t::PidTagContentCount;
pub const CONTENT_UNREAD_COUNT: PropTag = t::PidTagContentUnreadCount;
pub const SUBFOLDERS: PropTag = t::PidTagSubfolders;
pub const CONTAINER_CLASS: PropTag = t::PidTagContainerClass;
pub const ASSOCIATED_CONTENT_COUNT: PropTag = t::PidTagAssociatedContentCount;
pub const DEPTH: PropTag = t::PidTagDepth;
pub const VALID_FOLDER_MASK: PropTag = t::PidTagValidFolderMask;
pub const ATTRIBUTE_HIDDEN: PropTag = t::PidTagAttributeHidden;

/// A search folder's criteria, kept as properties of the folder (Outpost's own, in the
/// provider-defined range 0x6600–0x67FF of MS-OXPROPS 1.3.3, so no client property collides):
/// the restriction as a stored PtypRestriction (MS-OXCDATA 2.12, 16-bit counts), the scope
/// folders' entry IDs, and the search flags (RECURSIVE_SEARCH 0x4 when subfolders count).
pub const SEARCH_RESTRICTION: PropTag = PropTag::new(0x6690, mapi::PropType::Binary);
pub const SEARCH_SCOPE: PropTag = PropTag::new(0x6691, mapi::PropType::MultipleBinary);
pub const SEARCH_FLAGS: PropTag = PropTag::new(0x6692, mapi::PropType::Integer32);
/// RECURSIVE_SEARCH (MS-OXCFOLD 2.2.1.4.1).
pub const RECURSIVE_SEARCH: i32 = 0x0000_0004;
/// How deep a recursive search folder looks below each scope folder.
pub const MAX_SEARCH_DEPTH: usize = 64;

/// MSGFLAG_READ (MS-OXCMSG 2.2.1.6).
pub const MSGFLAG_READ: i32 = 0x0001;
/// MSGFLAG_UNSENT.
pub const MSGFLAG_UNSENT: i32 = 0x0008;
/// MSGFLAG_ASSOCIATED.
pub const MSGFLAG_ASSOCIATED: i32 = 0x0040;

/// MAPI object types (`PidTagObjectType`).
pub const MAPI_STORE: i32 = 1;
pub const MAPI_FOLDER: i32 = 3;
pub const MAPI_MESSAGE: i32 = 5;
pub const MAPI_ATTACH: i32 = 7;

/// `PidTagStoreSupportMask` bits (MS-OXCSTOR 2.2.2.1.1): entry IDs unique, modify, create,
/// attachments, OLE, notify, multi-value, Unicode.
pub const STORE_SUPPORT: i32 =
    0x0000_0001 | 0x0000_0010 | 0x0000_0020 | 0x0000_0040 | 0x0000_0400 | 0x0000_0200 | 0x0004_0000;

/// Properties the store computes; a client cannot set them.
pub fn is_computed(tag: PropTag) -> bool {
    [
        ENTRY_ID,
        PARENT_ENTRY_ID,
        INSTANCE_KEY,
        RECORD_KEY,
        STORE_RECORD_KEY,
        OBJECT_TYPE,
        MESSAGE_SIZE,
        HAS_ATTACHMENTS,
        ATTACH_NUMBER,
        ROW_ID,
        FOLDER_TYPE,
        CONTENT_COUNT,
        CONTENT_UNREAD_COUNT,
        SUBFOLDERS,
        ASSOCIATED_CONTENT_COUNT,
    ]
    .iter()
    .any(|computed| computed.id() == tag.id())
}
