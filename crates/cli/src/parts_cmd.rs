//! What is below an item: `recipients ID`, `attachments ID`, `attachment save ID N|--all
//! --out DIR`, and `item update ID --set NAME=VALUE`.

use crate::output::{CliError, Output};
use crate::session_cmd::{bad_input, failed, lookup_failed};
use clap::Subcommand;
use mapi::ErrorCode;
use serde::Serialize;
use session::members::MemberValue;
use session::{AttachmentInfo, Item, NameSpace, Recipient, SessionError};
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum AttachmentCommand {
    /// Save one attachment (by its 1-based index) or all of them into a directory, under their
    /// own file names made safe (no path separators, `..` or control characters; a taken name
    /// gets " (2)"). Existing files are never overwritten.
    Save {
        /// The item's entry ID (hex).
        entry_id: String,
        /// The attachment's index (1-based, as `outpost attachments` lists them).
        index: Option<usize>,
        /// Save every attachment (embedded items are listed as skipped until .msg writing).
        #[arg(long, conflicts_with = "index")]
        all: bool,
        /// The directory to save into (created if missing).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// The store (display name, store ID or file path) to open the item in.
        #[arg(long)]
        store: Option<String>,
    },
}

/// An item by entry ID, in `store` when given, else in whichever mounted store owns it.
pub(crate) fn open_item(
    ns: &NameSpace,
    entry_id: &str,
    store: Option<&str>,
) -> Result<Item, CliError> {
    let store_id = match store {
        Some(store) => Some(ns.find_store(store).map_err(lookup_failed)?.store_id()),
        None => None,
    };
    ns.get_item_from_id(entry_id, store_id.as_deref()).map_err(lookup_failed)
}

/// Errors of writing to an item: what the user gave wrong is bad input (exit 2).
fn write_failed(err: SessionError) -> CliError {
    match err.code() {
        ErrorCode::InvalidParameter | ErrorCode::NotFound => bad_input(err),
        _ => failed(err),
    }
}

#[derive(Debug, Serialize)]
struct RecipientsView {
    entry_id: String,
    count: usize,
    recipients: Vec<Recipient>,
}

pub fn recipients_cmd(
    ns: &NameSpace,
    entry_id: &str,
    store: Option<&str>,
    out: Output,
) -> Result<(), CliError> {
    let item = open_item(ns, entry_id, store)?;
    let recipients = item.recipients().list().map_err(failed)?;
    let view =
        RecipientsView { entry_id: entry_id.to_owned(), count: recipients.len(), recipients };
    out.emit(&view, |w| {
        writeln!(w, "item {}: {} recipient(s)", view.entry_id, view.count)?;
        for (i, r) in view.recipients.iter().enumerate() {
            let kind = mapi::OlMailRecipientType::from_value(r.recipient_type)
                .map_or_else(|| r.recipient_type.to_string(), |k| k.cli_name().to_owned());
            writeln!(
                w,
                "{:>3}  {:<4} {}  address: {}  type: {}  smtp: {}  resolved: {}  entry ID: {}",
                i + 1,
                kind,
                r.name,
                r.address.as_deref().unwrap_or("-"),
                r.address_type.as_deref().unwrap_or("-"),
                r.smtp_address.as_deref().unwrap_or("-"),
                r.resolved,
                r.entry_id.as_deref().unwrap_or("-"),
            )?;
        }
        Ok(())
    })
}

#[derive(Debug, Serialize)]
struct AttachmentsView {
    entry_id: String,
    count: usize,
    attachments: Vec<AttachmentInfo>,
}

fn print_attachment(w: &mut dyn Write, a: &AttachmentInfo) -> std::io::Result<()> {
    let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".to_owned());
    writeln!(
        w,
        "{:>3}  {:<13} {}  size: {}  display name: {}  mime: {}  position: {}  content ID: {}  \
         hidden: {}  attach number: {}{}{}",
        a.index,
        a.attachment_type.cli_name(),
        opt(&a.file_name),
        a.size.map_or_else(|| "-".to_owned(), |s| s.to_string()),
        opt(&a.display_name),
        opt(&a.mime_tag),
        a.position,
        opt(&a.content_id),
        a.hidden,
        a.attach_number,
        a.path_name.as_ref().map(|p| format!("  path: {p}")).unwrap_or_default(),
        a.embedded_class.as_ref().map_or_else(String::new, |class| format!(
            "  embedded: {class} {:?}",
            a.embedded_subject.clone().unwrap_or_default()
        )),
    )
}

pub fn attachments_cmd(
    ns: &NameSpace,
    entry_id: &str,
    store: Option<&str>,
    out: Output,
) -> Result<(), CliError> {
    let item = open_item(ns, entry_id, store)?;
    let attachments = item
        .attachments()
        .list()
        .map_err(failed)?
        .iter()
        .map(|a| a.info())
        .collect::<Result<Vec<_>, _>>()
        .map_err(failed)?;
    let view =
        AttachmentsView { entry_id: entry_id.to_owned(), count: attachments.len(), attachments };
    out.emit(&view, |w| {
        writeln!(w, "item {}: {} attachment(s)", view.entry_id, view.count)?;
        view.attachments.iter().try_for_each(|a| print_attachment(w, a))
    })
}

#[derive(Debug, Serialize)]
struct SavedView {
    entry_id: String,
    directory: PathBuf,
    saved: Vec<SavedFile>,
    skipped: Vec<Skipped>,
}

#[derive(Debug, Serialize)]
struct SavedFile {
    index: usize,
    path: PathBuf,
    bytes: u64,
}

#[derive(Debug, Serialize)]
struct Skipped {
    index: usize,
    reason: String,
}

pub fn attachment_cmd(
    ns: &NameSpace,
    command: AttachmentCommand,
    out: Output,
) -> Result<(), CliError> {
    let AttachmentCommand::Save { entry_id, index, all, out: directory, store } = command;
    if index.is_none() && !all {
        return Err(CliError::bad_input("name an attachment by its index, or give --all"));
    }
    let item = open_item(ns, &entry_id, store.as_deref())?;
    let attachments = item.attachments();
    let chosen = match index {
        Some(index) => vec![attachments.item(index).map_err(bad_input)?],
        None => attachments.list().map_err(failed)?,
    };
    std::fs::create_dir_all(&directory).map_err(|err| {
        CliError::failed(format!("{}: cannot create the directory: {err}", directory.display()))
    })?;
    let mut view = SavedView {
        entry_id,
        directory: directory.clone(),
        saved: Vec::new(),
        skipped: Vec::new(),
    };
    let mut files = session::files::NewFiles::new(&directory);
    for attachment in chosen {
        let is_embedded =
            attachment.attachment_type().map_err(failed)? == mapi::OlAttachmentType::EmbeddedItem;
        if is_embedded && all {
            view.skipped.push(Skipped {
                index: attachment.index(),
                reason: "an embedded item: saving it as a .msg file comes with the .msg writer"
                    .to_owned(),
            });
            continue;
        }
        let path = attachment.save_with(&mut files).map_err(failed)?;
        let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        view.saved.push(SavedFile { index: attachment.index(), path, bytes });
    }
    out.emit(&view, |w| {
        for file in &view.saved {
            writeln!(w, "{:>3}  {}  ({} bytes)", file.index, file.path.display(), file.bytes)?;
        }
        for skipped in &view.skipped {
            writeln!(w, "{:>3}  skipped: {}", skipped.index, skipped.reason)?;
        }
        Ok(())
    })
}

#[derive(Debug, Serialize)]
struct UpdatedView {
    entry_id: Option<String>,
    values: Vec<UpdatedValue>,
}

#[derive(Debug, Serialize)]
struct UpdatedValue {
    name: String,
    value: MemberValue,
}

/// `item update ID --set NAME=VALUE ...`: every assignment is checked and applied in memory,
/// then the item is saved once; a bad one leaves the item untouched.
pub fn item_update_cmd(
    ns: &NameSpace,
    entry_id: &str,
    assignments: &[String],
    out: Output,
) -> Result<(), CliError> {
    let mut parsed = Vec::new();
    for assignment in assignments {
        let (name, value) = assignment.split_once('=').ok_or_else(|| {
            CliError::bad_input(format!("--set {assignment:?}: expected NAME=VALUE"))
        })?;
        if name.trim().is_empty() {
            return Err(CliError::bad_input(format!("--set {assignment:?}: the name is empty")));
        }
        parsed.push((name.trim().to_owned(), value.to_owned()));
    }
    let item = open_item(ns, entry_id, None)?;
    for (name, value) in &parsed {
        item.set_member(name, value).map_err(write_failed)?;
    }
    item.save().map_err(failed)?;
    let values = parsed
        .iter()
        .map(|(name, _)| {
            let value = item.get_member(name).map_err(failed)?;
            Ok(UpdatedValue { name: name.clone(), value })
        })
        .collect::<Result<Vec<_>, CliError>>()?;
    let view = UpdatedView { entry_id: item.entry_id(), values };
    out.emit(&view, |w| {
        writeln!(w, "updated {}", view.entry_id.as_deref().unwrap_or("-"))?;
        for v in &view.values {
            let shown = serde_json::to_string(&v.value).unwrap_or_default();
            writeln!(w, "  {} = {}", v.name, shown)?;
        }
        Ok(())
    })
}

#[derive(Debug, Subcommand)]
pub enum CategoriesCommand {
    /// Every category of the master list (the default).
    List,
    /// Add a category to the master list.
    Add {
        name: String,
        /// OlCategoryColor: -1 none, 0 red, 1 orange, 2 peach, 3 yellow, 4 green, 5 teal, 6
        /// olive, 7 blue, 8 purple, ... 24 [default: the least used].
        #[arg(long, allow_negative_numbers = true)]
        color: Option<i32>,
        /// OlCategoryShortcutKey: 0 none, 1 Ctrl+F2, ... 11 Ctrl+F12.
        #[arg(long)]
        shortcut: Option<i32>,
    },
    /// Remove a category (by name or 1-based index) from the master list.
    Remove { category: String },
}

#[derive(Debug, Serialize)]
struct CategoriesView {
    count: usize,
    categories: Vec<session::Category>,
}

fn print_category(w: &mut dyn Write, index: usize, c: &session::Category) -> std::io::Result<()> {
    writeln!(
        w,
        "{:>3}  {}  color: {}  shortcut key: {}  category ID: {}",
        index,
        c.name,
        c.color,
        c.shortcut_key,
        c.category_id.as_deref().unwrap_or("-")
    )
}

/// `categories [list|add|remove]`: the master category list of the default store.
pub fn categories_cmd(
    ns: &NameSpace,
    command: Option<CategoriesCommand>,
    out: Output,
) -> Result<(), CliError> {
    let category_failed = |err: SessionError| match err.code() {
        ErrorCode::InvalidParameter | ErrorCode::NotFound | ErrorCode::Collision => bad_input(err),
        _ => failed(err),
    };
    match command.unwrap_or(CategoriesCommand::List) {
        CategoriesCommand::List => {
            let categories = ns.categories().map_err(failed)?;
            let view = CategoriesView { count: categories.len(), categories };
            out.emit(&view, |w| {
                writeln!(w, "{} categories", view.count)?;
                view.categories
                    .iter()
                    .enumerate()
                    .try_for_each(|(i, c)| print_category(w, i + 1, c))
            })
        }
        CategoriesCommand::Add { name, color, shortcut } => {
            let added = ns.add_category(&name, color, shortcut).map_err(category_failed)?;
            out.emit(&added, |w| {
                write!(w, "added ")?;
                print_category(w, ns.categories().map(|c| c.len()).unwrap_or(0), &added)
            })
        }
        CategoriesCommand::Remove { category } => {
            let removed = ns.remove_category(&category).map_err(category_failed)?;
            out.emit(&removed, |w| writeln!(w, "removed {}", removed.name))
        }
    }
}
