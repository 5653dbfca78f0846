//! Where Outpost keeps its files: profiles (config), mailboxes (data) and the instance's lock
//! and socket (runtime).
//!
//! `OUTPOST_HOME=DIR` puts all three under DIR (`DIR/config`, `DIR/data`, `DIR/run`), for tests
//! and portable use. Otherwise the platform's directories: on Linux `$XDG_CONFIG_HOME/outpost`,
//! `$XDG_DATA_HOME/outpost` and `$XDG_RUNTIME_DIR/outpost`; on Windows `%APPDATA%\Outpost`.

use crate::SessionError;
use std::path::{Path, PathBuf};

/// The environment variable that relocates every Outpost file.
pub const OUTPOST_HOME: &str = "OUTPOST_HOME";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutpostPaths {
    pub config_dir: PathBuf,
    pub data_dir: PathBuf,
    pub runtime_dir: PathBuf,
}

impl OutpostPaths {
    /// All three under one directory.
    pub fn under(home: &Path) -> OutpostPaths {
        OutpostPaths {
            config_dir: home.join("config"),
            data_dir: home.join("data"),
            runtime_dir: home.join("run"),
        }
    }

    /// From `OUTPOST_HOME` if set, else the platform's directories for the current user.
    pub fn from_environment() -> Result<OutpostPaths, SessionError> {
        if let Some(home) = std::env::var_os(OUTPOST_HOME).filter(|v| !v.is_empty()) {
            return Ok(OutpostPaths::under(Path::new(&home)));
        }
        let base = directories::BaseDirs::new().ok_or(SessionError::NoHomeDirectory)?;
        let app = if cfg!(windows) { "Outpost" } else { "outpost" };
        let data_dir = base.data_dir().join(app);
        // No XDG_RUNTIME_DIR (macOS, Windows, some containers): keep runtime files with the data.
        let runtime_dir =
            base.runtime_dir().map(|d| d.join(app)).unwrap_or_else(|| data_dir.join("run"));
        Ok(OutpostPaths { config_dir: base.config_dir().join(app), data_dir, runtime_dir })
    }

    pub fn profiles_file(&self) -> PathBuf {
        self.config_dir.join("profiles.toml")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outpost_home_layout_keeps_everything_under_one_directory() {
        let paths = OutpostPaths::under(Path::new("/tmp/x"));
        assert_eq!(paths.profiles_file(), Path::new("/tmp/x/config/profiles.toml"));
        assert_eq!(paths.data_dir, Path::new("/tmp/x/data"));
        assert_eq!(paths.runtime_dir, Path::new("/tmp/x/run"));
    }
}
