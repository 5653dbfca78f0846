//! The budget of bytes one pass over an LTP object may read from subnodes for its values.
//!
//! A variable-size value of a property context (MS-PST 2.3.3.3) or a table cell (MS-PST
//! 2.3.4.4) holds an HNID (MS-PST 2.3.3.2), which may name a subnode instead of a heap item.
//! Nothing stops every entry of a PC, or every row of a table, from naming the same large
//! subnode, or many subnodes sharing one data tree: unbounded, reading every value costs
//! entries × file size. A cache by NID would not bound the second form, so a pass (every value
//! of a PC, every row of a table) gets a budget instead, linear in the file.

use super::node::LtpNode;
use crate::error::{PstError, PstResult};
use crate::ndb::NodeId;
use std::sync::atomic::{AtomicU64, Ordering};

/// Bytes one pass may read from subnodes, as a multiple of the file size. Sound files do name
/// one subnode from several table rows (an ANSI corpus PST's contents table reads more than
/// 4 × its size in body cells), so the factor is the one `Ndb::read_data` allows a node's data.
pub const SUBNODE_BUDGET_PER_FILE_BYTE: u64 = 64;

/// What is left of one pass's budget; shared (atomically) by the rows of a table pass.
#[derive(Debug)]
pub struct SubnodeBudget {
    /// The most one value may be, charged or not.
    per_value: u64,
    left: AtomicU64,
}

impl SubnodeBudget {
    /// A fresh budget for a pass over `node`'s values, each value at most `per_value` bytes.
    pub fn for_pass(node: &LtpNode, per_value: u64) -> SubnodeBudget {
        let total = node.ndb.file_size().saturating_mul(SUBNODE_BUDGET_PER_FILE_BYTE);
        SubnodeBudget { per_value: per_value.min(total), left: AtomicU64::new(total) }
    }

    /// Reads subnode `nid` of `node`. A first read of a value is charged to the budget and
    /// refused when it would overdraw it (`exhausted` builds that error from the value's
    /// length so far and the bytes that were left); a caller reading the same value again (to
    /// restrict, then sort, then fetch) does its own work again, not the file's, so a re-read
    /// is only held to the per-value limit.
    pub fn read(
        &self,
        node: &LtpNode,
        nid: NodeId,
        first_read: bool,
        exhausted: impl FnOnce(u64, u64) -> PstError,
    ) -> PstResult<Vec<u8>> {
        let left = self.left.load(Ordering::Relaxed);
        let limit = if first_read { left.min(self.per_value) } else { self.per_value };
        let data = node.subnode_data_within(nid, limit).map_err(|e| match e {
            PstError::OutOfBounds { what: "node data", len, .. } if limit < self.per_value => {
                exhausted(len, left)
            }
            e => e,
        })?;
        if first_read {
            // Within the budget by the limit above; saturating for passes used from two threads.
            let spent = data.len() as u64;
            let _ = self.left.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |b| {
                Some(b.saturating_sub(spent))
            });
        }
        Ok(data)
    }
}
