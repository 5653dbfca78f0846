//! `Application`: the entry object, and the profile management around it.

use crate::error::{SessionError, SessionResult};
use crate::events::EventBus;
use crate::namespace::NameSpace;
use crate::paths::OutpostPaths;
use crate::profile::{
    DEFAULT_PROFILE_NAME, Profile, ProfileRegistry, ProfileSet, StoreConfig, StoreKind,
    UserIdentity, validate_profile_name,
};
use mapi::{ErrorCode, MapiError};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, Weak};

/// `Application.Version`: major 16 is the Outlook object model level Outpost follows
/// (Outlook 2016 and later); `outpost --version` gives Outpost's own version.
pub const VERSION: &str = "16.0.0.0";

/// The one namespace type Outlook accepts (`GetNamespace("MAPI")`).
pub const NAMESPACE_TYPE: &str = "MAPI";

/// The entry object (`Outlook.Application`). Cloning gives another handle to the same
/// application.
#[derive(Debug, Clone)]
pub struct Application {
    inner: Arc<AppInner>,
}

#[derive(Debug)]
struct AppInner {
    paths: OutpostPaths,
    registry: ProfileRegistry,
    session: NameSpace,
    /// Shared by every namespace of the application (see [`crate::events`]).
    events: EventBus,
    /// Every namespace made by `new_session`, so `quit` can log them off.
    others: Mutex<Vec<Weak<crate::namespace::NameSpaceState>>>,
}

impl Application {
    /// An application whose profiles, mailboxes and runtime files live at `paths`.
    pub fn new(paths: OutpostPaths) -> Application {
        let registry = ProfileRegistry::new(&paths);
        let events = EventBus::new();
        let session = NameSpace::new(paths.clone(), events.clone());
        Application {
            inner: Arc::new(AppInner {
                paths,
                registry,
                session,
                events,
                others: Mutex::new(Vec::new()),
            }),
        }
    }

    /// An application at the standard places (`OUTPOST_HOME`, else the platform's).
    pub fn from_environment() -> SessionResult<Application> {
        Ok(Application::new(OutpostPaths::from_environment()?))
    }

    pub fn paths(&self) -> &OutpostPaths {
        &self.inner.paths
    }

    /// `Application.Session`: the application's namespace (not logged on until `logon`, or
    /// until first use logs on to the default profile).
    pub fn session(&self) -> NameSpace {
        self.inner.session.clone()
    }

    /// `Application.GetNamespace(Type)`: `"MAPI"` (any case) is the only type; anything else
    /// is `MAPI_E_INVALID_PARAMETER`.
    pub fn get_namespace(&self, namespace_type: &str) -> SessionResult<NameSpace> {
        if namespace_type.trim().eq_ignore_ascii_case(NAMESPACE_TYPE) {
            Ok(self.session())
        } else {
            Err(SessionError::Mapi(MapiError::invalid_parameter(format!(
                "GetNamespace({namespace_type:?}): the only namespace type is \"{NAMESPACE_TYPE}\""
            ))))
        }
    }

    /// A further, independent namespace (Outpost addition: Outlook has one session per
    /// process; here several can be logged on to different profiles side by side).
    pub fn new_session(&self) -> NameSpace {
        let session = NameSpace::new(self.inner.paths.clone(), self.inner.events.clone());
        let mut others = self.inner.others.lock().unwrap_or_else(|e| e.into_inner());
        others.retain(|w| w.strong_count() > 0);
        others.push(session.downgrade());
        session
    }

    /// The bus every namespace of this application raises its events on.
    pub fn events(&self) -> &EventBus {
        &self.inner.events
    }

    /// `Application.Version`.
    pub fn version(&self) -> &'static str {
        VERSION
    }

    /// `Application.Quit`: logs off every session of this application. Unsaved item changes
    /// are dropped with their handles, as in Outlook.
    pub fn quit(&self) {
        self.inner.session.logoff();
        let others = self.inner.others.lock().unwrap_or_else(|e| e.into_inner());
        for state in others.iter().filter_map(Weak::upgrade) {
            NameSpace::from_state(self.inner.paths.clone(), state).logoff();
        }
    }

    /// `Application.DefaultProfileName`: "" when there is no default profile.
    pub fn default_profile_name(&self) -> SessionResult<String> {
        let set = self.inner.registry.load()?;
        Ok(set
            .default_profile
            .as_deref()
            .and_then(|name| set.get(name).map(|p| p.name.clone()))
            .unwrap_or_default())
    }

    /// Every profile.
    pub fn profiles(&self) -> SessionResult<ProfileSet> {
        self.inner.registry.load()
    }

    /// Creates a profile with one new embedded mailbox for the current OS user. The first
    /// profile becomes the default. The name is checked before anything is written.
    pub fn create_profile(&self, name: &str) -> SessionResult<Profile> {
        validate_profile_name(name)?;
        self.inner.registry.update(|set| {
            if set.get(name).is_some() {
                return Err(SessionError::ProfileExists(name.to_owned()));
            }
            let profile = new_profile_with_mailbox(&self.inner.paths, set, name)?;
            set.add(profile.clone())?;
            Ok(profile)
        })
    }

    /// Deletes a profile. Its store files stay on disk (as when Outlook removes a profile).
    /// The default profile is refused ([`SessionError::DefaultProfileDelete`]): every call
    /// without a profile name uses it, so deleting it by mistake breaks them all. Use
    /// [`Application::force_delete_profile`] to delete it anyway.
    pub fn delete_profile(&self, name: &str) -> SessionResult<Profile> {
        self.inner.registry.update(|set| {
            let is_default = set.default_profile.as_deref().is_some_and(|default| {
                set.get(name).is_some_and(|p| p.name.eq_ignore_ascii_case(default))
            });
            if is_default {
                let canonical = set.get(name).map(|p| p.name.clone()).unwrap_or_default();
                let others: Vec<String> = set
                    .names()
                    .into_iter()
                    .filter(|n| !n.eq_ignore_ascii_case(&canonical))
                    .collect();
                return Err(SessionError::DefaultProfileDelete { name: canonical, others });
            }
            set.remove(name)
        })
    }

    /// Deletes a profile even when it is the default one (there is then no default profile,
    /// or, once no profile is left, the next logon creates `Outlook` again).
    pub fn force_delete_profile(&self, name: &str) -> SessionResult<Profile> {
        self.inner.registry.update(|set| set.remove(name))
    }

    pub fn set_default_profile(&self, name: &str) -> SessionResult<()> {
        self.inner.registry.update(|set| set.set_default(name))
    }
}

/// The current OS user's name: `USER`, else `USERNAME`, else "user".
pub fn os_user_name() -> String {
    ["USER", "USERNAME"]
        .iter()
        .filter_map(|var| std::env::var(var).ok())
        .map(|v| v.trim().to_owned())
        .find(|v| !v.is_empty())
        .unwrap_or_else(|| "user".to_owned())
}

/// The identity a new profile logs on as: the OS user at `localhost`.
pub fn os_user_identity() -> UserIdentity {
    let user = os_user_name();
    let local: String = user
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || "._-".contains(c) { c } else { '_' })
        .collect();
    UserIdentity { display_name: user, address: format!("{local}@localhost") }
}

/// Longest mailbox file stem kept as is; longer encodings end in a hash of the name instead
/// (file names are limited to 255 bytes).
const MAX_MAILBOX_STEM: usize = 160;

/// A file name for a profile's mailbox, one per name: ASCII letters, digits, `-`, `_` and `.`
/// stay (except a leading `.`, so the file is never hidden); every other byte of the name's
/// UTF-8 is written `%XX`. Distinct names give distinct files (percent-encoding is
/// reversible), so `a/b` and `a_b` no longer share a mailbox. A stem longer than
/// [`MAX_MAILBOX_STEM`] is cut and ends in a 64-bit FNV-1a hash of the whole name.
fn mailbox_file_name(profile: &str) -> String {
    let mut stem = String::with_capacity(profile.len());
    for (i, byte) in profile.bytes().enumerate() {
        let kept = byte.is_ascii_alphanumeric() || b"-_".contains(&byte) || (byte == b'.' && i > 0);
        if kept {
            stem.push(char::from(byte));
        } else {
            stem.push_str(&format!("%{byte:02X}"));
        }
    }
    if stem.len() > MAX_MAILBOX_STEM {
        let hash = profile.bytes().fold(0xcbf2_9ce4_8422_2325u64, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
        });
        // Cut on a character boundary (the stem is ASCII) and never inside a `%XX`.
        let mut cut = MAX_MAILBOX_STEM;
        while stem[..cut].ends_with('%') || stem[..cut.saturating_sub(1)].ends_with('%') {
            cut -= 1;
        }
        stem = format!("{}~{hash:016x}", &stem[..cut]);
    }
    format!("{stem}.mailbox")
}

/// A profile `name` with one embedded mailbox (created unless a mailbox file of that name is
/// already there, which is then reused: deleting a profile keeps its files). A file that a
/// profile in `set` already uses is never reused: older versions mapped several names to one
/// file, and two profiles must not share a mailbox.
pub(crate) fn new_profile_with_mailbox(
    paths: &OutpostPaths,
    set: &ProfileSet,
    name: &str,
) -> SessionResult<Profile> {
    validate_profile_name(name)?;
    let user = os_user_identity();
    let dir = paths.data_dir.join("mailboxes");
    std::fs::create_dir_all(&dir)
        .map_err(|source| SessionError::Io { path: dir.clone(), source })?;
    let in_use = |path: &std::path::Path| {
        set.profiles
            .iter()
            .flat_map(|p| &p.stores)
            .filter_map(|s| s.path.as_deref())
            .any(|used| crate::store::same_path(used, path))
    };
    let file_name = mailbox_file_name(name);
    let mut path: PathBuf = dir.join(&file_name);
    let mut n = 2;
    while in_use(&path) {
        // `~` is never produced by the encoding, so these cannot be another name's file.
        let stem = file_name.trim_end_matches(".mailbox");
        path = dir.join(format!("{stem}~{n}.mailbox"));
        n += 1;
    }
    let display_name = format!("Mailbox - {}", user.display_name);
    if !path.exists() {
        let options = store::CreateOptions {
            display_name: Some(display_name.clone()),
            owner_address: Some(user.address.clone()),
            owner_name: Some(user.display_name.clone()),
        };
        store::Mailbox::create(&path, &options).map_err(|err| {
            let err = MapiError::from(err);
            MapiError::new(
                err.code,
                format!("cannot create the mailbox of profile {name:?}: {}", err.message),
            )
        })?;
    }
    Ok(Profile {
        name: name.to_owned(),
        user,
        default_store: Some("mailbox".to_owned()),
        stores: vec![StoreConfig {
            key: "mailbox".to_owned(),
            kind: StoreKind::Embedded,
            display_name,
            path: Some(path),
            url: None,
            password: None,
        }],
    })
}

/// Loads the profile a logon asks for, creating profile `Outlook` on first use.
pub(crate) fn profile_for_logon(
    paths: &OutpostPaths,
    registry: &ProfileRegistry,
    name: Option<&str>,
) -> SessionResult<Profile> {
    let wanted = name.map(str::trim).filter(|n| !n.is_empty());
    let set = registry.load()?;
    let first_use = set.profiles.is_empty()
        && wanted.is_none_or(|n| n.eq_ignore_ascii_case(DEFAULT_PROFILE_NAME));
    if !first_use {
        return Ok(set.resolve(wanted)?.clone());
    }
    registry.update(|set| {
        // Another process may have made it meanwhile: the check is repeated under the lock.
        if set.profiles.is_empty() {
            let profile = new_profile_with_mailbox(paths, set, DEFAULT_PROFILE_NAME)?;
            set.add(profile)?;
        }
        Ok(set.resolve(wanted)?.clone())
    })
}

/// `MAPI_E_NOT_INITIALIZED`-style error for calls that need a session.
pub(crate) fn not_logged_on() -> SessionError {
    SessionError::Mapi(MapiError::new(
        ErrorCode::NotInitialized,
        "the namespace is not logged on; call logon first",
    ))
}
