//! Table context (MS-PST 2.3.4): TCINFO, column descriptors, the row index BTH and the row
//! matrix (in the heap or spread over a subnode's data blocks), with cell existence bitmaps.

use super::bth::HeapTree;
use super::budget::{SUBNODE_BUDGET_PER_FILE_BYTE, SubnodeBudget};
use super::heap::{CLIENT_SIG_TC, HeapId, HeapNode, heap_err};
use super::node::LtpNode;
use super::value::{decode_value, encoding_for_codepage, is_inline_in_tc};
use crate::error::{PstError, PstResult};
use crate::io::{u16_at, u32_at};
use crate::ndb::{BlockId, NodeId};
use encoding_rs::Encoding;
use mapi::{PropTag, PropType, PropValue, TaggedValue};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// `TCI_bm`, `TCI_1b`, ... indexes into `rgib` (MS-PST 2.3.4.1).
const TCI_4B: usize = 0;
const TCI_1B: usize = 2;
const TCI_BM: usize = 3;

/// Rows a reader allocates for before reading any (see [`TableContext::capacity_hint`]).
const MAX_PREALLOCATED_ROWS: usize = 1024;

/// `dwRowID` column: PidTagLtpRowId.
pub const LTP_ROW_ID: u16 = 0x67F2;

/// A column descriptor (TCOLDESC, MS-PST 2.3.4.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub tag: PropTag,
    pub ib_data: usize,
    pub cb_data: usize,
    pub i_bit: usize,
}

/// Where the rows are.
#[derive(Debug, Clone)]
enum RowMatrix {
    Empty,
    Heap(Vec<u8>),
    /// The leaf blocks of a data tree, each with the number of rows it holds.
    Blocks(Vec<MatrixBlock>),
}

/// One leaf block of a row matrix kept in a data tree.
#[derive(Debug, Clone, Copy)]
struct MatrixBlock {
    bid: BlockId,
    /// The block's (inflated) size from the block B-tree.
    size: usize,
    rows: usize,
}

/// A table context.
#[derive(Debug, Clone)]
pub struct TableContext {
    node: LtpNode,
    heap: HeapNode,
    columns: Vec<Column>,
    row_size: usize,
    ceb_at: usize,
    row_count: usize,
    matrix: RowMatrix,
    encoding: &'static Encoding,
}

impl TableContext {
    pub fn open(node: LtpNode) -> PstResult<TableContext> {
        let heap = HeapNode::open(&node)?;
        let nid = node.nid;
        if heap.client_sig != CLIENT_SIG_TC {
            return Err(heap_err(
                nid,
                format!("bClientSig is {:#04x}, a table context has 0x7C", heap.client_sig),
            ));
        }
        let info = heap.item(heap.user_root)?;
        if info.len() < 22 || info[0] != CLIENT_SIG_TC {
            return Err(table_err(nid, "TCINFO shorter than 22 bytes or bType is not 0x7C"));
        }
        let c_cols = usize::from(info[1]);
        let rgib: [usize; 4] = std::array::from_fn(|i| usize::from(u16_at(info, 2 + 2 * i)));
        let hnid_rows = u32_at(info, 14);
        if info.len() < 22 + 8 * c_cols {
            return Err(table_err(nid, format!("TCINFO too short for cCols {c_cols}")));
        }
        let row_size = rgib[TCI_BM];
        let ceb_at = rgib[TCI_1B];
        if !(rgib[TCI_4B] <= rgib[1] && rgib[1] <= ceb_at && ceb_at <= row_size)
            || ceb_at + c_cols.div_ceil(8) > row_size
        {
            return Err(table_err(nid, format!("TCINFO rgib {rgib:?} is not ordered")));
        }
        let mut columns = Vec::with_capacity(c_cols);
        for i in 0..c_cols {
            let d = &info[22 + 8 * i..30 + 8 * i];
            let col = Column {
                tag: PropTag(u32_at(d, 0)),
                ib_data: usize::from(u16_at(d, 4)),
                cb_data: usize::from(d[6]),
                i_bit: usize::from(d[7]),
            };
            if col.ib_data + col.cb_data > row_size || col.i_bit >= c_cols.max(1) * 8 {
                return Err(table_err(nid, format!("TCOLDESC {i} lies outside the row")));
            }
            columns.push(col);
        }
        let (matrix, row_count) = if hnid_rows == 0 || row_size == 0 {
            (RowMatrix::Empty, 0)
        } else if hnid_rows & 0x1F == 0 {
            let data = heap.item(HeapId(hnid_rows))?.to_vec();
            let count = data.len() / row_size;
            (RowMatrix::Heap(data), count)
        } else {
            let tree = node.subnode_tree(NodeId(hnid_rows))?;
            let blocks = matrix_blocks(&node, &tree.blocks, row_size)?;
            let count = blocks.iter().map(|b| b.rows).sum();
            (RowMatrix::Blocks(blocks), count)
        };
        // The row index BTH (hidRowIndex) must parse where present; rows are served in
        // row-matrix order, which is the table's order.
        let hid_row_index = u32_at(info, 10);
        if hid_row_index != 0 {
            HeapTree::open(&heap, HeapId(hid_row_index))?;
        }
        Ok(TableContext {
            node,
            heap,
            columns,
            row_size,
            ceb_at,
            row_count,
            matrix,
            encoding: encoding_for_codepage(None),
        })
    }

    pub fn nid(&self) -> NodeId {
        self.node.nid
    }

    pub fn columns(&self) -> &[Column] {
        &self.columns
    }

    /// The number of rows: for a row matrix in a data tree, the sum over its leaf blocks of
    /// the whole rows each holds (never more than the blocks' real sizes allow).
    pub fn row_count(&self) -> usize {
        self.row_count
    }

    /// How many rows a caller may allocate for up front. `row_count` is bounded by the blocks
    /// the data tree lists, which a damaged file can repeat; growing past this as rows are
    /// actually read keeps memory proportional to what was read.
    pub fn capacity_hint(&self) -> usize {
        self.row_count.min(MAX_PREALLOCATED_ROWS)
    }

    pub fn set_codepage(&mut self, codepage: Option<u32>) {
        self.encoding = encoding_for_codepage(codepage);
    }

    /// Rows in table order (the order of the row matrix). The cells of the rows of one pass
    /// share one budget of bytes read from subnodes ([`SubnodeBudget`]): a cell may name a
    /// subnode (an HNID, MS-PST 2.3.3.2), and every row may name the same large one.
    pub fn rows(&self) -> RowIter<'_> {
        let whole_budget = self.node.ndb.file_size().saturating_mul(SUBNODE_BUDGET_PER_FILE_BYTE);
        RowIter {
            table: self,
            subnode_budget: Arc::new(SubnodeBudget::for_pass(&self.node, whole_budget)),
            block: 0,
            buffer: Vec::new(),
            pos: 0,
            rows_left_in_block: 0,
            produced: 0,
            failed: false,
        }
    }

    fn cell_bytes(
        &self,
        row: &[u8],
        col: &Column,
        subnode_budget: &SubnodeBudget,
        charged: &[AtomicU64; 4],
    ) -> PstResult<Option<Vec<u8>>> {
        let present = row
            .get(self.ceb_at + col.i_bit / 8)
            .is_some_and(|b| b & (0x80 >> (col.i_bit % 8)) != 0);
        if !present {
            return Ok(None);
        }
        let cell = &row[col.ib_data..col.ib_data + col.cb_data];
        let prop_type = col.tag.prop_type().unwrap_or(PropType::Null);
        if is_inline_in_tc(prop_type) {
            return Ok(Some(cell.to_vec()));
        }
        let hnid = u32_at(cell, 0);
        if hnid == 0 {
            return Ok(Some(Vec::new()));
        }
        if hnid & 0x1F == 0 {
            return Ok(Some(self.heap.item(HeapId(hnid))?.to_vec()));
        }
        // Only the first read of a cell is charged (see `SubnodeBudget::read`).
        let (word, bit) = (col.i_bit / 64 % 4, 1u64 << (col.i_bit % 64));
        let first_read = charged[word].fetch_or(bit, Ordering::Relaxed) & bit == 0;
        let data = subnode_budget.read(&self.node, NodeId(hnid), first_read, |len, left| {
            table_err(
                self.node.nid,
                format!(
                    "cell {} of row {:#x} names subnode {} of at least {len} bytes, more than \
                     the {left} bytes left of this pass's budget for subnode cells \
                     ({SUBNODE_BUDGET_PER_FILE_BYTE} × the file size): rows naming large \
                     subnodes again and again",
                    col.tag,
                    u32_at(row, 0),
                    NodeId(hnid)
                ),
            )
        })?;
        Ok(Some(data))
    }
}

/// One row of a table.
#[derive(Debug, Clone)]
pub struct Row<'t> {
    table: &'t TableContext,
    bytes: Vec<u8>,
    /// Shared by the rows of one pass ([`TableContext::rows`]).
    subnode_budget: Arc<SubnodeBudget>,
    /// The cells (by `iBit`, below 256 as `cCols` is a byte) already charged to the budget.
    charged: Arc<[AtomicU64; 4]>,
}

impl Row<'_> {
    /// `dwRowID`: the first four bytes of every row (PidTagLtpRowId).
    pub fn row_id(&self) -> u32 {
        u32_at(&self.bytes, 0)
    }

    /// The raw bytes of a cell, if its existence bit is set.
    pub fn bytes(&self, id: u16) -> PstResult<Option<Vec<u8>>> {
        match self.table.columns.iter().find(|c| c.tag.id() == id) {
            Some(col) => {
                self.table.cell_bytes(&self.bytes, col, &self.subnode_budget, &self.charged)
            }
            None => Ok(None),
        }
    }

    /// A cell by property ID, decoded.
    pub fn value(&self, id: u16) -> PstResult<Option<PropValue>> {
        let Some(col) = self.table.columns.iter().find(|c| c.tag.id() == id) else {
            return Ok(None);
        };
        self.decode(col)
    }

    fn decode(&self, col: &Column) -> PstResult<Option<PropValue>> {
        let Some(bytes) =
            self.table.cell_bytes(&self.bytes, col, &self.subnode_budget, &self.charged)?
        else {
            return Ok(None);
        };
        let prop_type = col.tag.prop_type().ok_or_else(|| {
            table_err(self.table.node.nid, format!("column {} has an unknown type", col.tag))
        })?;
        decode_value(prop_type, &bytes, self.table.encoding).map(Some).ok_or_else(|| {
            table_err(
                self.table.node.nid,
                format!("cell {} of row {:#x} cannot hold a {prop_type}", col.tag, self.row_id()),
            )
        })
    }

    /// Every present cell, decoded, in column order.
    pub fn values(&self) -> PstResult<Vec<TaggedValue>> {
        let mut out = Vec::with_capacity(self.table.columns.len());
        for col in &self.table.columns {
            if let Some(value) = self.decode(col)? {
                out.push(TaggedValue { tag: col.tag, value });
            }
        }
        Ok(out)
    }

    pub fn string(&self, id: u16) -> Option<String> {
        match self.value(id) {
            Ok(Some(PropValue::String(s) | PropValue::String8(s))) => Some(s),
            _ => None,
        }
    }
}

/// Iterates rows, reading row-matrix blocks one at a time.
#[derive(Debug)]
pub struct RowIter<'t> {
    table: &'t TableContext,
    subnode_budget: Arc<SubnodeBudget>,
    block: usize,
    buffer: Vec<u8>,
    pos: usize,
    /// Rows of the current block not served yet; what follows them is padding.
    rows_left_in_block: usize,
    produced: usize,
    failed: bool,
}

impl<'t> Iterator for RowIter<'t> {
    type Item = PstResult<Row<'t>>;

    fn next(&mut self) -> Option<Self::Item> {
        let t = self.table;
        if self.failed || self.produced >= t.row_count {
            return None;
        }
        let data: &[u8] = match &t.matrix {
            RowMatrix::Empty => return None,
            RowMatrix::Heap(data) => data,
            RowMatrix::Blocks(blocks) => {
                // Rows never straddle blocks and each block's tail is padding (MS-PST
                // 2.3.4.4.1): move on when this block's whole rows are spent.
                while self.rows_left_in_block == 0 {
                    let Some(&block) = blocks.get(self.block) else {
                        self.failed = true;
                        return Some(Err(table_err(t.node.nid, "row matrix ends early")));
                    };
                    self.block += 1;
                    match t.node.ndb.read_block(block.bid) {
                        Ok(b) if b.len() >= block.size => self.buffer = b,
                        Ok(b) => {
                            self.failed = true;
                            return Some(Err(table_err(
                                t.node.nid,
                                format!(
                                    "row matrix block {} holds {} bytes, the block B-tree says {}",
                                    block.bid,
                                    b.len(),
                                    block.size
                                ),
                            )));
                        }
                        Err(e) => {
                            self.failed = true;
                            return Some(Err(e));
                        }
                    }
                    self.pos = 0;
                    self.rows_left_in_block = block.rows;
                }
                self.rows_left_in_block -= 1;
                &self.buffer
            }
        };
        let bytes = data[self.pos..self.pos + t.row_size].to_vec();
        self.pos += t.row_size;
        self.produced += 1;
        Some(Ok(Row {
            table: t,
            bytes,
            subnode_budget: self.subnode_budget.clone(),
            charged: Arc::default(),
        }))
    }
}

/// The leaf blocks of a row matrix with the rows each holds. MS-PST 2.3.4.4.1: every block
/// stores a whole number of rows, `floor(block size / row size)`, the rest of the block being
/// padding; so the count comes from each block's size in the block B-tree (`cbInflated` for
/// the compressed blocks of the 4K format), not from the data tree's `lcbTotal`, which is
/// neither checked nor a multiple of the row size. Sizes come without reading the blocks.
fn matrix_blocks(node: &LtpNode, bids: &[BlockId], row_size: usize) -> PstResult<Vec<MatrixBlock>> {
    let mut blocks = Vec::with_capacity(bids.len());
    for &bid in bids {
        let size = usize::from(node.ndb.block_entry(bid)?.cb_inflated);
        blocks.push(MatrixBlock { bid, size, rows: size / row_size });
    }
    Ok(blocks)
}

fn table_err(nid: NodeId, problem: impl Into<String>) -> PstError {
    PstError::Table { nid, problem: problem.into() }
}
