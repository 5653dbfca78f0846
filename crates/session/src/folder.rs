//! `Folder`: a folder of a mounted store (the OOM `Folder` object).

use crate::error::{SessionError, SessionResult};
use crate::events::EventKind;
use crate::item::Item;
use crate::items::Items;
use crate::store::Store;
use mapi::catalog::tags;
use mapi::provider::{self, DeleteFolderFlags, FolderKind};
use mapi::{MapiError, OlDefaultFolders, OlItemType, PropTag, PropValue, TaggedValue};
use std::sync::Arc;

/// Folders deeper than this are refused when walking up to the root, so a damaged store
/// whose parent IDs form a cycle cannot hang `folder_path`.
const MAX_FOLDER_DEPTH: usize = 512;

/// A folder. Cloning gives another handle to the same folder.
#[derive(Debug, Clone)]
pub struct Folder {
    store: Store,
    handle: Arc<dyn provider::Folder>,
}

fn text(value: Option<PropValue>) -> Option<String> {
    match value {
        Some(PropValue::String(s) | PropValue::String8(s)) => Some(s),
        _ => None,
    }
}

impl Folder {
    pub(crate) fn new(store: Store, handle: Arc<dyn provider::Folder>) -> Folder {
        Folder { store, handle }
    }

    /// `Folder.Name` (`PidTagDisplayName`).
    pub fn name(&self) -> SessionResult<String> {
        Ok(text(self.handle.get_prop(tags::PidTagDisplayName)?).unwrap_or_default())
    }

    /// Renames the folder (`Folder.Name = ...`).
    pub fn set_name(&self, name: &str) -> SessionResult<()> {
        self.store.check_writable("rename a folder")?;
        self.handle.set_props(&[TaggedValue {
            tag: tags::PidTagDisplayName,
            value: PropValue::String(name.to_owned()),
        }])?;
        if self.store.has_listeners() {
            let parent = self.parent()?.map(|p| p.entry_id_bytes());
            self.store.publish(
                EventKind::FolderChange,
                parent.as_deref(),
                &[&self.entry_id_bytes()],
            );
        }
        Ok(())
    }

    /// The folder's long-term entry ID.
    pub fn entry_id_bytes(&self) -> Vec<u8> {
        self.handle.entry_id()
    }

    /// `Folder.EntryID` as hex.
    pub fn entry_id(&self) -> String {
        mapi::hex::encode(&self.handle.entry_id())
    }

    /// `Folder.StoreID` as hex.
    pub fn store_id(&self) -> String {
        self.store.store_id()
    }

    /// `Folder.Store`.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The provider folder, for raw MAPI calls.
    pub fn handle(&self) -> &Arc<dyn provider::Folder> {
        &self.handle
    }

    /// `PidTagContainerClass`, e.g. `IPF.Appointment`; `None` when the folder has none.
    pub fn container_class(&self) -> SessionResult<Option<String>> {
        Ok(text(self.handle.get_prop(tags::PidTagContainerClass)?))
    }

    /// `Folder.DefaultItemType`, from the container class (a folder without one holds mail).
    pub fn default_item_type(&self) -> SessionResult<OlItemType> {
        Ok(OlItemType::for_container_class(self.container_class()?.as_deref()))
    }

    /// `Folder.DefaultMessageClass`.
    pub fn default_message_class(&self) -> SessionResult<&'static str> {
        Ok(self.default_item_type()?.default_message_class())
    }

    /// Number of (normal) items, from `PidTagContentCount`.
    pub fn item_count(&self) -> SessionResult<u32> {
        Ok(self.handle.get_prop(tags::PidTagContentCount)?.and_then(|v| v.as_i64()).unwrap_or(0)
            as u32)
    }

    /// `Folder.UnReadItemCount` (`PidTagContentUnreadCount`).
    pub fn unread_item_count(&self) -> SessionResult<u32> {
        Ok(self
            .handle
            .get_prop(tags::PidTagContentUnreadCount)?
            .and_then(|v| v.as_i64())
            .unwrap_or(0) as u32)
    }

    /// True for the top of the visible hierarchy (IPM subtree) and for the store's MAPI root.
    pub fn is_top(&self) -> bool {
        let id = self.handle.entry_id();
        self.store.ipm_subtree_id().as_deref() == Some(&id[..])
            || self.store.root_id().as_deref() == Some(&id[..])
    }

    fn parent_entry_id(&self) -> SessionResult<Option<Vec<u8>>> {
        Ok(match self.handle.get_prop(tags::PidTagParentEntryId)? {
            Some(PropValue::Binary(id)) if !id.is_empty() && id != self.handle.entry_id() => {
                Some(id)
            }
            _ => None,
        })
    }

    /// `Folder.Parent`: the folder above this one; `None` for the top of the hierarchy (in
    /// Outlook its parent is the NameSpace).
    pub fn parent(&self) -> SessionResult<Option<Folder>> {
        if self.is_top() {
            return Ok(None);
        }
        match self.parent_entry_id()? {
            Some(id) => Ok(Some(self.store.get_folder_from_id_bytes(&id)?)),
            None => Ok(None),
        }
    }

    /// `Folder.FolderPath`: `\\<store display name>\<folder>\<subfolder>`, counted from the
    /// top of the visible hierarchy (folders outside the IPM subtree count from the root).
    pub fn folder_path(&self) -> SessionResult<String> {
        let mut names = Vec::new();
        let mut current = self.clone();
        while !current.is_top() {
            if names.len() >= MAX_FOLDER_DEPTH {
                return Err(SessionError::Mapi(MapiError::corrupt(format!(
                    "folder {} is more than {MAX_FOLDER_DEPTH} levels deep; the parent IDs of \
                     store {:?} probably form a cycle",
                    self.entry_id(),
                    self.store.display_name()
                ))));
            }
            names.push(current.name()?);
            match current.parent()? {
                Some(parent) => current = parent,
                None => break,
            }
        }
        let mut path = format!("\\\\{}", self.store.display_name());
        for name in names.iter().rev() {
            path.push('\\');
            path.push_str(name);
        }
        Ok(path)
    }

    /// `Folder.Folders`: the child folders.
    pub fn folders(&self) -> SessionResult<Vec<Folder>> {
        let table = self.handle.hierarchy_table(false)?;
        table.set_columns(&[tags::PidTagEntryId])?;
        let mut folders = Vec::new();
        loop {
            let rows = table.query_rows(64)?;
            if rows.is_empty() {
                break;
            }
            for row in rows {
                if let Some(PropValue::Binary(id)) = row.into_iter().next().map(|v| v.value) {
                    folders.push(self.store.get_folder_from_id_bytes(&id)?);
                }
            }
        }
        Ok(folders)
    }

    /// The child folder with that display name (compared without regard to case).
    pub fn folder_named(&self, name: &str) -> SessionResult<Option<Folder>> {
        for folder in self.folders()? {
            if folder.name()?.to_lowercase() == name.to_lowercase() {
                return Ok(Some(folder));
            }
        }
        Ok(None)
    }

    /// `Folder.Items`.
    pub fn items(&self) -> Items {
        Items::new(self.clone())
    }

    /// `Folders.Add(Name, Type)`: a new child folder; `item_type` sets its container class
    /// (default: the parent's).
    pub fn create_folder(
        &self,
        name: &str,
        item_type: Option<OlItemType>,
    ) -> SessionResult<Folder> {
        self.store.check_writable("create a folder")?;
        let item_type = match item_type {
            Some(t) => t,
            None => self.default_item_type()?,
        };
        let handle = self.handle.create_folder(name, FolderKind::Generic, false)?;
        handle.set_props(&[TaggedValue {
            tag: tags::PidTagContainerClass,
            value: PropValue::String(item_type.container_class().to_owned()),
        }])?;
        let folder = Folder::new(self.store.clone(), Arc::from(handle));
        self.store.publish(
            EventKind::FolderAdd,
            Some(&self.entry_id_bytes()),
            &[&folder.entry_id_bytes()],
        );
        Ok(folder)
    }

    /// `Items.Add(Class)`: a new unsaved item of `message_class` (default: the folder's
    /// default message class). It exists once [`Item::save`] returns.
    pub fn create_item(&self, message_class: Option<&str>) -> SessionResult<Item> {
        self.store.check_writable("create an item")?;
        let class = match message_class {
            Some(class) => {
                check_message_class(class)?;
                class.to_owned()
            }
            None => self.default_message_class()?.to_owned(),
        };
        let message = self.handle.create_message(false)?;
        message.set_props(&[TaggedValue {
            tag: tags::PidTagMessageClass,
            value: PropValue::String(class),
        }])?;
        Item::open(self.store.clone(), Arc::from(message))
    }

    /// `Folder.MoveTo(DestinationFolder)`: moves the folder with its subtree into another
    /// folder. Within a store folder entry IDs survive the move; across stores it is
    /// copy-then-delete and the copy has new IDs (see `crate::copy`).
    pub fn move_to(&self, destination: &Folder) -> SessionResult<Folder> {
        self.store.check_writable("move a folder")?;
        let parent = self.parent()?.ok_or_else(|| {
            SessionError::Mapi(MapiError::invalid_parameter(
                "the top folder of a store cannot move",
            ))
        })?;
        let id = self.handle.entry_id();
        let target = destination.handle.entry_id();
        self.store.before_move(
            EventKind::BeforeFolderMove,
            &id,
            Some(&parent.entry_id_bytes()),
            Some(&target),
        )?;
        let moved = if destination.store.provider_uid() != self.store.provider_uid() {
            self.move_across_stores(destination)?
        } else {
            parent.handle.move_folder(&id, &target, None)?;
            self.store.get_folder_from_id_bytes(&id)?
        };
        self.store.publish(EventKind::FolderRemove, Some(&parent.entry_id_bytes()), &[&id]);
        destination.store.publish(EventKind::FolderAdd, Some(&target), &[&moved.entry_id_bytes()]);
        Ok(moved)
    }

    /// `Folder.Delete`: as in Outlook, moves the folder into Deleted Items; a folder already
    /// inside Deleted Items is deleted for good with everything in it.
    pub fn delete(&self) -> SessionResult<()> {
        self.store.check_writable("delete a folder")?;
        let parent = self.parent()?.ok_or_else(|| {
            SessionError::Mapi(MapiError::invalid_parameter(
                "the top folder of a store cannot be deleted",
            ))
        })?;
        let id = self.handle.entry_id();
        let wastebasket = self.store.default_folder_entry_id(OlDefaultFolders::DeletedItems).ok();
        if wastebasket.as_deref() == Some(&id[..]) {
            return Err(SessionError::Mapi(MapiError::invalid_parameter(
                "the Deleted Items folder itself cannot be deleted",
            )));
        }
        let into_wastebasket = match wastebasket {
            Some(wastebasket) if !self.is_inside(&wastebasket)? => Some(wastebasket),
            _ => None,
        };
        let parent_id = parent.entry_id_bytes();
        self.store.before_move(
            EventKind::BeforeFolderMove,
            &id,
            Some(&parent_id),
            into_wastebasket.as_deref(),
        )?;
        match &into_wastebasket {
            Some(wastebasket) => parent.handle.move_folder(&id, wastebasket, None)?,
            None => parent.handle.delete_folder(&id, DeleteFolderFlags::ALL)?,
        }
        self.store.publish(EventKind::FolderRemove, Some(&parent_id), &[&id]);
        if let Some(wastebasket) = &into_wastebasket {
            self.store.publish(EventKind::FolderAdd, Some(wastebasket), &[&id]);
        }
        Ok(())
    }

    /// Whether this folder lies (at any depth) under the folder with entry ID `ancestor`.
    pub fn is_inside(&self, ancestor: &[u8]) -> SessionResult<bool> {
        let mut current = self.parent()?;
        let mut depth = 0;
        while let Some(folder) = current {
            if folder.handle.entry_id() == ancestor {
                return Ok(true);
            }
            depth += 1;
            if depth > MAX_FOLDER_DEPTH {
                break;
            }
            current = folder.parent()?;
        }
        Ok(false)
    }

    /// A raw property of the folder.
    pub fn get_prop(&self, tag: PropTag) -> SessionResult<Option<PropValue>> {
        Ok(self.handle.get_prop(tag)?)
    }
}

/// A message class as MS-OXCMSG 2.2.1.3 allows it: 1 to 255 ASCII characters 0x20-0x7F, not
/// ending with a period. Anything else is refused rather than stored (an item without a class
/// opens as nothing in Outlook).
pub fn check_message_class(class: &str) -> SessionResult<()> {
    let problem = if class.is_empty() {
        Some("it is empty")
    } else if class.len() > 255 {
        Some("it is longer than 255 characters")
    } else if !class.bytes().all(|b| (0x20..=0x7F).contains(&b)) {
        Some("it has characters outside ASCII 0x20-0x7F")
    } else if class.ends_with('.') {
        Some("it ends with a period")
    } else {
        None
    };
    match problem {
        None => Ok(()),
        Some(problem) => Err(SessionError::Mapi(MapiError::invalid_parameter(format!(
            "{class:?} is not a message class: {problem} (MS-OXCMSG 2.2.1.3; e.g. IPM.Note)"
        )))),
    }
}
