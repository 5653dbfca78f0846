//! Folders. Every operation is one transaction, committed when it returns.

use crate::contents::ContentsTable;
use crate::error::StoreResult;
use crate::ids::ObjectRef;
use crate::mailbox::Shared;
use crate::message::{MessageHandle, clear_message, load_message, write_message};
use crate::{sql, tags};
use mapi::provider::{
    DeleteFolderFlags, Folder, FolderKind, MemoryTable, Message, PropertyObject, SearchCriteria,
    Table,
};
use mapi::{ErrorCode, MapiError, MapiResult, PropTag, PropValue, TaggedValue};
use rusqlite::{Connection, OptionalExtension, params};
use std::sync::Arc;

#[derive(Debug)]
pub struct FolderHandle {
    shared: Arc<Shared>,
    id: i64,
}

/// Stored and computed properties of a folder, or `MAPI_E_NOT_FOUND` if it was deleted.
pub fn folder_props(conn: &Connection, shared: &Shared, id: i64) -> StoreResult<Vec<TaggedValue>> {
    let Some(parent) = sql::folder_parent(conn, id)? else {
        return Err(MapiError::not_found(format!("folder {id} was deleted")).into());
    };
    let kind: i32 = conn.query_row("SELECT kind FROM folders WHERE id = ?1", [id], |r| r.get(0))?;
    let (messages, unread, associated, children) = sql::folder_counts(conn, id)?;
    let entry_id = shared.ids.folder_entry_id(id);
    let mut all = sql::load_props(conn, id)?;
    let int = |v: i64| PropValue::Integer32(i32::try_from(v).unwrap_or(i32::MAX));
    all.extend([
        TaggedValue { tag: tags::ENTRY_ID, value: PropValue::Binary(entry_id.clone()) },
        TaggedValue { tag: tags::RECORD_KEY, value: PropValue::Binary(entry_id.clone()) },
        TaggedValue {
            tag: tags::INSTANCE_KEY,
            value: PropValue::Binary(id.to_le_bytes().to_vec()),
        },
        TaggedValue {
            tag: tags::PARENT_ENTRY_ID,
            value: PropValue::Binary(parent.map_or(entry_id, |p| shared.ids.folder_entry_id(p))),
        },
        TaggedValue { tag: tags::OBJECT_TYPE, value: PropValue::Integer32(tags::MAPI_FOLDER) },
        TaggedValue { tag: tags::FOLDER_TYPE, value: PropValue::Integer32(kind) },
        TaggedValue { tag: tags::CONTENT_COUNT, value: int(messages) },
        TaggedValue { tag: tags::CONTENT_UNREAD_COUNT, value: int(unread) },
        TaggedValue { tag: tags::ASSOCIATED_CONTENT_COUNT, value: int(associated) },
        TaggedValue { tag: tags::SUBFOLDERS, value: PropValue::Boolean(children > 0) },
    ]);
    Ok(all)
}

impl FolderHandle {
    pub fn new(shared: Arc<Shared>, id: i64) -> FolderHandle {
        FolderHandle { shared, id }
    }

    fn message_ids(&self, conn: &Connection, entry_ids: &[Vec<u8>]) -> StoreResult<Vec<i64>> {
        entry_ids
            .iter()
            .map(|entry_id| match self.shared.ids.parse(entry_id)? {
                ObjectRef::Message { folder, message } if folder == self.id => {
                    match sql::message_home(conn, message)? {
                        Some((home, _)) if home == self.id => Ok(message),
                        _ => Err(MapiError::not_found(format!(
                            "message {message} is not in this folder (deleted or moved?)"
                        ))
                        .into()),
                    }
                }
                ObjectRef::Message { .. } => {
                    Err(MapiError::not_found("the entry ID names a message of another folder")
                        .into())
                }
                ObjectRef::Folder(_) => {
                    Err(MapiError::invalid_parameter("the entry ID names a folder, not a message")
                        .into())
                }
            })
            .collect()
    }

    fn child_id(&self, conn: &Connection, entry_id: &[u8]) -> StoreResult<i64> {
        let ObjectRef::Folder(child) = self.shared.ids.parse(entry_id)? else {
            return Err(
                MapiError::invalid_parameter("the entry ID names a message, not a folder").into()
            );
        };
        match sql::folder_parent(conn, child)? {
            Some(Some(parent)) if parent == self.id => Ok(child),
            Some(_) => {
                Err(MapiError::not_found(format!("folder {child} is not a child of this folder"))
                    .into())
            }
            None => {
                Err(MapiError::not_found(format!("folder {child} does not exist (deleted?)"))
                    .into())
            }
        }
    }

    fn destination(&self, conn: &Connection, entry_id: &[u8]) -> StoreResult<i64> {
        let ObjectRef::Folder(dest) = self.shared.ids.parse(entry_id)? else {
            return Err(
                MapiError::invalid_parameter("the destination is a message, not a folder").into()
            );
        };
        if sql::folder_parent(conn, dest)?.is_none() {
            return Err(
                MapiError::not_found(format!("destination folder {dest} does not exist")).into()
            );
        }
        Ok(dest)
    }
}

/// Creates a folder row with its display name, failing on a sibling of the same name.
fn insert_folder(conn: &Connection, parent: i64, name: &str, kind: FolderKind) -> StoreResult<i64> {
    if sql::child_named(conn, parent, name)?.is_some() {
        return Err(MapiError::new(
            ErrorCode::Collision,
            format!("a folder named {name:?} already exists here"),
        )
        .into());
    }
    let id = sql::next_id(conn)?;
    conn.execute(
        "INSERT INTO folders (id, parent_id, kind) VALUES (?1, ?2, ?3)",
        params![id, parent, kind.code()],
    )?;
    sql::write_props(
        conn,
        id,
        &[TaggedValue { tag: tags::DISPLAY_NAME, value: PropValue::String(name.to_owned()) }],
    )?;
    Ok(id)
}

/// Copies one message (with recipients, attachments and embedded messages) into `dest`.
fn copy_message(conn: &Connection, message: i64, dest: i64) -> StoreResult<i64> {
    let associated: bool =
        conn.query_row("SELECT associated FROM messages WHERE id = ?1", [message], |r| r.get(0))?;
    let data = load_message(conn, message)?;
    let id = sql::next_id(conn)?;
    conn.execute(
        "INSERT INTO messages (id, folder_id, associated) VALUES (?1, ?2, ?3)",
        params![id, dest, associated],
    )?;
    write_message(conn, id, &data)?;
    sql::refresh_sort_columns(conn, id, data.size())?;
    Ok(id)
}

/// Copies a folder's properties, messages (normal and FAI) and optionally subtree under
/// `dest_parent`.
fn copy_tree(
    conn: &Connection,
    source: i64,
    dest_parent: i64,
    name: Option<&str>,
    subfolders: bool,
    depth: u32,
) -> StoreResult<i64> {
    if depth > 1000 {
        return Err(
            MapiError::new(ErrorCode::TooComplex, "folder tree deeper than 1000 levels").into()
        );
    }
    let kind: i32 =
        conn.query_row("SELECT kind FROM folders WHERE id = ?1", [source], |r| r.get(0))?;
    let source_name = sql::display_name(conn, source)?.unwrap_or_default();
    let name = name.unwrap_or(&source_name);
    let copy = insert_folder(
        conn,
        dest_parent,
        name,
        FolderKind::from_code(kind).unwrap_or(FolderKind::Generic),
    )?;
    let props: Vec<TaggedValue> = sql::load_props(conn, source)?
        .into_iter()
        .filter(|v| v.tag.id() != tags::DISPLAY_NAME.id())
        .collect();
    sql::write_props(conn, copy, &props)?;
    let messages: Vec<i64> = conn
        .prepare_cached("SELECT id FROM messages WHERE folder_id = ?1 ORDER BY id")?
        .query_map([source], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    for message in messages {
        copy_message(conn, message, copy)?;
    }
    if subfolders {
        for child in sql::child_folders(conn, source)? {
            copy_tree(conn, child, copy, None, true, depth + 1)?;
        }
    }
    Ok(copy)
}

impl PropertyObject for FolderHandle {
    fn get_props(&self, tags: &[PropTag]) -> MapiResult<Vec<TaggedValue>> {
        Ok(crate::message::answer(&self.get_all_props()?, tags))
    }

    fn get_all_props(&self) -> MapiResult<Vec<TaggedValue>> {
        Ok(self.shared.db.read(|conn| folder_props(conn, &self.shared, self.id))?)
    }

    fn set_props(&self, values: &[TaggedValue]) -> MapiResult<()> {
        self.shared.check_writable()?;
        if let Some(v) = values.iter().find(|v| tags::is_computed(v.tag)) {
            return Err(MapiError::new(
                ErrorCode::Computed,
                format!("property {} is computed", v.tag),
            ));
        }
        Ok(self.shared.db.write(|tx| {
            let Some(parent) = sql::folder_parent(tx, self.id)? else {
                return Err(MapiError::not_found("the folder was deleted").into());
            };
            let new_name = values
                .iter()
                .find(|v| v.tag.id() == tags::DISPLAY_NAME.id())
                .and_then(|v| v.value.as_str());
            if let (Some(parent), Some(name)) = (parent, new_name)
                && sql::child_named(tx, parent, name)?.is_some_and(|other| other != self.id)
            {
                return Err(MapiError::new(
                    ErrorCode::Collision,
                    format!("a sibling is already named {name:?}"),
                )
                .into());
            }
            sql::write_props(tx, self.id, values)
        })?)
    }

    fn delete_props(&self, tags: &[PropTag]) -> MapiResult<()> {
        self.shared.check_writable()?;
        Ok(self.shared.db.write(|tx| sql::delete_props(tx, self.id, tags))?)
    }
}

/// The criteria stored on a search folder, `None` if it has none (or is no search folder).
pub fn load_search_criteria(
    conn: &Connection,
    shared: &Shared,
    folder: i64,
) -> StoreResult<Option<SearchCriteria>> {
    let props = sql::load_props(conn, folder)?;
    let find = |tag: PropTag| props.iter().find(|v| v.tag == tag).map(|v| &v.value);
    let Some(PropValue::Binary(encoded)) = find(tags::SEARCH_RESTRICTION) else {
        return Ok(None);
    };
    let restriction =
        mapi::restriction::Restriction::decode(encoded, mapi::restriction::CountWidth::Bits16)
            .map_err(|err| {
                MapiError::new(
                    ErrorCode::CorruptData,
                    format!(
                        "search folder {folder}: its stored restriction does not decode: {err}"
                    ),
                )
            })?;
    let folders = match find(tags::SEARCH_SCOPE) {
        Some(PropValue::MultipleBinary(ids)) => ids.clone(),
        _ => Vec::new(),
    };
    let recursive = matches!(
        find(tags::SEARCH_FLAGS),
        Some(PropValue::Integer32(flags)) if flags & tags::RECURSIVE_SEARCH != 0
    );
    let _ = shared;
    Ok(Some(SearchCriteria { restriction, folders, recursive }))
}

fn folder_kind(conn: &Connection, folder: i64) -> StoreResult<Option<FolderKind>> {
    let kind: Option<i32> = conn
        .query_row("SELECT kind FROM folders WHERE id = ?1", [folder], |r| r.get(0))
        .optional()?;
    Ok(kind.and_then(FolderKind::from_code))
}

impl Folder for FolderHandle {
    fn set_search_criteria(&self, criteria: &SearchCriteria) -> MapiResult<()> {
        self.shared.check_writable()?;
        let encoded = criteria
            .restriction
            .encode(mapi::restriction::CountWidth::Bits16)
            .map_err(MapiError::from)?;
        Ok(self.shared.db.write(|tx| {
            match folder_kind(tx, self.id)? {
                None => return Err(MapiError::not_found("the folder was deleted").into()),
                Some(FolderKind::Search) => {}
                Some(_) => {
                    return Err(MapiError::new(
                        ErrorCode::NoSupport,
                        "only a search folder has search criteria",
                    )
                    .into());
                }
            }
            for entry_id in &criteria.folders {
                let ObjectRef::Folder(scope) = self.shared.ids.parse(entry_id)? else {
                    return Err(MapiError::invalid_parameter(
                        "a search scope entry ID names a message, not a folder",
                    )
                    .into());
                };
                if sql::folder_parent(tx, scope)?.is_none() {
                    return Err(MapiError::not_found(format!(
                        "search scope folder {scope} does not exist"
                    ))
                    .into());
                }
            }
            let flags = if criteria.recursive { tags::RECURSIVE_SEARCH } else { 0 };
            sql::write_props(
                tx,
                self.id,
                &[
                    TaggedValue {
                        tag: tags::SEARCH_RESTRICTION,
                        value: PropValue::Binary(encoded),
                    },
                    TaggedValue {
                        tag: tags::SEARCH_SCOPE,
                        value: PropValue::MultipleBinary(criteria.folders.clone()),
                    },
                    TaggedValue { tag: tags::SEARCH_FLAGS, value: PropValue::Integer32(flags) },
                ],
            )
        })?)
    }

    fn search_criteria(&self) -> MapiResult<SearchCriteria> {
        Ok(self.shared.db.read(|conn| {
            match folder_kind(conn, self.id)? {
                None => return Err(MapiError::not_found("the folder was deleted").into()),
                Some(FolderKind::Search) => {}
                Some(_) => {
                    return Err(MapiError::new(
                        ErrorCode::NoSupport,
                        "only a search folder has search criteria",
                    )
                    .into());
                }
            }
            load_search_criteria(conn, &self.shared, self.id)?.ok_or_else(|| {
                MapiError::new(ErrorCode::NotInitialized, "the search folder has no criteria yet")
                    .into()
            })
        })?)
    }

    fn entry_id(&self) -> Vec<u8> {
        self.shared.ids.folder_entry_id(self.id)
    }

    fn hierarchy_table(&self, depth: bool) -> MapiResult<Box<dyn Table>> {
        let rows = self.shared.db.read(|conn| {
            let mut rows = Vec::new();
            let mut stack: Vec<(i64, i32)> =
                sql::child_folders(conn, self.id)?.into_iter().rev().map(|c| (c, 1)).collect();
            while let Some((folder, level)) = stack.pop() {
                let mut row = folder_props(conn, &self.shared, folder)?;
                row.push(TaggedValue { tag: tags::DEPTH, value: PropValue::Integer32(level - 1) });
                rows.push(row);
                if depth && level < 1000 {
                    stack.extend(
                        sql::child_folders(conn, folder)?.into_iter().rev().map(|c| (c, level + 1)),
                    );
                }
            }
            Ok(rows)
        })?;
        Ok(Box::new(MemoryTable::new(
            rows,
            vec![
                tags::ENTRY_ID,
                tags::DISPLAY_NAME,
                tags::CONTAINER_CLASS,
                tags::CONTENT_COUNT,
                tags::SUBFOLDERS,
                tags::DEPTH,
            ],
        )))
    }

    fn contents_table(&self, associated: bool) -> MapiResult<Box<dyn Table>> {
        Ok(Box::new(ContentsTable::open(Arc::clone(&self.shared), self.id, associated)?))
    }

    fn create_folder(
        &self,
        name: &str,
        kind: FolderKind,
        open_if_exists: bool,
    ) -> MapiResult<Box<dyn Folder>> {
        self.shared.check_writable()?;
        if name.is_empty() {
            return Err(MapiError::invalid_parameter("a folder needs a name"));
        }
        if kind == FolderKind::Root {
            return Err(MapiError::invalid_parameter("a store has one root folder"));
        }
        let id = self.shared.db.write(|tx| {
            if sql::folder_parent(tx, self.id)?.is_none() {
                return Err(MapiError::not_found("the parent folder was deleted").into());
            }
            match sql::child_named(tx, self.id, name)? {
                Some(existing) if open_if_exists => Ok(existing),
                _ => insert_folder(tx, self.id, name, kind),
            }
        })?;
        Ok(Box::new(FolderHandle::new(Arc::clone(&self.shared), id)))
    }

    fn delete_folder(&self, entry_id: &[u8], flags: DeleteFolderFlags) -> MapiResult<()> {
        self.shared.check_writable()?;
        Ok(self.shared.db.write(|tx| {
            let child = self.child_id(tx, entry_id)?;
            let special: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM special_folders WHERE folder_id = ?1)",
                [child],
                |r| r.get(0),
            )?;
            if special {
                return Err(MapiError::no_access("a special folder cannot be deleted").into());
            }
            let (messages, _, associated, children) = sql::folder_counts(tx, child)?;
            if children > 0 && !flags.subfolders {
                return Err(
                    MapiError::new(ErrorCode::HasFolders, "the folder has subfolders").into()
                );
            }
            if messages + associated > 0 && !flags.messages {
                return Err(
                    MapiError::new(ErrorCode::HasMessages, "the folder has messages").into()
                );
            }
            // Foreign keys cascade through subfolders, messages, attachments and embedded
            // messages; triggers remove their properties.
            tx.execute("DELETE FROM folders WHERE id = ?1", [child])?;
            Ok(())
        })?)
    }

    fn copy_folder(
        &self,
        entry_id: &[u8],
        destination: &[u8],
        new_name: Option<&str>,
        subfolders: bool,
    ) -> MapiResult<Vec<u8>> {
        self.shared.check_writable()?;
        let copy = self.shared.db.write(|tx| {
            let child = self.child_id(tx, entry_id)?;
            let dest = self.destination(tx, destination)?;
            if subfolders && sql::is_in_subtree(tx, child, dest)? {
                return Err(MapiError::new(
                    ErrorCode::FolderCycle,
                    "cannot copy a folder into its own subtree",
                )
                .into());
            }
            copy_tree(tx, child, dest, new_name, subfolders, 0)
        })?;
        Ok(self.shared.ids.folder_entry_id(copy))
    }

    fn move_folder(
        &self,
        entry_id: &[u8],
        destination: &[u8],
        new_name: Option<&str>,
    ) -> MapiResult<()> {
        self.shared.check_writable()?;
        Ok(self.shared.db.write(|tx| {
            let child = self.child_id(tx, entry_id)?;
            let dest = self.destination(tx, destination)?;
            if sql::is_in_subtree(tx, child, dest)? {
                return Err(MapiError::new(
                    ErrorCode::FolderCycle,
                    "cannot move a folder into itself or its subtree",
                )
                .into());
            }
            let name = match new_name {
                Some(name) => name.to_owned(),
                None => sql::display_name(tx, child)?.unwrap_or_default(),
            };
            if sql::child_named(tx, dest, &name)?.is_some_and(|other| other != child) {
                return Err(MapiError::new(
                    ErrorCode::Collision,
                    format!("the destination already has a folder named {name:?}"),
                )
                .into());
            }
            tx.execute("UPDATE folders SET parent_id = ?1 WHERE id = ?2", params![dest, child])?;
            if new_name.is_some() {
                sql::write_props(
                    tx,
                    child,
                    &[TaggedValue { tag: tags::DISPLAY_NAME, value: PropValue::String(name) }],
                )?;
            }
            Ok(())
        })?)
    }

    fn create_message(&self, associated: bool) -> MapiResult<Box<dyn Message>> {
        self.shared.check_writable()?;
        Ok(Box::new(MessageHandle::new_in_folder(Arc::clone(&self.shared), self.id, associated)))
    }

    /// One transaction (one fsync) for the whole batch: see [`crate::batch`].
    fn create_messages(
        &self,
        messages: &[mapi::provider::MessageContent],
        associated: bool,
    ) -> MapiResult<Vec<Vec<u8>>> {
        self.shared.check_writable()?;
        crate::batch::create_messages(&self.shared, self.id, messages, associated)
    }

    fn copy_messages(&self, entry_ids: &[Vec<u8>], destination: &[u8]) -> MapiResult<Vec<Vec<u8>>> {
        self.shared.check_writable()?;
        let ids = self.shared.ids;
        Ok(self.shared.db.write(|tx| {
            let dest = self.destination(tx, destination)?;
            let messages = self.message_ids(tx, entry_ids)?;
            messages
                .into_iter()
                .map(|m| copy_message(tx, m, dest).map(|copy| ids.message_entry_id(dest, copy)))
                .collect()
        })?)
    }

    fn move_messages(&self, entry_ids: &[Vec<u8>], destination: &[u8]) -> MapiResult<Vec<Vec<u8>>> {
        self.shared.check_writable()?;
        let ids = self.shared.ids;
        Ok(self.shared.db.write(|tx| {
            let dest = self.destination(tx, destination)?;
            let messages = self.message_ids(tx, entry_ids)?;
            let mut out = Vec::with_capacity(messages.len());
            for message in messages {
                // A moved message gets a new ID (as in Exchange), so its old entry ID stops
                // resolving; content rows follow by ON UPDATE CASCADE, properties by hand.
                let new_id = sql::next_id(tx)?;
                tx.execute(
                    "UPDATE messages SET id = ?1, folder_id = ?2 WHERE id = ?3",
                    params![new_id, dest, message],
                )?;
                tx.execute(
                    "UPDATE properties SET object_id = ?1 WHERE object_id = ?2",
                    params![new_id, message],
                )?;
                out.push(ids.message_entry_id(dest, new_id));
            }
            Ok(out)
        })?)
    }

    fn delete_messages(&self, entry_ids: &[Vec<u8>]) -> MapiResult<()> {
        self.shared.check_writable()?;
        Ok(self.shared.db.write(|tx| {
            for message in self.message_ids(tx, entry_ids)? {
                clear_message(tx, message)?;
                tx.execute("DELETE FROM messages WHERE id = ?1", [message])?;
            }
            Ok(())
        })?)
    }

    fn empty(&self, associated: bool) -> MapiResult<()> {
        self.shared.check_writable()?;
        Ok(self.shared.db.write(|tx| {
            let specials: i64 = tx.query_row(
                "WITH RECURSIVE tree(id) AS (SELECT id FROM folders WHERE parent_id = ?1 \
                 UNION ALL SELECT f.id FROM folders f JOIN tree t ON f.parent_id = t.id) \
                 SELECT COUNT(*) FROM special_folders WHERE folder_id IN (SELECT id FROM tree)",
                [self.id],
                |r| r.get(0),
            )?;
            if specials > 0 {
                return Err(MapiError::no_access(
                    "the folder holds special folders, which cannot be deleted",
                )
                .into());
            }
            tx.execute(
                "DELETE FROM messages WHERE folder_id = ?1 AND (associated = 0 OR ?2)",
                params![self.id, associated],
            )?;
            tx.execute("DELETE FROM folders WHERE parent_id = ?1", [self.id])?;
            Ok(())
        })?)
    }
}
