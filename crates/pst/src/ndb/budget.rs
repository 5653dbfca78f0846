//! The budget of one walk over a whole file (`pst dump`, `pst check`, `pst ls FOLDER`, a
//! benchmark walk).
//!
//! Each object a walk opens is bounded on its own (a node's data or one value at most 4 × the
//! file size, a pass over a property context's or a table's values 64 ×), but nodes may share
//! data: the block B-tree counts references to a block (cRef, MS-PST 2.2.2.7.7.3), so sound
//! files do name one block from several nodes, and a crafted node B-tree can name one large
//! message from thousands of entries (32 bytes each in a Unicode file). A walk that opens
//! every node then reads nodes × one node's data: quadratic in the file. Refusing shared
//! blocks would refuse sound files, and a cache by node data or by data BID misses nodes whose
//! subnode trees differ but name one data tree (and a node's heap, tables and attachments
//! would each need one). Every block read goes through [`Ndb::read_block_at`](super::Ndb), so
//! a walk counts the bytes of blocks read since it began and, once they pass a multiple of the
//! file size, reports the objects it has not opened yet instead of opening them. It checks
//! before each object, so it reads at most its budget plus one object, itself bounded.

use super::Ndb;
use crate::error::{PstError, PstResult};

/// Bytes of blocks one walk may read, as a multiple of the file size: the factor of a pass
/// over one object's values ([`crate::ltp::budget::SUBNODE_BUDGET_PER_FILE_BYTE`]). Walks of
/// the corpus files read at most a few times their size (a check reads each block for its
/// CRC, each node's data, each table's cells).
pub const WALK_BUDGET_PER_FILE_BYTE: u64 = 64;

/// Where a walk began and how much it may read. The count is the file's (every reader of the
/// one [`Ndb`] adds to it), so reads of other threads on the same file count against the
/// walk too: it can end early, never late.
#[derive(Debug, Clone, Copy)]
pub struct WalkBudget {
    start: u64,
    limit: u64,
}

impl WalkBudget {
    /// A walk beginning now.
    pub fn start(ndb: &Ndb) -> WalkBudget {
        WalkBudget {
            start: ndb.block_bytes_read(),
            limit: ndb.file_size().saturating_mul(WALK_BUDGET_PER_FILE_BYTE),
        }
    }

    /// Whether the walk may open its next object: an error naming the budget once it has
    /// read more than the budget.
    pub fn check(&self, ndb: &Ndb) -> PstResult<()> {
        if self.spent(ndb) > self.limit {
            return Err(PstError::WalkBudget { limit: self.limit });
        }
        Ok(())
    }

    /// Bytes of blocks read since the walk began.
    pub fn spent(&self, ndb: &Ndb) -> u64 {
        ndb.block_bytes_read().saturating_sub(self.start)
    }

    /// The most the walk may read before it stops opening objects.
    pub fn limit(&self) -> u64 {
        self.limit
    }
}
