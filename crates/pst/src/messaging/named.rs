//! The name-to-ID map (MS-PST 2.4.7): NID 0x61 maps named properties to IDs 0x8000 and up.

use crate::error::{PstError, PstResult};
use crate::io::{u16_at, u32_at};
use crate::ltp::PropertyContext;
use crate::ltp::value::decode_utf16;
use mapi::{Guid, NamedId, NamedProperty};
use std::collections::HashMap;

const PID_TAG_NAMEID_STREAM_GUID: u16 = 0x0002;
const PID_TAG_NAMEID_STREAM_ENTRY: u16 = 0x0003;
const PID_TAG_NAMEID_STREAM_STRING: u16 = 0x0004;

/// PS_MAPI {00020328-0000-0000-C000-000000000046}: `wGuid` 1.
pub const PS_MAPI: Guid = Guid::from_fields(0x0002_0328, 0, 0, [0xC0, 0, 0, 0, 0, 0, 0, 0x46]);
/// PS_PUBLIC_STRINGS {00020329-0000-0000-C000-000000000046}: `wGuid` 2.
pub const PS_PUBLIC_STRINGS: Guid =
    Guid::from_fields(0x0002_0329, 0, 0, [0xC0, 0, 0, 0, 0, 0, 0, 0x46]);

/// The store's named properties, by property ID.
#[derive(Debug, Clone, Default)]
pub struct NameToIdMap {
    entries: Vec<(u16, NamedProperty)>,
    by_id: HashMap<u16, usize>,
    by_name: HashMap<NamedProperty, u16>,
}

impl NameToIdMap {
    pub(crate) fn read(pc: &PropertyContext) -> PstResult<NameToIdMap> {
        let guids = pc.bytes(PID_TAG_NAMEID_STREAM_GUID)?.unwrap_or_default();
        let entries = pc.bytes(PID_TAG_NAMEID_STREAM_ENTRY)?.unwrap_or_default();
        let strings = pc.bytes(PID_TAG_NAMEID_STREAM_STRING)?.unwrap_or_default();
        let mut out = Vec::with_capacity(entries.len() / 8);
        // Every string NAMEID names its own string (MS-PST 2.4.7.4); entries that all point at
        // one long string would decode it once per entry, multiplying the stream. Allow the
        // string stream's size a few times over, then call the map damaged.
        let mut name_budget = strings.len().saturating_mul(4).saturating_add(4096);
        // NAMEID (MS-PST 2.4.7.1): dwPropertyID, wGuid (N flag in bit 0), wPropIdx.
        for rec in entries.chunks_exact(8) {
            let property_id = u32_at(rec, 0);
            let w_guid = u16_at(rec, 4);
            let prop_idx = u16_at(rec, 6);
            let is_string = w_guid & 1 != 0;
            let set = match w_guid >> 1 {
                0 => Guid::NIL,
                1 => PS_MAPI,
                2 => PS_PUBLIC_STRINGS,
                n => {
                    let at = usize::from(n - 3) * 16;
                    match guids.get(at..at + 16) {
                        Some(b) => Guid::from_le_bytes(b.try_into().unwrap_or([0; 16])),
                        None => continue,
                    }
                }
            };
            let id = if is_string {
                let at = property_id as usize;
                let len = u32_at(&strings, at) as usize;
                let Some(b) = strings.get(at.saturating_add(4)..at.saturating_add(4 + len)) else {
                    continue;
                };
                name_budget =
                    name_budget.checked_sub(b.len() + 4).ok_or_else(|| PstError::Property {
                        nid: pc.nid(),
                        prop_id: PID_TAG_NAMEID_STREAM_STRING,
                        problem: format!(
                            "NAMEID entries read the {}-byte string stream more than four times \
                             over",
                            strings.len()
                        ),
                    })?;
                NamedId::Name(decode_utf16(b))
            } else {
                NamedId::Lid(property_id)
            };
            let Some(prop_id) = 0x8000u16.checked_add(prop_idx) else { continue };
            out.push((prop_id, NamedProperty { set, id }));
        }
        let by_id = out.iter().enumerate().map(|(i, (id, _))| (*id, i)).collect();
        let by_name = out.iter().map(|(id, n)| (n.clone(), *id)).collect();
        Ok(NameToIdMap { entries: out, by_id, by_name })
    }

    /// The named property behind an ID in 0x8000..=0xFFFE.
    pub fn name_of(&self, prop_id: u16) -> Option<&NamedProperty> {
        self.by_id.get(&prop_id).map(|&i| &self.entries[i].1)
    }

    /// The ID a named property is mapped to in this store.
    pub fn id_of(&self, name: &NamedProperty) -> Option<u16> {
        self.by_name.get(name).copied()
    }

    pub fn iter(&self) -> impl Iterator<Item = (u16, &NamedProperty)> {
        self.entries.iter().map(|(id, n)| (*id, n))
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}
