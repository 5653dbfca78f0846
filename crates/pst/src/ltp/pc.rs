//! Property context (MS-PST 2.3.3): a BTH of (property ID → type + value-or-HNID) on a heap.

use super::bth::HeapTree;
use super::budget::{SUBNODE_BUDGET_PER_FILE_BYTE, SubnodeBudget};
use super::heap::{CLIENT_SIG_PC, HeapId, HeapNode, heap_err};
use super::node::LtpNode;
use super::value::{decode_value, encoding_for_codepage, is_inline_in_pc};
use crate::error::{PstError, PstResult};
use crate::io::{u16_at, u32_at};
use crate::ndb::NodeId;
use encoding_rs::Encoding;
use mapi::{PropTag, PropType, PropValue, TaggedValue};
use std::collections::HashSet;

/// The most one value stored in a subnode may be, as a multiple of the file size (the limit of
/// [`LtpNode::subnode_data`]): data trees may list distinct blocks only, so a sound value is
/// smaller than its file.
const VALUE_LIMIT_PER_FILE_BYTE: u64 = 4;

/// One PC record (MS-PST 2.3.3.3 PC BTH Record).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct PcEntry {
    id: u16,
    type_code: u16,
    value: u32,
}

/// Where a value's bytes live.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueLocation {
    Inline,
    Heap(HeapId),
    Subnode(NodeId),
}

/// A property context, opened from a node or subnode.
#[derive(Debug, Clone)]
pub struct PropertyContext {
    node: LtpNode,
    heap: HeapNode,
    entries: Vec<PcEntry>,
    encoding: &'static Encoding,
}

impl PropertyContext {
    pub fn open(node: LtpNode) -> PstResult<PropertyContext> {
        let heap = HeapNode::open(&node)?;
        if heap.client_sig != CLIENT_SIG_PC {
            return Err(heap_err(
                node.nid,
                format!("bClientSig is {:#04x}, a property context has 0xBC", heap.client_sig),
            ));
        }
        let tree = HeapTree::open(&heap, heap.user_root)?;
        if tree.cb_key != 2 || tree.cb_ent != 6 {
            return Err(heap_err(node.nid, "PC BTH must have cbKey 2 and cbEnt 6"));
        }
        let mut entries: Vec<PcEntry> = tree
            .records(&heap)?
            .into_iter()
            .map(|(k, d)| PcEntry {
                id: u16_at(k, 0),
                type_code: u16_at(d, 0),
                value: u32_at(d, 2),
            })
            .collect();
        // BTH records are in strictly ascending key order (MS-PST 2.3.2.3), which the lookups'
        // binary search relies on. A damaged heap may break that; rather than fail the whole
        // object (Outlook's reader is lenient here too) or scan linearly on every lookup (work
        // quadratic in the heap size), sort once and keep the first record of a repeated ID,
        // which is what a scan in stored order would find, and note the damage.
        if !entries.windows(2).all(|w| w[0].id < w[1].id) {
            node.ndb.record(
                format!("{}", node.nid),
                &heap_err(node.nid, "property context BTH records are not in key order"),
            );
            entries.sort_by_key(|e| e.id);
            entries.dedup_by_key(|e| e.id);
        }
        Ok(PropertyContext { node, heap, entries, encoding: encoding_for_codepage(None) })
    }

    pub fn nid(&self) -> NodeId {
        self.node.nid
    }

    pub fn node(&self) -> &LtpNode {
        &self.node
    }

    /// Sets the code page used for `PtypString8` values.
    pub fn set_codepage(&mut self, codepage: Option<u32>) {
        self.encoding = encoding_for_codepage(codepage);
    }

    pub fn encoding(&self) -> &'static Encoding {
        self.encoding
    }

    /// Every tag present, in property-ID order.
    pub fn tags(&self) -> impl Iterator<Item = PropTag> + '_ {
        self.entries.iter().map(|e| PropTag((u32::from(e.id) << 16) | u32::from(e.type_code)))
    }

    fn entry(&self, id: u16) -> Option<PcEntry> {
        // `open` made the entries sorted and unique.
        self.entries.binary_search_by_key(&id, |e| e.id).ok().map(|i| self.entries[i])
    }

    /// The tag stored for a property ID.
    pub fn tag_of(&self, id: u16) -> Option<PropTag> {
        self.entry(id).map(|e| PropTag((u32::from(e.id) << 16) | u32::from(e.type_code)))
    }

    pub fn contains(&self, id: u16) -> bool {
        self.entry(id).is_some()
    }

    fn location(&self, e: PcEntry) -> PstResult<ValueLocation> {
        let prop_type = PropType::from_code(e.type_code).ok_or_else(|| PstError::Property {
            nid: self.node.nid,
            prop_id: e.id,
            problem: format!("unknown wPropType {:#06x}", e.type_code),
        })?;
        Ok(if is_inline_in_pc(prop_type) {
            ValueLocation::Inline
        } else if e.value & 0x1F == 0 {
            ValueLocation::Heap(HeapId(e.value))
        } else {
            ValueLocation::Subnode(NodeId(e.value))
        })
    }

    /// The raw bytes of a property, as stored (strings undecoded). One value alone; to read
    /// many, use a [`PcPass`], which bounds their total.
    pub fn bytes(&self, id: u16) -> PstResult<Option<Vec<u8>>> {
        let Some(e) = self.entry(id) else { return Ok(None) };
        self.entry_bytes(e, None).map(Some)
    }

    fn entry_bytes(&self, e: PcEntry, pass: Option<(&SubnodeBudget, bool)>) -> PstResult<Vec<u8>> {
        Ok(match self.location(e)? {
            ValueLocation::Inline => e.value.to_le_bytes().to_vec(),
            ValueLocation::Heap(hid) if hid.0 == 0 => Vec::new(),
            ValueLocation::Heap(hid) => self.heap.item(hid)?.to_vec(),
            ValueLocation::Subnode(nid) => match pass {
                None => self.node.subnode_data(nid)?,
                Some((budget, first_read)) => {
                    budget.read(&self.node, nid, first_read, |len, left| PstError::Property {
                        nid: self.node.nid,
                        prop_id: e.id,
                        problem: format!(
                            "names subnode {nid} of at least {len} bytes, more than the {left} \
                             bytes left of this read's budget for subnode values \
                             ({SUBNODE_BUDGET_PER_FILE_BYTE} × the file size): properties \
                             naming large subnodes again and again"
                        ),
                    })?
                }
            },
        })
    }

    /// Where a property's bytes are (to stream large values from a subnode).
    pub fn value_location(&self, id: u16) -> PstResult<Option<ValueLocation>> {
        self.entry(id).map(|e| self.location(e)).transpose()
    }

    /// A property by ID, decoded. One value alone; to read many, use a [`PcPass`].
    pub fn value(&self, id: u16) -> PstResult<Option<PropValue>> {
        let Some(e) = self.entry(id) else { return Ok(None) };
        self.decode_entry(e, None).map(Some)
    }

    fn decode_entry(
        &self,
        e: PcEntry,
        pass: Option<(&SubnodeBudget, bool)>,
    ) -> PstResult<PropValue> {
        let bytes = self.entry_bytes(e, pass)?;
        let prop_type = PropType::from_code(e.type_code).unwrap_or(PropType::Null);
        decode_value(prop_type, &bytes, self.encoding).ok_or_else(|| PstError::Property {
            nid: self.node.nid,
            prop_id: e.id,
            problem: format!("{} bytes cannot hold a {prop_type}", bytes.len()),
        })
    }

    /// A pass over many of this context's values (every property, or a caller's list), whose
    /// reads from subnodes share one budget ([`SubnodeBudget`]).
    pub fn pass(&self) -> PcPass<'_> {
        let per_value = self.node.ndb.file_size().saturating_mul(VALUE_LIMIT_PER_FILE_BYTE);
        PcPass {
            pc: self,
            budget: SubnodeBudget::for_pass(&self.node, per_value),
            charged: HashSet::new(),
        }
    }

    /// A property by tag; the two string widths match each other.
    pub fn get(&self, tag: PropTag) -> PstResult<Option<PropValue>> {
        let Some(stored) = self.tag_of(tag.id()) else { return Ok(None) };
        let same = stored == tag
            || (stored.prop_type().is_some_and(PropType::is_string)
                && tag.prop_type().is_some_and(PropType::is_string))
            || tag.type_code() == 0;
        if same { self.value(tag.id()) } else { Ok(None) }
    }

    /// A string property of either width.
    pub fn string(&self, id: u16) -> Option<String> {
        match self.value(id) {
            Ok(Some(PropValue::String(s) | PropValue::String8(s))) => Some(s),
            _ => None,
        }
    }

    pub fn i32(&self, id: u16) -> Option<i32> {
        self.value(id).ok().flatten().and_then(|v| v.as_i32())
    }

    /// Every property, decoded; values that cannot be decoded (or that would overdraw the
    /// pass's budget for subnode values) are skipped and returned apart.
    pub fn all(&self) -> (Vec<TaggedValue>, Vec<PstError>) {
        let mut pass = self.pass();
        let mut values = Vec::with_capacity(self.entries.len());
        let mut errors = Vec::new();
        for e in &self.entries {
            let tag = PropTag((u32::from(e.id) << 16) | u32::from(e.type_code));
            match pass.value(e.id) {
                Ok(Some(value)) => values.push(TaggedValue { tag, value }),
                Ok(None) => {}
                Err(err) => errors.push(err),
            }
        }
        (values, errors)
    }
}

/// One read of many values of a property context ([`PropertyContext::pass`]). A PC's entries
/// may all name one large subnode (an HNID, MS-PST 2.3.3.2), so the bytes the pass reads from
/// subnodes are charged to one budget, 64 × the file size; the first read of a property is
/// charged, a re-read of the same property is not.
#[derive(Debug)]
pub struct PcPass<'p> {
    pc: &'p PropertyContext,
    budget: SubnodeBudget,
    /// Property IDs already charged to the budget.
    charged: HashSet<u16>,
}

impl PcPass<'_> {
    /// A property by ID, decoded.
    pub fn value(&mut self, id: u16) -> PstResult<Option<PropValue>> {
        let Some(e) = self.pc.entry(id) else { return Ok(None) };
        let first_read = self.charged.insert(id);
        self.pc.decode_entry(e, Some((&self.budget, first_read))).map(Some)
    }
}
