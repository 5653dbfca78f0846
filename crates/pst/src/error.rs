//! The one error type of the crate. Every variant says what was read, where (file offset, block
//! or node ID) and, for structure errors, which MS-PST field was wrong.

use crate::ndb::{BlockId, NodeId};

/// Result alias for this crate.
pub type PstResult<T> = Result<T, PstError>;

/// What can go wrong reading a PST/OST file.
#[derive(Debug, thiserror::Error)]
pub enum PstError {
    #[error("I/O error reading {len} bytes at offset {offset:#x}: {source}")]
    Io { offset: u64, len: usize, source: std::io::Error },

    #[error("not a PST file: dwMagic is {found:#010x}, expected \"!BDN\"")]
    NotPst { found: u32 },

    #[error(
        "unsupported file version: wVer {w_ver} (known: 14/15 ANSI, 23 Unicode, 36 Unicode 4K)"
    )]
    UnsupportedVersion { w_ver: u16 },

    #[error("unsupported bCryptMethod {0:#04x} (known: 0 none, 1 permute, 2 cyclic)")]
    UnsupportedCrypt(u8),

    #[error(
        "{what}: dwCRC mismatch at offset {offset:#x}: stored {stored:#010x}, computed {computed:#010x}"
    )]
    Crc { what: &'static str, offset: u64, stored: u32, computed: u32 },

    /// A structure field holds a value the spec does not allow.
    #[error("{structure} at offset {offset:#x}: field {field} {problem}")]
    Field { structure: &'static str, field: &'static str, offset: u64, problem: String },

    /// A size or offset points past the end of the file or of its container.
    #[error("{what} at offset {offset:#x}: {len} bytes do not fit in {limit} bytes")]
    OutOfBounds { what: &'static str, offset: u64, len: u64, limit: u64 },

    /// A read that lies past the end of the file: the file was cut short (its header says
    /// it is longer) or an offset in it is wrong.
    #[error("{}", truncated_message(what, *offset, *len, *file_size, *header_eof))]
    Truncated { what: &'static str, offset: u64, len: u64, file_size: u64, header_eof: Option<u64> },

    #[error("block {bid} not found in the block B-tree")]
    BlockNotFound { bid: BlockId },

    #[error("node {nid} not found in the node B-tree")]
    NodeNotFound { nid: NodeId },

    #[error("subnode {nid} not found under node {parent}")]
    SubnodeNotFound { parent: NodeId, nid: NodeId },

    #[error("block {bid} at offset {offset:#x}: {problem}")]
    Block { bid: BlockId, offset: u64, problem: String },

    #[error("heap-on-node of node {nid}: {problem}")]
    Heap { nid: NodeId, problem: String },

    #[error("property 0x{prop_id:04X} of node {nid}: {problem}")]
    Property { nid: NodeId, prop_id: u16, problem: String },

    #[error("table context of node {nid}: {problem}")]
    Table { nid: NodeId, problem: String },

    #[error("B-tree at offset {offset:#x} nests deeper than {limit} levels")]
    TooDeep { offset: u64, limit: u32 },

    #[error("{0}")]
    NotFound(String),

    /// A walk over the whole file ([`crate::ndb::WalkBudget`]) read its budget: what it had
    /// not opened yet is left unread.
    #[error(
        "not read: this walk of the file has read more than its budget of {limit} bytes of \
         blocks ({} × the file size), nodes naming the same data again and again",
        crate::ndb::WALK_BUDGET_PER_FILE_BYTE
    )]
    WalkBudget { limit: u64 },

    /// Writing a dump or export to its destination failed (not a problem of the file read).
    #[error("cannot write the output: {0}")]
    Write(std::io::Error),

    /// The store has a PidTagPstPassword CRC and no password, or another one, was given.
    #[error("{path}: {problem}")]
    Password { path: String, problem: String },
}

fn truncated_message(
    what: &str,
    offset: u64,
    len: u64,
    file_size: u64,
    header_eof: Option<u64>,
) -> String {
    let end = offset.saturating_add(len);
    match header_eof {
        // ibFileEof (MS-PST 2.2.2.6, ROOT) is the file's size when it was last written.
        Some(eof) if eof > file_size && len == 0 => {
            format!("truncated: the file is {file_size} bytes, the header says {eof}")
        }
        Some(eof) if eof > file_size => format!(
            "truncated: the file is {file_size} bytes, the header says {eof} \
             ({what} at offset {offset:#x} lies past the end)"
        ),
        _ => format!(
            "truncated or damaged: the file is {file_size} bytes, {what} at offset {offset:#x} \
             needs {end}"
        ),
    }
}

impl PstError {
    pub(crate) fn field(
        structure: &'static str,
        field: &'static str,
        offset: u64,
        problem: impl Into<String>,
    ) -> PstError {
        PstError::Field { structure, field, offset, problem: problem.into() }
    }
}

impl From<PstError> for mapi::MapiError {
    fn from(err: PstError) -> mapi::MapiError {
        let code = match &err {
            PstError::NodeNotFound { .. }
            | PstError::SubnodeNotFound { .. }
            | PstError::NotFound(_) => mapi::ErrorCode::NotFound,
            PstError::Io { .. } | PstError::Write(_) => mapi::ErrorCode::DiskError,
            // As Outlook: a store that refuses its password refuses the logon.
            PstError::Password { .. } => mapi::ErrorCode::LogonFailed,
            PstError::UnsupportedVersion { .. } | PstError::UnsupportedCrypt(_) => {
                mapi::ErrorCode::Version
            }
            // Not a PST at all, or a header/B-tree root that cannot be read: the store as a
            // whole is unusable, not one value in it.
            PstError::NotPst { .. } | PstError::TooDeep { .. } => mapi::ErrorCode::CorruptStore,
            _ => mapi::ErrorCode::CorruptData,
        };
        mapi::MapiError::new(code, err.to_string())
    }
}
