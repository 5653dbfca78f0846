//! Connections: one writer (writes serialise on it, each in an IMMEDIATE transaction) and a pool
//! of readers, so readers run beside a writer and see the last committed state (WAL).

use crate::error::{StoreError, StoreResult};
use crate::schema;
use mapi::{ErrorCode, MapiError};
use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

const BUSY_TIMEOUT: Duration = Duration::from_secs(30);
const MAX_IDLE_READERS: usize = 4;
/// Reader connections read the file through a memory map (SQLite's upper limit, about 2 GiB;
/// pages beyond it are read as before). A read then touches the OS page cache directly instead
/// of copying a 16 KiB page per b-tree level, which halved the time to open a message by entry
/// ID in a mailbox of a million messages. Writes never go through the map. The known cost of
/// SQLite's mmap: if another program truncates the file while it is open, a reader can fault
/// instead of getting an I/O error; a file damaged at rest is unaffected (the map never
/// extends past the file's size, and `open` inspects the file without it).
const READER_MMAP_BYTES: i64 = 0x7FFF_0000;

#[derive(Debug)]
pub struct Db {
    path: PathBuf,
    read_only: bool,
    writer: Option<Mutex<Connection>>,
    readers: Mutex<Vec<Connection>>,
}

fn sqlite(path: &Path) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
    move |source| StoreError::Sqlite { path: path.to_owned(), source }
}

/// Opens one connection with the settings every connection needs. `synchronous=FULL` makes a
/// committed transaction durable when the commit returns, also in WAL mode.
pub fn connect(path: &Path, read_only: bool) -> StoreResult<Connection> {
    let flags = if read_only {
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX
    } else {
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX
    };
    let conn = Connection::open_with_flags(path, flags).map_err(sqlite(path))?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(sqlite(path))?;
    conn.pragma_update(None, "foreign_keys", true).map_err(sqlite(path))?;
    if !read_only {
        conn.pragma_update(None, "synchronous", "FULL").map_err(sqlite(path))?;
    }
    Ok(conn)
}

/// Reads `application_id` and `user_version` and says whether the file is a mailbox this build
/// can open. Runs on a read-only connection so a foreign file is never written.
pub fn inspect(conn: &Connection, path: &Path) -> StoreResult<i64> {
    let not_a_mailbox = |reason: String| StoreError::NotAMailbox { path: path.to_owned(), reason };
    let app_id: i32 =
        conn.pragma_query_value(None, "application_id", |r| r.get(0)).map_err(|e| {
            match e.sqlite_error_code() {
                Some(rusqlite::ErrorCode::NotADatabase) => {
                    not_a_mailbox("the file is not an SQLite database".into())
                }
                Some(rusqlite::ErrorCode::DatabaseCorrupt) => {
                    StoreError::Damaged { path: path.to_owned(), reason: e.to_string() }
                }
                _ => sqlite(path)(e),
            }
        })?;
    if app_id != schema::APPLICATION_ID {
        return Err(not_a_mailbox(format!(
            "SQLite application_id is 0x{app_id:08X}, an Outpost mailbox has 0x{:08X}",
            schema::APPLICATION_ID
        )));
    }
    let version: i64 =
        conn.pragma_query_value(None, "user_version", |r| r.get(0)).map_err(sqlite(path))?;
    if version > schema::SCHEMA_VERSION {
        return Err(StoreError::NewerSchema {
            path: path.to_owned(),
            found: version,
            supported: schema::SCHEMA_VERSION,
        });
    }
    if version < 1 {
        return Err(not_a_mailbox(format!(
            "schema version {version} was never written by Outpost"
        )));
    }
    Ok(version)
}

impl Db {
    pub fn new(path: PathBuf, read_only: bool, writer: Option<Connection>) -> Db {
        Db { path, read_only, writer: writer.map(Mutex::new), readers: Mutex::new(Vec::new()) }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// Runs `f` in a read transaction on a pooled connection: one consistent snapshot.
    pub fn read<T>(&self, f: impl FnOnce(&Connection) -> StoreResult<T>) -> StoreResult<T> {
        let pooled = self.readers.lock().map_err(|_| poisoned())?.pop();
        let conn = match pooled {
            Some(conn) => conn,
            None => {
                let conn = connect(&self.path, true)?;
                conn.pragma_update(None, "mmap_size", READER_MMAP_BYTES)
                    .map_err(sqlite(&self.path))?;
                conn
            }
        };
        // Cached statements: a read is often one short lookup (opening a message by entry ID),
        // where parsing BEGIN and COMMIT again each time would cost as much as the lookup.
        conn.prepare_cached("BEGIN DEFERRED")
            .and_then(|mut begin| begin.execute([]))
            .map_err(sqlite(&self.path))?;
        let result = f(&conn);
        // Ending a read transaction cannot lose data; a failure here means the connection is
        // unusable, so it is dropped instead of pooled.
        let ended = conn.prepare_cached("COMMIT").and_then(|mut commit| commit.execute([])).is_ok();
        if ended
            && let Ok(mut readers) = self.readers.lock()
            && readers.len() < MAX_IDLE_READERS
        {
            readers.push(conn);
        }
        result
    }

    /// Runs `f` in an IMMEDIATE write transaction and commits it; nothing of a failed `f` stays.
    pub fn write<T>(&self, f: impl FnOnce(&Transaction<'_>) -> StoreResult<T>) -> StoreResult<T> {
        let Some(writer) = &self.writer else {
            return Err(MapiError::no_access(format!(
                "{}: the mailbox is open read-only",
                self.path.display()
            ))
            .into());
        };
        let mut conn = writer.lock().map_err(|_| poisoned())?;
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(sqlite(&self.path))?;
        let value = f(&tx)?;
        tx.commit().map_err(sqlite(&self.path))?;
        Ok(value)
    }
}

fn poisoned() -> StoreError {
    MapiError::new(ErrorCode::CallFailed, "a mailbox connection lock is poisoned").into()
}
