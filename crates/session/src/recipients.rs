//! `Recipients` of an item (MS-OXCMSG 2.2.1 recipient table) and the sender members.
//!
//! The collection is a view of the message's recipient table: every call reads or edits the
//! table of the item's (in-memory) message, so changes become durable with `Item::save`, as
//! in Outlook. `To`, `CC` and `BCC` are derived from the table, and every change to it keeps
//! `PidTagDisplayTo`/`Cc`/`Bcc` in step (MS-OXCMSG 2.2.1.7–2.2.1.9 say the store computes
//! them; the embedded store leaves them to the client, as Outlook's own message does).

use crate::error::{SessionError, SessionResult};
use crate::item::{Item, MailItem};
use crate::namespace::NameSpace;
use crate::recipient::Recipient;
use mapi::catalog::tags;
use mapi::provider::RecipientChange;
use mapi::{
    EntryId, MapiError, OlMailRecipientType, OneOffEntryId, PropTag, PropValue, TaggedValue,
};

/// `PidTagRecipientType` carries flag bits above the type (MS-OXOMSG 2.2.3.1: 0x10000000
/// "resend", 0x80000000 "already sent"); the type is the low nibble.
const RECIPIENT_TYPE_MASK: i32 = 0x0F;
/// `recipSendable` (MS-OXCMSG 2.2.3.1.3: PidTagRecipientFlags).
const RECIPIENT_SENDABLE: i32 = 0x1;
/// MAPI_MAILUSER (PidTagObjectType) and DT_MAILUSER (PidTagDisplayType).
const MAPI_MAILUSER: i32 = 6;
const DT_MAILUSER: i32 = 0;
/// The most recipients one message may hold through this API: far above any real message
/// (Exchange's default limit is 500), it keeps a hostile table from being read without end.
pub const MAX_RECIPIENTS: usize = 100_000;

/// One row of the recipient table: its `PidTagRowid` and every property.
#[derive(Debug, Clone)]
struct RecipientRow {
    row_id: u32,
    properties: Vec<TaggedValue>,
}

impl RecipientRow {
    fn value(&self, tag: PropTag) -> Option<&PropValue> {
        self.properties.iter().find(|v| v.tag.id() == tag.id()).map(|v| &v.value)
    }

    fn text(&self, tag: PropTag) -> Option<String> {
        match self.value(tag) {
            Some(PropValue::String(s) | PropValue::String8(s)) if !s.is_empty() => Some(s.clone()),
            _ => None,
        }
    }

    fn binary(&self, tag: PropTag) -> Option<&[u8]> {
        match self.value(tag) {
            Some(PropValue::Binary(b)) if !b.is_empty() => Some(b),
            _ => None,
        }
    }

    fn recipient_type(&self) -> i32 {
        self.value(tags::PidTagRecipientType).and_then(PropValue::as_i32).unwrap_or(1)
            & RECIPIENT_TYPE_MASK
    }

    /// The OOM `Recipient` this row shows.
    fn to_recipient(&self) -> Recipient {
        let address = self.text(tags::PidTagEmailAddress);
        let address_type = self.text(tags::PidTagAddressType);
        let entry_id = self
            .binary(tags::PidTagEntryId)
            .or_else(|| self.binary(tags::PidTagRecipientEntryId))
            .map(mapi::hex::encode);
        let name = self
            .text(tags::PidTagDisplayName)
            .or_else(|| self.text(tags::PidTagRecipientDisplayName))
            .or_else(|| address.clone())
            .unwrap_or_default();
        let smtp_address = self.text(tags::PidTagSmtpAddress).or_else(|| {
            let is_smtp = address_type.as_deref().is_some_and(|t| t.eq_ignore_ascii_case("SMTP"));
            if is_smtp { address.clone() } else { None }
        });
        // MAPI marks a resolved recipient by its entry ID (IAddrBook::ResolveName adds
        // PR_ENTRYID); a row with an address but no ID came from a client that resolved it
        // itself, which Outlook shows as resolved too.
        let resolved = entry_id.is_some() || address.is_some();
        Recipient {
            name,
            address,
            address_type,
            entry_id,
            resolved,
            recipient_type: self.recipient_type(),
            smtp_address,
        }
    }
}

/// The properties of a recipient row for `recipient` as `kind` (MS-OXCMSG 2.2.3.1 lists what
/// a resolved row carries; an unresolved one has only its name and type).
fn row_properties(recipient: &Recipient, kind: OlMailRecipientType) -> Vec<TaggedValue> {
    let tagged = |tag: PropTag, value: PropValue| TaggedValue { tag, value };
    let mut row = vec![
        tagged(tags::PidTagRecipientType, PropValue::Integer32(kind.value())),
        tagged(tags::PidTagDisplayName, PropValue::String(recipient.name.clone())),
        tagged(tags::PidTagRecipientDisplayName, PropValue::String(recipient.name.clone())),
        tagged(tags::PidTagObjectType, PropValue::Integer32(MAPI_MAILUSER)),
        tagged(tags::PidTagDisplayType, PropValue::Integer32(DT_MAILUSER)),
    ];
    let (Some(address), true) = (&recipient.address, recipient.resolved) else {
        return row;
    };
    let address_type = recipient.address_type.clone().unwrap_or_else(|| "SMTP".to_owned());
    let entry_id = match recipient.entry_id.as_deref().map(mapi::hex::decode) {
        Some(Ok(id)) => id,
        _ => OneOffEntryId::new(&recipient.name, &address_type, address).encode(),
    };
    // PidTagSearchKey: the address type and address, upper case (MS-OXCPRPT 2.2.1.9).
    let search_key = format!("{address_type}:{address}").to_uppercase().into_bytes();
    row.extend([
        tagged(tags::PidTagEmailAddress, PropValue::String(address.clone())),
        tagged(tags::PidTagAddressType, PropValue::String(address_type.clone())),
        tagged(tags::PidTagEntryId, PropValue::Binary(entry_id.clone())),
        tagged(tags::PidTagRecipientEntryId, PropValue::Binary(entry_id)),
        tagged(tags::PidTagSearchKey, PropValue::Binary(search_key)),
        tagged(tags::PidTagRecipientFlags, PropValue::Integer32(RECIPIENT_SENDABLE)),
    ]);
    if let Some(smtp) = recipient
        .smtp_address
        .clone()
        .or_else(|| address_type.eq_ignore_ascii_case("SMTP").then(|| address.clone()))
    {
        row.push(tagged(tags::PidTagSmtpAddress, PropValue::String(smtp)));
    }
    row
}

/// `Recipients`: the recipient table of one item.
#[derive(Debug, Clone)]
pub struct Recipients {
    item: Item,
}

impl Item {
    /// `Recipients`.
    pub fn recipients(&self) -> Recipients {
        Recipients { item: self.clone() }
    }

    /// `SenderEmailAddress`: the sender's address; for an Exchange (`EX`) sender the SMTP
    /// address from `PidTagSenderSmtpAddress` when the item has it (Outlook gives the X.500
    /// DN there, which scripts then have to look up; the SMTP address is what they want).
    pub fn sender_email_address(&self) -> SessionResult<Option<String>> {
        let address = self.text_of(tags::PidTagSenderEmailAddress)?;
        let is_exchange = self
            .text_of(tags::PidTagSenderAddressType)?
            .is_some_and(|t| t.eq_ignore_ascii_case("EX"));
        if (is_exchange || address.is_none())
            && let Some(smtp) = self.text_of(tags::PidTagSenderSmtpAddress)?
        {
            return Ok(Some(smtp));
        }
        Ok(address)
    }

    /// `SenderEmailType`: "SMTP", "EX", ...
    pub fn sender_email_type(&self) -> SessionResult<Option<String>> {
        self.text_of(tags::PidTagSenderAddressType)
    }

    /// `SentOnBehalfOfName` (`PidTagSentRepresentingName`).
    pub fn sent_on_behalf_of_name(&self) -> SessionResult<Option<String>> {
        self.text_of(tags::PidTagSentRepresentingName)
    }

    /// `ReceivedByName` (`PidTagReceivedByName`).
    pub fn received_by_name(&self) -> SessionResult<Option<String>> {
        self.text_of(tags::PidTagReceivedByName)
    }
}

impl Recipients {
    /// Every row of the table, in table order, with all its properties.
    fn rows(&self) -> SessionResult<Vec<RecipientRow>> {
        let table = self.item.message().recipient_table()?;
        let mut rows = Vec::new();
        loop {
            let batch = table.query_rows(256)?;
            if batch.is_empty() {
                break;
            }
            for properties in batch {
                if rows.len() >= MAX_RECIPIENTS {
                    return Err(SessionError::Mapi(MapiError::new(
                        mapi::ErrorCode::TooBig,
                        format!("the item has more than {MAX_RECIPIENTS} recipients"),
                    )));
                }
                let row_id = properties
                    .iter()
                    .find(|v| v.tag.id() == tags::PidTagRowid.id())
                    .and_then(|v| v.value.as_i32())
                    .map_or(rows.len() as u32, |id| id as u32);
                rows.push(RecipientRow { row_id, properties });
            }
        }
        Ok(rows)
    }

    /// `Count`.
    pub fn count(&self) -> SessionResult<usize> {
        Ok(self.item.message().recipient_table()?.row_count()? as usize)
    }

    /// Every recipient, in the table's order (`For Each`).
    pub fn list(&self) -> SessionResult<Vec<Recipient>> {
        Ok(self.rows()?.iter().map(RecipientRow::to_recipient).collect())
    }

    /// `Item(Index)`: 1-based, as in COM.
    pub fn item(&self, index: usize) -> SessionResult<Recipient> {
        let rows = self.rows()?;
        let row = checked_index(index, rows.len())?;
        Ok(rows[row].to_recipient())
    }

    /// `Add(Name)`: a new unresolved To recipient (resolve it with [`Recipients::resolve_all`]
    /// or give a resolved one to [`Recipients::add_recipient`]).
    pub fn add(&self, name: &str) -> SessionResult<Recipient> {
        if name.trim().is_empty() {
            return Err(SessionError::Mapi(MapiError::invalid_parameter(
                "a recipient needs a name or an address",
            )));
        }
        self.add_recipient(&Recipient::unresolved(name), OlMailRecipientType::To)
    }

    /// Adds `recipient` (resolved or not) as `kind`; returns it as the table now shows it.
    pub fn add_recipient(
        &self,
        recipient: &Recipient,
        kind: OlMailRecipientType,
    ) -> SessionResult<Recipient> {
        self.add_many(std::slice::from_ref(recipient), kind)?;
        let rows = self.rows()?;
        rows.last().map(RecipientRow::to_recipient).ok_or_else(|| {
            SessionError::Mapi(MapiError::not_found("the store kept no recipient row"))
        })
    }

    fn add_many(&self, recipients: &[Recipient], kind: OlMailRecipientType) -> SessionResult<()> {
        self.item.store().check_writable("change an item's recipients")?;
        let changes: Vec<RecipientChange> =
            recipients.iter().map(|r| RecipientChange::Add(row_properties(r, kind))).collect();
        self.item.message().modify_recipients(&changes)?;
        self.update_display_lists()
    }

    /// `Remove(Index)`: 1-based.
    pub fn remove(&self, index: usize) -> SessionResult<()> {
        self.item.store().check_writable("change an item's recipients")?;
        let rows = self.rows()?;
        let row = &rows[checked_index(index, rows.len())?];
        self.item.message().modify_recipients(&[RecipientChange::Remove { row_id: row.row_id }])?;
        self.update_display_lists()
    }

    /// Replaces every recipient of `kind` with `names` (what setting `To`, `CC` or `BCC`
    /// does): an SMTP address resolves to itself, anything else stays unresolved until
    /// [`Recipients::resolve_all`].
    pub fn replace_kind(&self, kind: OlMailRecipientType, names: &[&str]) -> SessionResult<()> {
        self.item.store().check_writable("change an item's recipients")?;
        let removals: Vec<RecipientChange> = self
            .rows()?
            .iter()
            .filter(|row| row.recipient_type() == kind.value())
            .map(|row| RecipientChange::Remove { row_id: row.row_id })
            .collect();
        if !removals.is_empty() {
            self.item.message().modify_recipients(&removals)?;
        }
        let added: Vec<Recipient> = names
            .iter()
            .map(|name| name.trim())
            .filter(|name| !name.is_empty())
            .map(|name| match parse_mailbox(name) {
                Some((display, address)) => Recipient::smtp(display, address),
                None => Recipient::unresolved(name),
            })
            .collect();
        self.add_many(&added, kind)
    }

    /// `ResolveAll`: resolves every unresolved recipient against the session's address
    /// sources ([`NameSpace::resolve`]); true when all are resolved afterwards.
    pub fn resolve_all(&self, ns: &NameSpace) -> SessionResult<bool> {
        let mut all = true;
        let mut changes = Vec::new();
        for row in self.rows()? {
            let mut recipient = row.to_recipient();
            if recipient.resolved {
                continue;
            }
            if ns.resolve(&mut recipient)? {
                let kind = OlMailRecipientType::from_value(row.recipient_type())
                    .unwrap_or(OlMailRecipientType::To);
                changes.push(RecipientChange::Modify {
                    row_id: row.row_id,
                    properties: row_properties(&recipient, kind),
                });
            } else {
                all = false;
            }
        }
        if !changes.is_empty() {
            self.item.store().check_writable("change an item's recipients")?;
            self.item.message().modify_recipients(&changes)?;
            self.update_display_lists()?;
        }
        Ok(all)
    }

    /// The display names of the recipients of `kind`, joined by "; " as Outlook shows them.
    pub fn display_list(&self, kind: OlMailRecipientType) -> SessionResult<String> {
        let rows = self.rows()?;
        Ok(display_list(&rows, kind))
    }

    fn update_display_lists(&self) -> SessionResult<()> {
        let rows = self.rows()?;
        let values: Vec<TaggedValue> = [
            (tags::PidTagDisplayTo, OlMailRecipientType::To),
            (tags::PidTagDisplayCc, OlMailRecipientType::Cc),
            (tags::PidTagDisplayBcc, OlMailRecipientType::Bcc),
        ]
        .into_iter()
        .map(|(tag, kind)| TaggedValue { tag, value: PropValue::String(display_list(&rows, kind)) })
        .collect();
        self.item.message().set_props(&values)?;
        Ok(())
    }
}

fn display_list(rows: &[RecipientRow], kind: OlMailRecipientType) -> String {
    rows.iter()
        .filter(|row| row.recipient_type() == kind.value())
        .map(|row| row.to_recipient().name)
        .collect::<Vec<_>>()
        .join("; ")
}

fn checked_index(index: usize, count: usize) -> SessionResult<usize> {
    if index == 0 || index > count {
        return Err(SessionError::Mapi(MapiError::invalid_parameter(format!(
            "index {index} is out of range: the collection has {count} member(s), numbered from 1"
        ))));
    }
    Ok(index - 1)
}

/// `"Name <a@b>"` or a bare `a@b`: (display name, address); `None` when it is no address.
fn parse_mailbox(text: &str) -> Option<(&str, &str)> {
    let text = text.trim();
    if let (Some(open), true) = (text.rfind('<'), text.ends_with('>')) {
        let address = text[open + 1..text.len() - 1].trim();
        let name = text[..open].trim().trim_matches('"').trim();
        return looks_like_address(address)
            .then_some((if name.is_empty() { address } else { name }, address));
    }
    looks_like_address(text).then_some((text, text))
}

fn looks_like_address(text: &str) -> bool {
    match text.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.is_empty()
                && !domain.contains('@')
                && !text.contains(|c: char| c.is_whitespace() || c == '<' || c == '>')
        }
        None => false,
    }
}

/// Splits what a user typed into `To`: recipients are separated by `;` (Outlook's separator;
/// a comma is part of a display name such as "Doe, Jane").
pub fn split_recipient_list(text: &str) -> Vec<&str> {
    text.split(';').map(str::trim).filter(|s| !s.is_empty()).collect()
}

impl MailItem {
    /// `To`: the display names of the To recipients, from the recipient table.
    pub fn to(&self) -> SessionResult<Option<String>> {
        self.kind_list(OlMailRecipientType::To)
    }

    pub fn cc(&self) -> SessionResult<Option<String>> {
        self.kind_list(OlMailRecipientType::Cc)
    }

    pub fn bcc(&self) -> SessionResult<Option<String>> {
        self.kind_list(OlMailRecipientType::Bcc)
    }

    /// Setting `To` replaces the To recipients (`"a@x; Name <b@y>; Jane"`).
    pub fn set_to(&self, text: &str) -> SessionResult<()> {
        self.recipients().replace_kind(OlMailRecipientType::To, &split_recipient_list(text))
    }

    pub fn set_cc(&self, text: &str) -> SessionResult<()> {
        self.recipients().replace_kind(OlMailRecipientType::Cc, &split_recipient_list(text))
    }

    pub fn set_bcc(&self, text: &str) -> SessionResult<()> {
        self.recipients().replace_kind(OlMailRecipientType::Bcc, &split_recipient_list(text))
    }

    fn kind_list(&self, kind: OlMailRecipientType) -> SessionResult<Option<String>> {
        let list = self.recipients().display_list(kind)?;
        if !list.is_empty() {
            return Ok(Some(list));
        }
        // A message whose table is empty may still carry the display list its sender's store
        // computed (the table can be stripped by an export): show that rather than nothing.
        let tag = match kind {
            OlMailRecipientType::Cc => tags::PidTagDisplayCc,
            OlMailRecipientType::Bcc => tags::PidTagDisplayBcc,
            _ => tags::PidTagDisplayTo,
        };
        Ok(self.text_of(tag)?.filter(|s| !s.is_empty()))
    }
}

/// Whether `entry_id` is a one-off entry ID (MS-OXCDATA 2.2.5.1), for callers that show how
/// a recipient was resolved.
pub fn is_one_off(entry_id: &[u8]) -> bool {
    matches!(EntryId::decode(entry_id), Ok(EntryId::OneOff(_)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mailboxes_are_recognised_with_and_without_a_display_name() {
        assert_eq!(parse_mailbox("a@b.c"), Some(("a@b.c", "a@b.c")));
        assert_eq!(parse_mailbox("Jane Doe <jane@x.org>"), Some(("Jane Doe", "jane@x.org")));
        assert_eq!(parse_mailbox("\"Doe, Jane\" <jane@x.org>"), Some(("Doe, Jane", "jane@x.org")));
        assert_eq!(parse_mailbox("Jane Doe"), None);
        assert_eq!(parse_mailbox("a@@b"), None);
        assert_eq!(parse_mailbox("<>"), None);
    }

    #[test]
    fn lists_split_on_semicolons_only() {
        assert_eq!(split_recipient_list("a@x; Doe, Jane ;;b@y"), vec!["a@x", "Doe, Jane", "b@y"]);
    }

    #[test]
    fn indexes_are_one_based_and_checked() {
        assert_eq!(checked_index(1, 3).unwrap(), 0);
        assert_eq!(checked_index(3, 3).unwrap(), 2);
        let err = checked_index(0, 3).unwrap_err();
        assert!(err.to_string().contains("numbered from 1"), "{err}");
        assert!(checked_index(4, 3).is_err());
    }
}
