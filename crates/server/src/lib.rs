//! Outpost's multi-user mailbox server, first slice: the user directory (users, argon2
//! password hashes, one embedded mailbox each), password logon with failed-logon rate limits,
//! and session tokens. No network yet: the TLS listener, protocol, remote store and
//! permissions build on this (issue 10). Synchronous; starts no runtime.

mod auth;
pub mod clock;
pub mod config;
mod directory;
mod error;
mod fsutil;
pub mod password;
mod ratelimit;
mod token;
pub mod user;

pub use auth::UserName;
pub use clock::{Clock, ManualClock, SystemClock};
pub use config::{Argon2Config, RateLimitConfig, ServerConfig};
pub use directory::{CONFIG_FILE, DIRECTORY_FILE, MAILBOX_DIR, ServerData};
pub use error::{ServerError, ServerResult};
pub use token::{SessionRecord, SessionToken};
pub use user::User;
