//! The property catalog: canonical MS-OXPROPS names, tags, property sets, LIDs and types.
//!
//! Everything comes from one table (`table.rs`, one `property_catalog!` invocation). The macro
//! turns each row into a constant (`tags::PidTagSubject`, `lids::PidLidAppointmentStartWhole`,
//! `names::PidNameKeywords`) and into an entry of [`PROPERTIES`], which the lookups search.

mod lookup;
pub mod sets;
mod table;

#[cfg(test)]
mod tests;

pub use lookup::{LookupError, by_id, by_lid, by_name, by_named, by_tag, lookup};
pub use sets::PropertySet;
pub use table::{PROPERTIES, lids, names, tags};

use crate::{NamedId, NamedProperty, PropTag, PropType};
use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

/// One catalog row: a property's canonical name, how it is identified, and its type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PropertyInfo {
    /// The MS-OXPROPS canonical name (`PidTagSubject`, `PidLidAppointmentStartWhole`).
    pub name: &'static str,
    pub kind: PropertyKind,
    pub prop_type: PropType,
}

/// How a property is identified: a fixed tag, or a property set plus LID or string name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PropertyKind {
    /// A `PidTag*` property: the spec fixes its ID (below 0x8000 except address-book
    /// properties) and the tag carries the type.
    Tagged { tag: PropTag },
    /// A `PidLid*` or `PidName*` property: each store maps it to an ID of its own.
    Named { set: PropertySet, id: CatalogNamedId },
}

/// A named property's identity inside its set, in a form that can live in a static table
/// (`NamedId` owns its string).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CatalogNamedId {
    /// MNID_ID: a `PidLid*` property.
    Lid(u32),
    /// MNID_STRING: a `PidName*` property.
    Name(&'static str),
}

impl CatalogNamedId {
    pub fn to_named_id(self) -> NamedId {
        match self {
            CatalogNamedId::Lid(lid) => NamedId::Lid(lid),
            CatalogNamedId::Name(name) => NamedId::Name(name.to_owned()),
        }
    }
}

impl PropertyInfo {
    /// A `PidTag*` row; the tag is the ID with the type, so the two cannot disagree.
    pub const fn new_tagged(name: &'static str, id: u16, prop_type: PropType) -> PropertyInfo {
        PropertyInfo {
            name,
            kind: PropertyKind::Tagged { tag: PropTag::new(id, prop_type) },
            prop_type,
        }
    }

    pub const fn new_lid(
        name: &'static str,
        set: PropertySet,
        lid: u32,
        prop_type: PropType,
    ) -> PropertyInfo {
        PropertyInfo {
            name,
            kind: PropertyKind::Named { set, id: CatalogNamedId::Lid(lid) },
            prop_type,
        }
    }

    pub const fn new_string(
        name: &'static str,
        set: PropertySet,
        string: &'static str,
        prop_type: PropType,
    ) -> PropertyInfo {
        PropertyInfo {
            name,
            kind: PropertyKind::Named { set, id: CatalogNamedId::Name(string) },
            prop_type,
        }
    }

    /// The tag of a tagged property; `None` for named ones (their ID depends on the store).
    pub const fn tag(&self) -> Option<PropTag> {
        match self.kind {
            PropertyKind::Tagged { tag } => Some(tag),
            PropertyKind::Named { .. } => None,
        }
    }

    /// The property ID of a tagged property.
    pub const fn id(&self) -> Option<u16> {
        match self.kind {
            PropertyKind::Tagged { tag } => Some(tag.id()),
            PropertyKind::Named { .. } => None,
        }
    }

    pub const fn is_named(&self) -> bool {
        matches!(self.kind, PropertyKind::Named { .. })
    }

    /// The property set of a named property.
    pub const fn property_set(&self) -> Option<PropertySet> {
        match self.kind {
            PropertyKind::Named { set, .. } => Some(set),
            PropertyKind::Tagged { .. } => None,
        }
    }

    /// The LID of a `PidLid*` property.
    pub const fn lid(&self) -> Option<u32> {
        match self.kind {
            PropertyKind::Named { id: CatalogNamedId::Lid(lid), .. } => Some(lid),
            _ => None,
        }
    }

    /// The string name of a `PidName*` property (`Keywords` for `PidNameKeywords`).
    pub const fn string_name(&self) -> Option<&'static str> {
        match self.kind {
            PropertyKind::Named { id: CatalogNamedId::Name(name), .. } => Some(name),
            _ => None,
        }
    }

    /// The named property a store's name-to-ID map resolves; `None` for tagged properties.
    pub fn named_property(&self) -> Option<NamedProperty> {
        match self.kind {
            PropertyKind::Named { set, id } => {
                Some(NamedProperty { set: set.guid, id: id.to_named_id() })
            }
            PropertyKind::Tagged { .. } => None,
        }
    }

    /// The tag under which a store keeps this property: the fixed tag for a tagged property,
    /// or `mapped_id` (the ID the store's name map assigned) with the catalog type for a named one.
    pub const fn tag_in_store(&self, mapped_id: u16) -> PropTag {
        match self.kind {
            PropertyKind::Tagged { tag } => tag,
            PropertyKind::Named { .. } => PropTag::new(mapped_id, self.prop_type),
        }
    }
}

/// The JSON shape the CLI prints: tagged properties as
/// `{"name","tag","id","type"}`, named ones as
/// `{"name","property_set","property_set_guid","lid"|"property_name","type"}`,
/// numbers as upper-case hex with a `0x` prefix.
impl Serialize for PropertyInfo {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.kind {
            PropertyKind::Tagged { tag } => {
                let mut out = s.serialize_struct("PropertyInfo", 4)?;
                out.serialize_field("name", self.name)?;
                out.serialize_field("tag", &format!("0x{:08X}", tag.0))?;
                out.serialize_field("id", &format!("0x{:04X}", tag.id()))?;
                out.serialize_field("type", self.prop_type.spec_name())?;
                out.end()
            }
            PropertyKind::Named { set, id } => {
                let mut out = s.serialize_struct("PropertyInfo", 5)?;
                out.serialize_field("name", self.name)?;
                out.serialize_field("property_set", set.name)?;
                out.serialize_field("property_set_guid", &set.guid)?;
                match id {
                    CatalogNamedId::Lid(lid) => {
                        out.serialize_field("lid", &format!("0x{lid:04X}"))?;
                    }
                    CatalogNamedId::Name(name) => out.serialize_field("property_name", name)?,
                }
                out.serialize_field("type", self.prop_type.spec_name())?;
                out.end()
            }
        }
    }
}

/// Defines the catalog from one list of rows. Three sections, each row `Name = ..., Ptyp;`:
/// `tagged` rows give the property ID, `lid` rows the set and LID, `string` rows the set and
/// name. Produces the `tags`, `lids` and `names` constant modules and [`PROPERTIES`].
macro_rules! property_catalog {
    (
        tagged { $( $tname:ident = $tid:literal, $ttype:ident; )* }
        lid { $( $lname:ident = $lset:ident, $lid:literal, $ltype:ident; )* }
        string { $( $sname:ident = $sset:ident, $sstr:literal, $stype:ident; )* }
    ) => {
        /// Tags of the `PidTag*` properties, named as MS-OXPROPS names them.
        #[allow(non_upper_case_globals)]
        pub mod tags {
            use $crate::{PropTag, PropType};
            $(
                #[doc = concat!("`", stringify!($tname), "`: ID ", stringify!($tid), ", `Ptyp",
                    stringify!($ttype), "`.")]
                pub const $tname: PropTag = PropTag::new($tid, PropType::$ttype);
            )*
        }

        /// The `PidLid*` named properties (set, LID and type), named as MS-OXPROPS names them.
        #[allow(non_upper_case_globals)]
        pub mod lids {
            use $crate::PropType;
            use $crate::catalog::{PropertyInfo, sets};
            $(
                #[doc = concat!("`", stringify!($lname), "`: `", stringify!($lset), "` LID ",
                    stringify!($lid), ", `Ptyp", stringify!($ltype), "`.")]
                pub const $lname: PropertyInfo =
                    PropertyInfo::new_lid(stringify!($lname), sets::$lset, $lid, PropType::$ltype);
            )*
        }

        /// The `PidName*` named properties (set, string name and type).
        #[allow(non_upper_case_globals)]
        pub mod names {
            use $crate::PropType;
            use $crate::catalog::{PropertyInfo, sets};
            $(
                #[doc = concat!("`", stringify!($sname), "`: `", stringify!($sset), "` \"",
                    $sstr, "\", `Ptyp", stringify!($stype), "`.")]
                pub const $sname: PropertyInfo = PropertyInfo::new_string(
                    stringify!($sname), sets::$sset, $sstr, PropType::$stype);
            )*
        }

        /// Every property in the catalog: tagged first, then `PidLid*`, then `PidName*`.
        pub static PROPERTIES: &[$crate::catalog::PropertyInfo] = &[
            $( $crate::catalog::PropertyInfo::new_tagged(
                stringify!($tname), $tid, $crate::PropType::$ttype), )*
            $( lids::$lname, )*
            $( names::$sname, )*
        ];
    };
}
use property_catalog;
