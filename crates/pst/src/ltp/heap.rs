//! Heap-on-node (MS-PST 2.3.1): HNHDR, HNPAGEHDR/HNBITMAPHDR, HNPAGEMAP and HIDs.

use super::node::LtpNode;
use crate::error::{PstError, PstResult};
use crate::io::{u16_at, u32_at};
use crate::ndb::NodeId;

/// `bSig` of every HNHDR.
const HN_SIGNATURE: u8 = 0xEC;

/// `bClientSig` values (MS-PST 2.3.1.2).
pub const CLIENT_SIG_TC: u8 = 0x7C;
pub const CLIENT_SIG_BTH: u8 = 0xB5;
pub const CLIENT_SIG_PC: u8 = 0xBC;

/// A heap ID (MS-PST 2.3.1.1): `hidType` 5 bits (0), `hidIndex` 11 bits, `hidBlockIndex` 16.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeapId(pub u32);

impl HeapId {
    pub fn index(self) -> usize {
        ((self.0 >> 5) & 0x7FF) as usize
    }
    pub fn block_index(self) -> usize {
        (self.0 >> 16) as usize
    }
    pub fn is_hid(self) -> bool {
        self.0 & 0x1F == 0
    }
}

/// A heap-on-node loaded from a node's data blocks.
#[derive(Debug, Clone)]
pub struct HeapNode {
    pub nid: NodeId,
    /// `bSig` of the HNHDR: 0xEC in a well-formed heap.
    pub signature: u8,
    pub client_sig: u8,
    pub user_root: HeapId,
    blocks: Vec<Vec<u8>>,
}

impl HeapNode {
    /// Opens a node's heap. A `bSig` other than 0xEC is a warning, not a failure: what the
    /// heap holds is checked item by item anyway, and such heaps read fine.
    pub fn open(node: &LtpNode) -> PstResult<HeapNode> {
        let heap = Self::from_blocks(node.nid, node.blocks()?)?;
        if heap.signature != HN_SIGNATURE {
            let problem = format!("HNHDR bSig is {:#04x}, expected 0xEC", heap.signature);
            node.ndb.warn(format!("{}", node.nid), &heap_err(node.nid, problem));
        }
        Ok(heap)
    }

    pub fn from_blocks(nid: NodeId, blocks: Vec<Vec<u8>>) -> PstResult<HeapNode> {
        let first = blocks.first().ok_or_else(|| heap_err(nid, "node has no data"))?;
        if first.len() < 12 {
            return Err(heap_err(nid, "HNHDR shorter than 12 bytes"));
        }
        let signature = first[2];
        let client_sig = first[3];
        let user_root = HeapId(u32_at(first, 4));
        Ok(HeapNode { nid, signature, client_sig, user_root, blocks })
    }

    /// The bytes of a heap allocation.
    pub fn item(&self, hid: HeapId) -> PstResult<&[u8]> {
        if !hid.is_hid() || hid.index() == 0 {
            return Err(heap_err(self.nid, format!("{:#x} is not a valid HID", hid.0)));
        }
        let block = self.blocks.get(hid.block_index()).ok_or_else(|| {
            heap_err(self.nid, format!("HID {:#x}: hidBlockIndex past the last block", hid.0))
        })?;
        let ib_hnpm = usize::from(u16_at(block, 0));
        if ib_hnpm + 4 > block.len() {
            return Err(heap_err(self.nid, format!("ibHnpm {ib_hnpm} past the block end")));
        }
        let c_alloc = usize::from(u16_at(block, ib_hnpm));
        let i = hid.index();
        if i > c_alloc || ib_hnpm + 4 + 2 * (c_alloc + 1) > block.len() {
            return Err(heap_err(
                self.nid,
                format!("HID {:#x}: hidIndex {i} beyond cAlloc {c_alloc}", hid.0),
            ));
        }
        let start = usize::from(u16_at(block, ib_hnpm + 4 + 2 * (i - 1)));
        let end = usize::from(u16_at(block, ib_hnpm + 4 + 2 * i));
        if start > end || end > ib_hnpm {
            return Err(heap_err(
                self.nid,
                format!("HID {:#x}: rgibAlloc range {start}..{end} is invalid", hid.0),
            ));
        }
        Ok(&block[start..end])
    }
}

pub(crate) fn heap_err(nid: NodeId, problem: impl Into<String>) -> PstError {
    PstError::Heap { nid, problem: problem.into() }
}
