//! One shape for the session whether it runs in this process or in the instance.
//!
//! [`OutlookSession`] is the part of `NameSpace` most programs need (logon, stores, default
//! folders, items, `GetItemFromID`, create, delete), with plain-data results. The in-process
//! [`session::NameSpace`] implements it, and so does [`RemoteSession`], which is attached to
//! the per-user instance and shares its logged-on session and open stores. Code written
//! against the trait does not care which it has.
//!
//! The remote side is built on the protocol's `session` method (the same commands the
//! `outpost` CLI runs, with `--json`) and the lean `item_get` method; see docs/PROTOCOL.md.
//! Live objects (an `Item` whose properties you set one by one, `Items` tables) stay
//! in-process only: across the socket every call is one round trip with data.

use crate::{Client, InstancePaths, Launcher, ServiceError};
use mapi::{ErrorCode, MapiError, OlDefaultFolders};
use serde::Deserialize;
use serde_json::{Value, json};
use session::{DeleteOutcome, NameSpace};
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

/// A mounted store.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct StoreInfo {
    pub display_name: String,
    /// `StoreID` in hex.
    pub store_id: String,
    pub file_path: Option<PathBuf>,
    /// Whether it is the profile's default store.
    pub default: bool,
}

/// A folder.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct FolderInfo {
    pub name: String,
    /// `\\Store\Inbox`.
    pub folder_path: String,
    pub entry_id: String,
    pub store_id: String,
}

/// An item, as much as a listing or `GetItemFromID` gives.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ItemInfo {
    pub entry_id: String,
    pub message_class: Option<String>,
    pub subject: Option<String>,
}

/// The session operations that work the same in-process and attached to the instance.
/// Folders are named as the CLI names them: a default-folder kind (`inbox`), a folder path
/// (`\\Store\Inbox`) or an entry ID in hex.
pub trait OutlookSession {
    /// `Logon(Profile)`: `None` for the default profile. Returns the profile logged on to.
    fn logon(&self, profile: Option<&str>) -> Result<String, MapiError>;
    /// `Stores`, the default store first.
    fn stores(&self) -> Result<Vec<StoreInfo>, MapiError>;
    /// `GetDefaultFolder(kind)` in the default store.
    fn default_folder(&self, kind: OlDefaultFolders) -> Result<FolderInfo, MapiError>;
    /// The items of a folder.
    fn items(&self, folder: &str) -> Result<Vec<ItemInfo>, MapiError>;
    /// `GetItemFromID(EntryID)`.
    fn get_item_from_id(&self, entry_id: &str) -> Result<ItemInfo, MapiError>;
    /// `Items.Add` + `Subject`/`Body` + `Save`; returns the new item's entry ID.
    fn create_item(
        &self,
        folder: &str,
        subject: &str,
        body: Option<&str>,
    ) -> Result<String, MapiError>;
    /// `Delete`: moves the item to Deleted Items (or deletes it for good there); returns the
    /// entry ID it has in Deleted Items, if it moved.
    fn delete_item(&self, entry_id: &str) -> Result<Option<String>, MapiError>;
}

fn session_error(err: session::SessionError) -> MapiError {
    err.to_mapi()
}

/// A folder as the CLI names it, resolved in an in-process session.
fn resolve_folder(ns: &NameSpace, text: &str) -> Result<session::Folder, MapiError> {
    let text = text.trim();
    if text.starts_with('\\') {
        return ns.folder_from_path(text).map_err(session_error);
    }
    if let Ok(kind) = text.parse::<OlDefaultFolders>() {
        return ns.get_default_folder(kind).map_err(session_error);
    }
    ns.get_folder_from_id(text, None).map_err(session_error)
}

fn folder_info(folder: &session::Folder) -> Result<FolderInfo, MapiError> {
    Ok(FolderInfo {
        name: folder.name().map_err(session_error)?,
        folder_path: folder.folder_path().map_err(session_error)?,
        entry_id: folder.entry_id(),
        store_id: folder.store_id(),
    })
}

fn item_info(item: &session::Item) -> Result<ItemInfo, MapiError> {
    Ok(ItemInfo {
        entry_id: item.entry_id().unwrap_or_default(),
        message_class: Some(item.message_class().to_owned()),
        subject: item.subject().map_err(session_error)?,
    })
}

impl OutlookSession for NameSpace {
    fn logon(&self, profile: Option<&str>) -> Result<String, MapiError> {
        NameSpace::logon(self, profile, None, false, false).map_err(session_error)?;
        Ok(self.current_profile_name())
    }

    fn stores(&self) -> Result<Vec<StoreInfo>, MapiError> {
        let default = self.default_store().ok().map(|s| s.store_id());
        Ok(NameSpace::stores(self)
            .map_err(session_error)?
            .iter()
            .map(|s| StoreInfo {
                display_name: s.display_name().to_owned(),
                store_id: s.store_id(),
                file_path: s.file_path().map(PathBuf::from),
                default: Some(s.store_id()) == default,
            })
            .collect())
    }

    fn default_folder(&self, kind: OlDefaultFolders) -> Result<FolderInfo, MapiError> {
        folder_info(&self.get_default_folder(kind).map_err(session_error)?)
    }

    fn items(&self, folder: &str) -> Result<Vec<ItemInfo>, MapiError> {
        let folder = resolve_folder(self, folder)?;
        let mut items = Vec::new();
        for item in folder.items().iter().map_err(session_error)? {
            items.push(item_info(&item.map_err(session_error)?)?);
        }
        Ok(items)
    }

    fn get_item_from_id(&self, entry_id: &str) -> Result<ItemInfo, MapiError> {
        item_info(&NameSpace::get_item_from_id(self, entry_id, None).map_err(session_error)?)
    }

    fn create_item(
        &self,
        folder: &str,
        subject: &str,
        body: Option<&str>,
    ) -> Result<String, MapiError> {
        let item = resolve_folder(self, folder)?.create_item(None).map_err(session_error)?;
        item.set_subject(subject).map_err(session_error)?;
        if let Some(body) = body {
            item.set_body(body).map_err(session_error)?;
        }
        item.save().map_err(session_error)?;
        Ok(item.entry_id().unwrap_or_default())
    }

    fn delete_item(&self, entry_id: &str) -> Result<Option<String>, MapiError> {
        let item = NameSpace::get_item_from_id(self, entry_id, None).map_err(session_error)?;
        Ok(match item.delete().map_err(session_error)? {
            DeleteOutcome::MovedToDeletedItems { entry_id } => Some(mapi::hex::encode(&entry_id)),
            DeleteOutcome::DeletedPermanently => None,
        })
    }
}

/// The session of the per-user instance, reached over its socket. Calls are serialised on
/// one connection (the `Mutex`), so the handle is `Send + Sync` and can be shared.
#[derive(Debug)]
pub struct RemoteSession {
    client: Mutex<Client>,
    /// How to reach the instance again when the connection is lost (the instance closes a
    /// connection that stays silent for 10 minutes, and may have been restarted).
    reconnect: Option<(InstancePaths, Option<(Launcher, Duration)>)>,
    profile: Mutex<Option<String>>,
    /// Relative paths in commands are taken relative to this directory.
    cwd: PathBuf,
}

impl RemoteSession {
    /// Attached to the running instance; `NotRunning` if there is none.
    pub fn connect(paths: &InstancePaths) -> Result<RemoteSession, ServiceError> {
        let mut remote = RemoteSession::from_client(Client::connect(paths)?);
        remote.reconnect = Some((paths.clone(), None));
        Ok(remote)
    }

    /// Attached to the running instance, started with `launcher` if nothing answers (the
    /// `GetActiveObject`-or-`CreateObject` of Outlook automation).
    pub fn get_or_start(
        paths: &InstancePaths,
        launcher: &Launcher,
        timeout: Duration,
    ) -> Result<RemoteSession, ServiceError> {
        let mut remote =
            RemoteSession::from_client(Client::get_or_start(paths, launcher, timeout)?);
        remote.reconnect = Some((paths.clone(), Some((launcher.clone(), timeout))));
        Ok(remote)
    }

    pub fn from_client(client: Client) -> RemoteSession {
        RemoteSession {
            client: Mutex::new(client),
            reconnect: None,
            profile: Mutex::new(None),
            cwd: std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/")),
        }
    }

    /// One call. When the connection turns out to be lost (closed for silence, or the
    /// instance restarted), the call is sent again once on a new connection if it never
    /// reached the instance or only reads; a write that may have run is not.
    fn call(&self, method: &str, params: Value) -> Result<Value, MapiError> {
        let mut client = self.client.lock().unwrap_or_else(|e| e.into_inner());
        match client.call(method, params.clone()) {
            Err(err)
                if err.was_not_delivered()
                    || (err.is_connection_lost() && is_read_only(method, &params)) =>
            {
                let Some((paths, start)) = &self.reconnect else { return Err(err.to_mapi()) };
                let fresh = match start {
                    Some((launcher, timeout)) => Client::get_or_start(paths, launcher, *timeout),
                    None => Client::connect(paths),
                }
                .map_err(|e| e.to_mapi())?;
                *client = fresh;
                client.call(method, params).map_err(|e| e.to_mapi())
            }
            other => other.map_err(|e| e.to_mapi()),
        }
    }

    /// Runs one session command in the instance with `--json` and returns its document.
    fn command(&self, args: &[&str]) -> Result<Value, MapiError> {
        let mut argv: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
        argv.push("--json".to_owned());
        if let Some(profile) = self.profile.lock().unwrap_or_else(|e| e.into_inner()).clone() {
            argv.push("--profile".to_owned());
            argv.push(profile);
        }
        let reply = self.call("session", json!({ "argv": argv, "cwd": self.cwd }))?;
        if let Some(error) = reply["error"].as_object() {
            let message = error
                .get("message")
                .and_then(Value::as_str)
                .unwrap_or("the instance reported an error")
                .to_owned();
            let code =
                error.get("code").and_then(Value::as_str).and_then(ErrorCode::from_name).unwrap_or(
                    match error.get("exit_code").and_then(Value::as_u64) {
                        Some(2) => ErrorCode::InvalidParameter,
                        _ => ErrorCode::CallFailed,
                    },
                );
            return Err(MapiError::new(code, message));
        }
        let output = reply["output"].as_str().unwrap_or_default();
        serde_json::from_str(output).map_err(|err| {
            MapiError::new(
                ErrorCode::CallFailed,
                format!("the instance answered {args:?} with unreadable JSON: {err}"),
            )
        })
    }
}

/// Whether a request only reads (see [`RemoteSession::call`]).
fn is_read_only(method: &str, params: &Value) -> bool {
    match method {
        "item_get" | "ping" | "status" => true,
        "session" => matches!(
            params["argv"][0].as_str(),
            Some("logon" | "stores" | "default-folder" | "items" | "folders" | "compare-ids")
        ),
        _ => false,
    }
}

fn parse<T: serde::de::DeserializeOwned>(what: &str, value: Value) -> Result<T, MapiError> {
    serde_json::from_value(value).map_err(|err| {
        MapiError::new(ErrorCode::CallFailed, format!("unexpected {what} from the instance: {err}"))
    })
}

impl OutlookSession for RemoteSession {
    fn logon(&self, profile: Option<&str>) -> Result<String, MapiError> {
        *self.profile.lock().unwrap_or_else(|e| e.into_inner()) = profile.map(str::to_owned);
        let doc = self.command(&["logon"])?;
        Ok(doc["profile"].as_str().unwrap_or_default().to_owned())
    }

    fn stores(&self) -> Result<Vec<StoreInfo>, MapiError> {
        parse("store list", self.command(&["stores"])?["stores"].take())
    }

    fn default_folder(&self, kind: OlDefaultFolders) -> Result<FolderInfo, MapiError> {
        parse("folder", self.command(&["default-folder", &kind.value().to_string()])?)
    }

    fn items(&self, folder: &str) -> Result<Vec<ItemInfo>, MapiError> {
        parse("item list", self.command(&["items", folder])?["items"].take())
    }

    fn get_item_from_id(&self, entry_id: &str) -> Result<ItemInfo, MapiError> {
        let mut params = json!({ "entry_id": entry_id });
        if let Some(profile) = self.profile.lock().unwrap_or_else(|e| e.into_inner()).clone() {
            params["profile"] = profile.into();
        }
        parse("item", self.call("item_get", params)?)
    }

    fn create_item(
        &self,
        folder: &str,
        subject: &str,
        body: Option<&str>,
    ) -> Result<String, MapiError> {
        // `--subject=...` so a subject that starts with `-` is not taken for an option.
        let subject = format!("--subject={subject}");
        let body = body.map(|body| format!("--body={body}"));
        let mut args = vec!["item", "create", folder, &subject];
        args.extend(body.as_deref());
        let doc = self.command(&args)?;
        Ok(doc["entry_id"].as_str().unwrap_or_default().to_owned())
    }

    fn delete_item(&self, entry_id: &str) -> Result<Option<String>, MapiError> {
        let doc = self.command(&["item", "delete", entry_id])?;
        Ok(doc["new_entry_id"].as_str().map(str::to_owned))
    }
}
