//! Named properties: a property set GUID plus a numeric LID or a string name (MS-OXCDATA 2.6.1,
//! MS-OXPROPS 1.3.2). Stores map each one to a property ID in 0x8000..=0xFFFE.

use crate::Guid;
use serde::{Deserialize, Serialize};
use std::fmt;

/// How a named property is identified inside its property set.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NamedId {
    /// MNID_ID: a 32-bit long ID (the `PidLid*` properties).
    Lid(u32),
    /// MNID_STRING: a name (the `PidName*` properties and custom ones).
    Name(String),
}

/// A named property: property set plus ID or name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct NamedProperty {
    pub set: Guid,
    pub id: NamedId,
}

impl NamedProperty {
    pub fn lid(set: Guid, lid: u32) -> NamedProperty {
        NamedProperty { set, id: NamedId::Lid(lid) }
    }

    pub fn name(set: Guid, name: impl Into<String>) -> NamedProperty {
        NamedProperty { set, id: NamedId::Name(name.into()) }
    }
}

impl fmt::Display for NamedProperty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.id {
            NamedId::Lid(lid) => write!(f, "{{{}}}:0x{lid:04X}", self.set),
            NamedId::Name(name) => write!(f, "{{{}}}:{name:?}", self.set),
        }
    }
}
