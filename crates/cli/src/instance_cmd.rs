//! `outpost instance run|status|stop`: the per-user instance.

use crate::output::{self, CliError, Output};
use crate::session_cmd::{self, Sessions};
use clap::Subcommand;
use mapi::{ErrorCode, MapiError};
use serde_json::{Value, json};
use service::Notification;
use service::{
    Client, Connection, DaemonConfig, Handler, InstancePaths, Launcher, NotifyOutcome, ServiceError,
};
use session::{Delivery, Event, EventFilter, EventSink, Subscription};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Environment override of the idle timeout, in seconds (tests and short-lived automation).
pub const IDLE_TIMEOUT_ENV: &str = "OUTPOST_INSTANCE_IDLE_SECONDS";
/// Overrides of the connection time limits, in seconds (fractions allowed), for tests:
/// handshake (10 s), stall in the middle of a frame (30 s), silence without a subscription
/// (600 s). See docs/PROTOCOL.md.
pub const HANDSHAKE_TIMEOUT_ENV: &str = "OUTPOST_INSTANCE_HANDSHAKE_SECONDS";
pub const STALL_TIMEOUT_ENV: &str = "OUTPOST_INSTANCE_STALL_SECONDS";
pub const SILENCE_TIMEOUT_ENV: &str = "OUTPOST_INSTANCE_SILENCE_SECONDS";

/// How long `instance stop` waits for the daemon to exit.
const STOP_TIMEOUT: Duration = Duration::from_secs(15);

/// A duration in seconds from the environment; unset, unreadable or not positive: `None`.
fn seconds_from_env(name: &str) -> Option<Duration> {
    let seconds = std::env::var(name).ok()?.trim().parse::<f64>().ok()?;
    (seconds.is_finite() && seconds > 0.0 && seconds < 1e9)
        .then(|| Duration::from_secs_f64(seconds))
}

#[derive(Debug, Subcommand)]
pub enum InstanceCommand {
    /// Run the instance in the foreground (normally started for you by any command).
    Run {
        /// Exit after this many seconds without clients [default: 900, or OUTPOST_INSTANCE_IDLE_SECONDS].
        #[arg(long)]
        idle_timeout: Option<u64>,
    },
    /// Make sure the instance runs (start it if needed), then show its status.
    Start,
    /// Show the running instance: pid, uptime, version, clients (does not start one).
    Status,
    /// Stop the running instance (it starts again on next use).
    Stop,
}

/// The requests the instance answers beyond ping/status/stop: `session` runs one session
/// command (the client's arguments, verbatim) in the instance's long-lived sessions and
/// returns exactly what the command would have printed, so the output is the same in-process
/// and through the instance.
///
/// `subscribe` / `unsubscribe` attach the connection to the session's event bus; events reach
/// the client as `notification` frames (see docs/PROTOCOL.md). `item_get` is a lean
/// `GetItemFromID` for clients that want structured results without a command's output.
#[derive(Debug)]
struct SessionHandler {
    sessions: Sessions,
    /// Live subscriptions by connection, then by subscription ID; dropping one unsubscribes.
    subscriptions: Mutex<HashMap<u64, HashMap<u64, Subscription>>>,
    next_subscription: AtomicU64,
}

impl SessionHandler {
    fn new(sessions: Sessions) -> SessionHandler {
        SessionHandler {
            sessions,
            subscriptions: Mutex::new(HashMap::new()),
            next_subscription: AtomicU64::new(1),
        }
    }

    fn subscriptions(&self) -> std::sync::MutexGuard<'_, HashMap<u64, HashMap<u64, Subscription>>> {
        self.subscriptions.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn run_session(&self, params: Value) -> Result<Value, MapiError> {
        let request: SessionRequest = serde_json::from_value(params)
            .map_err(|err| MapiError::invalid_parameter(format!("session request: {err}")))?;
        let (result, output) = output::capture_output(|| {
            let (command, json) = crate::parse_session_request(request.argv)?;
            session_cmd::run(&self.sessions, command, &request.cwd, Output::new(json))
        });
        let error = result.err().map(|err| {
            let code = err.code().map(|code| code.name());
            json!({ "message": err.to_string(), "code": code, "exit_code": err.exit_code() })
        });
        Ok(json!({ "output": String::from_utf8_lossy(&output), "error": error }))
    }

    /// `subscribe {profile?, folder?}`: events of the profile's session (of one folder when
    /// `folder` is given: a default-folder kind, a folder path or an entry ID).
    fn subscribe(&self, params: Value, connection: &Connection) -> Result<Value, MapiError> {
        let request: SubscribeRequest = serde_json::from_value(params)
            .map_err(|err| MapiError::invalid_parameter(format!("subscribe request: {err}")))?;
        let ns = self.sessions.namespace(request.profile.as_deref()).map_err(cli_to_mapi)?;
        let folder = match &request.folder {
            Some(text) => Some(session_cmd::resolve_folder(&ns, text, None).map_err(cli_to_mapi)?),
            None => None,
        };
        let profile = ns.current_profile_name();
        let filter = EventFilter {
            profile: Some(profile.clone()),
            folder_entry_id: folder.as_ref().map(|f| f.entry_id()),
        };
        let id = self.next_subscription.fetch_add(1, Ordering::Relaxed);
        let sink = Arc::new(ConnectionSink { connection: connection.clone(), subscription: id });
        let subscription = ns.events().subscribe(filter, sink);
        self.subscriptions().entry(connection.id()).or_default().insert(id, subscription);
        // A watcher sends nothing for hours: the connection must not be closed for silence.
        connection.hold();
        let folder_view = match &folder {
            Some(folder) => json!({
                "entry_id": folder.entry_id(),
                "store_id": folder.store_id(),
                "folder_path": folder.folder_path().map_err(|e| e.to_mapi())?,
            }),
            None => Value::Null,
        };
        Ok(json!({ "subscription": id, "profile": profile, "folder": folder_view }))
    }

    fn unsubscribe(&self, params: Value, connection: &Connection) -> Result<Value, MapiError> {
        let id = params["subscription"].as_u64().ok_or_else(|| {
            MapiError::invalid_parameter("unsubscribe needs {\"subscription\": <number>}")
        })?;
        let removed = self
            .subscriptions()
            .get_mut(&connection.id())
            .and_then(|subscriptions| subscriptions.remove(&id));
        if removed.is_some() {
            connection.release();
        }
        Ok(json!({ "unsubscribed": removed.is_some() }))
    }

    /// `item_get {entry_id, store_id?, profile?}`: `GetItemFromID` with a small structured
    /// answer (no command parsing, no output capture).
    fn item_get(&self, params: Value) -> Result<Value, MapiError> {
        let request: ItemGetRequest = serde_json::from_value(params)
            .map_err(|err| MapiError::invalid_parameter(format!("item_get request: {err}")))?;
        let ns = self.sessions.namespace(request.profile.as_deref()).map_err(cli_to_mapi)?;
        let item = ns
            .get_item_from_id(&request.entry_id, request.store_id.as_deref())
            .map_err(|e| e.to_mapi())?;
        let mapi = |e: session::SessionError| e.to_mapi();
        Ok(json!({
            "entry_id": item.entry_id(),
            "store_id": item.store().store_id(),
            "message_class": item.message_class(),
            "subject": item.subject().map_err(mapi)?,
        }))
    }
}

#[derive(Debug, serde::Deserialize)]
struct SubscribeRequest {
    #[serde(default)]
    profile: Option<String>,
    #[serde(default)]
    folder: Option<String>,
}

#[derive(Debug, serde::Deserialize)]
struct ItemGetRequest {
    entry_id: String,
    #[serde(default)]
    store_id: Option<String>,
    #[serde(default)]
    profile: Option<String>,
}

fn cli_to_mapi(err: CliError) -> MapiError {
    match err {
        CliError::Failed { message, code } => {
            MapiError::new(code.unwrap_or(ErrorCode::CallFailed), message)
        }
        CliError::BadInput { message, code } => {
            MapiError::new(code.unwrap_or(ErrorCode::InvalidParameter), message)
        }
    }
}

/// Hands session events to a client connection as `notification` frames; never waits (a
/// client that does not read loses events, counted by the connection).
struct ConnectionSink {
    connection: Connection,
    subscription: u64,
}

impl EventSink for ConnectionSink {
    fn deliver(&self, event: &Event) -> Delivery {
        let notification = Notification {
            subscription: self.subscription,
            event: event.kind.name().to_owned(),
            data: serde_json::to_value(event).unwrap_or(Value::Null),
        };
        match self.connection.notify(notification) {
            NotifyOutcome::Queued => Delivery::Accepted,
            NotifyOutcome::Dropped => Delivery::Full,
            NotifyOutcome::Closed => Delivery::Closed,
        }
    }
}

#[derive(Debug, serde::Deserialize)]
struct SessionRequest {
    argv: Vec<String>,
    cwd: PathBuf,
}

impl Handler for SessionHandler {
    fn handle(
        &self,
        method: &str,
        params: Value,
        connection: &Connection,
    ) -> Result<Value, MapiError> {
        match method {
            "session" => self.run_session(params),
            "subscribe" => self.subscribe(params, connection),
            "unsubscribe" => self.unsubscribe(params, connection),
            "item_get" => self.item_get(params),
            "logoff" => {
                let profile = params.get("profile").and_then(Value::as_str);
                let profiles = self.sessions.logoff(profile).map_err(cli_to_mapi)?;
                Ok(json!({ "logged_off": profiles }))
            }
            _ => Err(MapiError::new(ErrorCode::NoSupport, format!("unknown method {method:?}"))),
        }
    }

    fn connection_closed(&self, connection: &Connection) {
        self.subscriptions().remove(&connection.id());
    }

    fn status(&self) -> Value {
        self.sessions.describe()
    }
}

/// Sends this process's session command to the instance (starting it if needed) and prints
/// what it answers.
pub fn run_remote(cwd: &Path) -> Result<(), CliError> {
    let argv = std::env::args_os()
        .skip(1)
        .map(|arg| {
            arg.into_string()
                .map_err(|arg| CliError::bad_input(format!("argument {arg:?} is not UTF-8")))
        })
        .collect::<Result<Vec<String>, CliError>>()?;
    let request = json!({ "argv": argv, "cwd": cwd });
    let call = || -> Result<Value, LostOrFailed> {
        let mut client = get_or_start()?;
        client.call("session", request.clone()).map_err(LostOrFailed::classify)
    };
    let reply = match call() {
        Ok(reply) => reply,
        Err(LostOrFailed::Lost(lost)) if lost.was_not_delivered() || is_read_only(&argv) => {
            // The instance never saw the command, or died under one that changes nothing:
            // ask a fresh one.
            tracing::info!(%lost, "the instance went away; retrying on a new one");
            call().map_err(LostOrFailed::into_cli)?
        }
        Err(LostOrFailed::Lost(lost)) => {
            return Err(CliError::failed(format!(
                "the instance went away while running `outpost {}` ({lost}); whether the \
                 change was made is unknown: check with a read-only command (`outpost items \
                 FOLDER`, `outpost item get ID`, `outpost stores`) before running it again",
                argv.join(" ")
            )));
        }
        Err(failed) => return Err(failed.into_cli()),
    };
    if let Some(output) = reply["output"].as_str() {
        let mut stdout = std::io::stdout().lock();
        // A closed pipe is not a failure of the command (as in Output::emit).
        let _ = stdout.write_all(output.as_bytes()).and_then(|()| stdout.flush());
    }
    match &reply["error"] {
        Value::Null => Ok(()),
        error => {
            let message =
                error["message"].as_str().unwrap_or("the instance reported an error").to_owned();
            let code = error["code"].as_str().and_then(ErrorCode::from_name);
            Err(match error["exit_code"].as_u64() {
                Some(2) => CliError::BadInput { message, code },
                _ => CliError::Failed { message, code },
            })
        }
    }
}

/// A call through the instance that failed: the instance went away (the outcome of the
/// request is unknown), or something else.
enum LostOrFailed {
    Lost(ServiceError),
    Failed(CliError),
}

impl LostOrFailed {
    fn classify(err: ServiceError) -> LostOrFailed {
        if err.is_connection_lost() {
            LostOrFailed::Lost(err)
        } else {
            LostOrFailed::Failed(service_error(err))
        }
    }

    fn into_cli(self) -> CliError {
        match self {
            LostOrFailed::Lost(err) => service_error(err),
            LostOrFailed::Failed(err) => err,
        }
    }
}

impl From<CliError> for LostOrFailed {
    fn from(err: CliError) -> LostOrFailed {
        LostOrFailed::Failed(err)
    }
}

/// Whether a session command only reads, so it may run again on a fresh instance when the
/// first one died under it (`logon` writes profiles.toml on first use only, and the same
/// way each time).
fn is_read_only(argv: &[String]) -> bool {
    use session_cmd::{FolderCommand, ItemCommand, ProfileCommand, SessionCommand as C};
    let Ok((command, _)) = crate::parse_session_request(argv.to_vec()) else { return false };
    matches!(
        command,
        C::Logon { .. }
            | C::Stores { .. }
            | C::Folders { .. }
            | C::DefaultFolder { .. }
            | C::Folder { command: FolderCommand::Get { .. }, .. }
            | C::Items { .. }
            | C::Item { command: ItemCommand::Get { .. }, .. }
            | C::CompareIds { .. }
            | C::Profile { command: ProfileCommand::List }
    )
}

fn service_error(err: ServiceError) -> CliError {
    CliError::from(err.to_mapi())
}

pub fn paths() -> Result<InstancePaths, CliError> {
    InstancePaths::from_environment().map_err(service_error)
}

/// Connects to the instance, starting it if needed (the `GetActiveObject`-or-`CreateObject`
/// of Outlook automation, without the races).
pub fn get_or_start() -> Result<Client, CliError> {
    let paths = paths()?;
    let program = std::env::current_exe()
        .map_err(|err| CliError::failed(format!("cannot find the outpost executable: {err}")))?;
    let launcher = Launcher { program, args: vec!["instance".into(), "run".into()] };
    Client::get_or_start(&paths, &launcher, Duration::from_secs(10)).map_err(service_error)
}

pub fn run(command: InstanceCommand, out: Output) -> Result<(), CliError> {
    match command {
        InstanceCommand::Run { idle_timeout } => {
            let mut config = DaemonConfig::new(paths()?);
            let from_env = std::env::var(IDLE_TIMEOUT_ENV).ok().and_then(|v| v.parse::<u64>().ok());
            if let Some(seconds) = idle_timeout.or(from_env) {
                config.idle_timeout = Duration::from_secs(seconds);
            }
            for (name, limit) in [
                (HANDSHAKE_TIMEOUT_ENV, &mut config.handshake_timeout),
                (STALL_TIMEOUT_ENV, &mut config.stall_timeout),
                (SILENCE_TIMEOUT_ENV, &mut config.silence_timeout),
            ] {
                if let Some(duration) = seconds_from_env(name) {
                    *limit = duration;
                }
            }
            let handler = SessionHandler::new(Sessions::from_environment()?);
            match service::daemon::run(config, Arc::new(handler)) {
                // Someone else is already serving: that is the outcome the caller wanted.
                Err(ServiceError::AlreadyRunning(dir)) => {
                    tracing::info!(dir = %dir.display(), "an instance is already running");
                    Ok(())
                }
                other => other.map_err(service_error),
            }
        }
        InstanceCommand::Start | InstanceCommand::Status => {
            let connected = match command {
                InstanceCommand::Start => Some(get_or_start()?),
                _ => match Client::connect(&paths()?) {
                    Ok(client) => Some(client),
                    Err(ServiceError::NotRunning) => None,
                    Err(err) => return Err(service_error(err)),
                },
            };
            let status = match connected {
                Some(mut client) => {
                    let mut status =
                        client.call("status", serde_json::Value::Null).map_err(service_error)?;
                    status["running"] = serde_json::Value::Bool(true);
                    // The profiles with a session in the instance (`outpost logoff` ends one).
                    let mut logged_on: Vec<String> = status["session"]["sessions"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|s| s["profile"].as_str())
                        .filter(|p| !p.is_empty())
                        .map(str::to_owned)
                        .collect();
                    logged_on.sort();
                    logged_on.dedup();
                    status["logged_on"] = json!(logged_on);
                    status
                }
                None => serde_json::json!({"running": false}),
            };
            out.emit(&status, |w| {
                if status.get("running") == Some(&serde_json::Value::Bool(false)) {
                    return writeln!(w, "no instance is running");
                }
                writeln!(w, "running:   {}", status["running"])?;
                writeln!(w, "pid:       {}", status["pid"])?;
                writeln!(
                    w,
                    "version:   {} (protocol {})",
                    status["version"].as_str().unwrap_or(""),
                    status["protocol_version"]
                )?;
                // For people the start as a UTC time as well; scripts read the unix seconds.
                let started = status["started_at_unix"]
                    .as_i64()
                    .and_then(|t| jiff::Timestamp::from_second(t).ok())
                    .map_or_else(String::new, |t| format!("{t:.0} = "));
                writeln!(
                    w,
                    "started:   {started}{} (unix time), up {} s",
                    status["started_at_unix"], status["uptime_seconds"]
                )?;
                writeln!(
                    w,
                    "clients:   {} connected, {} holding a subscription, {} since start",
                    status["clients"], status["holding_clients"], status["connections_total"]
                )?;
                writeln!(w, "idle stop: {} s", status["idle_timeout_seconds"])?;
                let logged_on: Vec<&str> = status["logged_on"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .collect();
                writeln!(
                    w,
                    "logged on: {}",
                    if logged_on.is_empty() { "(none)".to_owned() } else { logged_on.join(", ") }
                )?;
                for session in status["session"]["sessions"].as_array().into_iter().flatten() {
                    writeln!(w, "session:   {}", crate::session_cmd::plain_fields(session))?;
                }
                writeln!(w, "runtime:   {}", status["runtime_dir"].as_str().unwrap_or(""))
            })
        }
        InstanceCommand::Stop => {
            let result = match Client::connect(&paths()?) {
                Ok(mut client) => {
                    let pid = client.welcome().pid;
                    match client.call("stop", serde_json::Value::Null) {
                        // Gone before it could answer: stopped all the same.
                        Ok(_) => {}
                        Err(err) if err.is_connection_lost() => {}
                        Err(err) => return Err(service_error(err)),
                    }
                    drop(client);
                    // "stopped" only once it has: the next command must not reach it.
                    if !service::wait_for_exit(&paths()?, STOP_TIMEOUT).map_err(service_error)? {
                        return Err(service_error(ServiceError::StopTimeout {
                            pid,
                            seconds: STOP_TIMEOUT.as_secs(),
                        }));
                    }
                    serde_json::json!({"stopped": true, "pid": pid})
                }
                // Already exiting: wait for it as above.
                Err(ServiceError::ShuttingDown) => {
                    if !service::wait_for_exit(&paths()?, STOP_TIMEOUT).map_err(service_error)? {
                        return Err(CliError::failed(format!(
                            "the instance is shutting down but did not exit within {} s",
                            STOP_TIMEOUT.as_secs()
                        )));
                    }
                    serde_json::json!({"stopped": true})
                }
                Err(ServiceError::NotRunning) => {
                    serde_json::json!({"stopped": false, "running": false})
                }
                Err(err) => return Err(service_error(err)),
            };
            out.emit(&result, |w| match (result["stopped"].as_bool(), result["pid"].as_u64()) {
                (Some(true), Some(pid)) => writeln!(w, "stopped the instance (pid {pid})"),
                (Some(true), None) => writeln!(w, "stopped the instance"),
                _ => writeln!(w, "no instance is running"),
            })
        }
    }
}

/// `outpost logoff [--profile P]`: ends the instance's session of the profile, so the next
/// command logs on again (rereading the profile, reopening its stores). Without an
/// instance there is no session to end: it says so and succeeds.
pub fn logoff(profile: Option<&str>, no_instance: bool, out: Output) -> Result<(), CliError> {
    let doc = if no_instance {
        json!({
            "logged_off": [],
            "running": false,
            "note": "with --no-instance every command logs on and off by itself; nothing to do",
        })
    } else {
        match Client::connect(&paths()?) {
            Ok(mut client) => {
                let mut params = json!({});
                if let Some(profile) = profile {
                    params["profile"] = profile.into();
                }
                let mut answer = client.call("logoff", params).map_err(service_error)?;
                answer["running"] = true.into();
                answer
            }
            Err(ServiceError::NotRunning | ServiceError::ShuttingDown) => {
                json!({ "logged_off": [], "running": false })
            }
            Err(err) => return Err(service_error(err)),
        }
    };
    out.emit(&doc, |w| {
        if let Some(note) = doc["note"].as_str() {
            return writeln!(w, "{note} (running: {})", doc["running"]);
        }
        if doc["running"] == false {
            return writeln!(w, "no instance is running; nothing is logged on (running: false)");
        }
        let names: Vec<&str> =
            doc["logged_off"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
        match names.as_slice() {
            [] => writeln!(w, "not logged on; nothing to do (running: true)"),
            names => writeln!(w, "logged off {} (running: true)", names.join(", ")),
        }
    })
}
