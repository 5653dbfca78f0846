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
    #[error("entry ID hex text: {0}")]
    Hex(#[from] HexError),
}

impl EntryIdError {
    /// The byte offset the error points at, when it points at one.
    pub fn offset(&self) -> Option<usize> {
        match self {
            EntryIdError::TooShort { .. } | EntryIdError::Hex(_) => None,
            EntryIdError::Truncated { offset, .. }
            | EntryIdError::Unterminated { offset, .. }
            | EntryIdError::InvalidUtf16 { offset, .. }
            | EntryIdError::NonZeroPadding { offset, .. }
            | EntryIdError::TrailingBytes { offset, .. } => Some(*offset),
        }
    }
}

impl From<EntryIdError> for MapiError {
    fn from(error: EntryIdError) -> MapiError {
        MapiError::new(ErrorCode::InvalidEntryId, error.to_string())
    }
}

/// A cursor over entry ID bytes that reports failures with the field name and offset.
struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    kind: &'static str,
}

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

    /// Zero bytes up to the next multiple of `align`, measured from the first flag byte.
    fn padding(&mut self, align: usize, field: &'static str) -> Result<(), EntryIdError> {
        while !self.pos.is_multiple_of(align) {
            let offset = self.pos;
            let value = self.u8(field)?;
            if value != 0 {
                return Err(EntryIdError::NonZeroPadding { kind: self.kind, offset, value });
            }
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

/// Latin-1 bytes of a string read by [`Reader::string8`]; characters above U+00FF (which such
/// a string cannot hold) become `?`.
fn latin1(text: &str) -> impl Iterator<Item = u8> + '_ {
    text.chars().map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?'))
}

fn push_string8(out: &mut Vec<u8>, text: &str) {
    out.extend(latin1(text));
    out.push(0);
}

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

    /// A GID, or `None` when the counter does not fit in 48 bits.
    pub const fn new(database_guid: Guid, global_counter: u64) -> Option<Gid> {
        match GlobalCounter::new(global_counter) {
            Some(global_counter) => Some(Gid { database_guid, global_counter }),
            None => None,
        }
    }

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
// Store object entry IDs (MS-OXCDATA 2.2.4.3)

/// A Store Object EntryID (MS-OXCDATA 2.2.4.3): MAPI's wrapper (provider UID muidStoreWrap)
/// around a store provider's own store entry ID, naming the provider DLL that can open it.
///
/// Layout: flags, muidStoreWrap, Version (1 byte), Flag (1 byte), the DLL name as a NUL-terminated
/// 8-bit string padded with zeros so the provider data starts on a 4-byte boundary (for
/// "emsmdb.dll" this is the 14-byte DLLFileName field of the spec), then the provider data.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct StoreObjectEntryId {
    #[serde(with = "serde_flags")]
    pub flags: [u8; 4],
    pub version: u8,
    pub flag: u8,
    /// The provider DLL as stored, e.g. `emsmdb.dll` (Exchange) or `mspst.dll` (PST).
    pub dll_name: String,
    pub provider: StoreProviderData,
}

/// What follows the DLL name in a wrapped store entry ID.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "format", rename_all = "snake_case")]
pub enum StoreProviderData {
    /// The Exchange layout that MS-OXCDATA 2.2.4.3 defines for `emsmdb.dll`.
    Exchange(ExchangeStoreData),
    /// Any other provider's store entry ID (PST among them), kept verbatim.
    Other {
        #[serde(with = "crate::hex::serde_bytes_hex")]
        data: Vec<u8>,
    },
}

/// The `emsmdb.dll` part of a store entry ID (MS-OXCDATA 2.2.4.3).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ExchangeStoreData {
    #[serde(with = "serde_flags")]
    pub wrapped_flags: [u8; 4],
    /// [`ProviderUid::EXCHANGE_PRIVATE_STORE`] or [`ProviderUid::EXCHANGE_PUBLIC_STORE`].
    pub wrapped_provider_uid: ProviderUid,
    /// 0x0000000C for a mailbox, 0x00000006 for a public folder store.
    pub wrapped_type: u32,
    /// The server's short name (NetBIOS or first DNS label).
    pub server_short_name: String,
    /// The X500 DN of the mailbox; absent in public folder store IDs.
    pub mailbox_dn: Option<String>,
    /// Bytes after the mailbox DN. MS-OXCDATA defines none; newer Outlook versions append
    /// extension blocks (server FQDN, SMTP address), which are kept verbatim. Only meaningful
    /// when `mailbox_dn` is present.
    #[serde(with = "crate::hex::serde_bytes_hex")]
    pub extension: Vec<u8>,
}

impl ExchangeStoreData {
    /// WrappedType of a mailbox store.
    pub const TYPE_MAILBOX: u32 = 0x0000_000C;
    /// WrappedType of a public folder store.
    pub const TYPE_PUBLIC_FOLDERS: u32 = 0x0000_0006;

    pub fn is_public_folders(&self) -> bool {
        self.wrapped_provider_uid == ProviderUid::EXCHANGE_PUBLIC_STORE
    }
}

impl StoreObjectEntryId {
    /// The DLL name of the Exchange provider.
    pub const EXCHANGE_DLL: &'static str = "emsmdb.dll";
    /// The DLL name of the PST provider.
    pub const PST_DLL: &'static str = "mspst.dll";

    const KIND: &'static str = "store object";

    /// A long-term store entry ID for an Exchange mailbox.
    pub fn exchange_mailbox(server_short_name: &str, mailbox_dn: &str) -> StoreObjectEntryId {
        StoreObjectEntryId {
            flags: flags::LONG_TERM,
            version: 0,
            flag: 0,
            dll_name: Self::EXCHANGE_DLL.to_owned(),
            provider: StoreProviderData::Exchange(ExchangeStoreData {
                wrapped_flags: flags::LONG_TERM,
                wrapped_provider_uid: ProviderUid::EXCHANGE_PRIVATE_STORE,
                wrapped_type: ExchangeStoreData::TYPE_MAILBOX,
                server_short_name: server_short_name.to_owned(),
                mailbox_dn: Some(mailbox_dn.to_owned()),
                extension: Vec::new(),
            }),
        }
    }

    /// A long-term store entry ID wrapping another provider's store entry ID.
    pub fn wrap(dll_name: &str, data: Vec<u8>) -> StoreObjectEntryId {
        StoreObjectEntryId {
            flags: flags::LONG_TERM,
            version: 0,
            flag: 0,
            dll_name: dll_name.to_owned(),
            provider: StoreProviderData::Other { data },
        }
    }

    fn decode_after_header(bytes: &[u8]) -> Result<StoreObjectEntryId, EntryIdError> {
        let mut reader = Reader::new(bytes, HEADER_LEN, Self::KIND);
        let version = reader.u8("Version")?;
        let flag = reader.u8("Flag")?;
        let dll_name = reader.string8("DLLFileName")?;
        reader.padding(4, "DLLFileName padding")?;
        let provider = if dll_name.eq_ignore_ascii_case(Self::EXCHANGE_DLL) {
            let wrapped_flags = reader.array("WrappedFlags")?;
            let wrapped_provider_uid = ProviderUid(reader.array("WrappedProvider UID")?);
            let wrapped_type = reader.u32("WrappedType")?;
            let server_short_name = reader.string8("ServerShortname")?;
            let mailbox_dn = match reader.remaining() {
                0 => None,
                _ => Some(reader.string8("MailboxDN")?),
            };
            StoreProviderData::Exchange(ExchangeStoreData {
                wrapped_flags,
                wrapped_provider_uid,
                wrapped_type,
                server_short_name,
                mailbox_dn,
                extension: reader.rest().to_vec(),
            })
        } else {
            StoreProviderData::Other { data: reader.rest().to_vec() }
        };
        Ok(StoreObjectEntryId { flags: header_flags(bytes), version, flag, dll_name, provider })
    }

    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(64);
        out.extend_from_slice(&self.flags);
        out.extend_from_slice(&ProviderUid::STORE_WRAP.0);
        out.push(self.version);
        out.push(self.flag);
        push_string8(&mut out, &self.dll_name);
        while !out.len().is_multiple_of(4) {
            out.push(0);
        }
        match &self.provider {
            StoreProviderData::Exchange(exchange) => {
                out.extend_from_slice(&exchange.wrapped_flags);
                out.extend_from_slice(&exchange.wrapped_provider_uid.0);
                out.extend_from_slice(&exchange.wrapped_type.to_le_bytes());
                push_string8(&mut out, &exchange.server_short_name);
                if let Some(dn) = &exchange.mailbox_dn {
                    push_string8(&mut out, dn);
                    out.extend_from_slice(&exchange.extension);
                }
            }
            StoreProviderData::Other { data } => out.extend_from_slice(data),
        }
        out
    }

    /// The path of the PST file, for `mspst.dll` store IDs whose data parses as: wrapped flags
    /// (4), PST provider UID (16), 4 bytes, then the NUL-terminated path, UTF-16LE or 8-bit.
    /// That layout is observed, not specified **(unconfirmed)**, so this is a best effort.
    pub fn pst_path(&self) -> Option<String> {
        let StoreProviderData::Other { data } = &self.provider else {
            return None;
        };
        if !self.dll_name.to_ascii_lowercase().starts_with("mspst") {
            return None;
        }
        let path = data.get(24..)?;
        let mut reader = Reader::new(path, 0, Self::KIND);
        // A UTF-16 path of a Windows file has a zero high byte in its first character.
        let text = if path.len() >= 4 && path[0] != 0 && path[1] == 0 {
            reader.string16("PST path").ok()?
        } else {
            reader.string8("PST path").ok()?
        };
        let printable = !text.is_empty() && text.chars().all(|c| !c.is_control());
        printable.then_some(text)
    }

    /// The wrapped provider UID (the first 16 bytes after the wrapped flags), when present.
    pub fn wrapped_provider_uid(&self) -> Option<ProviderUid> {
        match &self.provider {
            StoreProviderData::Exchange(exchange) => Some(exchange.wrapped_provider_uid),
            StoreProviderData::Other { data } => data.get(4..20)?.try_into().ok().map(ProviderUid),
        }
    }

    /// Identity of the store for [`EntryId::same_object`]: the DLL and, for Exchange, the
    /// mailbox DN (or the public store), for PST the path, compared without regard to case.
    fn identity(&self) -> (String, Option<ProviderUid>, String) {
        let dll = self.dll_name.to_ascii_lowercase();
        match &self.provider {
            StoreProviderData::Exchange(exchange) => {
                let who = match &exchange.mailbox_dn {
                    Some(dn) => dn.to_lowercase(),
                    None => exchange.server_short_name.to_lowercase(),
                };
                (dll, Some(exchange.wrapped_provider_uid), who)
            }
            StoreProviderData::Other { data } => match self.pst_path() {
                Some(path) => (dll, self.wrapped_provider_uid(), path.to_lowercase()),
                None => (dll, None, hex::encode(data)),
            },
        }
    }
}

// ------------------------------------------------------------------------------------------------
// Recipients: one-off, address book, contact address (MS-OXCDATA 2.2.5)

/// A One-Off EntryID (MS-OXCDATA 2.2.5.1): a recipient that is in no address book, carried whole
/// in the ID. Strings are UTF-16LE when [`OneOffEntryId::UNICODE`] is set, else 8-bit (read as
/// Latin-1, since the ID does not say which code page).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct OneOffEntryId {
    #[serde(with = "serde_flags")]
    pub flags: [u8; 4],
    /// Must be 0.
    pub version: u16,
    /// The one-off flags word (little-endian); see the associated constants.
    pub one_off_flags: u16,
    pub display_name: String,
    pub address_type: String,
    pub email_address: String,
}

impl OneOffEntryId {
    /// MAPI_ONE_OFF_UNICODE: the strings are UTF-16LE.
    pub const UNICODE: u16 = 0x8000;
    /// MAPI_ONE_OFF_NO_RICH_INFO: do not send TNEF to this recipient.
    pub const NO_RICH_INFO: u16 = 0x0001;
    /// Set by Outlook on SMTP one-offs; its meaning is not documented **(unconfirmed)**.
    pub const OUTLOOK_0X1000: u16 = 0x1000;

    const KIND: &'static str = "one-off";

    /// A long-term Unicode one-off ID, as Outlook writes them for SMTP recipients (no rich info).
    pub fn new(display_name: &str, address_type: &str, email_address: &str) -> OneOffEntryId {
        OneOffEntryId {
            flags: flags::LONG_TERM,
            version: 0,
            one_off_flags: Self::UNICODE | Self::NO_RICH_INFO,
            display_name: display_name.to_owned(),
            address_type: address_type.to_owned(),
            email_address: email_address.to_owned(),
        }
    }

    pub fn is_unicode(&self) -> bool {
        self.one_off_flags & Self::UNICODE != 0
    }

    pub fn no_rich_info(&self) -> bool {
        self.one_off_flags & Self::NO_RICH_INFO != 0
    }

    fn decode_after_header(bytes: &[u8]) -> Result<OneOffEntryId, EntryIdError> {
        let mut reader = Reader::new(bytes, HEADER_LEN, Self::KIND);
        let version = reader.u16("Version")?;
        let one_off_flags = reader.u16("flags word")?;
        let unicode = one_off_flags & Self::UNICODE != 0;
        let mut string = |field| {
            if unicode { reader.string16(field) } else { reader.string8(field) }
        };
        let display_name = string("DisplayName")?;
        let address_type = string("AddressType")?;
        let email_address = string("EmailAddress")?;
        reader.finish("EmailAddress")?;
        Ok(OneOffEntryId {
            flags: header_flags(bytes),
            version,
            one_off_flags,
            display_name,
            address_type,
            email_address,
        })
    }

    /// The bytes. An 8-bit one-off cannot hold characters above U+00FF; they become `?`.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(HEADER_LEN + 4 + 2 * self.text_len());
        out.extend_from_slice(&self.flags);
        out.extend_from_slice(&ProviderUid::ONE_OFF.0);
        out.extend_from_slice(&self.version.to_le_bytes());
        out.extend_from_slice(&self.one_off_flags.to_le_bytes());
        for text in [&self.display_name, &self.address_type, &self.email_address] {
            if self.is_unicode() {
                push_string16(&mut out, text);
            } else {
                push_string8(&mut out, text);
            }
        }
        out
    }

    fn text_len(&self) -> usize {
        self.display_name.len() + self.address_type.len() + self.email_address.len() + 3
    }
}

/// An Address Book EntryID (MS-OXCDATA 2.2.5.2; the NSPI PermanentEntryID): a directory object
/// named by its X500 DN.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AddressBookEntryId {
    #[serde(with = "serde_flags")]
    pub flags: [u8; 4],
    /// Must be 1.
    pub version: u32,
    /// The object's display type (`PidTagDisplayType` values); see [`AddressBookEntryId::type_name`].
    pub object_type: u32,
    pub x500_dn: String,
}

impl AddressBookEntryId {
    const KIND: &'static str = "address book";

    /// Local mail user (DT_MAILUSER).
    pub const TYPE_MAIL_USER: u32 = 0x0000_0000;
    /// Distribution list (DT_DISTLIST).
    pub const TYPE_DISTRIBUTION_LIST: u32 = 0x0000_0001;

    /// A long-term ID for a mail user.
    pub fn mail_user(x500_dn: &str) -> AddressBookEntryId {
        AddressBookEntryId {
            flags: flags::LONG_TERM,
            version: 1,
            object_type: Self::TYPE_MAIL_USER,
            x500_dn: x500_dn.to_owned(),
        }
    }

    /// The spec's name for `object_type` (MS-OXCDATA 2.2.5.2).
    pub fn type_name(&self) -> Option<&'static str> {
        Some(match self.object_type {
            0x0000 => "local mail user",
            0x0001 => "distribution list",
            0x0002 => "bulletin board or public folder",
            0x0003 => "automated mailbox",
            0x0004 => "organizational mailbox",
            0x0005 => "private distribution list",
            0x0006 => "remote mail user",
            0x0100 => "container",
            0x0101 => "template",
            0x0102 => "one-off user",
            0x0200 => "search",
            _ => return None,
        })
    }

    fn decode_after_header(bytes: &[u8]) -> Result<AddressBookEntryId, EntryIdError> {
        let mut reader = Reader::new(bytes, HEADER_LEN, Self::KIND);
        let version = reader.u32("Version")?;
        let object_type = reader.u32("Type")?;
        let x500_dn = reader.string8("X500DN")?;
        reader.finish("X500DN")?;
        Ok(AddressBookEntryId { flags: header_flags(bytes), version, object_type, x500_dn })
    }

    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(HEADER_LEN + 9 + self.x500_dn.len());
        out.extend_from_slice(&self.flags);
        out.extend_from_slice(&ProviderUid::ADDRESS_BOOK.0);
        out.extend_from_slice(&self.version.to_le_bytes());
        out.extend_from_slice(&self.object_type.to_le_bytes());
        push_string8(&mut out, &self.x500_dn);
        out
    }
}

/// A Contact Address EntryID (MS-OXCDATA 2.2.5.3): one electronic address of a contact, or a
/// personal distribution list, in the Contacts address book. It embeds the contact's own
/// (message) entry ID.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ContactAddressEntryId {
    #[serde(with = "serde_flags")]
    pub flags: [u8; 4],
    /// Must be 3.
    pub version: u32,
    /// [`ContactAddressEntryId::TYPE_CONTACT`] or [`ContactAddressEntryId::TYPE_DISTRIBUTION_LIST`].
    pub object_type: u32,
    /// Which address of the contact: 0..=2 Email1..Email3, 3 business fax, 4 home fax, 5 primary
    /// fax (the `PidLidAddressBookProviderEmailList` numbering, MS-OXOCNTC 2.2.1.2.11).
    pub index: u32,
    /// The contact's or distribution list's entry ID.
    #[serde(with = "crate::hex::serde_bytes_hex")]
    pub entry_id: Vec<u8>,
}

impl ContactAddressEntryId {
    const KIND: &'static str = "contact address";

    /// A contact (CONTAB_USER).
    pub const TYPE_CONTACT: u32 = 0x0000_0004;
    /// A personal distribution list (CONTAB_DISTLIST).
    pub const TYPE_DISTRIBUTION_LIST: u32 = 0x0000_0005;

    /// A long-term ID for address `index` of the contact with entry ID `contact`.
    pub fn contact(index: u32, contact: &EntryId) -> ContactAddressEntryId {
        ContactAddressEntryId {
            flags: flags::LONG_TERM,
            version: 3,
            object_type: Self::TYPE_CONTACT,
            index,
            entry_id: contact.encode(),
        }
    }

    /// The embedded entry ID, parsed.
    pub fn inner(&self) -> Result<EntryId, EntryIdError> {
        EntryId::decode(&self.entry_id)
    }

    fn decode_after_header(bytes: &[u8]) -> Result<ContactAddressEntryId, EntryIdError> {
        let mut reader = Reader::new(bytes, HEADER_LEN, Self::KIND);
        let version = reader.u32("Version")?;
        let object_type = reader.u32("Type")?;
        let index = reader.u32("Index")?;
        let count = reader.u32("EntryIdCount")?;
        let count = usize::try_from(count).unwrap_or(usize::MAX);
        let entry_id = reader.take(count, "EntryIdBytes")?.to_vec();
        reader.finish("EntryIdBytes")?;
        Ok(ContactAddressEntryId {
            flags: header_flags(bytes),
            version,
            object_type,
            index,
            entry_id,
        })
    }

    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(HEADER_LEN + 16 + self.entry_id.len());
        out.extend_from_slice(&self.flags);
        out.extend_from_slice(&ProviderUid::CONTACT_ADDRESS_BOOK.0);
        out.extend_from_slice(&self.version.to_le_bytes());
        out.extend_from_slice(&self.object_type.to_le_bytes());
        out.extend_from_slice(&self.index.to_le_bytes());
        // An entry ID is a property value, far below 4 GiB.
        let count = u32::try_from(self.entry_id.len()).unwrap_or(u32::MAX);
        out.extend_from_slice(&count.to_le_bytes());
        out.extend_from_slice(&self.entry_id);
        out
    }
}

// ------------------------------------------------------------------------------------------------
// The parsed entry ID

/// A parsed entry ID.
///
/// Serialized (the JSON view `outpost entryid decode --json` prints) as an object with `kind`,
/// `flags` and `provider_uid` (hex), `long_term`, and the kind's own fields; a PST store ID also
/// gets `pst_path`, an address book ID `type_name`. Deserializing reads the same object (the
/// derived fields are ignored).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EntryId {
    /// Exchange folder (MS-OXCDATA 2.2.4.1).
    Folder(FolderEntryId),
    /// Exchange message (MS-OXCDATA 2.2.4.2).
    Message(MessageEntryId),
    /// A wrapped store (MS-OXCDATA 2.2.4.3).
    StoreObject(StoreObjectEntryId),
    /// A one-off recipient (MS-OXCDATA 2.2.5.1).
    OneOff(OneOffEntryId),
    /// An Exchange address book object (MS-OXCDATA 2.2.5.2).
    AddressBook(AddressBookEntryId),
    /// A contact's address or a personal distribution list (MS-OXCDATA 2.2.5.3).
    ContactAddress(ContactAddressEntryId),
    /// Any other provider, kept verbatim (PST objects among them).
    Provider(ProviderEntryId),
}

impl EntryId {
    /// Parses entry ID bytes. Never panics; allocations are bounded by the input (no length
    /// field is trusted beyond the bytes present; decoded text takes at most twice the bytes it
    /// came from).
    ///
    /// Kinds are told apart by provider UID (store wrapper, one-off, address book, contact
    /// address book). Exchange folder and message IDs carry the mailbox's own UID, so they are
    /// recognised by size (46 / 70 bytes), object type and zero padding; anything else is a
    /// [`ProviderEntryId`].
    pub fn decode(bytes: &[u8]) -> Result<EntryId, EntryIdError> {
        if bytes.len() < HEADER_LEN {
            return Err(EntryIdError::TooShort { length: bytes.len() });
        }
        match header_uid(bytes) {
            ProviderUid::STORE_WRAP => {
                return StoreObjectEntryId::decode_after_header(bytes).map(EntryId::StoreObject);
            }
            ProviderUid::ONE_OFF => {
                return OneOffEntryId::decode_after_header(bytes).map(EntryId::OneOff);
            }
            ProviderUid::ADDRESS_BOOK => {
                return AddressBookEntryId::decode_after_header(bytes).map(EntryId::AddressBook);
            }
            ProviderUid::CONTACT_ADDRESS_BOOK => {
                return ContactAddressEntryId::decode_after_header(bytes)
                    .map(EntryId::ContactAddress);
            }
            _ => {}
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
            EntryId::StoreObject(id) => id.encode(),
            EntryId::OneOff(id) => id.encode(),
            EntryId::AddressBook(id) => id.encode(),
            EntryId::ContactAddress(id) => id.encode(),
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
            EntryId::StoreObject(id) => id.flags,
            EntryId::OneOff(id) => id.flags,
            EntryId::AddressBook(id) => id.flags,
            EntryId::ContactAddress(id) => id.flags,
            EntryId::Provider(id) => id.flags,
        }
    }

    pub fn provider_uid(&self) -> ProviderUid {
        match self {
            EntryId::Folder(id) => id.provider_uid,
            EntryId::Message(id) => id.provider_uid,
            EntryId::StoreObject(_) => ProviderUid::STORE_WRAP,
            EntryId::OneOff(_) => ProviderUid::ONE_OFF,
            EntryId::AddressBook(_) => ProviderUid::ADDRESS_BOOK,
            EntryId::ContactAddress(_) => ProviderUid::CONTACT_ADDRESS_BOOK,
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
            EntryId::StoreObject(id) => id.flags = new_flags,
            EntryId::OneOff(id) => id.flags = new_flags,
            EntryId::AddressBook(id) => id.flags = new_flags,
            EntryId::ContactAddress(id) => id.flags = new_flags,
            EntryId::Provider(id) => id.flags = new_flags,
        }
        self
    }

    /// Whether two IDs name the same object (session-model §6.6, `CompareEntryIDs`): compared by
    /// meaning, not bytes. Flag bytes are ignored (a short-term and a long-term ID of one object
    /// are the same object) and different providers are never the same object. Stores compare by
    /// DLL and mailbox DN or PST path; recipients by address type and address (or X500 DN),
    /// without regard to case; a contact address by index and the contact's own ID.
    pub fn same_object(a: &EntryId, b: &EntryId) -> bool {
        EntryId::same_object_within(a, b, 0)
    }

    /// `same_object`, with contact IDs nested in contact IDs followed only a few levels deep so
    /// crafted input cannot exhaust the stack.
    fn same_object_within(a: &EntryId, b: &EntryId, depth: usize) -> bool {
        if a.provider_uid() != b.provider_uid() {
            return false;
        }
        match (a, b) {
            (EntryId::StoreObject(a), EntryId::StoreObject(b)) => a.identity() == b.identity(),
            (EntryId::OneOff(a), EntryId::OneOff(b)) => {
                a.address_type.to_lowercase() == b.address_type.to_lowercase()
                    && a.email_address.to_lowercase() == b.email_address.to_lowercase()
            }
            (EntryId::AddressBook(a), EntryId::AddressBook(b)) => {
                a.x500_dn.eq_ignore_ascii_case(&b.x500_dn)
            }
            (EntryId::ContactAddress(a), EntryId::ContactAddress(b)) => {
                a.object_type == b.object_type
                    && a.index == b.index
                    && match (a.inner(), b.inner()) {
                        (Ok(x), Ok(y)) if depth < 4 => {
                            EntryId::same_object_within(&x, &y, depth + 1)
                        }
                        _ => a.entry_id == b.entry_id,
                    }
            }
            _ => a.clone().with_flags(flags::LONG_TERM) == b.clone().with_flags(flags::LONG_TERM),
        }
    }
}

/// The kind's fields, written after the common ones.
#[derive(Serialize)]
#[serde(untagged)]
enum KindFields<'a> {
    Folder(&'a FolderEntryId),
    Message(&'a MessageEntryId),
    StoreObject(&'a StoreObjectEntryId),
    OneOff(&'a OneOffEntryId),
    AddressBook(&'a AddressBookEntryId),
    ContactAddress(&'a ContactAddressEntryId),
    Provider(&'a ProviderEntryId),
}

#[derive(Serialize)]
struct EntryIdView<'a> {
    kind: &'static str,
    long_term: bool,
    /// Only for kinds whose own fields do not carry it (their provider UID is fixed).
    #[serde(skip_serializing_if = "Option::is_none")]
    provider_uid: Option<ProviderUid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pst_path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    type_name: Option<&'static str>,
    #[serde(flatten)]
    fields: KindFields<'a>,
}

impl EntryId {
    /// The `kind` name used in the JSON view.
    pub fn kind_name(&self) -> &'static str {
        match self {
            EntryId::Folder(_) => "folder",
            EntryId::Message(_) => "message",
            EntryId::StoreObject(_) => "store_object",
            EntryId::OneOff(_) => "one_off",
            EntryId::AddressBook(_) => "address_book",
            EntryId::ContactAddress(_) => "contact_address",
            EntryId::Provider(_) => "provider",
        }
    }
}

impl Serialize for EntryId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let fixed_uid = Some(self.provider_uid());
        let (provider_uid, fields) = match self {
            EntryId::Folder(id) => (None, KindFields::Folder(id)),
            EntryId::Message(id) => (None, KindFields::Message(id)),
            EntryId::StoreObject(id) => (fixed_uid, KindFields::StoreObject(id)),
            EntryId::OneOff(id) => (fixed_uid, KindFields::OneOff(id)),
            EntryId::AddressBook(id) => (fixed_uid, KindFields::AddressBook(id)),
            EntryId::ContactAddress(id) => (fixed_uid, KindFields::ContactAddress(id)),
            EntryId::Provider(id) => (None, KindFields::Provider(id)),
        };
        EntryIdView {
            kind: self.kind_name(),
            long_term: self.is_long_term(),
            provider_uid,
            pst_path: match self {
                EntryId::StoreObject(id) => id.pst_path(),
                _ => None,
            },
            type_name: match self {
                EntryId::AddressBook(id) => id.type_name(),
                _ => None,
            },
            fields,
        }
        .serialize(s)
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

    fn header(uid: ProviderUid) -> Vec<u8> {
        let mut bytes = vec![0, 0, 0, 0];
        bytes.extend_from_slice(&uid.0);
        bytes
    }

    fn utf16z(text: &str) -> Vec<u8> {
        let mut out: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        out.extend_from_slice(&[0, 0]);
        out
    }

    const DAN_DN: &str =
        "/o=Contoso/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=dan";

    /// Exchange mailbox store entry ID laid out from MS-OXCDATA 2.2.4.3.
    fn exchange_store_bytes() -> Vec<u8> {
        let mut bytes = header(ProviderUid::STORE_WRAP);
        bytes.extend_from_slice(&[0x00, 0x00]); // Version, Flag
        bytes.extend_from_slice(b"emsmdb.dll\0\0\0\0"); // DLLFileName, 14 bytes
        bytes.extend_from_slice(&[0, 0, 0, 0]); // WrappedFlags
        bytes.extend_from_slice(&ProviderUid::EXCHANGE_PRIVATE_STORE.0);
        bytes.extend_from_slice(&[0x0C, 0, 0, 0]); // WrappedType: mailbox
        bytes.extend_from_slice(b"EXSRV01\0");
        bytes.extend_from_slice(DAN_DN.as_bytes());
        bytes.push(0);
        bytes
    }

    #[test]
    fn exchange_store_entry_id_reads_server_and_mailbox() {
        let bytes = exchange_store_bytes();
        let EntryId::StoreObject(store) = EntryId::decode(&bytes).unwrap() else {
            panic!("not read as a store entry ID");
        };
        assert_eq!(store.dll_name, "emsmdb.dll");
        let StoreProviderData::Exchange(exchange) = &store.provider else {
            panic!("emsmdb.dll data is the Exchange layout");
        };
        assert_eq!(exchange.wrapped_provider_uid, ProviderUid::EXCHANGE_PRIVATE_STORE);
        assert_eq!(exchange.wrapped_type, ExchangeStoreData::TYPE_MAILBOX);
        assert_eq!(exchange.server_short_name, "EXSRV01");
        assert_eq!(exchange.mailbox_dn.as_deref(), Some(DAN_DN));
        assert!(exchange.extension.is_empty());
        assert_eq!(store.encode(), bytes);
        assert_eq!(StoreObjectEntryId::exchange_mailbox("EXSRV01", DAN_DN), store);
    }

    #[test]
    fn exchange_store_extension_bytes_are_kept() {
        let mut bytes = exchange_store_bytes();
        bytes.extend_from_slice(&[0xE9, 0x46, 0x32, 0xF4, 0x01, 0x02]);
        let id = EntryId::decode(&bytes).unwrap();
        let EntryId::StoreObject(StoreObjectEntryId {
            provider: StoreProviderData::Exchange(exchange),
            ..
        }) = &id
        else {
            panic!("not an Exchange store entry ID");
        };
        assert_eq!(exchange.extension, [0xE9, 0x46, 0x32, 0xF4, 0x01, 0x02]);
        assert_eq!(id.encode(), bytes);
    }

    #[test]
    fn truncated_exchange_store_entry_id_names_field_and_offset() {
        let bytes = &exchange_store_bytes()[..45];
        let error = EntryId::decode(bytes).unwrap_err();
        assert_eq!(
            error,
            EntryIdError::Truncated {
                kind: "store object",
                field: "WrappedProvider UID",
                offset: 40,
                needed: 16,
                available: 5,
            }
        );
        assert_eq!(
            error.to_string(),
            "store object entry ID: WrappedProvider UID at offset 40 needs 16 bytes, \
             but only 5 remain"
        );
    }

    #[test]
    fn nonzero_dll_name_padding_is_rejected_with_its_offset() {
        let mut bytes = exchange_store_bytes();
        bytes[34] = 0x41;
        let error = EntryId::decode(&bytes).unwrap_err();
        assert_eq!(
            error.to_string(),
            "store object entry ID: padding byte at offset 34 must be zero, found 0x41"
        );
    }

    fn pst_store_bytes(path: &[u8]) -> Vec<u8> {
        let mut bytes = header(ProviderUid::STORE_WRAP);
        bytes.extend_from_slice(&[0x00, 0x00]);
        bytes.extend_from_slice(b"mspst.dll\0"); // ends on offset 32: no padding
        bytes.extend_from_slice(&[0, 0, 0, 0]);
        bytes.extend_from_slice(&[
            0x4E, 0x49, 0x54, 0x41, 0xF9, 0xBF, 0xB8, 0x01, 0x01, 0xAA, 0x00, 0x37, 0xD9, 0x6E,
            0x00, 0x00,
        ]);
        bytes.extend_from_slice(&[0, 0, 0, 0]);
        bytes.extend_from_slice(path);
        bytes
    }

    #[test]
    fn pst_store_entry_id_keeps_provider_bytes_and_shows_the_path() {
        let bytes = pst_store_bytes(&utf16z(r"C:\Mail\archive.pst"));
        let EntryId::StoreObject(store) = EntryId::decode(&bytes).unwrap() else {
            panic!("not read as a store entry ID");
        };
        assert_eq!(store.dll_name, "mspst.dll");
        assert!(
            matches!(&store.provider, StoreProviderData::Other { data } if data.len() == 24 + 40)
        );
        assert_eq!(store.pst_path().as_deref(), Some(r"C:\Mail\archive.pst"));
        assert_eq!(store.encode(), bytes);

        let ansi = pst_store_bytes(b"D:\\old.pst\0");
        let EntryId::StoreObject(store) = EntryId::decode(&ansi).unwrap() else {
            panic!("not read as a store entry ID");
        };
        assert_eq!(store.pst_path().as_deref(), Some(r"D:\old.pst"));
    }

    #[test]
    fn stores_compare_by_mailbox_dn_or_path_ignoring_case() {
        let a = EntryId::decode(&exchange_store_bytes()).unwrap();
        let b = EntryId::StoreObject(StoreObjectEntryId::exchange_mailbox(
            "other-server",
            &DAN_DN.to_uppercase(),
        ));
        let c =
            EntryId::StoreObject(StoreObjectEntryId::exchange_mailbox("EXSRV01", "/o=x/cn=eve"));
        assert!(EntryId::same_object(&a, &b));
        assert!(!EntryId::same_object(&a, &c));
        let p1 = EntryId::decode(&pst_store_bytes(&utf16z(r"C:\Mail\A.pst"))).unwrap();
        let p2 = EntryId::decode(&pst_store_bytes(b"c:\\mail\\a.pst\0")).unwrap();
        assert!(EntryId::same_object(&p1, &p2));
        assert!(!EntryId::same_object(&p1, &a));
    }

    fn one_off_bytes(flags_word: [u8; 2], strings: &[u8]) -> Vec<u8> {
        let mut bytes = header(ProviderUid::ONE_OFF);
        bytes.extend_from_slice(&[0, 0]);
        bytes.extend_from_slice(&flags_word);
        bytes.extend_from_slice(strings);
        bytes
    }

    #[test]
    fn unicode_one_off_entry_id_reads_name_type_and_address() {
        let mut strings = utf16z("Zoë Ångström");
        strings.extend(utf16z("SMTP"));
        strings.extend(utf16z("zoe@example.com"));
        // Flags word 0x9001 little-endian, as Outlook writes SMTP one-offs.
        let bytes = one_off_bytes([0x01, 0x90], &strings);
        let EntryId::OneOff(one_off) = EntryId::decode(&bytes).unwrap() else {
            panic!("not read as a one-off entry ID");
        };
        assert!(one_off.is_unicode());
        assert!(one_off.no_rich_info());
        assert_eq!(one_off.one_off_flags & OneOffEntryId::OUTLOOK_0X1000, 0x1000);
        assert_eq!(one_off.display_name, "Zoë Ångström");
        assert_eq!(one_off.address_type, "SMTP");
        assert_eq!(one_off.email_address, "zoe@example.com");
        assert_eq!(one_off.encode(), bytes);
    }

    #[test]
    fn ansi_one_off_entry_id_reads_8_bit_strings() {
        let bytes = one_off_bytes([0x00, 0x00], b"Fax office\0FAX\0+1 555 0100\0");
        let EntryId::OneOff(one_off) = EntryId::decode(&bytes).unwrap() else {
            panic!("not read as a one-off entry ID");
        };
        assert!(!one_off.is_unicode());
        assert!(!one_off.no_rich_info());
        assert_eq!(
            (one_off.display_name.as_str(), one_off.address_type.as_str()),
            ("Fax office", "FAX")
        );
        assert_eq!(one_off.email_address, "+1 555 0100");
        assert_eq!(one_off.encode(), bytes);
    }

    #[test]
    fn one_off_without_terminator_says_which_string_and_where() {
        let bytes = one_off_bytes([0x00, 0x00], b"Name\0SMTP\0a@b.c");
        let error = EntryId::decode(&bytes).unwrap_err();
        assert_eq!(
            error.to_string(),
            "one-off entry ID: EmailAddress starting at offset 34 has no terminating NUL"
        );
        let mut odd = one_off_bytes([0x00, 0x80], &utf16z("x"));
        odd.extend_from_slice(&utf16z("SMTP"));
        odd.extend_from_slice(&[0x00, 0xD8, 0, 0]); // lone high surrogate
        assert_eq!(
            EntryId::decode(&odd).unwrap_err(),
            EntryIdError::InvalidUtf16 { kind: "one-off", field: "EmailAddress", offset: 38 }
        );
    }

    #[test]
    fn one_offs_for_one_address_are_the_same_recipient() {
        let a = EntryId::OneOff(OneOffEntryId::new("Zoe", "SMTP", "zoe@example.com"));
        let b = EntryId::OneOff(OneOffEntryId::new("Zoë (work)", "smtp", "ZOE@example.com"));
        let c = EntryId::OneOff(OneOffEntryId::new("Zoe", "SMTP", "zoe@example.org"));
        assert!(EntryId::same_object(&a, &b));
        assert!(!EntryId::same_object(&a, &c));
    }

    #[test]
    fn one_off_json_view_shows_recipient_fields() {
        let id = EntryId::OneOff(OneOffEntryId::new("Zoe", "SMTP", "zoe@example.com"));
        let json = serde_json::to_value(&id).unwrap();
        assert_eq!(json["kind"], "one_off");
        assert_eq!(json["flags"], "00000000");
        assert_eq!(json["provider_uid"], "812B1FA4BEA310199D6E00DD010F5402");
        assert_eq!(json["long_term"], true);
        assert_eq!(json["display_name"], "Zoe");
        assert_eq!(json["address_type"], "SMTP");
        assert_eq!(json["email_address"], "zoe@example.com");
        let back: EntryId = serde_json::from_value(json).unwrap();
        assert_eq!(back, id);
    }

    #[test]
    fn folder_json_view_shows_gid_and_round_trips() {
        let id = EntryId::decode(&folder_bytes(0, 1, [0, 0, 0, 0, 0x01, 0x2C])).unwrap();
        let json = serde_json::to_value(&id).unwrap();
        assert_eq!(json["kind"], "folder");
        assert_eq!(json["provider_uid"], mailbox_uid().to_hex());
        assert_eq!(json["folder_type"], "private");
        assert_eq!(json["folder"]["global_counter"], 0x12C);
        assert_eq!(json["folder"]["database_guid"], "c0a8e76b-38b1-4b7b-a1f4-6d2b7f6a1c11");
        assert_eq!(serde_json::from_value::<EntryId>(json).unwrap(), id);
    }

    fn address_book_bytes(dn: &[u8]) -> Vec<u8> {
        let mut bytes = header(ProviderUid::ADDRESS_BOOK);
        bytes.extend_from_slice(&[1, 0, 0, 0]); // Version
        bytes.extend_from_slice(&[0, 0, 0, 0]); // Type: local mail user
        bytes.extend_from_slice(dn);
        bytes
    }

    #[test]
    fn address_book_entry_id_reads_the_x500_dn() {
        let mut dn = DAN_DN.as_bytes().to_vec();
        dn.push(0);
        let bytes = address_book_bytes(&dn);
        let id = EntryId::decode(&bytes).unwrap();
        let EntryId::AddressBook(address_book) = &id else {
            panic!("not read as an address book entry ID");
        };
        assert_eq!(address_book.version, 1);
        assert_eq!(address_book.type_name(), Some("local mail user"));
        assert_eq!(address_book.x500_dn, DAN_DN);
        assert_eq!(id.encode(), bytes);
        assert_eq!(AddressBookEntryId::mail_user(DAN_DN), *address_book);
        let upper = EntryId::AddressBook(AddressBookEntryId::mail_user(&DAN_DN.to_uppercase()));
        assert!(EntryId::same_object(&id, &upper));
        assert_eq!(serde_json::to_value(&id).unwrap()["type_name"], "local mail user");
    }

    #[test]
    fn bytes_after_the_x500_dn_are_reported() {
        let error = EntryId::decode(&address_book_bytes(b"/o=x\0\0\0")).unwrap_err();
        assert_eq!(
            error.to_string(),
            "address book entry ID: 2 unexpected byte(s) after X500DN, starting at offset 33"
        );
    }

    #[test]
    fn contact_address_entry_id_embeds_the_contact_id() {
        let contact = EntryId::pst(ProviderUid([0x42; 16]), PstNodeId(0x0020_0024));
        let mut bytes = header(ProviderUid::CONTACT_ADDRESS_BOOK);
        bytes.extend_from_slice(&[3, 0, 0, 0]); // Version
        bytes.extend_from_slice(&[4, 0, 0, 0]); // Type: contact
        bytes.extend_from_slice(&[1, 0, 0, 0]); // Index: Email2
        bytes.extend_from_slice(&[24, 0, 0, 0]); // EntryIdCount
        bytes.extend_from_slice(&contact.encode());
        let id = EntryId::decode(&bytes).unwrap();
        let EntryId::ContactAddress(address) = &id else {
            panic!("not read as a contact address entry ID");
        };
        assert_eq!(address.object_type, ContactAddressEntryId::TYPE_CONTACT);
        assert_eq!(address.index, 1);
        assert_eq!(address.inner().unwrap(), contact);
        assert_eq!(id.encode(), bytes);
        assert_eq!(*address, ContactAddressEntryId::contact(1, &contact));
    }

    #[test]
    fn contact_address_with_oversized_count_is_truncated_not_allocated() {
        let mut bytes = header(ProviderUid::CONTACT_ADDRESS_BOOK);
        bytes.extend_from_slice(&[3, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0]);
        bytes.extend_from_slice(&u32::MAX.to_le_bytes());
        bytes.extend_from_slice(&[0; 8]);
        assert_eq!(
            EntryId::decode(&bytes).unwrap_err(),
            EntryIdError::Truncated {
                kind: "contact address",
                field: "EntryIdBytes",
                offset: 36,
                needed: u32::MAX as usize,
                available: 8,
            }
        );
    }

    #[test]
    fn different_providers_are_never_the_same_object() {
        let pst = EntryId::pst(ProviderUid([1; 16]), PstNodeId(0x122));
        let other = EntryId::pst(ProviderUid([2; 16]), PstNodeId(0x122));
        assert!(!EntryId::same_object(&pst, &other));
        assert!(EntryId::same_object(&pst, &pst.clone().with_flags([0xFF, 0, 0, 0])));
    }

    #[test]
    fn entry_id_errors_map_to_mapi_e_invalid_entryid() {
        let error: MapiError = EntryId::decode(&[]).unwrap_err().into();
        assert_eq!(error.code, ErrorCode::InvalidEntryId);
    }
}
