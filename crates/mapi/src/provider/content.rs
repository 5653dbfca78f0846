//! A whole message as plain data (properties, recipient rows, attachments with embedded
//! messages): what a copy between stores carries, and what [`Folder::create_messages`]
//! saves many of at once.

use super::{Folder, Message, RecipientChange};
use crate::{MapiResult, TaggedValue};

/// A message's content, independent of any store: property tags are those of the store it is
/// meant for (named properties already mapped to that store's IDs).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MessageContent {
    pub properties: Vec<TaggedValue>,
    /// One property list per recipient row (without `PidTagRowid`, which the target assigns).
    pub recipients: Vec<Vec<TaggedValue>>,
    pub attachments: Vec<AttachmentContent>,
}

/// An attachment's content: its properties (without `PidTagAttachNumber`) and, for
/// afEmbeddedMessage, the embedded message.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AttachmentContent {
    pub properties: Vec<TaggedValue>,
    pub embedded: Option<Box<MessageContent>>,
}

/// Writes `content` into an open message (recipients are added, attachments created) without
/// saving the message itself: the generic path of [`Folder::create_messages`], and the way to
/// fill an embedded message.
pub fn write_content(message: &dyn Message, content: &MessageContent) -> MapiResult<()> {
    if !content.properties.is_empty() {
        message.set_props(&content.properties)?;
    }
    if !content.recipients.is_empty() {
        let changes: Vec<RecipientChange> =
            content.recipients.iter().map(|row| RecipientChange::Add(row.clone())).collect();
        message.modify_recipients(&changes)?;
    }
    for attachment in &content.attachments {
        let handle = message.create_attachment()?;
        if !attachment.properties.is_empty() {
            handle.set_props(&attachment.properties)?;
        }
        if let Some(embedded) = &attachment.embedded {
            let inner = handle.open_embedded_message(true)?;
            write_content(inner.as_ref(), embedded)?;
            inner.save_changes()?;
        }
        handle.save_changes()?;
    }
    Ok(())
}

/// [`Folder::create_messages`] done one message at a time: each saved (and durable) before
/// the next is created.
pub fn create_messages_one_by_one(
    folder: &(impl Folder + ?Sized),
    messages: &[MessageContent],
    associated: bool,
) -> MapiResult<Vec<Vec<u8>>> {
    let mut ids = Vec::with_capacity(messages.len());
    for content in messages {
        let message = folder.create_message(associated)?;
        write_content(message.as_ref(), content)?;
        message.save_changes()?;
        ids.push(message.entry_id().ok_or_else(|| {
            crate::MapiError::new(
                crate::ErrorCode::CallFailed,
                "the store saved a message but gave it no entry ID",
            )
        })?);
    }
    Ok(ids)
}
