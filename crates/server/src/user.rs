//! Users as the directory holds them, and the rules for names and addresses.

use crate::error::{ServerError, ServerResult};
use serde::Serialize;
use std::path::PathBuf;

/// The longest user name: short enough for a file name and an address's local part.
pub const MAX_USER_NAME: usize = 64;
/// The longest display name, in characters.
pub const MAX_DISPLAY_NAME: usize = 256;
/// RFC 5321 4.5.3.1.3: a path is at most 256 octets, so an address at most 254.
pub const MAX_ADDRESS: usize = 254;

/// One user of the server, without the password hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    /// The name as it was given at `add` (lookups ignore ASCII case).
    pub name: String,
    pub display_name: String,
    /// The SMTP address.
    pub address: String,
    pub disabled: bool,
    /// RFC 3339, UTC.
    pub created: String,
    /// The user's embedded mailbox file.
    pub mailbox: PathBuf,
}

/// A user name: 1-64 ASCII letters, digits, `.`, `-`, `_`, starting with a letter or digit
/// (so it is never `.`/`..` or a hidden file name when it names the mailbox file).
pub fn validate_user_name(name: &str) -> ServerResult<()> {
    let valid = !name.is_empty()
        && name.len() <= MAX_USER_NAME
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    if valid { Ok(()) } else { Err(ServerError::InvalidUserName { name: name.to_owned() }) }
}

pub fn validate_display_name(display_name: &str) -> ServerResult<()> {
    let reason = if display_name.trim().is_empty() {
        "it is empty"
    } else if display_name.chars().count() > MAX_DISPLAY_NAME {
        "it is longer than 256 characters"
    } else if display_name.chars().any(char::is_control) {
        "it contains control characters"
    } else {
        return Ok(());
    };
    Err(ServerError::InvalidValue {
        what: "display name",
        reason: format!("{display_name:?}: {reason}"),
    })
}

/// A plain `local@domain` address: one `@`, no spaces or control characters, at most 254
/// octets. Not the whole RFC 5321 grammar: enough that it names a mailbox and nothing else.
pub fn validate_address(address: &str) -> ServerResult<()> {
    let invalid = |reason: &str| ServerError::InvalidValue {
        what: "address",
        reason: format!("{address:?}: {reason}; expected local@domain"),
    };
    if address.len() > MAX_ADDRESS {
        return Err(invalid("longer than 254 characters"));
    }
    if address
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ',' | ';' | '"'))
    {
        return Err(invalid("it contains spaces, control characters or <>,;\""));
    }
    let Some((local, domain)) = address.split_once('@') else {
        return Err(invalid("no '@'"));
    };
    if local.is_empty() || local.len() > 64 {
        return Err(invalid("the part before '@' must be 1-64 characters"));
    }
    validate_domain(domain).map_err(|reason| invalid(&reason))
}

/// A domain of dot-separated labels of letters, digits and `-` (or `localhost`).
pub fn validate_domain(domain: &str) -> Result<(), String> {
    let label_ok = |label: &str| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    if domain.is_empty() || domain.len() > 253 || !domain.split('.').all(label_ok) {
        return Err(format!("{domain:?} is not a domain name"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_names_follow_the_rule() {
        for good in ["a", "alice", "Bob.Smith", "x_1-2", "9lives", &"a".repeat(64)] {
            assert!(validate_user_name(good).is_ok(), "{good}");
        }
        for bad in ["", ".", "..", ".hidden", "-x", "_x", "a b", "a/b", "é", "a@b", &"a".repeat(65)]
        {
            assert!(
                matches!(validate_user_name(bad), Err(ServerError::InvalidUserName { .. })),
                "{bad}"
            );
        }
    }

    #[test]
    fn addresses_and_display_names_are_checked() {
        assert!(validate_address("alice@example.org").is_ok());
        assert!(validate_address("alice@localhost").is_ok());
        for bad in ["alice", "@x.org", "a@", "a b@x.org", "a@x..org", "a@-x.org", "<a@x.org>"] {
            assert!(validate_address(bad).is_err(), "{bad}");
        }
        assert!(validate_display_name("Alice Liddell").is_ok());
        for bad in ["", "  ", "a\nb"] {
            assert!(validate_display_name(bad).is_err(), "{bad:?}");
        }
    }
}
