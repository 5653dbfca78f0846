//! The running instance: Outlook runs once per user and every automation client shares it;
//! Outpost does the same with a daemon per user (per `OUTPOST_HOME` when set), reached over a
//! local socket that only the owner can open.
//!
//! - [`daemon::run`] is `outpost instance run`: it holds `instance.lock` for its lifetime, so at
//!   most one daemon serves a runtime directory, and exits after an idle period.
//! - [`client::Client::get_or_start`] connects, or starts the daemon and connects; starters
//!   serialise on `start.lock`, so twenty racing clients end on one daemon.
//!
//! Unix only for now (Unix domain sockets and `flock`); Windows named pipes are planned.

pub mod client;
pub mod daemon;
pub mod error;
pub mod paths;
pub mod remote;

pub use client::{Client, Launcher, wait_for_exit};
pub use daemon::{Connection, DaemonConfig, Handler, NotifyOutcome};
pub use error::ServiceError;
pub use paths::InstancePaths;
pub use remote::{FolderInfo, ItemInfo, OutlookSession, RemoteSession, StoreInfo};
pub use wire::Notification;
