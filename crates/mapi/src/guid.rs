//! GUIDs as MAPI stores them: the first three fields little-endian (MS-DTYP 2.3.4.2).

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A GUID. Displayed in registry form without braces, lower-case:
/// `00020329-0000-0000-c000-000000000046`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Guid(uuid::Uuid);

impl Guid {
    pub const NIL: Guid = Guid(uuid::Uuid::nil());

    /// From the 16 bytes of a GUID as laid out on disk (MS-DTYP `GUID` packet, little-endian fields).
    pub const fn from_le_bytes(bytes: [u8; 16]) -> Guid {
        Guid(uuid::Uuid::from_bytes_le(bytes))
    }

    /// The 16 bytes as laid out on disk.
    pub const fn to_le_bytes(self) -> [u8; 16] {
        self.0.to_bytes_le()
    }

    /// From the textual field values (`data1-data2-data3-data4`).
    pub const fn from_fields(data1: u32, data2: u16, data3: u16, data4: [u8; 8]) -> Guid {
        Guid(uuid::Uuid::from_fields(data1, data2, data3, &data4))
    }

    /// A fresh random GUID (version 4).
    pub fn new_random() -> Guid {
        Guid(uuid::Uuid::new_v4())
    }
}

impl fmt::Display for Guid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.hyphenated().fmt(f)
    }
}

impl fmt::Debug for Guid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Guid({self})")
    }
}

impl FromStr for Guid {
    type Err = uuid::Error;
    /// Accepts the hyphenated form with or without braces.
    fn from_str(s: &str) -> Result<Guid, uuid::Error> {
        let inner = s.trim().trim_start_matches('{').trim_end_matches('}');
        uuid::Uuid::parse_str(inner).map(Guid)
    }
}

impl Serialize for Guid {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Guid {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ps_mapi_guid_has_mixed_endian_layout() {
        // PS_MAPI {00020328-0000-0000-C000-000000000046} (MS-OXPROPS 1.3.2)
        let guid: Guid = "{00020328-0000-0000-C000-000000000046}".parse().unwrap();
        let bytes = guid.to_le_bytes();
        assert_eq!(&bytes[..4], &[0x28, 0x03, 0x02, 0x00]);
        assert_eq!(&bytes[8..10], &[0xC0, 0x00]);
        assert_eq!(Guid::from_le_bytes(bytes), guid);
        assert_eq!(guid.to_string(), "00020328-0000-0000-c000-000000000046");
    }
}
