//! A node as the LTP layer sees it: its data blocks plus its subnode tree, with HNIDs
//! resolved either to heap items or to subnodes (MS-PST 2.3.3.2 HNID).

use crate::error::{PstError, PstResult};
use crate::ndb::{BlockId, Ndb, NodeId, SubnodeEntry};
use std::sync::Arc;

/// A node (top-level or subnode) ready for the LTP layer.
#[derive(Debug, Clone)]
pub struct LtpNode {
    pub(crate) ndb: Arc<Ndb>,
    pub nid: NodeId,
    pub bid_data: BlockId,
    pub subnodes: Arc<Vec<SubnodeEntry>>,
}

impl LtpNode {
    /// A top-level node from the node B-tree.
    pub fn open(ndb: &Arc<Ndb>, nid: NodeId) -> PstResult<LtpNode> {
        let entry = ndb.node(nid)?;
        let subnodes = Arc::new(ndb.subnodes(entry.bid_sub)?);
        Ok(LtpNode { ndb: ndb.clone(), nid, bid_data: entry.bid_data, subnodes })
    }

    /// A subnode of this node (its own subnode tree loaded too).
    pub fn subnode(&self, nid: NodeId) -> PstResult<LtpNode> {
        let entry = self.find_subnode(nid)?;
        let subnodes = Arc::new(self.ndb.subnodes(entry.bid_sub)?);
        Ok(LtpNode { ndb: self.ndb.clone(), nid, bid_data: entry.bid_data, subnodes })
    }

    pub fn has_subnode(&self, nid: NodeId) -> bool {
        self.subnodes.iter().any(|s| s.nid == nid)
    }

    fn find_subnode(&self, nid: NodeId) -> PstResult<SubnodeEntry> {
        self.subnodes
            .iter()
            .find(|s| s.nid == nid)
            .copied()
            .ok_or(PstError::SubnodeNotFound { parent: self.nid, nid })
    }

    /// The node's data blocks, each decoded (a heap-on-node needs them apart).
    pub fn blocks(&self) -> PstResult<Vec<Vec<u8>>> {
        let tree = self.ndb.data_tree(self.bid_data)?;
        let limit = self.ndb.file_size().saturating_mul(4);
        let mut total = 0u64;
        let mut out = Vec::with_capacity(tree.blocks.len().min(4096));
        for bid in tree.blocks {
            let block = self.ndb.read_block(bid)?;
            total += block.len() as u64;
            if total > limit {
                return Err(PstError::OutOfBounds {
                    what: "node data",
                    offset: 0,
                    len: total,
                    limit,
                });
            }
            out.push(block);
        }
        Ok(out)
    }

    /// The whole data of a subnode (used for values stored outside the heap).
    pub fn subnode_data(&self, nid: NodeId) -> PstResult<Vec<u8>> {
        self.subnode_data_within(nid, self.ndb.file_size().saturating_mul(4))
    }

    /// The whole data of a subnode, refused (before its blocks are read where the data tree's
    /// `lcbTotal` says so) when it is longer than `limit` bytes.
    pub fn subnode_data_within(&self, nid: NodeId, limit: u64) -> PstResult<Vec<u8>> {
        let entry = self.find_subnode(nid)?;
        self.ndb.read_data(entry.bid_data, limit)
    }

    /// The leaf data blocks of a subnode, for streaming.
    pub fn subnode_tree(&self, nid: NodeId) -> PstResult<crate::ndb::DataTree> {
        let entry = self.find_subnode(nid)?;
        self.ndb.data_tree(entry.bid_data)
    }
}
