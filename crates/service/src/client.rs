//! Connecting to the instance, starting it when nothing answers.

use crate::{InstancePaths, ServiceError};
use mapi::MapiError;
use serde_json::Value;
use std::collections::VecDeque;
use std::ffi::OsString;
use std::fs::{OpenOptions, TryLockError};
use std::io::ErrorKind;
use std::os::unix::net::UnixStream;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use wire::{
    ClientMessage, Hello, MAX_FRAME_LEN, Notification, PROTOCOL_VERSION, ServerMessage, Welcome,
};

/// How to start the daemon: normally the running `outpost` binary with `instance run`.
#[derive(Debug, Clone)]
pub struct Launcher {
    pub program: PathBuf,
    pub args: Vec<OsString>,
}

/// A connection to the instance. Requests are answered in order on one connection.
#[derive(Debug)]
pub struct Client {
    stream: UnixStream,
    next_id: u64,
    welcome: Welcome,
    /// Notifications that arrived while a call waited for its answer.
    pending: VecDeque<Notification>,
}

impl Client {
    /// Connects to a running instance; `NotRunning` if nothing answers.
    pub fn connect(paths: &InstancePaths) -> Result<Client, ServiceError> {
        let stream = match UnixStream::connect(&paths.socket) {
            Ok(stream) => stream,
            Err(err)
                if matches!(err.kind(), ErrorKind::NotFound | ErrorKind::ConnectionRefused) =>
            {
                return Err(ServiceError::NotRunning);
            }
            Err(source) => return Err(ServiceError::Io { path: paths.socket.clone(), source }),
        };
        let mut client = Client {
            stream,
            next_id: 1,
            welcome: Welcome { protocol_version: 0, server_version: String::new(), pid: 0 },
            pending: VecDeque::new(),
        };
        client.handshake()?;
        Ok(client)
    }

    /// Connects, or starts the daemon with `launcher` and connects once it answers.
    /// Starters serialise on `start.lock`: of many racing clients one starts the daemon and
    /// the others find it when they get the lock. A daemon that is shutting down is not
    /// attached to: the new one starts once it has exited.
    pub fn get_or_start(
        paths: &InstancePaths,
        launcher: &Launcher,
        timeout: Duration,
    ) -> Result<Client, ServiceError> {
        let needs_start = |err: &ServiceError| {
            matches!(err, ServiceError::NotRunning) || err.is_connection_lost()
        };
        match Client::connect(paths) {
            Err(err) if needs_start(&err) => {}
            other => return other,
        }
        paths.create_dir()?;
        let start_lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&paths.start_lock)
            .map_err(|source| ServiceError::Io { path: paths.start_lock.clone(), source })?;
        start_lock
            .lock()
            .map_err(|source| ServiceError::Io { path: paths.start_lock.clone(), source })?;
        match Client::connect(paths) {
            Err(err) if needs_start(&err) => {}
            other => return other,
        }
        // A daemon still holding the instance lock is exiting (or starting by hand): a new
        // one could not take the lock, so wait for it to go.
        if !wait_for_exit(paths, timeout)? {
            return match Client::connect(paths) {
                Err(err) if needs_start(&err) => Err(ServiceError::StartTimeout {
                    seconds: timeout.as_secs(),
                    detail: Some("the previous instance did not exit".to_owned()),
                }),
                other => other,
            };
        }
        let log = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&paths.log)
            .map_err(|source| ServiceError::Io { path: paths.log.clone(), source })?;
        let mut command = Command::new(&launcher.program);
        command.args(&launcher.args).stdin(Stdio::null()).stdout(Stdio::null()).stderr(log);
        #[cfg(unix)]
        {
            // Its own process group: a Ctrl-C aimed at the client does not reach the daemon.
            use std::os::unix::process::CommandExt;
            command.process_group(0);
        }
        let mut child = command
            .spawn()
            .map_err(|source| ServiceError::Io { path: launcher.program.clone(), source })?;
        tracing::debug!(pid = child.id(), "started the instance");
        let deadline = Instant::now() + timeout;
        let mut pause = Duration::from_millis(2);
        loop {
            match Client::connect(paths) {
                Err(ServiceError::NotRunning) => {}
                other => return other,
            }
            if let Ok(Some(status)) = child.try_wait() {
                // Exit 0 means another daemon won a race with a manual start: keep polling.
                if !status.success() {
                    return Err(ServiceError::StartTimeout {
                        seconds: timeout.as_secs(),
                        detail: Some(format!(
                            "the instance exited with {status}; {}",
                            log_tail(paths)
                        )),
                    });
                }
            }
            if Instant::now() >= deadline {
                return Err(ServiceError::StartTimeout {
                    seconds: timeout.as_secs(),
                    detail: Some(log_tail(paths)),
                });
            }
            std::thread::sleep(pause);
            pause = (pause * 2).min(Duration::from_millis(50));
        }
    }

    pub fn welcome(&self) -> &Welcome {
        &self.welcome
    }

    fn handshake(&mut self) -> Result<(), ServiceError> {
        let hello = ClientMessage::Hello(Hello {
            protocol_version: PROTOCOL_VERSION,
            client_version: env!("CARGO_PKG_VERSION").to_owned(),
            pid: std::process::id(),
        });
        self.send(&hello)?;
        match self.receive()? {
            ServerMessage::Welcome(welcome) if welcome.protocol_version == PROTOCOL_VERSION => {
                self.welcome = welcome;
                Ok(())
            }
            ServerMessage::Welcome(welcome) => Err(ServiceError::VersionMismatch {
                server: welcome.protocol_version,
                client: PROTOCOL_VERSION,
            }),
            ServerMessage::Error { error, .. }
                if error.code == mapi::ErrorCode::Version.value() =>
            {
                Err(ServiceError::VersionMismatch { server: 0, client: PROTOCOL_VERSION })
            }
            ServerMessage::Error { error, .. } if is_shutting_down(&error) => {
                Err(ServiceError::ShuttingDown)
            }
            ServerMessage::Error { error, .. } => Err(ServiceError::Mapi(MapiError::from(error))),
            other => Err(ServiceError::Protocol(format!("expected welcome, got {other:?}"))),
        }
    }

    /// Sends a request and waits for its result. A large result arrives as chunks of its JSON
    /// text before a null response; they are joined and parsed here.
    pub fn call(&mut self, method: &str, params: Value) -> Result<Value, ServiceError> {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&ClientMessage::Request { id, method: method.to_owned(), params }).map_err(
            |err| match err {
                // On a Unix socket a write fails at once once the peer has closed: the
                // request did not reach the instance.
                ServiceError::ConnectionLost(detail) => ServiceError::NotDelivered(detail),
                other => other,
            },
        )?;
        let mut chunks = Vec::new();
        loop {
            match self.receive()? {
                ServerMessage::Response { id: got, result } if got == id => {
                    if result.is_null() && !chunks.is_empty() {
                        return wire::join_chunks(&chunks).map_err(|err| {
                            ServiceError::Protocol(format!("chunked result does not parse: {err}"))
                        });
                    }
                    return Ok(result);
                }
                ServerMessage::Chunk { id: got, data } if got == id => chunks.push(data),
                ServerMessage::Error { id: Some(got), error } if got == id => {
                    if is_shutting_down(&error) {
                        return Err(ServiceError::ShuttingDown);
                    }
                    return Err(ServiceError::Mapi(MapiError::from(error)));
                }
                ServerMessage::Error { id: None, error } => {
                    return Err(ServiceError::Mapi(MapiError::from(error)));
                }
                // Kept for `next_notification`: a subscription's first events can come before
                // the answer to `subscribe`.
                ServerMessage::Notification(notification) => self.pending.push_back(notification),
                // Stale replies are not this call's business.
                _ => {}
            }
        }
    }

    /// Waits for the next notification of any subscription on this connection.
    /// `Disconnected` when the instance goes away.
    pub fn next_notification(&mut self) -> Result<Notification, ServiceError> {
        if let Some(notification) = self.pending.pop_front() {
            return Ok(notification);
        }
        loop {
            match self.receive()? {
                ServerMessage::Notification(notification) => return Ok(notification),
                ServerMessage::Error { id: None, error } => {
                    return Err(ServiceError::Mapi(MapiError::from(error)));
                }
                _ => {}
            }
        }
    }

    /// Limits how long `call` and `next_notification` wait for the instance (`None`: no limit).
    pub fn set_read_timeout(&self, timeout: Option<Duration>) -> Result<(), ServiceError> {
        self.stream
            .set_read_timeout(timeout)
            .map_err(|err| ServiceError::Protocol(format!("cannot set a read timeout: {err}")))
    }

    fn send(&mut self, message: &ClientMessage) -> Result<(), ServiceError> {
        wire::write_frame(&mut self.stream, &wire::encode(message))?;
        Ok(())
    }

    fn receive(&mut self) -> Result<ServerMessage, ServiceError> {
        let frame =
            wire::read_frame(&mut self.stream, MAX_FRAME_LEN)?.ok_or(ServiceError::Disconnected)?;
        wire::decode_server(&frame).map_err(|err| ServiceError::Protocol(err.to_string()))
    }
}

/// The daemon's answer when it is exiting (daemon::shutting_down).
fn is_shutting_down(error: &wire::ErrorBody) -> bool {
    error.code == mapi::ErrorCode::EndOfSession.value()
        && error.message == crate::daemon::SHUTTING_DOWN
}

/// Waits until no daemon holds the instance lock, for at most `timeout`; `true` once none
/// does. The lock is held for a daemon's whole life and released by the kernel when its
/// process ends, so this is the moment the daemon is gone (or as good as: it has nothing
/// left to answer with).
pub fn wait_for_exit(paths: &InstancePaths, timeout: Duration) -> Result<bool, ServiceError> {
    let io = |source| ServiceError::Io { path: paths.instance_lock.clone(), source };
    let file = match OpenOptions::new().write(true).open(&paths.instance_lock) {
        Ok(file) => file,
        Err(err) if err.kind() == ErrorKind::NotFound => return Ok(true),
        Err(source) => return Err(io(source)),
    };
    let deadline = Instant::now() + timeout;
    let mut pause = Duration::from_millis(2);
    loop {
        match file.try_lock() {
            // Released at once: a daemon starting now must find it free (it retries briefly).
            Ok(()) => {
                file.unlock().map_err(io)?;
                return Ok(true);
            }
            Err(TryLockError::WouldBlock) if Instant::now() < deadline => {
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(50));
            }
            Err(TryLockError::WouldBlock) => return Ok(false),
            Err(TryLockError::Error(source)) => return Err(io(source)),
        }
    }
}

/// The last lines of the daemon's log, to explain a failed start.
fn log_tail(paths: &InstancePaths) -> String {
    let text = std::fs::read_to_string(&paths.log).unwrap_or_default();
    let lines: Vec<&str> = text.lines().rev().take(5).collect();
    if lines.is_empty() {
        format!("no log in {}", paths.log.display())
    } else {
        format!(
            "log {}: {}",
            paths.log.display(),
            lines.into_iter().rev().collect::<Vec<_>>().join(" | ")
        )
    }
}
