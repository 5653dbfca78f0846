//! Profiles: named sets of message stores, kept in `profiles.toml` (the design's counterpart
//! of the MAPI profile in the Windows registry).
//!
//! Every change is a read-modify-write under an exclusive lock on `profiles.lock`, and the
//! new file replaces the old one by rename, so a crash leaves the previous file intact and two
//! processes editing at once both see their change land.

use crate::SessionError;
use crate::paths::OutpostPaths;
use serde::{Deserialize, Serialize};
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The profile Outlook creates on first run, and so does Outpost.
pub const DEFAULT_PROFILE_NAME: &str = "Outlook";

/// Format version of `profiles.toml`; a newer file is refused rather than rewritten.
pub const PROFILES_FORMAT_VERSION: u32 = 1;

/// What kind of message store a profile entry names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StoreKind {
    /// Outpost's own mailbox: one SQLite file.
    Embedded,
    /// A PST or OST file.
    Pst,
    /// A mailbox on an `outpost serve` server.
    Server,
}

/// One message store in a profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreConfig {
    /// Stable key of this entry within the profile (not the MAPI store entry ID).
    pub key: String,
    pub kind: StoreKind,
    pub display_name: String,
    /// File path for embedded and PST stores.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<PathBuf>,
    /// Server address for server stores.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The PST password (`PidTagPstPassword` is only a CRC check, not encryption, MS-PST
    /// 2.4.8.5.2; Outlook, too, can remember it in the profile).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
}

/// The identity a profile logs on as (`NameSpace.CurrentUser`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserIdentity {
    pub display_name: String,
    pub address: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub name: String,
    pub user: UserIdentity,
    /// Key of the default store; `None` when the profile has no store.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_store: Option<String>,
    #[serde(default, rename = "store")]
    pub stores: Vec<StoreConfig>,
}

impl Profile {
    pub fn store(&self, key: &str) -> Option<&StoreConfig> {
        self.stores.iter().find(|s| s.key == key)
    }

    pub fn default_store(&self) -> Option<&StoreConfig> {
        self.default_store.as_deref().and_then(|key| self.store(key))
    }
}

/// The whole `profiles.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileSet {
    pub version: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_profile: Option<String>,
    #[serde(default, rename = "profile")]
    pub profiles: Vec<Profile>,
}

impl Default for ProfileSet {
    fn default() -> ProfileSet {
        ProfileSet { version: PROFILES_FORMAT_VERSION, default_profile: None, profiles: Vec::new() }
    }
}

impl ProfileSet {
    pub fn get(&self, name: &str) -> Option<&Profile> {
        self.profiles.iter().find(|p| p.name.eq_ignore_ascii_case(name))
    }

    pub fn get_mut(&mut self, name: &str) -> Option<&mut Profile> {
        self.profiles.iter_mut().find(|p| p.name.eq_ignore_ascii_case(name))
    }

    pub fn names(&self) -> Vec<String> {
        self.profiles.iter().map(|p| p.name.clone()).collect()
    }

    /// The profile `name` names, or the default profile for `None`/`""` (as `Logon("")`).
    pub fn resolve(&self, name: Option<&str>) -> Result<&Profile, SessionError> {
        match name.filter(|n| !n.is_empty()) {
            Some(name) => self.get(name).ok_or_else(|| SessionError::ProfileNotFound {
                name: name.to_owned(),
                existing: self.names(),
            }),
            None => {
                let default =
                    self.default_profile.as_deref().ok_or(SessionError::NoDefaultProfile)?;
                self.get(default).ok_or_else(|| SessionError::ProfileNotFound {
                    name: default.to_owned(),
                    existing: self.names(),
                })
            }
        }
    }

    /// Adds a profile; the first profile becomes the default.
    pub fn add(&mut self, profile: Profile) -> Result<(), SessionError> {
        validate_profile_name(&profile.name)?;
        if self.get(&profile.name).is_some() {
            return Err(SessionError::ProfileExists(profile.name));
        }
        if self.default_profile.is_none() {
            self.default_profile = Some(profile.name.clone());
        }
        self.profiles.push(profile);
        Ok(())
    }

    /// Removes a profile (its store files stay on disk). Removing the default clears it.
    pub fn remove(&mut self, name: &str) -> Result<Profile, SessionError> {
        let index =
            self.profiles.iter().position(|p| p.name.eq_ignore_ascii_case(name)).ok_or_else(
                || SessionError::ProfileNotFound { name: name.to_owned(), existing: self.names() },
            )?;
        let removed = self.profiles.remove(index);
        if self.default_profile.as_deref().is_some_and(|d| d.eq_ignore_ascii_case(&removed.name)) {
            self.default_profile = None;
        }
        Ok(removed)
    }

    pub fn set_default(&mut self, name: &str) -> Result<(), SessionError> {
        let canonical = self.get(name).map(|p| p.name.clone()).ok_or_else(|| {
            SessionError::ProfileNotFound { name: name.to_owned(), existing: self.names() }
        })?;
        self.default_profile = Some(canonical);
        Ok(())
    }
}

pub(crate) fn validate_profile_name(name: &str) -> Result<(), SessionError> {
    if name.trim().is_empty() || name.len() > 256 || name.chars().any(char::is_control) {
        return Err(SessionError::InvalidProfileName(name.to_owned()));
    }
    Ok(())
}

/// Reads and changes `profiles.toml` safely.
#[derive(Debug, Clone)]
pub struct ProfileRegistry {
    file: PathBuf,
    lock_file: PathBuf,
}

impl ProfileRegistry {
    pub fn new(paths: &OutpostPaths) -> ProfileRegistry {
        ProfileRegistry {
            file: paths.profiles_file(),
            lock_file: paths.config_dir.join("profiles.lock"),
        }
    }

    pub fn path(&self) -> &Path {
        &self.file
    }

    /// The current profiles; an absent file is an empty set.
    pub fn load(&self) -> Result<ProfileSet, SessionError> {
        let text = match fs::read_to_string(&self.file) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                return Ok(ProfileSet::default());
            }
            Err(source) => return Err(SessionError::Io { path: self.file.clone(), source }),
        };
        let set: ProfileSet = toml::from_str(&text).map_err(|err| {
            SessionError::BadProfileFile { path: self.file.clone(), reason: err.to_string() }
        })?;
        if set.version > PROFILES_FORMAT_VERSION {
            return Err(SessionError::BadProfileFile {
                path: self.file.clone(),
                reason: format!(
                    "format version {} is newer than this Outpost understands ({PROFILES_FORMAT_VERSION}); \
                     upgrade Outpost",
                    set.version
                ),
            });
        }
        Ok(set)
    }

    /// Read-modify-write under the lock. `change` sees the current file; if it returns an
    /// error nothing is written.
    pub fn update<T>(
        &self,
        change: impl FnOnce(&mut ProfileSet) -> Result<T, SessionError>,
    ) -> Result<T, SessionError> {
        let _guard = self.lock()?;
        let mut set = self.load()?;
        let result = change(&mut set)?;
        self.write_atomically(&set)?;
        Ok(result)
    }

    fn lock(&self) -> Result<File, SessionError> {
        let dir = self.lock_file.parent().unwrap_or(Path::new("."));
        fs::create_dir_all(dir)
            .map_err(|source| SessionError::Io { path: dir.to_owned(), source })?;
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&self.lock_file)
            .map_err(|source| SessionError::Io { path: self.lock_file.clone(), source })?;
        // Released when the file is closed (the guard is dropped), also if the process dies.
        file.lock().map_err(|source| SessionError::Io { path: self.lock_file.clone(), source })?;
        Ok(file)
    }

    fn write_atomically(&self, set: &ProfileSet) -> Result<(), SessionError> {
        let text = toml::to_string_pretty(set).map_err(|err| SessionError::BadProfileFile {
            path: self.file.clone(),
            reason: err.to_string(),
        })?;
        let dir = self.file.parent().unwrap_or(Path::new("."));
        let temp = dir.join(format!(".profiles.toml.{}.tmp", std::process::id()));
        let io = |source| SessionError::Io { path: temp.clone(), source };
        {
            let mut out = File::create(&temp).map_err(io)?;
            out.write_all(text.as_bytes()).map_err(io)?;
            out.sync_all().map_err(io)?;
        }
        fs::rename(&temp, &self.file)
            .map_err(|source| SessionError::Io { path: self.file.clone(), source })?;
        // The rename is durable only once the directory entry is on disk.
        #[cfg(unix)]
        if let Ok(dir_handle) = File::open(dir) {
            let _ = dir_handle.sync_all();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(name: &str) -> Profile {
        Profile {
            name: name.to_owned(),
            user: UserIdentity {
                display_name: "Test User".into(),
                address: "test@example.org".into(),
            },
            default_store: None,
            stores: Vec::new(),
        }
    }

    #[test]
    fn first_profile_becomes_default_and_empty_name_resolves_to_it() {
        let mut set = ProfileSet::default();
        set.add(profile("Outlook")).unwrap();
        set.add(profile("Work")).unwrap();
        assert_eq!(set.resolve(None).unwrap().name, "Outlook");
        assert_eq!(set.resolve(Some("")).unwrap().name, "Outlook");
        assert_eq!(set.resolve(Some("work")).unwrap().name, "Work");
    }

    #[test]
    fn unknown_profile_error_lists_existing_profiles() {
        let mut set = ProfileSet::default();
        set.add(profile("Outlook")).unwrap();
        let err = set.resolve(Some("Nope")).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("Nope") && text.contains("Outlook"), "{text}");
        assert_eq!(err.to_mapi().code, mapi::ErrorCode::LogonFailed);
    }

    #[test]
    fn duplicate_and_invalid_names_are_refused() {
        let mut set = ProfileSet::default();
        set.add(profile("Outlook")).unwrap();
        assert!(matches!(set.add(profile("OUTLOOK")), Err(SessionError::ProfileExists(_))));
        assert!(matches!(set.add(profile("  ")), Err(SessionError::InvalidProfileName(_))));
    }

    #[test]
    fn removing_the_default_profile_clears_the_default() {
        let mut set = ProfileSet::default();
        set.add(profile("Outlook")).unwrap();
        set.add(profile("Work")).unwrap();
        set.remove("Outlook").unwrap();
        assert!(matches!(set.resolve(None), Err(SessionError::NoDefaultProfile)));
        set.set_default("work").unwrap();
        assert_eq!(set.default_profile.as_deref(), Some("Work"));
    }
}
