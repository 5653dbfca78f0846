//! `Recipient` and `Account`.

use crate::error::SessionResult;
use crate::store::Store;
use mapi::catalog::{lids, tags};
use mapi::{OlDefaultFolders, OneOffEntryId, PropTag, PropValue};
use serde::Serialize;

/// A recipient (the OOM `Recipient`): created from a display name, alias or SMTP address and
/// unresolved until [`crate::NameSpace::resolve`] finds who it means.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Recipient {
    /// `Name`: what the recipient was created from, or the resolved display name.
    pub name: String,
    /// `Address`: the e-mail address once resolved.
    pub address: Option<String>,
    /// `AddressEntry.Type`: "SMTP" once resolved.
    pub address_type: Option<String>,
    /// `EntryID` (hex) once resolved: a one-off entry ID (MS-OXCDATA 2.2.5.1).
    pub entry_id: Option<String>,
    /// `Resolved`.
    pub resolved: bool,
    /// `Type` (`OlMailRecipientType`: 0 originator, 1 To, 2 CC, 3 BCC); 1 for a recipient not
    /// yet on an item, as Outlook's `CreateRecipient` gives.
    #[serde(rename = "type")]
    pub recipient_type: i32,
    /// `AddressEntry.GetExchangeUser().PrimarySmtpAddress` or the SMTP address itself: the
    /// SMTP address whatever `address_type` is, when the item knows it.
    pub smtp_address: Option<String>,
}

impl Recipient {
    /// An unresolved recipient (`NameSpace.CreateRecipient`).
    pub fn unresolved(name: &str) -> Recipient {
        Recipient {
            name: name.trim().to_owned(),
            address: None,
            address_type: None,
            entry_id: None,
            resolved: false,
            recipient_type: 1,
            smtp_address: None,
        }
    }

    /// A resolved SMTP recipient with its one-off entry ID.
    pub fn smtp(display_name: &str, address: &str) -> Recipient {
        let entry_id = OneOffEntryId::new(display_name, "SMTP", address).encode();
        Recipient {
            name: display_name.to_owned(),
            address: Some(address.to_owned()),
            address_type: Some("SMTP".to_owned()),
            entry_id: Some(mapi::hex::encode(&entry_id)),
            resolved: true,
            recipient_type: 1,
            smtp_address: Some(address.to_owned()),
        }
    }
}

/// An account of the profile (`Account`): one per mailbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Account {
    /// `DisplayName`.
    pub display_name: String,
    /// `SmtpAddress`.
    pub smtp_address: String,
    /// `UserName`.
    pub user_name: String,
    /// `DeliveryStore.DisplayName`.
    pub delivery_store: String,
    /// `AccountType`: always "outpost-mailbox" for now (OOM's `OlAccountType` has no member
    /// for it; olOtherAccount = 5 is the nearest).
    pub account_type: String,
}

/// A contact that could answer a recipient: (display name, e-mail address).
pub(crate) fn contact_matches(store: &Store, wanted: &str) -> SessionResult<Vec<(String, String)>> {
    let Ok(contacts) = store.get_default_folder(OlDefaultFolders::Contacts) else {
        return Ok(Vec::new());
    };
    let email_path = crate::item::PropertyPath::from_catalog(&lids::PidLidEmail1EmailAddress);
    let email_tag: Option<PropTag> = match email_path {
        Some(path) => path.resolve(store, false)?,
        None => None,
    };
    let mut columns = vec![tags::PidTagDisplayName];
    columns.extend(email_tag);
    let wanted = wanted.trim().to_lowercase();
    let mut found = Vec::new();
    for row in contacts.items().rows(&columns)? {
        let row = row?;
        let string = |i: usize| match row.get(i).map(|v| &v.value) {
            Some(PropValue::String(s) | PropValue::String8(s)) => Some(s.clone()),
            _ => None,
        };
        let name = string(0).unwrap_or_default();
        let Some(address) = string(1) else { continue };
        if name.to_lowercase() == wanted || address.to_lowercase() == wanted {
            found.push((if name.is_empty() { address.clone() } else { name }, address));
        }
    }
    Ok(found)
}
