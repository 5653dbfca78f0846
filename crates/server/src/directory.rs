//! The server data directory: `server.toml`, the user directory `directory.sqlite` and one
//! embedded mailbox per user under `mailboxes/`.

use crate::clock::{Clock, SystemClock};
use crate::config::ServerConfig;
use crate::error::{ServerError, ServerResult};
use crate::fsutil::lock_exclusive;
use crate::password::{check_password_input, hash_password};
use crate::ratelimit::FailureLog;
use crate::token::TokenTable;
use crate::user::{User, validate_address, validate_display_name, validate_user_name};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

pub const CONFIG_FILE: &str = "server.toml";
pub const DIRECTORY_FILE: &str = "directory.sqlite";
pub const LOCK_FILE: &str = "directory.lock";
pub const MAILBOX_DIR: &str = "mailboxes";
const SCHEMA_VERSION: i64 = 1;
/// "OPSV": marks the file as an Outpost server directory.
const APPLICATION_ID: i64 = 0x4F50_5356;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS users (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name TEXT NOT NULL,
    address TEXT NOT NULL UNIQUE COLLATE NOCASE,
    password_hash TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    session_generation INTEGER NOT NULL DEFAULT 0,
    created TEXT NOT NULL,
    mailbox TEXT NOT NULL
);";

/// One server's data directory, opened. Holds the process's live sessions and failed-logon
/// counts in memory: they end with the process, and clients log on again.
#[derive(Debug)]
pub struct ServerData {
    pub(crate) dir: PathBuf,
    pub(crate) config: ServerConfig,
    pub(crate) conn: Mutex<Connection>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) failures: Mutex<FailureLog>,
    pub(crate) tokens: Mutex<TokenTable>,
    /// A hash of a random password with the configured cost, verified against for unknown
    /// users so a logon takes as long whether the user exists or not.
    pub(crate) dummy_hash: OnceLock<String>,
}

pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl ServerData {
    /// Opens `dir`, creating it with a default `server.toml`, an empty directory and the
    /// `mailboxes/` folder if they are not there. An existing `server.toml` is kept.
    pub fn open_or_create(dir: &Path) -> ServerResult<ServerData> {
        fs::create_dir_all(dir.join(MAILBOX_DIR))
            .map_err(|source| ServerError::Io { path: dir.join(MAILBOX_DIR), source })?;
        let _guard = lock_exclusive(&dir.join(LOCK_FILE))?;
        let config_path = dir.join(CONFIG_FILE);
        if !config_path.exists() {
            ServerConfig::default().save(&config_path)?;
        }
        let conn = open_connection(&dir.join(DIRECTORY_FILE))?;
        let sql = |source| ServerError::Sqlite { path: dir.join(DIRECTORY_FILE), source };
        let version: i64 =
            conn.pragma_query_value(None, "user_version", |r| r.get(0)).map_err(sql)?;
        if version == 0 {
            conn.execute_batch(SCHEMA).map_err(sql)?;
            conn.pragma_update(None, "application_id", APPLICATION_ID).map_err(sql)?;
            conn.pragma_update(None, "user_version", SCHEMA_VERSION).map_err(sql)?;
        }
        drop(conn);
        ServerData::open(dir)
    }

    /// Opens an existing data directory; `NoServerData` if `dir` has no `directory.sqlite`.
    pub fn open(dir: &Path) -> ServerResult<ServerData> {
        let path = dir.join(DIRECTORY_FILE);
        if !path.is_file() {
            return Err(ServerError::NoServerData { path: dir.to_owned() });
        }
        let config = ServerConfig::load(&dir.join(CONFIG_FILE))?;
        let conn = open_connection(&path)?;
        let sql = |source| ServerError::Sqlite { path: path.clone(), source };
        let app: i64 =
            conn.pragma_query_value(None, "application_id", |r| r.get(0)).map_err(sql)?;
        let version: i64 =
            conn.pragma_query_value(None, "user_version", |r| r.get(0)).map_err(sql)?;
        if app != APPLICATION_ID || version != SCHEMA_VERSION {
            return Err(ServerError::BadDirectory {
                path,
                reason: format!(
                    "not an Outpost server directory of schema {SCHEMA_VERSION} (application_id \
                     {app:#x}, schema {version})"
                ),
            });
        }
        Ok(ServerData {
            dir: dir.to_owned(),
            config,
            conn: Mutex::new(conn),
            clock: Arc::new(SystemClock),
            failures: Mutex::new(FailureLog::default()),
            tokens: Mutex::new(TokenTable::default()),
            dummy_hash: OnceLock::new(),
        })
    }

    /// The same server reading time from `clock` (tests move it by hand).
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> ServerData {
        self.clock = clock;
        self
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn config(&self) -> &ServerConfig {
        &self.config
    }

    fn directory_path(&self) -> PathBuf {
        self.dir.join(DIRECTORY_FILE)
    }

    pub(crate) fn sql_error(&self, source: rusqlite::Error) -> ServerError {
        ServerError::Sqlite { path: self.directory_path(), source }
    }

    fn not_found(&self, name: &str) -> ServerError {
        ServerError::UserNotFound { name: name.to_owned(), dir: self.dir.clone() }
    }

    /// Adds a user with a new embedded mailbox. `display_name` defaults to the name, the
    /// address to `name@mail_domain`. The user and the mailbox appear together or not at all.
    pub fn add_user(
        &self,
        name: &str,
        display_name: Option<&str>,
        address: Option<&str>,
        password: &str,
    ) -> ServerResult<User> {
        validate_user_name(name)?;
        let display_name = display_name.unwrap_or(name);
        validate_display_name(display_name)?;
        let address = match address {
            Some(address) => address.to_owned(),
            None => format!("{}@{}", name.to_ascii_lowercase(), self.config.mail_domain),
        };
        validate_address(&address)?;
        check_password_input(password)?;
        // The slow part outside the lock, so other writers wait only for the database.
        let hash = hash_password(&self.config.argon2, password)?;

        let _guard = lock_exclusive(&self.dir.join(LOCK_FILE))?;
        let mut conn = lock(&self.conn);
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| self.sql_error(e))?;
        let taken: Option<String> = tx
            .query_row("SELECT name FROM users WHERE name = ?1", [name], |r| r.get(0))
            .optional()
            .map_err(|e| self.sql_error(e))?;
        if let Some(existing) = taken {
            return Err(ServerError::UserExists { name: existing });
        }
        let address_taken: bool = tx
            .query_row("SELECT EXISTS (SELECT 1 FROM users WHERE address = ?1)", [&address], |r| {
                r.get(0)
            })
            .map_err(|e| self.sql_error(e))?;
        if address_taken {
            return Err(ServerError::AddressTaken { address });
        }
        let relative = format!("{MAILBOX_DIR}/{}.mailbox", name.to_ascii_lowercase());
        let mailbox_path = self.dir.join(&relative);
        set_aside_orphan(&mailbox_path)?;
        let created = jiff::Timestamp::try_from(self.clock.now())
            .map_err(|err| ServerError::InvalidValue { what: "clock", reason: err.to_string() })?
            .to_string();
        tx.execute(
            "INSERT INTO users (name, display_name, address, password_hash, created, mailbox) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![name, display_name, address, hash, created, relative],
        )
        .map_err(|e| self.sql_error(e))?;
        let options = store::CreateOptions {
            display_name: None,
            owner_address: Some(address.clone()),
            owner_name: Some(display_name.to_owned()),
        };
        store::Mailbox::create(&mailbox_path, &options)
            .map_err(|source| ServerError::Mailbox { user: name.to_owned(), source })?;
        if let Err(err) = tx.commit() {
            let _ = fs::remove_file(&mailbox_path);
            return Err(self.sql_error(err));
        }
        tracing::info!(user = name, "user added");
        Ok(User {
            name: name.to_owned(),
            display_name: display_name.to_owned(),
            address,
            disabled: false,
            created,
            mailbox: mailbox_path,
        })
    }

    /// Every user, by name.
    pub fn list_users(&self) -> ServerResult<Vec<User>> {
        let conn = lock(&self.conn);
        let mut statement = conn
            .prepare(&format!("{USER_COLUMNS} ORDER BY name COLLATE NOCASE"))
            .map_err(|e| self.sql_error(e))?;
        let users = statement
            .query_map([], |row| self.user_from_row(row))
            .map_err(|e| self.sql_error(e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.sql_error(e))?;
        Ok(users)
    }

    /// One user, by name in any case.
    pub fn user(&self, name: &str) -> ServerResult<User> {
        let conn = lock(&self.conn);
        conn.query_row(&format!("{USER_COLUMNS} WHERE name = ?1"), [name], |row| {
            self.user_from_row(row)
        })
        .optional()
        .map_err(|e| self.sql_error(e))?
        .ok_or_else(|| self.not_found(name))
    }

    fn user_from_row(&self, row: &rusqlite::Row<'_>) -> rusqlite::Result<User> {
        Ok(User {
            name: row.get(0)?,
            display_name: row.get(1)?,
            address: row.get(2)?,
            disabled: row.get(3)?,
            created: row.get(4)?,
            mailbox: self.dir.join(row.get::<_, String>(5)?),
        })
    }

    /// Refuses the user's logons and ends their live sessions.
    pub fn disable_user(&self, name: &str) -> ServerResult<User> {
        self.update_user(
            name,
            "UPDATE users SET disabled = 1, session_generation = session_generation + 1 WHERE name = ?1",
            None,
        )?;
        tracing::info!(user = name, "user disabled");
        self.user(name)
    }

    pub fn enable_user(&self, name: &str) -> ServerResult<User> {
        self.update_user(name, "UPDATE users SET disabled = 0 WHERE name = ?1", None)?;
        tracing::info!(user = name, "user enabled");
        self.user(name)
    }

    /// Sets a new password and ends the user's live sessions.
    pub fn set_password(&self, name: &str, password: &str) -> ServerResult<User> {
        check_password_input(password)?;
        self.user(name)?;
        let hash = hash_password(&self.config.argon2, password)?;
        self.update_user(
            name,
            "UPDATE users SET password_hash = ?2, session_generation = session_generation + 1 \
             WHERE name = ?1",
            Some(&hash),
        )?;
        tracing::info!(user = name, "password changed");
        self.user(name)
    }

    fn update_user(&self, name: &str, statement: &str, value: Option<&str>) -> ServerResult<()> {
        let _guard = lock_exclusive(&self.dir.join(LOCK_FILE))?;
        let conn = lock(&self.conn);
        let changed = match value {
            Some(value) => conn.execute(statement, params![name, value]),
            None => conn.execute(statement, params![name]),
        }
        .map_err(|e| self.sql_error(e))?;
        if changed == 0 {
            return Err(self.not_found(name));
        }
        Ok(())
    }
}

const USER_COLUMNS: &str =
    "SELECT name, display_name, address, disabled, created, mailbox FROM users";

fn open_connection(path: &Path) -> ServerResult<Connection> {
    let sql = |source| ServerError::Sqlite { path: path.to_owned(), source };
    let conn = Connection::open(path).map_err(sql)?;
    conn.busy_timeout(std::time::Duration::from_secs(10)).map_err(sql)?;
    conn.pragma_update(None, "journal_mode", "WAL").map_err(sql)?;
    // Every acknowledged change to the directory survives a crash.
    conn.pragma_update(None, "synchronous", "FULL").map_err(sql)?;
    Ok(conn)
}

/// A mailbox file with no user row can only be left by an `add` that died between creating
/// the mailbox and committing the row. It is moved aside, never deleted: it might hold mail.
fn set_aside_orphan(path: &Path) -> ServerResult<()> {
    if !path.exists() {
        return Ok(());
    }
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let aside = path.with_extension(format!("mailbox.orphan-{stamp}"));
    tracing::warn!(path = %path.display(), aside = %aside.display(), "mailbox without a user set aside");
    fs::rename(path, &aside).map_err(|source| ServerError::Io { path: path.to_owned(), source })
}
