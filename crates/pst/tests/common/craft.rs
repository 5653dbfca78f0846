//! Crafted hostile PST files for tests, fuzz seeds and `scripts/hostile/run-all.sh`.
//!
//! [`Craft`] loads a Unicode corpus PST into its node and block lists (every external block
//! decoded), lets a test change nodes and add blocks, and writes a new file: the header, every
//! block with a fresh BLOCKTRAILER and CRC (`bCryptMethod` none, so added blocks need no
//! encoding), and freshly built node and block B-trees (MS-PST 2.2.2.6–2.2.2.8). So a crafted
//! structure is reached exactly as written, with no CRC error stopping the reader first.
//! [`cases`] builds one file per class of hostile structure that the reader must bound.

#![allow(dead_code)]

// The writer this module shares: whoever includes this file declares `builder`
// (tests/common/builder.rs) beside it.
use super::builder;
pub use builder::{heap_block, heap_page};
use pst::{NodeId, OpenOptions, PstFile};
use std::collections::BTreeMap;
use std::path::Path;

/// One node B-tree entry (NBTENTRY, MS-PST 2.2.2.7.7.4).
#[derive(Debug, Clone, Copy)]
pub struct Node {
    pub bid_data: u64,
    pub bid_sub: u64,
    pub nid_parent: u32,
}

/// A Unicode PST taken apart: nodes by NID, block payloads by BID.
pub struct Craft {
    header: Vec<u8>,
    pub nodes: BTreeMap<u32, Node>,
    pub blocks: BTreeMap<u64, Vec<u8>>,
    next_bid: u64,
}

impl Craft {
    /// Loads a Unicode (wVer 23) PST.
    pub fn load(path: &Path) -> Craft {
        let bytes = std::fs::read(path).unwrap();
        let file = PstFile::from_reader(Box::new(bytes.clone()), OpenOptions::default()).unwrap();
        assert_eq!(file.header().w_ver, 23, "the crafter writes the Unicode format only");
        let ndb = file.ndb();
        let mut blocks = BTreeMap::new();
        let mut entries = Vec::new();
        ndb.for_each_block(|e| entries.push(e)).unwrap();
        for e in entries {
            blocks.insert(e.bref.bid.key(), ndb.read_block(e.bref.bid).unwrap());
        }
        let mut nodes = BTreeMap::new();
        ndb.for_each_node(|e| {
            nodes.insert(
                e.nid.0,
                Node {
                    bid_data: e.bid_data.key(),
                    bid_sub: e.bid_sub.key(),
                    nid_parent: e.nid_parent.0,
                },
            );
        })
        .unwrap();
        let next_bid = blocks.keys().max().copied().unwrap_or(0) + 0x100;
        Craft { header: bytes[..564].to_vec(), nodes, blocks, next_bid }
    }

    /// Adds a block; `internal` sets the BID's fInternal bit (XBLOCK, XXBLOCK, SLBLOCK).
    pub fn add_block(&mut self, payload: Vec<u8>, internal: bool) -> u64 {
        assert!(payload.len() <= 8176, "a block holds at most 8176 bytes");
        self.next_bid = (self.next_bid + 4) & !3;
        let bid = self.next_bid | if internal { 2 } else { 0 };
        self.blocks.insert(bid, payload);
        bid
    }

    pub fn node(&self, nid: u32) -> Node {
        self.nodes[&nid]
    }

    pub fn set_data(&mut self, nid: u32, bid_data: u64) {
        self.nodes.get_mut(&nid).unwrap().bid_data = bid_data;
    }

    /// The file: header, blocks, then the two B-trees, written as [`builder`] writes them.
    pub fn build(&self) -> Vec<u8> {
        let mut out = vec![0u8; 0x1000];
        let blocks = self.blocks.iter().map(|(&bid, payload)| (bid, payload.as_slice()));
        let bbt = builder::write_blocks(&mut out, blocks, 2);
        let nbt: Vec<(u64, Vec<u8>)> = self
            .nodes
            .iter()
            .map(|(&nid, n)| builder::nbt_entry(nid, n.bid_data, n.bid_sub, n.nid_parent))
            .collect();
        // Page BIDs from 0x10_0000_0004, far above the corpus file's block BIDs.
        let mut next_page = 0x4_0000_0001u64;
        let nbt_root = builder::write_btree(&mut out, &mut next_page, 0x81, 32, nbt);
        let bbt_root = builder::write_btree(&mut out, &mut next_page, 0x80, 24, bbt);
        let mut header = self.header.clone();
        builder::seal_header(&mut header, out.len() as u64, nbt_root, bbt_root);
        out[..564].copy_from_slice(&header);
        out
    }
}

pub fn hid(index: usize) -> u32 {
    (index as u32) << 5
}

/// BTHHEADER (MS-PST 2.3.2.1).
pub fn bth_header(cb_key: u8, cb_ent: u8, levels: u8, root: u32) -> Vec<u8> {
    let mut h = vec![0xB5, cb_key, cb_ent, levels];
    h.extend_from_slice(&root.to_le_bytes());
    h
}

/// An XBLOCK (`levels` 1) or XXBLOCK (2) listing `children` (MS-PST 2.2.2.8.3.2.1–2).
pub fn data_tree_block(levels: u8, total: u32, children: &[u64]) -> Vec<u8> {
    let mut b = vec![0x01, levels];
    b.extend_from_slice(&(children.len() as u16).to_le_bytes());
    b.extend_from_slice(&total.to_le_bytes());
    for c in children {
        b.extend_from_slice(&c.to_le_bytes());
    }
    b
}

/// An SLBLOCK (MS-PST 2.2.2.8.3.3.1) of (subnode NID, data BID) entries.
pub fn subnode_block(entries: &[(u32, u64)]) -> Vec<u8> {
    let mut b = vec![0x02, 0x00];
    b.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    b.extend_from_slice(&[0; 4]);
    for (nid, bid) in entries {
        b.extend_from_slice(&u64::from(*nid).to_le_bytes());
        b.extend_from_slice(&bid.to_le_bytes());
        b.extend_from_slice(&0u64.to_le_bytes());
    }
    b
}

/// A property context heap whose BTH is one leaf of (id, type, value) records (2.3.3.3).
pub fn pc_block(records: &[(u16, u16, u32)]) -> Vec<u8> {
    let mut leaf = Vec::new();
    for (id, ty, value) in records {
        leaf.extend_from_slice(&id.to_le_bytes());
        leaf.extend_from_slice(&ty.to_le_bytes());
        leaf.extend_from_slice(&value.to_le_bytes());
    }
    heap_block(0xBC, hid(1), &[bth_header(2, 6, 0, hid(2)), leaf])
}

/// The first message NID in the file's node B-tree (type 0x04) whose parent is a folder.
pub fn first_message(craft: &Craft) -> u32 {
    *craft.nodes.iter().find(|(nid, _)| *nid & 0x1F == 0x04).map(|(nid, _)| nid).unwrap()
}

/// The crafted files, by name, each reaching one hostile structure from a corpus file.
pub fn cases(corpus_pst: &Path) -> Vec<(&'static str, Vec<u8>)> {
    let mut out = Vec::new();
    out.push(("bth-shared-index-store.pst", bth_shared_index(corpus_pst, 0x21)));
    let message = first_message(&Craft::load(corpus_pst));
    out.push(("bth-shared-index-message.pst", bth_shared_index(corpus_pst, message)));
    out.push(("datatree-repeated-xblock.pst", repeated_xblock(corpus_pst, message)));
    out.push(("datatree-repeated-leaf.pst", repeated_leaf(corpus_pst, message)));
    out.push(("pc-unsorted-store.pst", unsorted_pc(corpus_pst, 0x21)));
    out.push(("named-shared-string.pst", named_shared_string(corpus_pst)));
    out.push(("folder-cycle.pst", folder_cycle(corpus_pst)));
    out.push(("tc-shared-subnode-cells.pst", table_with_subnode_cells(corpus_pst, 11, 11, None)));
    let inflated = table_with_subnode_cells(corpus_pst, 2, 1, Some(u32::MAX));
    out.push(("tc-inflated-row-count.pst", inflated));
    out.push(("pc-shared-subnode-values.pst", pc_with_subnode_values(corpus_pst, message)));
    let shared = shared_message_data(corpus_pst, SHARED_MESSAGES, SHARED_BLOCKS);
    out.push(("nodes-sharing-one-message.pst", shared));
    out
}

/// The first folder contents table (NID type 0x0E) of the file.
pub fn contents_table(craft: &Craft) -> u32 {
    *craft.nodes.keys().find(|nid| *nid & 0x1F == 0x0E).unwrap()
}

/// Rows of [`table_with_subnode_cells`]: dwRowID, a PtypBinary cell (HNID), the CEB byte.
pub const SUBNODE_CELL_ROW_SIZE: usize = 9;
/// Its binary column: PidTagSearchKey.
pub const SUBNODE_CELL_COLUMN: u16 = 0x300B;
/// The subnode every cell names.
pub const SUBNODE_CELL_VALUE: u32 = 0x5F;
/// Bytes in each block of the row matrix and of the value.
pub const SUBNODE_CELL_BLOCK: usize = 8176;

/// The first contents table replaced by a table context (MS-PST 2.3.4) whose row matrix is a
/// subnode of `row_blocks` full blocks (908 rows each; `lcbTotal` as given, else the real
/// size) and whose every row has a binary cell naming one subnode of `value_blocks` blocks
/// (HNID with the NID form, MS-PST 2.3.3.2). Reading every cell without a bound costs
/// rows × value size: 9 988 × 90 KB, about 900 MB, from 11 + 11 blocks.
pub fn table_with_subnode_cells(
    corpus_pst: &Path,
    row_blocks: usize,
    value_blocks: usize,
    lcb_total: Option<u32>,
) -> Vec<u8> {
    let mut craft = Craft::load(corpus_pst);
    let nid = contents_table(&craft);
    let rows_per_block = SUBNODE_CELL_BLOCK / SUBNODE_CELL_ROW_SIZE;
    let mut row_leaves = Vec::new();
    for block in 0..row_blocks {
        let mut b = Vec::with_capacity(SUBNODE_CELL_BLOCK);
        for row in 0..rows_per_block {
            let row_id = (block * rows_per_block + row + 1) as u32;
            b.extend_from_slice(&row_id.to_le_bytes());
            b.extend_from_slice(&SUBNODE_CELL_VALUE.to_le_bytes());
            b.push(0xC0); // both columns present (iBit 0 and 1)
        }
        b.resize(SUBNODE_CELL_BLOCK, 0); // the padding after the last whole row
        row_leaves.push(craft.add_block(b, false));
    }
    let real = (row_blocks * SUBNODE_CELL_BLOCK) as u32;
    let rows = craft.add_block(data_tree_block(1, lcb_total.unwrap_or(real), &row_leaves), true);
    let mut value_leaves = Vec::new();
    for block in 0..value_blocks {
        let mut b = vec![0x5A; SUBNODE_CELL_BLOCK];
        b[..4].copy_from_slice(&(block as u32).to_le_bytes()); // each block distinct
        value_leaves.push(craft.add_block(b, false));
    }
    let total = (value_blocks * SUBNODE_CELL_BLOCK) as u32;
    let value = craft.add_block(data_tree_block(1, total, &value_leaves), true);
    let sub = craft.add_block(subnode_block(&[(0x3F, rows), (SUBNODE_CELL_VALUE, value)]), true);
    // TCINFO (MS-PST 2.3.4.1): bType, cCols 2, rgib (4-byte end 8, 2-byte end 8, 1-byte end
    // 8, bitmap end 9), hidRowIndex 0, hnidRows the subnode 0x3F, hidIndex 0, then TCOLDESCs
    // (tag, ibData, cbData, iBit) in tag order.
    let mut info = vec![0x7C, 2];
    for end in [8u16, 8, 8, SUBNODE_CELL_ROW_SIZE as u16] {
        info.extend_from_slice(&end.to_le_bytes());
    }
    info.extend_from_slice(&0u32.to_le_bytes());
    info.extend_from_slice(&0x3Fu32.to_le_bytes());
    info.extend_from_slice(&0u32.to_le_bytes());
    for (tag, ib, cb, bit) in
        [(u32::from(SUBNODE_CELL_COLUMN) << 16 | 0x0102, 4u16, 4u8, 1u8), (0x67F2_0003, 0, 4, 0)]
    {
        info.extend_from_slice(&tag.to_le_bytes());
        info.extend_from_slice(&ib.to_le_bytes());
        info.extend_from_slice(&[cb, bit]);
    }
    let heap = craft.add_block(heap_block(0x7C, hid(1), &[info]), false);
    let node = craft.nodes.get_mut(&nid).unwrap();
    node.bid_data = heap;
    node.bid_sub = sub;
    craft.build()
}

/// A PC whose BTH has three index levels, every record of every level naming the same item
/// one level down: without a visited set, 300³ leaf reads of 300 records each.
pub fn bth_shared_index(corpus_pst: &Path, nid: u32) -> Vec<u8> {
    let mut craft = Craft::load(corpus_pst);
    // Items: 1 BTHHEADER, 2..=4 index levels 3..1 (each record → the next item), 5 the leaf.
    let index = |child: u32| {
        let mut item = Vec::new();
        for key in 0..300u16 {
            item.extend_from_slice(&key.to_le_bytes());
            item.extend_from_slice(&child.to_le_bytes());
        }
        item
    };
    let mut leaf = Vec::new();
    for key in 0..300u16 {
        leaf.extend_from_slice(&key.to_le_bytes());
        leaf.extend_from_slice(&0x0003u16.to_le_bytes()); // PtypInteger32, inline
        leaf.extend_from_slice(&u32::from(key).to_le_bytes());
    }
    let items = [bth_header(2, 6, 3, hid(2)), index(hid(3)), index(hid(4)), index(hid(5)), leaf];
    let payload = heap_block(0xBC, hid(1), &items);
    assert!(payload.len() <= 8176, "heap of {} bytes", payload.len());
    let bid = craft.add_block(payload, false);
    craft.set_data(nid, bid);
    craft.build()
}

/// A message whose data is an XXBLOCK naming one XBLOCK 1000 times.
pub fn repeated_xblock(corpus_pst: &Path, nid: u32) -> Vec<u8> {
    let mut craft = Craft::load(corpus_pst);
    let heap = craft.node(nid).bid_data;
    let size = craft.blocks[&heap].len() as u32;
    let x = craft.add_block(data_tree_block(1, size, &[heap]), true);
    let xx = craft.add_block(data_tree_block(2, size.saturating_mul(1000), &[x; 1000]), true);
    craft.set_data(nid, xx);
    craft.build()
}

/// A message whose data is an XBLOCK naming one data block 1000 times.
pub fn repeated_leaf(corpus_pst: &Path, nid: u32) -> Vec<u8> {
    let mut craft = Craft::load(corpus_pst);
    let heap = craft.node(nid).bid_data;
    let size = craft.blocks[&heap].len() as u32;
    let x = craft.add_block(data_tree_block(1, size.saturating_mul(1000), &[heap; 1000]), true);
    craft.set_data(nid, x);
    craft.build()
}

/// A PC (the message store's) whose BTH leaf records are in descending key order.
pub fn unsorted_pc(corpus_pst: &Path, nid: u32) -> Vec<u8> {
    let mut craft = Craft::load(corpus_pst);
    let bid = craft.node(nid).bid_data;
    let original = pst::PstFile::from_reader(Box::new(craft.build()), OpenOptions::default())
        .unwrap()
        .property_context(NodeId(nid))
        .unwrap();
    let heap = craft.blocks.get_mut(&bid).expect("a PC in one block");
    let ib_hnpm = u16::from_le_bytes([heap[0], heap[1]]) as usize;
    let at = |i: usize| {
        u16::from_le_bytes([heap[ib_hnpm + 4 + 2 * i], heap[ib_hnpm + 5 + 2 * i]]) as usize
    };
    let user_root = u32::from_le_bytes(heap[4..8].try_into().unwrap()) as usize >> 5;
    let header = &heap[at(user_root - 1)..at(user_root)];
    assert_eq!(header[3], 0, "a one-level BTH");
    let leaf_index = u32::from_le_bytes(header[4..8].try_into().unwrap()) as usize >> 5;
    let (start, end) = (at(leaf_index - 1), at(leaf_index));
    let mut records: Vec<Vec<u8>> = heap[start..end].chunks(8).map(<[u8]>::to_vec).collect();
    assert!(records.len() > 2 && original.tags().count() == records.len());
    records.reverse();
    heap[start..end].copy_from_slice(&records.concat());
    craft.build()
}

/// The name-to-ID map with 16 336 string NAMEIDs all naming one 64 KB string (a file under
/// the fuzz targets' 300 KB input cap): without a bound, 1 GB of names.
pub fn named_shared_string(corpus_pst: &Path) -> Vec<u8> {
    let mut craft = Craft::load(corpus_pst);
    // The entry stream: 16 distinct 8 KB blocks of NAMEIDs (dwPropertyID 0 = the string's
    // offset, wGuid 0b101 = PS_PUBLIC_STRINGS with N set, wPropIdx i).
    let mut leaves = Vec::new();
    let mut index = 0u16;
    for block in 0..16u32 {
        let mut b = Vec::with_capacity(8176);
        for _ in 0..1021 {
            b.extend_from_slice(&0u32.to_le_bytes());
            b.extend_from_slice(&5u16.to_le_bytes());
            b.extend_from_slice(&index.to_le_bytes());
            index = (index + 1) % 0x7FFF;
        }
        b.extend_from_slice(&block.to_le_bytes()); // each block distinct
        leaves.push(craft.add_block(b, false));
    }
    let total = leaves.len() as u32 * 8172;
    let entries = craft.add_block(data_tree_block(1, total, &leaves), true);
    // The string stream: one string filling 8 blocks.
    let mut string_leaves = Vec::new();
    for block in 0..8u32 {
        let mut b = vec![b'a'; 8172];
        if block == 0 {
            b[..4].copy_from_slice(&(8 * 8172 - 4u32).to_le_bytes());
        }
        string_leaves.push(craft.add_block(b, false));
    }
    let strings = craft.add_block(data_tree_block(1, 8 * 8172, &string_leaves), true);
    let sub = craft.add_block(subnode_block(&[(0x3F, entries), (0x5F, strings)]), true);
    let pc = craft.add_block(
        pc_block(&[(0x0002, 0x0102, 0), (0x0003, 0x0102, 0x3F), (0x0004, 0x0102, 0x5F)]),
        false,
    );
    let node = craft.nodes.get_mut(&0x61).unwrap();
    node.bid_data = pc;
    node.bid_sub = sub;
    craft.build()
}

/// Folders whose hierarchy tables form a cycle: every subfolder of the IPM subtree gets the
/// IPM subtree's hierarchy table, so each lists itself and its siblings again.
pub fn folder_cycle(corpus_pst: &Path) -> Vec<u8> {
    let mut craft = Craft::load(corpus_pst);
    let file = PstFile::from_reader(Box::new(craft.build()), OpenOptions::default()).unwrap();
    let ipm = file.message_store().unwrap().ipm_subtree().unwrap();
    let children = file.folder(ipm).unwrap().subfolder_nids().unwrap();
    assert!(!children.is_empty());
    let table = craft.node(ipm.with_type(0x0D).0);
    for child in children {
        let hierarchy = child.with_type(0x0D).0;
        craft.nodes.insert(hierarchy, Node { nid_parent: child.0, ..table });
    }
    craft.build()
}

/// Leaves (heap blocks 1..) of [`pc_with_subnode_values`]' BTH.
pub const SUBNODE_VALUE_LEAVES: usize = 7;
/// PC records in each leaf.
pub const SUBNODE_VALUES_PER_LEAF: usize = 1000;
/// The first property ID; the others follow, each PtypBinary naming [`SUBNODE_CELL_VALUE`].
pub const SUBNODE_VALUE_FIRST_ID: u16 = 0x4000;
/// Blocks of the one value every property names.
pub const SUBNODE_VALUE_BLOCKS: usize = 16;

/// Message `nid`'s property context replaced by one of 7 000 PtypBinary properties, each an
/// HNID in the NID form (MS-PST 2.3.3.2) naming one subnode of 16 distinct blocks (130 KB):
/// reading every property without a bound costs 7 000 × 130 KB, about 900 MB, from a file of
/// about 280 KB. The heap spans 8 blocks (HNHDR + BTHHEADER + one index item, then a leaf of
/// 1 000 records per HNPAGEHDR block), the BTH has one index level (MS-PST 2.3.2).
pub fn pc_with_subnode_values(corpus_pst: &Path, nid: u32) -> Vec<u8> {
    let mut craft = Craft::load(corpus_pst);
    let mut heap_blocks = Vec::new();
    let mut index = Vec::new();
    let mut leaves = Vec::new();
    for leaf in 0..SUBNODE_VALUE_LEAVES {
        let first = SUBNODE_VALUE_FIRST_ID + (leaf * SUBNODE_VALUES_PER_LEAF) as u16;
        let mut records = Vec::with_capacity(8 * SUBNODE_VALUES_PER_LEAF);
        for i in 0..SUBNODE_VALUES_PER_LEAF as u16 {
            records.extend_from_slice(&(first + i).to_le_bytes());
            records.extend_from_slice(&0x0102u16.to_le_bytes());
            records.extend_from_slice(&SUBNODE_CELL_VALUE.to_le_bytes());
        }
        index.extend_from_slice(&first.to_le_bytes());
        index.extend_from_slice(&(((leaf as u32 + 1) << 16) | hid(1)).to_le_bytes());
        leaves.push(heap_page(&[records]));
    }
    heap_blocks.push(heap_block(0xBC, hid(1), &[bth_header(2, 6, 1, hid(2)), index]));
    heap_blocks.extend(leaves);
    let sizes: usize = heap_blocks.iter().map(Vec::len).sum();
    let heap_bids: Vec<u64> = heap_blocks.into_iter().map(|b| craft.add_block(b, false)).collect();
    let heap = craft.add_block(data_tree_block(1, sizes as u32, &heap_bids), true);
    let mut value_leaves = Vec::new();
    for block in 0..SUBNODE_VALUE_BLOCKS {
        let mut b = vec![0x5A; SUBNODE_CELL_BLOCK];
        b[..4].copy_from_slice(&(block as u32).to_le_bytes()); // each block distinct
        value_leaves.push(craft.add_block(b, false));
    }
    let total = (SUBNODE_VALUE_BLOCKS * SUBNODE_CELL_BLOCK) as u32;
    let value = craft.add_block(data_tree_block(1, total, &value_leaves), true);
    let sub = craft.add_block(subnode_block(&[(SUBNODE_CELL_VALUE, value)]), true);
    let node = craft.nodes.get_mut(&nid).unwrap();
    node.bid_data = heap;
    node.bid_sub = sub;
    craft.build()
}

/// Messages of [`shared_message_data`] in the file written by [`cases`].
pub const SHARED_MESSAGES: usize = 2500;
/// Blocks of the shared message's heap and of the value its body and HTML name, in that file.
pub const SHARED_BLOCKS: usize = 6;
/// NID index of the first crafted message (NID `(index << 5) | 0x04`).
pub const SHARED_FIRST_INDEX: u32 = 0x8000;

/// The folder whose contents table [`shared_message_data`] replaces.
pub fn shared_messages_folder(craft: &Craft) -> u32 {
    (contents_table(craft) & !0x1F) | 0x02
}

/// The NID of crafted message `i` of [`shared_message_data`].
pub fn shared_message(i: usize) -> u32 {
    ((SHARED_FIRST_INDEX + i as u32) << 5) | 0x04
}

/// `messages` message nodes (NBT entries of 32 bytes, MS-PST 2.2.2.7.7.4) that all name one
/// property context as their data and one subnode tree, as nodes may share blocks (the
/// BBT's cRef, MS-PST 2.2.2.7.7.3). The message (IPM.Note) is a heap of 1 + `blocks` blocks
/// (every page after the first holds one filler item), and its PidTagBody and PidTagHtml both
/// name one subnode of `blocks` distinct blocks. The first contents table lists every message
/// (a table context of one column, dwRowID, in a data tree), so walks by table reach them as
/// walks by node do. Each message alone is bounded; a walk that opens every message without a
/// bound reads messages × 3 × `blocks` × 8 KB: 2 500 × 150 KB, 370 MB, from a 290 KB file.
pub fn shared_message_data(corpus_pst: &Path, messages: usize, blocks: usize) -> Vec<u8> {
    let mut craft = Craft::load(corpus_pst);
    let folder = shared_messages_folder(&craft);
    let table = contents_table(&craft);
    // The message's records, in ID order: PidTagMessageClass (PtypString, heap item 3), then
    // PidTagBody (PtypString) and PidTagHtml (PtypBinary) naming subnode 0x5F.
    let mut records = Vec::new();
    for (id, ty, value) in [
        (0x001Au16, 0x001Fu16, hid(3)),
        (0x1000, 0x001F, SUBNODE_CELL_VALUE),
        (0x1013, 0x0102, SUBNODE_CELL_VALUE),
    ] {
        records.extend_from_slice(&id.to_le_bytes());
        records.extend_from_slice(&ty.to_le_bytes());
        records.extend_from_slice(&value.to_le_bytes());
    }
    let class: Vec<u8> = "IPM.Note".encode_utf16().flat_map(u16::to_le_bytes).collect();
    let mut heap = vec![heap_block(0xBC, hid(1), &[bth_header(2, 6, 0, hid(2)), records, class])];
    for page in 0..blocks {
        let mut filler = vec![0xA5; SUBNODE_CELL_BLOCK - 16];
        filler[..4].copy_from_slice(&(page as u32).to_le_bytes()); // each block distinct
        heap.push(heap_page(&[filler]));
    }
    let heap_size: usize = heap.iter().map(Vec::len).sum();
    let heap_bids: Vec<u64> = heap.into_iter().map(|b| craft.add_block(b, false)).collect();
    let pc = craft.add_block(data_tree_block(1, heap_size as u32, &heap_bids), true);
    let mut value_leaves = Vec::new();
    for block in 0..blocks {
        let mut b = vec![0x5A; SUBNODE_CELL_BLOCK];
        b[..4].copy_from_slice(&(block as u32).to_le_bytes()); // each block distinct
        value_leaves.push(craft.add_block(b, false));
    }
    let total = (blocks * SUBNODE_CELL_BLOCK) as u32;
    let value = craft.add_block(data_tree_block(1, total, &value_leaves), true);
    let sub = craft.add_block(subnode_block(&[(SUBNODE_CELL_VALUE, value)]), true);
    let nids: Vec<u32> = (0..messages).map(shared_message).collect();
    for &nid in &nids {
        craft.nodes.insert(nid, Node { bid_data: pc, bid_sub: sub, nid_parent: folder });
    }
    // The contents table (MS-PST 2.3.4): rows of dwRowID and the CEB byte, whole rows per
    // block (2.3.4.4.1), in a data tree in subnode 0x3F.
    const ROW: usize = 5;
    let mut row_leaves = Vec::new();
    for chunk in nids.chunks(SUBNODE_CELL_BLOCK / ROW) {
        let mut b = Vec::with_capacity(chunk.len() * ROW);
        for nid in chunk {
            b.extend_from_slice(&nid.to_le_bytes());
            b.push(0x80);
        }
        row_leaves.push(craft.add_block(b, false));
    }
    let rows_size: usize = row_leaves.iter().map(|b| craft.blocks[b].len()).sum();
    let rows = craft.add_block(data_tree_block(1, rows_size as u32, &row_leaves), true);
    let table_sub = craft.add_block(subnode_block(&[(0x3F, rows)]), true);
    // TCINFO (MS-PST 2.3.4.1): one column, dwRowID (PidTagLtpRowId) at 0.
    let mut info = vec![0x7C, 1];
    for end in [4u16, 4, 4, ROW as u16] {
        info.extend_from_slice(&end.to_le_bytes());
    }
    info.extend_from_slice(&0u32.to_le_bytes());
    info.extend_from_slice(&0x3Fu32.to_le_bytes());
    info.extend_from_slice(&0u32.to_le_bytes());
    info.extend_from_slice(&0x67F2_0003u32.to_le_bytes());
    info.extend_from_slice(&0u16.to_le_bytes());
    info.extend_from_slice(&[4, 0]);
    let heap = craft.add_block(heap_block(0x7C, hid(1), &[info]), false);
    let node = craft.nodes.get_mut(&table).unwrap();
    node.bid_data = heap;
    node.bid_sub = table_sub;
    craft.build()
}
