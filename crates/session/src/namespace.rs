//! `NameSpace`: a logged-on session over the stores of one profile.

use crate::application::profile_for_logon;
use crate::backend;
use crate::error::{SessionError, SessionResult};
use crate::events::{EventBus, EventFilter, EventKind, EventReceiver, EventSource};
use crate::folder::Folder;
use crate::item::Item;
use crate::paths::OutpostPaths;
use crate::profile::{ProfileRegistry, StoreConfig, StoreKind, UserIdentity};
use crate::recipient::{self, Account, Recipient};
use crate::store::{self, Store};
use mapi::entry_id::ProviderUid;
use mapi::{EntryId, ErrorCode, MapiError, OlDefaultFolders, OlStoreType};
use std::path::Path;
use std::sync::{Arc, RwLock, Weak};

/// A mounted store that could not be opened at logon, with the reason.
#[derive(Debug, Clone)]
pub struct UnavailableStore {
    pub config: StoreConfig,
    pub error: MapiError,
}

/// Options of [`NameSpace::add_store_with`].
#[derive(Debug, Clone, Default)]
pub struct AddStoreOptions {
    /// The name the profile shows for the store (default: the store's own display name).
    pub display_name: Option<String>,
    /// The password of a password-protected PST; remembered in the profile.
    pub password: Option<String>,
}

#[derive(Debug)]
struct LoggedOn {
    profile_name: String,
    user: UserIdentity,
    stores: Vec<Store>,
    default_key: Option<String>,
    unavailable: Vec<UnavailableStore>,
}

/// The shared state behind every clone of a namespace.
#[derive(Debug, Default)]
pub struct NameSpaceState {
    logged_on: RwLock<Option<LoggedOn>>,
    /// The application's bus (shared by all its namespaces).
    events: EventBus,
}

/// The `NameSpace` object: `Type` is always "MAPI". Cloning gives another handle to the same
/// session; handles are `Send + Sync`.
#[derive(Debug, Clone)]
pub struct NameSpace {
    paths: OutpostPaths,
    registry: ProfileRegistry,
    state: Arc<NameSpaceState>,
}

fn entry_id_bytes(what: &str, hex_text: &str) -> SessionResult<Vec<u8>> {
    mapi::hex::decode(hex_text.trim()).map_err(|err| {
        SessionError::Mapi(MapiError::invalid_entry_id(format!("{what} {hex_text:?}: {err}")))
    })
}

impl NameSpace {
    pub(crate) fn new(paths: OutpostPaths, events: EventBus) -> NameSpace {
        let registry = ProfileRegistry::new(&paths);
        let state = NameSpaceState { logged_on: RwLock::new(None), events };
        NameSpace { paths, registry, state: Arc::new(state) }
    }

    /// The event bus writes through this session report to (the application's: shared by
    /// every namespace of the application). See [`crate::events`].
    pub fn events(&self) -> &EventBus {
        &self.state.events
    }

    /// Subscribes to the events of this session's profile (of every profile when the
    /// namespace is not logged on yet), optionally of one folder only, through a bounded
    /// channel of `capacity` events.
    pub fn subscribe(&self, folder: Option<&Folder>, capacity: usize) -> EventReceiver {
        let profile = self.current_profile_name();
        let filter = EventFilter {
            profile: (!profile.is_empty()).then_some(profile),
            folder_entry_id: folder.map(Folder::entry_id),
        };
        self.state.events.subscribe_channel(filter, capacity)
    }

    fn event_source(&self, profile: &str) -> Option<EventSource> {
        Some(EventSource { bus: self.state.events.clone(), profile: profile.to_owned() })
    }

    pub(crate) fn from_state(paths: OutpostPaths, state: Arc<NameSpaceState>) -> NameSpace {
        let registry = ProfileRegistry::new(&paths);
        NameSpace { paths, registry, state }
    }

    pub(crate) fn downgrade(&self) -> Weak<NameSpaceState> {
        Arc::downgrade(&self.state)
    }

    /// `NameSpace.Type`.
    pub fn namespace_type(&self) -> &'static str {
        crate::application::NAMESPACE_TYPE
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Option<LoggedOn>> {
        self.state.logged_on.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Option<LoggedOn>> {
        self.state.logged_on.write().unwrap_or_else(|e| e.into_inner())
    }

    /// `Logon(Profile, Password, ShowDialog, NewSession)`.
    ///
    /// - `profile` `None` or `""`: the default profile; on first use profile `Outlook` is
    ///   created with an embedded mailbox for the OS user. An unknown profile is
    ///   `MAPI_E_LOGON_FAILED` naming the profiles that exist.
    /// - `password`: the legacy MAPI profile password; ignored, as by Outlook.
    /// - `show_dialog`: Outpost never shows dialogs; `true` is accepted and ignored.
    /// - `new_session`: on a namespace already logged on, `false` keeps the current session
    ///   (Outlook's rule), `true` logs off and logs on to `profile` (Outlook cannot).
    ///
    /// A store other than the default that fails to open does not fail the logon: it is
    /// listed by [`NameSpace::unavailable_stores`].
    pub fn logon(
        &self,
        profile: Option<&str>,
        password: Option<&str>,
        show_dialog: bool,
        new_session: bool,
    ) -> SessionResult<()> {
        let _ = (password, show_dialog);
        let mut guard = self.write();
        if guard.is_some() {
            if !new_session {
                return Ok(());
            }
            *guard = None;
        }
        let profile = profile_for_logon(&self.paths, &self.registry, profile)?;
        let mut stores = Vec::new();
        let mut unavailable = Vec::new();
        for config in &profile.stores {
            match backend::open_store(config) {
                Ok(backend) => stores.push(Store::with_events(
                    config.clone(),
                    backend,
                    self.event_source(&profile.name),
                )),
                Err(error) if profile.default_store.as_deref() == Some(config.key.as_str()) => {
                    return Err(SessionError::Mapi(MapiError::new(
                        ErrorCode::LogonFailed,
                        format!(
                            "profile {:?}: cannot open its default store {:?}: {error}",
                            profile.name, config.display_name
                        ),
                    )));
                }
                Err(error) => {
                    tracing::warn!(store = %config.display_name, %error, "store unavailable");
                    unavailable.push(UnavailableStore { config: config.clone(), error });
                }
            }
        }
        *guard = Some(LoggedOn {
            profile_name: profile.name.clone(),
            user: profile.user.clone(),
            stores,
            default_key: profile.default_store.clone(),
            unavailable,
        });
        Ok(())
    }

    /// `Logoff`: ends the session; its store handles close when the last clone is dropped.
    pub fn logoff(&self) {
        *self.write() = None;
    }

    pub fn is_logged_on(&self) -> bool {
        self.read().is_some()
    }

    /// Runs `f` on the session, logging on to the default profile first if needed (Outlook
    /// initialises MAPI with the default profile on first use, too).
    fn with<T>(&self, f: impl FnOnce(&LoggedOn) -> SessionResult<T>) -> SessionResult<T> {
        {
            let guard = self.read();
            if let Some(state) = guard.as_ref() {
                return f(state);
            }
        }
        self.logon(None, None, false, false)?;
        let guard = self.read();
        match guard.as_ref() {
            Some(state) => f(state),
            None => Err(SessionError::Mapi(MapiError::new(
                ErrorCode::NotInitialized,
                "the session was logged off while in use",
            ))),
        }
    }

    /// `CurrentProfileName`: "" when not logged on.
    pub fn current_profile_name(&self) -> String {
        self.read().as_ref().map(|s| s.profile_name.clone()).unwrap_or_default()
    }

    /// `CurrentUser`: the profile's identity as a resolved recipient (one-off entry ID).
    pub fn current_user(&self) -> SessionResult<Recipient> {
        self.with(|s| Ok(Recipient::smtp(&s.user.display_name, &s.user.address)))
    }

    /// `Stores`: every store that is open, the default one first.
    pub fn stores(&self) -> SessionResult<Vec<Store>> {
        self.with(|s| {
            let mut stores = s.stores.clone();
            stores.sort_by_key(|st| Some(st.key()) != s.default_key.as_deref());
            Ok(stores)
        })
    }

    /// Stores of the profile that could not be opened at logon.
    pub fn unavailable_stores(&self) -> Vec<UnavailableStore> {
        self.read().as_ref().map(|s| s.unavailable.clone()).unwrap_or_default()
    }

    /// `DefaultStore`; `MAPI_E_NOT_FOUND` when the profile has none.
    pub fn default_store(&self) -> SessionResult<Store> {
        self.with(|s| {
            s.default_key
                .as_deref()
                .and_then(|key| s.stores.iter().find(|st| st.key() == key))
                .cloned()
                .ok_or_else(|| {
                    SessionError::Mapi(MapiError::not_found(format!(
                        "profile {:?} has no default store",
                        s.profile_name
                    )))
                })
        })
    }

    /// `Folders`: the top folder of every store.
    pub fn folders(&self) -> SessionResult<Vec<Folder>> {
        self.stores()?.iter().map(Store::root_folder).collect()
    }

    /// `GetDefaultFolder(FolderType)`: in the default store; never creates anything. A store
    /// without that folder gives `MAPI_E_NOT_FOUND` saying which.
    pub fn get_default_folder(&self, kind: OlDefaultFolders) -> SessionResult<Folder> {
        self.default_store()?.get_default_folder(kind)
    }

    fn store_by_uid(&self, uid: ProviderUid) -> SessionResult<Option<Store>> {
        self.with(|s| {
            Ok(s.stores
                .iter()
                .find(|st| st.provider_uid() == uid)
                .or_else(|| s.stores.iter().find(|st| st.answers_to_uid(uid)))
                .cloned())
        })
    }

    fn store_by_store_id(&self, store_id: &[u8]) -> SessionResult<Option<Store>> {
        let parsed = store::parse_store_id(store_id)?;
        self.with(|s| Ok(s.stores.iter().find(|st| st.answers_to(&parsed)).cloned()))
    }

    fn mounted_summary(&self) -> String {
        self.read()
            .as_ref()
            .map(|s| {
                s.stores
                    .iter()
                    .map(|st| format!("{:?} ({})", st.display_name(), st.provider_uid()))
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default()
    }

    /// The store an entry ID belongs to: the one named by `store_id`, else the mounted store
    /// whose provider UID starts the entry ID (MAPI routes `OpenEntry` the same way).
    pub fn route(&self, entry_id: &[u8], store_id: Option<&[u8]>) -> SessionResult<Store> {
        if let Some(store_id) = store_id {
            return self.store_by_store_id(store_id)?.ok_or_else(|| {
                SessionError::Mapi(MapiError::new(
                    ErrorCode::Unconfigured,
                    format!(
                        "the information store could not be opened: the store ID names no store \
                         mounted in profile {:?}",
                        self.current_profile_name()
                    ),
                ))
            });
        }
        // Bytes 4..20 are the provider UID of every entry ID (MS-OXCDATA 2.2.1); the owning
        // store validates the rest, so the hot path parses nothing else.
        let uid = match entry_id.get(4..20).and_then(|b| <[u8; 16]>::try_from(b).ok()) {
            Some(bytes) => ProviderUid(bytes),
            None => {
                return Err(SessionError::Mapi(
                    EntryId::decode(entry_id).err().map(MapiError::from).unwrap_or_else(|| {
                        MapiError::invalid_entry_id("entry ID shorter than 20 bytes")
                    }),
                ));
            }
        };
        if let Some(store) = self.store_by_uid(uid)? {
            return Ok(store);
        }
        let kind = EntryId::decode(entry_id).map_err(MapiError::from)?.kind_name();
        Err(SessionError::Mapi(MapiError::not_found(format!(
            "no store mounted in profile {:?} has provider UID {uid} (a {kind} entry ID); \
             mounted: {}",
            self.current_profile_name(),
            self.mounted_summary()
        ))))
    }

    /// `GetFolderFromID(EntryIDFolder, EntryIDStore)`, IDs in hex.
    pub fn get_folder_from_id(
        &self,
        entry_id: &str,
        store_id: Option<&str>,
    ) -> SessionResult<Folder> {
        let id = entry_id_bytes("folder entry ID", entry_id)?;
        let store_id = store_id.map(|s| entry_id_bytes("store ID", s)).transpose()?;
        self.get_folder_from_id_bytes(&id, store_id.as_deref())
    }

    pub fn get_folder_from_id_bytes(
        &self,
        entry_id: &[u8],
        store_id: Option<&[u8]>,
    ) -> SessionResult<Folder> {
        self.route(entry_id, store_id)?.get_folder_from_id_bytes(entry_id)
    }

    /// `GetItemFromID(EntryIDItem, EntryIDStore)`, IDs in hex. Without a store ID the item is
    /// looked for in whichever mounted store its provider UID names (Outlook only searches the
    /// default store). A malformed ID is `MAPI_E_INVALID_ENTRYID`, an ID of no mounted store or
    /// of a deleted item `MAPI_E_NOT_FOUND`.
    pub fn get_item_from_id(&self, entry_id: &str, store_id: Option<&str>) -> SessionResult<Item> {
        let id = entry_id_bytes("item entry ID", entry_id)?;
        let store_id = store_id.map(|s| entry_id_bytes("store ID", s)).transpose()?;
        self.get_item_from_id_bytes(&id, store_id.as_deref())
    }

    pub fn get_item_from_id_bytes(
        &self,
        entry_id: &[u8],
        store_id: Option<&[u8]>,
    ) -> SessionResult<Item> {
        self.route(entry_id, store_id)?.get_item_from_id_bytes(entry_id)
    }

    /// `GetStoreFromID(ID)`: the mounted store with that store ID (hex); `MAPI_E_NOT_FOUND`
    /// when none is.
    pub fn get_store_from_id(&self, store_id: &str) -> SessionResult<Store> {
        let bytes = entry_id_bytes("store ID", store_id)?;
        self.store_by_store_id(&bytes)?.ok_or_else(|| {
            SessionError::Mapi(MapiError::not_found(format!(
                "the store ID names no store mounted in profile {:?}",
                self.current_profile_name()
            )))
        })
    }

    /// `CompareEntryIDs(FirstEntryID, SecondEntryID)`, by meaning: IDs of different providers
    /// are never equal; store-object, one-off and address-book IDs compare by what they name;
    /// object IDs are handed to the store that owns them. A malformed ID is
    /// `MAPI_E_INVALID_ENTRYID`; an object ID of no mounted store `MAPI_E_UNKNOWN_ENTRYID`.
    pub fn compare_entry_ids(&self, first: &str, second: &str) -> SessionResult<bool> {
        let a = entry_id_bytes("first entry ID", first)?;
        let b = entry_id_bytes("second entry ID", second)?;
        self.compare_entry_id_bytes(&a, &b)
    }

    pub fn compare_entry_id_bytes(&self, a: &[u8], b: &[u8]) -> SessionResult<bool> {
        let first = EntryId::decode(a).map_err(MapiError::from)?;
        let second = EntryId::decode(b).map_err(MapiError::from)?;
        let is_object = |id: &EntryId| {
            !matches!(
                id,
                EntryId::StoreObject(_)
                    | EntryId::OneOff(_)
                    | EntryId::AddressBook(_)
                    | EntryId::ContactAddress(_)
            )
        };
        if first.provider_uid() != second.provider_uid() {
            // Two forms of one object's ID: a store may answer for two provider UIDs (an OST
            // for its own IDs and for its Exchange mailbox's), and then it compares them.
            if is_object(&first)
                && is_object(&second)
                && let Some(store) = self.store_by_uid(first.provider_uid())?
                && store.answers_to_uid(second.provider_uid())
            {
                return Ok(store.backend().compare_entry_ids(a, b)?);
            }
            return Ok(false);
        }
        match first {
            EntryId::StoreObject(_)
            | EntryId::OneOff(_)
            | EntryId::AddressBook(_)
            | EntryId::ContactAddress(_) => Ok(EntryId::same_object(&first, &second)),
            _ => match self.store_by_uid(first.provider_uid())? {
                Some(store) => Ok(store.backend().compare_entry_ids(a, b)?),
                None => Err(SessionError::Mapi(MapiError::new(
                    ErrorCode::UnknownEntryId,
                    format!(
                        "no mounted store has provider UID {}, so no provider can compare these \
                         IDs",
                        first.provider_uid()
                    ),
                ))),
            },
        }
    }

    /// A store named by display name (case-insensitive), store ID (hex) or file path.
    pub fn find_store(&self, text: &str) -> SessionResult<Store> {
        let stores = self.stores()?;
        let wanted = text.trim();
        if let Some(store) = stores.iter().find(|s| s.display_name().eq_ignore_ascii_case(wanted)) {
            return Ok(store.clone());
        }
        if let Ok(bytes) = mapi::hex::decode(wanted)
            && let Ok(parsed) = store::parse_store_id(&bytes)
            && let Some(store) = stores.iter().find(|s| s.answers_to(&parsed))
        {
            return Ok(store.clone());
        }
        let path = Path::new(wanted);
        if let Some(store) =
            stores.iter().find(|s| s.file_path().is_some_and(|p| store::same_path(p, path)))
        {
            return Ok(store.clone());
        }
        let names: Vec<String> = stores.iter().map(|s| format!("{:?}", s.display_name())).collect();
        Err(SessionError::Mapi(MapiError::not_found(format!(
            "no mounted store is called {wanted:?} or has that store ID or file path; stores: {}",
            names.join(", ")
        ))))
    }

    /// A folder by `FolderPath` (`\\Store\Inbox\Sub`); names compare without regard to case.
    pub fn folder_from_path(&self, path: &str) -> SessionResult<Folder> {
        let trimmed = path.trim().trim_start_matches('\\');
        let mut parts = trimmed.split('\\').filter(|p| !p.is_empty());
        let store_name = parts.next().ok_or_else(|| {
            SessionError::Mapi(MapiError::invalid_parameter(format!(
                "folder path {path:?} names no store; expected \\\\Store\\Folder\\..."
            )))
        })?;
        let store = self.find_store(store_name)?;
        let mut folder = store.root_folder()?;
        for part in parts {
            folder = folder.folder_named(part)?.ok_or_else(|| {
                SessionError::Mapi(MapiError::not_found(format!(
                    "folder path {path:?}: no folder {part:?} under {}",
                    folder.folder_path().unwrap_or_default()
                )))
            })?;
        }
        Ok(folder)
    }

    /// `AddStore(Store)`: mounts the PST (or embedded mailbox) at `path` and keeps it in the
    /// profile. Returns the store (Outlook returns nothing). Mounting a file that is already
    /// mounted returns that store.
    pub fn add_store(&self, path: &Path) -> SessionResult<Store> {
        self.add_store_with(path, &AddStoreOptions::default())
    }

    /// `AddStoreEx(Store, Type)`: as `add_store`; the type only matters for creating a new
    /// PST, which needs the PST writer (not there yet).
    pub fn add_store_ex(&self, path: &Path, store_type: OlStoreType) -> SessionResult<Store> {
        let _ = store_type;
        self.add_store(path)
    }

    pub fn add_store_with(&self, path: &Path, options: &AddStoreOptions) -> SessionResult<Store> {
        self.with(|_| Ok(()))?;
        if !path.exists() {
            return Err(SessionError::Mapi(MapiError::new(
                ErrorCode::NoSupport,
                format!(
                    "{}: no such file; creating a new PST comes with the PST writer, which \
                     Outpost does not have yet",
                    path.display()
                ),
            )));
        }
        let path = std::fs::canonicalize(path)
            .map_err(|source| SessionError::Io { path: path.to_owned(), source })?;
        if let Some(existing) = self
            .stores()?
            .into_iter()
            .find(|s| s.file_path().is_some_and(|p| store::same_path(p, &path)))
        {
            return Ok(existing);
        }
        let kind = backend::detect_kind(&path)?.ok_or_else(|| {
            SessionError::Mapi(MapiError::invalid_parameter(format!(
                "{}: neither a PST file (no \"!BDN\" signature) nor an Outpost mailbox",
                path.display()
            )))
        })?;
        let mut config = StoreConfig {
            key: String::new(),
            kind,
            display_name: options.display_name.clone().unwrap_or_default(),
            path: Some(path.clone()),
            url: None,
            password: options.password.clone(),
        };
        let opened = backend::open_store(&config)?;
        let mut guard = self.write();
        let state = guard.as_mut().ok_or_else(crate::application::not_logged_on)?;
        let uid = ProviderUid::from_guid(opened.provider_uid());
        if let Some(clash) = state.stores.iter().find(|s| s.provider_uid() == uid) {
            return Err(SessionError::Mapi(MapiError::new(
                ErrorCode::Collision,
                format!(
                    "{} has provider UID {uid}, the same as mounted store {:?} (a copy of the \
                     same file?); entry IDs could not tell them apart",
                    path.display(),
                    clash.display_name()
                ),
            )));
        }
        let profile_name = state.profile_name.clone();
        config.key = self.registry.update(|set| {
            let profile = set.get_mut(&profile_name).ok_or_else(|| {
                SessionError::ProfileNotFound { name: profile_name.clone(), existing: Vec::new() }
            })?;
            let mut n = profile.stores.len() + 1;
            while profile.stores.iter().any(|s| s.key == format!("store-{n}")) {
                n += 1;
            }
            let mut saved = config.clone();
            saved.key = format!("store-{n}");
            let store = Store::new(saved.clone(), opened.clone());
            saved.display_name = store.display_name().to_owned();
            profile.stores.push(saved);
            Ok(format!("store-{n}"))
        })?;
        let store = Store::with_events(config.clone(), opened, self.event_source(&profile_name));
        state.stores.push(store.clone());
        drop(guard);
        store.publish(EventKind::StoreAdd, None, &[]);
        Ok(store)
    }

    /// `RemoveStore(Folder)`: unmounts the store whose root folder this is and drops it from
    /// the profile. The file is never deleted. The default store cannot be removed.
    pub fn remove_store(&self, root: &Folder) -> SessionResult<()> {
        self.remove_store_by(root.store())
    }

    pub fn remove_store_by(&self, target: &Store) -> SessionResult<()> {
        let mut guard = self.write();
        let state = guard.as_mut().ok_or_else(crate::application::not_logged_on)?;
        let key = target.key().to_owned();
        if state.default_key.as_deref() == Some(key.as_str()) {
            return Err(SessionError::Mapi(MapiError::invalid_parameter(format!(
                "store {:?} is the default store of profile {:?} and cannot be removed",
                target.display_name(),
                state.profile_name
            ))));
        }
        self.forget_store_in_profile(&state.profile_name, &key)?;
        let removed =
            state.stores.iter().position(|s| s.key() == key).map(|i| state.stores.remove(i));
        state.unavailable.retain(|u| u.config.key != key);
        drop(guard);
        if let Some(removed) = removed {
            removed.publish(EventKind::StoreRemove, None, &[]);
        }
        Ok(())
    }

    /// Drops from the profile a store that could not be opened at logon (its file was
    /// deleted or moved), named by display name (case-insensitive) or file path. There is no
    /// store object to pass to [`NameSpace::remove_store_by`] for it, and without this the
    /// profile keeps listing it until profiles.toml is edited by hand.
    pub fn remove_unavailable_store(&self, text: &str) -> SessionResult<UnavailableStore> {
        let mut guard = self.write();
        let state = guard.as_mut().ok_or_else(crate::application::not_logged_on)?;
        let wanted = text.trim();
        let position = state
            .unavailable
            .iter()
            .position(|u| u.config.display_name.eq_ignore_ascii_case(wanted))
            .or_else(|| {
                state.unavailable.iter().position(|u| {
                    u.config.path.as_deref().is_some_and(|p| store::same_path(p, Path::new(wanted)))
                })
            })
            .ok_or_else(|| {
                let names: Vec<String> = state
                    .unavailable
                    .iter()
                    .map(|u| format!("{:?}", u.config.display_name))
                    .collect();
                SessionError::Mapi(MapiError::not_found(format!(
                    "no mounted or unavailable store is called {wanted:?} or has that file path; \
                     unavailable stores: {}",
                    if names.is_empty() { "(none)".to_owned() } else { names.join(", ") }
                )))
            })?;
        let key = state.unavailable[position].config.key.clone();
        self.forget_store_in_profile(&state.profile_name, &key)?;
        Ok(state.unavailable.remove(position))
    }

    /// Drops the store `key` from profile `profile_name` in the registry (profiles.toml), so
    /// the next logon no longer mounts or lists it.
    fn forget_store_in_profile(&self, profile_name: &str, key: &str) -> SessionResult<()> {
        self.registry.update(|set| {
            if let Some(profile) = set.get_mut(profile_name) {
                profile.stores.retain(|s| s.key != key);
            }
            Ok(())
        })
    }

    /// `CreateRecipient(RecipientName)`: unresolved until [`NameSpace::resolve`].
    pub fn create_recipient(&self, name: &str) -> SessionResult<Recipient> {
        if name.trim().is_empty() {
            return Err(SessionError::Mapi(MapiError::invalid_parameter(
                "a recipient needs a name or an address",
            )));
        }
        Ok(Recipient::unresolved(name))
    }

    /// `Recipient.Resolve`: looks the name up in the Contacts folder of every store of the
    /// profile (display name or e-mail address, ignoring case); an SMTP address no contact
    /// has resolves to itself. Returns whether the recipient is resolved; several matching
    /// contacts leave it unresolved, as an ambiguous name does in Outlook.
    pub fn resolve(&self, recipient: &mut Recipient) -> SessionResult<bool> {
        let mut found = Vec::new();
        for store in self.stores()? {
            found.extend(recipient::contact_matches(&store, &recipient.name)?);
        }
        found.sort();
        found.dedup_by(|a, b| a.1.eq_ignore_ascii_case(&b.1));
        match found.as_slice() {
            [(name, address)] => *recipient = Recipient::smtp(name, address),
            [] if looks_like_smtp(&recipient.name) => {
                let address = recipient.name.clone();
                *recipient = Recipient::smtp(&address, &address);
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// `Accounts`: one per mailbox of the profile (PST files are not accounts); empty when not
    /// logged on.
    pub fn accounts(&self) -> Vec<Account> {
        let guard = self.read();
        let Some(state) = guard.as_ref() else { return Vec::new() };
        state
            .stores
            .iter()
            .filter(|s| matches!(s.kind(), StoreKind::Embedded | StoreKind::Server))
            .map(|s| Account {
                display_name: state.user.address.clone(),
                smtp_address: state.user.address.clone(),
                user_name: state.user.display_name.clone(),
                delivery_store: s.display_name().to_owned(),
                account_type: "outpost-mailbox".to_owned(),
            })
            .collect()
    }
}

fn looks_like_smtp(text: &str) -> bool {
    let text = text.trim();
    match text.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty() && !domain.is_empty() && !text.contains(char::is_whitespace)
        }
        None => false,
    }
}
