//! Read Outlook PST and OST files (MS-PST), layered like the spec:
//!
//! - [`ndb`]: header, node and block B-trees, blocks, data trees, subnode trees;
//! - [`ltp`]: heap-on-node, BTH, property contexts and table contexts;
//! - [`messaging`]: the message store, folders, messages, recipients, attachments and the
//!   named-property map, with values as [`mapi::PropValue`] keyed by [`mapi::PropTag`].
//!
//! Every handle is `Send + Sync`; reads are positional, so several threads can read one file
//! at once. Nothing loads the whole file, and sizes read from the file are checked against
//! what the file can hold before anything is allocated.

pub mod check;
pub mod dump;
pub mod error;
pub mod io;
pub mod ltp;
pub mod messaging;
pub mod ndb;
pub mod provider;

pub use error::{PstError, PstResult};
pub use io::ReadAt;
pub use ltp::{PropertyContext, Row, TableContext};
pub use messaging::{Attachment, Folder, Message, MessageStore, NameToIdMap, PstFile, ValueReader};
pub use ndb::{BlockId, CryptMethod, Header, NodeId};
pub use ndb::{Format, OpenOptions, Problem, Severity, WalkBudget};
