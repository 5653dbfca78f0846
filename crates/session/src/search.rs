//! `Application.AdvancedSearch`: one DASL filter over several folders of several stores,
//! returning a [`Search`] whose [`Results`] can be sorted, read and opened as items, and
//! Outlook's `AdvancedSearchComplete` event on the application's [`EventBus`](crate::EventBus)
//! when it finishes. `Search.Save` keeps it as a search folder of the store it ran in.
//!
//! As in Outlook the search runs in the background: `advanced_search` checks the filter and
//! the scope, starts the walk on a thread and returns; `results` waits for it to finish,
//! `stop` ends it early (the results found so far stay, and the event is still raised once).
//! The walk visits each folder once (a visited set of store and entry ID) and goes at most
//! [`MAX_SEARCH_DEPTH`] levels below a scope folder.

use crate::application::Application;
use crate::error::{SessionError, SessionResult};
use crate::events::{Event, EventKind};
use crate::filter::{self, Filter};
use crate::folder::Folder;
use crate::item::Item;
use crate::namespace::NameSpace;
use crate::store::Store;
use jiff::Timestamp;
use jiff::tz::TimeZone;
use mapi::catalog::tags;
use mapi::provider::{FolderKind, SearchCriteria, SpecialFolder};
use mapi::restriction::Restriction;
use mapi::{ErrorCode, MapiError, NamedProperty, OlDefaultFolders, PropValue};
use std::cmp::Ordering;
use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering as AtomicOrdering};
use std::sync::{Arc, Condvar, Mutex};

/// How many folder levels below a scope folder a search with subfolders looks.
pub const MAX_SEARCH_DEPTH: usize = 64;

/// One item found: the columns Outlook's `Search.GetTable` shows by default, plus where it is.
#[derive(Debug, Clone)]
pub struct SearchRow {
    pub entry_id: Vec<u8>,
    pub store: Store,
    pub folder_path: String,
    pub subject: Option<String>,
    pub received_time: Option<Timestamp>,
    pub sender_name: Option<String>,
    pub message_class: Option<String>,
    pub size: Option<i64>,
}

impl SearchRow {
    /// The entry ID in hex.
    pub fn entry_id_hex(&self) -> String {
        mapi::hex::encode(&self.entry_id)
    }

    /// Opens the item.
    pub fn open(&self) -> SessionResult<Item> {
        self.store.get_item_from_id_bytes(&self.entry_id)
    }
}

/// `Search.Results`: the items found, in the order the walk met them until sorted.
#[derive(Debug, Clone, Default)]
pub struct Results {
    rows: Vec<SearchRow>,
}

impl Results {
    /// `Results.Count`.
    pub fn count(&self) -> usize {
        self.rows.len()
    }

    pub fn rows(&self) -> &[SearchRow] {
        &self.rows
    }

    /// `Results.Item(Index)`: the item at a 1-based index, opened.
    pub fn item(&self, index: usize) -> SessionResult<Item> {
        let row = index.checked_sub(1).and_then(|i| self.rows.get(i)).ok_or_else(|| {
            SessionError::Mapi(MapiError::not_found(format!(
                "Results.Item({index}): out of range; the search found {} item(s) and indexes \
                 start at 1",
                self.rows.len()
            )))
        })?;
        row.open()
    }

    /// `Results.Sort(Property, Descending)` by Subject, ReceivedTime, SenderName,
    /// MessageClass, Size, Store or FolderPath (case-insensitive); ties keep their order.
    pub fn sort(&mut self, field: &str, descending: bool) -> SessionResult<()> {
        let key = field.trim().trim_start_matches('[').trim_end_matches(']').to_ascii_lowercase();
        let text = |a: &Option<String>, b: &Option<String>| match (a, b) {
            (Some(a), Some(b)) => mapi::restriction::compare_text(a, b),
            (a, b) => a.is_some().cmp(&b.is_some()),
        };
        let compare: Box<RowOrder> = match key.as_str() {
            "subject" => Box::new(move |a, b| text(&a.subject, &b.subject)),
            "receivedtime" => Box::new(|a, b| a.received_time.cmp(&b.received_time)),
            "sendername" => Box::new(move |a, b| text(&a.sender_name, &b.sender_name)),
            "messageclass" => Box::new(move |a, b| text(&a.message_class, &b.message_class)),
            "size" => Box::new(|a, b| a.size.cmp(&b.size)),
            "store" => Box::new(|a, b| {
                mapi::restriction::compare_text(a.store.display_name(), b.store.display_name())
            }),
            "folderpath" => {
                Box::new(|a, b| mapi::restriction::compare_text(&a.folder_path, &b.folder_path))
            }
            _ => {
                return Err(SessionError::Mapi(MapiError::invalid_parameter(format!(
                    "cannot sort search results by {field:?}; expected Subject, ReceivedTime, \
                     SenderName, MessageClass, Size, Store or FolderPath"
                ))));
            }
        };
        if descending {
            self.rows.sort_by(|a, b| compare(b, a));
        } else {
            self.rows.sort_by(|a, b| compare(a, b));
        }
        Ok(())
    }
}

/// How `Results::sort` orders two rows.
type RowOrder = dyn Fn(&SearchRow, &SearchRow) -> Ordering;

#[derive(Debug, Default)]
struct SearchState {
    finished: bool,
    rows: Vec<SearchRow>,
    error: Option<MapiError>,
}

#[derive(Debug)]
struct SearchInner {
    tag: String,
    filter_text: String,
    filter: Filter,
    scope_text: String,
    scope: Vec<Folder>,
    search_subfolders: bool,
    profile: String,
    stop: AtomicBool,
    state: Mutex<SearchState>,
    done: Condvar,
}

/// `Search`: a running or finished `AdvancedSearch`. Cloning gives another handle.
#[derive(Debug, Clone)]
pub struct Search {
    inner: Arc<SearchInner>,
}

impl Application {
    /// `Application.AdvancedSearch(Scope, Filter, SearchSubFolders, Tag)`.
    ///
    /// `scope` is Outlook's string: folder names in single quotes separated by commas
    /// (`'Inbox'`, `'\\Mailbox\Inbox', '\\Archive\Projects'`); each is a folder path, a default
    /// folder's name or CLI name (`Inbox`, `sent-mail`: the default store's), a folder directly
    /// under the default store's top folder, or a folder entry ID in hex. `filter` is DASL,
    /// with or without `@SQL=` (Outlook's AdvancedSearch takes it without). A malformed filter
    /// or a scope naming nothing fails here, before anything runs.
    pub fn advanced_search(
        &self,
        scope: &str,
        filter: &str,
        search_subfolders: bool,
        tag: &str,
    ) -> SessionResult<Search> {
        let parsed = parse_dasl(filter)?;
        let folders = resolve_scope(&self.session(), scope)?;
        self.start_search(folders, scope, parsed, filter, search_subfolders, tag)
    }

    /// `advanced_search` over folders already opened (Outpost addition: the CLI's `--scope`
    /// takes folders the way `items` does). The scope text it reports is the folders' paths
    /// in Outlook's form.
    pub fn advanced_search_in(
        &self,
        folders: Vec<Folder>,
        filter: &str,
        search_subfolders: bool,
        tag: &str,
    ) -> SessionResult<Search> {
        let parsed = parse_dasl(filter)?;
        if folders.is_empty() {
            return Err(SessionError::Mapi(MapiError::invalid_parameter(
                "a search needs at least one folder in its scope",
            )));
        }
        let mut paths = Vec::new();
        for folder in &folders {
            paths.push(format!("'{}'", folder.folder_path()?.replace('\'', "''")));
        }
        self.start_search(folders, &paths.join(", "), parsed, filter, search_subfolders, tag)
    }

    fn start_search(
        &self,
        folders: Vec<Folder>,
        scope: &str,
        parsed: Filter,
        filter: &str,
        search_subfolders: bool,
        tag: &str,
    ) -> SessionResult<Search> {
        let ns = self.session();
        // Translate once per store now, so an unknown property fails the call itself.
        let mut stores = HashSet::new();
        for folder in &folders {
            if stores.insert(folder.store().key().to_owned()) {
                restriction_for(folder.store(), &parsed, filter)?;
            }
        }
        let inner = Arc::new(SearchInner {
            tag: tag.to_owned(),
            filter_text: filter.to_owned(),
            filter: parsed,
            scope_text: scope.to_owned(),
            scope: folders,
            search_subfolders,
            profile: ns.current_profile_name(),
            stop: AtomicBool::new(false),
            state: Mutex::new(SearchState::default()),
            done: Condvar::new(),
        });
        let search = Search { inner };
        let worker = search.clone();
        let bus = self.events().clone();
        let run = move || {
            let outcome = worker.walk();
            if let Err(err) = outcome {
                worker.lock().error = Some(MapiError::new(err.code(), err.to_string()));
            }
            // Raised before `results` returns, so a caller that waited has been notified too.
            bus.publish(&Event {
                kind: EventKind::AdvancedSearchComplete,
                profile: worker.inner.profile.clone(),
                store: String::new(),
                store_id: String::new(),
                folder_entry_id: None,
                entry_ids: Vec::new(),
                tag: Some(worker.inner.tag.clone()),
                target_folder_entry_id: None,
            });
            worker.lock().finished = true;
            worker.inner.done.notify_all();
        };
        let fallback = run.clone();
        if std::thread::Builder::new().name("outpost-search".into()).spawn(run).is_err() {
            tracing::warn!("could not start a search thread; searching on the caller's thread");
            fallback();
        }
        Ok(search)
    }
}

impl Search {
    fn lock(&self) -> std::sync::MutexGuard<'_, SearchState> {
        self.inner.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// `Search.Tag`.
    pub fn tag(&self) -> &str {
        &self.inner.tag
    }

    /// `Search.Filter`.
    pub fn filter(&self) -> &str {
        &self.inner.filter_text
    }

    /// `Search.Scope`.
    pub fn scope(&self) -> &str {
        &self.inner.scope_text
    }

    /// The folders the scope named.
    pub fn scope_folders(&self) -> &[Folder] {
        &self.inner.scope
    }

    /// `Search.SearchSubFolders`.
    pub fn search_subfolders(&self) -> bool {
        self.inner.search_subfolders
    }

    /// Whether the search has finished (or was stopped).
    pub fn is_complete(&self) -> bool {
        self.lock().finished
    }

    /// `Search.Stop`: ends the search after the folder it is reading; what it found stays.
    pub fn stop(&self) {
        self.inner.stop.store(true, AtomicOrdering::Relaxed);
    }

    /// Waits until the search has finished; its error, if the walk failed.
    pub fn wait(&self) -> SessionResult<()> {
        let mut state = self.lock();
        while !state.finished {
            state = self.inner.done.wait(state).unwrap_or_else(|e| e.into_inner());
        }
        match &state.error {
            Some(err) => Err(SessionError::Mapi(err.clone())),
            None => Ok(()),
        }
    }

    /// `Search.Results`, once the search has finished (waits for it).
    pub fn results(&self) -> SessionResult<Results> {
        self.wait()?;
        Ok(Results { rows: self.lock().rows.clone() })
    }

    /// Every folder of the scope (and below, with subfolders), each once.
    fn folders_to_search(&self) -> SessionResult<Vec<Folder>> {
        let mut seen: HashSet<(String, Vec<u8>)> = HashSet::new();
        let mut queue: VecDeque<(Folder, usize)> =
            self.inner.scope.iter().map(|f| (f.clone(), 0)).collect();
        let mut out = Vec::new();
        while let Some((folder, depth)) = queue.pop_front() {
            if !seen.insert((folder.store().key().to_owned(), folder.entry_id_bytes())) {
                continue;
            }
            if self.inner.search_subfolders && depth < MAX_SEARCH_DEPTH {
                for child in folder.folders()? {
                    queue.push_back((child, depth + 1));
                }
            }
            out.push(folder);
        }
        Ok(out)
    }

    fn walk(&self) -> SessionResult<()> {
        let folders = self.folders_to_search()?;
        let mut restrictions: HashMap<String, Restriction> = HashMap::new();
        let columns = [
            tags::PidTagEntryId,
            tags::PidTagSubject,
            tags::PidTagMessageDeliveryTime,
            tags::PidTagSenderName,
            tags::PidTagMessageClass,
            tags::PidTagMessageSize,
        ];
        for folder in folders {
            if self.inner.stop.load(AtomicOrdering::Relaxed) {
                break;
            }
            let store = folder.store().clone();
            let restriction = match restrictions.get(store.key()) {
                Some(r) => r.clone(),
                None => {
                    let r = restriction_for(&store, &self.inner.filter, &self.inner.filter_text)?;
                    restrictions.insert(store.key().to_owned(), r.clone());
                    r
                }
            };
            let path = folder.folder_path().unwrap_or_default();
            let mut found = Vec::new();
            for row in folder.items().restrict_with(restriction).rows(&columns)? {
                let row = row?;
                let value = |i: usize| row.get(i).map(|v| &v.value);
                let text = |i: usize| match value(i) {
                    Some(PropValue::String(s) | PropValue::String8(s)) => Some(s.clone()),
                    _ => None,
                };
                let Some(PropValue::Binary(entry_id)) = value(0) else { continue };
                found.push(SearchRow {
                    entry_id: entry_id.clone(),
                    store: store.clone(),
                    folder_path: path.clone(),
                    subject: text(1),
                    received_time: value(2)
                        .and_then(PropValue::as_time)
                        .and_then(mapi::FileTime::to_timestamp),
                    sender_name: text(3),
                    message_class: text(4),
                    size: value(5).and_then(PropValue::as_i64),
                });
            }
            self.lock().rows.extend(found);
        }
        Ok(())
    }

    /// `Search.Save(Name)`: keeps the search as a search folder named `name` under the search
    /// root (Finder) of the store the scope is in; its contents are evaluated again whenever
    /// they are read, so items saved later show up. A scope over several stores is
    /// `MAPI_E_NO_SUPPORT` (a MAPI search folder belongs to one store), a read-only store
    /// `MAPI_E_NO_ACCESS`, a store without a search root `MAPI_E_NO_SUPPORT`, a name in use
    /// `MAPI_E_COLLISION`.
    pub fn save(&self, name: &str) -> SessionResult<Folder> {
        let scope = &self.inner.scope;
        let store = scope.first().map(|f| f.store().clone()).ok_or_else(|| {
            SessionError::Mapi(MapiError::invalid_parameter("the search has no scope"))
        })?;
        if let Some(other) = scope.iter().find(|f| f.store().key() != store.key()) {
            return Err(SessionError::Mapi(MapiError::new(
                ErrorCode::NoSupport,
                format!(
                    "cannot save a search over several stores ({:?} and {:?}): a search folder \
                     belongs to one store",
                    store.display_name(),
                    other.store().display_name()
                ),
            )));
        }
        store.check_writable("save a search folder")?;
        let finder_id =
            store.backend().special_folder_entry_id(SpecialFolder::Finder).map_err(|err| {
                SessionError::Mapi(MapiError::new(
                    ErrorCode::NoSupport,
                    format!("store {:?} has no search root (Finder): {err}", store.display_name()),
                ))
            })?;
        let finder = store.get_folder_from_id_bytes(&finder_id)?;
        let restriction = restriction_for(&store, &self.inner.filter, &self.inner.filter_text)?;
        let handle = finder.handle().create_folder(name, FolderKind::Search, false)?;
        let criteria = SearchCriteria {
            restriction,
            folders: scope.iter().map(Folder::entry_id_bytes).collect(),
            recursive: self.inner.search_subfolders,
        };
        if let Err(err) = handle.set_search_criteria(&criteria) {
            // Leave no half-made search folder behind.
            let _ = finder.handle().delete_folder(&handle.entry_id(), Default::default());
            return Err(err.into());
        }
        Ok(Folder::new(store, Arc::from(handle)))
    }
}

/// The filter as DASL: `@SQL=` is optional, as in Outlook's AdvancedSearch; error positions
/// count in the text as given.
fn parse_dasl(text: &str) -> SessionResult<Filter> {
    let trimmed = text.trim_start();
    let has_prefix = trimmed.len() >= 5 && trimmed[..5].eq_ignore_ascii_case("@SQL=");
    let (full, shift) = if has_prefix { (text.to_owned(), 0) } else { (format!("@SQL={text}"), 5) };
    let parsed = filter::parse(&full).map_err(|err| {
        SessionError::Mapi(MapiError::invalid_parameter(format!(
            "filter {text:?}: filter error at position {}: {} (AdvancedSearch takes DASL)",
            err.position.saturating_sub(shift).max(1),
            err.message
        )))
    })?;
    Ok(parsed)
}

fn restriction_for(store: &Store, parsed: &Filter, text: &str) -> SessionResult<Restriction> {
    let backend = store.backend().clone();
    let mut resolve = |named: &NamedProperty| -> Option<u16> {
        backend.get_ids_from_names(std::slice::from_ref(named), false).ok()?.pop().flatten()
    };
    filter::to_restriction(parsed, &mut resolve, &TimeZone::system()).map_err(|err| {
        SessionError::Mapi(MapiError::invalid_parameter(format!("filter {text:?}: {err}")))
    })
}

/// Splits Outlook's scope string into folder names: commas separate them outside single
/// quotes; a doubled quote inside quotes is one quote.
pub fn split_scope(scope: &str) -> SessionResult<Vec<String>> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut chars = scope.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' if quoted && chars.peek() == Some(&'\'') => {
                current.push('\'');
                chars.next();
            }
            '\'' => quoted = !quoted,
            ',' if !quoted => parts.push(std::mem::take(&mut current)),
            other => current.push(other),
        }
    }
    if quoted {
        return Err(SessionError::Mapi(MapiError::invalid_parameter(format!(
            "scope {scope:?}: a quote is never closed"
        ))));
    }
    parts.push(current);
    let parts: Vec<String> =
        parts.into_iter().map(|p| p.trim().to_owned()).filter(|p| !p.is_empty()).collect();
    if parts.is_empty() {
        return Err(SessionError::Mapi(MapiError::invalid_parameter(format!(
            "scope {scope:?} names no folder; expected 'Inbox' or '\\\\Store\\Folder', ..."
        ))));
    }
    Ok(parts)
}

/// The folders a scope string names.
pub fn resolve_scope(ns: &NameSpace, scope: &str) -> SessionResult<Vec<Folder>> {
    split_scope(scope)?.iter().map(|name| resolve_scope_folder(ns, name)).collect()
}

/// One scope entry: a folder path, a default folder (English name, CLI name or constant), a
/// folder under the default store's top folder, or an entry ID in hex.
pub fn resolve_scope_folder(ns: &NameSpace, name: &str) -> SessionResult<Folder> {
    if name.starts_with('\\') {
        return ns.folder_from_path(name);
    }
    let default_kind = OlDefaultFolders::ALL
        .iter()
        .copied()
        .find(|k| k.english_name().eq_ignore_ascii_case(name))
        .or_else(|| name.parse::<OlDefaultFolders>().ok());
    if let Some(kind) = default_kind {
        return ns.get_default_folder(kind);
    }
    if let Some(folder) = ns.default_store()?.root_folder()?.folder_named(name)? {
        return Ok(folder);
    }
    if name.len().is_multiple_of(2) && name.chars().all(|c| c.is_ascii_hexdigit()) {
        return ns.get_folder_from_id(name, None);
    }
    Err(SessionError::Mapi(MapiError::not_found(format!(
        "scope folder {name:?} is not a folder path (\\\\Store\\Folder), a default folder \
         (Inbox, Sent Items, ...), a folder of the default store's top folder or an entry ID"
    ))))
}
