//! `Store`: one mounted message store of a session (the OOM `Store` object).

use crate::error::{SessionError, SessionResult};
use crate::events::{Event, EventKind, EventSource};
use crate::folder::Folder;
use crate::item::Item;
use crate::profile::{StoreConfig, StoreKind};
use mapi::catalog::tags;
use mapi::entry_id::ProviderUid;
use mapi::provider::{self, MessageStore, PersistId, SpecialFolder};
use mapi::{
    EntryId, ErrorCode, MapiError, OlDefaultFolders, OlExchangeStoreType, PropValue,
    StoreObjectEntryId,
};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// The DLL name Outpost's store IDs give embedded mailboxes (MS-OXCDATA 2.2.4.3 wraps every
/// store ID with the name of the provider that opens it; there is no real DLL).
pub const EMBEDDED_STORE_DLL: &str = "outpost.dll";

/// A mounted message store. Cloning gives another handle to the same open store.
#[derive(Debug, Clone)]
pub struct Store {
    inner: Arc<StoreInner>,
}

#[derive(Debug)]
struct StoreInner {
    config: StoreConfig,
    display_name: String,
    backend: Arc<dyn MessageStore>,
    provider_uid: ProviderUid,
    /// Other provider UIDs the backend opens entry IDs of (an OST: its Exchange mailbox's).
    alias_uids: Vec<ProviderUid>,
    store_entry_id: Vec<u8>,
    /// Entry IDs of the root and the IPM subtree, looked up once.
    root_id: OnceLock<Option<Vec<u8>>>,
    ipm_subtree_id: OnceLock<Option<Vec<u8>>>,
    /// Where writes through this store report (none for a store opened outside a session).
    events: Option<EventSource>,
}

impl Store {
    /// Wraps an open backend as the store a profile entry names.
    pub fn new(config: StoreConfig, backend: Arc<dyn MessageStore>) -> Store {
        Store::with_events(config, backend, None)
    }

    /// As [`Store::new`], for a store of a session whose writes raise events.
    pub(crate) fn with_events(
        config: StoreConfig,
        backend: Arc<dyn MessageStore>,
        events: Option<EventSource>,
    ) -> Store {
        let provider_uid = ProviderUid::from_guid(backend.provider_uid());
        let alias_uids =
            backend.alias_provider_uids().into_iter().map(ProviderUid::from_guid).collect();
        let display_name = if !config.display_name.trim().is_empty() {
            config.display_name.clone()
        } else {
            // An empty name counts as none: OSTs leave `PidTagDisplayName` empty.
            match backend.get_prop(tags::PidTagDisplayName) {
                Ok(Some(PropValue::String(name) | PropValue::String8(name)))
                    if !name.trim().is_empty() =>
                {
                    name
                }
                _ => config
                    .path
                    .as_deref()
                    .and_then(Path::file_stem)
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_else(|| "Mailbox".to_owned()),
            }
        };
        // The provider's own `PidTagStoreEntryId` when it has one (the PST provider does),
        // else the form Outpost builds for embedded mailboxes.
        let store_entry_id = match backend.get_prop(tags::PidTagStoreEntryId) {
            Ok(Some(PropValue::Binary(id))) if !id.is_empty() => id,
            _ => store_entry_id(&config, provider_uid),
        };
        Store {
            inner: Arc::new(StoreInner {
                config,
                display_name,
                backend,
                provider_uid,
                alias_uids,
                store_entry_id,
                root_id: OnceLock::new(),
                ipm_subtree_id: OnceLock::new(),
                events,
            }),
        }
    }

    /// `Store.DisplayName`: the name the profile gives the store, else the store's
    /// `PidTagDisplayName`.
    pub fn display_name(&self) -> &str {
        &self.inner.display_name
    }

    /// `Store.StoreID` as hex: see [`Store::store_entry_id`].
    pub fn store_id(&self) -> String {
        mapi::hex::encode(&self.inner.store_entry_id)
    }

    /// The store's entry ID (`PidTagStoreEntryId`): a wrapped Store Object EntryID
    /// (MS-OXCDATA 2.2.4.3). A PST's is the PST provider's own (DLL `mspst.dll`, provider data
    /// = 4 flag bytes, the mspst provider UID, 4 zero bytes, the file path in UTF-16LE + NUL).
    /// An embedded mailbox's is built the same way with DLL `outpost.dll` and the mailbox's own
    /// provider UID in place of mspst's. Either routes back to the mounted store (by path or by
    /// provider UID).
    pub fn store_entry_id(&self) -> &[u8] {
        &self.inner.store_entry_id
    }

    /// The provider UID that starts every entry ID of this store.
    pub fn provider_uid(&self) -> ProviderUid {
        self.inner.provider_uid
    }

    /// Whether entry IDs with this provider UID belong to this store: its own, or one its
    /// backend also answers for (an OST opens its Exchange mailbox's IDs).
    pub fn answers_to_uid(&self, uid: ProviderUid) -> bool {
        uid == self.inner.provider_uid || self.inner.alias_uids.contains(&uid)
    }

    /// `Store.FilePath`: the file behind the store (`None` for server mailboxes).
    pub fn file_path(&self) -> Option<&Path> {
        self.inner.config.path.as_deref()
    }

    /// `Store.IsDataFileStore`: true for PST files and embedded mailboxes (both are local
    /// files).
    pub fn is_data_file_store(&self) -> bool {
        matches!(self.inner.config.kind, StoreKind::Pst | StoreKind::Embedded)
    }

    /// `Store.ExchangeStoreType`: `olNotExchange` for PST files and embedded mailboxes.
    pub fn exchange_store_type(&self) -> OlExchangeStoreType {
        match self.inner.config.kind {
            StoreKind::Server => OlExchangeStoreType::PrimaryExchangeMailbox,
            StoreKind::Embedded | StoreKind::Pst => OlExchangeStoreType::NotExchange,
        }
    }

    pub fn kind(&self) -> StoreKind {
        self.inner.config.kind
    }

    /// The key of the store's entry in the profile.
    pub fn key(&self) -> &str {
        &self.inner.config.key
    }

    pub fn config(&self) -> &StoreConfig {
        &self.inner.config
    }

    /// Whether writes through this store can succeed (PST files are mounted read-only).
    pub fn is_writable(&self) -> bool {
        self.inner.backend.is_writable()
    }

    /// The provider object, for raw MAPI calls.
    pub fn backend(&self) -> &Arc<dyn MessageStore> {
        &self.inner.backend
    }

    /// `Store.GetRootFolder`: as in Outlook, the top of the visible hierarchy, which is the IPM
    /// subtree ("Top of Information Store"); the store's MAPI root when it has none.
    pub fn root_folder(&self) -> SessionResult<Folder> {
        match self.ipm_subtree_id() {
            Some(id) => self.get_folder_from_id_bytes(&id),
            None => self.mapi_root_folder(),
        }
    }

    /// The root of the whole hierarchy (`IMsgStore::OpenEntry(NULL)`), above the IPM subtree.
    pub fn mapi_root_folder(&self) -> SessionResult<Folder> {
        let handle = self.inner.backend.root_folder()?;
        Ok(Folder::new(self.clone(), Arc::from(handle)))
    }

    pub(crate) fn root_id(&self) -> Option<Vec<u8>> {
        self.inner
            .root_id
            .get_or_init(|| self.inner.backend.root_folder().ok().map(|f| f.entry_id()))
            .clone()
    }

    pub(crate) fn ipm_subtree_id(&self) -> Option<Vec<u8>> {
        self.inner
            .ipm_subtree_id
            .get_or_init(|| {
                self.inner
                    .backend
                    .special_folder_entry_id(SpecialFolder::IpmSubtree)
                    .ok()
                    .map(|id| self.own_entry_id(id))
            })
            .clone()
    }

    /// Opens a folder of this store by entry ID.
    pub fn get_folder_from_id_bytes(&self, entry_id: &[u8]) -> SessionResult<Folder> {
        let handle = self.inner.backend.open_folder(entry_id)?;
        Ok(Folder::new(self.clone(), Arc::from(handle)))
    }

    /// Opens an item of this store by entry ID, as the typed item its message class says.
    pub fn get_item_from_id_bytes(&self, entry_id: &[u8]) -> SessionResult<Item> {
        let message = self.inner.backend.open_message(entry_id)?;
        Item::open(self.clone(), Arc::from(message))
    }

    /// Entry ID of a default folder, found the MS-OXOSFLD way; never creates anything.
    pub fn default_folder_entry_id(&self, kind: OlDefaultFolders) -> SessionResult<Vec<u8>> {
        let backend = &self.inner.backend;
        let located = match special_folder_of(kind) {
            Lookup::Special(which) => {
                backend.special_folder_entry_id(which).or_else(|err| self.stale_special(which, err))
            }
            Lookup::Persist(persist_id) => locate_persisted(backend.as_ref(), persist_id),
            Lookup::ExchangeOnly(why) => Err(MapiError::not_found(why)),
        };
        located.map(|id| self.own_entry_id(id)).map_err(|err| {
            if err.code == ErrorCode::NotFound {
                SessionError::Mapi(MapiError::not_found(format!(
                    "store {:?} has no {} folder ({}): {}",
                    self.display_name(),
                    kind.english_name(),
                    kind.constant_name(),
                    err.message
                )))
            } else {
                SessionError::Mapi(err)
            }
        })
    }

    /// An entry ID read from this store's own special-folder properties names a folder of
    /// this store (MS-OXOSFLD 2.2), so a different provider UID in it is stale: files made
    /// from a copy of another store (some PST samples) keep the old store's record key there.
    /// The ID is read with this store's UID instead, as the store would have written it.
    fn own_entry_id(&self, mut entry_id: Vec<u8>) -> Vec<u8> {
        if !self.owns_entry_id(&entry_id)
            && let Some(uid) = entry_id.get_mut(4..20)
        {
            tracing::debug!(
                store = %self.display_name(),
                stale = %mapi::hex::encode(uid),
                "special-folder entry ID carries another store's provider UID; using this store's"
            );
            uid.copy_from_slice(&self.inner.provider_uid.0);
        }
        entry_id
    }

    /// When a backend refuses a special folder because the ID its own properties hold names
    /// another provider, the generic MS-OXOSFLD lookup is repeated and the ID read with this
    /// store's UID (see [`Store::own_entry_id`]); it is used only if a folder opens by it.
    fn stale_special(&self, which: SpecialFolder, err: MapiError) -> mapi::MapiResult<Vec<u8>> {
        if err.code != ErrorCode::NotFound {
            return Err(err);
        }
        let backend = self.inner.backend.as_ref();
        match provider::locate(backend, which) {
            Ok(id) if !self.owns_entry_id(&id) => {
                let own = self.own_entry_id(id);
                match backend.open_folder(&own) {
                    Ok(_) => Ok(own),
                    Err(_) => Err(err),
                }
            }
            _ => Err(err),
        }
    }

    /// `Store.GetDefaultFolder`: the default folder of that type in this store. A store that
    /// lacks it gives `MAPI_E_NOT_FOUND` naming the store and the folder; nothing is created.
    pub fn get_default_folder(&self, kind: OlDefaultFolders) -> SessionResult<Folder> {
        let entry_id = self.default_folder_entry_id(kind)?;
        self.get_folder_from_id_bytes(&entry_id).map_err(|err| match err.code() {
            ErrorCode::NotFound | ErrorCode::InvalidEntryId => {
                SessionError::Mapi(MapiError::not_found(format!(
                    "store {:?} records its {} folder as {}, but it cannot be opened: {err}",
                    self.display_name(),
                    kind.english_name(),
                    mapi::hex::encode(&entry_id)
                )))
            }
            _ => err,
        })
    }

    /// `Store.GetSearchFolders`: the search folders under the store's search root (Finder);
    /// empty when the store has none.
    pub fn get_search_folders(&self) -> SessionResult<Vec<Folder>> {
        let Ok(finder) = self.inner.backend.special_folder_entry_id(SpecialFolder::Finder) else {
            return Ok(Vec::new());
        };
        let Ok(finder) = self.get_folder_from_id_bytes(&self.own_entry_id(finder)) else {
            return Ok(Vec::new());
        };
        finder.folders()
    }

    /// Whether `entry_id` starts with a provider UID of this store ([`Store::answers_to_uid`]).
    pub fn owns_entry_id(&self, entry_id: &[u8]) -> bool {
        entry_id
            .get(4..20)
            .and_then(|b| <[u8; 16]>::try_from(b).ok())
            .is_some_and(|uid| self.answers_to_uid(ProviderUid(uid)))
    }

    /// Refuses a write on a read-only store with `MAPI_E_NO_ACCESS`, naming it.
    /// Whether a write should build events at all (someone subscribed to the session's bus).
    pub(crate) fn has_listeners(&self) -> bool {
        self.inner.events.as_ref().is_some_and(|e| e.bus.has_subscribers())
    }

    /// Raises an event about this store (`folder` and `items` are entry IDs).
    pub(crate) fn publish(&self, kind: EventKind, folder: Option<&[u8]>, items: &[&[u8]]) {
        let Some(source) = &self.inner.events else { return };
        if !source.bus.has_subscribers() {
            return;
        }
        source.bus.publish(&Event {
            kind,
            profile: source.profile.clone(),
            store: self.display_name().to_owned(),
            store_id: self.store_id(),
            folder_entry_id: folder.map(mapi::hex::encode),
            entry_ids: items.iter().map(|id| mapi::hex::encode(id)).collect(),
            tag: None,
            target_folder_entry_id: None,
        });
    }

    /// `BeforeItemMove` / `BeforeFolderMove`: asks the in-process handlers (synchronously,
    /// before anything changes, no store lock held) and fails with `MAPI_E_USER_CANCEL` when
    /// one cancels; a move that goes ahead is then announced to subscribers, who cannot
    /// cancel. `to` is `None` for a deletion for good.
    pub(crate) fn before_move(
        &self,
        kind: EventKind,
        entry_id: &[u8],
        from: Option<&[u8]>,
        to: Option<&[u8]>,
    ) -> SessionResult<()> {
        let Some(source) = &self.inner.events else { return Ok(()) };
        let handlers = source.bus.has_move_handlers();
        if !handlers && !source.bus.has_subscribers() {
            return Ok(());
        }
        let request = crate::events::MoveRequest {
            kind,
            profile: source.profile.clone(),
            store: self.display_name().to_owned(),
            store_id: self.store_id(),
            entry_id: mapi::hex::encode(entry_id),
            folder_entry_id: from.map(mapi::hex::encode),
            target_folder_entry_id: to.map(mapi::hex::encode),
        };
        if handlers && source.bus.ask_before_move(&request) {
            let what = if kind == EventKind::BeforeFolderMove { "folder" } else { "item" };
            return Err(SessionError::Mapi(MapiError::new(
                mapi::ErrorCode::UserCancel,
                format!("a BeforeMove handler cancelled moving the {what} {}", request.entry_id),
            )));
        }
        source.bus.publish(&Event {
            kind,
            profile: request.profile,
            store: request.store,
            store_id: request.store_id,
            folder_entry_id: request.folder_entry_id,
            entry_ids: vec![request.entry_id],
            tag: None,
            target_folder_entry_id: request.target_folder_entry_id,
        });
        Ok(())
    }

    pub(crate) fn check_writable(&self, what: &str) -> SessionResult<()> {
        if self.is_writable() {
            return Ok(());
        }
        let why = match self.kind() {
            StoreKind::Pst => "PST files are mounted read-only",
            _ => "the store was opened read-only",
        };
        Err(SessionError::Mapi(MapiError::no_access(format!(
            "cannot {what}: store {:?} is read-only ({why})",
            self.display_name()
        ))))
    }
}

/// Where the session finds each `OlDefaultFolders` value.
enum Lookup {
    Special(SpecialFolder),
    /// A block of `PidTagAdditionalRenEntryIdsEx` that `SpecialFolder` does not name.
    Persist(PersistId),
    /// Folders that exist only on Exchange servers Outpost does not emulate.
    ExchangeOnly(&'static str),
}

fn special_folder_of(kind: OlDefaultFolders) -> Lookup {
    use OlDefaultFolders as K;
    Lookup::Special(match kind {
        K::DeletedItems => SpecialFolder::DeletedItems,
        K::Outbox => SpecialFolder::Outbox,
        K::SentMail => SpecialFolder::SentItems,
        K::Inbox => SpecialFolder::Inbox,
        K::Calendar => SpecialFolder::Calendar,
        K::Contacts => SpecialFolder::Contacts,
        K::Journal => SpecialFolder::Journal,
        K::Notes => SpecialFolder::Notes,
        K::Tasks => SpecialFolder::Tasks,
        K::Drafts => SpecialFolder::Drafts,
        K::Conflicts => SpecialFolder::Conflicts,
        K::SyncIssues => SpecialFolder::SyncIssues,
        K::LocalFailures => SpecialFolder::LocalFailures,
        K::ServerFailures => SpecialFolder::ServerFailures,
        K::Junk => SpecialFolder::JunkEmail,
        K::RssFeeds => SpecialFolder::RssFeeds,
        K::ToDo => SpecialFolder::ToDoSearch,
        // MS-OXOSFLD 2.2.4.2: PersistID 0x8008 in PidTagAdditionalRenEntryIdsEx.
        K::SuggestedContacts => return Lookup::Persist(PersistId::SuggestedContacts),
        K::AllPublicFolders => {
            return Lookup::ExchangeOnly(
                "All Public Folders belongs to an Exchange public folder store, which Outpost \
                 does not mount",
            );
        }
        K::ManagedEmail => {
            return Lookup::ExchangeOnly(
                "Managed Folders exist only where an Exchange server deployed them",
            );
        }
    })
}

/// A `PidTagAdditionalRenEntryIdsEx` block on the Inbox, else the root (MS-OXOSFLD 2.2.4).
fn locate_persisted(store: &dyn MessageStore, persist_id: PersistId) -> mapi::MapiResult<Vec<u8>> {
    let tag = mapi::PropTag::new(0x36D9, mapi::PropType::Binary);
    let mut holders = Vec::new();
    if let Ok(inbox) = store.special_folder_entry_id(SpecialFolder::Inbox)
        && let Ok(folder) = store.open_folder(&inbox)
    {
        holders.push(folder);
    }
    holders.push(store.root_folder()?);
    for holder in holders {
        if let Some(PropValue::Binary(bytes)) = holder.get_prop(tag)? {
            let blocks = provider::ren_entry_ids_ex_decode(&bytes)?;
            if let Some((_, id)) =
                blocks.into_iter().find(|(id, e)| *id == persist_id && !e.is_empty())
            {
                return Ok(id);
            }
            return Err(MapiError::not_found(format!(
                "PidTagAdditionalRenEntryIdsEx has no block 0x{:04X}",
                persist_id.code()
            )));
        }
    }
    Err(MapiError::not_found("neither the Inbox nor the root has PidTagAdditionalRenEntryIdsEx"))
}

/// The store ID of [`Store::store_entry_id`].
fn store_entry_id(config: &StoreConfig, uid: ProviderUid) -> Vec<u8> {
    let dll = match config.kind {
        StoreKind::Pst => StoreObjectEntryId::PST_DLL,
        StoreKind::Embedded | StoreKind::Server => EMBEDDED_STORE_DLL,
    };
    let mut data = Vec::with_capacity(64);
    data.extend_from_slice(&[0; 4]);
    data.extend_from_slice(&uid.0);
    data.extend_from_slice(&[0; 4]);
    let location = match (&config.path, &config.url) {
        (Some(path), _) => path.to_string_lossy().into_owned(),
        (None, Some(url)) => url.clone(),
        (None, None) => config.key.clone(),
    };
    data.extend(location.encode_utf16().chain([0]).flat_map(u16::to_le_bytes));
    EntryId::StoreObject(StoreObjectEntryId::wrap(dll, data)).encode()
}

/// A parsed store ID: `MAPI_E_INVALID_ENTRYID` for bytes that are not a store entry ID.
pub(crate) fn parse_store_id(store_id: &[u8]) -> SessionResult<EntryId> {
    match EntryId::decode(store_id).map_err(MapiError::from)? {
        parsed @ EntryId::StoreObject(_) => Ok(parsed),
        other => Err(SessionError::Mapi(MapiError::invalid_entry_id(format!(
            "not a store ID: a {} entry ID (store IDs use provider UID {})",
            other.kind_name(),
            ProviderUid::STORE_WRAP
        )))),
    }
}

impl Store {
    /// Whether a parsed store ID names this store: the same store by meaning (DLL and file
    /// path, `EntryId::same_object`), or a wrapper around this store's provider UID.
    pub(crate) fn answers_to(&self, store_id: &EntryId) -> bool {
        if let EntryId::StoreObject(wrapped) = store_id
            && wrapped.wrapped_provider_uid() == Some(self.provider_uid())
        {
            return true;
        }
        EntryId::decode(self.store_entry_id())
            .is_ok_and(|mine| EntryId::same_object(&mine, store_id))
    }
}

/// The file path of a store, for matching `STORE` arguments.
pub(crate) fn same_path(a: &Path, b: &Path) -> bool {
    let canonical = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| PathBuf::from(p));
    canonical(a) == canonical(b)
}
