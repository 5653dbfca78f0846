//! `outpost instance run`: the per-user daemon.

use crate::{InstancePaths, ServiceError};
use mapi::{ErrorCode, MapiError};
use serde_json::{Value, json};
use std::fs::{File, OpenOptions, TryLockError};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
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
}

impl Connection {
    /// A connection not tied to a socket, whose frames go to `outbox` (tests, in-process use).
    pub fn detached(id: u64, outbox: mpsc::Sender<ServerMessage>) -> Connection {
        Connection {
            id,
            outbox,
            dropped: Arc::new(AtomicU64::new(0)),
            dropped_total: Arc::new(AtomicU64::new(0)),
        }
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
}

impl DaemonConfig {
    pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(15 * 60);

    pub fn new(paths: InstancePaths) -> DaemonConfig {
        DaemonConfig { paths, idle_timeout: Self::DEFAULT_IDLE_TIMEOUT, max_clients: 256 }
    }
}

struct State {
    started: Instant,
    started_unix: u64,
    clients: AtomicUsize,
    connections_total: AtomicU64,
    /// Milliseconds since `started` at which the last client left.
    idle_since_ms: AtomicU64,
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
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(TryLockError::WouldBlock) => Err(ServiceError::AlreadyRunning(paths.dir.clone())),
        Err(TryLockError::Error(source)) => Err(io(source)),
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
                let state = Arc::clone(&state);
                tokio::spawn(async move {
                    if let Err(err) = handle_connection(stream, &state).await {
                        tracing::debug!(%err, "connection ended with an error");
                    }
                    let now = state.started.elapsed().as_millis() as u64;
                    state.idle_since_ms.store(now, Ordering::SeqCst);
                    state.clients.fetch_sub(1, Ordering::SeqCst);
                });
            }
            _ = state.shutdown.notified() => break,
            _ = tick.tick() => {
                let now = state.started.elapsed().as_millis() as u64;
                let idle_for = now.saturating_sub(state.idle_since_ms.load(Ordering::SeqCst));
                if state.clients.load(Ordering::SeqCst) == 0
                    && Duration::from_millis(idle_for) >= state.config.idle_timeout
                {
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
}

/// Only the user who owns the instance may talk to it: the socket's mode already says so,
/// and the kernel's peer credentials prove it for each connection.
fn peer_is_owner(stream: &UnixStream, owner_uid: u32) -> bool {
    stream.peer_cred().is_ok_and(|cred| cred.uid() == owner_uid)
}

async fn read_frame(
    stream: &mut (impl AsyncReadExt + Unpin),
) -> Result<Option<Vec<u8>>, ServiceError> {
    let mut header = [0u8; 4];
    match stream.read_exact(&mut header).await {
        Ok(_) => {}
        Err(err) if err.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(err) => return Err(ServiceError::Protocol(err.to_string())),
    }
    let length = u32::from_le_bytes(header);
    if length > MAX_FRAME_LEN {
        return Err(ServiceError::Protocol(format!("frame of {length} bytes exceeds the limit")));
    }
    let mut payload = vec![0u8; length as usize];
    stream.read_exact(&mut payload).await.map_err(|err| ServiceError::Protocol(err.to_string()))?;
    Ok(Some(payload))
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
    // The handshake must come promptly; a silent peer does not get to hold a slot.
    let hello = tokio::time::timeout(Duration::from_secs(10), read_frame(&mut reader))
        .await
        .map_err(|_| ServiceError::Protocol("no handshake within 10 s".into()))??;
    let Some(hello) = hello else { return Ok(()) };
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
    let result = serve_requests(&mut reader, &sender, &connection, state).await;
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

async fn serve_requests(
    reader: &mut tokio::net::unix::OwnedReadHalf,
    sender: &mpsc::Sender<ServerMessage>,
    connection: &Connection,
    state: &Arc<State>,
) -> Result<(), ServiceError> {
    while let Some(frame) = read_frame(reader).await? {
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
        let state = Arc::clone(state);
        let sender = sender.clone();
        let connection = connection.clone();
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
                "runtime_dir": state.config.paths.dir.display().to_string(),
                "session": extra,
            }))
        }
        "stop" => {
            // Stop a moment after answering: shutting down at once could drop the answer
            // before the connection's writer sends it.
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

    #[test]
    fn notifying_a_closed_connection_says_closed() {
        let (sender, outbox) = mpsc::channel(2);
        let connection = Connection::detached(1, sender);
        drop(outbox);
        assert!(connection.is_closed());
        assert_eq!(connection.notify(event(1, 1)), NotifyOutcome::Closed);
    }
}
