//! Exchange-shaped long-term entry IDs (MS-OXCDATA 2.2.4.1 Folder EntryID, 2.2.4.2 Message
//! EntryID): the mailbox GUID is the provider UID, the database GUID plus a 48-bit global
//! counter identify the object (MS-OXCDATA 2.2.1.3.1 LongTermID; the counter is big-endian).

use mapi::{ErrorCode, Guid, MapiError, MapiResult};

/// eitLTPrivateFolder.
pub const PRIVATE_FOLDER: u16 = 0x0001;
/// eitLTPrivateMessage.
pub const PRIVATE_MESSAGE: u16 = 0x0007;
pub const FOLDER_ENTRY_ID_LEN: usize = 46;
pub const MESSAGE_ENTRY_ID_LEN: usize = 70;
const MAX_COUNTER: i64 = (1 << 48) - 1;

/// What an entry ID of this mailbox names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectRef {
    Folder(i64),
    Message { folder: i64, message: i64 },
}

/// The identity every entry ID of one mailbox shares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdContext {
    pub mailbox: Guid,
    pub database: Guid,
}

fn push_long_term_id(out: &mut Vec<u8>, database: Guid, counter: i64) {
    out.extend_from_slice(&database.to_le_bytes());
    let counter = u64::try_from(counter).unwrap_or(0).to_be_bytes();
    out.extend_from_slice(&counter[2..]);
    out.extend_from_slice(&[0, 0]);
}

impl IdContext {
    pub fn folder_entry_id(&self, folder: i64) -> Vec<u8> {
        let mut out = Vec::with_capacity(FOLDER_ENTRY_ID_LEN);
        out.extend_from_slice(&[0; 4]);
        out.extend_from_slice(&self.mailbox.to_le_bytes());
        out.extend_from_slice(&PRIVATE_FOLDER.to_le_bytes());
        push_long_term_id(&mut out, self.database, folder);
        out
    }

    pub fn message_entry_id(&self, folder: i64, message: i64) -> Vec<u8> {
        let mut out = Vec::with_capacity(MESSAGE_ENTRY_ID_LEN);
        out.extend_from_slice(&[0; 4]);
        out.extend_from_slice(&self.mailbox.to_le_bytes());
        out.extend_from_slice(&PRIVATE_MESSAGE.to_le_bytes());
        push_long_term_id(&mut out, self.database, folder);
        push_long_term_id(&mut out, self.database, message);
        out
    }

    fn counter(&self, bytes: &[u8], at: usize) -> MapiResult<i64> {
        let database = Guid::from_le_bytes(bytes[at..at + 16].try_into().unwrap_or([0; 16]));
        if database != self.database {
            return Err(MapiError::not_found(format!(
                "the entry ID names database {database}, not this mailbox's {}",
                self.database
            )));
        }
        let mut counter = [0u8; 8];
        counter[2..].copy_from_slice(&bytes[at + 16..at + 22]);
        let value = i64::try_from(u64::from_be_bytes(counter)).unwrap_or(MAX_COUNTER);
        Ok(value)
    }

    /// Parses an entry ID of this mailbox, ignoring the flag bytes (short-term and long-term
    /// forms name the same object).
    pub fn parse(&self, bytes: &[u8]) -> MapiResult<ObjectRef> {
        if bytes.len() < 22 {
            return Err(MapiError::invalid_entry_id(format!(
                "an entry ID of {} bytes is too short (a folder's has {FOLDER_ENTRY_ID_LEN})",
                bytes.len()
            )));
        }
        let provider = Guid::from_le_bytes(bytes[4..20].try_into().unwrap_or([0; 16]));
        if provider != self.mailbox {
            return Err(MapiError::new(
                ErrorCode::UnknownEntryId,
                format!(
                    "the entry ID belongs to store {provider}, not to mailbox {}",
                    self.mailbox
                ),
            ));
        }
        let kind = u16::from_le_bytes([bytes[20], bytes[21]]);
        match (kind, bytes.len()) {
            (PRIVATE_FOLDER, FOLDER_ENTRY_ID_LEN) => {
                Ok(ObjectRef::Folder(self.counter(bytes, 22)?))
            }
            (PRIVATE_MESSAGE, MESSAGE_ENTRY_ID_LEN) => Ok(ObjectRef::Message {
                folder: self.counter(bytes, 22)?,
                message: self.counter(bytes, 46)?,
            }),
            (kind, len) => Err(MapiError::invalid_entry_id(format!(
                "entry ID type 0x{kind:04X} with {len} bytes is neither a private folder \
                 (0x0001, {FOLDER_ENTRY_ID_LEN} bytes) nor a private message (0x0007, \
                 {MESSAGE_ENTRY_ID_LEN} bytes)"
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context() -> IdContext {
        IdContext { mailbox: Guid::new_random(), database: Guid::new_random() }
    }

    #[test]
    fn folder_and_message_ids_have_the_exchange_lengths_and_parse_back() {
        let ctx = context();
        let folder = ctx.folder_entry_id(0x0012_3456_789A);
        assert_eq!(folder.len(), 46);
        assert_eq!(&folder[20..22], &[1, 0]);
        assert_eq!(&folder[38..44], &[0, 0x12, 0x34, 0x56, 0x78, 0x9A]);
        assert_eq!(ctx.parse(&folder).unwrap(), ObjectRef::Folder(0x0012_3456_789A));
        let message = ctx.message_entry_id(5, 77);
        assert_eq!(message.len(), 70);
        assert_eq!(ctx.parse(&message).unwrap(), ObjectRef::Message { folder: 5, message: 77 });
    }

    #[test]
    fn flag_bytes_do_not_matter() {
        let ctx = context();
        let mut id = ctx.folder_entry_id(300);
        id[0] = 0xFF;
        assert_eq!(ctx.parse(&id).unwrap(), ObjectRef::Folder(300));
    }

    #[test]
    fn another_stores_id_is_unknown_and_garbage_is_invalid() {
        let ctx = context();
        let other = context().folder_entry_id(300);
        assert_eq!(ctx.parse(&other).unwrap_err().code, ErrorCode::UnknownEntryId);
        assert_eq!(ctx.parse(&[1, 2, 3]).unwrap_err().code, ErrorCode::InvalidEntryId);
        let mut wrong_len = ctx.folder_entry_id(300);
        wrong_len.push(0);
        assert_eq!(ctx.parse(&wrong_len).unwrap_err().code, ErrorCode::InvalidEntryId);
    }
}
