//! Logon with a password, session tokens, and their validation.

use crate::directory::{ServerData, lock};
use crate::error::{ServerError, ServerResult};
use crate::password::{MAX_PASSWORD, hash_password, verify_password};
use crate::ratelimit::Subject;
use crate::token::{SessionRecord, SessionToken};
use crate::user::MAX_USER_NAME;
use rusqlite::OptionalExtension;
use std::fmt;
use std::net::IpAddr;

/// The user a valid session belongs to, as the directory spells the name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserName(String);

impl UserName {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UserName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl ServerData {
    /// Checks `password` for `name` and opens a session. Unknown user, disabled account and
    /// wrong password fail alike (`LogonFailed`), and all three run the argon2 verification.
    /// After too many failures for this name or from `peer` within the configured window,
    /// attempts fail at once with `TooManyAttempts` and the password is not checked.
    pub fn authenticate(
        &self,
        name: &str,
        password: &str,
        peer: IpAddr,
    ) -> ServerResult<SessionToken> {
        let limits = &self.config.rate_limit;
        let window = self.config.window();
        // Keyed by the name as typed (bounded), existing or not, so the limiter reveals nothing.
        let user_key = Subject::User(
            name.chars().take(MAX_USER_NAME + 1).collect::<String>().to_ascii_lowercase(),
        );
        let address_key = Subject::Address(peer);
        let now = self.clock.now();
        {
            let mut failures = lock(&self.failures);
            let blocked = [
                failures.blocked_for(&user_key, limits.max_failures_per_user, window, now),
                failures.blocked_for(&address_key, limits.max_failures_per_address, window, now),
            ];
            if let Some(retry_after) = blocked.into_iter().flatten().max() {
                tracing::warn!(user = name, %peer, "logon refused: too many failed attempts");
                return Err(ServerError::TooManyAttempts { retry_after });
            }
            // Counted as a failure now, under the same lock as the check, and taken back if
            // the password is right: simultaneous attempts cannot all pass the check before
            // any of them is recorded, so the limit holds under concurrency too.
            failures.record_failure(user_key.clone(), limits.max_failures_per_user, window, now);
            failures.record_failure(
                address_key.clone(),
                limits.max_failures_per_address,
                window,
                now,
            );
        }
        let attempted_at = now;

        let row: Option<(String, String, bool, i64)> = lock(&self.conn)
            .query_row(
                "SELECT name, password_hash, disabled, session_generation FROM users WHERE name = ?1",
                [name],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()
            .map_err(|e| self.sql_error(e))?;
        let acceptable_input = !password.is_empty() && password.len() <= MAX_PASSWORD;
        // An oversized password is still hashed (cut to the limit) so it costs what any
        // other attempt costs.
        let candidate = &password.as_bytes()[..password.len().min(MAX_PASSWORD)];
        let candidate = String::from_utf8_lossy(candidate);
        let verified = match &row {
            Some((_, hash, _, _)) => verify_password(hash, &candidate)?,
            None => {
                verify_password(self.dummy_hash()?, &candidate)?;
                false
            }
        };
        let now = self.clock.now();
        match row {
            Some((canonical, _, false, generation)) if verified && acceptable_input => {
                // A success clears the user's count, not the address's: one working account
                // must not reset the budget for guessing the others from that address.
                {
                    let mut failures = lock(&self.failures);
                    failures.clear(&user_key);
                    failures.withdraw(&address_key, attempted_at);
                }
                let expires = now + self.config.token_lifetime();
                let token = lock(&self.tokens).issue(&canonical, generation, expires, now)?;
                tracing::info!(user = canonical, %peer, "logon");
                Ok(token)
            }
            _ => {
                // The failure was recorded before the password was checked.
                tracing::warn!(user = name, %peer, "logon failed");
                Err(ServerError::LogonFailed)
            }
        }
    }

    /// The user of a live session. Fails for a token that is malformed, unknown, logged out,
    /// expired, or older than the user's last password change or disabling.
    pub fn validate(&self, token: &str) -> ServerResult<UserName> {
        let now = self.clock.now();
        let (digest, record) = {
            let tokens = lock(&self.tokens);
            let (digest, record) = tokens.find(token)?;
            (*digest, record.clone())
        };
        if now >= record.expires {
            lock(&self.tokens).remove_digest(&digest);
            return Err(ServerError::TokenExpired);
        }
        // Read the directory each time: another process (`outpost server user passwd`) may
        // have changed the generation.
        let current: Option<(bool, i64)> = lock(&self.conn)
            .query_row(
                "SELECT disabled, session_generation FROM users WHERE name = ?1",
                [&record.user],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(|e| self.sql_error(e))?;
        match current {
            Some((false, generation)) if generation == record.generation => {
                Ok(UserName(record.user))
            }
            _ => {
                lock(&self.tokens).remove_digest(&digest);
                Err(ServerError::SessionEnded)
            }
        }
    }

    /// Ends a session; whether `token` named a live one.
    pub fn logout(&self, token: &str) -> bool {
        lock(&self.tokens).remove(token)
    }

    /// What the server holds of its live sessions (token hashes, never tokens).
    pub fn sessions(&self) -> Vec<SessionRecord> {
        lock(&self.tokens).records()
    }

    fn dummy_hash(&self) -> ServerResult<&str> {
        if let Some(hash) = self.dummy_hash.get() {
            return Ok(hash);
        }
        let mut random = [0u8; 16];
        getrandom::fill(&mut random).map_err(|err| ServerError::Random(err.to_string()))?;
        let hash = hash_password(&self.config.argon2, &crate::token::hex(&random))?;
        Ok(self.dummy_hash.get_or_init(|| hash))
    }
}
