//! Identifiers of the NDB layer: NID (MS-PST 2.2.2.1), BID (2.2.2.2), BREF (2.2.2.4).

use std::fmt;

/// A node ID: 5 bits of `nidType`, 27 bits of `nidIndex` (MS-PST 2.2.2.1).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct NodeId(pub u32);

/// `nidType` values (MS-PST 2.2.2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum NodeType {
    HeapId,
    Internal,
    NormalFolder,
    SearchFolder,
    NormalMessage,
    Attachment,
    SearchUpdateQueue,
    SearchCriteriaObject,
    AssociatedMessage,
    ContentsTableIndex,
    ReceiveFolderTable,
    OutgoingQueueTable,
    HierarchyTable,
    ContentsTable,
    AssociatedContentsTable,
    SearchContentsTable,
    AttachmentTable,
    RecipientTable,
    SearchTableIndex,
    Ltp,
    Other(u8),
}

impl NodeId {
    /// NID_MESSAGE_STORE (MS-PST 2.4.1).
    pub const MESSAGE_STORE: NodeId = NodeId(0x21);
    /// NID_NAME_TO_ID_MAP.
    pub const NAME_TO_ID_MAP: NodeId = NodeId(0x61);
    /// NID_ROOT_FOLDER.
    pub const ROOT_FOLDER: NodeId = NodeId(0x122);
    /// NID_ATTACHMENT_TABLE: the attachment table's subnode in a message.
    pub const ATTACHMENT_TABLE: NodeId = NodeId(0x671);
    /// NID_RECIPIENT_TABLE: the recipient table's subnode in a message.
    pub const RECIPIENT_TABLE: NodeId = NodeId(0x692);

    pub const fn new(node_type: u8, index: u32) -> NodeId {
        NodeId((index << 5) | (node_type as u32 & 0x1F))
    }

    pub const fn type_code(self) -> u8 {
        (self.0 & 0x1F) as u8
    }

    pub const fn index(self) -> u32 {
        self.0 >> 5
    }

    pub fn node_type(self) -> NodeType {
        match self.type_code() {
            0x00 => NodeType::HeapId,
            0x01 => NodeType::Internal,
            0x02 => NodeType::NormalFolder,
            0x03 => NodeType::SearchFolder,
            0x04 => NodeType::NormalMessage,
            0x05 => NodeType::Attachment,
            0x06 => NodeType::SearchUpdateQueue,
            0x07 => NodeType::SearchCriteriaObject,
            0x08 => NodeType::AssociatedMessage,
            0x0A => NodeType::ContentsTableIndex,
            0x0B => NodeType::ReceiveFolderTable,
            0x0C => NodeType::OutgoingQueueTable,
            0x0D => NodeType::HierarchyTable,
            0x0E => NodeType::ContentsTable,
            0x0F => NodeType::AssociatedContentsTable,
            0x10 => NodeType::SearchContentsTable,
            0x11 => NodeType::AttachmentTable,
            0x12 => NodeType::RecipientTable,
            0x13 => NodeType::SearchTableIndex,
            0x1F => NodeType::Ltp,
            other => NodeType::Other(other),
        }
    }

    /// The same index with another type: a folder's tables share its index (MS-PST 2.4.4).
    pub const fn with_type(self, node_type: u8) -> NodeId {
        NodeId::new(node_type, self.index())
    }
}

impl fmt::Display for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "NID {:#x}", self.0)
    }
}

impl fmt::Debug for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "NodeId({:#x})", self.0)
    }
}

/// A block ID (MS-PST 2.2.2.2). Bit 0 is reserved and ignored in lookups; bit 1 (`fInternal`)
/// marks blocks that hold data-tree or subnode-tree structure rather than node data.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct BlockId(pub u64);

impl BlockId {
    pub const fn is_internal(self) -> bool {
        self.0 & 0x2 != 0
    }

    /// The ID as the block B-tree keys it (reserved bit cleared).
    pub const fn key(self) -> u64 {
        self.0 & !1
    }
}

impl fmt::Display for BlockId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BID {:#x}", self.0)
    }
}

impl fmt::Debug for BlockId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BlockId({:#x})", self.0)
    }
}

/// A block reference: ID plus absolute file offset (MS-PST 2.2.2.4 BREF).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BlockRef {
    pub bid: BlockId,
    pub ib: u64,
}
