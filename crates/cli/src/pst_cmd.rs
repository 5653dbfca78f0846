//! `outpost pst ...`: inspection commands for PST and OST files. They read password-protected
//! files without the password (it is only a CRC in the store, MS-PST 2.4.3) and report it.

use crate::output::{CliError, Output};
use clap::Subcommand;
use pst::{Folder, NodeId, OpenOptions, PstError, PstFile};
use serde::Serialize;
use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, Subcommand)]
pub enum PstCommand {
    /// Format, encryption, file size, store name, folder and message counts, password.
    Info {
        /// A .pst or .ost file.
        file: PathBuf,
    },
    /// The folder tree with item counts, or the items of one folder.
    Ls {
        /// A .pst or .ost file.
        file: PathBuf,
        /// Folder path from the root, e.g. "/Top of Personal Folders/Inbox".
        folder: Option<String>,
    },
    /// The canonical JSON dump (the schema of shared/tools/pst_dump.py).
    Dump {
        /// A .pst or .ost file.
        file: PathBuf,
    },
    /// Walk everything, verify CRCs and structure; list each problem once with its object.
    /// Exit 0 with warnings only (data intact), 1 when data is lost or may be wrong.
    Check {
        /// A .pst or .ost file.
        file: PathBuf,
    },
}

pub fn run(command: PstCommand, out: Output) -> Result<(), CliError> {
    match command {
        PstCommand::Info { file } => info(&file, out),
        PstCommand::Ls { file, folder } => ls(&file, folder.as_deref(), out),
        PstCommand::Dump { file } => dump(&file, out),
        PstCommand::Check { file } => check(&file, out),
    }
}

fn open(path: &Path, lenient: bool) -> Result<PstFile, CliError> {
    PstFile::open_with(path, OpenOptions { lenient }).map_err(|err| match err {
        PstError::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound => {
            CliError::bad_input(format!("{}: the file does not exist", path.display()))
        }
        // The file is not there, not a PST, or of an unknown version: bad input.
        PstError::Io { .. }
        | PstError::NotPst { .. }
        | PstError::UnsupportedVersion { .. }
        | PstError::UnsupportedCrypt(_)
        | PstError::OutOfBounds { .. }
        | PstError::Truncated { .. }
        | PstError::Crc { .. } => CliError::bad_input(format!("{}: {err}", path.display())),
        other => CliError::failed(format!("{}: {other}", path.display())),
    })
}

fn failed(path: &Path, err: PstError) -> CliError {
    CliError::failed(format!("{}: {err}", path.display()))
}

#[derive(Debug, Serialize)]
struct Info {
    file: String,
    format: &'static str,
    w_ver: u16,
    kind: &'static str,
    encryption: pst::CryptMethod,
    file_size: u64,
    display_name: Option<String>,
    folder_count: usize,
    message_count: usize,
    /// Whether opening the store takes a password (never for an OST).
    password_protected: bool,
    /// PidTagPstPassword as stored: the CRC-32 of a PST's password (0 when there is none); an
    /// OST keeps 0xffffffff there, which is no password.
    password_crc: String,
}

fn info(path: &Path, out: Output) -> Result<(), CliError> {
    let file = open(path, false)?;
    let store = file.message_store().map_err(|e| failed(path, e))?;
    let nodes = file.nodes().map_err(|e| failed(path, e))?;
    let header = file.header();
    let info = Info {
        file: path.display().to_string(),
        format: header.format.name(),
        w_ver: header.w_ver,
        kind: if header.is_ost() { "OST" } else { "PST" },
        encryption: header.crypt_method,
        file_size: file.file_size(),
        display_name: store.display_name().filter(|name| !name.trim().is_empty()),
        folder_count: nodes.iter().filter(|n| matches!(n.nid.type_code(), 0x02 | 0x03)).count(),
        message_count: nodes.iter().filter(|n| n.nid.type_code() == 0x04).count(),
        password_protected: store.is_password_protected(),
        password_crc: format!("{:#010x}", store.password_crc()),
    };
    out.emit(&info, |w| {
        writeln!(w, "File:               {}", info.file)?;
        writeln!(w, "Format:             {} {} (wVer {})", info.format, info.kind, info.w_ver)?;
        writeln!(w, "Encryption:         {:?}", info.encryption)?;
        writeln!(w, "File size:          {} bytes", info.file_size)?;
        writeln!(w, "Display name:       {}", info.display_name.as_deref().unwrap_or("-"))?;
        writeln!(w, "Folders:            {}", info.folder_count)?;
        writeln!(w, "Messages:           {}", info.message_count)?;
        let why = if info.kind == "OST" { ", an OST takes no password" } else { "" };
        writeln!(
            w,
            "Password-protected: {} (PidTagPstPassword {}{why})",
            info.password_protected, info.password_crc
        )
    })
}

#[derive(Debug, Serialize)]
struct FolderNode {
    name: String,
    nid: u32,
    /// Rows of the contents table (for a search folder, its search contents table).
    item_count: usize,
    /// Why the items or subfolders could not be listed, if they could not.
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    subfolders: Vec<FolderNode>,
}

/// The folder tree, each folder once: a damaged file's hierarchy tables may list a folder
/// under its own descendant, and with two such rows the tree would double at every level.
fn folder_tree(folder: &Folder, depth: usize, shown: &mut HashSet<NodeId>) -> FolderNode {
    let mut errors = Vec::new();
    // Counted as `ls FOLDER` lists them, so the two always agree.
    let item_count = folder.message_nids().map_or_else(
        |e| {
            errors.push(format!("items: {e}"));
            0
        },
        |n| n.len(),
    );
    let mut subfolders = Vec::new();
    if depth < 64 {
        match folder.subfolders() {
            Ok(subs) => {
                for sub in subs {
                    if shown.insert(sub.nid()) {
                        subfolders.push(folder_tree(&sub, depth + 1, shown));
                    }
                }
            }
            Err(e) => errors.push(format!("subfolders: {e}")),
        }
    }
    FolderNode {
        name: folder.display_name().unwrap_or_default(),
        nid: folder.nid().0,
        item_count,
        error: (!errors.is_empty()).then(|| errors.join("; ")),
        subfolders,
    }
}

fn print_tree(w: &mut dyn Write, node: &FolderNode, indent: usize) -> std::io::Result<()> {
    let name = if indent == 0 && node.name.is_empty() { "(root)" } else { &node.name };
    write!(w, "{:indent$}{name}  [{}]", "", node.item_count, indent = indent * 2)?;
    match &node.error {
        Some(error) => writeln!(w, "  error: {error}")?,
        None => writeln!(w)?,
    }
    node.subfolders.iter().try_for_each(|s| print_tree(w, s, indent + 1))
}

#[derive(Debug, Serialize)]
struct ItemLine {
    nid: u32,
    message_class: Option<String>,
    subject: Option<String>,
    sender_name: Option<String>,
    delivery_time: Option<String>,
    attachment_count: Option<usize>,
    /// Why the item was not read: the listing's budget ([`pst::WalkBudget`]) ran out.
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

fn ls(path: &Path, folder_path: Option<&str>, out: Output) -> Result<(), CliError> {
    let file = open(path, false)?;
    let root = file.root_folder().map_err(|e| failed(path, e))?;
    let Some(folder_path) = folder_path else {
        let tree = folder_tree(&root, 0, &mut HashSet::from([root.nid()]));
        return out.emit(&tree, |w| print_tree(w, &tree, 0));
    };
    let mut folder = root;
    for part in folder_path.split('/').filter(|p| !p.is_empty()) {
        let subs = folder.subfolders().map_err(|e| failed(path, e))?;
        folder = subs
            .into_iter()
            .find(|f| f.display_name().as_deref() == Some(part))
            .ok_or_else(|| CliError::bad_input(format!("no folder {part:?} in {folder_path:?}")))?;
    }
    let mut items = Vec::new();
    // Messages may share data (thousands naming one large message): the listing reads at
    // most its budget, and names the budget on the items after it.
    let budget = pst::WalkBudget::start(file.ndb());
    for nid in folder.message_nids().map_err(|e| failed(path, e))? {
        items.push(match budget.check(file.ndb()) {
            Ok(()) => item_line(&file, nid),
            Err(err) => ItemLine { error: Some(err.to_string()), ..unread_item(nid) },
        });
    }
    out.emit(&items, |w| {
        for item in &items {
            writeln!(
                w,
                "{:#010x}  {:<24}  {:<25}  {}  ({} att.)  {}",
                item.nid,
                item.message_class.as_deref().unwrap_or("-"),
                item.delivery_time.as_deref().unwrap_or("-"),
                item.sender_name.as_deref().unwrap_or("-"),
                item.attachment_count.map_or("?".into(), |n| n.to_string()),
                item.subject.as_deref().unwrap_or(""),
            )?;
            if let Some(error) = &item.error {
                writeln!(w, "            error: {error}")?;
            }
        }
        Ok(())
    })
}

fn unread_item(nid: NodeId) -> ItemLine {
    ItemLine {
        nid: nid.0,
        message_class: None,
        subject: None,
        sender_name: None,
        delivery_time: None,
        attachment_count: None,
        error: None,
    }
}

fn item_line(file: &PstFile, nid: NodeId) -> ItemLine {
    let Ok(message) = file.message(nid) else { return unread_item(nid) };
    let pc = message.properties();
    ItemLine {
        nid: nid.0,
        message_class: message.message_class(),
        subject: message.subject(),
        sender_name: pc.string(0x0C1A),
        delivery_time: pc
            .value(0x0E06)
            .ok()
            .flatten()
            .and_then(|v| v.as_time())
            .and_then(pst::dump::python_isoformat),
        attachment_count: message.attachment_count().ok(),
        error: None,
    }
}

fn dump(path: &Path, out: Output) -> Result<(), CliError> {
    let file = open(path, false)?;
    if out.is_json() {
        // Byte for byte what pst_dump.py prints, so `diff` works without normalising; streamed
        // item by item, so memory does not grow with the file.
        let mut stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
        let written = pst::dump::write_json(&file, &mut stdout)
            .and_then(|()| stdout.flush().map_err(PstError::Write));
        return match written {
            Ok(()) => Ok(()),
            Err(PstError::Write(err)) if err.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            Err(PstError::Write(err)) => {
                Err(CliError::failed(format!("cannot write output: {err}")))
            }
            Err(err) => Err(failed(path, err)),
        };
    }
    // For people: folder paths with item counts, like `pst_dump.py --summary`, in tree order.
    let mut folders: Vec<(String, usize)> = Vec::new();
    let mut open_folders: Vec<usize> = Vec::new();
    pst::dump::walk::<PstError>(&file, &mut |event| {
        match event {
            pst::dump::DumpEvent::EnterFolder { name, .. } => {
                let here = match open_folders.last() {
                    None => String::new(),
                    Some(&parent) => format!("{}/{}", folders[parent].0, name.unwrap_or("")),
                };
                folders.push((here, 0));
                open_folders.push(folders.len() - 1);
            }
            pst::dump::DumpEvent::Item(_) => {
                if let Some(&current) = open_folders.last() {
                    folders[current].1 += 1;
                }
            }
            pst::dump::DumpEvent::LeaveFolder => {
                open_folders.pop();
            }
        }
        Ok(())
    })
    .map_err(|e| failed(path, e))?;
    out.emit(&folders, |w| {
        let mut total = 0;
        for (here, count) in &folders {
            total += count;
            writeln!(w, "{}\t{count}", if here.is_empty() { "/" } else { here })?;
        }
        writeln!(w, "TOTAL\t{total}")
    })
}

fn check(path: &Path, out: Output) -> Result<(), CliError> {
    let file = open(path, true)?;
    let report = pst::check::check(&file);
    out.emit(&report, |w| {
        writeln!(
            w,
            "{} blocks, {} nodes, {} folders, {} messages, {} attachments ({} bytes)",
            report.blocks,
            report.nodes,
            report.folders,
            report.messages,
            report.attachments,
            report.attachment_bytes
        )?;
        for p in &report.problems {
            let severity = match p.severity {
                pst::Severity::Error => "error",
                pst::Severity::Warning => "warning",
            };
            let unreadable = if p.unreadable { " [unreadable]" } else { "" };
            writeln!(w, "{severity}: {}{unreadable}: {}", p.object, p.message)?;
        }
        match (report.errors, report.warnings) {
            (0, 0) => writeln!(w, "no problems found"),
            (0, warnings) => writeln!(w, "{warnings} warning(s), no data lost"),
            (errors, warnings) => writeln!(
                w,
                "{errors} error(s), {warnings} warning(s); {} object(s) unreadable",
                report.unreadable
            ),
        }
    })?;
    if report.is_damaged() {
        return Err(CliError::failed(format!(
            "{}: {} error(s) found, {} object(s) unreadable",
            path.display(),
            report.errors,
            report.unreadable
        )));
    }
    Ok(())
}
