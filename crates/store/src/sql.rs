//! Row-level helpers shared by the store objects: properties of any object, the global counter,
//! and computed folder values.

use crate::codec;
use crate::error::{StoreError, StoreResult};
use crate::tags;
use mapi::{PropTag, PropValue, TaggedValue};
use rusqlite::{Connection, OptionalExtension, params};

/// Every stored property of an object, in tag order. Sorted here, not by an `ORDER BY tag`:
/// SQLite re-prepares a statement of that shape on every bind, which costs more than the read.
pub fn load_props(conn: &Connection, object_id: i64) -> StoreResult<Vec<TaggedValue>> {
    let mut stmt = conn.prepare_cached("SELECT tag, value FROM properties WHERE object_id = ?1")?;
    let mut rows = stmt.query([object_id])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let tag = PropTag(u32::try_from(row.get::<_, i64>(0)?).unwrap_or(0));
        let value = codec::from_sql(tag, row.get_ref(1)?)?;
        out.push(TaggedValue { tag, value });
    }
    // The primary-key index hands them over in tag order already, so this is one pass.
    out.sort_by_key(|v| v.tag.0);
    Ok(out)
}

/// Stores properties of an object; a value replaces any value with the same property ID.
pub fn write_props(conn: &Connection, object_id: i64, values: &[TaggedValue]) -> StoreResult<()> {
    let mut delete = conn.prepare_cached(
        "DELETE FROM properties WHERE object_id = ?1 AND (tag >> 16) = ?2 AND tag <> ?3",
    )?;
    let mut insert = conn.prepare_cached(
        "INSERT OR REPLACE INTO properties (object_id, tag, value) VALUES (?1, ?2, ?3)",
    )?;
    for value in values {
        let tag = i64::from(value.tag.0);
        delete.execute(params![object_id, i64::from(value.tag.id()), tag])?;
        insert.execute(params![object_id, tag, codec::to_sql(&value.value)])?;
    }
    Ok(())
}

/// Stores the properties of an object that has none yet (a new message, recipient or
/// attachment, or one just cleared): as [`write_props`] would, a later value replaces an earlier
/// one with the same property ID, but without a delete per value, which a bulk insert would
/// pay for every property of every message.
pub fn write_new_props(
    conn: &Connection,
    object_id: i64,
    values: &[TaggedValue],
) -> StoreResult<()> {
    let mut insert = conn.prepare_cached(
        "INSERT OR REPLACE INTO properties (object_id, tag, value) VALUES (?1, ?2, ?3)",
    )?;
    for (i, value) in values.iter().enumerate() {
        let replaced_later = values[i + 1..].iter().any(|later| later.tag.id() == value.tag.id());
        if !replaced_later {
            insert.execute(params![
                object_id,
                i64::from(value.tag.0),
                codec::to_sql(&value.value)
            ])?;
        }
    }
    Ok(())
}

/// Property rows of new objects (no stored properties yet) waiting to be inserted, several rows
/// per `INSERT`: a bulk save spends less on stepping statements than one row per statement
/// does, and binds the values where they lie instead of copying them. The caller gives each
/// object's values at most once per property ID (a [`crate::message::PropMap`] does).
#[derive(Default)]
pub struct NewPropertyRows<'v> {
    rows: Vec<(i64, i64, &'v PropValue)>,
}

/// Rows per multi-row `INSERT` (3 parameters each, far below SQLite's parameter limit).
const ROWS_PER_INSERT: usize = 32;

impl<'v> NewPropertyRows<'v> {
    pub fn push(&mut self, object_id: i64, values: impl IntoIterator<Item = &'v TaggedValue>) {
        self.rows.extend(values.into_iter().map(|v| (object_id, i64::from(v.tag.0), &v.value)));
    }

    /// Inserts every row held, keeping their order.
    pub fn flush(&mut self, conn: &Connection) -> StoreResult<()> {
        if self.is_empty() {
            return Ok(());
        }
        const ONE: &str =
            "INSERT OR REPLACE INTO properties (object_id, tag, value) VALUES (?, ?, ?)";
        let mut chunks = self.rows.chunks_exact(ROWS_PER_INSERT);
        if chunks.len() > 0 {
            let sql = format!("{ONE}{}", ", (?, ?, ?)".repeat(ROWS_PER_INSERT - 1));
            let mut many = conn.prepare_cached(&sql)?;
            for chunk in &mut chunks {
                bind_rows(&mut many, chunk)?;
                many.raw_execute()?;
            }
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut one = conn.prepare_cached(ONE)?;
            for row in rest {
                bind_rows(&mut one, std::slice::from_ref(row))?;
                one.raw_execute()?;
            }
        }
        self.rows.clear();
        Ok(())
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

fn bind_rows(
    stmt: &mut rusqlite::Statement<'_>,
    rows: &[(i64, i64, &PropValue)],
) -> StoreResult<()> {
    for (i, (object_id, tag, value)) in rows.iter().enumerate() {
        stmt.raw_bind_parameter(3 * i + 1, object_id)?;
        stmt.raw_bind_parameter(3 * i + 2, tag)?;
        stmt.raw_bind_parameter(3 * i + 3, codec::to_sql_ref(value))?;
    }
    Ok(())
}

/// Deletes properties of an object by ID, whatever their type.
pub fn delete_props(conn: &Connection, object_id: i64, tags: &[PropTag]) -> StoreResult<()> {
    let mut delete =
        conn.prepare_cached("DELETE FROM properties WHERE object_id = ?1 AND (tag >> 16) = ?2")?;
    for tag in tags {
        delete.execute(params![object_id, i64::from(tag.id())])?;
    }
    Ok(())
}

/// Takes the next value of the global counter (never reused, MS-OXCDATA 2.2.1.3.1).
pub fn next_id(conn: &Connection) -> StoreResult<i64> {
    let id: i64 = conn
        .prepare_cached(
            "UPDATE meta SET value = value + 1 WHERE key = 'next_id' RETURNING value - 1",
        )?
        .query_row([], |r| r.get(0))?;
    Ok(id)
}

/// Takes `count` consecutive values of the global counter at once; the first of them.
pub fn reserve_ids(conn: &Connection, count: i64) -> StoreResult<i64> {
    let first: i64 = conn
        .prepare_cached(
            "UPDATE meta SET value = value + ?1 WHERE key = 'next_id' RETURNING value - ?1",
        )?
        .query_row([count], |r| r.get(0))?;
    Ok(first)
}

pub fn meta_blob(conn: &Connection, key: &str) -> StoreResult<Option<Vec<u8>>> {
    Ok(conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get::<_, Vec<u8>>(0))
        .optional()?)
}

/// The parent of a folder (`None` for the root), or an error if the folder does not exist.
pub fn folder_parent(conn: &Connection, folder: i64) -> StoreResult<Option<Option<i64>>> {
    Ok(conn
        .query_row("SELECT parent_id FROM folders WHERE id = ?1", [folder], |r| r.get(0))
        .optional()?)
}

/// The folder and FAI flag of a top-level message, `None` if it does not exist.
pub fn message_home(conn: &Connection, message: i64) -> StoreResult<Option<(i64, bool)>> {
    Ok(conn
        .prepare_cached(
            "SELECT folder_id, associated FROM messages WHERE id = ?1 AND folder_id IS NOT NULL",
        )?
        .query_row([message], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// Counts of a folder: (normal messages, unread normal messages, FAI messages, subfolders).
pub fn folder_counts(conn: &Connection, folder: i64) -> StoreResult<(i64, i64, i64, i64)> {
    let mut stmt = conn.prepare_cached(
        "SELECT
            (SELECT COUNT(*) FROM messages WHERE folder_id = ?1 AND associated = 0),
            (SELECT COUNT(*) FROM messages m WHERE m.folder_id = ?1 AND m.associated = 0
                AND NOT EXISTS (SELECT 1 FROM properties p WHERE p.object_id = m.id
                    AND p.tag = ?2 AND (p.value & ?3) <> 0)),
            (SELECT COUNT(*) FROM messages WHERE folder_id = ?1 AND associated = 1),
            (SELECT COUNT(*) FROM folders WHERE parent_id = ?1)",
    )?;
    Ok(stmt.query_row(
        params![folder, i64::from(tags::MESSAGE_FLAGS.0), i64::from(tags::MSGFLAG_READ)],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?)
}

/// Child folders of a folder, in creation order.
pub fn child_folders(conn: &Connection, folder: i64) -> StoreResult<Vec<i64>> {
    let mut stmt =
        conn.prepare_cached("SELECT id FROM folders WHERE parent_id = ?1 ORDER BY id")?;
    let ids = stmt.query_map([folder], |r| r.get(0))?.collect::<Result<Vec<i64>, _>>()?;
    Ok(ids)
}

/// The display name of an object, if it has one.
pub fn display_name(conn: &Connection, object_id: i64) -> StoreResult<Option<String>> {
    let value: Option<String> = conn
        .query_row(
            "SELECT value FROM properties WHERE object_id = ?1 AND (tag >> 16) = ?2",
            params![object_id, i64::from(tags::DISPLAY_NAME.id())],
            |r| r.get(0),
        )
        .optional()?;
    Ok(value)
}

/// The child of `parent` whose display name equals `name` (case-insensitively, as MAPI compares
/// folder names).
pub fn child_named(conn: &Connection, parent: i64, name: &str) -> StoreResult<Option<i64>> {
    for child in child_folders(conn, parent)? {
        if display_name(conn, child)?.is_some_and(|n| n.to_lowercase() == name.to_lowercase()) {
            return Ok(Some(child));
        }
    }
    Ok(None)
}

/// True if `candidate` is `folder` or lies under it.
pub fn is_in_subtree(conn: &Connection, folder: i64, candidate: i64) -> StoreResult<bool> {
    let mut current = Some(candidate);
    let mut steps = 0;
    while let Some(id) = current {
        if id == folder {
            return Ok(true);
        }
        steps += 1;
        if steps > 10_000 {
            return Err(StoreError::Damaged {
                path: Default::default(),
                reason: format!("folder {candidate} has a parent cycle"),
            });
        }
        current = folder_parent(conn, id)?.flatten();
    }
    Ok(false)
}

/// Copies the indexed sort column of a top-level message from its properties and records its
/// size.
pub fn refresh_sort_columns(conn: &Connection, message: i64, size: i64) -> StoreResult<()> {
    conn.prepare_cached(
        "UPDATE messages SET delivery_time = \
         (SELECT value FROM properties WHERE object_id = ?1 AND tag = ?2), size = ?3 WHERE id = ?1",
    )?
    .execute(params![message, i64::from(tags::MESSAGE_DELIVERY_TIME.0), size])?;
    Ok(())
}
