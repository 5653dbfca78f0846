//! The Node Database layer (MS-PST 2.2): header, B-trees of nodes and blocks, data blocks,
//! data trees and subnode trees.

pub mod block;
pub mod budget;
pub mod crc;
pub mod crypt;
pub mod header;
pub mod ids;
pub mod page;

pub use block::{DataTree, SubnodeEntry};
pub use budget::{WALK_BUDGET_PER_FILE_BYTE, WalkBudget};
pub use crypt::CryptMethod;
pub use header::{Format, Header, Root};
pub use ids::{BlockId, BlockRef, NodeId, NodeType};
pub use page::{BlockEntry, NodeEntry};

use crate::error::{PstError, PstResult};
use crate::io::Source;
use page::{BTreePage, PTYPE_BBT, PTYPE_NBT};
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// B-trees deeper than this are treated as corrupt (real files have 2–4 levels).
const MAX_BTREE_DEPTH: u32 = 16;

/// A problem that lenient reading stepped over.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    /// Where: a node, block or page description.
    pub location: String,
    pub message: String,
    pub severity: Severity,
}

/// How bad a problem is: a warning leaves every byte of data readable and trustworthy
/// (e.g. a wrong signature on a heap that otherwise parses); an error may lose or alter data.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    #[default]
    Error,
}

/// How to read: strict fails on the first integrity error; lenient records CRC mismatches and
/// skips unreadable items, so the rest of a damaged file stays readable.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OpenOptions {
    pub lenient: bool,
}

/// The NDB layer over one file: thread-safe, every read positional.
#[derive(Debug)]
pub struct Ndb {
    pub(crate) source: Source,
    pub(crate) header: Header,
    pub(crate) options: OpenOptions,
    problems: Mutex<Vec<Problem>>,
    page_cache: PageCache,
    /// Bytes of blocks read since the file was opened, for [`WalkBudget`].
    block_bytes_read: AtomicU64,
}

/// Bytes of B-tree pages kept in memory: the upper levels of both B-trees stay cached, so a
/// lookup costs about one read; the bound keeps memory flat whatever the file size.
const PAGE_CACHE_BYTES: usize = 8 << 20;
const PAGE_CACHE_SHARDS: usize = 16;

/// A sharded cache of parsed B-tree pages keyed by file offset. A full shard is emptied
/// rather than tracked for recency: simple, bounded, and lookups stay lock-light.
#[derive(Debug)]
struct PageCache {
    shards: Vec<Mutex<HashMap<u64, Arc<BTreePage>>>>,
    per_shard: usize,
}

impl PageCache {
    fn new(page_size: usize) -> PageCache {
        let per_shard = PAGE_CACHE_BYTES / page_size / PAGE_CACHE_SHARDS;
        PageCache {
            shards: (0..PAGE_CACHE_SHARDS).map(|_| Mutex::new(HashMap::new())).collect(),
            per_shard,
        }
    }

    fn shard(&self, ib: u64) -> &Mutex<HashMap<u64, Arc<BTreePage>>> {
        &self.shards[((ib >> 9) as usize) % PAGE_CACHE_SHARDS]
    }

    fn get(&self, ib: u64) -> Option<Arc<BTreePage>> {
        self.shard(ib).lock().ok()?.get(&ib).cloned()
    }

    fn insert(&self, ib: u64, page: Arc<BTreePage>) {
        if let Ok(mut shard) = self.shard(ib).lock() {
            if shard.len() >= self.per_shard {
                shard.clear();
            }
            shard.insert(ib, page);
        }
    }
}

impl Ndb {
    pub(crate) fn open(mut source: Source, options: OpenOptions) -> PstResult<Ndb> {
        let len = usize::try_from(source.size().min(Header::READ_SIZE as u64)).unwrap_or(0);
        let bytes = source.read("HEADER", 0, len)?;
        // A file that starts like a PST but ends inside its header was cut short.
        if bytes.len() < Header::READ_SIZE && bytes.starts_with(b"!BDN") {
            return Err(PstError::Truncated {
                what: "HEADER",
                offset: 0,
                len: Header::READ_SIZE as u64,
                file_size: source.size(),
                header_eof: None,
            });
        }
        let header = Header::parse(&bytes)?;
        source.set_header_eof(header.root.ib_file_eof);
        let page_cache = PageCache::new(header.format.page_size());
        let file_size = source.size();
        let eof = header.root.ib_file_eof;
        let ndb = Ndb {
            source,
            header,
            options,
            problems: Mutex::new(Vec::new()),
            page_cache,
            block_bytes_read: AtomicU64::new(0),
        };
        // ibFileEof (MS-PST 2.2.2.5, ROOT) is the file's size as last written: a shorter file
        // was cut short, and reads would fail later somewhere in the middle of it.
        if file_size < eof {
            ndb.tolerate(PstError::Truncated {
                what: "the end of the file",
                offset: eof,
                len: 0,
                file_size,
                header_eof: Some(eof),
            })?;
        }
        Ok(ndb)
    }

    pub fn header(&self) -> &Header {
        &self.header
    }

    pub fn format(&self) -> Format {
        self.header.format
    }

    pub fn file_size(&self) -> u64 {
        self.source.size()
    }

    /// Bytes of blocks (data, XBLOCK/XXBLOCK, SLBLOCK/SIBLOCK; not B-tree pages) read from
    /// the file since it was opened, by every reader of it: what a [`WalkBudget`] counts.
    pub fn block_bytes_read(&self) -> u64 {
        self.block_bytes_read.load(Ordering::Relaxed)
    }

    pub(crate) fn count_block_bytes(&self, len: usize) {
        self.block_bytes_read.fetch_add(len as u64, Ordering::Relaxed);
    }

    /// Records a problem (lenient mode) and returns whether reading may go on.
    pub(crate) fn tolerate(&self, err: PstError) -> PstResult<()> {
        if self.options.lenient {
            self.record(String::new(), &err);
            Ok(())
        } else {
            Err(err)
        }
    }

    pub(crate) fn record(&self, location: String, err: &PstError) {
        self.record_with(location, err, Severity::Error);
    }

    /// Records a problem that leaves the data readable (lenient mode only; strict reading
    /// goes on without a list to put it in).
    pub(crate) fn warn(&self, location: String, err: &PstError) {
        if self.options.lenient {
            self.record_with(location, err, Severity::Warning);
        }
    }

    fn record_with(&self, location: String, err: &PstError, severity: Severity) {
        if let Ok(mut problems) = self.problems.lock() {
            // Bounded: a badly damaged file must not grow this without limit.
            if problems.len() < 10_000 {
                problems.push(Problem { location, message: err.to_string(), severity });
            }
        }
    }

    /// Problems stepped over so far in lenient mode.
    pub fn problems(&self) -> Vec<Problem> {
        self.problems_from(0)
    }

    /// How many problems have been recorded so far.
    pub fn problem_count(&self) -> usize {
        self.problems.lock().map(|p| p.len()).unwrap_or(0)
    }

    /// The problems recorded after the first `start`.
    pub fn problems_from(&self, start: usize) -> Vec<Problem> {
        self.problems
            .lock()
            .map(|p| p.get(start..).unwrap_or_default().to_vec())
            .unwrap_or_default()
    }

    fn read_page(&self, bref: BlockRef, ptype: u8) -> PstResult<Arc<BTreePage>> {
        if let Some(page) = self.page_cache.get(bref.ib)
            && page.trailer.ptype == ptype
            && page.trailer.bid.key() == bref.bid.key()
        {
            return Ok(page);
        }
        let format = self.format();
        let data = self.source.read("B-tree page", bref.ib, format.page_size())?;
        let (page, crc) = BTreePage::parse(format, bref.ib, bref.bid, ptype, data)?;
        if let Some(err) = crc {
            self.tolerate(err)?;
        }
        let page = Arc::new(page);
        self.page_cache.insert(bref.ib, page.clone());
        Ok(page)
    }

    /// Descends a B-tree to the leaf entry with `key`; returns the leaf page and entry index.
    fn find(
        &self,
        root: BlockRef,
        ptype: u8,
        key: u64,
    ) -> PstResult<Option<(Arc<BTreePage>, usize)>> {
        let format = self.format();
        let mut bref = root;
        let mut level_above: Option<u8> = None;
        for _ in 0..MAX_BTREE_DEPTH {
            let page = self.read_page(bref, ptype)?;
            if let Some(above) = level_above
                && page.c_level + 1 != above
            {
                return Err(PstError::field(
                    "BTPAGE",
                    "cLevel",
                    page.ib,
                    format!("is {}, its parent page has level {above}", page.c_level),
                ));
            }
            if page.c_level == 0 {
                let found = (0..page.c_ent).find(|&i| page.key(format, i) == key);
                return Ok(found.map(|i| (page, i)));
            }
            // The child whose key is the greatest not above `key`.
            let mut next = None;
            for i in 0..page.c_ent {
                let (k, child) = page.child(format, i);
                if k > key {
                    break;
                }
                next = Some(child);
            }
            match next {
                Some(child) => {
                    level_above = Some(page.c_level);
                    bref = child;
                }
                None => return Ok(None),
            }
        }
        Err(PstError::TooDeep { offset: bref.ib, limit: MAX_BTREE_DEPTH })
    }

    /// Looks a node up in the node B-tree (NBT).
    pub fn node(&self, nid: NodeId) -> PstResult<NodeEntry> {
        let root = self.header.root.node_btree;
        match self.find(root, PTYPE_NBT, u64::from(nid.0))? {
            Some((page, i)) => Ok(page.node_entry(self.format(), i)),
            None => Err(PstError::NodeNotFound { nid }),
        }
    }

    /// Looks a block up in the block B-tree (BBT).
    pub fn block_entry(&self, bid: BlockId) -> PstResult<BlockEntry> {
        let root = self.header.root.block_btree;
        match self.find(root, PTYPE_BBT, bid.key())? {
            Some((page, i)) => Ok(page.block_entry(self.format(), i)),
            None => Err(PstError::BlockNotFound { bid }),
        }
    }

    /// Visits every leaf entry of the node B-tree in key order.
    pub fn for_each_node(&self, mut f: impl FnMut(NodeEntry)) -> PstResult<()> {
        let format = self.format();
        let mut seen = HashSet::new();
        self.walk(self.header.root.node_btree, PTYPE_NBT, 0, &mut seen, &mut |page| {
            for i in 0..page.c_ent {
                f(page.node_entry(format, i));
            }
        })
    }

    /// Visits every leaf entry of the block B-tree in key order.
    pub fn for_each_block(&self, mut f: impl FnMut(BlockEntry)) -> PstResult<()> {
        let format = self.format();
        let mut seen = HashSet::new();
        self.walk(self.header.root.block_btree, PTYPE_BBT, 0, &mut seen, &mut |page| {
            for i in 0..page.c_ent {
                f(page.block_entry(format, i));
            }
        })
    }

    fn walk(
        &self,
        bref: BlockRef,
        ptype: u8,
        depth: u32,
        seen: &mut HashSet<u64>,
        leaf: &mut dyn FnMut(&BTreePage),
    ) -> PstResult<()> {
        if depth >= MAX_BTREE_DEPTH {
            return Err(PstError::TooDeep { offset: bref.ib, limit: MAX_BTREE_DEPTH });
        }
        // A page reached twice is a cycle or a shared subtree in a damaged file.
        if !seen.insert(bref.ib) {
            return Err(PstError::field(
                "BTENTRY",
                "BREF",
                bref.ib,
                "points to a page already visited",
            ));
        }
        let page = self.read_page(bref, ptype)?;
        if page.c_level == 0 {
            leaf(&page);
            return Ok(());
        }
        for i in 0..page.c_ent {
            let (_, child) = page.child(self.format(), i);
            if let Err(err) = self.walk(child, ptype, depth + 1, seen, leaf) {
                self.tolerate(err)?;
            }
        }
        Ok(())
    }
}
