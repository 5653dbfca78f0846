//! `outpost`: the Outlook session, PST files and mailboxes from the command line.
//!
//! Exit codes: 0 success, 1 the operation failed, 2 usage error or bad input.

mod body_cmd;
mod calendar_cmd;
mod entryid_cmd;
mod folder_ops_cmd;
mod instance_cmd;
mod mailbox_cmd;
mod output;
mod parts_cmd;
mod prop_cmd;
mod pst_cmd;
mod search_cmd;
mod server_cmd;
mod session_cmd;
mod watch_cmd;

use clap::{Parser, Subcommand};
use output::{CliError, Output};
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "outpost",
    version,
    about = "Outpost: the Outlook session (profiles, stores, folders, items) without Outlook",
    long_about = "Outpost gives scripts the Outlook session without Outlook: profiles, stores, \
                  folders and items. Today it reads PST and OST files (read-only), reads and \
                  writes its own embedded mailbox files, and runs a per-user instance that \
                  commands share (on Unix). Linux is what CI tests.\n\nEvery command accepts \
                  --json, which prints one JSON document on stdout; errors go to stderr (with \
                  --json, as one JSON document).\nExit codes: 0 ok, 1 the operation failed, 2 \
                  usage error or bad input."
)]
struct Cli {
    /// Print one JSON document on stdout instead of text.
    #[arg(long, global = true)]
    json: bool,

    /// Run session commands in this process instead of through the per-user instance (also
    /// OUTPOST_NO_INSTANCE=1).
    #[arg(long, global = true)]
    no_instance: bool,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// The per-user Outpost instance that every command talks to.
    #[command(subcommand)]
    Instance(instance_cmd::InstanceCommand),
    /// Work with entry IDs (the EntryID / StoreID strings of the Outlook object model).
    #[command(subcommand)]
    Entryid(entryid_cmd::EntryIdCommand),
    /// Look up a property: canonical MS-OXPROPS name, tag, ID, type, and property set for
    /// named properties. Accepts a name (PidTagSubject), a tag (0x0037001F) or an ID (0x0037).
    /// Prints one object, or a list when an ID matches several properties; unknown → exit 2.
    Prop {
        /// PidTag…/PidLid…/PidName… name, 0x + 8 hex digits (tag) or 0x + 4 hex digits (ID).
        query: String,
    },
    /// Inspect PST and OST files: info, ls, dump, check.
    Pst {
        #[command(subcommand)]
        command: pst_cmd::PstCommand,
    },
    /// Create, inspect and check embedded mailbox files.
    #[command(subcommand)]
    Mailbox(mailbox_cmd::MailboxCommand),
    /// Administer a multi-user server's data directory: its users and their mailboxes.
    #[command(subcommand)]
    Server(server_cmd::ServerCommand),
    /// Print a folder's events as they happen (item added, changed, removed; new mail) until
    /// Ctrl-C. FOLDER is a default-folder kind (inbox, ...), a folder path or an entry ID.
    /// Runs through the instance; --json prints one JSON object per line.
    Watch {
        folder: String,
        /// The profile whose session to watch [default: the default profile].
        #[arg(long, value_name = "NAME")]
        profile: Option<String>,
    },
    /// End the instance's session of a profile: the next command logs on again (rereads the
    /// profile, reopens its stores). `instance status` shows who is logged on.
    Logoff {
        /// The profile to log off [default: the default profile].
        #[arg(long, value_name = "NAME")]
        profile: Option<String>,
    },
    #[command(flatten)]
    Session(session_cmd::SessionCommand),
}

fn run(cli: Cli) -> Result<(), CliError> {
    let out = Output::new(cli.json);
    match cli.command {
        Command::Instance(command) => instance_cmd::run(command, out),
        Command::Prop { query } => prop_cmd::run(&query, out),
        Command::Entryid(command) => entryid_cmd::run(command, out),
        Command::Pst { command } => pst_cmd::run(command, out),
        Command::Mailbox(command) => mailbox_cmd::run(command, out),
        Command::Server(command) => server_cmd::run(command, out),
        Command::Watch { folder, profile } => {
            if no_instance(cli.no_instance) {
                return Err(watch_cmd::no_instance_refusal());
            }
            watch_cmd::run(&folder, profile.as_deref(), cli.json)
        }
        Command::Logoff { profile } => {
            instance_cmd::logoff(profile.as_deref(), no_instance(cli.no_instance), out)
        }
        Command::Session(command) => {
            let cwd = std::env::current_dir().map_err(|err| {
                CliError::failed(format!("cannot read the current directory: {err}"))
            })?;
            if no_instance(cli.no_instance) {
                session_cmd::run(&session_cmd::Sessions::from_environment()?, command, &cwd, out)
            } else {
                instance_cmd::run_remote(&cwd)
            }
        }
    }
}

/// `--no-instance`, or `OUTPOST_NO_INSTANCE=1`.
fn no_instance(flag: bool) -> bool {
    flag || std::env::var_os("OUTPOST_NO_INSTANCE").is_some_and(|v| !v.is_empty() && v != "0")
}

/// Parses a session command sent to the instance (the client's arguments, verbatim).
pub fn parse_session_request(
    argv: Vec<String>,
) -> Result<(session_cmd::SessionCommand, bool), CliError> {
    let cli = Cli::try_parse_from(std::iter::once("outpost".to_owned()).chain(argv))
        .map_err(|err| CliError::bad_input(err.to_string()))?;
    match cli.command {
        Command::Session(command) => Ok((command, cli.json)),
        _ => Err(CliError::bad_input("only session commands run through the instance")),
    }
}

fn main() -> ExitCode {
    init_tracing();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // clap prints help/version to stdout with exit 0.
        Err(err) if !err.use_stderr() => {
            let _ = err.print();
            return ExitCode::SUCCESS;
        }
        // Usage errors exit 2; with --json anywhere on the line, as the one JSON error
        // document every other error gives.
        Err(err) => {
            let usage = usage_error(&err);
            if json_requested(std::env::args_os()) {
                usage.report(true);
            } else {
                let _ = err.print();
            }
            return ExitCode::from(usage.exit_code());
        }
    };
    let json = cli.json;
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            err.report(json);
            ExitCode::from(err.exit_code())
        }
    }
}

/// Whether `--json` is among the arguments (before a `--` that ends the options): clap could
/// not parse the line, so this is all there is to go by.
fn json_requested(args: impl IntoIterator<Item = std::ffi::OsString>) -> bool {
    args.into_iter().skip(1).take_while(|arg| arg != "--").any(|arg| arg == "--json")
}

/// A clap usage error as a CLI error: its message without clap's "error: " prefix and
/// styling, with the usage line and hint that follow it.
fn usage_error(err: &clap::Error) -> CliError {
    let rendered = err.render().to_string();
    let message = rendered.trim().strip_prefix("error: ").unwrap_or(rendered.trim());
    CliError::bad_input(message.to_owned())
}

fn init_tracing() {
    // Logs go to stderr and stay quiet unless OUTPOST_LOG (or RUST_LOG) asks for them.
    let filter = std::env::var("OUTPOST_LOG")
        .or_else(|_| std::env::var("RUST_LOG"))
        .unwrap_or_else(|_| "warn".to_owned());
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
        .with_writer(std::io::stderr)
        .try_init();
}
