//! `outpost instance run`: the per-user daemon.

use crate::{InstancePaths, ServiceError};
use mapi::{ErrorCode, MapiError};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::fs::{File, OpenOptions, TryLockError};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::net::{UnixListener, UnixStream};
use tokio::sync::{Notify, mpsc};
use wire::{
    ClientMessage, ErrorBody, MAX_FRAME_LEN, Notification, PROTOCOL_VERSION, ServerMessage, Welcome,
};

/// What the instance does with requests it does not answer itself (`ping`, `status`, `stop`).
/// Called on a blocking thread: implementations are synchronous, like the session layer.
pub trait Handler: Send + Sync + 'static {
    /// Answers one request. `connection` is the client's: keep a clone to push notifications
    /// to it later (subscriptions).
    fn handle(
        &self,
        method: &str,
        params: Value,
        connection: &Connection,
    ) -> Result<Value, MapiError>;

    /// The connection has closed: drop whatever was kept for it (its subscriptions).
    fn connection_closed(&self, connection: &Connection) {
        let _ = connection;
    }

    /// Extra fields for `status` (logged-on profile, open stores, ...).
    fn status(&self) -> Value {
        Value::Null
    }
}

/// Frames waiting to be written to one client. Responses wait for room; notifications never
/// do: a client that does not read loses them (see [`Connection::notify`]).
const OUTBOX_CAPACITY: usize = 256;

/// What became of a notification handed to [`Connection::notify`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotifyOutcome {
    Queued,
    /// The client's outbox is full (it is not reading): dropped and counted.
    Dropped,
    /// The connection has closed.
    Closed,
}

/// One client connection, as handlers see it. Cloning gives another handle to it.
#[derive(Debug, Clone)]
pub struct Connection {
    id: u64,
    outbox: mpsc::Sender<ServerMessage>,
    /// Notifications dropped since the client last had room, reported to it in a `dropped`
    /// notification as soon as it has room again.
    dropped: Arc<AtomicU64>,
    dropped_total: Arc<AtomicU64>,
    /// What the client will come back for (subscriptions; later object handles): while it
    /// holds any, the connection is never closed for silence and the instance does not exit.
    holds: Arc<AtomicUsize>,
    /// Requests of this connection being answered.
    in_flight: Arc<AtomicUsize>,
}

impl Connection {
    /// A connection not tied to a socket, whose frames go to `outbox` (tests, in-process use).
    pub fn detached(id: u64, outbox: mpsc::Sender<ServerMessage>) -> Connection {
        Connection {
            id,
            outbox,
            dropped: Arc::new(AtomicU64::new(0)),
            dropped_total: Arc::new(AtomicU64::new(0)),
            holds: Arc::new(AtomicUsize::new(0)),
            in_flight: Arc::new(AtomicUsize::new(0)),
        }
    }

    /// The client now holds one more thing on this connection (a subscription, ...); call
    /// [`Connection::release`] when it goes. A connection that holds something may stay
    /// silent for as long as it likes (`outpost watch` sends nothing for hours), and keeps
    /// the instance from its idle exit.
    pub fn hold(&self) {
        self.holds.fetch_add(1, Ordering::SeqCst);
    }

    /// The client gave up one thing it held.
    pub fn release(&self) {
        let _ = self.holds.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1));
    }

    /// How many things the client holds on this connection.
    pub fn holds(&self) -> usize {
        self.holds.load(Ordering::SeqCst)
    }

    /// Unique within the daemon's life.
    pub fn id(&self) -> u64 {
        self.id
    }

    pub fn is_closed(&self) -> bool {
        self.outbox.is_closed()
    }

    /// Notifications dropped on this connection so far.
    pub fn dropped(&self) -> u64 {
        self.dropped_total.load(Ordering::Relaxed)
    }

    /// Queues a notification for the client without ever waiting, so a client that does not
    /// read cannot hold up the writer that raised the event (nor other clients). When the
    /// outbox is full the notification is dropped and counted; the next time there is room
    /// the client first gets `{event: "dropped", data: {count}}` for the same subscription.
    pub fn notify(&self, notification: Notification) -> NotifyOutcome {
        let missed = self.dropped.load(Ordering::Relaxed);
        if missed > 0 {
            let report = ServerMessage::Notification(Notification {
                subscription: notification.subscription,
                event: "dropped".to_owned(),
                data: json!({ "count": missed }),
            });
            match self.outbox.try_send(report) {
                Ok(()) => {
                    self.dropped.fetch_sub(missed, Ordering::Relaxed);
                }
                Err(mpsc::error::TrySendError::Full(_)) => return self.count_drop(),
                Err(mpsc::error::TrySendError::Closed(_)) => return NotifyOutcome::Closed,
            }
        }
        match self.outbox.try_send(ServerMessage::Notification(notification)) {
            Ok(()) => NotifyOutcome::Queued,
            Err(mpsc::error::TrySendError::Full(_)) => self.count_drop(),
            Err(mpsc::error::TrySendError::Closed(_)) => NotifyOutcome::Closed,
        }
    }

    fn count_drop(&self) -> NotifyOutcome {
        self.dropped.fetch_add(1, Ordering::Relaxed);
        if self.dropped_total.fetch_add(1, Ordering::Relaxed) == 0 {
            tracing::warn!(connection = self.id, "client is not reading; dropping notifications");
        }
        NotifyOutcome::Dropped
    }
}

#[derive(Debug, Clone)]
pub struct DaemonConfig {
    pub paths: InstancePaths,
    /// Exit after this long with no client connected.
    pub idle_timeout: Duration,
    /// Connections beyond this are refused, so a runaway client cannot exhaust the daemon.
    pub max_clients: usize,
    /// A connection must complete its hello within this long of being accepted.
    pub handshake_timeout: Duration,
    /// A connection that sends nothing for this long in the middle of a frame is closed.
    pub stall_timeout: Duration,
    /// A connection that sends no request for this long is closed, unless it holds a
    /// subscription (or has a request being answered).
    pub silence_timeout: Duration,
}

impl DaemonConfig {
    pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(15 * 60);
    pub const DEFAULT_HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
    pub const DEFAULT_STALL_TIMEOUT: Duration = Duration::from_secs(30);
    pub const DEFAULT_SILENCE_TIMEOUT: Duration = Duration::from_secs(10 * 60);

    pub fn new(paths: InstancePaths) -> DaemonConfig {
        DaemonConfig {
            paths,
            idle_timeout: Self::DEFAULT_IDLE_TIMEOUT,
            max_clients: 256,
            handshake_timeout: Self::DEFAULT_HANDSHAKE_TIMEOUT,
            stall_timeout: Self::DEFAULT_STALL_TIMEOUT,
            silence_timeout: Self::DEFAULT_SILENCE_TIMEOUT,
        }
    }
}

/// The largest hello a client may send; it is a few dozen bytes.
const HELLO_LIMIT: u32 = 64 * 1024;

/// How much a frame's buffer grows by at first; it then doubles as bytes arrive, up to the
/// declared length.
const READ_CHUNK: usize = 64 * 1024;

struct State {
    started: Instant,
    started_unix: u64,
    clients: AtomicUsize,
    connections_total: AtomicU64,
    /// Milliseconds since `started` of the last sign of use (a connection, a request
    /// answered, a connection closed): the idle timeout counts from here.
    idle_since_ms: AtomicU64,
    /// Requests being answered, over all connections.
    in_flight: AtomicUsize,
    /// Connections past their handshake, to see whether any holds a subscription.
    live: Mutex<HashMap<u64, Connection>>,
    /// Set once the daemon has decided to exit: no new client is let in after it.
    stopping: AtomicBool,
    shutdown: Notify,
    config: DaemonConfig,
    handler: Arc<dyn Handler>,
}

/// Runs the daemon until `stop`, a signal, or the idle timeout. Fails with `AlreadyRunning`
/// if another daemon holds the instance lock.
pub fn run(config: DaemonConfig, handler: Arc<dyn Handler>) -> Result<(), ServiceError> {
    let paths = config.paths.clone();
    paths.create_dir()?;
    let lock = acquire_instance_lock(&paths)?;
    #[cfg(unix)]
    let owner_uid = {
        use std::os::unix::fs::MetadataExt;
        lock.metadata()
            .map_err(|source| ServiceError::Io { path: paths.instance_lock.clone(), source })?
            .uid()
    };
    // We hold the lock, so a socket file left here belongs to a dead daemon.
    match std::fs::remove_file(&paths.socket) {
        Ok(()) => tracing::info!(socket = %paths.socket.display(), "removed stale socket"),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
        Err(source) => return Err(ServiceError::Io { path: paths.socket.clone(), source }),
    }
    let std_listener = std::os::unix::net::UnixListener::bind(&paths.socket)
        .map_err(|source| ServiceError::Io { path: paths.socket.clone(), source })?;
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&paths.socket, std::fs::Permissions::from_mode(0o600))
            .map_err(|source| ServiceError::Io { path: paths.socket.clone(), source })?;
    }
    std_listener
        .set_nonblocking(true)
        .map_err(|source| ServiceError::Io { path: paths.socket.clone(), source })?;

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|source| ServiceError::Io { path: paths.dir.clone(), source })?;
    let state = Arc::new(State {
        started: Instant::now(),
        started_unix: SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs()),
        clients: AtomicUsize::new(0),
        connections_total: AtomicU64::new(0),
        idle_since_ms: AtomicU64::new(0),
        in_flight: AtomicUsize::new(0),
        live: Mutex::new(HashMap::new()),
        stopping: AtomicBool::new(false),
        shutdown: Notify::new(),
        config,
        handler,
    });
    let result = runtime.block_on(async {
        let listener = UnixListener::from_std(std_listener)
            .map_err(|source| ServiceError::Io { path: paths.socket.clone(), source })?;
        serve(listener, state, owner_uid).await;
        Ok(())
    });
    // Remove the socket before the lock goes, so a new daemon never finds ours.
    let _ = std::fs::remove_file(&paths.socket);
    runtime.shutdown_timeout(Duration::from_secs(2));
    drop(lock);
    result
}

fn acquire_instance_lock(paths: &InstancePaths) -> Result<File, ServiceError> {
    let io = |source| ServiceError::Io { path: paths.instance_lock.clone(), source };
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&paths.instance_lock)
        .map_err(io)?;
    // A client checking whether the last daemon has exited holds the lock for an instant
    // (`client::wait_for_exit`): try for a moment before concluding another daemon runs.
    let deadline = Instant::now() + Duration::from_secs(1);
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(file),
            Err(TryLockError::WouldBlock) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(10));
            }
            Err(TryLockError::WouldBlock) => {
                return Err(ServiceError::AlreadyRunning(paths.dir.clone()));
            }
            Err(TryLockError::Error(source)) => return Err(io(source)),
        }
    }
}

impl State {
    /// Marks a sign of use: the idle timeout starts again from now.
    fn touch(&self) {
        let now = self.started.elapsed().as_millis() as u64;
        self.idle_since_ms.store(now, Ordering::SeqCst);
    }

    fn live(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Connection>> {
        self.live.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Idle: no request is being answered, no connection holds a subscription, and nothing
    /// happened for the idle timeout. Connected clients that hold nothing do not count: a
    /// silent one must not keep the instance alive for ever.
    fn is_idle(&self) -> bool {
        if self.in_flight.load(Ordering::SeqCst) > 0 || self.live().values().any(|c| c.holds() > 0)
        {
            return false;
        }
        let now = self.started.elapsed().as_millis() as u64;
        let idle_for = now.saturating_sub(self.idle_since_ms.load(Ordering::SeqCst));
        Duration::from_millis(idle_for) >= self.config.idle_timeout
    }
}

async fn serve(listener: UnixListener, state: Arc<State>, owner_uid: u32) {
    let mut tick = tokio::time::interval(Duration::from_millis(250));
    let mut terminate =
        tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    tracing::info!(pid = std::process::id(), "instance serving");
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                if !peer_is_owner(&stream, owner_uid) {
                    tracing::warn!("refused a connection from another user");
                    continue;
                }
                if state.clients.load(Ordering::SeqCst) >= state.config.max_clients {
                    tracing::warn!("refused a connection: client limit reached");
                    continue;
                }
                state.clients.fetch_add(1, Ordering::SeqCst);
                state.connections_total.fetch_add(1, Ordering::Relaxed);
                state.touch();
                let state = Arc::clone(&state);
                tokio::spawn(async move {
                    if let Err(err) = handle_connection(stream, &state).await {
                        tracing::debug!(%err, "connection ended with an error");
                    }
                    state.touch();
                    state.clients.fetch_sub(1, Ordering::SeqCst);
                });
            }
            _ = state.shutdown.notified() => break,
            _ = tick.tick() => {
                if state.is_idle() {
                    tracing::info!("idle timeout reached; exiting");
                    break;
                }
            }
            _ = async { match terminate.as_mut() { Some(s) => { s.recv().await; } None => std::future::pending().await } } => {
                tracing::info!("terminated by signal");
                break;
            }
        }
    }
    // From here on clients are turned away (they wait for this daemon to exit and start a
    // new one), and the requests already running get a moment to finish.
    state.stopping.store(true, Ordering::SeqCst);
    drop(listener);
    let deadline = Instant::now() + Duration::from_secs(10);
    while state.in_flight.load(Ordering::SeqCst) > 0 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Only the user who owns the instance may talk to it: the socket's mode already says so,
/// and the kernel's peer credentials prove it for each connection.
fn peer_is_owner(stream: &UnixStream, owner_uid: u32) -> bool {
    stream.peer_cred().is_ok_and(|cred| cred.uid() == owner_uid)
}

/// What one read of [`FrameReader::step`] gave.
#[derive(Debug)]
enum Step {
    Frame(Vec<u8>),
    /// Some bytes of a frame arrived; more are to come.
    Partial,
    /// The peer closed the connection between frames.
    Closed,
}

/// Reads length-prefixed frames, keeping a partial frame between calls, so a read may be
/// abandoned (a timeout) and taken up again without losing bytes.
///
/// The payload buffer grows with the bytes that arrive, never to the declared length up
/// front: a peer that declares 16 MiB and sends nothing costs [`READ_CHUNK`] at most.
#[derive(Debug, Default)]
struct FrameReader {
    header: [u8; 4],
    header_len: usize,
    expected: usize,
    payload: Vec<u8>,
}

impl FrameReader {
    /// Whether part of a frame has arrived (a silence now is a stall).
    fn in_frame(&self) -> bool {
        self.header_len > 0
    }

    /// One read from `stream`. Cancel-safe: every await is a single tokio read, which
    /// consumes nothing when it is cancelled, and the state changes only after it.
    async fn step(
        &mut self,
        stream: &mut (impl AsyncRead + Unpin),
        limit: u32,
    ) -> Result<Step, ServiceError> {
        let io = |err: std::io::Error| ServiceError::Protocol(err.to_string());
        if self.header_len < 4 {
            let read = stream.read(&mut self.header[self.header_len..]).await.map_err(io)?;
            if read == 0 {
                return match self.header_len {
                    0 => Ok(Step::Closed),
                    n => Err(ServiceError::Protocol(format!(
                        "connection closed in the middle of a frame header ({n} of 4 bytes)"
                    ))),
                };
            }
            self.header_len += read;
            if self.header_len < 4 {
                return Ok(Step::Partial);
            }
            let length = u32::from_le_bytes(self.header);
            if length > limit {
                return Err(ServiceError::Protocol(format!(
                    "frame of {length} bytes exceeds the limit of {limit} bytes"
                )));
            }
            self.expected = length as usize;
            self.payload = Vec::new();
            return Ok(if self.expected == 0 { self.finish() } else { Step::Partial });
        }
        let remaining = self.expected - self.payload.len();
        if self.payload.capacity() == self.payload.len() {
            // Double what has arrived (linear copying overall), never past the frame's end.
            let grow = self.payload.capacity().max(READ_CHUNK).min(remaining);
            self.payload.reserve_exact(grow);
        }
        let room = (self.payload.capacity() - self.payload.len()).min(remaining);
        let read =
            (&mut *stream).take(room as u64).read_buf(&mut self.payload).await.map_err(io)?;
        if read == 0 {
            return Err(ServiceError::Protocol(format!(
                "connection closed in the middle of a frame ({} of {} bytes read)",
                self.payload.len(),
                self.expected
            )));
        }
        Ok(if self.payload.len() == self.expected { self.finish() } else { Step::Partial })
    }

    fn finish(&mut self) -> Step {
        self.header_len = 0;
        self.expected = 0;
        Step::Frame(std::mem::take(&mut self.payload))
    }

    /// The next whole frame, with no time limit (`None`: closed between frames).
    async fn next(
        &mut self,
        stream: &mut (impl AsyncRead + Unpin),
        limit: u32,
    ) -> Result<Option<Vec<u8>>, ServiceError> {
        loop {
            match self.step(stream, limit).await? {
                Step::Frame(frame) => return Ok(Some(frame)),
                Step::Closed => return Ok(None),
                Step::Partial => {}
            }
        }
    }
}

/// The next request frame of a connection past its handshake. Closes (an error) a
/// connection that stalls in the middle of a frame for the stall timeout, or that sends
/// nothing for the silence timeout while it holds nothing and waits for no answer.
async fn next_request_frame(
    frames: &mut FrameReader,
    stream: &mut (impl AsyncRead + Unpin),
    connection: &Connection,
    config: &DaemonConfig,
) -> Result<Option<Vec<u8>>, ServiceError> {
    loop {
        let mid_frame = frames.in_frame();
        let limit = if mid_frame { config.stall_timeout } else { config.silence_timeout };
        match tokio::time::timeout(limit, frames.step(stream, MAX_FRAME_LEN)).await {
            Ok(Ok(Step::Frame(frame))) => return Ok(Some(frame)),
            Ok(Ok(Step::Closed)) => return Ok(None),
            Ok(Ok(Step::Partial)) => {}
            Ok(Err(err)) => return Err(err),
            Err(_) if mid_frame => {
                return Err(ServiceError::Protocol(format!(
                    "no byte for {:.1} s in the middle of a frame; closed",
                    limit.as_secs_f64()
                )));
            }
            Err(_) if connection.holds() > 0 || connection.in_flight.load(Ordering::SeqCst) > 0 => {
            }
            Err(_) => {
                return Err(ServiceError::Protocol(format!(
                    "silent for {:.1} s holding no subscription; closed",
                    limit.as_secs_f64()
                )));
            }
        }
    }
}

async fn write_message(
    stream: &mut (impl AsyncWriteExt + Unpin),
    message: &ServerMessage,
) -> std::io::Result<()> {
    let payload = wire::encode(message);
    let mut frame = Vec::with_capacity(payload.len() + 4);
    frame.extend_from_slice(&(payload.len() as u32).to_le_bytes());
    frame.extend_from_slice(&payload);
    stream.write_all(&frame).await
}

fn error_message(id: Option<u64>, err: &MapiError) -> ServerMessage {
    ServerMessage::Error { id, error: ErrorBody::from(err) }
}

async fn handle_connection(stream: UnixStream, state: &Arc<State>) -> Result<(), ServiceError> {
    let (mut reader, mut writer) = stream.into_split();
    let mut frames = FrameReader::default();
    // The handshake must come promptly; a silent peer does not get to hold a slot.
    let limit = state.config.handshake_timeout;
    let hello = tokio::time::timeout(limit, frames.next(&mut reader, HELLO_LIMIT)).await.map_err(
        |_| ServiceError::Protocol(format!("no handshake within {:.1} s", limit.as_secs_f64())),
    )??;
    let Some(hello) = hello else { return Ok(()) };
    if state.stopping.load(Ordering::SeqCst) {
        // A client let in now would be answered by a daemon about to exit, with the state it
        // is dropping: it is told to wait for this one to go and start a new one.
        let _ = write_message(&mut writer, &error_message(None, &shutting_down())).await;
        return Ok(());
    }
    match wire::decode_client(&hello) {
        Ok(ClientMessage::Hello(hello)) if hello.protocol_version == PROTOCOL_VERSION => {
            let welcome = ServerMessage::Welcome(Welcome {
                protocol_version: PROTOCOL_VERSION,
                server_version: env!("CARGO_PKG_VERSION").to_owned(),
                pid: std::process::id(),
            });
            write_message(&mut writer, &welcome)
                .await
                .map_err(|e| ServiceError::Protocol(e.to_string()))?;
        }
        Ok(ClientMessage::Hello(hello)) => {
            let err = MapiError::new(
                ErrorCode::Version,
                format!(
                    "protocol version {} is not supported; this instance speaks {PROTOCOL_VERSION}",
                    hello.protocol_version
                ),
            );
            let _ = write_message(&mut writer, &error_message(None, &err)).await;
            return Ok(());
        }
        _ => {
            let err = MapiError::invalid_parameter("the first frame must be a hello message");
            let _ = write_message(&mut writer, &error_message(None, &err)).await;
            return Ok(());
        }
    }

    // Responses are written by one task so requests can complete out of order.
    let (sender, mut outbox) = mpsc::channel::<ServerMessage>(OUTBOX_CAPACITY);
    static NEXT_CONNECTION_ID: AtomicU64 = AtomicU64::new(1);
    let connection =
        Connection::detached(NEXT_CONNECTION_ID.fetch_add(1, Ordering::Relaxed), sender.clone());
    let mut writer_task = tokio::spawn(async move {
        while let Some(message) = outbox.recv().await {
            if write_message(&mut writer, &message).await.is_err() {
                break;
            }
        }
    });
    state.live().insert(connection.id(), connection.clone());
    let result = serve_requests(&mut reader, &mut frames, &sender, &connection, state).await;
    state.live().remove(&connection.id());
    drop(sender);
    let handler = Arc::clone(&state.handler);
    let closing = connection.clone();
    let _ = tokio::task::spawn_blocking(move || handler.connection_closed(&closing)).await;
    drop(connection);
    // The writer ends once every clone of the outbox is gone (answers still being computed
    // hold one); a handler that kept a clone must not keep the connection open for ever.
    if tokio::time::timeout(Duration::from_secs(30), &mut writer_task).await.is_err() {
        writer_task.abort();
    }
    result
}

/// The error a client gets from a daemon that is exiting.
fn shutting_down() -> MapiError {
    MapiError::new(ErrorCode::EndOfSession, SHUTTING_DOWN)
}

/// The message of [`shutting_down`]; clients recognise it.
pub const SHUTTING_DOWN: &str = "the instance is shutting down";

async fn serve_requests(
    reader: &mut tokio::net::unix::OwnedReadHalf,
    frames: &mut FrameReader,
    sender: &mpsc::Sender<ServerMessage>,
    connection: &Connection,
    state: &Arc<State>,
) -> Result<(), ServiceError> {
    while let Some(frame) = next_request_frame(frames, reader, connection, &state.config).await? {
        let (id, method, params) = match wire::decode_client(&frame) {
            Ok(ClientMessage::Request { id, method, params }) => (id, method, params),
            Ok(ClientMessage::Hello(_)) => {
                let err = MapiError::invalid_parameter("hello may only be sent once");
                let _ = sender.send(error_message(None, &err)).await;
                continue;
            }
            Err(parse) => {
                let err = MapiError::invalid_parameter(format!("unreadable request: {parse}"));
                let _ = sender.send(error_message(None, &err)).await;
                break;
            }
        };
        if state.stopping.load(Ordering::SeqCst) {
            let _ = sender.send(error_message(Some(id), &shutting_down())).await;
            continue;
        }
        let state = Arc::clone(state);
        let sender = sender.clone();
        let connection = connection.clone();
        state.in_flight.fetch_add(1, Ordering::SeqCst);
        connection.in_flight.fetch_add(1, Ordering::SeqCst);
        tokio::spawn(async move {
            let replies = match dispatch(&state, &method, params, &connection).await {
                Ok(result) => wire::response_frames(id, result),
                Err(err) => vec![error_message(Some(id), &err)],
            };
            for reply in replies {
                if sender.send(reply).await.is_err() {
                    break;
                }
            }
            connection.in_flight.fetch_sub(1, Ordering::SeqCst);
            state.touch();
            state.in_flight.fetch_sub(1, Ordering::SeqCst);
        });
    }
    Ok(())
}

async fn dispatch(
    state: &Arc<State>,
    method: &str,
    params: Value,
    connection: &Connection,
) -> Result<Value, MapiError> {
    match method {
        "ping" => Ok(json!({})),
        "status" => {
            let handler = Arc::clone(&state.handler);
            let extra = tokio::task::block_in_place(move || handler.status());
            Ok(json!({
                "pid": std::process::id(),
                "version": env!("CARGO_PKG_VERSION"),
                "protocol_version": PROTOCOL_VERSION,
                "started_at_unix": state.started_unix,
                "uptime_seconds": state.started.elapsed().as_secs_f64(),
                "clients": state.clients.load(Ordering::SeqCst),
                "connections_total": state.connections_total.load(Ordering::Relaxed),
                "idle_timeout_seconds": state.config.idle_timeout.as_secs(),
                "holding_clients": state.live().values().filter(|c| c.holds() > 0).count(),
                "runtime_dir": state.config.paths.dir.display().to_string(),
                "session": extra,
            }))
        }
        "stop" => {
            // Turn new clients away at once; stop a moment after answering: shutting down at
            // once could drop the answer before the connection's writer sends it.
            state.stopping.store(true, Ordering::SeqCst);
            let state = Arc::clone(state);
            tokio::spawn(async move {
                tokio::time::sleep(Duration::from_millis(100)).await;
                state.shutdown.notify_one();
            });
            Ok(json!({"stopping": true}))
        }
        _ => {
            let handler = Arc::clone(&state.handler);
            let method = method.to_owned();
            let connection = connection.clone();
            // Run on this worker thread, telling the runtime to move its other tasks away
            // (`block_in_place`): a hand-off to the blocking pool costs a thread wake-up
            // per request, which dominated small calls (docs/PERFORMANCE.md).
            tokio::task::block_in_place(move || handler.handle(&method, params, &connection))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(subscription: u64, n: u64) -> Notification {
        Notification { subscription, event: "item_add".into(), data: json!({ "n": n }) }
    }

    fn received(outbox: &mut mpsc::Receiver<ServerMessage>) -> Notification {
        match outbox.try_recv() {
            Ok(ServerMessage::Notification(notification)) => notification,
            other => panic!("expected a notification, got {other:?}"),
        }
    }

    #[test]
    fn a_full_outbox_drops_notifications_and_then_says_how_many() {
        let (sender, mut outbox) = mpsc::channel(2);
        let connection = Connection::detached(1, sender);
        assert_eq!(connection.notify(event(7, 1)), NotifyOutcome::Queued);
        assert_eq!(connection.notify(event(7, 2)), NotifyOutcome::Queued);
        assert_eq!(connection.notify(event(7, 3)), NotifyOutcome::Dropped);
        assert_eq!(connection.notify(event(7, 4)), NotifyOutcome::Dropped);
        assert_eq!(connection.dropped(), 2);
        assert_eq!(received(&mut outbox).data["n"], 1);
        assert_eq!(received(&mut outbox).data["n"], 2);
        // Room again: first the count of what was lost, then the new event.
        assert_eq!(connection.notify(event(7, 5)), NotifyOutcome::Queued);
        let notice = received(&mut outbox);
        assert_eq!((notice.event.as_str(), notice.subscription), ("dropped", 7));
        assert_eq!(notice.data["count"], 2);
        assert_eq!(received(&mut outbox).data["n"], 5);
        assert_eq!(connection.notify(event(7, 6)), NotifyOutcome::Queued);
        assert_eq!(received(&mut outbox).data["n"], 6, "the loss is reported once");
    }

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
    }

    #[test]
    fn a_declared_16_mib_frame_costs_only_what_arrives() {
        runtime().block_on(async {
            let (mut client, mut server) = tokio::io::duplex(1024);
            client.write_all(&MAX_FRAME_LEN.to_le_bytes()).await.unwrap();
            client.write_all(b"0123456789").await.unwrap();
            let mut frames = FrameReader::default();
            for _ in 0..2 {
                assert!(matches!(
                    frames.step(&mut server, MAX_FRAME_LEN).await.unwrap(),
                    Step::Partial
                ));
            }
            assert_eq!(frames.payload.len(), 10);
            assert!(
                frames.payload.capacity() <= READ_CHUNK,
                "{} bytes reserved for 10 received",
                frames.payload.capacity()
            );
            // Nothing more arrives: the read does not complete (and may be abandoned).
            let waited = tokio::time::timeout(
                Duration::from_millis(20),
                frames.step(&mut server, MAX_FRAME_LEN),
            )
            .await;
            assert!(waited.is_err());
            assert!(frames.in_frame());
        });
    }

    #[test]
    fn frames_arrive_whole_in_any_split_and_reads_can_be_abandoned() {
        runtime().block_on(async {
            let (mut client, mut server) = tokio::io::duplex(64);
            let big: Vec<u8> = (0..300_000u32).map(|i| i as u8).collect();
            let mut bytes = Vec::new();
            for payload in [&b"first"[..], &[][..], &big[..]] {
                bytes.extend_from_slice(&(payload.len() as u32).to_le_bytes());
                bytes.extend_from_slice(payload);
            }
            let writer = tokio::spawn(async move {
                for piece in bytes.chunks(7) {
                    client.write_all(piece).await.unwrap();
                }
            });
            let mut frames = FrameReader::default();
            let mut got = Vec::new();
            while got.len() < 3 {
                // A timeout that fires mid-read must not lose bytes.
                let step = tokio::time::timeout(
                    Duration::from_micros(50),
                    frames.step(&mut server, MAX_FRAME_LEN),
                )
                .await;
                if let Ok(Ok(Step::Frame(frame))) = step {
                    got.push(frame);
                } else if let Ok(Err(err)) = step {
                    panic!("{err}");
                }
            }
            writer.await.unwrap();
            assert_eq!(got[0], b"first");
            assert!(got[1].is_empty());
            assert_eq!(got[2], big);
            assert!(got[2].capacity() <= big.len());
            assert!(matches!(frames.step(&mut server, MAX_FRAME_LEN).await.unwrap(), Step::Closed));
        });
    }

    #[test]
    fn an_oversized_length_is_refused_before_reading_on() {
        runtime().block_on(async {
            let (mut client, mut server) = tokio::io::duplex(64);
            client.write_all(&(HELLO_LIMIT + 1).to_le_bytes()).await.unwrap();
            let mut frames = FrameReader::default();
            let err = frames.next(&mut server, HELLO_LIMIT).await.unwrap_err();
            assert!(err.to_string().contains("exceeds the limit"), "{err}");
        });
    }

    #[test]
    fn notifying_a_closed_connection_says_closed() {
        let (sender, outbox) = mpsc::channel(2);
        let connection = Connection::detached(1, sender);
        drop(outbox);
        assert!(connection.is_closed());
        assert_eq!(connection.notify(event(1, 1)), NotifyOutcome::Closed);
    }
}
