//! Files of the instance in the runtime directory (owner-only, mode 0700).

use crate::ServiceError;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstancePaths {
    pub dir: PathBuf,
    /// Held (flock) by the daemon for its whole life: proof that a daemon is alive.
    pub instance_lock: PathBuf,
    /// Held by a client while it starts a daemon, so racing starters start one.
    pub start_lock: PathBuf,
    pub socket: PathBuf,
    /// The daemon's stderr (logs), for diagnosing a daemon that failed to start.
    pub log: PathBuf,
}

impl InstancePaths {
    pub fn new(runtime_dir: &Path) -> InstancePaths {
        InstancePaths {
            dir: runtime_dir.to_owned(),
            instance_lock: runtime_dir.join("instance.lock"),
            start_lock: runtime_dir.join("start.lock"),
            socket: runtime_dir.join("instance.sock"),
            log: runtime_dir.join("instance.log"),
        }
    }

    pub fn from_environment() -> Result<InstancePaths, ServiceError> {
        let paths = session::OutpostPaths::from_environment()
            .map_err(|err| ServiceError::Protocol(err.to_string()))?;
        Ok(InstancePaths::new(&paths.runtime_dir))
    }

    /// Creates the directory readable by the owner only.
    pub fn create_dir(&self) -> Result<(), ServiceError> {
        let io = |source| ServiceError::Io { path: self.dir.clone(), source };
        std::fs::create_dir_all(&self.dir).map_err(io)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&self.dir, std::fs::Permissions::from_mode(0o700))
                .map_err(io)?;
        }
        Ok(())
    }
}
