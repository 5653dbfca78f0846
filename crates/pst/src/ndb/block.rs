//! Blocks (MS-PST 2.2.2.8): the BLOCKTRAILER, data blocks (decoded per `bCryptMethod`), the
//! XBLOCK/XXBLOCK data trees and the SLBLOCK/SIBLOCK subnode trees.

use super::crc::{compute_crc, compute_sig};
use super::header::Format;
use super::ids::{BlockId, NodeId};
use super::page::BlockEntry;
use super::{MAX_BTREE_DEPTH, Ndb};
use crate::error::{PstError, PstResult};
use crate::io::{u16_at, u32_at, u64_at};

/// `btype` of internal blocks (MS-PST 2.2.2.8.3.2, 2.2.2.8.3.3).
const BTYPE_DATA_TREE: u8 = 0x01;
const BTYPE_SUBNODE_TREE: u8 = 0x02;

/// The leaf data blocks of a node's data, in order (MS-PST 2.2.2.8.3.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataTree {
    pub blocks: Vec<BlockId>,
    /// `lcbTotal` of the top XBLOCK/XXBLOCK, or the single block's size.
    pub total_size: u64,
}

/// A leaf entry of a subnode tree (SLENTRY, MS-PST 2.2.2.8.3.3.1.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SubnodeEntry {
    pub nid: NodeId,
    pub bid_data: BlockId,
    pub bid_sub: BlockId,
}

impl Ndb {
    /// Reads a block's stored bytes, checks its trailer and CRC, and returns the payload
    /// (decoded and inflated for external blocks).
    pub fn read_block(&self, bid: BlockId) -> PstResult<Vec<u8>> {
        let entry = self.block_entry(bid)?;
        self.read_block_at(bid, entry)
    }

    pub(crate) fn read_block_at(&self, bid: BlockId, entry: BlockEntry) -> PstResult<Vec<u8>> {
        let format = self.format();
        let ib = entry.bref.ib;
        let cb = usize::from(entry.cb);
        let trailer_size = format.block_trailer_size();
        let align = format.block_alignment();
        let total = (cb as u64 + trailer_size as u64).div_ceil(align) * align;
        let mut raw = self.source.read("block", ib, total as usize)?;
        self.count_block_bytes(raw.len());
        let t = &raw[raw.len() - trailer_size..];
        let (t_cb, w_sig, dw_crc, t_bid) = if format.is_ansi() {
            (u16_at(t, 0), u16_at(t, 2), u32_at(t, 8), u64::from(u32_at(t, 4)))
        } else {
            (u16_at(t, 0), u16_at(t, 2), u32_at(t, 4), u64_at(t, 8))
        };
        let block_err = |problem: String| PstError::Block { bid, offset: ib, problem };
        if usize::from(t_cb) != cb {
            return Err(block_err(format!(
                "BLOCKTRAILER cb is {t_cb}, the block B-tree says {cb}"
            )));
        }
        if t_bid & !1 != bid.key() {
            return Err(block_err(format!("BLOCKTRAILER bid is {t_bid:#x}")));
        }
        let sig = compute_sig(ib, t_bid);
        if w_sig != sig && w_sig != 0 {
            self.tolerate(block_err(format!(
                "BLOCKTRAILER wSig is {w_sig:#06x}, computed {sig:#06x}"
            )))?;
        }
        raw.truncate(cb);
        let computed = compute_crc(&raw);
        if computed != dw_crc {
            self.tolerate(PstError::Crc { what: "block", offset: ib, stored: dw_crc, computed })?;
        }
        if !bid.is_internal() {
            self.header.crypt_method.decode(&mut raw, bid.0);
        }
        // The 4K format zlib-compresses blocks of either kind when that saves space.
        if format == Format::Unicode4k && entry.cb_inflated != entry.cb {
            raw = inflate_block(&raw, usize::from(entry.cb_inflated)).map_err(block_err)?;
        }
        Ok(raw)
    }

    /// Resolves a node's data BID into its leaf data blocks.
    pub fn data_tree(&self, bid: BlockId) -> PstResult<DataTree> {
        if !bid.is_internal() {
            let entry = self.block_entry(bid)?;
            return Ok(DataTree { blocks: vec![bid], total_size: u64::from(entry.cb_inflated) });
        }
        let mut blocks = Vec::new();
        let mut visited = std::collections::HashSet::new();
        let total_size = self.collect_data_tree(bid, 0, &mut visited, &mut blocks)?;
        Ok(DataTree { blocks, total_size })
    }

    /// Work is bounded by the file (MS-PST 2.2.2.8.3.2): the tree is at most XXBLOCK → XBLOCK
    /// → data, and every BID may appear once in it. A sound data tree lists each XBLOCK and
    /// each data block once, in data order; one listed twice (an XXBLOCK naming one XBLOCK
    /// many times) would multiply the node's data without a bound. With every leaf distinct,
    /// the leaves are distinct stretches of the file, so their total is bounded by its size.
    fn collect_data_tree(
        &self,
        bid: BlockId,
        depth: u32,
        visited: &mut std::collections::HashSet<u64>,
        out: &mut Vec<BlockId>,
    ) -> PstResult<u64> {
        if depth > 2 {
            return Err(PstError::Block {
                bid,
                offset: 0,
                problem: "data tree deeper than XXBLOCK".into(),
            });
        }
        if !visited.insert(bid.key()) {
            return Err(PstError::Block {
                bid,
                offset: 0,
                problem: "data tree lists this XBLOCK a second time".into(),
            });
        }
        let data = self.read_block(bid)?;
        let structure = if depth == 0 { "XBLOCK/XXBLOCK" } else { "XBLOCK" };
        if data.len() < 8 || data[0] != BTYPE_DATA_TREE {
            return Err(PstError::Block {
                bid,
                offset: 0,
                problem: format!("{structure} btype is not {BTYPE_DATA_TREE:#04x}"),
            });
        }
        let c_level = data[1];
        let c_ent = usize::from(u16_at(&data, 2));
        let lcb_total = u64::from(u32_at(&data, 4));
        let id = self.format().id_size();
        if 8 + c_ent * id > data.len() || c_level == 0 || c_level > 2 || (depth > 0 && c_level != 1)
        {
            return Err(PstError::Block {
                bid,
                offset: 0,
                problem: format!("{structure} cLevel {c_level} / cEnt {c_ent} do not fit"),
            });
        }
        // Every leaf block occupies its own aligned slot of the file, so no honest data tree
        // has more leaves than that.
        let max_leaves = (self.file_size() / self.format().block_alignment()) as usize + 1;
        for i in 0..c_ent {
            let child = read_id(&data, 8 + i * id, id);
            if out.len() >= max_leaves {
                return Err(PstError::Block {
                    bid,
                    offset: 0,
                    problem: "data tree lists more blocks than the file can hold".into(),
                });
            }
            if c_level == 1 {
                if !visited.insert(BlockId(child).key()) {
                    return Err(PstError::Block {
                        bid,
                        offset: 0,
                        problem: format!(
                            "XBLOCK lists data block {} a second time",
                            BlockId(child)
                        ),
                    });
                }
                out.push(BlockId(child));
            } else {
                self.collect_data_tree(BlockId(child), depth + 1, visited, out)?;
            }
        }
        Ok(lcb_total)
    }

    /// Reads a whole data tree into memory, refusing more than `limit` bytes.
    pub fn read_data(&self, bid: BlockId, limit: u64) -> PstResult<Vec<u8>> {
        let tree = self.data_tree(bid)?;
        if tree.total_size > limit.min(self.file_size().saturating_mul(64)) {
            return Err(PstError::OutOfBounds {
                what: "node data",
                offset: 0,
                len: tree.total_size,
                limit,
            });
        }
        let mut out = Vec::with_capacity((tree.total_size as usize).min(1 << 20));
        for b in tree.blocks {
            out.extend_from_slice(&self.read_block(b)?);
            if out.len() as u64 > limit {
                return Err(PstError::OutOfBounds {
                    what: "node data",
                    offset: 0,
                    len: out.len() as u64,
                    limit,
                });
            }
        }
        Ok(out)
    }

    /// Reads a subnode tree (SLBLOCK / SIBLOCK) into its leaf entries.
    pub fn subnodes(&self, bid_sub: BlockId) -> PstResult<Vec<SubnodeEntry>> {
        let mut out = Vec::new();
        if bid_sub.0 != 0 {
            let mut seen = std::collections::HashSet::new();
            self.collect_subnodes(bid_sub, 0, &mut seen, &mut out)?;
        }
        Ok(out)
    }

    fn collect_subnodes(
        &self,
        bid: BlockId,
        depth: u32,
        seen: &mut std::collections::HashSet<u64>,
        out: &mut Vec<SubnodeEntry>,
    ) -> PstResult<()> {
        if depth > MAX_BTREE_DEPTH {
            return Err(PstError::TooDeep { offset: 0, limit: MAX_BTREE_DEPTH });
        }
        if !seen.insert(bid.key()) {
            return Err(PstError::Block {
                bid,
                offset: 0,
                problem: "SIBLOCK refers to a block already visited".into(),
            });
        }
        let data = self.read_block(bid)?;
        let format = self.format();
        let id = format.id_size();
        let header = if format.is_ansi() { 4 } else { 8 };
        if data.len() < header || data[0] != BTYPE_SUBNODE_TREE {
            return Err(PstError::Block {
                bid,
                offset: 0,
                problem: format!("SLBLOCK/SIBLOCK btype is not {BTYPE_SUBNODE_TREE:#04x}"),
            });
        }
        let c_level = data[1];
        let c_ent = usize::from(u16_at(&data, 2));
        let entry_size = if c_level == 0 { 3 * id } else { 2 * id };
        if header + c_ent * entry_size > data.len() || c_level > 1 {
            return Err(PstError::Block {
                bid,
                offset: 0,
                problem: format!("SLBLOCK/SIBLOCK cLevel {c_level} / cEnt {c_ent} do not fit"),
            });
        }
        for i in 0..c_ent {
            let at = header + i * entry_size;
            let nid = NodeId(read_id(&data, at, id) as u32);
            if c_level == 0 {
                out.push(SubnodeEntry {
                    nid,
                    bid_data: BlockId(read_id(&data, at + id, id)),
                    bid_sub: BlockId(read_id(&data, at + 2 * id, id)),
                });
            } else {
                let child = BlockId(read_id(&data, at + id, id));
                self.collect_subnodes(child, depth + 1, seen, out)?;
            }
        }
        Ok(())
    }
}

/// Inflates a zlib block (adler-32 checked) into exactly `size` bytes, the BBT's
/// `cbInflated`: one buffer of the known size, filled by zlib-rs, the fastest pure-Rust
/// inflate (this is most of the time of reading a 4K-format OST).
fn inflate_block(compressed: &[u8], size: usize) -> Result<Vec<u8>, String> {
    use zlib_rs::ReturnCode;
    let mut out = vec![0u8; size];
    let (inflated, code) =
        zlib_rs::decompress_slice(&mut out, compressed, zlib_rs::InflateConfig::default());
    let written = inflated.len();
    match code {
        ReturnCode::Ok if written == size => Ok(out),
        ReturnCode::Ok => Err(format!("inflated to {written} bytes, the block B-tree says {size}")),
        ReturnCode::BufError if written == size => {
            Err(format!("inflates to more than the {size} bytes the block B-tree says"))
        }
        other => Err(format!("cannot inflate compressed block: {other:?}")),
    }
}

fn read_id(data: &[u8], at: usize, size: usize) -> u64 {
    if size == 4 { u64::from(u32_at(data, at)) } else { u64_at(data, at) }
}
