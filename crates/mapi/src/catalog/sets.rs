//! Property sets: the GUID namespaces of named properties (MS-OXPROPS 1.3.2, "Commonly Used
//! Property Sets"; `PSETID_Report` and `PSETID_Remote` from the Outlook MAPI reference's list).
//! Each set is a `PropertySet` constant named exactly as the spec names it, so the spec's
//! mixed case wins over Rust's upper-case convention here.

#![allow(non_upper_case_globals)]

use crate::Guid;
use serde::Serialize;

/// A property set: its spec name and GUID.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct PropertySet {
    pub name: &'static str,
    pub guid: Guid,
}

/// Parses a registry-form GUID at compile time, so the table below can carry the text the spec
/// prints. A malformed literal fails the build, never a run.
const fn guid(text: &str) -> Guid {
    let b = text.as_bytes();
    assert!(b.len() == 36, "GUID literal must be 36 characters");
    assert!(b[8] == b'-' && b[13] == b'-' && b[18] == b'-' && b[23] == b'-', "GUID dashes");
    let data1 = hex_field(b, 0, 8) as u32;
    let data2 = hex_field(b, 9, 4) as u16;
    let data3 = hex_field(b, 14, 4) as u16;
    let mut data4 = [0u8; 8];
    data4[0] = hex_field(b, 19, 2) as u8;
    data4[1] = hex_field(b, 21, 2) as u8;
    let mut i = 0;
    while i < 6 {
        data4[2 + i] = hex_field(b, 24 + 2 * i, 2) as u8;
        i += 1;
    }
    Guid::from_fields(data1, data2, data3, data4)
}

const fn hex_field(b: &[u8], start: usize, len: usize) -> u64 {
    let mut value = 0u64;
    let mut i = start;
    while i < start + len {
        let digit = match b[i] {
            c @ b'0'..=b'9' => c - b'0',
            c @ b'a'..=b'f' => c - b'a' + 10,
            c @ b'A'..=b'F' => c - b'A' + 10,
            _ => panic!("GUID literal has a non-hex digit"),
        };
        value = (value << 4) | digit as u64;
        i += 1;
    }
    value
}

macro_rules! property_sets {
    ($( $name:ident = $guid:literal; )*) => {
        $(
            #[doc = concat!("`", stringify!($name), "` {", $guid, "}")]
            pub const $name: PropertySet = PropertySet { name: stringify!($name), guid: guid($guid) };
        )*

        /// Every property set the catalog knows, in spec order.
        pub const ALL: &[PropertySet] = &[$($name),*];
    };
}

property_sets! {
    PS_MAPI = "00020328-0000-0000-C000-000000000046";
    PS_PUBLIC_STRINGS = "00020329-0000-0000-C000-000000000046";
    PSETID_Common = "00062008-0000-0000-C000-000000000046";
    PSETID_Address = "00062004-0000-0000-C000-000000000046";
    PS_INTERNET_HEADERS = "00020386-0000-0000-C000-000000000046";
    PSETID_Appointment = "00062002-0000-0000-C000-000000000046";
    PSETID_Meeting = "6ED8DA90-450B-101B-98DA-00AA003F1305";
    PSETID_Log = "0006200A-0000-0000-C000-000000000046";
    PSETID_Messaging = "41F28F13-83F4-4114-A584-EEDB5A6B0BFF";
    PSETID_Note = "0006200E-0000-0000-C000-000000000046";
    PSETID_PostRss = "00062041-0000-0000-C000-000000000046";
    PSETID_Task = "00062003-0000-0000-C000-000000000046";
    PSETID_UnifiedMessaging = "4442858E-A9E3-4E80-B900-317A210CC15B";
    PSETID_AirSync = "71035549-0739-4DCB-9163-00F0580DBBDF";
    PSETID_Sharing = "00062040-0000-0000-C000-000000000046";
    PSETID_XmlExtractedEntities = "23239608-685D-4732-9C55-4C95CB4E8E33";
    PSETID_Attachment = "96357F7F-59E1-47D0-99A7-46515C183B54";
    PSETID_CalendarAssistant = "11000E07-B51B-40D6-AF21-CAA85EDAB1D0";
    PSETID_Report = "00062013-0000-0000-C000-000000000046";
    PSETID_Remote = "00062014-0000-0000-C000-000000000046";
}

/// A set by its spec name, case-insensitive (`psetid_appointment` finds `PSETID_Appointment`).
pub fn by_name(name: &str) -> Option<PropertySet> {
    ALL.iter().copied().find(|set| set.name.eq_ignore_ascii_case(name))
}

/// A set by its GUID.
pub fn by_guid(guid: Guid) -> Option<PropertySet> {
    ALL.iter().copied().find(|set| set.guid == guid)
}
