//! The session crate's error enum and its mapping to MAPI codes.

use mapi::{ErrorCode, MapiError};
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error("no profile named {name:?}; existing profiles: {}", list(existing))]
    ProfileNotFound { name: String, existing: Vec<String> },
    #[error("a profile named {0:?} already exists")]
    ProfileExists(String),
    #[error("{0:?} is not a valid profile name (it must be 1-256 printable characters)")]
    InvalidProfileName(String),
    #[error(
        "profile {name:?} is the default profile: every command without --profile uses it. {}",
        default_delete_advice(others)
    )]
    DefaultProfileDelete { name: String, others: Vec<String> },
    #[error(
        "there is no default profile; create one or set one with `outpost profile set-default NAME`"
    )]
    NoDefaultProfile,
    #[error("cannot determine the user's home directory; set OUTPOST_HOME")]
    NoHomeDirectory,
    #[error("{}: {reason}", path.display())]
    BadProfileFile { path: PathBuf, reason: String },
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    /// A failure reported with a MAPI code (stores, entry IDs, folders, items).
    #[error(transparent)]
    Mapi(#[from] MapiError),
}

/// What every session operation returns.
pub type SessionResult<T> = Result<T, SessionError>;

fn list(names: &[String]) -> String {
    if names.is_empty() { "(none)".to_owned() } else { names.join(", ") }
}

fn default_delete_advice(others: &[String]) -> String {
    if others.is_empty() {
        "It is the only profile; delete it anyway with --force (the next command then creates \
         a new profile \"Outlook\")"
            .to_owned()
    } else {
        format!(
            "Make another profile the default first (`outpost profile set-default NAME`; \
             profiles: {}), or delete it anyway with --force",
            others.join(", ")
        )
    }
}

impl SessionError {
    /// The MAPI code Outlook would report for the same failure.
    pub fn to_mapi(&self) -> MapiError {
        let code = match self {
            SessionError::Mapi(err) => return err.clone(),
            SessionError::ProfileNotFound { .. } | SessionError::NoDefaultProfile => {
                ErrorCode::LogonFailed
            }
            SessionError::ProfileExists(_) => ErrorCode::Collision,
            SessionError::InvalidProfileName(_) | SessionError::DefaultProfileDelete { .. } => {
                ErrorCode::InvalidParameter
            }
            SessionError::NoHomeDirectory => ErrorCode::NotInitialized,
            SessionError::BadProfileFile { .. } => ErrorCode::CorruptData,
            SessionError::Io { .. } => ErrorCode::DiskError,
        };
        MapiError::new(code, self.to_string())
    }
}

impl SessionError {
    /// The MAPI code of this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            SessionError::Mapi(err) => err.code,
            other => other.to_mapi().code,
        }
    }
}

impl From<SessionError> for MapiError {
    fn from(err: SessionError) -> MapiError {
        err.to_mapi()
    }
}
