//! Outlook object model enumerations with their documented numeric values (Office VBA reference,
//! Outlook: `OlDefaultFolders`, `OlStoreType`, `OlExchangeStoreType`, `OlExchangeConnectionMode`,
//! `OlSpecialFolders`, `OlItemType`, `OlObjectClass`), plus the mappings Outpost needs between
//! item types, message classes and folder container classes (session-model §3.2, §5.1, §5.4).
//!
//! Every enumeration has a CLI name (`sent-mail`), the OOM constant name (`olFolderSentMail`) and
//! its number; [`FromStr`] accepts any of the three, case-insensitively, and serde uses the CLI
//! name.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Text that names no member of an Outlook enumeration.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{text:?} is not a known {enumeration}; expected one of: {expected}, or its number")]
pub struct UnknownName {
    pub enumeration: &'static str,
    pub text: String,
    pub expected: String,
}

macro_rules! outlook_enum {
    (
        $(#[$meta:meta])*
        $name:ident, $what:literal {
            $( $(#[$vmeta:meta])* $variant:ident = $value:literal, $constant:literal, $cli:literal; )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )*
        }

        impl $name {
            /// Every member, in the order of the OOM documentation table used here.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The documented numeric value.
            pub const fn value(self) -> i32 {
                match self { $( $name::$variant => $value, )* }
            }

            pub const fn from_value(value: i32) -> Option<$name> {
                match value { $( $value => Some($name::$variant), )* _ => None }
            }

            /// The OOM constant name, e.g. `olFolderInbox`.
            pub const fn constant_name(self) -> &'static str {
                match self { $( $name::$variant => $constant, )* }
            }

            /// The name the `outpost` CLI uses, e.g. `inbox`.
            pub const fn cli_name(self) -> &'static str {
                match self { $( $name::$variant => $cli, )* }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.cli_name())
            }
        }

        impl FromStr for $name {
            type Err = UnknownName;
            /// A CLI name (`_` and spaces may stand for `-`), an OOM constant name or a number.
            fn from_str(text: &str) -> Result<$name, UnknownName> {
                let wanted = text.trim();
                if let Ok(value) = wanted.parse::<i32>() {
                    if let Some(member) = $name::from_value(value) {
                        return Ok(member);
                    }
                }
                let normalized = wanted.to_ascii_lowercase().replace(['_', ' '], "-");
                $name::ALL
                    .iter()
                    .copied()
                    .find(|m| {
                        m.cli_name() == normalized || m.constant_name().eq_ignore_ascii_case(wanted)
                    })
                    .ok_or_else(|| UnknownName {
                        enumeration: $what,
                        text: text.to_owned(),
                        expected: $name::ALL
                            .iter()
                            .map(|m| m.cli_name())
                            .collect::<Vec<_>>()
                            .join(", "),
                    })
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.cli_name())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                String::deserialize(d)?.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

outlook_enum! {
    /// `OlDefaultFolders`: the default folders `GetDefaultFolder` finds. Values 1, 2, 7, 8, 14,
    /// 15, 17, 24, 26 and 27 are not members.
    OlDefaultFolders, "default folder" {
        DeletedItems = 3, "olFolderDeletedItems", "deleted-items";
        Outbox = 4, "olFolderOutbox", "outbox";
        SentMail = 5, "olFolderSentMail", "sent-mail";
        Inbox = 6, "olFolderInbox", "inbox";
        Calendar = 9, "olFolderCalendar", "calendar";
        Contacts = 10, "olFolderContacts", "contacts";
        Journal = 11, "olFolderJournal", "journal";
        Notes = 12, "olFolderNotes", "notes";
        Tasks = 13, "olFolderTasks", "tasks";
        Drafts = 16, "olFolderDrafts", "drafts";
        AllPublicFolders = 18, "olPublicFoldersAllPublicFolders", "all-public-folders";
        Conflicts = 19, "olFolderConflicts", "conflicts";
        SyncIssues = 20, "olFolderSyncIssues", "sync-issues";
        LocalFailures = 21, "olFolderLocalFailures", "local-failures";
        ServerFailures = 22, "olFolderServerFailures", "server-failures";
        Junk = 23, "olFolderJunk", "junk";
        RssFeeds = 25, "olFolderRssFeeds", "rss-feeds";
        ToDo = 28, "olFolderToDo", "to-do";
        ManagedEmail = 29, "olFolderManagedEmail", "managed-email";
        SuggestedContacts = 30, "olFolderSuggestedContacts", "suggested-contacts";
    }
}

/// The style guide's name for [`OlDefaultFolders`].
pub type DefaultFolder = OlDefaultFolders;

impl OlDefaultFolders {
    /// The English default display name. Real names are localized when the mailbox is created,
    /// so never look a default folder up by name.
    pub const fn english_name(self) -> &'static str {
        match self {
            OlDefaultFolders::DeletedItems => "Deleted Items",
            OlDefaultFolders::Outbox => "Outbox",
            OlDefaultFolders::SentMail => "Sent Items",
            OlDefaultFolders::Inbox => "Inbox",
            OlDefaultFolders::Calendar => "Calendar",
            OlDefaultFolders::Contacts => "Contacts",
            OlDefaultFolders::Journal => "Journal",
            OlDefaultFolders::Notes => "Notes",
            OlDefaultFolders::Tasks => "Tasks",
            OlDefaultFolders::Drafts => "Drafts",
            OlDefaultFolders::AllPublicFolders => "All Public Folders",
            OlDefaultFolders::Conflicts => "Conflicts",
            OlDefaultFolders::SyncIssues => "Sync Issues",
            OlDefaultFolders::LocalFailures => "Local Failures",
            OlDefaultFolders::ServerFailures => "Server Failures",
            OlDefaultFolders::Junk => "Junk E-mail",
            OlDefaultFolders::RssFeeds => "RSS Feeds",
            OlDefaultFolders::ToDo => "To-Do List",
            OlDefaultFolders::ManagedEmail => "Managed Folders",
            OlDefaultFolders::SuggestedContacts => "Suggested Contacts",
        }
    }

    /// The container class (`PidTagContainerClass`) Outpost gives the folder when it creates it
    /// (session-model §3.2); `None` for All Public Folders and Managed Folders, whose class is
    /// not established. Sync Issues and its subfolders are IPF.Note **(unconfirmed)**.
    pub const fn container_class(self) -> Option<&'static str> {
        Some(match self {
            OlDefaultFolders::Calendar => "IPF.Appointment",
            OlDefaultFolders::Contacts | OlDefaultFolders::SuggestedContacts => "IPF.Contact",
            OlDefaultFolders::Journal => "IPF.Journal",
            OlDefaultFolders::Notes => "IPF.StickyNote",
            OlDefaultFolders::Tasks | OlDefaultFolders::ToDo => "IPF.Task",
            OlDefaultFolders::RssFeeds => "IPF.Note.OutlookHomepage",
            OlDefaultFolders::AllPublicFolders | OlDefaultFolders::ManagedEmail => return None,
            _ => "IPF.Note",
        })
    }

    /// Whether `NameSpace.GetSharedDefaultFolder` accepts this type (session-model §2.2):
    /// Calendar, Contacts, Drafts, Inbox, Journal, Notes and Tasks only.
    pub const fn allowed_for_shared(self) -> bool {
        matches!(
            self,
            OlDefaultFolders::Calendar
                | OlDefaultFolders::Contacts
                | OlDefaultFolders::Drafts
                | OlDefaultFolders::Inbox
                | OlDefaultFolders::Journal
                | OlDefaultFolders::Notes
                | OlDefaultFolders::Tasks
        )
    }

    /// Folders the OOM documents as available only with an Exchange account.
    pub const fn exchange_only(self) -> bool {
        matches!(
            self,
            OlDefaultFolders::AllPublicFolders
                | OlDefaultFolders::Conflicts
                | OlDefaultFolders::SyncIssues
                | OlDefaultFolders::LocalFailures
                | OlDefaultFolders::ServerFailures
                | OlDefaultFolders::ManagedEmail
        )
    }
}

outlook_enum! {
    /// `OlStoreType`: the file format `AddStoreEx` creates.
    OlStoreType, "store type" {
        /// The format matching the Exchange mailbox mode.
        Default = 1, "olStoreDefault", "default";
        /// Outlook 2003+ Unicode PST.
        Unicode = 2, "olStoreUnicode", "unicode";
        /// Legacy ANSI PST.
        Ansi = 3, "olStoreANSI", "ansi";
    }
}

outlook_enum! {
    /// `OlExchangeStoreType`: `Store.ExchangeStoreType`.
    OlExchangeStoreType, "Exchange store type" {
        PrimaryExchangeMailbox = 0, "olPrimaryExchangeMailbox", "primary-exchange-mailbox";
        /// A delegate mailbox.
        ExchangeMailbox = 1, "olExchangeMailbox", "exchange-mailbox";
        ExchangePublicFolder = 2, "olExchangePublicFolder", "exchange-public-folder";
        /// PST, OST-less IMAP, embedded stores: anything not on Exchange.
        NotExchange = 3, "olNotExchange", "not-exchange";
        AdditionalExchangeMailbox = 4, "olAdditionalExchangeMailbox", "additional-exchange-mailbox";
    }
}

outlook_enum! {
    /// `OlExchangeConnectionMode`: `NameSpace.ExchangeConnectionMode`.
    OlExchangeConnectionMode, "Exchange connection mode" {
        NoExchange = 0, "olNoExchange", "no-exchange";
        Offline = 100, "olOffline", "offline";
        CachedOffline = 200, "olCachedOffline", "cached-offline";
        Disconnected = 300, "olDisconnected", "disconnected";
        CachedDisconnected = 400, "olCachedDisconnected", "cached-disconnected";
        CachedConnectedHeaders = 500, "olCachedConnectedHeaders", "cached-connected-headers";
        CachedConnectedDrizzle = 600, "olCachedConnectedDrizzle", "cached-connected-drizzle";
        CachedConnectedFull = 700, "olCachedConnectedFull", "cached-connected-full";
        Online = 800, "olOnline", "online";
    }
}

outlook_enum! {
    /// `OlSpecialFolders`: `Store.GetSpecialFolder`.
    OlSpecialFolders, "special folder" {
        AllTasks = 0, "olSpecialFolderAllTasks", "all-tasks";
        Reminders = 1, "olSpecialFolderReminders", "reminders";
    }
}

outlook_enum! {
    /// `OlItemType`: `Folder.DefaultItemType`, `Application.CreateItem`.
    OlItemType, "item type" {
        MailItem = 0, "olMailItem", "mail";
        AppointmentItem = 1, "olAppointmentItem", "appointment";
        ContactItem = 2, "olContactItem", "contact";
        TaskItem = 3, "olTaskItem", "task";
        JournalItem = 4, "olJournalItem", "journal";
        NoteItem = 5, "olNoteItem", "note";
        PostItem = 6, "olPostItem", "post";
        DistributionListItem = 7, "olDistributionListItem", "distribution-list";
    }
}

impl OlItemType {
    /// The message class of a new item of this type (`Folder.DefaultMessageClass`).
    pub const fn default_message_class(self) -> &'static str {
        match self {
            OlItemType::MailItem => "IPM.Note",
            OlItemType::AppointmentItem => "IPM.Appointment",
            OlItemType::ContactItem => "IPM.Contact",
            OlItemType::TaskItem => "IPM.Task",
            OlItemType::JournalItem => "IPM.Activity",
            OlItemType::NoteItem => "IPM.StickyNote",
            OlItemType::PostItem => "IPM.Post",
            OlItemType::DistributionListItem => "IPM.DistList",
        }
    }

    /// The container class of a folder that holds this type by default. Distribution lists
    /// live in contact folders.
    pub const fn container_class(self) -> &'static str {
        match self {
            OlItemType::MailItem => "IPF.Note",
            OlItemType::AppointmentItem => "IPF.Appointment",
            OlItemType::ContactItem | OlItemType::DistributionListItem => "IPF.Contact",
            OlItemType::TaskItem => "IPF.Task",
            OlItemType::JournalItem => "IPF.Journal",
            OlItemType::NoteItem => "IPF.StickyNote",
            OlItemType::PostItem => "IPF.Post",
        }
    }

    /// `Folder.DefaultItemType` for a container class: the longest matching class prefix
    /// (`IPF.Contact.MOC.QuickContacts` is a contact folder), case-insensitive; a missing or
    /// unknown class is a mail folder (session-model §5.1, inferred **(unconfirmed)**).
    pub fn for_container_class(container_class: Option<&str>) -> OlItemType {
        const TABLE: &[(&str, OlItemType)] = &[
            ("IPF.Note", OlItemType::MailItem),
            ("IPF.Appointment", OlItemType::AppointmentItem),
            ("IPF.Contact", OlItemType::ContactItem),
            ("IPF.Task", OlItemType::TaskItem),
            ("IPF.Journal", OlItemType::JournalItem),
            ("IPF.StickyNote", OlItemType::NoteItem),
            ("IPF.Post", OlItemType::PostItem),
        ];
        container_class
            .and_then(|class| longest_class_prefix(class, TABLE))
            .unwrap_or(OlItemType::MailItem)
    }
}

/// The value of the longest entry of `table` that `class` equals or extends by `.suffix`,
/// compared without regard to ASCII case.
fn longest_class_prefix<T: Copy>(class: &str, table: &[(&str, T)]) -> Option<T> {
    let class = class.trim();
    table
        .iter()
        .filter(|(prefix, _)| {
            class.len() >= prefix.len()
                && class.is_char_boundary(prefix.len())
                && class[..prefix.len()].eq_ignore_ascii_case(prefix)
                && (class.len() == prefix.len() || class.as_bytes()[prefix.len()] == b'.')
        })
        .max_by_key(|(prefix, _)| prefix.len())
        .map(|(_, value)| *value)
}

outlook_enum! {
    /// `OlObjectClass`: the `Class` property, for the objects Outpost models (session, stores,
    /// folders, items, recipients, attachments). Other members of the OOM enumeration (views,
    /// rules, explorers, ...) are left out.
    OlObjectClass, "object class" {
        Application = 0, "olApplication", "application";
        Namespace = 1, "olNamespace", "namespace";
        Folder = 2, "olFolder", "folder";
        Recipient = 4, "olRecipient", "recipient";
        Attachment = 5, "olAttachment", "attachment";
        AddressList = 7, "olAddressList", "address-list";
        AddressEntry = 8, "olAddressEntry", "address-entry";
        Folders = 15, "olFolders", "folders";
        Items = 16, "olItems", "items";
        Recipients = 17, "olRecipients", "recipients";
        Attachments = 18, "olAttachments", "attachments";
        AddressLists = 20, "olAddressLists", "address-lists";
        AddressEntries = 21, "olAddressEntries", "address-entries";
        Appointment = 26, "olAppointment", "appointment";
        Contact = 40, "olContact", "contact";
        Document = 41, "olDocument", "document";
        Journal = 42, "olJournal", "journal";
        Mail = 43, "olMail", "mail";
        Note = 44, "olNote", "note";
        Post = 45, "olPost", "post";
        Report = 46, "olReport", "report";
        Remote = 47, "olRemote", "remote";
        Task = 48, "olTask", "task";
        TaskRequest = 49, "olTaskRequest", "task-request";
        TaskRequestUpdate = 50, "olTaskRequestUpdate", "task-request-update";
        TaskRequestAccept = 51, "olTaskRequestAccept", "task-request-accept";
        TaskRequestDecline = 52, "olTaskRequestDecline", "task-request-decline";
        MeetingRequest = 53, "olMeetingRequest", "meeting-request";
        MeetingCancellation = 54, "olMeetingCancellation", "meeting-cancellation";
        MeetingResponseNegative = 55, "olMeetingResponseNegative", "meeting-response-negative";
        MeetingResponsePositive = 56, "olMeetingResponsePositive", "meeting-response-positive";
        MeetingResponseTentative = 57, "olMeetingResponseTentative", "meeting-response-tentative";
        DistributionList = 69, "olDistributionList", "distribution-list";
        Sharing = 104, "olSharing", "sharing";
        Account = 105, "olAccount", "account";
        Accounts = 106, "olAccounts", "accounts";
        Store = 107, "olStore", "store";
        Stores = 108, "olStores", "stores";
        PropertyAccessor = 112, "olPropertyAccessor", "property-accessor";
        StorageItem = 113, "olStorageItem", "storage-item";
        Table = 120, "olTable", "table";
        Row = 121, "olRow", "row";
        Categories = 153, "olCategories", "categories";
        Category = 152, "olCategory", "category";
        MeetingForwardNotification = 181, "olMeetingForwardNotification", "meeting-forward-notification";
    }
}

impl OlObjectClass {
    /// The `Class` of the item a message class opens as (session-model §5.4): longest known
    /// prefix, case-insensitive; `REPORT.*` is a report; anything else (bare `IPM` included) is
    /// mail **(unconfirmed fallback)**.
    pub fn for_message_class(message_class: &str) -> OlObjectClass {
        const TABLE: &[(&str, OlObjectClass)] = &[
            ("IPM.Note", OlObjectClass::Mail),
            ("IPM.Post", OlObjectClass::Post),
            ("IPM.Appointment", OlObjectClass::Appointment),
            ("IPM.Contact", OlObjectClass::Contact),
            ("IPM.DistList", OlObjectClass::DistributionList),
            ("IPM.Task", OlObjectClass::Task),
            ("IPM.TaskRequest", OlObjectClass::TaskRequest),
            ("IPM.TaskRequest.Accept", OlObjectClass::TaskRequestAccept),
            ("IPM.TaskRequest.Decline", OlObjectClass::TaskRequestDecline),
            ("IPM.TaskRequest.Update", OlObjectClass::TaskRequestUpdate),
            ("IPM.StickyNote", OlObjectClass::Note),
            ("IPM.Activity", OlObjectClass::Journal),
            ("IPM.Schedule.Meeting.Request", OlObjectClass::MeetingRequest),
            ("IPM.Schedule.Meeting.Canceled", OlObjectClass::MeetingCancellation),
            ("IPM.Schedule.Meeting.Resp.Pos", OlObjectClass::MeetingResponsePositive),
            ("IPM.Schedule.Meeting.Resp.Neg", OlObjectClass::MeetingResponseNegative),
            ("IPM.Schedule.Meeting.Resp.Tent", OlObjectClass::MeetingResponseTentative),
            ("IPM.Sharing", OlObjectClass::Sharing),
            ("IPM.Document", OlObjectClass::Document),
            ("REPORT", OlObjectClass::Report),
        ];
        longest_class_prefix(message_class, TABLE).unwrap_or(OlObjectClass::Mail)
    }

    /// The item type whose `CreateItem` makes objects of this class, for the item classes.
    pub const fn item_type(self) -> Option<OlItemType> {
        Some(match self {
            OlObjectClass::Mail => OlItemType::MailItem,
            OlObjectClass::Appointment => OlItemType::AppointmentItem,
            OlObjectClass::Contact => OlItemType::ContactItem,
            OlObjectClass::Task => OlItemType::TaskItem,
            OlObjectClass::Journal => OlItemType::JournalItem,
            OlObjectClass::Note => OlItemType::NoteItem,
            OlObjectClass::Post => OlItemType::PostItem,
            OlObjectClass::DistributionList => OlItemType::DistributionListItem,
            _ => return None,
        })
    }
}

outlook_enum! {
    /// `OlMailRecipientType`: a recipient's `Type` on mail items (`PidTagRecipientType`,
    /// MS-OXOMSG 2.2.3.1, without its flag bits).
    OlMailRecipientType, "recipient type" {
        Originator = 0, "olOriginator", "originator";
        To = 1, "olTo", "to";
        Cc = 2, "olCC", "cc";
        Bcc = 3, "olBCC", "bcc";
    }
}

outlook_enum! {
    /// `OlAttachmentType`: how an attachment holds its data (from `PidTagAttachMethod`,
    /// MS-OXCMSG 2.2.2.9).
    OlAttachmentType, "attachment type" {
        ByValue = 1, "olByValue", "by-value";
        ByReference = 4, "olByReference", "by-reference";
        EmbeddedItem = 5, "olEmbeddeditem", "embedded-item";
        Ole = 6, "olOLE", "ole";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_folder_values_match_the_oom_documentation() {
        let documented = [
            (3, "olFolderDeletedItems"),
            (4, "olFolderOutbox"),
            (5, "olFolderSentMail"),
            (6, "olFolderInbox"),
            (9, "olFolderCalendar"),
            (10, "olFolderContacts"),
            (11, "olFolderJournal"),
            (12, "olFolderNotes"),
            (13, "olFolderTasks"),
            (16, "olFolderDrafts"),
            (18, "olPublicFoldersAllPublicFolders"),
            (19, "olFolderConflicts"),
            (20, "olFolderSyncIssues"),
            (21, "olFolderLocalFailures"),
            (22, "olFolderServerFailures"),
            (23, "olFolderJunk"),
            (25, "olFolderRssFeeds"),
            (28, "olFolderToDo"),
            (29, "olFolderManagedEmail"),
            (30, "olFolderSuggestedContacts"),
        ];
        assert_eq!(OlDefaultFolders::ALL.len(), documented.len());
        for (value, constant) in documented {
            let folder = OlDefaultFolders::from_value(value).unwrap();
            assert_eq!(folder.constant_name(), constant);
            assert_eq!(folder.value(), value);
        }
        for unused in [1, 2, 7, 8, 14, 15, 17, 24, 26, 27] {
            assert_eq!(OlDefaultFolders::from_value(unused), None);
        }
    }

    #[test]
    fn default_folders_parse_from_cli_name_constant_or_number() {
        assert_eq!("inbox".parse(), Ok(OlDefaultFolders::Inbox));
        assert_eq!("sent-mail".parse(), Ok(OlDefaultFolders::SentMail));
        assert_eq!("Deleted_Items".parse(), Ok(OlDefaultFolders::DeletedItems));
        assert_eq!("rss-feeds".parse(), Ok(OlDefaultFolders::RssFeeds));
        assert_eq!("to-do".parse(), Ok(OlDefaultFolders::ToDo));
        assert_eq!("olFolderCalendar".parse(), Ok(OlDefaultFolders::Calendar));
        assert_eq!("9".parse(), Ok(OlDefaultFolders::Calendar));
        assert_eq!(" 30 ".parse(), Ok(OlDefaultFolders::SuggestedContacts));
        for folder in OlDefaultFolders::ALL {
            assert_eq!(folder.cli_name().parse(), Ok(*folder));
            assert_eq!(folder.to_string(), folder.cli_name());
        }
    }

    #[test]
    fn an_unknown_folder_name_lists_the_valid_ones() {
        let error = "inbx".parse::<OlDefaultFolders>().unwrap_err();
        let text = error.to_string();
        assert!(text.starts_with("\"inbx\" is not a known default folder; expected one of: "));
        assert!(text.contains("deleted-items, outbox, sent-mail, inbox"));
        assert!("7".parse::<OlDefaultFolders>().is_err());
    }

    #[test]
    fn shared_default_folders_are_the_seven_documented_types() {
        let allowed: Vec<_> = OlDefaultFolders::ALL
            .iter()
            .filter(|f| f.allowed_for_shared())
            .map(|f| f.cli_name())
            .collect();
        assert_eq!(
            allowed,
            ["inbox", "calendar", "contacts", "journal", "notes", "tasks", "drafts"]
        );
        assert!(!OlDefaultFolders::DeletedItems.allowed_for_shared());
        assert!(!OlDefaultFolders::Junk.allowed_for_shared());
    }

    #[test]
    fn default_folders_carry_their_container_class() {
        assert_eq!(OlDefaultFolders::Calendar.container_class(), Some("IPF.Appointment"));
        assert_eq!(OlDefaultFolders::Notes.container_class(), Some("IPF.StickyNote"));
        assert_eq!(OlDefaultFolders::Inbox.container_class(), Some("IPF.Note"));
        assert_eq!(OlDefaultFolders::AllPublicFolders.container_class(), None);
        assert!(OlDefaultFolders::SyncIssues.exchange_only());
        assert!(!OlDefaultFolders::Junk.exchange_only());
    }

    #[test]
    fn other_enumerations_have_their_documented_values() {
        assert_eq!(OlStoreType::Unicode.value(), 2);
        assert_eq!("olStoreANSI".parse(), Ok(OlStoreType::Ansi));
        assert_eq!(OlExchangeStoreType::NotExchange.value(), 3);
        assert_eq!(
            OlExchangeStoreType::from_value(4),
            Some(OlExchangeStoreType::AdditionalExchangeMailbox)
        );
        assert_eq!(OlExchangeConnectionMode::Online.value(), 800);
        assert_eq!(OlSpecialFolders::Reminders.value(), 1);
        assert_eq!(OlItemType::DistributionListItem.value(), 7);
        assert_eq!(OlObjectClass::Store.value(), 107);
        assert_eq!(OlObjectClass::MeetingResponseTentative.value(), 57);
    }

    #[test]
    fn item_types_map_to_message_and_container_classes() {
        for item_type in OlItemType::ALL {
            let folder_type = OlItemType::for_container_class(Some(item_type.container_class()));
            let expected = match item_type {
                OlItemType::DistributionListItem => OlItemType::ContactItem,
                other => *other,
            };
            assert_eq!(folder_type, expected);
            let class = OlObjectClass::for_message_class(item_type.default_message_class());
            assert_eq!(class.item_type(), Some(*item_type));
        }
        assert_eq!(
            OlItemType::for_container_class(Some("IPF.Contact.MOC.QuickContacts")),
            OlItemType::ContactItem
        );
        assert_eq!(OlItemType::for_container_class(Some("ipf.task")), OlItemType::TaskItem);
        assert_eq!(OlItemType::for_container_class(Some("IPF.Tasks")), OlItemType::MailItem);
        assert_eq!(OlItemType::for_container_class(None), OlItemType::MailItem);
    }

    #[test]
    fn message_classes_open_as_the_documented_item_class() {
        let cases = [
            ("IPM.Note", OlObjectClass::Mail),
            ("IPM.Note.SMIME.MultipartSigned", OlObjectClass::Mail),
            ("ipm.appointment", OlObjectClass::Appointment),
            ("IPM.TaskRequest", OlObjectClass::TaskRequest),
            ("IPM.TaskRequest.Accept", OlObjectClass::TaskRequestAccept),
            ("IPM.Task", OlObjectClass::Task),
            ("IPM.Schedule.Meeting.Resp.Tent", OlObjectClass::MeetingResponseTentative),
            ("IPM.Schedule.Meeting.Canceled", OlObjectClass::MeetingCancellation),
            ("REPORT.IPM.Note.NDR", OlObjectClass::Report),
            ("IPM.Document.Word.Document.8", OlObjectClass::Document),
            ("IPM", OlObjectClass::Mail),
            ("IPM.Notebook", OlObjectClass::Mail),
            ("IPM.Contactless", OlObjectClass::Mail),
        ];
        for (class, expected) in cases {
            assert_eq!(OlObjectClass::for_message_class(class), expected, "{class}");
        }
    }

    #[test]
    fn enumerations_serialize_as_cli_names() {
        let json = serde_json::to_string(&OlDefaultFolders::SentMail).unwrap();
        assert_eq!(json, "\"sent-mail\"");
        assert_eq!(
            serde_json::from_str::<OlDefaultFolders>("\"6\"").unwrap(),
            OlDefaultFolders::Inbox
        );
    }
}
