//! Opening the message store a profile entry names: the one place that knows which crate
//! implements which [`StoreKind`].
//!
//! Every backend is held as `Arc<dyn MessageStore>` (see docs/ARCHITECTURE.md for why a trait
//! object rather than a closed enum).

use crate::profile::{StoreConfig, StoreKind};
use mapi::provider::MessageStore;
use mapi::{ErrorCode, MapiError, MapiResult};
use std::io::Read;
use std::path::Path;
use std::sync::Arc;

/// The first bytes of a PST/OST file: `dwMagic` "!BDN" (MS-PST 2.2.2.6).
const PST_MAGIC: &[u8; 4] = b"!BDN";
/// The first bytes of an SQLite database, which an embedded mailbox is.
const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// Opens the store of a profile entry.
pub fn open_store(config: &StoreConfig) -> MapiResult<Arc<dyn MessageStore>> {
    let path = || {
        config.path.as_deref().ok_or_else(|| {
            MapiError::new(
                ErrorCode::Unconfigured,
                format!("store {:?} has no file path in the profile", config.display_name),
            )
        })
    };
    match config.kind {
        StoreKind::Embedded => open_embedded(path()?),
        StoreKind::Pst => open_pst(path()?, config.password.as_deref()),
        StoreKind::Server => Err(MapiError::new(
            ErrorCode::NoSupport,
            format!(
                "store {:?} is a server mailbox ({}); server mailboxes are not supported yet",
                config.display_name,
                config.url.as_deref().unwrap_or("no address")
            ),
        )),
    }
}

/// Opens an embedded mailbox file.
pub fn open_embedded(path: &Path) -> MapiResult<Arc<dyn MessageStore>> {
    Ok(Arc::new(store::Mailbox::open(path)?))
}

/// Opens a PST or OST file read-only (`password` for password-protected PSTs).
pub fn open_pst(path: &Path, password: Option<&str>) -> MapiResult<Arc<dyn MessageStore>> {
    // The PST reader's errors say where in the file; the file itself is named here.
    let store = pst::provider::PstStore::open(path, password).map_err(|err| {
        let err = MapiError::from(err);
        let name = path.display().to_string();
        if err.message.contains(&name) {
            return err;
        }
        MapiError::new(err.code, format!("{name}: {}", err.message))
    })?;
    Ok(Arc::new(store))
}

/// What kind of store a file holds, judged by its first bytes; `None` for anything else.
pub fn detect_kind(path: &Path) -> MapiResult<Option<StoreKind>> {
    let mut file = std::fs::File::open(path).map_err(|err| {
        let code = match err.kind() {
            std::io::ErrorKind::NotFound => ErrorCode::NotFound,
            std::io::ErrorKind::PermissionDenied => ErrorCode::NoAccess,
            _ => ErrorCode::DiskError,
        };
        MapiError::new(code, format!("{}: {err}", path.display()))
    })?;
    let mut head = [0u8; 16];
    let mut filled = 0;
    while filled < head.len() {
        match file.read(&mut head[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(err) => {
                return Err(MapiError::new(
                    ErrorCode::DiskError,
                    format!("{}: {err}", path.display()),
                ));
            }
        }
    }
    Ok(if head[..filled].starts_with(PST_MAGIC) {
        Some(StoreKind::Pst)
    } else if head[..filled] == SQLITE_MAGIC[..] {
        Some(StoreKind::Embedded)
    } else {
        None
    })
}
