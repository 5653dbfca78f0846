//! `Application`: the entry object, and the profile management around it.

use crate::error::{SessionError, SessionResult};
use crate::events::EventBus;
use crate::namespace::NameSpace;
use crate::paths::OutpostPaths;
use crate::profile::{
    DEFAULT_PROFILE_NAME, Profile, ProfileRegistry, ProfileSet, StoreConfig, StoreKind,
    UserIdentity,
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
    /// profile becomes the default.
    pub fn create_profile(&self, name: &str) -> SessionResult<Profile> {
        self.inner.registry.update(|set| {
            if set.get(name).is_some() {
                return Err(SessionError::ProfileExists(name.to_owned()));
            }
            let profile = new_profile_with_mailbox(&self.inner.paths, name)?;
            set.add(profile.clone())?;
            Ok(profile)
        })
    }

    /// Deletes a profile. Its store files stay on disk (as when Outlook removes a profile).
    pub fn delete_profile(&self, name: &str) -> SessionResult<Profile> {
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

/// A file name for a profile's mailbox: letters, digits, `-`, `_`, `.` kept, the rest `_`.
fn mailbox_file_name(profile: &str) -> String {
    let stem: String = profile
        .chars()
        .map(|c| if c.is_alphanumeric() || "-_.".contains(c) { c } else { '_' })
        .collect();
    format!("{}.mailbox", stem.trim_start_matches('.'))
}

/// A profile `name` with one embedded mailbox (created unless a mailbox file of that name is
/// already there, which is then reused: deleting a profile keeps its files).
pub(crate) fn new_profile_with_mailbox(paths: &OutpostPaths, name: &str) -> SessionResult<Profile> {
    let user = os_user_identity();
    let dir = paths.data_dir.join("mailboxes");
    std::fs::create_dir_all(&dir)
        .map_err(|source| SessionError::Io { path: dir.clone(), source })?;
    let path: PathBuf = dir.join(mailbox_file_name(name));
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
            set.add(new_profile_with_mailbox(paths, DEFAULT_PROFILE_NAME)?)?;
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
