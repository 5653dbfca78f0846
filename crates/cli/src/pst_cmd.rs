//! `outpost pst ...`: inspection commands for PST and OST files. They read password-protected
//! files without the password (it is only a CRC in the store, MS-PST 2.4.3) and report it.

use crate::output::{CliError, Output};
use clap::Subcommand;
use pst::{Folder, NodeId, OpenOptions, PstError, PstFile};
use serde::Serialize;
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
    /// Walk everything, verify CRCs and structure, list problems; exit 1 if damaged.
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
    password_protected: bool,
    /// PidTagPstPassword, the CRC-32 of the password (0 when there is none).
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
        display_name: store.display_name(),
        folder_count: nodes.iter().filter(|n| matches!(n.nid.type_code(), 0x02 | 0x03)).count(),
        message_count: nodes.iter().filter(|n| n.nid.type_code() == 0x04).count(),
        password_protected: store.password_crc() != 0,
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
        writeln!(w, "Password-protected: {} ({})", info.password_protected, info.password_crc)
    })
}

#[derive(Debug, Serialize)]
struct FolderNode {
    name: String,
    nid: u32,
    item_count: usize,
    subfolders: Vec<FolderNode>,
}

fn folder_tree(folder: &Folder, depth: usize) -> FolderNode {
    let item_count = folder.contents_table().map_or(0, |t| t.row_count());
    let mut subfolders = Vec::new();
    if depth < 64 {
        for sub in folder.subfolders().unwrap_or_default() {
            subfolders.push(folder_tree(&sub, depth + 1));
        }
    }
    FolderNode {
        name: folder.display_name().unwrap_or_default(),
        nid: folder.nid().0,
        item_count,
        subfolders,
    }
}

fn print_tree(w: &mut dyn Write, node: &FolderNode, indent: usize) -> std::io::Result<()> {
    let name = if indent == 0 && node.name.is_empty() { "(root)" } else { &node.name };
    writeln!(w, "{:indent$}{name}  [{}]", "", node.item_count, indent = indent * 2)?;
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
}

fn ls(path: &Path, folder_path: Option<&str>, out: Output) -> Result<(), CliError> {
    let file = open(path, false)?;
    let root = file.root_folder().map_err(|e| failed(path, e))?;
    let Some(folder_path) = folder_path else {
        let tree = folder_tree(&root, 0);
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
    for nid in folder.message_nids().map_err(|e| failed(path, e))? {
        items.push(item_line(&file, nid));
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
        }
        Ok(())
    })
}

fn item_line(file: &PstFile, nid: NodeId) -> ItemLine {
    let Ok(message) = file.message(nid) else {
        return ItemLine {
            nid: nid.0,
            message_class: None,
            subject: None,
            sender_name: None,
            delivery_time: None,
            attachment_count: None,
        };
    };
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
    }
}

fn dump(path: &Path, out: Output) -> Result<(), CliError> {
    let file = open(path, false)?;
    let dump = pst::dump::dump(&file).map_err(|e| failed(path, e))?;
    if out.is_json() {
        // Byte for byte what pst_dump.py prints, so `diff` works without normalising.
        let text = pst::dump::to_json_text(&dump);
        let mut stdout = std::io::stdout().lock();
        return match stdout.write_all(text.as_bytes()) {
            Err(err) if err.kind() != std::io::ErrorKind::BrokenPipe => {
                Err(CliError::failed(format!("cannot write output: {err}")))
            }
            _ => Ok(()),
        };
    }
    // For people: folder paths with item counts, like `pst_dump.py --summary`.
    let value = serde_json::to_value(&dump).map_err(|e| CliError::failed(e.to_string()))?;
    out.emit(&value, |w| {
        let mut total = 0;
        summary(w, &value["root"], "", &mut total)?;
        writeln!(w, "TOTAL\t{total}")
    })
}

fn summary(
    w: &mut dyn Write,
    folder: &serde_json::Value,
    parent: &str,
    total: &mut usize,
) -> std::io::Result<()> {
    let here = match folder["name"].as_str() {
        None if parent.is_empty() => String::new(),
        name => format!("{parent}/{}", name.unwrap_or("")),
    };
    let count = folder["messages"].as_array().map_or(0, Vec::len);
    *total += count;
    writeln!(w, "{}\t{count}", if here.is_empty() { "/" } else { &here })?;
    for sub in folder["subfolders"].as_array().into_iter().flatten() {
        summary(w, sub, &here, total)?;
    }
    Ok(())
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
            writeln!(w, "problem: {}: {}", p.location, p.message)?;
        }
        if !report.is_damaged() {
            writeln!(w, "no problems found")?;
        }
        Ok(())
    })?;
    if report.is_damaged() {
        return Err(CliError::failed(format!(
            "{}: {} problem(s) found",
            path.display(),
            report.problems.len()
        )));
    }
    Ok(())
}
