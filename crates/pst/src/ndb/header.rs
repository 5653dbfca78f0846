//! The file HEADER and ROOT (MS-PST 2.2.2.6, 2.2.2.5), and the format widths they select.

use super::crc::compute_crc;
use super::crypt::CryptMethod;
use super::ids::{BlockId, BlockRef};
use crate::error::{PstError, PstResult};
use crate::io::{u16_at, u32_at, u64_at};

/// The on-disk variant, from `wVer`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Format {
    /// `wVer` 14 or 15: 32-bit IDs and offsets, 512-byte pages.
    Ansi,
    /// `wVer` 23: 64-bit IDs and offsets, 512-byte pages.
    Unicode,
    /// `wVer` 36: Unicode with 4 KiB pages and 512-byte block alignment, written by Outlook 2013+
    /// for OST files; blocks may be zlib-compressed. Not in MS-PST; layout as observed in files.
    Unicode4k,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Ansi => "ANSI",
            Format::Unicode => "Unicode",
            Format::Unicode4k => "Unicode-4K",
        }
    }

    pub(crate) fn is_ansi(self) -> bool {
        self == Format::Ansi
    }

    /// Bytes of a BID, NID-in-entry, or IB.
    pub(crate) fn id_size(self) -> usize {
        if self.is_ansi() { 4 } else { 8 }
    }

    pub(crate) fn page_size(self) -> usize {
        if self == Format::Unicode4k { 4096 } else { 512 }
    }

    /// Size of the PAGETRAILER (MS-PST 2.2.2.7.1); the 4K variant carries 8 more bytes.
    pub(crate) fn page_trailer_size(self) -> usize {
        match self {
            Format::Ansi => 12,
            Format::Unicode => 16,
            Format::Unicode4k => 24,
        }
    }

    /// Size of the BLOCKTRAILER (MS-PST 2.2.2.8.1); the 4K variant adds the inflated size.
    pub(crate) fn block_trailer_size(self) -> usize {
        match self {
            Format::Ansi => 12,
            Format::Unicode => 16,
            Format::Unicode4k => 24,
        }
    }

    pub(crate) fn block_alignment(self) -> u64 {
        if self == Format::Unicode4k { 512 } else { 64 }
    }
}

/// The ROOT structure (MS-PST 2.2.2.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Root {
    pub ib_file_eof: u64,
    pub ib_amap_last: u64,
    pub cb_amap_free: u64,
    pub cb_pmap_free: u64,
    /// BREFNBT: the root page of the node B-tree.
    pub node_btree: BlockRef,
    /// BREFBBT: the root page of the block B-tree.
    pub block_btree: BlockRef,
    pub f_amap_valid: u8,
}

/// The parsed HEADER.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub format: Format,
    pub w_ver: u16,
    pub w_ver_client: u16,
    /// `wMagicClient`: "SM" for PST, "SO" for OST.
    pub w_magic_client: u16,
    pub crypt_method: CryptMethod,
    pub root: Root,
    pub dw_unique: u32,
}

const MAGIC: u32 = u32::from_le_bytes(*b"!BDN");
/// `wMagicClient` of an OST ("SO").
pub const MAGIC_CLIENT_OST: u16 = u16::from_le_bytes(*b"SO");

impl Header {
    /// Bytes to read to parse any header variant.
    pub const READ_SIZE: usize = 564;

    /// Parses the header from the first bytes of the file (at least 512 for ANSI, 564 for
    /// Unicode). CRCs are checked: `dwCRCPartial` always, `dwCRCFull` for Unicode.
    pub fn parse(b: &[u8]) -> PstResult<Header> {
        if b.len() < 512 {
            return Err(PstError::OutOfBounds {
                what: "HEADER",
                offset: 0,
                len: 512,
                limit: b.len() as u64,
            });
        }
        let magic = u32_at(b, 0);
        if magic != MAGIC {
            return Err(PstError::NotPst { found: magic });
        }
        let w_ver = u16_at(b, 10);
        let format = match w_ver {
            14 | 15 => Format::Ansi,
            23 => Format::Unicode,
            36 => Format::Unicode4k,
            _ => return Err(PstError::UnsupportedVersion { w_ver }),
        };
        // dwCRCPartial covers the 471 bytes from wMagicClient (MS-PST 2.2.2.6).
        check_crc("HEADER dwCRCPartial", 4, u32_at(b, 4), &b[8..8 + 471])?;
        let (root_at, crypt_at, unique_at) = if format.is_ansi() {
            (164, 461, 32)
        } else {
            if b.len() < Self::READ_SIZE {
                return Err(PstError::OutOfBounds {
                    what: "HEADER",
                    offset: 0,
                    len: Self::READ_SIZE as u64,
                    limit: b.len() as u64,
                });
            }
            check_crc("HEADER dwCRCFull", 524, u32_at(b, 524), &b[8..8 + 516])?;
            (180, 513, 40)
        };
        let crypt_code = b[crypt_at];
        let crypt_method =
            CryptMethod::from_code(crypt_code).ok_or(PstError::UnsupportedCrypt(crypt_code))?;
        Ok(Header {
            format,
            w_ver,
            w_ver_client: u16_at(b, 12),
            w_magic_client: u16_at(b, 8),
            crypt_method,
            root: parse_root(format, &b[root_at..]),
            dw_unique: u32_at(b, unique_at),
        })
    }

    pub fn is_ost(&self) -> bool {
        self.w_magic_client == MAGIC_CLIENT_OST
    }
}

fn check_crc(what: &'static str, offset: u64, stored: u32, data: &[u8]) -> PstResult<()> {
    let computed = compute_crc(data);
    if stored == computed { Ok(()) } else { Err(PstError::Crc { what, offset, stored, computed }) }
}

fn parse_root(format: Format, b: &[u8]) -> Root {
    if format.is_ansi() {
        Root {
            ib_file_eof: u64::from(u32_at(b, 4)),
            ib_amap_last: u64::from(u32_at(b, 8)),
            cb_amap_free: u64::from(u32_at(b, 12)),
            cb_pmap_free: u64::from(u32_at(b, 16)),
            node_btree: BlockRef {
                bid: BlockId(u64::from(u32_at(b, 20))),
                ib: u64::from(u32_at(b, 24)),
            },
            block_btree: BlockRef {
                bid: BlockId(u64::from(u32_at(b, 28))),
                ib: u64::from(u32_at(b, 32)),
            },
            f_amap_valid: b[36],
        }
    } else {
        Root {
            ib_file_eof: u64_at(b, 4),
            ib_amap_last: u64_at(b, 12),
            cb_amap_free: u64_at(b, 20),
            cb_pmap_free: u64_at(b, 28),
            node_btree: BlockRef { bid: BlockId(u64_at(b, 36)), ib: u64_at(b, 44) },
            block_btree: BlockRef { bid: BlockId(u64_at(b, 52)), ib: u64_at(b, 60) },
            f_amap_valid: b[68],
        }
    }
}
