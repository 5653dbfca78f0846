//! The Outlook session: `Application`, `NameSpace`, profiles and their stores.
//!
//! This crate is synchronous; the instance service (`service`) hosts it for many clients.

pub mod error;
pub mod filter;
pub mod paths;
pub mod profile;

pub use error::SessionError;
pub use paths::OutpostPaths;
pub use profile::{Profile, ProfileRegistry, ProfileSet, StoreConfig, StoreKind, UserIdentity};
