use mapi::{ErrorCode, MapiError};
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("another Outpost instance already serves {}", .0.display())]
    AlreadyRunning(PathBuf),
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    #[error("instance protocol error: {0}")]
    Protocol(String),
    #[error(
        "the running Outpost instance speaks protocol version {server}, this client speaks {client}; \
         stop it with `outpost instance stop` (it restarts on next use)"
    )]
    VersionMismatch { server: u32, client: u32 },
    #[error("the Outpost instance did not start within {seconds} s{}", detail.as_deref().map(|d| format!(": {d}")).unwrap_or_default())]
    StartTimeout { seconds: u64, detail: Option<String> },
    #[error("no Outpost instance is running")]
    NotRunning,
    #[error("the instance closed the connection")]
    Disconnected,
    /// The socket failed under a call (the daemon died or was stopped).
    #[error("the connection to the instance broke: {0}")]
    ConnectionLost(String),
    /// The request could not be sent: the instance had closed the connection (after a
    /// silence, or it exited), so it never saw the request and sending it again is safe.
    #[error("the instance had closed the connection: {0}")]
    NotDelivered(String),
    /// The daemon is exiting and lets no new client in.
    #[error("the instance is shutting down")]
    ShuttingDown,
    #[error("the instance (pid {pid}) did not exit within {seconds} s")]
    StopTimeout { pid: u32, seconds: u64 },
    #[error(transparent)]
    Mapi(#[from] MapiError),
    #[error("the instance is not supported on this platform yet")]
    Unsupported,
}

impl ServiceError {
    pub fn to_mapi(&self) -> MapiError {
        match self {
            ServiceError::Mapi(err) => err.clone(),
            ServiceError::VersionMismatch { .. } => {
                MapiError::new(ErrorCode::Version, self.to_string())
            }
            ServiceError::NotRunning
            | ServiceError::Disconnected
            | ServiceError::ConnectionLost(_)
            | ServiceError::NotDelivered(_)
            | ServiceError::ShuttingDown => {
                MapiError::new(ErrorCode::EndOfSession, self.to_string())
            }
            ServiceError::Unsupported => MapiError::new(ErrorCode::NoSupport, self.to_string()),
            ServiceError::StartTimeout { .. } | ServiceError::StopTimeout { .. } => {
                MapiError::new(ErrorCode::Timeout, self.to_string())
            }
            ServiceError::Io { source, .. }
                if source.kind() == std::io::ErrorKind::PermissionDenied =>
            {
                MapiError::new(ErrorCode::NoAccess, self.to_string())
            }
            _ => MapiError::new(ErrorCode::CallFailed, self.to_string()),
        }
    }
}

impl ServiceError {
    /// The instance went away under this client (died, was stopped, or is exiting): a fresh
    /// instance may answer the same request.
    pub fn is_connection_lost(&self) -> bool {
        matches!(
            self,
            ServiceError::Disconnected
                | ServiceError::ConnectionLost(_)
                | ServiceError::NotDelivered(_)
                | ServiceError::ShuttingDown
        )
    }
}

impl ServiceError {
    /// The instance cannot have acted on the request: any request may be sent again.
    pub fn was_not_delivered(&self) -> bool {
        matches!(self, ServiceError::NotDelivered(_) | ServiceError::ShuttingDown)
    }
}

impl From<wire::FrameError> for ServiceError {
    fn from(err: wire::FrameError) -> ServiceError {
        match err {
            wire::FrameError::TooLarge { .. } => ServiceError::Protocol(err.to_string()),
            wire::FrameError::Truncated { .. } | wire::FrameError::Io(_) => {
                ServiceError::ConnectionLost(err.to_string())
            }
        }
    }
}
