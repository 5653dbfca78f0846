//! The MAPI vocabulary that every Outpost crate speaks: property types, tags and values, the
//! property catalog, entry IDs, restrictions, error codes, FILETIME, and Outlook's enumerations.
//!
//! This crate does no I/O and needs no runtime; every type is `Send + Sync`.

pub mod catalog;
pub mod error;
pub mod filetime;
pub mod guid;
pub mod hex;
pub mod named;
pub mod prop_tag;
pub mod prop_type;
pub mod restriction;
pub mod value;

pub use error::{ErrorCode, MapiError, MapiResult};
pub use filetime::FileTime;
pub use guid::Guid;
pub use named::{NamedId, NamedProperty};
pub use prop_tag::PropTag;
pub use prop_type::PropType;
pub use restriction::{Restriction, SortOrder, SortOrderSet};
pub use value::{PropValue, TaggedValue};
