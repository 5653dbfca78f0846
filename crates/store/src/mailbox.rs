//! The mailbox: opening and creating the file, and the message store object.

use crate::db::{self, Db};
use crate::error::{StoreError, StoreResult};
use crate::folder::FolderHandle;
use crate::ids::{IdContext, ObjectRef};
use crate::message::MessageHandle;
use crate::{codec, schema, sql, standard, tags};
use mapi::provider::{
    Folder, MessageStore, OpenedEntry, PropertyObject, ReceiveFolder, SpecialFolder,
};
use mapi::{
    ErrorCode, Guid, MapiError, MapiResult, NamedId, NamedProperty, PropTag, PropValue, TaggedValue,
};
use rusqlite::{OptionalExtension, params};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What a mailbox handle shares with every folder, message and table it opens.
#[derive(Debug)]
pub struct Shared {
    pub db: Db,
    pub ids: IdContext,
    pub root: i64,
}

/// Settings of a new mailbox.
#[derive(Debug, Clone, Default)]
pub struct CreateOptions {
    /// `PidTagDisplayName` of the store ("Mailbox - Owner" by default).
    pub display_name: Option<String>,
    /// The owner's SMTP address (`PidTagMailboxOwnerName` gets the display name's owner part).
    pub owner_address: Option<String>,
    pub owner_name: Option<String>,
}

/// An embedded mailbox: one SQLite file. Cloning gives another handle to the same open store.
#[derive(Debug, Clone)]
pub struct Mailbox {
    shared: Arc<Shared>,
}

impl Mailbox {
    /// Creates a new mailbox with the standard folders of MS-OXOSFLD at `path`, which must not
    /// exist. The file appears complete or not at all: it is built beside `path` and renamed.
    pub fn create(path: &Path, options: &CreateOptions) -> StoreResult<Mailbox> {
        if path.exists() {
            return Err(StoreError::AlreadyExists { path: path.to_owned() });
        }
        let io = |source| StoreError::Io { path: path.to_owned(), source };
        let file_name =
            path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let building = path.with_file_name(format!(".{file_name}.creating-{}", std::process::id()));
        let _ = std::fs::remove_file(&building);
        let result = (|| -> StoreResult<()> {
            let mut conn = rusqlite::Connection::open(&building)
                .map_err(|source| StoreError::Sqlite { path: building.clone(), source })?;
            conn.pragma_update(None, "foreign_keys", true)?;
            conn.pragma_update(None, "page_size", schema::PAGE_SIZE)?;
            conn.pragma_update(None, "application_id", schema::APPLICATION_ID)?;
            let tx = conn.transaction()?;
            tx.execute_batch(schema::SCHEMA)?;
            tx.pragma_update(None, "user_version", schema::SCHEMA_VERSION)?;
            let mailbox = Guid::new_random();
            let database = Guid::new_random();
            tx.execute(
                "INSERT INTO meta (key, value) VALUES ('mailbox_guid', ?1), ('database_guid', ?2), \
                 ('next_id', ?3), ('created_by', ?4)",
                params![
                    mailbox.to_le_bytes().to_vec(),
                    database.to_le_bytes().to_vec(),
                    schema::FIRST_COUNTER_VALUE,
                    concat!("outpost ", env!("CARGO_PKG_VERSION")),
                ],
            )?;
            standard::create_standard_folders(&tx, IdContext { mailbox, database }, options)?;
            tx.commit()?;
            conn.pragma_update(None, "journal_mode", "WAL")?;
            conn.close()
                .map_err(|(_, source)| StoreError::Sqlite { path: building.clone(), source })?;
            Ok(())
        })();
        if let Err(err) = result {
            let _ = std::fs::remove_file(&building);
            return Err(err);
        }
        std::fs::rename(&building, path).map_err(io)?;
        Mailbox::open(path)
    }

    /// Opens a mailbox for reading and writing, or read-only if the file is read-only.
    pub fn open(path: &Path) -> StoreResult<Mailbox> {
        let read_only = std::fs::metadata(path)
            .map_err(|source| StoreError::Io { path: path.to_owned(), source })?
            .permissions()
            .readonly();
        Mailbox::open_with(path, read_only)
    }

    /// Opens a mailbox that nothing through this handle can change.
    pub fn open_read_only(path: &Path) -> StoreResult<Mailbox> {
        std::fs::metadata(path)
            .map_err(|source| StoreError::Io { path: path.to_owned(), source })?;
        Mailbox::open_with(path, true)
    }

    fn open_with(path: &Path, read_only: bool) -> StoreResult<Mailbox> {
        let path = path.to_path_buf();
        // Look before touching: a read-only connection answers whether this is a mailbox we
        // understand, so a foreign or newer file is never written to.
        let probe = db::connect(&path, true)?;
        let version = db::inspect(&probe, &path)?;
        drop(probe);
        if read_only && version < schema::SCHEMA_VERSION {
            return Err(StoreError::NeedsUpgrade {
                path,
                found: version,
                current: schema::SCHEMA_VERSION,
            });
        }
        let writer = if read_only {
            None
        } else {
            let mut conn = db::connect(&path, false)?;
            conn.pragma_update(None, "journal_mode", "WAL")
                .map_err(|source| StoreError::Sqlite { path: path.clone(), source })?;
            if version < schema::SCHEMA_VERSION {
                let tx = conn.transaction()?;
                schema::upgrade(&tx, version)?;
                tx.pragma_update(None, "user_version", schema::SCHEMA_VERSION)?;
                tx.commit()?;
            }
            Some(conn)
        };
        let db = Db::new(path.clone(), read_only, writer);
        let (ids, root) = db.read(|conn| read_identity(conn, &path))?;
        Ok(Mailbox { shared: Arc::new(Shared { db, ids, root }) })
    }

    pub fn path(&self) -> &Path {
        self.shared.db.path()
    }

    /// The mailbox GUID: the provider UID of every entry ID.
    pub fn mailbox_guid(&self) -> Guid {
        self.shared.ids.mailbox
    }

    pub fn is_read_only(&self) -> bool {
        self.shared.db.is_read_only()
    }

    /// Saves many new messages into one folder in a single transaction (one fsync), for
    /// importers and bulk loads; each message is its properties only. Returns the entry IDs in
    /// order. All or nothing: on error no message of the batch exists.
    pub fn insert_messages(
        &self,
        folder: &[u8],
        messages: &[Vec<TaggedValue>],
        associated: bool,
    ) -> StoreResult<Vec<Vec<u8>>> {
        self.shared.check_writable()?;
        let folder = self.shared.folder_id(folder)?;
        if let Some(bad) = messages.iter().flatten().find(|v| tags::is_computed(v.tag)) {
            return Err(MapiError::new(
                ErrorCode::Computed,
                format!("property {} is computed by the store", bad.tag),
            )
            .into());
        }
        if let Some(bad) =
            messages.iter().flatten().find(|v| v.tag.prop_type() != Some(v.value.prop_type()))
        {
            return Err(MapiError::invalid_parameter(format!(
                "property {} is given a {} value",
                bad.tag,
                bad.value.prop_type()
            ))
            .into());
        }
        let ids = self.shared.ids;
        self.shared.db.write(|tx| {
            // The row gets its sort columns as it is inserted: the delivery time is the value
            // the properties will hold (the last one given with that exact tag), the size that
            // of the values given, as `refresh_sort_columns` would set them.
            let mut insert = tx.prepare_cached(
                "INSERT INTO messages (id, folder_id, associated, delivery_time, size) \
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            let mut out = Vec::with_capacity(messages.len());
            for props in messages {
                let id = sql::next_id(tx)?;
                let delivery_time = (0..props.len())
                    .rev()
                    .find(|&i| props[i].tag.id() == tags::MESSAGE_DELIVERY_TIME.id())
                    .filter(|&i| props[i].tag == tags::MESSAGE_DELIVERY_TIME)
                    .map(|i| codec::to_sql(&props[i].value));
                let size: usize = props.iter().map(|v| v.value.byte_size()).sum();
                let size = i64::try_from(size).unwrap_or(i64::MAX);
                insert.execute(params![id, folder, associated, delivery_time, size])?;
                sql::write_new_props(tx, id, props)?;
                out.push(ids.message_entry_id(folder, id));
            }
            Ok(out)
        })
    }

    /// Summary for `outpost mailbox info`.
    pub fn info(&self) -> StoreResult<MailboxInfo> {
        let display_name =
            self.get_prop(tags::DISPLAY_NAME)?.and_then(|v| v.as_str().map(str::to_owned));
        let shared = &self.shared;
        shared.db.read(|conn| {
            let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
            let folder_count: i64 =
                conn.query_row("SELECT COUNT(*) FROM folders", [], |r| r.get(0))?;
            let message_count: i64 = conn.query_row(
                "SELECT COUNT(*) FROM messages WHERE folder_id IS NOT NULL",
                [],
                |r| r.get(0),
            )?;
            let owner_address: Option<String> = conn
                .query_row("SELECT value FROM meta WHERE key = 'owner_address'", [], |r| r.get(0))
                .optional()?;
            let mut folders = Vec::new();
            collect_folders(conn, shared, shared.root, "", 0, &mut folders)?;
            Ok(MailboxInfo {
                path: shared.db.path().to_path_buf(),
                display_name: display_name.unwrap_or_default(),
                owner_address,
                mailbox_guid: shared.ids.mailbox.to_string(),
                schema_version: version,
                file_read_only: std::fs::metadata(shared.db.path())
                    .map(|m| m.permissions().readonly())
                    .unwrap_or(true),
                folder_count,
                message_count,
                folders,
            })
        })
    }
}

fn collect_folders(
    conn: &rusqlite::Connection,
    shared: &Shared,
    id: i64,
    parent_path: &str,
    depth: u32,
    out: &mut Vec<FolderInfo>,
) -> StoreResult<()> {
    if depth > 1000 {
        return Err(StoreError::Damaged {
            path: shared.db.path().to_owned(),
            reason: format!("folder {id} is nested more than 1000 deep (a parent cycle?)"),
        });
    }
    let name = sql::display_name(conn, id)?.unwrap_or_default();
    let path = if depth == 0 { String::new() } else { format!("{parent_path}\\{name}") };
    let class = sql::load_props(conn, id)?
        .into_iter()
        .find(|v| v.tag.id() == tags::CONTAINER_CLASS.id())
        .and_then(|v| v.value.as_str().map(str::to_owned));
    let (messages, unread, associated, _) = sql::folder_counts(conn, id)?;
    let special: Option<String> = conn
        .query_row("SELECT kind FROM special_folders WHERE folder_id = ?1", [id], |r| r.get(0))
        .optional()?;
    out.push(FolderInfo {
        path: if depth == 0 { "\\".into() } else { path.clone() },
        entry_id: mapi::hex::encode(&shared.ids.folder_entry_id(id)),
        container_class: class,
        special,
        messages,
        unread,
        associated,
        depth,
    });
    for child in sql::child_folders(conn, id)? {
        collect_folders(conn, shared, child, &path, depth + 1, out)?;
    }
    Ok(())
}

/// What `outpost mailbox info` shows.
#[derive(Debug, Clone, serde::Serialize)]
pub struct MailboxInfo {
    pub path: PathBuf,
    pub display_name: String,
    pub owner_address: Option<String>,
    pub mailbox_guid: String,
    pub schema_version: i64,
    /// The file itself is read-only (it opens read-only).
    pub file_read_only: bool,
    pub folder_count: i64,
    pub message_count: i64,
    pub folders: Vec<FolderInfo>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct FolderInfo {
    /// `\Top of Information Store\Inbox`; the root is `\`.
    pub path: String,
    pub entry_id: String,
    pub container_class: Option<String>,
    /// The special folder it is (`Inbox`, `Calendar`, ...).
    pub special: Option<String>,
    pub messages: i64,
    pub unread: i64,
    pub associated: i64,
    pub depth: u32,
}

fn read_identity(conn: &rusqlite::Connection, path: &Path) -> StoreResult<(IdContext, i64)> {
    let damaged =
        |reason: &str| StoreError::Damaged { path: path.to_owned(), reason: reason.to_owned() };
    let guid = |key: &str| -> StoreResult<Guid> {
        let bytes =
            sql::meta_blob(conn, key)?.ok_or_else(|| damaged(&format!("meta has no {key}")))?;
        let bytes: [u8; 16] =
            bytes.try_into().map_err(|_| damaged(&format!("meta {key} is not 16 bytes")))?;
        Ok(Guid::from_le_bytes(bytes))
    };
    let ids = IdContext { mailbox: guid("mailbox_guid")?, database: guid("database_guid")? };
    let root: i64 = conn
        .query_row("SELECT id FROM folders WHERE parent_id IS NULL ORDER BY id LIMIT 1", [], |r| {
            r.get(0)
        })
        .optional()?
        .ok_or_else(|| damaged("there is no root folder"))?;
    Ok((ids, root))
}

impl Shared {
    pub(crate) fn check_writable(&self) -> MapiResult<()> {
        if self.db.is_read_only() {
            return Err(MapiError::no_access(format!(
                "{}: the mailbox is open read-only",
                self.db.path().display()
            )));
        }
        Ok(())
    }

    /// Parses an entry ID and checks the folder still exists.
    pub(crate) fn folder_id(&self, entry_id: &[u8]) -> MapiResult<i64> {
        match self.ids.parse(entry_id)? {
            ObjectRef::Folder(id) => {
                let exists = self.db.read(|conn| Ok(sql::folder_parent(conn, id)?.is_some()))?;
                if exists {
                    Ok(id)
                } else {
                    Err(MapiError::not_found(format!("folder {id} does not exist (deleted?)")))
                }
            }
            ObjectRef::Message { .. } => {
                Err(MapiError::invalid_parameter("the entry ID names a message, not a folder"))
            }
        }
    }
}

fn store_computed(shared: &Shared) -> Vec<TaggedValue> {
    let guid = shared.ids.mailbox.to_le_bytes().to_vec();
    vec![
        TaggedValue { tag: tags::OBJECT_TYPE, value: PropValue::Integer32(tags::MAPI_STORE) },
        TaggedValue { tag: tags::RECORD_KEY, value: PropValue::Binary(guid.clone()) },
        TaggedValue { tag: tags::STORE_RECORD_KEY, value: PropValue::Binary(guid) },
    ]
}

impl PropertyObject for Mailbox {
    fn get_props(&self, tags: &[PropTag]) -> MapiResult<Vec<TaggedValue>> {
        Ok(crate::message::answer(&self.get_all_props()?, tags))
    }

    fn get_all_props(&self) -> MapiResult<Vec<TaggedValue>> {
        let mut all = self.shared.db.read(|conn| sql::load_props(conn, schema::STORE_OBJECT_ID))?;
        all.extend(store_computed(&self.shared));
        Ok(all)
    }

    fn set_props(&self, values: &[TaggedValue]) -> MapiResult<()> {
        self.shared.check_writable()?;
        if let Some(v) = values.iter().find(|v| tags::is_computed(v.tag)) {
            return Err(MapiError::new(
                ErrorCode::Computed,
                format!("property {} is computed", v.tag),
            ));
        }
        Ok(self.shared.db.write(|tx| sql::write_props(tx, schema::STORE_OBJECT_ID, values))?)
    }

    fn delete_props(&self, tags: &[PropTag]) -> MapiResult<()> {
        self.shared.check_writable()?;
        Ok(self.shared.db.write(|tx| sql::delete_props(tx, schema::STORE_OBJECT_ID, tags))?)
    }
}

fn class_matches(registered: &str, asked: &str) -> bool {
    // A registered class receives itself and its subclasses ("IPM" receives "IPM.Note").
    registered.is_empty()
        || asked.eq_ignore_ascii_case(registered)
        || (asked.len() > registered.len()
            && asked.as_bytes()[registered.len()] == b'.'
            && asked[..registered.len()].eq_ignore_ascii_case(registered))
}

impl MessageStore for Mailbox {
    fn provider_uid(&self) -> Guid {
        self.shared.ids.mailbox
    }

    fn is_writable(&self) -> bool {
        !self.shared.db.is_read_only()
    }

    fn root_folder(&self) -> MapiResult<Box<dyn Folder>> {
        Ok(Box::new(FolderHandle::new(Arc::clone(&self.shared), self.shared.root)))
    }

    fn open_entry(&self, entry_id: &[u8]) -> MapiResult<OpenedEntry> {
        match self.shared.ids.parse(entry_id)? {
            ObjectRef::Folder(_) => {
                let id = self.shared.folder_id(entry_id)?;
                Ok(OpenedEntry::Folder(Box::new(FolderHandle::new(Arc::clone(&self.shared), id))))
            }
            ObjectRef::Message { folder, message } => Ok(OpenedEntry::Message(Box::new(
                MessageHandle::open(Arc::clone(&self.shared), folder, message)?,
            ))),
        }
    }

    fn compare_entry_ids(&self, a: &[u8], b: &[u8]) -> MapiResult<bool> {
        Ok(self.shared.ids.parse(a)? == self.shared.ids.parse(b)?)
    }

    fn get_receive_folder(&self, message_class: &str) -> MapiResult<ReceiveFolder> {
        let table = self.receive_folder_table()?;
        table
            .into_iter()
            .filter(|(class, _)| class_matches(class, message_class))
            .max_by_key(|(class, _)| class.len())
            .map(|(explicit_class, entry_id)| ReceiveFolder { entry_id, explicit_class })
            .ok_or_else(|| {
                MapiError::not_found(format!("no receive folder for class {message_class:?}"))
            })
    }

    fn set_receive_folder(&self, message_class: &str, entry_id: Option<&[u8]>) -> MapiResult<()> {
        self.shared.check_writable()?;
        let folder = entry_id.map(|id| self.shared.folder_id(id)).transpose()?;
        Ok(self.shared.db.write(|tx| {
            match folder {
                Some(folder) => tx.execute(
                    "INSERT OR REPLACE INTO receive_folders (message_class, folder_id) VALUES (?1, ?2)",
                    params![message_class, folder],
                )?,
                None => tx.execute(
                    "DELETE FROM receive_folders WHERE message_class = ?1",
                    [message_class],
                )?,
            };
            Ok(())
        })?)
    }

    fn receive_folder_table(&self) -> MapiResult<Vec<(String, Vec<u8>)>> {
        let ids = self.shared.ids;
        Ok(self.shared.db.read(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT message_class, folder_id FROM receive_folders ORDER BY message_class",
            )?;
            let rows = stmt
                .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(rows
                .into_iter()
                .map(|(class, folder)| (class, ids.folder_entry_id(folder)))
                .collect())
        })?)
    }

    fn get_ids_from_names(
        &self,
        names: &[NamedProperty],
        create: bool,
    ) -> MapiResult<Vec<Option<u16>>> {
        let lookup = |conn: &rusqlite::Connection,
                      name: &NamedProperty|
         -> StoreResult<Option<u16>> {
            let (kind, lid, text) = named_key(name);
            let id: Option<i64> = conn
                .prepare_cached(
                    "SELECT prop_id FROM named_properties WHERE guid = ?1 AND kind = ?2 AND lid = ?3 AND name = ?4",
                )?
                .query_row(params![name.set.to_le_bytes().to_vec(), kind, lid, text], |r| r.get(0))
                .optional()?;
            Ok(id.and_then(|id| u16::try_from(id).ok()))
        };
        let found = self
            .shared
            .db
            .read(|conn| names.iter().map(|n| lookup(conn, n)).collect::<StoreResult<Vec<_>>>())?;
        if !create || found.iter().all(Option::is_some) {
            return Ok(found);
        }
        self.shared.check_writable()?;
        Ok(self.shared.db.write(|tx| {
            let mut out = Vec::with_capacity(names.len());
            for name in names {
                if let Some(id) = lookup(tx, name)? {
                    out.push(Some(id));
                    continue;
                }
                let next: i64 = tx.query_row(
                    "SELECT COALESCE(MAX(prop_id) + 1, 32768) FROM named_properties",
                    [],
                    |r| r.get(0),
                )?;
                if next > 0xFFFE {
                    return Err(MapiError::new(
                        ErrorCode::NamedPropQuotaExceeded,
                        "every named-property ID (0x8000-0xFFFE) is in use",
                    )
                    .into());
                }
                let (kind, lid, text) = named_key(name);
                tx.execute(
                    "INSERT INTO named_properties (prop_id, guid, kind, lid, name) VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![next, name.set.to_le_bytes().to_vec(), kind, lid, text],
                )?;
                out.push(u16::try_from(next).ok());
            }
            Ok(out)
        })?)
    }

    fn get_names_from_ids(&self, ids: &[u16]) -> MapiResult<Vec<Option<NamedProperty>>> {
        Ok(self.shared.db.read(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT guid, kind, lid, name FROM named_properties WHERE prop_id = ?1",
            )?;
            let mut out = Vec::with_capacity(ids.len());
            for &id in ids {
                let row = stmt
                    .query_row([i64::from(id)], |r| {
                        Ok((
                            r.get::<_, Vec<u8>>(0)?,
                            r.get::<_, i64>(1)?,
                            r.get::<_, i64>(2)?,
                            r.get::<_, String>(3)?,
                        ))
                    })
                    .optional()?;
                out.push(match row {
                    Some((guid, kind, lid, name)) => {
                        let guid: [u8; 16] = guid.try_into().map_err(|_| StoreError::Damaged {
                            path: self.shared.db.path().to_owned(),
                            reason: format!(
                                "named property 0x{id:04X} has a GUID that is not 16 bytes"
                            ),
                        })?;
                        let set = Guid::from_le_bytes(guid);
                        Some(if kind == 0 {
                            NamedProperty::lid(set, u32::try_from(lid).unwrap_or(0))
                        } else {
                            NamedProperty::name(set, name)
                        })
                    }
                    None => None,
                });
            }
            Ok(out)
        })?)
    }

    fn special_folder_entry_id(&self, which: SpecialFolder) -> MapiResult<Vec<u8>> {
        let ids = self.shared.ids;
        let key = standard::special_key(which);
        let found: Option<i64> = self.shared.db.read(|conn| {
            Ok(conn
                .query_row("SELECT folder_id FROM special_folders WHERE kind = ?1", [key], |r| {
                    r.get(0)
                })
                .optional()?)
        })?;
        found.map(|id| ids.folder_entry_id(id)).ok_or_else(|| {
            MapiError::not_found(format!("the mailbox has no {} folder", which.english_name()))
        })
    }
}

fn named_key(name: &NamedProperty) -> (i64, i64, String) {
    match &name.id {
        NamedId::Lid(lid) => (0, i64::from(*lid), String::new()),
        NamedId::Name(text) => (1, 0, text.clone()),
    }
}
