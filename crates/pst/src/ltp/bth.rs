//! BTree-on-heap (MS-PST 2.3.2): BTHHEADER, intermediate and leaf records.

use super::heap::{CLIENT_SIG_BTH, HeapId, HeapNode, heap_err};
use crate::error::PstResult;
use crate::io::u32_at;
use std::collections::HashSet;

/// The parsed BTHHEADER.
#[derive(Debug, Clone, Copy)]
pub struct HeapTree {
    pub cb_key: usize,
    pub cb_ent: usize,
    pub idx_levels: u8,
    pub root: HeapId,
}

impl HeapTree {
    pub fn open(heap: &HeapNode, header: HeapId) -> PstResult<HeapTree> {
        let h = heap.item(header)?;
        if h.len() < 8 || h[0] != CLIENT_SIG_BTH {
            return Err(heap_err(heap.nid, "BTHHEADER bType is not 0xB5"));
        }
        let cb_key = usize::from(h[1]);
        let cb_ent = usize::from(h[2]);
        if !matches!(cb_key, 2 | 4 | 8 | 16) || cb_ent == 0 || cb_ent > 32 || h[3] > 8 {
            return Err(heap_err(
                heap.nid,
                format!("BTHHEADER cbKey {cb_key} / cbEnt {cb_ent} / bIdxLevels {} invalid", h[3]),
            ));
        }
        Ok(HeapTree { cb_key, cb_ent, idx_levels: h[3], root: HeapId(u32_at(h, 4)) })
    }

    /// Every leaf record as (key, data), in key order.
    ///
    /// Bounded for hostile heaps (MS-PST 2.3.2.2): each index record names the heap item one
    /// level down, and in a sound BTH every item is reached once. So an item reached twice is
    /// an error (a shared subtree or a cycle would multiply work and output), the depth is
    /// `bIdxLevels` (at most 8, checked by `open`), and the records returned can be no more
    /// than the heap's bytes divided by the record size.
    pub fn records<'h>(&self, heap: &'h HeapNode) -> PstResult<Vec<(&'h [u8], &'h [u8])>> {
        let mut out = Vec::new();
        if self.root.0 != 0 {
            let mut visited = HashSet::new();
            self.collect(heap, self.root, self.idx_levels, &mut visited, &mut out)?;
        }
        Ok(out)
    }

    fn collect<'h>(
        &self,
        heap: &'h HeapNode,
        hid: HeapId,
        level: u8,
        visited: &mut HashSet<u32>,
        out: &mut Vec<(&'h [u8], &'h [u8])>,
    ) -> PstResult<()> {
        if !visited.insert(hid.0) {
            return Err(heap_err(
                heap.nid,
                format!("BTH index record points at HID {:#x} a second time", hid.0),
            ));
        }
        let data = heap.item(hid)?;
        let size = if level == 0 { self.cb_key + self.cb_ent } else { self.cb_key + 4 };
        for rec in data.chunks_exact(size) {
            let (key, rest) = rec.split_at(self.cb_key);
            if level == 0 {
                out.push((key, rest));
            } else {
                self.collect(heap, HeapId(u32_at(rest, 0)), level - 1, visited, out)?;
            }
        }
        Ok(())
    }
}
