//! Outpost's embedded mailbox store: one SQLite file per mailbox, in the spirit of Exchange and
//! gromox. It implements the `mapi::provider` traits; [`Mailbox`] is the message store.
//!
//! - Entry IDs are Exchange-shaped long-term IDs (MS-OXCDATA 2.2.4) with the mailbox GUID as
//!   provider UID; a folder keeps its ID for life, a message gets a new one when it moves.
//! - A saved change is durable when the call returns (WAL, `synchronous=FULL`); a message is
//!   written whole in one transaction, so readers see it before or after, never half.
//! - A file that is not a mailbox, or one of a newer schema, is refused before anything is
//!   written; read-only files open read-only.

mod batch;
mod check;
mod codec;
mod contents;
mod db;
mod error;
mod folder;
mod ids;
mod mailbox;
mod message;
mod schema;
mod sql;
mod standard;
mod tags;

pub use check::{CheckReport, check};
pub use error::{StoreError, StoreResult};
pub use mailbox::{CreateOptions, FolderInfo, Mailbox, MailboxInfo};
pub use schema::SCHEMA_VERSION;
