//! `outpost mailbox create|info|check`: the embedded mailbox file.

use crate::output::{CliError, Output};
use clap::Subcommand;
use std::path::{Path, PathBuf};
use store::{CreateOptions, Mailbox, StoreError};

#[derive(Debug, Subcommand)]
pub enum MailboxCommand {
    /// Create a new mailbox file with the standard folders.
    Create {
        /// Where to create it; the file must not exist.
        path: PathBuf,
        /// The store's display name (default "Mailbox - OWNER").
        #[arg(long)]
        display_name: Option<String>,
        /// The owner's e-mail address.
        #[arg(long)]
        owner: Option<String>,
    },
    /// Show a mailbox: display name, GUID, schema version, folders and message counts.
    Info { path: PathBuf },
    /// Check a mailbox: SQLite integrity plus Outpost's invariants. Exit 1 if damaged.
    Check { path: PathBuf },
}

fn store_error(err: StoreError) -> CliError {
    match err {
        StoreError::NotAMailbox { .. } | StoreError::NewerSchema { .. } => {
            CliError::bad_input(err.to_string())
        }
        other => CliError::from(mapi::MapiError::from(other)),
    }
}

/// A mailbox to read must exist: a missing one is a mistyped path (exit 2), not a disk error.
fn existing(path: &Path) -> Result<&Path, CliError> {
    if path.exists() {
        Ok(path)
    } else {
        Err(CliError::bad_input(format!("{}: the file does not exist", path.display())))
    }
}

pub fn run(command: MailboxCommand, out: Output) -> Result<(), CliError> {
    match command {
        MailboxCommand::Create { path, display_name, owner } => {
            for (flag, value) in [("--display-name", &display_name), ("--owner", &owner)] {
                if value.as_deref().is_some_and(|v| v.trim().is_empty()) {
                    return Err(CliError::bad_input(format!("{flag} is empty; leave it out")));
                }
            }
            let options = CreateOptions { display_name, owner_address: owner, owner_name: None };
            let mailbox = Mailbox::create(&path, &options).map_err(store_error)?;
            let info = mailbox.info().map_err(store_error)?;
            out.emit(&info, |w| {
                writeln!(
                    w,
                    "created {} ({}), {} folders",
                    path.display(),
                    info.display_name,
                    info.folder_count
                )
            })
        }
        MailboxCommand::Info { path } => {
            let mailbox = Mailbox::open_read_only(existing(&path)?).map_err(store_error)?;
            let info = mailbox.info().map_err(store_error)?;
            out.emit(&info, |w| {
                writeln!(w, "Mailbox:        {}", info.display_name)?;
                writeln!(w, "Path:           {}", info.path.display())?;
                writeln!(w, "GUID:           {}", info.mailbox_guid)?;
                writeln!(w, "Schema version: {}", info.schema_version)?;
                writeln!(w, "Folders:        {}", info.folder_count)?;
                writeln!(w, "Messages:       {}", info.message_count)?;
                writeln!(w)?;
                writeln!(w, "{:<48} {:<26} {:>8} {:>8}", "Folder", "Class", "Items", "Unread")?;
                for folder in &info.folders {
                    let name = format!(
                        "{}{}",
                        "  ".repeat(folder.depth as usize),
                        folder.path.rsplit('\\').next().unwrap_or("")
                    );
                    let name = if folder.depth == 0 { "(root)".to_owned() } else { name };
                    writeln!(
                        w,
                        "{:<48} {:<26} {:>8} {:>8}",
                        name,
                        folder.container_class.as_deref().unwrap_or("-"),
                        folder.messages,
                        folder.unread
                    )?;
                }
                Ok(())
            })
        }
        MailboxCommand::Check { path } => {
            let report =
                store::check(existing(&path)?).map_err(|err| CliError::failed(err.to_string()))?;
            out.emit(&report, |w| {
                if report.is_ok() {
                    writeln!(
                        w,
                        "{}: ok ({} folders, {} messages, {} properties)",
                        report.path, report.folders, report.messages, report.properties
                    )
                } else {
                    writeln!(w, "{}: damaged", report.path)?;
                    for problem in &report.problems {
                        writeln!(w, "  - {problem}")?;
                    }
                    Ok(())
                }
            })?;
            if report.is_ok() {
                Ok(())
            } else {
                // The text report already listed every problem; JSON readers get the first one
                // on stderr beside the report on stdout.
                let detail = if out.is_json() {
                    report.problems.first().cloned().unwrap_or_default()
                } else {
                    format!("{} problem(s)", report.problems.len())
                };
                Err(CliError::failed(format!("{} is damaged: {detail}", report.path)))
            }
        }
    }
}
