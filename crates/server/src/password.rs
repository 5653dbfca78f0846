//! Argon2id password hashes as PHC strings (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`).

use crate::config::Argon2Config;
use crate::error::{ServerError, ServerResult};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

/// The longest password accepted, in bytes: argon2 takes any length, but reading and hashing
/// a megabyte for each attempt would be a way to burn the server's time.
pub const MAX_PASSWORD: usize = 1024;

pub fn check_password_input(password: &str) -> ServerResult<()> {
    if password.is_empty() {
        return Err(ServerError::InvalidValue {
            what: "password",
            reason: "it is empty".to_owned(),
        });
    }
    if password.len() > MAX_PASSWORD {
        return Err(ServerError::InvalidValue {
            what: "password",
            reason: format!("it is longer than {MAX_PASSWORD} bytes"),
        });
    }
    Ok(())
}

fn hasher(config: &Argon2Config) -> ServerResult<Argon2<'static>> {
    let params = Params::new(config.memory_kib, config.iterations, config.parallelism, None)
        .map_err(|err| ServerError::PasswordHash(err.to_string()))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// A new hash of `password` with a fresh 16-byte salt from the OS generator.
pub fn hash_password(config: &Argon2Config, password: &str) -> ServerResult<String> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|err| ServerError::Random(err.to_string()))?;
    let salt =
        SaltString::encode_b64(&salt).map_err(|err| ServerError::PasswordHash(err.to_string()))?;
    let hash = hasher(config)?
        .hash_password(password.as_bytes(), &salt)
        .map_err(|err| ServerError::PasswordHash(err.to_string()))?;
    Ok(hash.to_string())
}

/// Whether `password` matches `phc`. The cost comes from the PHC string itself. A stored
/// hash that does not parse is an error, not a mismatch: it means the directory is damaged.
pub fn verify_password(phc: &str, password: &str) -> ServerResult<bool> {
    let parsed = PasswordHash::new(phc)
        .map_err(|err| ServerError::PasswordHash(format!("stored hash: {err}")))?;
    match Argon2::default().verify_password(password.as_bytes(), &parsed) {
        Ok(()) => Ok(true),
        Err(argon2::password_hash::Error::Password) => Ok(false),
        Err(err) => Err(ServerError::PasswordHash(err.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_phc_strings_with_the_configured_cost_and_verify() {
        let config = Argon2Config { memory_kib: 64, iterations: 1, parallelism: 1 };
        let hash = hash_password(&config, "correct horse").unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=64,t=1,p=1$"), "{hash}");
        assert!(verify_password(&hash, "correct horse").unwrap());
        assert!(!verify_password(&hash, "correct horsE").unwrap());
        // A fresh salt each time.
        assert_ne!(hash, hash_password(&config, "correct horse").unwrap());
        assert!(verify_password("not a phc string", "x").is_err());
    }

    #[test]
    fn empty_and_oversized_passwords_are_refused() {
        assert!(check_password_input("").is_err());
        assert!(check_password_input(&"x".repeat(MAX_PASSWORD + 1)).is_err());
        assert!(check_password_input(&"x".repeat(MAX_PASSWORD)).is_ok());
    }
}
