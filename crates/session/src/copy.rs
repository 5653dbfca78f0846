//! Copy and move of items and folders, within a store and across stores (`Item.Copy`,
//! `Item.Move`, `Folder.CopyTo`, `Folder.MoveTo`).
//!
//! Within one store the provider's own copy and move do the work. Across stores a message is
//! read whole ([`Copier::read_message`]: every property, large ones through streams, recipients,
//! attachments and embedded messages) into a [`MessageContent`] with its named properties
//! remapped to the target store's name-to-ID map, and saved in the target with
//! `Folder::create_messages`, which the embedded mailbox commits as one transaction per batch.
//! A move across stores is copy-then-delete: a crash in between leaves a duplicate, never a
//! loss.

use crate::error::{SessionError, SessionResult};
use crate::events::EventKind;
use crate::folder::Folder;
use crate::item::Item;
use mapi::catalog::tags;
use mapi::provider::{
    AttachmentContent, DeleteFolderFlags, FolderKind, Message, MessageContent, MessageStore,
    PropertyObject, Table,
};
use mapi::{ErrorCode, MapiError, MapiResult, PropTag, PropType, PropValue, TaggedValue};
use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::sync::Arc;

/// How deep embedded messages may nest (an attachment of an attachment of ...): Outlook's
/// limit, and the one the attachments module uses.
pub const MAX_EMBEDDING_DEPTH: usize = 32;

/// Folders nested deeper than this are refused rather than followed (a damaged store's
/// hierarchy may loop).
const MAX_FOLDER_DEPTH: usize = 512;

/// A folder copy commits this many messages per transaction at most...
const BATCH_MESSAGES: usize = 1000;
/// ...or this many bytes of values, whichever comes first, so memory stays bounded: two
/// batches are in memory at once (one saved while the next is read), 64 MiB of values at most.
const BATCH_BYTES: usize = 32 << 20;

/// The largest value read from a property stream; a larger one is refused, not allocated.
const MAX_STREAMED_VALUE: u64 = 1 << 30;

/// Properties of messages, embedded messages and attachments that a copy does not carry,
/// because the target store assigns them itself (a value from the source would be wrong in
/// the target, and the embedded mailbox refuses the computed ones with `MAPI_E_COMPUTED`).
pub const STORE_ASSIGNED: &[(PropTag, &str)] = &[
    (tags::PidTagEntryId, "the copy gets its own entry ID"),
    (tags::PidTagRecordKey, "the store derives it from the entry ID (computed)"),
    (tags::PidTagParentEntryId, "the folder the copy is saved in"),
    (tags::PidTagStoreEntryId, "the store the copy is in"),
    (tags::PidTagStoreRecordKey, "the store the copy is in (computed)"),
    (tags::PidTagInstanceKey, "a table-row handle of the source (computed)"),
    (tags::PidTagObjectType, "computed by every store"),
    (tags::PidTagMid, "the source store's message ID (MS-OXCFXICS); the copy is a new object"),
    (tags::PidTagChangeKey, "change tracking of the source object (MS-OXCFXICS)"),
    (tags::PidTagPredecessorChangeList, "change tracking of the source object (MS-OXCFXICS)"),
    (tags::PidTagSourceKey, "the source store's ICS identity of the object (MS-OXCFXICS)"),
    (tags::PidTagParentSourceKey, "the source folder's ICS identity"),
    (tags::PidTagMessageSize, "computed from the content (MAPI_E_COMPUTED)"),
    (tags::PidTagHasAttachments, "computed from the attachment table (MAPI_E_COMPUTED)"),
    (tags::PidTagAccess, "the caller's rights on the source object"),
    (tags::PidTagAccessLevel, "the caller's rights on the source object"),
    (tags::PidTagRights, "the caller's rights in the source folder"),
    (tags::PidTagAttachNumber, "the target numbers the attachments (MAPI_E_COMPUTED)"),
];

/// Folder properties a folder copy does not carry: the store-assigned ones above, the
/// folder's counts and kind (computed), its name (given at creation), and the special-folder
/// entry IDs a store root or Inbox holds, which would name folders of the source store.
const FOLDER_NOT_COPIED: &[PropTag] = &[
    tags::PidTagDisplayName,
    tags::PidTagFolderType,
    tags::PidTagContentCount,
    tags::PidTagContentUnreadCount,
    tags::PidTagSubfolders,
    tags::PidTagAssociatedContentCount,
    tags::PidTagDepth,
    tags::PidTagFolderId,
    tags::PidTagHierarchyChangeNumber,
    tags::PidTagLocalCommitTime,
    tags::PidTagIpmAppointmentEntryId,
    tags::PidTagIpmContactEntryId,
    tags::PidTagIpmJournalEntryId,
    tags::PidTagIpmNoteEntryId,
    tags::PidTagIpmTaskEntryId,
    tags::PidTagRemindersOnlineEntryId,
    tags::PidTagIpmDraftsEntryId,
    tags::PidTagAdditionalRenEntryIds,
    tags::PidTagAdditionalRenEntryIdsEx,
    tags::PidTagFreeBusyEntryIds,
];

/// Whether a copy leaves this property for the target store to assign.
pub fn is_store_assigned(tag: PropTag) -> bool {
    STORE_ASSIGNED.iter().any(|(assigned, _)| assigned.id() == tag.id())
}

fn is_named(id: u16) -> bool {
    (0x8000..=0xFFFE).contains(&id)
}

/// Reads messages of one store as content for another: the named-property IDs of the source
/// are mapped to the target's once each and remembered.
#[derive(Debug)]
pub struct Copier {
    source: Arc<dyn MessageStore>,
    target: Arc<dyn MessageStore>,
    /// Source ID → target ID; `None` for a source ID with no name (dropped).
    names: HashMap<u16, Option<u16>>,
}

impl Copier {
    pub fn new(source: Arc<dyn MessageStore>, target: Arc<dyn MessageStore>) -> Copier {
        Copier { source, target, names: HashMap::new() }
    }

    /// The whole message as content for the target store.
    pub fn read_message(&mut self, message: &dyn Message) -> MapiResult<MessageContent> {
        self.read_at(message, 0)
    }

    fn read_at(&mut self, message: &dyn Message, depth: usize) -> MapiResult<MessageContent> {
        let properties = self.properties(message, "message")?;
        let recipients = self.recipients(message)?;
        let mut attachments = Vec::new();
        for number in attachment_numbers(message.attachment_table()?.as_ref())? {
            let attachment = message.open_attachment(number)?;
            let properties = self.properties(attachment.as_ref(), "attachment")?;
            let method = properties
                .iter()
                .find(|v| v.tag.id() == tags::PidTagAttachMethod.id())
                .and_then(|v| v.value.as_i32());
            let embedded = if method == Some(mapi::provider::AttachMethod::EmbeddedMessage.code()) {
                if depth + 1 > MAX_EMBEDDING_DEPTH {
                    return Err(MapiError::new(
                        ErrorCode::TooComplex,
                        format!(
                            "attachment {number} holds an embedded message at depth {}; \
                             embedded messages nest at most {MAX_EMBEDDING_DEPTH} deep",
                            depth + 1
                        ),
                    ));
                }
                let inner = attachment.open_embedded_message(false)?;
                Some(Box::new(self.read_at(inner.as_ref(), depth + 1)?))
            } else {
                None
            };
            attachments.push(AttachmentContent { properties, embedded });
        }
        Ok(MessageContent { properties, recipients, attachments })
    }

    /// Every property of `object` the copy carries, named ones remapped.
    fn properties(
        &mut self,
        object: &dyn PropertyObject,
        what: &str,
    ) -> MapiResult<Vec<TaggedValue>> {
        let mut values = Vec::new();
        let mut listed: Option<Vec<PropTag>> = None;
        for value in object.get_all_props()? {
            if is_store_assigned(value.tag) {
                continue;
            }
            if value.tag.prop_type() != Some(PropType::ErrorCode) {
                values.push(value);
                continue;
            }
            // MAPI's way to say "too large for GetProps, open it as a stream" (MS-OXCPRPT
            // 3.2.5.1): PT_ERROR with MAPI_E_NOT_ENOUGH_MEMORY; the prop list has its type.
            if value.value != PropValue::Error(ErrorCode::NotEnoughMemory) {
                tracing::warn!(tag = %value.tag, "{what}: a property the source cannot read is not copied");
                continue;
            }
            if listed.is_none() {
                listed = Some(object.get_prop_list()?);
            }
            let real =
                listed.iter().flatten().copied().find(|t| {
                    t.id() == value.tag.id() && t.prop_type() != Some(PropType::ErrorCode)
                });
            match real {
                Some(tag) => values.push(TaggedValue { tag, value: streamed(object, tag)? }),
                None => tracing::warn!(
                    tag = %value.tag,
                    "{what}: a large property with no type in the property list is not copied"
                ),
            }
        }
        self.remap(values)
    }

    fn recipients(&mut self, message: &dyn Message) -> MapiResult<Vec<Vec<TaggedValue>>> {
        let table = message.recipient_table()?;
        let mut rows = Vec::new();
        for row in all_rows(table.as_ref())? {
            let row: Vec<TaggedValue> = row
                .into_iter()
                .filter(|v| {
                    v.tag.id() != tags::PidTagRowid.id()
                        && v.tag.id() != tags::PidTagInstanceKey.id()
                        && v.tag.prop_type() != Some(PropType::ErrorCode)
                })
                .collect();
            rows.push(self.remap(row)?);
        }
        Ok(rows)
    }

    /// Named properties (IDs 0x8000-0xFFFE) get the target's ID for the same name; one the
    /// source has no name for is dropped (its ID would mean nothing in the target).
    fn remap(&mut self, values: Vec<TaggedValue>) -> MapiResult<Vec<TaggedValue>> {
        if !values.iter().any(|v| is_named(v.tag.id())) {
            return Ok(values);
        }
        let same_store = Arc::ptr_eq(&self.source, &self.target)
            || self.source.provider_uid() == self.target.provider_uid();
        if same_store {
            return Ok(values);
        }
        let unknown: Vec<u16> = {
            let mut seen = HashSet::new();
            values
                .iter()
                .map(|v| v.tag.id())
                .filter(|&id| is_named(id) && !self.names.contains_key(&id) && seen.insert(id))
                .collect()
        };
        if !unknown.is_empty() {
            let names = self.source.get_names_from_ids(&unknown)?;
            let known: Vec<(u16, mapi::NamedProperty)> = unknown
                .iter()
                .zip(names)
                .filter_map(|(&id, name)| match name {
                    Some(name) => Some((id, name)),
                    None => {
                        self.names.insert(id, None);
                        None
                    }
                })
                .collect();
            if !known.is_empty() {
                let wanted: Vec<mapi::NamedProperty> =
                    known.iter().map(|(_, n)| n.clone()).collect();
                let mapped = self.target.get_ids_from_names(&wanted, true)?;
                for ((id, name), target) in known.into_iter().zip(mapped) {
                    if target.is_none() {
                        tracing::warn!(?name, "the target store could not map a named property");
                    }
                    self.names.insert(id, target);
                }
            }
        }
        let mut out = Vec::with_capacity(values.len());
        for value in values {
            let id = value.tag.id();
            if !is_named(id) {
                out.push(value);
                continue;
            }
            match self.names.get(&id).copied().flatten() {
                Some(target) => out.push(TaggedValue {
                    tag: PropTag::new(target, value.value.prop_type()),
                    value: value.value,
                }),
                None => tracing::warn!(
                    tag = %value.tag,
                    "a named property without a name in the source store is not copied"
                ),
            }
        }
        Ok(out)
    }
}

/// A value read through `open_property_stream`, bounded by [`MAX_STREAMED_VALUE`].
fn streamed(object: &dyn PropertyObject, tag: PropTag) -> MapiResult<PropValue> {
    let mut bytes = Vec::new();
    object
        .open_property_stream(tag)?
        .take(MAX_STREAMED_VALUE + 1)
        .read_to_end(&mut bytes)
        .map_err(|err| {
            MapiError::new(ErrorCode::DiskError, format!("reading property {tag}: {err}"))
        })?;
    if bytes.len() as u64 > MAX_STREAMED_VALUE {
        return Err(MapiError::new(
            ErrorCode::TooBig,
            format!("property {tag} is larger than {MAX_STREAMED_VALUE} bytes"),
        ));
    }
    Ok(match tag.prop_type() {
        Some(PropType::String) => {
            if bytes.len() % 2 != 0 {
                return Err(MapiError::corrupt(format!(
                    "property {tag}: a UTF-16 stream of {} bytes (odd)",
                    bytes.len()
                )));
            }
            let units: Vec<u16> =
                bytes.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
            PropValue::String(String::from_utf16_lossy(&units))
        }
        Some(PropType::String8) => PropValue::String8(String::from_utf8_lossy(&bytes).into()),
        Some(PropType::Binary) => PropValue::Binary(bytes),
        other => {
            return Err(MapiError::new(
                ErrorCode::NoSupport,
                format!("property {tag} of type {other:?} came as a stream"),
            ));
        }
    })
}

/// Every row of a table with every column it offers.
fn all_rows(table: &dyn Table) -> MapiResult<Vec<Vec<TaggedValue>>> {
    let mut rows = Vec::new();
    loop {
        let batch = table.query_rows(256)?;
        if batch.is_empty() {
            return Ok(rows);
        }
        rows.extend(batch);
    }
}

fn attachment_numbers(table: &dyn Table) -> MapiResult<Vec<u32>> {
    table.set_columns(&[tags::PidTagAttachNumber])?;
    let mut numbers = Vec::new();
    for row in all_rows(table)? {
        match row.first().and_then(|v| v.value.as_i32()) {
            Some(n) => numbers.push(u32::try_from(n).map_err(|_| {
                MapiError::corrupt(format!("an attachment row has attach number {n}"))
            })?),
            None => return Err(MapiError::corrupt("an attachment row has no attach number")),
        }
    }
    Ok(numbers)
}

fn entry_ids(table: &dyn Table) -> MapiResult<Vec<Vec<u8>>> {
    table.set_columns(&[tags::PidTagEntryId])?;
    Ok(all_rows(table)?
        .into_iter()
        .filter_map(|row| match row.into_iter().next().map(|v| v.value) {
            Some(PropValue::Binary(id)) => Some(id),
            _ => None,
        })
        .collect())
}

fn is_associated(message: &dyn Message) -> MapiResult<bool> {
    let flags = message.get_prop(tags::PidTagMessageFlags)?.and_then(|v| v.as_i32()).unwrap_or(0);
    Ok(flags & 0x40 != 0) // MSGFLAG_ASSOCIATED (MS-OXCMSG 2.2.1.6)
}

fn one_id(ids: Vec<Vec<u8>>) -> SessionResult<Vec<u8>> {
    ids.into_iter()
        .next()
        .ok_or_else(|| SessionError::Mapi(MapiError::not_found("the store copied no item")))
}

fn same_store(a: &crate::store::Store, b: &crate::store::Store) -> bool {
    a.provider_uid() == b.provider_uid()
}

impl Item {
    /// `Copy`: a copy of the (saved) item in the same folder, returned saved. Raises `ItemAdd`.
    pub fn copy(&self) -> SessionResult<Item> {
        self.copy_to(&self.parent()?)
    }

    /// A copy of the (saved) item in `destination`, of this store or another, returned saved
    /// with its own entry ID (an Outpost addition: Outlook copies with `Copy` then `Move`).
    /// Raises `ItemAdd` in the destination.
    pub fn copy_to(&self, destination: &Folder) -> SessionResult<Item> {
        destination.store().check_writable("copy an item into it")?;
        let id = self.entry_id_bytes().ok_or_else(|| {
            SessionError::Mapi(MapiError::invalid_parameter(
                "cannot copy an item that was never saved",
            ))
        })?;
        let target = destination.entry_id_bytes();
        let new_id = if same_store(self.store(), destination.store()) {
            one_id(self.parent()?.handle().copy_messages(std::slice::from_ref(&id), &target)?)?
        } else {
            let mut copier =
                Copier::new(self.store().backend().clone(), destination.store().backend().clone());
            let content = copier.read_message(self.message().as_ref())?;
            let associated = is_associated(self.message().as_ref())?;
            one_id(destination.handle().create_messages(&[content], associated)?)?
        };
        destination.store().publish(EventKind::ItemAdd, Some(&target), &[&new_id]);
        destination.store().get_item_from_id_bytes(&new_id)
    }

    /// `Move` to a folder of another store: copy, then delete the original. Nothing is copied
    /// when the item's store is read-only; a crash between the two steps leaves a duplicate.
    pub(crate) fn move_across_stores(&self, destination: &Folder) -> SessionResult<Item> {
        self.store().check_writable("move an item")?;
        let id = self.entry_id_bytes().ok_or_else(|| {
            SessionError::Mapi(MapiError::invalid_parameter(
                "cannot move an item that was never saved",
            ))
        })?;
        let parent = self.parent()?;
        let copy = self.copy_to(destination)?;
        parent.handle().delete_messages(std::slice::from_ref(&id))?;
        self.store().publish(EventKind::ItemRemove, Some(&parent.entry_id_bytes()), &[&id]);
        Ok(copy)
    }
}

/// What a folder copy did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CopyReport {
    pub folders: usize,
    pub items: usize,
}

impl Folder {
    /// `Folder.CopyTo(DestinationFolder)`: a copy of the folder, its items and its subfolders
    /// inside `destination`, of this store or another; returns the copy. Across stores the
    /// items are committed in batches, so an interrupted copy leaves whole items only.
    pub fn copy_to(&self, destination: &Folder) -> SessionResult<Folder> {
        Ok(self.copy_to_counted(destination)?.0)
    }

    /// [`Folder::copy_to`], also saying how many folders and items were copied.
    pub fn copy_to_counted(&self, destination: &Folder) -> SessionResult<(Folder, CopyReport)> {
        let (copy, report) = self.copy_tree_to(destination)?;
        destination.store().publish(
            EventKind::FolderAdd,
            Some(&destination.entry_id_bytes()),
            &[&copy.entry_id_bytes()],
        );
        Ok((copy, report))
    }

    fn copy_tree_to(&self, destination: &Folder) -> SessionResult<(Folder, CopyReport)> {
        destination.store().check_writable("copy a folder into it")?;
        if same_store(self.store(), destination.store()) {
            let parent = self.parent()?.ok_or_else(|| {
                SessionError::Mapi(MapiError::invalid_parameter(
                    "the top folder of a store cannot be copied within its store",
                ))
            })?;
            let id = parent.handle().copy_folder(
                &self.entry_id_bytes(),
                &destination.entry_id_bytes(),
                None,
                true,
            )?;
            let copy = destination.store().get_folder_from_id_bytes(&id)?;
            let report = count_tree(&copy)?;
            return Ok((copy, report));
        }
        let mut copier =
            Copier::new(self.store().backend().clone(), destination.store().backend().clone());
        let mut report = CopyReport::default();
        let mut seen = HashSet::new();
        let copy = copy_tree(&mut copier, self, destination, 0, &mut seen, &mut report)?;
        Ok((copy, report))
    }

    /// `Folder.MoveTo` into another store: the whole subtree is copied, then the original is
    /// deleted for good. A read-only source fails before anything is copied.
    pub(crate) fn move_across_stores(&self, destination: &Folder) -> SessionResult<Folder> {
        self.store().check_writable("move a folder")?;
        let parent = self.parent()?.ok_or_else(|| {
            SessionError::Mapi(MapiError::invalid_parameter(
                "the top folder of a store cannot move",
            ))
        })?;
        let (copy, _) = self.copy_tree_to(destination)?;
        parent.handle().delete_folder(&self.entry_id_bytes(), DeleteFolderFlags::ALL)?;
        Ok(copy)
    }
}

fn count_tree(folder: &Folder) -> SessionResult<CopyReport> {
    let mut report = CopyReport { folders: 1, items: folder.item_count()? as usize };
    let mut stack = folder.folders()?;
    let mut visited = 0usize;
    while let Some(next) = stack.pop() {
        visited += 1;
        if visited > 100_000 {
            break;
        }
        report.folders += 1;
        report.items += next.item_count()? as usize;
        stack.extend(next.folders()?);
    }
    Ok(report)
}

fn copy_tree(
    copier: &mut Copier,
    source: &Folder,
    into: &Folder,
    depth: usize,
    seen: &mut HashSet<Vec<u8>>,
    report: &mut CopyReport,
) -> SessionResult<Folder> {
    if depth > MAX_FOLDER_DEPTH {
        return Err(SessionError::Mapi(MapiError::corrupt(format!(
            "folder {} is nested more than {MAX_FOLDER_DEPTH} deep",
            source.entry_id()
        ))));
    }
    if !seen.insert(source.entry_id_bytes()) {
        return Err(SessionError::Mapi(MapiError::corrupt(format!(
            "folder {} appears twice in its store's hierarchy (a cycle)",
            source.entry_id()
        ))));
    }
    let name = source.name()?;
    let handle = into.handle().create_folder(&name, FolderKind::Generic, false)?;
    let copy = Folder::new(into.store().clone(), Arc::from(handle));
    copy_folder_properties(copier, source, &copy)?;
    report.folders += 1;
    for associated in [false, true] {
        report.items += copy_contents(copier, source, &copy, associated)?;
    }
    for child in source.folders()? {
        let kind = child.get_prop(tags::PidTagFolderType)?.and_then(|v| v.as_i32());
        if kind == Some(FolderKind::Search.code()) {
            // A search folder is a view over other folders: copying its hits would duplicate
            // items that the copy of their own folder already holds.
            tracing::info!(folder = %child.entry_id(), "search folder not copied");
            continue;
        }
        copy_tree(copier, &child, &copy, depth + 1, seen, report)?;
    }
    Ok(copy)
}

fn copy_folder_properties(
    copier: &mut Copier,
    source: &Folder,
    copy: &Folder,
) -> SessionResult<()> {
    let values: Vec<TaggedValue> = source
        .handle()
        .get_all_props()?
        .into_iter()
        .filter(|v| {
            !is_store_assigned(v.tag)
                && !FOLDER_NOT_COPIED.iter().any(|t| t.id() == v.tag.id())
                && v.tag.prop_type() != Some(PropType::ErrorCode)
        })
        .collect();
    let values = copier.remap(values)?;
    if copy.handle().set_props(&values).is_ok() {
        return Ok(());
    }
    // One at a time, so one the target computes or refuses costs only itself.
    for value in values {
        if let Err(err) = copy.handle().set_props(std::slice::from_ref(&value)) {
            tracing::debug!(tag = %value.tag, %err, "folder property not copied");
        }
    }
    Ok(())
}

/// Copies the (normal or associated) messages of `source` into `copy` in batches; returns how
/// many. A second thread reads the next batch while this one is saved (a save spends much of
/// its time waiting on the disk), so at most two batches are in memory: the one being saved
/// and the one being read, which waits for the save before it is handed over.
fn copy_contents(
    copier: &mut Copier,
    source: &Folder,
    copy: &Folder,
    associated: bool,
) -> SessionResult<usize> {
    let ids = match source.handle().contents_table(associated) {
        Ok(table) => entry_ids(table.as_ref())?,
        Err(err) if err.code == ErrorCode::NoSupport => return Ok(0),
        Err(err) => return Err(err.into()),
    };
    if ids.is_empty() {
        return Ok(0);
    }
    let backend = source.store().backend().clone();
    let target = copy.entry_id_bytes();
    std::thread::scope(|scope| {
        // A rendezvous channel: the reader hands a batch over only when the saver takes it.
        let (batches, received) = std::sync::mpsc::sync_channel(0);
        scope.spawn(move || read_batches(copier, backend.as_ref(), &ids, &batches));
        let mut copied = 0usize;
        // Returning early drops `received`, which ends the reader at its next hand-over.
        for batch in received {
            let batch: Vec<MessageContent> = batch?;
            let new_ids = copy.handle().create_messages(&batch, associated)?;
            for id in &new_ids {
                copy.store().publish(EventKind::ItemAdd, Some(&target), &[id]);
            }
            copied += new_ids.len();
        }
        Ok(copied)
    })
}

/// Reads the messages `ids` of `store` and sends them in batches of at most
/// [`BATCH_MESSAGES`] messages or about [`BATCH_BYTES`] bytes; an error is sent and ends the
/// reading, as does a receiver that has gone.
fn read_batches(
    copier: &mut Copier,
    store: &dyn MessageStore,
    ids: &[Vec<u8>],
    batches: &std::sync::mpsc::SyncSender<SessionResult<Vec<MessageContent>>>,
) {
    let mut batch = Vec::new();
    let mut batch_bytes = 0usize;
    for id in ids {
        let content = match store.open_message(id).and_then(|m| copier.read_message(m.as_ref())) {
            Ok(content) => content,
            Err(err) => {
                let _ = batches.send(Err(err.into()));
                return;
            }
        };
        batch_bytes += content_bytes(&content);
        batch.push(content);
        if batch.len() >= BATCH_MESSAGES || batch_bytes >= BATCH_BYTES {
            if batches.send(Ok(std::mem::take(&mut batch))).is_err() {
                return;
            }
            batch_bytes = 0;
        }
    }
    if !batch.is_empty() {
        let _ = batches.send(Ok(batch));
    }
}

fn content_bytes(content: &MessageContent) -> usize {
    let values = |v: &[TaggedValue]| v.iter().map(|v| v.value.byte_size()).sum::<usize>();
    values(&content.properties)
        + content.recipients.iter().map(|r| values(r)).sum::<usize>()
        + content
            .attachments
            .iter()
            .map(|a| values(&a.properties) + a.embedded.as_deref().map_or(0, content_bytes))
            .sum::<usize>()
}
