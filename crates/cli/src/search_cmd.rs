//! `outpost search FILTER [--scope FOLDER]... [--subfolders] [--sort F [--descending]]
//! [--limit N]`: `Application.AdvancedSearch` from the command line. It runs in the instance
//! like every session command.
//!
//! Without `--scope` the search covers every store's top folder and everything below it
//! (Outlook's "All Outlook Items"); with `--scope`, only the folders named, and their
//! subfolders with `--subfolders`.

use crate::output::{CliError, Output};
use crate::session_cmd::{ProfileArg, Sessions, logon, resolve_folder};
use clap::Args;
use mapi::ErrorCode;
use serde::Serialize;
use session::{Folder, SessionError};

#[derive(Debug, Args)]
pub struct SearchArgs {
    #[command(flatten)]
    pub profile: ProfileArg,
    /// A DASL filter, with or without @SQL=: `"urn:schemas:httpmail:subject" ci_phrasematch
    /// 'budget'`, `%today("urn:schemas:httpmail:datereceived")%`, ...
    pub filter: String,
    /// A folder to search: a default-folder kind (inbox, ...), a folder path
    /// (\\Store\Inbox) or an entry ID. Repeat for several [default: every store's top folder,
    /// with subfolders].
    #[arg(long, value_name = "FOLDER")]
    pub scope: Vec<String>,
    /// Search the scope folders' subfolders too.
    #[arg(long)]
    pub subfolders: bool,
    /// Sort by Subject, ReceivedTime, SenderName, MessageClass, Size, Store or FolderPath.
    #[arg(long, value_name = "F")]
    pub sort: Option<String>,
    /// Sort in descending order.
    #[arg(long, requires = "sort")]
    pub descending: bool,
    /// Show at most this many items (the count is of all found).
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
}

#[derive(Debug, Serialize)]
struct FoundRow {
    entry_id: String,
    store: String,
    store_id: String,
    folder: String,
    message_class: Option<String>,
    subject: Option<String>,
    received_time: Option<jiff::Timestamp>,
    sender_name: Option<String>,
    size: Option<i64>,
}

/// Bad filters, sort fields and scopes are the user's (exit 2); the rest failed (exit 1).
fn classify(err: SessionError) -> CliError {
    let mapi = err.to_mapi();
    match err.code() {
        ErrorCode::InvalidParameter | ErrorCode::NotFound => CliError::bad_input_from(mapi),
        _ => CliError::from(mapi),
    }
}

pub fn run(sessions: &Sessions, args: SearchArgs, out: Output) -> Result<(), CliError> {
    let ns = logon(sessions, &args.profile)?;
    let (folders, subfolders): (Vec<Folder>, bool) = if args.scope.is_empty() {
        let stores = ns.stores().map_err(classify)?;
        let tops = stores.iter().map(|s| s.root_folder()).collect::<Result<Vec<_>, _>>();
        (tops.map_err(classify)?, true)
    } else {
        let folders = args
            .scope
            .iter()
            .map(|text| resolve_folder(&ns, text, None))
            .collect::<Result<Vec<_>, _>>()?;
        (folders, args.subfolders)
    };
    let app = sessions.app();
    let search = app
        .advanced_search_in(folders, &args.filter, subfolders, "outpost search")
        .map_err(classify)?;
    let mut results = search.results().map_err(classify)?;
    if let Some(field) = &args.sort {
        results.sort(field, args.descending).map_err(classify)?;
    }
    let count = results.count();
    let rows: Vec<FoundRow> = results
        .rows()
        .iter()
        .take(args.limit.unwrap_or(usize::MAX))
        .map(|r| FoundRow {
            entry_id: r.entry_id_hex(),
            store: r.store.display_name().to_owned(),
            store_id: r.store.store_id(),
            folder: r.folder_path.clone(),
            message_class: r.message_class.clone(),
            subject: r.subject.clone(),
            received_time: r.received_time,
            sender_name: r.sender_name.clone(),
            size: r.size,
        })
        .collect();
    let doc = serde_json::json!({
        "filter": search.filter(),
        "scope": search.scope(),
        "subfolders": subfolders,
        "count": count,
        "items": rows,
    });
    out.emit(&doc, |w| {
        writeln!(w, "search {}: {count} item(s)", search.filter())?;
        writeln!(w, "  scope: {} (subfolders: {subfolders})", search.scope())?;
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
            writeln!(w, "    in {} ({}, store ID {})", r.folder, r.store, r.store_id)?;
            writeln!(w, "    {}", r.entry_id)?;
        }
        Ok(())
    })
}
