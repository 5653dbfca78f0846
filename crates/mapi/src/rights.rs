//! Folder permissions (MS-OXCPERM): the rights bits of `PidTagMemberRights` (0x6673, PtypInteger32,
//! MS-OXCPERM 2.2.7), the roles Outlook offers as presets, and the reserved permission-table
//! members (MS-OXCPERM 2.2.4, 2.2.5).
//!
//! `PidTagRights` (the caller's own effective rights, MS-OXCFOLD 2.2.2.2.2.8) has the same format,
//! except that the two free/busy bits do not apply to it.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::ops::{BitAnd, BitOr, BitOrAssign};
use std::str::FromStr;

/// Why a value is not a valid set of member rights.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RightsError {
    #[error(
        "member rights 0x{value:08X} set undefined bit(s) 0x{undefined:08X}; \
         only 0x{:08X} are defined (MS-OXCPERM 2.2.7)",
        MemberRights::DEFINED
    )]
    UndefinedBits { value: u32, undefined: u32 },
    #[error(
        "member rights 0x{0:08X} set EditAny without EditOwned (MS-OXCPERM 2.2.7 requires both)"
    )]
    EditAnyWithoutEditOwned(u32),
    #[error("{0:?} is not a right, a role or a number; rights are {names}", names = MemberRights::NAMES.map(|(n, _)| n).join(", "))]
    UnknownName(String),
}

/// A set of rights from `PidTagMemberRights`. Holds only the bits MS-OXCPERM 2.2.7 defines
/// ("the client and server MUST NOT set any other flags"); 0x4 is not one of them.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct MemberRights(u32);

impl MemberRights {
    /// Read any item.
    pub const READ_ANY: MemberRights = MemberRights(0x0000_0001);
    /// Create items.
    pub const CREATE: MemberRights = MemberRights(0x0000_0002);
    /// Edit items the member created.
    pub const EDIT_OWNED: MemberRights = MemberRights(0x0000_0008);
    /// Delete items the member created.
    pub const DELETE_OWNED: MemberRights = MemberRights(0x0000_0010);
    /// Edit any item (EditOwned must be set with it).
    pub const EDIT_ANY: MemberRights = MemberRights(0x0000_0020);
    /// Delete any item.
    pub const DELETE_ANY: MemberRights = MemberRights(0x0000_0040);
    /// Create subfolders.
    pub const CREATE_SUBFOLDER: MemberRights = MemberRights(0x0000_0080);
    /// Owner of the folder.
    pub const FOLDER_OWNER: MemberRights = MemberRights(0x0000_0100);
    /// Listed as the folder's contact.
    pub const FOLDER_CONTACT: MemberRights = MemberRights(0x0000_0200);
    /// May see that the folder exists.
    pub const FOLDER_VISIBLE: MemberRights = MemberRights(0x0000_0400);
    /// Calendar: may see free/busy times.
    pub const FREE_BUSY_SIMPLE: MemberRights = MemberRights(0x0000_0800);
    /// Calendar: may see free/busy times with subject and location.
    pub const FREE_BUSY_DETAILED: MemberRights = MemberRights(0x0000_1000);

    /// Every defined bit.
    pub const DEFINED: u32 = 0x0000_1FFB;
    /// No rights at all.
    pub const EMPTY: MemberRights = MemberRights(0);

    /// The spec's flag names with their bits, lowest bit first.
    pub const NAMES: [(&'static str, MemberRights); 12] = [
        ("ReadAny", Self::READ_ANY),
        ("Create", Self::CREATE),
        ("EditOwned", Self::EDIT_OWNED),
        ("DeleteOwned", Self::DELETE_OWNED),
        ("EditAny", Self::EDIT_ANY),
        ("DeleteAny", Self::DELETE_ANY),
        ("CreateSubFolder", Self::CREATE_SUBFOLDER),
        ("FolderOwner", Self::FOLDER_OWNER),
        ("FolderContact", Self::FOLDER_CONTACT),
        ("FolderVisible", Self::FOLDER_VISIBLE),
        ("FreeBusySimple", Self::FREE_BUSY_SIMPLE),
        ("FreeBusyDetailed", Self::FREE_BUSY_DETAILED),
    ];

    /// The rights in a `PidTagMemberRights` value; undefined bits are an error.
    pub const fn new(bits: u32) -> Result<MemberRights, RightsError> {
        let undefined = bits & !Self::DEFINED;
        if undefined != 0 {
            return Err(RightsError::UndefinedBits { value: bits, undefined });
        }
        Ok(MemberRights(bits))
    }

    /// As [`MemberRights::new`], and also enforce the rule a client must follow when writing an
    /// ACL row: EditAny implies EditOwned.
    pub fn for_write(bits: u32) -> Result<MemberRights, RightsError> {
        match MemberRights::new(bits) {
            Ok(rights) if rights.contains(Self::EDIT_ANY) && !rights.contains(Self::EDIT_OWNED) => {
                Err(RightsError::EditAnyWithoutEditOwned(bits))
            }
            other => other,
        }
    }

    pub const fn bits(self) -> u32 {
        self.0
    }

    pub const fn contains(self, other: MemberRights) -> bool {
        self.0 & other.0 == other.0
    }

    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub const fn union(self, other: MemberRights) -> MemberRights {
        MemberRights(self.0 | other.0)
    }

    pub const fn without(self, other: MemberRights) -> MemberRights {
        MemberRights(self.0 & !other.0)
    }

    /// The two calendar free/busy bits.
    pub const FREE_BUSY: MemberRights = MemberRights(0x0000_1800);

    /// The names of the rights set, lowest bit first.
    pub fn names(self) -> impl Iterator<Item = &'static str> {
        Self::NAMES.into_iter().filter(move |(_, bit)| self.contains(*bit)).map(|(name, _)| name)
    }

    /// The preset role these rights amount to, ignoring the free/busy bits (calendar ACLs add
    /// them to a role: Author + both free/busy bits is still Author). `None` means custom.
    pub fn role(self) -> Option<Role> {
        let folder_rights = self.without(Self::FREE_BUSY);
        Role::ALL.iter().copied().find(|role| role.rights() == folder_rights)
    }
}

impl TryFrom<u32> for MemberRights {
    type Error = RightsError;
    fn try_from(bits: u32) -> Result<MemberRights, RightsError> {
        MemberRights::new(bits)
    }
}

impl From<MemberRights> for u32 {
    fn from(rights: MemberRights) -> u32 {
        rights.0
    }
}

impl BitOr for MemberRights {
    type Output = MemberRights;
    fn bitor(self, other: MemberRights) -> MemberRights {
        self.union(other)
    }
}

impl BitOrAssign for MemberRights {
    fn bitor_assign(&mut self, other: MemberRights) {
        *self = self.union(other);
    }
}

impl BitAnd for MemberRights {
    type Output = MemberRights;
    fn bitand(self, other: MemberRights) -> MemberRights {
        MemberRights(self.0 & other.0)
    }
}

impl fmt::Debug for MemberRights {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MemberRights(0x{:08X}: {})", self.0, self)
    }
}

impl fmt::Display for MemberRights {
    /// Flag names joined by `|`; `0` for the empty set (the word "None" is the role).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return f.write_str("0");
        }
        f.write_str(&self.names().collect::<Vec<_>>().join("|"))
    }
}

impl FromStr for MemberRights {
    type Err = RightsError;
    /// A number (`0x41B`, `1051`), a role (`author`, `PublishingEditor`), or flag names joined by
    /// `|`, `,` or `+` (`ReadAny|FolderVisible`), case-insensitive.
    fn from_str(text: &str) -> Result<MemberRights, RightsError> {
        let text = text.trim();
        let number = match text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
            Some(hex) => u32::from_str_radix(hex, 16).ok(),
            None => text.parse::<u32>().ok(),
        };
        if let Some(bits) = number {
            return MemberRights::new(bits);
        }
        if let Ok(role) = text.parse::<Role>() {
            return Ok(role.rights());
        }
        let mut rights = MemberRights::EMPTY;
        for part in text.split(['|', ',', '+']).map(str::trim) {
            let bit = MemberRights::NAMES
                .iter()
                .find(|(name, _)| name.eq_ignore_ascii_case(part))
                .map(|(_, bit)| *bit)
                .ok_or_else(|| RightsError::UnknownName(part.to_owned()))?;
            rights |= bit;
        }
        Ok(rights)
    }
}

/// The permission levels Outlook offers as presets. Their rights are the values OpenChange and
/// Exchange clients use (session-model §7.1); each is a sum of [`MemberRights`] bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// Folder visible only (0x400).
    None,
    Contributor,
    Reviewer,
    NonEditingAuthor,
    Author,
    Editor,
    PublishingAuthor,
    PublishingEditor,
    Owner,
}

impl Role {
    pub const ALL: [Role; 9] = [
        Role::None,
        Role::Contributor,
        Role::Reviewer,
        Role::NonEditingAuthor,
        Role::Author,
        Role::Editor,
        Role::PublishingAuthor,
        Role::PublishingEditor,
        Role::Owner,
    ];

    pub const fn rights(self) -> MemberRights {
        MemberRights(match self {
            Role::None => 0x400,
            Role::Contributor => 0x402,
            Role::Reviewer => 0x401,
            Role::NonEditingAuthor => 0x413,
            Role::Author => 0x41B,
            Role::Editor => 0x47B,
            Role::PublishingAuthor => 0x49B,
            Role::PublishingEditor => 0x4FB,
            Role::Owner => 0x7FB,
        })
    }

    /// The name Outlook's permission dialog shows.
    pub const fn display_name(self) -> &'static str {
        match self {
            Role::None => "None",
            Role::Contributor => "Contributor",
            Role::Reviewer => "Reviewer",
            Role::NonEditingAuthor => "Nonediting Author",
            Role::Author => "Author",
            Role::Editor => "Editor",
            Role::PublishingAuthor => "Publishing Author",
            Role::PublishingEditor => "Publishing Editor",
            Role::Owner => "Owner",
        }
    }

    /// The CLI name, e.g. `publishing-editor`.
    pub const fn cli_name(self) -> &'static str {
        match self {
            Role::None => "none",
            Role::Contributor => "contributor",
            Role::Reviewer => "reviewer",
            Role::NonEditingAuthor => "non-editing-author",
            Role::Author => "author",
            Role::Editor => "editor",
            Role::PublishingAuthor => "publishing-author",
            Role::PublishingEditor => "publishing-editor",
            Role::Owner => "owner",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.display_name())
    }
}

impl FromStr for Role {
    type Err = RightsError;
    /// The CLI name or the display name, without regard to case, spaces, `-` or `_`.
    fn from_str(text: &str) -> Result<Role, RightsError> {
        let squash = |s: &str| -> String {
            s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
        };
        let wanted = squash(text);
        Role::ALL
            .iter()
            .copied()
            .find(|role| squash(role.cli_name()) == wanted || squash(role.display_name()) == wanted)
            .ok_or_else(|| RightsError::UnknownName(text.to_owned()))
    }
}

/// The two members every permission table has besides real users (MS-OXCPERM 2.2.4/2.2.5).
/// Their `PidTagEntryId` is empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReservedMember {
    /// Applies to authenticated users who have no row of their own. ID 0, name "".
    Default,
    /// Applies to unauthenticated users. ID 0xFFFFFFFFFFFFFFFF, name "Anonymous".
    Anonymous,
}

impl ReservedMember {
    /// `PidTagMemberId` (PtypInteger64) of the Default member.
    pub const DEFAULT_ID: u64 = 0;
    /// `PidTagMemberId` of the Anonymous member (-1 as a signed value).
    pub const ANONYMOUS_ID: u64 = u64::MAX;

    pub const fn id(self) -> u64 {
        match self {
            ReservedMember::Default => Self::DEFAULT_ID,
            ReservedMember::Anonymous => Self::ANONYMOUS_ID,
        }
    }

    /// `PidTagMemberName` as the server reports it.
    pub const fn name(self) -> &'static str {
        match self {
            ReservedMember::Default => "",
            ReservedMember::Anonymous => "Anonymous",
        }
    }

    pub const fn from_id(id: u64) -> Option<ReservedMember> {
        match id {
            Self::DEFAULT_ID => Some(ReservedMember::Default),
            Self::ANONYMOUS_ID => Some(ReservedMember::Anonymous),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rights_bits_have_their_ms_oxcperm_values() {
        let expected = [0x1, 0x2, 0x8, 0x10, 0x20, 0x40, 0x80, 0x100, 0x200, 0x400, 0x800, 0x1000];
        let bits: Vec<u32> = MemberRights::NAMES.iter().map(|(_, bit)| bit.bits()).collect();
        assert_eq!(bits, expected);
        let all = MemberRights::NAMES.iter().fold(0, |acc, (_, bit)| acc | bit.bits());
        assert_eq!(all, MemberRights::DEFINED);
    }

    #[test]
    fn undefined_bits_are_rejected_with_the_offending_bits() {
        assert_eq!(
            MemberRights::new(0x405),
            Err(RightsError::UndefinedBits { value: 0x405, undefined: 0x4 })
        );
        let error = MemberRights::new(0x8000_0001).unwrap_err();
        assert_eq!(
            error.to_string(),
            "member rights 0x80000001 set undefined bit(s) 0x80000000; only 0x00001FFB are \
             defined (MS-OXCPERM 2.2.7)"
        );
        assert!(serde_json::from_str::<MemberRights>("4").is_err());
        assert_eq!(serde_json::from_str::<MemberRights>("1051").unwrap(), Role::Author.rights());
    }

    #[test]
    fn edit_any_without_edit_owned_cannot_be_written() {
        assert!(MemberRights::new(0x20).is_ok());
        assert_eq!(MemberRights::for_write(0x20), Err(RightsError::EditAnyWithoutEditOwned(0x20)));
        assert!(MemberRights::for_write(0x28).is_ok());
    }

    #[test]
    fn role_presets_are_the_documented_sums() {
        use MemberRights as R;
        assert_eq!(Role::None.rights(), R::FOLDER_VISIBLE);
        assert_eq!(Role::Reviewer.rights(), R::FOLDER_VISIBLE | R::READ_ANY);
        assert_eq!(Role::Contributor.rights(), R::FOLDER_VISIBLE | R::CREATE);
        let author = R::FOLDER_VISIBLE | R::READ_ANY | R::CREATE | R::EDIT_OWNED | R::DELETE_OWNED;
        assert_eq!(Role::Author.rights(), author);
        assert_eq!(Role::NonEditingAuthor.rights(), author.without(R::EDIT_OWNED));
        assert_eq!(Role::Editor.rights(), author | R::EDIT_ANY | R::DELETE_ANY);
        assert_eq!(Role::PublishingAuthor.rights(), author | R::CREATE_SUBFOLDER);
        assert_eq!(Role::PublishingEditor.rights(), Role::Editor.rights() | R::CREATE_SUBFOLDER);
        assert_eq!(
            Role::Owner.rights(),
            Role::PublishingEditor.rights() | R::FOLDER_OWNER | R::FOLDER_CONTACT
        );
        for role in Role::ALL {
            assert_eq!(MemberRights::new(role.rights().bits()), Ok(role.rights()));
            assert_eq!(MemberRights::for_write(role.rights().bits()), Ok(role.rights()));
        }
    }

    #[test]
    fn role_lookup_ignores_free_busy_bits_and_reports_custom_as_none() {
        assert_eq!(MemberRights::new(0x41B).unwrap().role(), Some(Role::Author));
        // An Author row on a calendar, with both free/busy bits (gromox #170).
        assert_eq!(MemberRights::new(0x1C1B).unwrap().role(), Some(Role::Author));
        assert_eq!(MemberRights::new(0x7FB).unwrap().role(), Some(Role::Owner));
        assert_eq!(MemberRights::new(0x5FB).unwrap().role(), None);
        assert_eq!(MemberRights::EMPTY.role(), None);
    }

    #[test]
    fn rights_print_as_flag_names_and_parse_back() {
        let rights = MemberRights::new(0x1C1B).unwrap();
        let text = rights.to_string();
        assert_eq!(
            text,
            "ReadAny|Create|EditOwned|DeleteOwned|FolderVisible|FreeBusySimple|FreeBusyDetailed"
        );
        assert_eq!(text.parse(), Ok(rights));
        assert_eq!("readany, foldervisible".parse(), Ok(Role::Reviewer.rights()));
        assert_eq!("0x47B".parse(), Ok(Role::Editor.rights()));
        assert_eq!("Publishing Editor".parse(), Ok(Role::PublishingEditor.rights()));
        assert_eq!("non-editing-author".parse::<Role>(), Ok(Role::NonEditingAuthor));
        assert_eq!(MemberRights::EMPTY.to_string().parse(), Ok(MemberRights::EMPTY));
        assert_eq!("None".parse(), Ok(Role::None.rights()));
        assert!(
            matches!("ReadAll".parse::<MemberRights>(), Err(RightsError::UnknownName(n)) if n == "ReadAll")
        );
    }

    #[test]
    fn reserved_members_have_their_ids_and_names() {
        assert_eq!(ReservedMember::Default.id(), 0);
        assert_eq!(ReservedMember::Anonymous.id(), 0xFFFF_FFFF_FFFF_FFFF);
        assert_eq!(ReservedMember::Anonymous.id() as i64, -1);
        assert_eq!(ReservedMember::Default.name(), "");
        assert_eq!(ReservedMember::from_id(u64::MAX), Some(ReservedMember::Anonymous));
        assert_eq!(ReservedMember::from_id(7), None);
    }
}
