//! Events of the session: what Outlook raises as `Application.NewMailEx`,
//! `Items.ItemAdd` / `ItemChange` / `ItemRemove` and `Stores.StoreAdd` /
//! `BeforeStoreRemove`, for every write that goes through the session layer.
//!
//! The bus is synchronous and belongs to the [`Application`](crate::Application): every
//! namespace it makes shares it, so a subscriber sees the writes of all its sessions and keeps
//! its subscription when a session is reopened. A writer hands each event to each subscriber's
//! [`EventSink`], which must only enqueue: a sink that is full says so and the event is
//! dropped for that subscriber and counted ([`Subscription::dropped`]), so no subscriber can
//! hold up a writer. [`EventBus::subscribe_channel`] gives a bounded channel sink.
//!
//! Only writes made through this session layer (in this process, or in the instance that
//! hosts it) raise events; another process writing the same file directly is not seen.

use serde::Serialize;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex, RwLock, Weak};
use std::time::Duration;

/// What happened, named after the Outlook event it corresponds to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// `Application.NewMailEx`: a new item was saved into a store's Inbox.
    NewMail,
    /// `Items.ItemAdd`: an item appeared in a folder (created, moved or deleted into it).
    ItemAdd,
    /// `Items.ItemChange`: a saved item was saved again.
    ItemChange,
    /// `Items.ItemRemove`: an item left a folder (moved away or deleted).
    ItemRemove,
    /// `Stores.StoreAdd`: a store was mounted.
    StoreAdd,
    /// `Stores.BeforeStoreRemove`: a store is unmounted (raised once the removal is done:
    /// the session cannot be vetoed the way Outlook's `Cancel` argument allows).
    StoreRemove,
    /// `Folders.FolderAdd`: a folder appeared under `folder_entry_id` (created, copied or
    /// moved there); `entry_ids` holds the new folder.
    FolderAdd,
    /// `Folders.FolderChange`: a folder under `folder_entry_id` changed (renamed).
    FolderChange,
    /// `Folders.FolderRemove`: a folder left `folder_entry_id` (moved away or deleted).
    FolderRemove,
    /// `Folder.BeforeItemMove`: an item of `folder_entry_id` is about to move (or be deleted
    /// for good when `target_folder_entry_id` is `None`). In-process handlers
    /// ([`EventBus::on_before_move`]) may cancel; subscribers are told only of moves that go
    /// ahead and cannot cancel.
    BeforeItemMove,
    /// `Folder.BeforeFolderMove`: a folder is about to move or be deleted (as above).
    BeforeFolderMove,
    /// `Application.AdvancedSearchComplete`: a search started by `advanced_search` finished
    /// (or was stopped); the event carries the search's tag.
    AdvancedSearchComplete,
}

impl EventKind {
    /// The snake-case name used on the wire and by `outpost watch`.
    pub fn name(self) -> &'static str {
        match self {
            EventKind::NewMail => "new_mail",
            EventKind::ItemAdd => "item_add",
            EventKind::ItemChange => "item_change",
            EventKind::ItemRemove => "item_remove",
            EventKind::StoreAdd => "store_add",
            EventKind::StoreRemove => "store_remove",
            EventKind::AdvancedSearchComplete => "advanced_search_complete",
            EventKind::FolderAdd => "folder_add",
            EventKind::FolderChange => "folder_change",
            EventKind::FolderRemove => "folder_remove",
            EventKind::BeforeItemMove => "before_item_move",
            EventKind::BeforeFolderMove => "before_folder_move",
        }
    }
}

/// One event. IDs are hex, as `EntryID` / `StoreID` are in the object model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Event {
    pub kind: EventKind,
    /// The profile of the session the write went through.
    pub profile: String,
    /// The store's display name.
    pub store: String,
    pub store_id: String,
    /// The folder the item was added to, changed in or removed from; `None` for store events.
    pub folder_entry_id: Option<String>,
    /// The items concerned (`NewMailEx` passes a list; the other item events one each).
    pub entry_ids: Vec<String>,
    /// `BeforeItemMove` / `BeforeFolderMove`: where the object is going (`None`: deleted for
    /// good), as the event's `MoveTo` argument.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_folder_entry_id: Option<String>,
    /// `AdvancedSearchComplete`: the tag the search was started with; `None` otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
}

/// Which events a subscriber wants.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventFilter {
    /// Only events of sessions logged on to this profile (compared without regard to case).
    pub profile: Option<String>,
    /// Only item events of this folder (entry ID in hex, compared without regard to case);
    /// store events are not about a folder and are left out.
    pub folder_entry_id: Option<String>,
}

impl EventFilter {
    pub fn matches(&self, event: &Event) -> bool {
        let profile_ok =
            self.profile.as_deref().is_none_or(|p| p.eq_ignore_ascii_case(&event.profile));
        let folder_ok = match &self.folder_entry_id {
            None => true,
            Some(wanted) => {
                event.folder_entry_id.as_deref().is_some_and(|f| f.eq_ignore_ascii_case(wanted))
            }
        };
        profile_ok && folder_ok
    }
}

/// What a sink did with an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    Accepted,
    /// No room: the event is dropped for this subscriber and counted.
    Full,
    /// The subscriber is gone: the subscription ends.
    Closed,
}

/// Where a subscriber's events go. Called on the writer's thread: it must not block (enqueue
/// and return).
pub trait EventSink: Send + Sync {
    fn deliver(&self, event: &Event) -> Delivery;
}

struct Subscriber {
    id: u64,
    filter: EventFilter,
    sink: Arc<dyn EventSink>,
    dropped: Arc<AtomicU64>,
}

#[derive(Default)]
struct BusShared {
    subscribers: RwLock<Vec<Subscriber>>,
    next_id: AtomicU64,
    move_handlers: RwLock<Vec<(u64, Arc<dyn MoveHandler>)>>,
}

/// What is about to move (`BeforeItemMove` / `BeforeFolderMove`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MoveRequest {
    /// [`EventKind::BeforeItemMove`] or [`EventKind::BeforeFolderMove`].
    pub kind: EventKind,
    pub profile: String,
    /// The store's display name and ID.
    pub store: String,
    pub store_id: String,
    /// The item or folder about to move.
    pub entry_id: String,
    /// Where it is now (the item's folder, the folder's parent).
    pub folder_entry_id: Option<String>,
    /// Where it is going; `None` when it is deleted for good.
    pub target_folder_entry_id: Option<String>,
}

/// An in-process handler of `BeforeItemMove` / `BeforeFolderMove`, called synchronously on
/// the writer's thread before anything is changed, with no store lock held. Returning
/// `true` cancels the move, as Outlook's `Cancel = True` does.
pub trait MoveHandler: Send + Sync {
    fn before_move(&self, request: &MoveRequest) -> bool;
}

impl<F: Fn(&MoveRequest) -> bool + Send + Sync> MoveHandler for F {
    fn before_move(&self, request: &MoveRequest) -> bool {
        self(request)
    }
}

/// A registered [`MoveHandler`]; dropping it removes the handler.
#[derive(Debug)]
pub struct MoveHandlerRegistration {
    id: u64,
    bus: Weak<BusShared>,
}

impl Drop for MoveHandlerRegistration {
    fn drop(&mut self) {
        if let Some(shared) = self.bus.upgrade() {
            let mut handlers = shared.move_handlers.write().unwrap_or_else(|e| e.into_inner());
            handlers.retain(|(id, _)| *id != self.id);
        }
    }
}

/// The event bus. Cloning gives another handle to the same bus.
#[derive(Clone, Default)]
pub struct EventBus {
    shared: Arc<BusShared>,
}

impl std::fmt::Debug for EventBus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventBus").field("subscribers", &self.subscriber_count()).finish()
    }
}

impl EventBus {
    pub fn new() -> EventBus {
        EventBus::default()
    }

    /// Adds a subscriber; it stays until the returned [`Subscription`] is dropped or its sink
    /// reports [`Delivery::Closed`].
    pub fn subscribe(&self, filter: EventFilter, sink: Arc<dyn EventSink>) -> Subscription {
        let id = self.shared.next_id.fetch_add(1, Ordering::Relaxed) + 1;
        let dropped = Arc::new(AtomicU64::new(0));
        self.write_subscribers().push(Subscriber {
            id,
            filter,
            sink,
            dropped: Arc::clone(&dropped),
        });
        Subscription { id, bus: Arc::downgrade(&self.shared), dropped }
    }

    /// A subscriber whose events wait in a channel of `capacity` events (at least 1); when
    /// the channel is full further events are dropped and counted until it has room again.
    pub fn subscribe_channel(&self, filter: EventFilter, capacity: usize) -> EventReceiver {
        let (sender, receiver) = std::sync::mpsc::sync_channel(capacity.max(1));
        let subscription = self.subscribe(filter, Arc::new(ChannelSink(Mutex::new(sender))));
        EventReceiver { subscription, receiver: Mutex::new(receiver) }
    }

    /// Adds an in-process `BeforeItemMove`/`BeforeFolderMove` handler that may cancel moves;
    /// it stays until the registration is dropped.
    pub fn on_before_move(&self, handler: Arc<dyn MoveHandler>) -> MoveHandlerRegistration {
        let id = self.shared.next_id.fetch_add(1, Ordering::Relaxed) + 1;
        self.shared.move_handlers.write().unwrap_or_else(|e| e.into_inner()).push((id, handler));
        MoveHandlerRegistration { id, bus: Arc::downgrade(&self.shared) }
    }

    /// Whether an in-process move handler is registered.
    pub fn has_move_handlers(&self) -> bool {
        !self.shared.move_handlers.read().unwrap_or_else(|e| e.into_inner()).is_empty()
    }

    /// Asks every move handler about `request`; true when one cancels. The handlers are
    /// called on a snapshot, with no lock of the bus held, so a handler may register others.
    pub fn ask_before_move(&self, request: &MoveRequest) -> bool {
        let handlers: Vec<Arc<dyn MoveHandler>> = self
            .shared
            .move_handlers
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .map(|(_, h)| Arc::clone(h))
            .collect();
        handlers.iter().any(|handler| handler.before_move(request))
    }

    pub fn subscriber_count(&self) -> usize {
        self.read_subscribers().len()
    }

    /// Whether anyone listens: writers skip building events nobody wants.
    pub fn has_subscribers(&self) -> bool {
        self.subscriber_count() > 0
    }

    /// Hands `event` to every subscriber whose filter matches. Never blocks on a subscriber.
    pub fn publish(&self, event: &Event) {
        let mut closed = Vec::new();
        for subscriber in self.read_subscribers().iter() {
            if !subscriber.filter.matches(event) {
                continue;
            }
            match subscriber.sink.deliver(event) {
                Delivery::Accepted => {}
                Delivery::Full => {
                    let before = subscriber.dropped.fetch_add(1, Ordering::Relaxed);
                    if before == 0 {
                        tracing::warn!(
                            subscription = subscriber.id,
                            "a subscriber is not keeping up; its events are being dropped"
                        );
                    }
                }
                Delivery::Closed => closed.push(subscriber.id),
            }
        }
        if !closed.is_empty() {
            self.write_subscribers().retain(|s| !closed.contains(&s.id));
        }
    }

    fn read_subscribers(&self) -> std::sync::RwLockReadGuard<'_, Vec<Subscriber>> {
        self.shared.subscribers.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write_subscribers(&self) -> std::sync::RwLockWriteGuard<'_, Vec<Subscriber>> {
        self.shared.subscribers.write().unwrap_or_else(|e| e.into_inner())
    }
}

/// A live subscription; dropping it unsubscribes.
#[derive(Debug)]
pub struct Subscription {
    id: u64,
    bus: Weak<BusShared>,
    dropped: Arc<AtomicU64>,
}

impl Subscription {
    pub fn id(&self) -> u64 {
        self.id
    }

    /// Events this subscriber missed because its sink was full.
    pub fn dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        if let Some(shared) = self.bus.upgrade() {
            let mut subscribers = shared.subscribers.write().unwrap_or_else(|e| e.into_inner());
            subscribers.retain(|s| s.id != self.id);
        }
    }
}

struct ChannelSink(Mutex<SyncSender<Event>>);

impl EventSink for ChannelSink {
    fn deliver(&self, event: &Event) -> Delivery {
        let sender = self.0.lock().unwrap_or_else(|e| e.into_inner());
        match sender.try_send(event.clone()) {
            Ok(()) => Delivery::Accepted,
            Err(TrySendError::Full(_)) => Delivery::Full,
            Err(TrySendError::Disconnected(_)) => Delivery::Closed,
        }
    }
}

/// A subscription whose events wait in a bounded channel.
#[derive(Debug)]
pub struct EventReceiver {
    subscription: Subscription,
    /// In a mutex so the receiver is `Sync` like every public type (one reader at a time).
    receiver: Mutex<Receiver<Event>>,
}

impl EventReceiver {
    /// The next event, if one is waiting.
    pub fn try_recv(&self) -> Option<Event> {
        self.receiver.lock().unwrap_or_else(|e| e.into_inner()).try_recv().ok()
    }

    /// The next event, waiting at most `timeout`.
    pub fn recv_timeout(&self, timeout: Duration) -> Option<Event> {
        self.receiver.lock().unwrap_or_else(|e| e.into_inner()).recv_timeout(timeout).ok()
    }

    /// Every event waiting now.
    pub fn drain(&self) -> Vec<Event> {
        std::iter::from_fn(|| self.try_recv()).collect()
    }

    pub fn subscription(&self) -> &Subscription {
        &self.subscription
    }

    pub fn dropped(&self) -> u64 {
        self.subscription.dropped()
    }
}

/// Where a store's writes report: the application's bus and the session's profile.
#[derive(Debug, Clone)]
pub(crate) struct EventSource {
    pub(crate) bus: EventBus,
    pub(crate) profile: String,
}
