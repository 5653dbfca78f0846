//! The Outlook session: `Application`, `NameSpace`, profiles and their stores, folders, items
//! and filters, over any backend that implements the `mapi::provider` traits.
//!
//! ```no_run
//! use session::{Application, OlDefaultFolders};
//! let app = Application::from_environment()?;
//! let ns = app.get_namespace("MAPI")?;
//! ns.logon(None, None, false, false)?; // the default profile; created on first use
//! let inbox = ns.get_default_folder(OlDefaultFolders::Inbox)?;
//! for item in inbox.items().restrict("[Unread] = True")?.iter()? {
//!     println!("{:?}", item?.subject()?);
//! }
//! # Ok::<(), session::SessionError>(())
//! ```
//!
//! This crate is synchronous; the instance service (`service`) hosts it for many clients.
//! Outlook behaviours and Outpost's deliberate differences are listed in
//! docs/OUTLOOK-COMPAT.md.

pub mod application;
pub mod attachments;
pub mod backend;
pub mod body;
pub mod calendar;
pub mod categories;
pub mod copy;
pub mod error;
pub mod events;
pub mod files;
pub mod filter;
pub mod folder;
pub mod item;
pub mod items;
pub mod items_com;
pub mod members;
pub mod namespace;
pub mod paths;
pub mod profile;
pub mod recipient;
pub mod recipients;
pub mod search;
pub mod store;

pub use application::{Application, VERSION};
pub use attachments::{
    AddAttachmentOptions, Attachment, AttachmentInfo, AttachmentSource, Attachments,
};
pub use body::OlBodyFormat;
pub use calendar::{
    AppointmentOccurrence, OlRecurrenceType, RecurrenceException, RecurrencePattern, expand_folder,
    parse_instant,
};
pub use categories::Category;
pub use copy::CopyReport;
pub use error::{SessionError, SessionResult};
pub use events::{
    Delivery, Event, EventBus, EventFilter, EventKind, EventReceiver, EventSink, Subscription,
};
pub use folder::Folder;
pub use item::{
    AppointmentItem, ContactItem, DeleteOutcome, DistListItem, Item, JournalItem, MailItem,
    MeetingItem, NoteItem, PostItem, PropertyPath, ReportItem, TaskItem, TypedItem,
};
pub use items::{Items, ItemsIter, RowIter};
pub use mapi::{
    OlAttachmentType, OlDefaultFolders, OlExchangeStoreType, OlItemType, OlMailRecipientType,
    OlObjectClass, OlStoreType,
};
pub use namespace::{AddStoreOptions, NameSpace, UnavailableStore};
pub use paths::OutpostPaths;
pub use profile::{Profile, ProfileRegistry, ProfileSet, StoreConfig, StoreKind, UserIdentity};
pub use recipient::{Account, Recipient};
pub use recipients::Recipients;
pub use search::{Results, Search, SearchRow};
pub use store::Store;
