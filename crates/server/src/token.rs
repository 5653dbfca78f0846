//! Session tokens: 256 random bits given to the client as hex; the server keeps only their
//! SHA-256, so a dump of its memory or table hands no one a usable token.

use crate::error::{ServerError, ServerResult};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::fmt;
use std::time::SystemTime;

const TOKEN_BYTES: usize = 32;

/// A token as the client holds it. `Debug` does not show it, so it never reaches a log.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionToken(String);

impl SessionToken {
    /// The 64 hex digits to hand the client.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SessionToken(<redacted>)")
    }
}

/// What the server remembers of one live session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SessionRecord {
    /// SHA-256 of the token's 32 bytes, as hex.
    pub token_sha256: String,
    pub user: String,
    /// The user's session generation when the token was issued.
    pub generation: i64,
    pub expires: SystemTime,
}

/// The live sessions of this server process, keyed by token hash.
#[derive(Debug, Default)]
pub struct TokenTable {
    sessions: HashMap<[u8; 32], SessionRecord>,
}

impl TokenTable {
    /// A new random token for `user`; first forgets sessions that have expired.
    pub fn issue(
        &mut self,
        user: &str,
        generation: i64,
        expires: SystemTime,
        now: SystemTime,
    ) -> ServerResult<SessionToken> {
        self.sessions.retain(|_, record| record.expires > now);
        let mut raw = [0u8; TOKEN_BYTES];
        getrandom::fill(&mut raw).map_err(|err| ServerError::Random(err.to_string()))?;
        let digest: [u8; 32] = Sha256::digest(raw).into();
        self.sessions.insert(
            digest,
            SessionRecord {
                token_sha256: hex(&digest),
                user: user.to_owned(),
                generation,
                expires,
            },
        );
        Ok(SessionToken(hex(&raw)))
    }

    /// The record of `token`, or `UnknownToken` for one that is malformed or not issued.
    /// Looking up by hash compares no secret bytes, so the lookup's timing tells nothing.
    pub fn find(&self, token: &str) -> ServerResult<(&[u8; 32], &SessionRecord)> {
        let digest = digest_of(token).ok_or(ServerError::UnknownToken)?;
        self.sessions.get_key_value(&digest).ok_or(ServerError::UnknownToken)
    }

    pub fn remove(&mut self, token: &str) -> bool {
        digest_of(token).is_some_and(|digest| self.sessions.remove(&digest).is_some())
    }

    pub fn remove_digest(&mut self, digest: &[u8; 32]) {
        self.sessions.remove(digest);
    }

    pub fn records(&self) -> Vec<SessionRecord> {
        self.sessions.values().cloned().collect()
    }
}

fn digest_of(token: &str) -> Option<[u8; 32]> {
    let raw = unhex(token)?;
    Some(Sha256::digest(raw).into())
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut text = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        text.push(char::from(DIGITS[usize::from(byte >> 4)]));
        text.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    text
}

fn unhex(text: &str) -> Option<[u8; TOKEN_BYTES]> {
    let digits = text.as_bytes();
    if digits.len() != TOKEN_BYTES * 2 {
        return None;
    }
    let mut raw = [0u8; TOKEN_BYTES];
    for (out, pair) in raw.iter_mut().zip(digits.chunks_exact(2)) {
        let high = char::from(pair[0]).to_digit(16)?;
        let low = char::from(pair[1]).to_digit(16)?;
        *out = u8::try_from(high * 16 + low).ok()?;
    }
    Some(raw)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn tokens_are_64_hex_digits_distinct_and_stored_only_as_their_hash() {
        let mut table = TokenTable::default();
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1000);
        let later = now + Duration::from_secs(60);
        let a = table.issue("alice", 0, later, now).unwrap();
        let b = table.issue("alice", 0, later, now).unwrap();
        assert_ne!(a, b);
        assert_eq!(a.as_str().len(), 64);
        assert!(a.as_str().bytes().all(|c| c.is_ascii_hexdigit()));
        let (_, record) = table.find(a.as_str()).unwrap();
        let raw = unhex(a.as_str()).unwrap();
        assert_eq!(record.token_sha256, hex(&Sha256::digest(raw)));
        assert!(!format!("{:?}", table).contains(a.as_str()));
        assert!(!format!("{a:?}").contains(a.as_str()));
        assert!(table.find(&a.as_str().to_uppercase()).is_ok(), "hex is case-insensitive");
        for bad in ["", "zz", &"g".repeat(64), &a.as_str()[..62]] {
            assert!(matches!(table.find(bad), Err(ServerError::UnknownToken)), "{bad}");
        }
        assert!(table.remove(a.as_str()));
        assert!(!table.remove(a.as_str()));
    }
}
