//! Property tags the store reads, writes or computes (MS-OXPROPS).

use mapi::{PropTag, PropType};

const fn tag(id: u16, t: PropType) -> PropTag {
    PropTag::new(id, t)
}

pub const MESSAGE_CLASS: PropTag = tag(0x001A, PropType::String);
pub const SUBJECT: PropTag = tag(0x0037, PropType::String);
pub const MESSAGE_DELIVERY_TIME: PropTag = tag(0x0E06, PropType::Time);
pub const MESSAGE_FLAGS: PropTag = tag(0x0E07, PropType::Integer32);
pub const MESSAGE_SIZE: PropTag = tag(0x0E08, PropType::Integer32);
pub const PARENT_ENTRY_ID: PropTag = tag(0x0E09, PropType::Binary);
pub const HAS_ATTACHMENTS: PropTag = tag(0x0E1B, PropType::Boolean);
pub const ATTACH_NUMBER: PropTag = tag(0x0E21, PropType::Integer32);
pub const ATTACH_METHOD: PropTag = tag(0x3705, PropType::Integer32);
pub const INSTANCE_KEY: PropTag = tag(0x0FF6, PropType::Binary);
pub const RECORD_KEY: PropTag = tag(0x0FF9, PropType::Binary);
pub const STORE_RECORD_KEY: PropTag = tag(0x0FFA, PropType::Binary);
pub const OBJECT_TYPE: PropTag = tag(0x0FFE, PropType::Integer32);
pub const ENTRY_ID: PropTag = tag(0x0FFF, PropType::Binary);
pub const ROW_ID: PropTag = tag(0x3000, PropType::Integer32);
pub const DISPLAY_NAME: PropTag = tag(0x3001, PropType::String);
pub const CREATION_TIME: PropTag = tag(0x3007, PropType::Time);
pub const LAST_MODIFICATION_TIME: PropTag = tag(0x3008, PropType::Time);
pub const STORE_SUPPORT_MASK: PropTag = tag(0x340D, PropType::Integer32);
pub const MAILBOX_OWNER_NAME: PropTag = tag(0x661C, PropType::String);
pub const MAILBOX_OWNER_ADDRESS: PropTag = tag(0x6620, PropType::String);
pub const FOLDER_TYPE: PropTag = tag(0x3601, PropType::Integer32);
pub const CONTENT_COUNT: PropTag = tag(0x3602, PropType::Integer32);
pub const CONTENT_UNREAD_COUNT: PropTag = tag(0x3603, PropType::Integer32);
pub const SUBFOLDERS: PropTag = tag(0x360A, PropType::Boolean);
pub const CONTAINER_CLASS: PropTag = tag(0x3613, PropType::String);
pub const ASSOCIATED_CONTENT_COUNT: PropTag = tag(0x3617, PropType::Integer32);
pub const DEPTH: PropTag = tag(0x3005, PropType::Integer32);
pub const VALID_FOLDER_MASK: PropTag = tag(0x35DF, PropType::Integer32);
pub const ATTRIBUTE_HIDDEN: PropTag = tag(0x10F4, PropType::Boolean);

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
    matches!(
        tag.id(),
        0x0FFF // PidTagEntryId
            | 0x0E09 // PidTagParentEntryId
            | 0x0FF6 // PidTagInstanceKey
            | 0x0FF9 // PidTagRecordKey
            | 0x0FFA // PidTagStoreRecordKey
            | 0x0FFE // PidTagObjectType
            | 0x0E08 // PidTagMessageSize
            | 0x0E1B // PidTagHasAttachments
            | 0x0E21 // PidTagAttachNumber
            | 0x3000 // PidTagRowid
            | 0x3601 // PidTagFolderType
            | 0x3602 // PidTagContentCount
            | 0x3603 // PidTagContentUnreadCount
            | 0x360A // PidTagSubfolders
            | 0x3617 // PidTagAssociatedContentCount
    )
}
