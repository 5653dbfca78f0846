//! The server crate's one error enum, and how it maps to MAPI codes.

use mapi::{ErrorCode, MapiError};
use std::path::PathBuf;
use std::time::Duration;

pub type ServerResult<T> = Result<T, ServerError>;

/// Everything the server's directory and authentication can fail with.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The one answer to a failed logon: unknown user, disabled account and wrong password
    /// look the same to the caller, so a logon cannot tell which user names exist.
    #[error("logon failed: unknown user name or bad password")]
    LogonFailed,
    /// Too many failed logons for this user name or this address within the window; the
    /// password was not checked.
    #[error("logon failed: too many attempts, retry after {} s", retry_after.as_secs().max(1))]
    TooManyAttempts { retry_after: Duration },
    /// A session token that is malformed or that this server never issued (or logged out).
    #[error("session token not recognised; log on again")]
    UnknownToken,
    #[error("session token expired; log on again")]
    TokenExpired,
    /// The user's password changed or the account was disabled after the token was issued.
    #[error("session ended: the password was changed or the account disabled; log on again")]
    SessionEnded,
    #[error(
        "invalid user name {name:?}: expected 1-64 characters of letters, digits, '.', '-' and \
         '_', starting with a letter or digit"
    )]
    InvalidUserName { name: String },
    #[error("invalid {what}: {reason}")]
    InvalidValue { what: &'static str, reason: String },
    #[error("user {name:?} already exists")]
    UserExists { name: String },
    #[error("address {address:?} already belongs to another user")]
    AddressTaken { address: String },
    #[error("no user {name:?} in {}", dir.display())]
    UserNotFound { name: String, dir: PathBuf },
    #[error("{}: not a server data directory (no directory.sqlite); `outpost server user add` creates one", path.display())]
    NoServerData { path: PathBuf },
    #[error("{}: bad server configuration: {reason}", path.display())]
    BadConfig { path: PathBuf, reason: String },
    #[error("{}: {reason}", path.display())]
    BadDirectory { path: PathBuf, reason: String },
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{}: {source}", path.display())]
    Sqlite { path: PathBuf, source: rusqlite::Error },
    #[error("mailbox of user {user:?}: {source}")]
    Mailbox { user: String, source: store::StoreError },
    #[error("password hashing failed: {0}")]
    PasswordHash(String),
    #[error("the operating system's random number generator failed: {0}")]
    Random(String),
}

impl ServerError {
    /// Whether the caller's input was at fault (a CLI exits 2), rather than the operation.
    pub fn is_bad_input(&self) -> bool {
        matches!(
            self,
            ServerError::InvalidUserName { .. }
                | ServerError::InvalidValue { .. }
                | ServerError::UserExists { .. }
                | ServerError::AddressTaken { .. }
                | ServerError::UserNotFound { .. }
                | ServerError::NoServerData { .. }
        )
    }

    pub fn to_mapi(&self) -> MapiError {
        let code = match self {
            ServerError::LogonFailed
            | ServerError::TooManyAttempts { .. }
            | ServerError::UnknownToken
            | ServerError::TokenExpired
            | ServerError::SessionEnded => ErrorCode::LogonFailed,
            ServerError::InvalidUserName { .. } | ServerError::InvalidValue { .. } => {
                ErrorCode::InvalidParameter
            }
            ServerError::UserExists { .. } | ServerError::AddressTaken { .. } => {
                ErrorCode::Collision
            }
            ServerError::UserNotFound { .. } | ServerError::NoServerData { .. } => {
                ErrorCode::NotFound
            }
            ServerError::BadConfig { .. } | ServerError::BadDirectory { .. } => {
                ErrorCode::CorruptData
            }
            ServerError::Io { .. } | ServerError::Sqlite { .. } => ErrorCode::DiskError,
            ServerError::Mailbox { source, .. } => match source {
                store::StoreError::Mapi(inner) => inner.code,
                other => other.code(),
            },
            ServerError::PasswordHash(_) | ServerError::Random(_) => ErrorCode::CallFailed,
        };
        MapiError::new(code, self.to_string())
    }
}

impl From<ServerError> for MapiError {
    fn from(err: ServerError) -> MapiError {
        err.to_mapi()
    }
}
