//! The MAPI vocabulary that every Outpost crate speaks: property types, tags and values, the
//! property catalog, entry IDs, restrictions, error codes, FILETIME, and Outlook's enumerations.
//!
//! This crate does no I/O and needs no runtime; every type is `Send + Sync`.

pub mod catalog;
pub mod entry_id;
pub mod error;
pub mod filetime;
pub mod guid;
pub mod hex;
pub mod named;
pub mod outlook;
pub mod prop_tag;
pub mod prop_type;
pub mod provider;
pub mod recurrence;
pub mod restriction;
pub mod rights;
pub mod value;

pub use entry_id::{
    AddressBookEntryId, ContactAddressEntryId, EntryId, EntryIdError, FolderEntryId, Gid,
    GlobalCounter, MessageEntryId, OneOffEntryId, ProviderEntryId, ProviderUid, PstNodeId,
    StoreObjectEntryId,
};
pub use error::{ErrorCode, MapiError, MapiResult};
pub use filetime::FileTime;
pub use guid::Guid;
pub use named::{NamedId, NamedProperty};
pub use outlook::{
    DefaultFolder, OlAttachmentType, OlDefaultFolders, OlExchangeConnectionMode,
    OlExchangeStoreType, OlItemType, OlMailRecipientType, OlObjectClass, OlSpecialFolders,
    OlStoreType,
};
pub use prop_tag::PropTag;
pub use prop_type::PropType;
pub use restriction::{Restriction, SortOrder, SortOrderSet};
pub use rights::{MemberRights, ReservedMember, Role};
pub use value::{PropValue, TaggedValue};
