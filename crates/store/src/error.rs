//! The store's error enum; every variant maps to a MAPI code at the provider boundary.

use mapi::{ErrorCode, MapiError};
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: not an Outpost mailbox ({reason})")]
    NotAMailbox { path: PathBuf, reason: String },

    #[error(
        "{path}: mailbox schema version {found} is newer than this Outpost understands \
         (up to {supported}); upgrade Outpost to open it"
    )]
    NewerSchema { path: PathBuf, found: i64, supported: i64 },

    #[error(
        "{path}: mailbox schema version {found} predates this Outpost's {current}; open it \
         writable once to upgrade it"
    )]
    NeedsUpgrade { path: PathBuf, found: i64, current: i64 },

    #[error("{path}: the mailbox is damaged: {reason}")]
    Damaged { path: PathBuf, reason: String },

    #[error("{path}: {source}")]
    Sqlite {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },

    #[error("SQLite: {0}")]
    Sql(#[from] rusqlite::Error),

    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("{path}: a file already exists there")]
    AlreadyExists { path: PathBuf },

    #[error(transparent)]
    Mapi(#[from] MapiError),
}

impl StoreError {
    pub fn code(&self) -> ErrorCode {
        match self {
            StoreError::NotAMailbox { .. } => ErrorCode::Unconfigured,
            StoreError::NewerSchema { .. } | StoreError::NeedsUpgrade { .. } => ErrorCode::Version,
            StoreError::Damaged { .. } => ErrorCode::CorruptStore,
            StoreError::Sqlite { source, .. } | StoreError::Sql(source) => sqlite_code(source),
            StoreError::Io { .. } => ErrorCode::DiskError,
            StoreError::AlreadyExists { .. } => ErrorCode::Collision,
            StoreError::Mapi(err) => err.code,
        }
    }
}

fn sqlite_code(err: &rusqlite::Error) -> ErrorCode {
    use rusqlite::ErrorCode as E;
    match err.sqlite_error_code() {
        Some(E::DatabaseCorrupt | E::NotADatabase) => ErrorCode::CorruptStore,
        Some(E::DiskFull) => ErrorCode::NotEnoughDisk,
        Some(E::ReadOnly | E::PermissionDenied) => ErrorCode::NoAccess,
        Some(E::DatabaseBusy | E::DatabaseLocked) => ErrorCode::Busy,
        Some(E::SystemIoFailure | E::CannotOpen) => ErrorCode::DiskError,
        Some(E::OutOfMemory) => ErrorCode::NotEnoughMemory,
        _ => ErrorCode::CallFailed,
    }
}

impl From<StoreError> for MapiError {
    fn from(err: StoreError) -> MapiError {
        match err {
            StoreError::Mapi(err) => err,
            other => MapiError::new(other.code(), other.to_string()),
        }
    }
}

pub type StoreResult<T> = Result<T, StoreError>;
