//! Exchange-shaped long-term entry IDs (MS-OXCDATA 2.2.4.1 Folder EntryID, 2.2.4.2 Message
//! EntryID), built and read with `mapi::entry_id`: the mailbox GUID is the provider UID, the
//! database GUID plus a 48-bit global counter (the object's ID here) make the GID.

use mapi::entry_id::{ExchangeFolderType, ExchangeMessageType, GlobalCounter};
use mapi::{
    EntryId, ErrorCode, FolderEntryId, Gid, Guid, MapiError, MapiResult, MessageEntryId,
    ProviderUid,
};

pub const FOLDER_ENTRY_ID_LEN: usize = FolderEntryId::LEN;

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

impl IdContext {
    fn gid(&self, counter: i64) -> Gid {
        // Object IDs come from a counter that starts at 0x100 and would need 2^48 objects to
        // overflow 48 bits; clamp rather than panic.
        let value = u64::try_from(counter).unwrap_or(0).min(GlobalCounter::MAX);
        Gid::new(self.database, value).unwrap_or(Gid {
            database_guid: self.database,
            global_counter: GlobalCounter::from_be_bytes([0xFF; 6]),
        })
    }

    pub fn folder_entry_id(&self, folder: i64) -> Vec<u8> {
        FolderEntryId::new(
            ProviderUid::from_guid(self.mailbox),
            ExchangeFolderType::Private,
            self.gid(folder),
        )
        .encode()
    }

    pub fn message_entry_id(&self, folder: i64, message: i64) -> Vec<u8> {
        MessageEntryId::new(
            ProviderUid::from_guid(self.mailbox),
            ExchangeMessageType::Private,
            self.gid(folder),
            self.gid(message),
        )
        .encode()
    }

    fn counter(&self, gid: Gid) -> MapiResult<i64> {
        if gid.database_guid != self.database {
            return Err(MapiError::not_found(format!(
                "the entry ID names database {}, not this mailbox's {}",
                gid.database_guid, self.database
            )));
        }
        Ok(i64::try_from(gid.global_counter.value()).unwrap_or(i64::MAX))
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
        let decoded =
            EntryId::decode(bytes).map_err(|e| MapiError::invalid_entry_id(e.to_string()))?;
        match decoded {
            EntryId::Folder(id) if id.folder_type == ExchangeFolderType::Private => {
                Ok(ObjectRef::Folder(self.counter(id.folder)?))
            }
            EntryId::Message(id) if id.message_type == ExchangeMessageType::Private => {
                Ok(ObjectRef::Message {
                    folder: self.counter(id.folder)?,
                    message: self.counter(id.message)?,
                })
            }
            _ => Err(MapiError::invalid_entry_id(format!(
                "a {}-byte entry ID of this store that is neither a private folder ({} bytes) \
                 nor a private message ({} bytes)",
                bytes.len(),
                FolderEntryId::LEN,
                MessageEntryId::LEN
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
