//! A test-only writer of small Unicode PST files (MS-PST wVer 23, no encryption), enough to
//! build what the corpus lacks: table contexts whose row matrix spans several data blocks of an
//! XBLOCK, with row sizes that do not divide the block size.
//!
//! What it writes, by the spec: the HEADER with both CRCs (2.2.2.6), blocks with their
//! BLOCKTRAILER, signature and CRC (2.2.2.8), XBLOCKs (2.2.2.8.3.2.1), SLBLOCKs and SIBLOCKs
//! (2.2.2.8.3.3), node and block B-tree pages of as many levels as needed (2.2.2.7.7), one-block
//! heaps (2.3.1), property contexts (2.3.3) and table contexts (2.3.4) with their row index BTH.
//! A row matrix larger than a heap item goes to a subnode data tree, each block holding
//! `floor(8176 / row size)` rows and padded to 8176 bytes except the last (2.3.4.4.1).
//! The allocation maps are not written (`fAMapValid` 0, as after a crash), so Outlook would
//! rebuild them; readers do not need them.

#![allow(dead_code)]

use pst::ndb::crc::{compute_crc, compute_sig};

/// Largest block payload: 8 KiB less the 16-byte BLOCKTRAILER.
pub const MAX_BLOCK_DATA: usize = 8176;
/// Largest heap allocation (MS-PST 2.3.1.1): larger row matrices go to a subnode.
const MAX_HEAP_ITEM: usize = 3580;
/// Where the first block goes: after the header and the space of the first AMap.
const FIRST_BLOCK_AT: u64 = 0x4400;
const PAGE_SIZE: usize = 512;

/// A property value as the builder stores it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    I32(i32),
    Bool(bool),
    Time(u64),
    Unicode(String),
    Binary(Vec<u8>),
}

impl Value {
    fn type_code(&self) -> u16 {
        match self {
            Value::I32(_) => 0x0003,
            Value::Bool(_) => 0x000B,
            Value::Time(_) => 0x0040,
            Value::Unicode(_) => 0x001F,
            Value::Binary(_) => 0x0102,
        }
    }

    /// The stored bytes of a value kept outside the record (heap item).
    fn external_bytes(&self) -> Vec<u8> {
        match self {
            Value::Time(t) => t.to_le_bytes().to_vec(),
            Value::Unicode(s) => s.encode_utf16().flat_map(u16::to_le_bytes).collect(),
            Value::Binary(b) => b.clone(),
            Value::I32(v) => v.to_le_bytes().to_vec(),
            Value::Bool(b) => vec![u8::from(*b)],
        }
    }
}

/// A subnode entry (SLENTRY).
#[derive(Debug, Clone, Copy)]
pub struct Subnode {
    pub nid: u32,
    pub bid_data: u64,
    pub bid_sub: u64,
}

/// Collects blocks and nodes, then lays out the file.
#[derive(Debug, Default)]
pub struct PstBuilder {
    blocks: Vec<(u64, Vec<u8>)>,
    /// (nid, bidData, bidSub, nidParent)
    nodes: Vec<(u32, u64, u64, u32)>,
    next_block_index: u64,
}

impl PstBuilder {
    pub fn new() -> PstBuilder {
        PstBuilder { next_block_index: 1, ..Default::default() }
    }

    fn block(&mut self, internal: bool, data: Vec<u8>) -> u64 {
        assert!(data.len() <= MAX_BLOCK_DATA, "block of {} bytes", data.len());
        // BID: bit 0 reserved, bit 1 fInternal, the index above (MS-PST 2.2.2.2).
        let bid = (self.next_block_index << 2) | if internal { 2 } else { 0 };
        self.next_block_index += 1;
        self.blocks.push((bid, data));
        bid
    }

    /// One data block.
    pub fn data_block(&mut self, data: Vec<u8>) -> u64 {
        self.block(false, data)
    }

    /// Node data from explicit leaf blocks: one block alone, or an XBLOCK over them whose
    /// `lcbTotal` is the sum of their sizes.
    pub fn data_tree(&mut self, chunks: Vec<Vec<u8>>) -> u64 {
        assert!(!chunks.is_empty());
        if chunks.len() == 1 {
            return self.data_block(chunks.into_iter().next().unwrap());
        }
        assert!(chunks.len() <= (MAX_BLOCK_DATA - 8) / 8, "needs an XXBLOCK");
        let total: usize = chunks.iter().map(Vec::len).sum();
        let bids: Vec<u64> = chunks.into_iter().map(|c| self.data_block(c)).collect();
        let mut x = vec![0x01, 0x01];
        x.extend_from_slice(&(bids.len() as u16).to_le_bytes());
        x.extend_from_slice(&(total as u32).to_le_bytes());
        for bid in bids {
            x.extend_from_slice(&bid.to_le_bytes());
        }
        self.block(true, x)
    }

    /// Node data of any size, cut into full blocks.
    pub fn data(&mut self, bytes: &[u8]) -> u64 {
        let chunks: Vec<Vec<u8>> = if bytes.is_empty() {
            vec![Vec::new()]
        } else {
            bytes.chunks(MAX_BLOCK_DATA).map(<[u8]>::to_vec).collect()
        };
        self.data_tree(chunks)
    }

    /// A subnode tree: one SLBLOCK, or an SIBLOCK over several; 0 when there are none.
    pub fn subnode_tree(&mut self, mut entries: Vec<Subnode>) -> u64 {
        if entries.is_empty() {
            return 0;
        }
        entries.sort_by_key(|e| e.nid);
        let per_leaf = (MAX_BLOCK_DATA - 8) / 24;
        let mut leaves = Vec::new();
        for chunk in entries.chunks(per_leaf) {
            let mut sl = vec![0x02, 0x00];
            sl.extend_from_slice(&(chunk.len() as u16).to_le_bytes());
            sl.extend_from_slice(&[0; 4]);
            for e in chunk {
                sl.extend_from_slice(&u64::from(e.nid).to_le_bytes());
                sl.extend_from_slice(&e.bid_data.to_le_bytes());
                sl.extend_from_slice(&e.bid_sub.to_le_bytes());
            }
            leaves.push((chunk[0].nid, self.block(true, sl)));
        }
        if leaves.len() == 1 {
            return leaves[0].1;
        }
        let mut si = vec![0x02, 0x01];
        si.extend_from_slice(&(leaves.len() as u16).to_le_bytes());
        si.extend_from_slice(&[0; 4]);
        for (nid, bid) in leaves {
            si.extend_from_slice(&u64::from(nid).to_le_bytes());
            si.extend_from_slice(&bid.to_le_bytes());
        }
        self.block(true, si)
    }

    pub fn node(&mut self, nid: u32, bid_data: u64, bid_sub: u64, parent: u32) {
        self.nodes.push((nid, bid_data, bid_sub, parent));
    }

    /// A property context as a top-level node.
    pub fn pc_node(&mut self, nid: u32, parent: u32, props: &[(u16, Value)]) {
        let bid = self.data_block(property_context(props));
        self.node(nid, bid, 0, parent);
    }

    /// A table context as a top-level node.
    pub fn tc_node(&mut self, nid: u32, parent: u32, table: &Table) {
        let (bid_data, bid_sub) = self.table_context(table);
        self.node(nid, bid_data, bid_sub, parent);
    }

    /// A table context's data block and subnode tree (its row matrix, when not in the heap).
    pub fn table_context(&mut self, table: &Table) -> (u64, u64) {
        let layout = Layout::of(&table.columns);
        let matrix: Vec<Vec<u8>> = table.rows.iter().map(|r| layout.row(r)).collect();
        let mut heap = Heap::default();
        let tcinfo = heap.reserve();
        // Row index BTH (MS-PST 2.3.4.3): dwRowID -> dwRowIndex, cbKey 4, cbEnt 4.
        let mut index: Vec<(u32, u32)> =
            matrix.iter().enumerate().map(|(i, r)| (u32_at(r, 0), i as u32)).collect();
        index.sort_by_key(|e| e.0);
        let records: Vec<Vec<u8>> =
            index.iter().map(|(k, v)| [k.to_le_bytes(), v.to_le_bytes()].concat()).collect();
        let row_index = bth(&mut heap, 4, 4, &records);
        let mut cells = Vec::new();
        for row in &table.rows {
            cells.push(layout.cells(row, &mut heap));
        }
        let rows: Vec<Vec<u8>> =
            matrix.into_iter().zip(cells).map(|(r, c)| layout.fill(r, &c)).collect();
        let row_bytes = layout.row_size * rows.len();
        let mut subnodes = Vec::new();
        let hnid_rows = if rows.is_empty() {
            0
        } else if row_bytes <= MAX_HEAP_ITEM {
            heap.alloc(rows.concat())
        } else {
            // Whole rows per block, the rest padding; the last block holds what is left.
            let per_block = MAX_BLOCK_DATA / layout.row_size;
            let chunks: Vec<Vec<u8>> = rows
                .chunks(per_block)
                .enumerate()
                .map(|(i, chunk)| {
                    let mut block = chunk.concat();
                    if (i + 1) * per_block < rows.len() {
                        block.resize(MAX_BLOCK_DATA, 0xCD);
                    }
                    block
                })
                .collect();
            let bid = self.data_tree(chunks);
            let nid = 0x3F; // an NID_TYPE_LTP subnode
            subnodes.push(Subnode { nid, bid_data: bid, bid_sub: 0 });
            nid
        };
        let mut info = vec![0x7C, layout.columns.len() as u8];
        for ib in layout.rgib {
            info.extend_from_slice(&(ib as u16).to_le_bytes());
        }
        info.extend_from_slice(&row_index.to_le_bytes());
        info.extend_from_slice(&hnid_rows.to_le_bytes());
        info.extend_from_slice(&0u32.to_le_bytes());
        for c in &layout.columns {
            info.extend_from_slice(&c.tag.to_le_bytes());
            info.extend_from_slice(&(c.ib as u16).to_le_bytes());
            info.push(c.cb as u8);
            info.push(c.bit as u8);
        }
        heap.set(tcinfo, info);
        let bid_data = self.data_block(heap.block(0x7C, tcinfo));
        let bid_sub = self.subnode_tree(subnodes);
        (bid_data, bid_sub)
    }

    /// Lays the file out: header, blocks, then the two B-trees.
    pub fn finish(mut self) -> Vec<u8> {
        let mut file = vec![0u8; FIRST_BLOCK_AT as usize];
        self.blocks.sort_by_key(|b| b.0);
        let blocks = self.blocks.iter().map(|(bid, data)| (*bid, data.as_slice()));
        let bbt = write_blocks(&mut file, blocks, 1);
        self.nodes.sort_by_key(|n| n.0);
        let nbt: Vec<(u64, Vec<u8>)> = self
            .nodes
            .iter()
            .map(|&(nid, data, sub, parent)| nbt_entry(nid, data, sub, parent))
            .collect();
        let mut next_page = 1u64;
        let nbt_root = write_btree(&mut file, &mut next_page, 0x81, 32, nbt);
        let bbt_root = write_btree(&mut file, &mut next_page, 0x80, 24, bbt);
        let eof = file.len() as u64;
        write_header(&mut file, eof, nbt_root, bbt_root, next_page, self.next_block_index);
        file
    }
}

/// Appends each block, in the order given, in a 64-byte slot with its BLOCKTRAILER (MS-PST
/// 2.2.2.8.1: cb, wSig, CRC, BID); returns their BBTENTRYs (2.2.2.7.7.3), each with cRef
/// `c_ref`, keyed by BID.
pub fn write_blocks<'a>(
    file: &mut Vec<u8>,
    blocks: impl IntoIterator<Item = (u64, &'a [u8])>,
    c_ref: u16,
) -> Vec<(u64, Vec<u8>)> {
    let mut bbt = Vec::new();
    for (bid, data) in blocks {
        let ib = file.len() as u64;
        let total = (data.len() + 16).div_ceil(64) * 64;
        let mut raw = data.to_vec();
        raw.resize(total - 16, 0);
        raw.extend_from_slice(&(data.len() as u16).to_le_bytes());
        raw.extend_from_slice(&compute_sig(ib, bid).to_le_bytes());
        raw.extend_from_slice(&compute_crc(data).to_le_bytes());
        raw.extend_from_slice(&bid.to_le_bytes());
        file.extend_from_slice(&raw);
        let mut e = Vec::with_capacity(24);
        e.extend_from_slice(&bid.to_le_bytes());
        e.extend_from_slice(&ib.to_le_bytes());
        e.extend_from_slice(&(data.len() as u16).to_le_bytes());
        e.extend_from_slice(&c_ref.to_le_bytes());
        e.extend_from_slice(&[0; 4]);
        bbt.push((bid, e));
    }
    bbt
}

/// An NBTENTRY (MS-PST 2.2.2.7.7.4), keyed by its NID.
pub fn nbt_entry(nid: u32, bid_data: u64, bid_sub: u64, nid_parent: u32) -> (u64, Vec<u8>) {
    let mut e = Vec::with_capacity(32);
    e.extend_from_slice(&u64::from(nid).to_le_bytes());
    e.extend_from_slice(&bid_data.to_le_bytes());
    e.extend_from_slice(&bid_sub.to_le_bytes());
    e.extend_from_slice(&nid_parent.to_le_bytes());
    e.extend_from_slice(&[0; 4]);
    (u64::from(nid), e)
}

/// Writes a B-tree's pages (MS-PST 2.2.2.7.7) bottom-up, each at the next 512-byte boundary,
/// with BIDs `next_page << 2` onwards; `entries` are sorted (key, entry) pairs of `leaf_size`
/// bytes each. Returns the root's (BID, IB).
pub fn write_btree(
    file: &mut Vec<u8>,
    next_page: &mut u64,
    ptype: u8,
    leaf_size: usize,
    entries: Vec<(u64, Vec<u8>)>,
) -> (u64, u64) {
    let mut level = 0u8;
    let mut current = entries;
    loop {
        let cb_ent = if level == 0 { leaf_size } else { 24 };
        let per_page = 488 / cb_ent;
        let mut parents = Vec::new();
        let pages: Vec<&[(u64, Vec<u8>)]> =
            if current.is_empty() { vec![&[]] } else { current.chunks(per_page).collect() };
        let single = pages.len() == 1;
        for chunk in pages {
            file.resize(file.len().div_ceil(PAGE_SIZE) * PAGE_SIZE, 0);
            let ib = file.len() as u64;
            let bid = *next_page << 2;
            *next_page += 1;
            let mut page = vec![0u8; PAGE_SIZE];
            for (i, (_, e)) in chunk.iter().enumerate() {
                page[i * cb_ent..(i + 1) * cb_ent].copy_from_slice(e);
            }
            page[488] = chunk.len() as u8;
            page[489] = per_page as u8;
            page[490] = cb_ent as u8;
            page[491] = level;
            page[496] = ptype;
            page[497] = ptype;
            page[498..500].copy_from_slice(&compute_sig(ib, bid).to_le_bytes());
            let crc = compute_crc(&page[..496]);
            page[500..504].copy_from_slice(&crc.to_le_bytes());
            page[504..512].copy_from_slice(&bid.to_le_bytes());
            file.extend_from_slice(&page);
            let key = chunk.first().map_or(0, |e| e.0);
            let mut e = Vec::with_capacity(24);
            e.extend_from_slice(&key.to_le_bytes());
            e.extend_from_slice(&bid.to_le_bytes());
            e.extend_from_slice(&ib.to_le_bytes());
            parents.push((key, e));
            if single {
                return (bid, ib);
            }
        }
        current = parents;
        level += 1;
    }
}

fn write_header(
    file: &mut [u8],
    eof: u64,
    nbt: (u64, u64),
    bbt: (u64, u64),
    next_page: u64,
    next_block: u64,
) {
    let h = &mut file[..564];
    h[0..4].copy_from_slice(b"!BDN");
    h[8..10].copy_from_slice(b"SM");
    h[10..12].copy_from_slice(&23u16.to_le_bytes());
    h[12..14].copy_from_slice(&19u16.to_le_bytes());
    h[14] = 1;
    h[15] = 1;
    h[32..40].copy_from_slice(&(next_page << 2).to_le_bytes());
    h[40..44].copy_from_slice(&1u32.to_le_bytes());
    // rgnid: the next free NID index of each type, above everything the tests use.
    for i in 0..32 {
        h[44 + 4 * i..48 + 4 * i].copy_from_slice(&(0x10_0000u32 << 5 | i as u32).to_le_bytes());
    }
    h[256..384].fill(0xFF);
    h[384..512].fill(0xFF);
    h[512] = 0x80; // bSentinel
    h[516..524].copy_from_slice(&(next_block << 2).to_le_bytes());
    seal_header(h, eof, nbt, bbt);
}

/// Points a Unicode HEADER's ROOT (MS-PST 2.2.2.5) at the file's end and the two B-tree roots,
/// marks the allocation maps invalid and the blocks unencoded, and sets both CRCs (2.2.2.6).
pub fn seal_header(h: &mut [u8], eof: u64, nbt: (u64, u64), bbt: (u64, u64)) {
    let root = &mut h[180..252];
    root[4..12].copy_from_slice(&eof.to_le_bytes());
    root[36..44].copy_from_slice(&nbt.0.to_le_bytes());
    root[44..52].copy_from_slice(&nbt.1.to_le_bytes());
    root[52..60].copy_from_slice(&bbt.0.to_le_bytes());
    root[60..68].copy_from_slice(&bbt.1.to_le_bytes());
    root[68] = 0; // fAMapValid: no valid allocation maps
    h[513] = 0; // bCryptMethod NDB_CRYPT_NONE
    let partial = compute_crc(&h[8..8 + 471]);
    h[4..8].copy_from_slice(&partial.to_le_bytes());
    let full = compute_crc(&h[8..8 + 516]);
    h[524..528].copy_from_slice(&full.to_le_bytes());
}

/// A one-block heap under construction; HIDs are 1-based allocation indexes.
#[derive(Debug, Default)]
pub struct Heap {
    items: Vec<Vec<u8>>,
}

impl Heap {
    pub fn alloc(&mut self, bytes: Vec<u8>) -> u32 {
        assert!(bytes.len() <= MAX_HEAP_ITEM, "heap item of {} bytes", bytes.len());
        self.items.push(bytes);
        (self.items.len() as u32) << 5
    }

    fn reserve(&mut self) -> u32 {
        self.alloc(Vec::new())
    }

    fn set(&mut self, hid: u32, bytes: Vec<u8>) {
        self.items[(hid >> 5) as usize - 1] = bytes;
    }

    /// HNHDR, the allocations, then the HNPAGEMAP (MS-PST 2.3.1.2, 2.3.1.5).
    pub fn block(&self, client_sig: u8, user_root: u32) -> Vec<u8> {
        let block = heap_block(client_sig, user_root, &self.items);
        assert!(block.len() <= MAX_BLOCK_DATA, "heap of {} bytes", block.len());
        block
    }
}

/// A heap-on-node block (MS-PST 2.3.1): HNHDR, the items in order (HIDs `(i + 1) << 5`), then
/// the HNPAGEMAP (2.3.1.2, 2.3.1.5).
pub fn heap_block(client_sig: u8, user_root: u32, items: &[Vec<u8>]) -> Vec<u8> {
    let mut hnhdr = vec![0u8; 12];
    hnhdr[2] = 0xEC;
    hnhdr[3] = client_sig;
    hnhdr[4..8].copy_from_slice(&user_root.to_le_bytes());
    with_allocations(hnhdr, items)
}

/// A heap page after the first block (HNPAGEHDR, MS-PST 2.3.1.3): the items (HIDs
/// `(block << 16) | (i + 1) << 5`), then the HNPAGEMAP.
pub fn heap_page(items: &[Vec<u8>]) -> Vec<u8> {
    with_allocations(vec![0u8; 2], items)
}

/// A heap block's header followed by `items` and, 2-byte aligned, the HNPAGEMAP (MS-PST
/// 2.3.1.5) of their offsets; the header's first field (ibHnpm) points at the map.
fn with_allocations(mut block: Vec<u8>, items: &[Vec<u8>]) -> Vec<u8> {
    let mut offsets = vec![block.len() as u16];
    for item in items {
        block.extend_from_slice(item);
        offsets.push(block.len() as u16);
    }
    if block.len() % 2 == 1 {
        block.push(0);
    }
    let ib_hnpm = block.len() as u16;
    block[0..2].copy_from_slice(&ib_hnpm.to_le_bytes());
    block.extend_from_slice(&(items.len() as u16).to_le_bytes());
    block.extend_from_slice(&0u16.to_le_bytes());
    for o in offsets {
        block.extend_from_slice(&o.to_le_bytes());
    }
    block
}

/// A BTH (MS-PST 2.3.2) of sorted records; leaves and index nodes of at most one heap item.
/// Returns the HID of its BTHHEADER.
fn bth(heap: &mut Heap, cb_key: usize, cb_ent: usize, records: &[Vec<u8>]) -> u32 {
    let header = heap.reserve();
    let mut level = 0u8;
    let mut nodes: Vec<(Vec<u8>, u32)> = Vec::new();
    let mut root = 0;
    if !records.is_empty() {
        let per_leaf = MAX_HEAP_ITEM / (cb_key + cb_ent);
        for chunk in records.chunks(per_leaf) {
            let key = chunk[0][..cb_key].to_vec();
            nodes.push((key, heap.alloc(chunk.concat())));
        }
        while nodes.len() > 1 {
            level += 1;
            let per_node = MAX_HEAP_ITEM / (cb_key + 4);
            nodes = nodes
                .chunks(per_node)
                .map(|chunk| {
                    let item: Vec<u8> = chunk
                        .iter()
                        .flat_map(|(k, hid)| [k.clone(), hid.to_le_bytes().to_vec()].concat())
                        .collect();
                    (chunk[0].0.clone(), heap.alloc(item))
                })
                .collect();
        }
        root = nodes[0].1;
    }
    let mut h = vec![0xB5, cb_key as u8, cb_ent as u8, level];
    h.extend_from_slice(&root.to_le_bytes());
    heap.set(header, h);
    header
}

/// A property context's heap block: a PC BTH (cbKey 2, cbEnt 6) over `props`.
pub fn property_context(props: &[(u16, Value)]) -> Vec<u8> {
    let mut heap = Heap::default();
    let mut sorted = props.to_vec();
    sorted.sort_by_key(|p| p.0);
    let mut records = Vec::new();
    let mut values = Vec::new();
    for (id, value) in &sorted {
        let hnid = match value {
            Value::I32(v) => *v as u32,
            Value::Bool(b) => u32::from(*b),
            other => {
                let bytes = other.external_bytes();
                if bytes.is_empty() {
                    0
                } else {
                    values.push(bytes);
                    u32::MAX
                }
            }
        };
        records.push((*id, value.type_code(), hnid));
    }
    let user_root = bth_placeholder(&mut heap, &records, values);
    heap.block(0xBC, user_root)
}

/// Builds the PC BTH with heap values allocated after it (their HIDs filled into the records).
fn bth_placeholder(heap: &mut Heap, records: &[(u16, u16, u32)], values: Vec<Vec<u8>>) -> u32 {
    // Items: 1 header, 2.. the BTH nodes, then the values; compute the value HIDs first.
    let node_count = if records.is_empty() { 0 } else { records.len().div_ceil(MAX_HEAP_ITEM / 8) };
    let node_count = if node_count > 1 { node_count + 1 } else { node_count };
    let mut next_value = (1 + node_count + 1) as u32;
    let raw: Vec<Vec<u8>> = records
        .iter()
        .map(|&(id, ty, hnid)| {
            let hnid = if hnid == u32::MAX {
                let hid = next_value << 5;
                next_value += 1;
                hid
            } else {
                hnid
            };
            let mut r = id.to_le_bytes().to_vec();
            r.extend_from_slice(&ty.to_le_bytes());
            r.extend_from_slice(&hnid.to_le_bytes());
            r
        })
        .collect();
    let header = bth(heap, 2, 6, &raw);
    assert_eq!(heap.items.len(), 1 + node_count, "PC BTH shape");
    for v in values {
        heap.alloc(v);
    }
    header
}

/// A table context to build: column tags and rows of (tag, value) cells. Every row must have
/// `PidTagLtpRowId` (0x67F20003); absent cells are left out of the cell existence bitmap.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub columns: Vec<u32>,
    pub rows: Vec<Vec<(u32, Value)>>,
}

pub const LTP_ROW_ID: u32 = 0x67F2_0003;
pub const LTP_ROW_VER: u32 = 0x67F3_0003;

#[derive(Debug, Clone, Copy)]
struct ColumnLayout {
    tag: u32,
    ib: usize,
    cb: usize,
    bit: usize,
}

/// Where each column sits in a row (MS-PST 2.3.4.1): 8- and 4-byte cells (dwRowID first),
/// then 2-byte, then 1-byte cells, then the cell existence bitmap.
struct Layout {
    columns: Vec<ColumnLayout>,
    rgib: [usize; 4],
    row_size: usize,
}

fn cell_size(tag: u32) -> usize {
    match tag & 0xFFFF {
        0x0002 => 2,
        0x000B => 1,
        0x0014 | 0x0040 | 0x0005 | 0x0006 | 0x0007 => 8,
        _ => 4,
    }
}

impl Layout {
    fn of(tags: &[u32]) -> Layout {
        let mut sorted = tags.to_vec();
        sorted.sort();
        sorted.dedup();
        let mut columns: Vec<ColumnLayout> = sorted
            .iter()
            .enumerate()
            .map(|(bit, &tag)| ColumnLayout { tag, ib: 0, cb: cell_size(tag), bit })
            .collect();
        let mut order: Vec<usize> = (0..columns.len()).collect();
        // dwRowID at 0, dwRowVer at 4, then by decreasing size.
        order.sort_by_key(|&i| {
            let c = columns[i];
            (c.tag != LTP_ROW_ID, c.tag != LTP_ROW_VER, std::cmp::Reverse(c.cb.min(4)), c.tag)
        });
        let mut at = 0;
        let mut rgib = [0; 4];
        for &i in &order {
            columns[i].ib = at;
            at += columns[i].cb;
            let c = columns[i];
            if c.cb >= 4 {
                rgib[0] = at;
            }
            if c.cb >= 2 {
                rgib[1] = at;
            }
            rgib[2] = at;
        }
        rgib[1] = rgib[1].max(rgib[0]);
        rgib[2] = rgib[2].max(rgib[1]);
        rgib[3] = rgib[2] + columns.len().div_ceil(8);
        let row_size = rgib[3];
        Layout { columns, rgib, row_size }
    }

    fn column(&self, tag: u32) -> ColumnLayout {
        *self.columns.iter().find(|c| c.tag == tag).expect("cell of a column the table has")
    }

    /// A row with its inline cells and bitmap (HNIDs filled in by `fill`).
    fn row(&self, cells: &[(u32, Value)]) -> Vec<u8> {
        let mut row = vec![0u8; self.row_size];
        for (tag, value) in cells {
            let c = self.column(*tag);
            let bytes = match value {
                Value::I32(v) => v.to_le_bytes().to_vec(),
                Value::Bool(b) => vec![u8::from(*b)],
                Value::Time(t) => t.to_le_bytes().to_vec(),
                Value::Unicode(_) | Value::Binary(_) => vec![0; 4],
            };
            row[c.ib..c.ib + c.cb].copy_from_slice(&bytes[..c.cb]);
            row[self.rgib[2] + c.bit / 8] |= 0x80 >> (c.bit % 8);
        }
        row
    }

    /// Heap items of the variable-size cells of a row: (offset, HNID).
    fn cells(&self, cells: &[(u32, Value)], heap: &mut Heap) -> Vec<(usize, u32)> {
        cells
            .iter()
            .filter(|(_, v)| matches!(v, Value::Unicode(_) | Value::Binary(_)))
            .map(|(tag, v)| {
                let bytes = v.external_bytes();
                let hnid = if bytes.is_empty() { 0 } else { heap.alloc(bytes) };
                (self.column(*tag).ib, hnid)
            })
            .collect()
    }

    fn fill(&self, mut row: Vec<u8>, cells: &[(usize, u32)]) -> Vec<u8> {
        for &(ib, hnid) in cells {
            row[ib..ib + 4].copy_from_slice(&hnid.to_le_bytes());
        }
        row
    }
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

// ---------------------------------------------------------------------------------------------
// A whole store: root, "Top of Personal Folders", and one large folder.

/// What [`large_folder_pst`] built, for tests to compare against.
#[derive(Debug, Clone)]
pub struct LargeFolder {
    pub bytes: Vec<u8>,
    pub folder_nid: u32,
    /// The folder's path from the root, as `pst ls` takes it.
    pub folder_path: &'static str,
    pub message_nids: Vec<u32>,
    /// The message holding the large recipient and attachment tables.
    pub rich_message_nid: u32,
    pub recipients: usize,
    pub attachments: usize,
}

pub const STORE_NAME: &str = "Large folder test store";
pub const TOP_NAME: &str = "Top of Personal Folders";
pub const FOLDER_NAME: &str = "Many items";
pub const RECORD_KEY: [u8; 16] = *b"outpost-tc-test!";
pub const ROOT_FOLDER: u32 = 0x122;
pub const TOP_FOLDER: u32 = 0x8022;
pub const LARGE_FOLDER: u32 = 0x8042;

/// Contents-table columns of the large folder: 44 bytes of 8- and 4-byte cells, one boolean,
/// two bytes of bitmap: row size 47, so 173 rows a block and 45 bytes of padding
/// (8176 = 173 × 47 + 45). Padding of a few blocks adds up to more than a row.
pub const CONTENTS_COLUMNS: [u32; 11] = [
    LTP_ROW_ID,
    LTP_ROW_VER,
    0x0E06_0040, // PidTagMessageDeliveryTime
    0x0E07_0003, // PidTagMessageFlags
    0x0E08_0003, // PidTagMessageSize
    0x0E1B_000B, // PidTagHasAttachments
    0x0017_0003, // PidTagImportance
    0x0036_0003, // PidTagSensitivity
    0x3007_0040, // PidTagCreationTime
    0x0E17_0003, // PidTagMessageStatus
    0x0FFE_0003, // PidTagObjectType
];
/// Recipient-table columns: row size 39 (209 rows a block, 25 bytes of padding).
pub const RECIPIENT_COLUMNS: [u32; 9] = [
    LTP_ROW_ID,
    LTP_ROW_VER,
    0x0C15_0003, // PidTagRecipientType
    0x5FFD_0003, // PidTagRecipientFlags
    0x5FFF_0003, // PidTagRecipientTrackStatus
    0x3A40_000B, // PidTagSendRichInfo
    0x5FFB_0040, // PidTagRecipientTrackStatusTime
    0x5FDF_0003, // PidTagRecipientOrder
    0x0FFE_0003, // PidTagObjectType
];
/// Attachment-table columns: row size 47 (173 rows a block, 45 bytes of padding).
pub const ATTACHMENT_COLUMNS: [u32; 10] = [
    LTP_ROW_ID,
    LTP_ROW_VER,
    0x0E20_0003, // PidTagAttachSize
    0x3705_0003, // PidTagAttachMethod
    0x7FFE_000B, // PidTagAttachmentHidden
    0x370B_0003, // PidTagRenderingPosition
    0x3007_0040, // PidTagCreationTime
    0x3008_0040, // PidTagLastModificationTime
    0x3714_0003, // PidTagAttachFlags
    0x0FFE_0003, // PidTagObjectType
];

/// The delivery time of message `i` (FILETIME): 2020-01-01 plus `i` minutes.
pub fn delivery_time(i: usize) -> u64 {
    132_223_104_000_000_000 + i as u64 * 600_000_000
}

/// The message size the builder gives message `i` (distinct per row).
pub fn message_size(i: usize) -> i32 {
    1000 + 7 * i as i32
}

pub fn subject(i: usize) -> String {
    format!("Message {i:04}")
}

fn entry_id(nid: u32) -> Vec<u8> {
    let mut id = vec![0; 4];
    id.extend_from_slice(&RECORD_KEY);
    id.extend_from_slice(&nid.to_le_bytes());
    id
}

fn folder_pc(name: &str, content_count: usize, has_subfolders: bool) -> Vec<(u16, Value)> {
    vec![
        (0x3001, Value::Unicode(name.to_owned())),
        (0x3602, Value::I32(content_count as i32)),
        (0x3603, Value::I32(0)),
        (0x360A, Value::Bool(has_subfolders)),
    ]
}

fn hierarchy_row(nid: u32, name: &str, count: usize, subfolders: bool) -> Vec<(u32, Value)> {
    vec![
        (LTP_ROW_ID, Value::I32(nid as i32)),
        (LTP_ROW_VER, Value::I32(1)),
        (0x3001_001F, Value::Unicode(name.to_owned())),
        (0x3602_0003, Value::I32(count as i32)),
        (0x3603_0003, Value::I32(0)),
        (0x360A_000B, Value::Bool(subfolders)),
    ]
}

const HIERARCHY_COLUMNS: [u32; 6] =
    [LTP_ROW_ID, LTP_ROW_VER, 0x3001_001F, 0x3602_0003, 0x3603_0003, 0x360A_000B];

/// A folder's four nodes: PC, hierarchy, contents and associated contents tables.
fn folder(
    b: &mut PstBuilder,
    nid: u32,
    parent: u32,
    pc: &[(u16, Value)],
    children: Vec<Vec<(u32, Value)>>,
    contents: Table,
) {
    b.pc_node(nid, parent, pc);
    let hierarchy = Table { columns: HIERARCHY_COLUMNS.to_vec(), rows: children };
    b.tc_node((nid & !0x1F) | 0x0D, nid, &hierarchy);
    b.tc_node((nid & !0x1F) | 0x0E, nid, &contents);
    let fai = Table { columns: CONTENTS_COLUMNS.to_vec(), rows: Vec::new() };
    b.tc_node((nid & !0x1F) | 0x0F, nid, &fai);
}

/// A Unicode PST whose folder `/Top of Personal Folders/Many items` holds `messages` messages
/// (contents table over several blocks when there are more than 173); the first message has
/// `recipients` recipients and `attachments` attachments, each table likewise spanning blocks
/// when large.
pub fn large_folder_pst(messages: usize, recipients: usize, attachments: usize) -> LargeFolder {
    let mut b = PstBuilder::new();
    b.pc_node(
        0x21,
        0,
        &[
            (0x0FF9, Value::Binary(RECORD_KEY.to_vec())),
            (0x3001, Value::Unicode(STORE_NAME.to_owned())),
            (0x35E0, Value::Binary(entry_id(TOP_FOLDER))),
        ],
    );
    b.pc_node(0x61, 0, &[(0x0001, Value::I32(251))]);
    let empty = || Table { columns: CONTENTS_COLUMNS.to_vec(), rows: Vec::new() };
    folder(
        &mut b,
        ROOT_FOLDER,
        ROOT_FOLDER,
        &folder_pc("", 0, true),
        vec![hierarchy_row(TOP_FOLDER, TOP_NAME, 0, true)],
        empty(),
    );
    folder(
        &mut b,
        TOP_FOLDER,
        ROOT_FOLDER,
        &folder_pc(TOP_NAME, 0, true),
        vec![hierarchy_row(LARGE_FOLDER, FOLDER_NAME, messages, false)],
        empty(),
    );
    let message_nids: Vec<u32> =
        (0..messages).map(|i| ((0x10000 + i as u32) << 5) | 0x04).collect();
    let mut contents = Table { columns: CONTENTS_COLUMNS.to_vec(), rows: Vec::new() };
    for (i, &nid) in message_nids.iter().enumerate() {
        let has_attachments = i == 0 && attachments > 0;
        contents.rows.push(vec![
            (LTP_ROW_ID, Value::I32(nid as i32)),
            (LTP_ROW_VER, Value::I32(1)),
            (0x0E06_0040, Value::Time(delivery_time(i))),
            (0x0E07_0003, Value::I32(1)),
            (0x0E08_0003, Value::I32(message_size(i))),
            (0x0E1B_000B, Value::Bool(has_attachments)),
            (0x0017_0003, Value::I32(1)),
            (0x0036_0003, Value::I32(0)),
            (0x3007_0040, Value::Time(delivery_time(i))),
            (0x0E17_0003, Value::I32(0)),
            (0x0FFE_0003, Value::I32(5)),
        ]);
        let pc = [
            (0x001A, Value::Unicode("IPM.Note".to_owned())),
            (0x0037, Value::Unicode(subject(i))),
            (0x0E06, Value::Time(delivery_time(i))),
            (0x0E07, Value::I32(1)),
            (0x0E08, Value::I32(message_size(i))),
            (0x0E1B, Value::Bool(has_attachments)),
            (0x0017, Value::I32(1)),
            (0x0036, Value::I32(0)),
            (0x3007, Value::Time(delivery_time(i))),
            (0x0E17, Value::I32(0)),
        ];
        let bid_data = b.data_block(property_context(&pc));
        let bid_sub = if i == 0 { rich_subnodes(&mut b, recipients, attachments) } else { 0 };
        b.node(nid, bid_data, bid_sub, LARGE_FOLDER);
    }
    folder(
        &mut b,
        LARGE_FOLDER,
        TOP_FOLDER,
        &folder_pc(FOLDER_NAME, messages, false),
        Vec::new(),
        contents,
    );
    LargeFolder {
        bytes: b.finish(),
        folder_nid: LARGE_FOLDER,
        folder_path: "/Top of Personal Folders/Many items",
        rich_message_nid: message_nids.first().copied().unwrap_or(0),
        message_nids,
        recipients,
        attachments,
    }
}

/// NID of attachment `i` of the rich message (NID_TYPE_ATTACHMENT).
pub fn attachment_nid(i: usize) -> u32 {
    ((0x400 + i as u32) << 5) | 0x05
}

pub fn attachment_size(i: usize) -> i32 {
    10 + 3 * i as i32
}

pub fn recipient_flags(i: usize) -> i32 {
    0x100 + i as i32
}

/// The rich message's subnodes: recipient table, attachment table, and one PC per attachment.
fn rich_subnodes(b: &mut PstBuilder, recipients: usize, attachments: usize) -> u64 {
    let mut subnodes = Vec::new();
    let recipient_table = Table {
        columns: RECIPIENT_COLUMNS.to_vec(),
        rows: (0..recipients)
            .map(|i| {
                vec![
                    (LTP_ROW_ID, Value::I32(i as i32)),
                    (LTP_ROW_VER, Value::I32(1)),
                    (0x0C15_0003, Value::I32(1 + (i % 3) as i32)),
                    (0x5FFD_0003, Value::I32(recipient_flags(i))),
                    (0x5FFF_0003, Value::I32(0)),
                    (0x3A40_000B, Value::Bool(i % 2 == 0)),
                    (0x5FFB_0040, Value::Time(delivery_time(i))),
                    (0x5FDF_0003, Value::I32(i as i32)),
                    (0x0FFE_0003, Value::I32(6)),
                ]
            })
            .collect(),
    };
    let (data, sub) = b.table_context(&recipient_table);
    subnodes.push(Subnode { nid: 0x692, bid_data: data, bid_sub: sub });
    let attachment_table = Table {
        columns: ATTACHMENT_COLUMNS.to_vec(),
        rows: (0..attachments)
            .map(|i| {
                vec![
                    (LTP_ROW_ID, Value::I32(attachment_nid(i) as i32)),
                    (LTP_ROW_VER, Value::I32(1)),
                    (0x0E20_0003, Value::I32(attachment_size(i))),
                    (0x3705_0003, Value::I32(1)),
                    (0x7FFE_000B, Value::Bool(false)),
                    (0x370B_0003, Value::I32(-1)),
                    (0x3007_0040, Value::Time(delivery_time(i))),
                    (0x3008_0040, Value::Time(delivery_time(i))),
                    (0x3714_0003, Value::I32(0)),
                    (0x0FFE_0003, Value::I32(7)),
                ]
            })
            .collect(),
    };
    let (data, sub) = b.table_context(&attachment_table);
    subnodes.push(Subnode { nid: 0x671, bid_data: data, bid_sub: sub });
    for i in 0..attachments {
        let pc = [
            (0x0E20, Value::I32(attachment_size(i))),
            (0x3701, Value::Binary(vec![b'a' + (i % 26) as u8; attachment_size(i) as usize])),
            (0x3705, Value::I32(1)),
            (0x3707, Value::Unicode(format!("file{i}.txt"))),
            (0x7FFE, Value::Bool(false)),
        ];
        let bid = b.data_block(property_context(&pc));
        subnodes.push(Subnode { nid: attachment_nid(i), bid_data: bid, bid_sub: 0 });
    }
    b.subnode_tree(subnodes)
}

/// Changes the first data block of top-level node `nid` in a built file. With `fix_crc` the
/// block's CRC is recomputed (the block stays intact as the NDB sees it, so only what the
/// patch did to the node's structure shows); without, the CRC no longer matches.
pub fn patch_node_data(bytes: &mut [u8], nid: u32, fix_crc: bool, patch: impl FnOnce(&mut [u8])) {
    let file =
        pst::PstFile::from_reader(Box::new(bytes.to_vec()), pst::OpenOptions::default()).unwrap();
    let node = file.ndb().node(pst::NodeId(nid)).unwrap();
    let entry = file.ndb().block_entry(node.bid_data).unwrap();
    let ib = entry.bref.ib as usize;
    let cb = usize::from(entry.cb);
    patch(&mut bytes[ib..ib + cb]);
    if fix_crc {
        let trailer = ib + (cb + 16).div_ceil(64) * 64 - 16;
        let crc = compute_crc(&bytes[ib..ib + cb]);
        bytes[trailer + 4..trailer + 8].copy_from_slice(&crc.to_le_bytes());
    }
}
