//! Entry IDs (MS-OXCDATA 2.2, the MAPI `ENTRYID`): four flag bytes, a 16-byte provider UID that
//! routes the ID to its owner, then provider data.
//!
//! [`EntryId::decode`] recognises the kinds MS-OXCDATA defines and keeps every other provider's
//! data verbatim ([`ProviderEntryId`]). Every kind encodes back to exactly the bytes it was decoded
//! from, so a decoded ID can be stored, shown and handed back without loss.
//!
//! Byte order: integers are little-endian, except the 6-byte global counter of a GID, which is
//! big-endian (see [`GlobalCounter`]). GUIDs are in the MS-DTYP packet layout (first three fields
//! little-endian). Provider UIDs are *not* read as GUIDs: MAPI compares them as 16 raw bytes, so
//! [`ProviderUid`] keeps them as bytes and shows them as upper-case hex in stored order.

use crate::hex::{self, HexError};
use crate::{ErrorCode, Guid, MapiError};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Flag bits of `abFlags[0]` (MAPI `ENTRYID`; MS-OXCDATA 2.2.1). Long-term IDs have all four
/// flag bytes zero; every ID stored in a property value is long-term.
pub mod flags {
    /// MAPI_SHORTTERM: valid only for this session.
    pub const SHORT_TERM: u8 = 0x80;
    /// MAPI_NOTRECIP: cannot be used as a recipient.
    pub const NOT_RECIPIENT: u8 = 0x40;
    /// MAPI_THISSESSION: valid only in this session.
    pub const THIS_SESSION: u8 = 0x20;
    /// MAPI_NOW: valid only now.
    pub const NOW: u8 = 0x10;
    /// MAPI_NOTRESERVED: the other flag bytes are in use.
    pub const NOT_RESERVED: u8 = 0x08;
    /// The four flag bytes of a long-term ID.
    pub const LONG_TERM: [u8; 4] = [0; 4];
}

/// Bytes every entry ID starts with: 4 flag bytes and the 16-byte provider UID.
pub const HEADER_LEN: usize = 20;

// ------------------------------------------------------------------------------------------------
// Errors

/// Why bytes or hex text are not a well-formed entry ID. Offsets count from the first flag byte.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EntryIdError {
    #[error(
        "entry ID is {length} bytes; at least 20 are needed (4 flag bytes + 16-byte provider UID)"
    )]
    TooShort { length: usize },
    #[error(
        "{kind} entry ID: {field} at offset {offset} needs {needed} bytes, but only {available} remain"
    )]
    Truncated {
        kind: &'static str,
        field: &'static str,
        offset: usize,
        needed: usize,
        available: usize,
    },
    #[error("{kind} entry ID: {field} starting at offset {offset} has no terminating NUL")]
    Unterminated { kind: &'static str, field: &'static str, offset: usize },
    #[error("{kind} entry ID: {field} starting at offset {offset} is not valid UTF-16LE")]
    InvalidUtf16 { kind: &'static str, field: &'static str, offset: usize },
    #[error("{kind} entry ID: padding byte at offset {offset} must be zero, found 0x{value:02X}")]
    NonZeroPadding { kind: &'static str, offset: usize, value: u8 },
    #[error(
        "{kind} entry ID: {count} unexpected byte(s) after {field}, starting at offset {offset}"
    )]
    TrailingBytes { kind: &'static str, field: &'static str, offset: usize, count: usize },
    #[error("{kind} entry ID: {field} at offset {offset} is {value}; {expected}")]
    BadValue {
        kind: &'static str,
        field: &'static str,
        offset: usize,
        value: u64,
        expected: &'static str,
    },
    #[error("entry ID hex text: {0}")]
    Hex(#[from] HexError),
}

impl From<EntryIdError> for MapiError {
    fn from(error: EntryIdError) -> MapiError {
        MapiError::new(ErrorCode::InvalidEntryId, error.to_string())
    }
}

#[allow(dead_code)] // used by the store, one-off and address book kinds (next commit)
/// A cursor over entry ID bytes that reports failures with the field name and offset.
struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    kind: &'static str,
}

#[allow(dead_code)] // used by the store, one-off and address book kinds (next commit)
impl<'a> Reader<'a> {
    fn new(bytes: &'a [u8], pos: usize, kind: &'static str) -> Reader<'a> {
        Reader { bytes, pos, kind }
    }

    fn remaining(&self) -> usize {
        self.bytes.len() - self.pos
    }

    fn take(&mut self, needed: usize, field: &'static str) -> Result<&'a [u8], EntryIdError> {
        let available = self.remaining();
        if needed > available {
            return Err(EntryIdError::Truncated {
                kind: self.kind,
                field,
                offset: self.pos,
                needed,
                available,
            });
        }
        let slice = &self.bytes[self.pos..self.pos + needed];
        self.pos += needed;
        Ok(slice)
    }

    fn array<const N: usize>(&mut self, field: &'static str) -> Result<[u8; N], EntryIdError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N, field)?);
        Ok(out)
    }

    fn u8(&mut self, field: &'static str) -> Result<u8, EntryIdError> {
        Ok(self.array::<1>(field)?[0])
    }

    fn u16(&mut self, field: &'static str) -> Result<u16, EntryIdError> {
        Ok(u16::from_le_bytes(self.array(field)?))
    }

    fn u32(&mut self, field: &'static str) -> Result<u32, EntryIdError> {
        Ok(u32::from_le_bytes(self.array(field)?))
    }

    /// A NUL-terminated 8-bit string. The code page is not recorded in the entry ID, so bytes are
    /// read as Latin-1 (each byte one code point): lossless, and exact for ASCII.
    fn string8(&mut self, field: &'static str) -> Result<String, EntryIdError> {
        let start = self.pos;
        let rest = &self.bytes[start..];
        let Some(end) = rest.iter().position(|&b| b == 0) else {
            return Err(EntryIdError::Unterminated { kind: self.kind, field, offset: start });
        };
        self.pos = start + end + 1;
        Ok(rest[..end].iter().map(|&b| char::from(b)).collect())
    }

    /// A NUL-terminated UTF-16LE string (the terminator is a whole zero code unit).
    fn string16(&mut self, field: &'static str) -> Result<String, EntryIdError> {
        let start = self.pos;
        let rest = &self.bytes[start..];
        let Some(end) = rest.chunks_exact(2).position(|pair| pair == [0, 0]) else {
            return Err(EntryIdError::Unterminated { kind: self.kind, field, offset: start });
        };
        let units = rest[..end * 2].chunks_exact(2).map(|p| u16::from_le_bytes([p[0], p[1]]));
        let text = char::decode_utf16(units)
            .collect::<Result<String, _>>()
            .map_err(|_| EntryIdError::InvalidUtf16 { kind: self.kind, field, offset: start })?;
        self.pos = start + end * 2 + 2;
        Ok(text)
    }

    /// Zero bytes up to the next multiple of `align` (measured from the first flag byte).
    fn padding(&mut self, align: usize) -> Result<(), EntryIdError> {
        while !self.pos.is_multiple_of(align) && self.pos < self.bytes.len() {
            let value = self.bytes[self.pos];
            if value != 0 {
                return Err(EntryIdError::NonZeroPadding {
                    kind: self.kind,
                    offset: self.pos,
                    value,
                });
            }
            self.pos += 1;
        }
        Ok(())
    }

    fn rest(&mut self) -> &'a [u8] {
        let rest = &self.bytes[self.pos..];
        self.pos = self.bytes.len();
        rest
    }

    fn finish(&self, after: &'static str) -> Result<(), EntryIdError> {
        match self.remaining() {
            0 => Ok(()),
            count => Err(EntryIdError::TrailingBytes {
                kind: self.kind,
                field: after,
                offset: self.pos,
                count,
            }),
        }
    }
}

#[allow(dead_code)] // used by the store, one-off and address book kinds (next commit)
/// Latin-1 bytes of a string read by [`Reader::string8`]; characters above U+00FF (which such
/// a string cannot hold) become `?`.
fn latin1(text: &str) -> impl Iterator<Item = u8> + '_ {
    text.chars().map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?'))
}

#[allow(dead_code)] // used by the store, one-off and address book kinds (next commit)
fn push_string8(out: &mut Vec<u8>, text: &str) {
    out.extend(latin1(text));
    out.push(0);
}

#[allow(dead_code)] // used by the store, one-off and address book kinds (next commit)
fn push_string16(out: &mut Vec<u8>, text: &str) {
    for unit in text.encode_utf16() {
        out.extend_from_slice(&unit.to_le_bytes());
    }
    out.extend_from_slice(&[0, 0]);
}

// ------------------------------------------------------------------------------------------------
// Provider UID

/// A provider UID (MAPI `MAPIUID`): 16 bytes that name the provider owning an entry ID. Kept as
/// raw bytes because MAPI compares them bytewise and many are not GUIDs at all (a PST's UID is
/// its record key). Shown and parsed as 32 upper-case hex digits in stored order.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct ProviderUid(pub [u8; 16]);

impl ProviderUid {
    /// muidStoreWrap: MAPI's wrapper around a store provider's own store entry ID
    /// (MS-OXCDATA 2.2.4.3).
    pub const STORE_WRAP: ProviderUid = ProviderUid([
        0x38, 0xA1, 0xBB, 0x10, 0x05, 0xE5, 0x10, 0x1A, 0xA1, 0xBB, 0x08, 0x00, 0x2B, 0x2A, 0x56,
        0xC2,
    ]);
    /// MAPI_ONE_OFF_UID (MS-OXCDATA 2.2.5.1).
    pub const ONE_OFF: ProviderUid = ProviderUid([
        0x81, 0x2B, 0x1F, 0xA4, 0xBE, 0xA3, 0x10, 0x19, 0x9D, 0x6E, 0x00, 0xDD, 0x01, 0x0F, 0x54,
        0x02,
    ]);
    /// The Exchange address book (NSPI) provider (MS-OXCDATA 2.2.5.2).
    pub const ADDRESS_BOOK: ProviderUid = ProviderUid([
        0xDC, 0xA7, 0x40, 0xC8, 0xC0, 0x42, 0x10, 0x1A, 0xB4, 0xB9, 0x08, 0x00, 0x2B, 0x2F, 0xE1,
        0x82,
    ]);
    /// The Contacts address book provider (MS-OXCDATA 2.2.5.3).
    pub const CONTACT_ADDRESS_BOOK: ProviderUid = ProviderUid([
        0xFE, 0x42, 0xAA, 0x0A, 0x18, 0xC7, 0x1A, 0x10, 0xE8, 0x85, 0x0B, 0x65, 0x1C, 0x24, 0x00,
        0x00,
    ]);
    /// Wrapped provider UID of an Exchange mailbox store (MS-OXCDATA 2.2.4.3).
    pub const EXCHANGE_PRIVATE_STORE: ProviderUid = ProviderUid([
        0x1B, 0x55, 0xFA, 0x20, 0xAA, 0x66, 0x11, 0xCD, 0x9B, 0xC8, 0x00, 0xAA, 0x00, 0x2F, 0xC4,
        0x5A,
    ]);
    /// Wrapped provider UID of an Exchange public folder store (MS-OXCDATA 2.2.4.3).
    pub const EXCHANGE_PUBLIC_STORE: ProviderUid = ProviderUid([
        0x1C, 0x83, 0x02, 0x10, 0xAA, 0x66, 0x11, 0xCD, 0x9B, 0xC8, 0x00, 0xAA, 0x00, 0x2F, 0xC4,
        0x5A,
    ]);

    pub const fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }

    /// The bytes of a GUID in its stored (MS-DTYP packet) layout.
    pub const fn from_guid(guid: Guid) -> ProviderUid {
        ProviderUid(guid.to_le_bytes())
    }

    /// Reads the bytes as a GUID in stored layout (for providers whose UID is a GUID).
    pub const fn to_guid(self) -> Guid {
        Guid::from_le_bytes(self.0)
    }

    pub fn to_hex(&self) -> String {
        hex::encode(&self.0)
    }
}

impl fmt::Display for ProviderUid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for ProviderUid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ProviderUid({})", self.to_hex())
    }
}

/// Why text is not a provider UID.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProviderUidError {
    #[error("provider UID: {0}")]
    Hex(#[from] HexError),
    #[error("a provider UID is 16 bytes (32 hex digits), not {0} bytes")]
    Length(usize),
}

impl FromStr for ProviderUid {
    type Err = ProviderUidError;
    fn from_str(text: &str) -> Result<ProviderUid, ProviderUidError> {
        let bytes = hex::decode(text)?;
        let array: [u8; 16] =
            bytes.as_slice().try_into().map_err(|_| ProviderUidError::Length(bytes.len()))?;
        Ok(ProviderUid(array))
    }
}

impl Serialize for ProviderUid {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_hex())
    }
}

impl<'de> Deserialize<'de> for ProviderUid {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?.parse().map_err(serde::de::Error::custom)
    }
}

/// serde helper: the four flag bytes as 8 hex digits.
mod serde_flags {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(flags: &[u8; 4], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&crate::hex::encode(flags))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<[u8; 4], D::Error> {
        let text = String::deserialize(d)?;
        let bytes = crate::hex::decode(&text).map_err(serde::de::Error::custom)?;
        bytes.as_slice().try_into().map_err(|_| {
            serde::de::Error::custom(format!("entry ID flags are 4 bytes, not {}", bytes.len()))
        })
    }
}

// ------------------------------------------------------------------------------------------------
// Global identifiers (MS-OXCDATA 2.2.1.3)

/// A 48-bit global counter (GLOBCNT, MS-OXCFXICS 2.2.2.5): the part of a folder or message ID
/// that numbers the object within its store.
///
/// Stored big-endian (most significant byte first), unlike every other integer in MAPI: Exchange
/// allocates counters so that bytewise comparison orders them (MS-OXCFXICS GLOBSET/IDSET encoding
/// relies on this), and servers such as OpenChange and gromox convert it the same way.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize)]
#[serde(try_from = "u64", into = "u64")]
pub struct GlobalCounter(u64);

impl GlobalCounter {
    /// The largest counter: 2^48 - 1.
    pub const MAX: u64 = (1 << 48) - 1;

    /// A counter, or `None` when `value` does not fit in 48 bits.
    pub const fn new(value: u64) -> Option<GlobalCounter> {
        if value <= Self::MAX { Some(GlobalCounter(value)) } else { None }
    }

    pub const fn value(self) -> u64 {
        self.0
    }

    pub const fn from_be_bytes(bytes: [u8; 6]) -> GlobalCounter {
        let mut value = 0u64;
        let mut i = 0;
        while i < 6 {
            value = (value << 8) | bytes[i] as u64;
            i += 1;
        }
        GlobalCounter(value)
    }

    pub const fn to_be_bytes(self) -> [u8; 6] {
        let b = self.0.to_be_bytes();
        [b[2], b[3], b[4], b[5], b[6], b[7]]
    }
}

impl fmt::Debug for GlobalCounter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "GlobalCounter(0x{:012X})", self.0)
    }
}

impl TryFrom<u64> for GlobalCounter {
    type Error = String;
    fn try_from(value: u64) -> Result<GlobalCounter, String> {
        GlobalCounter::new(value)
            .ok_or_else(|| format!("global counter {value:#x} does not fit in 48 bits"))
    }
}

impl From<GlobalCounter> for u64 {
    fn from(counter: GlobalCounter) -> u64 {
        counter.0
    }
}

/// A Global Identifier (GID, MS-OXCDATA 2.2.1.3): the store database GUID plus the global counter.
/// Together with 2 zero pad bytes it ends every Exchange folder and message entry ID. It is the
/// long-term form of a FID/MID, whose 2-byte replica ID stands for the database GUID.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Gid {
    pub database_guid: Guid,
    pub global_counter: GlobalCounter,
}

impl Gid {
    /// Size of a GID on the wire.
    pub const LEN: usize = 22;

    pub fn from_bytes(bytes: [u8; 22]) -> Gid {
        let mut guid = [0u8; 16];
        guid.copy_from_slice(&bytes[..16]);
        let mut counter = [0u8; 6];
        counter.copy_from_slice(&bytes[16..]);
        Gid {
            database_guid: Guid::from_le_bytes(guid),
            global_counter: GlobalCounter::from_be_bytes(counter),
        }
    }

    pub fn to_bytes(&self) -> [u8; 22] {
        let mut out = [0u8; 22];
        out[..16].copy_from_slice(&self.database_guid.to_le_bytes());
        out[16..].copy_from_slice(&self.global_counter.to_be_bytes());
        out
    }

    /// Reads GID + 2 pad bytes; `None` when the pad is not zero.
    fn from_padded(bytes: &[u8]) -> Option<Gid> {
        let (gid, pad) = bytes.split_at(Gid::LEN);
        if pad != [0, 0] {
            return None;
        }
        gid.try_into().ok().map(Gid::from_bytes)
    }
}

// ------------------------------------------------------------------------------------------------
// Exchange folder and message entry IDs (MS-OXCDATA 2.2.4.1, 2.2.4.2)

/// The object type at the start of an Exchange store object's provider data (MS-OXCDATA 2.2.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExchangeFolderType {
    /// eitLTPrivateFolder 0x0001: a folder in a mailbox.
    Private,
    /// eitLTPublicFolder 0x0003.
    Public,
    /// eitLTWackyFolder 0x0005: a public folder mapped into a mailbox.
    MappedPublic,
}

impl ExchangeFolderType {
    pub const fn code(self) -> u16 {
        match self {
            ExchangeFolderType::Private => 0x0001,
            ExchangeFolderType::Public => 0x0003,
            ExchangeFolderType::MappedPublic => 0x0005,
        }
    }

    pub const fn from_code(code: u16) -> Option<ExchangeFolderType> {
        match code {
            0x0001 => Some(ExchangeFolderType::Private),
            0x0003 => Some(ExchangeFolderType::Public),
            0x0005 => Some(ExchangeFolderType::MappedPublic),
            _ => None,
        }
    }
}

/// The object type of an Exchange message entry ID (MS-OXCDATA 2.2.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExchangeMessageType {
    /// eitLTPrivateMessage 0x0007.
    Private,
    /// eitLTPublicMessage 0x0009.
    Public,
    /// eitLTWackyMessage 0x000B.
    MappedPublic,
}

impl ExchangeMessageType {
    pub const fn code(self) -> u16 {
        match self {
            ExchangeMessageType::Private => 0x0007,
            ExchangeMessageType::Public => 0x0009,
            ExchangeMessageType::MappedPublic => 0x000B,
        }
    }

    pub const fn from_code(code: u16) -> Option<ExchangeMessageType> {
        match code {
            0x0007 => Some(ExchangeMessageType::Private),
            0x0009 => Some(ExchangeMessageType::Public),
            0x000B => Some(ExchangeMessageType::MappedPublic),
            _ => None,
        }
    }
}

/// Exchange Folder EntryID (MS-OXCDATA 2.2.4.1), 46 bytes: flags, provider UID (the mailbox's
/// store GUID, so not a fixed value), folder type, folder GID, 2 zero pad bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FolderEntryId {
    #[serde(with = "serde_flags")]
    pub flags: [u8; 4],
    pub provider_uid: ProviderUid,
    pub folder_type: ExchangeFolderType,
    pub folder: Gid,
}

impl FolderEntryId {
    pub const LEN: usize = 46;

    /// A long-term folder entry ID.
    pub fn new(provider_uid: ProviderUid, folder_type: ExchangeFolderType, folder: Gid) -> Self {
        FolderEntryId { flags: flags::LONG_TERM, provider_uid, folder_type, folder }
    }

    /// The folder form, when the bytes have its exact size, a folder type and zero padding.
    /// Other providers' IDs of the same size fall through to [`ProviderEntryId`].
    fn recognise(bytes: &[u8]) -> Option<FolderEntryId> {
        if bytes.len() != Self::LEN {
            return None;
        }
        let folder_type =
            ExchangeFolderType::from_code(u16::from_le_bytes([bytes[20], bytes[21]]))?;
        Some(FolderEntryId {
            flags: header_flags(bytes),
            provider_uid: header_uid(bytes),
            folder_type,
            folder: Gid::from_padded(&bytes[22..46])?,
        })
    }

    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(Self::LEN);
        out.extend_from_slice(&self.flags);
        out.extend_from_slice(&self.provider_uid.0);
        out.extend_from_slice(&self.folder_type.code().to_le_bytes());
        out.extend_from_slice(&self.folder.to_bytes());
        out.extend_from_slice(&[0, 0]);
        out
    }
}

/// Exchange Message EntryID (MS-OXCDATA 2.2.4.2), 70 bytes: flags, provider UID, message type,
/// the GID of the folder holding the message + 2 pad bytes, the message GID + 2 pad bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MessageEntryId {
    #[serde(with = "serde_flags")]
    pub flags: [u8; 4],
    pub provider_uid: ProviderUid,
    pub message_type: ExchangeMessageType,
    pub folder: Gid,
    pub message: Gid,
}

impl MessageEntryId {
    pub const LEN: usize = 70;

    /// A long-term message entry ID.
    pub fn new(
        provider_uid: ProviderUid,
        message_type: ExchangeMessageType,
        folder: Gid,
        message: Gid,
    ) -> Self {
        MessageEntryId { flags: flags::LONG_TERM, provider_uid, message_type, folder, message }
    }

    fn recognise(bytes: &[u8]) -> Option<MessageEntryId> {
        if bytes.len() != Self::LEN {
            return None;
        }
        let message_type =
            ExchangeMessageType::from_code(u16::from_le_bytes([bytes[20], bytes[21]]))?;
        Some(MessageEntryId {
            flags: header_flags(bytes),
            provider_uid: header_uid(bytes),
            message_type,
            folder: Gid::from_padded(&bytes[22..46])?,
            message: Gid::from_padded(&bytes[46..70])?,
        })
    }

    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(Self::LEN);
        out.extend_from_slice(&self.flags);
        out.extend_from_slice(&self.provider_uid.0);
        out.extend_from_slice(&self.message_type.code().to_le_bytes());
        out.extend_from_slice(&self.folder.to_bytes());
        out.extend_from_slice(&[0, 0]);
        out.extend_from_slice(&self.message.to_bytes());
        out.extend_from_slice(&[0, 0]);
        out
    }
}

fn header_flags(bytes: &[u8]) -> [u8; 4] {
    [bytes[0], bytes[1], bytes[2], bytes[3]]
}

fn header_uid(bytes: &[u8]) -> ProviderUid {
    let mut uid = [0u8; 16];
    uid.copy_from_slice(&bytes[4..20]);
    ProviderUid(uid)
}

// ------------------------------------------------------------------------------------------------
// Any other provider, and PST object entry IDs (MS-PST 2.4.3.2)

/// An entry ID of a provider this module has no layout for: flags, provider UID and the
/// provider's data, kept verbatim.
///
/// PST object entry IDs land here: 4 flag bytes, the store's record key (`PidTagRecordKey` of the
/// message store, any 16 bytes) and a 4-byte node ID. Only a caller that knows the store's record
/// key can tell them apart; it uses [`ProviderEntryId::pst_node_id`] and [`EntryId::pst`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ProviderEntryId {
    #[serde(with = "serde_flags")]
    pub flags: [u8; 4],
    pub provider_uid: ProviderUid,
    #[serde(with = "crate::hex::serde_bytes_hex")]
    pub data: Vec<u8>,
}

impl ProviderEntryId {
    /// The provider data read as a PST node ID (MS-PST 2.2.2.1), when it is exactly 4 bytes.
    pub fn pst_node_id(&self) -> Option<PstNodeId> {
        let nid: [u8; 4] = self.data.as_slice().try_into().ok()?;
        Some(PstNodeId(u32::from_le_bytes(nid)))
    }

    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(HEADER_LEN + self.data.len());
        out.extend_from_slice(&self.flags);
        out.extend_from_slice(&self.provider_uid.0);
        out.extend_from_slice(&self.data);
        out
    }
}

/// A PST node ID (NID, MS-PST 2.2.2.1): node type in the low 5 bits, node index above them.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PstNodeId(pub u32);

impl PstNodeId {
    /// NID_TYPE_INTERNAL.
    pub const TYPE_INTERNAL: u8 = 0x01;
    /// NID_TYPE_NORMAL_FOLDER.
    pub const TYPE_NORMAL_FOLDER: u8 = 0x02;
    /// NID_TYPE_SEARCH_FOLDER.
    pub const TYPE_SEARCH_FOLDER: u8 = 0x03;
    /// NID_TYPE_NORMAL_MESSAGE.
    pub const TYPE_NORMAL_MESSAGE: u8 = 0x04;
    /// NID_TYPE_ATTACHMENT.
    pub const TYPE_ATTACHMENT: u8 = 0x05;

    /// A node ID from its type (5 bits) and index (27 bits); `None` if either does not fit.
    pub const fn new(nid_type: u8, index: u32) -> Option<PstNodeId> {
        if nid_type > 0x1F || index > (u32::MAX >> 5) {
            return None;
        }
        Some(PstNodeId((index << 5) | nid_type as u32))
    }

    pub const fn nid_type(self) -> u8 {
        (self.0 & 0x1F) as u8
    }

    pub const fn index(self) -> u32 {
        self.0 >> 5
    }
}

impl fmt::Debug for PstNodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "PstNodeId(0x{:08X}: type 0x{:02X}, index {})",
            self.0,
            self.nid_type(),
            self.index()
        )
    }
}

// ------------------------------------------------------------------------------------------------
// The parsed entry ID

/// A parsed entry ID. The JSON view (`kind` plus the kind's fields, flags and UIDs as hex) is
/// what `outpost entryid decode --json` prints.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EntryId {
    /// Exchange folder (MS-OXCDATA 2.2.4.1).
    Folder(FolderEntryId),
    /// Exchange message (MS-OXCDATA 2.2.4.2).
    Message(MessageEntryId),
    /// Any other provider, kept verbatim (PST objects among them).
    Provider(ProviderEntryId),
}

impl EntryId {
    /// Parses entry ID bytes. Never panics, and allocates at most what the input holds.
    pub fn decode(bytes: &[u8]) -> Result<EntryId, EntryIdError> {
        if bytes.len() < HEADER_LEN {
            return Err(EntryIdError::TooShort { length: bytes.len() });
        }
        if let Some(folder) = FolderEntryId::recognise(bytes) {
            return Ok(EntryId::Folder(folder));
        }
        if let Some(message) = MessageEntryId::recognise(bytes) {
            return Ok(EntryId::Message(message));
        }
        Ok(EntryId::Provider(ProviderEntryId {
            flags: header_flags(bytes),
            provider_uid: header_uid(bytes),
            data: bytes[HEADER_LEN..].to_vec(),
        }))
    }

    /// The bytes of this entry ID; `decode(&id.encode()) == Ok(id)`.
    pub fn encode(&self) -> Vec<u8> {
        match self {
            EntryId::Folder(id) => id.encode(),
            EntryId::Message(id) => id.encode(),
            EntryId::Provider(id) => id.encode(),
        }
    }

    /// Upper-case hex, as Outlook shows `EntryID` and `StoreID`.
    pub fn to_hex(&self) -> String {
        hex::encode(&self.encode())
    }

    /// Parses hex text (either case; see [`hex::decode`] for accepted separators).
    pub fn from_hex(text: &str) -> Result<EntryId, EntryIdError> {
        EntryId::decode(&hex::decode(text)?)
    }

    /// A PST object entry ID: long-term flags, the store's record key, the node ID.
    pub fn pst(record_key: ProviderUid, nid: PstNodeId) -> EntryId {
        EntryId::Provider(ProviderEntryId {
            flags: flags::LONG_TERM,
            provider_uid: record_key,
            data: nid.0.to_le_bytes().to_vec(),
        })
    }

    pub fn flags(&self) -> [u8; 4] {
        match self {
            EntryId::Folder(id) => id.flags,
            EntryId::Message(id) => id.flags,
            EntryId::Provider(id) => id.flags,
        }
    }

    pub fn provider_uid(&self) -> ProviderUid {
        match self {
            EntryId::Folder(id) => id.provider_uid,
            EntryId::Message(id) => id.provider_uid,
            EntryId::Provider(id) => id.provider_uid,
        }
    }

    /// Long-term IDs have all four flag bytes zero (MS-OXCDATA 2.2.1).
    pub fn is_long_term(&self) -> bool {
        self.flags() == flags::LONG_TERM
    }

    /// The same ID with other flag bytes.
    pub fn with_flags(mut self, new_flags: [u8; 4]) -> EntryId {
        match &mut self {
            EntryId::Folder(id) => id.flags = new_flags,
            EntryId::Message(id) => id.flags = new_flags,
            EntryId::Provider(id) => id.flags = new_flags,
        }
        self
    }

    /// Whether two IDs name the same object (session-model §6.6, `CompareEntryIDs`): compared by
    /// meaning, not bytes. Flag bytes are ignored (a short-term and a long-term ID of one object
    /// are the same object); different providers are never the same object.
    pub fn same_object(a: &EntryId, b: &EntryId) -> bool {
        if a.provider_uid() != b.provider_uid() {
            return false;
        }
        let a = a.clone().with_flags(flags::LONG_TERM);
        let b = b.clone().with_flags(flags::LONG_TERM);
        a == b
    }
}

impl fmt::Display for EntryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl FromStr for EntryId {
    type Err = EntryIdError;
    fn from_str(text: &str) -> Result<EntryId, EntryIdError> {
        EntryId::from_hex(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mailbox_uid() -> ProviderUid {
        ProviderUid([
            0x5A, 0x1E, 0x7C, 0x30, 0x21, 0x9B, 0x4D, 0x41, 0x8E, 0x0F, 0x11, 0x22, 0x33, 0x44,
            0x55, 0x66,
        ])
    }

    fn database() -> Guid {
        "{C0A8E76B-38B1-4B7B-A1F4-6D2B7F6A1C11}".parse().unwrap()
    }

    /// Folder entry ID laid out by hand from MS-OXCDATA 2.2.4.1.
    fn folder_bytes(flags0: u8, folder_type: u16, counter: [u8; 6]) -> Vec<u8> {
        let mut bytes = vec![flags0, 0, 0, 0];
        bytes.extend_from_slice(&mailbox_uid().0);
        bytes.extend_from_slice(&folder_type.to_le_bytes());
        bytes.extend_from_slice(&database().to_le_bytes());
        bytes.extend_from_slice(&counter);
        bytes.extend_from_slice(&[0, 0]);
        bytes
    }

    #[test]
    fn exchange_folder_entry_id_reads_every_field() {
        let bytes = folder_bytes(0, 0x0001, [0, 0, 0, 0, 0x01, 0x2C]);
        assert_eq!(bytes.len(), 46);
        let EntryId::Folder(folder) = EntryId::decode(&bytes).unwrap() else {
            panic!("not read as a folder entry ID");
        };
        assert_eq!(folder.flags, [0; 4]);
        assert_eq!(folder.provider_uid, mailbox_uid());
        assert_eq!(folder.folder_type, ExchangeFolderType::Private);
        assert_eq!(folder.folder.database_guid, database());
        assert_eq!(folder.folder.global_counter.value(), 0x012C);
        assert_eq!(EntryId::Folder(folder).encode(), bytes);
    }

    #[test]
    fn global_counter_is_big_endian() {
        let bytes = folder_bytes(0, 0x0003, [0x01, 0x02, 0x03, 0x04, 0x05, 0x06]);
        let EntryId::Folder(folder) = EntryId::decode(&bytes).unwrap() else {
            panic!("not read as a folder entry ID");
        };
        assert_eq!(folder.folder_type, ExchangeFolderType::Public);
        assert_eq!(folder.folder.global_counter.value(), 0x0102_0304_0506);
        assert_eq!(GlobalCounter::new(1 << 48), None);
        assert_eq!(GlobalCounter::new(GlobalCounter::MAX).unwrap().to_be_bytes(), [0xFF; 6]);
    }

    #[test]
    fn a_46_byte_id_with_an_unknown_type_or_nonzero_pad_stays_a_provider_id() {
        let unknown_type = folder_bytes(0, 0x0002, [0, 0, 0, 0, 0, 1]);
        assert!(matches!(EntryId::decode(&unknown_type).unwrap(), EntryId::Provider(_)));
        let mut bad_pad = folder_bytes(0, 0x0001, [0, 0, 0, 0, 0, 1]);
        bad_pad[45] = 1;
        let decoded = EntryId::decode(&bad_pad).unwrap();
        assert!(matches!(decoded, EntryId::Provider(_)));
        assert_eq!(decoded.encode(), bad_pad);
    }

    #[test]
    fn exchange_message_entry_id_reads_folder_and_message_gids() {
        let mut bytes = vec![0, 0, 0, 0];
        bytes.extend_from_slice(&mailbox_uid().0);
        bytes.extend_from_slice(&0x0007u16.to_le_bytes());
        bytes.extend_from_slice(&database().to_le_bytes());
        bytes.extend_from_slice(&[0, 0, 0, 0, 0, 0x0D, 0, 0]);
        bytes.extend_from_slice(&database().to_le_bytes());
        bytes.extend_from_slice(&[0, 0, 0, 0x01, 0x00, 0x02, 0, 0]);
        assert_eq!(bytes.len(), 70);
        let EntryId::Message(message) = EntryId::decode(&bytes).unwrap() else {
            panic!("not read as a message entry ID");
        };
        assert_eq!(message.message_type, ExchangeMessageType::Private);
        assert_eq!(message.folder.global_counter.value(), 0x0D);
        assert_eq!(message.message.global_counter.value(), 0x01_0002);
        assert_eq!(message.message.database_guid, database());
        assert_eq!(message.encode(), bytes);
    }

    #[test]
    fn too_short_entry_id_says_how_many_bytes_are_needed() {
        let error = EntryId::decode(&[0, 0, 0]).unwrap_err();
        assert_eq!(
            error.to_string(),
            "entry ID is 3 bytes; at least 20 are needed (4 flag bytes + 16-byte provider UID)"
        );
    }

    #[test]
    fn pst_entry_id_round_trips_through_its_node_id() {
        let record_key = ProviderUid([0x11; 16]);
        let nid = PstNodeId::new(PstNodeId::TYPE_NORMAL_FOLDER, 0x9).unwrap();
        assert_eq!(nid.0, 0x122);
        let id = EntryId::pst(record_key, nid);
        let bytes = id.encode();
        assert_eq!(bytes.len(), 24);
        assert_eq!(&bytes[20..], &[0x22, 0x01, 0, 0]);
        let EntryId::Provider(provider) = EntryId::decode(&bytes).unwrap() else {
            panic!("a PST ID is a provider ID");
        };
        let read = provider.pst_node_id().unwrap();
        assert_eq!((read.nid_type(), read.index()), (0x02, 0x9));
    }

    #[test]
    fn hex_text_is_upper_case_and_parses_back() {
        let id = EntryId::pst(ProviderUid([0xAB; 16]), PstNodeId(0x200024));
        let text = id.to_hex();
        assert_eq!(text, format!("00000000{}24002000", "AB".repeat(16)));
        assert_eq!(EntryId::from_hex(&text.to_lowercase()).unwrap(), id);
        assert!(matches!(EntryId::from_hex("00Z"), Err(EntryIdError::Hex(_))));
    }

    #[test]
    fn short_term_and_long_term_ids_of_one_folder_are_the_same_object() {
        let long = EntryId::decode(&folder_bytes(0, 1, [0, 0, 0, 0, 0, 7])).unwrap();
        let short = EntryId::decode(&folder_bytes(0xFF, 1, [0, 0, 0, 0, 0, 7])).unwrap();
        let other = EntryId::decode(&folder_bytes(0, 1, [0, 0, 0, 0, 0, 8])).unwrap();
        assert!(long.is_long_term());
        assert!(!short.is_long_term());
        assert_ne!(long.encode(), short.encode());
        assert!(EntryId::same_object(&long, &short));
        assert!(!EntryId::same_object(&long, &other));
    }
}
