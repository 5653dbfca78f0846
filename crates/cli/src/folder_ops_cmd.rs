//! `item copy|move` and `folder create|rename|move|copy|delete`: copy and move of items and
//! folders within a store and across stores (docs/OUTLOOK-COMPAT.md, "Copy and move").

use crate::output::{CliError, Output};
use crate::session_cmd::{emit_folder, failed, lookup_failed, plain_fields, resolve_folder};
use clap::ValueEnum;
use mapi::{ErrorCode, OlDefaultFolders, OlItemType};
use session::{Folder, NameSpace, SessionError};

/// `--type` of `folder create`: what the folder holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FolderType {
    Mail,
    Calendar,
    Contacts,
    Tasks,
    Notes,
    Journal,
}

impl FolderType {
    fn item_type(self) -> OlItemType {
        match self {
            FolderType::Mail => OlItemType::MailItem,
            FolderType::Calendar => OlItemType::AppointmentItem,
            FolderType::Contacts => OlItemType::ContactItem,
            FolderType::Tasks => OlItemType::TaskItem,
            FolderType::Notes => OlItemType::NoteItem,
            FolderType::Journal => OlItemType::JournalItem,
        }
    }
}

/// A failed copy or move: a name that is not allowed is bad input, the rest failed.
fn operation_failed(err: SessionError) -> CliError {
    match err.code() {
        ErrorCode::InvalidParameter => CliError::bad_input_from(err.to_mapi()),
        _ => failed(err),
    }
}

/// `item copy ID FOLDER` (`move`: `item move ID FOLDER`): prints the new item's entry ID.
pub fn item_copy_or_move(
    ns: &NameSpace,
    entry_id: &str,
    folder: &str,
    is_move: bool,
    out: Output,
) -> Result<(), CliError> {
    let item = ns.get_item_from_id(entry_id, None).map_err(lookup_failed)?;
    let destination = resolve_folder(ns, folder, None)?;
    let result = if is_move { item.move_to(&destination) } else { item.copy_to(&destination) };
    let copy = result.map_err(operation_failed)?;
    let doc = serde_json::json!({
        "entry_id": copy.entry_id(),
        "source_entry_id": entry_id,
        "operation": if is_move { "moved" } else { "copied" },
        "folder_path": destination.folder_path().map_err(failed)?,
        "store_id": copy.store().store_id(),
        "subject": copy.subject().map_err(failed)?,
    });
    out.emit(&doc, |w| writeln!(w, "{}", plain_fields(&doc)))
}

fn check_name(name: &str) -> Result<&str, CliError> {
    let trimmed = name.trim();
    if trimmed.is_empty() {
        return Err(CliError::bad_input("a folder name cannot be empty"));
    }
    if trimmed.contains('\\') {
        return Err(CliError::bad_input(format!(
            "folder name {name:?} contains a backslash, which separates folders in a path"
        )));
    }
    Ok(trimmed)
}

/// `folder create PARENT NAME [--type T]`.
pub fn folder_create(
    ns: &NameSpace,
    parent: &str,
    name: &str,
    folder_type: Option<FolderType>,
    out: Output,
) -> Result<(), CliError> {
    let name = check_name(name)?;
    let parent = resolve_folder(ns, parent, None)?;
    let folder = parent
        .create_folder(name, folder_type.map(FolderType::item_type))
        .map_err(operation_failed)?;
    emit_folder(&folder, out)
}

/// `folder rename FOLDER NAME`.
pub fn folder_rename(
    ns: &NameSpace,
    folder: &str,
    name: &str,
    out: Output,
) -> Result<(), CliError> {
    let name = check_name(name)?;
    let folder = resolve_folder(ns, folder, None)?;
    if folder.is_top() {
        return Err(CliError::bad_input("the top folder of a store cannot be renamed"));
    }
    folder.set_name(name).map_err(operation_failed)?;
    emit_folder(&folder, out)
}

/// The target of `folder move|copy`: the positional INTO or `--into`, exactly one.
pub fn into_target(positional: Option<String>, flag: Option<String>) -> Result<String, CliError> {
    match (positional, flag) {
        (Some(target), None) | (None, Some(target)) => Ok(target),
        (Some(_), Some(_)) => {
            Err(CliError::bad_input("give the target folder once: as INTO or with --into"))
        }
        (None, None) => Err(CliError::bad_input("the target folder is missing: --into FOLDER")),
    }
}

/// `folder move FOLDER --into TARGET` and `folder copy FOLDER --into TARGET`.
pub fn folder_copy_or_move(
    ns: &NameSpace,
    folder: &str,
    into: &str,
    is_move: bool,
    out: Output,
) -> Result<(), CliError> {
    let folder = resolve_folder(ns, folder, None)?;
    let destination = resolve_folder(ns, into, None)?;
    let result: Result<Folder, SessionError> =
        if is_move { folder.move_to(&destination) } else { folder.copy_to(&destination) };
    emit_folder(&result.map_err(operation_failed)?, out)
}

/// `folder delete FOLDER`: to Deleted Items, or for good from inside Deleted Items.
pub fn folder_delete(ns: &NameSpace, folder: &str, out: Output) -> Result<(), CliError> {
    let folder = resolve_folder(ns, folder, None)?;
    let path = folder.folder_path().map_err(failed)?;
    let wastebasket = folder.store().default_folder_entry_id(OlDefaultFolders::DeletedItems).ok();
    let to_wastebasket = match &wastebasket {
        Some(id) => !folder.is_inside(id).map_err(failed)?,
        None => false,
    };
    folder.delete().map_err(operation_failed)?;
    let doc = serde_json::json!({
        "folder_path": path,
        "entry_id": folder.entry_id(),
        "outcome": if to_wastebasket { "moved-to-deleted-items" } else { "deleted" },
    });
    out.emit(&doc, |w| writeln!(w, "{}", plain_fields(&doc)))
}
