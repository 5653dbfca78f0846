//! The session commands: `logon`, `profile`, `stores`, `store`, `folders`, `default-folder`,
//! `folder`, `items`, `item`, `search` (in search_cmd.rs), `compare-ids`. They run the session in-process for now.

use crate::output::{CliError, Output};
use clap::{Args, Subcommand};
use mapi::catalog::tags;
use mapi::{ErrorCode, OlDefaultFolders, PropValue};
use serde::Serialize;
use session::{
    AddStoreOptions, Application, DeleteOutcome, Folder, Item, NameSpace, SessionError, Store,
    TypedItem,
};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;

/// `--profile` for every session command.
#[derive(Debug, Clone, Args)]
pub struct ProfileArg {
    /// The profile to log on to [default: the default profile; `Outlook` is created on first
    /// use].
    #[arg(long, global = true, value_name = "NAME")]
    profile: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum SessionCommand {
    /// Log on and show the profile, the current user, the stores and every default folder of
    /// the default store (name, path, entry ID).
    Logon {
        #[command(flatten)]
        profile: ProfileArg,
    },
    /// List, create and delete profiles, or choose the default.
    Profile {
        #[command(subcommand)]
        command: ProfileCommand,
    },
    /// The stores of the profile.
    Stores {
        #[command(flatten)]
        profile: ProfileArg,
    },
    /// Mount or unmount a store.
    Store {
        #[command(flatten)]
        profile: ProfileArg,
        #[command(subcommand)]
        command: StoreCommand,
    },
    /// The folder tree of every store (or of one).
    Folders {
        #[command(flatten)]
        profile: ProfileArg,
        /// Only this store (display name, store ID or file path).
        #[arg(long)]
        store: Option<String>,
        /// Levels below each store's top folder to show [default: all].
        #[arg(long)]
        depth: Option<usize>,
    },
    /// A default folder: inbox, sent-mail, deleted-items, calendar, contacts, ... or its
    /// OlDefaultFolders number.
    DefaultFolder {
        #[command(flatten)]
        profile: ProfileArg,
        kind: String,
        /// Look in this store instead of the default one.
        #[arg(long)]
        store: Option<String>,
    },
    /// Folders: show, create, rename, move, copy, delete.
    Folder {
        #[command(flatten)]
        profile: ProfileArg,
        #[command(subcommand)]
        command: FolderCommand,
    },
    /// The items of a folder (a default-folder kind, a folder path \\Store\Inbox, or an entry
    /// ID), optionally filtered (Jet or DASL) and sorted. With --start and --end: the
    /// occurrences in that range, recurring appointments expanded (`items calendar --start D
    /// --end D`).
    Items {
        #[command(flatten)]
        profile: ProfileArg,
        folder: String,
        /// The store for a default-folder kind [default: the default store].
        #[arg(long)]
        store: Option<String>,
        /// `[Subject] = 'x'`, `@SQL="urn:schemas:httpmail:subject" LIKE '%x%'`, ...
        #[arg(long)]
        filter: Option<String>,
        /// Property to sort by: ReceivedTime, Subject, SenderName, ...
        #[arg(long)]
        sort: Option<String>,
        /// Sort in descending order.
        #[arg(long)]
        descending: bool,
        /// Show at most this many items.
        #[arg(long)]
        limit: Option<usize>,
        #[command(flatten)]
        range: crate::calendar_cmd::RangeArgs,
    },
    /// Items by entry ID: show, create, delete, copy, move.
    Item {
        #[command(flatten)]
        profile: ProfileArg,
        #[command(subcommand)]
        command: ItemCommand,
    },
    /// The recipients of an item (name, address, SMTP address, type, resolved, entry ID).
    Recipients {
        #[command(flatten)]
        profile: ProfileArg,
        /// The item's entry ID (hex).
        entry_id: String,
        /// The store (display name, store ID or file path) to open the item in.
        #[arg(long)]
        store: Option<String>,
    },
    /// The attachments of an item (index, type, file name, size, MIME type, content ID, ...).
    Attachments {
        #[command(flatten)]
        profile: ProfileArg,
        /// The item's entry ID (hex).
        entry_id: String,
        /// The store (display name, store ID or file path) to open the item in.
        #[arg(long)]
        store: Option<String>,
    },
    /// Save attachments of an item to files.
    Attachment {
        #[command(flatten)]
        profile: ProfileArg,
        #[command(subcommand)]
        command: crate::parts_cmd::AttachmentCommand,
    },
    /// The master category list (NameSpace.Categories): list, add, remove.
    Categories {
        #[command(flatten)]
        profile: ProfileArg,
        #[command(subcommand)]
        command: Option<crate::parts_cmd::CategoriesCommand>,
    },
    /// Search folders of every store with a DASL filter (Application.AdvancedSearch).
    Search(crate::search_cmd::SearchArgs),
    /// Whether two entry IDs name the same object (compared by meaning, not bytes).
    CompareIds {
        #[command(flatten)]
        profile: ProfileArg,
        first: String,
        second: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum ProfileCommand {
    /// Every profile, the default marked.
    List,
    /// A new profile with its own embedded mailbox.
    Create { name: String },
    /// Delete a profile (its files stay on disk). The default profile needs --force.
    Delete {
        name: String,
        /// Delete it even if it is the default profile.
        #[arg(long)]
        force: bool,
    },
    /// Make a profile the default.
    SetDefault { name: String },
}

#[derive(Debug, Subcommand)]
pub enum StoreCommand {
    /// Mount a PST file (or an Outpost mailbox file) and keep it in the profile.
    Add {
        path: PathBuf,
        /// The name to show for the store [default: the store's own].
        #[arg(long)]
        display_name: Option<String>,
        /// The password of a password-protected PST (remembered in the profile).
        #[arg(long)]
        password: Option<String>,
    },
    /// Unmount a store (display name, store ID or file path); the file is kept.
    Remove { store: String },
}

#[derive(Debug, Subcommand)]
pub enum FolderCommand {
    /// Show a folder by entry ID.
    Get {
        entry_id: String,
        /// The store ID (hex) to open it in.
        #[arg(long)]
        store: Option<String>,
    },
    /// Create a folder under PARENT (a default-folder kind, a folder path or an entry ID).
    Create {
        parent: String,
        name: String,
        /// What it holds [default: what the parent holds].
        #[arg(long = "type", value_enum)]
        folder_type: Option<crate::folder_ops_cmd::FolderType>,
    },
    /// Rename a folder.
    Rename { folder: String, name: String },
    /// Move a folder with its subfolders into another folder, of this store or another.
    Move {
        folder: String,
        /// The target folder (or give it with --into).
        #[arg(value_name = "INTO")]
        target: Option<String>,
        #[arg(long = "into", value_name = "FOLDER")]
        into: Option<String>,
    },
    /// Copy a folder with its items and subfolders into another folder, of any store.
    Copy {
        folder: String,
        /// The target folder (or give it with --into).
        #[arg(value_name = "INTO")]
        target: Option<String>,
        #[arg(long = "into", value_name = "FOLDER")]
        into: Option<String>,
    },
    /// Delete a folder: it moves to Deleted Items (from there it is deleted for good).
    Delete { folder: String },
}

#[derive(Debug, Subcommand)]
pub enum ItemCommand {
    /// Show an item by entry ID (found in any mounted store unless --store names one).
    Get {
        entry_id: String,
        /// The store ID (hex) to open it in.
        #[arg(long)]
        store: Option<String>,
        /// Also list every property.
        #[arg(long)]
        properties: bool,
    },
    /// Create and save an item in a folder (kind, path or entry ID).
    Create {
        folder: String,
        #[arg(long)]
        subject: String,
        #[arg(long)]
        body: Option<String>,
        /// Message class [default: the folder's, e.g. IPM.Note].
        #[arg(long)]
        class: Option<String>,
        /// To recipients: addresses or names separated by `;` (repeatable).
        #[arg(long, value_name = "RECIPIENTS")]
        to: Vec<String>,
        /// CC recipients (repeatable).
        #[arg(long, value_name = "RECIPIENTS")]
        cc: Vec<String>,
        /// BCC recipients (repeatable).
        #[arg(long, value_name = "RECIPIENTS")]
        bcc: Vec<String>,
        /// Attach a file by value (repeatable).
        #[arg(long, value_name = "FILE")]
        attach: Vec<PathBuf>,
        /// The HTML body, from a UTF-8 file (the plain body is derived from it, as Outlook
        /// does when HTMLBody is set).
        #[arg(long, value_name = "FILE", conflicts_with = "body")]
        html: Option<PathBuf>,
    },
    /// Change members of an item and save it: `--set UnRead=false --set Importance=2 --set
    /// "Categories=Red, Blue"`. NAME is an Outlook member (Subject, Body, UnRead, Importance,
    /// Sensitivity, Categories, FlagStatus, ReminderSet, ReminderTime, To, CC, BCC, Start, End,
    /// Location, FirstName, LastName, Email1Address, Status, PercentComplete, DueDate, ...)
    /// or a property (PidTagSubject, 0x0037001F, or a http://schemas.microsoft.com/mapi/...
    /// URL); VALUE is read by its type: true/false, an integer, an ISO 8601 date, text, or a
    /// comma-separated list. Nothing is saved unless every assignment is valid.
    Update {
        entry_id: String,
        /// NAME=VALUE (repeatable).
        #[arg(long = "set", value_name = "NAME=VALUE", required = true)]
        set: Vec<String>,
    },
    /// Delete an item: it moves to Deleted Items (from there it is deleted for good).
    Delete { entry_id: String },
    /// Print an item's body (Body, HTMLBody or RTFBody), or write it to a file.
    Body {
        entry_id: String,
        /// plain (Body), html (HTMLBody) or rtf (RTFBody) [default: the item's BodyFormat].
        #[arg(long, value_enum)]
        format: Option<crate::body_cmd::BodyFormatArg>,
        /// Write the body to this file instead of printing it.
        #[arg(long)]
        out: Option<PathBuf>,
        /// The store ID (hex) to open it in.
        #[arg(long)]
        store: Option<String>,
    },
    /// Copy an item into a folder (kind, path or entry ID) of any store; prints the copy's
    /// entry ID.
    Copy { entry_id: String, folder: String },
    /// Move an item into a folder of any store; prints its new entry ID (the old one then
    /// names nothing).
    Move { entry_id: String, folder: String },
}

/// Session errors: bad input (exit 2) for what the user typed wrong, else the MAPI code (exit 1).
pub(crate) fn failed(err: SessionError) -> CliError {
    CliError::from(err.to_mapi())
}

pub(crate) fn bad_input(err: SessionError) -> CliError {
    CliError::bad_input_from(err.to_mapi())
}

/// Errors of looking up what the user named (an entry ID, a store, a folder path, a profile):
/// a malformed name, or one that names nothing, is bad input (exit 2); anything else failed.
pub(crate) fn lookup_failed(err: SessionError) -> CliError {
    let names_nothing = matches!(err, SessionError::ProfileNotFound { .. })
        || matches!(
            err.code(),
            ErrorCode::InvalidEntryId
                | ErrorCode::UnknownEntryId
                | ErrorCode::InvalidParameter
                | ErrorCode::NotFound
        );
    if names_nothing { bad_input(err) } else { failed(err) }
}

/// The logged-on sessions a command runs in: one per profile. In-process it lives for one
/// command; in the instance it lives as long as the daemon, so stores stay open between
/// commands. A change to profiles.toml (by any process) drops the cached sessions.
#[derive(Debug)]
pub struct Sessions {
    app: Application,
    cache: Mutex<SessionCache>,
}

#[derive(Debug, Default)]
struct SessionCache {
    by_profile: HashMap<String, NameSpace>,
    profiles_stamp: Option<SystemTime>,
}

impl Sessions {
    pub(crate) fn app(&self) -> &Application {
        &self.app
    }

    pub fn new(app: Application) -> Sessions {
        Sessions { app, cache: Mutex::new(SessionCache::default()) }
    }

    pub fn from_environment() -> Result<Sessions, CliError> {
        Ok(Sessions::new(Application::from_environment().map_err(failed)?))
    }

    fn profiles_stamp(&self) -> Option<SystemTime> {
        std::fs::metadata(self.app.paths().profiles_file()).and_then(|m| m.modified()).ok()
    }

    /// A session logged on to `profile` (the default profile for `None`).
    pub(crate) fn namespace(&self, profile: Option<&str>) -> Result<NameSpace, CliError> {
        let key = profile.unwrap_or("").to_lowercase();
        let mut cache = self.cache.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if cache.profiles_stamp != self.profiles_stamp() {
            cache.by_profile.clear();
        }
        if let Some(ns) = cache.by_profile.get(&key) {
            return Ok(ns.clone());
        }
        let ns = self.app.new_session();
        ns.logon(profile, None, false, false).map_err(lookup_failed)?;
        cache.by_profile.insert(key, ns.clone());
        // A first logon writes profiles.toml: stamp after it, so that is not taken as a change.
        cache.profiles_stamp = self.profiles_stamp();
        Ok(ns)
    }

    /// Logs off the session of `profile` (the default profile for `None`) and forgets it, so
    /// the next command logs on afresh. Returns the profiles logged off (none when it was
    /// not logged on).
    pub fn logoff(&self, profile: Option<&str>) -> Result<Vec<String>, CliError> {
        let name = match profile.map(str::trim).filter(|p| !p.is_empty()) {
            Some(name) => name.to_owned(),
            None => self.app.default_profile_name().map_err(failed)?,
        };
        let mut cache = self.cache.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut logged_off = Vec::new();
        cache.by_profile.retain(|_, ns| {
            let current = ns.current_profile_name();
            if name.is_empty() || !current.eq_ignore_ascii_case(&name) {
                return true;
            }
            ns.logoff();
            if !logged_off.contains(&current) {
                logged_off.push(current);
            }
            false
        });
        Ok(logged_off)
    }

    /// What the instance reports in `status`: the profiles logged on and their stores.
    pub fn describe(&self) -> serde_json::Value {
        let cache = self.cache.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let sessions: Vec<serde_json::Value> = cache
            .by_profile
            .values()
            .map(|ns| {
                let stores: Vec<String> = ns
                    .stores()
                    .map(|stores| stores.iter().map(|s| s.display_name().to_owned()).collect())
                    .unwrap_or_default();
                serde_json::json!({ "profile": ns.current_profile_name(), "stores": stores })
            })
            .collect();
        serde_json::json!({ "sessions": sessions })
    }
}

pub(crate) fn logon(sessions: &Sessions, profile: &ProfileArg) -> Result<NameSpace, CliError> {
    sessions.namespace(profile.profile.as_deref())
}

/// Relative paths on the command line are relative to the caller's directory, which is not
/// the instance's: make them absolute before the command runs.
fn absolutize(command: &mut SessionCommand, cwd: &Path) {
    let fix_path = |path: &mut PathBuf| {
        if path.is_relative() {
            *path = cwd.join(&*path);
        }
    };
    // A STORE argument may be a display name, a store ID or a path: only a relative text that
    // names an existing file is taken as a path.
    let fix_store = |store: &mut String| {
        let candidate = cwd.join(&*store);
        if Path::new(store.as_str()).is_relative() && candidate.is_file() {
            *store = candidate.display().to_string();
        }
    };
    match command {
        SessionCommand::Store { command: StoreCommand::Add { path, .. }, .. } => fix_path(path),
        SessionCommand::Store { command: StoreCommand::Remove { store }, .. } => fix_store(store),
        SessionCommand::Item { command: ItemCommand::Body { out: Some(path), .. }, .. } => {
            fix_path(path)
        }
        SessionCommand::Folders { store: Some(store), .. }
        | SessionCommand::DefaultFolder { store: Some(store), .. }
        | SessionCommand::Items { store: Some(store), .. } => fix_store(store),
        SessionCommand::Recipients { store: Some(store), .. }
        | SessionCommand::Attachments { store: Some(store), .. } => fix_store(store),
        SessionCommand::Attachment {
            command: crate::parts_cmd::AttachmentCommand::Save { out, store, .. },
            ..
        } => {
            fix_path(out);
            if let Some(store) = store {
                fix_store(store);
            }
        }
        SessionCommand::Item { command: ItemCommand::Create { attach, html, .. }, .. } => {
            attach.iter_mut().for_each(fix_path);
            if let Some(html) = html {
                fix_path(html);
            }
        }
        _ => {}
    }
}

pub fn run(
    sessions: &Sessions,
    mut command: SessionCommand,
    cwd: &Path,
    out: Output,
) -> Result<(), CliError> {
    absolutize(&mut command, cwd);
    let app = &sessions.app;
    match command {
        SessionCommand::Logon { profile } => logon_cmd(&logon(sessions, &profile)?, out),
        SessionCommand::Profile { command } => profile_cmd(app, command, out),
        SessionCommand::Stores { profile } => stores_cmd(&logon(sessions, &profile)?, out),
        SessionCommand::Store { profile, command } => {
            store_cmd(&logon(sessions, &profile)?, command, cwd, out)
        }
        SessionCommand::Folders { profile, store, depth } => {
            folders_cmd(&logon(sessions, &profile)?, store.as_deref(), depth, out)
        }
        SessionCommand::DefaultFolder { profile, kind, store } => {
            let ns = logon(sessions, &profile)?;
            let kind = parse_kind(&kind)?;
            let folder = match store {
                Some(store) => {
                    ns.find_store(&store).map_err(lookup_failed)?.get_default_folder(kind)
                }
                None => ns.get_default_folder(kind),
            }
            .map_err(failed)?;
            emit_folder(&folder, out)
        }
        SessionCommand::Folder { profile, command } => {
            folder_cmd(&logon(sessions, &profile)?, command, out)
        }
        SessionCommand::Items {
            profile,
            folder,
            store,
            filter,
            sort,
            descending,
            limit,
            range,
        } => {
            let ns = logon(sessions, &profile)?;
            let folder = resolve_folder(&ns, &folder, store.as_deref())?;
            if range.is_requested() {
                if filter.is_some() || sort.is_some() || descending {
                    return Err(CliError::bad_input(
                        "--start/--end list occurrences by start; --filter, --sort and \
                         --descending do not apply to them",
                    ));
                }
                return crate::calendar_cmd::run(&folder, &range, limit, out);
            }
            items_cmd(&folder, filter.as_deref(), sort.as_deref(), descending, limit, out)
        }
        SessionCommand::Item { profile, command } => {
            item_cmd(&logon(sessions, &profile)?, command, out)
        }
        SessionCommand::Recipients { profile, entry_id, store } => {
            let ns = logon(sessions, &profile)?;
            crate::parts_cmd::recipients_cmd(&ns, &entry_id, store.as_deref(), out)
        }
        SessionCommand::Attachments { profile, entry_id, store } => {
            let ns = logon(sessions, &profile)?;
            crate::parts_cmd::attachments_cmd(&ns, &entry_id, store.as_deref(), out)
        }
        SessionCommand::Attachment { profile, command } => {
            crate::parts_cmd::attachment_cmd(&logon(sessions, &profile)?, command, out)
        }
        SessionCommand::Categories { profile, command } => {
            crate::parts_cmd::categories_cmd(&logon(sessions, &profile)?, command, out)
        }
        SessionCommand::Search(args) => crate::search_cmd::run(sessions, args, out),
        SessionCommand::CompareIds { profile, first, second } => {
            let ns = logon(sessions, &profile)?;
            let equal = ns.compare_entry_ids(&first, &second).map_err(lookup_failed)?;
            out.emit(&serde_json::json!({ "equal": equal }), |w| {
                let verdict = if equal { "same object" } else { "different objects" };
                writeln!(w, "{verdict} (equal: {equal})")
            })
        }
    }
}

fn parse_kind(text: &str) -> Result<OlDefaultFolders, CliError> {
    text.parse::<OlDefaultFolders>().map_err(|err| CliError::bad_input(err.to_string()))
}

/// FOLDER: a default-folder kind, a folder path (`\\Store\Inbox`), or an entry ID.
pub(crate) fn resolve_folder(
    ns: &NameSpace,
    text: &str,
    store: Option<&str>,
) -> Result<Folder, CliError> {
    let text = text.trim();
    if text.starts_with('\\') {
        return ns.folder_from_path(text).map_err(lookup_failed);
    }
    if let Ok(kind) = text.parse::<OlDefaultFolders>() {
        return match store {
            Some(store) => ns.find_store(store).map_err(lookup_failed)?.get_default_folder(kind),
            None => ns.get_default_folder(kind),
        }
        .map_err(failed);
    }
    if !text.is_empty() && text.chars().all(|c| c.is_ascii_hexdigit()) {
        let store_id = match store {
            Some(store) => Some(ns.find_store(store).map_err(lookup_failed)?.store_id()),
            None => None,
        };
        return ns.get_folder_from_id(text, store_id.as_deref()).map_err(lookup_failed);
    }
    Err(CliError::bad_input(format!(
        "{text:?} is not a folder: expected a default-folder kind (inbox, sent-mail, calendar, \
         ...), a folder path (\\\\Store\\Inbox) or an entry ID in hex"
    )))
}

// ------------------------------------------------------------------------------------------------
// JSON views

#[derive(Debug, Serialize)]
struct StoreView {
    display_name: String,
    store_id: String,
    provider_uid: String,
    kind: session::StoreKind,
    file_path: Option<PathBuf>,
    is_data_file_store: bool,
    exchange_store_type: mapi::OlExchangeStoreType,
    writable: bool,
    default: bool,
}

fn store_view(store: &Store, default: bool) -> StoreView {
    StoreView {
        display_name: store.display_name().to_owned(),
        store_id: store.store_id(),
        provider_uid: store.provider_uid().to_hex(),
        kind: store.kind(),
        file_path: store.file_path().map(PathBuf::from),
        is_data_file_store: store.is_data_file_store(),
        exchange_store_type: store.exchange_store_type(),
        writable: store.is_writable(),
        default,
    }
}

/// A value as its JSON document names it (`"not-exchange"`, `"mail"`), for text output that
/// uses the words a script sees.
fn json_name<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(name)) => name,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

/// One store on one line, every field of its JSON view labelled.
fn write_store_line(w: &mut dyn Write, indent: &str, s: &StoreView) -> std::io::Result<()> {
    let path = s.file_path.as_ref().map(|p| p.display().to_string());
    writeln!(
        w,
        "{indent}{}  default: {}  kind: {}  writable: {}  data file store: {}  exchange store \
         type: {}  path: {}  provider UID: {}  store ID: {}",
        s.display_name,
        s.default,
        json_name(&s.kind),
        s.writable,
        s.is_data_file_store,
        json_name(&s.exchange_store_type),
        path.as_deref().unwrap_or("(none)"),
        s.provider_uid,
        s.store_id
    )
}

/// A store the profile lists but that could not be opened, on one line.
fn write_unavailable_line(
    w: &mut dyn Write,
    indent: &str,
    u: &UnavailableView,
) -> std::io::Result<()> {
    let path = u.file_path.as_ref().map(|p| p.display().to_string());
    writeln!(
        w,
        "{indent}{} (unavailable)  path: {}  code: {}  error: {}",
        u.display_name,
        path.as_deref().unwrap_or("(none)"),
        u.code,
        u.error
    )
}

#[derive(Debug, Serialize)]
struct UnavailableView {
    display_name: String,
    file_path: Option<PathBuf>,
    code: String,
    error: String,
}

fn unavailable_views(ns: &NameSpace) -> Vec<UnavailableView> {
    ns.unavailable_stores()
        .into_iter()
        .map(|u| UnavailableView {
            display_name: u.config.display_name,
            file_path: u.config.path,
            code: u.error.code.name(),
            error: u.error.message,
        })
        .collect()
}

fn store_views(ns: &NameSpace) -> Result<Vec<StoreView>, CliError> {
    let default_id = ns.default_store().ok().map(|s| s.store_id());
    Ok(ns
        .stores()
        .map_err(failed)?
        .iter()
        .map(|s| store_view(s, Some(s.store_id()) == default_id))
        .collect())
}

#[derive(Debug, Serialize)]
struct FolderView {
    name: String,
    folder_path: String,
    entry_id: String,
    store_id: String,
    store: String,
    container_class: Option<String>,
    default_item_type: mapi::OlItemType,
    default_message_class: &'static str,
    item_count: u32,
    unread_item_count: u32,
}

fn folder_view(folder: &Folder) -> Result<FolderView, CliError> {
    Ok(FolderView {
        name: folder.name().map_err(failed)?,
        folder_path: folder.folder_path().map_err(failed)?,
        entry_id: folder.entry_id(),
        store_id: folder.store_id(),
        store: folder.store().display_name().to_owned(),
        container_class: folder.container_class().map_err(failed)?,
        default_item_type: folder.default_item_type().map_err(failed)?,
        default_message_class: folder.default_message_class().map_err(failed)?,
        item_count: folder.item_count().map_err(failed)?,
        unread_item_count: folder.unread_item_count().map_err(failed)?,
    })
}

pub(crate) fn emit_folder(folder: &Folder, out: Output) -> Result<(), CliError> {
    let view = folder_view(folder)?;
    out.emit(&view, |w| {
        writeln!(w, "{}", view.folder_path)?;
        writeln!(w, "  name:      {}", view.name)?;
        writeln!(w, "  entry ID:  {}", view.entry_id)?;
        writeln!(w, "  store:     {} ({})", view.store, view.store_id)?;
        writeln!(w, "  class:     {}", view.container_class.as_deref().unwrap_or("(none)"))?;
        let item_type = json_name(&view.default_item_type);
        writeln!(w, "  new items: {item_type} ({})", view.default_message_class)?;
        writeln!(w, "  items:     {} ({} unread)", view.item_count, view.unread_item_count)
    })
}

// ------------------------------------------------------------------------------------------------
// Commands

#[derive(Debug, Serialize)]
struct DefaultFolderView {
    kind: OlDefaultFolders,
    value: i32,
    name: String,
    folder_path: String,
    entry_id: String,
}

#[derive(Debug, Serialize)]
struct MissingFolderView {
    kind: OlDefaultFolders,
    value: i32,
    code: String,
    error: String,
}

fn logon_cmd(ns: &NameSpace, out: Output) -> Result<(), CliError> {
    let user = ns.current_user().map_err(failed)?;
    let stores = store_views(ns)?;
    let default = ns.default_store().map_err(failed)?;
    let mut found = Vec::new();
    let mut missing = Vec::new();
    for &kind in OlDefaultFolders::ALL {
        match default.get_default_folder(kind) {
            Ok(folder) => found.push(DefaultFolderView {
                kind,
                value: kind.value(),
                name: folder.name().map_err(failed)?,
                folder_path: folder.folder_path().map_err(failed)?,
                entry_id: folder.entry_id(),
            }),
            Err(err) => {
                let err = err.to_mapi();
                missing.push(MissingFolderView {
                    kind,
                    value: kind.value(),
                    code: err.code.name(),
                    error: err.message,
                });
            }
        }
    }
    let doc = serde_json::json!({
        "profile": ns.current_profile_name(),
        "current_user": user,
        "stores": stores,
        "unavailable_stores": unavailable_views(ns),
        "default_store": default.display_name(),
        "default_folders": found,
        "missing_default_folders": missing,
    });
    out.emit(&doc, |w| {
        writeln!(w, "Profile:      {}", ns.current_profile_name())?;
        writeln!(
            w,
            "Current user: {} <{}>  type: {}  resolved: {}  entry ID: {}",
            user.name,
            user.address.as_deref().unwrap_or(""),
            user.address_type.as_deref().unwrap_or("(none)"),
            user.resolved,
            user.entry_id.as_deref().unwrap_or("(none)")
        )?;
        writeln!(w, "Stores:")?;
        for s in &stores {
            write_store_line(w, "  ", s)?;
        }
        for u in &unavailable_views(ns) {
            write_unavailable_line(w, "  ", u)?;
        }
        writeln!(w, "Default folders of {}:", default.display_name())?;
        for f in &found {
            let kind = format!("{} ({})", f.kind.cli_name(), f.value);
            writeln!(w, "  {kind:<25} {:<40} {}", f.folder_path, f.entry_id)?;
        }
        for m in &missing {
            let kind = format!("{} ({})", m.kind.cli_name(), m.value);
            writeln!(w, "  {kind:<25} none: {}: {}", m.code, m.error)?;
        }
        Ok(())
    })
}

fn profile_cmd(app: &Application, command: ProfileCommand, out: Output) -> Result<(), CliError> {
    let profile_error = |err: SessionError| match err {
        SessionError::InvalidProfileName(_)
        | SessionError::DefaultProfileDelete { .. }
        | SessionError::ProfileNotFound { .. }
        | SessionError::ProfileExists(_) => bad_input(err),
        other => failed(other),
    };
    match command {
        ProfileCommand::List => {
            let set = app.profiles().map_err(failed)?;
            let default = app.default_profile_name().map_err(failed)?;
            let profiles: Vec<_> = set
                .profiles
                .iter()
                .map(|p| {
                    serde_json::json!({
                        "name": p.name,
                        "default": p.name == default,
                        "user": p.user,
                        "stores": p.stores,
                    })
                })
                .collect();
            let doc = serde_json::json!({ "default_profile": default, "profiles": profiles });
            out.emit(&doc, |w| {
                // One line per profile, then one per store it lists.
                for (p, doc) in set.profiles.iter().zip(&profiles) {
                    writeln!(
                        w,
                        "{}  default: {}  user: {} <{}>  stores: {}",
                        p.name,
                        p.name == default,
                        p.user.display_name,
                        p.user.address,
                        p.stores.len()
                    )?;
                    for store in doc["stores"].as_array().into_iter().flatten() {
                        writeln!(w, "  store: {}", plain_fields(store))?;
                    }
                }
                Ok(())
            })
        }
        ProfileCommand::Create { name } => {
            let profile = app.create_profile(&name).map_err(profile_error)?;
            out.emit(&profile, |w| writeln!(w, "created profile {}", profile.name))
        }
        ProfileCommand::Delete { name, force } => {
            let profile =
                if force { app.force_delete_profile(&name) } else { app.delete_profile(&name) }
                    .map_err(profile_error)?;
            out.emit(&profile, |w| {
                writeln!(w, "deleted profile {} (its store files are kept)", profile.name)
            })
        }
        ProfileCommand::SetDefault { name } => {
            app.set_default_profile(&name).map_err(profile_error)?;
            let name = app.default_profile_name().map_err(failed)?;
            out.emit(&serde_json::json!({ "default_profile": name }), |w| {
                writeln!(w, "default profile: {name}")
            })
        }
    }
}

fn stores_cmd(ns: &NameSpace, out: Output) -> Result<(), CliError> {
    let stores = store_views(ns)?;
    let unavailable = unavailable_views(ns);
    let doc = serde_json::json!({
        "profile": ns.current_profile_name(),
        "stores": stores,
        "unavailable_stores": unavailable,
    });
    out.emit(&doc, |w| {
        writeln!(w, "Profile: {}", ns.current_profile_name())?;
        for s in &stores {
            write_store_line(w, "", s)?;
        }
        for u in &unavailable {
            write_unavailable_line(w, "", u)?;
        }
        Ok(())
    })
}

fn store_cmd(
    ns: &NameSpace,
    command: StoreCommand,
    cwd: &Path,
    out: Output,
) -> Result<(), CliError> {
    match command {
        StoreCommand::Add { path, display_name, password } => {
            if display_name.as_deref().is_some_and(|name| name.trim().is_empty()) {
                return Err(CliError::bad_input(
                    "--display-name is empty; leave it out to use the store's own name",
                ));
            }
            // Outlook's AddStore creates a PST at a path that does not exist; Outpost cannot
            // write PSTs yet, so a missing file is a mistyped path.
            if !path.exists() {
                return Err(CliError::BadInput {
                    message: format!(
                        "{}: the file does not exist (Outpost does not create PST files yet)",
                        path.display()
                    ),
                    code: Some(ErrorCode::NotFound),
                });
            }
            let options = AddStoreOptions { display_name, password };
            let store = ns.add_store_with(&path, &options).map_err(|err| match err.code() {
                // The file is not a store, is damaged or truncated, or the password is wrong:
                // the argument is at fault, as for `pst info`.
                ErrorCode::InvalidParameter
                | ErrorCode::NotFound
                | ErrorCode::CorruptData
                | ErrorCode::CorruptStore
                | ErrorCode::Version
                | ErrorCode::LogonFailed => bad_input(err),
                _ => failed(err),
            })?;
            let view = store_view(&store, false);
            out.emit(&view, |w| {
                writeln!(
                    w,
                    "mounted {} ({})\n  store ID: {}",
                    view.display_name,
                    path.display(),
                    view.store_id
                )
            })
        }
        StoreCommand::Remove { store: text } => {
            let store = match ns.find_store(&text) {
                Ok(store) => store,
                // A store whose file is gone is no `Store`, but the profile still lists it.
                // Its file is gone, so a relative path was not made absolute: try it both ways.
                Err(not_mounted) => {
                    let relative = cwd.join(&text).display().to_string();
                    let Ok(gone) = ns
                        .remove_unavailable_store(&text)
                        .or_else(|_| ns.remove_unavailable_store(&relative))
                    else {
                        return Err(lookup_failed(not_mounted));
                    };
                    let doc = serde_json::json!({ "removed": {
                        "display_name": gone.config.display_name,
                        "file_path": gone.config.path,
                        "unavailable": true,
                    }});
                    return out.emit(&doc, |w| {
                        writeln!(w, "removed {} (it was unavailable)", gone.config.display_name)
                    });
                }
            };
            ns.remove_store_by(&store).map_err(failed)?;
            let view = store_view(&store, false);
            out.emit(&serde_json::json!({ "removed": view }), |w| {
                writeln!(w, "removed {} (the file is kept)", view.display_name)
            })
        }
    }
}

#[derive(Debug, Serialize)]
struct FolderNode {
    name: String,
    folder_path: String,
    entry_id: String,
    container_class: Option<String>,
    item_count: u32,
    folders: Vec<FolderNode>,
}

/// Folders nest no deeper than this in a sound store (the session's folder paths stop there
/// too); a hierarchy deeper than that is damaged.
const MAX_TREE_DEPTH: usize = 512;

/// The folder tree under `folder`. A damaged store's hierarchy tables may form a cycle (a
/// folder listed under its own descendant): each folder is shown once, at its first place.
fn folder_tree(
    folder: &Folder,
    depth: Option<usize>,
    level: usize,
    shown: &mut std::collections::HashSet<String>,
) -> Result<FolderNode, CliError> {
    if level > MAX_TREE_DEPTH {
        return Err(CliError::from(mapi::MapiError::corrupt(format!(
            "the folder hierarchy is more than {MAX_TREE_DEPTH} levels deep"
        ))));
    }
    let mut children = Vec::new();
    if depth != Some(0) {
        for child in folder.folders().map_err(failed)? {
            if shown.insert(child.entry_id()) {
                children.push(folder_tree(&child, depth.map(|d| d - 1), level + 1, shown)?);
            }
        }
    }
    Ok(FolderNode {
        name: folder.name().map_err(failed)?,
        folder_path: folder.folder_path().map_err(failed)?,
        entry_id: folder.entry_id(),
        container_class: folder.container_class().map_err(failed)?,
        item_count: folder.item_count().map_err(failed)?,
        folders: children,
    })
}

/// One folder per line, indented by depth: name and item count, then the labelled fields of
/// its JSON node.
fn print_tree(w: &mut dyn Write, node: &FolderNode, indent: usize) -> std::io::Result<()> {
    writeln!(
        w,
        "{:indent$}{} ({} items)  class: {}  path: {}  entry ID: {}",
        "",
        node.name,
        node.item_count,
        node.container_class.as_deref().unwrap_or("(none)"),
        node.folder_path,
        node.entry_id,
        indent = indent * 2
    )?;
    for child in &node.folders {
        print_tree(w, child, indent + 1)?;
    }
    Ok(())
}

fn folders_cmd(
    ns: &NameSpace,
    store: Option<&str>,
    depth: Option<usize>,
    out: Output,
) -> Result<(), CliError> {
    let stores = match store {
        Some(store) => vec![ns.find_store(store).map_err(lookup_failed)?],
        None => ns.stores().map_err(failed)?,
    };
    let mut trees = Vec::new();
    for store in &stores {
        let root = store.root_folder().map_err(failed)?;
        let mut shown = std::collections::HashSet::from([root.entry_id()]);
        let mut node = folder_tree(&root, depth, 0, &mut shown)?;
        node.name = store.display_name().to_owned();
        trees.push(StoreTree {
            store: store.display_name().to_owned(),
            store_id: store.store_id(),
            root: node,
        });
    }
    out.emit(&trees, |w| {
        for tree in &trees {
            writeln!(w, "Store {}  store ID: {}", tree.store, tree.store_id)?;
            print_tree(w, &tree.root, 1)?;
        }
        Ok(())
    })
}

#[derive(Debug, Serialize)]
struct StoreTree {
    store: String,
    store_id: String,
    root: FolderNode,
}

#[derive(Debug, Serialize)]
struct ItemRow {
    entry_id: Option<String>,
    message_class: Option<String>,
    subject: Option<String>,
    received_time: Option<jiff::Timestamp>,
    sender_name: Option<String>,
    size: Option<i64>,
}

fn items_cmd(
    folder: &Folder,
    filter: Option<&str>,
    sort: Option<&str>,
    descending: bool,
    limit: Option<usize>,
    out: Output,
) -> Result<(), CliError> {
    let mut items = folder.items();
    if let Some(filter) = filter {
        items = items.restrict(filter).map_err(|err| match err.code() {
            ErrorCode::InvalidParameter => bad_input(err),
            _ => failed(err),
        })?;
    }
    if let Some(sort) = sort {
        items.sort(sort, descending).map_err(|err| match err.code() {
            ErrorCode::InvalidParameter => bad_input(err),
            _ => failed(err),
        })?;
    }
    let count = items.count().map_err(failed)?;
    let columns = [
        tags::PidTagEntryId,
        tags::PidTagMessageClass,
        tags::PidTagSubject,
        tags::PidTagMessageDeliveryTime,
        tags::PidTagSenderName,
        tags::PidTagMessageSize,
    ];
    let mut rows = Vec::new();
    for row in items.rows(&columns).map_err(failed)?.take(limit.unwrap_or(usize::MAX)) {
        let row = row.map_err(failed)?;
        let value = |i: usize| row.get(i).map(|v| v.value.clone());
        let text = |v: Option<PropValue>| match v {
            Some(PropValue::String(s) | PropValue::String8(s)) => Some(s),
            _ => None,
        };
        rows.push(ItemRow {
            entry_id: value(0).and_then(|v| v.as_binary().map(mapi::hex::encode)),
            message_class: text(value(1)),
            subject: text(value(2)),
            received_time: value(3)
                .and_then(|v| v.as_time())
                .and_then(mapi::FileTime::to_timestamp),
            sender_name: text(value(4)),
            size: value(5).and_then(|v| v.as_i64()),
        });
    }
    let path = folder.folder_path().map_err(failed)?;
    let doc = serde_json::json!({
        "folder": path,
        "folder_entry_id": folder.entry_id(),
        "store_id": folder.store_id(),
        "count": count,
        "items": rows,
    });
    out.emit(&doc, |w| {
        writeln!(w, "{path}: {count} item(s)")?;
        writeln!(w, "  folder entry ID: {}", folder.entry_id())?;
        writeln!(w, "  store ID: {}", folder.store_id())?;
        for r in &rows {
            writeln!(
                w,
                "  {}  {:<20} {}",
                r.received_time.map(|t| t.to_string()).unwrap_or_else(|| "-".repeat(20)),
                r.message_class.as_deref().unwrap_or(""),
                r.subject.as_deref().unwrap_or("")
            )?;
            let size = r.size.map(|n| format!("{n} bytes")).unwrap_or_default();
            let sender =
                r.sender_name.as_deref().map(|s| format!("from {s}, ")).unwrap_or_default();
            writeln!(w, "    {sender}{size}")?;
            writeln!(w, "    {}", r.entry_id.as_deref().unwrap_or(""))?;
        }
        Ok(())
    })
}

fn item_view(item: &Item, properties: bool) -> Result<serde_json::Value, CliError> {
    let f = failed;
    let mut doc = serde_json::json!({
        "entry_id": item.entry_id(),
        "store_id": item.store().store_id(),
        "store": item.store().display_name(),
        "class": item.class(),
        "message_class": item.message_class(),
        "subject": item.subject().map_err(f)?,
        "body": item.body().map_err(f)?,
        "body_format": item.body_format().map_err(f)?.name(),
        "received_time": item.received_time().map_err(f)?,
        "sent_on": item.sent_on().map_err(f)?,
        "sender_name": item.sender_name().map_err(f)?,
        "sender_email_address": item.sender_email_address().map_err(f)?,
        "creation_time": item.creation_time().map_err(f)?,
        "last_modification_time": item.last_modification_time().map_err(f)?,
        "importance": item.importance().map_err(f)?,
        "size": item.size().map_err(f)?,
        "unread": item.unread().map_err(f)?,
        "categories": item.categories().map_err(f)?,
        "folder_path": item.parent().and_then(|p| p.folder_path()).ok(),
    });
    let typed = item.clone().typed();
    doc["type"] = typed.type_name().into();
    let extra = match &typed {
        TypedItem::Mail(m) => serde_json::json!({
            "to": m.to().map_err(f)?, "cc": m.cc().map_err(f)?, "bcc": m.bcc().map_err(f)?,
        }),
        TypedItem::Appointment(a) => serde_json::json!({
            "start": a.start().map_err(f)?, "end": a.end().map_err(f)?,
            "location": a.location().map_err(f)?, "all_day_event": a.all_day_event().map_err(f)?,
        }),
        TypedItem::Meeting(m) => serde_json::json!({
            "start": m.start().map_err(f)?, "end": m.end().map_err(f)?,
            "location": m.location().map_err(f)?,
        }),
        TypedItem::Contact(c) => serde_json::json!({
            "full_name": c.full_name().map_err(f)?, "company_name": c.company_name().map_err(f)?,
            "email1_address": c.email1_address().map_err(f)?, "file_as": c.file_as().map_err(f)?,
        }),
        TypedItem::DistList(d) => serde_json::json!({
            "dl_name": d.dl_name().map_err(f)?, "member_count": d.member_count().map_err(f)?,
        }),
        TypedItem::Task(t) => serde_json::json!({
            "due_date": t.due_date().map_err(f)?, "complete": t.complete().map_err(f)?,
            "percent_complete": t.percent_complete().map_err(f)?,
        }),
        TypedItem::Journal(j) => serde_json::json!({
            "journal_type": j.journal_type().map_err(f)?, "start": j.start().map_err(f)?,
        }),
        TypedItem::Report(r) => serde_json::json!({ "report_text": r.report_text().map_err(f)? }),
        TypedItem::Note(n) => serde_json::json!({ "color": n.color().map_err(f)? }),
        TypedItem::Post(p) => {
            serde_json::json!({ "conversation_topic": p.conversation_topic().map_err(f)? })
        }
        TypedItem::Other(_) => serde_json::json!({}),
    };
    if let (Some(doc), Some(extra)) = (doc.as_object_mut(), extra.as_object()) {
        for (k, v) in extra {
            doc.insert(k.clone(), v.clone());
        }
    }
    if properties {
        let all = item.all_properties().map_err(f)?;
        doc["properties"] = all
            .iter()
            .map(|p| {
                let name = mapi::catalog::by_tag(p.tag).map(|i| i.name);
                serde_json::json!({ "tag": p.tag.to_string(), "name": name, "value": p.value })
            })
            .collect();
    }
    Ok(doc)
}

/// Fields `item get` prints first, in this order; every other field of the JSON document
/// follows by name, so the text shows what `--json` shows.
const ITEM_HEADLINE: &[&str] = &[
    "subject",
    "sender_name",
    "sender_email_address",
    "to",
    "cc",
    "bcc",
    "received_time",
    "sent_on",
    "creation_time",
    "last_modification_time",
    "folder_path",
    "store",
];

/// One JSON value as a person reads it: text without quotes, lists joined by "; ".
fn plain(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(text) => text.clone(),
        serde_json::Value::Array(items) => items.iter().map(plain).collect::<Vec<_>>().join("; "),
        other => other.to_string(),
    }
}

/// A JSON object's fields on one line, each labelled (`key: value`), nulls left out.
pub(crate) fn plain_fields(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Object(fields) => fields
            .iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| format!("{}: {}", k.replace('_', " "), plain(v)))
            .collect::<Vec<_>>()
            .join("  "),
        other => plain(other),
    }
}

/// `item get` as text: the type and class, every field that has a value, every property
/// (with `--properties`), then the body.
fn print_item(w: &mut dyn Write, doc: &serde_json::Value) -> std::io::Result<()> {
    writeln!(
        w,
        "{} ({})",
        doc["type"].as_str().unwrap_or(""),
        doc["message_class"].as_str().unwrap_or("")
    )?;
    let shown_apart = ["type", "message_class", "body", "properties"];
    let rest = doc
        .as_object()
        .into_iter()
        .flatten()
        .map(|(key, _)| key.as_str())
        .filter(|key| !ITEM_HEADLINE.contains(key) && !shown_apart.contains(key));
    for key in ITEM_HEADLINE.iter().copied().chain(rest) {
        match &doc[key] {
            serde_json::Value::Null => {}
            serde_json::Value::Array(items) if items.is_empty() => {}
            value => writeln!(w, "  {key}: {}", plain(value))?,
        }
    }
    if let Some(properties) = doc["properties"].as_array() {
        writeln!(w, "properties ({}):", properties.len())?;
        for p in properties {
            let name = p["name"].as_str().unwrap_or("-");
            let value = &p["value"];
            let shown = match value.get("value") {
                Some(inner) => plain(inner),
                None => String::new(),
            };
            let kind = value["type"].as_str().unwrap_or("");
            writeln!(w, "  {} {name} ({kind}): {shown}", p["tag"].as_str().unwrap_or(""))?;
        }
    }
    if let Some(body) = doc["body"].as_str() {
        writeln!(w, "\n{body}")?;
    }
    Ok(())
}

fn folder_cmd(ns: &NameSpace, command: FolderCommand, out: Output) -> Result<(), CliError> {
    use crate::folder_ops_cmd as ops;
    match command {
        FolderCommand::Get { entry_id, store } => {
            let folder =
                ns.get_folder_from_id(&entry_id, store.as_deref()).map_err(lookup_failed)?;
            emit_folder(&folder, out)
        }
        FolderCommand::Create { parent, name, folder_type } => {
            ops::folder_create(ns, &parent, &name, folder_type, out)
        }
        FolderCommand::Rename { folder, name } => ops::folder_rename(ns, &folder, &name, out),
        FolderCommand::Move { folder, target, into } => {
            ops::folder_copy_or_move(ns, &folder, &ops::into_target(target, into)?, true, out)
        }
        FolderCommand::Copy { folder, target, into } => {
            ops::folder_copy_or_move(ns, &folder, &ops::into_target(target, into)?, false, out)
        }
        FolderCommand::Delete { folder } => ops::folder_delete(ns, &folder, out),
    }
}

fn item_cmd(ns: &NameSpace, command: ItemCommand, out: Output) -> Result<(), CliError> {
    match command {
        ItemCommand::Copy { entry_id, folder } => {
            crate::folder_ops_cmd::item_copy_or_move(ns, &entry_id, &folder, false, out)
        }
        ItemCommand::Move { entry_id, folder } => {
            crate::folder_ops_cmd::item_copy_or_move(ns, &entry_id, &folder, true, out)
        }
        ItemCommand::Get { entry_id, store, properties } => {
            let store_id = match store {
                Some(store) => Some(ns.find_store(&store).map_err(lookup_failed)?.store_id()),
                None => None,
            };
            let item =
                ns.get_item_from_id(&entry_id, store_id.as_deref()).map_err(lookup_failed)?;
            let doc = item_view(&item, properties)?;
            out.emit(&doc, |w| print_item(w, &doc))
        }
        ItemCommand::Update { entry_id, set } => {
            crate::parts_cmd::item_update_cmd(ns, &entry_id, &set, out)
        }
        ItemCommand::Create { folder, subject, body, class, to, cc, bcc, attach, html } => {
            let html = match &html {
                Some(path) => Some(std::fs::read_to_string(path).map_err(|err| {
                    CliError::bad_input(format!(
                        "{}: cannot read the HTML body: {err}",
                        path.display()
                    ))
                })?),
                None => None,
            };
            let folder = resolve_folder(ns, &folder, None)?;
            let item = folder.create_item(class.as_deref()).map_err(|err| match err.code() {
                ErrorCode::InvalidParameter => bad_input(err),
                _ => failed(err),
            })?;
            item.set_subject(&subject).map_err(failed)?;
            if let Some(body) = &body {
                item.set_body(body).map_err(failed)?;
            }
            if let Some(html) = &html {
                item.set_html_body(html).map_err(failed)?;
            }
            for (member, lists) in [("To", &to), ("CC", &cc), ("BCC", &bcc)] {
                if !lists.is_empty() {
                    item.set_member(member, &lists.join("; ")).map_err(bad_input)?;
                }
            }
            for file in &attach {
                item.attachments()
                    .add(
                        session::AttachmentSource::File(file.clone()),
                        &session::AddAttachmentOptions::default(),
                    )
                    .map_err(|err| match err.code() {
                        ErrorCode::NotFound | ErrorCode::InvalidParameter => bad_input(err),
                        _ => failed(err),
                    })?;
            }
            item.save().map_err(failed)?;
            let doc = serde_json::json!({
                "entry_id": item.entry_id(),
                "store_id": item.store().store_id(),
                "folder_path": folder.folder_path().map_err(failed)?,
                "message_class": item.message_class(),
                "subject": subject,
            });
            out.emit(&doc, |w| writeln!(w, "{}", item.entry_id().unwrap_or_default()))
        }
        ItemCommand::Body { entry_id, format, out: out_path, store } => {
            let store_id = match store {
                Some(store) => Some(ns.find_store(&store).map_err(lookup_failed)?.store_id()),
                None => None,
            };
            let item =
                ns.get_item_from_id(&entry_id, store_id.as_deref()).map_err(lookup_failed)?;
            crate::body_cmd::item_body(&item, &entry_id, format, out_path.as_deref(), out)
        }
        ItemCommand::Delete { entry_id } => {
            let item = ns.get_item_from_id(&entry_id, None).map_err(lookup_failed)?;
            let doc = match item.delete().map_err(failed)? {
                DeleteOutcome::MovedToDeletedItems { entry_id: new_id } => serde_json::json!({
                    "entry_id": entry_id,
                    "outcome": "moved-to-deleted-items",
                    "new_entry_id": mapi::hex::encode(&new_id),
                }),
                DeleteOutcome::DeletedPermanently => {
                    serde_json::json!({ "entry_id": entry_id, "outcome": "deleted" })
                }
            };
            out.emit(&doc, |w| match doc["new_entry_id"].as_str() {
                Some(id) => writeln!(w, "moved to Deleted Items: {id}"),
                None => writeln!(w, "deleted for good"),
            })
        }
    }
}
