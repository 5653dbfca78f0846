//! Messages and attachments. A message handle edits an in-memory copy (properties, recipients,
//! attachments with their embedded messages); `save_changes` writes the whole copy in one
//! transaction, so other handles see either the old message or the new one, never a mix.
//! Attachments and embedded messages save into their parent copy, as MAPI nests transactions.

use crate::error::{StoreError, StoreResult};
use crate::mailbox::Shared;
use crate::{codec, sql, tags};
use mapi::provider::{
    self, AttachMethod, Attachment, MemoryTable, Message, PropertyObject, RecipientChange, Table,
};
use mapi::{ErrorCode, FileTime, MapiError, MapiResult, PropTag, PropValue, TaggedValue};
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};

/// Properties keyed by property ID: setting a value replaces one of another type.
pub type PropMap = BTreeMap<u16, TaggedValue>;

#[derive(Debug, Clone, Default)]
pub struct MessageData {
    pub props: PropMap,
    pub recipients: BTreeMap<u32, PropMap>,
    pub attachments: BTreeMap<u32, AttachmentData>,
    /// Attachment numbers handed out by `create_attachment`, saved or not, so that two new
    /// attachments never share a number (MAPI never reuses one within a message).
    pub next_attach: u32,
}

#[derive(Debug, Clone, Default)]
pub struct AttachmentData {
    pub props: PropMap,
    pub embedded: Option<Box<MessageData>>,
}

pub(crate) fn lock<T>(m: &Mutex<T>) -> MapiResult<MutexGuard<'_, T>> {
    m.lock().map_err(|_| MapiError::new(ErrorCode::CallFailed, "a message lock is poisoned"))
}

fn to_map(values: Vec<TaggedValue>) -> PropMap {
    values.into_iter().map(|v| (v.tag.id(), v)).collect()
}

pub(crate) fn set_into(map: &mut PropMap, values: &[TaggedValue]) -> MapiResult<()> {
    for value in values {
        if tags::is_computed(value.tag) {
            return Err(MapiError::new(
                ErrorCode::Computed,
                format!("property {} is computed by the store", value.tag),
            ));
        }
        if value.tag.prop_type() != Some(value.value.prop_type()) {
            return Err(MapiError::invalid_parameter(format!(
                "property {} is given a {} value",
                value.tag,
                value.value.prop_type()
            )));
        }
        map.insert(value.tag.id(), value.clone());
    }
    Ok(())
}

/// `GetProps` over everything an object has: the value of each asked tag, or PT_ERROR.
pub(crate) fn answer(all: &[TaggedValue], tags: &[PropTag]) -> Vec<TaggedValue> {
    tags.iter()
        .map(|&tag| provider::find_value(all, tag).unwrap_or_else(|| provider::missing(tag)))
        .collect()
}

impl MessageData {
    /// `PidTagMessageSize`: the bytes of every value, recipients and attachments included.
    pub fn size(&self) -> i64 {
        let props: usize = self.props.values().map(|v| v.value.byte_size()).sum();
        let recipients: usize =
            self.recipients.values().flat_map(|r| r.values()).map(|v| v.value.byte_size()).sum();
        let attachments: i64 = self
            .attachments
            .values()
            .map(|a| {
                let own: usize = a.props.values().map(|v| v.value.byte_size()).sum();
                i64::try_from(own).unwrap_or(i64::MAX) + a.embedded.as_ref().map_or(0, |m| m.size())
            })
            .sum();
        i64::try_from(props + recipients).unwrap_or(i64::MAX).saturating_add(attachments)
    }

    /// How many objects (recipients, attachments, embedded messages and theirs) a save of this
    /// message creates besides the message itself.
    pub fn child_objects(&self) -> i64 {
        let attachments: i64 = self
            .attachments
            .values()
            .map(|a| 1 + a.embedded.as_ref().map_or(0, |m| 1 + m.child_objects()))
            .sum();
        i64::try_from(self.recipients.len()).unwrap_or(i64::MAX).saturating_add(attachments)
    }

    fn next_row_id(&self) -> u32 {
        self.recipients.keys().next_back().map_or(0, |k| k + 1)
    }

    fn take_attach_num(&mut self) -> u32 {
        let num = self.next_attach.max(self.attachments.keys().next_back().map_or(0, |k| k + 1));
        self.next_attach = num + 1;
        num
    }
}

/// Reads a message (top-level or embedded) with its recipients and attachments.
pub fn load_message(conn: &Connection, id: i64) -> StoreResult<MessageData> {
    let mut data = MessageData { props: to_map(sql::load_props(conn, id)?), ..Default::default() };
    load_children(conn, id, &mut data)?;
    Ok(data)
}

/// Reads a top-level message: its folder, FAI flag and properties in one statement, then its
/// recipients and attachments; `None` if there is no such top-level message. Opening by entry
/// ID runs this, so it keeps the statements few and cached. A `UNION ALL` rather than a join
/// or an `ORDER BY tag`: SQLite re-prepares a statement of either shape every time its
/// parameter is bound (it propagates the bound value into the plan), which cost more than
/// the lookup itself.
fn load_top_level(conn: &Connection, id: i64) -> StoreResult<Option<(i64, bool, MessageData)>> {
    const HOME: i64 = 0;
    let mut stmt = conn.prepare_cached(
        "SELECT 0, folder_id, associated FROM messages WHERE id = ?1 AND folder_id IS NOT NULL \
         UNION ALL SELECT 1, tag, value FROM properties WHERE object_id = ?1",
    )?;
    let mut rows = stmt.query([id])?;
    let mut home = None;
    let mut data = MessageData::default();
    while let Some(row) = rows.next()? {
        if row.get::<_, i64>(0)? == HOME {
            home = Some((row.get::<_, i64>(1)?, row.get::<_, bool>(2)?));
            continue;
        }
        let tag = PropTag(u32::try_from(row.get::<_, i64>(1)?).unwrap_or(0));
        let value = codec::from_sql(tag, row.get_ref(2)?)?;
        insert_in_tag_order(&mut data.props, TaggedValue { tag, value });
    }
    drop(rows);
    let Some((folder, associated)) = home else {
        return Ok(None);
    };
    load_children(conn, id, &mut data)?;
    Ok(Some((folder, associated, data)))
}

/// Keeps, of two stored values with one property ID (which saves never leave), the one with
/// the higher tag, as reading them in tag order into a [`PropMap`] would.
fn insert_in_tag_order(map: &mut PropMap, value: TaggedValue) {
    match map.entry(value.tag.id()) {
        std::collections::btree_map::Entry::Occupied(kept) if kept.get().tag.0 > value.tag.0 => {}
        std::collections::btree_map::Entry::Occupied(mut kept) => {
            kept.insert(value);
        }
        std::collections::btree_map::Entry::Vacant(slot) => {
            slot.insert(value);
        }
    }
}

/// Reads the recipients and attachments (with embedded messages) of a message. One statement
/// lists both; most messages have neither, and then that is all it costs.
fn load_children(conn: &Connection, id: i64, data: &mut MessageData) -> StoreResult<()> {
    const RECIPIENT: i64 = 0;
    let children: Vec<(i64, i64, u32)> = conn
        .prepare_cached(
            "SELECT 0, id, row_id FROM recipients WHERE message_id = ?1 \
             UNION ALL SELECT 1, id, attach_num FROM attachments WHERE message_id = ?1",
        )?
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<_, _>>()?;
    for (kind, child, number) in children {
        if kind == RECIPIENT {
            data.recipients.insert(number, to_map(sql::load_props(conn, child)?));
            continue;
        }
        let embedded_id: Option<i64> = conn
            .prepare_cached("SELECT id FROM messages WHERE parent_attachment = ?1")?
            .query_row([child], |r| r.get(0))
            .optional()?;
        let embedded = match embedded_id {
            Some(eid) => Some(Box::new(load_message(conn, eid)?)),
            None => None,
        };
        data.attachments.insert(
            number,
            AttachmentData { props: to_map(sql::load_props(conn, child)?), embedded },
        );
    }
    Ok(())
}

/// Writes a message's content under an existing `messages` row that holds none (new, or
/// emptied by [`clear_message`]).
pub fn write_message(conn: &Connection, id: i64, data: &MessageData) -> StoreResult<()> {
    let mut ids = IdRange::reserve(conn, data.child_objects())?;
    let mut rows = sql::NewPropertyRows::default();
    write_message_rows(conn, id, data, &mut ids, &mut rows)?;
    rows.flush(conn)
}

/// [`write_message`] with object IDs from `ids` and the property rows left in `rows` for the
/// caller to flush (a batch inserts the rows of many messages together).
pub(crate) fn write_message_rows<'v>(
    conn: &Connection,
    id: i64,
    data: &'v MessageData,
    ids: &mut IdRange,
    rows: &mut sql::NewPropertyRows<'v>,
) -> StoreResult<()> {
    rows.push(id, data.props.values());
    for (row_id, recipient) in &data.recipients {
        let rid = ids.take()?;
        conn.prepare_cached("INSERT INTO recipients (id, message_id, row_id) VALUES (?1, ?2, ?3)")?
            .execute(params![rid, id, row_id])?;
        rows.push(rid, recipient.values());
    }
    for (num, attachment) in &data.attachments {
        let aid = ids.take()?;
        conn.prepare_cached(
            "INSERT INTO attachments (id, message_id, attach_num) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![aid, id, num])?;
        rows.push(aid, attachment.props.values());
        if let Some(embedded) = &attachment.embedded {
            let eid = ids.take()?;
            conn.prepare_cached("INSERT INTO messages (id, parent_attachment) VALUES (?1, ?2)")?
                .execute(params![eid, aid])?;
            write_message_rows(conn, eid, embedded, ids, rows)?;
        }
    }
    Ok(())
}

/// Object IDs taken from the global counter in one step ([`sql::reserve_ids`]) and handed out
/// one by one.
#[derive(Debug)]
pub(crate) struct IdRange {
    next: i64,
    end: i64,
}

impl IdRange {
    pub(crate) fn reserve(conn: &Connection, count: i64) -> StoreResult<IdRange> {
        if count == 0 {
            return Ok(IdRange { next: 0, end: 0 });
        }
        let next = sql::reserve_ids(conn, count)?;
        Ok(IdRange { next, end: next.saturating_add(count) })
    }

    pub(crate) fn take(&mut self) -> StoreResult<i64> {
        if self.next >= self.end {
            return Err(MapiError::new(
                ErrorCode::CallFailed,
                "more objects to save than object IDs reserved for them",
            )
            .into());
        }
        self.next += 1;
        Ok(self.next - 1)
    }
}

/// Removes a message's content (properties, recipients, attachments and their embedded
/// messages), keeping its `messages` row.
pub fn clear_message(conn: &Connection, id: i64) -> StoreResult<()> {
    conn.prepare_cached("DELETE FROM properties WHERE object_id = ?1")?.execute([id])?;
    conn.prepare_cached("DELETE FROM recipients WHERE message_id = ?1")?.execute([id])?;
    conn.prepare_cached("DELETE FROM attachments WHERE message_id = ?1")?.execute([id])?;
    Ok(())
}

/// Where a message handle commits to.
#[derive(Debug)]
enum Owner {
    /// A top-level message of a folder; `id` is `None` until the first save.
    Folder { folder: i64, associated: bool, id: Mutex<Option<i64>> },
    /// An embedded message: commits into its attachment's copy.
    Attachment(Arc<Mutex<AttachmentData>>),
}

#[derive(Debug)]
pub struct MessageHandle {
    shared: Arc<Shared>,
    owner: Owner,
    data: Arc<Mutex<MessageData>>,
}

impl MessageHandle {
    pub(crate) fn new_in_folder(shared: Arc<Shared>, folder: i64, associated: bool) -> Self {
        let mut data = MessageData::default();
        let flags = tags::MSGFLAG_UNSENT | if associated { tags::MSGFLAG_ASSOCIATED } else { 0 };
        data.props.insert(
            tags::MESSAGE_FLAGS.id(),
            TaggedValue { tag: tags::MESSAGE_FLAGS, value: PropValue::Integer32(flags) },
        );
        MessageHandle {
            shared,
            owner: Owner::Folder { folder, associated, id: Mutex::new(None) },
            data: Arc::new(Mutex::new(data)),
        }
    }

    pub(crate) fn open(shared: Arc<Shared>, folder: i64, id: i64) -> StoreResult<Self> {
        let (data, associated) = shared.db.read(|conn| {
            let Some((home, associated, data)) = load_top_level(conn, id)? else {
                return Err(MapiError::not_found(format!("message {id} does not exist")).into());
            };
            if home != folder {
                return Err(MapiError::not_found(format!(
                    "message {id} is no longer in the folder its entry ID names"
                ))
                .into());
            }
            Ok((data, associated))
        })?;
        Ok(MessageHandle {
            shared,
            owner: Owner::Folder { folder, associated, id: Mutex::new(Some(id)) },
            data: Arc::new(Mutex::new(data)),
        })
    }

    fn computed(&self, data: &MessageData) -> MapiResult<Vec<TaggedValue>> {
        let mut out = vec![
            TaggedValue { tag: tags::OBJECT_TYPE, value: PropValue::Integer32(tags::MAPI_MESSAGE) },
            TaggedValue {
                tag: tags::MESSAGE_SIZE,
                value: PropValue::Integer32(i32::try_from(data.size()).unwrap_or(i32::MAX)),
            },
            TaggedValue {
                tag: tags::HAS_ATTACHMENTS,
                value: PropValue::Boolean(!data.attachments.is_empty()),
            },
        ];
        if let Owner::Folder { folder, id, .. } = &self.owner {
            let ids = &self.shared.ids;
            out.push(TaggedValue {
                tag: tags::PARENT_ENTRY_ID,
                value: PropValue::Binary(ids.folder_entry_id(*folder)),
            });
            if let Some(id) = *lock(id)? {
                let entry_id = ids.message_entry_id(*folder, id);
                out.push(TaggedValue {
                    tag: tags::ENTRY_ID,
                    value: PropValue::Binary(entry_id.clone()),
                });
                out.push(TaggedValue { tag: tags::RECORD_KEY, value: PropValue::Binary(entry_id) });
            }
            out.push(TaggedValue {
                tag: tags::STORE_RECORD_KEY,
                value: PropValue::Binary(ids.mailbox.to_le_bytes().to_vec()),
            });
        }
        Ok(out)
    }

    fn all(&self) -> MapiResult<Vec<TaggedValue>> {
        let data = lock(&self.data)?;
        let mut all: Vec<TaggedValue> = data.props.values().cloned().collect();
        all.extend(self.computed(&data)?);
        Ok(all)
    }

    fn check_writable(&self) -> MapiResult<()> {
        if self.shared.db.is_read_only() {
            return Err(MapiError::no_access("the mailbox is open read-only"));
        }
        Ok(())
    }
}

/// Messages and attachments keep their properties the same way (a map filled on open, written
/// on save), so they answer the property calls the same way.
macro_rules! property_object_over_data {
    ($handle:ty) => {
        impl PropertyObject for $handle {
            fn get_props(&self, tags: &[PropTag]) -> MapiResult<Vec<TaggedValue>> {
                Ok(answer(&self.all()?, tags))
            }

            fn get_all_props(&self) -> MapiResult<Vec<TaggedValue>> {
                self.all()
            }

            fn set_props(&self, values: &[TaggedValue]) -> MapiResult<()> {
                self.check_writable()?;
                set_into(&mut lock(&self.data)?.props, values)
            }

            fn delete_props(&self, tags: &[PropTag]) -> MapiResult<()> {
                self.check_writable()?;
                let mut data = lock(&self.data)?;
                for tag in tags {
                    data.props.remove(&tag.id());
                }
                Ok(())
            }
        }
    };
}

property_object_over_data!(MessageHandle);

fn recipient_rows(data: &MessageData) -> Vec<Vec<TaggedValue>> {
    data.recipients
        .iter()
        .map(|(row_id, props)| {
            let mut row: Vec<TaggedValue> = props.values().cloned().collect();
            row.push(TaggedValue {
                tag: tags::ROW_ID,
                value: PropValue::Integer32(*row_id as i32),
            });
            row
        })
        .collect()
}

fn attachment_rows(data: &MessageData) -> Vec<Vec<TaggedValue>> {
    data.attachments
        .iter()
        .map(|(num, attachment)| {
            let mut row: Vec<TaggedValue> = attachment.props.values().cloned().collect();
            row.push(TaggedValue {
                tag: tags::ATTACH_NUMBER,
                value: PropValue::Integer32(*num as i32),
            });
            row.push(TaggedValue {
                tag: tags::OBJECT_TYPE,
                value: PropValue::Integer32(tags::MAPI_ATTACH),
            });
            row
        })
        .collect()
}

impl Message for MessageHandle {
    fn entry_id(&self) -> Option<Vec<u8>> {
        match &self.owner {
            Owner::Folder { folder, id, .. } => {
                let id = *id.lock().ok()?;
                id.map(|id| self.shared.ids.message_entry_id(*folder, id))
            }
            Owner::Attachment(_) => None,
        }
    }

    fn recipient_table(&self) -> MapiResult<Box<dyn Table>> {
        let rows = recipient_rows(&*lock(&self.data)?);
        // Every tag any row has, so a caller that reads the default columns misses nothing.
        let mut columns: Vec<PropTag> = Vec::new();
        for value in rows.iter().flatten() {
            if !columns.iter().any(|c| c.id() == value.tag.id()) {
                columns.push(value.tag);
            }
        }
        Ok(Box::new(MemoryTable::new(rows, columns)))
    }

    fn modify_recipients(&self, changes: &[RecipientChange]) -> MapiResult<()> {
        self.check_writable()?;
        let mut data = lock(&self.data)?;
        for change in changes {
            match change {
                RecipientChange::Add(props) => {
                    let mut map = PropMap::new();
                    crate::batch::set_recipient_props(&mut map, props)?;
                    let row_id = data.next_row_id();
                    data.recipients.insert(row_id, map);
                }
                RecipientChange::Modify { row_id, properties } => {
                    let mut map = PropMap::new();
                    crate::batch::set_recipient_props(&mut map, properties)?;
                    data.recipients.insert(*row_id, map);
                }
                RecipientChange::Remove { row_id } => {
                    if data.recipients.remove(row_id).is_none() {
                        return Err(MapiError::not_found(format!("no recipient row {row_id}")));
                    }
                }
            }
        }
        Ok(())
    }

    fn attachment_table(&self) -> MapiResult<Box<dyn Table>> {
        let rows = attachment_rows(&*lock(&self.data)?);
        Ok(Box::new(MemoryTable::new(rows, vec![tags::ATTACH_NUMBER, tags::ATTACH_METHOD])))
    }

    fn create_attachment(&self) -> MapiResult<Box<dyn Attachment>> {
        self.check_writable()?;
        let num = lock(&self.data)?.take_attach_num();
        Ok(Box::new(AttachmentHandle {
            shared: Arc::clone(&self.shared),
            parent: Arc::clone(&self.data),
            num,
            data: Arc::new(Mutex::new(AttachmentData::default())),
        }))
    }

    fn open_attachment(&self, attach_number: u32) -> MapiResult<Box<dyn Attachment>> {
        let data = lock(&self.data)?
            .attachments
            .get(&attach_number)
            .cloned()
            .ok_or_else(|| MapiError::not_found(format!("no attachment {attach_number}")))?;
        Ok(Box::new(AttachmentHandle {
            shared: Arc::clone(&self.shared),
            parent: Arc::clone(&self.data),
            num: attach_number,
            data: Arc::new(Mutex::new(data)),
        }))
    }

    fn delete_attachment(&self, attach_number: u32) -> MapiResult<()> {
        self.check_writable()?;
        lock(&self.data)?
            .attachments
            .remove(&attach_number)
            .map(|_| ())
            .ok_or_else(|| MapiError::not_found(format!("no attachment {attach_number}")))
    }

    fn save_changes(&self) -> MapiResult<()> {
        self.check_writable()?;
        match &self.owner {
            Owner::Attachment(parent) => {
                let copy = lock(&self.data)?.clone();
                let mut attachment = lock(parent)?;
                attachment.embedded = Some(Box::new(copy));
                attachment.props.insert(
                    tags::ATTACH_METHOD.id(),
                    TaggedValue {
                        tag: tags::ATTACH_METHOD,
                        value: PropValue::Integer32(AttachMethod::EmbeddedMessage.code()),
                    },
                );
                Ok(())
            }
            Owner::Folder { folder, associated, id } => {
                let mut id = lock(id)?;
                let now = now();
                let mut data = lock(&self.data)?;
                data.props.entry(tags::CREATION_TIME.id()).or_insert_with(|| TaggedValue {
                    tag: tags::CREATION_TIME,
                    value: PropValue::Time(now),
                });
                data.props.insert(
                    tags::LAST_MODIFICATION_TIME.id(),
                    TaggedValue { tag: tags::LAST_MODIFICATION_TIME, value: PropValue::Time(now) },
                );
                let saved = self
                    .shared
                    .db
                    .write(|tx| save_top_level(tx, *folder, *associated, *id, &data))?;
                *id = Some(saved);
                Ok(())
            }
        }
    }
}

pub(crate) fn now() -> FileTime {
    FileTime::from_timestamp(jiff::Timestamp::now()).unwrap_or(FileTime(0))
}

pub(crate) fn save_top_level(
    tx: &Connection,
    folder: i64,
    associated: bool,
    id: Option<i64>,
    data: &MessageData,
) -> StoreResult<i64> {
    let id = match id {
        Some(id) => {
            match sql::message_home(tx, id)? {
                Some((home, _)) if home == folder => {}
                _ => {
                    return Err(MapiError::new(
                        ErrorCode::ObjectDeleted,
                        "the message was deleted or moved since it was opened",
                    )
                    .into());
                }
            }
            clear_message(tx, id)?;
            id
        }
        None => {
            if sql::folder_parent(tx, folder)?.is_none() {
                return Err(StoreError::Mapi(MapiError::new(
                    ErrorCode::ObjectDeleted,
                    "the message's folder was deleted",
                )));
            }
            let id = sql::next_id(tx)?;
            tx.prepare_cached(
                "INSERT INTO messages (id, folder_id, associated) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![id, folder, associated])?;
            id
        }
    };
    write_message(tx, id, data)?;
    sql::refresh_sort_columns(tx, id, data.size())?;
    Ok(id)
}

#[derive(Debug)]
pub struct AttachmentHandle {
    shared: Arc<Shared>,
    parent: Arc<Mutex<MessageData>>,
    num: u32,
    data: Arc<Mutex<AttachmentData>>,
}

impl AttachmentHandle {
    fn all(&self) -> MapiResult<Vec<TaggedValue>> {
        let data = lock(&self.data)?;
        let mut all: Vec<TaggedValue> = data.props.values().cloned().collect();
        all.push(TaggedValue {
            tag: tags::ATTACH_NUMBER,
            value: PropValue::Integer32(self.num as i32),
        });
        all.push(TaggedValue {
            tag: tags::OBJECT_TYPE,
            value: PropValue::Integer32(tags::MAPI_ATTACH),
        });
        Ok(all)
    }

    fn check_writable(&self) -> MapiResult<()> {
        if self.shared.db.is_read_only() {
            return Err(MapiError::no_access("the mailbox is open read-only"));
        }
        Ok(())
    }
}

property_object_over_data!(AttachmentHandle);

impl Attachment for AttachmentHandle {
    fn attach_number(&self) -> u32 {
        self.num
    }

    fn open_embedded_message(&self, create: bool) -> MapiResult<Box<dyn Message>> {
        let existing = lock(&self.data)?.embedded.as_deref().cloned();
        let data = match (existing, create) {
            (Some(data), _) => data,
            (None, true) => {
                self.check_writable()?;
                MessageData::default()
            }
            (None, false) => {
                return Err(MapiError::not_found(format!(
                    "attachment {} holds no embedded message",
                    self.num
                )));
            }
        };
        Ok(Box::new(MessageHandle {
            shared: Arc::clone(&self.shared),
            owner: Owner::Attachment(Arc::clone(&self.data)),
            data: Arc::new(Mutex::new(data)),
        }))
    }

    fn save_changes(&self) -> MapiResult<()> {
        self.check_writable()?;
        let copy = lock(&self.data)?.clone();
        lock(&self.parent)?.attachments.insert(self.num, copy);
        Ok(())
    }
}
