//! Items: a message opened through the session, typed by its message class (MailItem,
//! AppointmentItem, ...), with raw property access (the OOM `PropertyAccessor`).

use crate::error::{SessionError, SessionResult};
use crate::events::EventKind;
use crate::folder::Folder;
use crate::store::Store;
use jiff::Timestamp;
use mapi::catalog::{self, PropertyInfo, PropertyKind, lids, tags};
use mapi::provider::Message;
use mapi::{
    FileTime, Guid, MapiError, NamedProperty, OlDefaultFolders, OlObjectClass, PropTag, PropType,
    PropValue, TaggedValue,
};
use std::ops::Deref;
use std::sync::Arc;

/// A property named the ways the OOM `PropertyAccessor` names them (session-model §5.3):
/// `http://schemas.microsoft.com/mapi/proptag/0x0037001F`, `.../mapi/id/{GUID}/8208001F`,
/// `.../mapi/string/{GUID}/name` (string type; `%20`, `%22`, `%27` escape space and quotes),
/// or, as Outpost additions, a catalog name (`PidTagSubject`, `PidLidLocation`) or a bare tag
/// (`0x0037001F`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PropertyPath {
    Tag(PropTag),
    Named { property: NamedProperty, prop_type: PropType },
}

const MAPI_SCHEMA: &str = "http://schemas.microsoft.com/mapi/";
const MAPI_SCHEMA_HTTPS: &str = "https://schemas.microsoft.com/mapi/";

impl PropertyPath {
    pub fn parse(text: &str) -> SessionResult<PropertyPath> {
        let text = text.trim();
        let bad = |what: &str| {
            SessionError::Mapi(MapiError::invalid_parameter(format!(
                "property {text:?}: {what}; expected {MAPI_SCHEMA}proptag/0xIIIITTTT, \
                 {MAPI_SCHEMA}id/{{GUID}}/IIIITTTT, {MAPI_SCHEMA}string/{{GUID}}/name, a \
                 catalog name such as PidTagSubject, or a tag such as 0x0037001F"
            )))
        };
        let lower = text.to_ascii_lowercase();
        // Outlook only accepts http://; its documentation prints https:// (VBA-Docs PR #1300),
        // so both are taken.
        let rest_start = if lower.starts_with(MAPI_SCHEMA) {
            Some(MAPI_SCHEMA.len())
        } else if lower.starts_with(MAPI_SCHEMA_HTTPS) {
            Some(MAPI_SCHEMA_HTTPS.len())
        } else {
            None
        };
        let Some(start) = rest_start else {
            if let Some(tag) = PropTag::parse_hex(text) {
                return Ok(PropertyPath::Tag(tag));
            }
            let info = catalog::by_name(text).ok_or_else(|| bad("unknown name"))?;
            return PropertyPath::from_catalog(info).ok_or_else(|| bad("not a named property"));
        };
        let rest = &text[start..];
        let lower_rest = &lower[start..];
        if let Some(hex) = lower_rest.strip_prefix("proptag/") {
            let tag = PropTag::parse_hex(hex).ok_or_else(|| bad("expected 0x and 8 hex digits"))?;
            tag.prop_type().ok_or_else(|| bad("unknown property type"))?;
            return Ok(PropertyPath::Tag(tag));
        }
        if let Some(tail) = lower_rest.strip_prefix("id/") {
            let (guid, lid_type) =
                tail.split_once('/').ok_or_else(|| bad("expected {GUID}/IIIITTTT"))?;
            let set: Guid = guid.parse().map_err(|_| bad("malformed GUID"))?;
            let digits = lid_type.trim_start_matches("0x");
            if digits.len() != 8 {
                return Err(bad("expected a 4-digit LID and a 4-digit type"));
            }
            let value = u32::from_str_radix(digits, 16).map_err(|_| bad("malformed hex"))?;
            let prop_type = PropType::from_code((value & 0xFFFF) as u16)
                .ok_or_else(|| bad("unknown property type"))?;
            return Ok(PropertyPath::Named {
                property: NamedProperty::lid(set, value >> 16),
                prop_type,
            });
        }
        if lower_rest.starts_with("string/") {
            let tail = &rest["string/".len()..];
            let (guid, name) = tail.split_once('/').ok_or_else(|| bad("expected {GUID}/name"))?;
            let set: Guid = guid.parse().map_err(|_| bad("malformed GUID"))?;
            let name = name.replace("%20", " ").replace("%22", "\"").replace("%27", "'");
            if name.is_empty() {
                return Err(bad("empty name"));
            }
            return Ok(PropertyPath::Named {
                property: NamedProperty::name(set, name),
                prop_type: PropType::String,
            });
        }
        Err(bad("expected proptag/, id/ or string/ after the schema"))
    }

    /// The path of a catalog property.
    pub fn from_catalog(info: &PropertyInfo) -> Option<PropertyPath> {
        Some(match info.kind {
            PropertyKind::Tagged { tag } => PropertyPath::Tag(tag),
            PropertyKind::Named { .. } => {
                PropertyPath::Named { property: info.named_property()?, prop_type: info.prop_type }
            }
        })
    }

    pub fn prop_type(&self) -> PropType {
        match self {
            PropertyPath::Tag(tag) => tag.prop_type().unwrap_or(PropType::Unspecified),
            PropertyPath::Named { prop_type, .. } => *prop_type,
        }
    }

    /// The tag in `store`; a named property the store has not mapped is `None` unless
    /// `create` asks the store to map it.
    pub fn resolve(&self, store: &Store, create: bool) -> SessionResult<Option<PropTag>> {
        match self {
            PropertyPath::Tag(tag) => Ok(Some(*tag)),
            PropertyPath::Named { property, prop_type } => Ok(store
                .backend()
                .get_ids_from_names(std::slice::from_ref(property), create)?
                .pop()
                .flatten()
                .map(|id| PropTag::new(id, *prop_type))),
        }
    }
}

/// What `Item::delete` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeleteOutcome {
    /// Moved into Deleted Items, where it has this new entry ID.
    MovedToDeletedItems { entry_id: Vec<u8> },
    /// Gone for good (it was in Deleted Items, or the store has none).
    DeletedPermanently,
}

/// An item: a message of a mounted store.
#[derive(Debug, Clone)]
pub struct Item {
    store: Store,
    message: Arc<dyn Message>,
    message_class: String,
    class: OlObjectClass,
    /// How many embedded-message attachments enclose this item (0 for a top-level item).
    nesting: usize,
}

fn text(value: Option<PropValue>) -> Option<String> {
    match value {
        Some(PropValue::String(s) | PropValue::String8(s)) => Some(s),
        _ => None,
    }
}

fn time(value: Option<PropValue>) -> Option<Timestamp> {
    value.and_then(|v| v.as_time()).and_then(FileTime::to_timestamp)
}

fn time_value(moment: Timestamp) -> SessionResult<PropValue> {
    FileTime::from_timestamp(moment).map(PropValue::Time).ok_or_else(|| {
        SessionError::Mapi(MapiError::invalid_parameter(format!(
            "{moment} cannot be stored as a FILETIME"
        )))
    })
}

impl Item {
    pub(crate) fn open(store: Store, message: Arc<dyn Message>) -> SessionResult<Item> {
        let message_class =
            text(message.get_prop(tags::PidTagMessageClass)?).unwrap_or_else(|| "IPM.Note".into());
        let class = OlObjectClass::for_message_class(&message_class);
        Ok(Item { store, message, message_class, class, nesting: 0 })
    }

    /// An item embedded `nesting` levels deep in an attachment of a stored item.
    pub(crate) fn open_embedded(
        store: Store,
        message: Arc<dyn Message>,
        nesting: usize,
    ) -> SessionResult<Item> {
        let mut item = Item::open(store, message)?;
        item.nesting = nesting;
        Ok(item)
    }

    /// How many embedded-message attachments enclose this item (0 for an item of a folder).
    pub fn nesting(&self) -> usize {
        self.nesting
    }

    /// The item as the typed item its message class makes it.
    pub fn typed(self) -> TypedItem {
        use OlObjectClass as C;
        match self.class {
            C::Mail => TypedItem::Mail(MailItem(self)),
            C::Post => TypedItem::Post(PostItem(self)),
            C::Appointment => TypedItem::Appointment(AppointmentItem(self)),
            C::Contact => TypedItem::Contact(ContactItem(self)),
            C::DistributionList => TypedItem::DistList(DistListItem(self)),
            C::Task => TypedItem::Task(TaskItem(self)),
            C::Note => TypedItem::Note(NoteItem(self)),
            C::Journal => TypedItem::Journal(JournalItem(self)),
            C::MeetingRequest
            | C::MeetingCancellation
            | C::MeetingResponsePositive
            | C::MeetingResponseNegative
            | C::MeetingResponseTentative => TypedItem::Meeting(MeetingItem(self)),
            C::Report => TypedItem::Report(ReportItem(self)),
            _ => TypedItem::Other(self),
        }
    }

    /// `Class`: the OOM class its message class opens as.
    pub fn class(&self) -> OlObjectClass {
        self.class
    }

    /// `MessageClass` (`PidTagMessageClass`).
    pub fn message_class(&self) -> &str {
        &self.message_class
    }

    /// The entry ID; `None` before the first save.
    pub fn entry_id_bytes(&self) -> Option<Vec<u8>> {
        self.message.entry_id()
    }

    /// `EntryID` as hex; `None` before the first save (Outlook gives an empty string).
    pub fn entry_id(&self) -> Option<String> {
        self.message.entry_id().map(|id| mapi::hex::encode(&id))
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The provider message, for raw MAPI calls.
    pub fn message(&self) -> &Arc<dyn Message> {
        &self.message
    }

    /// A property by tag; `None` when the item lacks it.
    pub fn get(&self, tag: PropTag) -> SessionResult<Option<PropValue>> {
        Ok(self.message.get_prop(tag)?)
    }

    /// Sets a property by tag (in memory until [`Item::save`]).
    pub fn set(&self, tag: PropTag, value: PropValue) -> SessionResult<()> {
        self.store.check_writable("change an item")?;
        self.message.set_props(&[TaggedValue { tag, value }])?;
        Ok(())
    }

    /// A named property; `None` when the store never mapped it or the item lacks it.
    pub fn get_named(
        &self,
        property: &NamedProperty,
        prop_type: PropType,
    ) -> SessionResult<Option<PropValue>> {
        let path = PropertyPath::Named { property: property.clone(), prop_type };
        self.get_path(&path)
    }

    /// Sets a named property, mapping its name in the store if needed.
    pub fn set_named(&self, property: &NamedProperty, value: PropValue) -> SessionResult<()> {
        let path = PropertyPath::Named { property: property.clone(), prop_type: value.prop_type() };
        self.set_path(&path, value)
    }

    /// `PropertyAccessor.GetProperty(SchemaName)`.
    pub fn get_property(&self, schema_name: &str) -> SessionResult<Option<PropValue>> {
        self.get_path(&PropertyPath::parse(schema_name)?)
    }

    /// `PropertyAccessor.SetProperty(SchemaName, Value)` (in memory until [`Item::save`]).
    pub fn set_property(&self, schema_name: &str, value: PropValue) -> SessionResult<()> {
        self.set_path(&PropertyPath::parse(schema_name)?, value)
    }

    pub fn get_path(&self, path: &PropertyPath) -> SessionResult<Option<PropValue>> {
        match path.resolve(&self.store, false)? {
            Some(tag) => self.get(tag),
            None => Ok(None),
        }
    }

    pub fn set_path(&self, path: &PropertyPath, value: PropValue) -> SessionResult<()> {
        self.store.check_writable("change an item")?;
        let tag = path.resolve(&self.store, true)?.ok_or_else(|| {
            SessionError::Mapi(MapiError::not_found("the store could not map the named property"))
        })?;
        self.set(tag.with_type(value.prop_type()), value)
    }

    /// Every property of the item.
    pub fn all_properties(&self) -> SessionResult<Vec<TaggedValue>> {
        Ok(self.message.get_all_props()?)
    }

    fn catalog_value(&self, info: &PropertyInfo) -> SessionResult<Option<PropValue>> {
        match PropertyPath::from_catalog(info) {
            Some(path) => self.get_path(&path),
            None => Ok(None),
        }
    }

    fn set_catalog_value(&self, info: &PropertyInfo, value: PropValue) -> SessionResult<()> {
        let path = PropertyPath::from_catalog(info).ok_or_else(|| {
            SessionError::Mapi(MapiError::invalid_parameter(format!("{} has no path", info.name)))
        })?;
        self.set_path(&path, value)
    }

    pub(crate) fn text_of(&self, tag: PropTag) -> SessionResult<Option<String>> {
        Ok(text(self.get(tag)?))
    }

    /// `Subject`.
    pub fn subject(&self) -> SessionResult<Option<String>> {
        self.text_of(tags::PidTagSubject)
    }

    pub fn set_subject(&self, subject: &str) -> SessionResult<()> {
        self.set(tags::PidTagSubject, PropValue::String(subject.to_owned()))
    }

    /// `Categories` (`PidNameKeywords`).
    pub fn categories(&self) -> SessionResult<Vec<String>> {
        Ok(match self.catalog_value(&catalog::names::PidNameKeywords)? {
            Some(PropValue::MultipleString(values) | PropValue::MultipleString8(values)) => values,
            _ => Vec::new(),
        })
    }

    pub fn creation_time(&self) -> SessionResult<Option<Timestamp>> {
        Ok(time(self.get(tags::PidTagCreationTime)?))
    }

    pub fn last_modification_time(&self) -> SessionResult<Option<Timestamp>> {
        Ok(time(self.get(tags::PidTagLastModificationTime)?))
    }

    /// `ReceivedTime` (`PidTagMessageDeliveryTime`).
    pub fn received_time(&self) -> SessionResult<Option<Timestamp>> {
        Ok(time(self.get(tags::PidTagMessageDeliveryTime)?))
    }

    /// `SentOn` (`PidTagClientSubmitTime`).
    pub fn sent_on(&self) -> SessionResult<Option<Timestamp>> {
        Ok(time(self.get(tags::PidTagClientSubmitTime)?))
    }

    /// `SenderName`.
    pub fn sender_name(&self) -> SessionResult<Option<String>> {
        self.text_of(tags::PidTagSenderName)
    }

    /// `Importance`: 0 low, 1 normal, 2 high (`OlImportance`).
    pub fn importance(&self) -> SessionResult<i32> {
        Ok(self.get(tags::PidTagImportance)?.and_then(|v| v.as_i32()).unwrap_or(1))
    }

    /// `Sensitivity`: 0 normal, 1 personal, 2 private, 3 confidential.
    pub fn sensitivity(&self) -> SessionResult<i32> {
        Ok(self.get(tags::PidTagSensitivity)?.and_then(|v| v.as_i32()).unwrap_or(0))
    }

    /// `Size` in bytes (`PidTagMessageSize`).
    pub fn size(&self) -> SessionResult<Option<i64>> {
        Ok(self.get(tags::PidTagMessageSize)?.and_then(|v| v.as_i64()))
    }

    /// `UnRead`: MSGFLAG_READ clear (MS-OXCMSG 2.2.1.6).
    pub fn unread(&self) -> SessionResult<bool> {
        let flags = self.get(tags::PidTagMessageFlags)?.and_then(|v| v.as_i32()).unwrap_or(0);
        Ok(flags & 0x1 == 0)
    }

    /// The folder that holds the item (`Parent`).
    pub fn parent(&self) -> SessionResult<Folder> {
        match self.get(tags::PidTagParentEntryId)? {
            Some(PropValue::Binary(id)) => self.store.get_folder_from_id_bytes(&id),
            _ => Err(SessionError::Mapi(MapiError::not_found("the item has no parent folder"))),
        }
    }

    /// `Save`: commits the item to its store (durable when this returns).
    ///
    /// Raises `ItemAdd` in its folder on the first save (and `NewMail` when that folder is the
    /// store's Inbox), `ItemChange` on later saves.
    pub fn save(&self) -> SessionResult<()> {
        self.store.check_writable("save an item")?;
        let first_save = self.message.entry_id().is_none();
        self.message.save_changes()?;
        if self.store.has_listeners() {
            self.publish_saved(first_save);
        }
        Ok(())
    }

    fn publish_saved(&self, first_save: bool) {
        let Some(id) = self.message.entry_id() else { return };
        let folder = match self.get(tags::PidTagParentEntryId) {
            Ok(Some(PropValue::Binary(folder))) => Some(folder),
            _ => None,
        };
        if !first_save {
            self.store.publish(EventKind::ItemChange, folder.as_deref(), &[&id]);
            return;
        }
        self.store.publish(EventKind::ItemAdd, folder.as_deref(), &[&id]);
        let inbox = self.store.default_folder_entry_id(OlDefaultFolders::Inbox).ok();
        if folder.is_some() && inbox == folder {
            self.store.publish(EventKind::NewMail, folder.as_deref(), &[&id]);
        }
    }

    /// `Move(DestFldr)`: moves the item into another folder and returns it opened there (it
    /// gets a new entry ID, as in Exchange). Across stores it is copy-then-delete
    /// (see `crate::copy`).
    pub fn move_to(&self, destination: &Folder) -> SessionResult<Item> {
        self.store.check_writable("move an item")?;
        let id = self.saved_entry_id("move")?;
        let parent = self.parent()?;
        let target = destination.entry_id_bytes();
        self.store.before_move(
            EventKind::BeforeItemMove,
            &id,
            Some(&parent.entry_id_bytes()),
            Some(&target),
        )?;
        if destination.store().provider_uid() != self.store.provider_uid() {
            return self.move_across_stores(destination);
        }
        let moved = parent.handle().move_messages(std::slice::from_ref(&id), &target)?;
        let new_id = moved
            .into_iter()
            .next()
            .ok_or_else(|| SessionError::Mapi(MapiError::not_found("the store moved no item")))?;
        self.store.publish(EventKind::ItemRemove, Some(&parent.entry_id_bytes()), &[&id]);
        self.store.publish(EventKind::ItemAdd, Some(&target), &[&new_id]);
        self.store.get_item_from_id_bytes(&new_id)
    }

    /// `Delete`: as in Outlook, moves the item into Deleted Items; an item already in Deleted
    /// Items (or below it), or in a store without one, is deleted for good.
    pub fn delete(&self) -> SessionResult<DeleteOutcome> {
        self.store.check_writable("delete an item")?;
        let id = self.saved_entry_id("delete")?;
        let parent = self.parent()?;
        let wastebasket = self.store.default_folder_entry_id(OlDefaultFolders::DeletedItems).ok();
        let into_wastebasket = match wastebasket {
            Some(wastebasket)
                if parent.entry_id_bytes() != wastebasket && !parent.is_inside(&wastebasket)? =>
            {
                Some(wastebasket)
            }
            _ => None,
        };
        self.store.before_move(
            EventKind::BeforeItemMove,
            &id,
            Some(&parent.entry_id_bytes()),
            into_wastebasket.as_deref(),
        )?;
        match into_wastebasket {
            Some(wastebasket) => {
                let moved =
                    parent.handle().move_messages(std::slice::from_ref(&id), &wastebasket)?;
                let entry_id = moved.into_iter().next().ok_or_else(|| {
                    SessionError::Mapi(MapiError::not_found("the store moved no item"))
                })?;
                self.store.publish(EventKind::ItemRemove, Some(&parent.entry_id_bytes()), &[&id]);
                self.store.publish(EventKind::ItemAdd, Some(&wastebasket), &[&entry_id]);
                Ok(DeleteOutcome::MovedToDeletedItems { entry_id })
            }
            _ => {
                parent.handle().delete_messages(std::slice::from_ref(&id))?;
                self.store.publish(EventKind::ItemRemove, Some(&parent.entry_id_bytes()), &[&id]);
                Ok(DeleteOutcome::DeletedPermanently)
            }
        }
    }

    fn saved_entry_id(&self, what: &str) -> SessionResult<Vec<u8>> {
        self.message.entry_id().ok_or_else(|| {
            SessionError::Mapi(MapiError::invalid_parameter(format!(
                "cannot {what} an item that was never saved"
            )))
        })
    }
}

/// An item as the OOM type its message class selects (session-model §5.4).
#[derive(Debug, Clone)]
pub enum TypedItem {
    Mail(MailItem),
    Post(PostItem),
    Appointment(AppointmentItem),
    Contact(ContactItem),
    DistList(DistListItem),
    Task(TaskItem),
    Note(NoteItem),
    Journal(JournalItem),
    Meeting(MeetingItem),
    Report(ReportItem),
    /// Classes Outpost has no typed view for yet (task requests, sharing, documents).
    Other(Item),
}

impl TypedItem {
    pub fn item(&self) -> &Item {
        match self {
            TypedItem::Mail(i) => i,
            TypedItem::Post(i) => i,
            TypedItem::Appointment(i) => i,
            TypedItem::Contact(i) => i,
            TypedItem::DistList(i) => i,
            TypedItem::Task(i) => i,
            TypedItem::Note(i) => i,
            TypedItem::Journal(i) => i,
            TypedItem::Meeting(i) => i,
            TypedItem::Report(i) => i,
            TypedItem::Other(i) => i,
        }
    }

    /// The OOM type name (`MailItem`, `AppointmentItem`, ...).
    pub fn type_name(&self) -> &'static str {
        match self {
            TypedItem::Mail(_) => "MailItem",
            TypedItem::Post(_) => "PostItem",
            TypedItem::Appointment(_) => "AppointmentItem",
            TypedItem::Contact(_) => "ContactItem",
            TypedItem::DistList(_) => "DistListItem",
            TypedItem::Task(_) => "TaskItem",
            TypedItem::Note(_) => "NoteItem",
            TypedItem::Journal(_) => "JournalItem",
            TypedItem::Meeting(_) => "MeetingItem",
            TypedItem::Report(_) => "ReportItem",
            TypedItem::Other(_) => "Item",
        }
    }
}

macro_rules! typed_item {
    ($( $(#[$meta:meta])* $name:ident; )*) => {
        $(
            $(#[$meta])*
            #[derive(Debug, Clone)]
            pub struct $name(Item);

            impl Deref for $name {
                type Target = Item;
                fn deref(&self) -> &Item {
                    &self.0
                }
            }

            impl $name {
                pub fn into_item(self) -> Item {
                    self.0
                }
            }
        )*
    };
}

typed_item! {
    /// `MailItem`: IPM.Note and its subclasses (and the fallback for unknown classes).
    MailItem;
    /// `PostItem`: IPM.Post.
    PostItem;
    /// `AppointmentItem`: IPM.Appointment.
    AppointmentItem;
    /// `ContactItem`: IPM.Contact.
    ContactItem;
    /// `DistListItem`: IPM.DistList.
    DistListItem;
    /// `TaskItem`: IPM.Task.
    TaskItem;
    /// `NoteItem`: IPM.StickyNote.
    NoteItem;
    /// `JournalItem`: IPM.Activity.
    JournalItem;
    /// `MeetingItem`: IPM.Schedule.Meeting.*.
    MeetingItem;
    /// `ReportItem`: REPORT.*.
    ReportItem;
}

impl PostItem {
    /// `ConversationTopic`.
    pub fn conversation_topic(&self) -> SessionResult<Option<String>> {
        self.text_of(tags::PidTagConversationTopic)
    }
}

impl AppointmentItem {
    /// `Start` (`PidLidAppointmentStartWhole`, UTC).
    pub fn start(&self) -> SessionResult<Option<Timestamp>> {
        Ok(time(self.catalog_value(&lids::PidLidAppointmentStartWhole)?))
    }

    pub fn set_start(&self, start: Timestamp) -> SessionResult<()> {
        self.set_catalog_value(&lids::PidLidAppointmentStartWhole, time_value(start)?)
    }

    /// `End` (`PidLidAppointmentEndWhole`, UTC).
    pub fn end(&self) -> SessionResult<Option<Timestamp>> {
        Ok(time(self.catalog_value(&lids::PidLidAppointmentEndWhole)?))
    }

    pub fn set_end(&self, end: Timestamp) -> SessionResult<()> {
        self.set_catalog_value(&lids::PidLidAppointmentEndWhole, time_value(end)?)
    }

    /// `Location` (`PidLidLocation`).
    pub fn location(&self) -> SessionResult<Option<String>> {
        Ok(text(self.catalog_value(&lids::PidLidLocation)?))
    }

    pub fn set_location(&self, location: &str) -> SessionResult<()> {
        self.set_catalog_value(&lids::PidLidLocation, PropValue::String(location.to_owned()))
    }

    /// `AllDayEvent` (`PidLidAppointmentSubType`).
    pub fn all_day_event(&self) -> SessionResult<bool> {
        Ok(self
            .catalog_value(&lids::PidLidAppointmentSubType)?
            .and_then(|v| v.as_bool())
            .unwrap_or(false))
    }
}

impl MeetingItem {
    /// Start of the meeting the request is about.
    pub fn start(&self) -> SessionResult<Option<Timestamp>> {
        Ok(time(self.catalog_value(&lids::PidLidAppointmentStartWhole)?))
    }

    pub fn end(&self) -> SessionResult<Option<Timestamp>> {
        Ok(time(self.catalog_value(&lids::PidLidAppointmentEndWhole)?))
    }

    pub fn location(&self) -> SessionResult<Option<String>> {
        Ok(text(self.catalog_value(&lids::PidLidLocation)?))
    }
}

impl ContactItem {
    /// `FullName` (`PidTagDisplayName`).
    pub fn full_name(&self) -> SessionResult<Option<String>> {
        self.text_of(tags::PidTagDisplayName)
    }

    pub fn first_name(&self) -> SessionResult<Option<String>> {
        self.text_of(tags::PidTagGivenName)
    }

    pub fn last_name(&self) -> SessionResult<Option<String>> {
        self.text_of(tags::PidTagSurname)
    }

    pub fn company_name(&self) -> SessionResult<Option<String>> {
        self.text_of(tags::PidTagCompanyName)
    }

    /// `FileAs` (`PidLidFileUnder`).
    pub fn file_as(&self) -> SessionResult<Option<String>> {
        Ok(text(self.catalog_value(&lids::PidLidFileUnder)?))
    }

    /// `Email1Address` (`PidLidEmail1EmailAddress`).
    pub fn email1_address(&self) -> SessionResult<Option<String>> {
        Ok(text(self.catalog_value(&lids::PidLidEmail1EmailAddress)?))
    }

    pub fn set_email1_address(&self, address: &str) -> SessionResult<()> {
        self.set_catalog_value(&lids::PidLidEmail1EmailAddress, PropValue::String(address.into()))
    }

    pub fn business_telephone_number(&self) -> SessionResult<Option<String>> {
        self.text_of(tags::PidTagBusinessTelephoneNumber)
    }
}

impl DistListItem {
    /// `DLName` (`PidLidDistributionListName`, else the display name).
    pub fn dl_name(&self) -> SessionResult<Option<String>> {
        match text(self.catalog_value(&lids::PidLidDistributionListName)?) {
            Some(name) => Ok(Some(name)),
            None => self.text_of(tags::PidTagDisplayName),
        }
    }

    /// `MemberCount`: entries of `PidLidDistributionListMembers`.
    pub fn member_count(&self) -> SessionResult<usize> {
        Ok(self
            .catalog_value(&lids::PidLidDistributionListMembers)?
            .map(|v| v.value_count())
            .unwrap_or(0))
    }
}

impl TaskItem {
    pub fn due_date(&self) -> SessionResult<Option<Timestamp>> {
        Ok(time(self.catalog_value(&lids::PidLidTaskDueDate)?))
    }

    pub fn start_date(&self) -> SessionResult<Option<Timestamp>> {
        Ok(time(self.catalog_value(&lids::PidLidTaskStartDate)?))
    }

    /// `Complete` (`PidLidTaskComplete`).
    pub fn complete(&self) -> SessionResult<bool> {
        Ok(self
            .catalog_value(&lids::PidLidTaskComplete)?
            .and_then(|v| v.as_bool())
            .unwrap_or(false))
    }

    /// `Status` (`OlTaskStatus`, `PidLidTaskStatus`).
    pub fn status(&self) -> SessionResult<i32> {
        Ok(self.catalog_value(&lids::PidLidTaskStatus)?.and_then(|v| v.as_i32()).unwrap_or(0))
    }

    /// `PercentComplete` (stored as a fraction 0.0-1.0 in `PidLidPercentComplete`).
    pub fn percent_complete(&self) -> SessionResult<f64> {
        Ok(self
            .catalog_value(&lids::PidLidPercentComplete)?
            .and_then(|v| v.as_f64())
            .map(|f| f * 100.0)
            .unwrap_or(0.0))
    }
}

impl NoteItem {
    /// `Color` (`OlNoteColor`, `PidLidNoteColor`; yellow 3 when absent).
    pub fn color(&self) -> SessionResult<i32> {
        Ok(self.catalog_value(&lids::PidLidNoteColor)?.and_then(|v| v.as_i32()).unwrap_or(3))
    }
}

impl JournalItem {
    /// `Type` (`PidLidLogType`), e.g. "Phone call".
    pub fn journal_type(&self) -> SessionResult<Option<String>> {
        Ok(text(self.catalog_value(&lids::PidLidLogType)?))
    }

    pub fn start(&self) -> SessionResult<Option<Timestamp>> {
        Ok(time(self.catalog_value(&lids::PidLidLogStart)?))
    }

    pub fn end(&self) -> SessionResult<Option<Timestamp>> {
        Ok(time(self.catalog_value(&lids::PidLidLogEnd)?))
    }
}

impl ReportItem {
    /// The report's text (`PidTagReportText`).
    pub fn report_text(&self) -> SessionResult<Option<String>> {
        self.text_of(tags::PidTagReportText)
    }
}
