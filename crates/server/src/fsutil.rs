//! Whole-file writes and the directory lock.

use crate::error::{ServerError, ServerResult};
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::Path;

/// Writes `bytes` to `path` through a temporary file and a rename, then syncs the directory,
/// so the file is the old one or the new one, never a mix.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> ServerResult<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let io = |source| ServerError::Io { path: temp.clone(), source };
    {
        let mut out = File::create(&temp).map_err(io)?;
        out.write_all(bytes).map_err(io)?;
        out.sync_all().map_err(io)?;
    }
    fs::rename(&temp, path).map_err(|source| ServerError::Io { path: path.to_owned(), source })?;
    if let Ok(dir_handle) = File::open(dir) {
        let _ = dir_handle.sync_all();
    }
    Ok(())
}

/// Takes the exclusive lock on `path` (created if absent); released when the file is dropped,
/// also when the process dies. Serialises writers across processes (flock), like
/// `profiles.lock` in the session crate.
pub fn lock_exclusive(path: &Path) -> ServerResult<File> {
    let io = |source| ServerError::Io { path: path.to_owned(), source };
    let file =
        OpenOptions::new().create(true).truncate(false).write(true).open(path).map_err(io)?;
    file.lock().map_err(io)?;
    Ok(file)
}
