//! `server.toml`: the server's settings. Costs and limits live here so tests can lower them.

use crate::error::{ServerError, ServerResult};
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::time::Duration;

/// The settings of one server data directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServerConfig {
    /// The domain of users' default SMTP addresses (`NAME@mail_domain`).
    pub mail_domain: String,
    pub argon2: Argon2Config,
    /// How long a session token stays valid after logon, in seconds.
    pub token_lifetime_secs: u64,
    pub rate_limit: RateLimitConfig,
}

/// Argon2id cost of new password hashes. Existing hashes keep the cost they were made with
/// (it is part of the PHC string), so raising these affects passwords set from then on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Argon2Config {
    /// Memory in KiB.
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

/// Failed-logon limits: after `max_failures_per_user` failures for one user name, or
/// `max_failures_per_address` from one address, within `window_secs`, further attempts are
/// refused without checking the password until the oldest failure leaves the window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RateLimitConfig {
    pub window_secs: u64,
    pub max_failures_per_user: u32,
    pub max_failures_per_address: u32,
}

impl Default for ServerConfig {
    fn default() -> ServerConfig {
        ServerConfig {
            mail_domain: "localhost".to_owned(),
            argon2: Argon2Config::default(),
            token_lifetime_secs: 12 * 60 * 60,
            rate_limit: RateLimitConfig::default(),
        }
    }
}

impl Default for Argon2Config {
    /// OWASP's password storage cheat sheet: argon2id, m = 19 MiB, t = 2, p = 1.
    fn default() -> Argon2Config {
        Argon2Config { memory_kib: 19 * 1024, iterations: 2, parallelism: 1 }
    }
}

impl Default for RateLimitConfig {
    fn default() -> RateLimitConfig {
        RateLimitConfig {
            window_secs: 15 * 60,
            max_failures_per_user: 5,
            max_failures_per_address: 20,
        }
    }
}

impl ServerConfig {
    /// Cheap settings for tests: argon2 m = 64 KiB, t = 1.
    pub fn for_tests() -> ServerConfig {
        ServerConfig {
            argon2: Argon2Config { memory_kib: 64, iterations: 1, parallelism: 1 },
            ..ServerConfig::default()
        }
    }

    pub fn token_lifetime(&self) -> Duration {
        Duration::from_secs(self.token_lifetime_secs)
    }

    pub fn window(&self) -> Duration {
        Duration::from_secs(self.rate_limit.window_secs)
    }

    /// Reads `path`; the caller decides what an absent file means.
    pub fn load(path: &Path) -> ServerResult<ServerConfig> {
        let text = std::fs::read_to_string(path)
            .map_err(|source| ServerError::Io { path: path.to_owned(), source })?;
        let config: ServerConfig = toml::from_str(&text).map_err(|err| ServerError::BadConfig {
            path: path.to_owned(),
            reason: err.to_string(),
        })?;
        config
            .validate()
            .map_err(|reason| ServerError::BadConfig { path: path.to_owned(), reason })?;
        Ok(config)
    }

    /// Writes the file whole (temp + rename), so a reader never sees half of it.
    pub fn save(&self, path: &Path) -> ServerResult<()> {
        self.validate()
            .map_err(|reason| ServerError::BadConfig { path: path.to_owned(), reason })?;
        let text = toml::to_string_pretty(self).map_err(|err| ServerError::BadConfig {
            path: path.to_owned(),
            reason: err.to_string(),
        })?;
        crate::fsutil::write_atomically(path, text.as_bytes())
    }

    /// The bounds argon2 and the limiter need, checked before anything runs on them.
    pub fn validate(&self) -> Result<(), String> {
        let a = &self.argon2;
        if !(1..=16).contains(&a.parallelism) {
            return Err(format!("argon2.parallelism {} is not in 1..=16", a.parallelism));
        }
        // RFC 9106 3.1: memory of at least 8 KiB per lane; the upper bound keeps a typo from
        // making every logon allocate gigabytes.
        if a.memory_kib < 8 * a.parallelism || a.memory_kib > 4 * 1024 * 1024 {
            return Err(format!(
                "argon2.memory_kib {} is not in {}..=4194304",
                a.memory_kib,
                8 * a.parallelism
            ));
        }
        if !(1..=100).contains(&a.iterations) {
            return Err(format!("argon2.iterations {} is not in 1..=100", a.iterations));
        }
        if self.token_lifetime_secs == 0 {
            return Err("token_lifetime_secs must be at least 1".to_owned());
        }
        let r = &self.rate_limit;
        if r.window_secs == 0 || r.max_failures_per_user == 0 || r.max_failures_per_address == 0 {
            return Err("rate_limit values must be at least 1".to_owned());
        }
        crate::user::validate_domain(&self.mail_domain)
            .map_err(|reason| format!("mail_domain {:?}: {reason}", self.mail_domain))
    }
}
