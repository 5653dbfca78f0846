//! Saving many new messages in one transaction: a folder copy between stores commits a batch
//! of whole messages with one fsync instead of one per message (`synchronous=FULL` makes each
//! commit wait for the disk), and a crash leaves every message of a batch or none of them.

use crate::mailbox::Shared;
use crate::message::{
    AttachmentData, IdRange, MessageData, PropMap, now, set_into, write_message_rows,
};
use crate::tags;
use crate::{codec, sql};
use mapi::provider::MessageContent;
use mapi::{ErrorCode, MapiError, MapiResult, PropValue, TaggedValue};
use rusqlite::params;

/// Property rows held back before they are inserted together (references into the batch).
const FLUSH_ROWS: usize = 4096;

/// Saves `messages` as new messages of folder `folder`, all in one write transaction; the
/// entry IDs in order. Each message gets what `save_changes` gives a first save: the flags of
/// a new message unless the content sets them, a creation time unless it has one, and the
/// time of the save as its last modification time.
pub(crate) fn create_messages(
    shared: &Shared,
    folder: i64,
    messages: &[MessageContent],
    associated: bool,
) -> MapiResult<Vec<Vec<u8>>> {
    let saved_at = now();
    let mut prepared = Vec::with_capacity(messages.len());
    for content in messages {
        let mut data = MessageData::default();
        let flags = tags::MSGFLAG_UNSENT | if associated { tags::MSGFLAG_ASSOCIATED } else { 0 };
        data.props.insert(
            tags::MESSAGE_FLAGS.id(),
            TaggedValue { tag: tags::MESSAGE_FLAGS, value: PropValue::Integer32(flags) },
        );
        fill(&mut data, content)?;
        data.props.entry(tags::CREATION_TIME.id()).or_insert_with(|| TaggedValue {
            tag: tags::CREATION_TIME,
            value: PropValue::Time(saved_at),
        });
        data.props.insert(
            tags::LAST_MODIFICATION_TIME.id(),
            TaggedValue { tag: tags::LAST_MODIFICATION_TIME, value: PropValue::Time(saved_at) },
        );
        prepared.push(data);
    }
    let ids = shared.ids;
    Ok(shared.db.write(|tx| {
        if sql::folder_parent(tx, folder)?.is_none() {
            return Err(MapiError::new(
                ErrorCode::ObjectDeleted,
                "the message's folder was deleted",
            )
            .into());
        }
        // What `save_top_level` does for one new message, with one counter update for the
        // whole batch and the `messages` row written whole (sort column and size included)
        // instead of inserted and then updated.
        let objects = prepared.iter().map(|data| 1 + data.child_objects()).sum();
        let mut object_ids = IdRange::reserve(tx, objects)?;
        let mut rows = sql::NewPropertyRows::default();
        let mut entry_ids = Vec::with_capacity(prepared.len());
        for data in &prepared {
            let id = object_ids.take()?;
            let delivery_time = data
                .props
                .get(&tags::MESSAGE_DELIVERY_TIME.id())
                .filter(|v| v.tag == tags::MESSAGE_DELIVERY_TIME)
                .map(|v| codec::to_sql(&v.value));
            tx.prepare_cached(
                "INSERT INTO messages (id, folder_id, associated, delivery_time, size) \
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![id, folder, associated, delivery_time, data.size()])?;
            write_message_rows(tx, id, data, &mut object_ids, &mut rows)?;
            if rows.len() >= FLUSH_ROWS {
                rows.flush(tx)?;
            }
            entry_ids.push(ids.message_entry_id(folder, id));
        }
        rows.flush(tx)?;
        Ok(entry_ids)
    })?)
}

/// `content` as the in-memory message a handle would hold after the same calls
/// (`SetProps`, `ModifyRecipients`, `CreateAttach`, `OpenEmbeddedMessage`): the same checks
/// refuse computed properties and values of the wrong type.
fn fill(data: &mut MessageData, content: &MessageContent) -> MapiResult<()> {
    set_into(&mut data.props, &content.properties)?;
    for (row_id, row) in (0u32..).zip(&content.recipients) {
        let mut map = PropMap::new();
        set_recipient_props(&mut map, row)?;
        data.recipients.insert(row_id, map);
    }
    for (number, attachment) in (0u32..).zip(&content.attachments) {
        let mut stored = AttachmentData::default();
        set_into(&mut stored.props, &attachment.properties)?;
        if let Some(embedded) = &attachment.embedded {
            let mut inner = MessageData::default();
            fill(&mut inner, embedded)?;
            stored.embedded = Some(Box::new(inner));
            stored.props.insert(
                tags::ATTACH_METHOD.id(),
                TaggedValue {
                    tag: tags::ATTACH_METHOD,
                    value: PropValue::Integer32(
                        mapi::provider::AttachMethod::EmbeddedMessage.code(),
                    ),
                },
            );
        }
        data.attachments.insert(number, stored);
    }
    data.next_attach = u32::try_from(content.attachments.len()).unwrap_or(u32::MAX);
    Ok(())
}

/// Sets a recipient row's properties. Only `PidTagRowid` is the store's: a recipient's
/// `PidTagEntryId`, `PidTagRecordKey` and `PidTagObjectType` describe its address-book entry
/// (MS-OXCMSG 2.2.3; MS-OXOABK), not a stored object, so unlike a message's they are the
/// caller's to set.
pub(crate) fn set_recipient_props(map: &mut PropMap, values: &[TaggedValue]) -> MapiResult<()> {
    for value in values.iter().filter(|v| v.tag.id() != tags::ROW_ID.id()) {
        if value.tag.prop_type() != Some(value.value.prop_type()) {
            return Err(MapiError::invalid_parameter(format!(
                "recipient property {} is given a {} value",
                value.tag,
                value.value.prop_type()
            )));
        }
        map.insert(value.tag.id(), value.clone());
    }
    Ok(())
}
