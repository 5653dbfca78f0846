//! Pages (MS-PST 2.2.2.7): the PAGETRAILER and the B-tree pages BTPAGE with their entries
//! BTENTRY, BBTENTRY and NBTENTRY.

use super::crc::{compute_crc, compute_sig};
use super::header::Format;
use super::ids::{BlockId, BlockRef, NodeId};
use crate::error::{PstError, PstResult};
use crate::io::{u16_at, u32_at, u64_at};

/// `ptype` values (MS-PST 2.2.2.7.1).
pub const PTYPE_BBT: u8 = 0x80;
pub const PTYPE_NBT: u8 = 0x81;

/// A PAGETRAILER.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageTrailer {
    pub ptype: u8,
    pub ptype_repeat: u8,
    pub w_sig: u16,
    pub dw_crc: u32,
    pub bid: BlockId,
}

impl PageTrailer {
    pub fn parse(format: Format, t: &[u8]) -> PageTrailer {
        let (dw_crc, bid) = if format.is_ansi() {
            (u32_at(t, 8), u64::from(u32_at(t, 4)))
        } else {
            (u32_at(t, 4), u64_at(t, 8))
        };
        PageTrailer {
            ptype: t[0],
            ptype_repeat: t[1],
            w_sig: u16_at(t, 2),
            dw_crc,
            bid: BlockId(bid),
        }
    }
}

/// A leaf entry of the node B-tree (NBTENTRY, MS-PST 2.2.2.7.7.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodeEntry {
    pub nid: NodeId,
    pub bid_data: BlockId,
    pub bid_sub: BlockId,
    pub nid_parent: NodeId,
}

/// A leaf entry of the block B-tree (BBTENTRY, MS-PST 2.2.2.7.7.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlockEntry {
    pub bref: BlockRef,
    /// Stored size of the block data.
    pub cb: u16,
    /// Size after inflating; equals `cb` except for compressed blocks of the 4K format.
    pub cb_inflated: u16,
    pub c_ref: u16,
}

/// A parsed BTPAGE (MS-PST 2.2.2.7.7.1), entries still raw.
#[derive(Debug, Clone)]
pub struct BTreePage {
    pub ib: u64,
    pub trailer: PageTrailer,
    pub c_ent: usize,
    pub cb_ent: usize,
    pub c_level: u8,
    data: Vec<u8>,
}

/// What a page check found wrong but could be read past in lenient mode.
#[derive(Debug)]
pub struct PageIssues {
    pub crc: Option<PstError>,
}

impl BTreePage {
    /// Parses a page read from `ib`, checking `ptype`, the signature, the CRC and the entry
    /// geometry. A CRC mismatch is returned apart so lenient readers can go on.
    pub fn parse(
        format: Format,
        ib: u64,
        expected_bid: BlockId,
        expected_ptype: u8,
        data: Vec<u8>,
    ) -> PstResult<(BTreePage, Option<PstError>)> {
        let page_size = format.page_size();
        let trailer_at = page_size - format.page_trailer_size();
        let trailer = PageTrailer::parse(format, &data[trailer_at..]);
        if trailer.ptype != expected_ptype || trailer.ptype_repeat != trailer.ptype {
            return Err(PstError::field(
                "PAGETRAILER",
                "ptype",
                ib + trailer_at as u64,
                format!(
                    "is {:#04x}/{:#04x}, expected {expected_ptype:#04x}",
                    trailer.ptype, trailer.ptype_repeat
                ),
            ));
        }
        if trailer.bid.key() != expected_bid.key() {
            return Err(PstError::field(
                "PAGETRAILER",
                "bid",
                ib + trailer_at as u64,
                format!("is {}, the referencing BREF says {expected_bid}", trailer.bid),
            ));
        }
        let computed = compute_crc(&data[..trailer_at]);
        let crc_problem = (computed != trailer.dw_crc).then_some(PstError::Crc {
            what: "B-tree page",
            offset: ib,
            stored: trailer.dw_crc,
            computed,
        });
        let sig = compute_sig(ib, trailer.bid.0);
        if trailer.w_sig != sig && trailer.w_sig != 0 {
            return Err(PstError::field(
                "PAGETRAILER",
                "wSig",
                ib + trailer_at as u64,
                format!("is {:#06x}, computed {sig:#06x}", trailer.w_sig),
            ));
        }
        let (c_ent, c_ent_max, cb_ent, c_level, entries_size) = match format {
            Format::Ansi => (
                usize::from(data[496]),
                usize::from(data[497]),
                usize::from(data[498]),
                data[499],
                496,
            ),
            Format::Unicode => (
                usize::from(data[488]),
                usize::from(data[489]),
                usize::from(data[490]),
                data[491],
                488,
            ),
            Format::Unicode4k => (
                usize::from(u16_at(&data, 4056)),
                usize::from(u16_at(&data, 4058)),
                usize::from(data[4060]),
                data[4061],
                4056,
            ),
        };
        let id = format.id_size();
        let expected_cb = if c_level > 0 {
            2 * id + id // btkey + BREF
        } else if expected_ptype == PTYPE_NBT {
            if format.is_ansi() { 16 } else { 32 }
        } else if format.is_ansi() {
            12
        } else {
            24
        };
        if cb_ent < expected_cb || c_ent > c_ent_max || c_ent * cb_ent > entries_size {
            return Err(PstError::field(
                "BTPAGE",
                "cEnt/cbEnt",
                ib + entries_size as u64,
                format!(
                    "cEnt {c_ent}, cEntMax {c_ent_max}, cbEnt {cb_ent} (need ≥ {expected_cb}) \
                     do not fit in {entries_size} bytes"
                ),
            ));
        }
        let page = BTreePage { ib, trailer, c_ent, cb_ent, c_level, data };
        Ok((page, crc_problem))
    }

    fn entry(&self, i: usize) -> &[u8] {
        &self.data[i * self.cb_ent..(i + 1) * self.cb_ent]
    }

    /// Intermediate entry `i` (BTENTRY): key and child page reference.
    pub fn child(&self, format: Format, i: usize) -> (u64, BlockRef) {
        let e = self.entry(i);
        if format.is_ansi() {
            let r = BlockRef { bid: BlockId(u64::from(u32_at(e, 4))), ib: u64::from(u32_at(e, 8)) };
            (u64::from(u32_at(e, 0)), r)
        } else {
            (u64_at(e, 0), BlockRef { bid: BlockId(u64_at(e, 8)), ib: u64_at(e, 16) })
        }
    }

    /// The key of entry `i` (first field of every entry kind).
    pub fn key(&self, format: Format, i: usize) -> u64 {
        let e = self.entry(i);
        if format.is_ansi() { u64::from(u32_at(e, 0)) } else { u64_at(e, 0) }
    }

    pub fn node_entry(&self, format: Format, i: usize) -> NodeEntry {
        let e = self.entry(i);
        if format.is_ansi() {
            NodeEntry {
                nid: NodeId(u32_at(e, 0)),
                bid_data: BlockId(u64::from(u32_at(e, 4))),
                bid_sub: BlockId(u64::from(u32_at(e, 8))),
                nid_parent: NodeId(u32_at(e, 12)),
            }
        } else {
            NodeEntry {
                nid: NodeId(u64_at(e, 0) as u32),
                bid_data: BlockId(u64_at(e, 8)),
                bid_sub: BlockId(u64_at(e, 16)),
                nid_parent: NodeId(u32_at(e, 24)),
            }
        }
    }

    pub fn block_entry(&self, format: Format, i: usize) -> BlockEntry {
        let e = self.entry(i);
        match format {
            Format::Ansi => {
                let cb = u16_at(e, 8);
                BlockEntry {
                    bref: BlockRef {
                        bid: BlockId(u64::from(u32_at(e, 0))),
                        ib: u64::from(u32_at(e, 4)),
                    },
                    cb,
                    cb_inflated: cb,
                    c_ref: u16_at(e, 10),
                }
            }
            Format::Unicode => {
                let cb = u16_at(e, 16);
                BlockEntry {
                    bref: BlockRef { bid: BlockId(u64_at(e, 0)), ib: u64_at(e, 8) },
                    cb,
                    cb_inflated: cb,
                    c_ref: u16_at(e, 18),
                }
            }
            Format::Unicode4k => BlockEntry {
                bref: BlockRef { bid: BlockId(u64_at(e, 0)), ib: u64_at(e, 8) },
                cb: u16_at(e, 16),
                cb_inflated: u16_at(e, 18),
                c_ref: u16_at(e, 20),
            },
        }
    }
}
