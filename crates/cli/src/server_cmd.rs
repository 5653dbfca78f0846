//! `outpost server user add|list|disable|enable|passwd`: the users of a server data
//! directory. Runs in this process (not through the instance): it administers files.

use crate::output::{CliError, Output};
use clap::Subcommand;
use serde::Serialize;
use server::{ServerData, ServerError, User};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

#[derive(Debug, Subcommand)]
pub enum ServerCommand {
    /// The server's users: each has a password (argon2) and an embedded mailbox.
    #[command(subcommand)]
    User(UserCommand),
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a user and create their mailbox. Creates the data directory (with a default
    /// server.toml) if it does not exist. The password is read from stdin.
    Add {
        /// 1-64 letters, digits, '.', '-', '_' (case-insensitive, unique).
        name: String,
        /// The server data directory.
        #[arg(long, value_name = "DIR")]
        data: PathBuf,
        /// Display name [default: NAME].
        #[arg(long)]
        display_name: Option<String>,
        /// SMTP address [default: NAME@mail_domain from server.toml].
        #[arg(long)]
        address: Option<String>,
        /// Read the password from stdin (one line; the only way to give one).
        #[arg(long)]
        password_stdin: bool,
    },
    /// List the users.
    List {
        #[arg(long, value_name = "DIR")]
        data: PathBuf,
    },
    /// Refuse the user's logons and end their live sessions.
    Disable {
        name: String,
        #[arg(long, value_name = "DIR")]
        data: PathBuf,
    },
    /// Allow the user's logons again.
    Enable {
        name: String,
        #[arg(long, value_name = "DIR")]
        data: PathBuf,
    },
    /// Set a new password (read from stdin) and end the user's live sessions.
    Passwd {
        name: String,
        #[arg(long, value_name = "DIR")]
        data: PathBuf,
        #[arg(long)]
        password_stdin: bool,
    },
}

fn server_error(err: ServerError) -> CliError {
    let bad_input = err.is_bad_input();
    let mapi = err.to_mapi();
    if bad_input { CliError::bad_input_from(mapi) } else { CliError::from(mapi) }
}

/// An existing data directory (only `add` creates one).
fn open(data: &Path) -> Result<ServerData, CliError> {
    ServerData::open(data).map_err(server_error)
}

/// The password: stdin up to its first line end, at most `MAX_PASSWORD` bytes; never argv,
/// where other users of the machine could read it.
fn read_password(password_stdin: bool) -> Result<String, CliError> {
    if !password_stdin {
        return Err(CliError::bad_input(
            "passwords are read from stdin only: pass --password-stdin and write the password \
             to the command's input",
        ));
    }
    let limit = server::password::MAX_PASSWORD;
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(limit as u64 + 3)
        .read_to_end(&mut bytes)
        .map_err(|err| CliError::failed(format!("cannot read the password from stdin: {err}")))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| CliError::bad_input("the password on stdin is not UTF-8"))?;
    let line = text.split(['\n']).next().unwrap_or("");
    let line = line.strip_suffix('\r').unwrap_or(line);
    if line.is_empty() {
        return Err(CliError::bad_input("the password on stdin is empty"));
    }
    if line.len() > limit {
        return Err(CliError::bad_input(format!("the password is longer than {limit} bytes")));
    }
    Ok(line.to_owned())
}

fn write_user(w: &mut dyn Write, user: &User) -> std::io::Result<()> {
    writeln!(w, "Name:         {}", user.name)?;
    writeln!(w, "Display name: {}", user.display_name)?;
    writeln!(w, "Address:      {}", user.address)?;
    writeln!(w, "Disabled:     {}", user.disabled)?;
    writeln!(w, "Created:      {}", user.created)?;
    writeln!(w, "Mailbox:      {}", user.mailbox.display())
}

#[derive(Debug, Serialize)]
struct UserList {
    count: usize,
    users: Vec<User>,
}

pub fn run(command: ServerCommand, out: Output) -> Result<(), CliError> {
    let ServerCommand::User(command) = command;
    match command {
        UserCommand::Add { name, data, display_name, address, password_stdin } => {
            // Check what can be checked before asking for the password.
            server::user::validate_user_name(&name).map_err(server_error)?;
            if let Some(display_name) = &display_name {
                server::user::validate_display_name(display_name).map_err(server_error)?;
            }
            if let Some(address) = &address {
                server::user::validate_address(address).map_err(server_error)?;
            }
            // A taken name is refused before the password is asked for (add checks again
            // under the directory lock).
            if let Ok(existing) = ServerData::open(&data)
                && let Ok(user) = existing.user(&name)
            {
                return Err(server_error(ServerError::UserExists { name: user.name }));
            }
            let password = read_password(password_stdin)?;
            let server = ServerData::open_or_create(&data).map_err(server_error)?;
            let user = server
                .add_user(&name, display_name.as_deref(), address.as_deref(), &password)
                .map_err(server_error)?;
            out.emit(&user, |w| write_user(w, &user))
        }
        UserCommand::List { data } => {
            let users = open(&data)?.list_users().map_err(server_error)?;
            let list = UserList { count: users.len(), users };
            out.emit(&list, |w| {
                writeln!(w, "{} user(s)", list.count)?;
                for user in &list.users {
                    writeln!(w)?;
                    write_user(w, user)?;
                }
                Ok(())
            })
        }
        UserCommand::Disable { name, data } => {
            let user = open(&data)?.disable_user(&name).map_err(server_error)?;
            out.emit(&user, |w| write_user(w, &user))
        }
        UserCommand::Enable { name, data } => {
            let user = open(&data)?.enable_user(&name).map_err(server_error)?;
            out.emit(&user, |w| write_user(w, &user))
        }
        UserCommand::Passwd { name, data, password_stdin } => {
            let server = open(&data)?;
            server.user(&name).map_err(server_error)?;
            let password = read_password(password_stdin)?;
            let user = server.set_password(&name, &password).map_err(server_error)?;
            out.emit(&user, |w| write_user(w, &user))
        }
    }
}
